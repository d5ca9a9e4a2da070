"""Formula text -> f(x, y) and its exact gradient, without ever running the text.

The text is parsed by Python's own parser into a syntax tree, and the tree is
accepted only if every node is one of: a number, ``x``, ``y``, ``pi``, ``e``, the
arithmetic operators, or a call of a function from :data:`FUNCTIONS`. Each
accepted node is turned into a sympy object by hand (no ``sympify`` of text),
sympy differentiates it, and ``lambdify`` turns f and ∇f into numpy functions.
Inputs that could hang or exhaust memory are refused first: text longer than
:data:`MAX_LENGTH`, nesting deeper than :data:`MAX_DEPTH`, more than
:data:`MAX_NODES` nodes, constant exponents above :data:`MAX_EXPONENT` and
constant powers that overflow a float (``9^9^9^9``).

sympy is imported on the first compile only, so starting the app does not pay for it.
"""

from __future__ import annotations

import ast
import math
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

MAX_LENGTH = 400
MAX_DEPTH = 40
MAX_NODES = 300
MAX_EXPONENT = 1000.0
MAX_PIECEWISE = 8  # min/max calls in one formula: sympy's work on them grows fast with their number
MAX_CONSTANT_BITS = 4096  # size of a constant power worked out exactly (2^4096 is about 1e1233)
DEFAULT_RANGE = (-5.0, 5.0)

# name -> (number of arguments, sympy attribute, plain-float version for constant folding)
FUNCTIONS: dict[str, tuple[int, str, object]] = {
    "sin": (1, "sin", math.sin),
    "cos": (1, "cos", math.cos),
    "tan": (1, "tan", math.tan),
    "asin": (1, "asin", math.asin),
    "acos": (1, "acos", math.acos),
    "atan": (1, "atan", math.atan),
    "sinh": (1, "sinh", math.sinh),
    "cosh": (1, "cosh", math.cosh),
    "tanh": (1, "tanh", math.tanh),
    "asinh": (1, "asinh", math.asinh),
    "acosh": (1, "acosh", math.acosh),
    "atanh": (1, "atanh", math.atanh),
    "exp": (1, "exp", math.exp),
    "log": (1, "log", math.log),
    "ln": (1, "log", math.log),
    "log10": (1, "log10", math.log10),
    "log2": (1, "log2", math.log2),
    "sqrt": (1, "sqrt", math.sqrt),
    "abs": (1, "Abs", abs),
    "atan2": (2, "atan2", math.atan2),
    "min": (2, "Min", min),
    "max": (2, "Max", max),
}
CONSTANTS = {"pi": math.pi, "e": math.e}
VARIABLES = ("x", "y")


class FormulaError(ValueError):
    """A formula that is refused; the message says what and where (1-based column)."""

    def __init__(self, message: str, column: int | None = None):
        super().__init__(message if column is None else f"{message} at column {column}")
        self.column = column


@dataclass(frozen=True)
class Compiled:
    """f and ∇f as numpy functions of arrays x, y, and the sympy expressions behind them."""

    text: str
    expr: object
    gradient: tuple[object, object]
    f: object
    grad: object


def _caret_columns(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if ch == "^"]


def _original_column(col0: int, carets: list[int]) -> int:
    """Map a 0-based column in the '^'->'**' text back to a 1-based column in the user's text."""
    shift = 0
    for c in carets:
        if c + shift < col0:
            shift += 1
    return col0 - shift + 1


def parse(text: str) -> ast.Expression:
    """The checked syntax tree of ``text`` ('^' means power), or FormulaError."""
    if not isinstance(text, str):
        raise FormulaError("The formula must be text")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"The formula is too long ({len(text)} characters; at most {MAX_LENGTH})")
    if not text.strip():
        raise FormulaError("The formula is empty")
    lead = len(text) - len(text.lstrip())  # Python's parser refuses leading spaces
    carets = [c - lead for c in _caret_columns(text)]
    source = text[lead:].replace("^", "**")
    try:
        tree = ast.parse(source.replace("\n", " ").replace("\r", " "), mode="eval")
    except SyntaxError as e:
        col = _original_column((e.offset or 1) - 1, carets) + lead
        msg = e.msg or ""
        if "never closed" in msg or "unmatched" in msg or "does not match" in msg:
            raise FormulaError("Unbalanced parenthesis", col) from None
        if "invalid decimal literal" in msg or "invalid imaginary literal" in msg:
            raise FormulaError("A '*' is missing (write 2*x, not 2x)", col + 1) from None
        if "too many nested" in msg:
            raise FormulaError(f"The formula nests too deeply (at most {MAX_DEPTH} levels)") from None
        raise FormulaError("Cannot read the formula here", col) from None
    except (ValueError, MemoryError, RecursionError):
        raise FormulaError("Cannot read the formula (it contains characters that are not allowed)") from None
    _check(tree.body, carets, lead, depth=0, count=[0, 0])  # (nodes, min/max calls)
    return tree


