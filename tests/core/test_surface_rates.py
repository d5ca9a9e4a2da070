"""Each surface's learning rates (core/surface_rates.py): found again here, and every default run of every
surface neither diverges nor leaves the map in 200 steps (on a saddle, leaving is what it shows)."""

import pytest

from adamgui.core.optimizers import OPTIMIZERS
from adamgui.core.scene import default_scene
from adamgui.core.simulation import RunSpec, Simulation
from adamgui.core.surface_rates import (
    FACTORS,
    RATES,
    STEPS_CHECKED,
    UNSUITED,
    outlook,
    sensible_lr,
    with_sensible_rates,
)
from adamgui.core.surfaces import SURFACES


def _bad(surface) -> tuple[str, ...]:
    return ("diverged", "undefined", "left") if surface.minima else ("diverged", "undefined")


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_every_optimizer_at_its_surface_rate_stays_on_the_map_for_200_steps(name):
    surface = SURFACES[name]
    specs = [RunSpec(opt, {"lr": sensible_lr(name, opt)}) for opt in OPTIMIZERS if opt not in UNSUITED.get(name, {})]
    sim = Simulation(surface, surface.start, specs)
    sim.step(STEPS_CHECKED)
    for run in sim.runs:
        assert run.status_name() not in _bad(surface), f"{name}, {run.spec.optimizer}: {run.status_text()}"


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_each_rate_is_the_largest_of_the_steps_down_from_the_default_that_works(name):
    """A surface names a rate only where the default fails, and then the largest that works (none larger)."""
    surface = SURFACES[name]
    for opt, optimizer in OPTIMIZERS.items():
        if opt in UNSUITED.get(name, {}):
            continue
        default = optimizer.defaults()["lr"]
        tried = [float(f"{default * f:.3g}") for f in FACTORS]
        sims = Simulation(surface, surface.start, [RunSpec(opt, {"lr": lr}) for lr in tried])
        sims.step(STEPS_CHECKED)
        works = [run.status_name() not in _bad(surface) for run in sims.runs]
        expected = tried[works.index(True)]
        assert sensible_lr(name, opt) == expected, f"{name}, {opt}"
        assert (opt in RATES.get(name, {})) == (expected != default)


def test_picking_a_surface_gives_each_run_its_rate_and_keeps_the_rest():
    scene = default_scene().with_run_params(1, {"beta1": 0.8})  # Adam's β₁ is the user's, kept
    picked = with_sensible_rates(scene.with_surface("linear-regression"))
    assert [r.spec.params["lr"] for r in picked.runs] == [0.05, 0.003]
    assert picked.runs[1].spec.params["beta1"] == 0.8


def test_the_outlook_of_a_run_says_when_and_what_suits_instead():
    from adamgui.core.surface_rates import outlook

    scene = default_scene().with_surface("himmelblau")  # the runs keep GD's 0.1 and Adam's 0.3
    assert outlook(scene, 0) == "With α = 0.1 this run diverges at step 7; α = 0.02 suits this surface."
    assert outlook(scene, 1) is None  # Adam at 0.3 is fine there
    assert outlook(default_scene(), 0) is None  # on the saddle, leaving the map is what it shows


def test_a_rule_that_cannot_work_on_a_surface_is_said_so_not_given_a_rate():
    """Newton on Reddi et al.'s online problem (linear in x): it diverges at once, whatever α; the note says why."""
    from dataclasses import replace

    from adamgui.core.scene import RunConfig, Scene

    scene = Scene("online-linear", (0.0, 0.5), (RunConfig(RunSpec("newton"), "#ffffff"),))
    sim = scene.simulation()
    sim.step(1)
    assert sim.runs[0].status_name() == "diverged"
    assert outlook(scene, 0) == f"This run cannot work here: {UNSUITED['online-linear']['newton']}."
    assert outlook(replace(scene, surface="bowl"), 0) is None
