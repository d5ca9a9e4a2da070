"""The 3D surface: a shaded mesh in the shared colormap, each run's trail lying on it."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
import pyqtgraph.opengl as gl
from OpenGL import GL
from pyqtgraph.opengl.GLViewWidget import GLViewMixin
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QFont, QImage, QMatrix4x4, QPainter, QSurfaceFormat, QVector3D
from PySide6.QtOpenGL import QOpenGLFramebufferObject, QOpenGLWindow

from adamgui.core.geometry import Settled, TrailSegments, fill_holes, grow_mask
from adamgui.core.scale import ValueScale
from adamgui.core.surfaces import Surface, box_outline
from adamgui.gui.frame import Frame
from adamgui.gui.views.gl_layer import StillLayer
from adamgui.gui.widgets.colors import BACKGROUND, rgba

MESH = 120
LABEL_PT = 16  # the axis names' size (GLTextItem's own), times the window's zoom
HEIGHT_RATIO = 0.45  # box height as a share of the domain's larger side


class HeightFieldMesh(gl.MeshData):
    """A grid height field as a triangle mesh, its vertex normals taken from the field's gradient at once.

    (pyqtgraph's MeshData finds smooth normals vertex by vertex in Python: 0.15 s for a 120 x 120
    grid, a sixth of the app's start-up. Two triangles per cell, in GLSurfacePlotItem's order.)
    """

    def __init__(self, xs: np.ndarray, ys: np.ndarray, heights: np.ndarray, colors: np.ndarray):
        nx, ny = heights.shape
        gx, gy = np.meshgrid(xs, ys, indexing="ij")
        vertexes = np.column_stack([gx.ravel(), gy.ravel(), heights.ravel()]).astype(np.float32)
        k = (np.arange(nx - 1)[:, None] * ny + np.arange(ny - 1)[None, :]).ravel()
        faces = np.concatenate([np.column_stack([k, k + 1, k + ny]), np.column_stack([k + ny, k + 1, k + ny + 1])])
        super().__init__(vertexes=vertexes, faces=faces.astype(np.uint32), vertexColors=colors.reshape(-1, 4))
        slope_x = np.gradient(heights, xs, axis=0)
        slope_y = np.gradient(heights, ys, axis=1)
        # pointing down, as the cross product of this winding gives: the 'shaded' shader expects it
        normals = np.stack([slope_x, slope_y, -np.ones_like(heights)], axis=-1)
        normals /= np.linalg.norm(normals, axis=-1, keepdims=True)
        self._normals = normals.reshape(-1, 3).astype(np.float32)

    def vertexNormals(self, indexed=None):  # noqa: N802 (pyqtgraph's name)
        if indexed is None:
            return self._normals
        if indexed == "faces":
            return self._normals[self.faces()]
        raise ValueError("indexed must be None or 'faces'")


def _trail_options():
    # Trails are drawn after the surface and without the depth test, so a hill never hides them.
    return {
        GL.GL_DEPTH_TEST: False,
        GL.GL_BLEND: True,
        GL.GL_CULL_FACE: False,
        "glBlendFunc": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA),
    }


class GLSurface(StillLayer, GLViewMixin, QOpenGLWindow):
    """The 3D view in a window of its own (placed in the main window with a window container).

    A QOpenGLWidget is composed with the whole main window through OpenGL on every repaint of any
    widget in it (a label, the table); a QOpenGLWindow paints on its own, only when the 3D view
    changed. pyqtgraph's GLViewMixin is the same view as its GLViewWidget, for this route. The surface,
    grid, labels and minima are kept as a still picture between frames (:class:`StillLayer`); the
    trails and markers are drawn on it each frame.
    """

    def __init__(self, parent=None):
        super().__init__()
        self.init_still_layer()
        surface_format = QSurfaceFormat.defaultFormat()
        surface_format.setDepthBufferSize(24)  # a window's default has none: hills would show through
        self.setFormat(surface_format)
        self.setObjectName("surfaceGL")
        self.setBackgroundColor(BACKGROUND)
        self.surface: Surface | None = None
        self.scale: ValueScale | None = None
        self.box_height = 1.0
        self.zoom = 1.0
        self.camera_moved = False  # Reset camera and every resize frame the domain until the user moves it
        self.mesh = gl.GLMeshItem(shader="shaded", smooth=True, glOptions="translucent")
        self.addItem(self.mesh)
        self.grid = gl.GLGridItem(color=(255, 255, 255, 40))
        self.addItem(self.grid)
        label_font = QFont("Helvetica")
        label_font.setPointSizeF(LABEL_PT)
        self.labels = [gl.GLTextItem(color=(220, 220, 220, 255), font=label_font) for _ in range(2)]
        for label in self.labels:
            self.addItem(label)
        self.minima = gl.GLScatterPlotItem(size=9, color=(1, 1, 1, 1), pxMode=True, glOptions=_trail_options())
        self.minima.setDepthValue(9)
        self.addItem(self.minima)
        # the feasible box of a projected method: its walls drawn on the sheet, dashed white in the contour view
        self.feasible = gl.GLLinePlotItem(mode="line_strip", width=2.0, color=(1, 1, 1, 0.9), antialias=True)
        self.feasible.setDepthValue(8)
        self.addItem(self.feasible)
        self._drawn: list = []
        # every run's trail in one line item and every marker in one scatter item, colored per vertex
        options = _trail_options()
        # a trail's settled segments join the kept picture (StillLayer); its tip is drawn every frame
        self.settled_lines = gl.GLLinePlotItem(mode="lines", width=2.5, antialias=True, glOptions=options)
        self.trail_lines = gl.GLLinePlotItem(mode="lines", width=2.5, antialias=True, glOptions=options)
        self.marker_dots = gl.GLScatterPlotItem(size=12, pxMode=True, glOptions=options)
        self.settled_lines.setDepthValue(10)
        self.trail_lines.setDepthValue(10)
        self.marker_dots.setDepthValue(11)
        self.add_layer_item(self.settled_lines)
        self.add_live_item(self.trail_lines)
        self.add_live_item(self.marker_dots)
        self._colors: tuple = ()  # per run: its color, as the frame gives it
        self._rgba = np.zeros((0, 4), dtype=np.float32)  # per run: its color as RGBA floats, one row a run
        # per run, its drawn trail lifted onto the surface as segment ends: the settled part (None: hidden) and
        # the tip (None: hidden or not drawn yet)
        self.segments: TrailSegments | None = None  # each drawn trail lifted and cut into segments, kept as it grows
        self._bodies: list[Settled | None] = []
        self._tips: list = []
        self._absorbed: list = []  # per run: (its settled part, how many of its segments the kept picture has)
        self._delta: list = []  # per run: what layer_delta handed over, the same way
        self._markers: list = []  # per run: its marker's 3D position (None: hidden or off the map)

    def set_surface(self, surface: Surface) -> None:
        self.surface = surface
        self._drawn = [None] * len(self._rgba)  # heights changed: every trail is lifted anew
        self._bodies = [None] * len(self._rgba)
        self.segments = TrailSegments(self.lift)
        xs, ys, z = surface.grid(MESH)
        self.scale = ValueScale.fit(z)
        (x0, x1), (y0, y1) = surface.x_range, surface.y_range
        self.box_height = HEIGHT_RATIO * max(x1 - x0, y1 - y0)
        u = self.scale.normalize(z)
        colors = rgba(self.scale, z)
        colors[grow_mask(np.isnan(u)), 3] = 0.0  # a hole, and the cells leading into it, are see-through
        self.mesh.setMeshData(meshdata=HeightFieldMesh(xs, ys, fill_holes(u) * self.box_height, colors))
        self.grid.resetTransform()
        # spacing first: sized first, the grid would draw one line per *old* spacing step (millions)
        self.grid.setSpacing((x1 - x0) / 10, (y1 - y0) / 10)
        self.grid.setSize(x1 - x0, y1 - y0)
        self.grid.translate((x0 + x1) / 2, (y0 + y1) / 2, 0)
        self.labels[0].setData(pos=(x1 + 0.04 * (x1 - x0), (y0 + y1) / 2, 0), text=surface.axes[0])
        self.labels[1].setData(pos=((x0 + x1) / 2, y1 + 0.04 * (y1 - y0), 0), text=surface.axes[1])
        minima = np.array(surface.minima, dtype=float).reshape(-1, 2)
        self.minima.setData(pos=self.lift(minima) if len(minima) else np.zeros((0, 3)))
        outline = box_outline(surface) if surface.box else np.zeros((0, 2))
        self.feasible.setData(pos=self.lift(outline) if len(outline) else np.zeros((0, 3)))
        self.feasible.setVisible(surface.box is not None)
        self.still_changed()
        self.reset_camera()

    def reset_camera(self) -> None:
        if self.surface is None or self.width() < 2 or self.height() < 2:
            return  # not laid out yet: the first resize frames it
        self.frame_camera(self.width(), self.height())
        self.camera_moved = False

    def frame_camera(self, width: int, height: int) -> None:
        """Point the camera so that the whole box fits a picture of this shape."""
        (x0, x1), (y0, y1) = self.surface.x_range, self.surface.y_range
        # The whole box (domain x heights) fits: each corner, seen from the camera's direction, must lie
        # within the field of view (pyqtgraph's fov is the horizontal one; the vertical follows the aspect).
        elevation, azimuth = math.radians(30), math.radians(-60)
        h = self.box_height
        self.opts["center"] = pg.Vector((x0 + x1) / 2, (y0 + y1) / 2, h / 2)
        corners = np.array([(x, y, z) for x in (x0, x1) for y in (y0, y1) for z in (0.0, h)])
        corners -= [(x0 + x1) / 2, (y0 + y1) / 2, h / 2]
        ce, se, ca, sa = math.cos(elevation), math.sin(elevation), math.cos(azimuth), math.sin(azimuth)
        toward = corners @ np.array([ce * ca, ce * sa, se])
        right = np.abs(corners @ np.array([-sa, ca, 0.0]))
        up = np.abs(corners @ np.array([-se * ca, -se * sa, ce]))
        tan_h = math.tan(math.radians(self.opts["fov"]) / 2)
        tan_v = tan_h * height / max(width, 1)
        distance = float(np.max(toward + np.maximum(right / tan_h, up / tan_v)))
        self.setCameraPosition(distance=1.06 * distance, elevation=30, azimuth=-60)

    def picture(self, size: QSize) -> QImage:
        """The view drawn off screen at ``size`` pixels, framed for that shape unless the user moved the
        camera. (Resizing the window itself for a moment does not work: embedded in the main window,
        it keeps its size until the next layout, and the export got the on-screen picture stretched.)"""
        w, h = size.width(), size.height()
        saved = dict(self.opts)
        shown = [label.visible() for label in self.labels]
        self.makeCurrent()
        try:
            if not self.camera_moved and self.surface is not None:
                self.frame_camera(w, h)
            target = QOpenGLFramebufferObject(QSize(w, h), QOpenGLFramebufferObject.Attachment.Depth)
            target.bind()
            GL.glViewport(0, 0, w, h)
            for label in self.labels:  # text is drawn with a QPainter on the window: put on the picture below
                label.setVisible(False)
            self.paint(region=(0, 0, w, h), viewport=(0, 0, w, h))
            image = target.toImage()
            target.release()
            painter = QPainter(image)
            painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
            to_pixels = QMatrix4x4()
            to_pixels.viewport(0, h, w, -h)  # as GLTextItem places its text, for this picture's size
            for label, visible in zip(self.labels, shown, strict=True):
                if visible and label.text:
                    at = (to_pixels * label.mvpMatrix()).map(QVector3D(*label.pos)).toPointF()
                    painter.setPen(label.color)
                    painter.setFont(label.font)
                    painter.drawText(label.align_text(at), label.text)
            painter.end()
        finally:
            for label, visible in zip(self.labels, shown, strict=True):
                label.setVisible(visible)
            self.opts.update(saved)
            self.doneCurrent()
            self.update()
        return image

    def devicePixelRatioF(self) -> float:  # noqa: N802 (the QWidget name GLViewMixin asks for)
        return self.devicePixelRatio()

    def rect(self) -> QRect:  # what GLTextItem asks of its view, a QWidget's
        return QRect(0, 0, self.width(), self.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if not self.camera_moved:  # the framing depends on the view's shape: keep it framed until the user moves
            self.reset_camera()

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.camera_moved = True
        super().mousePressEvent(event)

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.camera_moved = True
        super().wheelEvent(event)

    def set_zoom(self, zoom: float) -> None:
        """Thicker trails and bigger markers by ``zoom`` (1 = normal)."""
        self.zoom = zoom
        self.trail_lines.setData(width=2.5 * zoom)
        self.settled_lines.setData(width=2.5 * zoom)
        self.marker_dots.setData(size=12 * zoom)
        self.minima.setData(size=9 * zoom)
        font = QFont("Helvetica")  # the axis names grow with the window's zoom, as the 2-D views' axes do
        font.setPointSizeF(LABEL_PT * zoom)
        for label in self.labels:
            label.setData(font=font)
        self.still_changed()

    def set_runs(self, frame: Frame) -> None:
        n = len(frame.runs)
        self._colors = tuple(run.color for run in frame.runs)
        self._rgba = np.array([pg.mkColor(run.color).getRgbF() for run in frame.runs], dtype=np.float32).reshape(-1, 4)
        self._bodies, self._tips, self._markers, self._absorbed = [None] * n, [None] * n, [None] * n, [None] * n
        if self.segments is not None:
            self.segments = TrailSegments(self.lift)
        self._drawn = [None] * n  # per run: (run serial, visible, drawn trail) as last drawn
        self.still_changed()  # other trails: the kept picture's settled ones are drawn anew

    def marker_at(self, i: int) -> np.ndarray | None:
        """Where run ``i``'s marker is drawn (x, y, height), or None when it is not drawn."""
        return self._markers[i]

    def lift(self, points: np.ndarray) -> np.ndarray:
        """(N, 2) points in the domain -> (N, 3) points just above the drawn surface."""
        with np.errstate(all="ignore"):
            z = self.surface.value(points)
        h = np.nan_to_num(self.scale.normalize(z), nan=0.0) * self.box_height
        return np.column_stack([points, h + 0.01 * self.box_height])

    def on_frame(self, frame: Frame) -> None:
        """Move what changed. A trail is the frame's drawn trail (decimated and clipped to the domain)
        lifted onto the surface: its settled part (the rows later frames keep) is lifted and cut into
        segments once, as it grows, and kept; its tip (from the last settled row to the run's position)
        is lifted anew. Every trail's new rows are lifted together, in one call."""
        if self.surface is None:
            return
        if self._colors != tuple(run.color for run in frame.runs):
            self.set_runs(frame)
        plans = {}
        changed = False
        for i, run in enumerate(frame.runs):
            state = (run.serial, run.visible, run.drawn)  # the same drawn trail: nothing new to draw
            if state == self._drawn[i]:
                continue
            changed = True
            self._drawn[i] = state
            self._tips[i] = self._markers[i] = None
            if run.visible:
                plans[i] = run
            else:
                self._bodies[i] = None
                self.segments.forget(i)
        if not changed:
            return
        if plans:
            parts = self.segments.update([(i, run.serial, run.drawn) for i, run in plans.items()])
            positions = np.array([run.path[-1] for run in plans.values()])
            inside = self.surface.contains(positions)
            lifted_markers = self.lift(positions)
            for k, (i, (body, tip)) in enumerate(zip(plans, parts, strict=True)):
                self._bodies[i], self._tips[i] = body, tip
                self._markers[i] = lifted_markers[k] if inside[k] else None
        if any(
            absorbed is not None and absorbed[0] is not body
            for body, absorbed in zip(self._bodies, self._absorbed, strict=True)
        ):
            self.still_changed()  # a trail the kept picture holds was hidden, redrawn or cut back
        self._draw_all()

    def trail_of(self, i: int) -> np.ndarray | None:
        """Run ``i``'s drawn trail as segment ends (2k, 3), or None when it is hidden."""
        if self._bodies[i] is None or self._tips[i] is None:
            return None
        return np.concatenate([self._bodies[i].segments(), self._tips[i]])

    def layer_delta(self, full: bool) -> int:
        """The settled segments the kept picture lacks (all of them when ``full``), into the settled item."""
        pieces, colors, self._delta = [], [], [None] * len(self._bodies)
        for i, body in enumerate(self._bodies):
            if body is None:
                continue
            absorbed = self._absorbed[i]
            start = 0 if full or absorbed is None or absorbed[0] is not body else absorbed[1]
            if body.count > start:
                pieces.append(body.segments(start))
                colors.append(np.repeat(self._rgba[i : i + 1], len(pieces[-1]), axis=0))
            self._delta[i] = (body, body.count)
        if full:
            self._absorbed = [None] * len(self._bodies)
        item = self.settled_lines  # set without update(): this is asked for while a frame is painted
        item.pos = np.ascontiguousarray(np.concatenate(pieces) if pieces else np.zeros((0, 3)), dtype=np.float32)
        item.color = np.ascontiguousarray(np.concatenate(colors) if colors else np.zeros((0, 4)), dtype=np.float32)
        item.dirty_bits |= type(item.dirty_bits).POSITION | type(item.dirty_bits).COLOR
        return len(item.pos) // 2

    def layer_absorbed(self) -> None:
        self._absorbed = [
            delta if delta is not None else absorbed
            for delta, absorbed in zip(self._delta, self._absorbed, strict=True)
        ]

    def _draw_all(self) -> None:
        """The one line item and the one scatter item from every shown run's segments (each run's
        segments are cut from its line when the line changes, not every frame)."""
        tips = {i: tip for i, tip in enumerate(self._tips) if tip is not None}
        shown = [i for i, tip in tips.items() if len(tip)]
        if shown:
            pos = np.concatenate([tips[i] for i in shown])
            color = np.repeat(self._rgba[shown], [len(tips[i]) for i in shown], axis=0)
            self.trail_lines.setData(pos=pos, color=color)
        self.trail_lines.setVisible(bool(shown))
        dots = [i for i, m in enumerate(self._markers) if m is not None]
        if dots:
            self.marker_dots.setData(pos=np.array([self._markers[i] for i in dots]), color=self._rgba[dots])
        self.marker_dots.setVisible(bool(dots))
