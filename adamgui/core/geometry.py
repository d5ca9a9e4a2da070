"""Clipping paths to the plotted domain (Liang–Barsky, vectorized over segments)."""

from __future__ import annotations

import numpy as np


def clip_path(path: np.ndarray, x_range: tuple[float, float], y_range: tuple[float, float]) -> np.ndarray:
    """The parts of a polyline ``path`` (N, 2) inside the rectangle, as (2K, 2) segment end points.

    A segment that crosses the border is cut at the border; one entirely outside is dropped.
    """
    if len(path) < 2:
        return np.empty((0, 2))
    p0, d = path[:-1], np.diff(path, axis=0)
    t0 = np.zeros(len(d))
    t1 = np.ones(len(d))
    keep = np.isfinite(d).all(axis=1)
    for axis, (lo, hi) in enumerate((x_range, y_range)):
        for p, q in ((-d[:, axis], p0[:, axis] - lo), (d[:, axis], hi - p0[:, axis])):
            with np.errstate(divide="ignore", invalid="ignore"):
                r = q / p
            parallel = p == 0
            keep &= ~(parallel & (q < 0))
            entering = (p < 0) & ~parallel
            leaving = (p > 0) & ~parallel
            t0 = np.where(entering, np.maximum(t0, r), t0)
            t1 = np.where(leaving, np.minimum(t1, r), t1)
    keep &= t0 <= t1
    a = p0 + t0[:, None] * d
    b = p0 + t1[:, None] * d
    out = np.empty((2 * int(keep.sum()), 2))
    out[0::2] = a[keep]
    out[1::2] = b[keep]
    return out
