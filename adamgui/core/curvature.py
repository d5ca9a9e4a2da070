"""The curvature at a point: the Hessian's eigenvalues and axes, its condition number, Newton's step.

Near a point p the loss is, to second order, the quadratic

    q(p + δ) = f(p) + gᵀδ + ½ δᵀHδ,

whose axes are the Hessian's eigenvectors v₁, v₂ and whose curvatures along them are its
eigenvalues λ₁ ≤ λ₂. Gradient descent with rate α multiplies the error along vᵢ by (1 − αλᵢ) each
step, so on a quadratic it is stable only while α·λ_max < 2: the sharpness λ_max against 2/α is
GD's stability limit. Newton's step −H⁻¹g jumps to the quadratic's stationary point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from adamgui.core.surfaces import Surface


@dataclass(frozen=True)
class Curvature:
    """The Hessian at one point and what follows from it. Eigenvalues ascending; ``vectors[:, i]`` goes with λᵢ."""

    hessian: np.ndarray  # (2, 2)
    values: np.ndarray  # (2,) λ₁ ≤ λ₂
    vectors: np.ndarray  # (2, 2), unit columns
    newton: np.ndarray | None  # −H⁻¹g, or None where H is singular

    @property
    def sharpness(self) -> float:
        """λ_max, the largest eigenvalue (the curvature GD's step size must respect)."""
        return float(self.values[1])

    @property
    def condition(self) -> float:
        """κ = |λ|_max / |λ|_min: 1 for a round bowl, large for a ravine, inf where one curvature is 0."""
        small, big = np.sort(np.abs(self.values))
        return float(big / small) if small > 0 else float("inf")


def eigenvalues(hessians: np.ndarray) -> np.ndarray:
    """(N, 2) ascending eigenvalues of (N, 2, 2) symmetric matrices, in closed form (vectorized)."""
    a, b, d = hessians[..., 0, 0], hessians[..., 0, 1], hessians[..., 1, 1]
    mean = (a + d) / 2
    radius = np.hypot((a - d) / 2, b)
    return np.stack([mean - radius, mean + radius], axis=-1)


def sharpness(surface: Surface, points: np.ndarray) -> np.ndarray:
    """λ_max of the Hessian at each of (N, 2) ``points``; NaN where it is not finite."""
    with np.errstate(all="ignore"):
        values = eigenvalues(surface.hessian(np.asarray(points, dtype=float).reshape(-1, 2)))[:, 1]
    return np.where(np.isfinite(values), values, np.nan)


def curvature_at(surface: Surface, point: np.ndarray, gradient: np.ndarray | None = None) -> Curvature | None:
    """The curvature at ``point``; Newton's step uses ``gradient`` (default: the exact gradient there).

    None where the Hessian is not finite (outside a formula's domain, say).
    """
    point = np.asarray(point, dtype=float).reshape(1, 2)
    with np.errstate(all="ignore"):
        hessian = np.asarray(surface.hessian(point)[0], dtype=float)
        g = surface.gradient(point)[0] if gradient is None else np.asarray(gradient, dtype=float)
    if not np.isfinite(hessian).all():
        return None
    values, vectors = np.linalg.eigh(hessian)
    newton = None
    if np.isfinite(g).all() and abs(np.linalg.det(hessian)) > 1e-12 * max(float(np.abs(hessian).max()), 1e-300) ** 2:
        newton = -np.linalg.solve(hessian, g)
    return Curvature(hessian, values, vectors, newton)
