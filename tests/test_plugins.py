"""Plugins: a package installed from tests/plugin_example adds an optimizer and a surface everywhere
(the window's lists, the command line, a session), and a broken one is said once and skipped."""

import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from adamgui.core import plugins
from adamgui.core.optimizers import OPTIMIZERS, Optimizer
from adamgui.core.params import lr
from adamgui.core.surfaces import SURFACES, surface_from_formula

ROOT = Path(__file__).resolve().parents[1]


def install(folder: str, tmp_path_factory) -> Path:
    """tests/<folder>, a plugin package, installed with pip into a folder of its own (built from a copy: the tests
    leave no build files behind); the folder goes on PYTHONPATH where a test wants the plugin."""
    work = tmp_path_factory.mktemp(folder)
    source = shutil.copytree(ROOT / "tests" / folder, work / "source")
    site = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--target", str(site),
         str(source)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return site


@pytest.fixture(scope="session")
def plugin_site(tmp_path_factory):
    """tests/plugin_example: one optimizer, one surface, one broken entry point."""
    return install("plugin_example", tmp_path_factory)


@pytest.fixture
def registries():
    """Whatever a test lets in is taken out again afterwards: the built-in lists as they were."""
    optimizers, surfaces, loaded = dict(OPTIMIZERS), dict(SURFACES), plugins._loaded
    sources = dict(plugins._SOURCES)  # (which package each plugin came from: a later test's sentences read it)
    yield
    plugins._SOURCES.clear()
    plugins._SOURCES.update(sources)
    OPTIMIZERS.clear()
    OPTIMIZERS.update(optimizers)
    SURFACES.clear()
    SURFACES.update(surfaces)
    plugins._loaded = loaded


def cli(site, *args, env_extra=True):
    import os

    env = dict(os.environ)
    if env_extra:
        env["PYTHONPATH"] = str(site)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )


