"""Pictures, animations and data out of the window: PNG of any view, GIF/MP4 of a scene, CSV/JSON.

An animation is rendered step by step from step 0, whatever the playback speed:
the same scene and steps give the same frames.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from adamgui.core.files import atomic_output, check_writable
from adamgui.core.geometry import in_sight
from adamgui.gui.app.pictures import ExportError, write_png
from adamgui.gui.widgets.colors import BACKGROUND

VIEWS = ("window", "surface", "contour", "plot")
# colors a GIF keeps exact besides the runs': arrows, start ring and minima, outlines, the background
MARK_COLORS = ("#ffffff", "#ffd54a", "#000000", "#101010", BACKGROUND)


def view_size(window, view: str) -> QSize:
    """The on-screen size of ``view``: an export's default keeps its aspect."""
    widget = {
        "window": window,
        "surface": window.surface_view,
        "contour": window.contour_view,
        "plot": window.plots.tabs.currentWidget(),
    }.get(view)
    if widget is None:
        raise ExportError(f"Unknown view {view!r} (allowed: {', '.join(VIEWS)})")
    return widget.size()


def grab(window, view: str, size: QSize | None = None) -> QImage:
    """An image of ``view`` ('window', 'surface', 'contour' or 'plot'), drawn at ``size`` if given.

    At another size than on screen, the view is laid out and drawn at that size (text and markers
    keep their size in pixels, nothing is stretched or cut): the window is resized for the moment;
    the 3D view is drawn off screen at that size; the contour map and a plot are drawn by a second
    view fed the same frame off screen.
    """
    own = view_size(window, view)
    if size is None or size == own:
        return _on_screen(window, view)
    if view == "window":
        before = window.size()
        window.resize(size)
        QApplication.processEvents()
        image = window_picture(window)
        window.resize(before)
        QApplication.processEvents()
    elif view == "surface":
        image = _gl(window).picture(size)  # drawn off screen at that size
    elif view == "contour":
        image = _contour_at(window, size)
    else:
        image = _plot_at(window, size)
    if image.size() != size:  # smaller than the view can be laid out: drawn at its least, then fitted
        image = _fit(image, size)
    return image.convertToFormat(QImage.Format.Format_RGB888)


def _gl(window):
    if window.surface_view.gl is None:
        raise ExportError(f"There is no 3D view to export: {window.surface_view.unavailable_reason}")
    return window.surface_view.gl


def _on_screen(window, view: str) -> QImage:
    if view == "surface":
        image = _gl(window).grabFramebuffer()
    elif view == "contour":
        image = window.contour_view.grab().toImage()
    elif view == "plot":
        image = window.plots.tabs.currentWidget().grab().toImage()
    else:
        image = window_picture(window)
    return image.convertToFormat(QImage.Format.Format_RGB888)


def window_picture(window) -> QImage:
    """The whole window as drawn, the 3D view included: it paints in a window of its own, which a
    widget grab leaves blank, so its framebuffer is painted in where its container sits. Controls an export
    or replay has made inactive (app/jobs.py) are drawn as they look in use, not greyed out."""
    with window.jobs.looking_enabled():
        image = window.grab().toImage()
    view = window.surface_view
    if view.gl is not None and view.isVisible():
        container = view.gl_container
        scale = image.width() / max(window.width(), 1)
        corner = container.mapTo(window, QPoint(0, 0))
        target = QRect(
            round(corner.x() * scale),
            round(corner.y() * scale),
            round(container.width() * scale),
            round(container.height() * scale),
        )
        painter = QPainter(image)
        painter.drawImage(target, view.gl.grabFramebuffer())
        painter.end()
    return image


def _offscreen_grab(widget, size: QSize, after_layout=None) -> QImage:
    """``widget`` shown off screen at ``size`` (so it is laid out there), grabbed, and closed."""
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    widget.resize(size)
    widget.show()
    QApplication.processEvents()
    if after_layout is not None:
        after_layout()
        QApplication.processEvents()
    image = widget.grab().toImage()
    widget.close()
    widget.deleteLater()
    return image


def _contour_at(window, size: QSize) -> QImage:
    """A second contour view, off screen, laid out at ``size`` and given the window's frame and range."""
    from adamgui.gui.views.contour_view import ContourView

    shown = window.contour_view
    frame = window.controller.frame()
    view = ContourView()
    view.apply_view(frame.view)  # (how the window shows it: the frame carries it)
    view.set_surface(frame.surface)
    view.set_runs(frame)
    shown_range = shown.getPlotItem().getViewBox().viewRange()
    (x0, x1), (y0, y1) = in_sight(shown_range, (frame.surface.x_range, frame.surface.y_range), shown.markers.getData())

    def place() -> None:
        view.getPlotItem().getViewBox().setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        view.on_frame(frame)

    return _offscreen_grab(view, size, place)


