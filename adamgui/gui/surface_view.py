"""The 3D view's place in the window: the GL surface, or a sentence saying why there is none."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from adamgui.core.surfaces import Surface
from adamgui.gui.colors import BACKGROUND
from adamgui.gui.frame import Frame
from adamgui.gui.gl_check import opengl_problem


class SurfaceView(QWidget):
    """Holds the GL view, or a sentence saying why there is none."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("surfaceView")
        self.setMinimumSize(320, 260)
        layout = QStackedLayout(self)
        problem = opengl_problem()
        self.gl = None
        if problem is None:
            from adamgui.gui.gl_surface import GLSurface  # PyOpenGL is loaded only when there is GL

            self.gl = GLSurface()
            self.gl_container = QWidget.createWindowContainer(self.gl, self)
            self.gl_container.setObjectName("surfaceContainer")
            self.gl_container.setMinimumSize(1, 1)
            layout.addWidget(self.gl_container)
        else:
            note = QLabel(
                f"The 3D view is unavailable: {problem}\n\nThe contour view and everything else work as usual.", self
            )
            note.setObjectName("surfaceUnavailable")
            note.setWordWrap(True)
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            note.setStyleSheet(f"background: {BACKGROUND}; color: #c8c8c8; padding: 24px;")
            layout.addWidget(note)
        self.unavailable_reason = problem

    def set_surface(self, surface: Surface) -> None:
        if self.gl is not None:
            self.gl.set_surface(surface)

    def set_runs(self, frame: Frame) -> None:
        if self.gl is not None:
            self.gl.set_runs(frame)

    def on_frame(self, frame: Frame) -> None:
        if self.gl is not None:
            self.gl.on_frame(frame)

    def reset_camera(self) -> None:
        if self.gl is not None:
            self.gl.reset_camera()

    def set_zoom(self, zoom: float) -> None:
        if self.gl is not None:
            self.gl.set_zoom(zoom)

    def release(self) -> None:
        """Let go of the 3D window before the application ends (its GL context must not outlive Qt)."""
        if self.gl is not None:
            self.gl_container.setParent(None)
            self.gl_container.deleteLater()
            self.gl.deleteLater()
            self.gl = None
