"""Where each start leads (basin maps) and what each pair of hyperparameters gives (sweeps).

Both step a whole grid of runs at once with the vectorized engine. They report
progress through ``progress(done, total)``; when it returns False they stop and
raise :class:`Cancelled`, so a caller keeps its previous result.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from adamgui.core.engine_spec import CONVERGED, RUNNING
from adamgui.core.limits import MAP_MAX_RESOLUTION, MAP_MAX_STEPS, MAP_MIN_RESOLUTION
from adamgui.core.models import Batching
from adamgui.core.params import ParamError
from adamgui.core.simulation import Run, RunSpec
from adamgui.core.surfaces import Surface

FULL_BATCH = Batching()  # the exact gradient every step

# basin outcomes: an index >= 0 is the known minimum reached
NO_MINIMUM, DIVERGED, LEFT = -1, -2, -3
PROGRESS_EVERY_S = 0.1
OUTCOME_NAMES = {NO_MINIMUM: "no known minimum", DIVERGED: "diverged", LEFT: "left the domain"}
Progress = Callable[[int, int], bool] | None


class Cancelled(Exception):
    """The computation was stopped by its caller."""


@dataclass(frozen=True)
class BasinMap:
    """``outcome[j, i]`` and ``steps[j, i]`` for the start (xs[i], ys[j]): which minimum, after how many steps."""

    xs: np.ndarray
    ys: np.ndarray
    outcome: np.ndarray  # minimum index, or NO_MINIMUM / DIVERGED / LEFT
    steps: np.ndarray  # first step within ``tol`` of that minimum; -1 where none was reached
    tol: float


@dataclass(frozen=True)
class Sweep:
    """``loss[j, i]`` and ``steps[j, i]`` after running with ``x_param = x_values[i]``, ``y_param = y_values[j]``."""

    x_param: str
    x_values: np.ndarray
    y_param: str
    y_values: np.ndarray
    loss: np.ndarray  # final loss (NaN where the run diverged or left f's domain)
    steps: np.ndarray  # first step within ``tol`` of a known minimum; -1 where never


def _check_steps(steps: int, resolution: int | None = None) -> None:
    if not 1 <= steps <= MAP_MAX_STEPS:
        raise ParamError(f"Invalid steps: {steps} (allowed: 1 to {MAP_MAX_STEPS:,})")
    if resolution is not None and not MAP_MIN_RESOLUTION <= resolution <= MAP_MAX_RESOLUTION:
        raise ParamError(f"Invalid resolution: {resolution} (allowed: {MAP_MIN_RESOLUTION} to {MAP_MAX_RESOLUTION})")


def _said_if_failed(run: Run, what: str) -> None:
    """A plugin's rule or surface that failed on some points: no map (or sweep) of them, but the sentence saying
    why."""
    if run.failure:
        raise ParamError(f"No {what}: {run.failure}")


def _run(run: Run, steps: int, minima: np.ndarray, tol: float, progress: Progress) -> np.ndarray:
    """Step ``run`` ``steps`` times; return per point the first step it came within ``tol`` of a minimum."""
    first = np.full(len(run.theta), -1)
    every = max(1, steps // 100)
    said = time.perf_counter()

    def reached(part: slice) -> None:  # on the chunk's thread, as soon as its points moved
        near = within(run.theta[part], minima, tol)
        near &= first[part] < 0
        np.putmask(first[part], near, run.t)

    for k in range(1, steps + 1):
        run.step(reached if len(minima) else None)
        # progress (and so cancel) is checked every 1% of the steps and, when steps are slow, by time too
        # (ten times a second): a cancel waits at most one step and a tenth of a second
        due = k % every == 0 or k == steps or time.perf_counter() - said >= PROGRESS_EVERY_S
        if progress is not None and due:
            said = time.perf_counter()
            if progress(k, steps) is False:
                raise Cancelled()
    return first


def within(points: np.ndarray, minima: np.ndarray, tol: float) -> np.ndarray:
    """Per point, whether it lies within ``tol`` of one of the minima (NaN: no). Squared distances,
    in place: every step of a map asks this of every start, so it is kept to a few passes."""
    near = np.zeros(len(points), dtype=bool)
    with np.errstate(all="ignore"):
        for mx, my in minima:
            d = points[:, 0] - mx
            d *= d
            dy = points[:, 1] - my
            dy *= dy
            d += dy
            near |= d <= tol * tol
    return near


def nearest_minimum(points: np.ndarray, minima: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest minimum and the distance to it, per point."""
    best = np.zeros(len(points), dtype=int)
    dist = np.full(len(points), np.inf)
    with np.errstate(all="ignore"):
        for i, (mx, my) in enumerate(minima):
            d = np.hypot(points[:, 0] - mx, points[:, 1] - my)
            closer = d < dist
            best[closer] = i
            dist[closer] = d[closer]
    return best, dist


