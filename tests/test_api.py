"""The library face (adamgui.api): its docstring examples run, it imports no Qt, and it gives the command line's
numbers to the byte."""

import doctest
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import adamgui
from adamgui import api
from adamgui.core.presets import PRESETS

ROOT = Path(__file__).resolve().parents[1]


def test_the_docstring_examples_run():
    failures, tried = doctest.testmod(api, optionflags=doctest.ELLIPSIS)
    assert tried >= 10 and failures == 0


def test_the_library_imports_no_qt():
    code = (
        "import sys, adamgui; adamgui.run(adamgui.preset('ravine'), 5); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph', 'OpenGL')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def _cli(*args) -> str:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "run", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_the_library_and_the_command_line_write_the_same_csv_and_json(name):
    scene = adamgui.preset(name)
    steps = min(PRESETS[name].steps, 300)
    result = adamgui.run(scene, steps)
    assert result.to_csv() == _cli("--preset", name, "--steps", str(steps))
    assert result.to_json() == _cli("--preset", name, "--steps", str(steps), "--format", "json")


def test_a_result_holds_each_runs_numbers():
    result = adamgui.run(adamgui.chapter("adam-nonconvergence"), 300)
    assert result.labels == ["Adam", "AMSGrad"]
    assert result.paths["Adam"].shape == (301, 2) and result.losses["Adam"].shape == (301,)
    np.testing.assert_allclose(result.learning_rates["AMSGrad"][:4], 0.5 / np.sqrt([1, 2, 3, 4]))  # α/√t
    assert result.statuses["Adam"] == "running"
    assert result.final_positions()["Adam"] == tuple(result.paths["Adam"][-1])


def test_bad_values_are_refused_with_a_sentence():
    from adamgui.core.params import ParamError

    with pytest.raises(ParamError, match="Unknown preset 'nope'"):
        adamgui.preset("nope")
    with pytest.raises(ParamError, match="lr"):
        adamgui.make_scene("bowl", ["adam:lr=-1"])
