"""How the views show the scene is one value (ViewSettings), owned by the controller and carried on every frame:
the menus change it, the views and an off-screen export read it, nothing is copied by hand."""

import dataclasses

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox

from adamgui.core.presets import get_preset
from adamgui.gui.frame import ARROW_KINDS, ViewSettings
from tests.gui.helpers import find
from tests.gui.test_inspection import step


def test_each_setting_is_changed_by_its_menu_and_carried_on_the_frame(window):
    window.load_preset(get_preset("ravine"))
    step(window, 3)
    c = window.controller
    frames = []
    c.frame_ready.connect(frames.append)
    changes = {
        "curvature": lambda: find(window, QAction, "curvatureAction").trigger(),
        "arrows": lambda: find(window, QAction, "momentumArrowsAction").trigger(),
        "arrows_for_all": lambda: find(window, QAction, "allRunsArrowsAction").trigger(),
        "follow": lambda: find(window, QAction, "followRunsAction").trigger(),
        "equal_scale": lambda: find(window, QAction, "equalScaleAction").trigger(),
        "zoom": lambda: window.set_zoom(1.5, remember=False),
        "inspected": lambda: find(window, QComboBox, "inspectorRun").setCurrentIndex(2),
    }
    assert set(changes) == {f.name for f in dataclasses.fields(ViewSettings)}  # every setting has its control
    try:
        for name, change in changes.items():
            before = c.view
            change()
            assert getattr(c.view, name) != getattr(before, name), name
            assert frames[-1].view == c.view, name  # the next frame carries it
            assert (
                window.contour_view.arrows.frame.view == c.view and window.contour_view.curvature.frame.view == c.view
            )
    finally:
        window.set_zoom(1.0, remember=False)
    assert c.view.arrows == frozenset(ARROW_KINDS) - {"momentum"}


def test_an_off_screen_export_shows_what_the_window_shows(window, monkeypatch):
    """The contour view drawn off screen for an export takes the frame's settings (it once copied each overlay's
    state by hand: a setting added later would have been missed)."""
    from adamgui.gui.export import save
    from adamgui.gui.views import contour_view

    window.load_preset(get_preset("ravine"))
    step(window, 3)
    find(window, QAction, "curvatureAction").trigger()
    find(window, QAction, "equalScaleAction").trigger()
    find(window, QAction, "stepArrowsAction").trigger()
    window.set_zoom(1.5, remember=False)
    made = []
    real = contour_view.ContourView

    class Recorded(real):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(contour_view, "ContourView", Recorded)
    view = window.controller.view
    try:
        image = save.grab(window, "contour", QSize(320, 240))
    finally:
        window.set_zoom(1.0, remember=False)
    assert not image.isNull() and len(made) == 1
    copy = made[0]
    assert copy.arrows.frame.view == view and copy.curvature.enabled and copy.zoom == 1.5 and not copy.equal_scale
    assert "step" not in view.arrows
