"""The lesson: from gradient descent to Adam in ten chapters, a fair race in an eleventh, what a slice of a real
network's landscape shows in a twelfth, the edge of stability (Cohen et al. 2021; Zhu et al. 2023) in a
thirteenth and where Adam does not converge (Reddi et al. 2018) in a fourteenth; each a live scene.

Each chapter loads a scene into the app, shows its update rule (LaTeX, typeset by the window),
names the live quantities of the rule, says in a few sentences what to watch, and offers one or two
"try this" changes. What a chapter says is a :class:`Claim` about its scene, checked by running it
(``tests/core/test_lesson.py``): where the notebook's words and the numbers part, the chapter
says what the numbers do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from adamgui.core.curvature import sharpness
from adamgui.core.network_setup import NetworkSetup
from adamgui.core.optimizers import UNCORRECTED_LATEX
from adamgui.core.params import ParamError
from adamgui.core.presets import Preset, get_preset
from adamgui.core.scene import Scene, scene_from_preset
from adamgui.core.simulation import Run, RunSpec, Simulation


@dataclass(frozen=True)
class Claim:
    """A sentence a chapter says, and the check of it against the scene run to its step limit."""

    text: str
    holds: Callable[[Simulation], bool]


@dataclass(frozen=True)
class TryThis:
    """A one-click change to the chapter's scene, what it shows, and the check that it does."""

    label: str
    says: str
    change: Callable[[Scene], Scene]
    claim: Callable[[Simulation], bool]


# A live quantity of the rule: (its symbol in LaTeX, where it comes from). Sources: "grad",
# "theta_prev", "theta", "delta", "term:<name>" (a term of the update rule), "hp:<name>".
Symbol = tuple[str, str]


@dataclass(frozen=True)
class Chapter:
    key: str
    title: str
    rule: tuple[str, ...]  # LaTeX, one line each
    symbols: tuple[Symbol, ...]
    watch: str
    preset: Preset
    claims: tuple[Claim, ...]
    tries: tuple[TryThis, ...]
    focus: int = 0  # the run whose numbers are shown (the inspected run)
    follow: bool = False  # widen the views to keep the runs in sight
    speed: int = 10  # steps per second when it loads
    network: NetworkSetup | None = None  # a network the Network dock trains beside the scene
    plot: str = ""  # a Plots tab the chapter reads from (brought to the front when it loads)

    def rule_for(self, scene: Scene | None) -> tuple[str, ...]:
        """The rule as shown with ``scene``: Adam's bias-correction line says m̂ = m and v̂ = v when the
        inspected run has bias correction switched off (the numbers beside it show exactly that)."""
        corrections = [line.startswith(r"\hat{m}_t = \frac") for line in self.rule]  # the bias-correction line
        if scene is None or not any(corrections) or not 0 <= self.focus < len(scene.runs):
            return self.rule
        spec = scene.runs[self.focus].spec
        if spec.optimizer == "adam" and spec.params.get("bias_correction", True) is False:
            return tuple(UNCORRECTED_LATEX if fix else line for line, fix in zip(self.rule, corrections, strict=True))
        return self.rule

    def scene(self) -> Scene:
        scene = scene_from_preset(self.preset)
        return replace(scene, chapter=self.key, title=self.title, watch=self.watch, network=self.network)


def first_step(run: Run) -> np.ndarray:
    return run.path()[1] - run.path()[0]


def sign_changes(values: np.ndarray) -> int:
    return int(np.sum(np.sign(values[1:]) != np.sign(values[:-1])))


def _first_step_each(index: int, size: float) -> Callable[[Simulation], bool]:
    """The check that run ``index``'s first step is ``size`` long in each coordinate."""
    return lambda sim: np.allclose(np.abs(first_step(sim.runs[index])), size, rtol=1e-6)


def _set(index: int, **params) -> Callable[[Scene], Scene]:
    return lambda scene: scene.with_run_params(index, params)


def _start(x: float, y: float, steps: int | None = None) -> Callable[[Scene], Scene]:
    def change(scene: Scene) -> Scene:
        scene = replace(scene, start=(x, y))
        return replace(scene, step_limit=steps) if steps else scene

    return change


def _sharpness(sim: Simulation, index: int) -> np.ndarray:
    """λ_max of the Hessian at each point of run ``index``'s path."""
    return sharpness(sim.surface, sim.runs[index].path())


def _first_above(sim: Simulation, index: int) -> int | None:
    """The first step at which run ``index``'s sharpness exceeds its GD stability limit 2/α (None: never)."""
    above = np.flatnonzero(_sharpness(sim, index) > 2 / sim.runs[index].hp["lr"])
    return int(above[0]) if len(above) else None


def _rises(run: Run, until: int | None = None) -> tuple[int, int | None]:
    """How many steps (up to step ``until``, if given) raised the loss, and the last that did."""
    losses = run.losses() if until is None else run.losses()[: until + 1]
    up = np.flatnonzero(np.diff(losses) > 0)
    return len(up), (int(up[-1]) + 1 if len(up) else None)


def _below(run: Run, level: float) -> int | None:
    """The first step whose loss is below ``level``."""
    hits = np.flatnonzero(run.losses() < level)
    return int(hits[0]) if len(hits) else None


