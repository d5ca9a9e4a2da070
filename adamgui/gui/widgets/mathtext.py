"""LaTeX mathematics typeset in the app: ziamath lays it out as SVG (no TeX system needed), Qt's SVG
renderer draws it. Pictures are cached by formula, color, size and pixel ratio."""

from __future__ import annotations

import functools

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QFont, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

# Fonts whose hats (U+0302 after a letter: m̂, v̂) sit on their letter. DejaVu Sans, many Linux desktops'
# default, draws them a line higher ("m̂ₜ = m̂ₜ / …" read "mₜ = mₜ / …", the hats on the line above); its serif
# and mono sisters, and the usual serifs elsewhere, place them right.
SYMBOL_FAMILIES = ("DejaVu Serif", "Noto Serif", "Cambria Math", "Times New Roman", "Liberation Serif", "serif")


def symbol_font() -> QFont:
    """A font that sets only its family (one that draws combining hats over their letter): its size is the
    widget's, and follows the window's zoom."""
    font = QFont()
    font.setFamilies(list(SYMBOL_FAMILIES))
    return font


class MathError(ValueError):
    """A formula the typesetter cannot lay out; the message says which."""


@functools.lru_cache(maxsize=128)
def latex_image(tex: str, color: str = "#1a1a1a", size: float = 18.0, ratio: float = 1.0) -> QImage:
    """``tex`` typeset at ``size`` points in ``color``, on a transparent image of ``ratio`` pixels per point."""
    try:
        import ziamath  # loaded on first use: the window opens without it
    except Exception as e:  # a broken install (a missing data file): the rule is shown as text instead
        raise MathError(f"The math typesetter is not available ({e})") from None
    ziamath.config.svg2 = False  # glyphs as plain paths: Qt's renderer (SVG Tiny 1.2) has no symbol references

    try:
        svg = ziamath.Latex(tex, size=size, color=color).svg()
    except Exception as e:  # ziamath raises several kinds for a formula it cannot read
        raise MathError(f"Cannot typeset {tex!r}: {e}") from None
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        raise MathError(f"Cannot typeset {tex!r}: the SVG is not valid")
    box = renderer.defaultSize()
    image = QImage(max(1, round(box.width() * ratio)), max(1, round(box.height() * ratio)), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, image.width(), image.height()))
    painter.end()
    image.setDevicePixelRatio(ratio)
    return image


def stacked(lines: tuple[str, ...], color: str, size: float, ratio: float, gap: float = 8.0) -> QImage:
    """Several typeset lines, one under the other, left-aligned."""
    images = [latex_image(line, color, size, ratio) for line in lines]
    width = max(i.width() for i in images)
    height = sum(i.height() for i in images) + round(gap * ratio) * (len(images) - 1)
    out = QImage(width, height, QImage.Format.Format_ARGB32)
    out.fill(Qt.GlobalColor.transparent)
    painter = QPainter(out)
    y = 0
    for image in images:
        image = QImage(image)
        image.setDevicePixelRatio(1.0)  # placed in device pixels
        painter.drawImage(0, y, image)
        y += image.height() + round(gap * ratio)
    painter.end()
    out.setDevicePixelRatio(ratio)
    return out
