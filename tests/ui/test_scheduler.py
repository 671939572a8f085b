"""The Waker: a tick is only a wake-up; a jump of the wall clock (sleep, clock change) is noticed."""

from __future__ import annotations

from netjournal.scheduler import Waker


def test_a_late_tick_after_sleep_signals_resumed(qtbot) -> None:
    clock = [1_000_000.0]
    waker = Waker(minutes=5, wall_clock=lambda: clock[0])
    ticks: list[int] = []
    resumed: list[float] = []
    waker.tick.connect(lambda: ticks.append(1))
    waker.resumed.connect(resumed.append)
    waker._on_tick()
    clock[0] += 5 * 60 + 3  # an ordinary tick, a little late
    waker._on_tick()
    assert resumed == []
    clock[0] += 3 * 3600  # the laptop slept for three hours
    waker._on_tick()
    assert len(resumed) == 1 and resumed[0] > 2 * 3600
    clock[0] -= 3600  # the clock was set back an hour
    waker._on_tick()
    assert len(resumed) == 2 and len(ticks) == 4


def test_daily_wake_up_is_replaced_not_added(qtbot) -> None:
    waker = Waker()
    waker.start()
    try:
        waker.set_daily(10, 0)
        waker.set_daily(9, 30)
        jobs = {j.id: j for j in waker.scheduler.get_jobs()}
        assert set(jobs) == {"tick", "daily"}
        assert jobs["daily"].trigger.fields[5].expressions[0].first == 9  # hour
        assert jobs["daily"].misfire_grace_time is None and jobs["daily"].coalesce
    finally:
        waker.stop()
