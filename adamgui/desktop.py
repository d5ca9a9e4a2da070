"""``main.py install-desktop``: put AdamGUI in this user's desktop menu, opening by double-click (Linux)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from adamgui.resources import icon_path, resources_dir

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def launch_command() -> str:
    """How the desktop starts this very installation: the bundle's program, this Python with main.py, or (installed
    with pip) this Python with ``-m adamgui``."""
    if getattr(sys, "frozen", False):
        return shlex.quote(sys.executable)
    main = Path(__file__).resolve().parents[1] / "main.py"
    if main.is_file():  # a source tree
        return f"{shlex.quote(sys.executable)} {shlex.quote(str(main))}"
    return f"{shlex.quote(sys.executable)} -m adamgui"  # an installed wheel


def install() -> int:
    """Write the .desktop entry and the icons under $XDG_DATA_HOME (~/.local/share); say where."""
    home = data_home()
    apps = home / "applications"
    apps.mkdir(parents=True, exist_ok=True)
    entry = (resources_dir() / "adamgui.desktop").read_text(encoding="utf-8").replace("@EXEC@", launch_command())
    target = apps / "adamgui.desktop"
    target.write_text(entry, encoding="utf-8")
    target.chmod(0o755)
    icons = home / "icons" / "hicolor"
    for size in PNG_SIZES:
        folder = icons / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(icon_path(size), folder / "adamgui.png")
    scalable = icons / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(icon_path(), scalable / "adamgui.svg")
    mime = home / "mime"
    (mime / "packages").mkdir(parents=True, exist_ok=True)  # session files (*.adamgui.json) open with AdamGUI
    shutil.copyfile(resources_dir() / "adamgui-mime.xml", mime / "packages" / "adamgui.xml")
    for tool, args in (
        ("update-desktop-database", [str(apps)]),
        ("gtk-update-icon-cache", ["-q", str(icons)]),
        ("update-mime-database", [str(mime)]),
        ("xdg-mime", ["default", "adamgui.desktop", "x-scheme-handler/adamgui"]),  # adamgui: links open here
    ):
        if shutil.which(tool):
            subprocess.run([tool, *args], capture_output=True, check=False)
    print(
        f"Installed {target}, its icons, the session file type (*.adamgui.json) and the adamgui: link handler; "
        "AdamGUI is now in your desktop's menu, a saved session opens with it by double-click, and a shared "
        "adamgui: link opens in it."
    )
    return 0
