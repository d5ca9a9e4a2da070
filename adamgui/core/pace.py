"""How many steps a frame of fast-forward takes: the views come first, stepping gets what is left.

At a speed the display can show step by step (up to 60 a second) every frame takes one step. Past it, a
frame takes the steps its share of time asks for (speed x the time since the last frame, never more than
one frame's worth: a slow frame is not made up for by a bigger next one), and no more than fit in what
is left of the frame once the views have drawn the last one. The speed reached is measured and said
when it falls short of the speed asked.

The clock is a parameter, so the pacing is tested with a clock the test moves (no timing in tests).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

FRAME_S = 1 / 60  # a frame: what a 60 Hz display shows; stepping and drawing together should fit in it
FLOOR_S = 0.004  # stepping gets at least this much of a frame, however long the views take to draw
SEGMENTS_PER_FRAME = 300  # new trail segments a frame draws at most (steps x runs): each is drawn in both views,
# and with compiled stepping the floor's 4 ms alone can be thousands of steps. With 20 noisy runs a frame of 20
# steps took 30 ms to step and draw, one of 50 steps 39 ms, one of 100 steps 54 ms (this machine, 1600 x 940);
# at 500 a frame, 20 runs fell to 23 frames a second, at 300 they keep 40 (and 3 runs can still take 100 steps)
SMOOTHING = 0.3  # weight of the newest measurement of a step's cost and the views' time


class Pace:
    """Steps per frame at ``speed`` steps a second, within a frame budget.

    Per frame: :meth:`due` says how many steps to take now, the caller steps them and says
    :meth:`stepped`. The time between two frames less the stepping is what everything else took
    (the views drawing, other events, idle time while the frame timer waited); stepping gets
    ``FRAME_S`` less that (the last frame's, or the recent average if larger), at least
    ``FLOOR_S``. When the frame timer waits, stepping so grows until the frame is full, and when
    the views draw more slowly, it shrinks. Each step is a new segment of every trail for the views
    to draw: a frame takes at most ``SEGMENTS_PER_FRAME // runs`` steps.
    """

    def __init__(self, speed: float, clock: Callable[[], float] = time.perf_counter, runs: int = 1):
        self.clock = clock
        self.speed = float(speed)
        self.runs = runs  # trails drawn: a frame takes at most SEGMENTS_PER_FRAME // runs steps
        self.step_s: float | None = None  # seconds a step takes, smoothed
        self.other_s = 0.0  # seconds between frames that were not stepping, smoothed
        self.budget_s = FRAME_S  # what stepping may take this frame
        self._last: float | None = None  # when the last frame's stepping started
        self._started = 0.0  # when this frame's stepping started
        self._stepping_s = 0.0  # how long the last frame's stepping took
        self._carry = 0.0  # a fraction of a step owed to the next frame
        self._done: deque[tuple[float, int]] = deque()  # (when, steps) over the last second, for the speed reached

    def due(self) -> int:
        """How many steps this frame takes (at least one)."""
        now = self.clock()
        if self._last is None:  # the first frame: one step, to measure what a step costs
            self._last, self._started = now, now
            return 1
        elapsed = now - self._last
        self._last, self._started = now, now
        other = max(elapsed - self._stepping_s, 0.0)
        self.other_s += SMOOTHING * (other - self.other_s)
        # slower views take from stepping at once; faster ones give back gradually
        self.budget_s = max(FRAME_S - max(other, self.other_s), FLOOR_S)
        self._carry += self.speed * min(elapsed, FRAME_S)
        wanted = int(self._carry)
        self._carry -= wanted
        allowed = wanted if not self.step_s else int(self.budget_s / self.step_s)
        allowed = min(allowed, max(1, SEGMENTS_PER_FRAME // max(self.runs, 1)))
        if allowed < wanted:
            self._carry = 0.0  # what does not fit is not owed: the speed reached says so
        return max(1, min(wanted, allowed))

    def stepped(self, steps: int) -> None:
        """``steps`` were taken since :meth:`due`: what a step costs, and the speed reached."""
        now = self.clock()
        self._stepping_s = now - self._started
        if steps > 0:
            cost = self._stepping_s / steps
            self.step_s = cost if self.step_s is None else self.step_s + SMOOTHING * (cost - self.step_s)
        self._done.append((now, steps))
        while self._done and now - self._done[0][0] > 1.0:
            self._done.popleft()

    def reached(self) -> float | None:
        """Steps a second over the last second (None until a second has been measured)."""
        if len(self._done) < 2:
            return None
        span = self._done[-1][0] - self._done[0][0]
        if span < 0.9:
            return None
        return sum(steps for _, steps in list(self._done)[1:]) / span
