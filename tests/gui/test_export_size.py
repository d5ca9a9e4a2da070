"""An animation keeps the size asked for: a GIF every pixel, an MP4 its even part (H.264 needs even sides)."""

import imageio.v3 as iio
from PySide6.QtCore import QSize

from adamgui.gui.export.save import save_animation


def test_a_gif_at_an_odd_size_keeps_it_and_an_mp4_drops_one_row_and_column(window, tmp_path):
    gif, mp4 = tmp_path / "odd.gif", tmp_path / "odd.mp4"
    assert save_animation(window, gif, 2, "contour", 10, size=QSize(301, 201)) == 3
    assert iio.imread(gif, index=None).shape[1:3] == (201, 301)
    assert save_animation(window, mp4, 2, "contour", 10, size=QSize(301, 201)) == 3
    assert iio.imread(mp4, index=None).shape[1:3] == (200, 300)


def test_a_picture_of_the_window_during_an_export_shows_its_controls_as_they_look_in_use(window, qtbot):
    """An export (a job) disables the window's controls, and Qt draws disabled ones greyed, the run's colour
    swatch too: a rendered lesson showed grey squares for gd and adam. Its picture shows them in colour; the
    controls stay disabled for input."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QLabel, QWidget

    from adamgui.gui.export.save import window_picture

    window.panel.show()
    window.panel.raise_()
    qtbot.waitUntil(lambda: window.panel.visibleRegion().isEmpty() is False, timeout=3000)
    box = window.panel.findChild(QWidget, "run0")
    swatch = next(
        label for label in box.findChildren(QLabel) if label.pixmap() is not None and not label.pixmap().isNull()
    )
    qtbot.waitUntil(lambda: not swatch.visibleRegion().isEmpty(), timeout=3000)
    color = QColor(window.controller.scene.runs[0].color)
    with window.jobs.job():
        assert not window.panel.isEnabled()
        image = window_picture(window)
        assert not window.panel.isEnabled()
    ratio = image.width() / window.width()
    center = swatch.mapTo(window, QPoint(6, swatch.height() // 2))  # (a 12 px square, left in its label)
    seen = image.pixelColor(round(center.x() * ratio), round(center.y() * ratio))
    assert (seen.red(), seen.green(), seen.blue()) == (color.red(), color.green(), color.blue())
