"""Create (or reuse) the QApplication, show the main window, run the event loop."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from dataclasses import replace

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from adamgui import __version__
from adamgui.core.presets import get_preset
from adamgui.core.scene import Scene, default_scene, scene_from_preset
from adamgui.resources import icon_path


def scene_from_options(options: argparse.Namespace) -> Scene:
    scene = scene_from_preset(get_preset(options.preset)) if options.preset else default_scene()
    if options.surface:
        scene = scene.with_surface(options.surface)
    if options.start is not None:
        scene = replace(scene, start=options.start)
    return scene


def prepare_qt() -> None:
    """Settings that must precede the QApplication.

    GL views share their contexts: pyqtgraph caches its shader programs per item
    class, and a program made in one context is only valid in another if they share.
    """
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def _report_first_paint(window) -> None:
    """For ``bench``: print the monotonic time once the window (and its 3D view) first painted, then close."""
    pending = {"window"} | ({"gl"} if window.surface_view.gl is not None else set())

    def done(part: str) -> None:
        pending.discard(part)
        if not pending:
            print(f"FIRST_PAINT {time.monotonic()}", flush=True)
            QTimer.singleShot(0, window.close)

    class Watcher(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and "window" in pending:
                QTimer.singleShot(0, lambda: done("window"))  # after this paint has finished
            return False

    window._first_paint_watcher = Watcher(window)
    window.installEventFilter(window._first_paint_watcher)
    if window.surface_view.gl is not None:
        window.surface_view.gl.frameSwapped.connect(lambda: done("gl"))


def run_gui(options: argparse.Namespace) -> int:
    """Open the window; return the event loop's exit status."""
    if QApplication.instance() is None:
        prepare_qt()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("AdamGUI")
    app.setDesktopFileName("adamgui")
    app.setWindowIcon(QIcon(str(icon_path())))
    app.setApplicationVersion(__version__)
    app.setOrganizationName("AdamGUI")
    pg.setConfigOptions(antialias=True)
    from adamgui.gui.main_window import MainWindow

    window = MainWindow(scene_from_options(options))
    if os.environ.get("ADAMGUI_EXIT_AFTER_FIRST_PAINT"):
        _report_first_paint(window)
    window.show()
    # SIGTERM and Ctrl+C close the window like the user would; a timer lets Python see the signal.
    signal.signal(signal.SIGTERM, lambda *_: window.close())
    signal.signal(signal.SIGINT, lambda *_: window.close())
    wakeup = QTimer(window)
    wakeup.start(250)
    wakeup.timeout.connect(lambda: None)
    return app.exec()
