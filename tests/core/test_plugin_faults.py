"""A plugin's rule that fails after it was let in (issue 35): the run that uses it stops, marked failed with a
sentence naming the plugin, its path kept up to the last good step; the other runs go on, their numbers
untouched; a rule cannot change the engine's numbers by writing into what it is given."""

import sys

import numpy as np
import pytest

from adamgui.core.optimizers import OPTIMIZERS, Optimizer
from adamgui.core.params import lr
from adamgui.core.simulation import RunSpec, Simulation
from adamgui.core.surfaces import get_surface


class _Plugin(Optimizer):
    params = (lr(0.1),)

    def update(self, g, theta, state, hp):
        state["t"] += 1
        if state["t"] >= 5:
            self.misbehave(g, theta)
        return hp["lr"] * g, {}


class RaisesLater(_Plugin):
    name = "raises-later"

    def misbehave(self, g, theta):
        raise RuntimeError(f"boom from raises-later at step {5}")


class ExitsLater(_Plugin):
    name = "exits-later"

    def misbehave(self, g, theta):
        sys.exit(3)


class WrongShape(_Plugin):
    name = "wrong-shape"

    def update(self, g, theta, state, hp):
        state["t"] += 1
        return (hp["lr"] * g if state["t"] < 5 else np.zeros(3)), {}


class Scribbles(_Plugin):
    """Writes into the gradient it is given (and tries θ): the engine's numbers must not change."""

    name = "scribbles"

    def update(self, g, theta, state, hp):
        state["t"] += 1
        step = hp["lr"] * g
        g *= 1000.0
        try:
            theta[...] = 99.0
        except ValueError:  # read-only: the engine's own θ is not the plugin's to write
            pass
        return step, {}


class NaNLater(_Plugin):
    name = "nan-later"

    def misbehave(self, g, theta):
        pass

    def update(self, g, theta, state, hp):
        state["t"] += 1
        return (hp["lr"] * g if state["t"] < 5 else np.full_like(g, np.nan)), {}


@pytest.fixture
def plugins(monkeypatch):
    for cls in (RaisesLater, ExitsLater, WrongShape, Scribbles, NaNLater):
        monkeypatch.setitem(OPTIMIZERS, cls.name, cls())


@pytest.mark.parametrize(
    "name, says",
    [
        ("raises-later", "raised RuntimeError: boom from raises-later at step 5"),
        ("exits-later", "called sys.exit(3)"),
        ("wrong-shape", "returned a step of shape (3,) for 1 point(s)"),
    ],
)
def test_a_failing_rule_stops_its_run_alone_with_a_sentence(plugins, name, says):
    surface = get_surface("bowl")
    sim = Simulation(surface, (2.0, -1.5), [RunSpec("gd"), RunSpec(name, {"lr": 0.1}), RunSpec("adam")])
    alone = Simulation(surface, (2.0, -1.5), [RunSpec("gd"), RunSpec("adam")])
    sim.step(20)
    alone.step(20)
    failed = sim.runs[1]
    assert failed.status_name() == "failed"
    assert failed.status_text() == f"stopped at step 5: the plugin '{name}' from a package not known here {says}"
    assert failed.end_step() == 4
    assert len(failed.path()) == 5  # its path up to the last good step (step 4)...
    recorded = failed.history.positions[:21, 0]
    assert (recorded[5:] == recorded[4]).all()  # ...where it stays
    for run, other in zip((sim.runs[0], sim.runs[2]), alone.runs, strict=True):  # the others, untouched
        np.testing.assert_array_equal(run.path(), other.path())


def test_a_rule_cannot_write_into_the_engine_and_a_nan_step_is_diverged(plugins):
    surface = get_surface("bowl")
    sim = Simulation(surface, (2.0, -1.5), [RunSpec("scribbles", {"lr": 0.1}), RunSpec("nan-later", {"lr": 0.1})])
    gd = Simulation(surface, (2.0, -1.5), [RunSpec("gd", {"lr": 0.1})])
    sim.step(10)
    gd.step(10)
    np.testing.assert_array_equal(sim.runs[0].path(), gd.runs[0].path())  # its writes changed nothing
    assert sim.runs[1].status_text() == "diverged at step 5"  # a NaN step: as for the built-ins


def _cli(tmp_path, *args):
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from tests.core.test_plugin_faults import RaisesLater;"
        "from adamgui.core.optimizers import OPTIMIZERS; OPTIMIZERS['raises-later'] = RaisesLater();"
        "from adamgui import cli; sys.exit(cli.main(sys.argv[2:]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(root), "run", "--surface", "bowl", "--optimizer", "raises-later",
         "--optimizer", "gd", "--steps", "20", *args],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip


def test_the_command_line_writes_what_it_has_says_the_sentence_and_exits_2(tmp_path):
    proc = _cli(tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert (
        "adamgui: error: run 'raises-later' stopped at step 5: the plugin 'raises-later' from a package not known "
        "here raised RuntimeError: boom from raises-later at step 5 (its path was written up to there)"
    ) in proc.stderr
    rows = proc.stdout.splitlines()
    assert rows[0] == "run,optimizer,step,x,y,loss"
    assert sum(r.startswith("raises-later,") for r in rows) == 5 and sum(r.startswith("gd,") for r in rows) == 21
    out = tmp_path / "paths.csv"
    proc = _cli(tmp_path, "--output", str(out))  # all or nothing: no file when a run stopped
    assert proc.returncode == 2 and f"{out} was not written" in proc.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []
