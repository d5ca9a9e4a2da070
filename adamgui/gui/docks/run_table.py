"""The run table: one row per run with its step, position, loss and status; a checkbox hides it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from adamgui.gui.frame import Frame, Throttle
from adamgui.gui.widgets.numbers import fmt

COLUMNS = ("Run", "Optimizer", "Step", "x", "y", "Loss", "Status")
STATUS_COLORS = {  # per theme: each keeps 4.5:1 contrast with the table's background
    "light": {
        "diverged": "#b3261e",
        "undefined": "#b3261e",
        "failed": "#b3261e",
        "left": "#7a4f00",
        "converged": "#1b6e2f",
    },
    "dark": {
        "diverged": "#ff8a80",
        "undefined": "#ff8a80",
        "failed": "#ff8a80",
        "left": "#f0b429",
        "converged": "#6bd66b",
    },
}


def swatch(color: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class RunTable(QTableWidget):
    visibility_toggled = Signal(int, bool)

    def __init__(self, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("runTable")
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # sized to content once per refresh
        header.setStretchLastSection(True)
        self.setWordWrap(True)  # a status longer than the room left for it takes a second line, not a cut
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.itemChanged.connect(self._on_item_changed)
        self.throttle = Throttle(0.1)
        self._shown: list[tuple] = []  # per row: what it shows now, to touch only what changed
        self.theme = "light"

    def set_theme(self, name: str) -> None:
        self.theme = name
        self._shown = [(label, color, None, visible) for label, color, _, visible in self._shown]  # recolor

    def on_frame(self, frame: Frame) -> None:
        """Rows follow the runs; while playing, text is refreshed ten times a second."""
        rebuild = self.rowCount() != len(frame.runs) or [r[:2] for r in self._shown] != [
            (r.label, r.color) for r in frame.runs
        ]
        if not rebuild and not self.throttle.due(frame):
            return
        self.blockSignals(True)
        if rebuild:
            self.setRowCount(len(frame.runs))
            self._shown = []
            for row, run in enumerate(frame.runs):
                for col in range(len(COLUMNS)):
                    self.setItem(row, col, QTableWidgetItem())
                first = self.item(row, 0)
                first.setFlags(first.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                first.setToolTip("Uncheck to hide this run in both views")
                first.setIcon(swatch(run.color))
                self._shown.append((run.label, run.color, None, None))
        resize = rebuild
        for row, run in enumerate(frame.runs):
            x, y = run.position
            texts = (run.label, run.optimizer, str(len(run.path) - 1), fmt(x), fmt(y), fmt(run.loss), run.status_text)
            label, color, old_texts, old_visible = self._shown[row]
            if old_visible != run.visible:
                self.item(row, 0).setCheckState(Qt.CheckState.Checked if run.visible else Qt.CheckState.Unchecked)
            if old_texts != texts:
                for col, text in enumerate(texts):
                    if old_texts is None or old_texts[col] != text:
                        self.item(row, col).setText(text)
                if old_texts is None or old_texts[-1] != texts[-1]:
                    status = self.item(row, len(COLUMNS) - 1)
                    status_color = STATUS_COLORS[self.theme].get(run.status)
                    # no color of its own: the theme's text color, whichever theme is on
                    status.setData(Qt.ItemDataRole.ForegroundRole, QColor(status_color) if status_color else None)
                    status.setToolTip(texts[-1])  # whole, where a narrow table shows only its start
            if old_texts != texts:
                resize = True
            self._shown[row] = (label, color, texts, run.visible)
        if resize:  # one measuring pass for the whole table, not one per cell: numbers are never cut
            self._fit()
        self.blockSignals(False)

    def _fit(self) -> None:
        """Every column but Status as wide as its contents; Status takes the rest of the width (stretched) and
        wraps there, each row as tall as its status needs: the whole status is seen, never "di" for "diverged"."""
        for col in range(len(COLUMNS) - 1):
            self.resizeColumnToContents(col)
        self.resizeRowsToContents()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.resizeRowsToContents()  # (the room for the status changed: its lines too)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:
            self.visibility_toggled.emit(item.row(), item.checkState() == Qt.CheckState.Checked)
