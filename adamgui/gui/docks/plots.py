"""Loss, step length, distance to the nearest minimum, learning rate and sharpness against the step, for every run."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDockWidget, QTabWidget, QVBoxLayout, QWidget

from adamgui.core.curvature import sharpness
from adamgui.core.geometry import DRAWN, decimated_indices
from adamgui.core.maps import nearest_minimum
from adamgui.core.surfaces import Surface
from adamgui.gui.frame import Frame, RunFrame, Throttle
from adamgui.gui.widgets.colors import BACKGROUND

TABS = ("loss", "step", "distance", "lr", "sharpness")
TITLES = {
    "loss": "Loss",
    "step": "Step length",
    "distance": "Distance to minimum",
    "lr": "Learning rate αₜ",  # Unicode subscripts: a tab's text has no markup, and "α_t" read "α t"
    "sharpness": "Sharpness λₘₐₓ",
}
SHORT = {"step": "Step", "distance": "Distance", "lr": "αₜ", "sharpness": "λₘₐₓ"}  # tab texts where room is short
PER_STEP = ("step", "lr", "limit", "sharpness")  # curves of a value per step (the others: per position)
LABELS = {kind: title.lower() for kind, title in TITLES.items()} | {"sharpness": "λₘₐₓ and 2/αₜ"}  # y axes
SHARPNESS_NOTE = "solid: λₘₐₓ of the Hessian where step t starts · dashed: 2/αₜ, the stability limit of GD runs"
MIN_SPAN = 10  # steps the x axis shows at least


def series(run: RunFrame, kind: str, surface: Surface, log: bool) -> tuple[np.ndarray, np.ndarray]:
    """(steps, values) of one curve at no more than DRAWN steps, computed from the path alone.

    Loss (|loss − f*| when ``log``, f* the lowest known minimum) or distance to the nearest known
    minimum at each position; step length, learning rate α_t, GD's limit 2/α_t ("limit") or the
    sharpness λ_max where it started, for each step (from step 1). The cost depends on DRAWN, not on
    the run's length.
    """
    n = len(run.path)
    with np.errstate(all="ignore"):
        if kind in PER_STEP:  # one value for each step t = 1 .. n − 1
            if n < 2:
                return np.empty(0), np.empty(0)
            idx = decimated_indices(n - 1, DRAWN) + 1
            if kind == "step":
                d = run.path[idx] - run.path[idx - 1]
                return idx, np.hypot(d[:, 0], d[:, 1])
            if kind == "sharpness":  # λ_max at θ_{t−1}, where step t started
                return idx, sharpness(surface, run.path[idx - 1])
            rates = run.learning_rates(idx)  # the rate each step used: its schedule's α_t, or the base rate
            return idx, rates if kind == "lr" else 2 / rates
        idx = decimated_indices(n, DRAWN)
        points = run.path[idx]
        if kind == "loss":
            values = surface.value(points)
            if log:
                values = np.abs(
                    values
                    - min((float(v) for v in surface.value(np.array(surface.minima).reshape(-1, 2))), default=0.0)
                )
            return idx, values
        return idx, nearest_minimum(points, np.array(surface.minima, dtype=float))[1]


class StepAxis(pg.AxisItem):
    """The step axis: whole steps only, written in full ("10", "20"), never "101112" or a ×1000 scale."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 (pyqtgraph's names)
        ticks = super().tickValues(minVal, maxVal, size)
        out = []
        for spacing, values in ticks:
            if spacing < 1:
                continue
            out.append((spacing, [v for v in values if float(v).is_integer()]))
        if not out:
            out = [(1.0, [float(v) for v in range(int(np.ceil(minVal)), int(np.floor(maxVal)) + 1)])]
        return out

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        return [str(round(v)) for v in values]


