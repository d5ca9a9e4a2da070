"""Fast-forward: past 60 steps a second a frame shows several steps, and nothing is skipped in the record."""

from dataclasses import replace

import numpy as np
from PySide6.QtWidgets import QLabel

from adamgui.core.geometry import clip_polyline
from adamgui.core.presets import get_preset
from adamgui.core.scene import scene_from_preset
from adamgui.gui.controller import SPEEDS
from tests.gui.helpers import find


def test_the_top_speed_shows_many_steps_a_frame_and_trails_hold_every_step(window, qtbot):
    c = window.controller
    c.load_scene(replace(scene_from_preset(get_preset("ravine")), step_limit=1500))
    frames = []
    c.frame_ready.connect(lambda frame: frames.append(frame.newest))
    window.speed_slider.setValue(len(SPEEDS) - 1)
    assert find(window, QLabel, "speedLabel").text().startswith("10,000 steps/s")
    window.speed_slider.setValue(SPEEDS.index(1000))  # fast enough to skip, slow enough to see several frames
    c.play()
    qtbot.waitUntil(lambda: c.step >= 400, timeout=20_000)
    c.pause()
    shown = sorted(set(frames))
    assert len(shown) < c.step / 2  # more than one step per frame, on average far more
    assert max(np.diff(shown)) > 1
    for run, trail in zip(c.sim.runs, window.contour_view.trails, strict=True):
        assert run.history.length == c.step + 1  # every step recorded
        x, y = trail.getData()
        expected = clip_polyline(run.path(), c.sim.surface.x_range, c.sim.surface.y_range)
        np.testing.assert_array_equal(np.column_stack([x, y]), expected)  # and drawn


def test_speeds_up_to_sixty_show_every_step(window, qtbot):
    c = window.controller
    window.speed_slider.setValue(SPEEDS.index(60))
    frames = []
    c.frame_ready.connect(lambda frame: frames.append(frame.newest))
    c.play()
    qtbot.waitUntil(lambda: c.step >= 12, timeout=10_000)
    c.pause()
    shown = sorted({s for s in frames if s > 0})  # (pausing repeats the last frame)
    assert shown == list(range(1, c.step + 1))


def test_the_3d_view_in_its_own_window_rotates_and_appears_in_window_exports(window, qtbot):
    import pytest
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from adamgui.gui.export import grab

    gl = window.surface_view.gl
    if gl is None:
        pytest.skip("no OpenGL here")
    azimuth = gl.opts["azimuth"]
    QTest.mousePress(gl, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(100, 100))
    for x in range(100, 200, 10):
        QTest.mouseMove(gl, QPoint(x, 100))
    QTest.mouseRelease(gl, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(200, 100))
    assert gl.opts["azimuth"] != azimuth and gl.camera_moved
    image = grab(window, "window")
    container = window.surface_view.gl_container
    corner = container.mapTo(window, QPoint(0, 0))
    center = image.pixelColor(corner.x() + container.width() // 2, corner.y() + container.height() // 2)
    assert center.saturation() > 40  # the colored surface, not the blank a widget grab leaves
