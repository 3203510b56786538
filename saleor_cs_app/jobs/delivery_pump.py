"""Process stored deliveries straight from their table, in every configuration.

The acknowledgement writes the delivery row and nothing else; the row is the
queue. Under `serve` the web thread wakes the pump; otherwise (a `worker`
process beside gunicorn, a delivery left over from a crash) it looks by itself
every POLL seconds. Each look claims the oldest delivery no other pump holds
(jobs/deliveries.process_oldest), so pumps in many worker processes share one
PostgreSQL without taking the same delivery twice. On SQLite a second thread keeps
the write-ahead log short (Database.checkpoint), also during a long burst. A failed
delivery leaves this path: its retry is scheduled on the task queue with backoff
(jobs/tasks.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store import deliveries

log = logging.getLogger(__name__)


class DeliveryPump:
    POLL = 0.25  # seconds between looks when nobody woke the pump (one indexed query)
    STEP = 0.05  # how often a sleeping thread checks whether it was woken or stopped

    def __init__(self, runtime: Runtime, process_oldest: Callable[[], bool], pause: Callable[[], None]):
        self._runtime = runtime
        self._process_oldest = process_oldest  # True if there was one
        self._pause = pause  # let arriving webhooks go first (AcknowledgementsFirst)
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def wake(self) -> None:
        self._wake.set()

    def start(self, threads: int = 1) -> None:
        self._stopping.clear()
        self._threads = [
            threading.Thread(target=self._loop, name=f"delivery-pump-{n}", daemon=True) for n in range(threads)
        ]
        if self._runtime.db.is_sqlite:
            checkpoints = threading.Thread(target=self._keep_the_log_short, name="sqlite-checkpoint", daemon=True)
            self._threads.append(checkpoints)
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop after the delivery in hand (its transaction either commits or rolls back)."""
        self._stopping.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout=30)
        self._threads = []

    def has_pending(self) -> bool:
        with self._runtime.db.read() as session:
            return bool(deliveries.unstarted(session.connection(), limit=1))

    def run_pending(self, *, pause: bool = False) -> int:
        """Process every delivery stored and never tried, oldest first; returns how many."""
        ran = 0
        while not self._stopping.is_set():
            if pause:
                self._pause()
            if not self._process_oldest():
                break
            ran += 1
        return ran

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._sleep(self.POLL, until=self._wake)
            self._wake.clear()
            try:
                self.run_pending(pause=True)
            except Exception:  # the database is away: look again after a pause, never die
                log.exception("delivery pump: looking for stored deliveries failed")
                self._sleep(self.POLL)

    def _keep_the_log_short(self) -> None:
        while not self._stopping.is_set():
            self._sleep(self.POLL)
            try:
                self._runtime.db.checkpoint()
            except Exception:  # busy or away: the next tick tries again
                log.warning("delivery pump: checkpoint failed", exc_info=True)

    def _sleep(self, seconds: float, until: threading.Event | None = None) -> None:
        """Sleep in short steps, ending early on stop (or on `until`).

        Steps of time.sleep rather than Event.wait(timeout), as Huey's own consumer
        polls: a timed wait on a condition never times out when the clock has been
        moved (libfaketime, which CI uses to run the suite at other dates).
        """
        deadline = time.monotonic() + seconds
        while not self._stopping.is_set() and not (until is not None and until.is_set()):
            left = deadline - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(self.STEP, left))
