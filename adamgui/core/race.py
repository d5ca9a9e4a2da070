"""A race of a scene's runs, each tuned first with the same budget: the results table and the tuned scene.

:func:`race` tunes every chosen run's optimizer (:func:`adamgui.core.tuning.tune`) on the scene's surface,
from its start, with its noise and minibatches, each with the same budget, search space rule and objective;
:func:`tuned_scene` gives the scene with those runs set to their best values, labelled with them, to play
from the same start; :func:`table` gives one row per run for the window, a CSV or JSON file and a session.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from adamgui.core.limits import MAX_STEP
from adamgui.core.maps import Progress
from adamgui.core.optimizers import get_optimizer
from adamgui.core.params import ParamError
from adamgui.core.race_table import RaceRow
from adamgui.core.scene import Scene, replace_run
from adamgui.core.simulation import RunSpec
from adamgui.core.tuning import DEFAULT_TRIALS, Objective, TuneResult, default_space, tune

SECOND_CHOICES = ("beta1", "momentum", "alpha", "beta2")  # a second hyperparameter tuned beside α, where there is one


@dataclass(frozen=True)
class RaceSettings:
    """What every run of the race is tuned with: the same for each."""

    trials: int = DEFAULT_TRIALS
    objective: Objective = Objective()
    steps: int = 200
    seeds: int = 1  # seeds each trial is averaged over (where the scene has noise or minibatches)
    second: bool = False  # tune a second hyperparameter beside α (β₁, μ, ...) where the optimizer has one


def second_param(optimizer: str) -> str | None:
    """The hyperparameter tuned beside α when asked: the first of β₁, μ, α_v, β₂ the optimizer has."""
    names = {p.name for p in get_optimizer(optimizer).params}
    return next((name for name in SECOND_CHOICES if name in names), None)


def race(scene: Scene, indices: Sequence[int], settings: RaceSettings, progress: Progress = None) -> list[TuneResult]:
    """Tune each run ``indices`` of ``scene`` in turn; ``progress(done, total)`` over all of them."""
    if not indices:
        raise ParamError("Choose at least one run to race")
    surface = scene.surface_obj
    stochastic = scene.noise > 0 or scene.batch_size > 0
    seeds = settings.seeds if stochastic else 1
    results = []
    for k, i in enumerate(indices):
        config = scene.runs[i]
        spec = RunSpec(config.spec.optimizer, config.spec.resolved(), schedule=config.spec.schedule)
        second = second_param(spec.optimizer) if settings.second else None
        dims = default_space(spec.optimizer, second)

        def each(done: int, total: int, k=k) -> bool:
            return True if progress is None else progress(k * total + done, len(indices) * total)

        labels = scene.labels()
        results.append(
            tune(
                surface,
                scene.start,
                spec,
                dims,
                budget=settings.trials,
                objective=settings.objective,
                steps=settings.steps,
                seeds=seeds,
                noise=scene.noise,
                seed=scene.seed,
                batch=(scene.batch_size, scene.batch_seed),
                label=labels[i],
                progress=each,
            )
        )
    return results


def tuned_scene(scene: Scene, indices: Sequence[int], results: Sequence[TuneResult]) -> Scene:
    """``scene`` with each raced run set to its tuned values and labelled with them, back at step 0, with
    room for as many steps as each trial took."""
    steps = max((r.steps for r in results), default=0)
    scene = replace(scene, step_limit=min(max(scene.step_limit, steps), MAX_STEP))
    for i, result in zip(indices, results, strict=True):
        config = scene.runs[i]
        label = f"{result.optimizer} tuned ({result.tuned_text()})"
        spec = replace(config.spec, params=result.best_params, label=label)
        scene = replace_run(scene, i, spec=spec)
    return replace(scene, title="", watch="", race=table(results))


def table(results: Sequence[TuneResult]) -> tuple[RaceRow, ...]:
    """One row a run: its optimizer and label, the tuned values, the objective (mean and spread over seeds),
    the steps to the tolerance, and the fairness statement (each run's own search space)."""
    rows = []
    for r in results:
        value = float(r.objective[r.best])
        spread = float(r.spread[r.best])
        reach = float(r.steps_to_tol[r.best])
        rows.append(
            RaceRow(
                r.label,
                r.optimizer,
                tuple((d.name, float(v)) for d, v in zip(r.dims, r.values[r.best], strict=True)),
                value if math.isfinite(value) else None,
                spread if math.isfinite(spread) else None,
                int(reach) if reach >= 0 else None,
                r.kind.tol,
                r.trials,
                r.seeds,
                r.fairness(),
            )
        )
    return tuple(rows)
