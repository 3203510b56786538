"""The task queue: Huey on SQLite in-process (embedded default) or on Redis (scale-out).

Tasks are registered on the Huey instance against a Runtime, so a `worker`
process on another machine runs the very same task names with its own
database connections.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from huey import RedisHuey
from huey.api import Huey
from huey.storage import SqliteStorage
from sqlalchemy.engine import make_url

from saleor_cs_app.jobs.deadline_alarm import DeadlineAlarm
from saleor_cs_app.jobs.delivery_pump import DeliveryPump
from saleor_cs_app.jobs.lease_keeper import LeaseKeeper
from saleor_cs_app.jobs.retries import MAX_ATTEMPTS, backoff_seconds
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store.models import Incident


def make_huey(runtime: Runtime) -> Huey:
    settings = runtime.settings
    if settings.redis_url:
        # Blocking: an idle worker waits in BRPOP, so a task queued by any process starts at
        # once; read_timeout only bounds how long a stopping worker takes to notice.
        return RedisHuey("saleor-cs-app", url=settings.redis_url, utc=True, blocking=True, read_timeout=1)
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        queue_file = str(Path(url.database).with_suffix(".queue.db"))
    else:
        queue_file = "saleor-cs-app.queue.db"
    return Huey("saleor-cs-app", storage_class=_SqliteQueueStorage, filename=queue_file, utc=True)


class _SqliteQueueStorage(SqliteStorage):
    """Huey's SQLite storage, woken by its own enqueues, with synchronous=NORMAL.

    Wake: Huey polls a non-blocking storage with a backoff that grows to 10 s
    while the queue is idle, so the first task after a quiet spell waited up to
    10 s (an e-mail 10-18 s after the carrier's word). This storage says it
    blocks: an idle worker thread waits on an in-process signal that every
    enqueue of this process sets (the web threads, the scheduler, the tasks
    themselves), and looks at the table anyway every FALLBACK_POLL seconds
    for tasks another process queued (`saleor-cs-app sweep` on the same file).

    Durability: Huey's default (FULL) fsyncs every enqueue, which made the webhook
    acknowledgement wait on the disk. In WAL mode NORMAL survives a crash of
    the process; after a power loss the last enqueues may be gone, and the
    sweep queues deliveries stored but never processed again.
    """

    blocking = True
    FALLBACK_POLL = 1.0  # seconds: the longest an idle worker goes without reading the table
    STEP = 0.02  # how often a waiting thread checks the signal (time.sleep, see DeliveryPump._sleep)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.queued = threading.Event()

    def _create_connection(self):
        conn = super()._create_connection()
        conn.execute("pragma synchronous=1")
        return conn

    def enqueue(self, data, priority=None):
        super().enqueue(data, priority)
        self.queued.set()

    def dequeue(self):
        """The next task, waiting up to FALLBACK_POLL for one; None if none came."""
        give_up = time.monotonic() + self.FALLBACK_POLL
        while True:
            # Clear before reading: a task queued after this read sets the signal again, so
            # no wake is lost between the read and the wait.
            self.queued.clear()
            data = super().dequeue()
            if data is not None or not self._wait_for_enqueue(give_up):
                return data

    def _wait_for_enqueue(self, give_up: float) -> bool:
        while not self.queued.is_set():
            left = give_up - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(self.STEP, left))
        return True


class AcknowledgementsFirst:
    """The embedded worker gives way while a burst of webhooks arrives.

    Under `serve` the web threads and the worker share one process (one GIL)
    and one SQLite writer: a task started mid-burst makes every acknowledgement
    wait behind it. So during a burst (deliveries arriving on average less than
    BURST_GAP apart) a task starts only after QUIET seconds without a new
    delivery, or after MAX_WAIT at the latest so a flood cannot stall the work.
    The deliveries are durable before they are acknowledged; they are processed
    right after the burst. A steady trickle is not a burst: at 50 deliveries a
    second there is never a quiet 50 ms, and waiting for one held every task
    MAX_WAIT seconds (e-mails a minute late, issue 23), while a task between two
    of them costs an acknowledgement a few milliseconds at most.
    (Wall-clock pacing, not business time.)
    Under a separate `worker` process (scale-out) nothing waits: it has its own GIL.
    """

    QUIET = 0.05
    MAX_WAIT = 10.0
    BURST_GAP = 0.005  # mean seconds between arrivals below which they are a burst (200 a second)
    SMOOTHING = 0.2  # weight of the newest gap in the running mean (a burst counts after ~25 arrivals)

    def __init__(self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self._clock, self._sleep = clock, sleep
        self._last_arrival = -1e9
        self._mean_gap = 1.0

    def arrived(self) -> None:
        # Web threads call this concurrently; a lost update only nudges the mean.
        now = self._clock()
        gap = min(now - self._last_arrival, 1.0)
        self._mean_gap += (gap - self._mean_gap) * self.SMOOTHING
        self._last_arrival = now

    def in_a_burst(self) -> bool:
        return self._clock() - self._last_arrival < self.QUIET and self._mean_gap < self.BURST_GAP

    def wait_for_a_pause(self, _task=None) -> None:
        give_up = self._clock() + self.MAX_WAIT
        while self._clock() < give_up and self.in_a_burst():
            self._sleep(max(0.001, self.QUIET - (self._clock() - self._last_arrival)))


class Jobs:
    """Enqueueing from the web side, and running a consumer in-process for `serve`.

    A stored webhook delivery reaches the workers without a second write on the
    acknowledgement path: in every configuration the delivery pump reads it from its
    table (in-process under `serve`, in each `worker` process beside gunicorn). The
    task queue carries everything else: retries with backoff, e-mails, tracking, the sweep.
    """

    def __init__(self, runtime: Runtime, huey: Huey | None = None):
        from saleor_cs_app.jobs.tasks import register_tasks

        self.runtime = runtime
        self.huey = huey or make_huey(runtime)
        self.tasks = register_tasks(self.huey, runtime)
        runtime.jobs = self
        self._consumer = None
        self.acknowledgements_first = AcknowledgementsFirst()
        self.pump = DeliveryPump(runtime, self.process_oldest_delivery, self.acknowledgements_first.wait_for_a_pause)
        self.incident_leases = LeaseKeeper(runtime, Incident)
        self.deadline_alarm = DeadlineAlarm(runtime, self.tasks.open_due)

    def enqueue(self, task_name: str, *args) -> None:
        getattr(self.tasks, task_name)(*args)

    def delivery_stored(self) -> None:
        """A webhook delivery was just stored (called on the acknowledgement path: no I/O here)."""
        self.acknowledgements_first.arrived()
        self.pump.wake()  # a pump in this process (serve); a `worker` process finds it by polling

    def process_oldest_delivery(self) -> bool:
        """Process the oldest delivery no one has taken, in this thread; False if none waits.

        A failure is retried later on the task queue, with backoff."""
        from saleor_cs_app.jobs import deliveries

        taken = deliveries.process_oldest(self.runtime)
        if taken is None:
            return False
        delivery_id, attempt = taken
        if attempt is not None and attempt < MAX_ATTEMPTS:
            self.tasks.process_delivery.schedule((delivery_id,), delay=backoff_seconds(attempt))
        return True

    def ping(self) -> None:
        """Raise if the queue's storage cannot be reached (for /readyz)."""
        self.huey.pending_count()

    # -- consumers -----------------------------------------------------------------------------
    def start_consumer(self, workers: int) -> None:
        """Run a Huey consumer in background threads of this process.

        Its tasks give way to arriving webhooks (AcknowledgementsFirst). Huey's start() takes over SIGINT/SIGTERM/SIGHUP for a consumer that owns
        the process; here the web server owns it, so its handlers are put back
        (otherwise `serve` would ignore SIGTERM from systemd or Docker).
        """
        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
        self.huey.pre_execute("acknowledgements_first")(self.acknowledgements_first.wait_for_a_pause)
        self._consumer = self.huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
        self._consumer.start()
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        self.start_pump()

    def start_pump(self, threads: int = 1) -> None:
        """Process stored deliveries in threads of this process, and ring passed deadlines at once."""
        self.pump.start(threads)
        self.deadline_alarm.start()

    def stop_consumer(self) -> None:
        self.deadline_alarm.stop()
        self.pump.stop()
        if self._consumer is not None:
            self._consumer.stop(graceful=True)
            self._consumer = None

    def drain(self, *, rounds: int = 6) -> int:
        """Run queued tasks in this thread until the queue is empty (for tests).

        Delayed tasks (retries) are run early, in at most `rounds` passes, so a
        task that keeps rescheduling itself cannot spin forever. Returns how many ran.
        """
        ran = 0
        for _ in range(rounds):
            ran += self._run_ready()
            scheduled = self.huey.read_schedule(_far_future())
            if not scheduled and not self._has_ready():
                break
            for task in scheduled:
                task.eta = None  # run it now: Huey would put a task that is not yet due back
                self.huey.enqueue(task)
        return ran

    def _run_ready(self) -> int:
        ran = 0
        ran += self.pump.run_pending()
        # pending_count() first: a Redis dequeue blocks for a second on an empty queue.
        while self.huey.pending_count() and (task := self.huey.dequeue()) is not None:
            self.huey.execute(task)
            ran += 1
        return ran

    def _has_ready(self) -> bool:
        """Work that arrived while the last tasks ran (a webhook Saleor sent back, say)."""
        if self.pump.has_pending():
            return True
        return bool(self.huey.pending_count())


def _far_future() -> datetime:
    # Huey keeps its schedule in naive UTC.
    return datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(days=3650)