def _check(node: ast.AST, carets: list[int], lead: int, depth: int, count: list[int]) -> None:
    count[0] += 1
    col = _original_column(getattr(node, "col_offset", 0), carets) + lead
    if depth > MAX_DEPTH:
        raise FormulaError(f"The formula nests too deeply (at most {MAX_DEPTH} levels)")
    if count[0] > MAX_NODES:
        raise FormulaError(f"The formula is too large (more than {MAX_NODES} parts)")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(f"Only numbers are allowed, not {node.value!r}", col)
        try:
            finite = math.isfinite(float(node.value))
        except OverflowError:
            finite = False
        if not finite:
            raise FormulaError("The number is too large", col)
        return
    if isinstance(node, ast.Name):
        if node.id not in VARIABLES and node.id not in CONSTANTS:
            allowed = ", ".join((*VARIABLES, *CONSTANTS))
            hint = " (it is a function: call it, as in sin(x))" if node.id in FUNCTIONS else ""
            raise FormulaError(f"Unknown name {node.id!r}{hint}; names allowed: {allowed}", col)
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
        _check(node.operand, carets, lead, depth + 1, count)
        return
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div | ast.Pow):
        _check(node.left, carets, lead, depth + 1, count)
        _check(node.right, carets, lead, depth + 1, count)
        if isinstance(node.op, ast.Pow):
            _check_power(node, col)
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            _check(node.func, carets, lead, depth + 1, count)  # says what is wrong with it
            raise FormulaError("Only the listed functions can be called", col)
        if node.func.id not in FUNCTIONS:
            raise FormulaError(f"Unknown function {node.func.id!r} (allowed: {', '.join(FUNCTIONS)})", col)
        if node.func.id in ("min", "max"):
            count[1] += 1
            if count[1] > MAX_PIECEWISE:
                raise FormulaError(
                    f"The formula has too many min/max (at most {MAX_PIECEWISE}: each makes it piecewise)", col
                )
        arity = FUNCTIONS[node.func.id][0]
        if node.keywords or len(node.args) != arity:
            raise FormulaError(f"{node.func.id}() takes {arity} argument{'s' if arity > 1 else ''}", col)
        for arg in node.args:
            _check(arg, carets, lead, depth + 1, count)
        return
    if isinstance(node, ast.Attribute):
        _check(node.value, carets, lead, depth + 1, count)  # the leftmost problem first
    what = {
        ast.Attribute: "attribute access ('.')",
        ast.Lambda: "lambda",
        ast.Compare: "comparisons",
        ast.BoolOp: "'and'/'or'",
        ast.Subscript: "indexing ('[ ]')",
        ast.ListComp: "comprehensions",
        ast.GeneratorExp: "comprehensions",
        ast.Tuple: "commas outside a function call",
        ast.IfExp: "'if ... else'",
        ast.List: "lists",
        ast.Set: "sets",
        ast.Dict: "dicts",
        ast.JoinedStr: "text",
        ast.NamedExpr: "':='",
        ast.Starred: "'*' unpacking",
    }.get(type(node), "this kind of expression")
    if isinstance(node, ast.BinOp):
        what = "this operator (use + - * / ^)"
    raise FormulaError(f"Not allowed in a formula: {what}", col)


def _constant_value(node: ast.AST) -> float | None:
    """The float value of a subtree made of numbers and constants only, else None (inf on overflow)."""
    try:
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            return CONSTANTS.get(node.id)
        if isinstance(node, ast.UnaryOp):
            v = _constant_value(node.operand)
            return None if v is None else (-v if isinstance(node.op, ast.USub) else v)
        if isinstance(node, ast.BinOp):
            a, b = _constant_value(node.left), _constant_value(node.right)
            if a is None or b is None:
                return None
            op = type(node.op)
            if op is ast.Pow:
                if abs(b) > MAX_EXPONENT or not (math.isfinite(a) and math.isfinite(b)):
                    return math.inf
                return float(a**b) if not (a < 0 and b != int(b)) else math.nan
            return {ast.Add: a + b, ast.Sub: a - b, ast.Mult: a * b, ast.Div: a / b if b else math.inf}[op]
        if isinstance(node, ast.Call):
            args = [_constant_value(a) for a in node.args]
            if any(a is None for a in args):
                return None
            return float(FUNCTIONS[node.func.id][2](*args))
    except (OverflowError, ValueError, ZeroDivisionError):
        return math.inf
    return None


