"""A run's noise belongs to the run: adding, removing, reordering, hiding, Reset, save/open and
``run --session`` all replay the same noisy path for the same run."""

import csv
import io
from dataclasses import replace

import numpy as np
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QGroupBox, QPushButton, QTableWidget

from adamgui import cli
from adamgui.core.scene import RunConfig, Scene
from adamgui.core.simulation import RunSpec
from tests.gui.helpers import find, type_text


def table(window) -> list[list[str]]:
    t = find(window, QTableWidget, "runTable")
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def paths(window) -> dict[str, np.ndarray]:
    c = window.controller
    return {run.label: run.history.positions[: c.sim.t + 1, 0].copy() for run in c.sim.runs}


def step(window, n: int) -> None:
    for _ in range(n):
        window.step_action.trigger()


def test_noisy_runs_replay_after_add_remove_reset_save_open_and_the_cli(window, tmp_path, capsys):
    type_text(find(window, QDoubleSpinBox, "noiseSigma"), "0.5")
    type_text(find(window, QDoubleSpinBox, "noiseSeed"), "7")
    assert window.controller.scene.noise == 0.5 and window.controller.scene.seed == 7
    adder = find(window, QComboBox, "addRunOptimizer")
    adder.setCurrentIndex(adder.findData("momentum"))
    find(window, QPushButton, "addRunButton").click()
    find(window, QPushButton, "run0_remove").click()  # GD goes; Adam and Momentum stay
    assert [r.spec.optimizer for r in window.controller.scene.runs] == ["adam", "momentum"]
    step(window, 5)
    first, first_paths = table(window), paths(window)
    assert [row[0] for row in first] == ["adam", "momentum"] and all(row[2] == "5" for row in first)

    window.reset_action.trigger()
    step(window, 5)
    assert table(window) == first
    for label, path in paths(window).items():
        np.testing.assert_array_equal(path, first_paths[label])

    saved = tmp_path / "noisy.adamgui.json"
    assert window.documents.save_to(saved)
    window.controller.load_scene(Scene())  # something else in between
    assert window.documents.open_path(saved)
    assert window.controller.sim.t == 5 and table(window) == first
    for label, path in paths(window).items():
        np.testing.assert_array_equal(path, first_paths[label])

    capsys.readouterr()
    assert cli.main(["run", "--session", str(saved)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    for label, path in first_paths.items():
        mine = [r for r in rows if r["run"] == label]
        assert [int(r["step"]) for r in mine] == list(range(6))
        np.testing.assert_array_equal([[float(r["x"]), float(r["y"])] for r in mine], path)


def test_reordered_and_hidden_runs_keep_their_noise(window):
    runs = (
        RunConfig(RunSpec("gd", {"lr": 0.05}), "#e69f00", key=0),
        RunConfig(RunSpec("adam", {"lr": 0.1}), "#56b4e9", key=1),
        RunConfig(RunSpec("momentum", {"lr": 0.05}), "#009e73", key=2),
    )
    scene = Scene("bowl", (2.0, 1.5), runs, noise=0.8, seed=3)
    c = window.controller
    c.load_scene(scene)
    c.advance_to(12)
    before = paths(window)
    reordered = replace(scene, runs=(replace(runs[2], visible=False), runs[0], runs[1]))
    c.load_scene(reordered)
    c.advance_to(12)
    assert [r.label for r in c.sim.runs] == ["momentum", "gd", "adam"]
    after = paths(window)
    for label in before:
        np.testing.assert_array_equal(after[label], before[label])
    window.run_table.visibility_toggled.emit(1, False)  # hide gd through the table's signal
    window.reset_action.trigger()
    c.advance_to(12)
    for label, path in paths(window).items():
        np.testing.assert_array_equal(path, before[label])


def test_the_last_run_cannot_be_removed_and_the_panel_names_runs_as_the_table(window):
    adder = find(window, QComboBox, "addRunOptimizer")
    adder.setCurrentIndex(adder.findData("adam"))
    find(window, QPushButton, "addRunButton").click()
    boxes = [find(window.panel, QGroupBox, f"run{i}") for i in range(3)]
    assert [b.title() for b in boxes] == ["gd", "adam", "adam-2"] == [row[0] for row in table(window)]
    find(window, QPushButton, "run0_remove").click()
    find(window, QPushButton, "run0_remove").click()
    assert len(window.controller.scene.runs) == 1
    assert not find(window, QPushButton, "run0_remove").isEnabled()
