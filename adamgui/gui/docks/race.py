"""The Race dock: tune every chosen run with the same budget, off the GUI thread, then race the tuned runs.

It listens to the scene (``on_scene``) and asks for the tuned scene to be played with ``race_ready``;
it never holds the controller. The tuning is :mod:`adamgui.core.race`.
"""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from adamgui.core import race
from adamgui.core.files import FileProblem, atomic_output, check_writable
from adamgui.core.limits import MAP_MAX_STEPS
from adamgui.core.params import ParamError
from adamgui.core.scene import Scene
from adamgui.core.tuning import DEFAULT_TRIALS, MAX_SEEDS, MAX_TRIALS, MIN_TRIALS, parse_objective
from adamgui.gui.app.worker import Background, InBackground

OBJECTIVE_CHOICES = (
    ("final", "final loss after the steps"),
    ("mean", "mean loss over the steps (area under the curve)"),
    ("steps-to", "steps to reach a loss ≤"),
)
COLUMNS = ("Run", "Tuned", "Objective", "± over seeds", "Steps to tol")


class RaceDock(InBackground, QDockWidget):
    """Pick runs, a budget, an objective; Tune and race. ``race_ready(scene)``: play this tuned scene."""

    race_ready = Signal(object)

    def __init__(self, parent=None):
        super().__init__("Race", parent)
        self.setObjectName("raceDock")
        self.scene = Scene()
        self.background = Background(self)  # the computation, on a thread of its own
        self.background.progressed.connect(self._on_progress)
        self.background.finished.connect(self._on_finished)
        self.background.failed.connect(self._on_failed)
        self.background.cancelled.connect(self._on_cancelled)
        self.rows: list[dict] = []  # the shown table, as dicts (RaceRow.to_dict)
        body = QWidget()
        columns = QHBoxLayout(body)
        left = QVBoxLayout()
        left.addWidget(QLabel("Runs to race"))
        self.run_list = QListWidget()
        self.run_list.setObjectName("raceRuns")
        self.run_list.setMaximumHeight(120)
        left.addWidget(self.run_list)
        form = QFormLayout()
        self.trials = QSpinBox()
        self.trials.setObjectName("raceTrials")
        self.trials.setRange(MIN_TRIALS, MAX_TRIALS)
        self.trials.setValue(DEFAULT_TRIALS)
        self.trials.setToolTip("Trials per optimizer: every optimizer gets the same number")
        form.addRow("Trials each", self.trials)
        self.objective = QComboBox()
        self.objective.setObjectName("raceObjective")
        for key, text in OBJECTIVE_CHOICES:
            self.objective.addItem(text, key)
        form.addRow("Objective", self.objective)
        self.tol = QLineEdit("1e-8")
        self.tol.setObjectName("raceTol")
        self.tol.setToolTip("The loss to reach, for the objective 'steps to reach a loss ≤'")
        form.addRow("Loss to reach", self.tol)
        self.steps = QSpinBox()
        self.steps.setObjectName("raceSteps")
        self.steps.setRange(1, MAP_MAX_STEPS)
        self.steps.setValue(200)
        self.steps.setGroupSeparatorShown(True)
        form.addRow("Steps each trial", self.steps)
        self.seeds = QSpinBox()
        self.seeds.setObjectName("raceSeeds")
        self.seeds.setRange(1, MAX_SEEDS)
        self.seeds.setValue(1)
        self.seeds.setToolTip("With gradient noise or minibatches, each trial's objective is averaged over this many")
        form.addRow("Seeds", self.seeds)
        self.second = QCheckBox("Also tune β₁ / μ / α_v (a second hyperparameter)")
        self.second.setObjectName("raceSecond")
        form.addRow(self.second)
        self.add_beside = QCheckBox("Keep the runs as they are and add the tuned ones beside them")
        self.add_beside.setObjectName("raceAddBeside")
        form.addRow(self.add_beside)
        left.addLayout(form)
        buttons = QHBoxLayout()
        self.start_button = QPushButton("Tune and race")
        self.start_button.setObjectName("raceStart")
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("raceCancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        left.addLayout(buttons)
        self.progress = QProgressBar()
        self.progress.setObjectName("raceProgress")
        left.addWidget(self.progress)
        left.addStretch(1)
        columns.addLayout(left, 0)
        right = QVBoxLayout()
        self.fairness = QLabel()
        self.fairness.setObjectName("raceFairness")
        self.fairness.setWordWrap(True)
        right.addWidget(self.fairness)
        self.status = QLabel("Tune each run with the same budget, then watch the tuned runs race.")
        self.status.setObjectName("raceStatus")
        self.status.setWordWrap(True)
        right.addWidget(self.status)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("raceTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        right.addWidget(self.table, 1)
        self.export_button = QPushButton("Export table…")
        self.export_button.setObjectName("raceExport")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._ask_export)
        right.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignRight)
        columns.addLayout(right, 1)
        scroll = QScrollArea()  # a small screen's window is not widened for it: it scrolls
        scroll.setObjectName("raceScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.setWidget(scroll)

    # --- following the scene -----------------------------------------------------
    def on_scene(self, scene: Scene) -> None:
        """The runs to choose from, kept checked by their key; seeds only where the scene is noisy."""
        unchecked = {
            self.run_list.item(k).data(Qt.ItemDataRole.UserRole)
            for k in range(self.run_list.count())
            if self.run_list.item(k).checkState() != Qt.CheckState.Checked
        }
        self.scene = scene
        self.run_list.clear()
        for config, label in zip(scene.runs, scene.labels(), strict=True):
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, config.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if config.key in unchecked else Qt.CheckState.Checked)
            self.run_list.addItem(item)
        self.seeds.setEnabled(scene.noise > 0 or scene.batch_size > 0)
        shown = [row.to_dict() for row in scene.race]
        if shown and shown != self.rows:  # a scene that carries a race's results (a session, say): shown
            self.rows = shown
            self._fill_table()

    def chosen(self) -> list[int]:
        return [k for k in range(self.run_list.count()) if self.run_list.item(k).checkState() == Qt.CheckState.Checked]

    def settings(self) -> race.RaceSettings:
        """What the form says; a ParamError naming the field that is wrong."""
        kind = self.objective.currentData()
        objective = parse_objective(f"steps-to:{self.tol.text().strip()}" if kind == "steps-to" else kind)
        return race.RaceSettings(
            self.trials.value(), objective, self.steps.value(), self.seeds.value(), self.second.isChecked()
        )

    # --- computing ------------------------------------------------------------------
    def start(self) -> None:
        if self.thread is not None:
            self.status.setText("A race is being tuned already; cancel it first.")
            return
        try:
            settings = self.settings()
            indices = self.chosen()
            if not indices:
                raise ParamError("Choose at least one run to race")
        except ParamError as e:
            self.status.setText(f"Not started: {e}")
            return
        scene = self.scene
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)
        self.start_button.setEnabled(False)
        self.status.setText(f"Tuning {len(indices)} run(s), {settings.trials} trials each...")

        def job(progress):
            return scene, indices, race.race(scene, indices, settings, progress)

        self.background.start("race", job)

    def _on_finished(self, key, result) -> None:
        scene, indices, results = result
        self.rows = [row.to_dict() for row in race.table(results)]
        self._fill_table()
        if self.add_beside.isChecked():
            tuned = race.tuned_scene(scene, indices, results)
            for i in indices:
                scene = scene.with_run(tuned.runs[i].spec)
            scene = replace(scene, step_limit=tuned.step_limit, race=tuned.race)
        else:
            scene = race.tuned_scene(scene, indices, results)
        self._done("Tuned. The tuned runs race from the start.")
        self.race_ready.emit(scene)

    def _on_failed(self, text: str) -> None:
        self._done(f"Not tuned: {text}")

    def _on_cancelled(self) -> None:
        self._done("Cancelled; the scene is as it was.")

    def _done(self, text: str) -> None:
        self.status.setText(text)
        self.cancel_button.setEnabled(False)
        self.start_button.setEnabled(True)
        self.background.end()

    # --- the results -----------------------------------------------------------------
    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            tuned = ", ".join(f"{k} = {v:.4g}" for k, v in row["tuned"].items())
            value = "diverged" if row["objective"] is None else f"{row['objective']:.4g}"
            spread = "" if row["seeds"] == 1 or row["spread"] is None else f"{row['spread']:.3g}"
            reach = "never" if row["steps_to_tol"] is None else f"{row['steps_to_tol']:,}"
            for c, text in enumerate((row["run"], tuned, value, spread, reach)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        fair = sorted({row["fairness"] for row in self.rows})
        self.fairness.setText("Fair: " + " · ".join(fair) if fair else "")
        self.export_button.setEnabled(bool(self.rows))

    def save_table(self, path: str) -> None:
        """The results table as CSV or JSON (by the file's suffix); FileProblem says why not."""
        target = Path(path)
        if target.suffix.lower() not in (".csv", ".json"):
            raise FileProblem(f"Save the table as .csv or .json, not {target.suffix or 'no suffix'}")
        check_writable(target)
        with atomic_output(target) as partial:
            if target.suffix.lower() == ".json":
                Path(partial).write_text(json.dumps({"results": self.rows}, indent=1) + "\n", encoding="utf-8")
            else:
                with open(partial, "w", newline="", encoding="utf-8") as f:
                    writer = csv.writer(f)
                    writer.writerow(["run", "optimizer", "tuned", "objective", "spread", "steps_to_tol", "fairness"])
                    for row in self.rows:
                        tuned = ";".join(f"{k}={v:.6g}" for k, v in row["tuned"].items())
                        writer.writerow([row["run"], row["optimizer"], tuned, row["objective"], row["spread"],
                                         row["steps_to_tol"], row["fairness"]])  # fmt: skip

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the race table", "race.csv", "CSV (*.csv);;JSON (*.json)")
        if not path:
            return
        try:
            self.save_table(path)
        except (FileProblem, OSError) as e:
            self.status.setText(f"Not saved: {e}")
            return
        self.status.setText(f"Saved {path}")
