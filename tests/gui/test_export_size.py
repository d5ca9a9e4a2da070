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
