"""What the window shows: a surface, a start, runs with colors, a step limit. No Qt.

The controller turns a :class:`Scene` into a :class:`Simulation`; presets and
(later) session files produce scenes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from adamgui.core.limits import MAX_RUNS
from adamgui.core.models import Batching
from adamgui.core.network_setup import NetworkSetup
from adamgui.core.optimizers import get_optimizer
from adamgui.core.params import ParamError
from adamgui.core.presets import Preset, get_preset
from adamgui.core.race_table import RaceRow
from adamgui.core.simulation import RunSpec, Simulation, unique_labels
from adamgui.core.surfaces import Box, Surface, get_surface, resolve_surface, with_box

# Trail colors: the Okabe-Ito palette, safe for color-blind eyes, without its yellow and black (too
# close to the gold momentum arrow and to the dark background) and never white (the gradient arrows,
# the start ring and the minima are white); two of Tableau 10's fill the eight places.
PALETTE = (
    "#d55e00",  # vermillion
    "#56b4e9",  # sky blue
    "#e69f00",  # orange
    "#cc79a7",  # reddish purple
    "#009e73",  # bluish green
    "#0072b2",  # blue
    "#ff9da7",  # pink
    "#9c755f",  # brown
)
# Each optimizer's own color, so Adam looks the same in every preset: GD and Adam as far apart as the
# palette allows (vermillion and sky blue), their relatives after them.
OPTIMIZER_COLORS = {
    "gd": PALETTE[0],
    "adam": PALETTE[1],
    "momentum": PALETTE[3],
    "rmsprop": PALETTE[2],
    "nesterov": PALETTE[4],
    "adamw": PALETTE[5],
    "amsgrad": PALETTE[6],
    "adagrad": PALETTE[7],
    "adamax": PALETTE[4],
    "nadam": PALETTE[5],
    "radam": PALETTE[2],
    "adadelta": PALETTE[3],
    "lion": PALETTE[7],
    "adabelief": PALETTE[4],
    "schedulefree-adamw": PALETTE[0],
    "sign": PALETTE[6],
    "newton": PALETTE[7],
}

DEFAULT_STEP_LIMIT = 500


@dataclass(frozen=True)
class RunConfig:
    """A run as the user set it up: what to run, its color, whether it is shown.

    ``key`` is the run's identity for life: its noise stream, and what a map was computed for.
    """

    spec: RunSpec
    color: str
    visible: bool = True
    key: int = 0


@dataclass(frozen=True)
class SurfaceKey:
    """Everything that decides a scene's surface and the gradients its runs see, by value: the scene's surface is
    built from it, and what is computed on that surface (maps, sweeps, races) is kept under it."""

    surface: str
    formula: str
    x_range: tuple[float, float] | None
    y_range: tuple[float, float] | None
    data: str
    box: Box | None
    batching: Batching

    def build(self) -> Surface:
        surface = resolve_surface(self.surface, self.formula, self.x_range, self.y_range, self.data)
        return surface if self.box is None else with_box(surface, self.box)


@dataclass(frozen=True)
class Scene:
    surface: str = "saddle"
    start: tuple[float, float] = (-4.0, 0.4)
    runs: tuple[RunConfig, ...] = ()
    step_limit: int = DEFAULT_STEP_LIMIT
    noise: float = 0.0
    seed: int = 0
    title: str = ""
    watch: str = ""
    formula: str = ""  # used when surface == "formula"
    x_range: tuple[float, float] | None = None  # None: the surface's own domain
    y_range: tuple[float, float] | None = None
    chapter: str = ""  # the lesson's chapter this scene belongs to ("" for none)
    batch_size: int = 0  # a model's loss: rows per gradient (0, or all rows: the full batch)
    batch_seed: int = 0  # which minibatches: each run draws from the stream [batch_seed, key]
    data: str = ""  # a model's loss on the user's CSV file ("" for its bundled data)
    race: tuple[RaceRow, ...] = ()  # the results of the race that tuned its runs, if one did
    network: NetworkSetup | None = None  # what the Network dock trains beside the surface, if anything
    batch_ordered: bool = False  # minibatches take the rows in their order every epoch (not shuffled)
    box: Box | None = None  # a feasible box every step is projected onto (None: the surface's own, if any)

    def __post_init__(self):
        if len({r.key for r in self.runs}) < len(self.runs):  # built without keys: a run is keyed by position
            object.__setattr__(self, "runs", tuple(replace(r, key=i) for i, r in enumerate(self.runs)))

    @property
    def batching(self) -> Batching:
        """How a model's loss gives each step its gradient (minibatch size, stream, order)."""
        return Batching(self.batch_size, self.batch_seed, self.batch_ordered)

    @property
    def surface_key(self) -> SurfaceKey:
        """The inputs of this scene's surface and gradients, one value (see :class:`SurfaceKey`)."""
        return SurfaceKey(self.surface, self.formula, self.x_range, self.y_range, self.data, self.box, self.batching)

    @property
    def surface_obj(self) -> Surface:
        return self.surface_key.build()

    def simulation(self) -> Simulation:
        specs, keys = [r.spec for r in self.runs], [r.key for r in self.runs]
        return Simulation(
            self.surface_obj,
            self.start,
            specs,
            keys=keys,
            noise=self.noise,
            seed=self.seed,
            batch_size=self.batch_size,
            batch_seed=self.batch_seed,
            batch_ordered=self.batch_ordered,
        )

    def labels(self) -> list[str]:
        """One label per run, as every view shows it (a repeated optimizer suffixed -2, -3...)."""
        return unique_labels([r.spec for r in self.runs])

    def next_color(self, optimizer: str = "") -> str:
        """The optimizer's own color if no run has it, else the first free one of the palette."""
        used = {r.color for r in self.runs}
        return _color_for(optimizer, used, len(self.runs))

    def next_key(self) -> int:
        return max((r.key for r in self.runs), default=-1) + 1

    def index_of(self, key: int) -> int:
        """The position of the run with ``key``; ParamError if there is none."""
        for i, r in enumerate(self.runs):
            if r.key == key:
                return i
        raise ParamError(f"There is no run with key {key}")

    def with_run(self, spec: RunSpec) -> Scene:
        """One more run (at most MAX_RUNS), with a color and a key no other run has."""
        if len(self.runs) >= MAX_RUNS:
            raise ParamError(f"A scene has at most {MAX_RUNS} runs")
        spec.resolved()  # ParamError for an unknown optimizer or a bad value
        color = self.next_color(spec.optimizer)
        return replace(self, runs=self.runs + (RunConfig(spec, color, key=self.next_key()),))

    def without_run(self, index: int) -> Scene:
        """The scene less run ``index``; the last run cannot go (a scene has at least one)."""
        if len(self.runs) <= 1:
            raise ParamError("A scene needs at least one run")
        return replace(self, runs=self.runs[:index] + self.runs[index + 1 :])

    def with_run_params(self, index: int, params: Mapping[str, float | bool]) -> Scene:
        """Run ``index`` with some hyperparameters changed; ParamError for a name or value it does not take."""
        spec = self.runs[index].spec
        resolved = get_optimizer(spec.optimizer).resolve({**spec.resolved(), **params})
        return replace_run(self, index, spec=RunSpec(spec.optimizer, resolved, spec.label, spec.schedule))

    def with_surface(self, name: str) -> Scene:
        """A built-in surface on its own domain, from its default start."""
        start = get_surface(name).start
        return replace(
            self,
            surface=name,
            formula="",
            x_range=None,
            y_range=None,
            start=start,
            title="",
            watch="",
            data="",
            box=None,
        )

    def with_data(self, path: str) -> Scene:
        """The model's loss on the user's CSV ``path`` ('' for the bundled data), on the domain and from the
        start that fit it; FileProblem or ParamError (nothing changed) if it cannot be used."""
        surface = resolve_surface(self.surface, "", None, None, str(path))
        batch = self.batch_size if self.batch_size < len(surface.model.y) else 0
        return replace(
            self, data=str(path), x_range=None, y_range=None, start=surface.start, batch_size=batch, title="", watch=""
        )

    def with_formula(self, text: str) -> Scene:
        """A typed formula, on the domain the user set (if any; else the default one).

        Raises FormulaError and changes nothing if refused, and ParamError if the formula is
        defined nowhere on the user's domain (so no start can be found there).
        """
        surface = resolve_surface("formula", text.strip(), self.x_range, self.y_range)
        if self.x_range is not None and not np.isfinite(surface.value(np.array([surface.start]))).all():
            (x0, x1), (y0, y1) = surface.x_range, surface.y_range
            raise ParamError(
                f"f is not defined anywhere we looked on your domain x [{x0:g}, {x1:g}], y [{y0:g}, {y1:g}]: "
                "widen or move the domain first"
            )
        return replace(self, surface="formula", formula=text.strip(), start=surface.start, title="", watch="")

    def with_domain(self, x_range: tuple[float, float], y_range: tuple[float, float]) -> Scene:
        """The same surface plotted over a new domain (ParamError if a range is bad); the start is kept."""
        resolve_surface(self.surface, self.formula, tuple(x_range), tuple(y_range), self.data)
        return replace(self, x_range=tuple(x_range), y_range=tuple(y_range))


def _color_for(optimizer: str, used: set[str], count: int) -> str:
    own = OPTIMIZER_COLORS.get(optimizer)
    if own is not None and own not in used:
        return own
    free = [c for c in PALETTE if c not in used]
    return free[0] if free else PALETTE[count % len(PALETTE)]


def scene_from_preset(preset: Preset) -> Scene:
    runs: list[RunConfig] = []
    for i, spec in enumerate(preset.runs):
        color = _color_for(spec.optimizer, {r.color for r in runs}, len(runs))
        runs.append(RunConfig(spec, color, key=i))
    runs = tuple(runs)
    return Scene(
        preset.surface,
        preset.start,
        runs,
        max(preset.steps, 1),
        preset.noise,
        preset.seed,
        preset.title,
        preset.watch,
        batch_size=preset.batch_size,
        batch_ordered=preset.batch_ordered,
    )


def default_scene() -> Scene:
    return scene_from_preset(get_preset("seed-notebook"))


def replace_run(scene: Scene, index: int, **changes) -> Scene:
    runs = list(scene.runs)
    runs[index] = replace(runs[index], **changes)
    return replace(scene, runs=tuple(runs))
