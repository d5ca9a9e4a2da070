"""Formula text: refused safely or compiled with an exact gradient; never run as code."""

import math
import signal
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from adamgui.core.expression import MAX_LENGTH, FormulaError, compile_formula
from adamgui.core.surfaces import SURFACES, formula_surface, resolve_surface

compile_formula("x")  # import sympy once, outside the guarded calls


@contextmanager
def returns_at_all():
    """A hang guard, not a timing: fails the call if it has not returned after a second."""

    def hung(*_):
        raise AssertionError("the formula did not return (a hang)")

    old = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, 30.0)  # generous: on a loaded machine a second is no proof of a hang
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize(
    ("text", "value", "gradient"),
    [
        ("x**2 - y**2", 1 - 4, (2, -4)),
        ("x^2 - y^2", 1 - 4, (2, -4)),
        ("(1 - x)^2 + 100*(y - x^2)^2", 100, (-400, 200)),
        ("sin(3*x)*cos(2*y) + 0.1*(x^2 + y^2)", math.sin(3) * math.cos(4) + 0.5, None),
        ("log(1 + x^2 + y^2)", math.log(6), (2 / 6, 4 / 6)),
        ("pi*x + e*y", math.pi + 2 * math.e, (math.pi, math.e)),
        ("sqrt(x) + abs(y) + tanh(x)", 1 + 2 + math.tanh(1), None),
        ("atan2(y, x) + max(x, y)", math.atan2(2, 1) + 2, None),
        ("2", 2, (0, 0)),
    ],
)
def test_formulas_compile_to_f_and_an_exact_gradient(text, value, gradient):
    c = compile_formula(text)
    assert float(c.f(np.array(1.0), np.array(2.0))) == pytest.approx(value)
    if gradient is not None:
        gx, gy = c.grad(np.array([1.0]), np.array([2.0]))
        assert (gx[0], gy[0]) == pytest.approx(gradient)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("x + z", "Unknown name 'z'"),
        ("x^2 + (y", "Unbalanced parenthesis at column 7"),
        ("(x + y))", "Unbalanced parenthesis at column 8"),
        ("2x", "'*' is missing"),
        ("9^9^9^9", "too large"),
        ("10^400", "too large"),
        ("x^100000", "exponent is too large"),
        ("__import__('os').system('touch /tmp/adamgui-pwned')", "Unknown function '__import__'"),
        ("x.__class__", "attribute access"),
        ("(lambda: 1)()", "lambda"),
        ("[a for a in (1, 2)]", "comprehensions"),
        ("open('/etc/passwd')", "Unknown function 'open'"),
        ("eval('1')", "Unknown function 'eval'"),
        ("x if y else 1", "if ... else"),
        ("x and y", "'and'/'or'"),
        ("x[0]", "indexing"),
        ("'text'", "Only numbers"),
        ("x % 2", "this operator"),
        ("sin(x, y)", "takes 1 argument"),
        ("sin(x=1)", "takes 1 argument"),
        ("", "empty"),
        ("x" * (MAX_LENGTH + 1), "too long"),
        ("sin(" * 45 + "x" + ")" * 45, "nests too deeply"),
        ("-" * 60 + "x", "nests too deeply"),
        ("1/0", "undefined everywhere"),
        ("x\x00", "Cannot read"),
    ],
)
def test_bad_formulas_are_refused_with_a_pointed_message(text, needle):
    with returns_at_all(), pytest.raises(FormulaError, match=None) as info:
        compile_formula(text)
    assert needle in str(info.value)
    assert not Path("/tmp/adamgui-pwned").exists()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("xy+-*/^()., 0123456789eipsnqrtlogab_[]'\"lambd:=")), max_size=60))
def test_random_text_gives_a_surface_or_a_formula_error(text):
    with returns_at_all():
        try:
            c = compile_formula(text)
        except FormulaError:
            return
    c.f(np.linspace(-1, 1, 5), np.linspace(1, -1, 5))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_unicode_text_gives_a_surface_or_a_formula_error(text):
    with returns_at_all():
        try:
            compile_formula(text)
        except FormulaError:
            pass


