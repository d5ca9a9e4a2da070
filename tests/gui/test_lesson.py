"""The lesson through the real window: every chapter loads, typesets its rule, shows its live numbers,
says only what its scene does, and its "try this" buttons change what they say."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QDockWidget, QLabel, QMessageBox, QPushButton, QWidget

from adamgui.cli import CliError, parse_gui_args
from adamgui.core.lesson import CHAPTERS, KEYS, chapter
from adamgui.gui.docks.plots import TABS


def find(window, cls, name):
    widget = window.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name!r}"
    return widget


def open_lesson(window):
    find(window, QAction, "lessonAction").trigger()
    panel = find(window, QDockWidget, "lessonPanel")
    assert panel.isVisible()
    return panel


def ink(image: QImage) -> int:
    """How many pixels of the rule are drawn (not transparent)."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    alpha = data.reshape(image.height(), image.bytesPerLine())[:, 3 : 4 * image.width() : 4]
    return int((alpha > 0).sum())


def test_every_chapter_loads_typesets_its_rule_and_keeps_its_word(window, qtbot):
    panel = open_lesson(window)
    chapters = find(panel, QComboBox, "lessonChapters")
    assert chapters.count() == len(CHAPTERS)
    c = window.controller
    for n, ch in enumerate(CHAPTERS):
        if n == 0:
            find(panel, QPushButton, "lessonNext").click()  # from the lesson's opening page
        else:
            chapters.setCurrentIndex(n)
            chapters.activated.emit(n)  # what choosing it with the mouse sends
        assert c.scene.chapter == ch.key and c.scene == ch.scene() and c.step == 0
        assert window.follow_action.isChecked() == ch.follow
        if ch.plot:  # the plot the chapter reads from, in front beside the views
            assert window.plots.tabs.currentIndex() == TABS.index(ch.plot) and window.plots.isVisible()
        rule = find(panel, QLabel, "lessonRule").pixmap().toImage()
        assert rule.width() >= 80 and rule.height() >= 12, f"{ch.key}: rule {rule.width()}x{rule.height()}"
        assert ink(rule) > 200, f"{ch.key}: the rule is blank"
        c.advance_to(ch.scene().step_limit)
        qtbot.waitUntil(lambda: "step t =" in find(panel, QLabel, "lessonNumbers").text(), timeout=2000)
        for claim in ch.claims:
            assert claim.holds(c.sim), f"{ch.key}: {claim.text}"
        for k, t in enumerate(ch.tries):
            find(panel, QPushButton, f"lessonTry{k}").click()
            assert c.scene != ch.scene() and c.scene.chapter == ch.key and c.step == 0
            assert t.says in find(panel, QLabel, "lessonOutcome").text()
            c.advance_to(c.scene.step_limit)
            assert t.claim(c.sim), f"{ch.key}: {t.label}"
            window.load_chapter(ch.key)  # back to the chapter's own scene
    assert not find(panel, QPushButton, "lessonNext").isEnabled()


def test_page_up_and_page_down_turn_the_chapters(window, qtbot):
    open_lesson(window)
    window.load_chapter("descent")
    QTest.keyClick(window, Qt.Key.Key_PageDown)
    assert window.controller.scene.chapter == "saddle"
    QTest.keyClick(window, Qt.Key.Key_PageUp)
    QTest.keyClick(window, Qt.Key.Key_PageUp)
    assert window.controller.scene.chapter == "gradient"
    assert not find(window, QPushButton, "lessonPrevious").isEnabled()


