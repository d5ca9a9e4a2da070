"""Can this display give us an OpenGL context? If not, say why in a sentence."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QGuiApplication, QOffscreenSurface, QOpenGLContext


@cache
def opengl_problem() -> str | None:
    """None when an OpenGL context can be created and made current, else the reason."""
    platform = QGuiApplication.platformName()
    if platform in ("offscreen", "minimal"):
        return f"The '{platform}' display platform has no OpenGL."
    try:
        import OpenGL.GL  # noqa: F401
    except Exception as e:  # PyOpenGL missing or no libGL
        return f"PyOpenGL could not load the system's OpenGL library ({e})."
    # the application's shared context (made at start-up, AA_ShareOpenGLContexts) answers without the
    # cost of another one (40 ms in software OpenGL); without it, a context of our own
    context = QOpenGLContext.globalShareContext()
    if context is None or not context.isValid():
        context = QOpenGLContext()
        if not context.create():
            return "No OpenGL context could be created on this display."
    surface = QOffscreenSurface()
    surface.setFormat(context.format())
    surface.create()
    if not context.makeCurrent(surface):
        return "An OpenGL context was created but could not be used."
    context.doneCurrent()
    return None
