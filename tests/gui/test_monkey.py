"""A monkey: random sequences of everything a user can do to the real window, checked after each.

CI runs a few hundred actions. For thousands, locally:
    ADAMGUI_MONKEY_EXAMPLES=100 ADAMGUI_MONKEY_STEPS=100 .venv/bin/python -m pytest tests/gui/test_monkey.py
"""

import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QDialog, QLabel, QLineEdit, QPushButton

from adamgui.core.optimizers import OPTIMIZERS
from adamgui.core.presets import PRESETS
from adamgui.core.scene import default_scene
from adamgui.core.session import scene_to_dict
from adamgui.core.surfaces import SURFACES
from adamgui.gui.controller import SPEEDS
from adamgui.gui.widgets.numbers import fmt
from tests.gui.helpers import type_text

EXAMPLES = int(os.environ.get("ADAMGUI_MONKEY_EXAMPLES", 20))
STEPS = int(os.environ.get("ADAMGUI_MONKEY_STEPS", 50))  # 1,000 actions in CI

NUMBERS = st.sampled_from(["0.1", "0.5", "1e-3", "3", "0.999", "1e-8", "-1", "0", "abc", "", "1e400", "nan", "2e", "7"])
FORMULAS = st.sampled_from(
    ["x^2 + y^2", "sin(3*x)*cos(2*y)", "log(x)", "sqrt(4 - x^2 - y^2)", "x^2 + (y", "z", "9^9^9^9", "1/0", "abs(x)"]
)


