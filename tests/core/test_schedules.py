"""Learning-rate schedules: torch.optim.lr_scheduler's values, step by step, and where they are used.

torch cannot be installed on the machine these tests were written on (PyPI has no CPU-only
torch wheel for it), so each closed form is checked against torch's *recursive* ``get_lr`` code
(the rule torch applies at each ``scheduler.step()``), transcribed below, over 300 steps.
"""

import math

import numpy as np
import pytest

from adamgui.core.params import ParamError
from adamgui.core.schedules import make_schedule, parse_schedule
from adamgui.core.simulation import RunSpec, Simulation
from adamgui.core.surfaces import get_surface

BASE = 0.3
STEPS = 300


def torch_recursive(name: str, p: dict, base: float, steps: int) -> list[float]:
    """The lr torch's schedulers give at epochs 0 .. steps-1, by their chainable (recursive) rules."""
    lrs, lr = [], base
    for e in range(steps):
        if e == 0:
            lr = base if name != "warmup-cosine" else base * p["start_factor"]
        elif name == "step":
            lr = lr * p["gamma"] if e % p["step_size"] == 0 else lr
        elif name == "exponential":
            lr = lr * p["gamma"]
        elif name == "cosine":
            lr = _cosine_step(lr, base, e, p["T_max"], p["eta_min"])
        elif name == "warmup-cosine":
            w = p["warmup"]
            if e < w:  # LinearLR.get_lr
                f = p["start_factor"] + (1 - p["start_factor"]) * (e - 1) / w
                lr = lr * (1 + (1 - p["start_factor"]) / (w * f))
            elif e == w:  # SequentialLR hands over: CosineAnnealingLR restarted at its epoch 0
                lr = base
            else:
                lr = _cosine_step(lr, base, e - w, p["T_max"], p["eta_min"])
        lrs.append(lr)
    return lrs


def _cosine_step(lr, base, e, t_max, eta_min):
    """CosineAnnealingLR.get_lr for last_epoch = e > 0."""
    if (e - 1 - t_max) % (2 * t_max) == 0:
        return lr + (base - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
    return (1 + math.cos(math.pi * e / t_max)) / (1 + math.cos(math.pi * (e - 1) / t_max)) * (lr - eta_min) + eta_min


@pytest.mark.parametrize(
    "text",
    ["step:step_size=30,gamma=0.5", "exponential:gamma=0.99", "cosine:T_max=100", "cosine:T_max=50,eta_min=0.01",
     "warmup-cosine:warmup=10,T_max=200"],
)  # fmt: skip
def test_each_schedule_gives_torchs_value_at_every_step(text):
    s = parse_schedule(text)
    ours = [s.lr(BASE, t) for t in range(1, STEPS + 1)]  # step t uses epoch t - 1
    np.testing.assert_allclose(ours, torch_recursive(s.name, s.params, BASE, STEPS), rtol=1e-10, atol=1e-15)


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
    from adamgui.core.inspect import inspect_step

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