def test_the_live_numbers_are_the_inspected_runs_at_the_shown_step(window, qtbot):
    from adamgui.gui.docks.lesson import value_text

    open_lesson(window)
    window.load_chapter("bias")
    c = window.controller
    c.advance_to(1)
    assert "step t = 1" in find(window, QLabel, "lessonNumbers").text()
    symbols = [source for _, source in chapter("bias").symbols]
    m_1 = find(window, QLabel, f"lessonValue{symbols.index('term:m')}")
    g = c.sim.runs[0].grad_used(1)[0]
    assert m_1.text() == value_text(0.1 * g)  # m_1 = (1 - beta1) g: too small, before the correction
    m_hat = find(window, QLabel, f"lessonValue{symbols.index('term:m_hat')}")
    assert m_hat.text() == value_text(g)  # corrected: the gradient itself
    assert not find(window, QLabel, "lessonRule").pixmap().isNull()
    c.advance_to(5)
    c.scrub(2)  # a past step: its numbers, recomputed
    qtbot.waitUntil(lambda: "step t = 2" in find(window, QLabel, "lessonNumbers").text(), timeout=2000)
    assert m_1.text() != value_text(0.1 * g)


def test_the_chapter_is_kept_in_the_session_file(window, tmp_path):
    open_lesson(window)
    window.load_chapter("epsilon")
    path = tmp_path / "lesson.adamgui.json"
    assert window.documents.save_to(path)
    window.load_preset(__import__("adamgui.core.presets", fromlist=["x"]).get_preset("ravine"))
    assert window.controller.scene.chapter == ""
    chapters = find(window, QComboBox, "lessonChapters")
    assert chapters.currentIndex() == -1
    assert chapters.currentText() == "" and chapters.placeholderText() == "Choose a chapter"  # not a blank box
    assert window.documents.open_path(path)
    assert window.controller.scene.chapter == "epsilon"
    assert find(window, QComboBox, "lessonChapters").currentData() == "epsilon"


def test_following_keeps_both_notebook_runs_in_view_to_step_50(window):
    open_lesson(window)
    window.load_chapter("notebook")
    c = window.controller
    assert window.follow_action.isChecked()
    c.advance_to(50)
    frame = c.frame()
    for run in frame.runs:  # both inside the drawn domain, drawn up to where they are
        assert frame.surface.contains(run.position[None])[0], run.label
        x, y = window.contour_view.trails[run.index].getData()
        assert (x[-1], y[-1]) == (run.position[0], run.position[1])
    assert frame.surface.y_range[1] > 3640 and frame.surface is window.contour_view.surface
    assert c.sim.surface.y_range == (-2.5, 2.5)  # the scene's domain is unchanged: only the view widened
    window.follow_action.setChecked(False)
    assert c.frame().surface is c.sim.surface and window.contour_view.surface is c.sim.surface
    (x0, x1), (y0, y1) = c.sim.surface.x_range, c.sim.surface.y_range
    for run in c.frame().runs:  # paused, on the narrower domain: every trail is cut to it again, in both views
        x, y = window.contour_view.trails[run.index].getData()
        drawn = np.isfinite(x)
        assert drawn.any() and (x[drawn] >= x0).all() and (x[drawn] <= x1).all() and (y[drawn] <= y1).all()
        if window.surface_view.gl is not None:
            segments = window.surface_view.gl.trail_of(run.index)
            assert len(segments) and (segments[:, 1] <= y1).all() and (segments[:, 1] >= y0).all()


def test_the_lesson_has_a_toolbar_button_a_help_entry_and_a_command_line_option():
    from adamgui.cli import main

    assert parse_gui_args(["--lesson"]).lesson == "gradient"
    assert parse_gui_args(["--lesson", "momentum"]).lesson == "momentum"
    with pytest.raises(CliError, match="Unknown chapter"):
        parse_gui_args(["--lesson", "nope"])
    with pytest.raises(CliError, match="cannot go with"):
        parse_gui_args(["--lesson", "adam", "--preset", "ravine"])
    assert set(KEYS) <= set(chapter(k).key for k in KEYS)
    assert main(["list"]) == 0


