"""Typing a formula or a domain in the panel, through the real widgets."""

import numpy as np
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLabel, QLineEdit

from tests.gui.helpers import assert_shows_domain, find, type_text


def enter_formula(window, text):
    type_text(find(window, QLineEdit, "formulaEdit"), text)


def test_typing_a_formula_rebuilds_both_views_and_restarts_the_runs(window, qtbot):
    find(window, QAction, "stepAction").trigger()
    old_image = window.contour_view.image.image.copy()
    enter_formula(window, "sin(3*x)*cos(2*y) + 0.1*(x^2 + y^2)")
    c = window.controller
    assert c.scene.surface == "formula"
    assert c.step == 0
    surface = c.sim.surface
    assert window.contour_view.surface is surface
    assert not np.array_equal(window.contour_view.image.image, old_image)
    if window.surface_view.gl is not None:
        assert window.surface_view.gl.surface is surface
    assert find(window, QComboBox, "surfaceSelector").currentData() == "formula"
    x, y = window.contour_view.trails[0].getData()
    assert (x[0], y[0]) == surface.start
    find(window, QAction, "stepAction").trigger()
    g = 3 * np.cos(3 * x[0]) * np.cos(2 * y[0]) + 0.2 * x[0], -2 * np.sin(3 * x[0]) * np.sin(2 * y[0]) + 0.2 * y[0]
    x, y = window.contour_view.trails[0].getData()
    np.testing.assert_allclose([x[1], y[1]], [x[0] - 0.1 * g[0], y[0] - 0.1 * g[1]], rtol=1e-12)


def test_a_bad_formula_shows_its_message_and_changes_nothing(window, qtbot):
    for _ in range(3):
        find(window, QAction, "stepAction").trigger()
    before = window.controller.sim
    scene = window.controller.scene
    enter_formula(window, "x^2 + (y")
    error = find(window, QLabel, "formulaError")
    assert error.isVisible()
    assert "Unbalanced parenthesis at column 7" in error.text()
    assert window.controller.sim is before and window.controller.scene == scene
    assert window.controller.step == 3
    enter_formula(window, "__import__('os').system('echo hi')")
    assert "Unknown function '__import__'" in error.text()
    assert window.controller.scene == scene


def test_a_domain_typed_in_the_panel_replots_the_surface(window, qtbot):
    box = find(window, QAbstractSpinBox, "xMax")
    type_text(box, "2")
    surface = window.controller.sim.surface
    assert surface.x_range == (-4.5, 2.0)
    assert_shows_domain(window.contour_view, (-4.5, 2.0), surface.y_range)
    # a range whose ends cross is refused, and the domain stays
    type_text(box, "-6")
    assert window.controller.sim.surface.x_range == (-4.5, 2.0)
    assert "Domain not used" in find(window, QLabel, "formulaError").text()


def test_newton_and_a_formula_too_large_to_differentiate_twice_are_refused_with_the_scene_kept(window):
    """Typing a formula whose Hessian is too large while a Newton run is in the scene: refused, said, nothing changed;
    adding Newton on such a formula: refused, said; the Sharpness plot has no curvature to show, and no error."""
    from adamgui.core.scene import RunConfig, Scene
    from adamgui.core.simulation import RunSpec

    heavy = "*".join(f"sin(x+{k}*y)" for k in range(1, 31))
    c = window.controller
    said = []
    c.scene_refused.connect(said.append)
    c.message.connect(said.append)
    c.load_scene(Scene("bowl", (1.0, 1.0), (RunConfig(RunSpec("newton"), "#ffffff"),)))
    before = c.scene
    c.set_formula(heavy)
    assert c.scene is before and said[-1].startswith("Formula not used: This formula's second derivatives")
    c.load_scene(Scene("bowl", (1.0, 1.0), (RunConfig(RunSpec("gd"), "#ffffff"),)))
    c.set_formula(heavy)
    assert c.scene.formula == heavy
    c.add_run("newton")
    assert len(c.scene.runs) == 1 and said[-1].startswith("No run added: This formula's second derivatives")
    window.plots.show_tab("sharpness")
    c.advance_to(3)
    assert window.uncaught_errors.count == 0
