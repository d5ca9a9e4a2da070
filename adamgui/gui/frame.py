"""The immutable snapshot the controller hands to every view once per tick."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from adamgui.core.inspect import StepDetail
from adamgui.core.surfaces import Surface


@dataclass(frozen=True)
class RunFrame:
    """One run at the shown step. ``path`` is a read-only view of its history, ``loss`` f at its end."""

    index: int
    key: int  # the run's serial number: same key, same growing history
    label: str
    optimizer: str
    color: str
    visible: bool
    path: np.ndarray
    loss: float
    status: str
    status_text: str
    explain: Callable[[], StepDetail | None] = field(default=lambda: None, repr=False, compare=False)

    @cached_property
    def detail(self) -> StepDetail | None:
        """The last step shown, every quantity of it (what moved the run here); computed when asked."""
        return self.explain()

    @property
    def position(self) -> np.ndarray:
        return self.path[-1]


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
