"""A past step's quantities, recomputed from history, equal those of the live step."""

import numpy as np
import pytest

from adamgui.core.history import CHECKPOINT_EVERY
from adamgui.core.optimizers import OPTIMIZERS
from adamgui.core.simulation import Run, RunSpec
from adamgui.core.step_detail import inspect_step
from adamgui.core.surfaces import get_surface


def live_terms(name, steps, noise=0.0, change_at=None):
    """Step a run and keep a copy of every step's terms as the engine produced them."""
    run = Run(RunSpec(name, {"lr": 1e-3}), get_surface("rosenbrock"), np.array([[-1.2, 1.0]]), noise=noise, seed=3)
    seen = {}
    for t in range(1, steps + 1):
        if t == change_at:
            run.set_params({"lr": 2e-3})
        run.step()
        seen[t] = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in run.last_terms.items()}
    return run, seen


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_replayed_steps_equal_the_live_ones(name):
    steps = CHECKPOINT_EVERY + 40
    run, seen = live_terms(name, steps, noise=0.5, change_at=CHECKPOINT_EVERY + 7)
    for k in (1, 2, 17, CHECKPOINT_EVERY, CHECKPOINT_EVERY + 1, CHECKPOINT_EVERY + 8, steps):
        d = inspect_step(run, k)
        assert d.step == k
        assert set(d.terms) == set(seen[k])
        for key, value in seen[k].items():
            np.testing.assert_array_equal(np.asarray(d.terms[key]), np.asarray(value)[0] if np.ndim(value) else value)
        np.testing.assert_array_equal(d.theta - d.delta, d.theta_prev)
        assert d.hp["lr"] == (2e-3 if k >= CHECKPOINT_EVERY + 7 else 1e-3)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_explained_quantity_is_produced_by_the_rule(name):
    run, seen = live_terms(name, 2)
    keys = {key for key, _, _ in OPTIMIZERS[name].explain}
    assert keys <= set(seen[2])


def test_the_gradient_shown_is_the_noisy_one_used():
    run, _ = live_terms("gd", 3, noise=1.0)
    d = inspect_step(run, 2)
    exact = get_surface("rosenbrock").gradient(d.theta_prev[None])[0]
    assert not np.allclose(d.grad, exact)
    np.testing.assert_allclose(d.delta, -1e-3 * d.grad, rtol=1e-12)


def test_step_zero_and_beyond_the_end_have_no_detail():
    run, _ = live_terms("adam", 3)
    assert inspect_step(run, 0) is None
    assert inspect_step(run, 4) is None


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_a_checkpoint_gives_back_the_state_as_it_was_then(name):
    """Kept compactly (one array for all checkpoints), each comes back whole: same keys in the same order,
    same values and shapes, a fresh copy that the replay may change."""
    run = Run(RunSpec(name, {"lr": 1e-3}), get_surface("rosenbrock"), np.array([(-1.5, 2.0)]), noise=0.3)
    seen = {0: {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in run.state.items()}}
    for _ in range(2 * CHECKPOINT_EVERY + 5):
        run.step()
        if run.t % CHECKPOINT_EVERY == 0:
            seen[run.t] = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in run.state.items()}
    assert sorted(run.checkpoints) == [0, CHECKPOINT_EVERY, 2 * CHECKPOINT_EVERY]
    for step, state in seen.items():
        kept = run.checkpoints[step]
        assert list(kept) == list(state)
        for key, value in state.items():
            np.testing.assert_array_equal(kept[key], value)
            assert np.shape(kept[key]) == np.shape(value) and type(kept[key]) is type(value)
        for value in kept.values():
            if isinstance(value, np.ndarray):
                value += 1.0  # the replay's own copy: what is kept does not change
        for key, value in run.checkpoints[step].items():
            np.testing.assert_array_equal(value, state[key])
