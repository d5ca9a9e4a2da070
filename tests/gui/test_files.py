"""Sessions, exports and settings through the real window."""

import json

import imageio.v3 as iio
import numpy as np
import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox

from adamgui.core.presets import get_preset
from adamgui.core.scene import scene_from_preset
from adamgui.gui.export import save as export


@pytest.fixture
def no_dialogs(monkeypatch):
    """Record warnings instead of showing modal boxes."""
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    return shown


def positions(window):
    return [run.history.positions[: window.controller.sim.t + 1, 0].copy() for run in window.controller.sim.runs]


def test_save_then_open_gives_the_same_scene_at_the_saved_step(window, tmp_path, no_dialogs):
    from adamgui.gui.app.settings import app_settings

    app_settings().remove("recent")  # the settings are per process: files saved by tests run earlier are not ours
    window.documents.rebuild_recent_menu()
    c = window.controller
    c.load_scene(scene_from_preset(get_preset("noisy-bowl")))
    window.set_speed(30)
    c.advance_to(23)
    before = positions(window)
    path = tmp_path / "lecture"
    assert window.documents.save_to(path)
    saved = tmp_path / "lecture.adamgui.json"
    assert saved.exists() and "lecture.adamgui.json" in window.windowTitle()
    c.load_scene(scene_from_preset(get_preset("ravine")))
    assert window.documents.open_path(saved)
    assert c.sim.t == 23 and c.speed == 30 and c.scene.noise == 1.0
    for a, b in zip(before, positions(window), strict=True):
        np.testing.assert_array_equal(a, b)
    recent = window.findChild(type(window.documents.recent_menu), "recentMenu")
    assert [a.text() for a in recent.actions()] == ["lecture.adamgui.json"]


@pytest.mark.parametrize(
    "content",
    [
        '{"format": "adamgui-session", "version": 1, "surface": {"name": "formula", '
        '"formula": "__import__(\'os\').system(\'touch /tmp/pwned-by-session\')"}, "start": [0, 0], '
        '"runs": [{"optimizer": "gd"}]}',
        '{"format": "adamgui-session", "version": 9, "surface": {"name": "bowl"}, "start": [0, 0], "runs": []}',
        '{"format": "adamgui-session", "version": 1, "surface": {"name": "bowl"}, "start": [0,',
        "not json at all",
    ],
)
def test_a_bad_session_file_says_why_and_changes_nothing(window, tmp_path, no_dialogs, content):
    window.controller.advance_to(4)
    scene, sim = window.controller.scene, window.controller.sim
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert not window.documents.open_path(path)
    assert len(no_dialogs) == 1 and no_dialogs[0]
    assert window.controller.scene is scene and window.controller.sim is sim and sim.t == 4


def test_export_images_of_each_view_at_a_chosen_size(window, tmp_path):
    window.controller.advance_to(5)
    views = ["window", "contour", "plot"] + (["surface"] if window.surface_view.gl is not None else [])
    for view in views:
        path = tmp_path / f"{view}.png"
        export.save_image(window, view, path, QSize(640, 400))
        image = iio.imread(path)
        assert image.shape[:2] == (400, 640), view
        assert image.std() > 5, f"{view} looks blank"


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_export_an_animation_step_by_step(window, tmp_path, suffix):
    window.controller.advance_to(7)
    path = tmp_path / f"anim{suffix}"
    frames = export.save_animation(window, path, steps=12, view="contour", fps=10)
    assert frames == 13
    if suffix == ".gif":
        read = iio.imread(path, index=None)
    else:
        import imageio.v2 as imageio

        with imageio.get_reader(path, "ffmpeg") as reader:
            n = reader.count_frames()
            read = [reader.get_data(0)] + [None] * (n - 2) + [reader.get_data(n - 1)]
    assert len(read) == 13
    assert not np.array_equal(read[0], read[-1])  # the runs moved
    assert window.controller.sim.t == 7  # the window is back where it was


