"""Fields that behave like a good desktop app's: the wheel scrolls, Enter commits, Escape leaves.

- A wheel turned over a field that does not have the keyboard scrolls the panel around it and
  edits nothing; fields take the keyboard by a click or Tab, not by the wheel.
- Enter commits a field and hands the keyboard back to the window, so Space, R, ← and → act at
  once ("edit lr, press Enter, press Space" plays).
- Escape puts back what the field showed before editing and hands the keyboard back.
- Space stays text in a text field (the formula): only Enter and Escape leave it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QWidget

FIELDS = (QAbstractSpinBox, QComboBox, QLineEdit)
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class FieldGuard(QObject):
    """Installed on every field below a widget; ``release()`` gives the keyboard back to the window."""

    def __init__(self, release: Callable[[], None], parent: QObject | None = None):
        super().__init__(parent)
        self.release = release
        self._before: dict[int, str] = {}

    def guard(self, root: QWidget) -> None:
        """Guard every field below ``root`` (call again after fields were rebuilt)."""
        for field in root.findChildren(QWidget):
            if not isinstance(field, FIELDS) or field.property("guarded"):
                continue
            if isinstance(field, QLineEdit) and isinstance(field.parent(), QAbstractSpinBox | QComboBox):
                continue  # a spin box's own line edit: the spin box is guarded
            field.setProperty("guarded", True)
            field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # click or Tab, never the wheel
            field.installEventFilter(self)
            if isinstance(field, QAbstractSpinBox):
                field.lineEdit().installEventFilter(self)

    def _field(self, obj: QObject) -> QWidget:
        parent = obj.parent()
        return parent if isinstance(obj, QLineEdit) and isinstance(parent, QAbstractSpinBox) else obj

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.Wheel:
            field = self._field(obj)
            if field.hasFocus() or (isinstance(field, QComboBox) and field.view().isVisible()):
                return False
            area = _scroll_area(field)
            if area is not None:  # the page scrolls by the lines the desktop asks for a notch
                bar = area.verticalScrollBar()
                lines = event.angleDelta().y() / 120 * QApplication.wheelScrollLines()
                bar.setValue(bar.value() - round(lines * bar.singleStep()))
            return True  # an unfocused field never takes the wheel
        if kind == QEvent.Type.FocusIn and obj is self._field(obj):
            self._before[id(obj)] = _text(obj)
        elif kind == QEvent.Type.KeyPress:
            field = self._field(obj)
            if event.key() in ENTER and not isinstance(field, QComboBox):
                QTimer.singleShot(0, self.release)  # after the field has committed its value
            elif event.key() == Qt.Key.Key_Escape and field.hasFocus():
                _restore(field, self._before.get(id(field)))
                self.release()
                return True
        return False


def _text(field: QWidget) -> str | None:
    if isinstance(field, QAbstractSpinBox):
        return field.lineEdit().text()
    if isinstance(field, QLineEdit):
        return field.text()
    return None


def _restore(field: QWidget, text: str | None) -> None:
    """What the field showed before editing, without committing anything."""
    if isinstance(field, QAbstractSpinBox):
        field.lineEdit().setText(field.textFromValue(field.value()) if hasattr(field, "textFromValue") else text)
    elif isinstance(field, QLineEdit) and text is not None:
        field.setText(text)


def _scroll_area(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None
