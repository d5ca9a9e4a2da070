"""The run table: one row per run with its step, position, loss and status; a checkbox hides it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from adamgui.gui.frame import Frame
from adamgui.gui.numbers import fmt

COLUMNS = ("Run", "Optimizer", "Step", "x", "y", "Loss", "Status")
STATUS_COLORS = {"diverged": "#ff6b6b", "left": "#f0b429", "converged": "#6bd66b", "running": None}


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
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.itemChanged.connect(self._on_item_changed)

    def on_frame(self, frame: Frame) -> None:
        self.blockSignals(True)
        if self.rowCount() != len(frame.runs):
            self.setRowCount(len(frame.runs))
            for row in range(len(frame.runs)):
                for col in range(len(COLUMNS)):
                    self.setItem(row, col, QTableWidgetItem())
                first = self.item(row, 0)
                first.setFlags(first.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                first.setToolTip("Uncheck to hide this run in both views")
        for row, run in enumerate(frame.runs):
            first = self.item(row, 0)
            first.setText(run.label)
            first.setIcon(swatch(run.color))
            first.setCheckState(Qt.CheckState.Checked if run.visible else Qt.CheckState.Unchecked)
            x, y = run.position
            texts = (run.label, run.optimizer, str(len(run.path) - 1), fmt(x), fmt(y), fmt(run.loss), run.status_text)
            for col, text in enumerate(texts):
                self.item(row, col).setText(text)
            status = self.item(row, len(COLUMNS) - 1)
            color = STATUS_COLORS.get(run.status)
            status.setForeground(QColor(color) if color else self.palette().text().color())
        self.blockSignals(False)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:
            self.visibility_toggled.emit(item.row(), item.checkState() == Qt.CheckState.Checked)
