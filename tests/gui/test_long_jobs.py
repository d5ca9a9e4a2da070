"""Long jobs in the window can always be left: a far replay and an animation export show progress, stop
within half a second of Cancel or a close, and a signal at any moment ends the app cleanly with no file."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from adamgui.core.presets import get_preset
from adamgui.core.scene import default_scene, scene_from_preset
from adamgui.core.session import save

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("long_job_driver.py")


def far_session(path: Path, runs: int = 64, step: int = 200_000) -> Path:
    """A valid session of ``runs`` runs saved at ``step``: replaying it takes minutes."""
    scene = default_scene()
    save(path, scene, 0, 0)
    doc = json.loads(path.read_text())
    doc["runs"] = [dict(doc["runs"][i % len(doc["runs"])], key=i) for i in range(runs)]
    doc["step"] = step
    doc["step_limit"] = step
    path.write_text(json.dumps(doc))
    return path


def cancel_when_shown(name: str, clock: dict) -> None:
    """Press Cancel on the progress dialog ``name`` as soon as it is on screen; note the time."""

    def look() -> None:
        for dialog in QApplication.topLevelWidgets():
            if isinstance(dialog, QProgressDialog) and dialog.objectName() == name and dialog.isVisible():
                QTimer.singleShot(200, lambda d=dialog: (clock.update(cancelled=time.monotonic()), d.cancel()))
                return
        QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)


@pytest.mark.slow  # a 0.5 s bound on the replay after Cancel
def test_a_far_session_replays_with_progress_and_cancel_keeps_the_scene(window, tmp_path):
    path = far_session(tmp_path / "far.adamgui.json")
    c = window.controller
    c.load_scene(scene_from_preset(get_preset("ravine")))
    c.advance_to(7)
    before_scene, before_sim = c.scene, c.sim
    clock: dict = {}
    cancel_when_shown("openProgress", clock)
    assert window.documents.open_path(path) is False
    late = time.monotonic() - clock["cancelled"]
    assert late < 0.5, f"the replay went on {late:.2f} s after Cancel"
    assert c.scene == before_scene and c.sim is before_sim and c.sim.t == 7  # what the user had, untouched
    assert window.documents.path is None
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_short_session_opens_to_its_step_and_an_export_does_not_recompute_the_window(window, tmp_path):
    from adamgui.gui.export.save import save_animation

    c = window.controller
    c.advance_to(40)
    path = tmp_path / "s.adamgui.json"
    window.documents.save_to(path)
    c.reset()
    assert window.documents.open_path(path) and c.sim.t == 40
    sim = c.sim
    save_animation(window, tmp_path / "a.gif", 5)
    assert c.sim is sim and c.sim.t == 40  # put back as it was, not replayed again


def test_closing_the_window_during_an_export_stops_it_and_leaves_no_file(window, tmp_path, qtbot):
    """Counted, not timed: the window's close button is pressed once the export has drawn ten frames; the export
    checks at most once more before it stops, leaves no file, and the window then closes."""
    from adamgui.gui.export import dialogs as export_dialogs

    out = tmp_path / "long.gif"
    export_dialogs._Options.exec = lambda self: 1
    checks: dict = {"before": 0, "after": 0, "closed": False}
    progress = window.jobs.progress

    def counting_progress(*args, **kwargs):
        dialog, keep_going = progress(*args, **kwargs)

        def counted(done: int, total: int) -> bool:
            checks["after" if checks["closed"] else "before"] += 1
            if done == 10 and not checks["closed"]:
                checks["closed"] = True
                window.close()  # the window's close button, as the export draws its tenth frame
            return keep_going(done, total)

        return dialog, counted

    window.jobs.progress = counting_progress
    try:
        original = export_dialogs._ask_path
        export_dialogs._ask_path = lambda *a: str(out)
        export_dialogs.export_animation(window)
    finally:
        export_dialogs._ask_path = original
        del export_dialogs._Options.exec
        window.jobs.progress = progress
    assert checks["closed"] and checks["after"] <= 1, f"the export checked {checks['after']} times after the close"
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)  # then the window closes
    assert not out.exists() and not list(tmp_path.glob(".*partial*"))


@pytest.mark.slow  # sixty signals, each with a 5 s bound on the ending
@pytest.mark.skipif(sys.platform != "linux" or not os.environ.get("DISPLAY"), reason="needs an X display")
@pytest.mark.parametrize("mode", ["export", "open"])
def test_signals_at_random_moments_of_a_long_job_end_the_app_cleanly(mode, tmp_path):
    rounds = 20 if mode == "export" else 4
    env = {**os.environ, "ADAMGUI_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    env.pop("QT_QPA_PLATFORM", None)
    session = far_session(tmp_path / "far.adamgui.json") if mode == "open" else None
    rng = random.Random(20)
    for i in range(rounds):
        out = tmp_path / f"export-{i}.gif"
        target = str(out if mode == "export" else session)
        proc = subprocess.Popen(
            [sys.executable, str(DRIVER), mode, target],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout.readline().strip() == "started", proc.stderr.read()
            time.sleep(rng.uniform(0.05, 2.0))
            sent = time.monotonic()
            proc.send_signal(signal.SIGTERM if i % 2 == 0 else signal.SIGINT)
            _, err = proc.communicate(timeout=30)
            took = time.monotonic() - sent
        finally:
            if proc.poll() is None:
                proc.kill()
        name = "SIGTERM" if i % 2 == 0 else "SIGINT"
        assert proc.returncode == 0, f"round {i + 1} ({name}): status {proc.returncode}\n{err}"
        assert "Traceback" not in err and "Fatal" not in err, f"round {i + 1} ({name}):\n{err}"
        assert took < 5, f"round {i + 1} ({name}): the app took {took:.1f} s to end"
        assert not out.exists(), f"round {i + 1} ({name}): a file was left"
        assert not list(tmp_path.glob(".*partial*")), f"round {i + 1} ({name}): a part file was left"


@pytest.mark.skipif(sys.platform != "linux" or not os.environ.get("DISPLAY"), reason="needs an X display")
@pytest.mark.parametrize("mode", ["export", "open"])
@pytest.mark.parametrize("how", ["close button", "Ctrl+Q"])
def test_a_real_close_request_during_a_long_job_stops_it_and_ends_the_app(mode, how, tmp_path):
    """The close button (WM_DELETE_WINDOW, as a window manager sends it) or Ctrl+Q typed on the keyboard during an
    export or a session replay: the job stops, no file is left, the app ends with status 0 (it once ran on)."""
    from Xlib import display as xdisplay

    from tests.gui.test_exit import close_like_a_window_manager, find_window, press_ctrl_q

    env = {**os.environ, "ADAMGUI_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    env.pop("QT_QPA_PLATFORM", None)
    out = tmp_path / "export.gif"
    target = str(out if mode == "export" else far_session(tmp_path / "far.adamgui.json"))
    x = xdisplay.Display()
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), mode, target], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        window = find_window(x, "Untitled — AdamGUI")
        assert proc.stdout.readline().strip() == "started", proc.stderr.read()
        time.sleep(1.0)  # well into the job
        if how == "close button":
            close_like_a_window_manager(x, window)
        else:
            press_ctrl_q(x, window)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Fatal" not in err, err
    assert not out.exists() and not list(tmp_path.glob(".*partial*"))
