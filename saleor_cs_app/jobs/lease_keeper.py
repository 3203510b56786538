"""Renews the leases this process holds, so a lease outlives a slow step but not a dead worker.

A step's length depends on Saleor (a query may wait 3 × the client timeout), so no fixed lease fits
every step: one long enough for the slowest makes a SIGKILLed worker's incident wait minutes. Instead a
lease is short (LEASE) and renewed every RENEW_EVERY while the step runs; when the process dies the
renewals stop and the lease runs out within LEASE, after which the sweep hands the step to another worker.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from sqlalchemy import update

from saleor_cs_app.runtime import Runtime

log = logging.getLogger(__name__)

# Renewals run in a thread of a busy process (a GIL shared with the steps, two cores shared with the
# database): three renewal periods of slack before a live holder could lose its lease.
RENEW_EVERY = 5.0  # seconds
LEASE = timedelta(seconds=20)
# A queued task starts within seconds (measured: 60 late orders at once, two workers of four threads);
# after this long without a start, it is taken for lost. A longer backlog only queues a duplicate, a no-op.
PICKUP = timedelta(seconds=30)


def holder() -> str:
    """This process, as a lease names it (read per call: a forked web worker is another process)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


class LeaseKeeper:
    """One per process and table; a renewal thread runs while this process holds at least one lease.

    A lease is dropped from renewal once its row no longer names this process as the holder."""

    STEP = 0.05  # time.sleep steps, not a timed wait: those never time out under libfaketime

    def __init__(self, runtime: Runtime, model):
        self._runtime = runtime
        self._model = model
        self._held: set = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def hold(self, row_id) -> None:
        with self._lock:
            self._held.add(row_id)
            if self._thread is None:
                self._thread = threading.Thread(target=self._renew_while_held, name="lease-keeper", daemon=True)
                self._thread.start()

    def _renew_while_held(self) -> None:
        while True:
            self._sleep(RENEW_EVERY)
            with self._lock:
                held = sorted(self._held)
                if not held:
                    self._thread = None
                    return
            try:
                still_held = self._renew(held)
            except Exception:  # the database is away: the next period tries again, within the lease
                log.warning("lease renewal failed", exc_info=True)
                continue
            with self._lock:
                # A lease the step let go of (finished, failed, released for a retry) or another worker
                # took over after this one stalled is no longer renewed: no release call to forget.
                self._held -= set(held) - still_held

    def _renew(self, held: list) -> set:
        model = self._model
        with self._runtime.db.transaction() as session:
            renewed = session.scalars(
                update(model)
                .where(model.id.in_(held), model.lease_holder == holder())
                .values(lease_until=self._runtime.clock() + LEASE)
                .returning(model.id)
                .execution_options(synchronize_session=False)
            )
            return set(renewed)

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            time.sleep(min(self.STEP, left))
