"""``main.py render``: open the window on a scene, run it, and save a picture or an animation.

Where there is no display, Qt's offscreen platform is used; there is no OpenGL then,
so the 3D view falls back to the 2D views with a note on stderr.
"""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import replace
from pathlib import Path

from adamgui import EXIT_INTERRUPTED
from adamgui.core.files import FileProblem
from adamgui.core.scene import Scene


def render(
    scene: Scene,
    steps: int,
    out: Path,
    view: str,
    size: tuple[int, int] | None,
    fps: int,
    with_chapter: bool = False,
) -> int:
    """Draw ``scene`` at step ``steps`` (PNG) or from 0 to ``steps`` (GIF, MP4); ``with_chapter``: its
    lesson chapter's title and rule above each picture. ``size`` is the picture's: the window's for the
    whole window, else the view's, drawn at that size (the window keeps its usual size). The exit
    status; 130 when stopped by a signal."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _quiet_offscreen_notice()
    from adamgui.gui.app.qapplication import application

    app = application()
    from PySide6.QtCore import QSize

    from adamgui.gui.export import save as export
    from adamgui.gui.main_window import MainWindow

    window = MainWindow(replace(scene, step_limit=max(scene.step_limit, steps)))
    # Ctrl+C and SIGTERM only ask the drawing to stop: it does so between two frames, and the file goes
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: window.jobs.request_stop())
    window.resize(*(size if size and view == "window" else (1600, 940)))
    window.show()
    for _ in range(10):
        app.processEvents()
    if view in ("surface", "window") and window.surface_view.gl is None:
        # the window's picture would show a box saying the 3D view is unavailable: the contour view instead
        print(
            f"adamgui: note: no 3D view here ({window.surface_view.unavailable_reason}); rendering the contour view",
            file=sys.stderr,
        )
        view = "contour"
    picture = QSize(*size) if size else None  # None: the view as laid out in the window (a window too
    # small for its docks is drawn at its least and fitted to ``size``)
    jobs = window.jobs

    terminal = sys.stderr.isatty()

    def keep_going(done: int, total: int) -> bool:
        if terminal and total:  # progress on a terminal only, in place
            end = "" if done < total else "\n"
            print(f"\rrender: {done:,} of {total:,}", end=end, file=sys.stderr, flush=True)
        return not jobs.stop_requested

    top = None
    if with_chapter and scene.chapter:
        from adamgui.core.lesson import chapter
        from adamgui.gui.docks.lesson import banner

        c = chapter(scene.chapter)
        window.show_as_chapter_says(c)  # as the window shows the chapter: following, inspected run, plot
        top = banner(c, (picture or export.view_size(window, view)).width())
    try:
        with jobs.job():
            if out.suffix.lower() == ".png":
                if window.controller.advance_to(steps, keep_going):
                    app.processEvents()
                    export.save_image(window, view, out, picture, banner=top)
            else:
                export.save_animation(window, out, steps, view, fps, keep_going, top, picture)
            stopped = jobs.stop_requested
    except (export.ExportError, FileProblem, OSError) as e:
        print(f"adamgui: error: {e}", file=sys.stderr)
        return 2
    finally:
        window.force_close()  # nothing to save: it was made for this command
    if stopped:
        print(f"adamgui: render interrupted; {out.name} was not written", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


def _quiet_offscreen_notice() -> None:
    """Qt's offscreen platform says "This plugin does not support propagateSizeHints()" (or raise()) as a window
    shows: true of every window drawn without a display, and no news to whoever asked for a picture. Every other
    message of Qt's still goes to standard error."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(mode, context, message: str) -> None:
        if not message.startswith("This plugin does not support"):
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)
