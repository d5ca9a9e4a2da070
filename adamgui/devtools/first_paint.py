"""The start-up hook of ``bench``: with FIRST_PAINT_ENV set, the app prints when it first painted, then closes."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

FIRST_PAINT_ENV = "ADAMGUI_EXIT_AFTER_FIRST_PAINT"  # read by adamgui.app, set by bench


def report_first_paint(window) -> None:
    """Print ``FIRST_PAINT <monotonic time>`` once the window first painted, then ``FIRST_3D <time>`` once its 3D
    view did (made after the window's first paint; the same time again where there is no 3D view), then close."""

    def painted() -> None:
        print(f"FIRST_PAINT {time.monotonic()}", flush=True)
        QTimer.singleShot(0, lambda: None if window.surface_view.gl is not None else done())

    def done() -> None:
        print(f"FIRST_3D {time.monotonic()}", flush=True)
        QTimer.singleShot(0, window.force_close)

    window.first_frame.connect(painted)
    window.first_3d_frame.connect(done)
