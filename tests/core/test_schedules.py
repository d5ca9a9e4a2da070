"""Learning-rate schedules: torch.optim.lr_scheduler's values, step by step, and where they are used.

The values are those an actual torch run gave (tests/fixtures/torch_reference.json, written by
tests/fixtures/make_reference.py in a scratch environment): the learning rate read before each
``optimizer.step()``, the scheduler stepped after it, for 300 steps; and OneCycleLR's momentum.
"""

import math

import numpy as np
import pytest

from adamgui.core.params import ParamError
from adamgui.core.schedules import make_schedule, parse_schedule
from adamgui.core.simulation import RunSpec, Simulation
from adamgui.core.surfaces import get_surface
from tests.fixtures import TORCH_REFERENCE

BASE = 0.3  # the fixtures' learning rate (OneCycleLR's max_lr)
SCHEDULES = TORCH_REFERENCE["schedules"]


@pytest.mark.parametrize("case", SCHEDULES, ids=lambda c: c["schedule"])
def test_each_schedule_gives_torchs_learning_rate_at_every_step(case):
    s = parse_schedule(case["schedule"])
    steps = range(1, len(case["lr"]) + 1)
    np.testing.assert_allclose([s.lr(BASE, t) for t in steps], case["lr"], rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize(
    "case", [c for c in SCHEDULES if c["schedule"].startswith("one-cycle")], ids=lambda c: c["schedule"]
)
def test_one_cycle_moves_the_momentum_as_torch_does_and_the_run_uses_it(case):
    s = parse_schedule(case["schedule"])
    kind = "beta1" if "beta1" in case else "momentum"
    optimizer = "adam" if kind == "beta1" else "nesterov"
    sim = Simulation(get_surface("bowl"), (-4.0, 3.0), [RunSpec(optimizer, {"lr": 0.3}, schedule=s)])
    steps = len(case["lr"])
    sim.step(steps)
    run = sim.runs[0]
    used = [run.hp_used(t)[kind] for t in range(1, steps + 1)]
    np.testing.assert_allclose(used, case[kind], rtol=1e-10)
    np.testing.assert_allclose([run.hp_used(t)["lr"] for t in range(1, steps + 1)], case["lr"], rtol=1e-10)


def test_a_cycled_momentum_changes_the_path_and_an_optimizer_without_one_is_untouched():
    bowl = get_surface("bowl")
    cycling, still = (
        parse_schedule("one-cycle:total_steps=100"),
        parse_schedule("one-cycle:total_steps=100,cycle_momentum=0"),
    )
    paths = {}
    for name, s in (("cycling", cycling), ("still", still)):
        sim = Simulation(bowl, (-4.0, 3.0), [RunSpec("adam", {"lr": 0.3}, schedule=s), RunSpec("gd", schedule=s)])
        sim.step(50)
        paths[name] = [r.path() for r in sim.runs]
        assert "beta1" not in sim.runs[1].hp_used(10)
    assert not np.allclose(paths["cycling"][0], paths["still"][0])
    np.testing.assert_array_equal(paths["cycling"][1], paths["still"][1])


def test_one_cycle_follows_torchs_phases():
    s = make_schedule("one-cycle", {"total_steps": 100})
    lrs = [s.lr(BASE, t) for t in range(1, 101)]
    assert lrs[0] == pytest.approx(BASE / 25)  # initial_lr = max_lr / div_factor
    assert max(lrs) == pytest.approx(BASE) and lrs.index(max(lrs)) == 29  # the peak at step pct_start*total - 1
    assert lrs[-1] == pytest.approx(BASE / 25 / 1e4)  # min_lr = initial_lr / final_div_factor
    assert s.lr(BASE, 150) == lrs[-1]  # held after the cycle
    # torch's _annealing_cos at the middle of phase 1: (start + end) / 2
    assert s.lr(BASE, 15) == pytest.approx(BASE / 25 + (BASE - BASE / 25) / 2 * (1 - math.cos(math.pi * 14 / 29)))


def test_inverse_time_is_the_stated_formula_and_constant_is_constant():
    s = parse_schedule("inverse-time:decay=0.5,decay_steps=10")
    assert [s.lr(1.0, t) for t in (1, 11, 21)] == pytest.approx([1.0, 1 / 1.5, 1 / 2.0])
    assert parse_schedule("constant").lr(0.3, 1000) == 0.3


def test_inverse_sqrt_is_alpha_over_root_t_and_a_run_steps_with_it():
    """α_t = α/√t (torch: LambdaLR(opt, lambda e: 1 / math.sqrt(e + 1)), stepped once a step), as Reddi et al. run
    Adam and AMSGrad; a GD run's steps are α_t·g_t."""
    from adamgui.core.simulation import Run, RunSpec
    from adamgui.core.surfaces import get_surface

    s = parse_schedule("inverse-sqrt")
    assert s.text() == "inverse-sqrt"
    assert [s.lr(0.5, t) for t in (1, 4, 100)] == [0.5 / math.sqrt(1), 0.5 / math.sqrt(4), 0.5 / math.sqrt(100)]
    run = Run(RunSpec("gd", {"lr": 0.5}, schedule=s), get_surface("bowl"), np.array([[1.0, 2.0]]))
    for t in range(1, 6):
        before = run.theta.copy()
        g = run.surface.gradient(before)
        run.step()
        np.testing.assert_array_equal(run.theta, before - (0.5 / math.sqrt(t)) * g)
    with pytest.raises(ParamError, match="no parameter"):
        parse_schedule("inverse-sqrt:T=3")


@pytest.mark.parametrize(
    "text,message",
    [("cosin:T_max=3", "did you mean 'cosine'"), ("cosine", "needs T_max"), ("cosine:T_max=0", "out of range"),
     ("step:step_size=2.5", "whole number"), ("exponential:gamma=2", "out of range"), ("cosine:Tmax=3", "no parameter"),
     ("cosine:T_max=x", "not a number"), ("cosine:T_max", "Malformed")],
)  # fmt: skip
def test_a_bad_schedule_is_refused_by_name(text, message):
    with pytest.raises(ParamError, match=message):
        parse_schedule(text)


def test_a_scheduled_run_steps_with_alpha_t_and_the_inspector_sees_it():
    from adamgui.core.step_detail import inspect_step

    schedule = parse_schedule("cosine:T_max=10")
    sim = Simulation(get_surface("bowl"), (-4.0, 3.0), [RunSpec("gd", {"lr": 0.1}, schedule=schedule)])
    sim.step(6)
    run = sim.runs[0]
    for t in range(1, 7):
        g = 2 * run.path()[t - 1]  # the bowl's gradient
        np.testing.assert_allclose(run.path()[t], run.path()[t - 1] - schedule.lr(0.1, t) * g, rtol=1e-14)
    assert inspect_step(run, 4).hp["lr"] == schedule.lr(0.1, 4)
    assert run.hp_at(4)["lr"] == 0.1  # the base rate, as the user set it


def test_a_schedule_survives_save_and_open(tmp_path):
    from dataclasses import replace

    from adamgui.core.scene import default_scene
    from adamgui.core.session import load, save

    scene = default_scene()
    run = scene.runs[1]
    scheduled = replace(scene, runs=(scene.runs[0], replace(run, spec=replace(run.spec, schedule=parse_schedule(
        "warmup-cosine:warmup=5,T_max=45")))))  # fmt: skip
    save(tmp_path / "s.json", scheduled, 0, 10)
    back, _, _ = load(tmp_path / "s.json")
    assert back.runs[1].spec.schedule == scheduled.runs[1].spec.schedule
    a, b = scheduled.simulation(), back.simulation()
    a.step(20)
    b.step(20)
    np.testing.assert_array_equal(a.runs[1].path(), b.runs[1].path())
