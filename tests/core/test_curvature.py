"""Eigenvalues, condition number, Newton's step and sharpness, against matrices worked on paper."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adamgui.core.curvature import curvature_at, eigenvalues, sharpness
from adamgui.core.surfaces import SURFACES, get_surface


def test_the_ravines_axes_are_its_coordinates_with_curvatures_0_2_and_4():
    c = curvature_at(get_surface("ravine"), np.array([-9.0, 2.0]))  # f = 0.1x² + 2y²: H = diag(0.2, 4)
    np.testing.assert_allclose(c.values, [0.2, 4.0])
    np.testing.assert_allclose(np.abs(c.vectors), np.eye(2), atol=1e-15)
    assert c.condition == pytest.approx(20.0) and c.sharpness == pytest.approx(4.0)
    # Newton's step −H⁻¹g with g = (0.2·-9, 4·2) = (-1.8, 8): (9, -2), straight to the minimum
    np.testing.assert_allclose(c.newton, [9.0, -2.0])


def test_a_saddle_has_one_negative_curvature_and_newton_goes_to_its_centre():
    c = curvature_at(get_surface("saddle"), np.array([-4.0, 0.4]))
    np.testing.assert_allclose(c.values, [-2.0, 2.0])
    assert c.condition == pytest.approx(1.0)
    np.testing.assert_allclose(c.newton, [4.0, -0.4])  # to (0, 0), the saddle point


def test_a_singular_hessian_has_no_newton_step_and_an_infinite_condition():
    c = curvature_at(get_surface("plateau"), np.array([1.0, 0.0]))  # at r = 1 the radial curvature is 0
    assert c.values[0] == pytest.approx(0.0, abs=1e-12)
    assert c.condition > 1e10 or c.condition == float("inf")


def test_rosenbrocks_hessian_by_hand():
    # f = (1 − x)² + 100(y − x²)²: H = [[2 − 400(y − 3x²), −400x], [−400x, 200]]; at (1, 1): [[802, −400], [−400, 200]]
    c = curvature_at(get_surface("rosenbrock"), np.array([1.0, 1.0]))
    np.testing.assert_allclose(c.hessian, [[802, -400], [-400, 200]])
    tr, det = 1002.0, 802 * 200 - 400**2
    np.testing.assert_allclose(c.values, [(tr - np.sqrt(tr**2 - 4 * det)) / 2, (tr + np.sqrt(tr**2 - 4 * det)) / 2])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=3, max_size=3),
)
def test_closed_form_eigenvalues_equal_numpys(abd):
    a, b, d = abd
    h = np.array([[a, b], [b, d]])
    np.testing.assert_allclose(
        eigenvalues(h[None])[0], np.linalg.eigvalsh(h), rtol=1e-9, atol=1e-9 * (1 + abs(h).max())
    )


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_sharpness_along_a_path_equals_the_largest_eigenvalue_at_each_point(name):
    s = get_surface(name)
    rng = np.random.default_rng(3)
    points = np.column_stack([rng.uniform(*s.x_range, 20), rng.uniform(*s.y_range, 20)])
    expected = [np.linalg.eigvalsh(h)[1] for h in s.hessian(points)]
    np.testing.assert_allclose(sharpness(s, points), expected, rtol=1e-9, atol=1e-9)
