"""Every claim a preset's caption makes is what the preset's runs do."""

import numpy as np
import pytest

from adamgui.core.presets import get_preset
from adamgui.core.scene import scene_from_preset


def played(name: str):
    preset = get_preset(name)
    sim = scene_from_preset(preset).simulation()
    sim.step(preset.steps)
    return {run.label: run for run in sim.runs}, sim, preset.watch


def step_lengths(run) -> np.ndarray:
    return np.hypot(*np.diff(run.path(), axis=0).T)


def test_notebook_saddle():
    runs, _, watch = played("seed-notebook")
    gd, adam = runs["gd"], runs["adam"]
    assert gd.left_step[0] == 11 and "step 11" in watch
    assert adam.left_step[0] == 8 and "step 8" in watch
    ys = gd.path()[:11, 1]
    np.testing.assert_allclose(ys[1:] / ys[:-1], 1.2)  # "y grows 1.2x a step"
    first = np.diff(adam.path()[:4], axis=0)
    np.testing.assert_allclose(np.abs(first), 0.3, rtol=0.05)  # "about lr in each coordinate"
    assert np.hypot(*first[0]) == pytest.approx(0.42, abs=0.01) and "0.42" in watch


def test_saddle_ridge():
    runs, _, watch = played("saddle-ridge")
    assert runs["gd"].left_step[0] == 43 and "step 43" in watch
    assert runs["adam"].left_step[0] <= 10 and "step 10" in watch
    assert np.abs(runs["gd"].path()[:25, 1]).max() < 0.1  # lingers by the flat middle (|y| < 0.1 for 24 steps)


def test_ravine():
    runs, _, _ = played("ravine")
    sign_changes = {k: int((np.diff(np.sign(r.path()[:21, 1])) != 0).sum()) for k, r in runs.items()}
    assert sign_changes["gd"] >= 15  # zig-zags across the narrow direction
    assert sign_changes["momentum"] <= sign_changes["gd"] / 4  # smooths it
    first = np.diff(runs["adam"].path()[:2], axis=0)[0]
    assert abs(first[0]) == pytest.approx(abs(first[1]))  # rescales each axis: equal moves at first


def test_rosenbrock_valley():
    runs, _, _ = played("rosenbrock-valley")
    for run in runs.values():
        x, y = run.path()[:, 0], run.path()[:, 1]
        in_valley = np.abs(y - x**2) < 0.2
        assert in_valley[:100].any()  # finds the curved valley quickly
        assert np.hypot(x[-1] - 1, y[-1] - 1) > 0.5  # following it to (1, 1) is the hard part


def test_plateau_epsilon():
    runs, _, _ = played("plateau-epsilon")
    gd, fast, slow = runs["gd"], runs["adam eps=1e-8"], runs["adam eps=1e-3"]
    assert step_lengths(gd)[:10].max() < 1e-4  # GD barely moves
    np.testing.assert_allclose(np.abs(np.diff(fast.path()[:2], axis=0)), 0.1, rtol=0.01)  # full speed
    assert step_lengths(slow)[0] < 0.02 * step_lengths(fast)[0]  # held back by its epsilon


def test_bias_correction():
    runs, _, watch = played("bias-correction")
    on = np.abs(np.diff(runs["adam corrected"].path()[:2], axis=0)[0])
    off = np.abs(np.diff(runs["adam uncorrected"].path()[:2], axis=0)[0])
    np.testing.assert_allclose(on, 0.3, rtol=1e-6)
    np.testing.assert_allclose(off / 0.3, 3.2, rtol=0.02) and "3.2x" in watch


def test_noisy_bowl():
    runs, _, _ = played("noisy-bowl")
    last = {k: step_lengths(r)[-50:].mean() for k, r in runs.items()}
    assert last["gd"] > 3 * last["momentum"]  # GD jitters, momentum averages the noise out
    assert last["adam"] < last["momentum"]  # Adam's steps shrink most of all near the bottom


def test_ravine_edge():
    from adamgui.core.curvature import sharpness

    runs, sim, watch = played("ravine-edge")
    warming, steady = runs["gd warming up"], runs["gd α=0.45"]
    lam = sharpness(sim.surface, warming.path())
    np.testing.assert_allclose(lam, 4.0)  # "λ_max = 4 everywhere"
    rates = np.array([warming.hp_used(t)["lr"] for t in range(1, warming.end_step() + 1)])
    crossing = int(np.argmax(rates * 4.0 > 2)) + 1  # the first step whose α_t·λ_max passes 2
    assert crossing == 8 and "step 8" in watch and "2/λ_max = 0.5" in watch
    y = np.abs(warming.path()[:, 1])
    assert (np.diff(y[:crossing]) < 0).all()  # narrowing until then
    assert (np.diff(y[crossing - 1 : warming.left_step[0] + 1]) > 0).all()  # widening every step after
    assert warming.left_step[0] == 19 and "step 19" in watch
    assert steady.status_name() in ("running", "converged") and steady.left_step[0] < 0
    assert np.hypot(*steady.theta[0]) < 0.1  # settles
