"""Training small networks with the app's optimizers (core/training.py) and the planes that show their paths
(core/slices.py): the rules are the same in d coordinates, and a slice says how far off it each run is."""

import numpy as np
import pytest

from adamgui.core.mlp import MLP
from adamgui.core.optimizers import OPTIMIZERS
from adamgui.core.params import ParamError
from adamgui.core.schedules import parse_schedule
from adamgui.core.simulation import RunSpec
from adamgui.core.slices import Plane, loss_grid, pca_plane, random_plane
from adamgui.core.training import Training, make_task, parse_dataset, parse_model

ELEMENTWISE = sorted(name for name, opt in OPTIMIZERS.items() if not opt.needs_hessian)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_every_rule_in_d_coordinates_is_its_two_coordinate_rule_coordinate_by_coordinate(name):
    """One point of 6 coordinates and three points of 2, fed the same gradients: the same steps, bit for bit."""
    opt = OPTIMIZERS[name]
    hp = opt.resolve({"lr": 0.05})
    rng = np.random.default_rng(4)
    wide, narrow = opt.init(1, 6), opt.init(3, 2)
    theta = rng.standard_normal((1, 6))
    theta_narrow = theta.reshape(3, 2).copy()
    for _ in range(25):
        g = rng.standard_normal((1, 6))
        step_wide, _ = opt.update(g.copy(), theta.copy(), wide, hp)
        step_narrow, _ = opt.update(g.reshape(3, 2).copy(), theta_narrow.copy(), narrow, hp)
        np.testing.assert_array_equal(np.asarray(step_wide).reshape(3, 2), step_narrow)
        theta = theta - step_wide
        theta_narrow = theta_narrow - step_narrow


def _plane(d=7, seed=1):
    rng = np.random.default_rng(seed)
    return Plane("test", rng.standard_normal(d), rng.standard_normal(d), rng.standard_normal(d))


def test_a_path_in_the_plane_is_at_distance_zero_and_keeps_its_coordinates():
    plane = _plane()
    a, b = np.linspace(-2, 3, 11), np.linspace(1, -1, 11)
    path = plane.points(a, b)
    np.testing.assert_allclose(plane.coordinates(path), np.column_stack([a, b]), atol=1e-12)
    np.testing.assert_allclose(plane.distance(path), 0, atol=1e-12)


def test_a_move_off_the_plane_shows_in_the_distance_not_in_the_coordinates():
    plane = _plane()
    basis = np.stack([plane.u, plane.v])
    off = np.random.default_rng(2).standard_normal(len(plane.center))
    off -= basis.T @ np.linalg.solve(basis @ basis.T, basis @ off)  # orthogonal to the plane
    off *= 0.75 / np.linalg.norm(off)
    point = plane.points(1.5, -0.5) + off
    np.testing.assert_allclose(plane.coordinates(point), [1.5, -0.5], atol=1e-12)
    assert plane.distance(point) == pytest.approx(0.75, abs=1e-12)


def test_parallel_directions_are_no_plane():
    u = np.arange(5.0)
    with pytest.raises(ParamError, match="parallel or zero"):
        Plane("test", np.zeros(5), u, 2 * u)


def test_the_random_plane_is_filter_normalized():
    model = MLP((8, 4))
    center = model.init(3)
    plane = random_plane(model, center, seed=5)
    for direction in (plane.u, plane.v):
        for (W_d, b_d), (W_c, _) in zip(model.layers(direction[None]), model.layers(center[None]), strict=True):
            np.testing.assert_allclose(np.linalg.norm(W_d[0], axis=0), np.linalg.norm(W_c[0], axis=0), rtol=1e-12)
            assert not b_d.any()
    same = random_plane(model, center, seed=5)
    np.testing.assert_array_equal(same.u, plane.u)  # one seed, one plane: every run on the same one


def test_the_pca_plane_explains_the_paths_variance_in_order():
    rng = np.random.default_rng(0)
    d = 9
    main, second = np.eye(d)[0], np.eye(d)[3]
    path = np.outer(np.linspace(0, 10, 50), main) + np.outer(np.sin(np.linspace(0, 6, 50)), second)
    path += 1e-6 * rng.standard_normal(path.shape)
    plane = pca_plane([path], np.zeros(d))
    a, b = plane.explained
    assert a > b > 0 and a + b <= 1 + 1e-12 and a + b > 0.999
    assert abs(plane.u @ main) > 0.97 and abs(plane.v @ second) > 0.97  # the two directions the path moves in
    with pytest.raises(ParamError, match="one line"):
        pca_plane([np.outer(np.arange(10.0), main)], np.zeros(d))


