"""A GIF written frame by frame, each frame with a palette of its own that keeps chosen colors exact.

A GIF has at most 256 colors a frame. Left to a general quantizer, two near colors (a red and a
magenta trail) fall into one palette entry, and thin lines are dithered into noise. Here every
frame's palette starts with the colors that must stay exact (each run's, the arrows', the markers'),
the rest are the frame's own median-cut colors, and pixels take their nearest entry without
dithering. Frames are encoded and written as they come, so memory does not grow with their number.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
from PIL import GifImagePlugin, Image

MAX_KEPT = 64  # exact colors reserved in each frame's palette


def hex_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def paletted(rgb: np.ndarray, keep: Iterable[tuple[int, int, int]]) -> Image.Image:
    """``rgb`` (h, w, 3 uint8) as a 'P' image whose palette holds every color of ``keep`` exactly."""
    kept = list(dict.fromkeys(keep))[:MAX_KEPT]
    image = Image.fromarray(np.ascontiguousarray(rgb), "RGB")
    rest = image.quantize(colors=256 - len(kept), method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    others = rest.getpalette()[: 3 * (256 - len(kept))]
    flat = [v for c in kept for v in c] + others
    flat += [0] * (768 - len(flat))
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat)
    return image.quantize(palette=palette, dither=Image.Dither.NONE)


class GifWriter:
    """``append_data(rgb)`` for each frame, then ``close()``; the file is complete only after close."""

    def __init__(self, path: str | Path, fps: int, keep: Iterable[str] = ()):
        self.file = open(path, "wb")  # noqa: SIM115 (closed by close())
        self.duration = round(1000 / fps)
        self.keep = [hex_rgb(c) for c in keep]
        self.frames = 0

    def append_data(self, rgb: np.ndarray) -> None:
        image = paletted(rgb, self.keep)
        if self.frames == 0:
            header, _ = GifImagePlugin.getheader(image, info={"loop": 0, "duration": self.duration})
            for chunk in header:
                self.file.write(chunk)
        for chunk in GifImagePlugin.getdata(image, duration=self.duration, include_color_table=True):
            self.file.write(chunk)
        self.frames += 1

    def close(self) -> None:
        if not self.file.closed:
            if self.frames:
                self.file.write(b";")  # the GIF trailer
            self.file.close()
