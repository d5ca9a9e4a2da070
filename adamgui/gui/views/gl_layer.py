"""The 3D view's still picture, kept between frames: only what moves is drawn on each frame.

In software OpenGL (Mesa's llvmpipe, what a machine without a GPU has) the surface mesh is most of a
frame: 9 of 15 ms from update to swap for a 120 x 120 mesh in a 590 x 510 view. While the camera, the
view's size and the still items stay the same, that picture does not change, and a new step only moves
the trails and the markers. So the still items are drawn once into the window, copied into a
framebuffer object, and on later frames copied back (about 0.3 ms) before the live items are drawn on
top. The live items are drawn without the depth test (they lie on the surface, never behind it), so the
picture is the same as drawing everything, to the pixel.

A trail's settled part (what later frames keep of it) joins the kept picture too: the view hands the
segments it has not yet put there (:meth:`StillLayer.layer_delta`), they are drawn on the copied-back
picture and, every few frames, the result is copied into the kept one, so a frame draws only what is
new and the trail's tip, however long the trail. Whenever the still picture is drawn anew, every
settled segment is drawn with it.
"""

from __future__ import annotations

from OpenGL import GL
from PySide6.QtCore import QSize
from PySide6.QtOpenGL import QOpenGLFramebufferObject

# Copying the window into the kept picture costs about a millisecond in software OpenGL: newly settled
# segments are drawn on the copied-back picture each frame and kept with it once they are this many, or
# after this many frames (the picture is the same either way)
ABSORB_SEGMENTS = 1024
ABSORB_FRAMES = 15


