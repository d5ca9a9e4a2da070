"""Where the files of ``resources/`` are: beside the package, or inside a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[1] / "resources"


def icon_path(size: int | None = None) -> Path:
    """The SVG icon, or the PNG of ``size`` pixels."""
    base = resources_dir()
    return base / "adamgui.svg" if size is None else base / "icons" / f"adamgui-{size}.png"
