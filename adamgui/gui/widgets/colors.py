"""The one colormap every view shares, and loss values mapped through it."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from adamgui.core.scale import ValueScale

COLORMAP_NAME = "viridis"
BACKGROUND = "#1b1d23"  # behind every plot and the 3D view: dark, so viridis and the trails stand out


def colormap() -> pg.ColorMap:
    return pg.colormap.get(COLORMAP_NAME)


def rgba(scale: ValueScale, z: np.ndarray) -> np.ndarray:
    """Float RGBA in [0, 1] for each value of ``z``; non-finite values are transparent."""
    u = scale.normalize(z)
    colors = colormap().map(np.nan_to_num(u, nan=0.0).ravel(), mode="float").reshape(u.shape + (4,))
    colors[..., 3] = np.where(np.isnan(u), 0.0, 1.0)
    return colors
