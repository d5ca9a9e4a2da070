"""Hyperparameter specifications: name, default, valid range and meaning, in one place.

The CLI, the parameter panel and session files all read these, so a value is
validated the same way wherever it enters.
"""

from __future__ import annotations

import difflib
import math
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass

EDITOR_TINY = 1e-300  # the smallest positive value a number field offers (a spin box rounds finer ones to 0)


class ParamError(ValueError):
    """A hyperparameter value that is unknown, malformed or out of range."""


# One grammar for a number anywhere the app reads text (specs, schedules, data cells, options): plain ASCII
# digits with an optional sign, point and exponent, or inf. Python's float() would also take ٠.٣, ０.３ and 0.0_1.
NUMBER = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf(?:inity)?)", re.IGNORECASE)


def parse_number(text: str) -> float:
    """``text`` (spaces around it allowed) as a float, by :data:`NUMBER`'s grammar; ValueError otherwise."""
    stripped = text.strip()
    if not NUMBER.fullmatch(stripped):
        raise ValueError(f"not a number: {text!r}")
    return float(stripped)


@dataclass(frozen=True)
class HyperParam:
    """One hyperparameter of an optimizer.

    ``low``/``high`` bound the valid range; ``low_open``/``high_open`` say whether
    the bound itself is excluded. ``log`` marks values that span decades (edited
    on a log scale). ``symbol`` is how the update rule in the docstring names it.
    """

    name: str
    default: float | bool
    meaning: str
    symbol: str = ""
    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    log: bool = False
    is_bool: bool = False

    def range_text(self) -> str:
        """The valid range in interval notation, e.g. ``(0, inf)`` or ``[0, 1)``."""
        if self.is_bool:
            return "true|false"
        left = "(" if self.low_open or math.isinf(self.low) else "["
        right = ")" if self.high_open or math.isinf(self.high) else "]"
        return f"{left}{_fmt(self.low)}, {_fmt(self.high)}{right}"

    def editor_bounds(self) -> tuple[float, float]:
        """The closed range a number field offers: the valid range, an excluded end stepped in by one float (an
        excluded zero at :data:`EDITOR_TINY`), an infinite end at the largest float. The panel takes these, so it
        can show and edit every value a session or the command line holds."""
        low, high = self.low, self.high
        if math.isinf(low):
            low = -sys.float_info.max
        elif self.low_open:
            low = EDITOR_TINY if low == 0 else math.nextafter(low, math.inf)
        if math.isinf(high):
            high = sys.float_info.max
        elif self.high_open:
            high = math.nextafter(high, -math.inf)
        return low, high

    def validate(self, value: float | bool) -> float | bool:
        """Return ``value`` converted to this parameter's type, or raise ParamError."""
        if self.is_bool:
            if isinstance(value, bool):
                return value
            raise ParamError(f"Invalid {self.name}: {value!r} (allowed: true or false)")
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise ParamError(f"Invalid {self.name}: {value!r} is not a number") from None
        too_low = v <= self.low if self.low_open else v < self.low
        too_high = v >= self.high if self.high_open else v > self.high
        if not math.isfinite(v) or too_low or too_high:
            raise ParamError(f"Invalid {self.name}: {_fmt(v)} (allowed: {self.range_text()})")
        return v

    def parse(self, text: str) -> float | bool:
        """Parse a command-line value (``0.3``, ``1e-8``, ``true``) and validate it."""
        text = text.strip()
        if self.is_bool:
            lowered = text.lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ParamError(f"Invalid {self.name}: {text!r} (allowed: true or false)")
        try:
            v = parse_number(text)
        except ValueError:
            raise ParamError(f"Invalid {self.name}: {text!r} is not a number (allowed: {self.range_text()})") from None
        return self.validate(v)


def _fmt(v: float) -> str:
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:g}"


def lr(default: float) -> HyperParam:
    return HyperParam(
        "lr", default, "learning rate: how far one step goes", "α", 0.0, math.inf, low_open=True, log=True
    )


def beta1(default: float = 0.9) -> HyperParam:
    return HyperParam("beta1", default, "decay of the first moment (momentum) average", "β₁", 0.0, 1.0, high_open=True)


def beta2(default: float = 0.999) -> HyperParam:
    return HyperParam(
        "beta2",
        default,
        "decay of the second moment (squared gradient) average",
        "β₂",
        0.0,
        1.0,
        high_open=True,
    )


def eps(default: float = 1e-8) -> HyperParam:
    return HyperParam(
        "eps",
        default,
        "added to the denominator; caps the step where gradients vanish",
        "ε",
        0.0,
        math.inf,
        low_open=True,
        log=True,
    )


def weight_decay(default: float) -> HyperParam:
    return HyperParam("weight_decay", default, "shrinks θ toward 0 by lr·λ·θ each step (decoupled)", "λ", 0.0, math.inf)


def unknown_name(kind: str, name: str, known: Iterable[str]) -> str:
    """A message like "Unknown optimizer 'adm' (did you mean 'adam'? allowed: gd, adam)"."""
    known = list(known)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"Unknown {kind} {name!r} ({hint}allowed: {', '.join(known)})"
