"""Data for a small network: made from a seed, bundled, or the user's CSV file.

- **Made**: circles, moons, spirals, xor and two blobs. Each generator gives ``size`` points ``X`` (size, 2)
  with labels ``y`` in {0, 1} (half of each, the odd one to class 1), with Gaussian noise of standard
  deviation ``noise`` on every coordinate; the same seed gives the same points.
- **Bundled** (resources/data, sources in its README): ``iris``, versicolor against virginica by petal length
  and width (classification, two inputs, standardised), and ``diabetes``, progression a year on against
  body-mass index (regression, one input; both standardised).
- **A file**: a CSV with a header row ``x1,x2,label`` (classification, labels 0 or 1) or ``x,y``
  (regression), read as carefully as the Data dock reads its files.

:func:`split` shuffles them into a train and a test part with a seed of its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from adamgui.core.files import FileProblem
from adamgui.core.models import Dataset, diabetes, first_overflowing_row, iris, read_columns
from adamgui.core.params import ParamError, unknown_name

MIN_SIZE, MAX_SIZE = 50, 2000
MAX_NOISE = 1.0


def _halves(size: int) -> tuple[int, int]:
    return size // 2, size - size // 2


def _circles(rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
    """An outer circle of radius 1 (class 0) around an inner one of radius 0.5 (class 1)."""
    n0, n1 = _halves(size)
    angles = rng.uniform(0, 2 * math.pi, size)
    radius = np.concatenate([np.ones(n0), np.full(n1, 0.5)])
    X = np.column_stack([radius * np.cos(angles), radius * np.sin(angles)])
    return X, np.concatenate([np.zeros(n0), np.ones(n1)])


def _moons(rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: the upper one (class 0) and the lower one, shifted (class 1)."""
    n0, n1 = _halves(size)
    a = rng.uniform(0, math.pi, n0)
    b = rng.uniform(0, math.pi, n1)
    upper = np.column_stack([np.cos(a), np.sin(a)])
    lower = np.column_stack([1 - np.cos(b), 0.5 - np.sin(b)])
    return np.concatenate([upper, lower]), np.concatenate([np.zeros(n0), np.ones(n1)])


