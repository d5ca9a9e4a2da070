"""Every quantity of one past step of a run, recomputed exactly from its history.

The run keeps its optimizer state every ``CHECKPOINT_EVERY`` steps and, per step,
the position and the gradient it used (noise included). Replaying the update rule
from the nearest checkpoint gives back that step's quantities bit for bit, at a
cost of at most ``CHECKPOINT_EVERY`` updates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from adamgui.core.curvature import Curvature, curvature_at
from adamgui.core.simulation import Run
from adamgui.core.surfaces import Surface


@dataclass(frozen=True)
class StepDetail:
    """Step ``step`` of point ``i``: from ``theta_prev`` with gradient ``grad`` to ``theta``."""

    step: int
    hp: dict
    theta_prev: np.ndarray
    grad: np.ndarray
    terms: dict
    delta: np.ndarray
    theta: np.ndarray
    full_grad: np.ndarray | None = None  # the exact gradient at theta_prev, when the one used was not
    gradient_kind: str = "exact"  # "exact", "noise", "minibatch" or "minibatch + noise"
    surface: Surface | None = field(default=None, repr=False, compare=False)  # for the curvature, when asked

    @property
    def curvature(self) -> Curvature | None:
        """The Hessian at theta_prev, its eigen-axes and Newton's step from there: computed when first
        asked (the curvature view), so stepping never needs second derivatives (or sympy) otherwise; kept once
        known (not while the window is still building a formula's second derivatives)."""
        if "_curvature" in self.__dict__:
            return self.__dict__["_curvature"]
        if self.surface is None:
            return None
        found = curvature_at(self.surface, self.theta_prev, self.grad if self.full_grad is None else self.full_grad)
        if found is not None or self.surface.hessian_ready():
            self.__dict__["_curvature"] = found  # (a frozen dataclass: its fields, not this cache, are fixed)
        return found

    @property
    def curvature_pending(self) -> bool:
        """True while the curvature here waits for a formula's second derivatives being built."""
        return self.surface is not None and not self.surface.hessian_ready()


def _pick(value, i: int):
    return value[i].copy() if isinstance(value, np.ndarray) else value


def inspect_step(run: Run, step: int, i: int = 0) -> StepDetail | None:
    """The detail of step ``step`` (1-based) of point ``i``; None for step 0 or past its end."""
    if run.history is None or step < 1 or step > run.end_step(i):
        return None
    h = run.history
    if step == run.t:
        terms = run.last_terms
    else:
        base = max(c for c in run.checkpoints if c <= step - 1)
        state = run.checkpoints[base]  # (a fresh copy)
        for j in range(base + 1, step + 1):
            _, terms = run.apply_rule(run.grad_used(j).copy(), h.positions[j - 1], state, run.hp_used(j))
    theta_prev, grad = h.positions[step - 1, i].copy(), run.grad_used(step)[i].copy()
    full_grad, kind = _full_gradient(run, theta_prev)
    return StepDetail(
        step,
        dict(run.hp_used(step)),
        theta_prev,
        grad,
        {k: _pick(v, i) for k, v in terms.items()},
        h.positions[step, i] - h.positions[step - 1, i],
        h.positions[step, i].copy(),
        full_grad,
        kind,
        run.surface,
    )


def _full_gradient(run: Run, theta_prev: np.ndarray) -> tuple[np.ndarray | None, str]:
    kind = " + ".join(k for k, on in (("minibatch", run.batches is not None), ("noise", bool(run.noise))) if on)
    if not kind:
        return None, "exact"
    with np.errstate(all="ignore"):
        return run.surface.gradient(theta_prev[None])[0], kind
