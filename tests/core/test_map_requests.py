"""A map's request names every input of its result: changing any one makes a shown result out of date."""

import dataclasses

import pytest

from adamgui.core.map_requests import BasinRequest, RunInputs, SweepRequest, computed_spec
from adamgui.core.models import Batching
from adamgui.core.presets import get_preset
from adamgui.core.scene import Scene, SurfaceKey, scene_from_preset
from adamgui.core.schedules import parse_schedule
from adamgui.core.simulation import RunSpec


def _model_scene(tmp_path) -> Scene:
    scene = scene_from_preset(get_preset("ravine")).with_surface("linear-regression")
    return dataclasses.replace(scene, batch_size=4)


def _changed(scene: Scene, field: str, tmp_path) -> Scene:
    """``scene`` with the one input ``field`` of its SurfaceKey changed, as a user could change it."""
    if field == "surface":
        return scene.with_surface("logistic-regression")
    if field == "formula":
        return dataclasses.replace(scene, formula="x^2 + y^2")
    if field == "x_range":
        return dataclasses.replace(scene, x_range=(-1.0, 3.0))
    if field == "y_range":
        return dataclasses.replace(scene, y_range=(-1.0, 3.0))
    if field == "data":
        path = tmp_path / "mine.csv"
        path.write_text("x,y\n" + "".join(f"{i},{2 * i + 1}\n" for i in range(12)))
        return dataclasses.replace(scene, data=str(path))
    if field == "box":
        return dataclasses.replace(scene, box=((-1.0, 1.0), (-1.0, 1.0)))
    raise AssertionError(f"no change written for {field}")


BATCHING = {"size": 2, "seed": 7, "ordered": True}  # a changed value for each field of Batching


def test_the_surface_key_is_what_builds_the_surface():
    scene = scene_from_preset(get_preset("ravine"))
    assert scene.surface_obj == scene.surface_key.build()
    fields = {f.name for f in dataclasses.fields(SurfaceKey)}
    assert fields == {"surface", "formula", "x_range", "y_range", "data", "box", "batching"}
    assert {f.name for f in dataclasses.fields(Batching)} == set(BATCHING)


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(SurfaceKey) if f.name != "batching"])
def test_each_input_of_the_surface_changes_the_key_and_dates_the_maps(field, tmp_path):
    scene = _model_scene(tmp_path)
    changed = _changed(scene, field, tmp_path)
    assert getattr(changed.surface_key, field) != getattr(scene.surface_key, field)
    _assert_dated(scene, changed)


@pytest.mark.parametrize("field", list(BATCHING))
def test_each_input_of_the_minibatches_changes_the_key_and_dates_the_maps(field, tmp_path):
    scene = _model_scene(tmp_path)
    name = {"size": "batch_size", "seed": "batch_seed", "ordered": "batch_ordered"}[field]
    changed = dataclasses.replace(scene, **{name: BATCHING[field]})
    assert getattr(changed.batching, field) != getattr(scene.batching, field)
    _assert_dated(scene, changed)


def _requests(scene: Scene):
    """A basin map and a sweep (α and β₁) of the scene's last run (Adam in the ravine preset)."""
    run = scene.runs[-1]
    spec = computed_spec(run.spec)
    basin = BasinRequest(scene.surface_key, (run.key, None), (RunInputs.of(spec), None), 16, 30, 0.01, ("adam", ""))
    sweep = SweepRequest(
        scene.surface_key, scene.start, run.key, RunInputs.of(spec, skip=("lr", "beta1")),
        "lr", (0.1, 0.2), "beta1", (0.5, 0.9), 30,
    )  # fmt: skip
    return basin, sweep


def _assert_dated(scene: Scene, changed: Scene):
    for request in _requests(scene):
        assert request.depends_on(changed) != request.depends_on(scene), type(request).__name__
        assert request.depends_on(scene) == request.depends_on(dataclasses.replace(scene))  # (equal: not dated)


def test_a_runs_inputs_its_start_and_its_removal_date_the_maps():
    scene = scene_from_preset(get_preset("ravine"))
    assert scene.runs[-1].spec.optimizer == "adam"
    basin, sweep = _requests(scene)
    adam = scene.runs[-1]
    scheduled = dataclasses.replace(adam, spec=dataclasses.replace(adam.spec, schedule=parse_schedule("inverse-sqrt")))
    last = len(scene.runs) - 1
    for changed in (
        scene.with_run_params(last, {"beta2": 0.99}),
        dataclasses.replace(scene, runs=scene.runs[:-1] + (scheduled,)),
        scene.without_run(last),
    ):
        assert basin.depends_on(changed) != basin.depends_on(scene)
        assert sweep.depends_on(changed) != sweep.depends_on(scene)
    moved = dataclasses.replace(scene, start=(0.5, 0.5))
    assert sweep.depends_on(moved) != sweep.depends_on(scene)
    assert basin.depends_on(moved) == basin.depends_on(scene)  # a basin map covers every start
    swept = scene.with_run_params(last, {"lr": 0.2})  # a swept value itself: the sweep covers it, the map does not
    assert sweep.depends_on(swept) == sweep.depends_on(scene)
    assert basin.depends_on(swept) != basin.depends_on(scene)
    other = scene.with_run_params(0, {"lr": 0.01})  # another run: neither depends on it
    assert sweep.depends_on(other) == sweep.depends_on(scene) and basin.depends_on(other) == basin.depends_on(scene)
    assert RunSpec("gd") != computed_spec(RunSpec("gd"))  # (every hyperparameter written out)
