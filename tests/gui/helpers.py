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


def assert_shows_domain(view, x_range, y_range) -> None:
    """The contour view shows the whole domain, touching it on one axis, at one scale for x and y."""
    import pytest

    vb = view.getPlotItem().getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    tol = 1e-6 * max(x_range[1] - x_range[0], y_range[1] - y_range[0])
    assert x0 <= x_range[0] + tol and x1 >= x_range[1] - tol and y0 <= y_range[0] + tol and y1 >= y_range[1] - tol
    tight_x = (x0, x1) == pytest.approx(x_range, abs=tol)
    tight_y = (y0, y1) == pytest.approx(y_range, abs=tol)
    assert tight_x or tight_y
    if view.equal_scale:
        px, py = vb.viewPixelSize()
        assert px == pytest.approx(py, rel=1e-3)
