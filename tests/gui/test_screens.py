"""The window fits laptop screens and a HiDPI one: each size gets a virtual display of its own."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENS = {
    "1366x768": ("1366x768x24", {}),
    "1280x720": ("1280x720x24", {}),
    "1280x720 at 2x": ("2560x1440x24", {"QT_SCALE_FACTOR": "2"}),
}


def free_display() -> int:
    for n in range(70, 120):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


@pytest.mark.slow  # a virtual display of its own and the app in it
@pytest.mark.parametrize("name", list(SCREENS))
def test_window_fits_the_screen(name, tmp_path):
    if shutil.which("Xvfb") is None:  # in CI (CI=true) a missing display is a failure, never a quiet skip
        (pytest.fail if os.environ.get("CI") else pytest.skip)("needs Xvfb (make system-deps installs it)")
    geometry, extra = SCREENS[name]
    n = free_display()
    server = subprocess.Popen(
        ["Xvfb", f":{n}", "-screen", "0", geometry, "-nolisten", "tcp"], stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(200):
            if Path(f"/tmp/.X11-unix/X{n}").exists():
                break
            if server.poll() is not None:
                pytest.fail(f"Xvfb :{n} ended at once (status {server.returncode}): no display to test on")
            time.sleep(0.05)
        else:
            pytest.fail(f"Xvfb :{n} never made its display: nothing was tested")
        env = {
            **os.environ,
            **extra,
            "DISPLAY": f":{n}",
            "QT_QPA_PLATFORM": "xcb",
            "ADAMGUI_SCREEN_CHECK": "1",
            "ADAMGUI_SETTINGS": str(tmp_path / "settings.ini"),
            "ADAMGUI_SCREEN_SHOTS": os.environ.get("ADAMGUI_SCREEN_SHOTS", ""),
        }
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "--no-xvfb",
                "-p",
                "no:cacheprovider",
                "tests/gui/screen_checks.py",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
        assert "3 passed" in proc.stdout
    finally:
        server.terminate()
        server.wait()
