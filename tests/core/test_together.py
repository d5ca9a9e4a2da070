"""Runs of one optimizer that differ in α are stepped as one batch: every number as if each ran alone."""

import numpy as np
import pytest

from adamgui.core.optimizers import OPTIMIZERS
from adamgui.core.simulation import Run, RunSpec, Simulation, Together
from adamgui.core.surfaces import get_surface

LRS = (0.3, 0.01, 0.05, 0.003, 1.7)  # the last one diverges on most surfaces


def _alone(surface, start, spec, steps):
    run = Run(spec, surface, np.array([start]))
    for _ in range(steps):
        run.step()
    return run


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("surface_name, start", [("rosenbrock", (-1.5, 2.0)), ("saddle", (-4.0, 0.4))])
def test_stepped_together_every_run_is_bit_for_bit_what_it_is_alone(name, surface_name, start):
    surface = get_surface(surface_name)
    specs = [RunSpec(name, {"lr": lr}) for lr in LRS]
    sim = Simulation(surface, start, specs)
    groups = sim._groups()
    assert len(groups) == 1 and isinstance(groups[0], Together)  # all five in one batch
    sim.step(150)
    for run, spec in zip(sim.runs, specs, strict=True):
        alone = _alone(surface, start, spec, 150)
        np.testing.assert_array_equal(run.history.positions[:151], alone.history.positions[:151])
        np.testing.assert_array_equal(run.status, alone.status)
        np.testing.assert_array_equal(run.status_step, alone.status_step)
        np.testing.assert_array_equal(run.left_step, alone.left_step)
        np.testing.assert_array_equal(run.loss, alone.loss)
        for key, value in alone.state.items():
            np.testing.assert_array_equal(run.state[key], value)
        assert sorted(run.checkpoints) == sorted(alone.checkpoints)
        for key, value in alone.last_terms.items():
            np.testing.assert_array_equal(run.last_terms[key], value)


def test_only_runs_that_differ_in_alpha_alone_share_a_batch():
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
    together = [g for g in groups if isinstance(g, Together)]
    assert len(together) == 1 and [r.spec.params["lr"] for r in together[0].runs] == [0.1, 0.01, 0.02]
    assert len(groups) == 3
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


def test_noise_and_schedules_step_alone():
    from adamgui.core.schedules import parse_schedule

    surface = get_surface("bowl")
    noisy = Simulation(surface, (1.0, 1.0), [RunSpec("adam", {"lr": 0.1}), RunSpec("adam", {"lr": 0.2})], noise=0.5)
    assert not any(isinstance(g, Together) for g in noisy._groups())
    scheduled = Simulation(
        surface,
        (1.0, 1.0),
        [RunSpec("adam", {"lr": 0.1}, schedule=parse_schedule("cosine:T_max=100")), RunSpec("adam", {"lr": 0.2})],
    )
    assert not any(isinstance(g, Together) for g in scheduled._groups())
