"""A picture written as a PNG file, all or nothing: what the exports and the Maps dock save."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from adamgui.core.files import atomic_output


class ExportError(ValueError):
    """An export that cannot be made; the message says why."""


def write_png(image: QImage, path: str | Path) -> None:
    """``image`` as a PNG file, all or nothing (ExportError or FileProblem say why not)."""
    with atomic_output(path) as partial:
        if not image.save(str(partial), "PNG"):
            raise ExportError(f"Cannot write {path}: the picture could not be encoded or saved")
