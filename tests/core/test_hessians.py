"""Exact Hessians: every surface's, and random formulas', against central differences of the gradient."""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from adamgui.core.surfaces import SURFACES, formula_surface, get_surface


def central_hessian(surface, pts, h=1e-5):
    cols = []
    for e in (np.array([h, 0.0]), np.array([0.0, h])):
        cols.append((surface.gradient(pts + e) - surface.gradient(pts - e)) / (2 * h))
    return np.stack(cols, axis=-1)  # [..., i, j] = ∂g_i/∂θ_j


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_each_surfaces_hessian_is_the_derivative_of_its_gradient(name):
    s = get_surface(name)
    rng = np.random.default_rng(11)
    (x0, x1), (y0, y1) = s.x_range, s.y_range
    pts = np.column_stack([rng.uniform(x0, x1, 60), rng.uniform(y0, y1, 60)])
    pts = pts[np.hypot(*pts.T) > 1e-3]  # not on a kink (Ackley's at the origin)
    H = s.hessian(pts)
    assert H.shape == (len(pts), 2, 2)
    np.testing.assert_array_equal(H[:, 0, 1], H[:, 1, 0])
    fd = central_hessian(s, pts)
    scale = max(1.0, float(np.abs(fd).max()))
    np.testing.assert_allclose(H, fd, rtol=1e-6, atol=1e-6 * scale)


def test_a_quadratics_hessian_is_its_constant_matrix():
    np.testing.assert_allclose(get_surface("ravine").hessian(np.array([[3.0, -1.0]]))[0], [[0.2, 0], [0, 4]])
    lin = get_surface("linear-regression")
    m = lin.model
    np.testing.assert_allclose(lin.hessian(np.zeros((1, 2)))[0], 2 * np.array([[m.sxx, m.sx], [m.sx, 1]]))


TERMS = st.sampled_from(["x", "y", "x*y", "x^2", "y^3", "sin(x)", "cos(2*y)", "exp(0.3*x)", "x^2*y", "tanh(x - y)"])


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(terms=st.lists(TERMS, min_size=1, max_size=4), coef=st.lists(st.floats(-3, 3), min_size=4, max_size=4),
       x=st.floats(-2, 2), y=st.floats(-2, 2))  # fmt: skip
def test_random_formulas_have_exact_hessians(terms, coef, x, y):
    text = " + ".join(f"({c:.3f})*{t}" for c, t in zip(coef, terms, strict=False))
    s = formula_surface(text, (-3.0, 3.0), (-3.0, 3.0))
    pts = np.array([[x, y]])
    fd = central_hessian(s, pts)
    assume(np.isfinite(fd).all())
    scale = max(1.0, float(np.abs(fd).max()))
    np.testing.assert_allclose(s.hessian(pts), fd, rtol=1e-6, atol=1e-6 * scale)


def test_kinks_have_a_hessian_away_from_them():
    s = formula_surface("abs(x) + max(x, y)^2 + min(x^2, y)", (-3.0, 3.0), (-3.0, 3.0))
    pts = np.array([[0.5, -1.2], [-1.0, 2.0], [2.0, 0.3]])
    np.testing.assert_allclose(s.hessian(pts), central_hessian(s, pts), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", [n for n, s in SURFACES.items() if s.model is None])
def test_each_built_ins_written_out_hessian_equals_sympys_second_derivatives_of_its_formula(name):
    from adamgui.core.expression import formula_hessian

    s = SURFACES[name]
    assert s.hess is not None  # Newton and the curvature view need no sympy on a built-in
    rng = np.random.default_rng(11)
    x, y = rng.uniform(*s.x_range, 200), rng.uniform(*s.y_range, 200)
    ours = np.broadcast_arrays(*s.hess(x, y), x)[:3]
    theirs = np.broadcast_arrays(*formula_hessian(s.formula)(x, y), x)[:3]
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)


def test_newton_and_the_curvature_on_a_built_in_never_import_sympy():
    import subprocess
    import sys

    code = (
        "import sys, numpy as np\n"
        "from adamgui.core.simulation import Simulation, RunSpec\n"
        "from adamgui.core.surfaces import get_surface\n"
        "from adamgui.core.curvature import curvature_at, sharpness\n"
        "s = get_surface('rosenbrock')\n"
        "sim = Simulation(s, s.start, [RunSpec('newton', {'lr': 0.5})]); sim.step(5)\n"
        "curvature_at(s, np.array([0.5, 0.5])); sharpness(s, sim.runs[0].path())\n"
        "print('sympy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