def _plot_at(window, size: QSize) -> QImage:
    """The shown plot, drawn by a second plots dock off screen, its plot laid out at ``size``."""
    from adamgui.gui.docks.plots import PlotsDock

    dock = PlotsDock()
    dock.log_scale.setChecked(window.plots.log_scale.isChecked())
    dock.tabs.setCurrentIndex(window.plots.tabs.currentIndex())
    dock.on_frame(window.controller.frame())
    plot = dock.tabs.currentWidget()
    plot.setParent(None)
    dock.deleteLater()
    return _offscreen_grab(plot, size)


def _fit(picture: QImage, size: QSize) -> QImage:
    """``picture`` scaled to fit ``size`` with its aspect kept, centred on the background."""
    image = QImage(size, QImage.Format.Format_RGB888)
    image.fill(QColor(BACKGROUND))
    scaled = picture.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    painter = QPainter(image)
    painter.drawImage((size.width() - scaled.width()) // 2, (size.height() - scaled.height()) // 2, scaled)
    painter.end()
    return image


def save_image(window, view: str, path: str | Path, size: QSize | None = None, banner: QImage | None = None) -> None:
    """A PNG of ``view`` as it is now (playing pauses first), ``banner`` (a lesson chapter's title and rule)
    above it if given; all or nothing (ExportError or FileProblem say why)."""
    window.controller.pause()
    image = grab(window, view, size)
    write_png(with_banner(banner, image) if banner is not None else image, path)


def to_array(image: QImage, even: bool = False) -> np.ndarray:
    """RGB pixels of an RGB888 image as an (h, w, 3) uint8 array; ``even``: cropped to even sides, as an
    MP4's H.264 needs (a GIF keeps every pixel)."""
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    pixels = data.reshape(h, image.bytesPerLine())[:, : 3 * w].reshape(h, w, 3)
    return pixels[: h - h % 2, : w - w % 2].copy() if even else pixels.copy()


def save_animation(
    window,
    path: str | Path,
    steps: int,
    view: str = "window",
    fps: int = 20,
    progress: Callable[[int, int], bool] | None = None,
    banner: QImage | None = None,
    size: QSize | None = None,
) -> int:
    """Render the scene from step 0 to ``steps`` into a GIF or MP4; returns the frames written.

    ``progress(done, total)`` is called after each frame; when it returns False the export stops and
    the partial file is removed. The window's own state (scene and step) is restored afterwards.
    ``banner`` (a lesson chapter's title and rule) is drawn above every frame. Each frame is drawn at
    ``size`` if given (as :func:`grab` does), else at the view's size on screen.
    """
    import imageio.v2 as imageio

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".gif", ".mp4"):
        raise ExportError(f"{path.name}: an animation is a .gif or an .mp4")
    check_writable(path)  # before the window replays anything (atomic_output says it again)
    window.controller.pause()
    written = 0
    try:
        with atomic_output(path) as partial:  # the file appears only when complete
            if suffix == ".gif":
                keep = [r.color for r in window.controller.scene.runs] + list(MARK_COLORS)
                from adamgui.gui.export.gif import GifWriter  # (Pillow: loaded when a GIF is made)

                writer = GifWriter(partial, fps, keep)
            else:
                writer = imageio.get_writer(
                    partial, fps=fps, codec="libx264", quality=7, macro_block_size=2, ffmpeg_log_level="quiet"
                )
            frames = window.controller.replay(steps)
            try:
                for k in frames:
                    QApplication.processEvents()
                    picture = grab(window, view, size)
                    framed = with_banner(banner, picture) if banner is not None else picture
                    writer.append_data(to_array(framed, even=suffix == ".mp4"))
                    written += 1
                    if progress is not None and progress(k + 1, steps + 1) is False:
                        raise _Cancelled
            finally:
                frames.close()  # the window's scene and step come back
                writer.close()
    except _Cancelled:
        return 0  # and no file
    return written


def with_banner(banner: QImage, picture: QImage) -> QImage:
    """``picture`` with ``banner`` above it, centred, on the background color; as wide as the wider."""
    width = max(banner.width(), picture.width())
    out = QImage(width, banner.height() + picture.height(), QImage.Format.Format_RGB888)
    out.fill(QColor(BACKGROUND))
    painter = QPainter(out)
    painter.drawImage((width - banner.width()) // 2, 0, banner)
    painter.drawImage((width - picture.width()) // 2, banner.height(), picture)
    painter.end()
    return out


class _Cancelled(Exception):
    """The user cancelled an export: the partial file goes."""


def save_data(window, path: str | Path) -> None:
    """The trajectories up to the current step, as CSV or JSON (the format of ``main.py run``), all or nothing."""
    from adamgui.core.trajectories import write_csv, write_json

    path = Path(path)
    write = {".json": write_json, ".csv": write_csv}.get(path.suffix.lower())
    if write is None:
        raise ExportError(f"{path.name}: data is exported as .csv or .json")
    window.controller.pause()  # the steps computed so far, as the table shows them
    with atomic_output(path) as partial:
        with open(partial, "w", encoding="utf-8", newline="") as f:
            write(window.controller.sim, f)  # read only; written in chunks, never one big string