def test_the_lesson_action_is_in_the_help_menu_and_the_toolbar(window):
    action = find(window, QAction, "lessonAction")
    menus = [a.text() for a in window.menuBar().actions()]
    help_menu = window.menuBar().actions()[menus.index("&Help")].menu()
    assert action in help_menu.actions()
    assert any(action in bar.actions() for bar in window.findChildren(QWidget) if hasattr(bar, "toolButtonStyle"))
    assert find(window, QWidget, "lessonTry") is not None


def test_a_chapter_exports_as_a_gif_with_its_title_and_rule_drawn_in(window, tmp_path):
    import imageio.v3 as iio

    from adamgui.gui.docks.lesson import banner
    from adamgui.gui.export.save import save_animation, view_size

    window.open_lesson("bias")
    top = banner(chapter("bias"), view_size(window, "contour").width())
    out = tmp_path / "bias.gif"
    assert save_animation(window, out, 3, "contour", 10, banner=top) == 4
    frames = iio.imread(out, index=None)
    assert frames.shape[0] == 4 and frames.shape[1] == top.height() + view_size(window, "contour").height()
    strip = frames[0, : top.height()].astype(int)
    assert (strip.max(axis=2) > 150).sum() > 500  # the title and the rule, light on the dark strip


def test_the_window_shows_first_and_typesets_the_rule_once_its_first_frame_is_up(qtbot):
    from adamgui.core.optimizers import get_optimizer
    from adamgui.core.scene import default_scene
    from adamgui.gui.main_window import MainWindow

    w = MainWindow(default_scene())
    qtbot.addWidget(w)
    rule = find(w, QLabel, "inspectorRule")
    optimizer = w.controller.sim.runs[0].spec.optimizer
    assert not w.inspector.typesetting and rule.pixmap().isNull()
    assert rule.text() == get_optimizer(optimizer).step_rule  # the rule in plain words meanwhile
    with qtbot.waitSignal(w.first_frame, timeout=10_000):
        w.show()
    qtbot.waitUntil(lambda: not rule.pixmap().isNull(), timeout=5000)
    assert ink(rule.pixmap().toImage()) > 50
    w.force_close()


def test_the_inspector_typesets_the_rule_of_the_inspected_runs_optimizer(window, qtbot):
    c = window.controller
    c.advance_to(2)
    rule = find(window, QLabel, "inspectorRule")
    qtbot.waitUntil(lambda: window.inspector.typesetting, timeout=5000)  # once the window's first frame is up
    window.inspector.select_run(1)  # adam
    window.inspector.raise_()
    adam = rule.pixmap().toImage()
    window.inspector.select_run(0)  # gd: one short line
    gd = rule.pixmap().toImage()
    assert ink(adam) > 500 and ink(gd) > 50 and adam.height() > 2 * gd.height()


def test_moving_between_chapters_never_asks_to_save_the_lesson_s_scratch(window, qtbot, monkeypatch, tmp_path):
    """A "try this" changes the chapter's scene; the next chapter loads without a question. A scene the user
    named (saved to a file), or one that is not a chapter's, is asked about as before (issue 34.7)."""
    asked = []
    monkeypatch.setattr(window.documents, "ask", lambda: asked.append(1) or QMessageBox.StandardButton.Discard)
    panel = open_lesson(window)
    window.load_chapter("descent")
    find(panel, QPushButton, "lessonTry0").click()
    assert window.documents.modified
    QTest.keyClick(window, Qt.Key.Key_PageDown)  # the next chapter
    assert window.controller.scene.chapter == "saddle" and asked == []
    find(panel, QPushButton, "lessonTry0").click()
    window.load_chapter("momentum")
    assert asked == []
    assert window.documents.save_to(tmp_path / "mine.adamgui.json")  # named: now it is the user's document
    find(panel, QPushButton, "lessonTry0").click()
    window.load_chapter("descent")
    assert asked == [1]
    window.findChild(QAction, "preset_ravine").trigger()  # a scene of the user's own, not a chapter's
    window.controller.set_run_params(0, {"lr": 0.05})
    assert window.documents.modified and window.documents.path is None
    window.load_chapter("saddle")
    assert asked == [1, 1]
    window.lesson.hide()


