"""Open an incident the moment its deadline passes, not at the next minute's sweep.

The sweep runs once a minute (jobs/tasks.py), so a ship-by that passed waited
up to a minute for its apology. The alarm looks at the first entry of the
deadlines' due_at index every LOOK seconds (one indexed read, every process
that runs workers) and, once that deadline has passed, queues `open_due`,
which opens the due incidents and nothing else; the minute's sweep stays as
the fallback (and does the rest of its rounds: lost work, DHL, uncertain sends).
Each passed deadline rings once per process: two processes may both queue
`open_due`, and the sweep's claim (SKIP LOCKED, then delete) lets one of them
handle it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store import orders

log = logging.getLogger(__name__)


class DeadlineAlarm:
    LOOK = 0.5  # seconds between looks at the earliest deadline
    STEP = 0.05  # how often a sleeping thread checks whether it was stopped

    def __init__(self, runtime: Runtime, ring: Callable[[], None]):
        self._runtime = runtime
        self._ring = ring  # queue the opening of due deadlines
        self._rung_for: datetime | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> bool:
        """Ring if the earliest deadline has passed and was not rung for yet; True if it rang."""
        with self._runtime.db.read() as session:
            due = orders.next_due_at(session)
        if due is None or due > self._runtime.clock() or due == self._rung_for:
            # Not rung twice for one deadline: if its opening fails, it waits for the minute's sweep.
            return False
        self._rung_for = due
        self._ring()
        return True

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._loop, name="deadline-alarm", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self.check()
            except Exception:  # the database is away: the next look tries again
                log.warning("deadline alarm: looking at the earliest deadline failed", exc_info=True)
            # Steps of time.sleep, not Event.wait(timeout): see DeliveryPump._sleep.
            deadline = time.monotonic() + self.LOOK
            while not self._stopping.is_set() and (left := deadline - time.monotonic()) > 0:
                time.sleep(min(self.STEP, left))
