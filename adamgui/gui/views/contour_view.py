"""The 2D view: filled colormap, contour lines, minima, and each run's trail; a click sets the start."""

from __future__ import annotations

import math

import contourpy
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsItem

from adamgui.core.scale import ValueScale
from adamgui.core.surfaces import Surface, box_outline
from adamgui.gui.frame import Frame, ViewSettings
from adamgui.gui.views.arrows import ArrowOverlay
from adamgui.gui.views.curvature_overlay import CurvatureOverlay
from adamgui.gui.views.trails import MarkersItem, Trail, TrailsItem
from adamgui.gui.widgets.colors import BACKGROUND, colormap

GRID = 200
LEVELS = 18


def contour_lines(xs: np.ndarray, ys: np.ndarray, u: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Contour lines of ``u`` (indexed [i, j] = (xs[i], ys[j])) as (K, 2) points, NaN rows between lines.

    contourpy (matplotlib's contouring engine) traces them; undefined (NaN) values are masked, so a
    hole in the function has no contours.
    """
    generator = contourpy.contour_generator(xs, ys, np.ma.masked_invalid(u.T), line_type="ChunkCombinedNan")
    gap = np.full((1, 2), np.nan)  # lines of different levels must not join
    pieces = [
        part for level in levels for chunk in generator.lines(level)[0] if chunk is not None for part in (chunk, gap)
    ]
    return np.concatenate(pieces) if pieces else np.empty((0, 2))


LEGEND_PT = 9.0  # the legend's text size at zoom 1
STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine, Qt.PenStyle.DashDotLine)


def trail_styles(runs) -> list[Qt.PenStyle]:
    """Each run's line style: solid, unless an earlier run has its colour (two optimizers of one colour, or more
    runs than colours): then dashed, dotted, dash-dotted, so that every trail and legend entry is told apart."""
    seen: dict[str, int] = {}
    styles = []
    for run in runs:
        n = seen.get(run.color, 0)
        seen[run.color] = n + 1
        styles.append(STYLES[n % len(STYLES)])
    return styles


class ContourView(pg.PlotWidget):
    """Listens to frames; emits ``start_clicked(x, y)`` when the user clicks inside the domain."""

    start_clicked = Signal(float, float)

    def __init__(self, parent=None):
        super().__init__(parent, background=BACKGROUND)
        self.setObjectName("contourView")
        self.setMinimumSize(320, 260)
        self.scale: ValueScale | None = None
        self.surface: Surface | None = None
        item = self.getPlotItem()
        item.setLabel("bottom", "x")
        item.setLabel("left", "y")
        item.setMenuEnabled(False)
        item.hideButtons()
        self.zoom = 1.0  # scales line widths and markers (View > Zoom, for a projector)
        self.equal_scale = True  # one unit of x as long as one of y (View > Equal scale)
        self.setAspectLocked(True, ratio=1.0)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setColorMap(colormap())
        self.addItem(self.image)
        self.contours = pg.PlotCurveItem(pen=pg.mkPen(255, 255, 255, 70, width=1), connect="finite")
        self.addItem(self.contours)
        self.minima = pg.ScatterPlotItem(
            symbol="star", size=16, pen=pg.mkPen("#101010", width=1), brush=pg.mkBrush("#ffffff")
        )
        self.addItem(self.minima)
        self.feasible = pg.PlotDataItem(pen=pg.mkPen("#ffffff", width=1.6, style=Qt.PenStyle.DashLine))
        self.addItem(self.feasible)
        self.start_marker = pg.ScatterPlotItem(
            symbol="o", size=13, pen=pg.mkPen("#ffffff", width=2), brush=pg.mkBrush(0, 0, 0, 0)
        )
        self.addItem(self.start_marker)
        # The map, its contour lines and its stars change only with the surface, the zoom or the range:
        # each is kept as a picture of its own and redrawn from it when the trails and markers move on
        # top (drawing the contour lines anew each frame took a third of a frame's painting)
        for still in (self.image, self.contours, self.minima, self.start_marker):
            still.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.legend = item.addLegend(offset=(-10, -10), labelTextColor="#e8e8e8", brush=pg.mkBrush(20, 20, 26, 190))
        self.legend.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # trails move under it every frame
        self.trail_item = TrailsItem()  # every run's trail, in one item
        self.addItem(self.trail_item, ignoreBounds=True)
        self.trails: list[Trail] = []
        self._drawn: list = []  # per trail: (run serial, visible, drawn trail) as last drawn
        self._start = None
        self.markers = MarkersItem(size=11)  # each shown run's position, in its color
        self.addItem(self.markers, ignoreBounds=True)
        self.arrows = ArrowOverlay(item)
        self.curvature = CurvatureOverlay(item)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self.set_zoom(self.zoom)  # fonts, widths and margins for zoom 1; frames change them (ViewSettings.zoom)

    # --- building, once per surface or run-set change ---------------------
    def set_surface(self, surface: Surface) -> None:
        self.surface = surface
        item = self.getPlotItem()
        item.setLabel("bottom", surface.axes[0])  # a model's parameters, w and b, or x and y
        item.setLabel("left", surface.axes[1])
        xs, ys, z = surface.grid(GRID)
        self.scale = ValueScale.fit(z)
        u = self.scale.normalize(z)
        dx, dy = xs[1] - xs[0], ys[1] - ys[0]
        self.image.setImage(u, levels=(0.0, 1.0), autoLevels=False)
        # pixel centers on the sample points
        self.image.setRect(QRectF(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy))
        self.trail_item.set_domain(surface.x_range, surface.y_range)
        lines = contour_lines(xs, ys, u, np.linspace(0, 1, LEVELS + 2)[1:-1])
        self.contours.setData(lines[:, 0], lines[:, 1], connect="finite")
        outline = box_outline(surface) if surface.box else np.zeros((0, 2))
        self.feasible.setData(outline[:, 0], outline[:, 1])  # a projected method's feasible box, dashed
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

    def set_equal_scale(self, on: bool) -> None:
        """Keep one unit of x as long as one of y (on), or fill the view with the domain (off)."""
        self.equal_scale = on
        self.setAspectLocked(on, ratio=1.0)
        self.reset_view()

    def set_zoom(self, zoom: float) -> None:
        """Thicker lines, bigger markers and axis text by ``zoom`` (1 = normal)."""
        self.zoom = zoom
        self.minima.setSize(16 * zoom)
        self.start_marker.setSize(13 * zoom)
        self.start_marker.setPen(pg.mkPen("#ffffff", width=2 * zoom))
        self.markers.setSize(11 * zoom)
        font = QFont()
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * zoom)
        item = self.getPlotItem()
        for name in ("bottom", "left"):
            item.getAxis(name).setStyle(tickFont=font)
            item.getAxis(name).label.setFont(font)
        # room above and right of the plot for half a tick label: the axes centre their labels on the
        # ticks, and the domain's top (often a labelled tick) is the view's top edge
        half = math.ceil(QFontMetricsF(font).height() / 2)
        item.layout.setContentsMargins(1, half, half, 1)
        self.arrows.set_zoom(zoom)
        self.curvature.set_zoom(zoom)
        self.legend.setLabelTextSize(f"{LEGEND_PT * zoom:.1f}pt")  # the legend grows with the window's zoom too
        self._drawn = [None] * len(self.trails)
        for trail in self.trails:
            pen = pg.mkPen(trail.opts["pen"].color(), width=2.5 * zoom)
            pen.setStyle(trail.opts["pen"].style())
            trail.setPen(pen)

    def set_runs(self, frame: Frame) -> None:
        self.legend.clear()
        self.trails = self.trail_item.set_pens(
            [self._pen(run.color, style) for run, style in zip(frame.runs, trail_styles(frame.runs), strict=True)]
        )
        self._drawn = [None] * len(self.trails)
        self.markers.setZValue(5)
        # many runs: the legend in columns (at most six rows), so it never covers half the map
        self.legend.setColumnCount(max(1, math.ceil(len(frame.runs) / 6)))

    def _pen(self, color: str, style: Qt.PenStyle) -> QPen:
        pen = pg.mkPen(color, width=2.5 * self.zoom)
        pen.setStyle(style)
        return pen

    # --- per frame: only data moves ---------------------------------------
    def apply_view(self, view: ViewSettings) -> None:
        """The frame's view settings where they differ from what is drawn: equal scale, zoom."""
        if view.equal_scale != self.equal_scale:
            self.set_equal_scale(view.equal_scale)
        if view.zoom != self.zoom:
            self.set_zoom(view.zoom)

    def on_frame(self, frame: Frame) -> None:
        """Move what changed: trails whose path grew (as the frame has them drawn), one marker item for all."""
        self.apply_view(frame.view)
        if len(self.trails) != len(frame.runs):
            self.set_runs(frame)
        if self._start != frame.start:
            self._start = frame.start
            self.start_marker.setData([frame.start[0]], [frame.start[1]])
        shown = [run for run in frame.runs if run.visible]
        for run, trail, i in zip(frame.runs, self.trails, range(len(self.trails)), strict=True):
            state = (run.serial, run.visible, run.drawn)  # the same drawn trail: nothing new to draw
            if state == self._drawn[i]:
                continue
            if self._drawn[i] is None or self._drawn[i][1] != run.visible:  # the legend lists shown runs only
                self.legend.removeItem(trail)
                if run.visible:
                    self.legend.addItem(trail, run.label)
                    for part in self.legend.items[-1]:  # its sample and label: pictures, not redrawn per frame
                        part.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self._drawn[i] = state
            trail.show(run.visible)
            if run.visible:  # cut to the domain by the controller: a run far outside never breaks the rest
                line = run.drawn.line
                trail.setData(line[:, 0], line[:, 1], run.path, run.serial)
        shapes = [STYLES.index(style) for run, style in zip(frame.runs, trail_styles(frame.runs), strict=True)]
        shapes = [shape for run, shape in zip(frame.runs, shapes, strict=True) if run.visible]
        self.markers.set_points(np.array([run.position for run in shown]), [run.color for run in shown], shapes)
        self.arrows.update(frame)
        self.curvature.update(frame)

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
