"""Inspector, arrows, plots, timeline, noise and presets, through the real window."""

import math

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QLabel, QSlider, QTableWidget

from adamgui.core.optimizers import OPTIMIZERS
from adamgui.core.presets import PRESETS
from adamgui.core.scene import RunConfig, Scene
from adamgui.core.simulation import Run, RunSpec
from adamgui.core.surfaces import get_surface
from adamgui.gui.docks.inspector import pretty
from adamgui.gui.widgets.numbers import fmt
from tests.gui.helpers import find, type_text


def step(window, n=1):
    action = find(window, QAction, "stepAction")
    for _ in range(n):
        action.trigger()


def table_rows(table: QTableWidget):
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_inspector_shows_the_cores_numbers_for_every_optimizer(window, name):
    scene = Scene("rosenbrock", (-1.2, 1.0), (RunConfig(RunSpec(name, {"lr": 1e-3}), "#ffffff"),), 100)
    window.controller.load_scene(scene)
    step(window, 5)
    # the same run, stepped by the core alone
    run = Run(RunSpec(name, {"lr": 1e-3}), get_surface("rosenbrock"), np.array([[-1.2, 1.0]]))
    for _ in range(5):
        run.step()
    rows = table_rows(find(window, QTableWidget, "inspectorTable"))
    by_symbol = {r[0].split(" = ")[0].split("   ")[0]: r[1:] for r in rows}
    for key, symbol, _ in OPTIMIZERS[name].explain:
        value = run.last_terms[key]
        shown = by_symbol[pretty(symbol)]
        if np.ndim(value) == 2:  # one pair per point
            assert shown == [fmt(value[0, 0]), fmt(value[0, 1])], key
        else:  # one number (per point, or shared)
            assert shown[0] == fmt(np.ravel(value)[0]), key
    assert by_symbol["θₜ"] == [fmt(run.theta[0, 0]), fmt(run.theta[0, 1])]
    assert by_symbol["gₜ"] == [fmt(v) for v in run.grad_used(5)[0]]
    assert "step t = 5" in find(window, QLabel, "inspectorHeading").text()


def test_scrubbing_shows_that_step_everywhere_and_play_goes_on_from_the_newest(window):
    step(window, 10)
    timeline = find(window, QSlider, "timeline")
    assert timeline.maximum() == 10 and timeline.value() == 10
    timeline.setValue(4)
    c = window.controller
    expected = [r.history.positions[4, 0] for r in c.sim.runs]
    for i, pos in enumerate(expected):
        x, y = window.contour_view.trails[i].getData()
        assert len(x) == 5 and (x[-1], y[-1]) == tuple(pos)
        assert window.run_table.item(i, 2).text() == "4"
        assert window.run_table.item(i, 3).text() == fmt(pos[0])
        px, py = window.plots.curves["loss"][i].getData()  # the tab shown
        assert px[-1] == 4 and py[-1] == c.sim.runs[i].losses()[4]
    window.plots.tabs.setCurrentIndex(1)  # the step-length tab draws when shown
    sx, _ = window.plots.curves["step"][0].getData()
    assert sx[-1] == 4
    assert "step t = 4" in find(window, QLabel, "inspectorHeading").text()
    assert "showing step 4 (past)" == find(window, QLabel, "timelineLabel").text()
    if window.surface_view.gl is not None:
        gd_marker = window.surface_view.gl.marker_at(0)
        if gd_marker is not None:
            assert tuple(gd_marker[:2]) == pytest.approx(tuple(expected[0]), rel=1e-6)
    step(window)
    assert c.step == 11 and c.shown_step == 11
    assert timeline.value() == 11


def test_bias_correction_off_changes_the_first_step_as_the_rule_says(window, qtbot):
    box = find(window, QCheckBox, "run1_bias_correction")
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    step(window)
    start = np.array([-4.0, 0.4])
    g = get_surface("saddle").gradient(start[None])[0]
    m, v = 0.1 * g, 0.001 * g**2  # no division by (1 − β^t)
    expected = start - 0.3 * m / (np.sqrt(v) + 1e-8)
    x, y = window.contour_view.trails[1].getData()
    np.testing.assert_allclose([x[-1], y[-1]], expected, rtol=1e-14)
    # about 3.16 lr per coordinate instead of lr
    assert abs(x[-1] - start[0]) == pytest.approx(0.3 * 0.1 / np.sqrt(0.001), rel=1e-6)


def test_noise_with_a_seed_replays_and_another_seed_differs(window, qtbot):
    type_text(find(window, QAbstractSpinBox, "noiseSigma"), "0.5")
    assert window.controller.scene.noise == 0.5
    step(window, 5)
    first = window.contour_view.trails[0].getData()[0].copy()
    find(window, QAction, "resetAction").trigger()
    step(window, 5)
    np.testing.assert_array_equal(window.contour_view.trails[0].getData()[0], first)
    type_text(find(window, QAbstractSpinBox, "noiseSeed"), "7")
    step(window, 5)
    assert not np.array_equal(window.contour_view.trails[0].getData()[0], first)
    assert "noise" in find(window, QLabel, "inspectorHeading").text().lower()


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_loads_and_runs_100_steps(window, name):
    find(window, QAction, f"preset_{name}").trigger()
    preset = PRESETS[name]
    assert window.controller.scene.surface == preset.surface
    assert window.run_table.rowCount() == len(preset.runs)
    find(window, QAbstractSpinBox, "stepLimit").setValue(1000)
    step(window, 100)
    assert window.controller.step == 100
    assert find(window, QComboBox, "surfaceSelector").currentData() == preset.surface


