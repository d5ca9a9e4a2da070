"""Stored state can never stop the app: a corrupted or odd settings file still opens the window."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

OPEN_AND_CLOSE = """
import sys
from PySide6.QtCore import QTimer
from adamgui.gui.app.qapplication import application
app = application()
from adamgui.gui.main_window import MainWindow
w = MainWindow()
w.show()
QTimer.singleShot(300, w.force_close)
app.exec()
print("OPENED", w.width() > 0)
"""


def good_settings(tmp_path: Path) -> Path:
    """A settings file as the app writes it (geometry, layout with checksums, theme, recent files)."""
    ini = tmp_path / "settings.ini"
    env = {**os.environ, "ADAMGUI_SETTINGS": str(ini)}
    subprocess.run([sys.executable, "-c", OPEN_AND_CLOSE], env=env, cwd=ROOT, capture_output=True, timeout=60)
    assert "window_state_sha256" in ini.read_text()
    return ini


def opens(ini: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ADAMGUI_SETTINGS": str(ini)}
    return subprocess.run([sys.executable, "-c", OPEN_AND_CLOSE], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=60)  # fmt: skip


def corrupt(text: str, key: str, value: str) -> str:
    lines = [line for line in text.splitlines() if not line.startswith(f"{key}=")]
    return "\n".join([*lines, f"{key}={value}"]) + "\n"


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display")
@pytest.mark.parametrize(
    "key,value",
    [
        ("geometry", "garbage"),
        ("geometry", "12345"),
        ("window_state", "garbage"),
        ("window_state", "3.5"),
        ("theme", "@Variant(\\0\\0\\0\\x7f\\0\\0\\0\\x4QPointF\\0)"),
        ("zoom", "nan"),
        ("zoom", "lots"),
        ("recent", "@Invalid()"),
        ("last_dir", "@Variant(\\0\\0\\0\\x2\\0\\0\\0\\x5)"),
    ],
)
def test_a_corrupted_stored_value_is_dropped_and_the_window_opens(tmp_path, key, value):
    ini = good_settings(tmp_path)
    ini.write_text(corrupt(ini.read_text(), key, value))
    proc = opens(ini)
    assert proc.returncode == 0 and "OPENED True" in proc.stdout, proc.stderr[-2000:]


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display")
def test_a_byte_flipped_dock_layout_is_never_handed_to_qt(tmp_path):
    ini = good_settings(tmp_path)
    text = ini.read_text()
    line = next(line for line in text.splitlines() if line.startswith("window_state="))
    flipped = line[: len(line) // 2] + ("A" if line[len(line) // 2] != "A" else "B") + line[len(line) // 2 + 1 :]
    ini.write_text(text.replace(line, flipped))
    proc = opens(ini)
    assert proc.returncode == 0 and "OPENED True" in proc.stdout, proc.stderr[-2000:]


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display")
def test_a_settings_file_that_is_a_fifo_is_ignored_with_one_line(tmp_path):
    fifo = tmp_path / "settings.ini"
    os.mkfifo(fifo)
    proc = opens(fifo)
    assert proc.returncode == 0 and "OPENED True" in proc.stdout
    assert proc.stderr.strip() == f"adamgui: settings file {fifo} ignored: it is not a regular file"


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display")
def test_twenty_thousand_recent_files_are_capped_on_read(tmp_path):
    ini = good_settings(tmp_path)
    entries = ", ".join(f"/tmp/f{i}.adamgui.json" for i in range(20_000))
    ini.write_text(corrupt(ini.read_text(), "recent", entries))
    proc = opens(ini)
    assert proc.returncode == 0 and "OPENED True" in proc.stdout
