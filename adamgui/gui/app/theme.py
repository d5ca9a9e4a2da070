"""Light and dark themes that work on every platform: the Fusion style with palettes of our own.

A plain X11 session has no platform theme, so asking Qt for a color scheme changes nothing
there; setting the style and palette ourselves does. "Follow the system" uses the scheme the
platform reports, and light where it reports none. Every text color keeps a contrast of at
least 4.5:1 against its background (WCAG AA), which a test computes from the palette.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")

R = QPalette.ColorRole
G = QPalette.ColorGroup

COLORS = {
    "light": {
        R.Window: "#efeff1",
        R.WindowText: "#1d1f24",
        R.Base: "#ffffff",
        R.AlternateBase: "#f4f4f6",
        R.Text: "#1d1f24",
        R.Button: "#e4e4e8",
        R.ButtonText: "#1d1f24",
        R.BrightText: "#ffffff",
        R.Highlight: "#2f6fb3",
        R.HighlightedText: "#ffffff",
        R.ToolTipBase: "#fdfdf2",
        R.ToolTipText: "#1d1f24",
        R.PlaceholderText: "#5f6269",
        R.Link: "#1f5ea8",
        R.Light: "#ffffff",
        R.Midlight: "#e9e9ec",
        R.Mid: "#b4b6bc",
        R.Dark: "#8d9097",
        R.Shadow: "#4a4c52",
    },
    "dark": {
        R.Window: "#25272d",
        R.WindowText: "#e6e7ea",
        R.Base: "#1b1d23",
        R.AlternateBase: "#2a2c33",
        R.Text: "#e6e7ea",
        R.Button: "#31343b",
        R.ButtonText: "#e6e7ea",
        R.BrightText: "#ffffff",
        R.Highlight: "#2b65ad",
        R.HighlightedText: "#ffffff",
        R.ToolTipBase: "#31343b",
        R.ToolTipText: "#e6e7ea",
        R.PlaceholderText: "#a3a6ad",
        R.Link: "#8cb8f0",
        R.Light: "#4a4d55",
        R.Midlight: "#3a3d44",
        R.Mid: "#2d2f35",
        R.Dark: "#18191d",
        R.Shadow: "#0b0b0d",
    },
}
DISABLED_TEXT = {"light": "#6b6e75", "dark": "#9a9da4"}
# Colors of our own text beside the palette's: notes (what to watch) and refusals.
NOTE_COLORS = {"light": "#4b4e55", "dark": "#b9bcc3"}
ERROR_COLORS = {"light": "#b3261e", "dark": "#ff8a80"}

# (text role, background role) pairs a user reads
TEXT_PAIRS = (
    (R.WindowText, R.Window),
    (R.Text, R.Base),
    (R.Text, R.AlternateBase),
    (R.ButtonText, R.Button),
    (R.HighlightedText, R.Highlight),
    (R.ToolTipText, R.ToolTipBase),
    (R.PlaceholderText, R.Base),
    (R.Link, R.Base),
)


def resolved(theme: str) -> str:
    """'light' or 'dark': what 'system' means here (light where the platform says nothing)."""
    if theme in ("light", "dark"):
        return theme
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def palette(name: str) -> QPalette:
    pal = QPalette()
    for role, color in COLORS[name].items():
        pal.setColor(role, QColor(color))
    for role in (R.WindowText, R.Text, R.ButtonText):
        pal.setColor(G.Disabled, role, QColor(DISABLED_TEXT[name]))
    return pal


def apply(theme: str) -> str:
    """Fusion style and the theme's palette on the whole application; returns 'light' or 'dark'."""
    name = resolved(theme)
    app = QApplication.instance()
    if app.style().name().lower() != "fusion":
        app.setStyle(QStyleFactory.create("Fusion"))
    app.setPalette(palette(name))
    return name


def luminance(color: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colors, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
