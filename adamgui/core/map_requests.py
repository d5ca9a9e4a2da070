"""What a basin map or a sweep was asked for, as values: the cache's keys and the test of being out of date.

A request names everything its result depends on: the scene's :class:`~adamgui.core.scene.SurfaceKey` (the
surface, its domain, data, box and minibatches), the runs by their keys with every hyperparameter written out,
and the map's own settings. :meth:`depends_on` reads the same inputs from a scene as it is now: a shown result
whose inputs changed is out of date.
"""

from __future__ import annotations

from dataclasses import dataclass

from adamgui.core.params import ParamError
from adamgui.core.scene import Scene, SurfaceKey
from adamgui.core.simulation import RunSpec

GONE = "gone"  # what a run's inputs are once the run was removed


@dataclass(frozen=True)
class RunInputs:
    """What a map or a sweep computes for a run depends on: its optimizer, every hyperparameter written out (but
    those a sweep varies), and its learning-rate schedule."""

    optimizer: str
    params: tuple[tuple[str, float | bool], ...]
    schedule: tuple | None

    @classmethod
    def of(cls, spec: RunSpec, skip: tuple[str, ...] = ()) -> RunInputs:
        schedule = spec.schedule
        schedule = None if schedule is None else (schedule.name, tuple(sorted(schedule.params.items())))
        params = tuple(sorted((k, v) for k, v in spec.resolved().items() if k not in skip))
        return cls(spec.optimizer, params, schedule)


def computed_spec(spec: RunSpec) -> RunSpec:
    """What a map or sweep runs for a scene's run: its optimizer, every hyperparameter written out (the cache keys
    compare them), and its schedule."""
    return RunSpec(spec.optimizer, spec.resolved(), schedule=spec.schedule)


def run_inputs_in(scene: Scene, key: int | None, skip: tuple[str, ...] = ()) -> RunInputs | str | None:
    """The inputs of the run with ``key`` as ``scene`` has it (None: no run was asked for; GONE: it was removed)."""
    if key is None:
        return None
    try:
        return RunInputs.of(scene.runs[scene.index_of(key)].spec, skip)
    except ParamError:
        return GONE


@dataclass(frozen=True)
class BasinRequest:
    """Basin maps of one or two runs: where each start of a ``resolution``² grid ends in ``steps`` steps."""

    surface: SurfaceKey
    runs: tuple[int | None, ...]  # the keys of the runs mapped, left and right (None: no map there)
    inputs: tuple[RunInputs | None, ...]
    resolution: int
    steps: int
    tol: float
    labels: tuple[str, ...]  # the runs' names over their maps

    def depends_on(self, scene: Scene) -> tuple:
        """What the result depended on, read from ``scene`` as it is now."""
        return scene.surface_key, tuple(run_inputs_in(scene, key) for key in self.runs)


@dataclass(frozen=True)
class SweepRequest:
    """The final loss of one run from the scene's start over a grid of two of its hyperparameters."""

    surface: SurfaceKey
    start: tuple[float, float]
    run: int  # the key of the run swept
    inputs: RunInputs  # its other hyperparameters and schedule
    x_param: str
    x_values: tuple[float, ...]
    y_param: str
    y_values: tuple[float, ...]
    steps: int

    def depends_on(self, scene: Scene) -> tuple:
        """What the result depended on, read from ``scene`` as it is now."""
        return scene.surface_key, scene.start, run_inputs_in(scene, self.run, skip=(self.x_param, self.y_param))
