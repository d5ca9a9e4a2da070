"""The main window driven through its real widgets, checked against the core."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QLabel, QPushButton

from adamgui.core.geometry import clip_polyline
from adamgui.core.scene import default_scene
from adamgui.core.surfaces import get_surface
from adamgui.gui.controller import SPEEDS
from adamgui.gui.widgets.numbers import fmt
from tests.gui.helpers import assert_shows_domain, find, type_text


def action(window, name):
    from PySide6.QtGui import QAction

    return find(window, QAction, name)


def trail_xy(window, i):
    x, y = window.contour_view.trails[i].getData()
    return np.column_stack([x, y])


def core_path(scene, steps):
    sim = scene.simulation()
    sim.step(steps)
    return [r.history.positions[: r.end_step() + 1, 0] for r in sim.runs]


def test_the_named_parts_show_the_scene_and_every_declared_action_is_in_a_menu(window):
    """The parts a user starts from show the scene the window opened with (the notebook's saddle from (−4, 0.4));
    every action declared in gui/actions.py is reachable from the menu bar, its shortcut (if any) in its tooltip."""
    from PySide6.QtWidgets import QDockWidget, QMenu, QTableWidget, QWidget

    from adamgui.gui.actions import ACTIONS

    c = window.controller
    assert find(window, QLabel, "stepCounter").text() == f"Step 0 / {c.scene.step_limit}"
    assert find(window, QComboBox, "surfaceSelector").currentData() == c.scene.surface == "saddle"
    assert (find(window, QAbstractSpinBox, "startX").value(), find(window, QAbstractSpinBox, "startY").value()) == (
        -4.0,
        0.4,
    )
    assert find(window, QTableWidget, "runTable").rowCount() == len(c.scene.runs)
    assert find(window, QDockWidget, "parameterPanel").isVisible()
    assert find(window, QWidget, "surfaceView").isVisible() and find(window, QWidget, "contourView").isVisible()

    def in_menus(menu: QMenu) -> set[str]:
        names = set()
        for a in menu.actions():
            names.add(a.objectName())
            if a.menu() is not None:
                names |= in_menus(a.menu())
        return names

    reachable = set()
    for top in window.menuBar().actions():
        reachable |= in_menus(top.menu())
    for spec in ACTIONS:
        assert spec.name in reachable, f"{spec.name} is in no menu"
        made = action(window, spec.name)
        assert made is getattr(window, spec.attr) and made.isCheckable() == spec.checkable
        if spec.shortcut:
            assert any(k.toString() in made.toolTip() for k in made.shortcuts()), spec.name
    action(window, "stepAction").trigger()
    assert find(window, QLabel, "stepCounter").text() == f"Step 1 / {c.scene.step_limit}"


def test_play_advances_the_counter_and_both_trails(window, qtbot):
    play = action(window, "playAction")
    window.speed_slider.setValue(SPEEDS.index(60))  # a step a frame, as fast as the display allows
    play.trigger()
    assert play.isChecked()
    qtbot.waitUntil(lambda: window.controller.step >= 5, timeout=10000)
    play.trigger()
    assert not play.isChecked()
    step = window.controller.step
    assert f"Step {step}" in find(window, QLabel, "stepCounter").text()
    assert len(trail_xy(window, 0)) == step + 1
    assert len(trail_xy(window, 1)) == step + 1


def test_step_advances_exactly_one_and_matches_the_core(window):
    step = action(window, "stepAction")
    for _ in range(3):
        step.trigger()
    assert window.controller.step == 3
    assert "Step 3 /" in find(window, QLabel, "stepCounter").text()
    expected = core_path(default_scene(), 3)
    for i in range(2):
        np.testing.assert_array_equal(trail_xy(window, i), expected[i])
        assert window.run_table.item(i, 3).text() == fmt(expected[i][-1, 0])
        assert window.run_table.item(i, 4).text() == fmt(expected[i][-1, 1])


def test_keyboard_shortcuts_step_and_reset(window, qtbot):
    window.run_table.setFocus()
    qtbot.keyClick(window.run_table, Qt.Key.Key_Right)
    assert window.controller.step == 1
    qtbot.keyClick(window.run_table, Qt.Key.Key_R)
    assert window.controller.step == 0


def test_reset_returns_to_step_zero(window):
    for _ in range(4):
        action(window, "stepAction").trigger()
    action(window, "resetAction").trigger()
    assert window.controller.step == 0
    assert "Step 0 /" in find(window, QLabel, "stepCounter").text()
    assert len(trail_xy(window, 0)) == 1


def test_click_on_the_contour_sets_the_start_there(window, qtbot):
    action(window, "stepAction").trigger()
    view = window.contour_view
    target = (1.7, -1.3)
    pos = view.data_to_widget(*target)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    vb = view.getPlotItem().getViewBox()
    px, py = vb.viewPixelSize()
    x, y = window.controller.scene.start
    assert abs(x - target[0]) <= px and abs(y - target[1]) <= py
    assert find(window, QAbstractSpinBox, "startX").value() == pytest.approx(x, abs=1e-4)
    assert find(window, QAbstractSpinBox, "startY").value() == pytest.approx(y, abs=1e-4)
    assert window.controller.step == 0
    np.testing.assert_array_equal(trail_xy(window, 0), [[x, y]])


def test_typing_a_start_restarts_the_runs_there(window, qtbot):
    box = find(window, QAbstractSpinBox, "startY")
    type_text(box, "1.25")
    assert window.controller.scene.start == (-4.0, 1.25)
    np.testing.assert_array_equal(trail_xy(window, 1), [[-4.0, 1.25]])


def test_a_changed_learning_rate_changes_the_next_step_by_the_rule(window, qtbot):
    action(window, "stepAction").trigger()
    before = trail_xy(window, 0)[-1].copy()
    editor = find(window, QAbstractSpinBox, "run0_lr")
    type_text(editor, "0.25")
    assert window.controller.sim.runs[0].hp["lr"] == 0.25
    action(window, "stepAction").trigger()
    g = get_surface("saddle").gradient(before[None])[0]
    np.testing.assert_allclose(trail_xy(window, 0)[-1], before - 0.25 * g, rtol=1e-15)


def test_out_of_range_text_is_refused_and_the_value_kept(window, qtbot):
    editor = find(window, QAbstractSpinBox, "run1_beta1")
    type_text(editor, "-3")
    assert window.controller.sim.runs[1].hp["beta1"] == 0.9


def test_bias_correction_checkbox_reaches_the_run(window, qtbot):
    box = find(window, QCheckBox, "run1_bias_correction")
    from PySide6.QtCore import QPoint

    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))  # on the indicator
    assert not box.isChecked()
    assert window.controller.sim.runs[1].hp["bias_correction"] is False


def test_switching_surface_rebuilds_both_views(window, qtbot):
    selector = find(window, QComboBox, "surfaceSelector")
    old_image = window.contour_view.image.image.copy()
    selector.setCurrentIndex(selector.findData("rosenbrock"))
    surface = get_surface("rosenbrock")
    assert window.controller.scene.surface == "rosenbrock"
    assert window.controller.scene.start == surface.start
    assert window.contour_view.surface is surface
    assert not np.array_equal(window.contour_view.image.image, old_image)
    assert_shows_domain(window.contour_view, surface.x_range, surface.y_range)
    assert window.contour_view.scale.log  # Rosenbrock spans decades
    if window.surface_view.gl is not None:
        assert window.surface_view.gl.surface is surface
    assert find(window, QAbstractSpinBox, "startX").value() == pytest.approx(-1.2)


@pytest.mark.parametrize("zoom", [1.0, 2.0])
def test_the_contour_views_top_tick_label_is_not_cut_off(window, qtbot, zoom):
    """The y axis centres its labels on their ticks and the domain's top is the view's top edge (the
    valley's y = 3 is a labelled tick): the plot leaves room above it for half a label, at any zoom."""
    from PySide6.QtGui import QFontMetricsF

    from adamgui.core.presets import get_preset

    window.load_preset(get_preset("rosenbrock-valley"))
    window.set_zoom(zoom, remember=False)  # (the application's font too: put back below)
    try:
        qtbot.wait(50)  # the plot's layout settles
        item = window.contour_view.getPlotItem()
        axis = item.getAxis("left")
        ticks = axis.tickValues(*item.getViewBox().viewRange()[1], axis.height())
        assert 3.0 in [v for _, values in ticks for v in values]
        room = item.getViewBox().sceneBoundingRect().top()  # the scene is the widget's area
        assert room >= QFontMetricsF(axis.style["tickFont"]).height() / 2
    finally:
        window.set_zoom(1.0, remember=False)


def test_a_diverging_run_is_marked_while_the_other_keeps_stepping(window, qtbot):
    find(window, QAbstractSpinBox, "stepLimit").setValue(200)
    editor = find(window, QAbstractSpinBox, "run0_lr")
    type_text(editor, "900")
    for _ in range(120):
        action(window, "stepAction").trigger()
    status = window.run_table.item(0, 6).text()
    assert status.startswith("diverged at step"), status
    assert window.run_table.item(0, 6).toolTip() == status  # whole, however narrow the table
    k = int(status.rsplit(" ", 1)[1])
    c = window.controller
    domain = c.sim.surface.x_range, c.sim.surface.y_range
    for i, end in ((0, k - 1), (1, 120)):  # the trail: the path to its last finite point, cut at the border
        expected = clip_polyline(c.sim.runs[i].history.positions[: end + 1, 0], *domain)
        np.testing.assert_array_equal(trail_xy(window, i), expected)
    assert c.sim.runs[0].end_step() == k - 1
    assert window.controller.step == 120
    assert c.sim.runs[1].end_step() == 120  # adam keeps stepping
    assert window.run_table.item(1, 2).text() == "120"


def test_add_remove_and_hide_runs(window, qtbot):
    panel = window.panel
    combo = find(panel, QComboBox, "addRunOptimizer")
    combo.setCurrentIndex(combo.findData("nesterov"))
    for _ in range(3):
        action(window, "stepAction").trigger()
    qtbot.mouseClick(find(panel, QPushButton, "addRunButton"), Qt.MouseButton.LeftButton)
    assert window.run_table.rowCount() == 3
    assert window.run_table.item(2, 1).text() == "nesterov"
    # the new run is caught up to the current step, exactly as if it had run from the start
    scene = window.controller.scene
    np.testing.assert_array_equal(trail_xy(window, 2), core_path(scene, 3)[2])
    # hide it
    first = window.run_table.item(2, 0)
    first.setCheckState(Qt.CheckState.Unchecked)
    assert not window.contour_view.trails[2].isVisible()
    assert window.controller.scene.runs[2].visible is False
    # remove gd
    qtbot.mouseClick(find(panel, QPushButton, "run0_remove"), Qt.MouseButton.LeftButton)
    assert window.run_table.rowCount() == 2
    assert [window.run_table.item(i, 1).text() for i in range(2)] == ["adam", "nesterov"]


def test_each_shown_run_has_a_dot_of_its_color_where_it_is_on_the_contour_map(window, qtbot):
    from PySide6.QtGui import QColor

    c, view = window.controller, window.contour_view
    c.advance_to(4)
    qtbot.wait(50)

    for arrow in window.arrow_actions.values():  # arrows start at the dots: off, so the dots show whole
        arrow.setChecked(False)
    qtbot.wait(50)

    def dot(i) -> QColor:
        image = view.grab().toImage()
        x, y = c.sim.runs[i].theta[0]
        at = view.data_to_widget(float(x), float(y))
        ratio = image.width() / view.width()
        return image.pixelColor(round(at.x() * ratio), round(at.y() * ratio))

    for i, run in enumerate(c.scene.runs):
        seen, color = dot(i).getRgb()[:3], QColor(run.color).getRgb()[:3]
        assert max(abs(a - b) for a, b in zip(seen, color, strict=True)) < 40
    c.set_run_visible(0, False)  # hidden: its dot goes with its trail
    qtbot.wait(50)
    assert len(view.markers.getData()[0]) == 1
    np.testing.assert_array_equal(np.column_stack(view.markers.getData()), c.sim.runs[1].theta)


def test_a_click_on_a_legend_entry_hides_that_run_in_the_whole_window(window, qtbot):
    from PySide6.QtTest import QTest

    c, view = window.controller, window.contour_view
    c.advance_to(3)
    qtbot.wait(50)
    sample, _ = view.legend.items[1]  # adam's entry
    at = view.mapFromScene(sample.sceneBoundingRect().center())
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    qtbot.waitUntil(lambda: not c.scene.runs[1].visible, timeout=2000)
    assert not view.trails[1].isVisible() and view.trails[0].isVisible()
    assert window.run_table.item(1, 0).checkState() == Qt.CheckState.Unchecked
    assert [label.text for _, label in view.legend.items] == [c.sim.runs[0].label]  # the legend lists shown runs
    if window.surface_view.gl is not None:
        assert window.surface_view.gl.trail_of(1) is None


def test_step_limit_stops_playing(window, qtbot):
    limit = find(window, QAbstractSpinBox, "stepLimit")
    limit.setValue(4)
    window.speed_slider.setValue(window.speed_slider.maximum())
    action(window, "playAction").trigger()
    qtbot.waitUntil(lambda: not window.controller.playing, timeout=10000)
    assert window.controller.step == 4
    assert not action(window, "playAction").isChecked()


def test_preset_menu_loads_a_scene(window):
    action(window, "preset_ravine").trigger()
    assert window.controller.scene.surface == "ravine"
    assert window.run_table.rowCount() == 3
    assert find(window, QComboBox, "surfaceSelector").currentData() == "ravine"


def test_panel_dock_closes_and_comes_back_from_the_view_menu(window):
    toggle = window.panel.toggleViewAction()
    toggle.trigger()
    assert not window.panel.isVisible()
    toggle.trigger()
    assert window.panel.isVisible()


def test_3d_view_renders_the_surface_colors(window, qtbot, requires_gl):
    gl = window.surface_view.gl
    assert gl is not None
    qtbot.wait(200)
    image = gl.grabFramebuffer()
    w, h = image.width(), image.height()
    assert w > 100 and h > 100
    colors = set()
    for i in range(0, w, 7):
        for j in range(0, h, 7):
            colors.add(image.pixelColor(i, j).name())
    background = gl.backgroundColor().name() if hasattr(gl, "backgroundColor") else "#1b1d23"
    assert len(colors - {background}) > 50, "the 3D view looks blank"
    # some pixels are viridis greens/yellows: green the largest channel
    greenish = [c for c in colors if int(c[3:5], 16) > int(c[1:3], 16) + 30 and int(c[3:5], 16) > 100]
    assert greenish, "no surface colors in the 3D view"


def test_closing_the_window_exits_0(qapp):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from adamgui.app import main
    from adamgui.gui.main_window import MainWindow

    def close_it():
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible():
                w.close()

    QTimer.singleShot(300, close_it)
    assert main([]) == 0


def test_a_scene_load_builds_one_frame_and_the_views_draw_it(window, monkeypatch):
    """Loading a preset builds one frame, which every view draws (the window once pulled a second frame for the
    views' runs on each new surface)."""
    from adamgui.core.presets import get_preset

    c = window.controller
    built = []
    real = c.frame
    monkeypatch.setattr(c, "frame", lambda: built.append(1) or real())
    window.load_preset(get_preset("ravine"))
    assert len(built) == 1
    frame = real()
    x, y = window.contour_view.trails[0].getData()
    assert len(window.contour_view.trails) == len(frame.runs) == len(c.scene.runs)
    assert (x[-1], y[-1]) == tuple(frame.runs[0].path[-1])  # the trail drawn from that frame