def test_the_command_line_lists_and_runs_the_plugins_and_says_the_broken_one_once(plugin_site):
    out = cli(plugin_site, "list")
    assert out.returncode == 0
    assert "polyak" in out.stdout and "mu = 0.8, [0, 1): how much of the velocity is kept" in out.stdout
    assert "tilted-ring" in out.stdout and "(x^2 + y^2 - 4)^2 / 8 + 0.3*x" in out.stdout
    warnings = [line for line in out.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert "'broken = adamgui_example_plugin:NoSuchOptimizer' from adamgui-example-plugin was skipped" in warnings[0]
    assert "Traceback" not in out.stderr
    run = cli(plugin_site, "run", "--surface", "tilted-ring", "--optimizer", "polyak:lr=0.05,mu=0.5", "--steps", "2",
              "--format", "json")  # fmt: skip
    assert run.returncode == 0, run.stderr
    path = np.array(json.loads(run.stdout)["runs"][0]["path"])

    # by hand: ∇f = ((x² + y² − 4)x/2 + 0.3, (x² + y² − 4)y/2); v₁ = g₁, v₂ = 0.5 v₁ + g₂
    def grad(p):
        r = p[0] ** 2 + p[1] ** 2 - 4
        return np.array([r * p[0] / 2 + 0.3, r * p[1] / 2])

    start = np.array([2.5, 1.5])
    v1 = grad(start)
    p1 = start - 0.05 * v1
    p2 = p1 - 0.05 * (0.5 * v1 + grad(p1))
    np.testing.assert_allclose(path, [start, p1, p2], rtol=1e-12)


def test_a_session_with_a_plugin_optimizer_replays_and_without_the_plugin_is_refused_by_name(
    plugin_site, tmp_path, registries
):
    sys.path.insert(0, str(plugin_site))
    try:
        plugins._loaded = False
        plugins.load_plugins()
    finally:
        sys.path.remove(str(plugin_site))
    from adamgui.core.scene import RunConfig, Scene
    from adamgui.core.session import save
    from adamgui.core.simulation import RunSpec

    scene = Scene("tilted-ring", (2.5, 1.5), (RunConfig(RunSpec("polyak", {"lr": 0.03}), "#cc79a7"),), 100)
    save(tmp_path / "s.json", scene, 5)
    sim = scene.simulation()
    sim.step(5)
    replay = cli(plugin_site, "run", "--session", str(tmp_path / "s.json"), "--format", "json")
    assert replay.returncode == 0, replay.stderr
    last = json.loads(replay.stdout)["runs"][0]["path"][-1]
    np.testing.assert_allclose(last, sim.runs[0].theta[0], rtol=1e-12)
    without = cli(plugin_site, "run", "--session", str(tmp_path / "s.json"), env_extra=False)
    assert without.returncode == 2 and "Traceback" not in without.stderr
    assert "tilted-ring" in without.stderr or "polyak" in without.stderr


def test_the_window_lists_the_plugins_optimizer_and_surface_and_runs_them(plugin_site, registries, qtbot, monkeypatch):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QComboBox, QMessageBox, QPushButton

    from adamgui.core.scene import default_scene
    from adamgui.gui.main_window import MainWindow
    from tests.gui.helpers import find

    monkeypatch.syspath_prepend(str(plugin_site))
    plugins._loaded = False
    problems = plugins.load_plugins()
    assert len(problems) == 1 and "NoSuchOptimizer" in problems[0]
    assert plugins.load_plugins() == []  # said once
    w = MainWindow(default_scene())
    qtbot.addWidget(w)
    w.show()
    box = w.tell_skipped_plugins(problems)
    assert not box.isModal() and "NoSuchOptimizer" in box.informativeText()
    box.close()
    surfaces = find(w, QComboBox, "surfaceSelector")
    surfaces.setCurrentIndex(surfaces.findData("tilted-ring"))
    assert w.controller.scene.surface == "tilted-ring"
    adder = find(w, QComboBox, "addRunOptimizer")
    assert adder.findData("polyak") >= 0 and adder.itemText(adder.findData("polyak")) == "Heavy ball (Polyak)"
    adder.setCurrentIndex(adder.findData("polyak"))
    find(w, QPushButton, "addRunButton").click()
    assert [r.spec.optimizer for r in w.controller.scene.runs][-1] == "polyak"
    for _ in range(3):
        find(w, QAction, "stepAction").trigger()
    run = w.controller.sim.runs[-1]
    assert run.t == 3 and np.isfinite(run.theta).all()
    w.controller.pause()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


class Fake(SimpleNamespace):
    """An entry point as importlib.metadata gives it: a name, a value and load()."""

    def load(self):
        if isinstance(self.obj, Exception):
            raise self.obj
        return self.obj


class Raises(Optimizer):
    name, title, params = "raises", "Raises", (lr(0.1),)

    def update(self, g, theta, state, hp):
        raise ZeroDivisionError("oops")


class WrongShape(Optimizer):
    name, title, params = "wrong-shape", "Wrong shape", (lr(0.1),)

    def update(self, g, theta, state, hp):
        return g[:, :1], {}


class Missing(Optimizer):
    name, title, params, explain = "missing-term", "Missing", (lr(0.1),), (("m", "m_t", "?"),)

    def update(self, g, theta, state, hp):
        return g, {}


class Clash(Optimizer):
    name, title, params = "adam", "Adam again", (lr(0.1),)

    def update(self, g, theta, state, hp):
        return g, {}


class BadName(Clash):
    name = "Bad Name!"


class Exits(Optimizer):
    name, title, params = "exits", "Exits", (lr(0.1),)

    def update(self, g, theta, state, hp):
        raise SystemExit(3)


class Sleeps(Optimizer):
    name, title, params = "sleeps", "Sleeps", (lr(0.1),)

    def update(self, g, theta, state, hp):
        import time

        time.sleep(0.5)  # three steps: 1.5 s, past the test's bound of 0.3 s
        return hp["lr"] * g, {}


@pytest.mark.parametrize(
    ("group", "obj", "says"),
    [
        (plugins.OPTIMIZER_GROUP, ImportError("no module named torch"), "could not be imported (ImportError"),
        (plugins.OPTIMIZER_GROUP, Raises, "its update rule failed on a bowl (ZeroDivisionError: oops)"),
        (plugins.OPTIMIZER_GROUP, WrongShape, "a step of shape (3, 1)"),
        (plugins.OPTIMIZER_GROUP, Missing, "terms its update does not give: m"),
        (plugins.OPTIMIZER_GROUP, Clash, "'adam' is taken by an optimizer already there"),
        (plugins.OPTIMIZER_GROUP, BadName, "is not a lowercase name"),
        (plugins.OPTIMIZER_GROUP, 42, "it is not an Optimizer"),
        (plugins.OPTIMIZER_GROUP, Exits, "trying it raised SystemExit: 3"),
        (
            plugins.SURFACE_GROUP,
            lambda: surface_from_formula("bowl", "B", "x^2", (-1, 1), (-1, 1), (0.5, 0.5)),
            "taken",
        ),
        (plugins.SURFACE_GROUP, lambda: surface_from_formula("far", "F", "x^2", (-1, 1), (-1, 1), (5, 5)), "outside"),
        (plugins.SURFACE_GROUP, lambda: surface_from_formula("bad", "B", "x^^2", (-1, 1), (-1, 1), (0, 0)), "raised"),
        (plugins.SURFACE_GROUP, lambda: surface_from_formula("log", "L", "log(x)", (-2, -1), (-1, 1), (-1.5, 0)), "f"),
        (plugins.SURFACE_GROUP, "text", "it is not a Surface"),
    ],
)
def test_a_broken_plugin_is_skipped_with_a_sentence_and_the_lists_stay_as_they_were(group, obj, says, registries):
    before = (dict(OPTIMIZERS), dict(SURFACES))
    ep = Fake(name="thing", value="pkg:thing", obj=obj, dist=SimpleNamespace(name="some-package"))
    problems = plugins.load_plugins([(group, ep)])
    assert len(problems) == 1
    assert "'thing = pkg:thing' from some-package was skipped" in problems[0] and says in problems[0], problems[0]
    assert (OPTIMIZERS, SURFACES) == before


def test_version_and_help_load_no_plugin(plugin_site):
    """`--version` and `--help` need no plugin: none is loaded (a slow or broken one cannot delay or clutter them);
    `list` with the same plugins installed still says the broken one."""
    for args in (["--version"], ["--help"], ["-h"]):
        out = cli(plugin_site, *args)
        assert out.returncode == 0 and "warning" not in out.stderr, args
    assert "was skipped" in cli(plugin_site, "list").stderr


def test_a_plugin_too_slow_to_try_is_skipped_without_holding_up_the_start(registries, monkeypatch):
    """An optimizer whose step sleeps made every start (even --version) wait 30 s for its three-step trial: the trial
    has a bound (2 s; 0.3 s here), and past it the plugin is skipped with a sentence while the app goes on."""
    monkeypatch.setattr(plugins, "CHECK_SECONDS", 0.3)
    ep = Fake(name="slow", value="pkg:Sleeps", obj=Sleeps, dist=SimpleNamespace(name="slow-package"))
    problems = plugins.load_plugins([(plugins.OPTIMIZER_GROUP, ep)])
    assert problems == [
        "The optimizer plugin 'slow = pkg:Sleeps' from slow-package was skipped: trying it for three steps took more "
        "than 0.3 s."
    ]
    assert "sleeps" not in OPTIMIZERS


@pytest.fixture(scope="session")
def faulty_site(tmp_path_factory):
    """tests/plugin_faulty, the package evil-plugin: optimizers and surfaces that fail after they load."""
    return install("plugin_faulty", tmp_path_factory)


def _rows(out: str) -> dict[str, list]:
    import csv
    import io

    runs: dict[str, list] = {}
    for row in csv.DictReader(io.StringIO(out)):
        runs.setdefault(row["run"], []).append((float(row["x"]), float(row["y"])))
    return runs


@pytest.mark.parametrize(
    "optimizer, status, says",
    [
        ("raises-later", 2, "run 'raises-later' stopped at step 5: the plugin 'raises-later' from evil-plugin raised "
         "RuntimeError: boom from raises-later at step 5 (its path was written up to there)"),
        ("exits-later", 2, "run 'exits-later' stopped at step 5: the plugin 'exits-later' from evil-plugin called "
         "sys.exit(7)"),
        ("nan-later", 0, ""),
        ("scribbles", 0, ""),
        ("shape-for-many", 0, ""),
    ],
)  # fmt: skip
def test_an_installed_plugin_failing_after_it_loads_stops_its_run_alone_in_the_command_line(
    faulty_site, optimizer, status, says
):
    """Each failure of evil-plugin's optimizers, through `run`: the run that uses it stops with the sentence (status
    2) and keeps its path to the last good step; gd beside it runs all 12 steps; a NaN step is a divergence, as for
    a built-in; a rule that writes into its inputs changes nothing of the engine's; one wrong only for many points is
    right for one. No traceback anywhere."""
    out = cli(faulty_site, "run", "--surface", "bowl", "--optimizer", optimizer, "--optimizer", "gd", "--steps", "12")
    assert out.returncode == status, out.stderr
    assert "Traceback" not in out.stderr and says in out.stderr
    runs = _rows(out.stdout)
    assert len(runs["gd"]) == 13
    if optimizer in ("raises-later", "exits-later"):
        assert len(runs[optimizer]) == 5  # steps 0 to 4, the last good one
    if optimizer == "nan-later":
        detail = json.loads(
            cli(faulty_site, "run", "--surface", "bowl", "--optimizer", optimizer, "--steps", "12", "--format",
                "json").stdout
        )  # fmt: skip
        assert detail["runs"][0]["status"] == "diverged" and detail["runs"][0]["status_step"] == 5
    if optimizer == "scribbles":  # its steps are lr·g: gd's own path (it could not write into the engine's numbers)
        np.testing.assert_allclose(runs[optimizer], runs["gd"], rtol=1e-12)


def test_an_installed_surface_failing_at_some_points_and_a_rule_wrong_for_many_are_said(faulty_site):
    """evil-plugin's surface raises left of x = -1.5: every run reaching there stops, said (status 2); a start there
    stops at step 1. A map of a rule wrong for many points writes no map but the sentence."""
    out = cli(faulty_site, "run", "--surface", "thorny", "--start=2,0", "--optimizer", "gd:lr=0.9", "--steps", "6")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert ("run 'gd' stopped at step 2: the surface plugin 'thorny' from evil-plugin raised ValueError: no gradient "
            "left of x = -1.5") in out.stderr  # fmt: skip
    assert _rows(out.stdout)["gd"] == [(2.0, 0.0), (-1.6, 0.0)]
    fine = cli(faulty_site, "run", "--surface", "thorny", "--start=2,1", "--optimizer", "gd", "--steps", "6")
    assert fine.returncode == 0, fine.stderr  # right of the thorns: nothing to say
    mapped = cli(faulty_site, "map", "--surface", "bowl", "--optimizer", "shape-for-many", "--resolution", "8",
                 "--steps", "10", "--output", str(faulty_site.parent / "m.npy"))  # fmt: skip
    assert mapped.returncode == 2 and "No map: the plugin 'shape-for-many' from evil-plugin returned a step" in (
        mapped.stderr
    )
    assert not (faulty_site.parent / "m.npy").exists()
    swept = cli(faulty_site, "sweep", "--surface", "thorny", "--start=2,0", "--optimizer", "momentum", "--x",
                "lr:0.01:1.5:4", "--y", "beta1:0.1:0.9:3", "--steps", "10", "--output",
                str(faulty_site.parent / "s.npy"))  # fmt: skip
    assert swept.returncode == 2 and "Traceback" not in swept.stderr  # (lr 1.5 steps left of the thorns)
    assert "No sweep: the surface plugin 'thorny' from evil-plugin raised ValueError" in swept.stderr
    assert not (faulty_site.parent / "s.npy").exists()


def test_a_plugin_surface_that_writes_into_its_inputs_or_answers_in_another_shape_is_contained(faulty_site):
    """evil-plugin's spiky bowl writes into the arrays it is given (it gets copies: the paths are GD's on x² + y²)
    and, right of x = 1, gives one gradient for many points: the run that steps there stops with the sentence."""
    fine = cli(faulty_site, "run", "--surface", "spiky", "--start=-2.5,0.5", "--optimizer", "gd:lr=0.1", "--steps", "5")
    assert fine.returncode == 0, fine.stderr
    path = np.array(_rows(fine.stdout)["gd"])
    np.testing.assert_allclose(path, np.array([[-2.5, 0.5]]) * 0.8 ** np.arange(6)[:, None], rtol=1e-12)
    spiked = cli(faulty_site, "map", "--surface", "spiky", "--optimizer", "gd", "--resolution", "8", "--steps", "3",
                 "--output", str(faulty_site.parent / "s.npy"))  # fmt: skip
    assert spiked.returncode == 2 and "Traceback" not in spiked.stderr
    assert "No map: the surface plugin 'spiky' from evil-plugin returned values of another shape" in spiked.stderr


def test_a_plugin_step_that_sleeps_is_waited_for_and_ctrl_c_during_it_ends_the_command(faulty_site):
    """evil-plugin's sleeps-later sleeps in its fifth step (10 s unless told): `run` waits and finishes (a slow
    step is no fault); Ctrl+C during the sleep ends the command at once, said, status 130, no traceback."""
    import os
    import signal

    env = {**os.environ, "PYTHONPATH": str(faulty_site), "EVIL_PLUGIN_SLEEP": "0.3"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "run", "--surface", "bowl", "--optimizer", "sleeps-later", "--steps",
         "5"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and len(_rows(done.stdout)["sleeps-later"]) == 6, done.stderr
    env["EVIL_PLUGIN_SLEEP"] = "30"
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys, runpy; print('go', flush=True); sys.argv = ['main.py', 'run', "
         "'--surface', 'bowl', '--optimizer', 'sleeps-later', '--steps', '5']; runpy.run_path('main.py', "
         "run_name='__main__')"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout.readline().strip() == "go"
        import time

        time.sleep(3)  # (well into the plugins' load and its sleeping fifth step)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)  # not the 30 s the step would sleep
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err, err
