"""Loss, step length and distance to the nearest minimum against the step, for every run."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QDockWidget, QTabWidget, QVBoxLayout, QWidget

from adamgui.core.surfaces import Surface
from adamgui.gui.frame import Frame, RunFrame

TABS = ("loss", "step", "distance")
TITLES = {"loss": "Loss", "step": "Step length", "distance": "Distance to minimum"}


def series(run: RunFrame, kind: str, surface: Surface, log: bool) -> tuple[np.ndarray, np.ndarray]:
    """(steps, values) of one curve."""
    n = len(run.path)
    if kind == "loss":
        values = run.losses
        if log:
            best = min((float(surface.value(np.array([m]))[0]) for m in surface.minima), default=0.0)
            values = np.abs(values - best)
        return np.arange(n), values
    if kind == "step":
        return np.arange(1, n), np.hypot(*np.diff(run.path, axis=0).T)
    minima = np.array(surface.minima, dtype=float)
    d = np.hypot(run.path[:, None, 0] - minima[None, :, 0], run.path[:, None, 1] - minima[None, :, 1])
    return np.arange(n), d.min(axis=1)


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
        self.curves: dict[str, list[pg.PlotDataItem]] = {k: [] for k in TABS}
        self.notes: dict[str, pg.TextItem] = {}
        for kind in TABS:
            plot = pg.PlotWidget(background="#1b1d23")
            plot.setObjectName(f"{kind}Plot")
            plot.setLabel("bottom", "step")
            plot.setLabel("left", TITLES[kind].lower())
            plot.showGrid(x=True, y=True, alpha=0.15)
            plot.setMinimumHeight(140)
            self.plots[kind] = plot
            self.tabs.addTab(plot, TITLES[kind])
        note = pg.TextItem("No known minimum on this surface.", color="#c8c8c8", anchor=(0.5, 0.5))
        self.plots["distance"].addItem(note)
        self.notes["distance"] = note
        self.setWidget(body)
        self._frame: Frame | None = None

    def _on_log_toggled(self, on: bool) -> None:
        for kind, plot in self.plots.items():
            plot.setLogMode(y=on)
            label = "|loss − f*|" if (kind == "loss" and on) else TITLES[kind].lower()
            plot.setLabel("left", label)
        if self._frame is not None:
            self.on_frame(self._frame)

    def on_frame(self, frame: Frame) -> None:
        self._frame = frame
        log = self.log_scale.isChecked()
        has_minima = bool(frame.surface.minima)
        self.notes["distance"].setVisible(not has_minima)
        for kind in TABS:
            curves = self.curves[kind]
            if [c.opts["name"] for c in curves] != [r.label for r in frame.runs] or any(
                c.opts["pen"].color().name() != pg.mkColor(r.color).name()
                for c, r in zip(curves, frame.runs, strict=True)
            ):
                for c in curves:
                    self.plots[kind].removeItem(c)
                curves[:] = [self.plots[kind].plot(name=r.label, pen=pg.mkPen(r.color, width=2)) for r in frame.runs]
                for c in curves:
                    c.setDownsampling(auto=True, method="peak")
                    c.setClipToView(True)
            for run, curve in zip(frame.runs, curves, strict=True):
                curve.setVisible(run.visible and (kind != "distance" or has_minima))
                if curve.isVisible():
                    x, y = series(run, kind, frame.surface, log)
                    curve.setData(x, y)
