"""What the GUI tests do to the window: find a widget by its objectName, type into a field."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox


def find(window, cls, name):
    """The child of ``window`` of class ``cls`` named ``name``; the test fails if there is none."""
    widget = window.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name!r}"
    return widget


def type_text(widget, text: str) -> None:
    """Select what a line edit or spin box holds, type ``text`` and press Return, as a user would."""
    target = widget.lineEdit() if isinstance(widget, QAbstractSpinBox) else widget
    target.selectAll()
    QTest.keyClicks(target, text)
    QTest.keyClick(target, Qt.Key.Key_Return)