def test_the_lesson_names_controls_that_are_there(window, qtbot):
    """ "press Step" named a button the toolbar does not have (issue 34.19): the words name Forward (→), which
    the toolbar shows and which, at the newest step, computes one more."""
    from PySide6.QtWidgets import QToolBar

    open_lesson(window)
    window.load_chapter("descent")
    assert "Forward (→)" in window.statusBar().currentMessage()
    assert "press Forward (→)" in find(window, QLabel, "lessonNumbers").text()
    toolbar = find(window, QToolBar, "playbackToolbar")
    forward = find(window, QAction, "forwardAction")
    assert forward.text() == "Forward" and toolbar.widgetForAction(forward).isVisible()
    before = window.controller.sim.t
    forward.trigger()
    assert window.controller.sim.t == before + 1
    window.lesson.hide()


def test_the_rule_follows_the_bias_correction_switch(window, qtbot):
    """Chapter 7 with bias correction off showed m̂ = m/(1 − β₁ᵗ) while the numbers showed m̂ = m (issue 34.3): the
    lesson's rule and the inspector's say m̂ = m, v̂ = v once the switch is off, and go back when it is on."""
    from adamgui.core.lesson import chapter
    from adamgui.core.optimizers import UNCORRECTED_LATEX

    panel = open_lesson(window)
    window.inspector.allow_typesetting()
    window.load_chapter("bias")
    c = window.controller
    ch = chapter("bias")
    with_correction = panel.rule.pixmap().toImage()
    assert UNCORRECTED_LATEX not in ch.rule_for(c.scene)
    c.set_run_params(ch.focus, {"bias_correction": False})  # the switch, as the panel's checkbox flips it
    assert UNCORRECTED_LATEX in ch.rule_for(c.scene)
    assert panel.rule.pixmap().toImage() != with_correction  # drawn anew, as the scene says
    c.advance_to(2)
    window.inspector.select_run(ch.focus)
    qtbot.waitUntil(lambda: window.inspector.rule_key is not None and UNCORRECTED_LATEX in window.inspector.rule_key[1],
                    timeout=3000)  # fmt: skip
    c.set_run_params(ch.focus, {"bias_correction": True})
    assert panel.rule.pixmap().toImage() == with_correction
    window.lesson.hide()


def test_the_edge_of_stability_shows_lambda_max_reaching_two_over_alpha_in_the_sharpness_plot(window, qtbot):
    """The chapter's Sharpness plot, read off its curves: GD α = 0.2's λ_max above the dashed 2/α = 10 at step 2,
    and at 9.93 at the end; GD α = 0.1's below its dashed 20 all along."""
    open_lesson(window)
    window.load_chapter("edge-of-stability")
    c = window.controller
    c.advance_to(c.scene.step_limit)
    qtbot.waitUntil(lambda: window.plots.curves["sharpness"] and window.plots.curves["sharpness"][0].xData is not None)
    qtbot.waitUntil(lambda: window.plots.curves["sharpness"][0].xData[-1] == 1000, timeout=5000)
    (steps, lam), (_, limit) = (
        (curve.xData, curve.yData) for curve in (window.plots.curves["sharpness"][0], window.plots.limits[0])
    )
    at = dict(zip(steps.tolist(), lam.tolist(), strict=True))
    assert at[3] > 10 > at[2]  # step 3 starts where step 2 left: λ_max 14.3 (the plot reads λ where each step starts)
    assert np.all(limit == 10) and round(lam[-1], 2) == 9.93
    slow, slow_limit = window.plots.curves["sharpness"][1].yData, window.plots.limits[1].yData
    assert np.all(slow < slow_limit) and np.all(slow_limit == 20)
