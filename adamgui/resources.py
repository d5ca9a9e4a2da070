"""Where the files of ``resources/`` are: beside the package, inside an installed wheel, or in a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """A PyInstaller bundle's copy; an installed wheel's (adamgui/_resources); else the source tree's resources/."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    installed = Path(__file__).resolve().parent / "_resources"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[1] / "resources"


def icon_path(size: int | None = None) -> Path:
    """The SVG icon, or the PNG of ``size`` pixels."""
    base = resources_dir()
    return base / "adamgui.svg" if size is None else base / "icons" / f"adamgui-{size}.png"
