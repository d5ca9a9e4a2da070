"""Tune, then race: each optimizer's hyperparameters searched with the same declared budget, then raced.

A comparison of optimizers is only as fair as their tuning. :func:`tune` searches one optimizer's
hyperparameters with a budget of trials (the same for every optimizer compared), over a declared
search space (by default α, log-uniform over [1e-4, 10]; optionally a second hyperparameter such as
β₁), for a declared objective: the final loss after N steps, the steps to reach a loss at or below a
tolerance, or the mean loss over the run (the area under the loss curve, a fast start counts). Where
the scene has gradient noise or minibatches, each trial is run with several seeds and its objective
averaged over them.

All trials of an optimizer (times their seeds) step as one batch of points with the vectorized
engine, each point with its own hyperparameters. The search is a grid in rounds: half the budget on
a grid over the whole space, then half of what is left on a grid between the best point's grid
neighbours, and so on (successive refinement). Exactly ``budget`` trials are evaluated, whatever the
space, so every optimizer compared gets the same number.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from adamgui.core.engine_spec import CONVERGED, RUNNING
from adamgui.core.maps import Cancelled, Progress
from adamgui.core.optimizers import get_optimizer
from adamgui.core.params import ParamError
from adamgui.core.simulation import Run, RunSpec
from adamgui.core.surfaces import Surface

MIN_TRIALS, MAX_TRIALS = 4, 1024  # trials per optimizer
MAX_SEEDS = 32  # seeds each trial is averaged over
MAX_TUNE_POINTS = 65_536  # trials x seeds stepped at once
DEFAULT_TRIALS = 64
DEFAULT_LR_RANGE = (1e-4, 10.0)
OBJECTIVES = ("final", "steps-to", "mean")


@dataclass(frozen=True)
class Dimension:
    """One hyperparameter searched: over [low, high], on a log scale or a linear one."""

    name: str
    low: float
    high: float
    log: bool = False

    def values(self, n: int) -> np.ndarray:
        if self.log:
            return np.geomspace(self.low, self.high, n)
        return np.linspace(self.low, self.high, n)

    def text(self) -> str:
        return f"{self.name} ∈ [{self.low:g}, {self.high:g}]" + (" (log)" if self.log else "")


@dataclass(frozen=True)
class Objective:
    """What a trial is judged by (lower is better): ``final`` loss after the steps, ``steps-to`` a loss at
    or below ``tol`` (a trial that never gets there counts as the steps plus one), or the ``mean`` loss
    over the steps. A trial that diverges or steps out of f's domain counts as infinitely bad."""

    kind: str = "final"
    tol: float = 1e-8

    def text(self, steps: int) -> str:
        if self.kind == "final":
            return f"final loss after {steps:,} steps"
        if self.kind == "steps-to":
            return f"steps to loss ≤ {self.tol:g} (at most {steps:,})"
        return f"mean loss over {steps:,} steps"


def parse_objective(text: str) -> Objective:
    """'final', 'mean' or 'steps-to:1e-8'; a ParamError naming what is wrong."""
    kind, _, arg = text.strip().partition(":")
    if kind not in OBJECTIVES:
        raise ParamError(f"Unknown objective {text!r} (allowed: final, mean, steps-to:TOL such as steps-to:1e-8)")
    if kind != "steps-to":
        if arg:
            raise ParamError(f"The objective {kind!r} takes no value (got {text!r})")
        return Objective(kind)
    try:
        tol = float(arg)
    except ValueError:
        raise ParamError(f"steps-to needs a loss to reach, such as steps-to:1e-8 (got {text!r})") from None
    if not math.isfinite(tol):
        raise ParamError(f"steps-to needs a finite loss to reach (got {text!r})")
    return Objective("steps-to", tol)


def default_space(optimizer: str, second: str | None = None) -> tuple[Dimension, ...]:
    """α log-uniform over [1e-4, 10] (within the optimizer's valid range), and ``second`` over its range
    (a momentum or decay in [0, 1) is searched over [0, 0.99])."""
    opt = get_optimizer(optimizer)
    lr_param = opt.param("lr")
    low = max(DEFAULT_LR_RANGE[0], lr_param.low if math.isfinite(lr_param.low) else 0.0)
    high = min(DEFAULT_LR_RANGE[1], lr_param.high)
    dims = [Dimension("lr", low, high, log=True)]
    if second is not None:
        p = opt.param(second)
        if p.is_bool:
            raise ParamError(f"{second} is a switch; it cannot be tuned")
        if second == "lr":
            raise ParamError("lr is tuned already; name another hyperparameter to tune beside it")
        lo = p.low if math.isfinite(p.low) else 0.0
        hi = p.high if math.isfinite(p.high) else 10 * max(float(p.default), 1.0)
        if p.high_open:
            hi = lo + 0.99 * (hi - lo)
        if p.low_open and not p.log:
            lo = lo + 0.01 * (hi - lo)
        dims.append(Dimension(second, lo, hi, log=p.log))
    return tuple(dims)