def _check_power(node: ast.BinOp, col: int) -> None:
    exponent = _constant_value(node.right)
    if exponent is not None and not (abs(exponent) <= MAX_EXPONENT):
        raise FormulaError(f"The exponent is too large (at most {MAX_EXPONENT:g})", col)
    base = _constant_value(node.left)
    if exponent is not None and base is not None and base != 0 and math.isfinite(base):
        # worked out exactly, a constant power takes about |b·log2|a|| bits: bound the work, not only the size
        bits = abs(exponent * math.log2(abs(base)))
        if bits > MAX_CONSTANT_BITS:
            raise FormulaError(
                f"This constant power is too large or too small to work out exactly (about {bits:,.0f} bits; "
                f"at most {MAX_CONSTANT_BITS:,})",
                col,
            )
    value = _constant_value(node)
    if value is not None and math.isinf(value):
        raise FormulaError("This power is too large to compute", col)


def _to_sympy(node: ast.AST, sp, symbols):
    if isinstance(node, ast.Constant):
        return sp.Integer(node.value) if isinstance(node.value, int) else sp.Float(node.value)
    if isinstance(node, ast.Name):
        return symbols[node.id] if node.id in symbols else {"pi": sp.pi, "e": sp.E}[node.id]
    if isinstance(node, ast.UnaryOp):
        inner = _to_sympy(node.operand, sp, symbols)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        a, b = _to_sympy(node.left, sp, symbols), _to_sympy(node.right, sp, symbols)
        op = type(node.op)
        if op is ast.Add:
            return a + b
        if op is ast.Sub:
            return a - b
        if op is ast.Mult:
            return a * b
        if op is ast.Div:
            return a / b
        return a**b
    name = node.func.id
    args = [_to_sympy(a, sp, symbols) for a in node.args]
    if name == "log10":
        return sp.log(args[0], 10)
    if name == "log2":
        return sp.log(args[0], 2)
    return getattr(sp, FUNCTIONS[name][1])(*args)


def _big_float(p: int, q: int, sp):
    """p/q as a sympy Float from the leading 64 bits of each: sympy's own Float(n) goes by the decimal string,
    which Python refuses past 4,300 digits ((10^308 x)^1000 holds 10^308000), and exact binary conversion of a
    million-bit integer takes a second."""
    import mpmath

    shift_p, shift_q = max(abs(p).bit_length() - 64, 0), max(q.bit_length() - 64, 0)
    top = mpmath.mpf(p >> shift_p if p >= 0 else -((-p) >> shift_p)) / (q >> shift_q)
    return sp.Float(mpmath.ldexp(top, shift_p - shift_q))


def _floats_for_huge(expr, sp):
    huge = {n: _big_float(n.p, n.q, sp) for n in expr.atoms(sp.Rational) if abs(n.p) > 2**53 or abs(n.q) > 2**53}
    return expr.xreplace(huge) if huge else expr


def _vectorize(fn):
    """A lambdified function returns a scalar for a constant: broadcast it to the input's shape."""

    def call(x, y):
        with np.errstate(all="ignore"):
            out = np.asarray(fn(x, y))
            if np.iscomplexobj(out):  # the root or log of a negative number: not defined there (a hole)
                out = np.where(out.imag == 0, out.real, np.nan)
        return np.broadcast_to(np.asarray(out, dtype=float), np.broadcast(x, y).shape).copy()

    return call


def _heaviside(a, at_zero=0.5):
    return np.heaviside(a, at_zero)


def _dirac(a, *order):
    """The second derivative of a kink (abs, min, max): zero wherever it is defined."""
    return np.zeros(np.shape(a))


# The derivative of min/max is written with Heaviside steps; left to itself, lambdify rewrites each
# as a Piecewise and simplifies its logic, which took seconds for a few nested min/max. Printed as a
# call to numpy's heaviside it takes a tenth of a second, and the numbers are the same.
NUMPY = [{"Heaviside": _heaviside, "DiracDelta": _dirac}, "numpy"]


@contextmanager
def _sympy_numbers():
    """sympy evaluates the constant parts of a formula as it builds it: exp(exp(1e300)) overflows there,
    wherever that happens (building, differentiating, turning huge numbers into floats); said as a refusal."""
    try:
        yield
    except OverflowError:
        raise FormulaError("A number in the formula is too large to evaluate (like exp(exp(10^308)))") from None


@lru_cache(maxsize=64)
def compile_formula(text: str) -> Compiled:
    """Parse, check, differentiate and vectorize ``text``; FormulaError if it is refused."""
    with _sympy_numbers():
        return _compile(text)


