"""Pictures, animations and data out of the window: PNG of any view, GIF/MP4 of a scene, CSV/JSON.

An animation is rendered step by step from step 0, whatever the playback speed:
the same scene and steps give the same frames.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

VIEWS = ("window", "surface", "contour", "plot")


class ExportError(ValueError):
    """An export that cannot be made; the message says why."""


def grab(window, view: str, size: QSize | None = None) -> QImage:
    """An image of ``view`` ('window', 'surface', 'contour' or 'plot'), scaled to ``size`` if given."""
    if view == "surface":
        if window.surface_view.gl is None:
            raise ExportError(f"There is no 3D view to export: {window.surface_view.unavailable_reason}")
        image = window.surface_view.gl.grabFramebuffer()
    elif view == "contour":
        image = window.contour_view.grab().toImage()
    elif view == "plot":
        image = window.plots.tabs.currentWidget().grab().toImage()
    elif view == "window":
        image = window.grab().toImage()
    else:
        raise ExportError(f"Unknown view {view!r} (allowed: {', '.join(VIEWS)})")
    if size is not None and size != image.size():
        image = image.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
    return image.convertToFormat(QImage.Format.Format_RGB888)


def save_image(window, view: str, path: str | Path, size: QSize | None = None) -> None:
    image = grab(window, view, size)
    if not image.save(str(path), "PNG"):
        raise ExportError(f"Could not write {path}")


def to_array(image: QImage) -> np.ndarray:
    """RGB pixels of an RGB888 image as an (h, w, 3) uint8 array, cropped to even sides (for video)."""
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    pixels = data.reshape(h, image.bytesPerLine())[:, : 3 * w].reshape(h, w, 3)
    return pixels[: h - h % 2, : w - w % 2].copy()


def save_animation(
    window,
    path: str | Path,
    steps: int,
    view: str = "window",
    fps: int = 20,
    progress: Callable[[int, int], bool] | None = None,
) -> int:
    """Render the scene from step 0 to ``steps`` into a GIF or MP4; returns the frames written.

    ``progress(done, total)`` is called after each frame; when it returns False the export stops and
    the partial file is removed. The window's own state (scene and step) is restored afterwards.
    """
    import imageio.v2 as imageio

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".gif", ".mp4"):
        raise ExportError(f"{path.name}: an animation is a .gif or an .mp4")
    if suffix == ".gif":
        writer = imageio.get_writer(path, mode="I", duration=1000 / fps, loop=0)
    else:
        writer = imageio.get_writer(path, fps=fps, codec="libx264", quality=7, macro_block_size=2)
    written = 0
    cancelled = False
    frames = window.controller.replay(steps)
    try:
        for k in frames:
            QApplication.processEvents()
            writer.append_data(to_array(grab(window, view)))
            written += 1
            if progress is not None and progress(k + 1, steps + 1) is False:
                cancelled = True
                break
    finally:
        frames.close()  # the window's scene and step come back
        writer.close()
    if cancelled:
        path.unlink(missing_ok=True)
    return 0 if cancelled else written


def save_data(window, path: str | Path) -> None:
    """The trajectories up to the current step, as CSV or JSON (the format of ``main.py run``)."""
    from adamgui.core.trajectories import to_csv, to_json

    path = Path(path)
    sim = window.controller.sim  # read only
    if path.suffix.lower() == ".json":
        text = to_json(sim)
    elif path.suffix.lower() == ".csv":
        text = to_csv(sim)
    else:
        raise ExportError(f"{path.name}: data is exported as .csv or .json")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise ExportError(f"Could not write {path.name}: {e.strerror}") from None
