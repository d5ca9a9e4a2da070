"""Model losses on real data: exact losses and gradients, their minima, and careful data reading."""

import numpy as np
import pytest

from adamgui.core.files import FileProblem
from adamgui.core.models import read_csv
from adamgui.core.surfaces import get_surface

MODELS = ("linear-regression", "logistic-regression", "neuron")


def test_linear_regression_closed_form_is_the_mean_over_the_data_and_its_minimum_is_least_squares():
    s = get_surface("linear-regression")
    m = s.model
    assert len(m.x) == 442
    rng = np.random.default_rng(3)
    w, b = rng.uniform(*s.x_range, 50), rng.uniform(*s.y_range, 50)
    explicit = ((w[:, None] * m.x + b[:, None] - m.y) ** 2).mean(axis=1)
    np.testing.assert_allclose(s.f(w, b), explicit, rtol=1e-12)
    A = np.column_stack([m.x, np.ones_like(m.x)])
    (w_star, b_star), *_ = np.linalg.lstsq(A, m.y, rcond=None)
    np.testing.assert_allclose(s.minima[0], (w_star, b_star), atol=1e-9)
    assert np.abs(s.gradient(np.array([s.minima[0]]))).max() < 1e-12


def test_logistic_loss_is_the_cross_entropy_and_stays_finite_for_huge_weights():
    s = get_surface("logistic-regression")
    m = s.model
    assert len(m.y) == 100 and set(np.unique(m.y)) == {0.0, 1.0}
    w = np.array([0.3, -1.2])
    p = 1 / (1 + np.exp(-(m.X @ w)))
    explicit = -np.mean(m.y * np.log(p) + (1 - m.y) * np.log(1 - p))
    assert s.f(np.array(w[0]), np.array(w[1])) == pytest.approx(explicit, rel=1e-12)
    far = np.array([[1e6, -1e6], [-1e300, 1e300]])
    assert np.isfinite(s.value(far)).all() and np.isfinite(s.gradient(far)).all()


def test_the_neuron_loss_is_not_convex():
    s = get_surface("neuron")
    a, b = np.array([[-3.0, 3.0]]), np.array([[1.3, -0.9]])
    mid = (a + b) / 2
    assert s.value(mid)[0] > (s.value(a)[0] + s.value(b)[0]) / 2  # above the chord: not convex


@pytest.mark.parametrize("name", MODELS)
def test_a_model_surface_has_parameter_axes_a_minimum_inside_and_a_start_away_from_it(name):
    s = get_surface(name)
    assert s.axes != ("x", "y") and s.model is not None
    assert s.contains(np.array(s.minima)).all()
    assert s.value(np.array([s.start]))[0] > s.value(np.array(s.minima))[0] + 0.05


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "is empty"),
        ("a,b\n1,2\n3,4\n", "no column 'x'"),
        ("x,y\n1,2\n", "1 data rows"),
        ("x,y\n1,2\n3,abc\n", "row 3, column y: 'abc' is not a finite number"),
        ("x,y\n1,2\n3,nan\n", "'nan' is not a finite number"),
        ("x,y\n1,2\n3\n", "row 3, column y: '' is not a finite number"),
        ("x,y\n١,2\n3,4\n", "row 2, column x: '١' is not a finite number"),  # one number grammar: ASCII digits
        ("x,y\n1_0,2\n3,4\n", "row 2, column x: '1_0' is not a finite number"),  # no digit separators
        ("x,x,y\n1,2,3\n4,5,6\n", "names the column 'x' twice"),
    ],
)
def test_a_bad_data_file_is_refused_with_a_sentence_that_names_it(tmp_path, text, message):
    path = tmp_path / "mine.csv"
    path.write_text(text)
    with pytest.raises(FileProblem, match=message):
        read_csv(path, ("x", "y"), "data file")