@dataclass(frozen=True)
class TuneResult:
    """One optimizer's search: every trial's values and objective (mean and spread over seeds), the best."""

    optimizer: str
    label: str
    dims: tuple[Dimension, ...]
    values: np.ndarray  # (trials, dims)
    objective: np.ndarray  # (trials,): the mean over seeds (inf: a seed diverged)
    spread: np.ndarray  # (trials,): standard deviation over seeds (0 with one seed)
    steps_to_tol: np.ndarray  # (trials,): mean over seeds of the first step at loss <= tol (-1: never)
    best: int
    trials: int  # evaluated: the budget
    seeds: int
    kind: Objective  # (its ``tol`` is the loss ``steps_to_tol`` counts to)
    steps: int
    base: dict = field(default_factory=dict)  # the hyperparameters not searched

    @property
    def best_params(self) -> dict:
        return {**self.base, **{d.name: float(v) for d, v in zip(self.dims, self.values[self.best], strict=True)}}

    def tuned_text(self) -> str:
        return ", ".join(f"{d.name}={v:.4g}" for d, v in zip(self.dims, self.values[self.best], strict=True))

    def fairness(self) -> str:
        space = "; ".join(d.text() for d in self.dims)
        seeds = f", {self.seeds} seeds each" if self.seeds > 1 else ""
        return f"{self.trials} trials over {space}, objective: {self.kind.text(self.steps)}{seeds}"