class PlotsDock(QDockWidget):
    def __init__(self, parent=None):
        super().__init__("Plots", parent)
        self.setObjectName("plotsDock")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.log_scale = QCheckBox("Log scale")
        self.log_scale.setObjectName("plotsLogScale")
        self.log_scale.setToolTip(
            "Logarithmic y axis. The loss is then shown as |loss − f*|, f* the lowest known minimum (0 if none)."
        )
        self.log_scale.toggled.connect(self._on_log_toggled)
        layout.addWidget(self.log_scale)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("plotsTabs")
        layout.addWidget(self.tabs, 1)
        self.plots: dict[str, pg.PlotWidget] = {}
        self.curves: dict[str, list[pg.PlotCurveItem]] = {k: [] for k in TABS}
        self.limits: list[pg.PlotCurveItem] = []  # the sharpness tab's 2/α_t, one dashed curve per run
        for kind in TABS:
            plot = pg.PlotWidget(background=BACKGROUND, axisItems={"bottom": StepAxis("bottom")})
            plot.setObjectName(f"{kind}Plot")
            plot.getAxis("left").enableAutoSIPrefix(False)  # plain numbers in the data's units, no hidden ×0.001
            plot.setLabel("bottom", "step")
            plot.setLabel("left", LABELS[kind])
            plot.showGrid(x=True, y=True, alpha=0.15)
            plot.setMinimumHeight(140)
            self.plots[kind] = plot
            self.tabs.addTab(plot, TITLES[kind])
            self.tabs.setTabToolTip(len(self.plots) - 1, TITLES[kind])
        self.plots["sharpness"].setTitle(SHARPNESS_NOTE, color="#c8c8c8", size="9pt")
        self.tabs.setTabToolTip(
            TABS.index("sharpness"),
            f"{TITLES['sharpness']}\n"
            "Gradient descent multiplies the error along the sharpest direction by (1 − α·λₘₐₓ) each step: it is "
            "stable while λₘₐₓ stays below 2/α. Where the solid curve rises above the dashed one, GD's zig-zag grows. "
            "The dashed line is drawn for GD runs only: momentum and Adam have limits of their own.",
        )
        self.no_minimum_note = "No known minimum on this surface: no distance to plot"
        self.setWidget(body)
        self._frame: Frame | None = None
        self._had_minima: bool | None = None
        self._sharpness_pending = False  # the Sharpness plot's title says the curvature is being worked out
        self.throttle = Throttle(0.1)
        self.tabs.currentChanged.connect(lambda _i: self._frame and self._draw(self._frame))

    def _on_log_toggled(self, on: bool) -> None:
        for kind, plot in self.plots.items():
            plot.setLogMode(y=on)
            plot.setLabel("left", "|loss − f*|" if (kind == "loss" and on) else LABELS[kind])
        if self._frame is not None:
            self._draw(self._frame)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_titles()

    def _fit_titles(self) -> None:
        """The tabs' full titles where they fit side by side, else their short ones (the full one in each tooltip):
        every tab in sight, none behind the tab bar's scroll arrows."""
        bar = self.tabs.tabBar()
        metrics = bar.fontMetrics()
        pad = bar.style().pixelMetric(bar.style().PixelMetric.PM_TabBarTabHSpace) + 6
        full = sum(metrics.horizontalAdvance(TITLES[k]) + pad for k in TABS)
        titles = TITLES if full <= self.tabs.width() else {**TITLES, **SHORT}
        for i, kind in enumerate(TABS):
            if self.tabs.tabText(i) != titles[kind]:
                self.tabs.setTabText(i, titles[kind])

    def current_kind(self) -> str:
        """The plot in front: one of TABS."""
        return TABS[self.tabs.currentIndex()]

    def show_tab(self, kind: str) -> None:
        """The dock shown, in front of its tab group, with the plot ``kind`` (one of TABS) in front."""
        self.tabs.setCurrentIndex(TABS.index(kind))
        self.show()
        self.raise_()

    def on_frame(self, frame: Frame) -> None:
        """Draw the shown tab, twenty times a second at most while playing; the others when shown."""
        self._frame = frame
        if self.throttle.due(frame):
            self._draw(frame)

    def _draw(self, frame: Frame) -> None:
        log = self.log_scale.isChecked()
        has_minima = bool(frame.surface.minima)
        if has_minima != self._had_minima:  # only when the surface changes
            self._had_minima = has_minima
            distance = self.plots["distance"].getPlotItem()
            distance.setTitle(None if has_minima else self.no_minimum_note, color="#c8c8c8", size="10pt")
            distance.getAxis("left").setStyle(showValues=has_minima)
        kind = self.current_kind()
        if kind == "sharpness":  # a typed formula's curvature may still be worked out (the status bar says so)
            pending = not frame.surface.hessian_ready()
            if pending != self._sharpness_pending:
                self._sharpness_pending = pending
                note = "Working out this formula's curvature…" if pending else SHARPNESS_NOTE
                self.plots["sharpness"].setTitle(note, color="#c8c8c8", size="9pt")
        curves = self.curves[kind]
        view = self.plots[kind].getPlotItem().getViewBox()
        if frame.step < MIN_SPAN:  # a point or two: show whole steps, not a range of thousandths
            view.setXRange(0, MIN_SPAN, padding=0.02)
        else:
            view.enableAutoRange(axis="x")
        if kind == "distance" and not has_minima:  # nothing to show: a plain, still frame, not 5e+23
            view.setXRange(0, max(frame.step, MIN_SPAN), padding=0.02)
            view.setYRange(0, 1, padding=0)
        if [c.opts["name"] for c in curves] != [r.label for r in frame.runs] or any(
            c.opts["pen"].color().name() != pg.mkColor(r.color).name() for c, r in zip(curves, frame.runs, strict=True)
        ):
            for c in curves:
                self.plots[kind].removeItem(c)
            curves[:] = [pg.PlotCurveItem(name=r.label, pen=pg.mkPen(r.color, width=2)) for r in frame.runs]
            for c in curves:
                self.plots[kind].addItem(c)
            if kind == "sharpness":
                for c in self.limits:
                    self.plots[kind].removeItem(c)
                dash = Qt.PenStyle.DashLine
                self.limits[:] = [
                    pg.PlotCurveItem(name=f"{r.label} 2/α", pen=pg.mkPen(r.color, width=1.6, style=dash))
                    for r in frame.runs
                ]
                for c in self.limits:
                    self.plots[kind].addItem(c)
        pairs = [(run, curve, kind) for run, curve in zip(frame.runs, curves, strict=True)]
        if kind == "sharpness":
            pairs += [(run, curve, "limit") for run, curve in zip(frame.runs, self.limits, strict=True)]
        for run, curve, what in pairs:
            # 2/α is gradient descent's limit: drawn for GD runs only (momentum and Adam have other limits)
            curve.setVisible(
                run.visible and (kind != "distance" or has_minima) and (what != "limit" or run.optimizer == "gd")
            )
            if curve.isVisible():
                x, y = series(run, what, frame.surface, log)
                if log:  # a bare curve item is not transformed by the axis: give it log10 values
                    with np.errstate(all="ignore"):
                        y = np.where(y > 0, np.log10(y), np.nan)
                curve.setData(x, y, connect="finite")
