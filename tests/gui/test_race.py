"""The Race dock through the real window: tune every run with the same budget, race the tuned runs, cancel."""

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QSpinBox, QTableWidget

from tests.gui.helpers import find


def _open_race(window, qtbot, preset="ravine"):
    window.findChild(QAction, f"preset_{preset}").trigger()
    if not window.race.isVisible():  # (a window before may have left it open in the saved layout)
        window.findChild(QAction, "raceToggle").trigger()
    qtbot.waitUntil(window.race.isVisible, timeout=5000)
    return window.race


def test_race_gd_momentum_and_adam_tuned_with_32_trials_each(window, qtbot):
    race = _open_race(window, qtbot)
    c = window.controller
    assert [race.run_list.item(k).text() for k in range(race.run_list.count())] == ["gd", "momentum", "adam"]
    find(window, QSpinBox, "raceTrials").setValue(32)
    objective = find(window, QComboBox, "raceObjective")
    objective.setCurrentIndex(objective.findData("steps-to"))
    find(window, QLineEdit, "raceTol").setText("1e-8")
    find(window, QSpinBox, "raceSteps").setValue(1000)
    find(window, QPushButton, "raceStart").click()
    race.wait()
    table = find(window, QTableWidget, "raceTable")
    assert table.rowCount() == 3
    assert [table.item(r, 0).text() for r in range(3)] == ["gd", "momentum", "adam"]
    assert all(table.item(r, 1).text().startswith("lr = ") for r in range(3))
    fairness = find(window, QLabel, "raceFairness").text()
    assert "32 trials over lr ∈ [0.0001, 10] (log)" in fairness and "steps to loss ≤ 1e-08" in fairness
    assert all(row["trials"] == 32 for row in race.rows)
    # the tuned runs race from the start, labelled with their values
    assert c.playing
    assert [r.spec.params["lr"] for r in c.scene.runs] == [row["tuned"]["lr"] for row in race.rows]
    assert all("tuned (lr=" in label for label in c.scene.labels())
    assert c.scene.start == (-9.0, 2.0) and c.scene.step_limit == 1000  # room for the steps tuned for
    qtbot.waitUntil(lambda: c.step >= 5, timeout=10_000)
    c.pause()


def test_cancel_leaves_the_scene_as_it_was(window, qtbot):
    race = _open_race(window, qtbot)
    c = window.controller
    before = c.scene
    find(window, QSpinBox, "raceTrials").setValue(1024)
    find(window, QSpinBox, "raceSteps").setValue(100_000)
    find(window, QPushButton, "raceStart").click()
    qtbot.waitUntil(lambda: race.progress.value() > 0, timeout=10_000)
    find(window, QPushButton, "raceCancel").click()
    race.wait()
    assert c.scene is before and not c.playing
    assert "Cancelled" in find(window, QLabel, "raceStatus").text()
    assert find(window, QPushButton, "raceStart").isEnabled()


def test_a_bad_loss_to_reach_is_said_and_nothing_starts(window, qtbot):
    race = _open_race(window, qtbot)
    objective = find(window, QComboBox, "raceObjective")
    objective.setCurrentIndex(objective.findData("steps-to"))
    find(window, QLineEdit, "raceTol").setText("soon")
    find(window, QPushButton, "raceStart").click()
    assert race.thread is None
    assert "Not started: steps-to needs a loss to reach" in find(window, QLabel, "raceStatus").text()


def test_the_table_exports_as_csv_and_json(window, qtbot, tmp_path):
    import csv
    import json

    race = _open_race(window, qtbot, "noisy-bowl")
    assert find(window, QSpinBox, "raceSeeds").isEnabled()  # noisy: seeds can be averaged over
    find(window, QSpinBox, "raceTrials").setValue(8)
    find(window, QSpinBox, "raceSeeds").setValue(3)
    find(window, QPushButton, "raceStart").click()
    race.wait()
    window.controller.pause()
    race.save_table(str(tmp_path / "race.csv"))
    race.save_table(str(tmp_path / "race.json"))
    rows = list(csv.DictReader(open(tmp_path / "race.csv", encoding="utf-8")))
    assert [r["optimizer"] for r in rows] == ["gd", "momentum", "adam"]
    doc = json.loads((tmp_path / "race.json").read_text(encoding="utf-8"))
    assert [r["seeds"] for r in doc["results"]] == [3, 3, 3]
    assert "3 seeds each" in doc["results"][0]["fairness"]


def test_the_race_is_kept_in_the_saved_session_and_shown_when_it_is_opened(window, qtbot, tmp_path):
    race = _open_race(window, qtbot)
    find(window, QSpinBox, "raceTrials").setValue(8)
    find(window, QPushButton, "raceStart").click()
    race.wait()
    window.controller.pause()
    rows = list(race.rows)
    assert window.controller.scene.race and window.isWindowModified()  # the race is part of the document
    path = tmp_path / "raced.adamgui.json"
    assert window.documents.save_to(path)
    window.findChild(QAction, "preset_noisy-bowl").trigger()  # something else, then the saved race again
    assert window.documents.open_path(path)
    assert race.rows == rows
    table = find(window, QTableWidget, "raceTable")
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [row["run"] for row in rows]
    assert "8 trials over lr" in find(window, QLabel, "raceFairness").text()
