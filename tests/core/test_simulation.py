"""Lockstep runs, statuses, and the seed notebook reproduced to the last bit."""

import numpy as np
import pytest

from adamgui.core.presets import PRESETS, get_preset
from adamgui.core.simulation import Run, RunSpec, Simulation, unique_labels
from adamgui.core.surfaces import SURFACES, get_surface


# --- the notebook's two functions, transcribed as they stand -----------------
def df_saddle(x, y):
    return np.array([2 * x, -2 * y])


def gradient_descent_2d(derivative_fn, start_pos, lr=0.1, steps=50):
    pos = np.array(start_pos, dtype=float)
    history = [pos.copy()]
    for _ in range(steps):
        grad = derivative_fn(pos[0], pos[1])
        pos -= lr * grad
        history.append(pos.copy())
    return np.array(history)


def adam_optimizer_2d(derivative_fn, start_pos, lr=0.3, beta1=0.9, beta2=0.999, epsilon=1e-8, steps=50):
    pos = np.array(start_pos, dtype=float)
    m = np.zeros_like(pos)
    v = np.zeros_like(pos)
    history = [pos.copy()]
    for t in range(1, steps + 1):
        grad = derivative_fn(pos[0], pos[1])
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * (grad**2)
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        pos -= lr * m_hat / (np.sqrt(v_hat) + epsilon)
        history.append(pos.copy())
    return np.array(history)


# -----------------------------------------------------------------------------


def seed_simulation():
    p = get_preset("seed-notebook")
    sim = Simulation(get_surface(p.surface), p.start, p.runs)
    sim.step(p.steps)
    return sim


def test_seed_preset_reproduces_the_notebook_exactly():
    sim = seed_simulation()
    gd, adam = sim.runs
    assert sim.t == 50
    np.testing.assert_array_equal(gd.history.positions[:51, 0], gradient_descent_2d(df_saddle, [-4, 0.4]))
    np.testing.assert_array_equal(adam.history.positions[:51, 0], adam_optimizer_2d(df_saddle, [-4, 0.4]))


def test_seed_scenario_gd_leaves_the_domain_within_ten_steps():
    gd, adam = seed_simulation().runs
    # y grows by 1.2 a step: 0.4 * 1.2**t > 2.5 first at t = 11
    assert gd.left_step[0] == 11
    assert gd.status_text() == "left the domain at step 11"
    assert gd.t == 50  # it keeps going


def test_divergence_is_marked_at_its_step_and_others_go_on():
    bowl = get_surface("bowl")
    sim = Simulation(bowl, (-4.0, 3.0), [RunSpec("gd", {"lr": 5.0}), RunSpec("adam", {"lr": 0.1})])
    sim.step(600)
    gd, adam = sim.runs
    assert gd.status_name() == "diverged"
    k = gd.status_step[0]
    assert 0 < k < 600
    assert np.isfinite(gd.theta).all()
    assert gd.end_step() == k - 1
    assert adam.status_name() in ("running", "converged")
    assert adam.t == 600


def test_start_on_a_stationary_point_converges_at_step_zero():
    sim = Simulation(get_surface("saddle"), (0.0, 0.0), [RunSpec("adam")])
    sim.step(3)
    assert sim.runs[0].status_text() == "converged at step 0"
    assert sim.runs[0].end_step() == 0


def test_unique_labels_suffix_repeats():
    specs = [RunSpec("adam"), RunSpec("gd"), RunSpec("adam"), RunSpec("adam")]
    assert unique_labels(specs) == ["adam", "gd", "adam-2", "adam-3"]


def test_noise_is_reproducible_with_a_seed_and_differs_with_another():
    def final(seed):
        sim = Simulation(get_surface("bowl"), (-4, 3), [RunSpec("gd")], noise=1.0, seed=seed)
        sim.step(20)
        return sim.runs[0].theta.copy()

    np.testing.assert_array_equal(final(1), final(1))
    assert not np.array_equal(final(1), final(2))


def test_changed_hyperparameters_apply_from_the_next_step():
    sim = Simulation(get_surface("bowl"), (1.0, -2.0), [RunSpec("gd", {"lr": 0.1})])
    sim.step(1)
    sim.runs[0].set_params({"lr": 0.25})
    sim.step(1)
    # θ1 = 0.8 θ0; θ2 = θ1 - 0.25·2θ1 = 0.5 θ1
    np.testing.assert_allclose(sim.runs[0].theta[0], [0.4, -0.8])


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_runs_100_steps(name):
    p = get_preset(name)
    assert p.surface in SURFACES
    sim = Simulation(get_surface(p.surface), p.start, p.runs, noise=p.noise, seed=p.seed)
    sim.step(100)
    assert all(r.status_name() != "diverged" for r in sim.runs)


@pytest.mark.parametrize("name", ["gd", "adam", "nadam", "amsgrad"])
def test_a_batch_split_into_chunks_on_threads_equals_one_piece(monkeypatch, name):
    """Big batches are stepped chunk by chunk on every core; each point's numbers are the same."""
    import adamgui.core.run as run

    rng = np.random.default_rng(3)
    starts = np.column_stack([rng.uniform(-2, 2, 300), rng.uniform(-1, 3, 300)])
    surface = get_surface("rosenbrock")
    whole = Run(RunSpec(name, {"lr": 1e-3}), surface, starts)
    monkeypatch.setattr(run, "CHUNK", 64)  # five chunks, shared among the pool's threads
    split = Run(RunSpec(name, {"lr": 1e-3}), surface, starts)
    for _ in range(20):
        whole.step()
    for _ in range(20):
        split.step()
    np.testing.assert_array_equal(split.theta, whole.theta)
    np.testing.assert_array_equal(split.history.positions[:21], whole.history.positions[:21])
    np.testing.assert_array_equal(split.status, whole.status)


def test_a_run_that_left_the_map_and_came_back_says_so():
    """Nesterov at α = 0.6 on the bowl from (4, 0) overshoots to x = −5.12 at step 1 and is back on the map at
    step 2 (issue 34.4: the table said only "left the domain at step 1" while the run was visibly inside)."""
    from adamgui.core.simulation import RunSpec, Simulation
    from adamgui.core.surfaces import get_surface

    sim = Simulation(get_surface("bowl"), (4.0, 0.0), [RunSpec("nesterov", {"lr": 0.6})])
    sim.step(20)
    run = sim.runs[0]
    assert run.status_text(at=1) == "left the domain at step 1"  # outside then
    assert run.status_text(at=2) == "left the domain at step 1; back inside"
    assert run.status_text() == "left the domain at step 1; back inside" and run.status_name() == "left"
