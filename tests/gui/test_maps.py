"""The Maps dock through the real window: compute off the GUI thread, click to replay, cancel, cache."""

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QPushButton, QSpinBox

from tests.gui.helpers import find


def compute_basins(window, surface: str, resolution: int, steps: int) -> None:
    """Pick the surface, set the grid and the steps in the dock, press Compute and wait for the result."""
    window.controller.set_surface(surface)
    find(window, QSpinBox, "basinResolution").setValue(resolution)
    find(window, QSpinBox, "basinSteps").setValue(steps)
    find(window, QPushButton, "basinCompute").click()
    window.maps.wait()


def test_a_basin_map_on_the_bowl_sends_every_start_to_the_minimum(window, qtbot):
    compute_basins(window, "bowl", 32, 200)
    left, right = window.maps.basin_results
    assert (left.outcome == 0).all() and (right.outcome == 0).all()
    assert window.maps.basin_views[0][1].image is not None
    assert "minimum (0, 0)" in window.maps.legend.text()
    # the same inputs again: from the cache, no thread
    find(window, QPushButton, "basinCompute").click()
    assert window.maps.thread is None and "cache" in window.maps.status.text()


def test_clicking_a_basin_pixel_starts_the_runs_there(window, qtbot):
    compute_basins(window, "himmelblau", 32, 50)
    window.maps.show()
    window.maps.raise_()
    qtbot.waitExposed(window.maps)
    view = window.maps.basin_views[0][0]
    vb = view.getPlotItem().getViewBox()
    target = (2.5, -1.5)
    pos = view.mapFromScene(vb.mapViewToScene(__import__("pyqtgraph").Point(*target)))
    from PySide6.QtCore import Qt

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    x, y = window.controller.scene.start
    px, py = vb.viewPixelSize()
    assert abs(x - target[0]) <= px and abs(y - target[1]) <= py
    assert window.controller.step == 0


def test_a_sweep_cell_replays_its_run_with_those_hyperparameters(window, qtbot):
    window.controller.set_surface("rosenbrock")
    find(window, QSpinBox, "sweepXCount").setValue(4)
    find(window, QSpinBox, "sweepYCount").setValue(3)
    find(window, QSpinBox, "sweepSteps").setValue(50)
    window.maps.sweep_run_box.setCurrentIndex(1)  # adam
    find(window, QPushButton, "sweepCompute").click()
    window.maps.wait()
    s = window.maps.sweep_result
    assert s is not None, window.maps.status.text()
    assert s.loss.shape == (3, 4) and s.x_param == "lr" and s.y_param == "beta1"
    window.maps.apply_cell(2, 1)
    run = window.controller.sim.runs[1]
    assert run.hp["lr"] == s.x_values[2] and run.hp["beta1"] == s.y_values[1]
    assert window.controller.step == 0
    window.controller.advance_to(50)
    assert run.loss[0] == s.loss[1, 2]  # the replay ends where the cell said


def test_cancel_keeps_the_previous_result_and_the_window_keeps_ticking(window, qtbot):
    compute_basins(window, "bowl", 32, 20)
    previous = window.maps.basin_results
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    find(window, QSpinBox, "basinResolution").setValue(512)
    find(window, QSpinBox, "basinSteps").setValue(100_000)
    find(window, QPushButton, "basinCompute").click()
    qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=5000)  # the event loop goes on...
    assert window.maps.thread is not None  # ...while the map is still computing
    find(window, QPushButton, "mapsCancel").click()
    window.maps.wait()
    timer.stop()
    assert window.maps.basin_results is previous
    assert "Cancelled" in window.maps.status.text()
    assert np.array_equal(window.maps.basin_results[0].outcome, previous[0].outcome)


def test_maps_can_show_the_steps_taken_instead_of_the_outcome(window, qtbot):
    from PySide6.QtWidgets import QComboBox

    compute_basins(window, "bowl", 32, 200)
    outcome_picture = window.maps.basin_views[0][1].image.copy()
    find(window, QComboBox, "basinColorBy").setCurrentIndex(1)
    steps_picture = window.maps.basin_views[0][1].image
    assert not np.array_equal(outcome_picture, steps_picture)
    assert "Steps to come within reach" in window.maps.legend.text()
    # far starts take more steps: a different color in the corner than near the middle
    assert not np.array_equal(steps_picture[0, 0], steps_picture[16, 16])


def test_every_input_of_a_basin_map_makes_it_out_of_date(window, qtbot, tmp_path):
    """Each input changed in turn, as a user changes it, leaves the shown map out of date, and Compute then
    computes it again instead of showing it from the cache: a run's α (typed in its field), another
    hyperparameter, its schedule, the domain, the formula, the surface, the data file and the minibatches."""
    from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit

    from tests.gui.helpers import type_text

    c, maps = window.controller, window.maps
    compute_basins(window, "himmelblau", 16, 30)
    assert not maps.stale

    def changed(what):
        assert maps.stale and "Out of date" in maps.status.text(), what
        find(window, QPushButton, "basinCompute").click()
        assert "cache" not in maps.status.text(), what  # computed again, not taken from the cache
        maps.wait()
        assert not maps.stale, what

    type_text(find(window, QAbstractSpinBox, "run0_lr"), "0.01")  # GD's α, typed and Enter
    assert c.scene.runs[0].spec.params["lr"] == 0.01
    changed("α")
    c.set_run_params(1, {"beta1": 0.8})
    changed("β₁")
    type_text(find(window, QLineEdit, "run0_schedule"), "cosine:T_max=10")
    assert c.scene.runs[0].spec.schedule is not None
    changed("schedule")
    c.set_domain(-5.0, 5.0, -4.0, 4.0)
    changed("domain")
    c.set_formula("(x**2 + y - 11)**2 + (x + y**2 - 7)**2 + 0.1*x")
    changed("formula")
    c.set_surface("linear-regression")
    changed("surface")
    data = tmp_path / "line.csv"
    data.write_text("x,y\n" + "".join(f"{x},{2 * x + 1 + (x % 3) * 0.1}\n" for x in range(12)))
    c.set_data(str(data))
    assert c.scene.data == str(data)
    changed("data")
    c.set_batch(4, 0)
    changed("batch size")
    c.set_batch(4, 7)
    changed("batch seed")
    find(window, QCheckBox, "batchOrdered").click()  # the rows in their order, as the panel sets it
    assert c.scene.batch_ordered
    changed("batch order")
    c.load_scene(replace(c.scene, box=((-1.0, 1.0), (-1.0, 1.0))))
    changed("feasible box")