def test_training_learns_and_a_diverging_run_stops_alone():
    task = make_task(parse_model("mlp:hidden=8,activation=relu"), "blobs:size=200,noise=0.3")
    training = Training(task, [RunSpec("adam", {"lr": 0.05}), RunSpec("gd", {"lr": 1e200}), RunSpec("momentum")])
    training.step(200)
    assert training.losses(0)[-1] < 0.5 * training.losses(0)[0]
    assert training.status_text(1).startswith("diverged at step")
    assert training.status_text(0) == training.status_text(2) == "running"
    assert np.isfinite(training.path(1)).all()  # its last finite weights are kept
    np.testing.assert_array_equal(training.path(0)[0], task.theta0)  # every run starts from the same weights
    np.testing.assert_array_equal(training.path(2)[0], task.theta0)


def test_minibatches_and_schedules_are_seeded_and_used():
    task = make_task(parse_model("mlp:hidden=4"), "moons:size=100", batch_size=10)
    specs = [RunSpec("gd", {"lr": 0.3}), RunSpec("gd", {"lr": 0.3}, schedule=parse_schedule("cosine:T_max=20"))]
    one, two, other = Training(task, specs, seed=1), Training(task, specs, seed=1), Training(task, specs, seed=2)
    for t in (one, two, other):
        t.step(20)
    np.testing.assert_array_equal(one.path(0), two.path(0))
    assert not np.array_equal(one.path(0), other.path(0))  # other minibatches
    assert not np.array_equal(one.path(0), one.path(1))  # the schedule changed the steps


@pytest.mark.parametrize(
    "call, says",
    [
        (lambda: parse_model("mlp:hidden=8,40"), "hidden layer size: 40"),
        (lambda: parse_model("mlp:hidden=1,2,3,4"), "hidden layers: 4"),
        (lambda: parse_model("mlp:width=3"), "Unknown model option 'width'"),
        (lambda: parse_model("mlp:activation=relu,tanh"), "one value"),
        (lambda: parse_dataset("spirals:noise=lots"), "Invalid noise: 'lots'"),
        (lambda: parse_dataset("spirals:size=9999"), "Invalid size: 9999"),
        (lambda: make_task(MLP((4,)), "xor", batch_size=500), "Invalid batch size: 500"),
        (lambda: Training(make_task(MLP((4,)), "xor"), [RunSpec("newton")]), "newton needs the exact Hessian"),
        (lambda: Training(make_task(MLP((4,)), "xor"), []), "at least one optimizer"),
    ],
)
def test_bad_models_datasets_and_runs_are_refused_with_a_sentence(call, says):
    with pytest.raises(ParamError, match=says):
        call()


def test_the_loss_grid_over_a_plane_is_the_loss_at_each_point():
    task = make_task(parse_model("mlp:hidden=6"), "circles:size=80")
    plane = random_plane(task.model, task.theta0, seed=2)
    a, b = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-0.5, 0.5, 4))
    grid = loss_grid(task.model, task.train, plane, a, b, chunk=7)
    for i, j in ((0, 0), (2, 3), (3, 4)):
        expected = task.model.loss(plane.points(a[i, j], b[i, j])[None], task.train.X, task.train.y)[0]
        assert grid[i, j] == pytest.approx(expected, rel=1e-12)


def test_losses_are_computed_once_a_step_and_stay_right_as_training_goes_on(monkeypatch):
    """The window asks for every run's losses every frame: each step's loss is computed once (the new steps
    only), and equals the loss of that step's parameters."""
    task = make_task(parse_model("mlp:hidden=4"), "moons:size=80")
    training = Training(task, [RunSpec("gd", {"lr": 0.3}), RunSpec("adam", {"lr": 0.02})])
    training.step(10)
    first = training.losses(1).copy()
    asked = []
    loss = task.model.loss
    monkeypatch.setattr(
        task.model.__class__, "loss", lambda self, theta, X, y: asked.append(len(theta)) or loss(theta, X, y)
    )
    training.step(5)
    again = training.losses(1)
    assert asked == [5]  # the five new steps, not all sixteen
    np.testing.assert_array_equal(again[:11], first)
    np.testing.assert_allclose(again, loss(training.path(1), task.train.X, task.train.y), rtol=1e-12)
    test = training.losses(1, task.test)  # the test set kept apart
    np.testing.assert_allclose(test, loss(training.path(1), task.test.X, task.test.y), rtol=1e-12)
    assert not again.flags.writeable