def test_arrows_start_where_the_step_started_and_can_be_switched_off(window):
    step(window, 2)
    window.inspector.select_run(1)
    arrows = window.contour_view.arrows
    shaft, head = arrows.items[1]["step"]
    assert shaft.isVisible() and head.isVisible()
    x, y = shaft.getData()
    adam = window.controller.sim.runs[1]
    np.testing.assert_allclose([x[0], y[0]], adam.history.positions[1, 0])
    assert not arrows.items[0]["step"][0].isVisible()  # only the chosen run by default
    find(window, QAction, "allRunsArrowsAction").trigger()
    assert arrows.items[0]["step"][0].isVisible()
    find(window, QAction, "gradientArrowsAction").trigger()
    assert not arrows.items[1]["gradient"][0].isVisible()
    assert arrows.items[1]["momentum"][0].isVisible()


def test_each_arrow_head_points_along_its_shaft(window):
    step(window, 3)
    window.inspector.select_run(1)  # adam: gradient, momentum and step arrows, three directions
    view = window.contour_view
    vb = view.getPlotItem().getViewBox()
    for kind, (shaft, head) in window.contour_view.arrows.items[1].items():
        if not head.isVisible():
            continue
        x, y = shaft.getData()  # on screen: the head ignores the view's scaling, so compare in pixels
        tail, tip = (view.mapFromScene(vb.mapViewToScene(pg.Point(x[k], y[k]))) for k in (0, 1))
        along = np.array([tip.x() - tail.x(), tip.y() - tail.y()])
        on_screen = head.deviceTransform(view.viewportTransform())
        outline = on_screen.map(head.path).toFillPolygon()  # (ArrowItem keeps its path here)
        corners = np.array([(p.x(), p.y()) for p in outline])
        base = corners.mean(axis=0)  # the head's body lies behind its tip
        pointing = np.array([tip.x(), tip.y()]) - base
        cos = along @ pointing / (np.linalg.norm(along) * np.linalg.norm(pointing))
        assert cos > 0.98, kind


def test_plots_follow_the_runs_and_switch_to_log_scale(window, qtbot):
    step(window, 6)
    loss_curves = window.plots.curves["loss"]
    assert len(loss_curves) == 2
    x, y = loss_curves[0].getData()
    np.testing.assert_array_equal(y, window.controller.sim.runs[0].losses())
    find(window, QCheckBox, "plotsLogScale").setChecked(True)
    window.plots.tabs.setCurrentIndex(1)
    assert window.plots.plots["loss"].getPlotItem().getAxis("left").logMode
    sx, sy = window.plots.curves["step"][1].getData()
    path = window.controller.sim.runs[1].history.positions[:7, 0]
    assert len(sx) == 6
    np.testing.assert_allclose(10**sy, np.hypot(*np.diff(path, axis=0).T), rtol=1e-9)  # shown on a log axis


def test_the_full_data_arrow_shows_beside_the_minibatch_one(window):
    """With minibatches both gradients are drawn; where they point alike the grey full-data arrow had hidden the
    white one (issue 34.4): now the white lies on top and the grey reaches further, so both show."""
    from dataclasses import replace

    c = window.controller
    c.load_scene(replace(c.scene.with_surface("linear-regression"), batch_size=5))
    step(window, 3)
    window.inspector.select_run(0)
    arrows = window.contour_view.arrows
    white, grey = arrows.items[0]["gradient"], arrows.items[0]["full"]
    assert white[0].isVisible() and grey[0].isVisible()
    assert white[0].zValue() > grey[0].zValue() and white[1].zValue() > grey[1].zValue()
    view = window.contour_view
    vb = view.getPlotItem().getViewBox()

    def length(shaft):
        x, y = shaft.getData()
        a, b = (view.mapFromScene(vb.mapViewToScene(pg.Point(x[k], y[k]))) for k in (0, 1))
        return math.hypot(b.x() - a.x(), b.y() - a.y())

    assert length(grey[0]) > 1.3 * length(white[0])


def test_the_hats_of_m_and_v_sit_over_their_letters(window):
    """With DejaVu Sans the hat of "m̂ₜ" was drawn a line higher, so the row read "mₜ" (issue 34.3). Rendered in the
    font the inspector's rows use, the hat's ink lies over its letter: across the letter's width, above its top,
    below the line's top."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter

    step(window, 3)
    window.inspector.select_run(1)  # adam
    table = find(window, QTableWidget, "inspectorTable")
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text().startswith("m̂"))
    font = table.item(row, 0).font()
    font.setPointSizeF(font.pointSizeF() * 3)  # (the same family, large enough to measure)

    def ink(text: str) -> np.ndarray:
        image = QImage(200, 120, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setFont(font)
        painter.setPen(QColor("black"))
        painter.drawText(QPointF(20, 80), text)  # the baseline at y = 80
        painter.end()
        a = np.frombuffer(image.constBits(), np.uint8).reshape(120, image.bytesPerLine() // 4, 4)[:, :200, :3]
        return a.min(axis=2) < 160

    plain, hatted = ink("m"), ink("m\u0302")
    hat = hatted & ~plain
    assert hat.sum() > 5, "no hat drawn"
    metrics = QFontMetricsF(font)
    ys, xs = np.nonzero(hat)
    letter_top = np.nonzero(plain.any(axis=1))[0].min()
    letter_x = np.nonzero(plain.any(axis=0))[0]
    assert ys.max() <= letter_top + 1  # above the letter
    assert ys.min() >= 80 - metrics.ascent() - 2  # within the line, not on the line above
    assert letter_x.min() - 2 <= xs.min() and xs.max() <= letter_x.max() + 2  # over the letter
