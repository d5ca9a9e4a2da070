"""``python main.py`` ends with status 0 and a silent stderr, closed any way, every time (20 launches)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAUNCHES = 20
WAYS = ("close the window", "Ctrl+Q", "SIGTERM")


def window_name(display, window) -> str:
    """The window's title as a window manager shows it: _NET_WM_NAME (UTF-8: the title's dash), else WM_NAME."""
    prop = window.get_full_property(display.intern_atom("_NET_WM_NAME"), display.intern_atom("UTF8_STRING"))
    if prop is not None:
        return prop.value.decode() if isinstance(prop.value, bytes) else str(prop.value)
    return window.get_wm_name() or ""


def find_window(display, title: str, timeout: float = 30.0):
    """The mapped top-level X window titled ``title``, waiting for it to appear."""
    from Xlib import X

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in display.screen().root.query_tree().children:
            try:
                if window_name(display, child) == title and child.get_attributes().map_state == X.IsViewable:
                    return child
            except Exception:  # a window that vanished while we looked
                continue
        time.sleep(0.1)
    raise AssertionError(f"no window titled {title!r} appeared")


def close_like_a_window_manager(display, window) -> None:
    """What a window manager sends when the user clicks the close button: WM_DELETE_WINDOW."""
    from Xlib import X
    from Xlib.protocol import event

    protocols = display.intern_atom("WM_PROTOCOLS")
    delete = display.intern_atom("WM_DELETE_WINDOW")
    message = event.ClientMessage(window=window, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
    window.send_event(message, event_mask=X.NoEventMask)
    display.flush()


def press_ctrl_q(display, window) -> None:
    """Focus the window and type Ctrl+Q through the X test extension, as a keyboard would."""
    from Xlib import XK, X
    from Xlib.ext import xtest

    window.set_input_focus(X.RevertToParent, X.CurrentTime)
    display.sync()
    time.sleep(0.3)
    ctrl, q = display.keysym_to_keycode(XK.XK_Control_L), display.keysym_to_keycode(XK.XK_q)
    for kind, code in ((X.KeyPress, ctrl), (X.KeyPress, q), (X.KeyRelease, q), (X.KeyRelease, ctrl)):
        xtest.fake_input(display, kind, code)
        display.sync()


@pytest.mark.slow  # twenty launches of the app, and a bound on the time each takes to end
@pytest.mark.skipif(sys.platform != "linux", reason="drives an X display")
def test_twenty_launches_each_end_cleanly(tmp_path):
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs an X display (pytest-xvfb provides one where Xvfb is installed)")
    from Xlib import display as xdisplay

    x = xdisplay.Display()
    env = {**os.environ, "ADAMGUI_DATA_DIR": str(tmp_path / "data")}  # a folder of its own: no run sees another's
    env.pop("QT_QPA_PLATFORM", None)
    for i in range(LAUNCHES):
        way = WAYS[i % len(WAYS)]
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py")], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            window = find_window(x, "Untitled — AdamGUI")
            time.sleep(0.3)
            if way == "close the window":
                close_like_a_window_manager(x, window)
            elif way == "Ctrl+Q":
                press_ctrl_q(x, window)
            else:
                proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, f"launch {i + 1} ({way}): status {proc.returncode}\n{err.decode()}"
        assert err.decode().strip() == "", f"launch {i + 1} ({way}) wrote to stderr:\n{err.decode()}"


@pytest.mark.skipif(sys.platform != "linux", reason="drives an X display")
def test_a_session_path_on_the_command_line_opens_in_the_window(tmp_path):
    """`adamgui FILE` (what a double-click runs): the window opens that session, titled with its name; a second
    file is said to be ignored; SIGTERM ends it with status 0."""
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs an X display (pytest-xvfb provides one where Xvfb is installed)")
    from Xlib import display as xdisplay

    from adamgui.core.presets import get_preset
    from adamgui.core.scene import scene_from_preset
    from adamgui.core.session import save

    path = tmp_path / "ravine lecture.adamgui.json"
    save(path, scene_from_preset(get_preset("ravine")), step=5)
    other = tmp_path / "other.adamgui.json"
    other.write_text("{}")
    x = xdisplay.Display()
    env = {**os.environ, "ADAMGUI_DATA_DIR": str(tmp_path / "data")}
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), str(path), str(other)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        find_window(x, "ravine lecture.adamgui.json — AdamGUI")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err.decode()
    assert "opened ravine lecture.adamgui.json; ignored other.adamgui.json" in err.decode()
