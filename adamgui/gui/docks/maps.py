"""The Maps dock: basin maps of two runs side by side, and hyperparameter sweep heatmaps.

Both are computed on a worker thread (the window keeps painting), show progress,
can be cancelled (the previous picture stays), are cached until their inputs
change, and can be saved as a picture or as numbers. A click on a basin map
starts the runs from that point; a click on a sweep cell gives its run those
hyperparameters and replays it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from adamgui.core import limits, map_files, maps
from adamgui.core.files import FileProblem
from adamgui.core.map_requests import BasinRequest, RunInputs, SweepRequest, computed_spec
from adamgui.core.optimizers import get_optimizer
from adamgui.core.params import ParamError
from adamgui.core.scene import Scene
from adamgui.gui.app.pictures import ExportError, write_png
from adamgui.gui.app.worker import InBackground
from adamgui.gui.docks.map_jobs import MapJobs
from adamgui.gui.widgets.colors import BACKGROUND


def _sweepable(optimizer: str) -> list[str]:
    return [p.name for p in get_optimizer(optimizer).params if not p.is_bool]


def sweep_values(s, by_steps: bool) -> tuple[np.ndarray, str]:
    """What a sweep's heatmap shows, and the colour bar's words for it.

    Final losses on a log scale; where some are zero or negative (a saddle, a formula), the scale
    is of the loss above the lowest one in the sweep, and the label says so with that number.
    """
    with np.errstate(all="ignore"):
        if by_steps:
            return np.where(s.steps >= 0, s.steps, np.nan).astype(float), "steps to converge"
        finite = s.loss[np.isfinite(s.loss)]
        if finite.size and finite.min() <= 0:
            low = float(finite.min())
            above = s.loss - low
            tiny = max(float(np.max(above[np.isfinite(above)])) * 1e-12, 1e-300)
            return np.log10(above + tiny), f"log10(final loss − lowest, {low:.4g})"
        return np.log10(s.loss), "log10 final loss"


def _picture(name: str) -> tuple[pg.PlotWidget, pg.ImageItem]:
    view = pg.PlotWidget(background=BACKGROUND, enableMenu=False)  # (no menu made: 4 ms each at start-up)
    view.setObjectName(name)
    view.setMinimumSize(180, 180)
    view.getPlotItem().hideButtons()
    image = pg.ImageItem(axisOrder="row-major")
    view.addItem(image)
    return view, image


class MapsDock(InBackground, QDockWidget):
    """Listens to the scene; asks for changes with ``start_requested`` and ``params_requested``."""

    start_requested = Signal(float, float)
    params_requested = Signal(int, dict)  # (run key, hyperparameters): replay that run with them

    def __init__(self, parent=None):
        super().__init__("Maps", parent)
        self.setObjectName("mapsDock")
        self.scene = Scene()
        self.jobs = MapJobs(self)  # the computations and their results, kept by request
        self.background = self.jobs.background  # (what InBackground's cancel and wait use)
        self.jobs.progressed.connect(self._on_progress)
        self.jobs.computed.connect(self._on_computed)
        self.jobs.failed.connect(lambda text: self._done(f"Not computed: {text}"))
        self.jobs.cancelled.connect(lambda: self._done("Cancelled; the previous picture stays."))
        self.basin_results: list = [None, None]
        self.sweep_result = None
        self._shown = None
        self._shown_inputs = None
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mapsTabs")
        self.tabs.addTab(self._basin_tab(), "Basin map")
        self.tabs.addTab(self._sweep_tab(), "Sweep")
        layout.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setObjectName("mapsProgress")
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("mapsCancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        save_picture = QPushButton("Save picture...")
        save_picture.setObjectName("mapsSavePicture")
        save_picture.clicked.connect(self._save_picture)
        save_numbers = QPushButton("Save numbers...")
        save_numbers.setObjectName("mapsSaveNumbers")
        save_numbers.setToolTip("The map or sweep as .csv or .npy")
        save_numbers.clicked.connect(self._save_numbers)
        for w in (self.progress, self.cancel_button, save_picture, save_numbers):
            row.addWidget(w)
        layout.addLayout(row)
        self.status = QLabel("Compute a map to see where each start leads.")
        self.status.setObjectName("mapsStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        # everything scrolls as one page, so a short dock never grows the window past the screen
        self.scroll = QScrollArea()
        self.scroll.setObjectName("mapsScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(body)
        self.setWidget(self.scroll)

    # --- the two tabs -----------------------------------------------------------
    def _basin_tab(self) -> QWidget:
        tab = QWidget()
        grid = QGridLayout(tab)
        form = QFormLayout()
        self.run_a, self.run_b = QComboBox(), QComboBox()
        self.run_a.setObjectName("basinRunA")
        self.run_b.setObjectName("basinRunB")
        self.resolution = QSpinBox()
        self.resolution.setObjectName("basinResolution")
        self.resolution.setRange(limits.DOCK_MIN_RESOLUTION, limits.DOCK_MAX_RESOLUTION)
        self.resolution.setValue(96)
        self.resolution.setToolTip(
            f"Starts per side of the grid ({limits.DOCK_MIN_RESOLUTION} to {limits.DOCK_MAX_RESOLUTION})"
        )
        self.basin_steps = QSpinBox()
        self.basin_steps.setObjectName("basinSteps")
        self.basin_steps.setRange(1, limits.MAP_MAX_STEPS)
        self.basin_steps.setValue(300)
        self.tol = QDoubleSpinBox()
        self.tol.setObjectName("basinTol")
        self.tol.setDecimals(4)
        self.tol.setRange(1e-4, 10)
        self.tol.setValue(0.01)
        self.tol.setToolTip("How close to a known minimum counts as reaching it")
        self.color_by = QComboBox()
        self.color_by.setObjectName("basinColorBy")
        self.color_by.addItems(["where it ends", "steps to get there"])
        self.color_by.currentIndexChanged.connect(self._redraw)
        compute = QPushButton("Compute")
        compute.setObjectName("basinCompute")
        compute.clicked.connect(self.compute_basins)
        for label, w in (
            ("Left", self.run_a),
            ("Right", self.run_b),
            ("Resolution", self.resolution),
            ("Steps", self.basin_steps),
            ("Reached within", self.tol),
            ("Color by", self.color_by),
        ):
            form.addRow(label, w)
        form.addRow(compute)
        grid.addLayout(form, 0, 0, 2, 1)  # the settings beside the maps: the dock is wide and short below the views
        self.basin_views = []
        for k in range(2):
            view, image = _picture(f"basinView{'AB'[k]}")
            view.scene().sigMouseClicked.connect(lambda event, v=view: self._on_basin_clicked(v, event))
            self.basin_views.append((view, image))
            grid.addWidget(view, 0, 1 + k)
        self.legend = QLabel()
        self.legend.setObjectName("basinLegend")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        grid.addWidget(self.legend, 1, 1, 1, 2)
        grid.setRowStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        return tab

    def _sweep_tab(self) -> QWidget:
        tab = QWidget()
        grid = QGridLayout(tab)
        form = QFormLayout()
        self.sweep_run_box = QComboBox()
        self.sweep_run_box.setObjectName("sweepRun")
        self.sweep_run_box.currentIndexChanged.connect(self._fill_params)
        form.addRow("Run", self.sweep_run_box)
        self.axes = {}
        for axis, (low, high, n, log) in (("x", (1e-4, 1.0, 16, True)), ("y", (0.5, 0.99, 12, False))):
            name = QComboBox()
            name.setObjectName(f"sweep{axis.upper()}Param")
            lo, hi = QDoubleSpinBox(), QDoubleSpinBox()
            for box, value, end in ((lo, low, "Low"), (hi, high, "High")):
                box.setObjectName(f"sweep{axis.upper()}{end}")
                box.setDecimals(6)
                box.setRange(0.0, 1e6)
                box.setValue(value)
            count = QSpinBox()
            count.setObjectName(f"sweep{axis.upper()}Count")
            count.setRange(limits.SWEEP_MIN_COUNT, limits.SWEEP_MAX_COUNT)
            count.setValue(n)
            log_box = QCheckBox("log")
            log_box.setObjectName(f"sweep{axis.upper()}Log")
            log_box.setChecked(log)
            row = QHBoxLayout()
            for w in (name, lo, hi, count, log_box):
                row.addWidget(w)
            form.addRow(f"{axis} axis", row)
            self.axes[axis] = (name, lo, hi, count, log_box)
        self.sweep_shows = QComboBox()
        self.sweep_shows.setObjectName("sweepShows")
        self.sweep_shows.addItems(["final loss", "steps to converge"])
        self.sweep_shows.currentIndexChanged.connect(self._redraw)
        form.addRow("Show", self.sweep_shows)
        self.sweep_steps = QSpinBox()
        self.sweep_steps.setObjectName("sweepSteps")
        self.sweep_steps.setRange(1, limits.MAP_MAX_STEPS)
        self.sweep_steps.setValue(200)
        form.addRow("Steps", self.sweep_steps)
        compute = QPushButton("Compute")
        compute.setObjectName("sweepCompute")
        compute.clicked.connect(self.compute_sweep)
        self.sweep_compute = compute
        form.addRow(compute)
        grid.addLayout(form, 0, 0)
        self.sweep_view, self.sweep_image = _picture("sweepView")
        self.sweep_view.setMinimumSize(260, 180)
        self.sweep_image.setColorMap(pg.colormap.get("viridis"))
        self.colorbar = pg.ColorBarItem(
            colorMap=pg.colormap.get("viridis"), interactive=False, label="log10 final loss"
        )
        self.colorbar.setImageItem(self.sweep_image, insert_in=self.sweep_view.getPlotItem())
        self.sweep_view.scene().sigMouseClicked.connect(self._on_sweep_clicked)
        grid.addWidget(self.sweep_view, 0, 1)
        grid.setColumnStretch(1, 1)
        return tab

    # --- following the scene -----------------------------------------------------
    @property
    def stale(self) -> bool:
        """The shown picture was computed for another scene (surface, domain, start, runs, hyperparameters)."""
        return self._shown is not None and self._shown[0].depends_on(self.scene) != self._shown_inputs

    def on_scene(self, scene: Scene) -> None:
        self.scene = scene
        if self._shown is not None and self.stale:
            self.status.setText("Out of date: the scene changed since this was computed. Compute again to use it.")
            self._mark_stale(True)
        labels = scene.labels()
        keys = [r.key for r in scene.runs]
        sweepable = [i for i, r in enumerate(scene.runs) if len(_sweepable(r.spec.optimizer)) >= 2]
        defaults = ((self.run_a, 0), (self.run_b, 1), (self.sweep_run_box, sweepable[0] if sweepable else 0))
        for box, default in defaults:
            keep = box.currentData()  # a run is kept by its key: removing another does not move the choice
            box.blockSignals(True)
            box.clear()
            for label, key in zip(labels, keys, strict=True):
                box.addItem(label, key)
            if box is self.run_b:
                box.addItem("(none)", None)
            box.setCurrentIndex(keys.index(keep) if keep in keys else min(default, box.count() - 1))
            box.blockSignals(False)
        self._fill_params()

    def _fill_params(self) -> None:
        runs = self.scene.runs
        i = self.sweep_run_box.currentIndex()
        if not 0 <= i < len(runs):
            return
        names = _sweepable(runs[i].spec.optimizer)
        self.sweep_compute.setEnabled(len(names) >= 2)
        self.sweep_compute.setToolTip(
            ""
            if len(names) >= 2
            else f"{get_optimizer(runs[i].spec.optimizer).title} has one hyperparameter: "
            "a sweep needs two. Choose another run."
        )
        taken = None
        for axis, default in (("x", "lr"), ("y", "beta1")):
            box = self.axes[axis][0]
            keep = box.currentText()
            box.blockSignals(True)
            box.clear()
            box.addItems(names)
            free = [n for n in names if n != taken] or names
            pick = keep if keep in free else (default if default in free else free[-1])
            box.setCurrentIndex(names.index(pick))
            box.blockSignals(False)
            taken = pick

    # --- computing ------------------------------------------------------------------
    def compute_basins(self) -> None:
        scene = self.scene
        surface = scene.surface_obj
        picks = [self.run_a.currentIndex(), self.run_b.currentIndex()]
        specs = [computed_spec(scene.runs[i].spec) if 0 <= i < len(scene.runs) else None for i in picks]
        res, steps, tol = self.resolution.value(), self.basin_steps.value(), self.tol.value()
        names = scene.labels()
        key = BasinRequest(
            scene.surface_key,
            tuple(scene.runs[i].key if 0 <= i < len(scene.runs) else None for i in picks),
            tuple(None if s is None else RunInputs.of(s) for s in specs),
            res,
            steps,
            tol,
            tuple(names[i] if 0 <= i < len(scene.runs) else "" for i in picks),
        )
        batch = scene.batching

        def job(progress):
            out = []
            for k, spec in enumerate(specs):
                if spec is None:
                    out.append(None)
                    continue
                out.append(
                    maps.basin_map(
                        surface, spec, res, steps, tol, lambda d, t, k=k: progress(k * t + d, 2 * t), batch=batch
                    )
                )
            return out

        self._start(key, job)

    def compute_sweep(self) -> None:
        scene = self.scene
        i = self.sweep_run_box.currentIndex()
        if not 0 <= i < len(scene.runs):
            return
        spec = computed_spec(scene.runs[i].spec)
        batch = scene.batching
        try:
            axes = []
            for axis in ("x", "y"):
                name, lo, hi, count, log = self.axes[axis]
                if lo.value() >= hi.value():
                    raise ParamError(f"The {axis} range needs its first number below its second")
                axes += [name.currentText(), maps.log_or_linear(lo.value(), hi.value(), count.value(), log.isChecked())]
        except ParamError as e:
            self.status.setText(f"Sweep not started: {e}")
            return
        surface, start, steps = scene.surface_obj, scene.start, self.sweep_steps.value()
        key = SweepRequest(
            scene.surface_key, start, scene.runs[i].key, RunInputs.of(spec, skip=(axes[0], axes[2])),
            axes[0], tuple(axes[1]), axes[2], tuple(axes[3]), steps,
        )  # fmt: skip
        self._start(
            key, lambda progress: maps.sweep(surface, start, spec, *axes, steps=steps, progress=progress, batch=batch)
        )

    def _start(self, key, job) -> None:
        state, result = self.jobs.ask(key, job)
        if state == "cached":
            self._show(key, result)
            self.status.setText("Shown from the cache: nothing changed since it was computed.")
        elif state == "busy":
            self.status.setText("A computation is already running; cancel it first.")
        else:
            self.progress.setValue(0)
            self.cancel_button.setEnabled(True)
            self.status.setText("Computing...")

    def _on_computed(self, key, result) -> None:
        self._show(key, result)
        basin = isinstance(key, BasinRequest)
        self._done("Done. Click a pixel to start the runs there." if basin else "Done. Click a cell to replay it.")

    def _done(self, text: str) -> None:
        self.status.setText(text)
        self.cancel_button.setEnabled(False)

    # --- showing --------------------------------------------------------------------
    def _redraw(self) -> None:
        if self._shown is not None:
            self._show(*self._shown)

    def _mark_stale(self, stale: bool) -> None:
        for view in [v for v, _ in self.basin_views] + [self.sweep_view]:
            view.setEnabled(not stale)  # greyed: a click on it does nothing
            view.setToolTip("Out of date: compute again" if stale else "")

    def _show(self, key, result) -> None:
        self._shown = (key, result)
        self._shown_inputs = key.depends_on(self.scene)
        self._mark_stale(False)
        if isinstance(key, BasinRequest):
            self.basin_results = list(result)
            minima = self.scene.surface_obj.minima
            for (view, image), m, label in zip(self.basin_views, result, key.labels, strict=True):
                view.setVisible(m is not None)
                if m is None:
                    continue
                view.setTitle(label, color="#e8e8e8", size="10pt")
                by_steps = self.color_by.currentIndex() == 1
                colors = map_files.steps_colors(m.steps) if by_steps else map_files.basin_colors(m.outcome)
                image.setImage(colors, autoLevels=False, levels=(0, 255))
                dx, dy = m.xs[1] - m.xs[0], m.ys[1] - m.ys[0]
                image.setRect(
                    QRectF(m.xs[0] - dx / 2, m.ys[0] - dy / 2, m.xs[-1] - m.xs[0] + dx, m.ys[-1] - m.ys[0] + dy)
                )
                view.getPlotItem().getViewBox().autoRange(padding=0)
            if self.color_by.currentIndex() == 1:
                self.legend.setText(
                    "Steps to come within reach of a minimum: few <span style='color:#440154'>&#9632;</span> "
                    "... many <span style='color:#fde725'>&#9632;</span>; "
                    f"<span style='color:{map_files.OTHER_COLORS[maps.NO_MINIMUM]}'>&#9632;</span> never"
                )
            else:
                self.legend.setText(self._legend(minima))
            self.tabs.setCurrentIndex(0)
        else:
            s = result
            self.sweep_result = s
            by_steps = self.sweep_shows.currentIndex() == 1
            values, label = sweep_values(s, by_steps)
            self.colorbar.axis.setLabel(label)  # the bar's own axis (the one it shows)
            finite = values[np.isfinite(values)]
            levels = (float(finite.min()), float(finite.max()) + 1e-12) if finite.size else (0.0, 1.0)
            self.sweep_image.setImage(np.nan_to_num(values, nan=levels[0]), autoLevels=False, levels=levels)
            self.colorbar.setLevels(levels)
            self.sweep_image.setRect(QRectF(0, 0, len(s.x_values), len(s.y_values)))
            plot = self.sweep_view.getPlotItem()
            for axis_name, values_, param in (("bottom", s.x_values, s.x_param), ("left", s.y_values, s.y_param)):
                ticks = [(k + 0.5, f"{v:.3g}") for k, v in enumerate(values_)][:: max(1, len(values_) // 6)]
                plot.getAxis(axis_name).setTicks([ticks])
                plot.setLabel(axis_name, param)
            plot.getViewBox().autoRange(padding=0)
            self.tabs.setCurrentIndex(1)

    def _legend(self, minima) -> str:
        items = [(map_files.MINIMUM_COLORS[k % 8], f"minimum ({x:.3g}, {y:.3g})") for k, (x, y) in enumerate(minima)]
        items += [(map_files.OTHER_COLORS[code], text) for code, text in maps.OUTCOME_NAMES.items()]
        return " &nbsp; ".join(f"<span style='color:{c}'>&#9632;</span> {t}" for c, t in items)

    # --- clicking -------------------------------------------------------------------
    def _on_basin_clicked(self, view, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        vb = view.getPlotItem().getViewBox()
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        if self.stale:
            self.status.setText("This map is out of date (the scene changed): compute it again to use it.")
            return
        p = vb.mapSceneToView(event.scenePos())
        if self.scene.surface_obj.contains(np.array([p.x(), p.y()])):
            self.start_requested.emit(float(p.x()), float(p.y()))

    def _on_sweep_clicked(self, event) -> None:
        s = self.sweep_result
        if s is None or event.button() != Qt.MouseButton.LeftButton:
            return
        p = self.sweep_view.getPlotItem().getViewBox().mapSceneToView(event.scenePos())
        i, j = int(np.floor(p.x())), int(np.floor(p.y()))
        if 0 <= i < len(s.x_values) and 0 <= j < len(s.y_values):
            self.apply_cell(i, j)

    def apply_cell(self, i: int, j: int) -> None:
        """Ask for the swept run (by its key) to replay with the hyperparameters of cell (i, j)."""
        s = self.sweep_result
        if self._shown is None or not isinstance(self._shown[0], SweepRequest) or self.stale:
            self.status.setText("This sweep is out of date (the scene changed): compute it again to use it.")
            return
        try:
            config = self.scene.runs[self.scene.index_of(self._shown[0].run)]  # the run it was computed for
        except ParamError:
            self.status.setText("The run this sweep was computed for is gone; compute the sweep again.")
            return
        self.params_requested.emit(config.key, maps.params_for(config.spec.resolved(), s, i, j))

    # --- saving ---------------------------------------------------------------------
    def _save_picture(self) -> None:
        target = self.basin_views[0][0].parentWidget() if self.tabs.currentIndex() == 0 else self.sweep_view
        path, _ = QFileDialog.getSaveFileName(self, "Save picture", "map.png", "PNG images (*.png)")
        if not path:
            return
        path = Path(path if path.endswith(".png") else path + ".png")
        try:
            write_png(target.grab().toImage(), path)  # all or nothing, like every file the app writes
        except (ExportError, FileProblem) as e:
            QMessageBox.warning(self, "Not saved", str(e))

    def _save_numbers(self) -> None:
        result = self.basin_results[0] if self.tabs.currentIndex() == 0 else self.sweep_result
        if result is None:
            self.status.setText("Nothing to save yet: compute first.")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save numbers", "map.csv", "CSV (*.csv);;NumPy (*.npy)")
        if not path:
            return
        try:
            save = map_files.save_basin if self.tabs.currentIndex() == 0 else map_files.save_sweep
            save(result, Path(path))
        except (OSError, ValueError) as e:
            QMessageBox.warning(self, "Not saved", str(e))
