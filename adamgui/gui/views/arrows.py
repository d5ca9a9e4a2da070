"""Arrows on the contour view: where the gradient, the momentum and the actual step point.

All three start where the last step started (θ_{t−1}), so together they say why
the run moved to where it is now. The gradient and momentum arrows show a
direction only, drawn at a fixed on-screen length (the full-data gradient beside a minibatch one a third
longer, beneath it, so that both show where they agree); the step arrow has its true
length, but never less than a few pixels, so a tiny step still shows its way.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QPainter

from adamgui.gui.frame import ARROW_KINDS, Frame, RunFrame
from adamgui.gui.views.trails import widened

KIND_LABELS = {
    "gradient": "Negative gradient −g_t (white)",
    "full": "Full-data negative gradient −∇f, beside a minibatch or noisy one (grey)",
    "momentum": "Momentum direction −m̂_t (gold)",
    "step": "Step taken Δθ_t (run color)",
}
DIRECTION_PX = 80.0
FULL_LONGER = 1.35  # the full-data gradient's arrow, beside a minibatch one: longer, and drawn beneath it
MIN_STEP_PX = 16.0
MOMENTUM_KEYS = ("m_hat", "m", "b")


def arrow_vector(run: RunFrame, kind: str) -> np.ndarray | None:
    """The data-space vector the arrow of ``kind`` follows, or None where the rule has none."""
    d = run.detail
    if d is None:
        return None
    if kind == "gradient":
        return -d.grad
    if kind == "full":
        return None if d.full_grad is None else -d.full_grad
    if kind == "step":
        return d.delta
    for key in MOMENTUM_KEYS:
        if key in d.terms:
            m = np.asarray(d.terms[key], dtype=float)
            return -m if m.shape == (2,) else None
    return None


class Shaft(pg.GraphicsObject):
    """An arrow's shaft: one straight line in data coordinates, drawn over a darker, wider shadow.

    What a curve item with a shadow pen draws, for a few microseconds a move instead of the curve
    item's rebuild of its arrays, bounds and path (four arrows a frame).
    """

    def __init__(self, pen, shadow_pen):
        super().__init__()
        self.pen, self.shadow_pen = pen, shadow_pen
        self.ends = QLineF()

    def setData(self, x, y) -> None:  # noqa: N802 (the curve items' name)
        self.prepareGeometryChange()
        self.ends = QLineF(float(x[0]), float(y[0]), float(x[1]), float(y[1]))
        self.update()

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802
        e = self.ends
        return np.array([e.x1(), e.x2()]), np.array([e.y1(), e.y2()])

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        # the shadow's half width beyond the line's ends
        return widened(self, QRectF(self.ends.p1(), self.ends.p2()).normalized(), self.shadow_pen.widthF() / 2 + 1)

    def paint(self, painter: QPainter, *args) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for pen in (self.shadow_pen, self.pen):
            painter.setPen(pen)
            painter.drawLine(self.ends)


class ArrowOverlay:
    """Owns the arrow items of one plot; ``update(frame)`` moves them, nothing is rebuilt per frame."""

    def __init__(self, plot: pg.PlotItem):
        self.plot = plot
        self.zoom = 1.0
        self.items: list[dict[str, tuple[Shaft, pg.ArrowItem]]] = []
        self.frame: Frame | None = None
        self.colors: list[str] = []
        self.drawn: list[bool] = []  # per run: whether any of its arrows is drawn now
        plot.getViewBox().sigRangeChanged.connect(lambda *_: self.update(self.frame))

    def set_zoom(self, zoom: float) -> None:
        self.zoom = zoom
        self.colors = []  # rebuilt with the new widths on the next update
        self.update(self.frame)

    def _color(self, kind: str, run: RunFrame):
        return {"gradient": "#ffffff", "full": "#9a9a9a", "momentum": "#ffd54a"}.get(kind, run.color)

    def _ensure(self, frame: Frame) -> None:
        colors = [r.color for r in frame.runs]
        if colors == self.colors:
            return
        self.colors = colors
        for group in self.items:
            for shaft, head in group.values():
                self.plot.removeItem(shaft)
                self.plot.removeItem(head)
        self.items = []
        for run in frame.runs:
            group = {}
            for kind in ARROW_KINDS:
                color = self._color(kind, run)
                z = self.zoom
                shaft = Shaft(pg.mkPen(color, width=2.6 * z), pg.mkPen(0, 0, 0, 170, width=5 * z))
                head = pg.ArrowItem(  # drawn pointing left (angle 0); place_arrow turns it
                    angle=0, headLen=14 * z, tipAngle=36, tailLen=0, pen=pg.mkPen("#000000", width=1.2 * z), brush=color
                )
                # the full-data gradient lies under the minibatch one and reaches further: where the two point
                # alike, the white one is on top and the grey tip still shows beyond it
                below = 2 if kind == "full" else 0
                shaft.setZValue(20 - below)
                head.setZValue(21 - below)
                self.plot.addItem(shaft)
                self.plot.addItem(head)
                group[kind] = (shaft, head)
            self.items.append(group)
        self.drawn = [True] * len(self.items)  # (their visibility is settled on the first update)

    def update(self, frame: Frame | None) -> None:
        self.frame = frame
        if frame is None:
            return
        self._ensure(frame)
        psx, psy = self.plot.getViewBox().viewPixelSize()
        for i, (run, group) in enumerate(zip(frame.runs, self.items, strict=True)):
            view = frame.view
            shown = run.visible and run.detail is not None and (view.arrows_for_all or run.key == view.inspected)
            if not shown and not self.drawn[i]:
                continue  # hidden and still to be: twenty runs' arrows cost nothing per frame
            drawn = False
            for kind, (shaft, head) in group.items():
                vector = arrow_vector(run, kind) if shown and kind in view.arrows else None
                fixed = DIRECTION_PX * self.zoom if kind != "step" else None  # directions: one length...
                if kind == "full":
                    fixed *= FULL_LONGER  # ...the full-data one a little longer, so both show
                drawn |= place_arrow(shaft, head, run.detail.theta_prev if shown else None, vector, (psx, psy), fixed)
            self.drawn[i] = drawn


def place_arrow(shaft, head, tail, vector, px, fixed=None, least=MIN_STEP_PX) -> bool:
    """Draw ``vector`` from ``tail`` as ``shaft`` and ``head``: ``fixed`` pixels long, or its true length
    (but at least ``least`` pixels, so a tiny one still shows its way). ``px``: data units per pixel,
    x and y. Hidden (False) where there is no vector or it is not finite or zero."""
    if vector is None or not np.isfinite(vector).all() or not (vector != 0).any():
        if shaft.isVisible():  # hidden once; twenty runs' hidden arrows cost nothing per frame
            shaft.setVisible(False)
            head.setVisible(False)
        return False
    # in screen pixels (y up): scale to the wanted length, then back to data units
    big = float(np.abs(vector).max())
    sx, sy = vector[0] / big / px[0], vector[1] / big / px[1]
    unit = math.hypot(sx, sy)
    length = unit * big  # the vector's true length on screen
    target = fixed if fixed is not None else min(max(length, least), 1e6)
    sx, sy = sx * target / unit, sy * target / unit
    tip = tail + np.array([sx * px[0], sy * px[1]])
    shaft.setData([tail[0], tip[0]], [tail[1], tip[1]])
    head.setPos(float(tip[0]), float(tip[1]))
    # turned about its tip as an item: setStyle(angle=...) would rebuild the head's path, pen and brush
    head.setRotation(180 - math.degrees(math.atan2(sy, sx)))
    shaft.setVisible(True)
    head.setVisible(True)
    return True
