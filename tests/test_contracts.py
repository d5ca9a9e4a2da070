"""The layer rules in pyproject.toml ([tool.importlinter]) hold, and they would catch a break."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    env = {"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_every_contract_is_kept():
    proc = lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "8 kept, 0 broken" in proc.stdout


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


def broken_contracts(stdout: str) -> str:
    """The names of the broken contracts in lint-imports' report (a long name wraps onto the next line)."""
    report = stdout.split("Contracts:")[0].replace("\n", " ")
    return " ".join(part.rsplit("KEPT", 1)[-1] for part in report.split("BROKEN")[:-1])


def test_a_view_reaching_the_controller_breaks_the_contract(tmp_path):
    proc = with_import(tmp_path, "gui/views/contour_view.py", "from adamgui.gui.controller import Controller")
    assert proc.returncode != 0 and "gui.views only listen" in broken_contracts(proc.stdout)
    assert "adamgui.gui.views.contour_view -> adamgui.gui.controller" in proc.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract", "chain"),
    [
        ("gui/docks/plots.py", "from adamgui.gui.views import trails", "gui.docks listen and ask by signals",
         "adamgui.gui.docks.plots -> adamgui.gui.views.trails"),
        ("gui/export/save.py", "from adamgui.gui import documents", "gui.export draws what the window shows",
         "adamgui.gui.export.save -> adamgui.gui.documents"),
        ("gui/app/jobs.py", "from adamgui.gui.docks import plots", "gui.app (application, settings, theme, jobs",
         "adamgui.gui.app.jobs -> adamgui.gui.docks.plots"),
        ("gui/widgets/numbers.py", "from adamgui.gui import frame", "gui.widgets import nothing else",
         "adamgui.gui.widgets.numbers -> adamgui.gui.frame"),
    ],
)  # fmt: skip
def test_each_subpackage_s_contract_catches_a_break(tmp_path, module, line, contract, chain):
    """One contract per subpackage of the window: an import across its wall breaks that contract, by name."""
    proc = with_import(tmp_path, module, line)
    assert proc.returncode != 0 and contract in broken_contracts(proc.stdout), proc.stdout
    assert chain in proc.stdout