class StillLayer:
    """Mixed in before pyqtgraph's ``GLViewMixin``: items marked live are drawn every frame, the rest
    kept. Whoever changes a still item (its data, size or color) calls :meth:`still_changed`; moving
    the camera, resizing, and adding, removing or hiding an item are noticed without it."""

    def init_still_layer(self) -> None:
        self._live: list = []  # drawn every frame, after the still picture, in depth order
        self._layer_items: list = []  # drawn into the kept picture as they grow (settled trails)
        self._unkept_frames = 0  # frames that drew settled segments without keeping them yet
        self._still_version = 0
        self._layer: QOpenGLFramebufferObject | None = None
        self._layer_key = None  # what the kept picture shows: camera, viewport, still items, version
        self._last_key = None  # what the frame before showed
        self._window_frame = False  # painting the window itself (not a picking pass or an off-screen render)
        self.still_draws = 0  # how many times the still items were drawn (for tests and the benchmark)
        self.keep_still = True  # False: draw everything on every frame, as pyqtgraph does

    def add_layer_item(self, item) -> None:
        """An item holding the settled segments :meth:`layer_delta` hands over: drawn into the kept picture."""
        self._layer_items.append(item)
        self.addItem(item)

    def layer_delta(self, full: bool) -> int:
        """Put into the layer items what the kept picture lacks (everything settled when ``full``), without
        asking for a repaint; how many segments that is. The view that owns the trails says."""
        return 0

    def layer_absorbed(self) -> None:
        """What :meth:`layer_delta` handed over is in the kept picture now."""

    def add_live_item(self, item) -> None:
        self._live.append(item)
        self.addItem(item)

    def still_changed(self) -> None:
        """A still item changed: draw them anew on the next frame."""
        self._still_version += 1
        self.update()

    def removeItem(self, item) -> None:  # noqa: N802 (pyqtgraph's name)
        if item in self._live:
            self._live.remove(item)
        super().removeItem(item)
        self._still_version += 1

    def addItem(self, item) -> None:  # noqa: N802 (pyqtgraph's name)
        super().addItem(item)
        self._still_version += 1

    def paintGL(self) -> None:  # noqa: N802 (Qt's name)
        self._window_frame = True
        try:
            super().paintGL()
        finally:
            self._window_frame = False

    def paint(self, *, region, viewport, useItemNames=False) -> None:  # noqa: N803 (pyqtgraph's names)
        if not (self.keep_still and self._window_frame) or useItemNames or tuple(region) != tuple(viewport):
            self._layer_key = None  # drawn into something else: the window's next frame starts afresh
            self.layer_delta(full=True)
            super().paint(region=region, viewport=viewport, useItemNames=useItemNames)
            return
        self.setProjection(region, viewport)
        self.setModelview()
        x, y, w, h = (int(v) for v in GL.glGetIntegerv(GL.GL_VIEWPORT))
        target = int(GL.glGetIntegerv(GL.GL_DRAW_FRAMEBUFFER_BINDING))
        still = [item for item in self.items if item not in self._live and item not in self._layer_items]
        key = (
            (x, y, w, h),
            tuple(self.currentProjection().data()),
            tuple(self.currentModelView().data()),
            tuple(self.opts["bgcolor"]),
            tuple((id(item), item.visible()) for item in still),
            self._still_version,
        )
        GL.glDisable(GL.GL_SCISSOR_TEST)  # a blit is clipped by the scissor box
        if key == self._layer_key and self._layer is not None:
            self._blit(self._layer.handle(), target, (0, 0, w, h), (x, y, w, h), then_bind=target)
            GL.glClear(GL.GL_DEPTH_BUFFER_BIT)
            waiting = self.layer_delta(full=False)
            if waiting:  # settled segments the kept picture lacks: drawn on it, and now and then kept with it
                self._draw_only(self._layer_items)
                self._unkept_frames += 1
                if waiting >= ABSORB_SEGMENTS or self._unkept_frames >= ABSORB_FRAMES:
                    self._blit(target, self._layer.handle(), (x, y, w, h), (0, 0, w, h), then_bind=target)
                    self.layer_absorbed()
                    self._unkept_frames = 0
        else:
            GL.glClearColor(*self.opts["bgcolor"])
            GL.glClear(GL.GL_DEPTH_BUFFER_BIT | GL.GL_COLOR_BUFFER_BIT)
            self._draw_only(still)
            self.layer_delta(full=True)
            self._draw_only(self._layer_items)
            self.still_draws += 1
            # Kept only once a second frame shows the same: the first frame after a resize is drawn right,
            # but Mesa's software driver may read the window back at its old size (seen when the window
            # was resized for an export: the kept picture had the surface in one corner). While the
            # camera turns, nothing is kept at all.
            if key == self._last_key:
                if self._layer is None or self._layer.size() != QSize(w, h):
                    self._layer = QOpenGLFramebufferObject(QSize(w, h))
                GL.glDisable(GL.GL_SCISSOR_TEST)  # (a QPainter-drawn item may have left it on)
                self._blit(target, self._layer.handle(), (x, y, w, h), (0, 0, w, h), then_bind=target)
                self._layer_key = key
                self.layer_absorbed()
        self._last_key = key
        self._draw_only(self._live)

    def _draw_only(self, items: list) -> None:
        """pyqtgraph's own drawing of the item tree, for these top-level items only."""
        every = self.items
        self.items = items
        try:
            self.drawItemTree()
        finally:
            self.items = every

    @staticmethod
    def _blit(source: int, dest: int, source_rect, dest_rect, then_bind: int) -> None:
        """Copy the colors of ``source_rect`` of framebuffer ``source`` to ``dest``; then bind ``then_bind``."""
        sx, sy, w, h = source_rect
        dx, dy, _, _ = dest_rect
        GL.glBindFramebuffer(GL.GL_READ_FRAMEBUFFER, source)
        GL.glBindFramebuffer(GL.GL_DRAW_FRAMEBUFFER, dest)
        GL.glBlitFramebuffer(sx, sy, sx + w, sy + h, dx, dy, dx + w, dy + h, GL.GL_COLOR_BUFFER_BIT, GL.GL_NEAREST)
        GL.glBindFramebuffer(GL.GL_FRAMEBUFFER, then_bind)