def _spirals(rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Two spirals, one turned half a turn from the other, each winding 1.5 times out to radius 1."""
    n0, n1 = _halves(size)
    parts = []
    for n, turn in ((n0, 0.0), (n1, math.pi)):
        t = np.sqrt(rng.uniform(0, 1, n))  # evenly along the spiral's area, not bunched at the centre
        angle = 3 * math.pi * t + turn
        parts.append(np.column_stack([t * np.cos(angle), t * np.sin(angle)]))
    return np.concatenate(parts), np.concatenate([np.zeros(n0), np.ones(n1)])


def _xor(rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Points in the square [−1, 1]²: class 1 where x and y have the same sign (drawn half and half)."""
    n0, n1 = _halves(size)
    parts = []
    for n, same in ((n0, False), (n1, True)):
        u = rng.uniform(0.05, 1, (n, 2))
        sx = rng.choice([-1.0, 1.0], n)
        sy = sx if same else -sx
        parts.append(u * np.column_stack([sx, sy]))
    return np.concatenate(parts), np.concatenate([np.zeros(n0), np.ones(n1)])


def _blobs(rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Two round Gaussian blobs of standard deviation 0.4, at (−1, −1) (class 0) and (1, 1) (class 1)."""
    n0, n1 = _halves(size)
    X = np.concatenate([rng.normal(-1, 0.4, (n0, 2)), rng.normal(1, 0.4, (n1, 2))])
    return X, np.concatenate([np.zeros(n0), np.ones(n1)])


GENERATORS: dict[str, Callable[[np.random.Generator, int], tuple[np.ndarray, np.ndarray]]] = {
    "circles": _circles,
    "moons": _moons,
    "spirals": _spirals,
    "xor": _xor,
    "blobs": _blobs,
}


def make_dataset(name: str, size: int = 200, noise: float = 0.1, seed: int = 0) -> Dataset:
    """``size`` points of dataset ``name`` with noise ``noise`` from ``seed``; ParamError naming what is wrong."""
    if name not in GENERATORS:
        raise ParamError(unknown_name("dataset", name, GENERATORS))
    if isinstance(size, bool) or not isinstance(size, int) or not MIN_SIZE <= size <= MAX_SIZE:
        raise ParamError(f"Invalid size: {size!r} (allowed: {MIN_SIZE} to {MAX_SIZE:,} points)")
    if not (isinstance(noise, int | float) and math.isfinite(noise) and 0 <= noise <= MAX_NOISE):
        raise ParamError(f"Invalid noise: {noise!r} (allowed: 0 to {MAX_NOISE:g})")
    rng = np.random.default_rng([seed, 31])
    X, y = GENERATORS[name](rng, size)
    X = X + noise * rng.standard_normal(X.shape)
    return Dataset(name, X, y, f"{name}: {size} points, noise {noise:g}, seed {seed}")


BUNDLED = {"iris": "classification", "diabetes": "regression"}  # bundled data and the task each poses
FILE = "file"
NAMES = (*GENERATORS, *BUNDLED, FILE)


@dataclass(frozen=True)
class DataChoice:
    """Which data a network learns: a generator's ``name`` with its size, noise and seed; a bundled set's name
    (its seed shuffles the split only); or ``file`` and the CSV's ``path``."""

    name: str
    size: int = 200
    noise: float = 0.1
    seed: int = 0
    path: str = ""

    @property
    def text(self) -> str:
        """As the command line and sessions write it (parse_dataset reads it back)."""
        if self.name == FILE:
            return f"{FILE}:{self.path}"
        if self.name in BUNDLED:
            return f"{self.name}:seed={self.seed}"
        return f"{self.name}:size={self.size},noise={self.noise:g},seed={self.seed}"

    @property
    def made(self) -> bool:
        return self.name in GENERATORS


def _standardised(a: np.ndarray) -> np.ndarray:
    return (a - a.mean(axis=0)) / a.std(axis=0)


def load_data(choice: DataChoice) -> tuple[Dataset, str]:
    """The rows ``choice`` names and the task they pose ("classification" or "regression"); ParamError with a
    sentence naming the file and its fault when a file cannot be used."""
    if choice.made:
        return make_dataset(choice.name, choice.size, choice.noise, choice.seed), "classification"
    if choice.name in BUNDLED:
        from adamgui.resources import resources_dir

        folder = resources_dir() / "data"
        data = iris(folder) if choice.name == "iris" else diabetes(folder)
        X, y = data.X, data.y if choice.name == "iris" else _standardised(data.y)
        source = f"{choice.name}: {len(y)} rows, {data.source}"
        return Dataset(choice.name, _standardised(X), y, source), BUNDLED[choice.name]
    try:
        columns, table = read_columns(choice.path, (("x1", "x2", "label"), ("x", "y")), "data file")
    except FileProblem as e:
        raise ParamError(f"Data file {choice.path!r}: {e}") from None
    name = choice.path.replace("\\", "/").rsplit("/", 1)[-1]
    row = first_overflowing_row(table)
    if row is not None:  # its squared error or the first layer's sums would overflow: every loss would be NaN
        raise ParamError(f"{name}, row {row}: a value beyond ±1e154 (scale the data down to train on it)")
    if len(columns) == 3:
        labels = table[:, 2]
        wrong = np.flatnonzero((labels != 0) & (labels != 1))
        if len(wrong):
            raise ParamError(f"{name}, row {wrong[0] + 2}, column label: {labels[wrong[0]]:g} is not 0 or 1")
        if len(np.unique(labels)) < 2:
            raise ParamError(f"{name}: every label is {labels[0]:g}; a classifier needs rows of both classes")
        return Dataset(name, table[:, :2], labels, f"{name}: {len(labels)} rows"), "classification"
    return Dataset(name, table[:, :1], table[:, 1], f"{name}: {len(table)} rows"), "regression"


def split(data: Dataset, test_fraction: float = 0.25, seed: int = 0) -> tuple[Dataset, Dataset]:
    """The rows shuffled by ``seed`` and cut into a train part and a test part of ``test_fraction`` (each kept
    non-empty)."""
    if not (math.isfinite(test_fraction) and 0 < test_fraction < 1):
        raise ParamError(f"Invalid test fraction: {test_fraction!r} (allowed: more than 0, less than 1)")
    n = len(data.y)
    order = np.random.default_rng([seed, 37]).permutation(n)
    test = min(max(1, round(n * test_fraction)), n - 1)
    a, b = order[test:], order[:test]
    return (
        Dataset(data.name, data.X[a], data.y[a], data.source + " (train)"),
        Dataset(data.name, data.X[b], data.y[b], data.source + " (test)"),
    )
