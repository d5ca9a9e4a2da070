"""Keyboard, wheel, stepping back, themes, colors, lecture tools and honest geometry, through the window."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QAction, QPalette, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QDockWidget, QLineEdit, QPushButton, QToolBar

from adamgui.core.presets import PRESETS, get_preset
from adamgui.core.scene import OPTIMIZER_COLORS, PALETTE, scene_from_preset
from adamgui.core.surfaces import SURFACES
from adamgui.gui.app import theme
from tests.gui.helpers import assert_shows_domain, find


def wheel(widget, notches: int = 3) -> None:
    """Turn the mouse wheel over ``widget`` (without clicking it first), as a user scrolling a panel would."""
    center = QPointF(widget.rect().center())
    for _ in range(notches):
        event = QWheelEvent(
            center,
            QPointF(widget.mapToGlobal(widget.rect().center())),
            QPoint(),
            QPoint(0, -120),  # toward the user: scroll down
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(widget, event)


def key(window, k) -> None:
    target = QApplication.focusWidget() or window
    QTest.keyClick(target, k)


def test_the_wheel_over_an_unfocused_field_scrolls_the_panel_and_edits_nothing(window, qtbot):
    window.resize(1280, 700)
    qtbot.wait(50)
    lr = find(window, QAbstractSpinBox, "run0_lr")
    beta1 = find(window, QAbstractSpinBox, "run1_beta1")
    surface = find(window, QComboBox, "surfaceSelector")
    bar = window.panel.scroll.verticalScrollBar()
    assert bar.maximum() > 0  # the panel is taller than its dock here
    before = (lr.value(), beta1.value(), surface.currentIndex(), window.controller.scene.runs[0].spec.params["lr"])
    wheel(lr)
    wheel(beta1)
    wheel(surface)
    after = (lr.value(), beta1.value(), surface.currentIndex(), window.controller.scene.runs[0].spec.params["lr"])
    assert after == before
    assert bar.value() > 0  # the panel scrolled instead


def edit_lr(window, text: str, last_key) -> QAbstractSpinBox:
    """Click into GD's lr, type ``text`` over it and end with ``last_key`` (Enter or Escape), as a teacher would."""
    lr = find(window, QAbstractSpinBox, "run0_lr")
    lr.setFocus()
    lr.lineEdit().selectAll()
    QTest.keyClicks(lr.lineEdit(), text)
    QTest.keyClick(lr.lineEdit(), last_key)
    return lr


def test_edit_lr_press_enter_then_space_plays(window, qtbot):
    lr = edit_lr(window, "0.2", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not lr.hasFocus(), timeout=1000)
    assert window.controller.scene.runs[0].spec.params["lr"] == 0.2
    key(window, Qt.Key.Key_Space)
    assert window.controller.playing
    assert lr.lineEdit().text() == "0.2"  # the space went to the window, not into the field
    key(window, Qt.Key.Key_Space)
    assert not window.controller.playing
    step = window.controller.step
    key(window, Qt.Key.Key_Right)
    assert window.controller.step == step + 1
    key(window, Qt.Key.Key_R)
    assert window.controller.step == 0


def test_escape_leaves_a_field_without_committing(window, qtbot):
    lr = edit_lr(window, "0.7", Qt.Key.Key_Escape)
    assert not lr.hasFocus()
    assert window.controller.scene.runs[0].spec.params["lr"] == 0.1 and lr.value() == 0.1
    formula = find(window, QLineEdit, "formulaEdit")
    formula.setFocus()
    QTest.keyClicks(formula, " + x y")  # Space is text in the formula
    assert formula.text().endswith(" + x y")
    QTest.keyClick(formula, Qt.Key.Key_Escape)
    assert formula.text() == "x^2 - y^2" and window.controller.scene.surface == "saddle"


def test_left_steps_back_right_steps_forward_then_computes(window):
    for _ in range(5):
        key(window, Qt.Key.Key_Right)
    c = window.controller
    assert c.step == 5 and c.shown_step == 5
    key(window, Qt.Key.Key_Left)
    assert c.shown_step == 4 and c.step == 5
    assert window.run_table.item(0, 2).text() == "4"
    key(window, Qt.Key.Key_Right)
    assert c.shown_step == 5 and c.step == 5
    key(window, Qt.Key.Key_Right)
    assert c.shown_step == 6 and c.step == 6
    key(window, Qt.Key.Key_Home)
    assert c.shown_step == 0
    key(window, Qt.Key.Key_End)
    assert c.shown_step == 6
    window.timeline.setFocus()  # the timeline focused: the same keys, the same meaning
    key(window, Qt.Key.Key_Left)
    assert c.shown_step == 5
    key(window, Qt.Key.Key_Right)
    assert c.shown_step == 6 and c.step == 6
    toolbar = find(window, QToolBar, "playbackToolbar")
    for name in ("backAction", "forwardAction"):
        assert toolbar.widgetForAction(find(window, QAction, name)).isVisible()


