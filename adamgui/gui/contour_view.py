"""The 2D view: filled colormap, contour lines, minima, and each run's trail; a click sets the start."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal

from adamgui.core.geometry import cells_touching, decimate
from adamgui.core.scale import ValueScale
from adamgui.core.surfaces import Surface
from adamgui.gui.arrows import ArrowOverlay
from adamgui.gui.colors import colormap
from adamgui.gui.frame import Frame

GRID = 200
LEVELS = 18
DRAWN = 2048  # trail points drawn at most


def contour_segments(xs: np.ndarray, ys: np.ndarray, u: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Contour line segments of ``u`` (indexed [i, j] = (xs[i], ys[j])) as (2K, 2) point pairs.

    Cells with an undefined (NaN) corner get no lines: a hole has no contours.
    """
    holes = np.isnan(u)
    data = np.where(holes, np.nanmin(u) if not holes.all() else 0.0, u)
    pieces = []
    for level in levels:
        pts = pg.functions.isocurve(data, level, connected=False)
        if pts:
            pieces.append(np.asarray(pts, dtype=float).reshape(-1, 2, 2))
    if not pieces:
        return np.empty((0, 2))
    pairs = np.concatenate(pieces)
    if holes.any():
        cell = np.floor(pairs.min(axis=1)).astype(int)
        cell[:, 0] = cell[:, 0].clip(0, len(xs) - 2)
        cell[:, 1] = cell[:, 1].clip(0, len(ys) - 2)
        pairs = pairs[~cells_touching(holes)[cell[:, 0], cell[:, 1]]]
    idx = pairs.reshape(-1, 2)
    dx, dy = xs[1] - xs[0], ys[1] - ys[0]
    return np.column_stack([xs[0] + idx[:, 0] * dx, ys[0] + idx[:, 1] * dy])


class ContourView(pg.PlotWidget):
    """Listens to frames; emits ``start_clicked(x, y)`` when the user clicks inside the domain."""

    start_clicked = Signal(float, float)

    def __init__(self, parent=None):
        super().__init__(parent, background="#1b1d23")
        self.setObjectName("contourView")
        self.setMinimumSize(320, 260)
        self.scale: ValueScale | None = None
        self.surface: Surface | None = None
        item = self.getPlotItem()
        item.setLabel("bottom", "x")
        item.setLabel("left", "y")
        item.setMenuEnabled(False)
        item.hideButtons()
        self.setAspectLocked(False)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setColorMap(colormap())
        self.addItem(self.image)
        self.contours = pg.PlotCurveItem(pen=pg.mkPen(255, 255, 255, 70, width=1), connect="pairs")
        self.addItem(self.contours)
        self.minima = pg.ScatterPlotItem(
            symbol="star", size=16, pen=pg.mkPen("#101010", width=1), brush=pg.mkBrush("#ffffff")
        )
        self.addItem(self.minima)
        self.start_marker = pg.ScatterPlotItem(
            symbol="o", size=13, pen=pg.mkPen("#ffffff", width=2), brush=pg.mkBrush(0, 0, 0, 0)
        )
        self.addItem(self.start_marker)
        self.legend = item.addLegend(offset=(-10, -10), labelTextColor="#e8e8e8", brush=pg.mkBrush(20, 20, 26, 190))
        self.trails: list[pg.PlotCurveItem] = []
        self._drawn: list = []  # per trail: (run key, path length, visible) as last drawn
        self._start = None
        self._brushes: dict = {}
        self.markers = pg.ScatterPlotItem(size=11, pen=pg.mkPen("#000000", width=1.5))
        self.addItem(self.markers)
        self.arrows = ArrowOverlay(item)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    # --- building, once per surface or run-set change ---------------------
    def set_surface(self, surface: Surface) -> None:
        self.surface = surface
        xs, ys, z = surface.grid(GRID)
        self.scale = ValueScale.fit(z)
        u = self.scale.normalize(z)
        dx, dy = xs[1] - xs[0], ys[1] - ys[0]
        self.image.setImage(u, levels=(0.0, 1.0), autoLevels=False)
        # pixel centers on the sample points
        self.image.setRect(QRectF(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy))
        segments = contour_segments(xs, ys, u, np.linspace(0, 1, LEVELS + 2)[1:-1])
        self.contours.setData(segments[:, 0], segments[:, 1], connect="pairs")
        if surface.minima:
            m = np.array(surface.minima)
            self.minima.setData(m[:, 0], m[:, 1])
        else:
            self.minima.setData([], [])
        self.reset_view()

    def reset_view(self) -> None:
        if self.surface is None:
            return
        vb = self.getPlotItem().getViewBox()
        vb.disableAutoRange()
        vb.setRange(xRange=self.surface.x_range, yRange=self.surface.y_range, padding=0)

    def set_runs(self, frame: Frame) -> None:
        for trail in self.trails:
            self.removeItem(trail)
        self.legend.clear()
        self.trails = []
        self._drawn = []
        for run in frame.runs:
            trail = pg.PlotCurveItem(pen=pg.mkPen(run.color, width=2.5), name=run.label)
            self.addItem(trail)
            self.trails.append(trail)
            self._drawn.append(None)
        self.markers.setZValue(5)

    # --- per frame: only data moves ---------------------------------------
    def on_frame(self, frame: Frame) -> None:
        """Move what changed: trails whose path grew (at most DRAWN points each), one marker item for all."""
        if len(self.trails) != len(frame.runs):
            self.set_runs(frame)
        if self._start != frame.start:
            self._start = frame.start
            self.start_marker.setData([frame.start[0]], [frame.start[1]])
        shown = [run for run in frame.runs if run.visible]
        for run, trail, i in zip(frame.runs, self.trails, range(len(self.trails)), strict=True):
            state = (run.key, len(run.path), run.visible)
            if state == self._drawn[i]:
                continue
            self._drawn[i] = state
            trail.setVisible(run.visible)
            if run.visible:
                path = decimate(run.path, DRAWN)
                trail.setData(path[:, 0], path[:, 1], skipFiniteCheck=True)
        if shown:
            positions = np.array([run.position for run in shown])
            self.markers.setData(positions[:, 0], positions[:, 1], brush=[self._brush(run.color) for run in shown])
        else:
            self.markers.setData([], [])
        self.arrows.update(frame)

    def _brush(self, color: str):
        if color not in self._brushes:
            self._brushes[color] = pg.mkBrush(color)
        return self._brushes[color]

    # --- input -------------------------------------------------------------
    def data_to_widget(self, x: float, y: float):
        """Widget (viewport) pixel coordinates of the data point (x, y)."""
        scene_pos = self.getPlotItem().getViewBox().mapViewToScene(pg.Point(x, y))
        return self.mapFromScene(scene_pos)

    def _on_mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double() or self.surface is None:
            return
        vb = self.getPlotItem().getViewBox()
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        p = vb.mapSceneToView(event.scenePos())
        x, y = float(p.x()), float(p.y())
        if self.surface.contains(np.array([x, y])):
            event.accept()
            self.start_clicked.emit(x, y)
