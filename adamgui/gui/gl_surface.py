"""The 3D surface: a shaded mesh in the shared colormap, each run's trail lying on it."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pyqtgraph.opengl as gl
from OpenGL import GL

from adamgui.core.geometry import clip_path, fill_holes, grow_mask
from adamgui.core.scale import ValueScale
from adamgui.core.surfaces import Surface
from adamgui.gui.colors import rgba
from adamgui.gui.frame import Frame

MESH = 120
HEIGHT_RATIO = 0.45  # box height as a share of the domain's larger side
BACKGROUND = "#1b1d23"


def _trail_options():
    # Trails are drawn after the surface and without the depth test, so a hill never hides them.
    return {
        GL.GL_DEPTH_TEST: False,
        GL.GL_BLEND: True,
        GL.GL_CULL_FACE: False,
        "glBlendFunc": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA),
    }


class GLSurface(gl.GLViewWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("surfaceGL")
        self.setBackgroundColor(BACKGROUND)
        self.surface: Surface | None = None
        self.scale: ValueScale | None = None
        self.box_height = 1.0
        self.mesh = gl.GLSurfacePlotItem(shader="shaded", smooth=True, computeNormals=True, glOptions="translucent")
        self.addItem(self.mesh)
        self.grid = gl.GLGridItem(color=(255, 255, 255, 40))
        self.addItem(self.grid)
        self.labels = [gl.GLTextItem(color=(220, 220, 220, 255)) for _ in range(2)]
        for label in self.labels:
            self.addItem(label)
        self.minima = gl.GLScatterPlotItem(size=9, color=(1, 1, 1, 1), pxMode=True, glOptions=_trail_options())
        self.minima.setDepthValue(9)
        self.addItem(self.minima)
        self.trails: list[gl.GLLinePlotItem] = []
        self.markers: list[gl.GLScatterPlotItem] = []

    def set_surface(self, surface: Surface) -> None:
        self.surface = surface
        xs, ys, z = surface.grid(MESH)
        self.scale = ValueScale.fit(z)
        (x0, x1), (y0, y1) = surface.x_range, surface.y_range
        self.box_height = HEIGHT_RATIO * max(x1 - x0, y1 - y0)
        u = self.scale.normalize(z)
        colors = rgba(self.scale, z)
        colors[grow_mask(np.isnan(u)), 3] = 0.0  # a hole, and the cells leading into it, are see-through
        self.mesh.setData(x=xs, y=ys, z=fill_holes(u) * self.box_height, colors=colors)
        self.grid.resetTransform()
        self.grid.setSize(x1 - x0, y1 - y0)
        self.grid.setSpacing((x1 - x0) / 10, (y1 - y0) / 10)
        self.grid.translate((x0 + x1) / 2, (y0 + y1) / 2, 0)
        self.labels[0].setData(pos=(x1 + 0.04 * (x1 - x0), (y0 + y1) / 2, 0), text="x")
        self.labels[1].setData(pos=((x0 + x1) / 2, y1 + 0.04 * (y1 - y0), 0), text="y")
        minima = np.array(surface.minima, dtype=float).reshape(-1, 2)
        self.minima.setData(pos=self.lift(minima) if len(minima) else np.zeros((0, 3)))
        self.reset_camera()

    def reset_camera(self) -> None:
        if self.surface is None:
            return
        (x0, x1), (y0, y1) = self.surface.x_range, self.surface.y_range
        self.opts["center"] = pg.Vector((x0 + x1) / 2, (y0 + y1) / 2, self.box_height / 3)
        tall = max(1.0, self.height() / max(self.width(), 1))  # a narrow view needs the camera further back
        self.setCameraPosition(distance=1.25 * tall * max(x1 - x0, y1 - y0), elevation=30, azimuth=-60)

    def set_runs(self, frame: Frame) -> None:
        for item in self.trails + self.markers:
            self.removeItem(item)
        self.trails, self.markers = [], []
        options = _trail_options()
        for run in frame.runs:
            color = pg.mkColor(run.color).getRgbF()
            trail = gl.GLLinePlotItem(mode="lines", width=2.5, color=color, antialias=True, glOptions=options)
            marker = gl.GLScatterPlotItem(size=12, color=color, pxMode=True, glOptions=options)
            trail.setDepthValue(10)
            marker.setDepthValue(11)
            self.addItem(trail)
            self.addItem(marker)
            self.trails.append(trail)
            self.markers.append(marker)

    def lift(self, points: np.ndarray) -> np.ndarray:
        """(N, 2) points in the domain -> (N, 3) points just above the drawn surface."""
        with np.errstate(all="ignore"):
            z = self.surface.value(points)
        h = np.nan_to_num(self.scale.normalize(z), nan=0.0) * self.box_height
        return np.column_stack([points, h + 0.01 * self.box_height])

    def on_frame(self, frame: Frame) -> None:
        if self.surface is None:
            return
        if len(self.trails) != len(frame.runs):
            self.set_runs(frame)
        for run, trail, marker in zip(frame.runs, self.trails, self.markers, strict=True):
            trail.setVisible(run.visible)
            inside = self.surface.contains(run.position)
            marker.setVisible(bool(run.visible and inside))
            if not run.visible:
                continue
            segments = clip_path(run.path, self.surface.x_range, self.surface.y_range)
            trail.setData(pos=self.lift(segments) if len(segments) else np.zeros((0, 3)))
            if inside:
                marker.setData(pos=self.lift(run.path[-1:]))