def _compile(text: str) -> Compiled:
    tree = parse(text)
    import sympy as sp

    x, y = sp.symbols("x y", real=True)
    expr = _to_sympy(tree.body, sp, {"x": x, "y": y})
    if expr.has(sp.zoo, sp.nan) or (expr.is_number and not expr.is_finite):
        raise FormulaError("The formula is undefined everywhere (it divides by zero)")
    gx, gy = sp.diff(expr, x), sp.diff(expr, y)
    # numbers beyond a float's exact range become floats before numpy sees them (10^308 * x^2 would
    # otherwise be an int too large to convert): overflow is then inf, a divergence, not an error
    expr, gx, gy = (_floats_for_huge(e, sp) for e in (expr, gx, gy))
    f = _vectorize(sp.lambdify((x, y), expr, NUMPY))
    gfx = _vectorize(sp.lambdify((x, y), gx, NUMPY))
    gfy = _vectorize(sp.lambdify((x, y), gy, NUMPY))
    return Compiled(text, expr, (gx, gy), f, lambda a, b: (gfx(a, b), gfy(a, b)))


MAX_HESSIAN_OPS = 600  # operations in a formula's gradient beyond which its Hessian is not built (about 1 s here)
KEPT_HESSIANS = 64  # formulas whose second derivatives are kept (the oldest is forgotten first)


class HessianPending(FormulaError):
    """A formula's second derivatives are being built elsewhere (the window builds them on a thread of its own);
    asked again once built, they are there."""


_HESSIANS: dict[str, tuple] = {}  # formula text -> (its Hessian function, "") or (None, why it is not built)
_HESSIANS_LOCK = threading.Lock()
_builder: Callable[[str], bool] | None = None


def build_hessians_with(builder: Callable[[str], bool] | None) -> None:
    """Who builds a formula's second derivatives when something first needs them: the caller, at once (None, the
    default: scripts, the command line), or ``builder(text)``, which starts the work elsewhere and returns True
    (the asker then hears :class:`HessianPending` and asks again later), or returns False to leave the work to
    the caller (a thread other than the window's)."""
    global _builder
    _builder = builder


def hessian_built(text: str) -> bool:
    """True once ``text``'s second derivatives are built (or known to be too large to build)."""
    with _HESSIANS_LOCK:
        return text in _HESSIANS


def hessian_pending(text: str) -> bool:
    """True while ``text``'s second derivatives are left to a builder (see :func:`build_hessians_with`) that has
    not finished them: asked now, :func:`formula_hessian` raises :class:`HessianPending`."""
    return _builder is not None and not hessian_built(text)


def build_hessian(text: str) -> None:
    """Build and keep ``text``'s second derivatives now, on this thread (or the sentence why they are not built);
    FormulaError if the formula itself is refused. The work is bounded by MAX_HESSIAN_OPS."""
    if hessian_built(text):
        return
    try:
        result = _hessian_or_refusal(text)
    except FormulaError as e:
        result = None, str(e)
    except RecursionError:
        result = None, "This formula's second derivatives are nested too deeply to build here"
    with _HESSIANS_LOCK:
        _HESSIANS[text] = result
        while len(_HESSIANS) > KEPT_HESSIANS:
            del _HESSIANS[next(iter(_HESSIANS))]


def _hessian_or_refusal(text: str):
    """(the Hessian function, "") or (None, the sentence why it is not built); FormulaError if the formula itself is
    refused. The work is bounded by the size of the gradient, which is known by then."""
    import sympy as sp

    gradient = compile_formula(text).gradient  # (parsed and checked, and cached)
    size = sum(sp.count_ops(g) for g in gradient)
    if size > MAX_HESSIAN_OPS:  # the work of the second derivatives grows faster than this: 1,000 took 3 s
        return None, (
            f"This formula's second derivatives are too large to build here (its gradient alone has {size:,} "
            f"operations; at most {MAX_HESSIAN_OPS:,}), so the curvature and Newton's method are not available for it"
        )
    x, y = sp.symbols("x y", real=True)
    with _sympy_numbers():
        gx, gy = gradient
        parts = [_floats_for_huge(h, sp) for h in (sp.diff(gx, x), sp.diff(gx, y), sp.diff(gy, y))]
    fns = [_vectorize(sp.lambdify((x, y), h, NUMPY)) for h in parts]
    return (lambda a, b: tuple(f(a, b) for f in fns)), ""


def formula_hessian(text: str):
    """∂²f/∂x², ∂²f/∂x∂y and ∂²f/∂y² of the formula ``text``, exact (sympy), as one vectorized function
    ``(x, y) -> (hxx, hxy, hyy)``; FormulaError if the formula is refused, or its second derivatives are too large
    to build (both kept: asked again, the answer is immediate); HessianPending while a builder set with
    :func:`build_hessians_with` is building them."""
    with _HESSIANS_LOCK:
        known = _HESSIANS.get(text)
    if known is None:
        if _builder is not None and _builder(text):
            raise HessianPending("The curvature of this formula is being worked out")
        build_hessian(text)
        with _HESSIANS_LOCK:
            known = _HESSIANS[text]
    hessian, refusal = known
    if hessian is None:
        raise FormulaError(refusal)
    return hessian
