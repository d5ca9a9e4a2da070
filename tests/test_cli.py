"""The command line, run as a user runs it: a real process, its stdout, stderr and status."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.core.test_simulation import adam_optimizer_2d, df_saddle, gradient_descent_2d

ROOT = Path(__file__).resolve().parents[1]


def cli(*args, check_status=None):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    if check_status is not None:
        assert proc.returncode == check_status, proc.stderr
    return proc


def test_seed_preset_csv_equals_the_notebook():
    out = cli("run", "--preset", "seed-notebook", check_status=0).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["run", "optimizer", "step", "x", "y", "loss"]
    by_run = {}
    for r in rows:
        by_run.setdefault(r["run"], []).append((float(r["x"]), float(r["y"])))
    np.testing.assert_array_equal(np.array(by_run["gd"]), gradient_descent_2d(df_saddle, [-4, 0.4]))
    np.testing.assert_array_equal(np.array(by_run["adam"]), adam_optimizer_2d(df_saddle, [-4, 0.4]))
    assert [r["step"] for r in rows if r["run"] == "gd"] == [str(i) for i in range(51)]


def test_json_has_resolved_params_status_path_and_loss(tmp_path):
    target = tmp_path / "out.json"
    cli(
        "run",
        "--surface",
        "bowl",
        "--start=1,-2",
        "--optimizer",
        "gd:lr=0.1",
        "--optimizer",
        "adam:lr=0.3,beta1=0.8",
        "--optimizer",
        "adam",
        "--steps",
        "2",
        "--format",
        "json",
        "--output",
        str(target),
        check_status=0,
    )
    doc = json.loads(target.read_text())
    assert doc["surface"]["name"] == "bowl"
    labels = [r["label"] for r in doc["runs"]]
    assert labels == ["gd", "adam", "adam-2"]
    adam = doc["runs"][1]
    assert adam["params"] == {"lr": 0.3, "beta1": 0.8, "beta2": 0.999, "eps": 1e-8, "bias_correction": True}
    assert doc["runs"][0]["path"] == [[1.0, -2.0], [0.8, -1.6], [0.64, -1.28]]
    assert len(adam["loss"]) == 3 and adam["status"] == "running"


def test_list_names_every_surface_optimizer_hyperparameter_and_preset():
    out = cli("list", check_status=0).stdout
    from adamgui.core.optimizers import OPTIMIZERS
    from adamgui.core.presets import PRESETS
    from adamgui.core.schedules import NAMES as SCHEDULES
    from adamgui.core.surfaces import SURFACES

    for name in [*SURFACES, *OPTIMIZERS, *PRESETS]:
        assert name in out
    assert all(f"\n  {name} " in out for name in SCHEDULES)  # each schedule on a line of its own
    assert "  inverse-sqrt   no parameters" in out and "--box X0,X1,Y0,Y1" in out and "--batch-order ordered" in out
    assert "  online-linear " in out and "  quartic-product " in out and "  linear-neuron " in out
    assert "momentum_decay = 0.004, [0, inf)" in out
    assert "beta2 = 0.999, [0, 1)" in out
    for name, line in [
        ("radam", "eps = 1e-08, (0, inf)"),
        ("adadelta", "rho = 0.9, [0, 1]"),
        ("lion", "beta2 = 0.99, [0, 1): decay of the momentum average"),
        ("adabelief", "eps = 1e-16, (0, inf)"),
        ("schedulefree-adamw", "weight_lr_power = 2, [0, 1000]"),
    ]:  # each new optimizer's own lines: its title line, then its indented hyperparameters
        lines = out.splitlines()
        first = next(k for k, text in enumerate(lines) if text.startswith(f"  {name} "))
        block = [lines[first]]
        for text in lines[first + 1 :]:
            if not text.startswith("    "):
                break
            block.append(text)
        assert any(line in text for text in block), (name, block)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["run", "--optimizer", "adma"], "Unknown optimizer 'adma'"),
        (["run", "--optimizer", "adamm"], "did you mean 'adam'"),
        (["run", "--surface", "rosenbrok"], "did you mean 'rosenbrock'"),
        (["run", "--preset", "seed"], "Unknown preset 'seed'"),
        (["run", "--optimizer", "gd:lr=0"], "Invalid lr: 0 (allowed: (0, inf))"),
        (["run", "--optimizer", "gd:lr=-1"], "Invalid lr: -1"),
        (["run", "--optimizer", "adam:beta1=1"], "Invalid beta1: 1 (allowed: [0, 1))"),
        (["run", "--optimizer", "adam:beta2=1.5"], "Invalid beta2"),
        (["run", "--optimizer", "adam:eps=0"], "Invalid eps"),
        (["run", "--optimizer", "adam:lr=abc"], "Invalid lr: 'abc' is not a number"),
        (["run", "--optimizer", "adam:beta3=0.5"], "Unknown hyperparameter 'beta3' for adam"),
        (["run", "--optimizer", "adam:lr"], "Malformed hyperparameter 'lr'"),
        (["run", "--optimizer", "adam:bias_correction=maybe"], "Invalid bias_correction"),
        (["run", "--start=1"], "invalid start '1'"),
        (["run", "--start=a,b"], "invalid start 'a,b'"),
        (["run", "--start=nan,0"], "invalid start 'nan,0'"),
        (["run", "--start=inf,0"], "must be finite"),
        (["run", "--steps", "-3"], "invalid step count -3"),
        (["run", "--steps", "ten"], "invalid step count 'ten'"),
        (["run", "--output", "/nonexistent-dir/out.csv"], "cannot write output file '/nonexistent-dir/out.csv'"),
        (["run", "--format", "xml"], "invalid choice: 'xml'"),
        (["run", "--bogus"], "unrecognized arguments: --bogus"),
        (["--preset", "nope"], "Unknown preset 'nope'"),
    ],
)
def test_bad_input_gets_one_line_and_status_2(args, needle):
    proc = cli(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("adamgui: error: ")
    assert needle in lines[0]


def test_version():
    assert cli("--version", check_status=0).stdout.startswith("adamgui ")


def test_formula_and_domain_on_the_command_line():
    out = cli(
        "run",
        "--formula",
        "(x - 1)^2 + (y + 2)^2",
        "--domain=-3,3,-4,2",
        "--optimizer",
        "gd:lr=0.25",
        "--steps",
        "1",
        "--format",
        "json",
        check_status=0,
    ).stdout
    doc = json.loads(out)
    assert doc["surface"]["x_range"] == [-3.0, 3.0]
    (x0, y0), (x1, y1) = doc["runs"][0]["path"]
    assert (x1, y1) == pytest.approx((x0 - 0.5 * (x0 - 1), y0 - 0.5 * (y0 + 2)))


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["run", "--formula", "x^2 + (y"], "Unbalanced parenthesis at column 7"),
        (["run", "--formula", "z"], "Unknown name 'z'"),
        (["run", "--formula", "9^9^9^9"], "too large"),
        (["run", "--formula", "x", "--surface", "bowl"], "either --surface or --formula"),
        (["run", "--domain=1,0,0,1"], "Invalid x range [1, 0]"),
        (["run", "--domain=1,2"], "invalid domain '1,2'"),
    ],
)
def test_bad_formula_or_domain_gets_one_line_and_status_2(args, needle):
    proc = cli(*args)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and needle in proc.stderr


def test_install_desktop_writes_a_launcher_and_icons(tmp_path):
    env = {**__import__("os").environ, "XDG_DATA_HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "install-desktop"], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    entry = (tmp_path / "applications" / "adamgui.desktop").read_text()
    assert "Exec=" in entry and str(ROOT / "main.py") in entry and "Icon=adamgui" in entry
    assert (tmp_path / "icons" / "hicolor" / "256x256" / "apps" / "adamgui.png").stat().st_size > 1000
    assert (tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "adamgui.svg").exists()
    # a saved session opens by double-click: the entry takes a file and names the type, whose glob is installed
    assert "%u" in entry.split("Exec=", 1)[1].splitlines()[0]  # a file (as a path or file:// URL) or a link
    assert "MimeType=application/x-adamgui-session;x-scheme-handler/adamgui;" in entry  # and adamgui: links
    mime = (tmp_path / "mime" / "packages" / "adamgui.xml").read_text()
    assert 'type="application/x-adamgui-session"' in mime and 'pattern="*.adamgui.json"' in mime


def test_help_names_the_window_and_its_options():
    out = cli("--help", check_status=0).stdout
    said = " ".join(out.split())
    assert "Without a command it opens the window: adamgui [FILE.adamgui.json ... | 'adamgui:LINK']" in said
    assert "adamgui open 'adamgui:LINK' | FILE.adamgui.json" in said


@pytest.mark.parametrize(
    "args, says",
    [
        (["/nonexistent/lecture.adamgui.json"], "cannot open '/nonexistent/lecture.adamgui.json'"),
        (["rnu"], "unknown command or file 'rnu' (commands: run,"),
        (["tests/fixtures/x.adamgui.json", "--preset", "ravine"], "a session file brings its own scene"),
    ],
)
def test_a_session_the_window_cannot_open_is_said_before_any_window(args, says, tmp_path):
    proc = cli(*args, check_status=2)
    assert says in proc.stderr and "Traceback" not in proc.stderr
    bad = tmp_path / "bad.adamgui.json"
    bad.write_text('{"format": "adamgui-session", "version": 1}')
    proc = cli(str(bad), check_status=2)
    assert f"cannot open {str(bad)!r}: surface: missing" in proc.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["render", "--output", "/tmp/x.txt"], "invalid output '/tmp/x.txt'"),
        (["render", "--output", "/nonexistent-dir/x.png"], "no such folder"),
        (["render", "--preset", "nope", "--output", "/tmp/x.png"], "Unknown preset 'nope'"),
        (["render", "--session", "/nonexistent.json", "--output", "/tmp/x.png"], "cannot be read"),
        (["render", "--size", "10x10", "--output", "/tmp/x.png"], "invalid size '10x10'"),
        (["render"], "the following arguments are required: --output"),
    ],
)
def test_render_refuses_bad_values_with_one_line(args, needle):
    proc = cli(*args)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and needle in proc.stderr


def test_render_a_preset_to_png_and_gif(tmp_path):
    import imageio.v3 as iio

    png, gif = tmp_path / "s.png", tmp_path / "s.gif"
    cli(
        "render",
        "--preset",
        "ravine",
        "--steps",
        "20",
        "--view",
        "contour",
        "--size",
        "900x600",
        "--output",
        str(png),
        check_status=0,
    )
    assert iio.imread(png).shape == (600, 900, 3)  # --size is the picture's: the view drawn at that size
    cli("render", "--steps", "6", "--view", "contour", "--size", "480x320", "--output", str(gif), check_status=0)
    frames = iio.imread(gif, index=None)
    assert len(frames) == 7 and frames.shape[1:3] == (320, 480)
    window = tmp_path / "w.png"
    cli("render", "--steps", "3", "--size", "1000x700", "--output", str(window), check_status=0)
    assert iio.imread(window).shape[:2] == (700, 1000)  # the whole window at that size


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_an_interrupted_run_leaves_the_old_output_whole_and_no_part_file(tmp_path, signal_name):
    import signal
    import time

    out = tmp_path / "paths.csv"
    out.write_text("the old contents\n")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "run", "--steps", "1000000", "--output", str(out)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group: SIGINT is not ignored as for a background job
    )
    deadline = time.monotonic() + 60  # a handshake: the signal comes once the part file exists (not after a delay)
    while len(list(tmp_path.iterdir())) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(list(tmp_path.iterdir())) == 2, "the run never opened its part file"
    proc.send_signal(getattr(signal, signal_name))
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted; no file was written" in err and "Traceback" not in err
    assert out.read_text() == "the old contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paths.csv"]


def test_run_writes_rows_as_each_run_is_computed_the_same_as_stepping_them_together(tmp_path):
    from adamgui.core.scene import default_scene
    from adamgui.core.trajectories import to_csv, write_streamed

    scene = default_scene()
    together = scene.simulation()
    together.step(30)
    streamed = io.StringIO()
    write_streamed(scene.simulation(), 30, "csv", streamed)
    assert streamed.getvalue() == to_csv(together)


def test_sweep_and_map_take_the_new_optimizers_and_a_schedule(tmp_path):
    from adamgui.core.schedules import parse_schedule
    from adamgui.core.simulation import RunSpec, Simulation
    from adamgui.core.surfaces import get_surface

    out = tmp_path / "lion.csv"
    cli("sweep", "--surface", "bowl", "--optimizer", "lion", "--schedule", "cosine:T_max=20", "--steps", "20",
        "--x", "lr:0.01:0.1:3", "--y", "beta2:0.9:0.99:2", "--output", str(out), check_status=0)  # fmt: skip
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 6
    for row in rows:
        hp = {"lr": float(row["lr"]), "beta2": float(row["beta2"])}
        sim = Simulation(
            get_surface("bowl"), (-4.0, 3.0), [RunSpec("lion", hp, schedule=parse_schedule("cosine:T_max=20"))]
        )
        sim.step(20)
        assert float(row["final_loss"]) == pytest.approx(sim.runs[0].loss[0], rel=1e-12)
    cli("map", "--surface", "himmelblau", "--optimizer", "schedulefree-adamw:lr=0.1", "--resolution", "8",
        "--steps", "20", "--output", str(tmp_path / "m.npy"), check_status=0)  # fmt: skip
    bad = cli("sweep", "--surface", "bowl", "--schedule", "cosine", "--x", "lr:0.01:0.1:3", "--y", "beta1:0.5:0.9:2",
              "--output", str(tmp_path / "x.csv"), check_status=2)  # fmt: skip
    assert "invalid schedule 'cosine'" in bad.stderr and "needs T_max" in bad.stderr
    assert not (tmp_path / "x.csv").exists()


def test_run_model_trains_a_network_and_prints_every_parameter_or_its_place_on_a_plane(tmp_path):
    """`run --model`: each run's losses and all d parameters; with --project, its coordinates on one plane
    shared by every run and its distance off it; the same numbers as the core's training."""
    from adamgui.core.simulation import RunSpec
    from adamgui.core.slices import make_plane
    from adamgui.core.training import Training, make_task, parse_model

    args = ("run", "--model", "mlp:hidden=4,3", "--dataset", "moons:size=80,seed=2", "--steps", "12")
    args += ("--optimizer", "gd:lr=0.5", "--optimizer", "adam:lr=0.05")
    out = cli(*args, check_status=0).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    d = 2 * 4 + 4 + 4 * 3 + 3 + 3 + 1
    assert list(rows[0]) == ["run", "optimizer", "step", "train_loss", "test_loss"] + [f"theta_{i}" for i in range(d)]
    assert [r["run"] for r in rows] == ["gd"] * 13 + ["adam"] * 13
    task = make_task(parse_model("mlp:hidden=4,3"), "moons:size=80,seed=2")
    training = Training(task, [RunSpec("gd", {"lr": 0.5}), RunSpec("adam", {"lr": 0.05})])
    training.step(12)
    adam_last = [float(rows[-1][f"theta_{i}"]) for i in range(d)]
    np.testing.assert_array_equal(adam_last, training.path(1)[-1])
    assert float(rows[12]["train_loss"]) == training.losses(0)[-1]

    target = tmp_path / "plane.json"
    cli(*args, "--project", "random", "--plane-seed", "3", "--format", "json", "--output", str(target), check_status=0)
    data = json.loads(target.read_text())
    assert data["plane"] == {"kind": "random", "explained": None, "seed": 3, "center": "start"}
    assert data["model"]["parameters"] == d and [r["label"] for r in data["runs"]] == ["gd", "adam"]
    plane = make_plane("random", task.model, task.theta0, seed=3)
    for k, run in enumerate(data["runs"]):
        np.testing.assert_allclose(run["path"], plane.coordinates(training.path(k)), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(run["distance"], plane.distance(training.path(k)), rtol=1e-12, atol=1e-15)
        assert run["path"][0] == [0.0, 0.0] and run["distance"][0] == 0.0  # the plane passes through the start

    pca = json.loads(cli(*args, "--project", "pca", "--format", "json", check_status=0).stdout)
    assert pca["plane"]["kind"] == "pca" and 0.5 < sum(pca["plane"]["explained"]) <= 1 + 1e-12

    best = json.loads(cli(*args, "--project", "random", "--center", "best", "--format", "json", check_status=0).stdout)
    assert best["plane"]["center"] == "best"
    winner = int(np.argmin([run["train_loss"][-1] for run in best["runs"]]))
    assert best["runs"][winner]["path"][-1] == [0.0, 0.0] and best["runs"][winner]["distance"][-1] == 0.0


@pytest.mark.parametrize(
    "args, says",
    [
        (["--model", "mlp:hidden=64"], "Invalid hidden layer size: 64"),
        (["--model", "mlp", "--dataset", "spiral"], "did you mean 'spirals'"),
        (["--model", "mlp", "--surface", "bowl"], "--surface belongs to a loss surface"),
        (["--model", "mlp", "--optimizer", "newton"], "newton needs the exact Hessian"),
        (["--dataset", "moons"], "--dataset is for a network: give --model too"),
        (["--project", "pca"], "--project is for a network"),
        (["--model", "mlp", "--center", "best"], "--center places a plane: give --project random or --project pca"),
        (["--model", "mlp", "--project", "pca", "--center", "middle"], "invalid choice: 'middle'"),
    ],
)
def test_run_model_refuses_what_does_not_fit_with_a_sentence(args, says):
    proc = cli("run", *args, check_status=2)
    assert says in proc.stderr and "Traceback" not in proc.stderr


def test_map_progress_into_a_pipe_is_not_a_run_together_line(tmp_path):
    """Standard error is a pipe here: no carriage-return updates run together ("map: step 1 of 5map: step 2..."),
    only what is said (issue 34.18)."""
    out = tmp_path / "m.npy"
    proc = cli("map", "--surface", "bowl", "--optimizer", "gd", "--resolution", "8", "--steps", "5", "--output",
               str(out), check_status=0)  # fmt: skip
    assert "step 1 of" not in proc.stderr and "\r" not in proc.stderr
    assert out.exists()


def test_a_png_on_a_full_disk_is_one_sentence_and_nothing_else(tmp_path, capfd, monkeypatch):
    """A full disk (ENOSPC from the write) ends in the FileProblem's sentence; no writer object complains later
    when it is collected ("Exception ignored ... OSError: [Errno 28]"), and no partial file is left."""
    import errno
    import gc
    import os

    from adamgui.core import map_files, maps
    from adamgui.core.files import FileProblem
    from adamgui.core.simulation import RunSpec
    from adamgui.core.surfaces import get_surface

    result = maps.basin_map(get_surface("bowl"), RunSpec("gd"), 8, 5)

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    target = tmp_path / "basins.png"
    with pytest.raises(FileProblem, match="the disk is full"):
        map_files.save_basin(result, target)
    gc.collect()
    captured = capfd.readouterr()
    assert "Exception ignored" not in captured.err and "Traceback" not in captured.err
    assert list(tmp_path.iterdir()) == []


def test_render_without_a_display_draws_the_contour_view_not_a_note(tmp_path):
    """`render --lesson adam --output adam.gif` with no display (issue 34.5): there is no 3D view, so the picture
    is the contour view (the map's colours in every frame), said on standard error, not frames of a box saying
    the 3D view is unavailable."""
    import os

    import imageio.v3 as iio

    gif = tmp_path / "adam.gif"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "render", "--lesson", "adam", "--steps", "3", "--output", str(gif)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "no 3D view here" in proc.stderr and "rendering the contour view" in proc.stderr
    assert "This plugin does not support" not in proc.stderr  # (the offscreen platform's notices: no news)
    frames = iio.imread(gif, index=None)
    assert len(frames) == 4
    for frame in frames:
        rgb = frame[..., :3].astype(int)
        colourful = (rgb.max(axis=-1) - rgb.min(axis=-1)) > 60  # viridis, not grey text on a dark box
        assert colourful.mean() > 0.2


def _paths(out: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rows = list(csv.DictReader(io.StringIO(out)))
    runs: dict[str, list] = {}
    for r in rows:
        runs.setdefault(r["run"], []).append((float(r["x"]), float(r["y"]), float(r["loss"])))
    return {name: (np.array(v)[:, :2], np.array(v)[:, 2]) for name, v in runs.items()}


def test_the_edge_of_stability_is_reproduced_headless():
    """`run --preset edge-of-stability`, read as a script would: λ_max from the path's end, the loss's rises."""
    from adamgui.core.curvature import sharpness
    from adamgui.core.surfaces import get_surface

    runs = _paths(cli("run", "--preset", "edge-of-stability", check_status=0).stdout)
    surface = get_surface("quartic-product")
    path, loss = runs["GD α = 0.2"]
    lam = sharpness(surface, path)
    assert len(path) == 1001 and lam[0] < 0.1 and lam[2] > 10  # past 2/α = 10 by step 2
    assert int((np.diff(loss) > 0).sum()) == 136 and loss[-1] < 1e-12
    assert 0.99 < lam[-1] / 10 < 1  # settled just below the limit
    path, loss = runs["GD α = 0.1"]
    assert (sharpness(surface, path) < 20).all() and (np.diff(loss) <= 0).all()
    path, loss = _paths(cli("run", "--preset", "linear-neuron-edge", check_status=0).stdout)["GD α = 1.2"]
    assert loss[-500:].min() > 0.04  # α > 1: it settles at no minimum of ½(1 − xy)²
    path, loss = _paths(cli("run", "--preset", "cross-entropy-edge", check_status=0).stdout)["GD α = 1"]
    lam = sharpness(get_surface("cross-entropy-product"), path)
    assert lam[0] > 8 and loss[-1] < 1e-12 and 0.99 < lam[-1] / 2 < 1  # Gan's cross-entropy case settles at the edge


def test_adam_s_nonconvergence_is_reproduced_headless():
    """`run --preset adam-nonconvergence` (minibatches of one row in order, the box [−1, 1]², α/√t): Adam ends at
    +1, AMSGrad near −1, the best point; and --batch-order shuffled, --box are taken as the run is asked."""
    runs = _paths(cli("run", "--preset", "adam-nonconvergence", check_status=0).stdout)
    adam, _ = runs["Adam"]
    amsgrad, _ = runs["AMSGrad"]
    assert len(adam) == 20_201 and adam[-101:, 0].min() > 0.98 and amsgrad[-101:, 0].max() < -0.93
    assert np.abs(np.concatenate([adam, amsgrad])).max() <= 1.0  # never outside the feasible box
    spec = "adam:lr=0.5,beta1=0.9,beta2=0.99"
    free = _paths(
        cli("run", "--surface", "bowl", "--box=-1,1,-0.5,0.5", "--optimizer", "gd:lr=0.9", "--steps", "2",
            check_status=0).stdout
    )["gd"][0]  # fmt: skip
    np.testing.assert_allclose(free, [[-4, 3], [1, -0.5], [-0.8, 0.4]], rtol=1e-12)
    bad = cli("run", "--surface", "bowl", "--batch-order", "ordered", "--optimizer", spec, check_status=2)
    assert "need a model's loss" in bad.stderr and "Traceback" not in bad.stderr


def test_the_window_without_a_display_says_so_in_one_sentence():
    """`make run` (python main.py) on a machine with no display: one sentence and status 2, not Qt's abort and its
    page about platform plugins; commands that need no display still work there."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([sys.executable, str(ROOT / "main.py")], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=60)  # fmt: skip
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("adamgui: error: there is no display to open the window on")
    listed = subprocess.run([sys.executable, str(ROOT / "main.py"), "list"], capture_output=True, text=True, cwd=ROOT,
                            env=env, timeout=60)  # fmt: skip
    assert listed.returncode == 0 and "Surfaces:" in listed.stdout