def test_an_animation_of_one_view_at_a_chosen_size(window, tmp_path):
    path = tmp_path / "big.gif"
    views = ["contour"] + (["surface"] if window.surface_view.gl is not None else [])
    for view in views:
        assert export.save_animation(window, path, steps=3, view=view, fps=10, size=QSize(1280, 720)) == 4
        read = iio.imread(path, index=None)
        assert read.shape[:3] == (4, 720, 1280), view
        assert not np.array_equal(read[0], read[-1]), view  # drawn anew each step at that size


def test_a_cancelled_animation_leaves_no_file(window, tmp_path):
    path = tmp_path / "cancelled.gif"
    frames = export.save_animation(window, path, steps=20, view="contour", progress=lambda done, total: done < 3)
    assert frames == 0 and not path.exists()


def test_export_data_is_the_command_line_format(window, tmp_path):
    window.controller.advance_to(3)
    export.save_data(window, tmp_path / "t.json")
    doc = json.loads((tmp_path / "t.json").read_text())
    assert [len(r["path"]) for r in doc["runs"]] == [4, 4]
    export.save_data(window, tmp_path / "t.csv")
    lines = (tmp_path / "t.csv").read_text().splitlines()
    assert lines[0] == "run,optimizer,step,x,y,loss" and len(lines) == 1 + 2 * 4
    with pytest.raises(export.ExportError, match="csv or .json"):
        export.save_data(window, tmp_path / "t.txt")


def test_settings_keep_geometry_layout_and_theme_between_launches(qtbot, tmp_path, monkeypatch):
    from adamgui.gui.main_window import MainWindow

    monkeypatch.setenv("ADAMGUI_SETTINGS", str(tmp_path / "settings.ini"))
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.resize(1234, 777)
    first.plots.toggleViewAction().trigger()  # close a dock
    first.findChild(QAction, "raceToggle").trigger()  # and open one that starts closed
    first.findChild(QAction, "theme_dark").trigger()
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (1234, 777)
    assert not second.plots.isVisible()
    assert second.findChild(QAction, "theme_dark").isChecked()
    assert second.race.isVisible()
    second.findChild(QAction, "resetLayoutAction").trigger()
    assert second.plots.isVisible() and not second.race.isVisible()  # back where they started
    second.findChild(QAction, "theme_system").trigger()
    second.close()


def test_every_action_has_a_menu_entry_and_a_tooltip(window):
    in_menus = set()
    for menu_action in window.menuBar().actions():
        stack = [menu_action.menu()]
        while stack:
            menu = stack.pop()
            for a in menu.actions():
                if a.menu():
                    stack.append(a.menu())
                elif a.text():
                    in_menus.add(a)
    named = [a for a in window.findChildren(QAction) if a.objectName().endswith("Action") and a.parent() is window]
    for a in named:
        assert a in in_menus, a.objectName()
        assert a.toolTip(), a.objectName()
    shortcuts = {a.objectName(): a.shortcut().toString() for a in named}
    assert shortcuts["openAction"] == "Ctrl+O" and shortcuts["saveAction"] == "Ctrl+S"
    assert shortcuts["quitAction"] == "Ctrl+Q" and shortcuts["playAction"] == "Space"
    QApplication.processEvents()


def test_export_a_notebook_of_the_scene_at_the_shown_step(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from adamgui.core.notebook import notebook_text

    c = window.controller
    window.load_preset(get_preset("ravine"))
    c.advance_to(40)
    target = tmp_path / "lecture"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Jupyter notebook (*.ipynb)"))
    window.findChild(QAction, "exportNotebookAction").trigger()  # File > Export > Notebook (Jupyter)...
    written = tmp_path / "lecture.ipynb"
    assert written.read_text(encoding="utf-8") == notebook_text(c.scene, 40)
    book = json.loads(written.read_text(encoding="utf-8"))
    assert book["nbformat"] == 4 and "STEPS = 40" in "".join(book["cells"][1]["source"])