def test_the_bundled_data_pose_their_tasks_and_the_network_takes_its_inputs_from_them():
    iris = make_task(parse_model("mlp:hidden=8"), "iris")
    assert (iris.model.task, iris.model.inputs) == ("classification", 2)
    assert len(iris.train.y) + len(iris.test.y) == 100 and set(np.unique(iris.train.y)) == {0.0, 1.0}
    diabetes = make_task(parse_model("mlp:hidden=8"), "diabetes:seed=3")
    assert (diabetes.model.task, diabetes.model.inputs) == ("regression", 1)
    assert len(diabetes.train.y) + len(diabetes.test.y) == 442
    whole = np.concatenate([diabetes.train.X[:, 0], diabetes.test.X[:, 0]])
    assert whole.mean() == pytest.approx(0, abs=1e-12) and whole.std() == pytest.approx(1, rel=1e-12)
    assert diabetes.model.size == 1 * 8 + 8 + 8 + 1
    training = Training(diabetes, [RunSpec("adam", {"lr": 0.02})])
    training.step(200)
    x, y = diabetes.train.X[:, 0], diabetes.train.y
    line = np.polyval(np.polyfit(x, y, 1), x)  # the least-squares line: what a curve through BMI can reach
    assert training.losses(0)[-1] < 0.7 * training.losses(0)[0]
    assert training.losses(0)[-1] < 1.03 * np.mean(0.5 * (line - y) ** 2)
    assert training.score_text(0).startswith("loss ") and "test" in training.score_text(0)
    other = make_task(parse_model("mlp:hidden=8"), "diabetes:seed=4")
    assert not np.array_equal(other.test.y, diabetes.test.y)  # the seed shuffles the split


