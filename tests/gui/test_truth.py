"""Every picture, file and label tells the truth: exports, diverged trails, stale maps, unsaved work."""

import subprocess
import sys
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QAbstractSpinBox, QDialog, QFileDialog, QLabel, QLineEdit, QMessageBox

from adamgui.core.map_files import MINIMUM_COLORS, OTHER_COLORS
from adamgui.core.presets import get_preset
from adamgui.core.scene import RunConfig, Scene, scene_from_preset
from adamgui.core.simulation import RunSpec
from adamgui.gui.docks.plots import StepAxis
from adamgui.gui.export import dialogs as export_dialogs
from adamgui.gui.export import save as export
from adamgui.gui.widgets.colors import BACKGROUND
from tests.gui.helpers import find, type_text

ROOT = Path(__file__).resolve().parents[2]


def near(pixels: np.ndarray, color: str, levels: int = 24) -> int:
    rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(pixels[..., :3].astype(int) - rgb).max(axis=-1) <= levels).sum())


def test_a_gif_of_the_notebook_keeps_both_run_colors(tmp_path):
    out = tmp_path / "nb.gif"
    proc = subprocess.run(
        [sys.executable, "main.py", "render", "--preset", "seed-notebook", "--view", "contour", "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    frames = iio.imread(out, index=None)
    scene = scene_from_preset(get_preset("seed-notebook"))
    gd, adam = (r.color for r in scene.runs)
    last = frames[len(frames) // 3]
    assert near(last, gd) > 200 and near(last, adam) > 200
    assert near(last, "#ffffff", 0) > 20  # the white start ring stays white, not pale yellow


def test_two_near_run_colors_stay_apart_in_a_gif(window, tmp_path):
    runs = (RunConfig(RunSpec("gd", {"lr": 0.05}), "#ff4b3e", key=0), RunConfig(RunSpec("adam"), "#ff3df2", key=1))
    window.controller.load_scene(Scene("bowl", (-4.0, 3.0), runs, step_limit=40))
    out = tmp_path / "near.gif"
    assert export.save_animation(window, out, 20, "contour") == 21
    frame = iio.imread(out, index=None)[-1]
    assert near(frame, "#ff4b3e") > 100 and near(frame, "#ff3df2") > 100
    assert not list(tmp_path.glob(".*partial*"))  # written to a part file, renamed when complete


def colorful_box(image: np.ndarray) -> tuple[int, int]:
    """Width and height of the part of the picture in color (the surface's colormap)."""
    spread = image[..., :3].max(axis=-1).astype(int) - image[..., :3].min(axis=-1)
    ys, xs = np.nonzero(spread > 60)
    return xs.max() - xs.min(), ys.max() - ys.min()


def test_a_contour_export_at_1920x1080_is_drawn_at_that_size_not_stretched(window, tmp_path):
    path = tmp_path / "contour.png"
    export.save_image(window, "contour", path, QSize(1920, 1080))
    image = iio.imread(path)
    assert image.shape[:2] == (1080, 1920)
    w, h = colorful_box(image)
    assert w / h == pytest.approx(9 / 5, rel=0.05)  # the saddle's domain, one unit of x as long as one of y
    small = export.grab(window, "contour")
    text_px = export.to_array(small).shape
    assert text_px[1] < 1920  # really another size than on screen


def test_a_contour_export_of_another_shape_than_the_view_is_filled_by_the_map(window, tmp_path):
    """The ravine (20 x 6) in a view of another shape shows margins above and below it (one unit of x as
    long as one of y); a wide export fits the map in sight to the picture instead of growing them."""
    window.load_preset(get_preset("ravine"))
    (x0, x1), (y0, y1) = window.contour_view.getPlotItem().getViewBox().viewRange()
    assert y1 - y0 > 6.5  # the view shows more than the map's height
    path = tmp_path / "ravine.png"
    export.save_image(window, "contour", path, QSize(1200, 500))
    image = iio.imread(path)
    w, _ = colorful_box(image)
    _, h = colorful_box(image[:, 550:650])  # the middle columns: the map's height, not the legend's
    assert w > 0.85 * 1200 and w / h == pytest.approx(20 / 6, rel=0.05)


def test_a_run_just_off_the_map_keeps_its_dot_in_a_contour_export(window, tmp_path):
    window.load_preset(get_preset("seed-notebook"))
    type_text(find(window, QAbstractSpinBox, "run0_lr"), "0.05")
    window.controller.advance_to(20)  # gd has just left through the top, y = 2.69 (the map ends at 2.5)
    gd = window.controller.sim.runs[0].theta[0]
    assert 2.5 < gd[1] < 3
    # in sight on screen, as in a tall view (a wide one, as an earlier test's layout may leave, shows just the map)
    window.contour_view.getPlotItem().getViewBox().setRange(xRange=(-4.5, 4.5), yRange=(-4.4, 4.4), padding=0)
    path = tmp_path / "out.png"
    export.save_image(window, "contour", path, QSize(1200, 500))
    image = iio.imread(path)[..., :3].astype(int)
    orange = np.abs(image - QColor(window.controller.scene.runs[0].color).getRgb()[:3]).max(axis=-1) < 40
    right = image[:, 850:950]  # a strip of the map where no run went
    map_top = np.nonzero((right.max(axis=-1) - right.min(axis=-1) > 60).any(axis=1))[0].min()
    assert np.nonzero(orange.any(axis=1))[0].min() < map_top - 5  # gd's dot, above the map, is in the picture


def test_export_size_fields_default_to_the_views_aspect(window, monkeypatch):
    seen = {}

    def fake_exec(dialog):
        view = dialog.findChild(type(dialog.view), "exportView")
        view.setCurrentIndex(view.findData("contour"))
        w, h = (dialog.findChild(QAbstractSpinBox, n).value() for n in ("exportWidth", "exportHeight"))
        seen["contour"] = (w, h)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(export_dialogs._Options, "exec", fake_exec)
    export_dialogs.export_image(window)
    own = window.contour_view.size()
    w, h = seen["contour"]
    assert w >= 1920 and h / w == pytest.approx(own.height() / own.width(), abs=0.01)


def test_the_animation_dialogs_size_is_the_chosen_views_and_reaches_the_file(window, monkeypatch, tmp_path):
    seen = {}
    path = tmp_path / "anim.gif"

    def fake_exec(dialog):
        view = dialog.findChild(type(dialog.view), "exportView")
        width, height = (dialog.findChild(QAbstractSpinBox, n) for n in ("exportWidth", "exportHeight"))
        view.setCurrentIndex(view.findData("contour"))
        seen["contour"] = (width.value(), height.value())
        view.setCurrentIndex(view.findData("window"))
        seen["window"] = (width.value(), height.value())
        view.setCurrentIndex(view.findData("contour"))
        dialog.findChild(QAbstractSpinBox, "exportSteps").setValue(2)
        width.setValue(800)
        height.setValue(500)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(export_dialogs._Options, "exec", fake_exec)
    monkeypatch.setattr(export_dialogs, "_ask_path", lambda *args: str(path))
    export_dialogs.export_animation(window)
    own = window.contour_view.size()
    assert seen["contour"] == (own.width(), own.height())
    assert seen["window"] == (window.width(), window.height())
    assert iio.imread(path, index=None).shape[:3] == (3, 500, 800)


def test_a_diverging_runs_trail_keeps_its_part_inside_in_both_views(window):
    runs = (RunConfig(RunSpec("gd", {"lr": 0.1}), "#d55e00", key=0),)
    c = window.controller
    c.load_scene(Scene("himmelblau", (-0.5, 0.5), runs, step_limit=20))
    c.advance_to(10)
    assert c.sim.runs[0].status_text() == "diverged at step 7"
    x, y = window.contour_view.trails[0].getData()
    points = np.column_stack([x, y])
    finite = points[np.isfinite(points).all(axis=1)]
    assert len(finite) >= 4
    np.testing.assert_array_equal(finite[:2], [[-0.5, 0.5], [-1.1, 4.0]])  # the first segment is still there
    assert c.sim.surface.contains(finite).all()  # cut at the border like the 3D trail, nothing beyond


def test_maps_know_their_inputs_and_refuse_clicks_when_stale(window, qtbot):
    maps = window.maps
    maps.toggleViewAction().trigger()
    assert maps.sweep_run_box.currentText() == "adam" and maps.sweep_compute.isEnabled()  # defaults compute
    find(window, QAbstractSpinBox, "sweepXCount").setValue(3)
    find(window, QAbstractSpinBox, "sweepYCount").setValue(3)
    find(window, QAbstractSpinBox, "sweepSteps").setValue(20)
    maps.compute_sweep()
    qtbot.waitUntil(lambda: maps.sweep_result is not None and maps.thread is None, timeout=20000)
    assert "lowest" in maps.colorbar.axis.labelText  # saddle losses go negative: the scale says so
    window.findChild(QAction, "preset_ravine").trigger()
    assert maps.stale and "Out of date" in maps.status.text()
    before = window.controller.scene
    maps.apply_cell(0, 0)
    assert window.controller.scene is before  # the stale sweep changed nothing
    window.findChild(QAction, "preset_seed-notebook").trigger()
    maps.compute_sweep()  # from the cache: the same inputs again
    qtbot.waitUntil(lambda: maps.thread is None, timeout=20000)
    assert not maps.stale
    maps.apply_cell(2, 2)
    adam = window.controller.scene.runs[1]
    assert adam.spec.params["lr"] == maps.sweep_result.x_values[2] and not maps.stale


def test_basin_outcome_colors_stand_apart_from_the_background_and_each_other():
    colors = [QColor(c) for c in (*MINIMUM_COLORS, *OTHER_COLORS.values())]
    back = QColor(BACKGROUND)

    def dist(a, b):
        return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue()))

    assert min(dist(c, back) for c in colors) >= 60
    assert min(dist(a, b) for i, a in enumerate(colors) for b in colors[i + 1 :]) >= 40


def test_documents_have_a_name_a_modified_mark_and_never_overwrite_silently(window, tmp_path, monkeypatch):
    docs, c = window.documents, window.controller
    c.load_scene(scene_from_preset(get_preset("ravine")).with_surface("himmelblau"))
    lecture = tmp_path / "lecture.adamgui.json"
    assert docs.save_to(lecture)
    saved_text = lecture.read_text()
    assert window.windowTitle() == "lecture.adamgui.json[*] — AdamGUI" and not window.isWindowModified()
    type_text(find(window, QAbstractSpinBox, "run0_lr"), "0.02")
    assert window.isWindowModified()
    asked = []
    monkeypatch.setattr(type(docs), "ask", lambda self: asked.append(1) or QMessageBox.StandardButton.Discard)
    window.findChild(QAction, "preset_seed-notebook").trigger()
    assert asked and docs.path is None and window.windowTitle() == "Untitled[*] — AdamGUI"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert not docs.save()  # Save asks for a name; cancelled, nothing is written
    assert lecture.read_text() == saved_text
    formula = find(window, QLineEdit, "formulaEdit")
    type_text(formula, "x^2 + y^2")
    assert docs.path is None and window.isWindowModified()
    monkeypatch.setattr(type(docs), "ask", lambda self: QMessageBox.StandardButton.Cancel)
    window.close()
    assert window.isVisible()  # Cancel keeps the window and its work
    monkeypatch.setattr(type(docs), "ask", lambda self: QMessageBox.StandardButton.Discard)


def test_a_presets_note_says_it_was_about_the_scene_as_loaded_once_changed(window):
    preset = get_preset("seed-notebook")
    window.load_preset(preset)
    note = find(window, QLabel, "watchLabel")
    assert note.text() == preset.watch  # "...GD slides off the map at step 11..."
    assert preset.watch in window.statusBar().currentMessage()
    type_text(find(window, QAbstractSpinBox, "run0_lr"), "0.05")  # now GD leaves at step 20
    assert note.text() == f"As loaded, before your changes: {preset.watch}"
    assert preset.watch not in window.statusBar().currentMessage()  # said on loading; gone once changed
    assert note.text() in window.caption.text()  # the presentation mode's caption says the same
    type_text(find(window, QAbstractSpinBox, "run0_lr"), "0.1")  # back as loaded
    assert note.text() == preset.watch
    window.load_preset(get_preset("ravine"))
    assert note.text() == get_preset("ravine").watch


def test_a_failed_save_leaves_the_old_file_and_no_part(window, tmp_path, monkeypatch):
    path = tmp_path / "keep.adamgui.json"
    assert window.documents.save_to(path)
    before = path.read_text()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))

    def full(fd):
        raise OSError(28, "No space left on device")

    import adamgui.core.files

    monkeypatch.setattr(adamgui.core.files.os, "fsync", full)
    window.controller.advance_to(3)
    assert not window.documents.save_to(path)
    assert path.read_text() == before and not list(tmp_path.glob(".*part*"))
    assert shown == [f"Cannot write {path}: the disk is full"]


