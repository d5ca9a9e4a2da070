"""The main window: views side by side, the parameter panel docked, one block of wiring."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSlider,
    QSplitter,
    QStyle,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from adamgui import __version__
from adamgui.core.lesson import chapter, number
from adamgui.core.params import ParamError
from adamgui.core.presets import PRESETS
from adamgui.core.scene import Scene, default_scene, scene_from_preset
from adamgui.core.surface_rates import outlook
from adamgui.gui.actions import ACTIONS, ActionSpec, make_action
from adamgui.gui.app import theme as themes
from adamgui.gui.app.hessian_builder import HessianBuilder
from adamgui.gui.app.jobs import Jobs
from adamgui.gui.app.settings import app_settings
from adamgui.gui.app.uncaught_errors import UncaughtErrors
from adamgui.gui.controller import DEFAULT_SPEED, SPEEDS, Controller
from adamgui.gui.docks.data import DataPanel
from adamgui.gui.docks.inspector import StepInspector
from adamgui.gui.docks.lesson import LessonPanel
from adamgui.gui.docks.maps import MapsDock
from adamgui.gui.docks.network import NetworkDock
from adamgui.gui.docks.parameter_panel import ParameterPanel
from adamgui.gui.docks.plots import PlotsDock
from adamgui.gui.docks.race import RaceDock
from adamgui.gui.docks.run_table import RunTable
from adamgui.gui.documents import Documents
from adamgui.gui.frame import ARROW_KINDS, Frame
from adamgui.gui.views.arrows import KIND_LABELS
from adamgui.gui.views.contour_view import ContourView
from adamgui.gui.views.surface_view import SurfaceView
from adamgui.gui.widgets.keyboard import FieldGuard
from adamgui.gui.window_layout import LAYOUT_VERSION, WindowLayout

ZOOM_STEP = 1.2
ZOOM_RANGE = (0.6, 3.0)
MOUSE_GESTURES = (
    ("Drag in the 3D view", "rotate the surface"),
    ("Wheel in the 3D view", "move the camera closer or further"),
    ("Click on the contour map", "start every run from that point"),
    ("Drag / wheel on the contour map", "pan / zoom the map"),
    ("Drag the timeline", "look at any past step"),
    ("Wheel over the Parameters panel", "scroll it (click a field to edit it)"),
)


class MainWindow(WindowLayout, QMainWindow):
    first_frame = Signal()  # once: the window has painted, and its 3D view (if shown, and not deferred) too
    first_3d_frame = Signal()  # once: the 3D view's first frame (after first_frame, when it was deferred)

    def __init__(self, scene: Scene | None = None, parent: QWidget | None = None, defer_3d: bool = False):
        """``defer_3d``: the 3D view is made once the window has painted (the app's start: on the screen sooner)."""
        super().__init__(parent)
        self._defer_3d = defer_3d
        self._given_room: set = set()  # Maps and Network, given a window of their own once (they may be docked back)
        self._docked_for_slice = False  # the Network window docked so the views could show its slice
        self.controller = Controller(scene or default_scene(), self)
        self._surface = None
        self._slice: Frame | None = None  # the Network dock's slice, while the 3D and contour views show it
        self._failures_logged: set[int] = set()  # runs whose plugin failure the error log has
        self.jobs = Jobs(self)
        self.jobs.all_done.connect(self._close_if_asked)
        self._close_asked = False
        self._runs_to_set = False  # a new surface or domain: the views rebuild their runs from the next frame
        self.documents = Documents(self.controller, self, self.jobs)
        self.create_views()
        self._undrawn = {"window", "3d"}  # what has yet to show its first frame
        self._first_3d_seen = False  # (first_3d_frame is emitted once)
        self.surface_view.gl_ready.connect(self._watch_first_3d_frame)
        self._watch_first_3d_frame()
        if defer_3d:
            self.first_frame.connect(lambda: QTimer.singleShot(0, self.surface_view.create_gl))
        self.create_docks()
        self.create_actions()
        self.create_menus()
        self.create_toolbar()
        self.connect_signals()
        self.uncaught_errors = UncaughtErrors(self, on_error=self.controller.pause)
        self.uncaught_errors.install()
        self.field_guard = FieldGuard(self.give_keyboard_back, self)
        self.field_guard.guard(self.panel)
        self.field_guard.guard(self.maps)
        self.controller.load_scene(self.controller.scene)
        self.fit_to_screen()
        self.restore_settings()
        self.update_title()

    # --- construction -------------------------------------------------------
    def create_views(self) -> None:
        self.surface_view = SurfaceView(defer=self._defer_3d)
        self.contour_view = ContourView()
        self.run_table = RunTable()
        views = QSplitter(Qt.Orientation.Horizontal)
        views.setObjectName("viewSplitter")
        views.addWidget(self.surface_view)
        views.addWidget(self.contour_view)
        views.setSizes([1, 1])
        views.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # where the keyboard goes after a field's Enter
        self.views = views
        self.caption = QLabel()
        self.caption.setObjectName("presentationCaption")
        self.caption.setWordWrap(True)
        self.caption.setVisible(False)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.caption)
        column.addWidget(views, 1)
        self.setCentralWidget(central)

    def create_docks(self) -> None:
        """Parameters on the left, full height; runs, inspector, plots and maps below the views."""
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.TopLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.panel = ParameterPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.panel)
        self.runs_dock = QDockWidget("Runs", self)
        self.runs_dock.setObjectName("runsDock")
        self.runs_dock.setWidget(self.run_table)
        self.inspector = StepInspector(self)
        self.plots = PlotsDock(self)
        self.hessians = HessianBuilder(self.statusBar(), self)  # a formula's curvature, off the GUI thread
        self.hessians.install()
        self.maps = MapsDock(self)
        self.race = RaceDock(self)
        self.network = NetworkDock(self)
        self.data_panel = DataPanel(self)
        for dock in (self.runs_dock, self.inspector, self.plots, self.data_panel, self.maps, self.race, self.network):
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.maps.hide()  # opened from the toolbar or View > Maps; fit_to_screen arranges the bottom docks
        self.race.hide()  # opened from the toolbar or View > Race
        self.network.hide()  # opened from the toolbar or View > Network
        self.data_panel.hide()  # shown when the surface is a model's loss (and from View > Data)
        self.maps.visibilityChanged.connect(self._on_maps_visibility)
        for roomy in (self.maps, self.network):  # opened, each gets a window of its own, once
            roomy.toggleViewAction().triggered.connect(lambda shown, dock=roomy: self.give_room(dock, shown))
        self.race.visibilityChanged.connect(self._on_maps_visibility)
        self.network.visibilityChanged.connect(self._on_maps_visibility)
        self.lesson = LessonPanel(self)  # a tab beside the parameters: the views keep their width
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.lesson)
        self.tabifyDockWidget(self.panel, self.lesson)
        self.lesson.hide()  # Help > Lesson, the toolbar's Lesson or main.py --lesson

    def create_actions(self) -> None:
        for spec in ACTIONS:  # the fixed ones, declared in gui/actions.py
            setattr(self, spec.attr, make_action(self, spec))
        self.theme_actions = {}
        for theme in ("system", "light", "dark"):
            action = make_action(
                self,
                ActionSpec(
                    "",
                    f"theme_{theme}",
                    {"system": "Follow the system", "light": "Light", "dark": "Dark"}[theme],
                    tip=f"{theme.capitalize()} colors" if theme != "system" else "Light or dark, as the desktop is",
                    checkable=True,
                ),
            )
            action.triggered.connect(lambda _=False, t=theme: self.apply_theme(t))
            self.theme_actions[theme] = action
        self.arrow_actions = {}
        for kind in ARROW_KINDS:
            spec = ActionSpec("", f"{kind}ArrowsAction", KIND_LABELS[kind], None, f"Show the {kind} arrows")
            self.arrow_actions[kind] = make_action(self, replace(spec, checkable=True, checked=True))
        self.addActions([self.lesson_previous_action, self.lesson_next_action])  # keys work with the menus hidden
        self.preset_actions = []
        for preset in PRESETS.values():
            action = make_action(self, ActionSpec("", f"preset_{preset.name}", preset.title, tip=preset.watch))
            action.triggered.connect(lambda _=False, p=preset: self.load_preset(p))
            self.preset_actions.append(action)

    def create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.open_action, self.open_link_action])
        file_menu.addMenu(self.documents.recent_menu)
        file_menu.addActions([self.save_action, self.save_as_action])
        file_menu.addSeparator()
        export_menu = file_menu.addMenu("&Export")
        export_menu.addActions(
            [
                self.export_image_action,
                self.export_animation_action,
                self.export_data_action,
                self.export_notebook_action,
            ]
        )
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.addAction(self.quit_action)  # Ctrl+Q on the window itself: it works while a job has the menus off
        share_menu = bar.addMenu("S&hare")
        share_menu.addAction(self.copy_link_action)
        sim_menu = bar.addMenu("&Simulation")
        sim_menu.addActions([self.play_action, self.step_action, self.reset_action])
        sim_menu.addSeparator()
        sim_menu.addActions([self.back_action, self.forward_action, self.first_action, self.newest_action])
        preset_menu = bar.addMenu("&Presets")
        preset_menu.setToolTipsVisible(True)
        preset_menu.addActions(self.preset_actions)
        view_menu = bar.addMenu("&View")
        view_menu.addActions(
            [
                dock.toggleViewAction()
                for dock in (
                    self.panel,
                    self.lesson,
                    self.runs_dock,
                    self.inspector,
                    self.plots,
                    self.data_panel,
                    self.maps,
                    self.race,
                    self.network,
                )
            ]
        )
        view_menu.addSeparator()
        arrows_menu = view_menu.addMenu("Arrows")
        arrows_menu.addActions(list(self.arrow_actions.values()))
        arrows_menu.addAction(self.curvature_action)
        arrows_menu.addSeparator()
        arrows_menu.addAction(self.all_arrows_action)
        view_menu.addAction(self.reset_camera_action)
        view_menu.addAction(self.equal_scale_action)
        view_menu.addAction(self.follow_action)
        view_menu.addSeparator()
        view_menu.addActions([self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action])
        view_menu.addActions([self.fullscreen_action, self.presentation_action])
        view_menu.addSeparator()
        view_menu.addAction(self.reset_layout_action)
        theme_menu = view_menu.addMenu("Theme")
        theme_menu.addActions(list(self.theme_actions.values()))
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.lesson_action, self.lesson_previous_action, self.lesson_next_action])
        help_menu.addSeparator()
        help_menu.addActions([self.shortcuts_action, self.about_action])

    def create_toolbar(self) -> None:
        bar = self.addToolBar("Playback")
        bar.setObjectName("playbackToolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addActions([self.play_action, self.back_action, self.forward_action, self.reset_action])
        bar.widgetForAction(self.back_action).setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        bar.widgetForAction(self.forward_action).setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        bar.addSeparator()
        bar.addWidget(QLabel(" Speed "))
        self.speed_slider = QSlider(Qt.Orientation.Horizontal)
        self.speed_slider.setObjectName("speedSlider")
        self.speed_slider.setRange(0, len(SPEEDS) - 1)
        self.speed_slider.setValue(SPEEDS.index(DEFAULT_SPEED))
        self.speed_slider.setFixedWidth(120)
        self.speed_slider.setToolTip(
            "Steps per second: up to 60 every step is a frame; past it, fast-forward shows several steps a frame"
        )
        bar.addWidget(self.speed_slider)
        self.speed_label = QLabel()
        self.speed_label.setObjectName("speedLabel")
        self.speed_label.setMinimumWidth(self.speed_label.fontMetrics().horizontalAdvance("10,000 steps/s »"))
        bar.addWidget(self.speed_label)
        bar.addSeparator()
        self.step_counter = QLabel()
        self.step_counter.setObjectName("stepCounter")
        self.step_counter.setFixedWidth(150)  # a fixed size: new text does not re-lay out the toolbar
        bar.addWidget(self.step_counter)
        bar.addSeparator()
        bar.addAction(self.reset_camera_action)
        maps_toggle = self.maps.toggleViewAction()
        maps_toggle.setText("Maps")
        maps_toggle.setToolTip("Basin maps and hyperparameter sweeps: where every start and setting leads")
        bar.addAction(maps_toggle)
        race_toggle = self.race.toggleViewAction()
        race_toggle.setText("Race")
        race_toggle.setObjectName("raceToggle")
        race_toggle.setToolTip(
            "Tune every run with the same budget of trials, then race the tuned runs: a fair comparison"
        )
        bar.addAction(race_toggle)
        network_toggle = self.network.toggleViewAction()
        network_toggle.setText("Network")
        network_toggle.setObjectName("networkToggle")
        network_toggle.setToolTip("Train a small network with several optimizers, live, and see their paths on a slice")
        bar.addAction(network_toggle)
        bar.addAction(self.lesson_action)
        self._on_speed_changed(self.speed_slider.value())
        self._on_speed_reached(None)

        timeline_bar = QToolBar("Timeline")
        timeline_bar.setObjectName("timelineToolbar")
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, timeline_bar)
        timeline_bar.addWidget(QLabel(" Timeline "))
        self.timeline = QSlider(Qt.Orientation.Horizontal)
        self.timeline.setObjectName("timeline")
        self.timeline.setToolTip(
            "Drag to look at any past step (← and → step through it); Play goes on from the newest"
        )
        timeline_bar.addWidget(self.timeline)
        self.timeline_label = QLabel()
        self.timeline_label.setObjectName("timelineLabel")
        self.timeline_label.setFixedWidth(170)
        timeline_bar.addWidget(self.timeline_label)

    def connect_signals(self) -> None:
        """All the wiring in one place: panel -> controller -> views."""
        c, panel = self.controller, self.panel
        # the typesetter takes a third of a second to load: the window shows first, the typeset rule after
        self.first_frame.connect(lambda: QTimer.singleShot(0, self.inspector.allow_typesetting))
        self.play_action.toggled.connect(c.set_playing)
        self.step_action.triggered.connect(c.step_once)
        self.back_action.triggered.connect(c.step_back)
        self.forward_action.triggered.connect(c.step_forward)
        self.first_action.triggered.connect(c.go_first)
        self.newest_action.triggered.connect(c.go_newest)
        self.reset_action.triggered.connect(c.reset)
        self.fullscreen_action.toggled.connect(self.set_full_screen)
        self.presentation_action.toggled.connect(self.set_presentation)
        self.zoom_in_action.triggered.connect(lambda: self.set_zoom(self.zoom * ZOOM_STEP))
        self.follow_action.toggled.connect(c.set_follow)
        c.view_domain_changed.connect(self._on_view_domain_changed)
        self.lesson_action.triggered.connect(lambda: self.open_lesson())
        self.lesson_previous_action.triggered.connect(lambda: self.lesson.go(-1))
        self.lesson_next_action.triggered.connect(lambda: self.lesson.go(+1))
        self.lesson.chapter_requested.connect(self.load_chapter)
        self.lesson.try_requested.connect(self.apply_try)
        c.scene_changed.connect(self.lesson.on_scene)
        c.scene_edited.connect(self.lesson.on_scene)  # a switch flipped in the panel: the rule follows it
        self.zoom_out_action.triggered.connect(lambda: self.set_zoom(self.zoom / ZOOM_STEP))
        self.zoom_reset_action.triggered.connect(lambda: self.set_zoom(1.0))
        self.equal_scale_action.toggled.connect(lambda on: c.set_view(equal_scale=on))
        panel.fields_rebuilt.connect(lambda: self.field_guard.guard(self.panel))
        # opened from the toolbar or the menu, the dock is the tab in front (triggered comes after it is shown)
        for dock in (self.maps, self.race, self.network):
            dock.toggleViewAction().triggered.connect(lambda on, dock=dock: on and dock.raise_())
        self.reset_camera_action.triggered.connect(self.surface_view.reset_camera)
        self.reset_camera_action.triggered.connect(self.contour_view.reset_view)
        self.quit_action.triggered.connect(self.close)
        self.about_action.triggered.connect(self._show_about)
        self.shortcuts_action.triggered.connect(self._show_shortcuts)
        self.open_action.triggered.connect(self.documents.open_dialog)
        self.open_link_action.triggered.connect(self.documents.open_link_dialog)
        self.copy_link_action.triggered.connect(self.documents.copy_link)
        self.save_action.triggered.connect(self.documents.save)
        self.save_as_action.triggered.connect(self.documents.save_as_dialog)
        self.export_image_action.triggered.connect(lambda: self._export("export_image"))
        self.export_animation_action.triggered.connect(lambda: self._export("export_animation"))
        self.export_data_action.triggered.connect(lambda: self._export("export_data"))
        self.export_notebook_action.triggered.connect(lambda: self._export("export_notebook"))
        self.reset_layout_action.triggered.connect(self.reset_layout)
        self.speed_slider.valueChanged.connect(self._on_speed_changed)
        self.controller.speed_reached.connect(self._on_speed_reached)
        self.timeline.valueChanged.connect(c.scrub)
        self.timeline.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        # how the views show the scene: one value in the controller, carried on every frame (ViewSettings)
        for arrow in self.arrow_actions.values():
            arrow.toggled.connect(
                lambda _on: c.set_view(arrows=frozenset(k for k, a in self.arrow_actions.items() if a.isChecked()))
            )
        self.all_arrows_action.toggled.connect(lambda on: c.set_view(arrows_for_all=on))
        self.curvature_action.toggled.connect(lambda on: c.set_view(curvature=on))
        self.inspector.run_inspected.connect(  # (a run of the Network dock's slice is none of the scene's)
            lambda key: self._slice is None and c.set_view(inspected=key)
        )

        panel.surface_selected.connect(c.set_surface)
        panel.start_edited.connect(c.set_start)
        panel.step_limit_edited.connect(c.set_step_limit)
        panel.run_params_edited.connect(self._on_run_params_edited)
        panel.run_schedule_edited.connect(self._on_schedule_edited)
        panel.batch_edited.connect(c.set_batch)
        self.data_panel.data_requested.connect(c.set_data)
        panel.run_added.connect(c.add_run)
        panel.run_removed.connect(c.remove_run)
        panel.noise_edited.connect(c.set_noise)
        panel.formula_entered.connect(self.enter_formula)
        panel.domain_edited.connect(c.set_domain)
        c.scene_refused.connect(panel.show_error)
        self.contour_view.start_clicked.connect(self._on_start_clicked)
        self.run_table.visibility_toggled.connect(c.set_run_visible)
        self.contour_view.trail_item.visibility_asked.connect(c.set_run_visible)  # a click on the map's legend
        self.run_table.currentCellChanged.connect(lambda row, *_: self.inspector.select_run(row))

        self.maps.start_requested.connect(c.set_start)
        self.maps.params_requested.connect(c.replay_with_params)
        self.documents.path_changed.connect(self.update_title)
        self.documents.modified_changed.connect(self.setWindowModified)
        self.documents.modified_changed.connect(self._update_note)
        self.documents.speed_loaded.connect(self.set_speed)
        self.documents.message.connect(lambda text: self.statusBar().showMessage(text, 5000))

        c.scene_changed.connect(self._on_scene_changed)
        c.scene_changed.connect(self.maps.on_scene)
        c.scene_edited.connect(self.maps.on_scene)  # any change: a new α makes a map out of date too
        c.scene_changed.connect(self.race.on_scene)
        c.scene_edited.connect(self.race.on_scene)
        c.scene_changed.connect(self.network.on_scene)
        self.network.setup_changed.connect(self._on_network_setup)
        self.network.main_frame.connect(self._on_slice_frame)
        self.network.opened.connect(lambda: self.open_roomy(self.network))
        self.network.on_main.clicked.connect(self.make_room_for_slice)  # (the user's click only)
        self.race.race_ready.connect(self._race)
        c.frame_ready.connect(self._on_frame_ready)
        c.playing_changed.connect(self._on_playing_changed)
        c.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.hessians.built.connect(lambda _text: c.emit_frame())  # now with the curvature
        self.hessians.cancelled.connect(self._on_curvature_cancelled)

    def load_preset(self, preset) -> None:
        """A preset is a new, untitled document: Save asks for a name, no file is overwritten."""
        if not self.documents.may_leave():
            return
        self.controller.load_scene(scene_from_preset(preset))
        self.documents.start_untitled()

    def open_lesson(self, key: str | None = None) -> None:
        """Show the Lesson panel, on chapter ``key`` (loaded) or where it is."""
        if key is not None:
            self.load_chapter(key)  # it shows the panel
            return
        self._bring_lesson_forward()

    def _bring_lesson_forward(self) -> None:
        """The Lesson tab in front of the parameters; asked before the window first shows (``--lesson``), once
        its docks have their places (raised before that, the tab bar it belongs to did not exist yet)."""
        self.lesson.show()
        self.lesson.raise_()
        if not self._bottom_sized:  # not shown yet
            self._raise_when_shown = self.lesson

    def load_chapter(self, key: str) -> None:
        """Load a chapter's scene (a new, untitled document), with its speed, following and inspected run.

        A chapter's scene changed by a "try this" or by hand is the lesson's scratch, not the user's document:
        moving on asks to save only a scene the user named (saved to a file) or one that is not a chapter's."""
        scratch = bool(self.controller.scene.chapter) and self.documents.path is None
        if not scratch and not self.documents.may_leave():
            self.lesson.on_scene(self.controller.scene)  # the selector goes back to what is shown
            return
        c = chapter(key)
        self.controller.load_scene(c.scene())
        self.documents.start_untitled()
        self.set_speed(c.speed)
        self.show_as_chapter_says(c)
        self._bring_lesson_forward()
        self.statusBar().showMessage(
            f"Chapter {number(key)}: {c.title}. Press Play (Space), or Forward (→) for one step.", 8000
        )

    def show_as_chapter_says(self, c) -> None:
        """A chapter's own way of showing its scene: following or not, the run inspected, the plot in front."""
        self.follow_action.setChecked(c.follow)
        self.inspector.select_run(c.focus)
        if c.plot:  # the plot the chapter reads from, beside the views
            self.plots.show_tab(c.plot)

    def apply_try(self, key: str, k: int) -> None:
        """A chapter's "try this": its change applied to the chapter's scene, from step 0."""
        c = chapter(key)
        scene = self.controller.scene if self.controller.scene.chapter == key else c.scene()
        try:
            changed = c.tries[k].change(scene)
        except ParamError as e:  # a run it changes was removed, or a value no longer fits
            self.statusBar().showMessage(f"Cannot try that here: {e}", 8000)
            return
        self.controller.load_scene(changed)
        self.inspector.select_run(min(c.focus, len(changed.runs) - 1))

    def _on_curvature_cancelled(self) -> None:
        """Cancel on the busy bar: what was waiting for the formula's curvature turns off."""
        self.curvature_action.setChecked(False)
        if self.plots.current_kind() == "sharpness":
            self.plots.show_tab("loss")
        self.statusBar().showMessage("Curvature not worked out: the curvature view and Sharpness plot are off", 8000)

    def enter_formula(self, text: str) -> None:
        """A typed formula makes the scene a new, untitled (and unsaved) document."""
        before = self.controller.scene
        self.statusBar().showMessage("Differentiating the formula...")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # the first formula loads sympy: seconds
        QApplication.processEvents()
        try:
            self.controller.set_formula(text)
        finally:
            QApplication.restoreOverrideCursor()
            self.statusBar().clearMessage()
        if self.controller.scene is not before:
            self.documents.start_untitled(modified=True)

    def force_close(self) -> None:
        """Close without asking about unsaved changes (a signal from the system: SIGTERM, Ctrl+C), at any
        moment: a question open then ("Save changes?", a file dialog) ends unanswered first, and the window
        closes once that question's own event loop has returned."""
        self._forced = True
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not self and not self.jobs.running:
            ended = set()
            while modal is not None and modal is not self and id(modal) not in ended:
                ended.add(id(modal))
                modal.reject() if isinstance(modal, QDialog) else modal.close()
                modal = QApplication.activeModalWidget()
            QTimer.singleShot(0, self.close)
            return
        self.close()

    def _close_if_asked(self) -> None:
        if self._close_asked:
            self._close_asked = False
            QTimer.singleShot(0, self.close)  # once the job's own code has returned

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.jobs.running:  # a replay or an export: it stops at its next check, then the window closes
            self.jobs.request_stop()
            self._close_asked = True
            event.ignore()
            return
        if not getattr(self, "_forced", False) and not self.documents.may_leave():
            event.ignore()  # Cancel: the window and its work stay
            return
        self.controller.pause()
        self.maps.cancel()
        self.maps.wait()
        self.race.cancel()
        self.race.wait()
        self.network.pause()
        self.network.cancel()
        self.network.wait()
        self.store_layout()
        self.hide_floating_docks()
        self.uncaught_errors.uninstall()
        self.hessians.uninstall()
        self.surface_view.release()
        super().closeEvent(event)

    # --- the screen -------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        if "window" in self._undrawn:
            if self.surface_view.gl is None or not self.surface_view.gl_container.isVisible():
                self._undrawn.discard("3d")  # no 3D view on screen to wait for
            QTimer.singleShot(0, lambda: self._drawn("window"))  # once this paint has finished

    def _drawn(self, part: str) -> None:
        if part == "3d" and not self._first_3d_seen:
            self._first_3d_seen = True
            self.first_3d_frame.emit()
        if self._undrawn:
            self._undrawn.discard(part)
            if not self._undrawn:
                self.first_frame.emit()

    def _watch_first_3d_frame(self) -> None:
        if self.surface_view.gl is not None:
            self.surface_view.gl.frameSwapped.connect(lambda: self._drawn("3d"))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self._bottom_sized:
            self._bottom_sized = True
            QTimer.singleShot(0, self._size_bottom_docks)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        QTimer.singleShot(0, self._drop_stale_tab_bars)  # once the docks have their new places

    # --- for a lecture -----------------------------------------------------------
    def give_keyboard_back(self) -> None:
        """After Enter or Escape in a field: Space, R, ← and → act on the window again."""
        self.views.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_full_screen(self, on: bool) -> None:
        self.showFullScreen() if on else self.showNormal()

    def set_presentation(self, on: bool) -> None:
        """The two views large with the scene's caption; every dock and toolbar but playback hidden."""
        if on:
            self._before_presentation = self.saveState(LAYOUT_VERSION)
            for dock in self.findChildren(QDockWidget):
                dock.hide()
            self.findChild(QToolBar, "timelineToolbar").hide()
        elif getattr(self, "_before_presentation", None) is not None:
            self.restoreState(self._before_presentation, LAYOUT_VERSION)
            self._before_presentation = None
        self._update_caption()
        self.caption.setVisible(on)

    def scene_note(self) -> str:
        """What to watch in the scene (a preset's or a file's sentence), else the surface's description.
        Once the scene was changed, the sentence says it was about the scene as loaded: its numbers
        (a step, a length) may no longer hold."""
        scene = self.controller.scene
        if not scene.watch:
            return scene.surface_obj.description
        return f"As loaded, before your changes: {scene.watch}" if self.documents.modified else scene.watch

    def _update_note(self, *_) -> None:
        self.panel.show_note(self.scene_note())
        self._update_caption()
        scene = self.controller.scene
        if self.documents.modified and scene.title and self.statusBar().currentMessage() == self._loaded_message(scene):
            self.statusBar().clearMessage()  # the note said on loading, no longer about this scene

    @staticmethod
    def _loaded_message(scene: Scene) -> str:
        return f"{scene.title}: {scene.watch}"

    def _update_caption(self) -> None:
        scene = self.controller.scene
        title = scene.title or scene.surface_obj.title
        self.caption.setText(f"<b>{title}</b> — {self.scene_note()}")

    def set_zoom(self, zoom: float, remember: bool = True) -> None:
        """Scale fonts, line widths and markers (1 = 100%), for a projector."""
        zoom = min(max(zoom, ZOOM_RANGE[0]), ZOOM_RANGE[1])
        if abs(zoom - 1.0) < 0.02:
            zoom = 1.0
        app = QApplication.instance()
        if not hasattr(self, "_base_font_size"):
            self._base_font_size = app.font().pointSizeF()
        self.zoom = zoom
        font = app.font()
        font.setPointSizeF(self._base_font_size * zoom)
        app.setFont(font)
        self.controller.set_view(zoom=zoom)  # the contour view takes it from the next frame
        self.lesson.set_zoom(zoom)
        self.inspector.set_zoom(zoom)
        self.surface_view.set_zoom(zoom)
        self.caption.setStyleSheet(f"padding: {round(6 * zoom)}px; font-size: {round(13 * zoom)}pt;")
        if remember:
            app_settings().setValue("zoom", zoom)
            self.statusBar().showMessage(f"Zoom {zoom:.0%}", 3000)

    def apply_theme(self, name: str, remember: bool = True) -> None:
        """'system' follows the desktop's light or dark setting (light where it says nothing); 'light' and
        'dark' force one. Works on every platform: the Fusion style with a palette of our own."""
        if name not in themes.THEMES:
            name = "system"
        hints = QApplication.styleHints()
        if hasattr(hints, "setColorScheme"):
            scheme = {"system": Qt.ColorScheme.Unknown, "light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}
            hints.setColorScheme(scheme[name])
        self.theme = themes.apply(name)
        self.panel.set_theme(self.theme)
        text = QApplication.palette().color(QPalette.ColorRole.WindowText).name()
        self.lesson.set_text_color(text)
        self.inspector.set_text_color(text)
        self.run_table.set_theme(self.theme)
        self.controller.emit_frame()
        for key, action in self.theme_actions.items():
            action.setChecked(key == name)
        if remember:
            app_settings().setValue("theme", name)

    def set_speed(self, steps_per_second: int) -> None:
        """Put the speed slider on the nearest speed there is."""
        wanted = steps_per_second or 60  # 0, from older sessions: a step a frame
        index = min(range(len(SPEEDS)), key=lambda i: abs(math.log(SPEEDS[i] / wanted)))
        self.speed_slider.setValue(index)

    def update_title(self, *_) -> None:
        """'lecture.adamgui.json* — AdamGUI': the file's name ('Untitled' before a first save), and a mark
        while there are unsaved changes."""
        path = self.documents.path
        self.setWindowTitle(f"{path.name if path else 'Untitled'}[*] — AdamGUI")
        self.setWindowModified(self.documents.modified)

    # --- handlers -------------------------------------------------------------
    def _on_scene_changed(self, scene: Scene) -> None:
        self.network.on_main.setChecked(False)  # a scene loaded: the views show it, not a slice
        surface = scene.surface_obj
        self._on_view_domain_changed(surface)
        if surface.model is not None and surface.model is not self.data_panel.model:
            self.data_panel.show()  # a model's loss: its data beside the runs
            self.data_panel.raise_()
        self.panel.set_scene(scene)
        self._update_note()
        if scene.title:
            self.statusBar().showMessage(self._loaded_message(scene), 15000)
        else:
            self.statusBar().clearMessage()

    def _on_run_params_edited(self, index: int, params: dict) -> None:
        """A value typed for a run: used from its next step; if the run (from the start, with these values) would
        diverge or leave the map within 200 steps, said under its α with the α that suits the surface."""
        self.controller.set_run_params(index, params)
        if "lr" in params:
            self.panel.show_run_note(index, "lr", outlook(self.controller.scene, index))

    def _on_schedule_edited(self, index: int, text: str) -> None:
        refused = self.controller.set_run_schedule(index, text)
        if refused is not None:  # the field shows the schedule in use again, and why the typed one was not taken
            self.panel.set_scene(self.controller.scene)
            self.panel.show_run_error(index, "schedule", f"Not used: {text.strip()!r}: {refused}")

    def _on_view_domain_changed(self, surface) -> None:
        """A new surface or domain to draw (a scene, or Follow the runs widening it): both views take it."""
        if self._slice is not None:  # the views show the Network dock's slice; the scene's surface waits
            return
        if surface is not self._surface:  # surfaces are cached: a new object is a new surface or domain
            self.surface_view.set_surface(surface)
            self.contour_view.set_surface(surface)
            self._surface = surface
        self._runs_to_set = True  # from the frame that follows (every caller's): one frame a scene, not two

    def _on_frame_ready(self, frame: Frame) -> None:
        for run in frame.runs:  # a plugin's run that stopped: in the error log once (the Runs table says it)
            if run.status == "failed" and run.serial not in self._failures_logged:
                self._failures_logged.add(run.serial)
                self.uncaught_errors.record(f"run {run.label!r} {run.status_text}")
        self.lesson.on_frame(frame)
        self.data_panel.on_frame(frame)
        if self._slice is None:
            if self._runs_to_set:
                self._runs_to_set = False
                self.surface_view.set_runs(frame)
                self.contour_view.set_runs(frame)
            self.surface_view.on_frame(frame)
            self.contour_view.on_frame(frame)
        self.run_table.on_frame(frame)
        if self._slice is None:  # (else it inspects the slice's runs)
            self.inspector.on_frame(frame)
        self.plots.on_frame(frame)
        self.step_counter.setText(f"Step {frame.newest} / {frame.step_limit}")
        with QSignalBlocker(self.timeline):
            self.timeline.setRange(0, frame.newest)
            self.timeline.setValue(frame.step)
        looking_back = frame.step != frame.newest
        self.timeline_label.setText(f"showing step {frame.step}" + (" (past)" if looking_back else ""))

    def _on_playing_changed(self, playing: bool) -> None:
        if playing:
            self.network.on_main.setChecked(False)  # the scene plays: the views show it again
        with QSignalBlocker(self.play_action):
            self.play_action.setChecked(playing)
        self.play_action.setText("Pause" if playing else "Play")
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_action.setIcon(self.style().standardIcon(icon))

    def _on_slice_frame(self, frame: Frame | None) -> None:
        """The Network dock's slice in the 3D and contour views (a frame), or the scene back in them (None). While
        the slice is shown the scene is paused, and a click on the map does not move its start."""
        if frame is None:
            if self._slice is not None:
                self._slice = None
                self._surface = None
                self._on_view_domain_changed(self.controller.view_surface)
                self.controller.emit_frame()
                self.statusBar().showMessage("The views show the scene again.", 5000)
            return
        if self._slice is None:
            self.controller.pause()
            self.statusBar().showMessage(
                "The views show the Network dock's slice: each path is a run's shadow on the plane. "
                "Uncheck 'Show the slice' there to see the scene again.",
                10000,
            )
        self._slice = frame
        if frame.surface is not self._surface:
            self.surface_view.set_surface(frame.surface)
            self.contour_view.set_surface(frame.surface)
            self._surface = frame.surface
            self.surface_view.set_runs(frame)
            self.contour_view.set_runs(frame)
        self.surface_view.on_frame(frame)
        self.contour_view.on_frame(frame)
        self.inspector.on_frame(frame)  # (each run's losses and distance off the plane)

    def _on_start_clicked(self, x: float, y: float) -> None:
        if self._slice is not None:  # a point of the slice is no start of the scene
            self.statusBar().showMessage("The map shows the network's slice; its points are not starts.", 5000)
            return
        self.controller.set_start(x, y)

    def _on_network_setup(self, setup) -> None:
        """The Network dock trained or paused: the scene (and so a saved session) carries what it trains."""
        self.controller.scene = replace(self.controller.scene, network=setup)

    def _race(self, scene: Scene) -> None:
        """The Race dock tuned the runs: they race from the start."""
        self.controller.load_scene(scene)
        self.controller.play()

    def _export(self, name: str) -> None:
        """File > Export's dialogs, loaded when first asked for (the first frame does not wait for them)."""
        from adamgui.gui.export import dialogs as export_dialogs

        getattr(export_dialogs, name)(self)

    def _on_speed_changed(self, index: int) -> None:
        self.controller.set_speed(SPEEDS[index])  # (says the speed reached is not measured: the label follows)

    def _on_speed_reached(self, reached: float | None) -> None:
        """The speed asked for, and at fast-forward the speed reached when the frames cannot carry it."""
        speed = self.controller.speed
        text = f"{speed:,} steps/s" + (" »" if speed > 60 else "")  # » : fast-forward
        tip = "Fast-forward: several steps a frame" if speed > 60 else "One step a frame"
        if reached is not None and reached < 0.95 * speed:
            text = f"{speed:,} steps/s asked, {reached:,.0f} reached"
            tip = (
                "The views are drawn first; stepping gets what is left of each frame, and this many steps a "
                "second fit in it"
            )
        self.speed_label.setText(text)
        self.speed_label.setToolTip(tip)

    def shortcuts_html(self) -> str:
        keys = "".join(
            f"<tr><td>{a.text().replace('&', '').rstrip('.')}</td><td><b>{a.shortcut().toString()}</b></td></tr>"
            for a in self.findChildren(QAction)
            if not a.shortcut().isEmpty()
        )
        mouse = "".join(f"<tr><td>{what}</td><td><b>{how}</b></td></tr>" for what, how in MOUSE_GESTURES)
        return (
            f"<h3>Keys</h3><table cellspacing='6'>{keys}</table>"
            f"<h3>Mouse</h3><table cellspacing='6'>{mouse}</table>"
            "<p>Enter in a field commits it and hands the keys back to the window; Escape leaves it unchanged.</p>"
        )

    def _show_shortcuts(self) -> None:
        self.shortcuts_dialog().open()

    def shortcuts_dialog(self) -> QDialog:
        """F1's sheet of keys and gestures: at most four fifths of the screen's height (it scrolls), its OK in sight
        at every zoom."""
        dialog = QDialog(self)
        dialog.setObjectName("shortcutsDialog")
        dialog.setWindowTitle("Keyboard shortcuts and mouse gestures")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(dialog)
        text = QTextBrowser(dialog)
        text.setObjectName("shortcutsText")
        text.setHtml(self.shortcuts_html())
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, dialog)
        buttons.accepted.connect(dialog.accept)
        layout.addWidget(buttons)
        area = (self.screen() or QApplication.primaryScreen()).availableGeometry()
        document = text.document()
        document.setTextWidth(min(560, area.width() - 80))
        wanted = int(document.size().height()) + buttons.sizeHint().height() + 60
        dialog.resize(min(620, area.width() - 40), min(wanted, int(area.height() * 0.8)))
        return dialog

    def tell_skipped_plugins(self, problems: Sequence[str]) -> QMessageBox:
        """Say, once and without blocking, which plugins were left out and why; the window works on without them."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Plugins skipped",
            f"{len(problems)} plugin{'s were' if len(problems) > 1 else ' was'} left out; everything else works.",
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("pluginProblems")
        box.setInformativeText("\n\n".join(problems))
        box.setModal(False)
        box.show()
        self.statusBar().showMessage(problems[0], 15000)
        return box

    def _show_about(self) -> None:
        QMessageBox.about(
            self,
            "About AdamGUI",
            f"<b>AdamGUI {__version__}</b><p>Watch gradient descent, Adam and their relatives move across a "
            "loss surface, step by step, and see why each one moves the way it does.</p>",
        )
