"""The app as a process: it starts without OpenGL, and ends with status 0 when told to."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

NO_GL_SCRIPT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
from adamgui.gui.main_window import MainWindow
w = MainWindow(); w.show()
w.controller.step_once()
note = w.findChild(QLabel, "surfaceUnavailable")
print("NOTE:", note.text().splitlines()[0] if note else None)
print("STEP:", w.controller.step, w.run_table.rowCount())
print("SYMPY:", "sympy" in sys.modules)
QTimer.singleShot(100, w.close)
sys.exit(app.exec())
"""


def test_without_opengl_the_app_starts_and_explains_the_empty_3d_area():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", NO_GL_SCRIPT], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "NOTE: The 3D view is unavailable: The 'offscreen' display platform has no OpenGL." in proc.stdout
    assert "STEP: 1 2" in proc.stdout
    assert "SYMPY: False" in proc.stdout  # sympy is imported only when a formula is compiled
