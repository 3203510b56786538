"""Queued work wakes a worker at once (issue 23): no idle worker waits out a polling interval.

Each test makes the fallback poll far longer than the test may take, so the work can
only arrive through the wake: in-process (the embedded SQLite queue), across
connections (Redis), and at a deadline's time (the deadline alarm, on the test clock).
No wall-clock latency is asserted.
"""

from __future__ import annotations

import threading

import pytest
from huey.api import Huey
from huey.consumer import Worker

from saleor_cs_app.jobs.queue import _SqliteQueueStorage, make_huey
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.settings import Settings
from tests.conftest import TEST_REDIS_URL
from tests.flows import incidents, outbox

NEVER = 3600.0  # a fallback poll no test waits for
SAFETY = 30  # seconds before a broken wake fails the test instead of hanging it


def _dequeue_in_a_thread(storage) -> tuple[threading.Thread, list]:
    got: list = []
    thread = threading.Thread(target=lambda: got.append(storage.dequeue()), daemon=True)
    thread.start()
    return thread, got


@pytest.fixture
def embedded_huey(tmp_path):
    huey = Huey("wake-test", storage_class=_SqliteQueueStorage, filename=str(tmp_path / "q.db"), utc=True)
    huey.storage.FALLBACK_POLL = NEVER
    return huey


def test_an_idle_embedded_worker_is_woken_by_an_enqueue_in_its_process(embedded_huey):
    storage = embedded_huey.storage
    thread, got = _dequeue_in_a_thread(storage)
    # The worker is waiting (no task yet): it has read the empty table and cleared the signal.
    assert not got
    storage.enqueue(b"the task")
    thread.join(SAFETY)
    assert got == [b"the task"], "the enqueue woke the waiting worker; it did not wait for the fallback poll"


def test_a_wake_between_the_read_and_the_wait_is_not_lost(embedded_huey):
    storage = embedded_huey.storage
    real_dequeue = _SqliteQueueStorage.__mro__[1].dequeue
    calls = []

    def read_then_enqueue(self):
        data = real_dequeue(self)
        calls.append(data)
        if len(calls) == 1:
            storage.enqueue(b"raced")  # lands after the empty read, before the wait
        return data

    _SqliteQueueStorage.__mro__[1].dequeue, saved = read_then_enqueue, real_dequeue
    try:
        thread, got = _dequeue_in_a_thread(storage)
        thread.join(SAFETY)
    finally:
        _SqliteQueueStorage.__mro__[1].dequeue = saved
    assert got == [b"raced"] and calls == [None, b"raced"]


@pytest.mark.parametrize("redis", [False, True] if TEST_REDIS_URL else [False])
def test_huey_workers_never_back_off_on_our_queues(tmp_path, redis, monkeypatch):
    """Huey's worker sleeps (up to 10 s, growing) after an empty read only on a non-blocking storage."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/app.db",
        secret_key="k" * 32,
        app_url="http://127.0.0.1:1",
        redis_url=TEST_REDIS_URL if redis else None,
    )
    huey = make_huey(Runtime.build(settings))
    assert huey.storage.blocking
    huey.storage.read_timeout = 0.01  # Redis: a short empty BRPOP
    monkeypatch.setattr(type(huey.storage), "FALLBACK_POLL", 0.01, raising=False)
    if redis:
        huey.flush()
    slept = []
    worker = Worker(huey, threading.Event(), default_delay=0.1, max_delay=10.0, backoff=1.15)
    monkeypatch.setattr(worker, "sleep", lambda: slept.append(True))
    worker.loop()  # an empty queue
    assert slept == []


@pytest.mark.skipif(not TEST_REDIS_URL, reason="needs TEST_REDIS_URL")
def test_a_redis_worker_is_woken_by_an_enqueue_from_another_connection(tmp_path):
    def redis_huey():
        settings = Settings(
            database_url=f"sqlite:///{tmp_path}/app.db",
            secret_key="k" * 32,
            app_url="http://127.0.0.1:1",
            redis_url=TEST_REDIS_URL,
        )
        return make_huey(Runtime.build(settings))

    worker_side, web_side = redis_huey(), redis_huey()  # two connection pools, as two processes have
    worker_side.flush()
    worker_side.storage.read_timeout = 0  # BRPOP with no timeout: only an enqueue ends it
    thread, got = _dequeue_in_a_thread(worker_side.storage)
    web_side.storage.enqueue(b"from the web process")
    thread.join(SAFETY)
    assert got == [b"from the web process"]


def test_a_passed_deadline_rings_once_and_its_incident_opens_without_the_minute_sweep(installed, runtime, clock, mail):
    order = installed.add_order()
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    runtime.jobs.drain()
    alarm = runtime.jobs.deadline_alarm
    assert alarm.check() is False, "the ship-by has not passed"
    assert runtime.jobs.huey.pending_count() == 0

    clock.advance(days=10)
    assert alarm.check() is True
    assert alarm.check() is False, "one ring per passed deadline"
    (queued,) = [runtime.jobs.huey.dequeue()]
    assert queued.name == "open_due"
    runtime.jobs.huey.execute(queued)
    runtime.jobs.drain()  # the incident's own tasks: decide, give, e-mail

    (incident,) = incidents(runtime)
    assert (incident.kind, incident.state) == ("late_shipment", "notified")
    assert len(outbox(runtime)) == 1 and len(mail.messages) == 1
    assert alarm.check() is False, "its deadline is gone"