def _grid(dims: Sequence[Dimension], budget: int) -> list[np.ndarray]:
    """Axis values for a grid of ``budget`` points over ``dims`` (two dimensions: the most nearly square
    a x b = budget there is)."""
    if len(dims) == 1:
        return [dims[0].values(budget)]
    a = max(d for d in range(1, math.isqrt(budget) + 1) if budget % d == 0)
    return [dims[0].values(budget // a), dims[1].values(a)]


def _best(objective: np.ndarray, final: np.ndarray) -> int:
    """The best trial: the lowest objective, ties (every trial short of a loss to reach, say) broken by the
    lowest final loss, then by order."""
    clean = np.where(np.isnan(objective), np.inf, objective)
    return int(np.lexsort((np.where(np.isnan(final), np.inf, final), clean))[0])


def _round_sizes(budget: int, ndim: int, refine: bool) -> list[int]:
    """Trials per round: the whole budget at once, or half of it over the whole space and then half of what
    is left each round, around the best so far, until too few are left for another grid."""
    if not refine:
        return [budget]
    sizes, left = [], budget
    while left > 0:
        size = left if left < 2 * 2**ndim else max(left // 2, 2**ndim)
        sizes.append(size)
        left -= size
    return sizes


def _evaluate(
    surface: Surface,
    start: tuple[float, float],
    spec: RunSpec,
    dims: Sequence[Dimension],
    points: np.ndarray,
    steps: int,
    objective: Objective,
    seeds: int,
    noise: float,
    seed: int,
    batch: tuple[int, int],
    progress: Callable[[int], bool] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every trial (a row of ``points``) from ``start`` with each of ``seeds`` seeds, as one batch: per trial
    the objective's mean and spread over seeds, and the mean step at which the loss reached the tolerance."""
    trials = len(points)
    n = trials * seeds
    starts = np.tile(np.asarray(start, dtype=float), (n, 1))
    run = Run(
        spec, surface, starts, record=False, noise=noise, seed=[seed, 7], batch_size=batch[0], batch_seed=batch[1]
    )
    for k, dim in enumerate(dims):
        run.set_point_params(dim.name, np.repeat(points[:, k], seeds))
    total = np.zeros(n)
    first = np.full(n, -1)
    tol = objective.tol
    for t in range(1, steps + 1):
        run.step()
        with np.errstate(invalid="ignore"):
            reached = (first < 0) & (run.loss <= tol)
        first[reached] = t
        if objective.kind == "mean":
            with np.errstate(over="ignore", invalid="ignore"):
                total += run.loss
        if progress is not None and progress(t) is False:
            raise Cancelled()
    failed = ~np.isin(run.status, (RUNNING, CONVERGED)) | ~np.isfinite(run.loss)
    final = np.where(failed, np.inf, run.loss).reshape(trials, seeds).mean(axis=1)
    if objective.kind == "final":
        value = run.loss.copy()
    elif objective.kind == "mean":
        value = total / steps
    else:
        value = np.where(first >= 0, first, steps + 1).astype(float)
    if objective.kind != "steps-to":
        value[failed] = np.inf
    else:
        value[failed & (first < 0)] = np.inf
    per_seed = value.reshape(trials, seeds)
    with np.errstate(invalid="ignore"):
        mean = per_seed.mean(axis=1)
        spread = np.where(np.isfinite(mean), per_seed.std(axis=1), np.inf)
    reach = first.reshape(trials, seeds).astype(float)
    steps_to = np.where((reach >= 0).all(axis=1), reach.mean(axis=1), -1.0)
    return mean, spread, steps_to, final


def tune(
    surface: Surface,
    start: tuple[float, float],
    spec: RunSpec,
    dims: Sequence[Dimension] | None = None,
    budget: int = DEFAULT_TRIALS,
    objective: Objective = Objective(),
    steps: int = 200,
    seeds: int = 1,
    noise: float = 0.0,
    seed: int = 0,
    batch: tuple[int, int] = (0, 0),
    refine: bool = True,
    label: str = "",
    progress: Progress = None,
) -> TuneResult:
    """Search ``spec``'s hyperparameters ``dims`` (default: α) with exactly ``budget`` trials: one grid over the
    whole space (``refine`` off), or rounds of grids closing in on the best (see the module). ``progress(done,
    total)`` is asked every step; False cancels (:class:`~adamgui.core.maps.Cancelled`)."""
    dims = tuple(dims) if dims else default_space(spec.optimizer)
    if not MIN_TRIALS <= budget <= MAX_TRIALS:
        raise ParamError(f"Invalid trials: {budget} (allowed: {MIN_TRIALS} to {MAX_TRIALS})")
    if not 1 <= seeds <= MAX_SEEDS:
        raise ParamError(f"Invalid seeds: {seeds} (allowed: 1 to {MAX_SEEDS})")
    if budget * seeds > MAX_TUNE_POINTS:
        raise ParamError(f"Too many runs at once: {budget} trials x {seeds} seeds (at most {MAX_TUNE_POINTS:,})")
    if not 1 <= len(dims) <= 2:
        raise ParamError("Tune one or two hyperparameters")
    opt = get_optimizer(spec.optimizer)
    for dim in dims:
        p = opt.param(dim.name)
        p.validate(dim.low)
        p.validate(dim.high)
        if not dim.low < dim.high:
            raise ParamError(f"The range of {dim.name} needs its first number below its second")
        if dim.log and dim.low <= 0:
            raise ParamError(f"{dim.name} is searched on a log scale: its range must be above 0")
    base = {k: v for k, v in spec.resolved().items() if k not in {d.name for d in dims}}
    sizes = _round_sizes(budget, len(dims), refine)
    done = [0]

    def step_progress(t: int) -> bool:
        done[0] += 1
        return True if progress is None else progress(done[0], steps * len(sizes))

    args = (steps, objective, seeds, noise, seed, batch, step_progress)
    region = list(dims)
    rounds, means, spreads, reaches, finals = [], [], [], [], []
    for size in sizes:
        axes = _grid(region, size)
        grid = np.array(np.meshgrid(*axes, indexing="ij")).reshape(len(dims), -1).T
        mean, spread, reach, final = _evaluate(surface, start, spec, dims, grid, *args)
        rounds.append(grid)
        means.append(mean)
        spreads.append(spread)
        reaches.append(reach)
        finals.append(final)
        # the next round: between the grid neighbours of this round's best point
        at = np.unravel_index(_best(mean, final), [len(a) for a in axes])
        region = [
            Dimension(d.name, float(a[max(k - 1, 0)]), float(a[min(k + 1, len(a) - 1)]), d.log)
            for d, a, k in zip(dims, axes, at, strict=True)
        ]
    mean, spread, reach = np.concatenate(means), np.concatenate(spreads), np.concatenate(reaches)
    final = np.concatenate(finals)
    values = np.concatenate(rounds)
    best = _best(mean, final)
    return TuneResult(
        spec.optimizer,
        label or spec.optimizer,
        dims,
        values,
        mean,
        spread,
        reach,
        best,
        len(values),
        seeds,
        objective,
        steps,
        base,
    )
