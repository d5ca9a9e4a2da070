"""The dialogs behind File > Export: which view, what size or how many steps, then where."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMessageBox,
    QSpinBox,
)

from adamgui.core.lesson import chapter, number
from adamgui.core.limits import MAX_STEP
from adamgui.gui.docks.lesson import banner
from adamgui.gui.export.save import ExportError, save_animation, save_data, save_image, view_size

VIEW_NAMES = {"window": "The whole window", "surface": "The 3D view", "contour": "The contour view", "plot": "The plot"}


class _Options(QDialog):
    def __init__(self, parent, title: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.view = QComboBox()
        self.view.setObjectName("exportView")
        for key, text in VIEW_NAMES.items():
            if key == "surface" and parent.surface_view.gl is None:
                continue
            self.view.addItem(text, key)
        self.form.addRow("What", self.view)

    def finish(self) -> None:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.form.addRow(buttons)


def _spin(low: int, high: int, value: int, name: str) -> QSpinBox:
    box = QSpinBox()
    box.setObjectName(name)
    box.setRange(low, high)
    box.setValue(value)
    return box


def export_image(window) -> None:
    options = _Options(window, "Export image")
    width = _spin(64, 8000, window.width(), "exportWidth")
    height = _spin(64, 8000, window.height(), "exportHeight")
    options.form.addRow("Width (pixels)", width)
    options.form.addRow("Height (pixels)", height)

    def fit_view() -> None:  # the chosen view's aspect, at least 1920 pixels wide
        own = view_size(window, options.view.currentData())
        wide = max(own.width(), 1920)
        width.setValue(wide)
        height.setValue(round(wide * own.height() / max(own.width(), 1)))

    options.view.currentIndexChanged.connect(fit_view)
    fit_view()
    options.finish()
    if options.exec() != QDialog.DialogCode.Accepted:
        return
    path = _ask_path(window, "Export image", {".png": "PNG images"})
    if not path:
        return
    _run(window, lambda: save_image(window, options.view.currentData(), path, QSize(width.value(), height.value())))


def export_animation(window) -> None:
    options = _Options(window, "Export animation")
    steps = _spin(
        1, MAX_STEP, max(window.controller.sim.t, min(window.controller.scene.step_limit, 300)), "exportSteps"
    )
    fps = _spin(1, 60, 20, "exportFps")
    width = _spin(64, 8000, 640, "exportWidth")
    height = _spin(64, 8000, 480, "exportHeight")
    options.form.addRow("Steps (from step 0)", steps)
    options.form.addRow("Frames per second", fps)
    options.form.addRow("Width (pixels)", width)
    options.form.addRow("Height (pixels)", height)

    def own_size() -> None:  # the chosen view's size on screen: every frame is drawn anew, so bigger costs time
        own = view_size(window, options.view.currentData())
        width.setValue(own.width())
        height.setValue(own.height())

    options.view.currentIndexChanged.connect(own_size)
    own_size()
    key = window.controller.scene.chapter
    with_title = QCheckBox(f"Draw chapter {number(key)}'s title and rule above it" if key else "")
    with_title.setObjectName("exportBanner")
    with_title.setChecked(bool(key))
    with_title.setVisible(bool(key))  # only a lesson's scene has a chapter to show
    if key:
        options.form.addRow(with_title)
    options.finish()
    if options.exec() != QDialog.DialogCode.Accepted:
        return
    path = _ask_path(window, "Export animation", {".gif": "GIF animation", ".mp4": "MP4 video"})
    if not path:
        return
    text = "Rendering the animation step by step..."
    dialog, keep_going = window.jobs.progress(window, text, steps.value() + 1, "exportProgress")

    def work():
        size = QSize(width.value(), height.value())
        top = banner(chapter(key), size.width()) if key and with_title.isChecked() else None
        view = options.view.currentData()
        frames = save_animation(window, path, steps.value(), view, fps.value(), keep_going, top, size)
        name = Path(path).name
        done = f"Wrote {frames} frames to {name}" if frames else f"Animation export cancelled; {name} not written"
        window.statusBar().showMessage(done, 8000)

    try:
        _run(window, work)  # a job of the window: a close waits for it
    finally:
        dialog.close()


def export_data(window) -> None:
    path = _ask_path(window, "Export trajectories", {".csv": "CSV", ".json": "JSON"})
    if path:
        _run(window, lambda: save_data(window, path))


def export_notebook(window) -> None:
    """The scene as a Jupyter notebook, run to the shown step (the step limit at step 0)."""
    path = _ask_path(window, "Export notebook", {".ipynb": "Jupyter notebook"})
    if path:
        from adamgui.core.files import write_text
        from adamgui.core.notebook import notebook_text

        c = window.controller
        steps = c.shown_step or c.scene.step_limit

        def work():
            write_text(path, notebook_text(c.scene, steps))
            window.statusBar().showMessage(f"Exported {Path(path).name}: the scene run to step {steps:,}", 8000)

        _run(window, work)


def _ask_path(window, title: str, kinds: dict[str, str]) -> str:
    """A file name from the save dialog, given the suffix of the kind chosen if it has none; '' if cancelled."""
    filters = ";;".join(f"{name} (*{suffix})" for suffix, name in kinds.items())
    path, chosen = QFileDialog.getSaveFileName(window, title, _suggest(window, next(iter(kinds))), filters)
    if path and Path(path).suffix.lower() not in kinds:
        path += next((suffix for suffix in kinds if f"*{suffix})" in chosen), next(iter(kinds)))
    return path


def _suggest(window, suffix: str) -> str:
    base = window.documents.path.name.split(".")[0] if window.documents.path else "adamgui"
    return str(Path(window.documents.last_dir()) / f"{base}{suffix}")


def _run(window, work) -> None:
    """``work`` as a job of the window (a close waits for it), its failure said in a dialog."""
    try:
        with window.jobs.job():
            work()
    except (ExportError, OSError, ValueError) as e:
        QMessageBox.warning(window, "Export failed", str(e))