def _linear_neuron(scene: Scene) -> Scene:
    """The edge-of-stability chapter's second surface: ½(1 − xy)² from (1.2, 0.3), GD at α = 0.9 and 1.2."""
    preset = replace(get_preset("linear-neuron-edge"), name="lesson-linear-neuron", title=scene.title, watch="")
    return replace(scene_from_preset(preset), chapter=scene.chapter, title=scene.title, watch=scene.watch)


def _cross_entropy(scene: Scene) -> Scene:
    """The edge-of-stability chapter's third surface: cross-entropy of xy from (6, 0.1), GD at α = 1 and 0.5."""
    preset = replace(get_preset("cross-entropy-edge"), name="lesson-cross-entropy", title=scene.title, watch="")
    return replace(scene_from_preset(preset), chapter=scene.chapter, title=scene.title, watch=scene.watch)


def _first_x_above(run: Run, level: float) -> int | None:
    """The first step whose x is above ``level``."""
    hits = np.flatnonzero(run.path()[:, 0] > level)
    return int(hits[0]) if len(hits) else None


def _last_period(run: Run, steps: int = 101) -> tuple[float, float]:
    """The lowest and highest x of the run's last ``steps`` steps, to three decimals (its range over a period)."""
    x = run.path()[-steps:, 0]
    return round(float(x.min()), 3), round(float(x.max()), 3)


def _both(**params) -> Callable[[Scene], Scene]:
    """Every run of the scene with ``params`` changed."""

    def change(scene: Scene) -> Scene:
        for index in range(len(scene.runs)):
            scene = scene.with_run_params(index, params)
        return scene

    return change


def _reached(run: Run, tol: float) -> int | None:
    """The first step at which ``run``'s loss was at or below ``tol`` (None: never)."""
    hit = np.flatnonzero(run.losses() <= tol)
    return int(hit[0]) if len(hit) else None


# α of GD, momentum and Adam on the ravine from (-9, 2), as a race tunes them: 64 trials each over
# [1e-4, 10] (log), objective the steps to loss 1e-8 within 1,000 (tests/core/test_lesson.py reruns it)
TUNED_RAVINE = (0.4741145205620571, 0.4528078825320238, 0.656454003171988)


def _tuned(rates: tuple[float, ...]) -> Callable[[Scene], Scene]:
    def change(scene: Scene) -> Scene:
        for i, lr in enumerate(rates):
            scene = scene.with_run_params(i, {"lr": lr})
        return scene

    return change


# The network chapter: a 2-16-16-1 network on the spirals, three optimizers, 300 steps (tests/core/test_lesson.py)
SLICE_NETWORK = NetworkSetup(
    "mlp:hidden=16,16,activation=tanh",
    "spirals:size=200,noise=0.1,seed=0",
    ("gd:lr=0.5", "momentum:lr=0.5", "adam:lr=0.01"),
    steps=300,
)


@lru_cache(maxsize=1)
def network_facts() -> dict:
    """What the network chapter says, measured: each run's final training loss and distance off each plane,
    the slice's loss under each run's shadow, the PCA plane's explained variance."""
    from adamgui.core.slices import loss_grid, make_plane

    training = SLICE_NETWORK.training()
    training.step(SLICE_NETWORK.steps)
    paths = [training.path(k) for k in range(len(training.labels))]
    model, data = training.task.model, training.task.train
    facts: dict = {"loss": [float(training.losses(k)[-1]) for k in range(len(paths))]}
    for kind in ("random", "pca"):
        plane = make_plane(kind, model, training.task.theta0, paths, SLICE_NETWORK.plane_seed)
        ends = np.array([path[-1] for path in paths])
        ab = plane.coordinates(ends)
        facts[kind] = {
            "distance": plane.distance(ends).tolist(),
            "moved": [float(np.linalg.norm(path[-1] - path[0])) for path in paths],
            "shadow_loss": loss_grid(model, data, plane, ab[:, 0], ab[:, 1]).tolist(),
            "explained": plane.explained,
        }
    return facts


ADAM_LINES = (
    r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2",
    r"\hat{m}_t = \frac{m_t}{1-\beta_1^t} \qquad \hat{v}_t = \frac{v_t}{1-\beta_2^t}",
    r"\theta_t = \theta_{t-1} - \alpha\,\frac{\hat{m}_t}{\sqrt{\hat{v}_t}+\epsilon}",
)
ADAM_SYMBOLS: tuple[Symbol, ...] = (
    (r"g_t", "grad"),
    (r"m_t", "term:m"),
    (r"v_t", "term:v"),
    (r"\hat{m}_t", "term:m_hat"),
    (r"\hat{v}_t", "term:v_hat"),
    (r"\Delta\theta_t", "delta"),
    (r"\theta_t", "theta"),
)

