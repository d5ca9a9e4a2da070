"""Number entry that works over many decades: 1e-12 and 3 in the same box."""

from __future__ import annotations

import math

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox

NICE = (1.0, 2.0, 5.0)


def nice_neighbor(value: float, direction: int) -> float:
    """The next value of the 1-2-5 sequence above (direction > 0) or below ``value``."""
    exponent = math.floor(math.log10(value))
    candidates = sorted(m * 10.0**e for e in range(exponent - 1, exponent + 2) for m in NICE)
    if direction > 0:
        return next(c for c in candidates if c > value * (1 + 1e-9))
    return next(c for c in reversed(candidates) if c < value * (1 - 1e-9))


class ScientificSpinBox(QDoubleSpinBox):
    """Shows ``%g`` text (up to 12 digits: 0.9999999 stays itself), accepts ``1e-8`` and ``1e300``; its arrows step
    through 1, 2, 5, 10, 20, ... (``multiplicative``) or by the single step."""

    def __init__(self, low: float, high: float, parent=None, multiplicative: bool = True):
        super().__init__(parent)
        self.setDecimals(323)  # Qt rounds a value to its decimals: 323 keeps every float down to 1e-300
        self.setRange(low, high)
        self.setKeyboardTracking(False)
        self.multiplicative = multiplicative

    def textFromValue(self, value: float) -> str:
        return f"{value:.12g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        stripped = text.strip()
        try:
            v = float(stripped)
        except ValueError:
            partial = stripped == "" or stripped[-1] in "eE+-." or stripped.lower().endswith(("e-", "e+"))
            state = QValidator.State.Intermediate if partial else QValidator.State.Invalid
            return state, text, pos
        if self.minimum() <= v <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos

    def fixup(self, text: str) -> str:
        return self.textFromValue(self.value())

    def stepBy(self, steps: int) -> None:
        value = self.value()
        if not self.multiplicative or value <= 0:
            self.setValue(min(max(value + steps * self.singleStep(), self.minimum()), self.maximum()))
            return
        for _ in range(abs(steps)):
            value = nice_neighbor(value, steps)
        self.setValue(min(max(value, self.minimum()), self.maximum()))

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setWidth(min(hint.width(), 120))
        return hint

    def minimumSizeHint(self):
        hint = super().minimumSizeHint()
        hint.setWidth(min(hint.width(), 90))
        return hint
