"""A plugin's rule that fails in the window (issue 35): its run stops, said in the Runs table; the others play on."""

from dataclasses import replace

import pytest

from adamgui.core.optimizers import OPTIMIZERS
from adamgui.core.scene import RunConfig
from adamgui.core.simulation import RunSpec
from tests.core.test_plugin_faults import RaisesLater
from tests.test_plugins import faulty_site as faulty_site  # (the fixtures, shared)
from tests.test_plugins import registries as registries


def test_a_failing_plugin_run_stops_and_says_so_while_the_others_play_on(window, qtbot, monkeypatch):
    monkeypatch.setitem(OPTIMIZERS, "raises-later", RaisesLater())
    c = window.controller
    scene = c.scene.with_surface("bowl")
    runs = (scene.runs[0], RunConfig(RunSpec("raises-later", {"lr": 0.1}), "#009e73", key=5))
    c.load_scene(replace(scene, runs=runs, step_limit=100))
    c.set_speed(1000)
    c.play()
    qtbot.waitUntil(lambda: c.sim.t >= 30, timeout=10_000)
    c.pause()
    qtbot.waitUntil(lambda: window.run_table.item(1, 6).text().startswith("stopped at step 5"), timeout=3000)
    status = window.run_table.item(1, 6).text()
    assert "the plugin 'raises-later'" in status and "raised RuntimeError: boom" in status
    assert c.sim.runs[0].status_name() in ("running", "converged") and c.sim.runs[0].t == c.sim.t
    c.step_once()  # the window stays usable
    assert c.sim.t >= 31
    c.set_speed(10)


def test_an_installed_failing_plugin_package_in_the_window(window, qtbot, faulty_site, registries, monkeypatch):
    """evil-plugin, installed and loaded as the app loads plugins: in the window its failing runs stop, each said in
    the Runs table, while gd plays on; its surface, wrong left of x = -1.5, is drawn and stops the runs that go there
    with a sentence; a basin map of its rule that is wrong for many points says so instead of drawing; the error net
    never caught anything."""
    import importlib
    import sys
    from types import SimpleNamespace

    from PySide6.QtWidgets import QPushButton, QSpinBox

    from adamgui.core import plugins
    from tests.test_plugins import Fake

    monkeypatch.syspath_prepend(str(faulty_site))
    evil = importlib.import_module("evil_plugin")
    dist = SimpleNamespace(name="evil-plugin")
    entry_points = [
        (plugins.OPTIMIZER_GROUP, Fake(name=n, value=f"evil_plugin:{c}", obj=getattr(evil, c), dist=dist))
        for n, c in (("raises-later", "RaisesLater"), ("exits-later", "ExitsLater"), ("shape-for-many", "ShapeForMany"))
    ] + [(plugins.SURFACE_GROUP, Fake(name="thorny", value="evil_plugin:thorny", obj=evil.thorny, dist=dist))]
    assert plugins.load_plugins(entry_points) == []
    c = window.controller
    scene = c.scene.with_surface("bowl")
    runs = (
        scene.runs[0],
        RunConfig(RunSpec("raises-later"), "#009e73", key=5),
        RunConfig(RunSpec("exits-later"), "#f0e442", key=6),
    )
    c.load_scene(replace(scene, runs=runs, step_limit=100))
    c.advance_to(20)
    qtbot.waitUntil(lambda: window.run_table.item(2, 6).text().startswith("stopped at step 5"), timeout=3000)
    assert "the plugin 'raises-later' from evil-plugin raised RuntimeError" in window.run_table.item(1, 6).text()
    assert "the plugin 'exits-later' from evil-plugin called sys.exit(7)" in window.run_table.item(2, 6).text()
    assert c.sim.runs[0].t == 20 and c.sim.runs[0].status_name() != "failed"

    c.set_surface("thorny")  # drawn (its gradient's holes are NaN, not errors), then a start left of the thorns
    c.set_start(-2.0, 0.5)
    c.advance_to(3)
    qtbot.waitUntil(lambda: window.run_table.item(0, 6).text().startswith("stopped at step 1"), timeout=3000)
    assert "the surface plugin 'thorny' from evil-plugin raised ValueError" in window.run_table.item(0, 6).text()

    c.set_surface("bowl")
    c.load_scene(replace(c.scene, runs=(RunConfig(RunSpec("shape-for-many"), "#009e73", key=0),)))
    window.maps.show()
    window.findChild(QSpinBox, "basinResolution").setValue(8)
    window.findChild(QSpinBox, "basinSteps").setValue(10)
    window.findChild(QPushButton, "basinCompute").click()
    window.maps.wait()
    qtbot.waitUntil(lambda: "No map: the plugin 'shape-for-many'" in window.maps.status.text(), timeout=5000)
    assert window.uncaught_errors.count == 0
    from adamgui.gui.app.uncaught_errors import log_path

    logged = log_path().read_text(encoding="utf-8")
    assert (
        logged.count("contained: run 'raises-later' stopped at step 5: the plugin 'raises-later' from evil-plugin") == 1
    )
    sys.modules.pop("evil_plugin", None)


class SlowStep(RaisesLater.__mro__[1]):  # (the test plugins' base: a counter in its state)
    """A rule whose steps from the third on take 0.4 s: what a window must stay answerable through."""

    name, title = "slow-step", "Slow from step 3"
    seen: list = []  # (step, the override cursor's shape while it ran) of each slow step
    on_slow = None  # called once, inside the first slow step (the user's Pause arriving meanwhile)

    def update(self, g, theta, state, hp):
        import time

        from PySide6.QtWidgets import QApplication

        state["t"] += 1
        if state["t"] >= 3:
            cursor = QApplication.overrideCursor()
            SlowStep.seen.append((state["t"], cursor.shape() if cursor is not None else None))
            if SlowStep.on_slow is not None:
                SlowStep.on_slow()
                SlowStep.on_slow = None
            time.sleep(0.4)
        return hp["lr"] * g, {}


@pytest.mark.parametrize("interrupt", ["pause", "close"])
def test_a_slow_plugin_step_shows_the_busy_cursor_and_a_pause_or_close_meanwhile_is_honoured_next(
    window, qtbot, monkeypatch, interrupt
):
    """Counted, not timed: a Pause, or the close button, asked for while a slow step runs (posted then, as a click
    would be queued) stops the playing (or closes the window) as soon as that step has ended, before any further
    step; the busy cursor is on while the rule runs, and off afterwards."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    monkeypatch.setitem(OPTIMIZERS, "slow-step", SlowStep())
    SlowStep.seen = []
    c = window.controller
    scene = c.scene.with_surface("bowl")
    c.load_scene(replace(scene, runs=(RunConfig(RunSpec("slow-step", {"lr": 0.1}), "#009e73", key=0),), step_limit=50))
    c.set_speed(10)
    asked = c.pause if interrupt == "pause" else window.close
    SlowStep.on_slow = lambda: QTimer.singleShot(0, asked)  # the click, queued during the step
    c.play()
    qtbot.waitUntil(lambda: not c.playing and window.isVisible() == (interrupt == "pause"), timeout=10_000)
    steps = c.sim.t
    qtbot.wait(600)  # (a tick would have come and gone)
    assert c.sim.t == steps and len(SlowStep.seen) == 1  # it came before any further slow step
    assert SlowStep.seen[0][1] == Qt.CursorShape.BusyCursor
    assert QApplication.overrideCursor() is None