def test_labels_are_of_the_shown_step(window):
    c = window.controller
    c.advance_to(12)
    assert window.run_table.item(1, 6).text() == "left the domain at step 8"
    window.timeline.setValue(4)
    assert [window.run_table.item(i, 6).text() for i in range(2)] == ["running", "running"]
    c.advance_to(50)
    assert "stopped at the step limit (50)" in window.run_table.item(0, 6).text()
    window.run_table.visibility_toggled.emit(0, False)
    labels = [label.text for _, label in window.contour_view.legend.items]
    assert labels == ["adam"]


def test_plots_show_plain_numbers_whole_steps_and_say_when_there_is_nothing(window):
    axis = StepAxis("bottom")
    for spacing, values in axis.tickValues(0, 3, 400):
        assert all(float(v).is_integer() for v in values) and spacing >= 1
    assert axis.tickStrings([10.0, 20.0], 1, 10) == ["10", "20"]
    step_plot = window.plots.plots["step"]
    assert not step_plot.getAxis("left").autoSIPrefix
    window.plots.tabs.setCurrentIndex(2)
    window.controller.advance_to(3)
    title = window.plots.plots["distance"].getPlotItem().titleLabel.text
    assert "no known minimum" in title.lower()


def test_a_formula_keeps_the_domain_the_user_set(window):
    type_text(find(window, QAbstractSpinBox, "xMax"), "2")
    type_text(find(window, QLineEdit, "formulaEdit"), "x^2 + 3*y^2")
    surface = window.controller.sim.surface
    assert surface.formula == "x^2 + 3*y^2" and surface.x_range == (-4.5, 2.0) and surface.y_range == (-2.5, 2.5)


