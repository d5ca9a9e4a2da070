"""A plugin's rule that fails in the window (issue 35): its run stops, said in the Runs table; the others play on."""

from dataclasses import replace

from adamgui.core.optimizers import OPTIMIZERS
from adamgui.core.scene import RunConfig
from adamgui.core.simulation import RunSpec
from tests.core.test_plugin_faults import RaisesLater


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
