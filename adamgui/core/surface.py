"""What a loss surface is: f, its exact gradient and Hessian, a plotting domain, minima, a default start, and an
optional feasible box every step is projected onto."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from adamgui.core.expression import (  # sympy on the first compile only
    FormulaError,
    formula_hessian,
    hessian_pending,
)
from adamgui.core.limits import MAX_DOMAIN_COORD, MAX_DOMAIN_WIDTH, MIN_DOMAIN_WIDTH
from adamgui.core.params import ParamError

Field = Callable[[np.ndarray, np.ndarray], np.ndarray]
Gradient = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Surface:
    """A 2D loss surface f(x, y) with its exact gradient and where to look at it."""

    name: str
    title: str
    formula: str
    f: Field
    grad: Gradient
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    start: tuple[float, float]
    minima: tuple[tuple[float, float], ...] = ()
    description: str = ""
    axes: tuple[str, str] = ("x", "y")  # what the two coordinates are (a model's parameters: w, b)
    model: object = None  # a model loss (core/models.py): its data and fit, for the data panel
    hess: Callable | None = None  # (x, y) -> (f_xx, f_xy, f_yy), written out (the built-ins); else sympy's
    box: tuple[tuple[float, float], tuple[float, float]] | None = None  # the feasible set: every step projected onto it

    def project(self, points: np.ndarray) -> np.ndarray:
        """The nearest points of the feasible box (each coordinate clipped to its interval); the points as they
        are without a box."""
        if self.box is None:
            return points
        (x0, x1), (y0, y1) = self.box
        out = np.empty_like(points)
        np.clip(points[..., 0], x0, x1, out=out[..., 0])
        np.clip(points[..., 1], y0, y1, out=out[..., 1])
        return out

    def feasible_gradient(self, points: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The gradient ``g`` at ``points`` less what pushes out of the box where a point lies on its wall: zero
        at a constrained minimum (where the projected step is zero too), the gradient itself inside."""
        if self.box is None:
            return g
        out = g.copy()
        for axis, (low, high) in enumerate(self.box):
            at_low = (points[..., axis] <= low) & (g[..., axis] > 0)  # descent would leave through the low wall
            at_high = (points[..., axis] >= high) & (g[..., axis] < 0)
            out[..., axis] = np.where(at_low | at_high, 0.0, g[..., axis])
        return out

    def value(self, points: np.ndarray) -> np.ndarray:
        """f at an ``(N, 2)`` batch of points, shape ``(N,)``."""
        return self.f(points[..., 0], points[..., 1])

    def gradient(self, points: np.ndarray) -> np.ndarray:
        """∇f at an ``(N, 2)`` batch of points, shape ``(N, 2)``."""
        gx, gy = self.grad(points[..., 0], points[..., 1])
        out = np.empty(np.shape(points), dtype=float)
        out[..., 0] = gx
        out[..., 1] = gy
        return out

    def hessian_ready(self) -> bool:
        """True unless this is a formula whose second derivatives are still being built elsewhere (the window
        builds them off its own thread; until then :meth:`hessian` gives NaN)."""
        return self.model is not None or self.hess is not None or not hessian_pending(self.formula)

    def hessian(self, points: np.ndarray) -> np.ndarray:
        """The exact Hessian at an ``(N, 2)`` batch of points, shape ``(N, 2, 2)``: a model's own, a
        built-in's written out, else the second derivatives of the formula (sympy, on first use)."""
        x, y = points[..., 0], points[..., 1]
        with np.errstate(all="ignore"):
            if self.model is not None:
                hxx, hxy, hyy = self.model.hessian(x, y)
            elif self.hess is not None:
                hxx, hxy, hyy = self.hess(x, y)
            else:
                try:
                    hxx, hxy, hyy = formula_hessian(self.formula)(x, y)
                except FormulaError:  # too large to build: no curvature to show (the views say so)
                    hxx = hxy = hyy = np.full(np.shape(x), np.nan)
        out = np.empty(np.shape(points)[:-1] + (2, 2), dtype=float)
        out[..., 0, 0] = hxx
        out[..., 0, 1] = out[..., 1, 0] = hxy
        out[..., 1, 1] = hyy
        return out

    def contains(self, points: np.ndarray) -> np.ndarray:
        """True where a point lies inside the plotting domain (borders included)."""
        x, y = points[..., 0], points[..., 1]
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        return (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)

    def grid(self, n: int = 160) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Axes ``xs`` (n,), ``ys`` (n,) and values ``z`` shaped ``(len(xs), len(ys))`` ('ij')."""
        xs = np.linspace(*self.x_range, n)
        ys = np.linspace(*self.y_range, n)
        gx, gy = np.meshgrid(xs, ys, indexing="ij")
        with np.errstate(all="ignore"):
            z = np.asarray(self.f(gx, gy), dtype=float) * np.ones_like(gx)
        return xs, ys, z


Range = tuple[float, float]


def check_range(axis: str, rng: Range) -> Range:
    """A plotting range as two finite floats, the first below the second, of a width the views can draw.

    The one rule for domains: the panel, the session reader and the command line all call it.
    """
    try:
        lo, hi = float(rng[0]), float(rng[1])
    except (TypeError, ValueError, IndexError, OverflowError):
        raise ParamError(f"Invalid {axis} range {rng!r} (expected two numbers)") from None
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo >= hi:
        raise ParamError(f"Invalid {axis} range [{lo:g}, {hi:g}] (need finite numbers, the first below the second)")
    if not MIN_DOMAIN_WIDTH <= hi - lo <= MAX_DOMAIN_WIDTH or max(abs(lo), abs(hi)) > MAX_DOMAIN_COORD:
        raise ParamError(
            f"Invalid {axis} range [{lo:g}, {hi:g}] (its width must be {MIN_DOMAIN_WIDTH:g} to "
            f"{MAX_DOMAIN_WIDTH:g}, its ends within ±{MAX_DOMAIN_COORD:g})"
        )
    return lo, hi


Box = tuple[tuple[float, float], tuple[float, float]]


def box_outline(surface: Surface, per_side: int = 64) -> np.ndarray:
    """The walls of ``surface``'s feasible box, as much of them as lies in its domain: (4·per_side + 1, 2) points
    round it (clipped to the domain), for the views to draw."""
    (x0, x1), (y0, y1) = surface.box
    (dx0, dx1), (dy0, dy1) = surface.x_range, surface.y_range
    x0, x1, y0, y1 = max(x0, dx0), min(x1, dx1), max(y0, dy0), min(y1, dy1)
    if x0 >= x1 or y0 >= y1:  # the box lies outside the drawn domain
        return np.zeros((0, 2))
    t = np.linspace(0.0, 1.0, per_side, endpoint=False)
    sides = [
        np.column_stack([x0 + (x1 - x0) * t, np.full(per_side, y0)]),
        np.column_stack([np.full(per_side, x1), y0 + (y1 - y0) * t]),
        np.column_stack([x1 - (x1 - x0) * t, np.full(per_side, y1)]),
        np.column_stack([np.full(per_side, x0), y1 - (y1 - y0) * t]),
    ]
    return np.concatenate([*sides, [[x0, y0]]])


def check_box(values) -> Box:
    """A feasible box from four numbers x0, x1, y0, y1 (each pair as a domain's range must be); ParamError naming
    the fault. The one rule for boxes: sessions and the command line call it."""
    try:
        x0, x1, y0, y1 = (float(v) for v in values)
    except (TypeError, ValueError, OverflowError):
        raise ParamError(f"Invalid box {values!r} (expected four numbers x0,x1,y0,y1)") from None
    return check_range("box x", (x0, x1)), check_range("box y", (y0, y1))


@lru_cache(maxsize=32)
def with_box(surface: Surface, box: Box) -> Surface:
    """``surface`` with its steps projected onto ``box`` (one object per pair: views know a surface by identity)."""
    return replace(surface, box=box)
