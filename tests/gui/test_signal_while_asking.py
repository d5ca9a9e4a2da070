"""A signal ends the app at any moment, without asking: even while "Save changes?" is open (issue 34.17)."""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from adamgui.gui.documents import Documents

ASK = Documents.ask  # the real question (the GUI tests' fixture answers it with Discard)


def test_a_signal_while_save_changes_is_asked_ends_the_question_and_closes_the_window(window, qtbot, monkeypatch):
    monkeypatch.setattr(Documents, "ask", ASK)
    window.controller.set_run_params(0, {"lr": 0.2})
    assert window.isWindowModified()
    asked = []

    def when_asked():  # the question is modal: wait for it, then do what SIGTERM's handler posts
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(20, when_asked)
            return
        asked.append(modal.windowTitle())
        window.force_close()

    def safety_net():  # (without the fix the question stays open and the test would hang: end it, and fail)
        modal = QApplication.activeModalWidget()
        if modal is not None:
            asked.append("still open")
            modal.reject()

    QTimer.singleShot(0, when_asked)
    QTimer.singleShot(15_000, safety_net)
    window.close()  # asks "Save changes?" (a nested event loop until it is answered)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert asked == ["Unsaved changes"]
    assert QApplication.activeModalWidget() is None  # the question is gone too, not left open over nothing
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]
