"""Tune, then race: the tuner against known optima of a quadratic, brute force, and an equal budget."""

import math

import numpy as np
import pytest

from adamgui.core.params import ParamError
from adamgui.core.simulation import Run, RunSpec
from adamgui.core.surfaces import get_surface
from adamgui.core.tuning import Dimension, default_space, parse_objective, tune

RAVINE = get_surface("ravine")  # 0.1 x^2 + 2 y^2: Hessian eigenvalues 0.2 and 4
L1, L2 = 0.2, 4.0
KAPPA = L2 / L1
START = (-9.0, 2.0)


def _norms(spec: RunSpec, steps: int) -> np.ndarray:
    run = Run(spec, RAVINE, np.array([START]))
    for _ in range(steps):
        run.step()
    return np.linalg.norm(run.history.positions[: steps + 1, 0], axis=1)


def test_gd_at_its_analytic_optimum_contracts_as_the_formula_says():
    alpha = 2 / (L1 + L2)
    norms = _norms(RunSpec("gd", {"lr": alpha}), 60)
    rate = (KAPPA - 1) / (KAPPA + 1)
    np.testing.assert_allclose(norms[1:] / norms[:-1], rate, rtol=0.01)


def test_heavy_ball_at_its_analytic_optimum_contracts_as_the_formula_says():
    """torch's SGD with momentum is heavy ball; the app's momentum is its average form, α_app = α / (1 − β)."""
    alpha = (2 / (math.sqrt(L1) + math.sqrt(L2))) ** 2
    beta = ((math.sqrt(L2) - math.sqrt(L1)) / (math.sqrt(L2) + math.sqrt(L1))) ** 2
    norms = _norms(RunSpec("momentum", {"lr": alpha / (1 - beta), "beta1": beta}), 70)  # (at rest by step 74)
    rate = (math.sqrt(KAPPA) - 1) / (math.sqrt(KAPPA) + 1)
    assert (norms[70] / norms[20]) ** (1 / 50) == pytest.approx(rate, rel=0.03)  # over many steps
    # critically damped, the distance goes as (t + 1) r^t: with that factor out, to a fraction of a percent
    assert ((norms[70] / 71) / (norms[20] / 21)) ** (1 / 50) == pytest.approx(rate, rel=0.002)


def test_tuning_gd_finds_its_optimal_learning_rate():
    result = tune(RAVINE, START, RunSpec("gd"), budget=64, objective=parse_objective("steps-to:1e-8"), steps=1000)
    assert result.trials == 64 == len(result.values)
    assert result.best_params["lr"] == pytest.approx(2 / (L1 + L2), rel=0.05)


def test_tuning_heavy_ball_finds_its_optimal_rate_and_momentum_together():
    alpha = (2 / (math.sqrt(L1) + math.sqrt(L2))) ** 2
    beta = ((math.sqrt(L2) - math.sqrt(L1)) / (math.sqrt(L2) + math.sqrt(L1))) ** 2
    result = tune(
        RAVINE,
        START,
        RunSpec("momentum"),
        default_space("momentum", "beta1"),
        budget=256,
        objective=parse_objective("steps-to:1e-16"),
        steps=1000,
    )
    found = result.best_params
    assert found["beta1"] == pytest.approx(beta, rel=0.10)
    assert found["lr"] * (1 - found["beta1"]) == pytest.approx(alpha, rel=0.10)  # heavy ball's α


@pytest.mark.parametrize("objective", ["final", "mean", "steps-to:1e-3"])
def test_one_grid_gives_the_argmin_of_single_runs_over_the_same_grid(objective):
    kind = parse_objective(objective)
    result = tune(RAVINE, START, RunSpec("adam"), budget=16, objective=kind, steps=80, refine=False)
    brute = []
    for (lr,) in result.values:
        run = Run(RunSpec("adam", {"lr": float(lr)}), RAVINE, np.array([START]), record=True)
        losses = []
        for _ in range(80):
            run.step()
            losses.append(float(run.loss[0]))
        if kind.kind == "final":
            brute.append(losses[-1] if run.status[0] in (0, 1) else math.inf)
        elif kind.kind == "mean":
            brute.append(sum(losses) / 80 if run.status[0] in (0, 1) else math.inf)
        else:
            hit = [t for t, v in enumerate(losses, 1) if v <= kind.tol]
            brute.append(hit[0] if hit else 81)
    brute = np.array(brute)
    np.testing.assert_allclose(result.objective, brute, rtol=1e-12)
    assert result.best == int(np.argmin(brute))


@pytest.mark.parametrize("second", [None, "beta1"])
def test_every_optimizer_gets_the_same_number_of_trials(second):
    for name in ("momentum", "adam", "nadam"):
        dims = default_space(name, second)
        result = tune(RAVINE, START, RunSpec(name), dims, budget=30, steps=20)
        assert result.trials == 30 == len(result.values) == len(result.objective)
        assert "30 trials" in result.fairness()


def test_noise_is_averaged_over_seeds_and_its_spread_reported():
    result = tune(RAVINE, START, RunSpec("gd"), budget=8, steps=50, seeds=5, noise=0.5, refine=False)
    assert result.seeds == 5 and "5 seeds" in result.fairness()
    finite = np.isfinite(result.objective)
    assert finite.any() and (result.spread[finite] > 0).all()


@pytest.mark.parametrize(
    "text, message",
    [("fastest", "Unknown objective"), ("steps-to:abc", "steps-to needs"), ("final:3", "takes no value")],
)
def test_bad_objectives_are_refused_with_a_sentence(text, message):
    with pytest.raises(ParamError, match=message):
        parse_objective(text)


def test_bad_budgets_and_spaces_are_refused():
    with pytest.raises(ParamError, match="Invalid trials"):
        tune(RAVINE, START, RunSpec("gd"), budget=2)
    with pytest.raises(ParamError, match="log scale"):
        tune(RAVINE, START, RunSpec("adam"), [Dimension("beta1", 0.0, 0.9, log=True)], budget=8)
    with pytest.raises(ParamError, match="switch"):
        default_space("adam", "bias_correction")
