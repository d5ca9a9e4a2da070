"""Every surface's exact gradient against central differences; minima are stationary."""

import numpy as np
import pytest

from adamgui.core.params import ParamError
from adamgui.core.surfaces import SURFACES, get_surface

NAMES = sorted(SURFACES)


@pytest.mark.parametrize("name", NAMES)
def test_gradient_agrees_with_central_differences(name):
    s = get_surface(name)
    rng = np.random.default_rng(0)
    pts = np.column_stack([rng.uniform(*s.x_range, 200), rng.uniform(*s.y_range, 200)])
    h = 1e-6
    fd = np.column_stack(
        [
            (s.value(pts + [h, 0]) - s.value(pts - [h, 0])) / (2 * h),
            (s.value(pts + [0, h]) - s.value(pts - [0, h])) / (2 * h),
        ]
    )
    g = s.gradient(pts)
    scale = np.maximum(1.0, np.abs(s.value(pts)))[:, None]
    np.testing.assert_allclose(g, fd, atol=1e-5 * scale.max(), rtol=1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_minima_are_stationary_and_inside_the_domain(name):
    s = get_surface(name)
    if not s.minima:
        return
    m = np.array(s.minima)
    assert s.contains(m).all()
    # stationary, or (in a feasible box) nowhere to go but out of it
    assert np.abs(s.feasible_gradient(m, s.gradient(m))).max() < 1e-4
    # a minimum: nothing nearby (and feasible) is lower
    rng = np.random.default_rng(1)
    for p in m:
        around = s.project(p + rng.normal(scale=1e-3, size=(50, 2)))
        assert (s.value(around) >= s.value(p[None])[0] - 1e-12).all()


@pytest.mark.parametrize("name", NAMES)
def test_default_start_is_inside_with_a_finite_nonzero_gradient(name):
    s = get_surface(name)
    start = np.array([s.start])
    assert s.contains(start).all()
    g = s.gradient(start)
    assert np.isfinite(g).all() and np.abs(g).max() > 0


def test_grid_is_ij_indexed():
    s = get_surface("saddle")
    xs, ys, z = s.grid(7)
    assert z.shape == (7, 7)
    assert z[0, 3] == pytest.approx(xs[0] ** 2 - ys[3] ** 2)


def test_ackley_gradient_at_the_origin_is_zero():
    g = get_surface("ackley").gradient(np.zeros((1, 2)))
    assert np.all(g == 0)


def test_unknown_surface_suggests_the_nearest():
    with pytest.raises(ParamError, match="did you mean 'rosenbrock'"):
        get_surface("rosenbrok")


@pytest.mark.parametrize(
    "rng,ok",
    [((0, 1e-300), False), ((0, 1e-10), False), ((0, 1e-9), True), ((-5e8, 5e8), True), ((-1e9, 1e9), False),
     ((0, 1e12), False), ((1e10, 1e10 + 1), False), ((float("nan"), 1), False), ((1, 0), False)],
)  # fmt: skip
def test_one_valid_range_for_domains(rng, ok):
    from adamgui.core.params import ParamError
    from adamgui.core.surfaces import resolve_surface

    if ok:
        assert resolve_surface("bowl", "", rng, (-1.0, 1.0)).x_range == rng
    else:
        with pytest.raises(ParamError):
            resolve_surface("bowl", "", rng, (-1.0, 1.0))
