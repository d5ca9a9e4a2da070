"""Shared test set-up: a display for Qt, and OpenGL tests that never pass silently."""

import os
import shutil
import tempfile

import pytest


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    # pytest-xvfb has started a virtual display by now if Xvfb is installed. Without any
    # display, Qt falls back to 'offscreen' (no OpenGL: GL tests skip, or fail under CI).
    if not os.environ.get("DISPLAY") and not shutil.which("Xvfb"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("ADAMGUI_SETTINGS", "none")
    os.environ.setdefault("ADAMGUI_DATA_DIR", tempfile.mkdtemp(prefix="adamgui-test-data-"))
    from adamgui.gui.app.qapplication import prepare_qt

    prepare_qt()  # before pytest-qt creates the QApplication


@pytest.fixture
def requires_gl(qapp):
    """Skip a test that needs OpenGL where there is none, with the reason; under CI, fail instead."""
    from adamgui.gui.views.gl_check import opengl_problem

    problem = opengl_problem()
    if problem is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"OpenGL is required under CI but unavailable: {problem}")
        pytest.skip(f"needs OpenGL: {problem}")
