"""The library face of AdamGUI: build a scene, run it, take the numbers. It imports no Qt.

A :class:`Scene` is what the window shows and a session file keeps: a surface, a start, runs (an optimizer
with its hyperparameters and schedule each), noise, minibatches, a step limit. :func:`run` steps it and
gives a :class:`Result` of numpy arrays; its ``to_csv`` and ``to_json`` are exactly what ``main.py run``
writes, because the command line runs through :func:`write` here.

>>> import adamgui
>>> scene = adamgui.preset("seed-notebook")            # the notebook's saddle: GD and Adam from (-4, 0.4)
>>> result = adamgui.run(scene, steps=3)
>>> result.labels
['gd', 'adam']
>>> result.paths["gd"].round(4).tolist()               # GD at α = 0.1 on x² − y²: x shrinks 0.8×, y grows 1.2×
[[-4.0, 0.4], [-3.2, 0.48], [-2.56, 0.576], [-2.048, 0.6912]]
>>> result.statuses["gd"]
'running'
>>> mine = adamgui.make_scene("rosenbrock", ["gd:lr=0.001", "adam:lr=0.05"], start=(-1.5, 2.0))
>>> numbers = adamgui.run(mine, steps=200)
>>> bool(numbers.losses["adam"][-1] < numbers.losses["adam"][0])
True
>>> numbers.learning_rates["gd"][:3].tolist()          # α_t of steps 1, 2, 3 (no schedule: the base rate)
[0.001, 0.001, 0.001]
>>> numbers.to_csv().splitlines()[0]
'run,optimizer,step,x,y,loss'
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

import numpy as np

from adamgui import _API
from adamgui.core.lesson import chapter as _chapter
from adamgui.core.links import from_link, to_link
from adamgui.core.presets import get_preset
from adamgui.core.scene import PALETTE, RunConfig, Scene, scene_from_preset
from adamgui.core.session import from_text, load, save, scene_to_dict
from adamgui.core.simulation import RunSpec, Simulation, spec_from_text
from adamgui.core.trajectories import write_csv, write_json, write_streamed

__all__ = list(_API)  # the names adamgui re-exports (one list, in adamgui/__init__.py)


def preset(name: str) -> Scene:
    """The scene of the named preset (``main.py list`` names them); ParamError for an unknown name.

    >>> preset("ravine").surface
    'ravine'
    """
    return scene_from_preset(get_preset(name))


def chapter(key: str) -> Scene:
    """The scene of the lesson's chapter ``key`` (its claims hold on it when run to its step limit).

    >>> chapter("edge-of-stability").step_limit
    1000
    """
    return _chapter(key).scene()


def make_scene(
    surface: str = "saddle",
    optimizers: Sequence[str | RunSpec] = ("gd", "adam"),
    *,
    start: tuple[float, float] | None = None,
    formula: str = "",
    domain: tuple[tuple[float, float], tuple[float, float]] | None = None,
    steps: int = 500,
    noise: float = 0.0,
    seed: int = 0,
) -> Scene:
    """A scene from the command line's words: a built-in surface (or ``formula``, as typed in the window), optimizer
    specs such as ``"adam:lr=0.05,beta1=0.8"``, a start (default: the surface's), a domain ((x0, x1), (y0, y1)).
    A value that cannot be used raises ParamError (or FormulaError) with a sentence naming it.

    >>> make_scene(formula="x^2 + 3*y^2", optimizers=["momentum:lr=0.1"], start=(1.0, 1.0)).labels()
    ['momentum']
    """
    specs = [spec if isinstance(spec, RunSpec) else spec_from_text(spec) for spec in optimizers]
    runs = tuple(RunConfig(spec, PALETTE[i % len(PALETTE)], key=i) for i, spec in enumerate(specs))
    x_range, y_range = domain if domain is not None else (None, None)
    name = "formula" if formula else surface
    scene = Scene(name, (0.0, 0.0), runs, max(int(steps), 1), noise, seed, formula=formula, x_range=x_range,
                  y_range=y_range)  # fmt: skip
    where = start if start is not None else scene.surface_obj.start
    return replace(scene, start=(float(where[0]), float(where[1])))


def load_session(path: str | Path) -> Scene:
    """The scene a session file (``.adamgui.json``) keeps; SessionError with a sentence naming what is wrong."""
    return load(path)[0]


def save_session(scene: Scene, path: str | Path) -> None:
    """Write ``scene`` as a session file the window opens (all or nothing)."""
    save(path, scene)


def scene_json(scene: Scene) -> str:
    """``scene`` as a session's JSON text (what a session file holds)."""
    import json

    return json.dumps(scene_to_dict(scene), indent=1)


def scene_from_json(text: str) -> Scene:
    """The scene of a session's JSON text, read as carefully as a session file.

    >>> scene_from_json(scene_json(preset("ravine"))).surface
    'ravine'
    """
    return from_text(text, "the scene's JSON")[0]


def link(scene: Scene) -> str:
    """``scene`` as an ``adamgui:`` link (what Share > Copy Link gives).

    >>> link(preset("ravine"))[:10]
    'adamgui:1.'
    """
    return to_link(scene)


def open_link(text: str) -> Scene:
    """The scene an ``adamgui:`` link holds; LinkError with a sentence for a broken or foreign one."""
    return from_link(text)


def surface_grid(scene: Scene, n: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The scene's loss surface sampled for a picture: x (n,), y (n,) over its domain and z (n, n), z[i, j] = f(x_i,
    y_j) (NaN where f is undefined). A contour plot wants ``z.T``.

    >>> xs, ys, z = surface_grid(preset("ravine"), 5)
    >>> z.shape
    (5, 5)
    """
    return scene.surface_obj.grid(int(n))


def surface_shading(z: np.ndarray) -> np.ndarray:
    """``z`` mapped to [0, 1] as the window colours and contours it: linear, or logarithmic in f − f_min where the
    values span more than two decades (core/scale.py); NaN stays NaN.

    >>> surface_shading(np.array([0.0, 1.0, 2.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    from adamgui.core.scale import ValueScale

    return ValueScale.fit(z).normalize(z)


def colors(scene: Scene) -> list[str]:
    """Each run's colour in the window (hex), in order."""
    return [r.color for r in scene.runs]


@dataclass(frozen=True)
class Result:
    """What :func:`run` gives: per run label, its path (steps + 1, 2) from the start, its loss at each point,
    its status in words, and the learning rate α_t of each step t = 1…steps (the schedule's, if any)."""

    scene: Scene
    steps: int
    labels: list[str]
    paths: dict[str, np.ndarray]
    losses: dict[str, np.ndarray]
    statuses: dict[str, str]
    learning_rates: dict[str, np.ndarray]
    _simulation: Simulation = field(repr=False, compare=False)

    def to_csv(self) -> str:
        """``run,optimizer,step,x,y,loss``: the same text as ``main.py run`` writes for this scene."""
        out = io.StringIO()
        write_csv(self._simulation, out)
        return out.getvalue()

    def to_json(self) -> str:
        """The surface, each run's resolved hyperparameters, status, path and losses: as ``main.py run --format
        json`` writes them."""
        out = io.StringIO()
        write_json(self._simulation, out)
        return out.getvalue()

    def final_positions(self) -> dict[str, tuple[float, float]]:
        """Where each run is after the last step (a diverged run: its last finite point)."""
        return {label: (float(p[-1, 0]), float(p[-1, 1])) for label, p in self.paths.items()}


def run(scene: Scene, steps: int | None = None) -> Result:
    """Step every run of ``scene`` ``steps`` times (default: its step limit), as the window and the command line
    do, to the same numbers."""
    steps = scene.step_limit if steps is None else int(steps)
    sim = scene.simulation()
    sim.step(steps)
    labels = sim.labels()
    paths, losses, statuses, rates = {}, {}, {}, {}
    for label, r in zip(labels, sim.runs, strict=True):
        paths[label] = r.path().copy()
        losses[label] = r.losses().copy()
        statuses[label] = r.status_text()
        rates[label] = r.learning_rates()
    return Result(scene, steps, labels, paths, losses, statuses, rates, sim)


def write(scene: Scene, steps: int, fmt: str, out: TextIO) -> list[str]:
    """``scene`` run ``steps`` steps and written as ``fmt`` ('csv' or 'json') to ``out``, one run at a time (at most
    one run's record held): what ``main.py run`` does. Returns a sentence for each run a plugin's rule stopped."""
    return write_streamed(scene.simulation(), steps, fmt, out)
