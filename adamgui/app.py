"""Entry point: ``main(argv)`` opens the window, or runs a command-line subcommand."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from adamgui import cli


def no_display() -> bool:
    """On Linux, whether a window has nowhere to go: no X or Wayland display and no platform chosen by hand."""
    if not sys.platform.startswith("linux"):
        return False
    return not any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run AdamGUI with ``argv`` (without the program name); return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["--version"], ["-h"], ["--help"]):  # nothing to load for these: a slow plugin cannot delay them
        return cli.main(argv)
    from adamgui.core.plugins import load_plugins  # before any name is read: plugins add optimizers, surfaces

    problems = load_plugins()
    for problem in problems:  # said once, and the app carries on without that plugin
        print(f"adamgui: warning: {problem}", file=sys.stderr)
    if argv and argv[0] == "open":  # `adamgui open 'adamgui:…'` or `adamgui open FILE`: the window, opening it
        if len(argv) != 2:
            print("adamgui: error: open takes one adamgui: link or session file", file=sys.stderr)
            return 2
        argv = argv[1:]
    if argv and (argv[0] in cli.COMMANDS or argv[0] in ("-h", "--help", "--version")):
        return cli.main(argv)
    try:
        options = cli.parse_gui_args(argv)
    except cli.CliError as e:
        print(f"adamgui: error: {e}", file=sys.stderr)
        return 2
    if no_display():  # Qt would abort with a page about platform plugins: one sentence instead
        print(
            "adamgui: error: there is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is "
            "set): start it in a desktop session, or use a command that needs none, such as 'run', 'render' or "
            "'list' (see --help)",
            file=sys.stderr,
        )
        return 2
    from adamgui.devtools.first_paint import FIRST_PAINT_ENV, report_first_paint  # Qt only for the window
    from adamgui.gui.launch import run_gui

    return run_gui(options, report_first_paint if os.environ.get(FIRST_PAINT_ENV) else None, problems)
