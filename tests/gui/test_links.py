"""Share > Copy Link and File > Open Link... through the real window, and `adamgui open LINK` as a desktop runs it."""

import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from adamgui.core.links import to_link
from adamgui.core.presets import get_preset
from adamgui.core.scene import scene_from_preset

ROOT = Path(__file__).resolve().parents[2]


def _plain(scene):
    return replace(scene, runs=tuple(replace(r, spec=replace(r.spec, params=r.spec.resolved())) for r in scene.runs))


def test_copy_link_then_open_link_brings_the_same_scene_back(window, qtbot, monkeypatch):
    c = window.controller
    window.load_preset(get_preset("plateau-epsilon"))
    c.set_run_params(1, {"lr": 0.07})  # a change of the user's travels with the link
    shared = c.scene
    window.findChild(QAction, "copyLinkAction").trigger()
    link = QApplication.clipboard().text()
    assert link == to_link(shared) and "Copied a link" in window.statusBar().currentMessage()
    window.load_preset(get_preset("ravine"))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (link, True))
    window.findChild(QAction, "openLinkAction").trigger()  # File > Open Link..., the link pasted
    assert _plain(c.scene) == _plain(shared) and c.step == 0
    assert window.documents.path is None  # a shared scene is untitled: Save asks where


def test_a_broken_link_is_said_and_the_scene_stays(window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    before = window.controller.scene
    link = to_link(scene_from_preset(get_preset("ravine")))
    assert not window.documents.open_link(link[:-7])
    assert (
        shown == ["The link is broken: its data do not unpack (it was cut short or mistyped)"]
        or "cut short" in shown[0]
    )
    assert window.controller.scene is before


@pytest.mark.skipif(sys.platform != "linux", reason="drives an X display")
def test_adamgui_open_link_opens_the_window_and_a_broken_one_is_refused_before_it(tmp_path):
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs an X display (pytest-xvfb provides one where Xvfb is installed)")
    from Xlib import display as xdisplay

    from tests.gui.test_exit import find_window

    link = to_link(scene_from_preset(get_preset("ravine")))
    env = {**os.environ, "ADAMGUI_DATA_DIR": str(tmp_path / "data")}
    env.pop("QT_QPA_PLATFORM", None)
    bad = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "open", "adamgui:1.broken*"], env=env, capture_output=True, text=True
    )
    assert bad.returncode == 2 and bad.stderr.startswith("adamgui: error: cannot open the link: The link is broken")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "open", link],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        find_window(xdisplay.Display(), "Untitled — AdamGUI")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and err.decode().strip() == ""
