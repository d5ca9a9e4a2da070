"""A formula's second derivatives, built on a thread of their own when a view first needs them.

The curvature overlay, the Step inspector's curvature rows and the Sharpness plot ask the surface for its
Hessian as they draw. For a typed formula sympy builds it on first use, which can take up to about a second
(core/expression.py bounds the work). In the window the core hands that build here (``build_hessians_with``):
the view that asked draws without curvature for now; the status bar shows a busy bar with Cancel; once the
build is done the window draws its frame again, now with the curvature. Cancel hides the bar and switches off
what asked (the curvature view, the Sharpness tab); the build still finishes in the background and is kept.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QStatusBar, QWidget
from shiboken6 import isValid

from adamgui.core import expression
from adamgui.gui.app.worker import Background


class HessianBuilder(QObject):
    """Builds formulas' second derivatives one at a time, off the GUI thread, with a busy bar and Cancel."""

    built = Signal(str)  # the formula whose second derivatives are now known (or known to be too large)
    cancelled = Signal()  # the user pressed Cancel: what asked for the curvature switches itself off

    def __init__(self, status_bar: QStatusBar, parent: QObject | None = None):
        super().__init__(parent)
        self.background = Background(self)
        self.background.finished.connect(self._finished)
        self.background.failed.connect(lambda _sentence: self._finished(self._building, None))
        self._building: str | None = None  # the formula on the thread now
        self._queue: list[str] = []  # formulas asked for meanwhile
        self.bar = QWidget()
        self.bar.setObjectName("hessianBusy")
        layout = QHBoxLayout(self.bar)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("Working out the curvature of f…")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no measure of progress: a busy bar
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("hessianCancel")
        self.cancel_button.setToolTip("Stop waiting: the curvature view and the Sharpness plot turn off")
        self.cancel_button.clicked.connect(self.cancel)
        for w in (self.label, self.busy, self.cancel_button):
            layout.addWidget(w)
        status_bar.addPermanentWidget(self.bar)
        self.bar.hide()

    @property
    def busy_with(self) -> str | None:
        """The formula whose second derivatives are being built (None: nothing is)."""
        return self._building

    def install(self) -> None:
        """Build every formula's second derivatives here from now on (the core asks :meth:`take`)."""
        expression.build_hessians_with(self.take)

    def uninstall(self) -> None:
        """Leave the building to whoever asks again (the window is closing)."""
        expression.build_hessians_with(None)
        self.wait()

    def take(self, text: str) -> bool:
        """The core's hook: True when this builder takes the work (asked on the GUI thread while its window is
        shown); False leaves it to the asker (a map or a race computing on a thread of its own)."""
        if not isValid(self) or QThread.currentThread() is not self.thread():
            return False
        window = self.parent()
        if window is not None and not window.isVisible():  # not shown yet, or closed: the asker builds it
            return False
        self.request(text)
        return True

    def request(self, text: str) -> None:
        """Build ``text``'s second derivatives unless they are being built or waiting already."""
        if text == self._building or text in self._queue:
            return
        self._queue.append(text)
        self._next()

    def _next(self) -> None:
        if self._building is not None or not self._queue:
            return
        self._building = self._queue.pop(0)
        self.bar.show()
        text = self._building
        self.background.start(text, lambda _progress: expression.build_hessian(text))

    def _finished(self, text: str, _result) -> None:
        self.background.end()
        self._building = None
        if not self._queue:
            self.bar.hide()
        self.built.emit(text)
        self._next()

    def cancel(self) -> None:
        """Stop waiting: the bar goes, what asked turns off. A build under way still ends (sympy cannot be
        interrupted; the work is bounded) and is kept, so asking again later is immediate."""
        self._queue.clear()
        self.bar.hide()
        self.cancelled.emit()

    def wait(self) -> None:
        """Block until no build runs (tests; closing the window)."""
        while self._building is not None:
            self.background.wait()
