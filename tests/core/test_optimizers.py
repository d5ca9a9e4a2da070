"""Each update rule against its first two steps worked out by hand, coordinate by coordinate."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adamgui.core.optimizers import OPTIMIZERS, get_optimizer
from adamgui.core.params import ParamError
from adamgui.core.simulation import Run, RunSpec, Simulation
from adamgui.core.surfaces import get_surface

THETA = (1.0, -2.0)
# Two gradients per coordinate; the second is much smaller in x, so that
# AMSGrad's running maximum and Adamax's infinity norm both come into play.
GRADS = [(2.0, -4.0), (0.01, 3.0)]


def two_steps(name, hp):
    """Steps 1 and 2 of the vectorized rule, fed the fixed gradients above."""
    opt = get_optimizer(name)
    hp = opt.resolve(hp)
    theta = np.array([THETA])
    state = opt.init(1)
    steps = []
    for g in GRADS:
        step, _ = opt.update(np.array([g]), theta, state, hp)  # (Newton has its own test below)
        steps.append(step[0].copy())
        theta = theta - step
    return steps


# Scalar restatements of each rule, one coordinate at a time, as one writes them on paper.
def hand_gd(g1, g2, th, lr):
    return [lr * g1, lr * g2]


def hand_momentum(g1, g2, th, lr, b1):
    m1 = (1 - b1) * g1
    m2 = b1 * m1 + (1 - b1) * g2
    return [lr * m1, lr * m2]


def hand_nesterov(g1, g2, th, lr, mu):
    b1 = g1
    b2 = mu * b1 + g2
    return [lr * (g1 + mu * b1), lr * (g2 + mu * b2)]


def hand_rmsprop(g1, g2, th, lr, a, eps):
    v1 = (1 - a) * g1**2
    v2 = a * v1 + (1 - a) * g2**2
    return [lr * g1 / (math.sqrt(v1) + eps), lr * g2 / (math.sqrt(v2) + eps)]


def hand_adagrad(g1, g2, th, lr, eps):
    s1 = g1**2
    s2 = s1 + g2**2
    return [lr * g1 / (math.sqrt(s1) + eps), lr * g2 / (math.sqrt(s2) + eps)]


def hand_adam(g1, g2, th, lr, b1, b2, eps, correct=True, wd=0.0, ams=False):
    m1, v1 = (1 - b1) * g1, (1 - b2) * g1**2
    m2, v2 = b1 * m1 + (1 - b1) * g2, b2 * v1 + (1 - b2) * g2**2
    if ams:
        v2 = max(v1, v2)
    c1 = [(1 - b1), (1 - b1**2)] if correct else [1, 1]
    c2 = [(1 - b2), (1 - b2**2)] if correct else [1, 1]
    s1 = lr * (m1 / c1[0]) / (math.sqrt(v1 / c2[0]) + eps)
    th1 = th - s1 - lr * wd * th
    s2 = lr * (m2 / c1[1]) / (math.sqrt(v2 / c2[1]) + eps)
    return [s1 + lr * wd * th, s2 + lr * wd * th1]


def hand_adamax(g1, g2, th, lr, b1, b2, eps):
    m1, u1 = (1 - b1) * g1, abs(g1) + eps
    m2, u2 = b1 * m1 + (1 - b1) * g2, max(b2 * u1, abs(g2) + eps)
    return [lr * m1 / ((1 - b1) * u1), lr * m2 / ((1 - b1**2) * u2)]


def hand_nadam(g1, g2, th, lr, b1, b2, eps, psi):
    mu1, mu2, mu3 = (b1 * (1 - 0.5 * 0.96 ** (t * psi)) for t in (1, 2, 3))
    m1, v1 = (1 - b1) * g1, (1 - b2) * g1**2
    m2, v2 = b1 * m1 + (1 - b1) * g2, b2 * v1 + (1 - b2) * g2**2
    mh1 = mu2 * m1 / (1 - mu1 * mu2) + (1 - mu1) * g1 / (1 - mu1)
    mh2 = mu3 * m2 / (1 - mu1 * mu2 * mu3) + (1 - mu2) * g2 / (1 - mu1 * mu2)
    return [
        lr * mh1 / (math.sqrt(v1 / (1 - b2)) + eps),
        lr * mh2 / (math.sqrt(v2 / (1 - b2**2)) + eps),
    ]


def hand_radam(g1, g2, th, lr, b1, b2):
    """Steps 1 and 2 are before ρ_t passes 5 (ρ_1 = 1, ρ_2 = (1 + 3β₂)/(1 + β₂)): plain α·m̂_t."""
    m1 = (1 - b1) * g1
    m2 = b1 * m1 + (1 - b1) * g2
    return [lr * m1 / (1 - b1), lr * m2 / (1 - b1**2)]


def hand_adadelta(g1, g2, th, lr, rho, eps):
    v1 = (1 - rho) * g1**2
    d1 = math.sqrt(eps) / math.sqrt(v1 + eps) * g1
    u1 = (1 - rho) * d1**2
    v2 = rho * v1 + (1 - rho) * g2**2
    d2 = math.sqrt(u1 + eps) / math.sqrt(v2 + eps) * g2
    return [lr * d1, lr * d2]


def hand_lion(g1, g2, th, lr, b1, b2, wd):
    c1 = (1 - b1) * g1  # m_0 = 0
    m1 = (1 - b2) * g1
    step1 = lr * (math.copysign(1, c1) + wd * th)
    c2 = b1 * m1 + (1 - b1) * g2
    return [step1, lr * (math.copysign(1, c2) + wd * (th - step1))]


def hand_adabelief(g1, g2, th, lr, b1, b2, eps, wd):
    m1 = (1 - b1) * g1
    s1 = (1 - b2) * (g1 - m1) ** 2 + eps
    step1 = lr * wd * th + lr * (m1 / (1 - b1)) / (math.sqrt(s1 / (1 - b2)) + eps)
    m2 = b1 * m1 + (1 - b1) * g2
    s2 = b2 * s1 + (1 - b2) * (g2 - m2) ** 2 + eps
    step2 = lr * wd * (th - step1) + lr * (m2 / (1 - b1**2)) / (math.sqrt(s2 / (1 - b2**2)) + eps)
    return [step1, step2]


def hand_schedulefree(g1, g2, th, lr, b1, b2, eps, wd):
    """No warm-up, r = 0, p = 2: every weight is α², so c_1 = 1 and c_2 = 1/2; y_0 = z_0 = x_0 = θ_0."""
    v1 = (1 - b2) * g1**2
    z1 = th - lr * wd * th - lr * g1 / (math.sqrt(v1 / (1 - b2)) + eps)
    x1 = z1  # c_1 = 1
    y1 = b1 * x1 + (1 - b1) * z1
    v2 = b2 * v1 + (1 - b2) * g2**2
    z2 = z1 - lr * wd * y1 - lr * g2 / (math.sqrt(v2 / (1 - b2**2)) + eps)
    x2 = 0.5 * x1 + 0.5 * z2
    y2 = b1 * x2 + (1 - b1) * z2
    return [th - y1, y1 - y2]


CASES = [
    ("gd", {"lr": 0.1}, hand_gd, (0.1,)),
    ("momentum", {"lr": 0.1, "beta1": 0.9}, hand_momentum, (0.1, 0.9)),
    ("nesterov", {"lr": 0.1, "momentum": 0.9}, hand_nesterov, (0.1, 0.9)),
    ("rmsprop", {"lr": 0.01}, hand_rmsprop, (0.01, 0.99, 1e-8)),
    ("adagrad", {"lr": 0.3}, hand_adagrad, (0.3, 1e-10)),
    ("adam", {"lr": 0.1}, hand_adam, (0.1, 0.9, 0.999, 1e-8)),
    ("adam", {"lr": 0.1, "bias_correction": False}, hand_adam, (0.1, 0.9, 0.999, 1e-8, False)),
    ("adamw", {"lr": 0.1}, hand_adam, (0.1, 0.9, 0.999, 1e-8, True, 1e-2)),
    ("amsgrad", {"lr": 0.1}, hand_adam, (0.1, 0.9, 0.999, 1e-8, True, 0.0, True)),
    ("adamax", {"lr": 0.1}, hand_adamax, (0.1, 0.9, 0.999, 1e-8)),
    ("nadam", {"lr": 0.1}, hand_nadam, (0.1, 0.9, 0.999, 1e-8, 4e-3)),
    ("radam", {"lr": 0.1}, hand_radam, (0.1, 0.9, 0.999)),
    ("adadelta", {"lr": 2.0, "rho": 0.8}, hand_adadelta, (2.0, 0.8, 1e-6)),
    ("lion", {"lr": 0.1, "weight_decay": 0.5}, hand_lion, (0.1, 0.9, 0.99, 0.5)),
    ("adabelief", {"lr": 0.1, "weight_decay": 0.1, "eps": 1e-8}, hand_adabelief, (0.1, 0.9, 0.999, 1e-8, 0.1)),
    ("schedulefree-adamw", {"lr": 0.1}, hand_schedulefree, (0.1, 0.9, 0.999, 1e-8, 0.0)),
    ("schedulefree-adamw", {"lr": 0.1, "weight_decay": 0.2}, hand_schedulefree, (0.1, 0.9, 0.999, 1e-8, 0.2)),
    ("sign", {"lr": 0.25}, lambda g1, g2, th, lr: [lr * math.copysign(1, g1), lr * math.copysign(1, g2)], (0.25,)),
]
COUPLED = {"newton"}  # its two coordinates mix through the Hessian: tested on paper below


@pytest.mark.parametrize(("name", "hp", "hand", "args"), CASES, ids=lambda c: c if isinstance(c, str) else "")
def test_first_two_steps_match_the_rule_by_hand(name, hp, hand, args):
    steps = two_steps(name, hp)
    for axis in range(2):
        expected = hand(GRADS[0][axis], GRADS[1][axis], THETA[axis], *args)
        assert steps[0][axis] == pytest.approx(expected[0], rel=1e-12, abs=1e-15)
        assert steps[1][axis] == pytest.approx(expected[1], rel=1e-12, abs=1e-15)


def test_every_optimizer_has_a_hand_computed_case():
    assert {c[0] for c in CASES} | COUPLED == set(OPTIMIZERS)


def test_radams_adaptive_step_begins_at_step_six_with_its_rectifier_by_hand():
    """A constant gradient g: m̂_t = g and v_t = (1 − β₂^t) g², so from step 6 on the step is
    α·r_t·g·√(1 − β₂^t) / (√(1 − β₂^t)·|g| + ε) ≈ α·r_t·sign(g); before it, α·g."""
    opt = get_optimizer("radam")
    hp = opt.resolve({"lr": 0.1})
    state, theta, g = opt.init(1), np.zeros((1, 2)), np.array([[2.0, -0.5]])
    b2 = 0.999
    rho_inf = 2 / (1 - b2) - 1
    for t in range(1, 9):
        step, terms = opt.update(g, theta, state, hp)
        c2 = 1 - b2**t
        rho = rho_inf - 2 * t * b2**t / c2
        assert terms["rho"] == pytest.approx(rho, rel=1e-12)
        if t <= 5:
            assert rho <= 5
            np.testing.assert_allclose(step[0], 0.1 * g[0], rtol=1e-12)
        else:
            r = math.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
            assert terms["rect"] == pytest.approx(r, rel=1e-12)
            expected = 0.1 * r * g[0] * math.sqrt(c2) / (math.sqrt(c2) * np.abs(g[0]) + 1e-8)
            np.testing.assert_allclose(step[0], expected, rtol=1e-9)
    assert 5 < rho_inf - 12 * b2**6 / (1 - b2**6) < 6  # ρ_6 ≈ 5.99: the first adaptive step


def test_newtons_first_two_steps_by_hand_with_a_fixed_hessian():
    """H = [[2, 0.5], [0.5, 3]], λ = 0.1: (H + λI) = [[2.1, 0.5], [0.5, 3.1]], determinant 6.26, so
    d = ((3.1·g_x − 0.5·g_y) / 6.26, (2.1·g_y − 0.5·g_x) / 6.26), and the step is α·d with α = 0.5."""
    opt = get_optimizer("newton")
    hp = opt.resolve({"lr": 0.5, "damping": 0.1})
    H = np.array([[[2.0, 0.5], [0.5, 3.0]]])
    state, theta = opt.init(1), np.array([THETA])
    for gx, gy in GRADS:
        step, terms = opt.update(np.array([[gx, gy]]), theta, state, hp, hessian=H)
        expected = 0.5 * np.array([(3.1 * gx - 0.5 * gy) / 6.26, (2.1 * gy - 0.5 * gx) / 6.26])
        np.testing.assert_allclose(step[0], expected, rtol=1e-14)
        np.testing.assert_allclose(terms["direction"][0], expected / 0.5, rtol=1e-14)
        theta = theta - step


@pytest.mark.parametrize("surface", ["bowl", "ravine", "booth"])
def test_newton_reaches_a_quadratics_minimum_in_one_step(surface):
    s = get_surface(surface)
    sim = Simulation(s, s.start, [RunSpec("newton")])
    sim.step(1)
    np.testing.assert_allclose(sim.runs[0].path()[1], s.minima[0], atol=1e-12)


def test_sign_descent_is_adams_first_step_and_adam_without_averages():
    s = get_surface("ravine")
    no_averages = {"lr": 0.3, "beta1": 0.0, "beta2": 0.0, "eps": 1e-12}
    sim = Simulation(s, s.start, [RunSpec("sign", {"lr": 0.3}), RunSpec("adam", no_averages)])
    sim.step(20)
    np.testing.assert_allclose(sim.runs[0].path(), sim.runs[1].path(), rtol=1e-9, atol=1e-12)


def test_literal_numbers_on_the_bowl():
    """Worked on paper: f = x² + y² from (1, -2), so g = 2θ."""
    bowl = get_surface("bowl")
    expected = {
        "gd:lr=0.1": [(0.8, -1.6), (0.64, -1.28)],
        # m1 = 0.1 g1 = (0.2, -0.4); θ1 = θ0 - 0.1 m1; m2 = 0.9 m1 + 0.1 g2 = (0.376, -0.752)
        "momentum:lr=0.1": [(0.98, -1.96), (0.9424, -1.8848)],
        # b1 = g1; θ1 = θ0 - 0.1 (1.9 g1); b2 = 0.9 b1 + g2 = (3.04, -6.08); d2 = g2 + 0.9 b2
        "nesterov:lr=0.1": [(0.62, -1.24), (0.2224, -0.4448)],
        # m̂1 = g1, v̂1 = g1², so the first step is lr·sign(g). Then for x: m̂2 = 0.36/0.19,
        # v̂2 = 0.007236/0.001999, step 0.099588; for y: m̂2 = -0.74/0.19, v̂2 = 0.030424/0.001999
        "adam:lr=0.1": [(0.9, -1.9), (0.800412, -1.800166)],
        # s1 = g1² so the first step is lr·sign(g); s2 = 4 + 1.96 = 5.96, step 0.42/√5.96 = 0.172039
        "adagrad:lr=0.3": [(0.7, -1.7), (0.527961, -1.505705)],
    }
    for text, points in expected.items():
        name, lr = text.split(":lr=")
        sim = Simulation(bowl, (1.0, -2.0), [RunSpec(name, {"lr": float(lr)})])
        sim.step(2)
        got = sim.runs[0].history.positions[1:3, 0]
        assert got == pytest.approx(np.array(points), abs=2e-6), text


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(sorted(OPTIMIZERS)),
    points=st.lists(
        st.tuples(st.floats(-2, 2, allow_nan=False), st.floats(-1, 3, allow_nan=False)), min_size=1, max_size=6
    ),
    steps=st.integers(1, 12),
)
def test_batched_run_equals_a_loop_over_single_points(name, points, steps):
    surface = get_surface("rosenbrock")
    spec = RunSpec(name, {"lr": 1e-3})
    batch = Run(spec, surface, np.array(points))
    for _ in range(steps):
        batch.step()
    for i, p in enumerate(points):
        single = Run(spec, surface, np.array([p]))
        for _ in range(steps):
            single.step()
        np.testing.assert_allclose(batch.theta[i], single.theta[0], rtol=1e-13, atol=1e-15)
        assert batch.status[i] == single.status[0]


@pytest.mark.parametrize(
    ("name", "hp", "steps"),
    [
        ("gd", {"lr": 0.1}, 300),
        ("momentum", {"lr": 0.1}, 300),
        ("nesterov", {"lr": 0.02}, 300),
        ("rmsprop", {"lr": 0.01}, 1500),
        ("adagrad", {"lr": 0.5}, 1500),
        ("adam", {"lr": 0.05}, 1500),
        ("amsgrad", {"lr": 0.05}, 1500),
        ("adamax", {"lr": 0.05}, 1500),
        ("nadam", {"lr": 0.05}, 1500),
        ("radam", {"lr": 0.05}, 1500),
        ("adadelta", {"lr": 1.0}, 1500),
        ("lion", {"lr": 0.01}, 1500),
        ("adabelief", {"lr": 0.05}, 1500),
        ("schedulefree-adamw", {"lr": 0.05}, 1500),
    ],
)
def test_converges_on_the_bowl(name, hp, steps):
    sim = Simulation(get_surface("bowl"), (-4.0, 3.0), [RunSpec(name, hp)])
    sim.step(steps)
    assert np.hypot(*sim.runs[0].theta[0]) < 1e-2


def test_adamw_settles_where_decay_and_gradient_balance():
    sim = Simulation(get_surface("bowl"), (-4.0, 3.0), [RunSpec("adamw", {"lr": 0.01, "weight_decay": 0.1})])
    sim.step(3000)
    assert np.hypot(*sim.runs[0].theta[0]) < 1e-2


@pytest.mark.parametrize(
    ("name", "hp", "steps"),
    [
        ("gd", {"lr": 1e-3}, 20000),
        ("momentum", {"lr": 2e-3}, 10000),
        ("nesterov", {"lr": 2e-4}, 10000),
        ("adam", {"lr": 0.01}, 5000),
        ("nadam", {"lr": 0.01}, 5000),
    ],
)
def test_reaches_rosenbrocks_minimum(name, hp, steps):
    sim = Simulation(get_surface("rosenbrock"), (-1.2, 1.0), [RunSpec(name, hp)])
    sim.step(steps)
    assert np.hypot(*(sim.runs[0].theta[0] - (1, 1))) < 2e-2


@pytest.mark.parametrize(
    ("name", "key", "bad"),
    [
        ("adam", "lr", 0.0),
        ("adam", "lr", -1.0),
        ("adam", "beta1", 1.0),
        ("adam", "beta2", -0.1),
        ("adam", "eps", 0.0),
        ("adam", "lr", float("nan")),
        ("adam", "lr", float("inf")),
        ("nesterov", "momentum", 0.0),
        ("adamw", "weight_decay", -1.0),
        ("rmsprop", "alpha", 1.0),
    ],
)
def test_out_of_range_values_are_refused_with_their_name(name, key, bad):
    with pytest.raises(ParamError, match=f"Invalid {key}"):
        get_optimizer(name).resolve({key: bad})


def test_unknown_names_suggest_the_nearest():
    with pytest.raises(ParamError, match="did you mean 'adam'"):
        get_optimizer("adamm")
    with pytest.raises(ParamError, match="Unknown hyperparameter 'beta3'"):
        get_optimizer("adam").resolve({"beta3": 0.5})
