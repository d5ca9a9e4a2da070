"""One hook for every unexpected exception in the GUI: log it, tell the user briefly, carry on.

The full traceback goes to ``errors.log`` in the user's data directory (platformdirs;
``ADAMGUI_DATA_DIR`` overrides it). The user sees a short non-modal message whose
"Show Details..." button holds the traceback as selectable, copyable text.
"""

from __future__ import annotations

import datetime
import os
import sys
import traceback
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget


def data_dir() -> Path:
    override = os.environ.get("ADAMGUI_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("AdamGUI", appauthor=False))


def log_path() -> Path:
    return data_dir() / "errors.log"


class UncaughtErrors:
    """Installed as ``sys.excepthook`` while the window lives."""

    def __init__(self, parent: QWidget, on_error=None):
        self.parent = parent
        self.on_error = on_error  # e.g. pause playing, so one fault is not repeated every frame
        self.count = 0
        self.box: QMessageBox | None = None
        self._previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        if sys.excepthook == self.handle:
            sys.excepthook = self._previous

    def handle(self, kind, value, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous(kind, value, tb)
            return
        self.count += 1
        if self.on_error is not None:
            try:
                self.on_error()
            except Exception:  # the net itself must not throw
                pass
        text = "".join(traceback.format_exception(kind, value, tb))
        where = self._log(text)
        summary = f"{kind.__name__}: {value}" if str(value) else kind.__name__
        if self.box is None:
            self.box = QMessageBox(self.parent)
            self.box.setObjectName("errorMessage")
            self.box.setIcon(QMessageBox.Icon.Warning)
            self.box.setWindowTitle("AdamGUI: something went wrong")
            self.box.setStandardButtons(QMessageBox.StandardButton.Ok)
            self.box.setModal(False)
        self.box.setText(
            "Something unexpected happened, and the step that hit it was skipped. "
            "AdamGUI carries on; saving your work now is a good idea."
        )
        self.box.setInformativeText(f"{summary}\n\nThe details are kept in {where}.")
        self.box.setDetailedText(text)
        self.box.show()

    def record(self, text: str) -> None:
        """A fault the app contained and said where it happened (a plugin's run stopped): kept in the log once, for
        whoever reads it later; no dialog, and not counted as an escaped error."""
        self._log(f"contained: {text}")

    def _log(self, text: str) -> str:
        path = log_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists() and not path.is_file():  # a pipe would block the window for ever
                return f"no log file ({path} is not a regular file)"
            with path.open("a", encoding="utf-8") as f:
                f.write(f"--- {datetime.datetime.now().isoformat(timespec='seconds')}\n{text}\n")
            return str(path)
        except OSError as e:
            return f"no log file (it could not be written: {e.strerror})"
