"""Create (or reuse) the QApplication, show the main window, run the event loop."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QTimer

from adamgui.core.presets import get_preset
from adamgui.core.scene import Scene, default_scene, scene_from_preset
from adamgui.core.surface_rates import with_sensible_rates
from adamgui.gui.app.qapplication import application


def scene_from_options(options: argparse.Namespace) -> Scene:
    scene = scene_from_preset(get_preset(options.preset)) if options.preset else default_scene()
    if options.surface:  # picked on the command line as in the panel: each run's α one that suits it
        scene = with_sensible_rates(scene.with_surface(options.surface))
    if options.start is not None:
        scene = replace(scene, start=options.start)
    return scene


def run_gui(options: argparse.Namespace, on_window: Callable | None = None, problems: Sequence[str] = ()) -> int:
    """Open the window (handed to ``on_window`` first, if given); return the event loop's exit status.

    ``problems``: plugins that were skipped, said once in a message beside the window."""
    app = application()
    from adamgui.gui.main_window import MainWindow

    window = MainWindow(scene_from_options(options), defer_3d=True)  # on the screen first, the 3D view a moment later
    # SIGTERM and Ctrl+C close the window like the user would, from before it is on the screen (a signal sent
    # once the window shows must not find Python's default, which ends the process with no cleanup); a timer
    # lets Python see the signal. The handler only posts the close: it may run inside any Python code Qt calls.
    signal.signal(signal.SIGTERM, lambda *_: QTimer.singleShot(0, window.force_close))
    signal.signal(signal.SIGINT, lambda *_: QTimer.singleShot(0, window.force_close))
    wakeup = QTimer(window)
    wakeup.start(250)
    wakeup.timeout.connect(lambda: None)
    if getattr(options, "lesson", None):
        window.open_lesson(options.lesson)
    if on_window is not None:
        on_window(window)
    window.show()
    if problems:
        window.tell_skipped_plugins(problems)
    sessions = getattr(options, "sessions", None) or []
    from adamgui.core.links import is_link

    if sessions and is_link(sessions[0]):
        window.documents.open_link(sessions[0])  # (read once already, by the option parser: it opens)
        sessions = []
    if sessions:
        window.documents.open_path(sessions[0])  # (read once already, by the option parser: it opens)
        if len(sessions) > 1:
            ignored = ", ".join(Path(p).name for p in sessions[1:])
            print(
                f"adamgui: note: one session a window: opened {Path(sessions[0]).name}; ignored {ignored}",
                file=sys.stderr,
            )
            window.statusBar().showMessage(
                f"Opened {Path(sessions[0]).name}; one session a window, so "
                f"{ignored} {'was' if len(sessions) == 2 else 'were'} not opened",
                15000,
            )
    return app.exec()
