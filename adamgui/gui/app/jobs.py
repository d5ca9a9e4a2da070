"""Long work done on the GUI thread in slices (replaying a session, exporting an animation).

Between slices the work asks ``keep_going(done, total)``: that shows its progress, lets Qt handle
events, and says False once the user pressed Cancel or the window was asked to close (its close
button, SIGTERM, Ctrl+C). A close asked for during a job waits until the job has unwound, so nothing
is torn down under it; the window then closes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget


class Jobs(QObject):
    """Counts the long jobs running in one window and carries a request to stop them."""

    all_done = Signal()  # the last job ended (a close that waited for it can go ahead)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.running = 0
        self.stop_requested = False
        self._disabled: list[QWidget] = []  # the controls the running jobs turned off

    @contextlib.contextmanager
    def job(self) -> Iterator[None]:
        """While it runs, the window's controls take no input (the work is not re-entered), but the window itself
        does: its close button and Ctrl+Q stop the job and then close it (a modal dialog would block both)."""
        self.running += 1
        parts = self._controls() if self.running == 1 else []
        for part in parts:
            part.setEnabled(False)
        if parts:
            self._disabled = parts
        try:
            yield
        finally:
            for part in parts:
                with contextlib.suppress(RuntimeError):  # (a part Qt deleted meanwhile)
                    part.setEnabled(True)
            if parts:
                self._disabled = []
            self.running -= 1
            if self.running == 0:
                self.stop_requested = False
                self.all_done.emit()

    @contextlib.contextmanager
    def looking_enabled(self) -> Iterator[None]:
        """For a picture of the window: the controls a job turned off (which Qt draws greyed, their pictures too)
        are on for the block alone, then off again. No event is handled in between, so they take no input."""
        parts = list(self._disabled)
        for part in parts:
            part.setEnabled(True)
        try:
            yield
        finally:
            for part in parts:
                part.setEnabled(False)

    def _controls(self) -> list[QWidget]:
        from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolBar

        window = self.parent()
        if not isinstance(window, QMainWindow):
            return []
        parts = [window.centralWidget(), window.menuBar(), *window.findChildren(QToolBar)]
        parts += [dock for dock in window.findChildren(QDockWidget) if dock.isEnabled()]
        return [part for part in parts if part is not None and part.isEnabled()]

    def request_stop(self) -> None:
        """Every running job (or the next to start) stops at its next check (within a tenth of a second)."""
        self.stop_requested = True

    def progress(
        self, parent: QWidget, text: str, total: int, name: str = "jobProgress"
    ) -> tuple[QProgressDialog, Callable[[int, int], bool]]:
        """A progress dialog with Cancel (shown after half a second) and its ``keep_going``. It is not modal (the
        window's controls are off during the job instead), so the window's close button and Ctrl+Q, on the window or
        on the dialog, still reach the window: they stop the job."""
        dialog = QProgressDialog(text, "Cancel", 0, max(total, 1), parent)
        dialog.setObjectName(name)
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        quit_here = QShortcut(QKeySequence(QKeySequence.StandardKey.Quit), dialog)
        quit_here.activated.connect(parent.close)
        dialog.setMinimumDuration(500)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)

        def keep_going(done: int, total: int) -> bool:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, total))
            QApplication.processEvents()
            return not (dialog.wasCanceled() or self.stop_requested)

        return dialog, keep_going
