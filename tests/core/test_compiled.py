"""The compiled engine (core/compiled.py) gives the numpy engine's numbers to the last bit: every rule it
knows, on every surface it knows, with noise, runs that converge, diverge and leave the map, checkpoints
and the inspector's terms; and it is really the one stepping."""

import threading

import pytest

from adamgui.core import compiled
from adamgui.core.optimizers import OPTIMIZERS
from adamgui.core.run_stack import RunStack
from adamgui.core.schedules import parse_schedule
from adamgui.core.simulation import RunSpec, Simulation
from adamgui.core.surfaces import formula_surface, get_surface
from tests.core.test_run_stack import _assert_same

START = {"saddle": (-4.0, 0.4), "bowl": (2.0, -1.5), "ravine": (-4.0, 1.0), "rosenbrock": (-1.5, 2.0)}
START |= {"himmelblau": (-0.5, 0.5), "booth": (-6.0, 8.0)}


@pytest.fixture
def counted(monkeypatch):
    """The kernel, counting its calls and the steps they took."""
    kernel = compiled.kernel()
    assert kernel is not None, "numba is a dependency: the compiled engine must be there"
    calls = {"calls": 0, "steps": 0}

    def counting(*args):
        calls["calls"] += 1
        calls["steps"] += args[11]
        return kernel(*args)

    monkeypatch.setattr(compiled, "_kernel", counting)
    return calls


def _specs(lr_scale=1.0):
    """Every rule the kernel knows, at a modest α and at one that overshoots, plus one that lands exactly."""
    specs = []
    for name in compiled.RULES:
        default = OPTIMIZERS[name].defaults()["lr"]
        specs += [RunSpec(name, {"lr": default * 0.1 * lr_scale}), RunSpec(name, {"lr": default * 30 * lr_scale})]
    specs.append(RunSpec("gd", {"lr": 0.5}))  # on the bowl: the minimum in one step, then at rest (converged)
    specs.append(RunSpec("adam", {"lr": 0.05, "bias_correction": False}))
    specs.append(RunSpec("nadam", {"lr": 0.02, "momentum_decay": 0.1}))
    return specs


def _both(make, steps, monkeypatch):
    monkeypatch.setenv(compiled.ENGINE_ENV, "numpy")
    plain = make()
    plain.step(steps)
    assert not any(isinstance(g, RunStack) and g.compilable for g in plain._groups())
    monkeypatch.delenv(compiled.ENGINE_ENV)
    fast = make()
    fast.step(steps)
    return plain, fast


@pytest.mark.parametrize("surface_name", sorted(compiled.SURFACES))
def test_every_rule_compiled_is_bit_for_bit_numpy(surface_name, counted, monkeypatch):
    surface = get_surface(surface_name)
    specs = _specs()

    def make():
        return Simulation(surface, START[surface_name], specs, noise=0.3, seed=5)

    plain, fast = _both(make, 700, monkeypatch)  # checkpoints at 128, 256, ...
    assert counted["steps"] >= 690  # all but the last step of each stretch between checkpoints, compiled
    for run, numpy_run in zip(fast.runs, plain.runs, strict=True):
        _assert_same(run, numpy_run, 700)
    statuses = {run.status_name() for run in fast.runs}
    assert "diverged" in statuses and "running" in statuses


def test_runs_that_converge_diverge_and_leave_are_marked_alike(counted, monkeypatch):
    surface = get_surface("bowl")
    specs = [RunSpec("gd", {"lr": 0.5}), RunSpec("gd", {"lr": 1.5}), RunSpec("sign", {"lr": 0.7}), RunSpec("gd")]

    def make():
        return Simulation(surface, (2.0, -1.5), specs)

    plain, fast = _both(make, 700, monkeypatch)  # the doubling run overflows near step 510
    assert counted["calls"] > 0
    for run, numpy_run in zip(fast.runs, plain.runs, strict=True):
        _assert_same(run, numpy_run, 700)
    assert fast.runs[0].status_text() == "converged at step 1"
    assert [run.status_name() for run in fast.runs] == ["converged", "diverged", "running", "converged"]


def test_noise_on_some_runs_only_and_one_compiled_run_alone(counted, monkeypatch):
    surface = get_surface("rosenbrock")
    specs = [RunSpec("adam", {"lr": 0.01}), RunSpec("momentum", {"lr": 1e-3})]

    def make():
        sim = Simulation(surface, (-1.5, 2.0), specs, noise=0.0, seed=2)
        sim.runs[1].noise = 0.4  # one noisy run in a quiet stack: its draws on its rows only
        sim._grouped = None
        return sim

    plain, fast = _both(make, 400, monkeypatch)
    for run, numpy_run in zip(fast.runs, plain.runs, strict=True):
        _assert_same(run, numpy_run, 400)

    def single():
        return Simulation(surface, (-1.5, 2.0), [RunSpec("adamw", {"lr": 0.02})], noise=0.2, seed=1)

    before = counted["calls"]
    plain, fast = _both(single, 300, monkeypatch)
    assert counted["calls"] > before  # a single run is a stack of one, compiled
    _assert_same(fast.runs[0], plain.runs[0], 300)


def test_what_the_kernel_does_not_know_steps_in_numpy():
    bowl = get_surface("bowl")
    assert compiled.supports(Simulation(bowl, (1, 1), [RunSpec("adam")]).runs[0])
    not_known = [
        Simulation(bowl, (1, 1), [RunSpec("adam", schedule=parse_schedule("cosine:T_max=40"))]),  # a schedule
        Simulation(bowl, (1, 1), [RunSpec("schedulefree-adamw")]),
        Simulation(formula_surface("x^2 + y^2"), (1, 1), [RunSpec("adam")]),  # a typed formula: numpy's own pow
        Simulation(get_surface("ackley"), (1, 1), [RunSpec("adam")]),  # exp and cos
    ]
    for sim in not_known:
        assert not compiled.supports(sim.runs[0])


def test_the_numpy_setting_turns_it_off(monkeypatch):
    monkeypatch.setenv(compiled.ENGINE_ENV, "numpy")
    assert compiled.kernel() is None
    assert not compiled.supports(Simulation(get_surface("bowl"), (1, 1), [RunSpec("adam")]).runs[0])


def test_warm_up_compiles_on_another_thread_and_steps_go_through_numpy_meanwhile(monkeypatch):
    """While the background build holds the lock, kernel() answers None at once (numpy steps); then the kernel."""
    built = compiled.kernel()
    monkeypatch.setattr(compiled, "_state", "untried")
    release = threading.Event()
    entered = threading.Event()

    def slow_build():
        entered.set()
        release.wait(10)
        return built

    monkeypatch.setattr(compiled, "_build", slow_build)
    compiled.warm_up()
    assert entered.wait(10)
    assert compiled.kernel() is None  # compiling: the caller does not wait
    release.set()
    with compiled._lock:  # the build is done once the lock is free
        pass
    assert compiled.kernel() is built
