"""The Maps dock's computations: one at a time on a thread of its own, each result kept under its request."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from adamgui.core.map_requests import BasinRequest, SweepRequest
from adamgui.gui.app.worker import Background, Progress

CACHE_SIZE = 16  # results kept; the least recently shown goes first

Request = BasinRequest | SweepRequest


class MapJobs(QObject):
    """Computes basin maps and sweeps off the GUI thread and keeps the last CACHE_SIZE results by request (a frozen
    value naming every input), so asking again for the same thing is immediate. Its signals arrive on the GUI
    thread: ``computed`` when a result is new, ``failed`` and ``cancelled`` otherwise."""

    progressed = Signal(int, int)
    computed = Signal(object, object)  # (request, result)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.cache: OrderedDict = OrderedDict()
        self.background = Background(self)
        self.background.progressed.connect(self.progressed)
        self.background.finished.connect(self._on_finished)
        self.background.failed.connect(self._on_failed)
        self.background.cancelled.connect(self._on_cancelled)

    def ask(self, request: Request, job: Callable[[Progress], object]) -> tuple[str, object]:
        """("cached", the result) when ``request`` was computed before; ("busy", None) while another computes;
        else ("started", None): ``job`` runs on the thread and ``computed`` follows."""
        if request in self.cache:
            self.cache.move_to_end(request)
            return "cached", self.cache[request]
        if self.background.thread is not None:
            return "busy", None
        self.background.start(request, job)
        return "started", None

    def _on_finished(self, request, result) -> None:
        self.background.end()
        self.cache[request] = result
        while len(self.cache) > CACHE_SIZE:
            self.cache.popitem(last=False)
        self.computed.emit(request, result)

    def _on_failed(self, text: str) -> None:
        self.background.end()
        self.failed.emit(text)

    def _on_cancelled(self) -> None:
        self.background.end()
        self.cancelled.emit()
