"""The curvature where the inspected run's last step started, drawn on the contour view.

The Hessian's eigenvectors are the axes of the local quadratic ½ δᵀHδ: each is drawn through
θ_{t−1} with a half-length proportional to 1/√|λ| (a level set of the quadratic: the flat
direction long, the steep one short), labelled with its eigenvalue; where both curvatures are
positive the level-set ellipse is drawn too. A negative curvature's axis is dotted. Newton's step
−H⁻¹∇f is an arrow of its true length from the same point, so it can be set beside the step
the optimizer took.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from adamgui.core.curvature import Curvature
from adamgui.core.step_detail import StepDetail
from adamgui.gui.frame import Frame
from adamgui.gui.views.arrows import place_arrow

AXIS_PX = 70.0  # the longer half-axis on screen
MAX_RATIO = 30.0  # a near-zero curvature: its axis at most this many times the other
AXIS_COLOR = "#f2f2f2"
NEWTON_COLOR = "#b8f28c"  # light green: no run, arrow or marker uses it
MIN_NEWTON_PX = 12.0


class CurvatureOverlay:
    """Owns the items; ``update(frame)`` moves them for the run chosen in the inspector."""

    def __init__(self, plot: pg.PlotItem):
        self.plot = plot
        self.zoom = 1.0
        self.frame: Frame | None = None
        self.axes = [pg.PlotCurveItem() for _ in range(2)]
        self.ellipse = pg.PlotCurveItem()
        self.labels = [
            pg.TextItem(color=AXIS_COLOR, anchor=(0.5, 0.5), fill=pg.mkBrush(20, 20, 26, 170)) for _ in range(2)
        ]
        self.newton = pg.PlotCurveItem()
        self.newton_head = pg.ArrowItem(angle=0, tipAngle=36, tailLen=0, brush=NEWTON_COLOR)  # place_arrow turns it
        self.items = [*self.axes, self.ellipse, *self.labels, self.newton, self.newton_head]
        for item in self.items:
            item.setZValue(18)
            item.setVisible(False)
            plot.addItem(item, ignoreBounds=True)
        self._style()
        plot.getViewBox().sigRangeChanged.connect(lambda *_: self.update(self.frame))

    def _style(self) -> None:
        z = self.zoom
        shadow = pg.mkPen(0, 0, 0, 170, width=4.5 * z)
        self.ellipse.setPen(pg.mkPen(AXIS_COLOR, width=1.2 * z, style=Qt.PenStyle.DashLine))
        self.newton.setPen(pg.mkPen(NEWTON_COLOR, width=2.6 * z))
        self.newton.setShadowPen(shadow)
        self.newton_head.setStyle(headLen=14 * z, pen=pg.mkPen("#000000", width=1.2 * z))
        for axis in self.axes:
            axis.setShadowPen(shadow)
        for label in self.labels:
            font = label.textItem.font()
            font.setPointSizeF(9.0 * z)
            label.setFont(font)

    @property
    def enabled(self) -> bool:
        """Whether the curvature is drawn: the last frame's settings say."""
        return self.frame is not None and self.frame.view.curvature

    def set_zoom(self, zoom: float) -> None:
        self.zoom = zoom
        self._style()
        self.update(self.frame)

    def detail(self, frame: Frame | None) -> StepDetail | None:
        """The inspected run's last step, if the overlay is on, the run shown and its curvature known there."""
        if frame is None or not frame.view.curvature:
            return None
        for run in frame.runs:
            if (
                run.key == frame.view.inspected
                and run.visible
                and run.detail is not None
                and run.detail.curvature is not None
            ):
                return run.detail
        return None

    def update(self, frame: Frame | None) -> None:
        self.frame = frame
        d = self.detail(frame)
        if d is None:
            for item in self.items:
                item.setVisible(False)
            return
        point, c = d.theta_prev, d.curvature
        px = np.array(self.plot.getViewBox().viewPixelSize())  # data units per pixel, x and y
        half = self.half_axes(c, px)
        # each label at the end of its axis farther (on screen) from the arrows' tips, so none hides another
        tips = [d.theta] + ([point + c.newton] if c.newton is not None else [])
        for i, (axis, label) in enumerate(zip(self.axes, self.labels, strict=True)):
            end = half[:, i]
            axis.setData([point[0] - end[0], point[0] + end[0]], [point[1] - end[1], point[1] + end[1]])
            style = Qt.PenStyle.DashLine if c.values[i] >= 0 else Qt.PenStyle.DotLine
            axis.setPen(pg.mkPen(AXIS_COLOR, width=1.8 * self.zoom, style=style))
            label.setText(f"λ{'₁₂'[i]} = {c.values[i]:.3g}")
            where = max((point + end, point - end), key=lambda p: min(np.hypot(*((p - t) / px)) for t in tips))
            label.setPos(*self._inside(where, label, px))
            axis.setVisible(True)
            label.setVisible(True)
        if (c.values > 0).all():
            t = np.linspace(0, 2 * np.pi, 97)
            ring = point[:, None] + half[:, :1] * np.cos(t) + half[:, 1:] * np.sin(t)
            self.ellipse.setData(ring[0], ring[1])
            self.ellipse.setVisible(True)
        else:
            self.ellipse.setVisible(False)
        place_arrow(self.newton, self.newton_head, point, c.newton, px, least=MIN_NEWTON_PX)

    def _inside(self, where: np.ndarray, label: pg.TextItem, px: np.ndarray) -> tuple[float, float]:
        """``where``, moved just enough for the whole (centred) label to lie inside the view."""
        (x0, x1), (y0, y1) = self.plot.getViewBox().viewRange()
        box = label.boundingRect()
        hx, hy = box.width() / 2 * px[0], box.height() / 2 * px[1]
        x = min(max(float(where[0]), x0 + hx), x1 - hx) if x1 - x0 > 2 * hx else float(where[0])
        y = min(max(float(where[1]), y0 + hy), y1 - hy) if y1 - y0 > 2 * hy else float(where[1])
        return x, y

    def half_axes(self, c: Curvature, px: np.ndarray) -> np.ndarray:
        """Columns: the half-axes in data units, along the eigenvectors, lengths ∝ 1/√|λ| (capped)."""
        size = 1 / np.sqrt(np.maximum(np.abs(c.values), 1e-300))
        size = np.minimum(size, size.min() * MAX_RATIO)
        vectors = c.vectors * size  # columns scaled
        on_screen = np.hypot(vectors[0] / px[0], vectors[1] / px[1])
        return vectors * (AXIS_PX * self.zoom / on_screen.max())
