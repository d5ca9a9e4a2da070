"""Runs on one surface are stepped as one stack (and runs of one optimizer that differ in α with one call of
their rule): every number as if each ran alone."""

from dataclasses import replace

import numpy as np
import pytest

from adamgui.core.optimizers import OPTIMIZERS
from adamgui.core.run_stack import RunStack
from adamgui.core.schedules import parse_schedule
from adamgui.core.simulation import Run, RunSpec, Simulation
from adamgui.core.surfaces import formula_surface, get_surface

LRS = (0.3, 0.01, 0.05, 0.003, 1.7)  # the last one diverges on most surfaces


def _alone(surface, start, spec, steps, noise=0.0, key=0):
    run = Run(spec, surface, np.array([start]), noise=noise, seed=[0, key], key=key)
    for _ in range(steps):
        run.step()
    return run


def _assert_same(run, alone, steps):
    np.testing.assert_array_equal(run.history.positions[: steps + 1], alone.history.positions[: steps + 1])
    if alone.history.grads is not None:
        np.testing.assert_array_equal(run.history.grads[:steps], alone.history.grads[:steps])
    np.testing.assert_array_equal(run.status, alone.status)
    np.testing.assert_array_equal(run.status_step, alone.status_step)
    np.testing.assert_array_equal(run.left_step, alone.left_step)
    np.testing.assert_array_equal(run.loss, alone.loss)
    for key, value in alone.state.items():
        np.testing.assert_array_equal(run.state[key], value)
    assert sorted(run.checkpoints) == sorted(alone.checkpoints)
    for step, state in alone.checkpoints.items():
        for key, value in state.items():
            np.testing.assert_array_equal(run.checkpoints[step][key], value)
    assert run.last_terms.keys() == alone.last_terms.keys()
    for key, value in alone.last_terms.items():
        np.testing.assert_array_equal(run.last_terms[key], value)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("surface_name, start", [("rosenbrock", (-1.5, 2.0)), ("saddle", (-4.0, 0.4))])
def test_stepped_together_every_run_is_bit_for_bit_what_it_is_alone(name, surface_name, start):
    surface = get_surface(surface_name)
    specs = [RunSpec(name, {"lr": lr}) for lr in LRS]
    sim = Simulation(surface, start, specs)
    groups = sim._groups()
    assert len(groups) == 1 and isinstance(groups[0], RunStack)  # all five in one batch
    sim.step(150)
    for run, spec in zip(sim.runs, specs, strict=True):
        _assert_same(run, _alone(surface, start, spec, 150), 150)


@pytest.mark.parametrize(
    "surface, start",
    [
        (get_surface("ackley"), (-3.3, 2.9)),
        (get_surface("rastrigin"), (2.2, -1.7)),
        (get_surface("beale"), (1.0, 1.4)),
        (formula_surface("log(1 + x**2) + sin(3*y) * exp(-y**2 / 4) + sqrt(x**2 + y**2 + 1)"), (2.5, -1.5)),
    ],
)
def test_every_optimizer_in_one_stack_is_bit_for_bit_what_it_is_alone(surface, start):
    """All optimizers at once (two Adams sharing a rule call, a scheduled one, a noisy one), on surfaces
    whose gradients use exp, sin, cos, log and sqrt: one gradient call for the stack gives each run's numbers."""
    specs = [RunSpec(name, {"lr": 0.02}) for name in sorted(OPTIMIZERS)]
    specs += [RunSpec("adam", {"lr": 0.2}), RunSpec("adam", {"lr": 1e-3}, schedule=parse_schedule("cosine:T_max=40"))]
    sim = Simulation(surface, start, specs, noise=0.0)
    groups = sim._groups()
    assert len(groups) == 1 and isinstance(groups[0], RunStack)
    assert len(groups[0].rules) == len(OPTIMIZERS) + 1  # the two constant-α Adams: one call
    sim.step(200)
    for run, spec in zip(sim.runs, specs, strict=True):
        _assert_same(run, _alone(surface, start, spec, 200, key=run.key), 200)


def test_noisy_runs_are_stacked_each_with_its_own_noise():
    surface = get_surface("rosenbrock")
    specs = [RunSpec("adam", {"lr": 0.05}), RunSpec("adam", {"lr": 0.01}), RunSpec("momentum", {"lr": 1e-3})]
    sim = Simulation(surface, (-1.5, 2.0), specs, noise=0.7, seed=0)
    assert (
        isinstance(sim._groups()[0], RunStack) and len(sim._groups()[0].rules) == 2
    )  # noise added first: one call for both adams
    sim.step(130)
    for run, spec in zip(sim.runs, specs, strict=True):
        _assert_same(run, _alone(surface, (-1.5, 2.0), spec, 130, noise=0.7, key=run.key), 130)
    assert not np.array_equal(sim.runs[0].history.grads[:130], sim.runs[1].history.grads[:130])


