"""The immutable snapshot the controller hands to every view once per tick."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from adamgui.core.inspect import StepDetail
from adamgui.core.surfaces import Surface


@dataclass(frozen=True)
class RunFrame:
    """One run at the current step. ``path`` and ``losses`` are read-only views of its history."""

    index: int
    label: str
    optimizer: str
    color: str
    visible: bool
    path: np.ndarray
    losses: np.ndarray
    status: str
    status_text: str
    detail: StepDetail | None = None  # the last step shown: what moved it here

    @property
    def position(self) -> np.ndarray:
        return self.path[-1]

    @property
    def loss(self) -> float:
        return float(self.losses[-1])


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
