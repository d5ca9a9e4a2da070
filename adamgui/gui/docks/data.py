"""The Data panel: when the surface is a model's loss, its data and each run's model at the shown step
(the fitted line, the decision boundary, the neuron's curve); scrubbing the timeline moves them."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDockWidget, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from adamgui.core.models import LinearRegression, LogisticRegression, Neuron, OnlineLinear
from adamgui.gui.frame import Frame
from adamgui.gui.widgets.colors import BACKGROUND

CLASS_COLORS = ("#f0e442", "#cc79a7")  # label 0 and label 1: apart from every run color and each other
CURVE_POINTS = 200


def model_lines(model, params: np.ndarray, x_range: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """The drawn model for parameters ``params`` (2,): its (x, y) over ``x_range`` (data coordinates)."""
    a, b = float(params[0]), float(params[1])
    if isinstance(model, LinearRegression):
        xs = np.array(x_range, float)
        return xs, a * xs + b
    if isinstance(model, Neuron):
        xs = np.linspace(*x_range, CURVE_POINTS)
        return xs, np.tanh(a * xs + b)
    if isinstance(model, OnlineLinear):  # the data are the gradients themselves: no fitted line to draw
        return np.empty(0), np.empty(0)
    if isinstance(model, LogisticRegression):  # the boundary w₁x₁ + w₂x₂ = 0, clipped to the view's square
        lo, hi = x_range
        if abs(b) >= abs(a):  # x₂ = −(w₁/w₂)·x₁
            xs = np.array([lo, hi])
            return xs, -a / b * xs if b else xs * np.nan
        ys = np.array([lo, hi])
        return -b / a * ys if a else ys * np.nan, ys
    raise TypeError(f"not a model: {model!r}")


class DataPanel(QDockWidget):
    data_requested = Signal(str)  # the user's CSV for the model ('' for the bundled data)

    def __init__(self, parent=None):
        super().__init__("Data", parent)
        self.setObjectName("dataPanel")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 2, 4, 4)
        top = QHBoxLayout()
        self.note = QLabel()
        self.note.setObjectName("dataNote")
        self.note.setWordWrap(True)
        top.addWidget(self.note, 1)
        self.load_button = QPushButton("Your data...")
        self.load_button.setObjectName("dataLoad")
        self.load_button.setToolTip(
            "A CSV with a header row: x,y for linear regression and the neuron; x1,x2,label (0 or 1) for "
            "logistic regression"
        )
        self.load_button.clicked.connect(self._ask_for_data)
        self.bundled_button = QPushButton("Bundled data")
        self.bundled_button.setObjectName("dataBundled")
        self.bundled_button.clicked.connect(lambda: self.data_requested.emit(""))
        top.addWidget(self.load_button)
        top.addWidget(self.bundled_button)
        layout.addLayout(top)
        self.plot = pg.PlotWidget(background=BACKGROUND)
        self.plot.setObjectName("dataPlot")
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        layout.addWidget(self.plot, 1)
        self.setWidget(body)
        self.model = None
        self.points: list[pg.ScatterPlotItem] = []
        self.fits: list[pg.PlotDataItem] = []  # one per run, in its color
        self._range: tuple[float, float] = (0.0, 1.0)
        self.set_model(None, ("x", "y"))

    def set_model(self, model, axes, description: str = "") -> None:
        """Show ``model``'s data (or a note when the surface is not a model)."""
        self.model = model
        self.plot.clear()
        self.points, self.fits = [], []
        self.plot.setVisible(model is not None)
        self.load_button.setEnabled(model is not None)
        self.bundled_button.setEnabled(model is not None)
        if model is None:
            self.note.setText(
                "Choose a model's loss as the surface (Linear regression, Logistic regression, One tanh "
                "neuron) to see its data here, and each run's model at the shown step."
            )
            return
        item = self.plot.getPlotItem()
        if isinstance(model, OnlineLinear):  # a sequence, not a data set to fit: it cannot be replaced by a file
            self.load_button.setEnabled(False)
            self.bundled_button.setEnabled(False)
            self.note.setText(
                f"The gradient in x of each step, in order, one row a step: c = {model.y[0]:g} once every "
                f"{len(model.y)} steps and {model.y[1]:g} at the others (Reddi et al.). Their mean, {model.c:.3g}, "
                "is the slope of the surface. The runs' x: Plots > Distance to minimum."
            )
            self.points.append(pg.ScatterPlotItem(model.x, model.y, size=6, brush="#d0d0d0", pen=None))
            item.setLabel("bottom", "row (the step, modulo its length)")
            item.setLabel("left", "gradient c")
            self._range = (0.0, float(len(model.y) + 1))
            self.plot.setXRange(*self._range, padding=0)
            self.plot.setYRange(float(model.y.min()) - 60, float(model.y.max()) + 60, padding=0)
        elif isinstance(model, LogisticRegression):
            X, y = model.X, model.y
            self.note.setText(
                f"{len(y)} iris flowers, petal length and width standardised: versicolor (yellow) and "
                f"virginica (pink). Each run's line is its boundary w₁x₁ + w₂x₂ = 0 at the shown step."
            )
            if description.startswith("Your data"):
                self.note.setText(
                    f"{description} Label 0 yellow, label 1 pink; each run's line is its boundary "
                    "w₁x₁ + w₂x₂ = 0 at the shown step."
                )
                item.setLabel("bottom", "x1")
                item.setLabel("left", "x2")
            for label, color in enumerate(CLASS_COLORS):
                mine = y == label
                self.points.append(pg.ScatterPlotItem(X[mine, 0], X[mine, 1], size=7, brush=color, pen=None))
            if not description.startswith("Your data"):
                item.setLabel("bottom", "petal length (standardised)")
                item.setLabel("left", "petal width (standardised)")
            span = float(np.abs(X).max()) * 1.15
            self._range = (-span, span)
            self.plot.setXRange(-span, span, padding=0)
            self.plot.setYRange(-span, span, padding=0)
        else:
            x, y = model.x, model.y
            linear = isinstance(model, LinearRegression)
            self.note.setText(
                f"{len(y)} diabetes patients: body-mass index / 10 against disease progression / 100. "
                "Each run's line is its fit ŷ = w·x + b at the shown step."
                if linear
                else f"{len(y)} points made by y = tanh(1.5x − 1) + noise. "
                "Each run's curve is its neuron ŷ = tanh(w·x + b) at the shown step."
            )
            if description.startswith("Your data"):
                self.note.setText(
                    f"{description} Each run's {'line ŷ = w·x + b' if linear else 'curve ŷ = tanh(w·x + b)'} "
                    "at the shown step."
                )
            self.points.append(pg.ScatterPlotItem(x, y, size=6, brush="#d0d0d0", pen=None))
            item.setLabel("bottom", "x")
            item.setLabel("left", "y")
            pad = 0.05 * (x.max() - x.min())
            self._range = (float(x.min() - pad), float(x.max() + pad))
            self.plot.setXRange(*self._range, padding=0)
            y_pad = 0.15 * (y.max() - y.min())
            self.plot.setYRange(float(y.min() - y_pad), float(y.max() + y_pad), padding=0)
        for points in self.points:
            self.plot.addItem(points)

    def _ask_for_data(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Your data", "", "CSV files (*.csv);;All files (*)")
        if path:
            self.data_requested.emit(path)

    def on_frame(self, frame: Frame) -> None:
        model = frame.surface.model
        if model is not self.model:
            self.set_model(model, frame.surface.axes, frame.surface.description)
        if model is None:
            return
        while len(self.fits) < len(frame.runs):
            fit = pg.PlotDataItem()
            self.plot.addItem(fit)
            self.fits.append(fit)
        while len(self.fits) > len(frame.runs):
            self.plot.removeItem(self.fits.pop())
        for run, fit in zip(frame.runs, self.fits, strict=True):
            fit.setVisible(run.visible and bool(np.isfinite(run.position).all()))
            if fit.isVisible():
                xs, ys = model_lines(model, run.position, self._range)
                fit.setData(xs, ys, pen=pg.mkPen(run.color, width=2.5))
