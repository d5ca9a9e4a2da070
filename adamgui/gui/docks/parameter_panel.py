"""The docked parameter panel: surface, start, step limit, and each run's hyperparameters."""

from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from adamgui.core.expression import FUNCTIONS
from adamgui.core.limits import MAX_COORD, MAX_NOISE, MAX_SEED, MAX_STEP
from adamgui.core.models import MAX_ROWS
from adamgui.core.optimizers import OPTIMIZERS, get_optimizer
from adamgui.core.params import HyperParam
from adamgui.core.scene import Scene
from adamgui.core.schedules import NAMES as SCHEDULES
from adamgui.core.surface_rates import flat_start
from adamgui.core.surfaces import SURFACES
from adamgui.gui.app.theme import ERROR_COLORS, NOTE_COLORS
from adamgui.gui.docks.run_table import swatch
from adamgui.gui.widgets.spinboxes import ScientificSpinBox


def _field_note(form: QFormLayout, name: str, style: str) -> QLabel:
    """A hidden line under a field of ``form``, for a word about its value (shown when there is one)."""
    note = QLabel()
    note.setObjectName(name)
    note.setWordWrap(True)
    note.setStyleSheet(style)
    note.setVisible(False)
    form.addRow(note)
    return note


def editor_for(param: HyperParam, value, parent: QWidget) -> QWidget:
    """A widget bounded by the parameter's valid range, with a tooltip naming its symbol."""
    if param.is_bool:
        box = QCheckBox("on", parent)
        box.setChecked(bool(value))
    else:  # bounded by the core's range for it (every legal value shows and can be typed)
        low, high = param.editor_bounds()
        box = ScientificSpinBox(low, high, parent, multiplicative=param.log)
        if not param.log:
            box.setSingleStep(0.01 if high <= 1 else 0.001)
        box.setValue(float(value))
    symbol = f"{param.symbol} ({param.name})" if param.symbol else param.name
    box.setToolTip(f"{symbol}: {param.meaning}. Valid: {param.range_text()}.")
    return box