def test_the_window_refuses_a_fifo_or_a_device_in_one_sentence_and_keeps_the_scene(window, tmp_path, monkeypatch):
    import os

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    fifo = tmp_path / "pipe.adamgui.json"
    os.mkfifo(fifo)
    window.controller.advance_to(3)
    scene, sim = window.controller.scene, window.controller.sim
    for path in (fifo, Path("/dev/zero")):
        assert not window.documents.open_path(path)
    assert window.controller.scene is scene and window.controller.sim is sim
    assert shown == [
        "pipe.adamgui.json is not a regular file (a pipe or a device), so it is not a session file",
        "zero is not a regular file (a pipe or a device), so it is not a session file",
    ]


def test_a_domain_1e8_wide_draws_a_bounded_grid_and_a_refused_one_changes_nothing(window):
    c = window.controller
    c.set_domain(-5e7, 5e7, -1.0, 1.0)
    assert c.sim.surface.x_range == (-5e7, 5e7)
    gl = window.surface_view.gl
    if gl is not None:
        (sx, sy, _), (gx, gy, _) = gl.grid.spacing(), gl.grid.size()
        assert gx / sx <= 10 and gy / sy <= 10  # ten lines a side, whatever the domain
    surface = c.sim.surface
    c.set_domain(0.0, 1e-300, -1.0, 1.0)
    assert c.sim.surface is surface and window.contour_view.surface is surface


def test_a_3d_export_at_1920x1080_is_drawn_at_that_size_with_its_trails(window, tmp_path):
    if window.surface_view.gl is None:
        pytest.skip("no OpenGL here")
    window.controller.load_scene(scene_from_preset(get_preset("ravine")))
    window.controller.advance_to(30)
    path = tmp_path / "surface.png"
    export.save_image(window, "surface", path, QSize(1920, 1080))
    image = iio.imread(path)
    assert image.shape[:2] == (1080, 1920)
    for run in window.controller.scene.runs:
        assert near(image, run.color, 16) > 100, run.spec.optimizer  # every trail, drawn at that size
    assert window.surface_view.gl.size() == window.surface_view.gl_container.size()  # and put back
