"""The main window: views side by side, the parameter panel docked, one block of wiring."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSlider,
    QSplitter,
    QStyle,
    QToolBar,
    QWidget,
)

from adamgui import __version__
from adamgui.core.presets import PRESETS
from adamgui.core.scene import Scene, default_scene, scene_from_preset
from adamgui.gui.arrows import KIND_LABELS, KINDS
from adamgui.gui.contour_view import ContourView
from adamgui.gui.controller import DEFAULT_SPEED, SPEEDS, Controller
from adamgui.gui.error_net import ErrorNet
from adamgui.gui.frame import Frame
from adamgui.gui.inspector import StepInspector
from adamgui.gui.panel import ParameterPanel
from adamgui.gui.plots import PlotsDock
from adamgui.gui.run_table import RunTable
from adamgui.gui.surface_view import SurfaceView


class MainWindow(QMainWindow):
    def __init__(self, scene: Scene | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("AdamGUI")
        self.resize(1600, 940)
        self.controller = Controller(scene or default_scene(), self)
        self._surface = None
        self.create_views()
        self.create_docks()
        self.create_actions()
        self.create_menus()
        self.create_toolbar()
        self.connect_signals()
        self.error_net = ErrorNet(self, on_error=self.controller.pause)
        self.error_net.install()
        self.controller.load_scene(self.controller.scene)

    # --- construction -------------------------------------------------------
    def create_views(self) -> None:
        self.surface_view = SurfaceView()
        self.contour_view = ContourView()
        self.run_table = RunTable()
        views = QSplitter(Qt.Orientation.Horizontal)
        views.setObjectName("viewSplitter")
        views.addWidget(self.surface_view)
        views.addWidget(self.contour_view)
        views.setSizes([1, 1])
        self.setCentralWidget(views)

    def create_docks(self) -> None:
        """Parameters on the left, full height; runs, inspector and plots side by side below the views."""
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.TopLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.panel = ParameterPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.panel)
        self.runs_dock = QDockWidget("Runs", self)
        self.runs_dock.setObjectName("runsDock")
        self.runs_dock.setWidget(self.run_table)
        self.inspector = StepInspector(self)
        self.plots = PlotsDock(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.runs_dock)
        self.splitDockWidget(self.runs_dock, self.inspector, Qt.Orientation.Horizontal)
        self.splitDockWidget(self.inspector, self.plots, Qt.Orientation.Horizontal)
        self.resizeDocks([self.panel], [310], Qt.Orientation.Horizontal)
        self.resizeDocks([self.runs_dock, self.inspector, self.plots], [600, 400, 280], Qt.Orientation.Horizontal)
        self.resizeDocks([self.runs_dock], [300], Qt.Orientation.Vertical)

    def _action(self, name: str, text: str, shortcut, tip: str, icon=None, checkable=False) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})" if shortcut else tip)
        action.setStatusTip(tip)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.setCheckable(checkable)
        return action

    def create_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.play_action = self._action("playAction", "Play", Qt.Key.Key_Space, "Play or pause", sp.SP_MediaPlay, True)
        self.step_action = self._action(
            "stepAction", "Step", Qt.Key.Key_Right, "Advance one step", sp.SP_MediaSeekForward
        )
        self.reset_action = self._action(
            "resetAction", "Reset", Qt.Key.Key_R, "Back to step 0", sp.SP_MediaSkipBackward
        )
        self.reset_camera_action = self._action(
            "resetCameraAction",
            "Reset camera",
            "Ctrl+0",
            "Reset the 3D camera and the contour view's range",
            sp.SP_BrowserReload,
        )
        self.quit_action = self._action("quitAction", "Quit", QKeySequence.StandardKey.Quit, "Close AdamGUI")
        self.about_action = self._action("aboutAction", "About AdamGUI", None, "Version and credits")
        self.arrow_actions = {}
        for kind in KINDS:
            arrow = self._action(f"{kind}ArrowsAction", KIND_LABELS[kind], None, f"Show the {kind} arrows")
            arrow.setCheckable(True)
            arrow.setChecked(True)
            self.arrow_actions[kind] = arrow
        self.all_arrows_action = self._action(
            "allRunsArrowsAction", "Arrows for every run", None, "Otherwise only the run chosen in the step inspector"
        )
        self.all_arrows_action.setCheckable(True)
        self.preset_actions = []
        for preset in PRESETS.values():
            action = self._action(f"preset_{preset.name}", preset.title, None, preset.watch)
            action.triggered.connect(lambda _=False, p=preset: self.controller.load_scene(scene_from_preset(p)))
            self.preset_actions.append(action)

    def create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.quit_action)
        sim_menu = bar.addMenu("&Simulation")
        sim_menu.addActions([self.play_action, self.step_action, self.reset_action])
        preset_menu = bar.addMenu("&Presets")
        preset_menu.setToolTipsVisible(True)
        preset_menu.addActions(self.preset_actions)
        view_menu = bar.addMenu("&View")
        view_menu.addActions(
            [dock.toggleViewAction() for dock in (self.panel, self.runs_dock, self.inspector, self.plots)]
        )
        view_menu.addSeparator()
        arrows_menu = view_menu.addMenu("Arrows")
        arrows_menu.addActions(list(self.arrow_actions.values()))
        arrows_menu.addSeparator()
        arrows_menu.addAction(self.all_arrows_action)
        view_menu.addAction(self.reset_camera_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)

    def create_toolbar(self) -> None:
        bar = self.addToolBar("Playback")
        bar.setObjectName("playbackToolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addActions([self.play_action, self.step_action, self.reset_action])
        bar.addSeparator()
        bar.addWidget(QLabel(" Speed "))
        self.speed_slider = QSlider(Qt.Orientation.Horizontal)
        self.speed_slider.setObjectName("speedSlider")
        self.speed_slider.setRange(0, len(SPEEDS) - 1)
        self.speed_slider.setValue(SPEEDS.index(DEFAULT_SPEED))
        self.speed_slider.setFixedWidth(140)
        self.speed_slider.setToolTip("Steps per second, up to as fast as the display allows")
        bar.addWidget(self.speed_slider)
        self.speed_label = QLabel()
        self.speed_label.setObjectName("speedLabel")
        self.speed_label.setMinimumWidth(80)
        bar.addWidget(self.speed_label)
        bar.addSeparator()
        self.step_counter = QLabel()
        self.step_counter.setObjectName("stepCounter")
        self.step_counter.setFixedWidth(150)  # a fixed size: new text does not re-lay out the toolbar
        bar.addWidget(self.step_counter)
        bar.addSeparator()
        bar.addAction(self.reset_camera_action)
        self._on_speed_changed(self.speed_slider.value())

        timeline_bar = QToolBar("Timeline")
        timeline_bar.setObjectName("timelineToolbar")
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, timeline_bar)
        timeline_bar.addWidget(QLabel(" Timeline "))
        self.timeline = QSlider(Qt.Orientation.Horizontal)
        self.timeline.setObjectName("timeline")
        self.timeline.setToolTip("Drag to look at any past step; Play or Step goes on from the newest")
        timeline_bar.addWidget(self.timeline)
        self.timeline_label = QLabel()
        self.timeline_label.setObjectName("timelineLabel")
        self.timeline_label.setFixedWidth(170)
        timeline_bar.addWidget(self.timeline_label)

    def connect_signals(self) -> None:
        """All the wiring in one place: panel -> controller -> views."""
        c, panel = self.controller, self.panel
        self.play_action.toggled.connect(c.set_playing)
        self.step_action.triggered.connect(c.step_once)
        self.reset_action.triggered.connect(c.reset)
        self.reset_camera_action.triggered.connect(self.surface_view.reset_camera)
        self.reset_camera_action.triggered.connect(self.contour_view.reset_view)
        self.quit_action.triggered.connect(self.close)
        self.about_action.triggered.connect(self._show_about)
        self.speed_slider.valueChanged.connect(self._on_speed_changed)
        self.timeline.valueChanged.connect(c.scrub)
        for kind, arrow in self.arrow_actions.items():
            arrow.toggled.connect(lambda on, k=kind: self.contour_view.arrows.set_enabled(k, on))
        self.all_arrows_action.toggled.connect(self.contour_view.arrows.set_all_runs)
        self.inspector.selector.currentIndexChanged.connect(self.contour_view.arrows.set_focus)

        panel.surface_selected.connect(c.set_surface)
        panel.start_edited.connect(c.set_start)
        panel.step_limit_edited.connect(c.set_step_limit)
        panel.run_params_edited.connect(c.set_run_params)
        panel.run_added.connect(c.add_run)
        panel.run_removed.connect(c.remove_run)
        panel.noise_edited.connect(c.set_noise)
        panel.formula_entered.connect(c.set_formula)
        panel.domain_edited.connect(c.set_domain)
        c.scene_refused.connect(panel.show_error)
        self.contour_view.start_clicked.connect(c.set_start)
        self.run_table.visibility_toggled.connect(c.set_run_visible)
        self.run_table.currentCellChanged.connect(lambda row, *_: self.inspector.select_run(row))

        c.scene_changed.connect(self._on_scene_changed)
        c.frame_ready.connect(self._on_frame_ready)
        c.playing_changed.connect(self._on_playing_changed)
        c.message.connect(lambda text: self.statusBar().showMessage(text, 10000))

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.controller.pause()
        self.error_net.uninstall()
        super().closeEvent(event)

    # --- handlers -------------------------------------------------------------
    def _on_scene_changed(self, scene: Scene) -> None:
        surface = scene.surface_obj
        if surface is not self._surface:  # surfaces are cached: a new object is a new surface or domain
            self.surface_view.set_surface(surface)
            self.contour_view.set_surface(surface)
            self._surface = surface
        frame = self.controller.frame()
        self.surface_view.set_runs(frame)
        self.contour_view.set_runs(frame)
        self.panel.set_scene(scene)
        if scene.title:
            self.statusBar().showMessage(f"{scene.title}: {scene.watch}", 15000)
        else:
            self.statusBar().clearMessage()

    def _on_frame_ready(self, frame: Frame) -> None:
        self.surface_view.on_frame(frame)
        self.contour_view.on_frame(frame)
        self.run_table.on_frame(frame)
        self.inspector.on_frame(frame)
        self.plots.on_frame(frame)
        self.step_counter.setText(f"Step {frame.newest} / {frame.step_limit}")
        with QSignalBlocker(self.timeline):
            self.timeline.setRange(0, frame.newest)
            self.timeline.setValue(frame.step)
        looking_back = frame.step != frame.newest
        self.timeline_label.setText(f"showing step {frame.step}" + (" (past)" if looking_back else ""))

    def _on_playing_changed(self, playing: bool) -> None:
        with QSignalBlocker(self.play_action):
            self.play_action.setChecked(playing)
        self.play_action.setText("Pause" if playing else "Play")
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_action.setIcon(self.style().standardIcon(icon))

    def _on_speed_changed(self, index: int) -> None:
        speed = SPEEDS[index]
        self.controller.set_speed(speed)
        self.speed_label.setText("max" if speed == 0 else f"{speed} steps/s")

    def _show_about(self) -> None:
        QMessageBox.about(
            self,
            "About AdamGUI",
            f"<b>AdamGUI {__version__}</b><p>Watch gradient descent, Adam and their relatives move across a "
            "loss surface, step by step, and see why each one moves the way it does.</p>",
        )
