"""Model losses through the window: pick one, the Data panel shows its data and each run's model move."""

import numpy as np
import pytest
from PySide6.QtWidgets import QComboBox, QDockWidget

from adamgui.gui.docks.data import model_lines


@pytest.mark.parametrize("name", ["linear-regression", "logistic-regression", "neuron"])
def test_picking_a_model_shows_its_data_and_the_fit_follows_the_shown_step(window, name):
    selector = window.findChild(QComboBox, "surfaceSelector")
    selector.setCurrentIndex(selector.findData(name))
    c = window.controller
    assert c.scene.surface == name
    panel = window.findChild(QDockWidget, "dataPanel")
    assert panel.isVisible()
    model = c.sim.surface.model
    shown = sum(len(p.data) for p in panel.points)
    assert shown == len(model.y)  # every data point, once
    assert window.contour_view.getPlotItem().getAxis("bottom").labelText == c.sim.surface.axes[0]

    def drawn(i):
        return [np.asarray(a) for a in panel.fits[i].getData()]

    c.advance_to(5)
    at_5 = drawn(1)
    np.testing.assert_allclose(at_5, model_lines(model, c.sim.runs[1].path()[5], panel._range))
    c.advance_to(20)
    assert not np.allclose(drawn(1)[1], at_5[1], equal_nan=True)  # the fit moved as the run played
    c.scrub(5)  # the timeline takes it back
    np.testing.assert_allclose(drawn(1), at_5)


def test_a_plain_surface_says_what_the_data_panel_is_for(window):
    window.data_panel.show()
    c = window.controller
    assert c.sim.surface.model is None
    assert "Choose a model" in window.data_panel.note.text() and not window.data_panel.plot.isVisible()


def test_a_schedule_typed_for_a_run_is_used_and_plotted_and_a_bad_one_changes_nothing(window):
    from PySide6.QtWidgets import QLineEdit

    from adamgui.core.schedules import parse_schedule
    from tests.gui.helpers import type_text

    c = window.controller
    field = window.findChild(QLineEdit, "run1_schedule")
    type_text(field, "cosine:T_max=20")
    assert c.scene.runs[1].spec.schedule == parse_schedule("cosine:T_max=20") and c.step == 0
    c.advance_to(20)
    plots = window.plots
    plots.tabs.setCurrentIndex(3)  # Learning rate
    x, y = plots.curves["lr"][1].getData()
    expected = [parse_schedule("cosine:T_max=20").lr(0.3, int(t)) for t in x]
    np.testing.assert_allclose(y, expected)
    assert y[0] == 0.3 and y[-1] < 0.01  # from α down to nearly zero
    gd_x, gd_y = plots.curves["lr"][0].getData()
    assert set(gd_y) == {0.1}  # no schedule: the constant rate
    before = c.scene
    type_text(window.findChild(QLineEdit, "run1_schedule"), "cosin:T_max=5")
    assert c.scene == before and "did you mean 'cosine'" in window.statusBar().currentMessage()
    assert window.findChild(QLineEdit, "run1_schedule").text() == "cosine:T_max=20,eta_min=0"


def test_a_batch_size_makes_the_path_noisy_reproducibly_and_all_rows_is_the_full_batch(window, tmp_path):
    from PySide6.QtWidgets import QLabel, QSpinBox

    from tests.gui.helpers import type_text

    selector = window.findChild(QComboBox, "surfaceSelector")
    selector.setCurrentIndex(selector.findData("logistic-regression"))
    c = window.controller
    c.advance_to(30)
    full = [run.path().copy() for run in c.sim.runs]
    batch = window.findChild(QSpinBox, "batchSize")
    assert batch.isEnabled() and batch.text() == "full batch"
    type_text(batch, "8")
    assert c.scene.batch_size == 8 and c.step == 0
    c.advance_to(30)
    noisy = [run.path().copy() for run in c.sim.runs]
    assert not np.array_equal(noisy[0], full[0])  # 8 of 100 flowers a step: a noisy path
    c.reset()
    c.advance_to(30)
    np.testing.assert_array_equal(c.sim.runs[0].path(), noisy[0])  # Reset: the same minibatches
    path = tmp_path / "batches.adamgui.json"
    assert window.documents.save_to(path) and window.documents.open_path(path)
    np.testing.assert_array_equal(c.sim.runs[0].path(), noisy[0])  # and after save and open
    # the inspector shows the minibatch gradient and, beside it, the full one
    window.inspector.select_run(0)
    window.inspector.raise_()
    c.scrub(12)
    table = window.inspector.table
    rows = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert any("minibatch" in r for r in rows) and any("full gradient" in r for r in rows)
    type_text(batch, "100")  # every row: the full batch, bit for bit
    c.advance_to(30)
    np.testing.assert_array_equal(c.sim.runs[0].path(), full[0])
    assert isinstance(window.findChild(QLabel, "inspectorHeading"), QLabel)


def test_your_own_data_is_loaded_from_the_data_dock_kept_in_the_session_and_a_bad_file_changes_nothing(
    window, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton

    selector = window.findChild(QComboBox, "surfaceSelector")
    selector.setCurrentIndex(selector.findData("linear-regression"))
    c = window.controller
    good = tmp_path / "mine.csv"
    good.write_text("x,y\n0,1\n1,3.1\n2,4.9\n3,7.2\n4,9.1\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    window.findChild(QPushButton, "dataLoad").click()
    assert c.scene.data == str(good) and c.sim.surface.model is not None and len(c.sim.surface.model.y) == 5
    assert sum(len(p.data) for p in window.data_panel.points) == 5 and "mine.csv" in window.data_panel.note.text()
    path = tmp_path / "mine.adamgui.json"
    assert window.documents.save_to(path)
    window.load_preset(__import__("adamgui.core.presets", fromlist=["x"]).get_preset("ravine"))
    assert window.documents.open_path(path) and c.scene.data == str(good)
    before = c.scene
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n2,oops\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    window.findChild(QPushButton, "dataLoad").click()
    assert c.scene == before
    assert "bad.csv, row 3, column y: 'oops' is not a finite number" in window.panel.error.text()
    window.findChild(QPushButton, "dataBundled").click()
    assert c.scene.data == "" and len(c.sim.surface.model.y) == 442
    assert isinstance(window.panel.error, QLabel)
