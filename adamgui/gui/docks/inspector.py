"""The step inspector: the selected run's last step, its rule written out with today's numbers."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from adamgui.core.optimizers import get_optimizer
from adamgui.gui.frame import Frame, RunFrame, Throttle
from adamgui.gui.widgets.mathtext import MathError, stacked, symbol_font
from adamgui.gui.widgets.numbers import fmt

COLUMNS = ("Quantity = rule", "x", "y")
NARROW = 520  # the table's own least width beside the typeset rule
SUBSCRIPTS = (
    ("_{t−1}", "ₜ₋₁"),
    ("_{t+1}", "ₜ₊₁"),
    ("^max", "ᵐᵃˣ"),
    ("^t", "ᵗ"),
    ("_t", "ₜ"),
    ("_1", "₁"),
    ("_v", "ᵥ"),
)


def pretty(text: str) -> str:
    """'m_{t−1}' -> 'mₜ₋₁', 'β₁^t' -> 'β₁ᵗ': the rule as it is printed, not as it is typed."""
    for typed, printed in SUBSCRIPTS:
        text = text.replace(typed, printed)
    return text


def hp_text(optimizer_name: str, hp: dict) -> str:
    """'α = 0.3, β₁ = 0.9, ...' in the order the optimizer lists them."""
    parts = []
    for p in get_optimizer(optimizer_name).params:
        value = hp[p.name]
        shown = ("on" if value else "off") if p.is_bool else f"{value:.6g}"
        parts.append(f"{p.symbol or p.name.replace('_', ' ')} = {shown}")
    return ", ".join(parts)


def rows_for(run: RunFrame, noisy: bool = False, curvature: bool = False) -> list[tuple[str, str, str, str]]:
    """(quantity, rule, x, y) rows for the run's last shown step, in the rule's order; then, if
    ``curvature``, the Hessian's where the step started."""
    d = run.detail
    opt = get_optimizer(run.optimizer)
    used = {
        "exact": "∇f(θ_{t−1})",
        "noise": "∇f(θ_{t−1}) + noise",
        "minibatch": "∇f(θ_{t−1}) on this step's minibatch",
        "minibatch + noise": "∇f(θ_{t−1}) on this step's minibatch + noise",
    }.get(d.gradient_kind, "∇f(θ_{t−1}) + noise" if noisy else "∇f(θ_{t−1})")
    rows = [
        ("θ_{t−1}", "(where the step started)", fmt(d.theta_prev[0]), fmt(d.theta_prev[1])),
        ("g_t", used, fmt(d.grad[0]), fmt(d.grad[1])),
    ]
    if d.full_grad is not None:  # what the whole data (or no noise) would have given, beside it
        rows.append(("∇f(θ_{t−1})", "(the full gradient, for comparison)", fmt(d.full_grad[0]), fmt(d.full_grad[1])))
    uncorrected = d.hp.get("bias_correction") is False
    for key, symbol, rule in opt.explain:
        value = d.terms[key]
        if uncorrected and key in ("m_hat", "v_hat"):
            rule = f"{key[0]}_t   (bias correction off)"
        if getattr(value, "shape", ()) == (2,):
            rows.append((symbol, rule, fmt(value[0]), fmt(value[1])))
        else:
            rows.append((symbol, rule, fmt(value), ""))
    rule = opt.step_rule
    negated = f"−({rule})" if (" + " in rule or " − " in rule) else f"−{rule}"  # −(a + b), never −a + b
    if d.surface is not None and d.surface.box is not None:  # a projected method: the move lands in the box
        negated = f"{negated}, then projected onto the feasible box"
    rows.append(("Δθ_t", negated, fmt(d.delta[0]), fmt(d.delta[1])))
    rows.append(("θ_t", "θ_{t−1} + Δθ_t", fmt(d.theta[0]), fmt(d.theta[1])))
    return rows + curvature_rows(d) if curvature else rows


def curvature_rows(d) -> list[tuple[str, str, str, str]]:
    """The curvature where the step started: eigenvalues, condition number, GD's limit, Newton's step."""
    c = d.curvature
    if c is None:
        why = "(being worked out: see the status bar)" if d.curvature_pending else "(no finite curvature here)"
        return [("H(θ_{t−1})", why, "", "")]
    rows = [
        ("λ₁, λ₂", "eigenvalues of H(θ_{t−1}): the curvature along its axes", fmt(c.values[0]), fmt(c.values[1])),
        ("κ", "|λ|max / |λ|min   (condition number)", fmt(c.condition), ""),
    ]
    lr = d.hp.get("lr")
    if isinstance(lr, float):
        rows.append(("α·λ_max", "(GD with this α is stable here while below 2)", fmt(lr * c.sharpness), ""))
    if c.newton is not None:
        rows.append(("−H⁻¹·∇f", "(Newton's step from θ_{t−1})", fmt(c.newton[0]), fmt(c.newton[1])))
    return rows


