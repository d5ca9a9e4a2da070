"""The error net, numerical edges through the window, and a clean exit every way."""

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QMessageBox

from adamgui.core.scene import RunConfig, Scene
from adamgui.core.simulation import RunSpec
from tests.gui.helpers import find

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.qt_no_exception_capture
def test_an_unexpected_exception_is_logged_shown_and_survived(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("ADAMGUI_DATA_DIR", str(tmp_path))

    def fault(_frame):
        raise RuntimeError("a deliberate fault for the error-net test")

    window.controller.frame_ready.connect(fault)
    find(window, QAction, "stepAction").trigger()  # the fault fires in a slot, inside Qt's event handling
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorMessage") is not None, timeout=5000)
    box = window.findChild(QMessageBox, "errorMessage")
    assert box.isVisible() and not box.isModal()
    assert "RuntimeError: a deliberate fault" in box.informativeText()
    assert "Traceback" in box.detailedText() and "a deliberate fault" in box.detailedText()
    log = (tmp_path / "errors.log").read_text()
    assert "a deliberate fault for the error-net test" in log and "Traceback" in log
    # the app carries on, consistently
    window.controller.frame_ready.disconnect(fault)
    assert window.controller.step == 1
    find(window, QAction, "stepAction").trigger()
    assert window.controller.step == 2
    assert window.run_table.item(0, 2).text() == "2"
    box.close()


@pytest.mark.parametrize(
    ("formula", "lr"),
    [
        ("1e300*(x^2 + y^2)", 0.1),  # gradients of 1e300
        ("1e-300*(x^2 + y^2)", 0.1),  # gradients of 1e-300
        ("1e30*(x^2 - y^2)", 0.1),  # values reaching 1e30
        ("x^2 + y^2", 1e3),  # a huge learning rate
        ("x^2 + y^2", 1e-12),  # a tiny one
    ],
)
def test_numerical_edges_are_reported_and_the_views_stay_readable(window, qtbot, formula, lr):
    edit = find(window, QLineEdit, "formulaEdit")
    edit.setText(formula)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    for name in ("run0_lr",):
        box = find(window, QAbstractSpinBox, name)
        box.setValue(lr)
    find(window, QAbstractSpinBox, "run1_eps").setValue(1e-12)
    for _ in range(60):
        find(window, QAction, "stepAction").trigger()
    c = window.controller
    assert c.step == 50 or c.step == c.scene.step_limit
    for run in c.sim.runs:
        assert np.isfinite(run.path()).all()
        status = run.status_name()
        if status == "diverged":
            assert run.status_text().startswith("diverged at step ")
    for view in (window.contour_view, *window.plots.plots.values()):
        (x0, x1), (y0, y1) = view.getPlotItem().getViewBox().viewRange()
        assert all(np.isfinite([x0, x1, y0, y1]))


def test_start_on_an_exact_saddle_point_or_minimum(window, qtbot):
    scene = Scene("saddle", (0.0, 0.0), (RunConfig(RunSpec("gd"), "#ffffff"), RunConfig(RunSpec("adam"), "#ff00ff")))
    window.controller.load_scene(scene)
    find(window, QAction, "stepAction").trigger()
    assert [window.run_table.item(i, 6).text() for i in range(2)] == ["converged at step 0"] * 2
    window.controller.set_surface("bowl")
    window.controller.set_start(0.0, 0.0)
    find(window, QAction, "stepAction").trigger()
    assert window.run_table.item(0, 6).text() == "converged at step 0"
