"""Built-in loss surfaces: formula, exact gradient, plotting domain, minima, default start.

Each function and gradient takes arrays ``x`` and ``y`` of any (equal) shape and
works element-wise, so a whole grid or a batch of points is one call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from adamgui.core import models
from adamgui.core.expression import (  # sympy on the first compile only
    DEFAULT_RANGE,
    Compiled,
    FormulaError,
    compile_formula,
    formula_hessian,
    hessian_pending,
)
from adamgui.core.limits import MAX_DOMAIN_COORD, MAX_DOMAIN_WIDTH, MIN_DOMAIN_WIDTH
from adamgui.core.params import ParamError, unknown_name

Field = Callable[[np.ndarray, np.ndarray], np.ndarray]
Gradient = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Surface:
    """A 2D loss surface f(x, y) with its exact gradient and where to look at it."""

    name: str
    title: str
    formula: str
    f: Field
    grad: Gradient
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    start: tuple[float, float]
    minima: tuple[tuple[float, float], ...] = ()
    description: str = ""
    axes: tuple[str, str] = ("x", "y")  # what the two coordinates are (a model's parameters: w, b)
    model: object = None  # a model loss (core/models.py): its data and fit, for the data panel
    hess: Callable | None = None  # (x, y) -> (f_xx, f_xy, f_yy), written out (the built-ins); else sympy's
    box: tuple[tuple[float, float], tuple[float, float]] | None = None  # the feasible set: every step projected onto it

    def project(self, points: np.ndarray) -> np.ndarray:
        """The nearest points of the feasible box (each coordinate clipped to its interval); the points as they
        are without a box."""
        if self.box is None:
            return points
        (x0, x1), (y0, y1) = self.box
        out = np.empty_like(points)
        np.clip(points[..., 0], x0, x1, out=out[..., 0])
        np.clip(points[..., 1], y0, y1, out=out[..., 1])
        return out

    def feasible_gradient(self, points: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The gradient ``g`` at ``points`` less what pushes out of the box where a point lies on its wall: zero
        at a constrained minimum (where the projected step is zero too), the gradient itself inside."""
        if self.box is None:
            return g
        out = g.copy()
        for axis, (low, high) in enumerate(self.box):
            at_low = (points[..., axis] <= low) & (g[..., axis] > 0)  # descent would leave through the low wall
            at_high = (points[..., axis] >= high) & (g[..., axis] < 0)
            out[..., axis] = np.where(at_low | at_high, 0.0, g[..., axis])
        return out

    def value(self, points: np.ndarray) -> np.ndarray:
        """f at an ``(N, 2)`` batch of points, shape ``(N,)``."""
        return self.f(points[..., 0], points[..., 1])

    def gradient(self, points: np.ndarray) -> np.ndarray:
        """∇f at an ``(N, 2)`` batch of points, shape ``(N, 2)``."""
        gx, gy = self.grad(points[..., 0], points[..., 1])
        out = np.empty(np.shape(points), dtype=float)
        out[..., 0] = gx
        out[..., 1] = gy
        return out

    def hessian_ready(self) -> bool:
        """True unless this is a formula whose second derivatives are still being built elsewhere (the window
        builds them off its own thread; until then :meth:`hessian` gives NaN)."""
        return self.model is not None or self.hess is not None or not hessian_pending(self.formula)

    def hessian(self, points: np.ndarray) -> np.ndarray:
        """The exact Hessian at an ``(N, 2)`` batch of points, shape ``(N, 2, 2)``: a model's own, a
        built-in's written out, else the second derivatives of the formula (sympy, on first use)."""
        x, y = points[..., 0], points[..., 1]
        with np.errstate(all="ignore"):
            if self.model is not None:
                hxx, hxy, hyy = self.model.hessian(x, y)
            elif self.hess is not None:
                hxx, hxy, hyy = self.hess(x, y)
            else:
                try:
                    hxx, hxy, hyy = formula_hessian(self.formula)(x, y)
                except FormulaError:  # too large to build: no curvature to show (the views say so)
                    hxx = hxy = hyy = np.full(np.shape(x), np.nan)
        out = np.empty(np.shape(points)[:-1] + (2, 2), dtype=float)
        out[..., 0, 0] = hxx
        out[..., 0, 1] = out[..., 1, 0] = hxy
        out[..., 1, 1] = hyy
        return out

    def contains(self, points: np.ndarray) -> np.ndarray:
        """True where a point lies inside the plotting domain (borders included)."""
        x, y = points[..., 0], points[..., 1]
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        return (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)

    def grid(self, n: int = 160) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Axes ``xs`` (n,), ``ys`` (n,) and values ``z`` shaped ``(len(xs), len(ys))`` ('ij')."""
        xs = np.linspace(*self.x_range, n)
        ys = np.linspace(*self.y_range, n)
        gx, gy = np.meshgrid(xs, ys, indexing="ij")
        with np.errstate(all="ignore"):
            z = np.asarray(self.f(gx, gy), dtype=float) * np.ones_like(gx)
        return xs, ys, z


TAU = 2 * np.pi


def _saddle(x, y):
    return x**2 - y**2


def _saddle_grad(x, y):
    return 2 * x, -2 * y


def _bowl(x, y):
    return x**2 + y**2


def _bowl_grad(x, y):
    return 2 * x, 2 * y


def _ravine(x, y):
    return 0.1 * x**2 + 2 * y**2


def _ravine_grad(x, y):
    return 0.2 * x, 4 * y


def _rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_grad(x, y):
    r = y - x**2
    return -2 * (1 - x) - 400 * x * r, 200 * r


def _beale(x, y):
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _beale_grad(x, y):
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y**2
    c = 2.625 - x + x * y**3
    gx = 2 * a * (y - 1) + 2 * b * (y**2 - 1) + 2 * c * (y**3 - 1)
    gy = 2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y**2
    return gx, gy


def _himmelblau(x, y):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _himmelblau_grad(x, y):
    a = x**2 + y - 11
    b = x + y**2 - 7
    return 4 * x * a + 2 * b, 2 * a + 4 * y * b


def _booth(x, y):
    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2


def _booth_grad(x, y):
    a = x + 2 * y - 7
    b = 2 * x + y - 5
    return 2 * a + 4 * b, 4 * a + 2 * b


def _rastrigin(x, y):
    return 20 + x**2 - 10 * np.cos(TAU * x) + y**2 - 10 * np.cos(TAU * y)


def _rastrigin_grad(x, y):
    return 2 * x + 10 * TAU * np.sin(TAU * x), 2 * y + 10 * TAU * np.sin(TAU * y)


def _ackley(x, y):
    r = np.sqrt(0.5 * (x**2 + y**2))
    return -20 * np.exp(-0.2 * r) - np.exp(0.5 * (np.cos(TAU * x) + np.cos(TAU * y))) + np.e + 20


def _ackley_grad(x, y):
    r = np.sqrt(0.5 * (x**2 + y**2))
    # d/dx of -20 exp(-0.2 r) is 2 exp(-0.2 r) x / r; at r = 0 the limit along any
    # line is finite but direction-dependent, so the origin (the minimum) gets 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        radial = np.where(r > 0, 2 * np.exp(-0.2 * r) / r, 0.0)
    wave = np.pi * np.exp(0.5 * (np.cos(TAU * x) + np.cos(TAU * y)))
    return radial * x + wave * np.sin(TAU * x), radial * y + wave * np.sin(TAU * y)


def _camel(x, y):
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


def _camel_grad(x, y):
    return 8 * x - 8.4 * x**3 + 2 * x**5 + y, x - 8 * y + 16 * y**3


def _monkey(x, y):
    return x**3 - 3 * x * y**2


def _monkey_grad(x, y):
    return 3 * x**2 - 3 * y**2, -6 * x * y


def _plateau(x, y):
    return 1 - np.exp(-(x**2 + y**2) / 2)


def _plateau_grad(x, y):
    e = np.exp(-(x**2 + y**2) / 2)
    return x * e, y * e


# Second derivatives (f_xx, f_xy, f_yy), worked out by hand like the gradients above, so that
# Newton's method and the curvature view never need sympy on a built-in surface; the tests check
# each against sympy's derivatives of the formula and against central differences of the gradient.
def _saddle_hess(x, y):
    return 2.0, 0.0, -2.0


def _bowl_hess(x, y):
    return 2.0, 0.0, 2.0


def _ravine_hess(x, y):
    return 0.2, 0.0, 4.0


def _rosenbrock_hess(x, y):
    return 2 - 400 * y + 1200 * x**2, -400 * x, 200.0


def _beale_hess(x, y):
    a, b, c = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
    ax, bx, cx = y - 1, y**2 - 1, y**3 - 1  # ∂/∂x of a, b, c
    ay, by, cy = x, 2 * x * y, 3 * x * y**2  # ∂/∂y
    hxx = 2 * (ax**2 + bx**2 + cx**2)
    hxy = 2 * (ax * ay + a + bx * by + b * 2 * y + cx * cy + c * 3 * y**2)
    hyy = 2 * (ay**2 + by**2 + b * 2 * x + cy**2 + c * 6 * x * y)
    return hxx, hxy, hyy


def _himmelblau_hess(x, y):
    a, b = x**2 + y - 11, x + y**2 - 7
    return 4 * a + 8 * x**2 + 2, 4 * x + 4 * y, 2 + 4 * b + 8 * y**2


def _booth_hess(x, y):
    return 10.0, 8.0, 10.0


def _rastrigin_hess(x, y):
    k = 10 * TAU**2
    return 2 + k * np.cos(TAU * x), 0.0, 2 + k * np.cos(TAU * y)


def _ackley_hess(x, y):
    r = np.sqrt(0.5 * (x**2 + y**2))
    # the cone −20·exp(−0.2r): with q = 2·exp(−0.2r)/r its gradient is q·(x, y), and dq/dr = −q·(0.2 + 1/r);
    # at r = 0 (the minimum) it is a cone's tip: no second derivative (NaN)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.where(r > 0, 2 * np.exp(-0.2 * r) / r, np.nan)
        k = np.where(r > 0, 0.5 * q * (0.2 + 1 / r) / r, np.nan)
    e = np.exp(0.5 * (np.cos(TAU * x) + np.cos(TAU * y)))
    sx, sy = np.sin(TAU * x), np.sin(TAU * y)
    hxx = q - k * x**2 + np.pi * e * (TAU * np.cos(TAU * x) - np.pi * sx**2)
    hyy = q - k * y**2 + np.pi * e * (TAU * np.cos(TAU * y) - np.pi * sy**2)
    hxy = -k * x * y - np.pi**2 * e * sx * sy
    return hxx, hxy, hyy


def _camel_hess(x, y):
    return 8 - 25.2 * x**2 + 10 * x**4, 1.0, -8 + 48 * y**2


def _monkey_hess(x, y):
    return 6 * x, -6 * y, -6 * x


def _plateau_hess(x, y):
    e = np.exp(-(x**2 + y**2) / 2)
    return e * (1 - x**2), -x * y * e, e * (1 - y**2)


# Losses of the product z = xy, f = ℓ(z): ∇f = ℓ'(z)·(y, x) and ∇²f = ℓ''(z)·(y, x)(y, x)ᵀ + ℓ'(z)·[[0, 1], [1, 0]].
# On the minima ℓ'(z) = 0 the Hessian's eigenvalues are 0 (along the curve of minima) and ℓ''(z)·(x² + y²).
def _quartic_product(x, y):  # ℓ(z) = ¼(z² − 1)², Zhu et al.'s minimalist example of the edge of stability
    return 0.25 * (x * x * y * y - 1) ** 2


def _quartic_product_grad(x, y):
    r = x * x * y * y - 1
    return r * x * y * y, r * x * x * y


def _quartic_product_hess(x, y):
    z = x * y
    slope, bend = z**3 - z, 3 * z * z - 1
    return bend * y * y, bend * z + slope, bend * x * x


def _linear_neuron(x, y):  # ℓ(z) = ½(1 − z)²: one linear neuron ŷ = x·y·1 fitted to one point (1, 1)
    return 0.5 * (1 - x * y) ** 2


def _linear_neuron_grad(x, y):
    r = x * y - 1
    return r * y, r * x


def _linear_neuron_hess(x, y):
    return y * y, 2 * x * y - 1, x * x


_CE_LABEL = 0.9  # the target of the cross-entropy product surface; its minima lie along xy = logit(0.9) = ln 9
_CE_FLOOR = np.log(10.0) - _CE_LABEL * np.log(9.0)  # the loss at those minima, subtracted so that they sit at 0


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # σ(z), without overflow far out


def _cross_entropy_product(x, y):  # ℓ(z) = −0.9·log σ(z) − 0.1·log(1 − σ(z)) at z = xy, less its minimum
    z = x * y
    return np.logaddexp(0.0, z) - _CE_LABEL * z - _CE_FLOOR


def _cross_entropy_product_grad(x, y):
    g = _sigmoid(x * y) - _CE_LABEL  # ℓ'(z) = σ(z) − 0.9
    return g * y, g * x


def _cross_entropy_product_hess(x, y):
    s = _sigmoid(x * y)
    curve, g = s * (1.0 - s), s - _CE_LABEL  # ℓ''(z) = σ(z)(1 − σ(z))
    return curve * y * y, curve * x * y + g, curve * x * x


SURFACES: dict[str, Surface] = {
    s.name: s
    for s in (
        Surface(
            "saddle",
            "Saddle",
            "x^2 - y^2",
            _saddle,
            _saddle_grad,
            (-4.5, 4.5),
            (-2.5, 2.5),
            (-4.0, 0.4),
            description="The notebook's saddle: downhill along y, uphill along x; the origin is flat but no minimum.",
            hess=_saddle_hess,
        ),
        Surface(
            "bowl",
            "Bowl",
            "x^2 + y^2",
            _bowl,
            _bowl_grad,
            (-5.0, 5.0),
            (-5.0, 5.0),
            (-4.0, 3.0),
            ((0.0, 0.0),),
            "A round bowl: every sensible optimizer reaches the bottom.",
            hess=_bowl_hess,
        ),
        Surface(
            "ravine",
            "Ravine",
            "0.1*x^2 + 2*y^2",
            _ravine,
            _ravine_grad,
            (-10.0, 10.0),
            (-3.0, 3.0),
            (-9.0, 2.0),
            ((0.0, 0.0),),
            "Twenty times steeper across than along: gradient descent zig-zags, adaptive methods rescale.",
            hess=_ravine_hess,
        ),
        Surface(
            "rosenbrock",
            "Rosenbrock",
            "(1 - x)^2 + 100*(y - x^2)^2",
            _rosenbrock,
            _rosenbrock_grad,
            (-2.0, 2.0),
            (-1.0, 3.0),
            (-1.2, 1.0),
            ((1.0, 1.0),),
            "A curved, nearly flat valley: easy to find, slow to follow to (1, 1).",
            hess=_rosenbrock_hess,
        ),
        Surface(
            "beale",
            "Beale",
            "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
            _beale,
            _beale_grad,
            (-4.5, 4.5),
            (-4.5, 4.5),
            (1.0, 1.4),
            ((3.0, 0.5),),
            "Flat middle, walls that rise by five decades toward the corners.",
            hess=_beale_hess,
        ),
        Surface(
            "himmelblau",
            "Himmelblau",
            "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
            _himmelblau,
            _himmelblau_grad,
            (-5.0, 5.0),
            (-5.0, 5.0),
            (-0.5, 0.5),
            ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)),
            "Four equal minima: where a run ends depends on where it starts.",
            hess=_himmelblau_hess,
        ),
        Surface(
            "booth",
            "Booth",
            "(x + 2*y - 7)^2 + (2*x + y - 5)^2",
            _booth,
            _booth_grad,
            (-10.0, 10.0),
            (-10.0, 10.0),
            (-8.0, -6.0),
            ((1.0, 3.0),),
            "A tilted quadratic bowl with one minimum at (1, 3).",
            hess=_booth_hess,
        ),
        Surface(
            "rastrigin",
            "Rastrigin",
            "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
            _rastrigin,
            _rastrigin_grad,
            (-5.12, 5.12),
            (-5.12, 5.12),
            (3.3, -2.6),
            ((0.0, 0.0),),
            "An egg-box of local minima over a bowl; the global one is at the origin.",
            hess=_rastrigin_hess,
        ),
        Surface(
            "ackley",
            "Ackley",
            "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20",
            _ackley,
            _ackley_grad,
            (-5.0, 5.0),
            (-5.0, 5.0),
            (3.2, -2.4),
            ((0.0, 0.0),),
            "A nearly flat ripple field with one deep funnel at the origin.",
            hess=_ackley_hess,
        ),
        Surface(
            "six-hump-camel",
            "Six-hump camel",
            "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
            _camel,
            _camel_grad,
            (-3.0, 3.0),
            (-2.0, 2.0),
            (-1.5, 1.2),
            ((0.0898420131, -0.7126564032), (-0.0898420131, 0.7126564032)),
            "Six local minima, two of them global.",
            hess=_camel_hess,
        ),
        Surface(
            "monkey-saddle",
            "Monkey saddle",
            "x^3 - 3*x*y^2",
            _monkey,
            _monkey_grad,
            (-2.0, 2.0),
            (-2.0, 2.0),
            (0.6, 0.3),
            description="A saddle with three valleys (room for a monkey's tail); no minimum.",
            hess=_monkey_hess,
        ),
        Surface(
            "plateau",
            "Plateau",
            "1 - exp(-(x^2 + y^2)/2)",
            _plateau,
            _plateau_grad,
            (-6.0, 6.0),
            (-6.0, 6.0),
            (4.0, 3.0),
            ((0.0, 0.0),),
            "A well in a vast flat plain: far out the gradient almost vanishes, and epsilon decides the step.",
            hess=_plateau_hess,
        ),
        Surface(
            "quartic-product",
            "Edge of stability: ¼(x²y² − 1)²",
            "(x^2*y^2 - 1)^2/4",
            _quartic_product,
            _quartic_product_grad,
            (-0.5, 3.5),
            (-0.5, 1.5),
            (2.5, 0.1),
            (),
            "Zhu et al.'s (ICLR 2023) minimalist example: minima all along xy = ±1, the sharper the farther out "
            "(λ_max = 2(x² + y²) there). GD with a large step settles where the sharpness is just below 2/α.",
            hess=_quartic_product_hess,
        ),
        Surface(
            "linear-neuron",
            "One linear neuron: ½(1 − xy)²",
            "(1 - x*y)^2/2",
            _linear_neuron,
            _linear_neuron_grad,
            (-0.5, 2.0),
            (-0.5, 2.0),
            (1.2, 0.3),
            (),
            "Two weights in a row fitted to one point: minima all along xy = 1, each with λ_max = x² + y² ≥ 2, so "
            "GD with α > 1 can settle at none of them.",
            hess=_linear_neuron_hess,
        ),
        Surface(
            "cross-entropy-product",
            "Cross-entropy of a product: ℓ(xy)",
            "log(1 + exp(x*y)) - 0.9*x*y - log(10) + 0.9*log(9)",
            _cross_entropy_product,
            _cross_entropy_product_grad,
            (-0.5, 7.0),
            (-0.5, 2.0),
            (6.0, 0.1),
            (),
            "Binary cross-entropy with target 0.9 of the product xy (a logit made of two weights), less its least "
            "value: minima all along xy = ln 9, with λ_max = 0.09(x² + y²) there. Gan (2026) proves GD settles at "
            "the edge of stability on such losses.",
            hess=_cross_entropy_product_hess,
        ),
    )
}


def _model_surfaces() -> tuple[Surface, ...]:
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


SURFACES.update({s.name: s for s in _model_surfaces()})

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
    base = get_surface(name)
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


def get_surface(name: str) -> Surface:
    """The built-in surface called ``name``, or a ParamError suggesting the nearest name."""
    try:
        return SURFACES[name]
    except KeyError:
        raise ParamError(unknown_name("surface", name, SURFACES)) from None


Range = tuple[float, float]


def check_range(axis: str, rng: Range) -> Range:
    """A plotting range as two finite floats, the first below the second, of a width the views can draw.

    The one rule for domains: the panel, the session reader and the command line all call it.
    """
    try:
        lo, hi = float(rng[0]), float(rng[1])
    except (TypeError, ValueError, IndexError, OverflowError):
        raise ParamError(f"Invalid {axis} range {rng!r} (expected two numbers)") from None
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo >= hi:
        raise ParamError(f"Invalid {axis} range [{lo:g}, {hi:g}] (need finite numbers, the first below the second)")
    if not MIN_DOMAIN_WIDTH <= hi - lo <= MAX_DOMAIN_WIDTH or max(abs(lo), abs(hi)) > MAX_DOMAIN_COORD:
        raise ParamError(
            f"Invalid {axis} range [{lo:g}, {hi:g}] (its width must be {MIN_DOMAIN_WIDTH:g} to "
            f"{MAX_DOMAIN_WIDTH:g}, its ends within ±{MAX_DOMAIN_COORD:g})"
        )
    return lo, hi


Box = tuple[tuple[float, float], tuple[float, float]]


def box_outline(surface: Surface, per_side: int = 64) -> np.ndarray:
    """The walls of ``surface``'s feasible box, as much of them as lies in its domain: (4·per_side + 1, 2) points
    round it (clipped to the domain), for the views to draw."""
    (x0, x1), (y0, y1) = surface.box
    (dx0, dx1), (dy0, dy1) = surface.x_range, surface.y_range
    x0, x1, y0, y1 = max(x0, dx0), min(x1, dx1), max(y0, dy0), min(y1, dy1)
    if x0 >= x1 or y0 >= y1:  # the box lies outside the drawn domain
        return np.zeros((0, 2))
    t = np.linspace(0.0, 1.0, per_side, endpoint=False)
    sides = [
        np.column_stack([x0 + (x1 - x0) * t, np.full(per_side, y0)]),
        np.column_stack([np.full(per_side, x1), y0 + (y1 - y0) * t]),
        np.column_stack([x1 - (x1 - x0) * t, np.full(per_side, y1)]),
        np.column_stack([np.full(per_side, x0), y1 - (y1 - y0) * t]),
    ]
    return np.concatenate([*sides, [[x0, y0]]])


def check_box(values) -> Box:
    """A feasible box from four numbers x0, x1, y0, y1 (each pair as a domain's range must be); ParamError naming
    the fault. The one rule for boxes: sessions and the command line call it."""
    try:
        x0, x1, y0, y1 = (float(v) for v in values)
    except (TypeError, ValueError, OverflowError):
        raise ParamError(f"Invalid box {values!r} (expected four numbers x0,x1,y0,y1)") from None
    return check_range("box x", (x0, x1)), check_range("box y", (y0, y1))


@lru_cache(maxsize=32)
def with_box(surface: Surface, box: Box) -> Surface:
    """``surface`` with its steps projected onto ``box`` (one object per pair: views know a surface by identity)."""
    return replace(surface, box=box)


def resolve_surface(
    name: str, formula: str = "", x_range: Range | None = None, y_range: Range | None = None, data: str = ""
) -> Surface:
    """A built-in surface (``name``) or a typed one (``name == "formula"``), on an optional domain;
    a model's loss on the user's ``data`` file when one is given.

    The same arguments give back the same object, so a view can tell a new surface by identity (a
    data file is read again when it changed on disk). Raises ParamError for a bad name or range,
    FormulaError for a refused formula, FileProblem for a data file that cannot be used.
    """
    if data:
        import os

        from adamgui.core.files import FileProblem

        try:
            info = os.stat(data)
        except ValueError:  # a NUL in the name: no file can have it
            raise FileProblem(f"{data[:80]!r} cannot be a file's name (it holds a NUL character)") from None
        except OSError as e:
            raise FileProblem(f"{os.path.basename(data)} cannot be read: {e.strerror or e}") from None
        return _resolve(name, formula, x_range, y_range, data, (info.st_mtime_ns, info.st_size))
    return _resolve(name, formula, x_range, y_range, "", None)


@lru_cache(maxsize=64)
def _resolve(name: str, formula: str, x_range, y_range, data: str, stamp) -> Surface:
    x_range = check_range("x", x_range) if x_range is not None else None
    y_range = check_range("y", y_range) if y_range is not None else None
    if name == "formula":
        return formula_surface(formula, x_range or DEFAULT_RANGE, y_range or DEFAULT_RANGE)
    base = model_surface_from_csv(name, data) if data else get_surface(name)
    if x_range is None and y_range is None:
        return base
    return replace(base, x_range=x_range or base.x_range, y_range=y_range or base.y_range)


def _default_start(compiled: Compiled, x_range, y_range) -> tuple[float, float]:
    """Toward the upper left of the domain, or the first of a few other places where f and ∇f are finite."""
    (x0, x1), (y0, y1) = x_range, y_range
    shares = [(0.15, 0.85), (0.85, 0.85), (0.85, 0.15), (0.15, 0.15), (0.3, 0.6), (0.6, 0.3), (0.5, 0.5)]
    xs = np.array([x0 + a * (x1 - x0) for a, _ in shares])
    ys = np.array([y0 + b * (y1 - y0) for _, b in shares])
    gx, gy = compiled.grad(xs, ys)
    ok = np.isfinite(compiled.f(xs, ys)) & np.isfinite(gx) & np.isfinite(gy)
    i = int(np.argmax(ok)) if ok.any() else 0
    return float(xs[i]), float(ys[i])


def surface_from_formula(
    name: str,
    title: str,
    formula: str,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    start: tuple[float, float],
    minima: tuple[tuple[float, float], ...] = (),
    description: str = "",
) -> Surface:
    """A named surface from formula text (the formula field's syntax), differentiated exactly by sympy:
    what a plugin hands to ``adamgui.surfaces``. FormulaError if the formula is refused."""
    compiled = compile_formula(formula.strip())
    return Surface(
        name,
        title,
        formula.strip(),
        compiled.f,
        compiled.grad,
        tuple(map(float, x_range)),
        tuple(map(float, y_range)),
        tuple(map(float, start)),
        tuple(tuple(map(float, m)) for m in minima),
        description,
    )


def formula_surface(
    text: str,
    x_range: tuple[float, float] = DEFAULT_RANGE,
    y_range: tuple[float, float] = DEFAULT_RANGE,
    start: tuple[float, float] | None = None,
) -> Surface:
    """A surface from formula text, with a domain and a start in it (upper left by default)."""
    compiled = compile_formula(text.strip())
    xs, ys = np.meshgrid(np.linspace(*x_range, 33), np.linspace(*y_range, 33))
    with np.errstate(all="ignore"):
        if not np.isfinite(compiled.f(xs, ys)).any():
            raise FormulaError(
                "The formula has no real, finite value anywhere on the plotted domain "
                "(a root or log of a negative number, or an overflow, everywhere)"
            )
    if start is None:
        start = _default_start(compiled, x_range, y_range)
    return surface_from_formula(  # (compile_formula is cached: the formula is compiled once)
        "formula",
        "Your formula",
        text,
        x_range,
        y_range,
        start,
        description="A formula of your own, differentiated exactly.",
    )
