"""Basin maps and sweeps: right answers on known surfaces, equal to single runs, cancellable."""

import numpy as np
import pytest

from adamgui.core.maps import LEFT, Cancelled, basin_map, log_or_linear, params_for, sweep
from adamgui.core.params import ParamError
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


def test_a_sweep_cell_equals_a_single_run_with_those_hyperparameters():
    surface = get_surface("rosenbrock")
    spec = RunSpec("adam", {"lr": 0.01})
    lrs = log_or_linear(1e-3, 1e-1, 5, log=True)
    betas = log_or_linear(0.5, 0.95, 4, log=False)
    s = sweep(surface, (-1.2, 1.0), spec, "lr", lrs, "beta1", betas, steps=120)
    for i, j in [(0, 0), (2, 1), (4, 3)]:
        single = Run(RunSpec("adam", params_for(spec.params, s, i, j)), surface, np.array([[-1.2, 1.0]]))
        for _ in range(120):
            single.step()
        assert s.loss[j, i] == single.loss[0]


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
