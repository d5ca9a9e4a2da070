"""The immutable snapshot the controller hands to every view once per tick."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from adamgui.core.geometry import Drawn
from adamgui.core.schedules import Schedule
from adamgui.core.step_detail import StepDetail
from adamgui.core.surfaces import Surface


@dataclass(frozen=True)
class RunFrame:
    """One run at the shown step. ``path`` is a read-only view of its history, ``loss`` f at its end.

    ``detail`` is the step that brought it here, for the inspected run (or every run, when asked).
    ``drawn`` is its trail as the views draw it, clipped once for all of them (None: hidden).
    ``facts`` are (quantity, value, second value or "") rows the inspector shows for a run it has no rule's step
    for: a network's run on the Network dock's slice (its losses, where it is on the plane, how far off it).
    """

    index: int
    serial: int  # same serial, same growing history (views cache per serial)
    key: int  # the run's identity in the scene, for life
    label: str
    optimizer: str
    color: str
    visible: bool
    path: np.ndarray
    loss: float
    status: str
    status_text: str
    detail: StepDetail | None = field(default=None, repr=False, compare=False)
    schedule: Schedule | None = None  # the learning-rate schedule, if any
    lr_log: tuple[tuple[int, float], ...] = ()  # (first step using it, base learning rate), in order
    drawn: Drawn | None = field(default=None, repr=False, compare=False)
    facts: tuple[tuple[str, str, str], ...] = field(default=(), repr=False, compare=False)

    def learning_rates(self, steps: np.ndarray) -> np.ndarray:
        """α_t at each of ``steps`` (from 1): the base rate in force then, through the schedule."""
        if not self.lr_log:
            return np.full(len(steps), np.nan)
        firsts = np.array([first for first, _ in self.lr_log])
        bases = np.array([lr for _, lr in self.lr_log], dtype=float)
        base = bases[np.searchsorted(firsts, steps, side="right") - 1]
        if self.schedule is None:
            return base
        return np.array([self.schedule.lr(b, int(t)) for b, t in zip(base, steps, strict=True)])

    @property
    def position(self) -> np.ndarray:
        return self.path[-1]


ARROW_KINDS = ("gradient", "full", "momentum", "step")  # the arrows the contour view can draw at a step


@dataclass(frozen=True)
class ViewSettings:
    """How the views show the scene, one value: owned by the controller, carried on every Frame, read by the views
    and the exports (a picture drawn off screen shows what the window shows without copying anything by hand)."""

    inspected: int = 0  # the key of the run the Step inspector shows: its arrows and curvature are drawn
    arrows: frozenset[str] = frozenset(ARROW_KINDS)  # which arrows are drawn
    arrows_for_all: bool = False  # arrows for every run, not only the inspected one
    curvature: bool = False  # the Hessian's axes and Newton's step, and the inspector's curvature rows
    follow: bool = False  # widen the drawn domain to keep the runs in sight
    equal_scale: bool = True  # one unit of x as long as one of y in the contour view
    zoom: float = 1.0  # line widths, markers and text, for a projector


@dataclass(frozen=True)
class Frame:
    """``step`` is the step shown; ``newest`` the latest computed (they differ while scrubbing)."""

    step: int
    newest: int
    step_limit: int
    surface: Surface
    start: tuple[float, float]
    runs: tuple[RunFrame, ...]
    noise: float = 0.0
    live: bool = False  # emitted while playing: text views may skip it; a frame at pause follows
    view: ViewSettings = ViewSettings()  # how to show it


class Throttle:
    """Lets text-heavy views refresh at most every ``interval`` seconds while playing."""

    def __init__(self, interval: float):
        self.interval = interval
        self.last = -1e9

    def due(self, frame: Frame) -> bool:
        now = time.perf_counter()
        if frame.live and now - self.last < self.interval:
            return False
        self.last = now
        return True