def test_every_shortcut_and_gesture_is_listed(window):
    text = window.shortcuts_html()
    for name in ("backAction", "forwardAction", "firstAction", "newestAction", "fullScreenAction", "zoomInAction"):
        action = find(window, QAction, name)
        assert action.shortcut().toString() in text
    assert "Click on the contour map" in text and "Drag in the 3D view" in text


def test_theme_switch_changes_the_palette_even_on_plain_xcb(window):
    window.findChild(QAction, "theme_dark").trigger()
    dark = QApplication.palette().color(QPalette.ColorRole.Window)
    window.findChild(QAction, "theme_light").trigger()
    light = QApplication.palette().color(QPalette.ColorRole.Window)
    assert dark.lightness() < 80 < 200 < light.lightness()
    assert QApplication.style().name().lower() == "fusion"
    window.findChild(QAction, "theme_system").trigger()


@pytest.mark.parametrize("name", ["light", "dark"])
def test_every_text_color_has_contrast_of_at_least_4_5(window, name):
    window.findChild(QAction, f"theme_{name}").trigger()
    pal = QApplication.palette()
    for text, back in theme.TEXT_PAIRS:
        ratio = theme.contrast(pal.color(text), pal.color(back))
        assert ratio >= 4.5, (name, text, back, ratio)
    from PySide6.QtGui import QColor

    from adamgui.gui.docks.run_table import STATUS_COLORS

    for group in (theme.NOTE_COLORS, theme.ERROR_COLORS):
        assert theme.contrast(QColor(group[name]), pal.color(QPalette.ColorRole.Window)) >= 4.5
    for color in STATUS_COLORS[name].values():
        assert theme.contrast(QColor(color), pal.color(QPalette.ColorRole.Base)) >= 4.5, color
    watch = window.panel.watch
    assert theme.NOTE_COLORS[name] in watch.styleSheet()
    window.findChild(QAction, "theme_system").trigger()


def test_a_run_keeps_its_color_and_label_when_another_is_removed(window):
    c = window.controller
    adder = find(window, QComboBox, "addRunOptimizer")
    adder.setCurrentIndex(adder.findData("momentum"))
    find(window, QPushButton, "addRunButton").click()
    colors = {r.key: r.color for r in c.scene.runs}
    find(window, QPushButton, "run0_remove").click()
    assert {r.key: r.color for r in c.scene.runs} == {k: v for k, v in colors.items() if k != 0}
    c.reset()
    assert {r.key: r.color for r in c.scene.runs} == {k: v for k, v in colors.items() if k != 0}


def test_colors_mean_an_optimizer_and_never_the_arrows_or_markers(window):
    for preset in PRESETS.values():
        scene = scene_from_preset(preset)
        colors = [r.color for r in scene.runs]
        assert len(set(colors)) == len(colors)
        for r in scene.runs:
            if [x.spec.optimizer for x in scene.runs].count(r.spec.optimizer) == 1:
                assert r.color == OPTIMIZER_COLORS[r.spec.optimizer]
    assert OPTIMIZER_COLORS["gd"] != OPTIMIZER_COLORS["adam"]
    reserved = {"#ffffff", "#ffd54a"}  # the gradient arrow, start ring and minima; the momentum arrow
    assert not reserved & set(PALETTE)


def test_full_screen_zoom_and_presentation(window, qtbot):
    find(window, QAction, "fullScreenAction").trigger()
    qtbot.waitUntil(window.isFullScreen, timeout=2000)
    find(window, QAction, "fullScreenAction").trigger()
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=2000)
    size = QApplication.font().pointSizeF()
    width = window.contour_view.trails[0].opts["pen"].widthF()
    find(window, QAction, "zoomInAction").trigger()
    assert QApplication.font().pointSizeF() == pytest.approx(size * 1.2)
    assert window.contour_view.trails[0].opts["pen"].widthF() == pytest.approx(width * 1.2)
    find(window, QAction, "zoomResetAction").trigger()
    assert QApplication.font().pointSizeF() == pytest.approx(size)
    window.controller.load_scene(scene_from_preset(get_preset("ravine")))
    find(window, QAction, "presentationAction").trigger()
    qtbot.wait(50)
    assert not any(d.isVisible() for d in window.findChildren(QDockWidget))
    assert window.caption.isVisible() and "ravine" in window.caption.text().lower()
    find(window, QAction, "presentationAction").trigger()
    qtbot.wait(50)
    assert window.panel.isVisible() and not window.caption.isVisible()


