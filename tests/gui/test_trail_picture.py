"""The contour view keeps its trails as a picture and paints only what each frame adds: the picture is the
whole path's, within a pixel, and it is not drawn anew while the runs play."""

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QImage, QPainter

from adamgui.core.geometry import clip_polyline
from adamgui.core.presets import get_preset
from adamgui.core.scene import scene_from_preset


def _alpha(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    h, w = image.height(), image.width()
    return np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine() // 4, 4)[:, :w, 3].copy()


def _grown(mask: np.ndarray) -> np.ndarray:
    """``mask`` widened by one pixel in every direction (diagonals too)."""
    out = mask.copy()
    out[1:] |= mask[:-1]
    out[:-1] |= mask[1:]
    wide = out.copy()
    wide[:, 1:] |= out[:, :-1]
    wide[:, :-1] |= out[:, 1:]
    return wide


def _whole(item, trail) -> np.ndarray:
    """The alpha of ``trail``'s whole path drawn the plain way: one polyline through every recorded point."""
    image = QImage(item._image.size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(item._image.devicePixelRatio())
    image.fill(0)
    r = item._rect
    line = clip_polyline(trail.source, (r.left(), r.right()), (r.top(), r.bottom()))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setTransform(item.transform)
    painter.setPen(trail.opts["pen"])
    painter.drawPath(pg.arrayToQPath(line[:, 0], line[:, 1], connect="finite"))
    painter.end()
    return _alpha(image)


def test_the_kept_picture_of_a_long_noisy_trail_is_the_whole_path_within_a_pixel(window, qtbot):
    c = window.controller
    scene = scene_from_preset(get_preset("noisy-bowl"))
    c.load_scene(replace(scene, runs=scene.runs[:1], step_limit=10**6))  # one trail: its own picture
    view = window.contour_view
    item = view.trail_item
    for _ in range(12):  # played: each frame paints what it added
        c.sim.step(500)
        c.emit_frame()
        view.viewport().repaint()
    kept = _alpha(item._image)
    whole = _whole(item, view.trails[0])
    assert (kept > 128).sum() > 500  # a trail was drawn
    assert not ((kept > 128) & ~_grown(whole > 0)).any()  # nothing painted more than a pixel off the path
    assert not ((whole > 128) & ~_grown(kept > 0)).any()  # nothing of the path left out
    # drawn anew (a resize): of its segments, one of those sharing two pixels; still within a pixel
    redraws = item.redraws
    window.resize(window.width() - 40, window.height())
    qtbot.waitUntil(lambda: item.redraws > redraws, timeout=5000)
    kept, whole = _alpha(item._image), _whole(item, view.trails[0])
    assert not ((kept > 128) & ~_grown(whole > 0)).any()
    assert not ((whole > 128) & ~_grown(kept > 0)).any()


def test_playing_paints_only_what_is_new(window, qtbot):
    c = window.controller
    c.load_scene(replace(scene_from_preset(get_preset("noisy-bowl")), step_limit=10**6))
    view = window.contour_view
    view.viewport().repaint()
    redraws = view.trail_item.redraws
    for _ in range(30):
        c.sim.step(160)
        c.emit_frame()
        view.viewport().repaint()
    assert view.trail_item.redraws == redraws  # the picture was kept: each frame added its segments
    assert all(view.trail_item.painted[id(t)] == c.sim.t + 1 for t in view.trails)  # every step is in it
    c.scrub(100)  # an earlier step: drawn anew, up to it
    view.viewport().repaint()
    assert view.trail_item.redraws == redraws + 1
    assert all(view.trail_item.painted[id(t)] == 101 for t in view.trails)
