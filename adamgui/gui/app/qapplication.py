"""The one place the QApplication is made: the window, ``render`` and the benchmark all use it."""

from __future__ import annotations

import os
import sys

import pyqtgraph as pg
from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from adamgui import __version__
from adamgui.resources import icon_path


def prepare_qt() -> None:
    """Settings that must precede the QApplication.

    GL views share their contexts: pyqtgraph caches its shader programs per item
    class, and a program made in one context is only valid in another if they share.

    The 3D view is a QOpenGLWindow: its ``update()`` asks the platform for a paint, and on X11 Qt
    answers after an idle timer of 5 ms by default (``QT_QPA_UPDATE_IDLE_TIME``). Every frame of the
    3D view waited those 5 ms doing nothing: an empty 3D frame took 5.7 ms from update to swap, 0.55 ms
    without the wait. The controller's clock already paces the frames, so the wait is dropped, unless
    the user set it. (Other platforms pace by the display and do not read it.)
    """
    os.environ.setdefault("QT_QPA_UPDATE_IDLE_TIME", "0")
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


_COLLECTOR: GarbageCollector | None = None


def collect_garbage_between_events() -> None:
    """Python's cycle collector runs from a timer in the event loop, never in the middle of a Qt call.

    Left automatic, a collection starts wherever Python allocates, also inside a Qt call that holds
    a lock: ``QObject::disconnect`` calls back into Python with its signal-slot lock held, and if the
    collection then frees a closed window's leftover QObject, whose destructor takes that lock, the
    app hangs for good (seen in the tests: a window's plots adding a curve while an old window's
    menu was collected). pyqtgraph's GarbageCollector turns the automatic collector off and collects,
    generation by generation as Python would, on a one-second timer. Needs the QApplication.
    """
    global _COLLECTOR
    if _COLLECTOR is None:
        _COLLECTOR = GarbageCollector(interval=1.0)


def application() -> QApplication:
    """The running QApplication, or a new one set up for AdamGUI (names, icon, antialiasing)."""
    app = QApplication.instance()
    if app is None:
        prepare_qt()
        app = QApplication(sys.argv[:1])
    app.setApplicationName("AdamGUI")
    app.setDesktopFileName("adamgui")
    app.setWindowIcon(QIcon(str(icon_path())))
    app.setApplicationVersion(__version__)
    app.setOrganizationName("AdamGUI")
    pg.setConfigOptions(antialias=True)
    collect_garbage_between_events()
    return app
