"""Learning rates that suit each built-in surface: what a run gets when the user picks the surface.

An optimizer's default α suits most surfaces; where it does not (GD at α = 0.1 leaves Himmelblau's map at
once, Adam at 0.3 flies off the linear regression's), the surface names a smaller one: the largest of the
default times 1, 0.5, 0.2, 0.1, ... 0.001 with which a run from the surface's start neither diverges nor
leaves the map in 200 steps (on a surface without a minimum, a saddle, leaving is what it shows: there
only diverging counts). ``tests/core/test_surface_rates.py`` finds them again and checks every one.
"""

from __future__ import annotations

from dataclasses import replace

from adamgui.core.optimizers import get_optimizer

STEPS_CHECKED = 200
FACTORS = (1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001)

RATES: dict[str, dict[str, float]] = {
    "rosenbrock": {"gd": 0.005, "momentum": 0.02, "nesterov": 0.002, "radam": 0.005},
    "beale": {"gd": 0.02, "nesterov": 0.004, "radam": 0.02},
    "himmelblau": {"gd": 0.02, "nesterov": 0.01},
    "booth": {"radam": 0.05},
    "rastrigin": {"gd": 0.01, "momentum": 0.05, "nesterov": 0.004, "radam": 0.05},
    "monkey-saddle": {"gd": 0.002, "momentum": 0.002, "nesterov": 0.0004},
    "plateau": {"newton": 0.05},
    "linear-regression": {
        "gd": 0.05, "momentum": 0.05, "rmsprop": 0.001, "adagrad": 0.015, "adam": 0.003, "adamw": 0.003,
        "amsgrad": 0.003, "adamax": 0.003, "nadam": 0.003, "radam": 0.05, "adadelta": 0.5, "lion": 0.002,
        "adabelief": 0.0006, "schedulefree-adamw": 0.003, "sign": 0.002,
    },
    "logistic-regression": {"lion": 0.05},
    "neuron": {
        "momentum": 0.02, "nesterov": 0.004, "rmsprop": 0.002, "adagrad": 0.015, "adam": 0.003, "adamw": 0.003,
        "amsgrad": 0.003, "adamax": 0.003, "nadam": 0.003, "radam": 0.01, "adadelta": 0.5, "lion": 0.005,
        "adabelief": 0.0006, "schedulefree-adamw": 0.006, "sign": 0.005, "newton": 0.002,
    },
}  # fmt: skip


# Where no α helps: the rule itself cannot work on the surface, said instead of a rate.
UNSUITED: dict[str, dict[str, str]] = {
    "online-linear": {
        "newton": "the loss is linear in x, so its Hessian is singular everywhere and Newton's step is undefined",
    },
}


def sensible_lr(surface: str, optimizer: str) -> float:
    """α for ``optimizer`` on the built-in ``surface``: the surface's own where it names one, else the optimizer's
    default (a plugin's or a typed formula's too)."""
    return RATES.get(surface, {}).get(optimizer, get_optimizer(optimizer).defaults()["lr"])


def with_sensible_rates(scene):
    """``scene`` with each run's α what suits its surface (a user who picks a surface gets runs that work there)."""
    runs = []
    for run in scene.runs:
        if "lr" in get_optimizer(run.spec.optimizer).defaults():  # (a plugin's rule may have no α)
            params = {**run.spec.params, "lr": sensible_lr(scene.surface, run.spec.optimizer)}
            run = replace(run, spec=replace(run.spec, params=params))
        runs.append(run)
    return replace(scene, runs=tuple(runs))


def outlook(scene, index: int, steps: int = STEPS_CHECKED) -> str | None:
    """A sentence when run ``index`` of ``scene``, from the start with its present values, diverges or (on a surface
    with a minimum) leaves the map within ``steps`` steps, with the α that suits the surface; None when it does
    not. Said beside the run's α, so a value kept from another surface is not a surprise at step 7."""
    config = scene.runs[index]
    surface = scene.surface_obj
    run = scene.simulation().solo(index)  # as the scene steps it: its noise stream and minibatches too
    for _ in range(steps):
        run.step()
    bad = ("diverged", "undefined", "left") if surface.minima else ("diverged", "undefined")
    if run.status_name() not in bad:
        return None
    lr = run.hp.get("lr")
    why = UNSUITED.get(scene.surface, {}).get(config.spec.optimizer)
    if why is not None:
        return f"This run cannot work here: {why}."
    suits = sensible_lr(scene.surface, config.spec.optimizer) if "lr" in run.hp else None
    advice = f"; α = {suits:g} suits this surface" if suits is not None and suits != lr else ""
    what = run.status_text().replace("left the domain", "leaves the map").replace("diverged", "diverges")
    return f"With α = {lr:g} this run {what}{advice}."


FLAT = 1e-6  # a gradient shorter than this at the start: the runs will not visibly move


def flat_start(surface, start) -> str | None:
    """A sentence when ``start`` lies on a plateau of ``surface`` (the gradient there shorter than FLAT: gradient
    descent's steps would be α times that, nothing a person sees move), else None."""
    import numpy as np

    with np.errstate(all="ignore"):
        g = surface.gradient(np.array([start], dtype=float))[0]
    size = float(np.hypot(g[0], g[1]))
    if not np.isfinite(size) or size >= FLAT:
        return None
    return (
        f"At this start the slope is {size:.1g}: the surface is flat here, and steps of α times the slope will not "
        "move the runs. Pick another start (a click on the map sets one)."
    )