class ParameterPanel(QDockWidget):
    surface_selected = Signal(str)
    start_edited = Signal(float, float)
    step_limit_edited = Signal(int)
    run_params_edited = Signal(int, dict)
    run_schedule_edited = Signal(int, str)  # a schedule typed for a run ('' or 'constant': none)
    run_added = Signal(str)
    run_removed = Signal(int)
    noise_edited = Signal(float, object)  # (sigma, seed); a seed may not fit a C int
    batch_edited = Signal(int, int, bool)  # (rows per gradient, 0 for all; seed; the rows in their order)
    formula_entered = Signal(str)
    domain_edited = Signal(float, float, float, float)
    fields_rebuilt = Signal()  # the run editors were made anew (the window guards their keys and wheel)

    def __init__(self, parent=None):
        super().__init__("Parameters", parent)
        self.setObjectName("parameterPanel")
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        body = QWidget()
        layout = QVBoxLayout(body)

        scene_box = QGroupBox("Scene")
        form = QFormLayout(scene_box)
        self.surface_selector = QComboBox()
        self.surface_selector.setObjectName("surfaceSelector")
        for s in SURFACES.values():
            self.surface_selector.addItem(s.title, s.name)
            self.surface_selector.setItemData(
                self.surface_selector.count() - 1, s.description, Qt.ItemDataRole.ToolTipRole
            )
        self.surface_selector.currentIndexChanged.connect(self._on_surface_changed)
        form.addRow("Surface", self.surface_selector)
        self.surface_selector.addItem("Your formula", "formula")
        self.surface_selector.setItemData(
            self.surface_selector.count() - 1, "Type any f(x, y) in the field below", Qt.ItemDataRole.ToolTipRole
        )
        self.formula_edit = QLineEdit()
        self.formula_edit.setObjectName("formulaEdit")
        self.formula_edit.setPlaceholderText("e.g. sin(3*x)*cos(2*y) + 0.1*(x^2 + y^2)")
        self.formula_edit.setToolTip(
            "Type f(x, y) and press Enter. ^ or ** for powers; pi and e; "
            + ", ".join(FUNCTIONS)
            + ". The gradient is exact (symbolic)."
        )
        self.formula_edit.returnPressed.connect(lambda: self.formula_entered.emit(self.formula_edit.text()))
        form.addRow("f(x, y) =", self.formula_edit)
        self.error = QLabel()
        self.error.setObjectName("formulaError")
        self.error.setWordWrap(True)

        self.error.setVisible(False)
        form.addRow(self.error)
        self.domain_boxes = []
        self.axis_labels: list[QLabel] = []  # "x from, to", "y from, to", "Start (x, y)": named as the surface's axes
        for axis in ("x", "y"):
            row = QHBoxLayout()
            for end in ("Min", "Max"):
                box = QDoubleSpinBox()
                box.setObjectName(f"{axis}{end}")
                box.setDecimals(3)
                box.setRange(-MAX_COORD, MAX_COORD)
                box.setKeyboardTracking(False)
                box.setToolTip(f"The plotted range of {axis}. Changing it restarts the runs.")
                box.valueChanged.connect(self._on_domain_changed)
                row.addWidget(box)
                self.domain_boxes.append(box)
            label = QLabel(f"{axis} from, to")
            label.setObjectName(f"{axis}RangeLabel")
            self.axis_labels.append(label)
            form.addRow(label, row)
        self.start_x, self.start_y = QDoubleSpinBox(), QDoubleSpinBox()
        start_row = QHBoxLayout()
        for name, box in (("startX", self.start_x), ("startY", self.start_y)):
            box.setObjectName(name)
            box.setDecimals(4)
            box.setRange(-MAX_COORD, MAX_COORD)
            box.setSingleStep(0.1)
            box.setKeyboardTracking(False)
            box.setToolTip("Start point; every run restarts from here. A click on the contour view sets it too.")
            box.valueChanged.connect(self._on_start_changed)
            start_row.addWidget(box)
        start_label = QLabel("Start (x, y)")
        start_label.setObjectName("startLabel")
        self.axis_labels.append(start_label)
        form.addRow(start_label, start_row)
        self.start_note = _field_note(form, "startNote", "")  # a start on a plateau: said where it is chosen
        self.step_limit = QSpinBox()
        self.step_limit.setObjectName("stepLimit")
        self.step_limit.setRange(1, MAX_STEP)
        self.step_limit.setKeyboardTracking(False)
        self.step_limit.setToolTip(
            f"Playing stops at this step (at most {MAX_STEP:,}: every step is kept, 16 bytes per run and step)"
        )
        self.step_limit.valueChanged.connect(self.step_limit_edited)
        form.addRow("Step limit", self.step_limit)
        self.noise_sigma = QDoubleSpinBox()
        self.noise_sigma.setObjectName("noiseSigma")
        self.noise_sigma.setDecimals(4)
        self.noise_sigma.setRange(0.0, MAX_NOISE)
        self.noise_sigma.setSingleStep(0.1)
        self.noise_sigma.setKeyboardTracking(False)
        self.noise_sigma.setToolTip(
            "σ: every gradient gets Gaussian noise of this standard deviation (0 = exact gradients). Restarts the runs."
        )
        self.noise_seed = QDoubleSpinBox()  # whole numbers beyond a QSpinBox's 2**31 - 1
        self.noise_seed.setObjectName("noiseSeed")
        self.noise_seed.setDecimals(0)
        self.noise_seed.setRange(0, MAX_SEED)
        self.noise_seed.setKeyboardTracking(False)
        self.noise_seed.setToolTip("The same seed replays the same noise; another seed, other noise")
        noise_row = QHBoxLayout()
        noise_row.addWidget(self.noise_sigma)
        noise_row.addWidget(QLabel("seed"))
        noise_row.addWidget(self.noise_seed)
        for box in (self.noise_sigma, self.noise_seed):
            box.valueChanged.connect(
                lambda _v: self.noise_edited.emit(self.noise_sigma.value(), int(self.noise_seed.value()))
            )
        form.addRow("Gradient noise σ", noise_row)
        self.batch_size = QSpinBox()
        self.batch_size.setObjectName("batchSize")
        self.batch_size.setRange(0, MAX_ROWS)
        self.batch_size.setSpecialValueText("full batch")  # 0
        self.batch_size.setKeyboardTracking(False)
        self.batch_seed = QSpinBox()
        self.batch_seed.setObjectName("batchSeed")
        self.batch_seed.setRange(0, 2**31 - 1)
        self.batch_seed.setKeyboardTracking(False)
        self.batch_seed.setToolTip("The same seed replays the same minibatches; another seed, others")
        self.batch_ordered = QCheckBox("in order")
        self.batch_ordered.setObjectName("batchOrdered")
        self.batch_ordered.setToolTip(
            "Take the rows in their own order every epoch, as an online sequence is fed (torch: shuffle=False); "
            "unchecked, they are shuffled anew each epoch"
        )
        self.batch_ordered.toggled.connect(
            lambda _on: self.batch_edited.emit(
                self.batch_size.value(), self.batch_seed.value(), self.batch_ordered.isChecked()
            )
        )
        batch_row = QHBoxLayout()
        batch_row.addWidget(self.batch_size)
        batch_row.addWidget(QLabel("seed"))
        batch_row.addWidget(self.batch_seed)
        for box in (self.batch_size, self.batch_seed):
            box.valueChanged.connect(
                lambda _v: self.batch_edited.emit(
                    self.batch_size.value(), self.batch_seed.value(), self.batch_ordered.isChecked()
                )
            )
        form.addRow("Minibatch", batch_row)
        form.addRow("", self.batch_ordered)  # its own row: the panel keeps its width, the views theirs
        layout.addWidget(scene_box)

        self.watch = QLabel()
        self.watch.setObjectName("watchLabel")
        self.watch.setWordWrap(True)

        layout.addWidget(self.watch)

        runs_box = QGroupBox("Runs")
        runs_layout = QVBoxLayout(runs_box)
        self.runs_holder: QWidget | None = None  # one group per run, rebuilt when the runs change
        self._runs_layout = runs_layout
        add_row = QHBoxLayout()
        self.add_optimizer = QComboBox()
        self.add_optimizer.setObjectName("addRunOptimizer")
        for opt in OPTIMIZERS.values():
            self.add_optimizer.addItem(opt.title, opt.name)
            self.add_optimizer.setItemData(self.add_optimizer.count() - 1, opt.summary, Qt.ItemDataRole.ToolTipRole)
        add_button = QPushButton("Add run")
        add_button.setObjectName("addRunButton")
        add_button.setToolTip("Add a run of this optimizer with its default hyperparameters")
        add_button.clicked.connect(self._add_run)
        add_row.addWidget(self.add_optimizer, 1)
        add_row.addWidget(add_button)
        runs_layout.addLayout(add_row)
        layout.addWidget(runs_box)
        layout.addStretch(1)
        # the whole panel scrolls as one page: on a small screen every field stays reachable
        self.scroll = QScrollArea()
        self.scroll.setObjectName("parameterScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        self.setWidget(self.scroll)
        self._fit_width()
        self.editors: list[dict[str, QWidget]] = []
        self._reveal_new_run = False  # Add run pressed: the rebuilt fields show the new run

    def _fit_width(self) -> None:
        """As wide as the fields need, plus the scroll bar: nothing is cut at the right."""
        body = self.scroll.widget()
        body.adjustSize()
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        self.setMinimumWidth(body.minimumSizeHint().width() + bar + 6)

    def set_theme(self, name: str) -> None:
        """Colors of the note and the refusal text that keep 4.5:1 contrast in the light or dark theme."""
        self.watch.setStyleSheet(f"color: {NOTE_COLORS[name]}; font-style: italic;")
        self.error.setStyleSheet(f"color: {ERROR_COLORS[name]};")

    def show_note(self, text: str) -> None:
        """The scene's note under its fields (what to watch, or the surface's description)."""
        self.watch.setText(text)

    # --- from the controller (signals blocked: nothing ping-pongs) ---------
    def set_scene(self, scene: Scene) -> None:
        self.blockSignals(True)
        try:
            surface = scene.surface_obj
            with QSignalBlocker(self.surface_selector):
                index = self.surface_selector.findData(scene.surface)
                for k in range(self.surface_selector.count()):  # each item its own title, the current one as
                    name = self.surface_selector.itemData(k)  # drawn: "Linear regression (mydata.csv)"
                    title = SURFACES[name].title if name in SURFACES else "Your formula"
                    self.surface_selector.setItemText(k, surface.title if k == index and scene.data else title)
                self.surface_selector.setCurrentIndex(index)
            a, b = surface.axes
            for label, text in zip(
                self.axis_labels, (f"{a} from, to", f"{b} from, to", f"Start ({a}, {b})"), strict=True
            ):
                label.setText(text)
            self.formula_edit.setText(surface.formula)
            self.error.setVisible(False)
            values = (*surface.x_range, *surface.y_range)
            for box, value in zip(self.domain_boxes, values, strict=True):
                with QSignalBlocker(box):
                    box.setValue(value)
            self.set_start(*scene.start)
            for box, value in (
                (self.step_limit, scene.step_limit),
                (self.noise_sigma, scene.noise),
                (self.noise_seed, scene.seed),
                (self.batch_size, scene.batch_size),
                (self.batch_seed, scene.batch_seed),
            ):
                with QSignalBlocker(box):
                    box.setValue(value)
            with QSignalBlocker(self.batch_ordered):
                self.batch_ordered.setChecked(scene.batch_ordered)
            model = surface.model
            for box in (self.batch_size, self.batch_seed, self.batch_ordered):
                box.setEnabled(model is not None)
            self.batch_size.setToolTip(
                f"Rows of the {len(model.y)} data rows each gradient is averaged over, drawn without "
                "replacement each epoch; 'full batch' (0) or all rows: the exact gradient"
                if model is not None
                else "Minibatches need a model's loss as the surface (Linear regression, Logistic regression, "
                "One tanh neuron)"
            )
            self.watch.setText(scene.watch or surface.description)
            flat = flat_start(surface, scene.start)
            self.start_note.setText(flat or "")
            self.start_note.setStyleSheet(self.watch.styleSheet())
            self.start_note.setVisible(bool(flat))
            self._build_runs(scene)
        finally:
            self.blockSignals(False)
        self.fields_rebuilt.emit()

    def set_start(self, x: float, y: float) -> None:
        for box, v in ((self.start_x, x), (self.start_y, y)):
            with QSignalBlocker(box):
                box.setValue(v)

    def _add_run(self) -> None:
        """Add run: the new run's fields are brought into view once they are built."""
        self._reveal_new_run = True
        self.run_added.emit(self.add_optimizer.currentData())
        self._reveal_new_run = False

    def _build_runs(self, scene: Scene) -> None:
        scrolled = self.scroll.verticalScrollBar().value()  # the page stays where it was, or shows the new run
        reveal = self._reveal_new_run
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        self.editors = []
        labels = scene.labels()
        for i, config in enumerate(scene.runs):
            opt = get_optimizer(config.spec.optimizer)
            values = opt.resolve(config.spec.params)
            box = QGroupBox(labels[i])
            box.setObjectName(f"run{i}")
            form = QFormLayout(box)
            header = QHBoxLayout()
            color = QLabel()
            color.setPixmap(swatch(config.color).pixmap(12, 12))
            header.addWidget(color)
            header.addWidget(QLabel(opt.title), 1)
            box.setToolTip(f"{opt.title}: {opt.summary}")
            remove = QPushButton("Remove")
            remove.setObjectName(f"run{i}_remove")
            remove.setToolTip("Remove this run" if len(scene.runs) > 1 else "A scene keeps at least one run")
            remove.setEnabled(len(scene.runs) > 1)
            remove.clicked.connect(lambda _=False, i=i: self.run_removed.emit(i))
            header.addWidget(remove)
            form.addRow(header)
            editors = {}
            for p in opt.params:
                editor = editor_for(p, values[p.name], box)
                editor.setObjectName(f"run{i}_{p.name}")
                if isinstance(editor, QCheckBox):
                    editor.toggled.connect(lambda v, i=i, n=p.name: self.run_params_edited.emit(i, {n: bool(v)}))
                else:
                    editor.valueChanged.connect(lambda v, i=i, n=p.name: self.run_params_edited.emit(i, {n: float(v)}))
                label = QLabel(f"{p.symbol or p.name}  {p.name}" if p.symbol and p.symbol != p.name else p.name)
                label.setToolTip(editor.toolTip())
                form.addRow(label, editor)
                editors[p.name] = editor
                if p.name == "lr":  # what this α will do here, said under it when it will not go well
                    editors["lr_note"] = _field_note(form, f"run{i}_lr_note", self.watch.styleSheet())
            if "lr" in values:
                schedule = QLineEdit(config.spec.schedule.text() if config.spec.schedule else "")
                schedule.setObjectName(f"run{i}_schedule")
                schedule.setPlaceholderText("constant")
                schedule.setToolTip(
                    "How the learning rate changes with the step, as torch's schedulers define it: "
                    f"{', '.join(SCHEDULES)}; e.g. cosine:T_max=100, step:step_size=30,gamma=0.5, "
                    "warmup-cosine:warmup=10,T_max=200, one-cycle:total_steps=300. Enter applies it "
                    "(the runs restart from step 0)."
                )
                schedule.editingFinished.connect(
                    lambda i=i, field=schedule: field.isModified() and self.run_schedule_edited.emit(i, field.text())
                )
                form.addRow(QLabel("α schedule"), schedule)
                editors["schedule"] = schedule
                # a schedule that was not taken: why, in red, under its field
                editors["schedule_error"] = _field_note(form, f"run{i}_schedule_error", self.error.styleSheet())
            self.editors.append(editors)
            column.addWidget(box)
        if self.runs_holder is not None:
            self._runs_layout.removeWidget(self.runs_holder)
            self.runs_holder.setParent(None)  # out of the panel at once: no lookup finds the old editors
            self.runs_holder.deleteLater()
        self._runs_layout.insertWidget(0, holder)
        self.runs_holder = holder
        self._fit_width()
        QTimer.singleShot(0, lambda: self._place_page(holder, scrolled, reveal))

    def _place_page(self, holder: QWidget, scrolled: int, reveal: bool) -> None:
        """Once the new run fields are laid out: the page where it was, or the newest run in sight."""
        if holder is not self.runs_holder:  # rebuilt again meanwhile
            return
        layout = holder.layout()
        self.scroll.widget().layout().activate()  # the page's new height, now: the scroll range follows it
        layout.activate()
        bar = self.scroll.verticalScrollBar()
        if reveal and layout.count():
            newest = layout.itemAt(layout.count() - 1).widget()
            self.scroll.ensureWidgetVisible(newest, 0, 0)

            connected = [True]

            def again(*_):  # the range grew after all (a layout request still queued): once more, then no more
                stop()
                if holder is self.runs_holder:
                    self.scroll.ensureWidgetVisible(newest, 0, 0)

            def stop():
                if connected[0]:
                    connected[0] = False
                    bar.rangeChanged.disconnect(again)

            bar.rangeChanged.connect(again)
            QTimer.singleShot(500, bar, stop)  # (with the bar as context: not called once the panel is gone)
        else:
            bar.setValue(scrolled)

    def show_run_note(self, index: int, field: str, text: str | None) -> None:
        """A word under run ``index``'s ``field`` about what its value will do (None: nothing to say)."""
        label = self.editors[index].get(f"{field}_note") if index < len(self.editors) else None
        if label is not None:
            label.setText(text or "")
            label.setVisible(bool(text))

    def show_run_error(self, index: int, field: str, text: str) -> None:
        """Why a value typed into run ``index``'s ``field`` was not taken, in red under the field, in sight."""
        label = self.editors[index].get(f"{field}_error") if index < len(self.editors) else None
        if label is None:
            return
        label.setText(text)
        label.setVisible(True)
        QTimer.singleShot(0, lambda: self.scroll.ensureWidgetVisible(label))

    # --- from the user ------------------------------------------------------
    def show_error(self, text: str) -> None:
        """A refused formula or domain: say why, next to the fields."""
        self.error.setText(text)
        self.error.setVisible(True)

    def _on_surface_changed(self, index: int) -> None:
        name = self.surface_selector.itemData(index)
        if name == "formula":  # the shown formula becomes an editable one of the user's
            self.formula_entered.emit(self.formula_edit.text())
            self.formula_edit.setFocus()
        else:
            self.surface_selected.emit(name)

    def _on_domain_changed(self, _value: float) -> None:
        """The controller checks the ranges (the core's check_range) and says why if it refuses them."""
        self.domain_edited.emit(*(box.value() for box in self.domain_boxes))

    def _on_start_changed(self, _value: float) -> None:
        x, y = self.start_x.value(), self.start_y.value()
        if math.isfinite(x) and math.isfinite(y):
            self.start_edited.emit(x, y)