class WindowMonkey(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="adamgui-monkey-"))
        self.files = 0
        self.open_window()

    def open_window(self):
        from adamgui.gui.main_window import MainWindow

        self.window = MainWindow(default_scene())
        self.window.show()
        QTest.qWaitForWindowExposed(self.window)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            QApplication.setActiveWindow(self.window)

    def teardown(self):
        self.window.controller.pause()
        self.window.close()
        self.window.deleteLater()
        QApplication.processEvents()
        shutil.rmtree(self.folder, ignore_errors=True)

    def new_path(self, suffix: str) -> Path:
        self.files += 1
        return self.folder / f"file-{self.files}{suffix}"

    def unchanged_by(self, work):
        """Do ``work``; the window's scene, simulation and shown step must be the same objects after (an export
        pauses playing first: it shows the moment it was asked for)."""
        c = self.c
        scene, sim, t, shown = c.scene, c.sim, c.sim.t, c.shown_step
        work()
        assert c.scene is scene and c.sim is sim and c.sim.t == t and c.shown_step == shown and not c.playing

    @property
    def c(self):
        return self.window.controller

    def action(self, name):
        return self.window.findChild(QAction, name)

    def widget(self, cls, name):
        return self.window.findChild(cls, name)

    # --- what a user does ---------------------------------------------------
    @rule()
    def play_or_pause(self):
        self.action("playAction").trigger()

    @rule(ms=st.integers(0, 120))
    def let_time_pass(self, ms):
        QTest.qWait(ms)

    @rule()
    def step(self):
        self.action("stepAction").trigger()

    @rule()
    def reset(self):
        self.action("resetAction").trigger()

    @rule(index=st.integers(0, len(SPEEDS) - 1))
    def change_speed(self, index):
        self.window.speed_slider.setValue(index)

    @rule(fx=st.floats(-0.1, 1.1), fy=st.floats(-0.1, 1.1))
    def click_on_the_map(self, fx, fy):
        view = self.window.contour_view
        rect = view.viewport().rect()
        pos = QPoint(int(fx * rect.width()), int(fy * rect.height()))
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)

    @rule(
        run=st.integers(0, 5), param=st.sampled_from(["lr", "beta1", "beta2", "eps", "momentum", "alpha"]), text=NUMBERS
    )
    def type_a_hyperparameter(self, run, param, text):
        editor = self.widget(QAbstractSpinBox, f"run{run}_{param}")
        if editor is None or run >= len(self.c.sim.runs):
            return
        before = dict(self.c.sim.runs[run].hp)
        type_text(editor, text)
        after = self.c.sim.runs[run].hp
        p = self.c.sim.runs[run].optimizer.param(param)
        if after != before:  # a change is a valid value, in range
            assert p.validate(after[param]) == after[param]

    @rule(axis=st.sampled_from(["startX", "startY"]), text=NUMBERS)
    def type_a_start(self, axis, text):
        before = self.c.scene.start
        type_text(self.widget(QAbstractSpinBox, axis), text)
        assert all(np.isfinite(self.c.scene.start)) or self.c.scene.start == before

    @rule(name=st.sampled_from(sorted(SURFACES)))
    def switch_surface(self, name):
        selector = self.widget(QComboBox, "surfaceSelector")
        selector.setCurrentIndex(selector.findData(name))

    @rule(name=st.sampled_from(sorted(PRESETS)))
    def load_preset(self, name):
        self.action(f"preset_{name}").trigger()

    @rule(text=FORMULAS)
    def type_a_formula(self, text):
        scene = self.c.scene
        type_text(self.widget(QLineEdit, "formulaEdit"), text)
        if self.c.scene.formula != text.strip():  # refused: nothing changed
            assert self.c.scene == scene

    @precondition(lambda self: len(self.c.sim.runs) < 6)
    @rule(name=st.sampled_from(sorted(OPTIMIZERS)))
    def add_a_run(self, name):
        combo = self.window.panel.add_optimizer
        combo.setCurrentIndex(combo.findData(name))
        before = len(self.c.sim.runs)
        self.window.panel.findChild(QPushButton, "addRunButton").click()
        assert len(self.c.sim.runs) == before + 1

    @precondition(lambda self: len(self.c.sim.runs) > 1)
    @rule(data=st.data())
    def remove_a_run(self, data):
        i = data.draw(st.integers(0, len(self.c.sim.runs) - 1))
        self.window.panel.findChild(QPushButton, f"run{i}_remove").click()

    @precondition(lambda self: len(self.c.sim.runs) > 0)
    @rule(data=st.data())
    def hide_or_show_a_run(self, data):
        i = data.draw(st.integers(0, len(self.c.sim.runs) - 1))
        item = self.window.run_table.item(i, 0)
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    @rule(fraction=st.floats(0, 1))
    def scrub(self, fraction):
        timeline = self.window.timeline
        timeline.setValue(round(fraction * timeline.maximum()))

    @rule(w=st.integers(700, 1700), h=st.integers(500, 1000))
    def resize_window(self, w, h):
        self.window.resize(w, h)

    @rule(dock=st.sampled_from(["parameterPanel", "runsDock", "stepInspector", "plotsDock"]))
    def close_or_reopen_a_dock(self, dock):
        from PySide6.QtWidgets import QDockWidget

        self.window.findChild(QDockWidget, dock).toggleViewAction().trigger()

    @rule(view=st.sampled_from(["window", "contour", "plot", "surface"]), w=st.integers(64, 400), h=st.integers(64, 99))
    def export_a_picture(self, view, w, h):
        from adamgui.gui.export.save import save_image

        path = self.new_path(".png")
        self.unchanged_by(lambda: save_image(self.window, view, path, QSize(w, h)))
        image = QImage(str(path))
        assert (image.width(), image.height()) == (w, h)

    @rule(view=st.sampled_from(["window", "contour", "surface"]), steps=st.integers(1, 4))
    def export_an_animation(self, view, steps):
        import imageio.v3 as iio

        from adamgui.gui.export.save import save_animation

        path = self.new_path(".gif")
        self.unchanged_by(lambda: save_animation(self.window, path, steps, view))
        assert len(iio.imread(path, index=None)) == steps + 1  # one frame per step, step 0 included

    @rule(suffix=st.sampled_from([".csv", ".json"]))
    def export_the_data(self, suffix):
        from adamgui.gui.export.save import save_data

        path = self.new_path(suffix)
        self.unchanged_by(lambda: save_data(self.window, path))
        runs = self.c.sim.runs
        if suffix == ".csv":
            rows = path.read_text().splitlines()
            assert rows[0] == "run,optimizer,step,x,y,loss"
            assert len(rows) == 1 + sum(run.end_step() + 1 for run in runs)
        else:
            doc = json.loads(path.read_text())
            assert doc["steps"] == self.c.sim.t and [r["label"] for r in doc["runs"]] == [r.label for r in runs]

    @precondition(lambda self: os.environ.get("DISPLAY") and QApplication.platformName() == "xcb")
    @rule(steps=st.integers(20, 60), how=st.sampled_from(["close button", "Ctrl+Q"]))
    def close_the_window_during_an_export(self, steps, how):
        """The close button as a window manager sends it (WM_DELETE_WINDOW) or Ctrl+Q typed through the X server,
        during File > Export animation: the export stops at its next frame, no file is left, the window closes.
        A new window then carries on."""
        from Xlib import display as xdisplay

        from adamgui.gui.export import dialogs as export_dialogs
        from tests.gui.test_exit import close_like_a_window_manager, press_ctrl_q

        window, path = self.window, self.new_path(".gif")
        assert window.documents.save_to(self.new_path(".adamgui.json"))  # saved: closing asks nothing
        x = xdisplay.Display()
        target = x.create_resource_object("window", int(window.winId()))
        frames = []

        def on_frame(_frame):
            frames.append(1)
            if len(frames) == 3:  # the export is under way: the user closes the window
                close_like_a_window_manager(x, target) if how == "close button" else press_ctrl_q(x, target)

        window.controller.frame_ready.connect(on_frame)
        asked, chosen = export_dialogs._Options.exec, export_dialogs._ask_path
        export_dialogs._Options.exec = lambda dialog: QDialog.DialogCode.Accepted  # the dialog's OK
        export_dialogs._ask_path = lambda *args: str(path)  # the file dialog's answer
        try:
            window.controller.set_step_limit(max(steps, window.controller.scene.step_limit))
            export_dialogs.export_animation(window)
        finally:
            export_dialogs._Options.exec, export_dialogs._ask_path = asked, chosen
        for _ in range(200):  # the close waits for the export to unwind, then happens
            if not window.isVisible():
                break
            QTest.qWait(25)
        x.close()
        assert len(frames) >= 3, "the export ended before the close was sent"
        assert not window.isVisible(), f"{how} during an export: the window stayed open"
        assert not path.exists() and not list(self.folder.glob(".*partial*")), "the stopped export left a file"
        assert window.uncaught_errors.count == 0
        window.deleteLater()
        QApplication.processEvents()
        self.open_window()

    @rule()
    def save_and_reopen(self):
        c, documents = self.c, self.window.documents
        path = self.new_path(".adamgui.json")
        scene, t = c.scene, c.sim.t
        paths = [run.path().copy() for run in c.sim.runs]
        same_params_all_along = all(len(run.hp_log) == 1 for run in c.sim.runs)
        assert documents.save_to(path) and not documents.modified
        assert documents.open_path(path)
        assert scene_to_dict(c.scene, 0, 0) == scene_to_dict(scene, 0, 0)  # the same scene, defaults written out
        assert c.sim.t == t and not documents.modified and documents.path == path
        if same_params_all_along:  # else the file holds the last values only, as it says
            for before, run in zip(paths, c.sim.runs, strict=True):
                np.testing.assert_array_equal(run.path(), before)

    @rule(steps=st.integers(1, 40))
    def compute_a_basin_map(self, steps):
        maps = self.window.maps
        self.widget(QAbstractSpinBox, "basinResolution").setValue(32)
        self.widget(QAbstractSpinBox, "basinSteps").setValue(steps)
        if self.c.playing:  # a map does not stop the runs playing; stopped here, so that they stand still
            self.action("playAction").trigger()
        self.unchanged_by(lambda: (self.widget(QPushButton, "basinCompute").click(), maps.wait()))
        text = self.widget(QLabel, "mapsStatus").text()
        assert text.startswith(("Done", "Shown from the cache", "Not computed")), text

    # --- what must always hold ----------------------------------------------
    @invariant()
    def nothing_reached_the_event_loop(self):
        assert self.window.uncaught_errors.count == 0

    @invariant()
    def the_counter_is_the_runs_step(self):
        c = self.c
        assert self.window.step_counter.text() == f"Step {c.sim.t} / {c.scene.step_limit}"
        assert all(run.t == c.sim.t for run in c.sim.runs)

    @invariant()
    def every_visible_run_is_drawn_where_the_core_has_it(self):
        c = self.c
        shown = c.shown_step
        for i, (run, config) in enumerate(zip(c.sim.runs, c.scene.runs, strict=True)):
            end = min(run.end_step(), shown)
            expected = run.history.positions[end, 0]
            trail = self.window.contour_view.trails[i]
            assert trail.isVisible() == config.visible
            if config.visible:
                x, y = trail.getData()
                if c.sim.surface.contains(expected):  # inside: the trail ends where the run is
                    assert (x[-1], y[-1]) == (expected[0], expected[1])
                elif len(x):  # outside: the trail is cut at the border, never drawn beyond it
                    assert c.sim.surface.contains(np.array([x[-1], y[-1]]))
            if not c.playing:  # text views refresh at most ten times a second while playing
                assert self.window.run_table.item(i, 3).text() == fmt(expected[0])
                assert self.window.run_table.item(i, 4).text() == fmt(expected[1])
                assert self.window.run_table.item(i, 2).text() == str(end)


@pytest.mark.slow  # a thousand random actions
def test_the_monkey_cannot_break_the_window(qapp):
    run_state_machine_as_test(
        WindowMonkey,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