def test_the_contour_view_keeps_equal_scale_and_toggles_it(window, qtbot):
    window.controller.load_scene(scene_from_preset(get_preset("ravine")))
    qtbot.wait(50)
    surface = window.controller.sim.surface
    assert_shows_domain(window.contour_view, surface.x_range, surface.y_range)
    px, py = window.contour_view.getPlotItem().getViewBox().viewPixelSize()
    assert px == pytest.approx(py, rel=1e-3)
    find(window, QAction, "equalScaleAction").trigger()
    assert not window.contour_view.equal_scale
    vb = window.contour_view.getPlotItem().getViewBox()
    assert vb.viewRange() == [list(surface.x_range), list(surface.y_range)] or np.allclose(
        vb.viewRange(), [surface.x_range, surface.y_range]
    )


@pytest.mark.parametrize("name", [*PRESETS, *SURFACES])
def test_reset_camera_frames_the_whole_domain(window, qtbot, name):
    gl = window.surface_view.gl
    if gl is None:
        pytest.skip("no OpenGL here")
    if name in PRESETS:
        window.controller.load_scene(scene_from_preset(get_preset(name)))
    else:
        window.controller.set_surface(name)
    qtbot.wait(50)
    gl.reset_camera()
    surface = window.controller.sim.surface
    (x0, x1), (y0, y1) = surface.x_range, surface.y_range
    corners = [(x, y, z) for x in (x0, x1) for y in (y0, y1) for z in (0.0, gl.box_height)]
    view = gl.viewMatrix()
    region = (0, 0, gl.width(), gl.height())
    proj = gl.projectionMatrix(region, region)
    from PySide6.QtGui import QVector4D

    for c in corners:
        p = proj.map(view.map(QVector4D(*c, 1.0)))
        ndc = (p.x() / p.w(), p.y() / p.w())
        assert -1 <= ndc[0] <= 1 and -1 <= ndc[1] <= 1, (name, c, ndc)


def test_inspector_shows_every_row_of_adam_unclipped_at_1600x940(qtbot):
    from PySide6.QtGui import QFontMetrics

    from adamgui.core.scene import default_scene
    from adamgui.gui.app.settings import app_settings
    from adamgui.gui.main_window import MainWindow

    app_settings().remove("window_state")  # the default layout, not one an earlier window left
    app_settings().remove("geometry")
    window = MainWindow(default_scene())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.resize(1600, 940)
    window.inspector.raise_()
    qtbot.wait(100)
    for _ in range(3):
        window.step_action.trigger()
    window.inspector.select_run(1)  # adam
    qtbot.wait(100)
    table = window.inspector.table
    assert table.rowCount() >= 9
    assert not table.verticalScrollBar().isVisible()
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            item = table.item(r, c)
            fm = QFontMetrics(item.font().resolve(table.font()))  # (the font drawn)
            width = table.columnWidth(c) - 8
            needed = fm.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, item.text())
            assert needed.height() <= table.rowHeight(r) + 2 and (
                c == 0 or fm.horizontalAdvance(item.text()) <= width + 4
            )


def test_runs_table_sizes_columns_to_their_content_and_shows_each_status_whole(window, qtbot):
    """Numbers are never cut (each column as wide as its contents); the Status column takes the rest and wraps a
    long status onto more lines, its row as tall as it needs: at 1920 x 1080 it read "di" for "diverged at step 7"
    (issue 34.10)."""
    window.controller.advance_to(window.controller.scene.step_limit)  # "left the domain at step 11; stopped at…"
    table = window.run_table
    window.runs_dock.setFloating(True)  # as narrow as the docked table was at 1920 x 1080
    window.runs_dock.resize(520, 260)
    qtbot.waitUntil(lambda: table.viewport().width() < 520)
    table.resizeRowsToContents()
    metrics = table.fontMetrics()
    status = table.columnCount() - 1
    for r in range(table.rowCount()):
        for c in range(status):
            assert metrics.horizontalAdvance(table.item(r, c).text()) <= table.columnWidth(c)
        lines = max(1, round(table.rowHeight(r) / metrics.lineSpacing() - 0.4))
        words = table.item(r, status).text()
        assert metrics.horizontalAdvance(words) <= table.columnWidth(status) * lines, (words, lines)
    assert sum(table.columnWidth(c) for c in range(status + 1)) <= table.viewport().width() + 1  # all in sight
    window.runs_dock.setFloating(False)


def test_a_narrow_inspector_puts_the_rule_above_its_numbers(window, qtbot):
    from PySide6.QtWidgets import QBoxLayout

    inspector = window.inspector
    inspector.setFloating(True)  # sized by the test, not by the window's dock area
    inspector.resize(420, 500)
    qtbot.waitUntil(lambda: inspector.middle.direction() == QBoxLayout.Direction.TopToBottom)
    window.step_action.trigger()
    table = inspector.table
    qtbot.waitUntil(lambda: table.isVisible())
    assert sum(table.columnWidth(c) for c in range(3)) <= table.viewport().width() + 2  # x and y in view
    inspector.resize(1300, 500)
    qtbot.waitUntil(lambda: inspector.middle.direction() == QBoxLayout.Direction.LeftToRight)
    inspector.setFloating(False)
