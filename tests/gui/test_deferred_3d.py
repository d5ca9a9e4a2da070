"""The app's window paints before its 3D view is made (start-up, issue 28): until then the place says so; once
made, the 3D view shows what it would have shown from the start, and plays on with the rest."""

import pytest
from PySide6.QtWidgets import QLabel

from adamgui.core.scene import default_scene


def test_the_window_paints_first_and_the_3d_view_comes_with_everything_it_was_given(qtbot):
    from adamgui.gui.main_window import MainWindow

    w = MainWindow(default_scene(), defer_3d=True)
    qtbot.addWidget(w)
    view = w.surface_view
    assert view.gl is None
    waiting = [label.text() for label in view.findChildren(QLabel)]
    assert waiting == ["Preparing the 3D view…"]
    w.set_zoom(1.5, remember=False)
    w.controller.sim.step(5)
    w.controller.emit_frame()  # frames before the 3D view exists are kept for it
    with qtbot.waitSignal(w.first_frame, timeout=10_000):
        w.show()
    qtbot.waitUntil(lambda: view._made, timeout=10_000)  # made once the window painted
    gl = view.gl
    if gl is None:
        pytest.skip(f"no OpenGL here: {view.unavailable_reason}")
    qtbot.waitSignal(w.first_3d_frame, timeout=10_000).wait() if not w._first_3d_seen else None
    assert view._stack.currentWidget() is view.gl_container  # the note is gone
    assert not any(label.isVisible() for label in view.findChildren(QLabel))
    assert gl.surface is w.controller.scene.surface_obj
    assert gl.zoom == 1.5
    frame = w.controller.frame()
    assert gl._colors == tuple(run.color for run in frame.runs)
    swaps = []
    gl.frameSwapped.connect(lambda: swaps.append(1))
    w.controller.step_once()  # and it plays on with the window
    qtbot.waitUntil(lambda: len(swaps) > 0, timeout=5000)
    w.controller.pause()
    w.set_zoom(1.0, remember=False)
    w.force_close()
