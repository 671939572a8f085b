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


def test_a_wake_up_is_worked_out_on_the_gui_thread(qtbot) -> None:
    import threading

    seen: list[str] = []

    def clock() -> float:
        seen.append(threading.current_thread().name)  # the tick reads the clock where it does its work
        return 0.0

    waker = Waker(minutes=0.002, wall_clock=clock)  # a tick every 0.12 s
    try:
        waker.start()
        with qtbot.waitSignal(waker.tick, timeout=5000):
            pass
    finally:
        waker.stop()
    assert seen and set(seen) == {threading.main_thread().name}
