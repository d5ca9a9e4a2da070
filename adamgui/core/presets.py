"""Named scenarios: a surface, a start, runs with hyperparameters, a step count, what to watch."""

from __future__ import annotations

from dataclasses import dataclass

from adamgui.core.params import ParamError, unknown_name
from adamgui.core.schedules import parse_schedule
from adamgui.core.simulation import RunSpec


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    watch: str
    surface: str
    start: tuple[float, float]
    runs: tuple[RunSpec, ...]
    steps: int
    noise: float = 0.0
    seed: int = 0
    batch_size: int = 0  # a model's loss: rows per gradient (0: all)
    batch_ordered: bool = False  # the rows in their order every epoch (an online sequence), not shuffled


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "seed-notebook",
            "The notebook's saddle",
            "GD's y grows 1.2x a step, so it slides off the map at step 11; Adam's first steps move about "
            "lr = 0.3 in each coordinate whatever the slope (a length of about 0.42), and it leaves at step 8.",
            "saddle",
            (-4.0, 0.4),
            (RunSpec("gd", {"lr": 0.1}), RunSpec("adam", {"lr": 0.3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})),
            50,
        ),
        Preset(
            "saddle-ridge",
            "Saddle, starting on the ridge",
            "Starting 0.001 off the ridge, GD lingers by the flat middle and leaves the map only at step 43; "
            "Adam's normalized step takes it off by step 10.",
            "saddle",
            (-4.0, 0.001),
            (RunSpec("gd", {"lr": 0.1}), RunSpec("adam", {"lr": 0.3})),
            60,
        ),
        Preset(
            "ravine",
            "An ill-conditioned ravine",
            "GD zig-zags across the narrow direction, momentum smooths the zig-zag, Adam rescales each axis.",
            "ravine",
            (-9.0, 2.0),
            (
                RunSpec("gd", {"lr": 0.45}),
                RunSpec("momentum", {"lr": 0.45, "beta1": 0.9}),
                RunSpec("adam", {"lr": 0.3}),
            ),
            100,
        ),
        Preset(
            "ravine-edge",
            "GD past its stability limit",
            "On this ravine λ_max = 4 everywhere, so GD is stable only while α < 2/λ_max = 0.5. The warming-up "
            "GD passes it at step 8: its zig-zag, narrowing until then, widens every step after, and it leaves "
            "the map at step 19. GD at α = 0.45 stays below the limit and settles. (Plots: Sharpness.)",
            "ravine",
            (-9.0, 2.0),
            (
                RunSpec(
                    "gd",
                    {"lr": 0.6},
                    "gd warming up",
                    parse_schedule("warmup-cosine:warmup=40,T_max=2000,start_factor=0.8"),
                ),
                RunSpec("gd", {"lr": 0.45}, "gd α=0.45"),
            ),
            60,
        ),
        Preset(
            "rosenbrock-valley",
            "Rosenbrock's valley",
            "Everyone finds the curved valley quickly; following it to (1, 1) is the hard part.",
            "rosenbrock",
            (-1.2, 1.0),
            (
                RunSpec("gd", {"lr": 0.001}),
                RunSpec("momentum", {"lr": 0.002, "beta1": 0.9}),
                RunSpec("adam", {"lr": 0.05}),
            ),
            500,
        ),
        Preset(
            "plateau-epsilon",
            "A plateau where epsilon matters",
            "Far out the gradient is about 1e-5: GD barely moves, Adam with eps 1e-8 moves at full speed, "
            "and Adam with eps 1e-3 is held back by its epsilon.",
            "plateau",
            (4.0, 3.0),
            (
                RunSpec("gd", {"lr": 1.0}),
                RunSpec("adam", {"lr": 0.1, "eps": 1e-8}, "adam eps=1e-8"),
                RunSpec("adam", {"lr": 0.1, "eps": 1e-3}, "adam eps=1e-3"),
            ),
            100,
        ),
        Preset(
            "bias-correction",
            "Bias correction on and off",
            "Without bias correction Adam's first step is about 3.2x lr in each coordinate (m and v both start "
            "at 0, but the square root of v shrinks less); with it, the first step is lr in each coordinate.",
            "bowl",
            (-4.0, 3.0),
            (
                RunSpec("adam", {"lr": 0.3, "bias_correction": True}, "adam corrected"),
                RunSpec("adam", {"lr": 0.3, "bias_correction": False}, "adam uncorrected"),
            ),
            60,
        ),
        Preset(
            "noisy-bowl",
            "Noisy gradients on a bowl",
            "With noise on every gradient GD jitters around the bottom, momentum averages the noise out, and "
            "Adam's steps shrink there most of all: its average m̂ cancels the noise while v̂ still measures it.",
            "bowl",
            (-4.0, 3.0),
            (RunSpec("gd", {"lr": 0.1}), RunSpec("momentum", {"lr": 0.1}), RunSpec("adam", {"lr": 0.1})),
            150,
            noise=1.0,
            seed=1,
        ),
        Preset(
            "edge-of-stability",
            "The edge of stability",
            "Zhu et al.'s two-weight example (ICLR 2023): GD at α = 0.2 passes its stability limit 2/α = 10 at "
            "step 2, its loss rises on 136 steps yet falls below 1e-12 by step 871, and it settles where "
            "λ_max = 9.93, just below 10. GD at α = 0.1 never meets its limit of 20. (Plots: Sharpness.)",
            "quartic-product",
            (2.5, 0.1),
            (RunSpec("gd", {"lr": 0.2}, "GD α = 0.2"), RunSpec("gd", {"lr": 0.1}, "GD α = 0.1")),
            1000,
        ),
        Preset(
            "adam-nonconvergence",
            "Where Adam does not converge",
            "Reddi, Kale and Kumar's online problem (ICLR 2018): f_t(x) = 1010x once every 101 steps and −10x "
            "otherwise, x kept in [−1, 1], fed in order. The average gradient is positive, so x = −1 is best. "
            "With β₁ = 0.9, β₂ = 0.99 and α_t = 0.5/√t, Adam ends at +1 and AMSGrad near −1. (Plots: Distance "
            "to minimum.)",
            "online-linear",
            (0.0, 0.5),
            (
                RunSpec("adam", {"lr": 0.5, "beta1": 0.9, "beta2": 0.99}, "Adam", parse_schedule("inverse-sqrt")),
                RunSpec("amsgrad", {"lr": 0.5, "beta1": 0.9, "beta2": 0.99}, "AMSGrad", parse_schedule("inverse-sqrt")),
            ),
            20_200,
            batch_size=1,
            batch_ordered=True,
        ),
        Preset(
            "linear-neuron-edge",
            "One linear neuron past α = 1",
            "Every minimum of ½(1 − xy)² has λ_max = x² + y² ≥ 2. GD at α = 0.9 converges at step 206 where "
            "λ_max = 2.09, below its limit 2.22; GD at α = 1.2 (limit 1.67) can settle at no minimum and jumps "
            "for ever between (1.14, 1.14) and (0.73, 0.73). (Plots: Sharpness.)",
            "linear-neuron",
            (1.2, 0.3),
            (RunSpec("gd", {"lr": 0.9}, "GD α = 0.9"), RunSpec("gd", {"lr": 1.2}, "GD α = 1.2")),
            1000,
        ),
        Preset(
            "cross-entropy-edge",
            "Cross-entropy at the edge of stability",
            "Gan's (2026) cross-entropy case: two weights whose product is a logit with target 0.9. From (6, 0.1), "
            "where λ_max = 8.24, GD at α = 1 (limit 2) has its loss rise on 133 steps, below 1e-12 by step 781, "
            "and converges at step 1647 where λ_max = 1.983, just below 2; GD at α = 0.5 converges at step 47 "
            "where λ_max = 3.20, far below its limit 4. (Plots: Sharpness.)",
            "cross-entropy-product",
            (6.0, 0.1),
            (RunSpec("gd", {"lr": 1.0}, "GD α = 1"), RunSpec("gd", {"lr": 0.5}, "GD α = 0.5")),
            2000,
        ),
    )
}


def get_preset(name: str) -> Preset:
    """The preset called ``name``, or a ParamError suggesting the nearest name."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ParamError(unknown_name("preset", name, PRESETS)) from None
