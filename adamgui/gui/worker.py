"""One long computation on a thread of its own, reporting progress and its result as signals."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

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
