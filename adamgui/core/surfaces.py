"""Built-in loss surfaces: the table of them (formula, exact gradient, domain, minima, default start), the model
losses on their data, and a surface resolved from a name, a typed formula or a data file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

import numpy as np

from adamgui.core import surface_functions as fn
from adamgui.core.expression import (  # sympy on the first compile only
    DEFAULT_RANGE,
    Compiled,
    FormulaError,
    compile_formula,
)
from adamgui.core.model_surfaces import DATA_COLUMNS, model_surface_from_csv, model_surfaces  # noqa: F401 (here too)
from adamgui.core.params import ParamError, unknown_name
from adamgui.core.surface import (  # noqa: F401 (what a surface is; read from here too)
    Box,
    Range,
    Surface,
    box_outline,
    check_box,
    check_range,
    with_box,
)

Field = Callable[[np.ndarray, np.ndarray], np.ndarray]
Gradient = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


SURFACES: dict[str, Surface] = {
    s.name: s
    for s in (
        Surface(
            "saddle",
            "Saddle",
            "x^2 - y^2",
            fn.saddle,
            fn.saddle_grad,
            (-4.5, 4.5),
            (-2.5, 2.5),
            (-4.0, 0.4),
            description="The notebook's saddle: downhill along y, uphill along x; the origin is flat but no minimum.",
            hess=fn.saddle_hess,
        ),
        Surface(
            "bowl",
            "Bowl",
            "x^2 + y^2",
            fn.bowl,
            fn.bowl_grad,
            (-5.0, 5.0),
            (-5.0, 5.0),
            (-4.0, 3.0),
            ((0.0, 0.0),),
            "A round bowl: every sensible optimizer reaches the bottom.",
            hess=fn.bowl_hess,
        ),
        Surface(
            "ravine",
            "Ravine",
            "0.1*x^2 + 2*y^2",
            fn.ravine,
            fn.ravine_grad,
            (-10.0, 10.0),
            (-3.0, 3.0),
            (-9.0, 2.0),
            ((0.0, 0.0),),
            "Twenty times steeper across than along: gradient descent zig-zags, adaptive methods rescale.",
            hess=fn.ravine_hess,
        ),
        Surface(
            "rosenbrock",
            "Rosenbrock",
            "(1 - x)^2 + 100*(y - x^2)^2",
            fn.rosenbrock,
            fn.rosenbrock_grad,
            (-2.0, 2.0),
            (-1.0, 3.0),
            (-1.2, 1.0),
            ((1.0, 1.0),),
            "A curved, nearly flat valley: easy to find, slow to follow to (1, 1).",
            hess=fn.rosenbrock_hess,
        ),
        Surface(
            "beale",
            "Beale",
            "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
            fn.beale,
            fn.beale_grad,
            (-4.5, 4.5),
            (-4.5, 4.5),
            (1.0, 1.4),
            ((3.0, 0.5),),
            "Flat middle, walls that rise by five decades toward the corners.",
            hess=fn.beale_hess,
        ),
        Surface(
            "himmelblau",
            "Himmelblau",
            "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
            fn.himmelblau,
            fn.himmelblau_grad,
            (-5.0, 5.0),
            (-5.0, 5.0),
            (-0.5, 0.5),
            ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)),
            "Four equal minima: where a run ends depends on where it starts.",
            hess=fn.himmelblau_hess,
        ),
        Surface(
            "booth",
            "Booth",
            "(x + 2*y - 7)^2 + (2*x + y - 5)^2",
            fn.booth,
            fn.booth_grad,
            (-10.0, 10.0),
            (-10.0, 10.0),
            (-8.0, -6.0),
            ((1.0, 3.0),),
            "A tilted quadratic bowl with one minimum at (1, 3).",
            hess=fn.booth_hess,
        ),
        Surface(
            "rastrigin",
            "Rastrigin",
            "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
            fn.rastrigin,
            fn.rastrigin_grad,
            (-5.12, 5.12),
            (-5.12, 5.12),
            (3.3, -2.6),
            ((0.0, 0.0),),
            "An egg-box of local minima over a bowl; the global one is at the origin.",
            hess=fn.rastrigin_hess,
        ),
        Surface(
            "ackley",
            "Ackley",
            "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20",
            fn.ackley,
            fn.ackley_grad,
            (-5.0, 5.0),
            (-5.0, 5.0),
            (3.2, -2.4),
            ((0.0, 0.0),),
            "A nearly flat ripple field with one deep funnel at the origin.",
            hess=fn.ackley_hess,
        ),
        Surface(
            "six-hump-camel",
            "Six-hump camel",
            "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
            fn.camel,
            fn.camel_grad,
            (-3.0, 3.0),
            (-2.0, 2.0),
            (-1.5, 1.2),
            ((0.0898420131, -0.7126564032), (-0.0898420131, 0.7126564032)),
            "Six local minima, two of them global.",
            hess=fn.camel_hess,
        ),
        Surface(
            "monkey-saddle",
            "Monkey saddle",
            "x^3 - 3*x*y^2",
            fn.monkey,
            fn.monkey_grad,
            (-2.0, 2.0),
            (-2.0, 2.0),
            (0.6, 0.3),
            description="A saddle with three valleys (room for a monkey's tail); no minimum.",
            hess=fn.monkey_hess,
        ),
        Surface(
            "plateau",
            "Plateau",
            "1 - exp(-(x^2 + y^2)/2)",
            fn.plateau,
            fn.plateau_grad,
            (-6.0, 6.0),
            (-6.0, 6.0),
            (4.0, 3.0),
            ((0.0, 0.0),),
            "A well in a vast flat plain: far out the gradient almost vanishes, and epsilon decides the step.",
            hess=fn.plateau_hess,
        ),
        Surface(
            "quartic-product",
            "Edge of stability: ¼(x²y² − 1)²",
            "(x^2*y^2 - 1)^2/4",
            fn.quartic_product,
            fn.quartic_product_grad,
            (-0.5, 3.5),
            (-0.5, 1.5),
            (2.5, 0.1),
            (),
            "Zhu et al.'s (ICLR 2023) minimalist example: minima all along xy = ±1, the sharper the farther out "
            "(λ_max = 2(x² + y²) there). GD with a large step settles where the sharpness is just below 2/α.",
            hess=fn.quartic_product_hess,
        ),
        Surface(
            "linear-neuron",
            "One linear neuron: ½(1 − xy)²",
            "(1 - x*y)^2/2",
            fn.linear_neuron,
            fn.linear_neuron_grad,
            (-0.5, 2.0),
            (-0.5, 2.0),
            (1.2, 0.3),
            (),
            "Two weights in a row fitted to one point: minima all along xy = 1, each with λ_max = x² + y² ≥ 2, so "
            "GD with α > 1 can settle at none of them.",
            hess=fn.linear_neuron_hess,
        ),
        Surface(
            "cross-entropy-product",
            "Cross-entropy of a product: ℓ(xy)",
            "log(1 + exp(x*y)) - 0.9*x*y - log(10) + 0.9*log(9)",
            fn.cross_entropy_product,
            fn.cross_entropy_product_grad,
            (0.0, 7.0),
            (0.0, 2.0),  # (where xy < 0 the loss climbs a wall that would dwarf the valley)
            (6.0, 0.1),
            (),
            "Binary cross-entropy with target 0.9 of the product xy (a logit made of two weights), less its least "
            "value: minima all along xy = ln 9, with λ_max = 0.09(x² + y²) there. Gan (2026) proves GD settles at "
            "the edge of stability on such losses.",
            hess=fn.cross_entropy_product_hess,
        ),
    )
}
SURFACES.update({s.name: s for s in model_surfaces()})


def get_surface(name: str) -> Surface:
    """The built-in surface called ``name``, or a ParamError suggesting the nearest name."""
    try:
        return SURFACES[name]
    except KeyError:
        raise ParamError(unknown_name("surface", name, SURFACES)) from None


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