def test_a_csv_file_is_classification_or_regression_by_its_columns(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((60, 2))
    labelled = tmp_path / "two classes.csv"
    labelled.write_text("x1,x2,label\r\n" + "".join(f"{a},{b},{int(a > b)}\r\n" for a, b in X))
    task = make_task(parse_model("mlp:hidden=4"), f"file:{labelled}")
    assert (task.model.task, task.model.inputs, len(task.train.y) + len(task.test.y)) == ("classification", 2, 60)
    curve = tmp_path / "curve.csv"
    curve.write_text("x,y\r" + "".join(f"{a},{a * a}\r" for a in X[:, 0]))  # the old Mac's lone CR ends each line
    task = make_task(parse_model("mlp:hidden=4"), f"file:{curve}")
    assert (task.model.task, task.model.inputs) == ("regression", 1)
    assert sorted(np.concatenate([task.train.X[:, 0], task.test.X[:, 0]])) == pytest.approx(sorted(X[:, 0]))
    assert parse_dataset(f"file:{curve}").text == f"file:{curve}"  # a path with commas or spaces is kept whole


@pytest.mark.parametrize(
    "content, says",
    [
        ("a,b\n1,2\n3,4\n", "expected the columns x1,x2,label or x,y"),
        ("x1,x2,label\n1,2,0\n3,4,2\n", "row 3, column label: 2 is not 0 or 1"),
        ("x1,x2,label\n1,2,1\n3,4,1\n", "every label is 1"),
        ("x,y\n1,2\n1e200,4\n", "row 3: a value beyond"),
        ("x,y\n1,2\nfoo,4\n", "row 3, column x: 'foo' is not a finite number"),
        ('x,y\n1,"' + "9" * 140_000 + '"\n3,4\n', "not a CSV file this app can read"),
    ],
)
def test_a_bad_data_file_is_refused_with_a_sentence_naming_it(tmp_path, content, says):
    path = tmp_path / "data.csv"
    path.write_text(content)
    with pytest.raises(ParamError, match=says):
        make_task(parse_model("mlp:hidden=4"), f"file:{path}")


@pytest.mark.parametrize(
    "text, says",
    [
        ("file:", "Invalid data file name"),
        ("iris:size=300", "Unknown dataset option 'size'"),
        ("mnist", "Unknown dataset"),
    ],
)
def test_bad_data_choices_are_refused(text, says):
    with pytest.raises(ParamError, match=says):
        parse_dataset(text)


def test_a_missing_data_file_is_named():
    with pytest.raises(ParamError, match="Data file '/nowhere/x.csv'"):
        make_task(parse_model("mlp:hidden=4"), "file:/nowhere/x.csv")


def test_the_slice_surface_passes_through_its_samples_and_blends_between_them():
    from adamgui.core.slice_surface import slice_surface

    task = make_task(parse_model("mlp:hidden=4"), "moons:size=80")
    plane = random_plane(task.model, task.theta0, seed=1)
    window = (-1.0, 2.0, -0.5, 0.5)
    a, b = np.meshgrid(np.linspace(-1, 2, 7), np.linspace(-0.5, 0.5, 5))
    grid = loss_grid(task.model, task.train, plane, a, b)
    surface = slice_surface(grid, window, "slice")
    np.testing.assert_allclose(surface.f(a, b), grid, rtol=1e-12)  # exact at every sample
    np.testing.assert_allclose(surface.f(np.array([-0.75]), np.array([-0.5]))[0], (grid[0, 0] + grid[0, 1]) / 2)
    mid = surface.f(np.array([-0.75]), np.array([-0.375]))[0]  # the centre of the first cell: its corners' mean
    assert mid == pytest.approx(grid[:2, :2].mean(), rel=1e-12)
    ga, gb = surface.grad(np.array([-0.9]), np.array([-0.45]))
    h = 1e-6
    f = surface.f
    x, y = np.array([-0.9]), np.array([-0.45])
    assert ga[0] == pytest.approx((f(x + h, y) - f(x - h, y))[0] / (2 * h), rel=1e-6)
    assert gb[0] == pytest.approx((f(x, y + h) - f(x, y - h))[0] / (2 * h), rel=1e-6)
    assert (surface.x_range, surface.y_range, surface.axes) == ((-1.0, 2.0), (-0.5, 0.5), ("a", "b"))
    assert np.isfinite(surface.f(np.array([50.0, np.nan]), np.array([-50.0, 0.0]))).all()  # held at the edges
    grid[1, 1] = np.inf
    spoilt = slice_surface(grid, window, "slice")
    assert spoilt.f(a, b)[1, 1] == grid[np.isfinite(grid)].max()  # an overflowing sample at the highest finite one


def test_accuracies_are_kept_per_step_like_the_losses():
    task = make_task(parse_model("mlp:hidden=6"), "blobs:size=120,noise=0.3")
    training = Training(task, [RunSpec("adam", {"lr": 0.05})])
    training.step(30)
    first = training.accuracies(0).copy()
    training.step(10)
    every = training.accuracies(0, task.test)
    np.testing.assert_array_equal(training.accuracies(0)[:31], first)
    np.testing.assert_array_equal(every, task.model.accuracy(training.path(0), task.test.X, task.test.y))
    assert training.accuracies(0)[-1] == training.accuracy(0) and training.accuracies(0)[-1] > 0.9
    fit = Training(make_task(parse_model("mlp:hidden=4"), "diabetes"), [RunSpec("gd")])
    fit.step(2)
    assert np.isnan(fit.accuracies(0)).all() and len(fit.accuracies(0)) == 3


def test_a_plane_is_centred_on_the_start_or_on_the_best_runs_end():
    """``start`` is the shared first weights; ``best`` the end of the run with the least training loss now (a
    diverged run's huge loss does not win): the plane through it puts that run's end at (0, 0), on the plane."""
    from adamgui.core.params import ParamError
    from adamgui.core.simulation import RunSpec
    from adamgui.core.slices import make_plane
    from adamgui.core.training import Training, make_task, parse_model

    model = parse_model("mlp:hidden=4,activation=relu")
    task = make_task(model, "moons:size=60,seed=1")
    specs = [RunSpec("gd", {"lr": 0.1}), RunSpec("adam", {"lr": 0.05}), RunSpec("gd", {"lr": 1e200})]
    training = Training(task, specs)
    training.step(30)
    np.testing.assert_array_equal(training.center("start"), task.theta0)
    assert training.status[2] != 0  # the huge α diverged
    losses = [training.losses(k)[-1] for k in range(2)]
    best = int(np.argmin(losses))
    np.testing.assert_array_equal(training.center("best"), training.path(best)[-1])
    plane = make_plane("random", model, training.center("best"), seed=0)
    np.testing.assert_allclose(plane.coordinates(training.path(best)[-1:]), [[0.0, 0.0]], atol=1e-12)
    assert plane.distance(training.path(best)[-1:])[0] == 0.0
    with pytest.raises(ParamError, match="Unknown centre 'middle'"):
        training.center("middle")


def test_a_training_keeps_no_more_steps_than_its_memory_allows(monkeypatch):
    """Every weight of every run at every step is kept (for the planes): a training stops at MAX_STEPS, or sooner
    where its runs' weights would pass MEMORY_BUDGET (eight runs of the largest network ran into gigabytes)."""
    from adamgui.core import training as training_module
    from adamgui.core.simulation import RunSpec
    from adamgui.core.training import MAX_STEPS, Training, make_task, parse_model

    big = Training(make_task(parse_model("mlp:hidden=32,32,32"), "moons:size=50"), [RunSpec("gd")] * 8)
    assert big.d == 2241 and big.max_steps == training_module.MEMORY_BUDGET // (8 * 8 * 2241) < MAX_STEPS
    small = Training(make_task(parse_model("mlp:hidden=4"), "moons:size=50"), [RunSpec("gd")])
    assert small.max_steps == MAX_STEPS
    monkeypatch.setattr(training_module, "MEMORY_BUDGET", 8 * small.d * 30)
    assert small.max_steps == 30
    small.step(25)
    small.step(25)
    assert small.t == 30 and len(small.path(0)) == 31