def test_only_runs_that_differ_in_alpha_alone_share_a_rule_call():
    surface = get_surface("rosenbrock")
    specs = [
        RunSpec("adam", {"lr": 0.1}),
        RunSpec("adam", {"lr": 0.01}),
        RunSpec("adam", {"lr": 0.01, "beta1": 0.8}),  # another β₁: alone
        RunSpec("gd", {"lr": 0.001}),  # another optimizer: alone
        RunSpec("adam", {"lr": 0.02}),
    ]
    sim = Simulation(surface, (-1.5, 2.0), specs)
    groups = sim._groups()
    assert len(groups) == 1 and isinstance(groups[0], RunStack)  # one stack
    calls = [[r.spec.params for r in rule.members] for rule in groups[0].rules]
    assert calls == [[{"lr": 0.1}, {"lr": 0.01}, {"lr": 0.02}], [{"lr": 0.01, "beta1": 0.8}], [{"lr": 0.001}]]
    sim.step(5)
    sim.set_params(1, {"lr": 0.5})
    sim.set_params(1, {"lr": 0.2})  # new values, twice before a step: grouped anew with the last
    assert sim._groups() is not groups
    sim.step(5)
    again = Run(RunSpec("adam", {"lr": 0.01}), surface, np.array([(-1.5, 2.0)]))
    for _ in range(5):
        again.step()
    again.set_params({"lr": 0.2})
    for _ in range(5):
        again.step()
    np.testing.assert_array_equal(sim.runs[1].history.positions[:11], again.history.positions[:11])


def test_minibatch_runs_step_alone_and_a_run_added_later_joins_a_new_stack():
    from dataclasses import replace

    from adamgui.core.scene import default_scene

    scene = replace(default_scene().with_surface("neuron"), batch_size=5)
    assert not any(isinstance(g, RunStack) for g in scene.simulation()._groups())
    sim = Simulation(get_surface("saddle"), (-4.0, 0.4), [RunSpec("gd", {"lr": 0.1}), RunSpec("adam", {"lr": 0.1})])
    sim.step(7)
    sim.add_run(RunSpec("rmsprop", {"lr": 0.01}), key=5)  # caught up alone, then stacked with the others
    groups = sim._groups()
    assert len(groups) == 1 and len(groups[0].runs) == 3
    sim.step(30)
    _assert_same(sim.runs[2], _alone(get_surface("saddle"), (-4.0, 0.4), RunSpec("rmsprop", {"lr": 0.01}), 37), 37)
    _assert_same(sim.runs[0], _alone(get_surface("saddle"), (-4.0, 0.4), RunSpec("gd", {"lr": 0.1}), 37), 37)


def _one_at_a_time(sim_factory, steps):
    sim = sim_factory()
    for _ in range(steps):
        sim.step()
    return sim


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_many_steps_in_one_call_are_bit_for_bit_one_step_at_a_time(name, monkeypatch):
    """Simulation.step(n) steps a stack in blocks, noise drawn a block at a time: with noise, a schedule on
    one run and blocks of 7 steps (so checkpoints and block ends fall anywhere), every number is the same
    as stepping one step a call, and as each run alone."""
    import adamgui.core.run_stack as run_stack

    monkeypatch.setattr(run_stack, "BLOCK_BYTES", 7 * 16 * 3)  # three one-point runs: 7 steps a block
    surface = get_surface("rosenbrock")
    specs = [
        RunSpec(name, {"lr": 0.01}),
        RunSpec(name, {"lr": 0.003}),
        RunSpec(name, {"lr": 0.02}, schedule=parse_schedule("cosine:T_max=100")),
    ]

    def make():
        return Simulation(surface, (-1.5, 2.0), specs, noise=0.5, seed=3)

    blocked = make()
    blocked.step(300)
    single = _one_at_a_time(make, 300)
    for run, one in zip(blocked.runs, single.runs, strict=True):
        _assert_same(run, one, 300)
    for run in blocked.runs:
        alone = Run(run.spec, surface, np.array([(-1.5, 2.0)]), noise=0.5, seed=[3, run.key], key=run.key)
        for _ in range(300):
            alone.step()
        _assert_same(run, alone, 300)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_many_steps_in_one_call_with_minibatches_are_one_step_at_a_time(name):
    """Runs with minibatches step alone; step(n) gives what n calls of step() give, noise included."""
    from adamgui.core.scene import default_scene

    scene = replace(default_scene().with_surface("linear-regression"), batch_size=5, noise=0.2)
    scene = replace(scene, runs=tuple(replace(r, spec=RunSpec(name)) for r in scene.runs))
    blocked = scene.simulation()
    blocked.step(150)
    single = _one_at_a_time(scene.simulation, 150)
    for run, one in zip(blocked.runs, single.runs, strict=True):
        assert run.batches is not None
        _assert_same(run, one, 150)
