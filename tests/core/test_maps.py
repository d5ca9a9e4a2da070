"""Basin maps and sweeps: right answers on known surfaces, equal to single runs, cancellable."""

import numpy as np
import pytest

from adamgui.core.maps import LEFT, Cancelled, basin_map, log_or_linear, params_for, sweep
from adamgui.core.params import ParamError
from adamgui.core.run import CHUNK
from adamgui.core.simulation import Run, RunSpec
from adamgui.core.surfaces import get_surface


def test_on_the_bowl_every_start_reaches_the_one_minimum():
    m = basin_map(get_surface("bowl"), RunSpec("gd", {"lr": 0.1}), resolution=24, steps=200)
    assert (m.outcome == 0).all()
    assert (m.steps > 0).all()
    # starts further out take longer
    assert m.steps[0, 0] > m.steps[12, 12]


def test_himmelblaus_four_basins_hold_their_minima_neighbourhoods():
    surface = get_surface("himmelblau")
    m = basin_map(surface, RunSpec("gd", {"lr": 0.01}), resolution=60, steps=400)
    for k, (mx, my) in enumerate(surface.minima):
        i = np.argmin(np.abs(m.xs - mx))
        j = np.argmin(np.abs(m.ys - my))
        around = m.outcome[j - 2 : j + 3, i - 2 : i + 3]
        assert (around == k).all(), (k, around)
    assert set(np.unique(m.outcome)) >= {0, 1, 2, 3}


def test_a_diverging_or_escaping_start_is_marked():
    m = basin_map(get_surface("saddle"), RunSpec("gd", {"lr": 0.1}), resolution=8, steps=60)
    assert (m.outcome == LEFT).any()  # the saddle has no minimum: everything slides off


@pytest.mark.parametrize(
    ("name", "base", "x", "y"),
    [
        ("adam", {"lr": 0.01}, ("lr", 1e-3, 1e-1, True), ("beta1", 0.5, 0.95, False)),
        ("radam", {"lr": 0.01}, ("lr", 1e-4, 1e-2, True), ("beta2", 0.5, 0.999, False)),  # ρ_t per point
        ("adadelta", {}, ("lr", 0.1, 10, True), ("rho", 0.5, 0.99, False)),
        ("lion", {"lr": 0.01}, ("lr", 1e-3, 3e-2, True), ("weight_decay", 0.0, 0.5, False)),
        ("adabelief", {"lr": 0.01}, ("lr", 1e-3, 1e-1, True), ("eps", 1e-16, 1e-4, True)),
        (
            "schedulefree-adamw",
            {"lr": 0.01},
            ("lr", 1e-3, 1e-1, True),
            ("warmup_steps", 0, 30, False),
        ),  # α_max per point
    ],
)
def test_a_sweep_cell_equals_a_single_run_with_those_hyperparameters(name, base, x, y):
    surface = get_surface("rosenbrock")
    spec = RunSpec(name, base)
    xs, ys = log_or_linear(*x[1:3], 5, log=x[3]), log_or_linear(*y[1:3], 4, log=y[3])
    s = sweep(surface, (-1.2, 1.0), spec, x[0], xs, y[0], ys, steps=120)
    for i, j in [(0, 0), (2, 1), (4, 3)]:
        single = Run(RunSpec(name, params_for(spec.params, s, i, j)), surface, np.array([[-1.2, 1.0]]))
        for _ in range(120):
            single.step()
        if np.isfinite(s.loss[j, i]):
            assert s.loss[j, i] == single.loss[0]
        else:
            assert single.status[0] != 0  # diverged alike


@pytest.mark.parametrize("name", ["schedulefree-adamw", "radam", "lion"])
def test_a_batch_of_more_points_than_one_chunk_equals_its_points_run_alone(name):
    """Schedule-Free AdamW keeps per-point running numbers (α_max, Σw): each chunk must see its own."""
    surface = get_surface("himmelblau")
    spec = RunSpec(name, {"lr": 0.05})
    xs = np.linspace(*surface.x_range, 380)
    gx, gy = np.meshgrid(xs, xs)
    starts = np.column_stack([gx.ravel(), gy.ravel()])  # 144,400 points: two chunks, on two threads
    assert len(starts) > CHUNK
    batch = Run(spec, surface, starts, record=False)
    for _ in range(30):
        batch.step()
    for k in (0, 9_871, CHUNK - 1, CHUNK, len(starts) - 1):
        single = Run(spec, surface, starts[k : k + 1], record=False)
        for _ in range(30):
            single.step()
        np.testing.assert_allclose(batch.theta[k], single.theta[0], rtol=1e-13, atol=1e-15)


def test_a_sweep_refuses_bad_values_and_switches():
    surface, spec = get_surface("bowl"), RunSpec("adam")
    with pytest.raises(ParamError, match="Invalid lr"):
        sweep(surface, (1, 1), spec, "lr", np.array([-1.0, 0.1]), "beta1", np.array([0.9]))
    with pytest.raises(ParamError, match="switch"):
        sweep(surface, (1, 1), spec, "bias_correction", np.array([0.0, 1.0]), "lr", np.array([0.1]))
    with pytest.raises(ParamError, match="log scale"):
        log_or_linear(0, 1, 5, log=True)


def test_cancel_stops_the_work():
    calls = []

    def progress(done, total):
        calls.append(done)
        return len(calls) < 3

    with pytest.raises(Cancelled):
        basin_map(get_surface("bowl"), RunSpec("gd"), resolution=16, steps=1000, progress=progress)
    assert len(calls) == 3 and calls[-1] < 1000
