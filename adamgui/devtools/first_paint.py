"""The start-up hook of ``bench``: with FIRST_PAINT_ENV set, the app prints when it first painted, then closes."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer

FIRST_PAINT_ENV = "ADAMGUI_EXIT_AFTER_FIRST_PAINT"  # read by adamgui.app, set by bench


def report_first_paint(window) -> None:
    """Print ``FIRST_PAINT <monotonic time>`` once the window (and its 3D view) first painted, then close it."""
    pending = {"window"} | ({"gl"} if window.surface_view.gl is not None else set())

    def done(part: str) -> None:
        pending.discard(part)
        if not pending:
            print(f"FIRST_PAINT {time.monotonic()}", flush=True)
            QTimer.singleShot(0, window.force_close)

    class Watcher(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint and "window" in pending:
                QTimer.singleShot(0, lambda: done("window"))  # after this paint has finished
            return False

    window._first_paint_watcher = Watcher(window)
    window.installEventFilter(window._first_paint_watcher)
    if window.surface_view.gl is not None:
        window.surface_view.gl.frameSwapped.connect(lambda: done("gl"))
