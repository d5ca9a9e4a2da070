"""Scenes exported as Jupyter notebooks: each runs under nbclient and prints the final positions the app computes,
for a preset, a typed formula, a model's loss with minibatches and a lesson chapter; and the command that writes
them refuses what it cannot use."""

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

import adamgui
from adamgui.core.notebook import notebook_text

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path):
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    nbclient.NotebookClient(book, timeout=180, kernel_name="python3").execute()
    return book


def printed_positions(book) -> dict[str, tuple[float, float]]:
    text = "".join(out.get("text", "") for cell in book.cells if cell.cell_type == "code" for out in cell.outputs)
    found = re.findall(r"^(.+): (\S+) (\S+)  \(", text, flags=re.M)
    return {label: (float(x), float(y)) for label, x, y in found}


def scenes():
    formula = adamgui.make_scene(formula="sin(x)*cos(y) + 0.1*(x^2 + y^2)", optimizers=["adam:lr=0.1", "nesterov"])
    batches = replace(adamgui.preset("ravine"), surface="linear-regression", start=(-1.0, 1.5), batch_size=40)
    return {
        "preset": (adamgui.preset("seed-notebook"), 50),
        "formula": (formula, 120),
        "model with minibatches": (batches, 150),
        "chapter": (adamgui.chapter("edge-of-stability"), 1000),
    }


@pytest.mark.parametrize("name", ["preset", "formula", "model with minibatches", "chapter"])
def test_an_exported_notebook_runs_and_prints_the_apps_final_positions(name, tmp_path):
    scene, steps = scenes()[name]
    path = tmp_path / "scene.ipynb"
    path.write_text(notebook_text(scene, steps), encoding="utf-8")
    book = execute(path)
    assert printed_positions(book) == adamgui.run(scene, steps).final_positions()
    pictures = [out for cell in book.cells for out in cell.get("outputs", []) if "image/png" in out.get("data", {})]
    assert len(pictures) == 2  # the paths over the contours, and the losses
    if name == "chapter":
        assert "Cohen et al." in book.cells[0].source  # what the scene shows, in the chapter's words


def test_export_notebook_writes_one_and_refuses_what_it_cannot_use(tmp_path):
    session = tmp_path / "ravine.adamgui.json"
    adamgui.save_session(adamgui.preset("ravine"), session)

    def cli(*args):
        return subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "export-notebook", *args], capture_output=True, text=True, cwd=ROOT
        )

    out = tmp_path / "ravine.ipynb"
    done = cli(str(session), "-o", str(out), "--steps", "30")
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == notebook_text(adamgui.preset("ravine"), 30)
    for args, says in (
        ((str(tmp_path / "none.json"), "-o", str(out)), "there is no such file"),
        (("adamgui:1.x*", "-o", str(out)), "cannot open the link"),
        ((str(session), "-o", str(tmp_path / "x.txt")), "allowed: a .ipynb file"),
    ):
        refused = cli(*args)
        assert refused.returncode == 2 and says in refused.stderr and "Traceback" not in refused.stderr
