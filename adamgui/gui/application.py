"""The one place the QApplication is made: the window, ``render`` and the benchmark all use it."""

from __future__ import annotations

import sys

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from adamgui import __version__
from adamgui.resources import icon_path


def prepare_qt() -> None:
    """Settings that must precede the QApplication.

    GL views share their contexts: pyqtgraph caches its shader programs per item
    class, and a program made in one context is only valid in another if they share.
    """
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


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
    return app
