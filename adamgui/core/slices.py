"""A plane through a network's parameter space: where the views can show a loss landscape of d > 2 parameters.

A plane is a centre c and two directions u, v (d,). A point θ of parameter space has coordinates (a, b)
on it, those of its nearest point c + a·u + b·v (least squares against u and v, which need not be
orthogonal), and a distance off it, |θ − (c + a·u + b·v)|: a path drawn on a slice is its shadow, and
the distance says how far from the drawn landscape the run really was.

Two planes:

- **random**: two random directions, filter-normalized as in Li et al. 2018 ("Visualizing the Loss
  Landscape of Neural Nets"): each unit's incoming weights in each direction scaled to the length of
  that unit's weights in the centre, biases zero. Drawn once from a seed, it is one plane for all runs,
  so their paths can be compared on it.
- **pca**: the two principal directions of all runs' paths together (about the centre), with the share
  of the paths' variance each explains: the plane the paths move in most, which a random plane in
  hundreds of dimensions almost never is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from adamgui.core.mlp import MLP
from adamgui.core.params import ParamError

PLANES = ("random", "pca")


@dataclass(frozen=True, eq=False)
class Plane:
    """The plane c + a·u + b·v; ``explained``: the share of the paths' variance along u and v (PCA planes)."""

    kind: str
    center: np.ndarray
    u: np.ndarray
    v: np.ndarray
    explained: tuple[float, float] | None = None

    def __post_init__(self):
        basis = np.stack([self.u, self.v])
        gram = basis @ basis.T
        if not np.isfinite(gram).all() or abs(np.linalg.det(gram)) <= 1e-300 * max(gram[0, 0] * gram[1, 1], 1e-300):
            raise ParamError("The plane's two directions are parallel or zero: there is no plane to draw")

    def coordinates(self, points: np.ndarray) -> np.ndarray:
        """(…, 2): each point's (a, b), those of its nearest point on the plane."""
        basis = np.stack([self.u, self.v])  # (2, d)
        rhs = (np.asarray(points, dtype=float) - self.center) @ basis.T  # (…, 2)
        return rhs @ np.linalg.inv(basis @ basis.T)  # (the Gram matrix is symmetric, and so its inverse)

    def points(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """c + a·u + b·v for arrays ``a``, ``b`` of one shape: (…, d)."""
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return self.center + a[..., None] * self.u + b[..., None] * self.v

    def distance(self, points: np.ndarray) -> np.ndarray:
        """(…,): how far each point lies off the plane."""
        points = np.asarray(points, dtype=float)
        ab = self.coordinates(points)
        return np.linalg.norm(points - self.points(ab[..., 0], ab[..., 1]), axis=-1)


def random_plane(model: MLP, center: np.ndarray, seed: int = 0) -> Plane:
    """Two random directions through ``center``, filter-normalized (Li et al. 2018): per layer, each unit's
    column of incoming weights scaled to the length of that unit's weights in ``center``; biases zero."""
    rng = np.random.default_rng([seed, 59])
    directions = []
    for _ in range(2):
        d = rng.standard_normal(model.size)
        for (W_dir, b_dir), (W_c, _) in zip(model.layers(d[None]), model.layers(center[None]), strict=True):
            scale = np.linalg.norm(W_c[0], axis=0) / np.maximum(np.linalg.norm(W_dir[0], axis=0), 1e-300)
            W_dir[0] *= scale  # (views into d: scaled in place)
            b_dir[0] = 0.0
        directions.append(d)
    return Plane("random", np.array(center, dtype=float), directions[0], directions[1])


def pca_plane(paths: list[np.ndarray], center: np.ndarray) -> Plane:
    """The two principal directions of every point of ``paths`` ((T_k, d) each) about ``center``, with the
    share of the variance each explains."""
    points = np.concatenate([np.asarray(p, dtype=float) for p in paths]) - center
    points = points[np.isfinite(points).all(axis=1)]
    if len(points) < 3:
        raise ParamError("The paths are too short for a PCA plane: take a few steps first")
    _, s, vt = np.linalg.svd(points - points.mean(axis=0), full_matrices=False)
    total = float((s**2).sum())
    if total <= 0 or len(s) < 2 or s[1] <= s[0] * 1e-12:
        raise ParamError("The paths move along one line only: no second direction for a PCA plane")
    explained = (float(s[0] ** 2 / total), float(s[1] ** 2 / total))
    return Plane("pca", np.array(center, dtype=float), vt[0], vt[1], explained)


def make_plane(kind: str, model: MLP, center: np.ndarray, paths: list[np.ndarray] | None = None, seed: int = 0):
    if kind == "random":
        return random_plane(model, center, seed)
    if kind == "pca":
        return pca_plane(paths or [], center)
    raise ParamError(f"Unknown plane {kind!r} (allowed: {', '.join(PLANES)})")


def loss_grid(model: MLP, data, plane: Plane, a: np.ndarray, b: np.ndarray, chunk: int = 1024) -> np.ndarray:
    """The loss on ``data`` at c + a·u + b·v for every pair of the grids ``a``, ``b`` (one shape): that shape."""
    thetas = plane.points(a, b).reshape(-1, len(plane.center))
    out = np.empty(len(thetas))
    for first in range(0, len(thetas), chunk):
        with np.errstate(all="ignore"):
            out[first : first + chunk] = model.loss(thetas[first : first + chunk], data.X, data.y)
    return out.reshape(np.shape(a))


def extent(
    coordinates: list[np.ndarray], margin: float = 0.25, least: float = 1.0
) -> tuple[float, float, float, float]:
    """(a0, a1, b0, b1): a square-ish window on the plane holding every point of ``coordinates`` ((T_k, 2) each)
    with ``margin`` of its size to spare, at least ``least`` either side of the centre."""
    points = np.concatenate([np.asarray(c, dtype=float).reshape(-1, 2) for c in coordinates] or [np.zeros((1, 2))])
    points = points[np.isfinite(points).all(axis=1)]
    if not len(points):
        points = np.zeros((1, 2))
    low = np.minimum(points.min(axis=0), -least)
    high = np.maximum(points.max(axis=0), least)
    pad = margin * (high - low)
    return float(low[0] - pad[0]), float(high[0] + pad[0]), float(low[1] - pad[1]), float(high[1] + pad[1])
