"""The Network dock: several optimizers train copies of one small network, live, seen on one slice.

Pick the data, the network and the runs (one optimizer spec a line, as on the command line), then
Train. Four pictures follow the runs step by step:

- **Slice**: the training loss over a plane through parameter space (core/slices.py), computed off the
  GUI thread, with each run's path projected onto it. A random filter-normalized plane is one plane
  for all runs; the PCA plane is refitted to the paths whenever training pauses, with the share of the
  variance each axis explains in its title.
- **Off the plane**: each run's distance from the plane, step by step: how far the drawn landscape is
  from where the run really was.
- **Loss** and **Accuracy**: each run's training (solid) and test (dashed) loss, and share classified right.
- **Decision boundary**: the chosen run's σ(z) over the inputs, with the training points (for a curve to
  fit, one input: the run's ŷ(x) over the data).

A bad value is refused with a sentence under the buttons, and what was there stays as it was. The
training itself is :mod:`adamgui.core.training`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from adamgui.core.datasets import FILE, GENERATORS, MAX_NOISE, MAX_SIZE, MIN_SIZE, DataChoice
from adamgui.core.engine_spec import RUNNING
from adamgui.core.geometry import DRAWN, TrailClipper
from adamgui.core.history import grow
from adamgui.core.mlp import ACTIVATIONS
from adamgui.core.network_setup import NetworkSetup
from adamgui.core.params import ParamError
from adamgui.core.run import next_serial
from adamgui.core.scene import PALETTE
from adamgui.core.simulation import spec_from_text
from adamgui.core.slice_surface import slice_surface
from adamgui.core.slices import Plane, extent, loss_grid, make_plane
from adamgui.core.training import Training, make_task, parse_dataset, parse_model
from adamgui.gui.app.worker import Background, InBackground
from adamgui.gui.frame import Frame, RunFrame
from adamgui.gui.widgets.colors import BACKGROUND, colormap
from adamgui.gui.widgets.numbers import fmt

GRID = 48  # points a side of the slice's loss grid (48 x 48 networks: about 0.3 s here)
BOUNDARY = 64  # points a side of the decision boundary's picture
DEFAULT_RUNS = "gd:lr=0.5\nmomentum:lr=0.5\nadam:lr=0.01"


PATH_POINTS = 800  # a path on the slice is drawn through at most this many of its points (its first and last)


STEP_BINS = 400  # a curve against the step is drawn through at most two points (its low and high) a bin


def _envelope(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(steps, values) to draw ``y`` (one value a step) with: all of it up to 2 x STEP_BINS steps, else the lowest
    and highest value of each of STEP_BINS bins at the bin's first step (as pyqtgraph's peak downsampling draws:
    no spike is lost, and a frame's cost does not grow with the steps trained)."""
    n = len(y)
    if n <= 2 * STEP_BINS:
        return np.arange(n), y
    first = np.linspace(0, n, STEP_BINS + 1).astype(int)[:-1]
    with np.errstate(invalid="ignore"):
        low, high = np.minimum.reduceat(y, first), np.maximum.reduceat(y, first)
    return np.repeat(first, 2), np.column_stack([low, high]).ravel()


