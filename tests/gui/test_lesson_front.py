"""``main.py --lesson``: the lesson is the tab in front when the window first appears (issue 34.6)."""

from adamgui.core.scene import default_scene


def test_the_lesson_opened_before_the_window_shows_is_in_front(qtbot):
    from adamgui.gui.main_window import MainWindow

    window = MainWindow(default_scene())
    qtbot.addWidget(window)
    window.open_lesson("descent")  # as run_gui does for --lesson: before the window is shown
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.lesson.visibleRegion().isEmpty(), timeout=3000)
    qtbot.wait(50)  # (the layout's first settling is over: it stays in front)
    assert not window.lesson.visibleRegion().isEmpty()
    assert window.panel.visibleRegion().isEmpty()  # the parameters are the tab behind it
    window.bring_to_front(window.panel)  # the next window restores this layout: the parameters in front again