class StepInspector(QDockWidget):
    """Shows, for the chosen run, every quantity of the step that brought it to the shown step.

    Frames carry the step detail of the inspected run only: ``run_inspected(key)`` says which.
    """

    run_inspected = Signal(int)

    def __init__(self, parent=None):
        super().__init__("Step inspector", parent)
        self.setObjectName("stepInspector")
        body = QWidget()
        layout = QVBoxLayout(body)
        self.selector = QComboBox()
        self.selector.setObjectName("inspectorRun")
        self.selector.setToolTip("The run whose step is shown (selecting a row in the run table chooses it too)")
        self.selector.currentIndexChanged.connect(self._on_selected)
        self.selector.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # run names never cut
        self.heading = QLabel()
        self.heading.setObjectName("inspectorHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        top = QHBoxLayout()  # the run and its heading on one line: the rows below get the height
        top.addWidget(self.selector)
        top.addWidget(self.heading, 1)
        layout.addLayout(top)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("inspectorTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)  # a long rule wraps inside its cell; nothing is elided
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        rows = self.table.verticalHeader()
        rows.setMinimumSectionSize(4)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 3)  # compact: Adam's ten rows fit
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # numbers never clipped
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.mono = QFont("DejaVu Sans Mono")
        self.mono.setStyleHint(QFont.StyleHint.Monospace)
        self.rule = QLabel()  # the optimizer's rule typeset beside its numbers, as the notebook writes it
        self.rule.setObjectName("inspectorRule")
        self.rule.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.rule.setToolTip("The update rule of the inspected run's optimizer")
        self.rule_key = None  # (optimizer, its rule lines, color, zoom) last typeset
        self._rule_hp: dict | None = None  # the hyperparameters the rule was typeset for
        # Loading the typesetter takes a third of a second: the window's first frame does not wait for
        # it. Until the window has painted, the rule shows in plain words (allow_typesetting ends that).
        self.typesetting = False
        self._waiting: str | None = None
        self.text_color = "#1a1a1a"
        self.zoom = 1.0
        self.middle = QBoxLayout(QBoxLayout.Direction.LeftToRight)  # the rule beside the numbers, or above them
        self.middle.addWidget(self.rule)
        self.middle.addWidget(self.table, 1)
        layout.addLayout(self.middle, 1)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.setSpacing(2)
        self.setWidget(body)
        self._frame: Frame | None = None
        self.throttle = Throttle(0.1)
        # rows are measured when laid out: a dock shown from behind a tab measures them again at its width
        self.visibilityChanged.connect(lambda visible: visible and self._refresh())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """A narrow inspector (three docks side by side) puts the typeset rule above the numbers, so the
        table keeps its width and every number shows."""
        super().resizeEvent(event)
        beside = self.width() >= NARROW + self.rule.sizeHint().width()
        direction = QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        if self.middle.direction() != direction:
            self.middle.setDirection(direction)

    def select_run(self, index: int) -> None:
        if 0 <= index < self.selector.count():
            self.selector.setCurrentIndex(index)

    def _on_selected(self) -> None:
        if self.selector.currentData() is not None:
            self.run_inspected.emit(self.selector.currentData())
        self._refresh()

    def on_frame(self, frame: Frame) -> None:
        self._frame = frame
        items = [(r.label, r.key) for r in frame.runs]
        if items != [(self.selector.itemText(i), self.selector.itemData(i)) for i in range(self.selector.count())]:
            before = self.selector.currentData()
            keys = [key for _, key in items]
            keep = keys.index(before) if before in keys else min(max(self.selector.currentIndex(), 0), len(keys) - 1)
            self.selector.blockSignals(True)
            self.selector.clear()
            for label, key in items:
                self.selector.addItem(label, key)
            self.selector.setCurrentIndex(keep)
            self.selector.blockSignals(False)
            if self.selector.currentData() != before and self.selector.currentData() is not None:
                self.run_inspected.emit(self.selector.currentData())  # a frame with its detail follows
                return
        elif not self.throttle.due(frame):
            return
        self._refresh()

    def set_text_color(self, color: str) -> None:
        self.text_color = color
        self._typeset(self.rule_key[0] if self.rule_key else None, self._rule_hp)

    def set_zoom(self, zoom: float) -> None:
        self.zoom = zoom
        self._typeset(self.rule_key[0] if self.rule_key else None, self._rule_hp)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """The window's font changed (View > Zoom): rows and number columns are sized again for it, once the
        change has reached the table (the rows had kept the old height and clipped the larger text)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            QTimer.singleShot(0, self._resize_to_font)

    def _resize_to_font(self) -> None:
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 3)
        self._refresh()

    def allow_typesetting(self) -> None:
        """The window is on screen: typeset the rule from now on (and the one waiting)."""
        self.typesetting = True
        self._typeset(self._waiting, self._rule_hp)

    def _typeset(self, optimizer: str | None, hp: dict | None = None) -> None:
        """The optimizer's rule as ``hp`` makes it, typeset once per rule, color and zoom (not per frame)."""
        self._rule_hp = hp
        lines = get_optimizer(optimizer).latex_for(hp or {}) if optimizer is not None else ()
        key = (optimizer, lines, self.text_color, self.zoom)
        if optimizer is None or key == self.rule_key:
            return
        if not self.typesetting:
            self._waiting = optimizer
            self.rule.setText(get_optimizer(optimizer).step_rule)
            return
        self.rule_key = key
        if not lines:  # a plugin's rule written only in words (its latex is optional)
            self.rule.setText(get_optimizer(optimizer).step_rule)
            return
        try:
            image = stacked(lines, self.text_color, 12.0 * self.zoom, self.devicePixelRatioF())
        except MathError as e:
            self.rule.setText(str(e))
            return
        self.rule.setPixmap(QPixmap.fromImage(image))

    def _refresh(self) -> None:
        frame = self._frame
        index = self.selector.currentIndex()
        if frame is None or not 0 <= index < len(frame.runs):
            self.heading.setText("No run.")
            self.table.setRowCount(0)
            return
        run = frame.runs[index]
        self._typeset(run.optimizer, run.detail.hp if run.detail is not None else None)
        step = len(run.path) - 1
        if run.facts:  # a network's run on the slice: what it is, not a two-parameter step
            self.heading.setText(
                f"<b>{run.label}</b> ({get_optimizer(run.optimizer).title}), step {step}, training a network: "
                "the views show a slice through its weights, and how far off it the run really is."
            )
            self._fill(list(run.facts), ("Quantity", "value", ""))
            return
        if run.detail is None:
            why = "it is at its start" if step == 0 else run.status_text
            self.heading.setText(f"<b>{run.label}</b> at step {step}: no step to show ({why}).")
            self.table.setRowCount(0)
            return
        noise = " Gradients carry noise." if frame.noise else ""
        self.heading.setText(
            f"<b>{run.label}</b> ({get_optimizer(run.optimizer).title}), step t = {run.detail.step}: "
            f"{hp_text(run.optimizer, run.detail.hp)}.{noise}"
        )
        rows = rows_for(run, bool(frame.noise), frame.view.curvature)
        self._fill(
            [(pretty(f"{symbol} = {rule}" if not rule.startswith("(") else f"{symbol}   {rule}"), x, y)
             for symbol, rule, x, y in rows]
        )  # fmt: skip

    def _fill(self, rows: list[tuple[str, str, str]], headers: tuple[str, str, str] = COLUMNS) -> None:
        """The table's rows: (what, x, y) each, the numbers right-aligned in the numbers' font."""
        if tuple(self.table.horizontalHeaderItem(c).text() for c in range(3)) != headers:
            self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = self.table.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(r, c, item)
                    if c > 0:
                        item.setFont(self.mono)
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    else:  # m̂, v̂: in a font that draws the hat over its letter
                        item.setFont(symbol_font())
                item.setText(text)
                item.setToolTip(text)
        numbers = QFontMetrics(self.mono.resolve(self.table.font()))  # (the family's, at the table's size)
        header = self.table.horizontalHeader()
        for c in (1, 2):  # wide enough for the widest number, in the font it is drawn in
            width = max([numbers.horizontalAdvance(self.table.item(r, c).text()) for r in range(len(rows))] + [30])
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(c, width + 14)
        self.table.resizeRowsToContents()
