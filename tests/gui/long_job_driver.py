"""Run by tests/gui/test_long_jobs.py as its own process: the real window, started as ``main.py`` starts it
(same signal handlers), doing one long job through its own menus' code, until a signal arrives.

    python long_job_driver.py export OUT.gif     File > Export animation (300 steps) to OUT.gif
    python long_job_driver.py open SESSION.json  File > Open of a session saved at a far step

It prints ``started`` on stdout when the job has begun. Not collected by pytest (no ``test_`` prefix).
"""

import argparse
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog


def main() -> int:
    mode, target = sys.argv[1], sys.argv[2]
    from adamgui.gui.export import dialogs as export_dialogs
    from adamgui.gui.launch import run_gui

    def begin(window) -> None:
        def go() -> None:
            print("started", flush=True)
            if mode == "export":
                export_dialogs._Options.exec = lambda self: QDialog.DialogCode.Accepted  # the dialog's OK
                export_dialogs._ask_path = lambda *args: target  # the file dialog's answer
                export_dialogs.export_animation(window)
            else:
                window.documents.open_path(target)

        QTimer.singleShot(300, go)

    return run_gui(argparse.Namespace(preset=None, surface=None, start=None, lesson=None), begin)


if __name__ == "__main__":
    sys.exit(main())
