import warnings

import pytest
from PySide6.QtWidgets import QApplication

from adamgui.core.scene import default_scene


@pytest.fixture(autouse=True, scope="session")
def garbage_collected_between_events(qapp):
    """As in the app: no cycle collection in the middle of a Qt call (it can hang Qt; see application.py)."""
    from adamgui.gui.app.qapplication import collect_garbage_between_events

    collect_garbage_between_events()


@pytest.fixture(autouse=True)
def discard_unsaved_changes(monkeypatch):
    """Windows closed at a test's end are not asked about unsaved changes (a test that is sets its own answer)."""
    from PySide6.QtWidgets import QMessageBox

    from adamgui.gui.documents import Documents

    monkeypatch.setattr(Documents, "ask", lambda self: QMessageBox.StandardButton.Discard)


@pytest.fixture
def window(qtbot):
    from adamgui.gui.main_window import MainWindow

    w = MainWindow(default_scene())
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    # Xvfb runs no window manager, so nothing activates the window; shortcuts need an active one.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(w)
    yield w
    w.controller.pause()