def test_a_good_data_file_reads_any_column_order_and_extra_columns(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("note,Y,x\nfirst,2,1\nsecond,4.5,3\n")
    np.testing.assert_array_equal(read_csv(path, ("x", "y"), "data file"), [[1, 2], [3, 4.5]])


def test_minibatches_cover_every_row_once_per_epoch_and_batch_n_is_the_full_batch_bit_for_bit():
    from dataclasses import replace

    from adamgui.core.models import Minibatches
    from adamgui.core.scene import default_scene

    batches = Minibatches(10, 4, [0, 1])
    epoch = [batches.next() for _ in range(3)]
    assert [len(b) for b in epoch] == [4, 4, 2]  # the last batch of an epoch: the rows left over
    assert sorted(np.concatenate(epoch)) == list(range(10))
    scene = default_scene().with_surface("neuron")
    full, all_rows = scene.simulation(), replace(scene, batch_size=41).simulation()
    full.step(40)
    all_rows.step(40)
    for a, b in zip(full.runs, all_rows.runs, strict=True):
        np.testing.assert_array_equal(a.path(), b.path())
    one, two = (replace(scene, batch_size=5, batch_seed=9).simulation() for _ in range(2))
    one.step(40)
    two.step(40)
    np.testing.assert_array_equal(one.runs[1].path(), two.runs[1].path())
    assert not np.array_equal(one.runs[1].path(), full.runs[1].path())


def test_the_cli_takes_a_batch_size_for_a_model_and_refuses_it_elsewhere(capsys):
    from adamgui import cli

    assert cli.main(["run", "--surface", "neuron", "--batch-size", "5", "--batch-seed", "2", "--steps", "3"]) == 0
    assert cli.main(["run", "--surface", "bowl", "--batch-size", "5"]) == 2
    assert "need a model's loss" in capsys.readouterr().err


@pytest.mark.parametrize(
    "surface,text,message",
    [
        ("linear-regression", "a,b\n1,2\n2,3\n", "no column 'x'"),
        ("logistic-regression", "x1,x2,label\n1,2,0\n2,1,2\n", "labels must be 0 or 1"),
        ("logistic-regression", "x1,x2,label\n1,2,1\n2,1,1\n", "both classes"),
        ("logistic-regression", "x1,x2,label\n1,1,1\n2,2,1\n-1,-1,0\n-2,-2,0\n", "no finite minimum"),
        ("linear-regression", "x,y\n1,2\n1,3\n", "two different x"),
        ("saddle", "x,y\n1,2\n2,3\n", "Only a model's loss takes data"),
    ],
)
def test_the_users_data_is_refused_with_a_sentence_and_nothing_changes(tmp_path, capsys, surface, text, message):
    from adamgui import cli

    path = tmp_path / "mine.csv"
    path.write_text(text)
    assert cli.main(["run", "--surface", surface, "--data", str(path), "--steps", "2"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_the_users_data_makes_a_model_surface_around_its_minimum(tmp_path, capsys):
    import json

    from adamgui import cli

    path = tmp_path / "line.csv"
    path.write_text("x,y\n0,1\n1,3.1\n2,4.9\n3,7.2\n")
    assert cli.main(["run", "--surface", "linear-regression", "--data", str(path), "--steps", "400",
                     "--optimizer", "adam:lr=0.05", "--format", "json"]) == 0  # fmt: skip
    doc = json.loads(capsys.readouterr().out)
    (w, b), *_ = np.linalg.lstsq(np.array([[0, 1], [1, 1], [2, 1], [3, 1.0]]), [1, 3.1, 4.9, 7.2], rcond=None)
    assert doc["surface"]["minima"][0] == pytest.approx([w, b], abs=1e-9)
    assert doc["runs"][0]["path"][-1] == pytest.approx([w, b], abs=0.05)  # Adam got there


def test_maps_and_sweeps_take_a_batch_size_and_a_schedule():
    from adamgui.core import maps
    from adamgui.core.models import Batching
    from adamgui.core.schedules import parse_schedule
    from adamgui.core.simulation import RunSpec

    s = get_surface("linear-regression")
    full = maps.basin_map(s, RunSpec("adam", {"lr": 0.1}), 12, 300, 0.1)
    one = maps.basin_map(s, RunSpec("adam", {"lr": 0.1}), 12, 300, 0.1, batch=Batching(20, 4))
    two = maps.basin_map(s, RunSpec("adam", {"lr": 0.1}), 12, 300, 0.1, batch=Batching(20, 4))
    ordered = maps.basin_map(s, RunSpec("adam", {"lr": 0.1}), 12, 300, 0.1, batch=Batching(20, 4, ordered=True))
    assert not np.array_equal(ordered.steps, one.steps)  # the rows in their order: other minibatches
    np.testing.assert_array_equal(one.steps, two.steps)  # the same batches, the same map
    assert (one.outcome == 0).sum() < (full.outcome == 0).sum()  # noisy steps of 20 patients reach it less often
    spec = RunSpec("adam", schedule=parse_schedule("exponential:gamma=0.9"))
    swept = maps.sweep(s, s.start, spec, "lr", np.array([0.05, 0.2]), "beta1", np.array([0.5, 0.9]), steps=50)
    unscheduled = maps.sweep(s, s.start, RunSpec("adam"), "lr", np.array([0.05, 0.2]), "beta1", np.array([0.5, 0.9]),
                             steps=50)  # fmt: skip
    assert not np.allclose(swept.loss, unscheduled.loss)  # the decaying rate changed every cell


def test_data_whose_loss_cannot_be_finite_is_refused_with_a_sentence(tmp_path):
    """Data at ±1e308: every square overflows, the loss is NaN everywhere and the Data dock's range infinite; refused,
    naming the row, for every model's loss."""
    from adamgui.core.params import ParamError
    from adamgui.core.surfaces import model_surface_from_csv

    for name, content in (
        ("linear-regression", "x,y\n1e308,1\n-1e308,2\n3,4\n"),
        ("neuron", "x,y\n1,2\n3,1e300\n"),
        ("logistic-regression", "x1,x2,label\n1,2,0\n1e200,3,1\n"),
    ):
        path = tmp_path / f"{name}.csv"
        path.write_text(content)
        with pytest.raises(ParamError, match=r"row \d: a value beyond ±1e154"):
            model_surface_from_csv(name, path)
