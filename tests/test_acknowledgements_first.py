"""The embedded worker gives way to a burst of webhooks, not to a steady trickle (issue 23).

A fake monotonic clock and sleep: no wall-clock time passes and none is asserted.
"""

from __future__ import annotations

from saleor_cs_app.jobs.queue import AcknowledgementsFirst


class FakeTime:
    def __init__(self):
        self.now = 1000.0
        self.slept: list[float] = []
        self.during_sleep = None  # called with the seconds slept: arrivals that keep coming

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if self.during_sleep is not None:
            self.during_sleep(seconds)
        self.now += seconds


def arrivals(gate: AcknowledgementsFirst, time_: FakeTime, count: int, gap: float) -> None:
    for _ in range(count):
        time_.now += gap
        gate.arrived()


def test_a_steady_fifty_a_second_never_holds_a_task_back():
    time_ = FakeTime()
    gate = AcknowledgementsFirst(clock=time_.clock, sleep=time_.sleep)
    arrivals(gate, time_, 500, 0.02)
    time_.now += 0.001  # a task is ready right after a delivery arrived
    gate.wait_for_a_pause()
    assert time_.slept == []


def test_a_burst_holds_a_task_until_a_quiet_moment():
    time_ = FakeTime()
    gate = AcknowledgementsFirst(clock=time_.clock, sleep=time_.sleep)
    arrivals(gate, time_, 200, 0.001)  # 1,000 a second
    last = time_.now
    gate.wait_for_a_pause()
    assert time_.slept, "the task waited"
    assert time_.now - last >= AcknowledgementsFirst.QUIET
    assert time_.now - last < AcknowledgementsFirst.QUIET + 0.01, "and no longer than the quiet it needs"


def test_a_flood_holds_a_task_no_longer_than_max_wait():
    time_ = FakeTime()
    gate = AcknowledgementsFirst(clock=time_.clock, sleep=time_.sleep)
    arrivals(gate, time_, 200, 0.001)
    started = time_.now

    def keep_coming(seconds):
        arrivals(gate, time_, max(1, int(seconds / 0.001)), 0.001)
        time_.now -= max(1, int(seconds / 0.001)) * 0.001  # sleep() adds the time itself

    time_.during_sleep = keep_coming
    gate.wait_for_a_pause()
    waited = time_.now - started
    assert AcknowledgementsFirst.MAX_WAIT <= waited < AcknowledgementsFirst.MAX_WAIT + 0.1
