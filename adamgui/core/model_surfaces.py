"""The model losses as surfaces: on their bundled data (resources/data), or on the user's CSV file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

import numpy as np

from adamgui.core import models
from adamgui.core.params import ParamError
from adamgui.core.surface import Surface

Field = Callable[[np.ndarray, np.ndarray], np.ndarray]
Gradient = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@lru_cache(maxsize=1)
def model_surfaces() -> tuple[Surface, ...]:
    """The model losses on their bundled data (resources/data), minima found exactly or by Newton's method."""
    from adamgui.resources import resources_dir

    folder = resources_dir() / "data"
    d = models.diabetes(folder)
    linear = models.LinearRegression(d.X[:, 0], d.y)
    i = models.iris(folder)
    logistic = models.LogisticRegression(i.X, i.y)
    n = models.neuron_points()
    neuron = models.Neuron(n.X[:, 0], n.y)
    o = models.online_rows()
    online = models.OnlineLinear(o.X[:, 0], o.y)
    return (
        Surface(
            "linear-regression",
            "Linear regression (diabetes)",
            "mean((w·x + b − y)²): 442 patients, x = BMI/10, y = progression after a year/100",
            linear.loss,
            linear.grad,
            (-1.5, 3.5),
            (-4.5, 2.0),
            (-1.0, 1.5),
            (linear.minimum(),),
            "A real fit whose feature is not centred: the loss is a long, narrow ravine along b ≈ 1.2 − 2.6w.",
            linear.axes,
            linear,
        ),
        Surface(
            "logistic-regression",
            "Logistic regression (iris)",
            "mean(log(1 + exp(−s·(w₁x₁ + w₂x₂)))): iris versicolor vs virginica by petal length and width",
            logistic.loss,
            logistic.grad,
            (-3.0, 9.0),
            (-3.0, 9.0),
            (-2.0, 7.0),
            (models.newton_minimum(logistic, (1.0, 1.0)),),
            "Nearly separable classes: the loss is almost flat near its minimum, and far from it.",
            logistic.axes,
            logistic,
        ),
        Surface(
            "neuron",
            "One tanh neuron",
            "mean((tanh(w·x + b) − y)²): 41 points, y = tanh(1.5x − 1) + noise",
            neuron.loss,
            neuron.grad,
            (-4.0, 4.0),
            (-4.0, 4.0),
            (-3.0, 3.0),
            (models.newton_minimum(neuron, (1.5, -1.0)),),
            "Not convex: where tanh saturates the loss is a plateau, and a start there barely moves.",
            neuron.axes,
            neuron,
        ),
        Surface(
            "online-linear",
            "Reddi et al.'s online problem",
            "mean(c)·x + y²/2: 101 gradients c in x, 1010 once and −10 a hundred times; x and y kept in [−1, 1]",
            online.loss,
            online.grad,
            (-1.5, 1.5),
            (-1.5, 1.5),
            (0.0, 0.5),
            ((-1.0, 0.0),),
            "Where Adam can fail (Reddi, Kale and Kumar, ICLR 2018): fed the gradients in order, one row a step "
            "(minibatch 1, in order), each step sees 1010 or −10. Their mean is positive, so the best point of the "
            "box is x = −1; Adam can drift to +1.",
            online.axes,
            online,
            box=((-1.0, 1.0), (-1.0, 1.0)),
        ),
    )


def bundled(name: str) -> Surface:
    """The model surface ``name`` on its bundled data."""
    return {s.name: s for s in model_surfaces()}[name]


DATA_COLUMNS = {
    "linear-regression": ("x", "y"),
    "logistic-regression": ("x1", "x2", "label"),
    "neuron": ("x", "y"),
}


def model_surface_from_csv(name: str, path) -> Surface:
    """The model surface ``name`` on the user's CSV (columns as in DATA_COLUMNS, a header row).

    The domain is centred on the loss's minimum (found exactly, or by Newton's method) and the start
    placed away from it. FileProblem or ParamError say what is wrong with the file, naming it.
    """
    from pathlib import Path

    if name not in DATA_COLUMNS:
        raise ParamError(f"Only a model's loss takes data ({', '.join(DATA_COLUMNS)}), not {name!r}")
    path = Path(path)
    columns = DATA_COLUMNS[name]
    data = models.read_csv(path, columns, "data file")
    row = models.first_overflowing_row(data)
    if row is not None:  # the loss (squares, products of the data) would overflow everywhere: no surface to draw
        raise ParamError(f"{path.name}, row {row}: a value beyond ±1e154 (scale the data down to use it)")
    base = bundled(name)
    if name == "logistic-regression":
        labels = data[:, 2]
        if not np.isin(labels, (0.0, 1.0)).all():
            row = int(np.flatnonzero(~np.isin(labels, (0.0, 1.0)))[0]) + 2
            raise ParamError(f"{path.name}, row {row}, column label: labels must be 0 or 1, not {labels[row - 2]:g}")
        if labels.min() == labels.max():
            raise ParamError(f"{path.name}: every label is {labels[0]:g}; both classes, 0 and 1, are needed")
        model = models.LogisticRegression(data[:, :2], labels)
        best = models.newton_minimum(model, (0.0, 0.0))
    elif name == "linear-regression":
        if np.ptp(data[:, 0]) == 0:
            raise ParamError(f"{path.name}: every x is {data[0, 0]:g}; a line needs at least two different x")
        model = models.LinearRegression(data[:, 0], data[:, 1])
        best = model.minimum()
    else:
        model = models.Neuron(data[:, 0], data[:, 1])
        best = models.newton_minimum(model, (1.0, 0.0))
    if not np.isfinite(best).all() or max(abs(best[0]), abs(best[1])) > 1e6:
        raise ParamError(f"{path.name}: the loss has no finite minimum here (the classes may be separable)")
    half = max(3.0, 1.5 * max(abs(best[0]), abs(best[1])))
    x_range, y_range = (best[0] - half, best[0] + half), (best[1] - half, best[1] + half)
    return replace(
        base,
        title=f"{base.title.split(' (')[0]} ({path.name})",
        formula=f"{base.formula.split(':')[0]}: {len(model.y)} rows of {path.name}",
        f=model.loss,
        grad=model.grad,
        x_range=x_range,
        y_range=y_range,
        start=(best[0] - 0.6 * half, best[1] + 0.5 * half),
        minima=(best,),
        description=f"Your data: {path.name}, {len(model.y)} rows.",
        model=model,
    )
