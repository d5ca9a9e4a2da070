"""A network's loss on a plane (core/slices.py), sampled on a grid, as a :class:`Surface` the main views draw.

The views draw a surface by asking for its values on grids of their own (a few hundred points a side) and
at the points of the paths. A network's loss costs a forward pass over the data at each point, too much for
the GUI thread at that many points; so the slice is sampled once, off the GUI thread (``loss_grid``), and
the surface is the bilinear interpolant of those samples: exact at each sample, and between them a
straight blend of its four neighbours (its gradient is the interpolant's, piecewise).

The paths drawn on it are the runs' projections (their (a, b) on the plane); a run's true loss differs
from the sheet's height under it by what lies off the plane, which the Network dock plots beside it.
"""

from __future__ import annotations

import numpy as np

from adamgui.core.surfaces import Surface

NAME = "network-slice"


def _cells(values: np.ndarray, low: float, high: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """For each value, the index of the grid cell it lies in (0..n−2, clamped to the grid) and where in it (0..1)."""
    position = np.clip((np.asarray(values, dtype=float) - low) / (high - low) * (n - 1), 0.0, n - 1.0)
    position = np.where(np.isfinite(position), position, 0.0)
    cell = np.minimum(position.astype(np.int64), n - 2)
    return cell, position - cell


def slice_surface(
    grid: np.ndarray, window: tuple[float, float, float, float], title: str, description: str = ""
) -> Surface:
    """The surface through ``grid``'s samples: ``grid[i, j]`` is the loss at a = a_j, b = b_i, with a_j and b_i
    evenly spaced over ``window`` = (a0, a1, b0, b1), both ends included. A sample that is not finite (an
    overflowing network) is drawn at the highest finite one."""
    a0, a1, b0, b1 = window
    rows, cols = grid.shape
    finite = np.isfinite(grid)
    z = np.where(finite, grid, grid[finite].max() if finite.any() else 0.0)
    da, db = (a1 - a0) / (cols - 1), (b1 - b0) / (rows - 1)

    def corners(a, b):
        j, s = _cells(a, a0, a1, cols)
        i, t = _cells(b, b0, b1, rows)
        return s, t, z[i, j], z[i, j + 1], z[i + 1, j], z[i + 1, j + 1]

    def f(a, b):
        s, t, z00, z01, z10, z11 = corners(a, b)
        return (1 - t) * ((1 - s) * z00 + s * z01) + t * ((1 - s) * z10 + s * z11)

    def gradient(a, b):
        s, t, z00, z01, z10, z11 = corners(a, b)
        return ((1 - t) * (z01 - z00) + t * (z11 - z10)) / da, ((1 - s) * (z10 - z00) + s * (z11 - z01)) / db

    def hessian(a, b):  # a bilinear blend has no curvature of its own worth showing: none is claimed
        nan = np.full(np.shape(a), np.nan)
        return nan, nan, nan

    return Surface(
        NAME,
        title,
        f"the training loss at c + a·u + b·v, sampled on {cols} × {rows} points",
        f,
        gradient,
        (a0, a1),
        (b0, b1),
        (0.0, 0.0),
        (),
        description,
        ("a", "b"),
        hess=hessian,
    )