LEAVES = st.sampled_from(["x", "y", "1", "2", "0.5", "3", "pi", "e"])


def _extend(children):
    unary = st.sampled_from(["sin", "cos", "tanh", "atan", "exp", "sinh", "-"])
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(children, children).map(lambda t: f"({t[0]}) / (2 + ({t[1]})^2)"),
        st.tuples(children, st.integers(0, 4)).map(lambda t: f"({t[0]})^{t[1]}"),
        st.tuples(unary, children).map(lambda t: f"{t[0]}({t[1]})" if t[0] != "-" else f"-({t[1]})"),
        children.map(lambda c: f"log(1 + ({c})^2)"),
        children.map(lambda c: f"sqrt(1 + ({c})^2)"),
    )


FORMULAS = st.recursive(LEAVES, _extend, max_leaves=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FORMULAS, st.floats(-1.5, 1.5), st.floats(-1.5, 1.5))
def test_gradients_of_random_formulas_agree_with_central_differences(text, x, y):
    try:
        c = compile_formula(text)
    except FormulaError as e:  # a constant too big to compute (exp(729)^2) is refused, rightly: nothing to compare
        assume("too large" not in str(e))
        raise

    def fd(h):
        fx = (c.f(np.array(x + h), np.array(y)) - c.f(np.array(x - h), np.array(y))) / (2 * h)
        fy = (c.f(np.array(x), np.array(y + h)) - c.f(np.array(x), np.array(y - h))) / (2 * h)
        return np.array([float(fx), float(fy)])

    coarse, fine = fd(1e-4), fd(1e-6)
    assume(np.isfinite(coarse).all() and np.isfinite(fine).all())
    scale = max(1.0, float(np.abs(fine).max()))
    assume(np.allclose(coarse, fine, rtol=1e-3, atol=1e-5 * scale))  # smooth enough here to compare
    gx, gy = c.grad(np.array([x]), np.array([y]))
    np.testing.assert_allclose([gx[0], gy[0]], fine, rtol=1e-4, atol=1e-5 * scale)


@pytest.mark.parametrize("name", sorted(n for n, s in SURFACES.items() if s.model is None))
def test_each_built_in_surface_is_its_own_formula(name):
    """The precompiled built-ins and their formula text, compiled, are the same function."""
    built_in = SURFACES[name]
    typed = formula_surface(built_in.formula, built_in.x_range, built_in.y_range)
    rng = np.random.default_rng(5)
    pts = np.column_stack([rng.uniform(*built_in.x_range, 100), rng.uniform(*built_in.y_range, 100)])
    np.testing.assert_allclose(typed.value(pts), built_in.value(pts), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(typed.gradient(pts), built_in.gradient(pts), rtol=1e-10, atol=1e-9)


def test_undefined_points_are_holes_and_a_run_stepping_into_one_is_marked():
    from adamgui.core.simulation import RunSpec, Simulation

    surface = formula_surface("sqrt(4 - x^2 - y^2) + 0.5*x", start=(-1.0, 0.5))
    _, _, z = surface.grid(50)
    assert np.isnan(z).any() and np.isfinite(z).any()
    sim = Simulation(surface, surface.start, [RunSpec("gd", {"lr": 0.5})])
    sim.step(30)
    run = sim.runs[0]
    assert run.status_name() == "undefined"
    assert run.status_text().startswith("left the function's domain at step ")
    assert np.isfinite(run.history.positions[: run.end_step() + 1]).all()


def test_the_default_start_is_where_the_formula_is_defined():
    surface = formula_surface("log(x) + y^2")
    assert surface.start[0] > 0


def test_domain_of_a_built_in_can_be_changed_and_bad_ones_refused():
    from adamgui.core.params import ParamError

    s = resolve_surface("bowl", "", (-1.0, 1.0), (0.0, 2.0))
    assert s.x_range == (-1.0, 1.0) and s.y_range == (0.0, 2.0)
    assert resolve_surface("bowl", "", (-1.0, 1.0), (0.0, 2.0)) is s
    with pytest.raises(ParamError, match="Invalid x range"):
        resolve_surface("bowl", "", (1.0, -1.0), None)
