"""Run by tests/gui/test_screens.py on a virtual display of a given size (ADAMGUI_SCREEN_CHECK=1).

Not collected by a plain ``pytest`` run: the name does not start with ``test_``.
"""

import os

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QDockWidget, QPushButton

from adamgui.core.scene import default_scene

pytestmark = pytest.mark.skipif(not os.environ.get("ADAMGUI_SCREEN_CHECK"), reason="run by test_screens.py")
MIN_VIEW = (300, 220)


def global_rect(widget) -> QRect:
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def check_fits(window, label: str) -> None:
    screen = window.screen().availableGeometry()
    assert screen.contains(window.frameGeometry()), f"{label}: window {window.frameGeometry()} outside {screen}"
    for dock in window.findChildren(QDockWidget):
        if dock.isVisible() and not dock.visibleRegion().isEmpty():
            assert screen.contains(global_rect(dock)), f"{label}: {dock.objectName()} {global_rect(dock)} off screen"
    for view in (window.surface_view, window.contour_view):
        assert view.width() >= MIN_VIEW[0] and view.height() >= MIN_VIEW[1], (
            f"{label}: {view.objectName()} {view.size()}"
        )
    shot = os.environ.get("ADAMGUI_SCREEN_SHOTS")
    if shot:
        from adamgui.gui.export.save import window_picture

        window_picture(window).save(f"{shot}-{label}.png")


def test_the_window_and_its_docks_fit_the_screen_with_and_without_maps(window, qtbot):
    qtbot.wait(200)  # the window fixture of conftest.py, on this screen
    check_fits(window, "plain")
    window.maps.toggleViewAction().trigger()
    qtbot.wait(200)
    assert window.maps.isVisible()
    check_fits(window, "maps")
    # Maps has room (issue 34.9): a window of its own, each map at least 400 x 400 px, on every screen checked
    assert window.maps.isFloating()
    qtbot.waitUntil(
        lambda: all(v.width() >= 400 and v.height() >= 400 for v, _ in window.maps.basin_views), timeout=3000
    )
    compute = window.findChild(QPushButton, "basinCompute")
    window.maps.scroll.ensureWidgetVisible(compute)
    assert compute.isVisible() and window.screen().availableGeometry().contains(global_rect(compute))
    window.close()


def test_a_remembered_window_larger_than_this_screen_is_shrunk_into_it(qtbot):
    from PySide6.QtCore import QByteArray

    from adamgui.gui.app.settings import app_settings, store_blob, stored_blob
    from adamgui.gui.main_window import MainWindow

    big = MainWindow(default_scene())
    qtbot.addWidget(big)
    big.resize(3000, 2000)
    big.move(-500, -400)
    geometry = QByteArray(big.saveGeometry())
    big.close()
    store_blob(app_settings(), "geometry", geometry)  # as the app keeps it (with its checksum)
    assert stored_blob(app_settings(), "geometry") == geometry
    window = MainWindow(default_scene())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(100)
    check_fits(window, "restored")
    window.close()


def test_the_shortcut_sheet_fits_the_screen_and_its_ok_is_in_sight_at_every_zoom(window, qtbot):
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser

    screen = window.screen().availableGeometry()
    for zoom in (1.0, 1.44):
        window.set_zoom(zoom, remember=False)
        window.shortcuts_action.trigger()  # F1
        dialog = window.findChild(QDialog, "shortcutsDialog")
        qtbot.waitExposed(dialog)
        assert screen.contains(dialog.frameGeometry()), f"zoom {zoom}: {dialog.frameGeometry()} outside {screen}"
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        assert ok.isVisible() and screen.contains(global_rect(ok)), f"zoom {zoom}: OK at {global_rect(ok)}"
        text = dialog.findChild(QTextBrowser)
        assert "Click on the contour map" in text.toPlainText()
        ok.click()
        qtbot.waitUntil(lambda: window.findChild(QDialog, "shortcutsDialog") is None, timeout=3000)
    window.set_zoom(1.0, remember=False)
