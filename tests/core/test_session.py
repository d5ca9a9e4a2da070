"""Session files: a round trip keeps everything; every bad file is refused with the field named."""

import json
import re
from dataclasses import replace

import numpy as np
import pytest

from adamgui.core.presets import get_preset
from adamgui.core.scene import default_scene, scene_from_preset
from adamgui.core.session import SessionError, from_dict, load, save, scene_to_dict


def test_round_trip_gives_back_the_scene_and_the_positions(tmp_path):
    scene = replace(scene_from_preset(get_preset("noisy-bowl")), step_limit=300)
    scene = scene.with_run(scene.runs[0].spec)  # a repeated optimizer too
    scene = replace(scene, x_range=(-6.0, 5.0), y_range=(-4.0, 4.0))
    path = tmp_path / "s.adamgui.json"
    save(path, scene, step=37, speed=20)
    again, step, speed = load(path)
    assert scene_to_dict(again, step, speed) == scene_to_dict(scene, 37, 20)  # params saved resolved
    a, b = scene.simulation(), again.simulation()
    a.step(step)
    b.step(step)
    for ra, rb in zip(a.runs, b.runs, strict=True):
        np.testing.assert_array_equal(ra.path(), rb.path())


def test_a_formula_scene_round_trips(tmp_path):
    scene = default_scene().with_formula("sin(3*x)*cos(2*y) + 0.1*(x^2 + y^2)")
    save(tmp_path / "f.json", scene)
    again = load(tmp_path / "f.json")[0]
    assert scene_to_dict(again) == scene_to_dict(scene) and again.surface_obj is scene.surface_obj


def good():
    return scene_to_dict(default_scene(), step=3)


def with_change(path, value):
    doc = good()
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("doc", "needle"),
    [
        (with_change(["colour"], "#fff"), "colour: unknown field"),
        (with_change(["runs", 0, "speed"], 3), "runs[0].speed: unknown field"),
        (with_change(["start"], KeyError), "start: missing"),
        (with_change(["start"], "here"), "start: must be a list"),
        (with_change(["start"], [1, "2"]), "start: must be two numbers"),
        (with_change(["runs", 0, "params", "lr"], -1), "runs[0].params.lr: Invalid lr: -1"),
        (with_change(["runs", 1, "params", "beta1"], 1.5), "runs[1].params.beta1: Invalid beta1"),
        (with_change(["runs", 1, "params", "bias_correction"], "yes"), "bias_correction: must be true or false"),
        (with_change(["runs", 1, "params", "beta3"], 0.5), "runs[1].params.beta3: Unknown hyperparameter"),
        (with_change(["runs", 0, "optimizer"], "adamm"), "runs[0].optimizer: Unknown optimizer 'adamm'"),
        (with_change(["runs", 0, "color"], "red"), "runs[0].color: 'red' is not a color"),
        (with_change(["runs"], []), "runs: there must be at least one run"),
        (with_change(["version"], 5), "written by a newer AdamGUI"),
        ({**good(), "version": 2, "chapter": "nope"}, "chapter: 'nope' is not a chapter of the lesson"),
        (with_change(["chapter"], "gradient"), "chapter: a lesson's chapter needs session version 2"),
        (with_change(["batch"], {"size": 5}), "batch: minibatches need a model's loss"),
        (with_change(["format"], "something-else"), "not an AdamGUI session"),
        (with_change(["surface", "name"], "nowhere"), "surface: Unknown surface 'nowhere'"),
        (with_change(["surface", "x_range"], [3, 1]), "surface: Invalid x range [3, 1]"),
        (with_change(["noise", "sigma"], -1), "noise.sigma: -1 is out of range"),
        (with_change(["step"], 10**9), "step: 1000000000 is out of range"),
        (with_change(["step_limit"], True), "step_limit: must be a whole number"),
        ("just text", "the file must be an object"),
        (
            with_change(["surface"], {"name": "formula", "formula": "__import__('os').system('touch /tmp/pwned')"}),
            "surface.formula: Unknown function '__import__'",
        ),
        (with_change(["surface"], {"name": "formula", "formula": "x.__class__"}), "attribute access"),
    ],
)
def test_every_kind_of_bad_session_is_refused_by_name(doc, needle):
    with pytest.raises(SessionError) as info:
        from_dict(doc)
    assert needle in str(info.value)


