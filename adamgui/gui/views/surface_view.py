"""The 3D view's place in the window: the GL surface, or a sentence saying why there is none."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from adamgui.core.surfaces import Surface
from adamgui.gui.frame import Frame
from adamgui.gui.views.gl_check import opengl_problem
from adamgui.gui.widgets.colors import BACKGROUND


class SurfaceView(QWidget):
    """Holds the GL view, or a sentence saying why there is none.

    With ``defer``, the GL view is made by :meth:`create_gl` (the window calls it once it has painted):
    loading OpenGL and drawing the first 3D frame take a third of a second, and the window is on the
    screen that much sooner. Until then the place says so, and what the view was given (the surface,
    the runs, the zoom) is kept and handed to it when it comes."""

    gl_ready = Signal()  # the GL view exists now (at once, or when a deferred one was made)

    def __init__(self, parent=None, defer: bool = False):
        super().__init__(parent)
        self.setObjectName("surfaceView")
        self.setMinimumSize(320, 260)
        self._stack = QStackedLayout(self)
        self.gl = None
        self.unavailable_reason: str | None = None
        self._given: dict = {}  # the newest surface, frame and zoom, for a GL view made later
        self._waiting: QLabel | None = None
        self._made = False
        if defer:
            self._waiting = self._note("Preparing the 3D view…")
            self.unavailable_reason = "it is still being prepared"
        else:
            self.create_gl()

    def _note(self, text: str) -> QLabel:
        note = QLabel(text, self)
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note.setStyleSheet(f"background: {BACKGROUND}; color: #c8c8c8; padding: 24px;")
        self._stack.addWidget(note)
        return note

    def create_gl(self) -> None:
        """Make the GL view (or the sentence why there is none), once; hand it what it was given meanwhile."""
        if self._made:
            return
        self._made = True
        problem = opengl_problem()
        if problem is None:
            from adamgui.gui.views.gl_surface import GLSurface  # PyOpenGL is loaded only when there is GL

            self.gl = GLSurface()
            self.gl_container = QWidget.createWindowContainer(self.gl, self)
            self.gl_container.setObjectName("surfaceContainer")
            self.gl_container.setMinimumSize(1, 1)
            self._stack.addWidget(self.gl_container)
            self._stack.setCurrentWidget(self.gl_container)
        else:
            note = self._note(
                f"The 3D view is unavailable: {problem}\n\nThe contour view and everything else work as usual."
            )
            note.setObjectName("surfaceUnavailable")
            self._stack.setCurrentWidget(note)
        if self._waiting is not None:
            self._stack.removeWidget(self._waiting)
            self._waiting.deleteLater()
            self._waiting = None
        self.unavailable_reason = problem
        if self.gl is not None:
            if "surface" in self._given:
                self.gl.set_surface(self._given["surface"])
            if "zoom" in self._given:
                self.gl.set_zoom(self._given["zoom"])
            if "frame" in self._given:
                self.gl.set_runs(self._given["frame"])
                self.gl.on_frame(self._given["frame"])
            self.gl_ready.emit()

    def set_surface(self, surface: Surface) -> None:
        self._given["surface"] = surface
        if self.gl is not None:
            self.gl.set_surface(surface)

    def set_runs(self, frame: Frame) -> None:
        self._given["frame"] = frame
        if self.gl is not None:
            self.gl.set_runs(frame)

    def on_frame(self, frame: Frame) -> None:
        self._given["frame"] = frame
        if self.gl is not None:
            self.gl.on_frame(frame)

    def reset_camera(self) -> None:
        if self.gl is not None:
            self.gl.reset_camera()

    def set_zoom(self, zoom: float) -> None:
        self._given["zoom"] = zoom
        if self.gl is not None:
            self.gl.set_zoom(zoom)

    def release(self) -> None:
        """Let go of the 3D window before the application ends (its GL context must not outlive Qt)."""
        if self.gl is not None:
            self.gl_container.setParent(None)
            self.gl_container.deleteLater()
            self.gl.deleteLater()
            self.gl = None
