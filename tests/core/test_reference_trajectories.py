"""The newer optimizers against PyTorch's own numbers, stored as fixtures.

``tests/fixtures/torch_reference.json`` was written by ``tests/fixtures/make_reference.py`` in a
scratch environment with torch 2.14.1, pytorch-optimizer 4.1.0 and schedulefree 1.4.1 (the
command is in that file): RAdam and Adadelta from ``torch.optim``, Lion and AdaBelief from
``pytorch_optimizer``, Schedule-Free AdamW from the authors' reference implementation. (The
schedules' values from the same file are checked in test_schedules.py.)
"""

import numpy as np
import pytest

from adamgui.core.simulation import RunSpec, Simulation
from adamgui.core.surfaces import get_surface
from tests.fixtures import TORCH_REFERENCE

TRAJECTORIES = TORCH_REFERENCE["trajectories"]


def _case_id(case):
    return f"{case['optimizer']}-{case['surface']}-" + ",".join(f"{k}={v:g}" for k, v in case["hp"].items())


@pytest.mark.parametrize("case", TRAJECTORIES, ids=_case_id)
def test_forty_steps_agree_with_the_reference_implementation(case):
    surface = get_surface(case["surface"])
    sim = Simulation(surface, tuple(case["start"]), [RunSpec(case["optimizer"], case["hp"])])
    expected = np.array(case["path"])
    sim.step(len(expected) - 1)
    np.testing.assert_allclose(sim.runs[0].path(), expected, rtol=1e-9, atol=1e-12)


def test_every_new_optimizer_has_reference_cases_on_several_surfaces():
    for name in ("radam", "adadelta", "lion", "adabelief", "schedulefree-adamw"):
        surfaces = {c["surface"] for c in TRAJECTORIES if c["optimizer"] == name}
        assert len(surfaces) >= 3, name
    radam = [c for c in TRAJECTORIES if c["optimizer"] == "radam"]
    assert all(len(c["path"]) > 6 for c in radam)  # past step 5, where its adaptive step begins
