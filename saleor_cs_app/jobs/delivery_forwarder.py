"""Scale-out mode: hand stored deliveries to the Redis queue off the request thread.

The acknowledgement's one durable write is the delivery row; putting its id on
the Redis queue is only how a worker hears of it, so it need not hold up Saleor's
2xx. A background thread takes the ids in batches, one LPUSH per batch. If
Redis is away the ids wait here and are pushed when it is back; if the process
dies first, the sweep re-offers every delivery left `received` for a few
minutes (jobs/sweep.py), so none is lost, only later.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable

log = logging.getLogger(__name__)

_forwarders: weakref.WeakSet = weakref.WeakSet()


@atexit.register
def _flush_all_at_exit() -> None:
    for forwarder in list(_forwarders):
        try:
            forwarder.flush()
        except Exception:  # at exit: the sweep re-offers what is left
            pass


class DeliveryForwarder:
    RETRY_AFTER = 1.0  # seconds, after a failed push
    IDLE_EXIT = 10.0  # seconds without work before the thread ends (the next hand-off starts one)
    MAX_WAITING = 100_000  # beyond this, ids are dropped here and left to the sweep

    def __init__(self, push: Callable[[list[int]], None]):
        self._push = push
        self._waiting: list[int] = []
        self._lock = threading.Lock()  # guards _waiting
        self._pushing = threading.Lock()  # one push at a time keeps the queue in arrival order
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._thread_pid: int | None = None
        _forwarders.add(self)

    def hand_off(self, delivery_id: int) -> None:
        with self._lock:
            if len(self._waiting) < self.MAX_WAITING:
                self._waiting.append(delivery_id)
            if self._thread is None or self._thread_pid != os.getpid():  # none yet, or we were forked
                self._thread_pid = os.getpid()
                self._thread = threading.Thread(target=self._loop, name="delivery-forwarder", daemon=True)
                self._thread.start()
        self._wake.set()

    def flush(self) -> int:
        """Push what is waiting now; raises (keeping the ids) if the queue cannot take them."""
        with self._pushing:
            with self._lock:
                batch, self._waiting = self._waiting, []
            if not batch:
                return 0
            try:
                self._push(batch)
            except BaseException:
                with self._lock:
                    self._waiting[:0] = batch
                raise
            return len(batch)

    def idle(self) -> bool:
        """Nothing waiting and no push under way (a push in flight is waited for)."""
        with self._pushing, self._lock:
            return not self._waiting

    def _loop(self) -> None:
        while True:
            if not self._wake.wait(self.IDLE_EXIT):
                with self._lock:
                    if not self._waiting:
                        self._thread = None
                        return
            self._wake.clear()
            try:
                self.flush()
            except Exception:
                log.warning("the queue did not take the stored deliveries; trying again", exc_info=True)
                time.sleep(self.RETRY_AFTER)
                self._wake.set()
