"""The 3D view keeps its still picture (surface, grid, labels, minima) between frames and draws only the
trails and markers anew: the same picture as drawing everything, and drawn anew whenever it changes."""

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from adamgui.core.scene import default_scene


@pytest.fixture
def gl(window):
    if window.surface_view.gl is None:
        pytest.skip("no OpenGL here")
    return window.surface_view.gl


def _frame(gl, qtbot):
    with qtbot.waitSignal(gl.frameSwapped, timeout=5000):
        gl.update()


def _pixels(gl) -> np.ndarray:
    image = gl.grabFramebuffer().convertToFormat(gl.grabFramebuffer().Format.Format_RGBA8888)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4).copy()


def _drawn_in_full(gl, qtbot) -> np.ndarray:
    """The same frame drawn the plain way: every item, nothing kept."""
    gl.keep_still = False
    try:
        _frame(gl, qtbot)
        return _pixels(gl)
    finally:
        gl.keep_still = True
        _frame(gl, qtbot)


def test_playing_draws_the_surface_once_and_the_picture_is_the_full_one(window, gl, qtbot):
    c = window.controller
    _frame(gl, qtbot)
    before = gl.still_draws
    first = _pixels(gl)
    for _ in range(5):
        c.step_forward()
        _frame(gl, qtbot)
    assert gl.still_draws == before  # five new steps, the mesh not drawn again
    kept = _pixels(gl)
    assert np.any(kept != first)  # the trails moved
    np.testing.assert_array_equal(kept, _drawn_in_full(gl, qtbot))


def test_moving_the_camera_zooming_and_a_new_surface_draw_it_anew(window, gl, qtbot):
    c = window.controller
    c.advance_to(20)
    _frame(gl, qtbot)
    count, picture = gl.still_draws, _pixels(gl)

    QTest.mousePress(gl, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(100, 100))
    for x in range(100, 180, 10):
        QTest.mouseMove(gl, QPoint(x, 100))
    QTest.mouseRelease(gl, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(180, 100))
    _frame(gl, qtbot)
    assert gl.still_draws > count
    rotated = _pixels(gl)
    assert np.any(rotated != picture)
    np.testing.assert_array_equal(rotated, _drawn_in_full(gl, qtbot))

    count = gl.still_draws
    gl.set_zoom(2.0)  # the minima's dots are still items: bigger now
    _frame(gl, qtbot)
    assert gl.still_draws > count
    np.testing.assert_array_equal(_pixels(gl), _drawn_in_full(gl, qtbot))

    count = gl.still_draws
    c.load_scene(replace(default_scene(), surface="rastrigin", start=(2.2, -1.3)))
    _frame(gl, qtbot)
    assert gl.still_draws > count
    np.testing.assert_array_equal(_pixels(gl), _drawn_in_full(gl, qtbot))


def test_the_picture_off_screen_at_the_views_size_is_the_one_on_screen(window, gl, qtbot):
    window.controller.advance_to(8)
    _frame(gl, qtbot)
    on_screen = _pixels(gl)
    ratio = gl.devicePixelRatio()
    image = gl.picture(QSize(round(gl.width() * ratio), round(gl.height() * ratio)))
    image = image.convertToFormat(image.Format.Format_RGBA8888)
    off_screen = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4)
    assert off_screen.shape == on_screen.shape
    differ = np.abs(off_screen[..., :3].astype(int) - on_screen[..., :3]).max(axis=2) > 8
    assert differ.mean() < 0.002  # the same picture (a few antialiased text pixels aside)


def test_an_export_at_1920x1080_is_drawn_at_that_size_not_stretched(window, gl):
    """It was the on-screen picture stretched (the embedded window would not resize for the export):
    lines twice as thick. Drawn off screen at that size, a trail keeps its width in pixels."""
    from adamgui.gui.export.save import grab, to_array, window_picture

    window.controller.advance_to(20)
    window_picture(window)  # (once made the next export come out black)
    pixels = to_array(grab(window, "surface", QSize(1920, 1080))).astype(int)
    assert pixels.shape[:2] == (1080, 1920)
    orange = np.array(QColor(window.controller.scene.runs[0].color).getRgb()[:3])
    on_trail = np.abs(pixels - orange).max(axis=2) < 40
    across = on_trail.sum(axis=0)
    assert (across > 0).sum() > 200  # the trail crosses a few hundred columns
    assert np.median(across[across > 0]) <= 3  # 2 pixels of it per column, as on screen (stretched: 4)