def _thinned(n: int) -> np.ndarray | slice:
    """Which of a path's ``n`` points the slice picture draws: all up to PATH_POINTS, else every k-th and the
    last (a long training's path, not a frame cost that grows with it)."""
    if n <= PATH_POINTS:
        return slice(None)
    every = -(-n // PATH_POINTS)
    return np.unique(np.append(np.arange(0, n, every), n - 1))


class _Shadow:
    """One run's path projected on a plane, kept as the run goes on: only new steps are projected, into room
    that doubles when full, and the box its finite points span is kept with it (frames cost no more as the
    training grows)."""

    def __init__(self, plane: Plane):
        self.plane = plane
        self.serial = next_serial()  # (a new path for the main views' caches)
        self.ab, self.distance, self.n = np.empty((64, 2)), np.empty(64), 0
        self.bounds = (np.inf, -np.inf, np.inf, -np.inf)  # (a0, a1, b0, b1) of its finite points

    def follow(self, path: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The coordinates (n, 2) and distances (n,) of every point of ``path`` (which only ever grows)."""
        if self.n < len(path):
            new = path[self.n :]
            while len(self.ab) < len(path):
                self.ab, self.distance = grow(self.ab, self.n), grow(self.distance, self.n)
            ab = self.plane.coordinates(new)
            self.ab[self.n : len(path)] = ab
            self.distance[self.n : len(path)] = self.plane.distance(new)
            self.n = len(path)
            ab = ab[np.isfinite(ab).all(axis=1)]
            if len(ab):
                a0, a1, b0, b1 = self.bounds
                low, high = ab.min(axis=0), ab.max(axis=0)
                self.bounds = (min(a0, low[0]), max(a1, high[0]), min(b0, low[1]), max(b1, high[1]))
        ab, distance = self.ab[: self.n], self.distance[: self.n]
        ab.flags.writeable = False  # (handed to the main views as a run's path)
        return ab, distance


class _Picture(pg.PlotWidget):
    """A plot that asks for a modest size: the dock scrolls its body to the height its parts prefer (its labels
    wrap), and pyqtgraph's 640 x 480 a plot made the four pictures twice the height of a laptop's screen."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(320, 240)


def _plot(name: str, title: str, x: str, y: str) -> pg.PlotWidget:
    view = _Picture(background=BACKGROUND, enableMenu=False)
    view.setObjectName(name)
    view.setTitle(title)
    view.setLabel("bottom", x)
    view.setLabel("left", y)
    view.setMinimumSize(200, 160)
    view.getPlotItem().hideButtons()
    return view


class NetworkDock(InBackground, QDockWidget):
    """Its own training, its own pictures; ``stepped(t)`` after every tick that trained (for tests and views)."""

    stepped = Signal(int)
    grid_ready = Signal()
    main_frame = Signal(object)  # the slice and the runs on it, as a Frame, for the main views; None: give them back
    opened = Signal()  # a session or chapter brought a training: the window shows the dock
    setup_changed = Signal(object)  # a NetworkSetup: a new training, or one paused (for the scene, and sessions)

    def __init__(self, parent=None):
        super().__init__("Network", parent)
        self.setObjectName("networkDock")
        self.training: Training | None = None
        self.plane: Plane | None = None
        self.grid_key = None  # what the slice picture shows: (plane, extent)
        self.background = Background(self)
        self.background.progressed.connect(self._on_progress)
        self.background.finished.connect(self._on_grid)
        self.background.failed.connect(self._on_grid_failed)
        self.background.cancelled.connect(self.background.end)
        self.timer = QTimer(self)
        self.timer.setInterval(30)
        self.timer.timeout.connect(self._tick)
        body = QWidget()
        row = QHBoxLayout(body)
        row.addWidget(self._controls(), 0)
        row.addWidget(self._pictures(), 1)
        body.setMinimumSize(760, 420)
        outer = QScrollArea()  # the dock asks for little room: on a small screen it scrolls, the window fits
        outer.setObjectName("networkScroll")
        outer.setWidget(body)
        outer.setWidgetResizable(True)
        outer.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.setMinimumSize(120, 100)
        self.setWidget(outer)
        self.surface = None  # the slice as the main views draw it (core/slice_surface.py), once its grid is in
        self._clipper: TrailClipper | None = None
        self.visibilityChanged.connect(self._on_visibility)

    # --- construction -------------------------------------------------------------------------------
    def _controls(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        column.addLayout(form)
        column.addStretch(1)  # the controls stay together at the top, however tall the pictures beside them
        self.dataset = QComboBox()
        self.dataset.setObjectName("networkDataset")
        for name in GENERATORS:
            self.dataset.addItem(name, name)
        self.dataset.addItem("iris (bundled)", "iris")
        self.dataset.addItem("diabetes (bundled, regression)", "diabetes")
        self.dataset.addItem("CSV file…", FILE)
        self.dataset.setCurrentIndex(self.dataset.findData("spirals"))
        self.dataset.setToolTip(
            "made from a seed (two classes), bundled (iris: two classes; diabetes: a curve to fit), or a CSV file "
            "with the columns x1,x2,label (two classes) or x,y (a curve)"
        )
        self.dataset.currentIndexChanged.connect(self._on_dataset_kind)
        self.data_file = QLineEdit()
        self.data_file.setObjectName("networkDataFile")
        self.data_file.setPlaceholderText("a CSV: x1,x2,label or x,y")
        self.browse = QPushButton("Browse…")
        self.browse.setObjectName("networkBrowse")
        self.browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.data_file, 1)
        file_row.addWidget(self.browse)
        self.file_box = QWidget()
        self.file_box.setLayout(file_row)
        file_row.setContentsMargins(0, 0, 0, 0)
        self.points = QSpinBox()  # (not "size": that would hide QWidget.size)
        self.points.setRange(MIN_SIZE, MAX_SIZE)
        self.points.setValue(200)
        self.noise = QDoubleSpinBox()
        self.noise.setRange(0.0, MAX_NOISE)
        self.noise.setSingleStep(0.05)
        self.noise.setValue(0.1)
        self.data_seed = QSpinBox()
        self.data_seed.setRange(0, 2**31 - 1)
        self.hidden = QLineEdit("16,16")
        self.hidden.setObjectName("networkHidden")
        self.hidden.setToolTip("units in each hidden layer, 1 to 3 layers of 1 to 32, e.g. 16,16")
        self.activation = QComboBox()
        self.activation.addItems(list(ACTIVATIONS))
        self.runs = QPlainTextEdit(DEFAULT_RUNS)
        self.runs.setObjectName("networkRuns")
        self.runs.setToolTip("one optimizer a line, as on the command line: adam:lr=0.01,beta1=0.9")
        self.runs.setFixedHeight(80)
        self.batch = QSpinBox()
        self.batch.setRange(0, MAX_SIZE)
        self.batch.setSpecialValueText("all rows")
        self.plane_kind = QComboBox()
        self.plane_kind.setObjectName("networkPlane")
        self.plane_kind.addItem("random (filter-normalized)", "random")
        self.plane_kind.addItem("PCA of the paths", "pca")
        self.plane_kind.currentIndexChanged.connect(self._on_plane_choice)
        self.plane_seed = QSpinBox()
        self.plane_seed.setRange(0, 2**31 - 1)
        self.center = QComboBox()
        self.center.setObjectName("networkCenter")
        self.center.addItem("the start (the runs' first weights)", "start")
        self.center.addItem("the best run's end (least training loss)", "best")
        self.center.setToolTip(
            "the point the plane goes through: the shared start, or where the best run is now (moved there "
            "whenever training pauses, as the PCA plane is refitted)"
        )
        self.center.currentIndexChanged.connect(self._on_plane_choice)
        self.speed = QSpinBox()
        self.speed.setRange(1, 50)
        self.speed.setValue(2)
        self.speed.setSuffix(" steps a frame")
        form.addRow("Data", self.dataset)
        form.addRow(self.file_box)
        form.addRow("Points", self.points)
        form.addRow("Noise", self.noise)
        form.addRow("Data seed", self.data_seed)
        form.addRow("Hidden layers", self.hidden)
        form.addRow("Activation", self.activation)
        form.addRow("Runs", self.runs)
        form.addRow("Batch size", self.batch)
        form.addRow("Plane", self.plane_kind)
        self.plane_note = QLabel("")
        self.plane_note.setObjectName("networkPlaneNote")
        self.plane_note.setWordWrap(True)
        form.addRow(self.plane_note)
        form.addRow("Plane seed", self.plane_seed)
        form.addRow("Centred on", self.center)
        self.on_main = QCheckBox("Show the slice in the 3D and contour views")
        self.on_main.setObjectName("networkOnMain")
        self.on_main.setToolTip(
            "the window's 3D and contour views draw this slice and the runs' shadows on it (the scene waits, "
            "paused, and comes back when this is unchecked or the dock is closed)"
        )
        self.on_main.toggled.connect(self._on_main_toggled)
        form.addRow(self.on_main)
        form.addRow("Speed", self.speed)
        buttons = QHBoxLayout()
        self.train_button = QPushButton("Train")
        self.train_button.setObjectName("networkTrain")
        self.train_button.setCheckable(True)
        self.train_button.toggled.connect(self._on_train_toggled)
        self.reset_button = QPushButton("Reset")
        self.reset_button.setObjectName("networkReset")
        self.reset_button.setToolTip("a new training from these settings, at step 0")
        self.reset_button.clicked.connect(self.reset)
        buttons.addWidget(self.train_button)
        buttons.addWidget(self.reset_button)
        form.addRow(buttons)
        self.status = QLabel("Choose the data, the network and the runs, then Train.")
        self.status.setObjectName("networkStatus")
        self.status.setWordWrap(True)
        form.addRow(self.status)
        self.progress = QProgressBar()
        self.progress.setMaximumHeight(10)
        self.progress.setTextVisible(False)
        form.addRow(self.progress)
        box.setMinimumWidth(280)
        box.setMaximumWidth(380)
        self._on_dataset_kind()
        return box

    def _on_dataset_kind(self) -> None:
        """Points and noise belong to made data; a seed shuffles any but a file's split; a file needs its name."""
        kind = self.dataset.currentData()
        for widget in (self.points, self.noise):
            widget.setEnabled(kind in GENERATORS)
        self.data_seed.setEnabled(kind != FILE)
        self.file_box.setVisible(kind == FILE)

    def _browse(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Data for the network", "", "CSV files (*.csv);;All files (*)")
        if path:
            self.data_file.setText(path)

    def _pictures(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.slice_view = _plot("networkSlice", "Slice", "a", "b")
        self.slice_image = pg.ImageItem(axisOrder="row-major")
        self.slice_image.setLookupTable(colormap().getLookupTable(nPts=256))
        self.slice_view.addItem(self.slice_image)
        self.distance_view = _plot("networkDistance", "Off the plane", "step", "distance")
        self.distance_view.addLegend(offset=(-10, 10))
        self.loss_view = _plot("networkLoss", "Loss (— train, - - test)", "step", "loss")
        self.loss_view.setLogMode(y=True)
        self.loss_view.getAxis("left").enableAutoSIPrefix(False)
        self.boundary_view = _plot("networkBoundary", "Decision boundary", "x1", "x2")
        self.boundary_image = pg.ImageItem(axisOrder="row-major")
        self.boundary_image.setLookupTable(pg.colormap.get("CET-D1").getLookupTable(nPts=256))
        self.boundary_view.addItem(self.boundary_image)
        # (a grey rim: the dark class shows on the dark background when every run's line is drawn without the picture)
        self.boundary_points = pg.ScatterPlotItem(size=5, pen=pg.mkPen("#9a9a9a", width=0.8))
        self.boundary_view.addItem(self.boundary_points)
        self.fit_curve = pg.PlotDataItem(pen=pg.mkPen("#ffd21f", width=2.5))  # regression: the run's ŷ(x)
        self.boundary_view.addItem(self.fit_curve)
        self.boundary_run = QComboBox()
        self.boundary_run.setObjectName("networkBoundaryRun")
        self.boundary_run.currentIndexChanged.connect(lambda _: self._draw_boundary())
        grid.addWidget(self.slice_view, 0, 0)
        grid.addWidget(self.distance_view, 0, 1)
        self.accuracy_view = _plot("networkAccuracy", "Share right (— train, - - test)", "step", "share right")
        self.accuracy_view.setYRange(0, 1, padding=0.02)
        self.curves = QTabWidget()
        self.curves.setObjectName("networkCurves")
        self.curves.addTab(self.loss_view, "Loss")
        self.curves.addTab(self.accuracy_view, "Accuracy")
        grid.addWidget(self.curves, 1, 0)
        right = QVBoxLayout()
        right.addWidget(self.boundary_run)
        right.addWidget(self.boundary_view, 1)
        grid.addLayout(right, 1, 1)
        self.boundary_lines: list[pg.PlotDataItem] = []  # every run's boundary or curve, when all are shown
        self.path_items: list[pg.PlotDataItem] = []
        self.distance_items: list[pg.PlotDataItem] = []
        self.loss_items: list[tuple[pg.PlotDataItem, pg.PlotDataItem]] = []
        self.accuracy_items: list[tuple[pg.PlotDataItem, pg.PlotDataItem]] = []
        return box

    # --- training -----------------------------------------------------------------------------------
    def _texts(self) -> tuple[str, str, list[str]]:
        """The network, the data and the runs as the controls say, in the command line's words."""
        model = f"mlp:hidden={self.hidden.text().strip()},activation={self.activation.currentText()}"
        choice = DataChoice(
            self.dataset.currentData(),
            self.points.value(),
            self.noise.value(),
            self.data_seed.value(),
            self.data_file.text().strip(),
        )
        dataset = choice.text
        return model, dataset, [line.strip() for line in self.runs.toPlainText().splitlines() if line.strip()]

    def setup(self) -> NetworkSetup | None:
        """What is trained now, and how far (None before the first training)."""
        if self.training is None:
            return None
        return NetworkSetup(
            *self._made_from,
            self.training.task.batch_size,
            self.plane_kind.currentData(),
            self.plane_seed.value(),
            self.training.t,
            self.center.currentData(),
        )

    def on_scene(self, scene) -> None:
        """A scene that carries a network (a session opened): its runs trained again to where they were, shown."""
        setup = scene.network
        if setup is None or setup == self.setup():
            return
        self.pause()
        choice = parse_dataset(setup.dataset)  # (checked when the scene was made)
        mlp = parse_model(setup.model)
        self.dataset.setCurrentIndex(self.dataset.findData(choice.name))
        self.points.setValue(choice.size)
        self.noise.setValue(choice.noise)
        self.data_seed.setValue(choice.seed)
        self.data_file.setText(choice.path)
        self.hidden.setText(",".join(map(str, mlp.hidden)))
        self.activation.setCurrentText(mlp.activation)
        self.runs.setPlainText("\n".join(setup.runs))
        self.batch.setValue(setup.batch_size)
        self.plane_seed.setValue(setup.plane_seed)
        for box, value in ((self.plane_kind, setup.plane), (self.center, setup.center)):
            with_signals = box.blockSignals(True)
            box.setCurrentIndex(box.findData(value))
            box.blockSignals(with_signals)
        if self.reset(announce=False):
            self.training.step(setup.steps)
            self._fit_plane()
            self._draw()
            self.status.setText(f"Trained again to step {self.training.t}, where the scene left it.")
            self.opened.emit()  # (the window shows it, with room)

    def reset(self, announce: bool = True) -> bool:
        """A new training from the controls, at step 0; False (and the old one kept) if a value is refused."""
        model_text, dataset, lines = self._texts()
        try:
            model = parse_model(model_text)
            task = make_task(model, dataset, 0, self.batch.value())
            specs = []
            for line in lines:
                try:
                    specs.append(spec_from_text(line))
                except ParamError as e:
                    raise ParamError(f"Run {line!r}: {e}") from None
            training = Training(task, specs)
        except ParamError as e:
            self.status.setText(str(e))
            self.train_button.setChecked(False)
            return False
        self.train_button.setChecked(False)
        self.training = training
        self._projections: dict[int, _Shadow] = {}  # run -> its path projected on the plane, kept as it grows
        self._made_from = (model_text, dataset, tuple(lines))
        self.plane = None
        self._new_runs()
        self._fit_plane()
        self._draw()
        self.status.setText(
            f"{model.size} parameters, {len(task.train.y)} training and {len(task.test.y)} test points; step 0."
        )
        if announce:
            self.setup_changed.emit(self.setup())
        return True

    def _new_runs(self) -> None:
        for view, items in (
            (self.slice_view, self.path_items),
            (self.distance_view, self.distance_items),
            (self.loss_view, [item for pair in self.loss_items for item in pair]),
            (self.accuracy_view, [item for pair in self.accuracy_items for item in pair]),
        ):
            for item in items:  # through its plot: out of the plot's items and its legend too
                view.removeItem(item)
        self.path_items, self.distance_items, self.loss_items, self.accuracy_items = [], [], [], []
        for k, label in enumerate(self.training.labels):
            color = PALETTE[k % len(PALETTE)]
            path = pg.PlotDataItem(pen=pg.mkPen(color, width=2), name=label)
            self.slice_view.addItem(path)
            self.path_items.append(path)
            self.distance_items.append(self.distance_view.plot(pen=pg.mkPen(color, width=2), name=label))
            train = self.loss_view.plot(pen=pg.mkPen(color, width=2))
            test = self.loss_view.plot(pen=pg.mkPen(color, width=1.5, style=Qt.PenStyle.DashLine))
            self.loss_items.append((train, test))
            self.accuracy_items.append(
                (
                    self.accuracy_view.plot(pen=pg.mkPen(color, width=2)),
                    self.accuracy_view.plot(pen=pg.mkPen(color, width=1.5, style=Qt.PenStyle.DashLine)),
                )
            )
        with_signals = self.boundary_run.blockSignals(True)
        self.boundary_run.clear()
        regression = self.training.task.model.task == "regression"
        self.curves.setTabEnabled(1, not regression)  # a curve to fit has no share right
        if regression:
            self.curves.setCurrentIndex(0)
        what = "Fitted curve of" if regression else "Boundary of"
        self.boundary_run.addItems([f"{what} {label}" for label in self.training.labels])
        self.boundary_run.addItem("Every run's fitted curve" if regression else "Every run's boundary (p = ½)")
        for item in self.boundary_lines:
            self.boundary_view.removeItem(item)
        self.boundary_lines = []
        for k in range(len(self.training.labels)):  # (for "every run": each its own colour)
            line = pg.PlotDataItem(pen=pg.mkPen(PALETTE[k % len(PALETTE)], width=2.5), connect="finite")
            self.boundary_view.addItem(line)
            self.boundary_lines.append(line)
        self.boundary_view.setTitle("Fitted curve" if regression else "Decision boundary")
        self.boundary_view.setLabel("bottom", "x" if regression else "x1")
        self.boundary_view.setLabel("left", "y" if regression else "x2")
        self.boundary_points.setData([], [])
        self.boundary_run.blockSignals(with_signals)

    def _on_train_toggled(self, on: bool) -> None:
        if on and self.training is None and not self.reset():
            return
        if on:
            self.train_button.setChecked(True)
            self.train_button.setText("Pause")
            self.timer.start()
        else:
            self.timer.stop()
            self.train_button.setText("Train")
            if self.training is not None and (self.plane_kind.currentData() == "pca" or self._moving_center()):
                self._fit_plane()  # the PCA plane and the best run's end follow the paths: refitted when they stop
                self._draw()
            if self.training is not None:
                self.setup_changed.emit(self.setup())

    def pause(self) -> None:
        self.train_button.setChecked(False)

    def _tick(self) -> None:
        t = self.training
        if t is None:
            return
        t.step(self.speed.value())
        self._draw()
        running = int((t.status == 0).sum())
        full = t.t >= t.max_steps
        self.status.setText(
            f"Step {t.t}. "
            + "; ".join(
                f"{label}: {t.status_text(k)}, {t.score_text(k)}, {self._projected(k)[1][-1]:.3g} off the plane"
                for k, label in enumerate(t.labels)
            )
            + ("" if running else ". Every run has stopped.")
            + (
                f". Stopped at step {t.max_steps:,}: every weight of every step is kept, and that is as many steps "
                "of these runs as fit the memory set aside for them."
                if full and running
                else ""
            )
        )
        if not running or full:
            self.pause()
        self.stepped.emit(t.t)

    # --- the plane and its picture ------------------------------------------------------------------
    def _on_plane_choice(self) -> None:
        if self.training is not None:
            self._fit_plane()
            self._draw()
            self.setup_changed.emit(self.setup())

    def _moving_center(self) -> bool:
        return self.center.currentData() == "best"

    def _fit_plane(self) -> None:
        t = self.training
        paths = [t.path(k) for k in range(len(t.labels))]
        kind = self.plane_kind.currentData()
        center = t.center(self.center.currentData())
        try:
            self.plane = make_plane(kind, t.task.model, center, paths, self.plane_seed.value())
        except ParamError as e:
            if kind == "pca":  # too few steps yet: the random plane until there are
                self.status.setText(f"{e}; the random plane is shown meanwhile.")
                self.plane = make_plane("random", t.task.model, center, paths, self.plane_seed.value())
            else:
                raise
        self.slice_view.setTitle("Slice (random plane)" if self.plane.kind == "random" else "Slice (PCA plane)")
        if self.plane.explained is not None:
            a, b = self.plane.explained
            note = f"a explains {a:.1%} and b {b:.1%} of the paths' variance"
        else:
            note = "one plane for every run: directions scaled to each unit's weights"
        best = t.best() if self._moving_center() else None
        if best is not None:
            note += f"; (0, 0) is {t.labels[best]}'s point at step {t.t}"
        self.plane_note.setText(note)
        self.grid_key = None
        self.surface = None  # (the main views keep the last slice until this plane's grid is in)

    def _want_grid(self, coords: list[np.ndarray]) -> None:
        """Compute the loss over the slice off the GUI thread, when the plane changed or the paths left it."""
        if self.thread is not None:
            return
        shown = self.grid_key
        if shown is not None and shown[0] is self.plane:
            a0, a1, b0, b1 = shown[1]
            bounds = np.array([self._projections[k].bounds for k in range(len(coords))])  # (kept as paths grow)
            if (
                a0 <= bounds[:, 0].min()
                and bounds[:, 1].max() <= a1
                and b0 <= bounds[:, 2].min()
                and (bounds[:, 3].max() <= b1)
            ):
                return
        window = extent(coords)
        plane, model, data = self.plane, self.training.task.model, self.training.task.train
        key = (plane, window)

        def job(progress):
            a, b = np.meshgrid(np.linspace(window[0], window[1], GRID), np.linspace(window[2], window[3], GRID))
            progress(0, 1)
            return loss_grid(model, data, plane, a, b)

        self.background.start(key, job)

    def _on_grid(self, key, grid) -> None:
        self.background.end()
        plane, (a0, a1, b0, b1) = key
        if plane is self.plane:
            finite = grid[np.isfinite(grid)]
            with np.errstate(all="ignore"):
                shown = np.log10(np.maximum(grid, 1e-12))
            levels = (float(np.log10(max(finite.min(), 1e-12))), float(np.log10(max(finite.max(), 1e-12))))
            if levels[1] <= levels[0]:
                levels = (levels[0], levels[0] + 1)
            self.slice_image.setImage(shown, levels=levels)
            self.slice_image.setRect(a0, b0, a1 - a0, b1 - b0)
            kind = "random plane" if plane.kind == "random" else "PCA plane"
            self.surface = slice_surface(
                grid,
                (a0, a1, b0, b1),
                f"Network slice ({kind})",
                f"The training loss of a {self.training.d}-parameter network on a plane through its weights; "
                "each path is a run's shadow on it (the Network dock plots how far off the plane each run is).",
            )
            self.grid_key = key
            self.grid_ready.emit()
        if self.training is not None:
            self._draw()  # (the paths may have left this picture meanwhile)

    def _on_grid_failed(self, text: str) -> None:
        self.background.end()
        self.status.setText(text)

    # --- drawing ------------------------------------------------------------------------------------
    def _draw(self) -> None:
        t = self.training
        if t is None or self.plane is None:
            return
        coords = []
        for k in range(len(t.labels)):
            ab, distance = self._projected(k)
            coords.append(ab)
            shown = ab[_thinned(len(ab))]
            self.path_items[k].setData(shown[:, 0], shown[:, 1])
            self.distance_items[k].setData(*_envelope(distance))
            train, test = self.loss_items[k]
            train.setData(*_envelope(np.maximum(t.losses(k), 1e-12)))
            test.setData(*_envelope(np.maximum(t.losses(k, t.task.test), 1e-12)))
            if t.task.model.task == "classification":
                train, test = self.accuracy_items[k]
                train.setData(*_envelope(t.accuracies(k)))
                test.setData(*_envelope(t.accuracies(k, t.task.test)))
        self._want_grid(coords)
        self._draw_boundary()
        if self.on_main.isChecked() and self.surface is not None:
            self.main_frame.emit(self._frame(coords))

    # --- the slice in the main views ----------------------------------------------------------------
    def _on_main_toggled(self, on: bool) -> None:
        if not on:
            self.main_frame.emit(None)
        elif self.training is not None:
            self._draw()

    def _on_visibility(self, visible: bool) -> None:
        if not visible:  # closed (not merely behind another tab, nor docked or floated, which hides it a moment)
            QTimer.singleShot(0, lambda: self.isHidden() and self.on_main.setChecked(False))

    def _frame(self, coords: list[np.ndarray]) -> Frame:
        """The runs on the slice as the main views take them: each path its (a, b) on the plane, each loss its
        true training loss (which the sheet under it differs from by what is off the plane)."""
        t, surface = self.training, self.surface
        ranges = (surface.x_range, surface.y_range)
        if self._clipper is None or self._clipper.ranges != ranges:
            self._clipper = TrailClipper(*ranges, DRAWN)
        serials = [self._projections[k].serial for k in range(len(t.labels))]
        drawn = self._clipper.trails([(k, serials[k], coords[k]) for k in range(len(t.labels))])
        runs = tuple(
            RunFrame(
                k,
                serials[k],
                serials[k],
                label,
                t.specs[k].optimizer,
                PALETTE[k % len(PALETTE)],
                True,
                coords[k],
                float(t.losses(k)[-1]),
                "running" if t.status[k] == RUNNING else "diverged",
                t.status_text(k),
                drawn=drawn[k],
                facts=self.facts(k),
            )
            for k, label in enumerate(t.labels)
        )
        return Frame(t.t, t.t, t.max_steps, surface, (0.0, 0.0), runs, live=self.timer.isActive())

    def facts(self, k: int) -> tuple[tuple[str, str, str], ...]:
        """Run ``k`` now, as the step inspector lists it: its losses (and share right), where its shadow is on
        the plane and how far off the plane it really is, and how far it moved from the start."""
        t = self.training
        ab, distance = self._projected(k)
        rows = [
            ("training loss", fmt(t.losses(k)[-1]), ""),
            ("test loss", fmt(t.losses(k, t.task.test)[-1]), ""),
        ]
        if t.task.model.task == "classification":
            rows.append(("share right (train, test)", f"{t.accuracy(k):.1%}", f"{t.accuracy(k, t.task.test):.1%}"))
        rows += [
            ("shadow on the plane (a, b)", fmt(ab[-1, 0]), fmt(ab[-1, 1])),
            ("distance off the plane", fmt(distance[-1]), ""),
            ("distance from the start ‖θ − θ₀‖", fmt(float(np.linalg.norm(t.path(k)[-1] - t.task.theta0))), ""),
            ("status", t.status_text(k), ""),
        ]
        return tuple(rows)

    def _projected(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Run ``k``'s path on the plane and its distance off it at every step: the steps recorded since the
        last frame projected, the rest kept (a frame's cost does not grow with the training)."""
        shadow = self._projections.get(k)
        if shadow is None or shadow.plane is not self.plane:  # another plane: a new path for the views' caches
            shadow = self._projections[k] = _Shadow(self.plane)
        return shadow.follow(self.training.path(k))

    def _draw_boundary(self) -> None:
        """The chosen run's σ(z) over the inputs (or its ŷ(x)), or, the last choice, every run's boundary
        p = ½ (or fitted curve) as a line in its colour over the data."""
        t = self.training
        k = self.boundary_run.currentIndex()
        if t is None or k < 0:
            return
        every = k == len(t.labels)
        runs = range(len(t.labels)) if every else (k,)
        X, y = t.task.train.X, t.task.train.y
        if not every:
            for line in self.boundary_lines:
                line.setData([], [])
        if t.task.model.task == "regression":  # one input: the data and the runs' ŷ(x) over them
            x0, x1 = float(X[:, 0].min()), float(X[:, 0].max())
            xs = np.linspace(x0, x1, 4 * BOUNDARY)
            with np.errstate(all="ignore"):
                fits = t.task.model.outputs(t.theta[list(runs)], xs[:, None])
            self.boundary_image.hide()
            if every:
                self.fit_curve.setData([], [])
                for j, fit in zip(runs, fits, strict=True):
                    self.boundary_lines[j].setData(xs, fit)
            else:
                self.fit_curve.setData(xs, fits[0])
            if len(self.boundary_points.data) != len(y):
                self.boundary_points.setData(X[:, 0], y, brush=pg.mkBrush("#f0f0f0"))
            return
        self.fit_curve.setData([], [])
        (x0, y0), (x1, y1) = X.min(axis=0) - 0.3, X.max(axis=0) + 0.3
        gx, gy = np.meshgrid(np.linspace(x0, x1, BOUNDARY), np.linspace(y0, y1, BOUNDARY))
        with np.errstate(all="ignore"):
            z = t.task.model.outputs(t.theta[list(runs)], np.column_stack([gx.ravel(), gy.ravel()]))
            p = 0.5 * (1 + np.tanh(0.5 * z))
        if every:
            self.boundary_image.hide()
            dx, dy = (x1 - x0) / (BOUNDARY - 1), (y1 - y0) / (BOUNDARY - 1)
            for j, probabilities in zip(runs, p, strict=True):
                xs, ys = [], []
                for polyline in pg.functions.isocurve(probabilities.reshape(BOUNDARY, BOUNDARY), 0.5, connected=True):
                    rows, cols = np.array(polyline, dtype=float).T - 0.5  # (isocurve counts from cell centres)
                    xs += [*(x0 + cols * dx), np.nan]
                    ys += [*(y0 + rows * dy), np.nan]
                self.boundary_lines[j].setData(np.array(xs), np.array(ys))
        else:
            self.boundary_image.show()
            self.boundary_image.setImage(p[0].reshape(BOUNDARY, BOUNDARY), levels=(0.0, 1.0))
            self.boundary_image.setRect(x0, y0, x1 - x0, y1 - y0)
        if len(self.boundary_points.data) != len(y):
            brushes = [pg.mkBrush("#f0f0f0" if label >= 0.5 else "#202020") for label in y]
            self.boundary_points.setData(X[:, 0], X[:, 1], brush=brushes)

    def boundary_line(self, k: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Run ``k``'s boundary (or curve) as drawn when every run's is shown (for tests); None when not drawn."""
        xs, ys = self.boundary_lines[k].getData()
        return None if xs is None or not len(xs) else (xs, ys)

    def boundary_picture(self) -> np.ndarray | None:
        """The decision boundary's probabilities as drawn (for tests)."""
        return self.boundary_image.image

    def fitted_curve(self) -> tuple[np.ndarray, np.ndarray] | None:
        """A regression's drawn curve ŷ(x), as (x, ŷ) (for tests); None when nothing is drawn."""
        xs, ys = self.fit_curve.getData()
        return None if xs is None or not len(xs) else (xs, ys)