CHAPTERS: tuple[Chapter, ...] = (
    Chapter(
        "gradient",
        "The surface and its gradient",
        (
            r"f(x, y) = x^2 - y^2 \qquad g = \nabla f = \left(\frac{\partial f}{\partial x},\ "
            r"\frac{\partial f}{\partial y}\right) = (2x,\ -2y)",
        ),  # fmt: skip
        ((r"\theta_{t-1}", "theta_prev"), (r"g_t", "grad")),
        "The loss is the height of the surface. Its gradient g points uphill, the way f grows fastest, "
        "and its length says how steep that is (the map's arrow shows its direction only, at one length; "
        "the inspector gives its size). At the start (−4, 0.4) it is (−8, −0.8): steep along x, "
        "nearly flat along y. Step through and watch g in the inspector.",
        Preset(
            "lesson-gradient",
            "The surface and its gradient",
            "",
            "saddle",
            (-4.0, 0.4),
            (RunSpec("gd", {"lr": 0.1}),),
            12,
        ),  # fmt: skip
        (
            Claim(
                "At (−4, 0.4) the gradient is (−8, −0.8).",
                lambda sim: np.array_equal(sim.runs[0].grad_used(1)[0], [-8.0, -0.8]),
            ),
        ),
        (
            TryThis(
                "Start at (2, 0)",
                "On the line y = 0 the gradient has no y part: GD walks straight into the saddle point "
                "(0, 0), x shrinking by 0.8 a step, and y stays exactly 0.",
                _start(2.0, 0.0, 60),
                lambda sim: bool(np.all(sim.runs[0].path()[:, 1] == 0) and abs(sim.runs[0].path()[-1, 0]) < 1e-4),
            ),
        ),
    ),
    Chapter(
        "descent",
        "Gradient descent",
        (r"\theta_t = \theta_{t-1} - \alpha\, g_t",),
        ((r"\alpha", "hp:lr"), (r"g_t", "grad"), (r"\Delta\theta_t", "delta"), (r"\theta_t", "theta")),
        "Each step goes against the gradient, α times its length. On the bowl x² + y² the gradient is 2θ, "
        "so every step multiplies the position by 1 − 2α = 0.8: long steps far out, short ones near the "
        "bottom, with nobody telling it to slow down.",
        Preset("lesson-descent", "Gradient descent", "", "bowl", (-4.0, 3.0), (RunSpec("gd", {"lr": 0.1}),), 40),
        (
            Claim(
                "Every step multiplies the position by 0.8.",
                lambda sim: np.allclose(sim.runs[0].path()[1:], 0.8 * sim.runs[0].path()[:-1], rtol=1e-12, atol=0),
            ),
            Claim("After 40 steps the loss is below 1e-6.", lambda sim: sim.runs[0].losses()[-1] < 1e-6),
        ),
        (
            TryThis(
                "α = 0.9: overshoot",
                "Now 1 − 2α = −0.8: every step jumps across the bottom, landing 0.8 times as far on the other side.",
                _set(0, lr=0.9),
                lambda sim: sign_changes(sim.runs[0].path()[:, 0]) == 40,
            ),
            TryThis(
                "α = 1.05: divergence",
                "Now 1 − 2α = −1.1: every jump lands farther out than it started, and the run leaves the "
                "plotted square at step 3.",
                _set(0, lr=1.05),
                lambda sim: sim.runs[0].left_step[0] == 3,
            ),
        ),
    ),
    Chapter(
        "saddle",
        "A saddle point",
        (
            r"\theta_t = \theta_{t-1} - \alpha\,(2x_{t-1},\ -2y_{t-1}) \quad\Rightarrow\quad "
            r"x_t = 0.8\,x_{t-1},\quad y_t = 1.2\,y_{t-1}",
        ),  # fmt: skip
        ((r"\theta_{t-1}", "theta_prev"), (r"g_t", "grad"), (r"\theta_t", "theta")),
        "Along x the saddle is a valley, along y a ridge. GD shrinks x by 0.8 and grows y by 1.2 each step, "
        "so from (−4, 0.4) it does not stall at the saddle point: it slides off the ridge and leaves the "
        "square at step 11. The views follow it out. It lingers only when it starts very near the ridge line.",
        Preset("lesson-saddle", "A saddle point", "", "saddle", (-4.0, 0.4), (RunSpec("gd", {"lr": 0.1}),), 30),
        (
            Claim(
                "Each step, x shrinks by 0.8 and y grows by 1.2.",
                lambda sim: np.allclose(
                    sim.runs[0].path()[1:], sim.runs[0].path()[:-1] * [0.8, 1.2], rtol=1e-12, atol=0
                ),
            ),
            Claim("It leaves the square at step 11.", lambda sim: sim.runs[0].left_step[0] == 11),
        ),
        (
            TryThis(
                "Start near the ridge: y₀ = 0.001",
                "400 times closer to the ridge, y needs 33 more growths of 1.2 to get out: GD lingers near "
                "the saddle point and leaves only at step 43.",
                _start(-4.0, 0.001, 60),
                lambda sim: sim.runs[0].left_step[0] == 43,
            ),
        ),
        follow=True,
    ),
    Chapter(
        "momentum",
        "Momentum: the first moment",
        (r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t \qquad \theta_t = \theta_{t-1} - \alpha\, m_t",),
        ((r"g_t", "grad"), (r"m_t", "term:m"), (r"\Delta\theta_t", "delta")),
        "In the narrow ravine 0.1x² + 2y², GD at α = 0.45 flips y across the floor at every step. Momentum "
        "follows an average of recent gradients, in which the flips cancel: its y changes sign 14 times in "
        "100 steps instead of 100. Written this way (with 1 − β₁) the average also shortens the step, so "
        "here it is smoother, not faster: after 100 steps its loss is higher than GD's.",
        Preset(
            "lesson-momentum",
            "Momentum",
            "",
            "ravine",
            (-9.0, 2.0),
            (RunSpec("gd", {"lr": 0.45}), RunSpec("momentum", {"lr": 0.45, "beta1": 0.9})),
            100,
        ),  # fmt: skip
        (
            Claim("GD's y changes sign at every step.", lambda sim: sign_changes(sim.runs[0].path()[:, 1]) == 100),
            Claim("Momentum's y changes sign 14 times.", lambda sim: sign_changes(sim.runs[1].path()[:, 1]) == 14),
            Claim(
                "After 100 steps momentum's loss is higher than GD's.",
                lambda sim: sim.runs[1].losses()[-1] > sim.runs[0].losses()[-1],
            ),
        ),
        (
            TryThis(
                "β₁ = 0",
                "With β₁ = 0 the average is the last gradient alone: momentum is GD, and the two paths coincide.",
                _set(1, beta1=0.0),
                lambda sim: np.array_equal(sim.runs[0].path(), sim.runs[1].path()),
            ),
        ),
        focus=1,
    ),
    Chapter(
        "rmsprop",
        "RMSprop: the second moment",
        (
            r"v_t = \alpha_v\, v_{t-1} + (1-\alpha_v)\, g_t^2 \qquad "
            r"\theta_t = \theta_{t-1} - \frac{\alpha}{\sqrt{v_t}+\epsilon}\, g_t",
        ),  # fmt: skip
        (
            (r"g_t", "grad"),
            (r"v_t", "term:v"),
            (r"\frac{\alpha}{\sqrt{v_t}+\epsilon}", "term:rate"),
            (r"\Delta\theta_t", "delta"),
        ),  # fmt: skip
        "RMSprop divides each coordinate's step by the root of a running average of its squared gradients, "
        "so a steep and a shallow direction move alike. Its first step is α/√(1 − α_v) = 10α = 0.1 in both "
        "x and y, though the slope in y is four times the slope in x: the average starts at zero, so at "
        "first it is far too small. Then it crawls: once the average has caught up, each step is about α = 0.01 "
        "in each coordinate however steep the slope, so after 100 steps it has come 1.9 of the 9 units along x "
        "(loss 5.4) while GD, whose step grows with the slope, is at 5e-8. Raise α to move faster.",
        Preset(
            "lesson-rmsprop",
            "RMSprop",
            "",
            "ravine",
            (-9.0, 2.0),
            (RunSpec("gd", {"lr": 0.45}), RunSpec("rmsprop", {"lr": 0.01})),
            100,
        ),  # fmt: skip
        (
            Claim(
                "RMSprop's first step is 0.1 in x and in y.",
                _first_step_each(1, 0.1),
            ),
            Claim(
                "After 100 steps RMSprop has come 1.9 of the 9 units along x (loss 5.4); GD's loss is 5e-8.",
                lambda sim: (
                    round(sim.runs[1].path()[-1, 0] - sim.runs[1].path()[0, 0], 1) == 1.9
                    and round(float(sim.runs[1].losses()[-1]), 1) == 5.4
                    and f"{sim.runs[0].losses()[-1]:.0e}" == "5e-08"
                ),
            ),
        ),
        (
            TryThis(
                "α_v = 0.9",
                "A shorter memory: the first step becomes α/√0.1 ≈ 3.2α = 0.032 in each coordinate.",
                _set(1, alpha=0.9),
                _first_step_each(1, 0.01 / np.sqrt(0.1)),
            ),
        ),
        focus=1,
    ),
    Chapter(
        "adam",
        "Adam",
        ADAM_LINES,
        ADAM_SYMBOLS,
        "Adam keeps both averages, m for the direction and v for the scale, each corrected for starting at "
        "zero. Its first step is α = 0.3 in each coordinate whatever the slope, and it goes down the ravine "
        "without GD's zig-zag.",
        Preset(
            "lesson-adam",
            "Adam",
            "",
            "ravine",
            (-9.0, 2.0),
            (RunSpec("gd", {"lr": 0.45}), RunSpec("adam", {"lr": 0.3})),
            100,
        ),  # fmt: skip
        (
            Claim(
                "Adam's first step is 0.3 in each coordinate.",
                _first_step_each(1, 0.3),
            ),
            Claim(
                "Adam's y changes sign far less often than GD's.",
                lambda sim: sign_changes(sim.runs[1].path()[:, 1]) < sign_changes(sim.runs[0].path()[:, 1]) / 4,
            ),
        ),
        (
            TryThis(
                "β₁ = 0",
                "Without the first average Adam is RMSprop with bias correction: the first step is still α, "
                "but each step now follows the latest gradient alone.",
                _set(1, beta1=0.0),
                _first_step_each(1, 0.3),
            ),
        ),
        focus=1,
    ),
    Chapter(
        "bias",
        "Bias correction",
        (r"\hat{m}_t = \frac{m_t}{1-\beta_1^{\,t}} \qquad \hat{v}_t = \frac{v_t}{1-\beta_2^{\,t}}",),
        (
            (r"m_t", "term:m"),
            (r"\hat{m}_t", "term:m_hat"),
            (r"v_t", "term:v"),
            (r"\hat{v}_t", "term:v_hat"),
            (r"\Delta\theta_t", "delta"),
        ),  # fmt: skip
        "m and v start at zero, so early on they are too small: after one step m = 0.1g and v = 0.001g². "
        "Dividing by 1 − βᵗ undoes exactly that, and the first step is α. The correction fades as t grows. "
        "Switch it off to see the first steps it saves you from.",
        Preset("lesson-bias", "Bias correction", "", "ravine", (-9.0, 2.0), (RunSpec("adam", {"lr": 0.3}),), 100),
        (
            Claim(
                "With the correction the first step is 0.3 in each coordinate.",
                _first_step_each(0, 0.3),
            ),
        ),
        (
            TryThis(
                "Bias correction off",
                "Now the first step is α(1 − β₁)/√(1 − β₂) ≈ 3.2α ≈ 0.95 in each coordinate: a jump three "
                "times longer than asked for.",
                _set(0, bias_correction=False),
                _first_step_each(0, 0.03 / np.sqrt(0.001)),
            ),
        ),
    ),
    Chapter(
        "epsilon",
        "Epsilon",
        (r"\theta_t = \theta_{t-1} - \alpha\,\frac{\hat{m}_t}{\sqrt{\hat{v}_t}+\epsilon}",),
        (
            (r"g_t", "grad"),
            (r"\sqrt{\hat{v}_t}", "sqrt:term:v_hat"),
            (r"\epsilon", "hp:eps"),
            (r"\Delta\theta_t", "delta"),
        ),  # fmt: skip
        "Far out on this plateau the gradient is about 1e-5. ε only keeps the division safe while √v̂ is "
        "much larger than ε; here it is not. With ε = 1e-8 Adam takes full steps of about α; with ε = 1e-3 "
        "its first step is about 0.0055, less than a seventieth of that; GD barely moves at all.",
        Preset(
            "lesson-epsilon",
            "Epsilon",
            "",
            "plateau",
            (4.0, 3.0),
            (
                RunSpec("gd", {"lr": 0.3}),
                RunSpec("adam", {"lr": 0.3, "eps": 1e-8}),
                RunSpec("adam", {"lr": 0.3, "eps": 1e-3}),
            ),
            100,
        ),  # fmt: skip
        (
            Claim(
                "With ε = 1e-8 the first step is longer than 0.4.",
                lambda sim: np.linalg.norm(first_step(sim.runs[1])) > 0.4,
            ),
            Claim(
                "With ε = 1e-3 the first step is shorter than 0.01.",
                lambda sim: np.linalg.norm(first_step(sim.runs[2])) < 0.01,
            ),
            Claim("GD's loss is still above 0.999 after 100 steps.", lambda sim: sim.runs[0].losses()[-1] > 0.999),
        ),
        (
            TryThis(
                "ε = 0.1 for the first Adam",
                "Now ε is ten thousand times √v̂: Adam's first step shrinks to about 6e-5, nearly as timid as GD's.",
                _set(1, eps=0.1),
                lambda sim: np.linalg.norm(first_step(sim.runs[1])) < 1e-4,
            ),
        ),
        focus=1,
    ),
    Chapter(
        "notebook",
        "GD vs Adam on the notebook's saddle",
        ADAM_LINES,
        ADAM_SYMBOLS,
        "The notebook's own scene, to the last bit. Neither run gets stuck: Adam's first steps are α = 0.3 "
        "in each coordinate, so it leaves the square at step 8; GD leaves at step 11, its y growing 1.2 "
        "times a step. Following them, the views widen: at step 50 GD is at y ≈ 3,640 and Adam at y ≈ 18.",
        Preset(
            "lesson-notebook",
            "GD vs Adam on the notebook's saddle",
            "",
            "saddle",
            (-4.0, 0.4),
            (RunSpec("gd", {"lr": 0.1}), RunSpec("adam", {"lr": 0.3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})),
            50,
        ),  # fmt: skip
        (
            Claim("GD leaves the square at step 11.", lambda sim: sim.runs[0].left_step[0] == 11),
            Claim("Adam leaves it at step 8.", lambda sim: sim.runs[1].left_step[0] == 8),
            Claim(
                "At step 50, GD is at y ≈ 3,640 and Adam at y ≈ 18.",
                lambda sim: round(sim.runs[0].path()[-1, 1]) == 3640 and round(sim.runs[1].path()[-1, 1]) == 18,
            ),
        ),
        (
            TryThis(
                "Start near the ridge: y₀ = 0.001",
                "Now GD lingers by the saddle point until step 43, while Adam's normalized steps take it out by "
                "step 10: here Adam's habit of stepping α whatever the slope is what helps.",
                _start(-4.0, 0.001, 60),
                lambda sim: sim.runs[0].left_step[0] == 43 and 0 < sim.runs[1].left_step[0] <= 10,
            ),
        ),
        focus=1,
        follow=True,
    ),
    Chapter(
        "not-adam",
        "Where Adam is not the best choice",
        (
            r"\text{GD on } x^2+y^2:\ \theta_t = (1-2\alpha)\,\theta_{t-1} \qquad "
            r"\text{Adam: } |\Delta\theta_t| \approx \alpha \text{ while } \hat{m}_t \approx g_t",
        ),  # fmt: skip
        (
            (r"g_t", "grad"),
            (r"\hat{m}_t", "term:m_hat"),
            (r"\Delta\theta_t", "delta"),
            (r"\theta_t", "theta"),
        ),  # fmt: skip
        "On a round bowl, GD's step shrinks with the gradient: at α = 0.25 each step halves the distance, "
        "and it has converged by step 42. Adam's normalized step stays long until its averages settle, so it "
        "overshoots, circles back and is still more than 1e-4 away at step 200. Adaptive steps pay off in ravines, "
        "on plateaus and with noisy gradients, not on every surface.",
        Preset(
            "lesson-not-adam",
            "Where Adam is not the best choice",
            "",
            "bowl",
            (-4.0, 3.0),
            (RunSpec("gd", {"lr": 0.25}), RunSpec("adam", {"lr": 0.3})),
            200,
        ),  # fmt: skip
        (
            Claim("GD converges by step 42.", lambda sim: sim.runs[0].status_text() == "converged at step 42"),
            Claim(
                "Adam is still more than 1e-4 from the bottom at step 200.",
                lambda sim: sim.runs[1].status_name() == "running" and np.abs(sim.runs[1].path()[-1]).max() > 1e-4,
            ),
            Claim("Adam overshoots: its x changes sign.", lambda sim: sign_changes(sim.runs[1].path()[:, 0]) > 0),
        ),
        (
            TryThis(
                "Adam with α = 0.03",
                "Smaller steps, and now it is simply slow: at step 200 its loss is still above 0.05.",
                _set(1, lr=0.03),
                lambda sim: sim.runs[1].losses()[-1] > 0.05,
            ),
        ),
        focus=1,
    ),
    Chapter(
        "tune-first",
        "Is Adam better? Tune first",
        (
            r"\alpha^\star = \arg\min_{\alpha \in [10^{-4},\,10]} \ \text{steps until } f(\theta_t) \le 10^{-8}",
            r"\text{GD on } 0.1x^2 + 2y^2:\ "
            r"\alpha^\star = \frac{2}{\lambda_1+\lambda_2} = \frac{2}{0.2+4} \approx 0.476",
        ),  # fmt: skip
        ((r"\alpha", "hp:lr"), (r"g_t", "grad"), (r"\theta_t", "theta")),
        "Which optimizer is better depends on how well each one is tuned. With each one's default α, Adam "
        "reaches a loss of 1e-8 first, at step 198; momentum needs 398 steps and GD 508. Tune each with the same "
        "budget, 64 trials of α from 1e-4 to 10 judged by the steps to that loss, and the order turns round: GD "
        "first at step 104, its α within 1% of the best in theory, 2/(λ₁+λ₂). The toolbar's Race does this for "
        "any scene; Choi et al. (2019) found that rankings flip with the search space too.",
        Preset(
            "lesson-tune-first",
            "Is Adam better? Tune first",
            "",
            "ravine",
            (-9.0, 2.0),
            (RunSpec("gd"), RunSpec("momentum"), RunSpec("adam")),
            600,
        ),  # fmt: skip
        (
            Claim(
                "With its default α, Adam reaches a loss of 1e-8 first, at step 198; momentum at 398, GD at 508.",
                lambda sim: [_reached(run, 1e-8) for run in sim.runs] == [508, 398, 198],
            ),
        ),
        (
            TryThis(
                "Tune each with 64 trials",
                "Each tuned with the same 64 trials: GD reaches 1e-8 first, at step 104 (α = 0.474, within 1% of "
                "2/(λ₁+λ₂) = 0.476); momentum at 140, Adam at 151.",
                _tuned(TUNED_RAVINE),
                lambda sim: (
                    [_reached(run, 1e-8) for run in sim.runs] == [104, 140, 151]
                    and abs(sim.runs[0].hp["lr"] / (2 / 4.2) - 1) < 0.01
                ),
            ),
        ),
        speed=30,
    ),
    Chapter(
        "network-slice",
        "A real network: what a slice shows",
        (
            r"\theta(a, b) = \theta_0 + a\,u + b\,v",
            r"\text{off the plane: } \lVert \theta_t - \theta(a_t, b_t) \rVert",
        ),
        ((r"\alpha", "hp:lr"), (r"g_t", "grad"), (r"\theta_t", "theta")),
        "With two weights (this neuron on the map) the picture is the whole landscape. The Network dock trains a "
        "2-16-16-1 network, 337 weights, with GD, momentum and Adam for 300 steps, and can only show a slice: a "
        "plane through the first weights. Adam learns the spirals (training loss 0.13, against 0.61 for the "
        "others), yet on a random plane it ends 18.9 units off the slice, almost all of the 18.9 it moved, and the "
        "slice under its shadow reads 0.72. The PCA plane of the paths explains 98% of their variance and "
        "brings Adam's shadow to 0.23, still not its 0.13; GD ends 2.1 units off it. A path on a slice is a "
        "shadow: read its distance too.",
        Preset(
            "lesson-network-slice",
            "A real network: what a slice shows",
            "",
            "logistic-regression",
            (-2.0, 7.0),
            (RunSpec("gd", {"lr": 0.5}), RunSpec("adam", {"lr": 0.1})),
            300,
        ),  # fmt: skip
        (
            Claim(
                "After 300 steps Adam's training loss is 0.13; GD's and momentum's 0.61.",
                lambda sim: [round(x, 2) for x in network_facts()["loss"]] == [0.61, 0.61, 0.13],
            ),
            Claim(
                "On the random plane Adam ends 18.9 units off it (it moved 18.9), and the slice under its shadow "
                "reads 0.72.",
                lambda sim: (
                    round(network_facts()["random"]["distance"][2], 1) == 18.9
                    and round(network_facts()["random"]["moved"][2], 1) == 18.9
                    and round(network_facts()["random"]["shadow_loss"][2], 2) == 0.72
                ),
            ),
            Claim(
                "The PCA plane explains 98% of the paths' variance; Adam's shadow on it reads 0.23, and GD ends 2.1 "
                "units off it.",
                lambda sim: (
                    round(sum(network_facts()["pca"]["explained"]), 2) == 0.98
                    and round(network_facts()["pca"]["shadow_loss"][2], 2) == 0.23
                    and round(network_facts()["pca"]["distance"][0], 1) == 2.1
                ),
            ),
            Claim(
                "With the neuron's two weights both runs get within 0.03 of the lowest loss in 300 steps.",
                lambda sim: all(run.losses()[-1] - 0.10601 < 0.03 for run in sim.runs),
            ),
        ),
        (),
        network=SLICE_NETWORK,
    ),
    Chapter(
        "edge-of-stability",
        "The edge of stability",
        (
            r"f(x, y) = \tfrac{1}{4}\,(x^2 y^2 - 1)^2 \qquad "
            r"\lambda_{\max} = 2\,(x^2 + y^2) \ \text{on the minima } xy = \pm 1",
            r"\theta_t = \theta_{t-1} - \alpha\, g_t \ "
            r"\text{settles at a minimum only where } \lambda_{\max} < 2/\alpha",
        ),  # fmt: skip
        ((r"\alpha", "hp:lr"), (r"g_t", "grad"), (r"\theta_t", "theta")),
        "Near a minimum GD is stable only where the sharpness λ_max is below 2/α; Cohen et al. (ICLR 2021) found "
        "that full-batch GD on neural networks drives λ_max up to 2/α and holds it there while the loss, rising "
        "now and then, still falls. Zhu, Wang, Wang, Zhou and Ge (ICLR 2023) show it with two weights: on "
        "¼(x²y² − 1)² the minima along xy = ±1 are sharper the farther out they lie. From (2.5, 0.1), GD at "
        "α = 0.2 passes its limit 2/α = 10 at step 2 (λ_max 14.3), its loss rises on 136 steps yet is below 1e-12 "
        "by step 871, and it settles where λ_max = 9.93, 0.7% below the limit; at α = 0.1 GD never meets its "
        "limit of 20 and converges at step 22 (λ_max 13.06). Gan (2026) proves this settling for any loss of the "
        "product xy whose minima are 'product-stable', cross-entropy among them (Plots: Sharpness, solid λ_max, "
        "dashed 2/α).",
        replace(get_preset("edge-of-stability"), name="lesson-edge-of-stability", watch=""),
        (
            Claim(
                "GD at α = 0.2 passes its limit 2/α = 10 at step 2, where λ_max is 14.3 (it started at 0.03).",
                lambda sim: _first_above(sim, 0) == 2 and round(_sharpness(sim, 0)[2], 1) == 14.3,
            ),
            Claim(
                "Its loss rises on 136 steps, the last at step 269, yet is below 1e-12 by step 871.",
                lambda sim: _rises(sim.runs[0]) == (136, 269) and _below(sim.runs[0], 1e-12) == 871,
            ),
            Claim(
                "It settles where λ_max = 9.93, 0.7% below 2/α.",
                lambda sim: round(_sharpness(sim, 0)[-1], 2) == 9.93 and 0.99 < _sharpness(sim, 0)[-1] / 10 < 1,
            ),
            Claim(
                "GD at α = 0.1 never meets its limit of 20; its loss falls at every step, and it converges at step 22 "
                "where λ_max = 13.06.",
                lambda sim: (
                    _first_above(sim, 1) is None
                    and _rises(sim.runs[1]) == (0, None)
                    and sim.runs[1].status_text() == "converged at step 22"
                    and round(_sharpness(sim, 1)[-1], 2) == 13.06
                ),
            ),
        ),
        (
            TryThis(
                "One linear neuron, α = 0.9 and 1.2",
                "On ½(1 − xy)² every minimum has λ_max = x² + y² ≥ 2, so GD with α > 1 can settle at none. From "
                "(1.2, 0.3), α = 0.9 (limit 2.22) converges at step 206 where λ_max = 2.09; α = 1.2 (limit 1.67) "
                "never does: to step 1000 it jumps between (1.14, 1.14) and (0.73, 0.73), its loss 0.045 and "
                "0.108 in turn.",
                _linear_neuron,
                lambda sim: (
                    sim.runs[0].status_text() == "converged at step 206"
                    and round(_sharpness(sim, 0)[-1], 2) == 2.09
                    and sim.runs[1].status_name() == "running"
                    and np.allclose(sim.runs[1].path()[-2:], [[1.1395, 1.1395], [0.7313, 0.7313]], atol=5e-5)
                    and [round(x, 3) for x in sim.runs[1].losses()[-2:]] == [0.045, 0.108]
                    and sim.runs[1].losses()[-500:].min() > 0.04
                ),
            ),
            TryThis(
                "Cross-entropy, α = 1 and 0.5",
                "Gan's case: binary cross-entropy with target 0.9 of the logit xy; its minima along xy = ln 9 have "
                "λ_max = 0.09(x² + y²). From (6, 0.1), where λ_max = 8.24, GD at α = 1 has its loss rise on 133 "
                "steps (the last at step 253) and converges at step 1647 where λ_max = 1.983, 0.8% below its limit "
                "2; α = 0.5 converges at step 47 where λ_max = 3.20, 20% below its limit 4.",
                _cross_entropy,
                lambda sim: (
                    round(_sharpness(sim, 0)[0], 2) == 8.24
                    and _rises(sim.runs[0], until=781) == (133, 253)
                    and _below(sim.runs[0], 1e-12) == 781
                    and sim.runs[0].status_text() == "converged at step 1647"
                    and round(_sharpness(sim, 0)[-1], 3) == 1.983
                    and sim.runs[1].status_text() == "converged at step 47"
                    and round(_sharpness(sim, 1)[-1], 2) == 3.20
                ),
            ),
        ),
        plot="sharpness",
    ),
    Chapter(
        "adam-nonconvergence",
        "When Adam does not converge",
        (
            r"f_t(x) = c_t\,x, \quad c_t = 1010 \text{ every 101st step, else } -10, \quad x \in [-1, 1]",
            r"\text{AMSGrad: } v^{\max}_t = \max(v^{\max}_{t-1},\ v_t) \qquad \alpha_t = \alpha/\sqrt{t}",
        ),  # fmt: skip
        ((r"g_t", "grad"), (r"v_t", "term:v"), (r"\theta_t", "theta")),
        "Reddi, Kale and Kumar (ICLR 2018) built an online problem on which Adam provably goes wrong: the "
        "gradient in x is 1010 once every 101 steps and −10 otherwise, so on average it points to x = −1, the best "
        "point of [−1, 1] (each step is projected back into the box). With β₂ = 0.99, Adam's v forgets the large "
        "gradient within a period, and the hundred small ones push it right: past x = 0.99 at step 10,492, and "
        "between 0.98 and 1 over the last period of 20,200 steps. AMSGrad keeps the largest v it has seen, so the "
        "small gradients stay small steps: it ends between −0.954 and −0.935 (Plots: Distance to minimum).",
        replace(get_preset("adam-nonconvergence"), name="lesson-adam-nonconvergence", watch=""),
        (
            Claim(
                "Adam passes x = 0.99 at step 10,492 and stays between 0.98 and 1 over the last 101 steps.",
                lambda sim: _first_x_above(sim.runs[0], 0.99) == 10_492 and _last_period(sim.runs[0]) == (0.98, 1.0),
            ),
            Claim(
                "AMSGrad ends between −0.954 and −0.935 over the last 101 steps.",
                lambda sim: _last_period(sim.runs[1]) == (-0.954, -0.935),
            ),
            Claim(
                "Both first move left: within 4 steps each is below x = −0.9.",
                lambda sim: all((run.path()[:5, 0] < -0.9).any() for run in sim.runs),
            ),
        ),
        (
            TryThis(
                "Adam with β₂ = 0.999",
                "A longer memory: v now forgets over about 1,000 steps, ten periods, so the large gradient keeps "
                "Adam's steps small too; it stays left, at x = −0.58 after 20,200 steps (AMSGrad: −0.85).",
                _both(beta2=0.999),
                lambda sim: (
                    round(sim.runs[0].path()[-1, 0], 2) == -0.58 and round(sim.runs[1].path()[-1, 0], 2) == -0.85
                ),
            ),
        ),
        plot="distance",
        speed=1000,
    ),
)

KEYS = tuple(c.key for c in CHAPTERS)


def chapter(key: str) -> Chapter:
    for c in CHAPTERS:
        if c.key == key:
            return c
    raise ParamError(f"Unknown chapter {key!r} (allowed: {', '.join(KEYS)})")


def number(key: str) -> int:
    """The chapter's place in the lesson, from 1."""
    return KEYS.index(chapter(key).key) + 1


def run_to_limit(scene: Scene) -> Simulation:
    sim = scene.simulation()
    sim.step(scene.step_limit)
    return sim
