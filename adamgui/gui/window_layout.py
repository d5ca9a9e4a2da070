"""Where the window sits and how its docks are laid out: fitted to the screen, restored from the last session,
the bottom docks side by side on a roomy screen and tabbed on a laptop, and put back on request.

A mixin of the main window (it uses the window's docks and settings); the main window's constructor calls
``restore_settings`` once its parts exist.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar, QToolBar

from adamgui.gui.app.settings import app_settings, store_blob, stored_blob

LAYOUT_VERSION = 8  # raise when docks are added or removed: a saved layout of another version is ignored
SCREEN_SHARE = 0.9  # a first launch takes this much of the screen's width and height, centred
ROOMY = (1700, 1000)  # from this available size on, the bottom docks stand side by side; below it, tabs
BOTTOM_SHARE = 0.34  # of the window's height, for runs, inspector, plots and maps


class WindowLayout:
    """The window's geometry and dock layout (mixed into MainWindow, a QMainWindow)."""

    def restore_settings(self) -> None:
        """Geometry, dock layout, zoom and theme from the last session, fitted to today's screen."""
        self._default_state = self.saveState(LAYOUT_VERSION)
        self._default_geometry = self.saveGeometry()
        settings = app_settings()  # every stored value is checked; what fails is dropped, never fatal
        geometry, state = stored_blob(settings, "geometry"), stored_blob(settings, "window_state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state, LAYOUT_VERSION)  # an older layout is ignored
        self.clamp_to_screen()
        try:
            zoom = float(settings.value("zoom", 1.0))
        except (TypeError, ValueError):
            zoom = 1.0
        zoom = zoom if math.isfinite(zoom) else 1.0
        self.set_zoom(zoom, remember=False)
        self.apply_theme(str(settings.value("theme", "system")), remember=False)

    def store_layout(self) -> None:
        """Geometry and dock layout kept for the next session (restore_settings reads them back)."""
        settings = app_settings()
        store_blob(settings, "geometry", self.saveGeometry())
        store_blob(settings, "window_state", self.saveState(LAYOUT_VERSION))

    def available(self) -> QRect:
        screen = self.screen() or QApplication.primaryScreen()
        return screen.availableGeometry()

    def fit_to_screen(self) -> None:
        """A first launch: 90% of the screen, centred; docks side by side where there is room, else tabbed."""
        area = self.available()
        w, h = round(area.width() * SCREEN_SHARE), round(area.height() * SCREEN_SHARE)
        self.resize(w, h)
        self.move(area.x() + (area.width() - w) // 2, area.y() + (area.height() - h) // 2)
        self.arrange_docks(area.width() >= ROOMY[0] and area.height() >= ROOMY[1])

    def arrange_docks(self, roomy: bool) -> None:
        """Runs, inspector and plots below the views: side by side (roomy) or as tabs; Maps a tab among them."""
        bottom = [self.runs_dock, self.inspector, self.plots]
        optional = [self.data_panel, self.maps, self.race, self.network]  # tabs that come and go
        shown = [dock.isVisibleTo(self) for dock in optional]
        for dock in optional:
            dock.show()  # a hidden dock is left out of a tab group
        if roomy:
            self.splitDockWidget(self.runs_dock, self.inspector, Qt.Orientation.Horizontal)
            self.splitDockWidget(self.inspector, self.plots, Qt.Orientation.Horizontal)
            for dock in optional:
                self.tabifyDockWidget(self.plots, dock)
            self.resizeDocks(bottom, [5, 5, 4], Qt.Orientation.Horizontal)
        else:
            for dock in bottom[1:] + optional:
                self.tabifyDockWidget(self.runs_dock, dock)
        for dock, visible in zip(optional, shown, strict=True):
            dock.setVisible(visible)
        self.runs_dock.raise_()
        if roomy:
            self.plots.raise_()
        self.resizeDocks([self.panel], [self.panel.minimumWidth()], Qt.Orientation.Horizontal)
        self._bottom_sized = False  # the height of the bottom docks is set once the window is laid out

    def _drop_stale_tab_bars(self) -> None:
        """Regrouping docks into tabs one at a time leaves Qt's tab bars of the groups in between shown,
        drawn over a dock or a toolbar. A bar in use names exactly a group of docks tabbed together now,
        and sits against them without covering any: every other bar is hidden."""
        docks = {d.windowTitle(): d for d in self.findChildren(QDockWidget) if d.isVisible() and not d.isFloating()}
        for bar in self.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if not bar.isVisible():
                continue
            group = [docks.get(bar.tabText(i)) for i in range(bar.count())]
            in_use = (
                len(group) > 1
                and None not in group
                and set(group[1:]) <= set(self.tabifiedDockWidgets(group[0]))
                and not any(bar.geometry().intersects(d.geometry()) for d in docks.values())
                and any(bar.geometry().adjusted(0, -4, 0, 4).intersects(d.geometry()) for d in group)
            )
            if not in_use:
                bar.hide()

    def _size_bottom_docks(self) -> None:
        QTimer.singleShot(0, self._drop_stale_tab_bars)
        front = getattr(self, "_raise_when_shown", None)
        if front is not None:
            self._raise_when_shown = None
            QTimer.singleShot(0, lambda: self.bring_to_front(front))  # after the tab bars settled
        if stored_blob(app_settings(), "window_state") is None:  # a restored layout keeps its own sizes
            self.resizeDocks([self.runs_dock], [round(self.height() * BOTTOM_SHARE)], Qt.Orientation.Vertical)

    def bring_to_front(self, dock: QDockWidget) -> None:
        """``dock``'s tab the current one of its group. (``raise_`` alone left the first tab in front of a group
        made before the window first showed.)"""
        dock.raise_()
        for bar in self.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            titles = [bar.tabText(i) for i in range(bar.count())]
            if bar.isVisible() and dock.windowTitle() in titles:
                bar.setCurrentIndex(titles.index(dock.windowTitle()))

    def clamp_to_screen(self) -> None:
        """A restored geometry that no longer fits this screen is shrunk and moved into it."""
        if self.isFullScreen() or self.isMaximized():
            return
        area = self.available()
        frame = self.frameGeometry()
        extra_w, extra_h = frame.width() - self.width(), frame.height() - self.height()
        w = min(self.width(), area.width() - extra_w)
        h = min(self.height(), area.height() - extra_h)
        if (w, h) != (self.width(), self.height()):
            self.resize(w, h)
        x = min(max(frame.x(), area.x()), area.right() + 1 - w - extra_w)
        y = min(max(frame.y(), area.y()), area.bottom() + 1 - h - extra_h)
        self.move(x, y)

    def give_room(self, dock: QDockWidget, shown: bool = True) -> None:
        """Maps or Network opened: a window of its own, once per window (docked below the views, the two maps
        were 260 px wide at 1366 x 768, cut by the bottom, and the network's four pictures 290 px tall). Maps
        takes most of the screen; Network takes the screen right of the Parameters and Lesson panel, so a
        chapter's text stays in sight beside it. Docked back by the user (its title bar's button), it stays."""
        if not shown or dock in self._given_room or dock.isFloating():
            return
        self._given_room.add(dock)
        area = self.available()
        w, h = min(int(area.width() * 0.92), 1280), min(int(area.height() * 0.92), 860)
        x = area.x() + (area.width() - w) // 2
        beside = [  # the Parameters panel or the Lesson, whichever is the tab in front
            side
            for side in (self.panel, self.lesson)
            if side.isVisible() and not side.isFloating() and not side.visibleRegion().isEmpty()
        ]
        if dock is self.network and beside:
            left = beside[0].mapToGlobal(QPoint(beside[0].width(), 0)).x() + 4
            room = area.right() + 1 - left
            if left >= area.x() and room >= dock.widget().widget().minimumWidth() + 40:  # (its body, a frame)
                x, w = left, min(room, 1280)
        dock.setFloating(True)
        dock.resize(w, h)
        dock.move(x, area.y() + (area.height() - h) // 2)
        dock.raise_()

    def open_roomy(self, dock: QDockWidget) -> None:
        """Show a dock the app opens itself (a session or chapter that trains a network), with room as above
        (placed once the window is on the screen: a chapter opened from the command line asks before that)."""
        if self._undrawn:  # (the window has not painted yet)
            self.first_frame.connect(lambda: self.open_roomy(dock), Qt.ConnectionType.SingleShotConnection)
            return
        dock.show()
        self.give_room(dock)
        dock.raise_()

    def make_room_for_slice(self, shown: bool) -> None:
        """The user checked 'Show the slice' while the Network window covers the 3D and contour views: it docks
        below them (the views now draw its slice, larger), and takes a window of its own again when the user
        unchecks the box (not when Play or a scene puts the slice away: then the views are wanted)."""
        dock = self.network
        views = QRect(self.centralWidget().mapToGlobal(QPoint(0, 0)), self.centralWidget().size())
        if shown and dock.isFloating() and dock.frameGeometry().intersects(views):
            self._docked_for_slice = True
            dock.setFloating(False)
            dock.raise_()
        elif not shown and self._docked_for_slice:
            self._docked_for_slice = False
            if dock.isVisible() and not dock.isFloating():
                self._given_room.discard(dock)
                self.give_room(dock)

    def hide_floating_docks(self) -> None:
        """The window closes: its docks in windows of their own go with it (the layout was stored first, so
        they come back next time)."""
        for dock in self.findChildren(QDockWidget):
            if dock.isFloating():
                dock.hide()

    def _on_maps_visibility(self, visible: bool) -> None:
        if visible:  # (the Maps action brings its tab to the front)
            self.clamp_to_screen()  # opening Maps never grows the window past the screen

    def reset_layout(self) -> None:
        self.restoreState(self._default_state, LAYOUT_VERSION)
        self.maps.hide()
        self.race.hide()
        self.network.hide()
        self.findChild(QToolBar, "timelineToolbar").show()
        for dock in (self.panel, self.runs_dock, self.inspector, self.plots):
            dock.setVisible(True)
            dock.setFloating(False)
