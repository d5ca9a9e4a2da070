"""Create (or reuse) the QApplication, show the main window, run the event loop."""

from __future__ import annotations

import argparse
import signal
import sys
from dataclasses import replace

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication

from adamgui import __version__
from adamgui.core.presets import get_preset
from adamgui.core.scene import Scene, default_scene, scene_from_preset


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


def run_gui(options: argparse.Namespace) -> int:
    """Open the window; return the event loop's exit status."""
    if QApplication.instance() is None:
        prepare_qt()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("AdamGUI")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("AdamGUI")
    pg.setConfigOptions(antialias=True)
    from adamgui.gui.main_window import MainWindow

    window = MainWindow(scene_from_options(options))
    window.show()
    # SIGTERM and Ctrl+C close the window like the user would; a timer lets Python see the signal.
    signal.signal(signal.SIGTERM, lambda *_: window.close())
    signal.signal(signal.SIGINT, lambda *_: window.close())
    wakeup = QTimer(window)
    wakeup.start(250)
    wakeup.timeout.connect(lambda: None)
    return app.exec()
