"""Every run's trail on the contour map drawn by one graphics item.

Twenty separate curve items cost twenty rounds of bounds, geometry and signal bookkeeping a frame;
one item holding every trail costs one. Each run keeps a :class:`Trail` handle that answers what a
curve item would (``getData``, ``isVisible``, ``opts['pen']``), so the legend and the tests treat
it as one.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPen

EMPTY = np.zeros(0)


class Trail:
    """One run's trail inside a :class:`TrailsItem`: its points, pen and visibility."""

    def __init__(self, owner: TrailsItem, pen: QPen):
        self.owner = owner
        self.opts = {"pen": pen, "antialias": True}  # what the legend's sample reads
        self.x = self.y = EMPTY
        self.visible = True
        self.path = None  # the QPainterPath, built when first painted

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802 (the curve items' name)
        return self.x, self.y

    def setData(self, x: np.ndarray, y: np.ndarray) -> None:  # noqa: N802
        """New points (NaN breaks the line); the owner repaints once for every trail changed."""
        self.x, self.y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self.path = None
        self.owner.update()

    def isVisible(self) -> bool:  # noqa: N802
        return self.visible

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (the legend's click calls it)
        self.visible = bool(visible)
        self.owner.update()

    def setPen(self, pen: QPen) -> None:  # noqa: N802
        self.opts["pen"] = pen
        self.owner.update()


class TrailsItem(pg.GraphicsObject):
    """All trails of a view in one item, each with its own pen; bounded by the plotted domain
    (trails are clipped to it before they get here)."""

    def __init__(self):
        super().__init__()
        self.trails: list[Trail] = []
        self._rect = QRectF()

    def set_pens(self, pens: list[QPen]) -> list[Trail]:
        """One trail per pen, empty, replacing any there were."""
        self.trails = [Trail(self, pen) for pen in pens]
        self.update()
        return self.trails

    def set_domain(self, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        (x0, x1), (y0, y1) = x_range, y_range
        self.prepareGeometryChange()
        self._rect = QRectF(x0, y0, x1 - x0, y1 - y0)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        # a few pixels beyond the domain: a thick pen on the border stays inside what is repainted
        px, py = self.pixelWidth() or 0.0, self.pixelHeight() or 0.0
        return self._rect.adjusted(-8 * px, -8 * py, 8 * px, 8 * py)

    def paint(self, painter: QPainter, *args) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for trail in self.trails:
            if trail.visible and len(trail.x) > 1:
                if trail.path is None:
                    trail.path = pg.arrayToQPath(trail.x, trail.y, connect="finite")
                painter.setPen(trail.opts["pen"])
                painter.drawPath(trail.path)
