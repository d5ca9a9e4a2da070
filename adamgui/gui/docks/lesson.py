"""The Lesson panel: the chapters of the lesson, each with its typeset rule, the rule's live numbers,
what to watch, and "try this" buttons.

A view like the others: it shows frames and scenes, and asks for changes with signals
(``chapter_requested``, ``try_requested``) that the main window carries out.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from adamgui.core.lesson import CHAPTERS, KEYS, Chapter, chapter, number
from adamgui.core.step_detail import StepDetail
from adamgui.gui.frame import Frame, Throttle
from adamgui.gui.widgets.colors import BACKGROUND
from adamgui.gui.widgets.mathtext import MathError, latex_image, stacked, symbol_font
from adamgui.gui.widgets.numbers import fmt

RULE_SIZE = 15.0  # points of the typeset rule


def live_value(detail: StepDetail, source: str):
    """The value a chapter's symbol names, from the step's detail; None when the rule has no such term."""
    root = source.startswith("sqrt:")
    source = source.removeprefix("sqrt:")
    if source in ("grad", "theta_prev", "theta", "delta"):
        value = {"grad": detail.grad, "theta_prev": detail.theta_prev, "theta": detail.theta, "delta": detail.delta}[
            source
        ]
    elif source.startswith("term:"):
        value = detail.terms.get(source[5:])
    elif source.startswith("hp:"):
        value = detail.hp.get(source[3:])
    else:
        value = None
    if value is None:
        return None
    return np.sqrt(value) if root else value


def value_text(value) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, np.ndarray) and value.size == 2:
        return f"({fmt(value[0])}, {fmt(value[1])})"
    return fmt(float(value))


BANNER_MIN_WIDTH = 480  # pixels: a banner is never narrower, whatever the view under it


def banner(c: Chapter, width: int, text_color: str = "#e8e8e8", background: str = BACKGROUND) -> QImage:
    """The chapter's number, title and typeset rule on one strip ``width`` pixels wide (at least
    BANNER_MIN_WIDTH), for exports."""
    n = number(c.key)
    width = max(width, BANNER_MIN_WIDTH)
    rule = stacked(c.rule, text_color, RULE_SIZE * 1.2, 1.0)
    rule.setDevicePixelRatio(1.0)
    if rule.width() > width - 40:
        rule = rule.scaledToWidth(width - 40, Qt.TransformationMode.SmoothTransformation)
    font = QFont()
    font.setPointSizeF(16)
    font.setBold(True)
    title_height = QFontMetrics(font).height()
    image = QImage(width, 24 + title_height + 12 + rule.height() + 20, QImage.Format.Format_RGB888)
    image.fill(QColor(background))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setFont(font)
    painter.setPen(QColor(text_color))
    painter.drawText(20, 24 + QFontMetrics(font).ascent(), f"{n}. {c.title}")
    painter.drawImage(20, 24 + title_height + 12, rule)
    painter.end()
    return image


def _discard(widgets) -> None:
    """Out of the panel at once (the next chapter's widgets take their names), deleted later."""
    for widget in widgets:
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()


class LessonPanel(QDockWidget):
    chapter_requested = Signal(str)  # load this chapter's scene
    try_requested = Signal(str, int)  # apply this chapter's n-th "try this"

    def __init__(self, parent=None):
        super().__init__("Lesson", parent)
        self.setObjectName("lessonPanel")
        self.chapter: Chapter | None = None
        self.scene = None  # the scene shown: the rule follows its switches (bias correction off)
        self.text_color = "#1a1a1a"
        self.zoom = 1.0
        self.throttle = Throttle(0.1)
        self._frame: Frame | None = None

        body = QWidget()
        column = QVBoxLayout(body)
        top = QHBoxLayout()
        self.chapters = QComboBox()
        self.chapters.setObjectName("lessonChapters")
        for n, c in enumerate(CHAPTERS, start=1):
            self.chapters.addItem(f"{n}. {c.title}", c.key)
        self.chapters.setToolTip("Every chapter of the lesson; choosing one loads its scene")
        self.chapters.setPlaceholderText("Choose a chapter")  # shown while the scene is none of them
        self.chapters.activated.connect(lambda index: self.chapter_requested.emit(self.chapters.itemData(index)))
        self.previous = QPushButton("◀ Previous")
        self.previous.setObjectName("lessonPrevious")
        self.previous.setToolTip("The chapter before (Page Up)")
        self.previous.clicked.connect(lambda: self.go(-1))
        self.next = QPushButton("Next ▶")
        self.next.setObjectName("lessonNext")
        self.next.setToolTip("The next chapter (Page Down)")
        self.next.clicked.connect(lambda: self.go(+1))
        top.addWidget(self.chapters, 1)
        column.addLayout(top)
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous)
        buttons.addWidget(self.next)
        column.addLayout(buttons)

        self.title = QLabel()
        self.title.setObjectName("lessonTitle")
        self.title.setWordWrap(True)
        column.addWidget(self.title)
        self.rule = QLabel()
        self.rule.setObjectName("lessonRule")
        self.rule.setToolTip("The chapter's update rule")
        self.rule.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.rule.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        column.addWidget(self.rule)
        self.numbers = QLabel()  # whose numbers, at which step
        self.numbers.setObjectName("lessonNumbers")
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.numbers.setWordWrap(True)
        self.numbers.setToolTip("The rule's quantities for the inspected run, at the shown step")
        self.numbers.setFont(symbol_font())  # m̂, v̂: hats over their letters
        column.addWidget(self.numbers)
        self.values_box = QWidget()  # each symbol of the rule, typeset, beside its value now
        self.values_box.setObjectName("lessonValues")
        self.values_grid = QGridLayout(self.values_box)
        self.values_grid.setContentsMargins(8, 0, 0, 0)
        self.values_grid.setHorizontalSpacing(10)
        self.values_grid.setVerticalSpacing(2)
        self.values_grid.setColumnStretch(2, 1)  # symbols and values to the left, not spread out
        self.symbol_labels: list[QLabel] = []
        self.value_labels: list[QLabel] = []
        column.addWidget(self.values_box)
        self.watch = QLabel()
        self.watch.setObjectName("lessonWatch")
        self.watch.setWordWrap(True)
        column.addWidget(self.watch)
        self.tries = QWidget()
        self.tries.setObjectName("lessonTry")
        self.tries_layout = QVBoxLayout(self.tries)
        self.tries_layout.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.tries)
        self.outcome = QLabel()
        self.outcome.setObjectName("lessonOutcome")
        self.outcome.setWordWrap(True)
        column.addWidget(self.outcome)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("lessonScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(scroll)
        self.show_chapter(None)

    # --- which chapter ---------------------------------------------------------------
    def go(self, by: int) -> None:
        """The chapter ``by`` places on (the first when none is shown)."""
        here = number(self.chapter.key) - 1 if self.chapter else -1
        there = min(max(here + by, 0), len(KEYS) - 1) if here >= 0 else 0
        if there != here:
            self.chapter_requested.emit(KEYS[there])

    def on_scene(self, scene) -> None:
        """The scene changed: show its chapter (a chapter loaded, a session opened), or none; the rule as the
        scene makes it (bias correction switched off, say)."""
        key = scene.chapter
        before = self.chapter.rule_for(self.scene) if self.chapter is not None else None
        self.scene = scene
        if (self.chapter.key if self.chapter else "") != key:
            self.show_chapter(chapter(key) if key else None)
        elif self.chapter is not None and self.chapter.rule_for(scene) != before:
            self.draw_rule()

    def show_chapter(self, c: Chapter | None) -> None:
        self.chapter = c
        self.outcome.clear()
        _discard([self.tries_layout.takeAt(0).widget() for _ in range(self.tries_layout.count())])
        if c is None:
            self.chapters.setCurrentIndex(-1)
            self.title.setText("<b>The lesson</b>")
            self.watch.setText(
                "Fourteen short chapters, from the gradient to Adam, where it is not the best choice, how to "
                "compare optimizers fairly, what a slice of a real network's landscape shows, and two results "
                "from the papers: the edge of stability, and where Adam does not converge. Each loads a "
                "scene you can play and change. Choose a chapter above, or press Next."
            )
            self.rule.clear()
            self.numbers.clear()
            self._build_values(None)
            self.tries.setVisible(False)
            self.previous.setEnabled(False)
            self.next.setEnabled(True)
            return
        n = number(c.key) - 1
        self.chapters.setCurrentIndex(n)
        self.previous.setEnabled(n > 0)
        self.next.setEnabled(n < len(CHAPTERS) - 1)
        self.title.setText(f"<span style='font-size:13pt'><b>{n + 1}. {c.title}</b></span>")
        self.watch.setText(c.watch)
        self._build_values(c)
        self.draw_rule()
        self.tries.setVisible(bool(c.tries))
        heading = QLabel("<b>Try this</b>")
        self.tries_layout.addWidget(heading)
        for k, t in enumerate(c.tries):
            button = QPushButton(t.label)
            button.setObjectName(f"lessonTry{k}")
            button.setToolTip(t.says)
            button.clicked.connect(lambda _=False, k=k, key=c.key: self._try(key, k))
            self.tries_layout.addWidget(button)
        self._refresh()

    def _build_values(self, c: Chapter | None) -> None:
        _discard(self.symbol_labels + self.value_labels)
        self.symbol_labels, self.value_labels = [], []
        if c is None:
            return
        for row in range(len(c.symbols)):
            name, value = QLabel(), QLabel("–")
            value.setObjectName(f"lessonValue{row}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values_grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.values_grid.addWidget(value, row, 1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self.symbol_labels.append(name)
            self.value_labels.append(value)  # typeset with the rule, by draw_rule

    def _draw_symbols(self) -> None:
        if self.chapter is None:
            return
        ratio = self.devicePixelRatioF() or 1.0
        for label, (symbol, _) in zip(self.symbol_labels, self.chapter.symbols, strict=True):
            try:
                label.setPixmap(QPixmap.fromImage(latex_image(symbol + " =", self.text_color, 12 * self.zoom, ratio)))
            except MathError:
                label.setText(symbol)

    def _try(self, key: str, k: int) -> None:
        self.try_requested.emit(key, k)
        self.outcome.setText(chapter(key).tries[k].says)

    # --- looks --------------------------------------------------------------------------
    def set_text_color(self, color: str) -> None:
        """The typeset rule in the theme's text color."""
        self.text_color = color
        self.draw_rule()

    def set_zoom(self, zoom: float) -> None:
        self.zoom = zoom
        self.draw_rule()

    def draw_rule(self) -> None:
        if self.chapter is None:
            return
        self._draw_symbols()
        ratio = self.devicePixelRatioF() or 1.0
        try:
            image = stacked(self.chapter.rule_for(self.scene), self.text_color, RULE_SIZE * self.zoom, ratio)
        except MathError as e:  # never for the lesson's own rules; said, not raised
            self.rule.setText(str(e))
            return
        room = self.rule.width() - 4  # a rule wider than the panel is scaled to fit, never cut
        if 0 < room < image.width() / ratio:
            image = image.scaledToWidth(round(room * ratio), Qt.TransformationMode.SmoothTransformation)
            image.setDevicePixelRatio(ratio)
        self.rule.setPixmap(QPixmap.fromImage(image))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.draw_rule()

    # --- live numbers -------------------------------------------------------------------
    def on_frame(self, frame: Frame) -> None:
        self._frame = frame
        if self.isVisible() and self.throttle.due(frame):
            self._refresh()

    def _refresh(self) -> None:
        c, frame = self.chapter, self._frame
        if c is None or frame is None:
            return
        detailed = [r for r in frame.runs if r.detail is not None]
        focus = frame.runs[c.focus] if c.focus < len(frame.runs) else None
        run = focus if focus is not None and focus.detail is not None else (detailed[0] if detailed else None)
        if run is None:
            self.numbers.setText(f"<i>Step {frame.step}: press Forward (→) or Play to see the rule's numbers.</i>")
            for label in self.value_labels:
                label.setText("–")
            return
        d = run.detail
        self.numbers.setText(f"<b>{run.label}</b> at step t = {d.step}:")
        for label, (_, source) in zip(self.value_labels, c.symbols, strict=True):
            value = live_value(d, source)
            label.setText("–" if value is None else value_text(value))
