"""Fast-forward's pacing, with a clock the test moves: the views come first, stepping gets what is left."""

import pytest

from adamgui.core.pace import FLOOR_S, FRAME_S, SEGMENTS_PER_FRAME, Pace


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def _frames(pace, clock, frames, step_s, draw_s, idle_until=None):
    """Play ``frames`` frames: each takes the steps asked for at ``step_s`` each, then the views draw for
    ``draw_s``; a frame timer of ``idle_until`` seconds waits out the rest. Returns the steps of each frame."""
    taken = []
    for _ in range(frames):
        start = clock.now
        n = pace.due()
        clock.now += n * step_s
        pace.stepped(n)
        clock.now += draw_s
        if idle_until is not None and clock.now - start < idle_until:
            clock.now = start + idle_until
        taken.append(n)
    return taken


@pytest.mark.parametrize("draw_s", [0.002, 0.008, 0.012, 0.020, 0.050])
@pytest.mark.parametrize("step_s", [2e-6, 5e-5, 4e-4])
def test_stepping_never_takes_more_than_what_the_views_leave_of_a_frame(step_s, draw_s):
    clock = Clock()
    pace = Pace(10_000, clock)
    taken = _frames(pace, clock, 200, step_s, draw_s, idle_until=0.016)
    budget = max(FRAME_S - draw_s, FLOOR_S)
    for n in taken[1:]:  # (the first frame takes one step, to measure what a step costs)
        assert n * step_s <= budget + step_s
    if step_s * 10_000 * 0.016 < budget * 0.8:
        assert taken[-1] >= int(10_000 * 0.016) - 1  # room enough: the speed asked for, a frame's worth


def test_a_slow_frame_is_not_made_up_by_a_burst():
    clock = Clock()
    pace = Pace(1000, clock)
    _frames(pace, clock, 30, 1e-5, 0.002, idle_until=0.016)
    clock.now += 2.0  # the window was dragged: two seconds without a frame
    n = pace.due()
    assert n <= 1000 * FRAME_S + 1  # one frame's worth, not two seconds' (2,000 steps)


def test_the_speed_reached_is_what_was_stepped_over_the_last_second():
    clock = Clock()
    pace = Pace(10_000, clock)
    assert pace.reached() is None
    taken = _frames(pace, clock, 120, 4e-4, 0.010, idle_until=0.016)  # a slow engine: few steps fit
    reached = pace.reached()
    assert reached is not None and reached < 10_000 * 0.5
    frame_s = max(0.016, FRAME_S)
    assert reached == pytest.approx(sum(taken[-60:]) / (60 * frame_s), rel=0.15)


def test_below_the_budget_the_speed_asked_for_is_kept():
    clock = Clock()
    pace = Pace(300, clock)
    taken = _frames(pace, clock, 300, 1e-5, 0.002, idle_until=1 / 60)
    assert sum(taken[-60:]) == pytest.approx(300, abs=6)  # a second of frames: 300 steps


@pytest.mark.parametrize("runs", [1, 3, 20, 1000])
def test_a_frame_never_gives_the_views_more_new_segments_than_they_can_draw(runs):
    """Compiled stepping is so cheap that the time budget alone would hand the views thousands of new segments a
    frame; a frame takes at most SEGMENTS_PER_FRAME // runs steps (one at least), and the speed reached says so."""
    clock = Clock()
    pace = Pace(10_000, clock, runs=runs)
    taken = _frames(pace, clock, 120, 1e-7, 0.030)  # slow views, very cheap steps: the 4 ms floor is 40,000 steps
    cap = max(1, SEGMENTS_PER_FRAME // runs)
    assert max(taken) <= cap
    if cap < 10_000 * FRAME_S:  # fewer than the speed asks for: the cap is what is taken, and said
        assert taken[-1] == cap and pace.reached() < 10_000