def basin_map(
    surface: Surface,
    spec: RunSpec,
    resolution: int = 128,
    steps: int = 500,
    tol: float = 1e-2,
    progress: Progress = None,
    batch: Batching = FULL_BATCH,
) -> BasinMap:
    """Run ``spec`` from every point of a ``resolution`` x ``resolution`` grid over the surface's domain.

    ``batch``: on a model's loss, every start steps with the same minibatches."""
    _check_steps(steps, resolution)
    xs = np.linspace(*surface.x_range, resolution)
    ys = np.linspace(*surface.y_range, resolution)
    gx, gy = np.meshgrid(xs, ys)  # [j, i] = (xs[i], ys[j]), as an image is drawn
    starts = np.column_stack([gx.ravel(), gy.ravel()])
    run = Run(
        spec, surface, starts, record=False, batch_size=batch.size, batch_seed=batch.seed, batch_ordered=batch.ordered
    )
    minima = np.array(surface.minima, dtype=float).reshape(-1, 2)
    first = _run(run, steps, minima, tol, progress)
    _said_if_failed(run, "map")
    outcome = np.full(len(run.theta), NO_MINIMUM)
    if len(minima):
        index, dist = nearest_minimum(run.theta, minima)
        reached = dist <= tol
        outcome[reached] = index[reached]
    outcome[run.left_step >= 0] = LEFT
    outcome[(run.status != RUNNING) & (run.status != CONVERGED)] = DIVERGED
    first[outcome < 0] = -1
    shape = (resolution, resolution)
    return BasinMap(xs, ys, outcome.reshape(shape), first.reshape(shape), tol)


def log_or_linear(low: float, high: float, n: int, log: bool) -> np.ndarray:
    if log:
        if low <= 0 or high <= 0:
            raise ParamError(f"Invalid range [{low:g}, {high:g}] for a log scale (both ends must be above 0)")
        return np.geomspace(low, high, n)
    return np.linspace(low, high, n)


def sweep(
    surface: Surface,
    start: tuple[float, float],
    spec: RunSpec,
    x_param: str,
    x_values: np.ndarray,
    y_param: str,
    y_values: np.ndarray,
    steps: int = 200,
    tol: float = 1e-2,
    progress: Progress = None,
    batch: Batching = FULL_BATCH,
) -> Sweep:
    """Run ``spec`` from ``start`` for every pair of values of two hyperparameters, all at once."""
    _check_steps(steps)
    if x_param == y_param:
        raise ParamError(f"Sweep two different hyperparameters, not {x_param} twice")
    x_values, y_values = np.asarray(x_values, dtype=float), np.asarray(y_values, dtype=float)
    gx, gy = np.meshgrid(x_values, y_values)
    starts = np.tile(np.asarray(start, dtype=float), (gx.size, 1))
    run = Run(
        spec, surface, starts, record=False, batch_size=batch.size, batch_seed=batch.seed, batch_ordered=batch.ordered
    )
    run.set_point_params(x_param, gx.ravel())
    run.set_point_params(y_param, gy.ravel())
    minima = np.array(surface.minima, dtype=float).reshape(-1, 2)
    first = _run(run, steps, minima, tol, progress)
    _said_if_failed(run, "sweep")
    loss = np.where(np.isin(run.status, (RUNNING, CONVERGED)), run.loss, np.nan)
    return Sweep(x_param, x_values, y_param, y_values, loss.reshape(gx.shape), first.reshape(gx.shape))


def params_for(base: Mapping[str, float | bool], sweep_result: Sweep, i: int, j: int) -> dict:
    """The hyperparameters of cell (i, j): ``base`` with the two swept values put in."""
    return {
        **base,
        sweep_result.x_param: float(sweep_result.x_values[i]),
        sweep_result.y_param: float(sweep_result.y_values[j]),
    }
