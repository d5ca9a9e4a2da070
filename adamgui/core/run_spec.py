"""What to run: an optimizer, its hyperparameters, a label and a schedule; read from 'adam:lr=0.3' text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from adamgui.core.optimizers import get_optimizer
from adamgui.core.params import ParamError
from adamgui.core.schedules import Schedule


@dataclass(frozen=True)
class RunSpec:
    """What to run: an optimizer, its hyperparameters (defaults fill the rest), a label."""

    optimizer: str
    params: Mapping[str, float | bool] = field(default_factory=dict)
    label: str = ""
    schedule: Schedule | None = None  # how the learning rate changes with the step (None: constant)

    def resolved(self) -> dict[str, float | bool]:
        """Every hyperparameter of the optimizer, validated; raises ParamError."""
        return get_optimizer(self.optimizer).resolve(self.params)


def spec_from_text(text: str) -> RunSpec:
    """'adam:lr=0.3,beta1=0.9' -> RunSpec('adam', {'lr': 0.3, 'beta1': 0.9}), each value validated; ParamError
    naming the fault."""
    name, _, rest = text.partition(":")
    optimizer = get_optimizer(name.strip())
    params: dict[str, float | bool] = {}
    for item in [s.strip() for s in rest.split(",")] if rest.strip() else []:
        if not item:
            raise ParamError(f"Empty hyperparameter in {text!r} (write NAME:key=value,key=value)")
        key, eq, value = item.partition("=")
        if not eq:
            raise ParamError(f"Malformed hyperparameter {item!r} in {text!r} (expected key=value)")
        if key.strip() in params:
            raise ParamError(f"{key.strip()!r} is given twice in {text!r}")
        params[key.strip()] = optimizer.param(key.strip()).parse(value)
    return RunSpec(optimizer.name, params)


def unique_labels(specs: Sequence[RunSpec]) -> list[str]:
    """Each spec's label, or its optimizer's name suffixed ``-2``, ``-3``... when repeated."""
    labels: list[str] = []
    for spec in specs:
        labels.append(fresh_label(spec.label or spec.optimizer, labels))
    return labels


def fresh_label(base: str, taken: Sequence[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not taken yet."""
    label, k = base, 1
    while label in taken:
        k += 1
        label = f"{base}-{k}"
    return label
