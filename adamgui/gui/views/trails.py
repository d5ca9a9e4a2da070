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
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from adamgui.core.geometry import clip_polylines

EMPTY = np.zeros(0)


def widened(item: pg.GraphicsObject, rect: QRectF, pixels: float) -> QRectF:
    """``rect`` (in data units) grown by ``pixels`` screen pixels on every side, at ``item``'s current scale:
    the bounds of something drawn with a pen or a dot measured in pixels."""
    px, py = item.pixelWidth() or 0.0, item.pixelHeight() or 0.0
    return rect.adjusted(-pixels * px, -pixels * py, pixels * px, pixels * py)


class Trail:
    """One run's trail inside a :class:`TrailsItem`: its points, pen and visibility.

    ``getData`` gives the trail as the frame describes it (decimated and clipped by the controller);
    the item paints the whole recorded path (``source``), at the screen's resolution.
    """

    def __init__(self, owner: TrailsItem, pen: QPen):
        self.owner = owner
        self.opts = {"pen": pen, "antialias": True}  # what the legend's sample reads
        self.x = self.y = EMPTY
        self.visible = True
        self.source = np.zeros((0, 2))  # the run's path up to the shown step: what is painted
        self.serial = None  # the run it belongs to

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802 (the curve items' name)
        return self.x, self.y

    def setData(self, x: np.ndarray, y: np.ndarray, source: np.ndarray | None = None, serial=None) -> None:  # noqa: N802
        """New points (NaN breaks the line) and, where known, the whole path they describe; the owner
        repaints once for every trail changed."""
        self.x, self.y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if source is None:
            source = np.column_stack([self.x, self.y])
        if serial != self.serial or len(source) < self.owner.painted.get(id(self), 0):
            self.owner.forget()  # another run, or an earlier step: the kept picture no longer holds
        self.source, self.serial = source, serial
        self.owner.update()

    def isVisible(self) -> bool:  # noqa: N802
        return self.visible

    def show(self, visible: bool) -> None:
        if self.visible != bool(visible):
            self.visible = bool(visible)
            self.owner.forget()
            self.owner.update()

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (the legend's click calls it)
        """A click on the run's legend entry: asked of the owner, so the whole window hides the run, not
        this view alone."""
        self.owner.visibility_asked.emit(self.owner.trails.index(self), bool(visible))

    def setPen(self, pen: QPen) -> None:  # noqa: N802
        self.opts["pen"] = pen
        self.owner.forget()
        self.owner.update()


def screen_segments(points: np.ndarray, reduce_above: int = 64) -> np.ndarray:
    """A path in screen pixels (NaN rows between pieces) as segment ends (2K, 2), at the screen's resolution:
    past ``reduce_above`` segments, a segment whose ends fall in the same two pixels as an earlier one's is
    left out (it would paint the same pixels again; what is left lies within a pixel of the whole)."""
    a, b = points[:-1], points[1:]
    ok = np.isfinite(a).all(axis=1) & np.isfinite(b).all(axis=1)
    a, b = a[ok], b[ok]
    if len(a) > reduce_above:
        cells = np.floor(np.column_stack([a, b])).astype(np.int64)
        _, first = np.unique(cells, axis=0, return_index=True)
        first.sort()
        a, b = a[first], b[first]
    ends = np.empty((2 * len(a), 2))
    ends[0::2], ends[1::2] = a, b
    return ends


def _to_device(transform, points: np.ndarray) -> np.ndarray:
    """Data points (N, 2) through ``transform`` (an affine QTransform) to device pixels."""
    t = transform
    x, y = points[:, 0], points[:, 1]
    return np.column_stack([t.m11() * x + t.m21() * y + t.dx(), t.m12() * x + t.m22() * y + t.dy()])


class TrailsItem(pg.GraphicsObject):
    """All trails of a view in one item, each with its own pen; bounded by the plotted domain
    (trails are clipped to it before they get here). ``visibility_asked(i, visible)``: the legend
    was clicked to hide or show trail ``i``.

    On screen, the trails are kept as a picture (an image of the view's size): a frame paints only the
    segments added since the last one onto it, and copies it, so a frame's cost does not grow with the
    history. The picture is drawn anew when the view moves or resizes, a pen or a visibility changes, or
    a trail goes back (an earlier step shown). Each segment is drawn on its own (drawing a long, dense
    path as one outline was five times slower), with round caps so that consecutive segments meet as a
    line's joins do, and of more than 64 segments (a frame of fast-forward, or a picture drawn anew) only one
    of those sharing two pixels is drawn: a noisy trail piles hundreds a frame into a few pixels, and each
    drawn costs as much as a long one.
    Pictures of another size (exports) are drawn whole.
    """

    visibility_asked = Signal(int, bool)

    def __init__(self):
        super().__init__()
        self.trails: list[Trail] = []
        self._rect = QRectF()
        self.painted: dict[int, int] = {}  # id(trail) -> rows of its source in the kept picture
        self._image: QImage | None = None
        self._key = None  # what the kept picture was drawn for: the device's size and the transform
        self.redraws = 0  # pictures drawn anew (for tests and the benchmark)
        self.transform = None  # data to device pixels, as the kept picture was last painted

    def forget(self) -> None:
        """The kept picture no longer holds: draw it anew at the next paint."""
        self._key = None

    def set_pens(self, pens: list[QPen]) -> list[Trail]:
        """One trail per pen, empty, replacing any there were."""
        self.trails = [Trail(self, pen) for pen in pens]
        self.forget()
        self.update()
        return self.trails

    def set_domain(self, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        (x0, x1), (y0, y1) = x_range, y_range
        self.prepareGeometryChange()
        self._rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        self.forget()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        # a few pixels beyond the domain: a thick pen on the border stays inside what is repainted
        return widened(self, self._rect, 8)

    def paint(self, painter: QPainter, *args) -> None:
        transform = painter.transform()
        device = painter.device()
        if not isinstance(device, QWidget):  # a picture of the view (an export): drawn whole
            painter.resetTransform()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._draw(painter, transform, {})
            painter.setTransform(transform)
            return
        ratio = device.devicePixelRatioF()
        key = (device.width(), device.height(), ratio, transform.dx(), transform.dy())
        key += (transform.m11(), transform.m12(), transform.m21(), transform.m22())
        if key != self._key or self._image is None:
            size = (round(device.width() * ratio), round(device.height() * ratio))
            if self._image is None or (self._image.width(), self._image.height()) != size:
                self._image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
                self._image.setDevicePixelRatio(ratio)
            self._image.fill(0)
            self.painted = {}
            self._key = key
            self.redraws += 1
        self.transform = transform  # (what the kept picture's pixels are: for tests)
        into = QPainter(self._image)
        into.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.painted = self._draw(into, transform, self.painted)
        into.end()
        painter.resetTransform()
        painter.drawImage(0, 0, self._image)
        painter.setTransform(transform)

    def _draw(self, painter: QPainter, transform, painted: dict[int, int]) -> dict[int, int]:
        """Paint each shown trail's source from the row after the ``painted`` ones (from the one before,
        to join them) in device pixels, clipped to the domain, every trail's rows clipped and mapped in
        one call; the rows painted of each trail."""
        shown = [trail for trail in self.trails if trail.visible]
        pieces = [trail.source[max(painted.get(id(trail), 0) - 1, 0) :] for trail in shown]
        r = self._rect
        clipped = clip_polylines(pieces, (r.left(), r.right()), (r.top(), r.bottom()))
        lengths = [len(c) for c in clipped]
        if sum(lengths):
            device = _to_device(transform, np.concatenate(clipped))
            at = 0
            for trail, n in zip(shown, lengths, strict=True):
                ends = screen_segments(device[at : at + n]) if n >= 2 else EMPTY
                at += n
                if len(ends):
                    pen = QPen(trail.opts["pen"])
                    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                    painter.setPen(pen)
                    if len(ends) <= 64:  # a frame's few new segments: cheaper as lines than as a path
                        painter.drawLines([QPointF(x, y) for x, y in ends.tolist()])
                    else:
                        painter.drawPath(pg.arrayToQPath(ends[:, 0], ends[:, 1], connect="pairs"))
        return {**painted, **{id(trail): len(trail.source) for trail in shown}}


class MarkersItem(pg.GraphicsObject):
    """A dot of each run's color, outlined in black, ``size`` pixels across, at each run's position."""

    def __init__(self, size: float = 11.0):
        super().__init__()
        self.size = size
        self.points = np.zeros((0, 2))
        self.colors: list[str] = []
        self.shapes: list[int] = []  # per dot: 0 round, 1 square, 2 triangle, 3 diamond
        self._brushes: dict[str, QBrush] = {}
        self._rect = QRectF()
        self.pen = QPen(QColor("#000000"), 1.5)

    def setSize(self, size: float) -> None:  # noqa: N802 (the scatter item's name)
        self.prepareGeometryChange()
        self.size = size
        self.update()

    def set_points(self, points: np.ndarray, colors: list[str], shapes: list[int] | None = None) -> None:
        """Dots at ``points`` (K, 2), of ``colors`` and ``shapes`` (0 round, 1 square, 2 triangle, 3 diamond:
        runs of one colour told apart); those not finite are left out."""
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        keep = np.isfinite(points).all(axis=1)
        shapes = shapes if shapes is not None else [0] * len(points)
        self.prepareGeometryChange()
        self.points = points[keep]
        self.colors = [c for c, k in zip(colors, keep, strict=True) if k]
        self.shapes = [s for s, k in zip(shapes, keep, strict=True) if k]
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
        for (x, y), color, shape in zip(self.points, self.colors, self.shapes, strict=True):
            if color not in self._brushes:
                self._brushes[color] = QBrush(QColor(color))
            painter.setBrush(self._brushes[color])
            at = to_screen.map(QPointF(x, y))
            if shape == 0:
                painter.drawEllipse(at, radius, radius)
            elif shape == 1:
                painter.drawRect(QRectF(at.x() - radius * 0.9, at.y() - radius * 0.9, 1.8 * radius, 1.8 * radius))
            else:
                r = radius * 1.15
                corners = [(0, -r), (r, r * 0.8), (-r, r * 0.8)] if shape == 2 else [(0, -r), (r, 0), (0, r), (-r, 0)]
                painter.drawPolygon(QPolygonF([QPointF(at.x() + dx, at.y() + dy) for dx, dy in corners]))
