"""The curvature through the window: eigen-axes and Newton's arrow, the inspector's numbers, the sharpness plot."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QTableWidget, QTabWidget

from adamgui.core.curvature import curvature_at
from adamgui.core.surfaces import get_surface
from adamgui.gui.docks.plots import SHARPNESS_NOTE, TABS
from adamgui.gui.widgets.numbers import fmt
from tests.gui.helpers import find
from tests.gui.test_inspection import step, table_rows


def shown_overlay(window):
    overlay = window.contour_view.curvature
    return [item for item in overlay.items if item.isVisible()]


def line_of(curve):
    x, y = curve.getData()
    return np.array([x, y]).T


def test_eigen_axes_and_newtons_arrow_follow_the_inspected_run(window, qtbot):
    find(window, QAction, "preset_ravine").trigger()  # gd, momentum, adam on f = 0.1x² + 2y²
    step(window, 3)
    overlay = window.contour_view.curvature
    assert not shown_overlay(window)  # off until asked for
    find(window, QAction, "curvatureAction").trigger()
    assert overlay.enabled and len(shown_overlay(window)) == len(overlay.items)  # both axes, ellipse, labels, arrow
    runs = window.controller.sim.runs
    for index in (0, 2):  # gd, then adam: the overlay moves to the run chosen in the inspector
        find(window, QComboBox, "inspectorRun").setCurrentIndex(index)
        qtbot.wait(10)
        start = runs[index].history.positions[2, 0]  # θ_{t−1} of step 3
        for axis, direction in zip(overlay.axes, np.eye(2), strict=True):  # H = diag(0.2, 4): the coordinate axes
            ends = line_of(axis)
            np.testing.assert_allclose(ends.mean(axis=0), start, atol=1e-12)  # centred where the step started
            along = (ends[1] - ends[0]) / np.linalg.norm(ends[1] - ends[0])
            assert abs(along @ direction) == pytest.approx(1.0, abs=1e-9)
        lengths = [np.linalg.norm(np.diff(line_of(a), axis=0)) for a in overlay.axes]
        assert lengths[0] / lengths[1] == pytest.approx(np.sqrt(4 / 0.2), rel=1e-6)  # ∝ 1/√λ
        assert [label.toPlainText() for label in overlay.labels] == ["λ₁ = 0.2", "λ₂ = 4"]
        # Newton's arrow: −H⁻¹∇f from θ_{t−1}, which on a quadratic ends at the minimum (0, 0)
        np.testing.assert_allclose(line_of(overlay.newton)[0], start, atol=1e-12)
        np.testing.assert_allclose(line_of(overlay.newton)[1], [0.0, 0.0], atol=1e-9)
        assert (overlay.newton_head.pos().x(), overlay.newton_head.pos().y()) == pytest.approx((0.0, 0.0), abs=1e-9)
    find(window, QAction, "curvatureAction").trigger()
    assert not shown_overlay(window)


def test_a_saddles_negative_curvature_is_dotted_and_has_no_ellipse(window):
    find(window, QAction, "curvatureAction").trigger()  # the notebook's saddle, f = x² − y²
    step(window, 1)
    overlay = window.contour_view.curvature
    assert overlay.axes[0].opts["pen"].style().name == "DotLine"  # λ₁ = −2: the surface curves down
    assert overlay.axes[1].opts["pen"].style().name == "DashLine"
    assert not overlay.ellipse.isVisible()
    assert [label.toPlainText() for label in overlay.labels] == ["λ₁ = -2", "λ₂ = 2"]


def test_the_inspector_lists_eigenvalues_condition_and_newtons_step(window):
    find(window, QAction, "preset_ravine").trigger()
    find(window, QComboBox, "inspectorRun").setCurrentIndex(0)  # gd, α = 0.45
    step(window, 2)
    table = find(window, QTableWidget, "inspectorTable")
    assert not any("λ" in r[0] for r in table_rows(table))  # with the curvature view, not before
    find(window, QAction, "curvatureAction").trigger()
    rows = {
        r[0].split(" = ")[0].split("   ")[0]: r[1:] for r in table_rows(find(window, QTableWidget, "inspectorTable"))
    }
    start = window.controller.sim.runs[0].history.positions[1, 0]
    c = curvature_at(get_surface("ravine"), start)
    assert rows["λ₁, λ₂"] == [fmt(0.2), fmt(4.0)]
    assert rows["κ"][0] == fmt(20.0)
    assert rows["α·λ_max"][0] == fmt(0.45 * 4.0)
    assert rows["−H⁻¹·∇f"] == [fmt(c.newton[0]), fmt(c.newton[1])]


def test_the_sharpness_plot_shows_gd_crossing_its_limit_on_the_ravine_edge_preset(window):
    find(window, QAction, "preset_ravine-edge").trigger()
    tabs = find(window, QTabWidget, "plotsTabs")
    tabs.setCurrentIndex(TABS.index("sharpness"))
    window.plots.show()
    step(window, 25)
    plots = window.plots
    sharp_x, sharp_y = plots.curves["sharpness"][0].getData()
    limit_x, limit_y = plots.limits[0].getData()
    np.testing.assert_array_equal(sharp_x, np.arange(1, 26))
    np.testing.assert_allclose(sharp_y, 4.0)  # λ_max, the same everywhere on this quadratic
    run = window.controller.sim.runs[0]
    np.testing.assert_allclose(limit_y, [2 / run.hp_used(t)["lr"] for t in range(1, 26)])  # 2/α_t, warming up
    crossing = int(limit_x[np.argmax(limit_y < sharp_y)])  # where the plot shows λ_max rise above 2/α_t
    assert crossing == 8
    y = np.abs(run.path()[:, 1])
    assert (np.diff(y[:crossing]) < 0).all() and (np.diff(y[crossing - 1 :]) > 0).all()  # GD goes unstable there
    steady_limit = plots.limits[1].getData()[1]
    assert (steady_limit > 4.0).all()  # GD at α = 0.45 stays under its limit: 2/0.45 > 4
    # 2/α is GD's limit, not momentum's or Adam's: their dashed lines are not drawn (issue 34.4)
    c = window.controller
    c.add_run("adam")
    step(window, 2)
    optimizers = [r.spec.optimizer for r in c.scene.runs]
    shown = [curve.isVisible() for curve in plots.limits]
    assert shown == [name == "gd" for name in optimizers] and not shown[-1]
    assert "stability limit of GD runs" in SHARPNESS_NOTE


def _held_build(monkeypatch):
    """Builds of second derivatives wait for the returned event: the test decides when one ends (a handshake)."""
    import threading

    from adamgui.core import expression

    release, started = threading.Event(), threading.Event()
    real = expression.build_hessian

    def held(text):
        started.set()
        release.wait(30)
        real(text)

    monkeypatch.setattr(expression, "build_hessian", held)
    return release, started


def test_a_typed_formulas_curvature_is_worked_out_off_the_gui_thread(window, qtbot, monkeypatch):
    """The curvature of a typed formula is built on a thread of its own: while it is (held here), the window
    steps, the status bar shows a busy bar, the inspector says so; once built, the axes appear. (Before, sympy
    ran inside the click: a 350-character legal formula froze the window 42 s.)"""
    release, started = _held_build(monkeypatch)
    formula = "sin(x)*cos(y) + 0.4123*x^2 + y^2"  # typed once in this test run: not built yet
    window.enter_formula(formula)
    step(window, 2)
    find(window, QAction, "curvatureAction").trigger()
    assert started.wait(10) and window.hessians.busy_with == formula
    assert window.hessians.bar.isVisible() and not shown_overlay(window)
    rows = table_rows(find(window, QTableWidget, "inspectorTable"))
    assert any("being worked out" in r[0] for r in rows)
    step(window, 3)  # the window is not waiting for sympy
    assert window.controller.step == 5
    release.set()
    qtbot.waitUntil(lambda: window.hessians.busy_with is None, timeout=20_000)
    assert not window.hessians.bar.isVisible()
    overlay = window.contour_view.curvature
    assert len(shown_overlay(window)) >= 3  # two axes and their labels at least
    point = window.controller.sim.runs[0].history.positions[4, 0]
    expected = curvature_at(window.controller.sim.surface, point)
    shown = [float(label.toPlainText().split(" = ")[1]) for label in overlay.labels]
    assert shown == pytest.approx(list(expected.values), rel=5e-3)  # (three figures shown)


def test_cancel_stops_waiting_for_a_formulas_curvature(window, qtbot, monkeypatch):
    """Cancel on the busy bar: the bar goes, the curvature view and the Sharpness plot turn off, the window keeps
    stepping; the build ends on its own thread and is kept, so asking again is immediate."""
    from PySide6.QtWidgets import QPushButton

    from adamgui.core.expression import hessian_built

    release, started = _held_build(monkeypatch)
    formula = "cos(x)*sin(y) + 0.3217*x^2 + y^2"
    window.enter_formula(formula)
    step(window, 2)
    window.plots.show_tab("sharpness")
    assert started.wait(10) and window.hessians.busy_with == formula
    tabs = window.plots.tabs
    assert "Working out" in window.plots.plots["sharpness"].getPlotItem().titleLabel.text
    find(window, QAction, "curvatureAction").trigger()
    qtbot.mouseClick(find(window, QPushButton, "hessianCancel"), Qt.MouseButton.LeftButton)
    assert not window.hessians.bar.isVisible()
    assert not find(window, QAction, "curvatureAction").isChecked() and window.plots.current_kind() == "loss"
    assert "Curvature not worked out" in window.statusBar().currentMessage()
    step(window, 1)
    release.set()
    qtbot.waitUntil(lambda: window.hessians.busy_with is None, timeout=20_000)
    assert hessian_built(formula) and tabs.currentIndex() == TABS.index("loss")
    find(window, QAction, "curvatureAction").trigger()  # asked again: there at once
    assert window.hessians.busy_with is None and len(shown_overlay(window)) >= 3
