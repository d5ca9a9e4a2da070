"""Every run's trail on the contour map drawn by one graphics item, and every run's marker by another.

Twenty separate curve items cost twenty rounds of bounds, geometry and signal bookkeeping a frame;
one item holding every trail costs one. Each run keeps a :class:`Trail` handle that answers what a
curve item would (``getData``, ``isVisible``, ``opts['pen']``), so the legend and the tests treat
it as one. The markers are dots of fixed size on screen: pyqtgraph's scatter item rebuilds its
points, brushes and bounds on every ``setData`` (0.3 ms a frame for twenty); :class:`MarkersItem`
moves twenty dots for a few microseconds.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

EMPTY = np.zeros(0)


def widened(item: pg.GraphicsObject, rect: QRectF, pixels: float) -> QRectF:
    """``rect`` (in data units) grown by ``pixels`` screen pixels on every side, at ``item``'s current scale:
    the bounds of something drawn with a pen or a dot measured in pixels."""
    px, py = item.pixelWidth() or 0.0, item.pixelHeight() or 0.0
    return rect.adjusted(-pixels * px, -pixels * py, pixels * px, pixels * py)


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

    def show(self, visible: bool) -> None:
        if self.visible != bool(visible):
            self.visible = bool(visible)
            self.owner.update()

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (the legend's click calls it)
        """A click on the run's legend entry: asked of the owner, so the whole window hides the run, not
        this view alone."""
        self.owner.visibility_asked.emit(self.owner.trails.index(self), bool(visible))

    def setPen(self, pen: QPen) -> None:  # noqa: N802
        self.opts["pen"] = pen
        self.owner.update()


class TrailsItem(pg.GraphicsObject):
    """All trails of a view in one item, each with its own pen; bounded by the plotted domain
    (trails are clipped to it before they get here). ``visibility_asked(i, visible)``: the legend
    was clicked to hide or show trail ``i``."""

    visibility_asked = Signal(int, bool)

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
        return widened(self, self._rect, 8)

    def paint(self, painter: QPainter, *args) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for trail in self.trails:
            if trail.visible and len(trail.x) > 1:
                if trail.path is None:
                    trail.path = pg.arrayToQPath(trail.x, trail.y, connect="finite")
                painter.setPen(trail.opts["pen"])
                painter.drawPath(trail.path)


class MarkersItem(pg.GraphicsObject):
    """A dot of each run's color, outlined in black, ``size`` pixels across, at each run's position."""

    def __init__(self, size: float = 11.0):
        super().__init__()
        self.size = size
        self.points = np.zeros((0, 2))
        self.colors: list[str] = []
        self._brushes: dict[str, QBrush] = {}
        self._rect = QRectF()
        self.pen = QPen(QColor("#000000"), 1.5)

    def setSize(self, size: float) -> None:  # noqa: N802 (the scatter item's name)
        self.prepareGeometryChange()
        self.size = size
        self.update()

    def set_points(self, points: np.ndarray, colors: list[str]) -> None:
        """Dots at ``points`` (K, 2), of ``colors``; those not finite are left out."""
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        keep = np.isfinite(points).all(axis=1)
        self.prepareGeometryChange()
        self.points = points[keep]
        self.colors = [c for c, k in zip(colors, keep, strict=True) if k]
        if len(self.points):
            (x0, y0), (x1, y1) = self.points.min(axis=0), self.points.max(axis=0)
            self._rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        else:
            self._rect = QRectF()
        self.update()

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802 (the scatter item's name)
        return self.points[:, 0], self.points[:, 1]

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        if not len(self.points):
            return QRectF()
        return widened(self, self._rect, self.size / 2 + 2)  # the dot's radius and its outline

    def paint(self, painter: QPainter, *args) -> None:
        to_screen = painter.transform()
        painter.resetTransform()  # dots are measured in pixels, not data units
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(self.pen)
        radius = self.size / 2
        for (x, y), color in zip(self.points, self.colors, strict=True):
            if color not in self._brushes:
                self._brushes[color] = QBrush(QColor(color))
            painter.setBrush(self._brushes[color])
            painter.drawEllipse(to_screen.map(QPointF(x, y)), radius, radius)
