"""One long computation on a thread of its own, reporting progress and its result as signals."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from adamgui.core import maps
from adamgui.core.params import ParamError

Progress = Callable[[int, int], bool]


class Worker(QObject):
    """Runs ``job(progress)`` once on the thread it is moved to.

    ``progress(done, total)`` returns False once cancel was asked for; a job that then raises
    :class:`maps.Cancelled` ends with ``cancelled``. Connect the signals to bound methods of
    objects on the GUI thread, so Qt queues the calls there.
    """

    progressed = Signal(int, int)
    finished = Signal(object, object)  # (key, result)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, key, job: Callable[[Progress], object]):
        super().__init__()
        self.key, self.job = key, job
        self.cancel_requested = False

    def run(self) -> None:
        def progress(done: int, total: int) -> bool:
            self.progressed.emit(done, total)
            return not self.cancel_requested

        try:
            result = self.job(progress)
        except maps.Cancelled:
            self.cancelled.emit()
        except (ParamError, ValueError, FloatingPointError) as e:
            self.failed.emit(str(e))
        else:
            self.finished.emit(self.key, result)


class Background(QObject):
    """One long computation at a time, on a thread of its own (a dock's): :meth:`start`, :meth:`cancel`,
    :meth:`wait`. Its signals arrive on the GUI thread (it lives there); after ``finished``, ``failed`` or
    ``cancelled`` the owner calls :meth:`end`."""

    progressed = Signal(int, int)
    finished = Signal(object, object)  # (key, result)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.thread: QThread | None = None
        self.worker: Worker | None = None

    def start(self, key, job: Callable[[Progress], object]) -> None:
        self.thread = QThread(self)
        self.worker = Worker(key, job)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        # to this (GUI-thread) object's signals: Qt queues each call to the GUI thread
        self.worker.progressed.connect(self.progressed)
        self.worker.finished.connect(self.finished)
        self.worker.failed.connect(self.failed)
        self.worker.cancelled.connect(self.cancelled)
        self.thread.start()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel_requested = True

    def wait(self) -> None:
        """Block until the running computation (if any) has ended and its owner has handled the result."""
        from PySide6.QtWidgets import QApplication

        while self.thread is not None:
            self.thread.wait(20)
            QApplication.processEvents()

    def end(self) -> None:
        """The computation is over: its thread is stopped and let go."""
        if self.thread is not None:
            self.thread.quit()
            self.thread.wait()
            self.thread.deleteLater()
            self.worker.deleteLater()
        self.thread = self.worker = None


class InBackground:
    """Mixed into a dock that computes on a :class:`Background` (``self.background``) and shows its progress
    in a progress bar (``self.progress``): the running thread, Cancel, wait, progress."""

    @property
    def thread(self) -> QThread | None:
        """The running computation's thread (None: none runs)."""
        return self.background.thread

    def cancel(self) -> None:
        self.background.cancel()

    def wait(self) -> None:
        """Block until the running computation (if any) has ended and its result is handled."""
        self.background.wait()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)
