"""Learning-rate schedules: the step size α_t a run uses at step t, from its base learning rate α.

Written as ``torch.optim.lr_scheduler`` defines them, with its parameter names and defaults, for
a scheduler stepped once after every optimizer step: step t (t = 1, 2, ...) uses the value of
epoch e = t − 1. Closed forms:

- ``constant``: α_t = α.
- ``step`` (StepLR): α·γ^⌊e / step_size⌋; γ = 0.1.
- ``exponential`` (ExponentialLR): α·γ^e.
- ``inverse-time`` (torch has none; Keras's InverseTimeDecay): α / (1 + decay·e / decay_steps).
- ``inverse-sqrt`` (torch: LambdaLR with lr_lambda = lambda e: 1 / math.sqrt(e + 1)): α / √t, the decay
  Reddi, Kale and Kumar (2018) run Adam and AMSGrad with.
- ``cosine`` (CosineAnnealingLR): η_min + (α − η_min)·(1 + cos(π·e / T_max)) / 2; η_min = 0.
- ``warmup-cosine`` (SequentialLR of LinearLR then CosineAnnealingLR, milestone = warmup):
  for e < warmup, α·(start_factor + (1 − start_factor)·e / warmup), start_factor = 1/3 (LinearLR's
  default); then the cosine above at e − warmup.
- ``one-cycle`` (OneCycleLR with anneal_strategy='cos', three_phase=False, α as max_lr): from
  α/div_factor up to α at step pct_start·total_steps − 1, then down to α/div_factor/final_div_factor
  at total_steps − 1 (held after); div_factor = 25, final_div_factor = 1e4, pct_start = 0.3.
  Like torch (cycle_momentum = 1), the momentum moves the other way: from max_momentum (0.95) down
  to base_momentum (0.85) while α rises, and back up while it falls. It is β₁ for the optimizers
  that have one and Nesterov's μ; cycle_momentum = 0 leaves it alone. (torch refuses a cycling
  OneCycleLR on an optimizer with no momentum; here those simply have none to cycle.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from adamgui.core.params import ParamError, parse_number, unknown_name

# name -> {parameter: (default, low, high, whole number?)}; None: required
PARAMS: dict[str, dict[str, tuple[float | None, float, float, bool]]] = {
    "constant": {},
    "step": {"step_size": (None, 1, 1e9, True), "gamma": (0.1, 0.0, 1.0, False)},
    "exponential": {"gamma": (None, 0.0, 1.0, False)},
    "inverse-time": {"decay": (1.0, 0.0, 1e9, False), "decay_steps": (None, 1, 1e9, True)},
    "inverse-sqrt": {},
    "cosine": {"T_max": (None, 1, 1e9, True), "eta_min": (0.0, 0.0, 1e9, False)},
    "warmup-cosine": {
        "warmup": (None, 1, 1e9, True),
        "T_max": (None, 1, 1e9, True),
        "start_factor": (1 / 3, 1e-12, 1.0, False),
        "eta_min": (0.0, 0.0, 1e9, False),
    },
    "one-cycle": {
        "total_steps": (None, 2, 1e9, True),
        "pct_start": (0.3, 1e-9, 1.0, False),
        "div_factor": (25.0, 1e-9, 1e12, False),
        "final_div_factor": (1e4, 1e-9, 1e12, False),
        "cycle_momentum": (1.0, 0.0, 1.0, True),
        "base_momentum": (0.85, 0.0, 0.999999, False),
        "max_momentum": (0.95, 0.0, 0.999999, False),
    },
}
NAMES = tuple(PARAMS)


@dataclass(frozen=True)
class Schedule:
    """A schedule's name and parameters (validated by :func:`make_schedule`)."""

    name: str = "constant"
    params: dict = field(default_factory=dict)

    def text(self) -> str:
        """As written on the command line: 'cosine:T_max=100,eta_min=0'."""
        if not self.params:
            return self.name
        return self.name + ":" + ",".join(f"{k}={v:g}" for k, v in self.params.items())

    def lr(self, base: float, step: int) -> float:
        """α_t: the learning rate step ``step`` (from 1) uses, for a base rate ``base``."""
        e = max(step - 1, 0)
        p = self.params
        if self.name == "constant":
            return base
        if self.name == "step":
            return base * p["gamma"] ** (e // int(p["step_size"]))
        if self.name == "exponential":
            return base * p["gamma"] ** e
        if self.name == "inverse-time":
            return base / (1 + p["decay"] * e / p["decay_steps"])
        if self.name == "inverse-sqrt":
            return base / math.sqrt(e + 1)
        if self.name == "cosine":
            return _cosine(base, p["eta_min"], e, p["T_max"])
        if self.name == "warmup-cosine":
            warmup = int(p["warmup"])
            if e < warmup:
                return base * (p["start_factor"] + (1 - p["start_factor"]) * e / warmup)
            return _cosine(base, p["eta_min"], e - warmup, p["T_max"])
        if self.name == "one-cycle":
            return _one_cycle(base / p["div_factor"], base, base / p["div_factor"] / p["final_div_factor"], p, e)
        raise ParamError(f"Unknown schedule {self.name!r}")

    def momentum(self, step: int) -> float | None:
        """The momentum (β₁ or μ) step ``step`` uses under a one-cycle schedule; None where it is left alone."""
        p = self.params
        if self.name != "one-cycle" or not p["cycle_momentum"]:
            return None
        return _one_cycle(p["max_momentum"], p["base_momentum"], p["max_momentum"], p, max(step - 1, 0))

    def scheduled(self, hp: dict, step: int) -> dict:
        """``hp`` with what step ``step`` uses: its learning rate α_t, and a one-cycle's momentum."""
        out = dict(hp)
        if "lr" in hp:
            out["lr"] = self.lr(hp["lr"], step)
        momentum = self.momentum(step)
        if momentum is not None:
            for key in MOMENTUM_NAMES:
                if key in hp:
                    out[key] = momentum
        return out


def _cosine(base: float, eta_min: float, e: float, t_max: float) -> float:
    return eta_min + (base - eta_min) * (1 + math.cos(math.pi * e / t_max)) / 2


MOMENTUM_NAMES = ("beta1", "momentum")  # what a one-cycle schedule cycles, as the optimizers name it


def _one_cycle(start: float, middle: float, end: float, p: dict, e: int) -> float:
    """torch's OneCycleLR (two phases, cosine): from ``start`` to ``middle`` by pct_start, then to ``end``."""
    total = int(p["total_steps"])
    e = min(e, total - 1)
    up_end = float(p["pct_start"] * total) - 1
    phases = ((up_end, start, middle), (total - 1, middle, end))
    start = 0.0
    for i, (end, lr_from, lr_to) in enumerate(phases):
        if e <= end or i == len(phases) - 1:
            pct = (e - start) / (end - start) if end != start else 1.0
            return lr_to + (lr_from - lr_to) / 2 * (math.cos(math.pi * pct) + 1)
        start = end
    return end  # not reached


def make_schedule(name: str, params: dict | None = None) -> Schedule:
    """A validated schedule; ParamError names what is wrong (unknown name, parameter or value)."""
    if name not in PARAMS:
        raise ParamError(unknown_name("schedule", name, PARAMS))
    allowed = PARAMS[name]
    params = dict(params or {})
    for key in params:
        if key not in allowed:
            listed = ", ".join(allowed) or "none"
            raise ParamError(f"Schedule {name} has no parameter {key!r} (it takes: {listed})")
    out = {}
    for key, (default, low, high, whole) in allowed.items():
        value = params.get(key, default)
        if value is None:
            raise ParamError(f"Schedule {name} needs {key} (e.g. {name}:{key}=100)")
        value = float(value)
        if not (math.isfinite(value) and low <= value <= high) or (whole and value != int(value)):
            kind = "a whole number" if whole else "a number"
            raise ParamError(f"Schedule {name}: {key} = {value:g} is out of range ({kind} from {low:g} to {high:g})")
        out[key] = value
    if name == "one-cycle" and out["pct_start"] * out["total_steps"] < 2:
        raise ParamError("Schedule one-cycle: pct_start × total_steps must be at least 2 (a phase of 1 step)")
    return Schedule(name, out)


def parse_schedule(text: str) -> Schedule:
    """'cosine:T_max=100,eta_min=0' -> Schedule; ParamError for anything else."""
    name, _, rest = text.strip().partition(":")
    params = {}
    for item in (s.strip() for s in rest.split(",")) if rest.strip() else ():
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise ParamError(f"Malformed schedule parameter {item!r} in {text!r} (expected key=value)")
        if key.strip() in params:
            raise ParamError(f"{key.strip()!r} is given twice in {text!r}")
        try:
            params[key.strip()] = parse_number(value)
        except ValueError:
            raise ParamError(f"Schedule parameter {key.strip()} = {value!r} is not a number") from None
    return make_schedule(name.strip(), params)
