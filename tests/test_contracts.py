"""The layer rules in pyproject.toml ([tool.importlinter]) hold, and they would catch a break."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    env = {"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_every_contract_is_kept():
    proc = lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "4 kept, 0 broken" in proc.stdout


def with_import(tmp_path, module: str, line: str) -> subprocess.CompletedProcess:
    """The contracts checked on a copy of the package where ``module`` gained the import ``line``."""
    shutil.copytree(ROOT / "adamgui", tmp_path / "adamgui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    source = tmp_path / "adamgui" / module
    source.write_text(source.read_text() + f"\n{line}  # noqa\n")
    return lint_imports(tmp_path)


def test_a_core_module_importing_qt_breaks_the_contract(tmp_path):
    proc = with_import(tmp_path, "core/geometry.py", "from PySide6.QtCore import QObject")
    assert proc.returncode != 0
    assert "The core imports neither Qt, pyqtgraph, OpenGL nor the window BROKEN" in proc.stdout
    assert "adamgui.core.geometry -> PySide6" in proc.stdout


def test_a_view_reaching_the_controller_breaks_the_contract(tmp_path):
    proc = with_import(tmp_path, "gui/contour_view.py", "from adamgui.gui.controller import Controller")
    assert "Views, docks and panels do not reach the controller or the main window BROKEN" in proc.stdout