def test_truncated_empty_binary_and_huge_files(tmp_path):
    text = json.dumps(good())
    cases = {
        "truncated.json": text[: len(text) // 2],
        "empty.json": "",
        "binary.json": b"\x89PNG\r\n\x1a\n\xff\xfe",
        "huge.json": " " * 1_100_000,
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        with pytest.raises(SessionError, match=name.replace(".", r"\.")):
            load(path)
    with pytest.raises(SessionError, match="cannot be read"):
        load(tmp_path / "missing.json")


def test_every_optimizer_round_trips_with_non_default_values(tmp_path):
    from adamgui.core.optimizers import OPTIMIZERS
    from adamgui.core.scene import RunConfig, Scene
    from adamgui.core.simulation import RunSpec

    def changed(p):
        """A valid value other than the default: a switch flipped, a number moved toward its low end."""
        if p.is_bool:
            return not p.default
        low = p.low if np.isfinite(p.low) else p.default - 1
        return p.validate(p.default / 2 if p.default > 0 and low <= 0 else (p.default + low) / 2 or 0.5)

    runs = [
        RunConfig(RunSpec(name, {p.name: changed(p) for p in opt.params}), "#56b4e9", key=key)
        for key, (name, opt) in enumerate(OPTIMIZERS.items())
    ]
    scene = Scene("bowl", (-4.0, 3.0), tuple(runs), 100)
    save(tmp_path / "all.json", scene, step=12)
    again, step, _ = load(tmp_path / "all.json")
    assert [r.spec.resolved() for r in again.runs] == [r.spec.resolved() for r in scene.runs]
    a, b = scene.simulation(), again.simulation()
    a.step(step)
    b.step(step)
    for ra, rb in zip(a.runs, b.runs, strict=True):
        np.testing.assert_array_equal(ra.path(), rb.path())


ROW = {
    "run": "gd",
    "optimizer": "gd",
    "tuned": {"lr": 0.47},
    "objective": 104.0,
    "spread": 0.0,
    "steps_to_tol": 104,
    "tol": 1e-8,
    "trials": 64,
    "seeds": 1,
    "fairness": "64 trials over lr ∈ [0.0001, 10] (log), objective: steps to loss ≤ 1e-08",
}


def test_a_race_s_results_are_kept_in_the_session_and_read_back(tmp_path):
    from adamgui.core import race
    from adamgui.core.presets import get_preset
    from adamgui.core.scene import scene_from_preset
    from adamgui.core.tuning import Objective

    scene = scene_from_preset(get_preset("ravine"))
    results = race.race(scene, range(3), race.RaceSettings(8, Objective("steps-to", 1e-8), 300))
    tuned = race.tuned_scene(scene, range(3), results)
    assert len(tuned.race) == 3 and tuned.race[0].trials == 8
    path = tmp_path / "race.adamgui.json"
    save(path, tuned)
    doc = json.loads(path.read_text())
    assert doc["version"] == 3 and [row["optimizer"] for row in doc["race"]] == ["gd", "momentum", "adam"]
    back, _, _ = load(path)
    assert back == tuned and back.race == tuned.race


@pytest.mark.parametrize(
    "change, says",
    [
        ({"race": "fast"}, "race: must be a list"),
        ({"race": [{"run": "gd"}]}, "race[0]: missing field 'optimizer'"),
        ({"race": [{**{"x": 1}}]}, "race[0]: unknown field 'x'"),
        ({"race": [dict(ROW, optimizer="adamm")]}, "race[0].optimizer: Unknown optimizer"),
        ({"race": [dict(ROW, tuned={"lr": -1})]}, "race[0].tuned.lr: Invalid lr"),
        ({"race": [dict(ROW, tuned={})]}, "race[0].tuned: must hold one or two"),
        ({"race": [dict(ROW, objective="low")]}, "race[0].objective: must be a finite number or null"),
        ({"race": [dict(ROW, trials=0)]}, "race[0].trials: must be a whole number"),
        ({"race": [dict(ROW, fairness="x" * 501)]}, "race[0].fairness: must be text of at most 500"),
        ({"race": [dict(ROW, run="a\nb")]}, "race[0].run: must be text"),
        ({"race": [ROW], "version": 2}, "race's results need session version 3"),
    ],
)
def test_a_bad_race_in_a_session_is_refused_by_name(change, says):
    doc = {**scene_to_dict(default_scene()), "version": 3, **change}
    with pytest.raises(SessionError, match=re.escape(says)):
        from_dict(doc)


NETWORK = {
    "model": "mlp:hidden=8,4,activation=relu",
    "dataset": "moons:size=120,noise=0.2,seed=3",
    "runs": ["gd:lr=0.5", "adam:lr=0.01"],
    "batch_size": 16,
    "plane": "pca",
    "plane_seed": 2,
    "steps": 40,
    "center": "best",
}


def test_a_network_is_kept_in_the_session_and_trains_again_to_the_same_numbers(tmp_path):
    from dataclasses import replace

    from adamgui.core.network_setup import NetworkSetup

    setup = NetworkSetup.from_dict(dict(NETWORK))
    scene = replace(default_scene(), network=setup)
    path = tmp_path / "network.adamgui.json"
    save(path, scene)
    doc = json.loads(path.read_text())
    assert doc["version"] == 4 and doc["network"] == NETWORK
    back, _, _ = load(path)
    assert back.network == setup and back.runs[0].spec.optimizer == scene.runs[0].spec.optimizer
    one, two = setup.training(), back.network.training()
    one.step(setup.steps)
    two.step(back.network.steps)
    for k in range(2):
        np.testing.assert_array_equal(one.path(k), two.path(k))
    older = {key: value for key, value in NETWORK.items() if key != "center"}  # written before the choice
    assert NetworkSetup.from_dict(older).center == "start"


@pytest.mark.parametrize(
    "change, says",
    [
        ({"model": "mlp:hidden=99"}, "network.model: Invalid hidden layer size: 99"),
        ({"dataset": "spiral"}, "network.dataset: Unknown dataset 'spiral'"),
        ({"runs": []}, "network.runs: give at least one optimizer"),
        ({"runs": ["adam:lr=-1"]}, "network.runs[0]: Invalid lr"),
        ({"runs": [3]}, "network.runs: each run must be an optimizer spec"),
        ({"plane": "tsne"}, "network.plane: 'tsne' is not a plane"),
        ({"steps": 10**9}, "network.steps: 1000000000 is out of range"),
        ({"steps": "40"}, "network.steps: must be"),
        ({"colour": "red"}, "network.colour: unknown field"),
        ({"center": "middle"}, "network.center: 'middle' is not a centre (allowed: start, best)"),
        ({"center": 0}, "network.center: must be"),
    ],
)
def test_a_bad_network_in_a_session_is_refused_by_name(change, says):
    doc = {**scene_to_dict(default_scene()), "version": 4, "network": {**NETWORK, **change}}
    with pytest.raises(SessionError, match=re.escape(says)):
        from_dict(doc)
    with pytest.raises(SessionError, match="a network needs session version 4"):
        from_dict({**scene_to_dict(default_scene()), "version": 3, "network": NETWORK})


@pytest.mark.parametrize(
    "change, says",
    [
        (lambda d: d["runs"][0].__setitem__("label", "x" * 900_000), "runs[0].label: 900,000 characters (at most 60)"),
        (lambda d: d.__setitem__("title", "t" * 201), "title: 201 characters (at most 200)"),
        (lambda d: d.__setitem__("watch", "w" * 4001), "watch: 4,001 characters (at most 4,000)"),
        (lambda d: d["runs"][0].__setitem__("label", "a\nb"), "runs[0].label: holds a control character"),
        (lambda d: d.__setitem__("title", "bell\x07"), "title: holds a control character"),
        (lambda d: d["runs"][0].__setitem__("color", "#ffffff\n"), "runs[0].color: '#ffffff\\n' is not a color"),
    ],
)
def test_labels_titles_texts_and_colours_are_bounded_on_read(tmp_path, change, says):
    """A 900 KB run label took 9 s to open and 2 s a frame: labels, titles and texts are bounded in length and
    characters, and a colour is exactly #rrggbb."""
    from adamgui.core.presets import get_preset
    from adamgui.core.scene import scene_from_preset
    from adamgui.core.session import scene_to_dict

    doc = scene_to_dict(scene_from_preset(get_preset("ravine")))
    change(doc)
    path = tmp_path / "s.adamgui.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(SessionError) as refused:
        load(path)
    assert says in str(refused.value)


def test_a_relative_data_path_is_read_beside_the_session_not_the_current_folder(tmp_path, monkeypatch):
    from adamgui.core.scene import Scene

    folder = tmp_path / "lecture"
    folder.mkdir()
    (folder / "line.csv").write_text("x,y\n" + "".join(f"{x},{2 * x + 1}\n" for x in range(10)))
    doc = scene_to_dict(Scene("linear-regression", (0.0, 0.0), default_scene().runs))
    doc["surface"]["data"] = "line.csv"
    (folder / "s.adamgui.json").write_text(json.dumps(doc))
    monkeypatch.chdir(tmp_path)  # elsewhere: line.csv is not here
    scene = load(folder / "s.adamgui.json")[0]
    assert scene.data == str(folder.resolve() / "line.csv") and len(scene.surface_obj.model.y) == 10


@pytest.mark.parametrize(
    "text, says",
    [
        ('{"format": "adamgui-session", "format": "x"}', "the field 'format' appears twice"),
    ],
)
def test_a_repeated_json_field_is_refused(text, says):
    from adamgui.core.session import from_text

    with pytest.raises(SessionError, match=says):
        from_text(text)


def test_a_data_path_holding_a_nul_is_refused_with_a_sentence():
    from adamgui.core.scene import Scene
    from adamgui.core.session import from_text

    doc = scene_to_dict(Scene("linear-regression", (0.0, 0.0), default_scene().runs))
    doc["surface"]["data"] = "a\u0000b.csv"
    with pytest.raises(SessionError, match="surface.data: 'a\\\\x00b.csv' cannot be a file's name"):
        from_text(json.dumps(doc))
