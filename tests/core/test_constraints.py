"""Projected methods and online data: a feasible box every step is projected onto, minibatches taken in order,
and Reddi et al.'s online problem, checked against steps worked out by hand."""

import json
import math

import numpy as np
import pytest

from adamgui.core.models import Minibatches
from adamgui.core.params import ParamError
from adamgui.core.scene import Scene, scene_from_preset
from adamgui.core.schedules import parse_schedule
from adamgui.core.session import SessionError, load, save
from adamgui.core.simulation import RunSpec, Simulation
from adamgui.core.surfaces import check_box, get_surface, with_box


def test_every_step_is_projected_onto_the_box():
    """GD on x² + y² from (−4, 3) at α = 0.9: θ − 0.9·2θ = −0.8θ, then clipped to [−1, 1] × [−0.5, 0.5]."""
    surface = with_box(get_surface("bowl"), ((-1.0, 1.0), (-0.5, 0.5)))
    sim = Simulation(surface, (-4.0, 3.0), [RunSpec("gd", {"lr": 0.9})])
    sim.step(3)
    np.testing.assert_allclose(sim.runs[0].path(), [[-4, 3], [1, -0.5], [-0.8, 0.4], [0.64, -0.32]], rtol=1e-12)


def test_a_projected_run_stopped_by_the_box_converges_there():
    """GD pushed against the wall x ≤ −2 of the bowl: its projected step is zero, so it stops at (−2, 0)."""
    surface = with_box(get_surface("bowl"), ((-5.0, -2.0), (-5.0, 5.0)))
    sim = Simulation(surface, (-4.0, 1.0), [RunSpec("gd", {"lr": 0.25})])
    sim.step(200)
    run = sim.runs[0]
    np.testing.assert_allclose(run.path()[-1], [-2.0, 0.0], atol=1e-9)
    assert run.status_name() == "converged"


def test_a_box_is_checked_and_one_object_per_surface_and_box():
    assert check_box(["-1", "1", "0", "2"]) == ((-1.0, 1.0), (0.0, 2.0))
    for bad, says in ((["1", "-1", "0", "1"], "Invalid box x range"), (["a", "1", "0", "1"], "four numbers")):
        with pytest.raises(ParamError, match=says):
            check_box(bad)
    bowl = get_surface("bowl")
    assert with_box(bowl, ((-1.0, 1.0), (-1.0, 1.0))) is with_box(bowl, ((-1.0, 1.0), (-1.0, 1.0)))
    scene = Scene("bowl", box=((-1.0, 1.0), (-1.0, 1.0)))
    assert scene.surface_obj is scene.surface_obj and scene.surface_obj.box == ((-1.0, 1.0), (-1.0, 1.0))
    assert scene.with_surface("ravine").box is None  # another surface: its own feasible set


def test_ordered_minibatches_take_the_rows_in_their_order_every_epoch():
    batches = Minibatches(5, 2, 0, ordered=True)
    assert [list(batches.next()) for _ in range(4)] == [[0, 1], [2, 3], [4], [0, 1]]
    shuffled = Minibatches(5, 2, 0)
    assert sorted(np.concatenate([shuffled.next() for _ in range(3)])) == [0, 1, 2, 3, 4]


def test_the_online_problem_feeds_the_papers_gradients_in_order():
    """One row a step, in order: the gradient in x is 1010 at steps 1, 102, 203..., −10 otherwise; GD at α = 0.001
    moves x by −1.01 at step 1 (projected to −1), then by +0.01 a step, to 0 at step 101."""
    surface = get_surface("online-linear")
    assert surface.box == ((-1.0, 1.0), (-1.0, 1.0)) and surface.model.c == pytest.approx(10 / 101)
    sim = Simulation(surface, (0.0, 0.5), [RunSpec("gd", {"lr": 0.001})], batch_size=1, batch_ordered=True)
    sim.step(103)
    x = sim.runs[0].path()[:, 0]
    assert x[1] == -1.0  # 0 − 0.001·1010, projected
    np.testing.assert_allclose(np.diff(x[1:102]), 0.01, rtol=1e-9)
    assert x[101] == pytest.approx(0.0, abs=1e-9) and x[102] == -1.0  # 0 − 1.01 at step 102, projected again


def test_adam_by_hand_on_the_online_problem():
    """Adam's first two steps with β₁ = 0.9, β₂ = 0.99 and α_t = 0.5/√t, worked out by hand."""
    spec = RunSpec("adam", {"lr": 0.5, "beta1": 0.9, "beta2": 0.99}, schedule=parse_schedule("inverse-sqrt"))
    sim = Simulation(get_surface("online-linear"), (0.0, 0.5), [spec], batch_size=1, batch_ordered=True)
    sim.step(2)
    x = sim.runs[0].path()[:, 0]
    m1, v1 = 0.1 * 1010, 0.01 * 1010**2
    x1 = 0 - 0.5 * (m1 / 0.1) / (math.sqrt(v1 / 0.01) + 1e-8)
    m2, v2 = 0.9 * m1 + 0.1 * -10, 0.99 * v1 + 0.01 * 100
    x2 = x1 - 0.5 / math.sqrt(2) * (m2 / (1 - 0.81)) / (math.sqrt(v2 / (1 - 0.99**2)) + 1e-8)
    assert x[1] == pytest.approx(x1, rel=1e-12) and x[2] == pytest.approx(max(x2, -1.0), rel=1e-12)


def test_a_session_keeps_the_box_and_the_order_of_the_rows(tmp_path):
    scene = scene_from_preset(__import__("adamgui.core.presets", fromlist=["x"]).get_preset("adam-nonconvergence"))
    scene = scene.__class__(**{**scene.__dict__, "box": ((-1.0, 0.5), (-1.0, 1.0))})
    path = tmp_path / "online.adamgui.json"
    save(path, scene)
    again, _, _ = load(path)
    assert again.batch_ordered and again.batch_size == 1 and again.box == ((-1.0, 0.5), (-1.0, 1.0))
    assert [r.spec.schedule.name for r in again.runs] == ["inverse-sqrt", "inverse-sqrt"]
    doc = json.loads(path.read_text())
    doc["surface"]["box"] = [1, 0, 0, 1]
    path.write_text(json.dumps(doc))
    with pytest.raises(SessionError, match="surface.box: Invalid box x range"):
        load(path)


def test_a_changed_hyperparameter_keeps_the_runs_schedule():
    spec = RunSpec("adam", {"lr": 0.5}, schedule=parse_schedule("inverse-sqrt"))
    scene = Scene("bowl", runs=(scene_from_preset.__globals__["RunConfig"](spec, "#ffffff"),))
    assert scene.with_run_params(0, {"beta2": 0.999}).runs[0].spec.schedule.name == "inverse-sqrt"
