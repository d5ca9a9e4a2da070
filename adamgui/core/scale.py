"""How loss values become colors, heights and contour levels, readable on any surface.

Surfaces such as Rosenbrock and Beale span four or five decades over their
domain: a linear color scale would paint everything but the walls one color.
When the values above the minimum span more than two decades, the scale is
logarithmic in (f − f_min); otherwise it is linear. Colors, the 3D heights and
the contour levels all use this rule; each view fits it to the grid it samples (the
contour view's and the 3D mesh's differ in size), so they agree to within what their
grids see of the surface.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WIDE_RATIO = 100.0


@dataclass(frozen=True)
class ValueScale:
    """Maps f to [0, 1]: linearly, or as log10(1 + (f − lo)/knee) when ``log``."""

    lo: float
    hi: float
    log: bool
    knee: float = 1.0

    @classmethod
    def fit(cls, z: np.ndarray) -> ValueScale:
        finite = z[np.isfinite(z)]
        if finite.size == 0:
            return cls(0.0, 1.0, False)
        lo, hi = float(finite.min()), float(finite.max())
        if hi <= lo:
            return cls(lo, lo + 1.0, False)
        p10 = float(np.percentile(finite, 10))
        if (hi - lo) > WIDE_RATIO * max(p10 - lo, 1e-300):
            knee = max(float(np.percentile(finite, 2)) - lo, (hi - lo) * 1e-6)
            return cls(lo, hi, True, knee)
        return cls(lo, hi, False)

    def _top(self) -> float:
        return float(np.log10(1 + (self.hi - self.lo) / self.knee))

    def normalize(self, z: np.ndarray) -> np.ndarray:
        """f -> [0, 1] (clipped); non-finite values stay NaN."""
        z = np.asarray(z, dtype=float)
        with np.errstate(all="ignore"):
            if self.log:
                u = np.log10(1 + np.maximum(z - self.lo, 0) / self.knee) / self._top()
            else:
                u = (z - self.lo) / (self.hi - self.lo)
        return np.where(np.isfinite(u), np.clip(u, 0.0, 1.0), np.nan)
