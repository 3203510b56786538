"""Embedded mode: process stored deliveries straight from their table.

The acknowledgement writes the delivery row and nothing else; the row is the
queue. The web thread only wakes the pump, which also looks by itself every
POLL seconds, so a delivery stored by another process on the same SQLite file,
or left over from a crash, is picked up too. Beside it, a second thread keeps
SQLite's write-ahead log short (Database.checkpoint), also during a long burst. A failed delivery leaves this path:
its retry is scheduled on the task queue with backoff (jobs/tasks.py).
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
    POLL = 1.0  # seconds between looks when nobody woke the pump
    STEP = 0.05  # how often a sleeping thread checks whether it was woken or stopped
    BATCH = 200

    def __init__(self, runtime: Runtime, process: Callable[[int], None], pause: Callable[[], None]):
        self._runtime = runtime
        self._process = process
        self._pause = pause  # let arriving webhooks go first (AcknowledgementsFirst)
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._running = threading.Lock()  # the thread and drain() never process side by side
        self._threads: list[threading.Thread] = []

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._stopping.clear()
        self._threads = [
            threading.Thread(target=self._loop, name="delivery-pump", daemon=True),
            threading.Thread(target=self._keep_the_log_short, name="sqlite-checkpoint", daemon=True),
        ]
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
        with self._running:
            while not self._stopping.is_set():
                with self._runtime.db.read() as session:
                    batch = deliveries.unstarted(session.connection(), limit=self.BATCH)
                if not batch:
                    return ran
                for delivery_id in batch:
                    if self._stopping.is_set():
                        break
                    if pause:
                        self._pause()
                    self._process(delivery_id)
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
