"""Numbers that stay readable from 1e-12 to 1e12."""

from __future__ import annotations

import math


def fmt(value: float, digits: int = 5) -> str:
    """Fixed notation for ordinary magnitudes, scientific outside [1e-3, 1e5); 'nan'/'inf' as such."""
    v = float(value)
    if not math.isfinite(v):
        return str(v)
    if v == 0:
        return "0"
    if 1e-3 <= abs(v) < 1e5:
        return f"{v:.{digits}g}"
    return f"{v:.{digits - 1}e}"
