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

    from adamgui.gui.export.save import grab

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


class _FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_controller_steps_no_more_than_what_the_views_leave_of_a_frame(window, qtbot):
    """Each tick at the top speed, with a clock that moves 0.2 ms a step and 12 ms a frame for the views:
    the steps taken fit what the views left of the frame, and the label says the speed reached."""
    from adamgui.core.pace import FLOOR_S, FRAME_S

    c = window.controller
    c.load_scene(replace(scene_from_preset(get_preset("noisy-bowl")), step_limit=10**6))
    clock = _FakeClock()
    c.clock = clock
    window.speed_slider.setValue(len(SPEEDS) - 1)
    step, taken = c.sim.step, []

    def timed_step(n=1):
        taken.append(n)
        clock.now += 2e-4 * n
        step(n)

    c.sim.step = timed_step
    for _ in range(150):  # the timer's ticks, by hand: the test owns the clock
        c._on_tick()
        clock.now += 0.012  # the views draw
    budget = max(FRAME_S - 0.012, FLOOR_S)
    assert all(n * 2e-4 <= budget + 2e-4 for n in taken[1:])
    assert max(taken) > 1  # fast-forward: several steps a frame
    label = find(window, QLabel, "speedLabel").text()
    reached = sum(taken[-55:]) / (55 * (0.012 + budget))
    assert label.startswith("10,000 steps/s asked, ") and label.endswith(" reached")
    shown = float(label.split(", ")[1].split(" ")[0].replace(",", ""))
    assert abs(shown - reached) < 0.2 * reached


def test_the_label_says_only_the_speed_asked_when_it_is_reached(window, qtbot):
    c = window.controller
    clock = _FakeClock()
    c.clock = clock
    window.speed_slider.setValue(SPEEDS.index(300))
    c.load_scene(replace(c.scene, step_limit=10**6))
    step = c.sim.step

    def timed_step(n=1):
        clock.now += 1e-5 * n
        step(n)

    c.sim.step = timed_step
    for _ in range(120):
        c._on_tick()
        clock.now += 1 / 60 - 1e-3
    assert find(window, QLabel, "speedLabel").text() == "300 steps/s »"
