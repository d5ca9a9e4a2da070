"""The core and the headless commands never import Qt (checked in a fresh interpreter)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import sys, runpy
sys.argv = ["main.py", *{args!r}]
try:
    runpy.run_path("main.py", run_name="__main__")
except SystemExit:
    pass
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph", "OpenGL"))
print("QT:", qt, file=sys.stderr)
"""


def imported_qt(code):
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    line = [x for x in proc.stderr.splitlines() if x.startswith("QT:")]
    assert line, proc.stderr
    return line[-1]


def test_core_imports_no_qt():
    code = (
        "import sys, adamgui.core.optimizers, adamgui.core.surfaces, adamgui.core.simulation, adamgui.core.presets\n"
        "print('QT:', sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))), file=sys.stderr)"
    )
    assert imported_qt(code) == "QT: []"


def test_cli_run_and_list_import_no_qt():
    for args in (["run", "--steps", "3"], ["list"]):
        assert imported_qt(CHECK.format(args=args)) == "QT: []"
