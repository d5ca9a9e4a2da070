""" "Follow the runs": the domain a view needs to keep every run in sight.

The view's domain is the scene's, scaled about its centre by a power of two, so each widening at
least doubles it (a handful of rebuilds take a run from the square to thousands of times farther)
and the surface keeps its proportions. It never shrinks while following, and never grows past
:data:`~adamgui.core.limits.FOLLOW_MAX_GROWTH` times the scene's domain or the widest domain the
views can draw; a run beyond that is drawn up to the border, as without following.
"""

from __future__ import annotations

import math

import numpy as np

from adamgui.core.limits import FOLLOW_MAX_GROWTH, MAX_DOMAIN_COORD, MAX_DOMAIN_WIDTH

Range = tuple[float, float]


def scaled(x_range: Range, y_range: Range, scale: float) -> tuple[Range, Range]:
    """Both ranges scaled by ``scale`` about their centres."""

    def one(lo: float, hi: float) -> Range:
        mid, half = (lo + hi) / 2, (hi - lo) / 2 * scale
        return mid - half, mid + half

    return one(*x_range), one(*y_range)


def follow_scale(x_range: Range, y_range: Range, points: np.ndarray, current: float = 1.0) -> float:
    """The least power-of-two scale, at least ``current``, at which the scene's ranges hold every
    finite point of ``points`` ((N, 2)); capped so the domain stays drawable."""
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    pts = pts[np.isfinite(pts).all(axis=1)]
    cap = float(FOLLOW_MAX_GROWTH)
    for lo, hi in (x_range, y_range):  # the widest domain the views can draw, on either axis
        mid, half = (lo + hi) / 2, (hi - lo) / 2
        cap = min(cap, MAX_DOMAIN_WIDTH / (hi - lo), (MAX_DOMAIN_COORD - abs(mid)) / half)
    cap = 2.0 ** math.floor(math.log2(max(cap, 1.0)))
    if not len(pts):
        return current
    need = 1.0
    for axis, (lo, hi) in enumerate((x_range, y_range)):
        mid, half = (lo + hi) / 2, (hi - lo) / 2
        need = max(need, float(np.abs(pts[:, axis] - mid).max()) / half)
    if need <= current:
        return current
    scale = 2.0 ** math.ceil(math.log2(need * 1.05))  # a margin: the run is not drawn on the very border
    return max(current, min(scale, cap))
