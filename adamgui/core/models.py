"""Losses of two-parameter models on real data: each is a loss surface over its two parameters.

- Linear regression ŷ = w·x + b, mean squared error, on 442 diabetes patients (x: body-mass
  index / 10, y: disease progression a year later / 100; Efron, Hastie, Johnstone and Tibshirani,
  *Least Angle Regression*, 2004). The features are not centred, so the loss is a long ravine.
- Logistic regression p = σ(w₁·x₁ + w₂·x₂), cross-entropy, on Fisher's iris (1936): versicolor
  against virginica by petal length and width, each standardised over those 100 flowers.
- One tanh neuron ŷ = tanh(w·x + b), mean squared error, on 41 points made by a stated rule
  (no small real set fits): x evenly spaced on [−3, 3], y = tanh(1.5x − 1) + 0.1·ε with ε from
  ``numpy.random.default_rng(17).normal``. Its loss is not convex: flat where tanh saturates.

Each loss and gradient takes arrays of parameters of any (equal) shape and averages over the
data along a new last axis, so a grid, a batch of runs or a basin map is one call. The data
files are in ``resources/data`` with their sources (README there).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np

from adamgui.core.files import FileProblem, read_text
from adamgui.core.params import parse_number

MAX_DATA_BYTES = 2_000_000  # a data file
MAX_ROWS = 20_000  # rows of a data file


@dataclass(frozen=True)
class Dataset:
    """Rows of features ``X`` (M, k) and targets ``y`` (M,), and where they come from."""

    name: str
    X: np.ndarray
    y: np.ndarray
    source: str


def first_overflowing_row(table: np.ndarray) -> int | None:
    """The data row (from 2, after the header) holding a value whose square overflows (beyond ±1e154): a loss of
    such data is not finite anywhere. None when there is none."""
    with np.errstate(over="ignore"):
        big = np.flatnonzero(~np.isfinite(np.square(table)).all(axis=1))
    return int(big[0]) + 2 if len(big) else None


def read_csv(path, columns: tuple[str, ...], what: str) -> np.ndarray:
    """The numeric columns ``columns`` of a CSV file with a header row, as (M, len(columns)) floats.

    FileProblem names the file and what is wrong: not text, too big, a missing column, a cell that
    is not a finite number, too few or too many rows.
    """
    return read_columns(path, (columns,), what)[1]


def read_columns(path, choices: tuple[tuple[str, ...], ...], what: str) -> tuple[tuple[str, ...], np.ndarray]:
    """The first of ``choices`` (each a set of column names) whose columns the file's header has, and those
    columns as (M, k) floats; FileProblem naming the file and what is wrong, as :func:`read_csv`."""
    text = read_text(path, MAX_DATA_BYTES, what)
    name = getattr(path, "name", str(path))
    try:
        rows = list(csv.reader(text.splitlines()))  # every line ending: \n, \r\n, and the old Mac's lone \r
    except csv.Error as e:  # a cell over the csv module's limit, a stray NUL
        raise FileProblem(f"{name} is not a CSV file this app can read ({e})") from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    wanted = " or ".join(",".join(columns) for columns in choices)
    if not rows:
        raise FileProblem(f"{name} is empty: expected a header row {wanted} and data")
    header = [h.strip().lower() for h in rows[0]]
    twice = next((h for k, h in enumerate(header) if h and h in header[:k]), None)
    if twice is not None:
        raise FileProblem(f"{name} names the column {twice!r} twice in its header: which one is meant is not clear")
    columns = next((c for c in choices if all(col in header for col in c)), None)
    if columns is None:
        missing = [c for c in choices[0] if c not in header]
        if len(choices) == 1:
            raise FileProblem(
                f"{name} has no column {missing[0]!r} (its header is {','.join(header)[:200]}; expected {wanted})"
            )
        raise FileProblem(f"{name} has a header {','.join(header)[:200]!r}; expected the columns {wanted}")
    index = [header.index(c) for c in columns]
    data = rows[1:]
    if not 2 <= len(data) <= MAX_ROWS:
        raise FileProblem(f"{name} has {len(data):,} data rows (allowed: 2 to {MAX_ROWS:,})")
    out = np.empty((len(data), len(columns)))
    for i, row in enumerate(data):
        for j, k in enumerate(index):
            cell = row[k].strip() if k < len(row) else ""
            try:
                value = parse_number(cell)
            except ValueError:
                value = float("nan")
            if not np.isfinite(value):
                raise FileProblem(f"{name}, row {i + 2}, column {columns[j]}: {cell[:40]!r} is not a finite number")
            out[i, j] = value
    return columns, out


def _mean_last(a: np.ndarray) -> np.ndarray:
    return a.mean(axis=-1)


class LinearRegression:
    """Mean squared error of ŷ = w·x + b over the data, in closed form from five means:

        L(w, b) = w²·E[x²] + 2wb·E[x] + b² − 2w·E[xy] − 2b·E[y] + E[y²]
        ∂L/∂w = 2(w·E[x²] + b·E[x] − E[xy]),   ∂L/∂b = 2(w·E[x] + b − E[y])

    exactly the average of (w·xᵢ + b − yᵢ)², at any number of parameter pairs for the cost of one.
    """

    axes = ("w", "b")

    def __init__(self, x: np.ndarray, y: np.ndarray):
        self.x, self.y = np.asarray(x, float), np.asarray(y, float)
        self.sxx, self.sx = float(np.mean(self.x * self.x)), float(np.mean(self.x))
        self.sxy, self.sy, self.syy = float(np.mean(self.x * self.y)), float(np.mean(self.y)), float(np.mean(self.y**2))

    def loss(self, w, b):
        return w * w * self.sxx + 2 * w * b * self.sx + b * b - 2 * w * self.sxy - 2 * b * self.sy + self.syy

    def grad(self, w, b):
        return 2 * (w * self.sxx + b * self.sx - self.sxy), 2 * (w * self.sx + b - self.sy)

    def hessian(self, w, b):
        """Constant: 2·[[E[x²], E[x]], [E[x], 1]]."""
        one = np.ones(np.broadcast(np.asarray(w), np.asarray(b)).shape)
        return 2 * self.sxx * one, 2 * self.sx * one, 2 * one

    def minimum(self) -> tuple[float, float]:
        """The least-squares fit (numpy.linalg.lstsq)."""
        A = np.column_stack([self.x, np.ones_like(self.x)])
        (w, b), *_ = np.linalg.lstsq(A, self.y, rcond=None)
        return float(w), float(b)


class LogisticRegression:
    """Cross-entropy of p = σ(w₁x₁ + w₂x₂) with labels yᵢ ∈ {0, 1}, averaged over the data:

        L(w) = mean(log(1 + exp(−sᵢ·zᵢ))),  zᵢ = w₁x₁ᵢ + w₂x₂ᵢ,  sᵢ = 2yᵢ − 1
        ∇L = mean((σ(zᵢ) − yᵢ)·xᵢ)

    (log(1 + e^u) as numpy's logaddexp(0, u): no overflow however large the weights).
    """

    axes = ("w₁", "w₂")

    def __init__(self, X: np.ndarray, y: np.ndarray):
        self.X, self.y = np.asarray(X, float), np.asarray(y, float)
        self.s = 2 * self.y - 1

    def _z(self, w1, w2):
        w1, w2 = np.asarray(w1, float)[..., None], np.asarray(w2, float)[..., None]
        return w1 * self.X[:, 0] + w2 * self.X[:, 1]

    def loss(self, w1, w2):
        return _mean_last(np.logaddexp(0.0, -self.s * self._z(w1, w2)))

    def grad(self, w1, w2):
        r = 0.5 * (1 + np.tanh(0.5 * self._z(w1, w2))) - self.y  # σ(z) − y, σ written without overflow
        return _mean_last(r * self.X[:, 0]), _mean_last(r * self.X[:, 1])

    def hessian(self, w1, w2):
        """mean(σ(zᵢ)(1 − σ(zᵢ))·xᵢxᵢᵀ), as (∂²/∂w₁², ∂²/∂w₁∂w₂, ∂²/∂w₂²)."""
        p = 0.5 * (1 + np.tanh(0.5 * self._z(w1, w2)))
        c = p * (1 - p)
        x1, x2 = self.X[:, 0], self.X[:, 1]
        return _mean_last(c * x1 * x1), _mean_last(c * x1 * x2), _mean_last(c * x2 * x2)


class Neuron:
    """Mean squared error of one tanh neuron ŷ = tanh(w·x + b):

    L(w, b) = mean((tanh(w·xᵢ + b) − yᵢ)²)
    ∂L/∂w = mean(2(ŷᵢ − yᵢ)(1 − ŷᵢ²)·xᵢ),   ∂L/∂b = mean(2(ŷᵢ − yᵢ)(1 − ŷᵢ²))
    """

    axes = ("w", "b")

    def __init__(self, x: np.ndarray, y: np.ndarray):
        self.x, self.y = np.asarray(x, float), np.asarray(y, float)

    def _fit(self, w, b):
        w, b = np.asarray(w, float)[..., None], np.asarray(b, float)[..., None]
        return np.tanh(w * self.x + b)

    def loss(self, w, b):
        return _mean_last((self._fit(w, b) - self.y) ** 2)

    def grad(self, w, b):
        fit = self._fit(w, b)
        common = 2 * (fit - self.y) * (1 - fit * fit)
        return _mean_last(common * self.x), _mean_last(common)

    def hessian(self, w, b):
        """mean(cᵢ·[[xᵢ², xᵢ], [xᵢ, 1]]) with cᵢ = 2dᵢ(dᵢ − 2ŷᵢ(ŷᵢ − yᵢ)), dᵢ = 1 − ŷᵢ²."""
        fit = self._fit(w, b)
        d = 1 - fit * fit
        c = 2 * d * (d - 2 * fit * (fit - self.y))
        return _mean_last(c * self.x * self.x), _mean_last(c * self.x), _mean_last(c)


class OnlineLinear:
    """Reddi, Kale and Kumar's online problem ("On the Convergence of Adam and Beyond", ICLR 2018), with a plain
    quadratic beside it so the picture has two dimensions:

    L(x, y) = mean(cᵢ)·x + ½y²,   ∂L/∂x = mean(cᵢ),   ∂L/∂y = y

    over the rows cᵢ; a minibatch of one row in order gives step t the gradient c_t of f_t(x) = c_t·x. With
    the paper's rows (1010 once, then −10 a hundred times) the average gradient in x is 10/101 > 0: on the
    feasible box x ∈ [−1, 1] the best point is x = −1, while one large gradient in 101 can push Adam to +1.
    """

    axes = ("x", "y")

    def __init__(self, x: np.ndarray, y: np.ndarray):
        self.x, self.y = np.asarray(x, float), np.asarray(y, float)  # x: the rows' order; y: the gradients cᵢ
        self.c = float(self.y.mean())

    def loss(self, w, b):
        return self.c * np.asarray(w, float) + 0.5 * np.asarray(b, float) ** 2

    def grad(self, w, b):
        return np.full(np.shape(w), self.c), np.asarray(b, float) * np.ones(np.shape(w))

    def hessian(self, w, b):
        shape = np.shape(w)
        return np.zeros(shape), np.zeros(shape), np.ones(shape)


def online_rows(period: int = 101, big: float = 1010.0, small: float = -10.0) -> Dataset:
    """The paper's cyclic gradients: c_t = ``big`` when t mod ``period`` = 1, else ``small`` (t from 1)."""
    c = np.full(period, small)
    c[0] = big
    return Dataset("Reddi et al.'s sequence", np.arange(1.0, period + 1)[:, None], c, "Reddi, Kale and Kumar 2018")


@dataclass(frozen=True)
class Batching:
    """How a model's loss gives each step its gradient: ``size`` rows a step (0: all of them), which stream of
    shuffles (``seed``), or the rows in their own order every epoch (``ordered``)."""

    size: int = 0
    seed: int = 0
    ordered: bool = False


class Minibatches:
    """Indices of the data rows each step's gradient is averaged over: the rows shuffled anew at every
    epoch (a pass over the data) and taken ``size`` at a time without replacement, the last batch of an
    epoch the rows left over (as torch's DataLoader with shuffle=True, drop_last=False). The same
    ``seed`` gives the same batches, step for step. ``ordered``: the rows in their own order every epoch
    (shuffle=False), as an online sequence is fed."""

    def __init__(self, rows: int, size: int, seed, ordered: bool = False):
        self.rows, self.size, self.ordered = rows, size, ordered
        self.rng = np.random.default_rng(seed)
        self.order = np.empty(0, dtype=np.intp)
        self.at = 0

    def next(self) -> np.ndarray:
        if self.at >= len(self.order):
            self.order = np.arange(self.rows) if self.ordered else self.rng.permutation(self.rows)
            self.at = 0
        batch = self.order[self.at : self.at + self.size]
        self.at += self.size
        return batch


def batch_gradient(model, w, b, rows: np.ndarray):
    """The model's loss gradient at (w, b) averaged over the data ``rows`` only (a minibatch)."""
    if isinstance(model, LogisticRegression):
        part = LogisticRegression(model.X[rows], model.y[rows])
    else:
        part = type(model)(model.x[rows], model.y[rows])
    return part.grad(w, b)


def newton_minimum(model, start: tuple[float, float], steps: int = 100) -> tuple[float, float]:
    """A stationary point near ``start``, by Newton's method with a Hessian of central differences;
    (nan, nan) when there is none to find (a flat or unbounded loss: separable classes)."""
    p = np.array(start, float)
    h = 1e-5
    with np.errstate(all="ignore"):
        for _ in range(steps):
            g = np.array(model.grad(p[0], p[1]), float)
            if np.abs(g).max() < 1e-13:
                break
            H = np.empty((2, 2))
            for j in range(2):
                e = np.zeros(2)
                e[j] = h
                H[:, j] = (np.array(model.grad(*(p + e))) - np.array(model.grad(*(p - e)))) / (2 * h)
            try:
                p = p - np.linalg.solve(H, g)
            except np.linalg.LinAlgError:
                return float("nan"), float("nan")
            if not np.isfinite(p).all():
                return float("nan"), float("nan")
        if np.abs(np.array(model.grad(p[0], p[1]))).max() > 1e-8:  # it did not settle
            return float("nan"), float("nan")
    return float(p[0]), float(p[1])


def diabetes(folder) -> Dataset:
    data = read_csv(folder / "diabetes-bmi.csv", ("bmi", "progression"), "data file")
    return Dataset("diabetes", data[:, :1] / 10, data[:, 1] / 100, "Efron et al. 2004 (scikit-learn's copy)")


def iris(folder) -> Dataset:
    data = read_csv(folder / "iris-versicolor-virginica.csv", ("petal_length", "petal_width", "virginica"), "data")
    X = data[:, :2]
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return Dataset("iris", X, data[:, 2], "Fisher 1936 (scikit-learn's copy)")


def neuron_points() -> Dataset:
    x = np.linspace(-3.0, 3.0, 41)
    y = np.tanh(1.5 * x - 1.0) + 0.1 * np.random.default_rng(17).normal(size=x.size)
    return Dataset("tanh points", x[:, None], y, "made by the rule in this module's docstring")
