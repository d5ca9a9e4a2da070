"""Every fixed action of the window, declared as data in one place: its name, words, shortcut, tip and icon.

The main window makes each into a QAction (its attribute ``attr``), then places them in menus and the toolbar and
wires them. Actions made per item of a list (presets, themes, arrow kinds) are made beside these, from their lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget

Key = Qt.Key
Std = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    attr: str  # the window's attribute holding it
    name: str  # its object name (tests and the shortcuts page find it by this)
    text: str
    shortcut: object = None  # a key, a standard key or a "Ctrl+…" string
    tip: str = ""
    icon: str | None = None  # a QStyle.StandardPixmap's name
    checkable: bool = False
    checked: bool = False
    more_shortcuts: tuple[str, ...] = ()  # further keys for the same action (before the standard one)


ACTIONS = (
    ActionSpec("play_action", "playAction", "Play", Key.Key_Space, "Play or pause", "SP_MediaPlay", True),
    ActionSpec(
        "step_action", "stepAction", "Step", "Ctrl+Right", "Compute one more step (from the newest)",
        "SP_MediaSkipForward",
    ),
    ActionSpec("back_action", "backAction", "Back", Key.Key_Left, "Show the step before", "SP_ArrowBack"),
    ActionSpec(
        "forward_action", "forwardAction", "Forward", Key.Key_Right, "Show the next step; at the newest, compute one",
        "SP_ArrowForward",
    ),
    ActionSpec("first_action", "firstAction", "First step", Key.Key_Home, "Show step 0"),
    ActionSpec("newest_action", "newestAction", "Newest step", Key.Key_End, "Show the newest step"),
    ActionSpec(
        "fullscreen_action", "fullScreenAction", "Full screen", Key.Key_F11, "The window over the whole screen",
        checkable=True,
    ),
    ActionSpec(
        "presentation_action", "presentationAction", "Presentation", Key.Key_F5,
        "The two views large with the scene's caption; the docks hidden (F5 again brings them back)", checkable=True,
    ),
    ActionSpec(
        "zoom_in_action", "zoomInAction", "Zoom in", Std.ZoomIn, "Larger text, lines and markers",
        more_shortcuts=("Ctrl+=",),
    ),
    ActionSpec("zoom_out_action", "zoomOutAction", "Zoom out", Std.ZoomOut, "Smaller text, lines and markers"),
    ActionSpec("zoom_reset_action", "zoomResetAction", "Actual size", "Ctrl+Shift+0", "Zoom back to 100%"),
    ActionSpec(
        "equal_scale_action", "equalScaleAction", "Equal scale", None,
        "One unit of x as long as one of y in the contour view, so −∇f is perpendicular to the lines",
        checkable=True, checked=True,
    ),
    ActionSpec("reset_action", "resetAction", "Reset", Key.Key_R, "Back to step 0", "SP_MediaSkipBackward"),
    ActionSpec(
        "reset_camera_action", "resetCameraAction", "Reset camera", "Ctrl+0",
        "Reset the 3D camera and the contour view's range", "SP_BrowserReload",
    ),
    ActionSpec("quit_action", "quitAction", "Quit", Std.Quit, "Close AdamGUI"),
    ActionSpec("about_action", "aboutAction", "About AdamGUI", None, "Version and credits"),
    ActionSpec("shortcuts_action", "shortcutsAction", "Keyboard shortcuts", Std.HelpContents, "Every shortcut"),
    ActionSpec("open_action", "openAction", "Open...", Std.Open, "Open a saved scene", "SP_DialogOpenButton"),
    ActionSpec(
        "open_link_action", "openLinkAction", "Open Link...", "Ctrl+Shift+O",
        "Open a scene someone shared as an adamgui: link",
    ),
    ActionSpec(
        "copy_link_action", "copyLinkAction", "Copy Link", "Ctrl+Shift+C",
        "This scene as an adamgui: link on the clipboard, to share",
    ),
    ActionSpec("save_action", "saveAction", "Save", Std.Save, "Save the scene", "SP_DialogSaveButton"),
    ActionSpec("save_as_action", "saveAsAction", "Save As...", Std.SaveAs, "Save the scene under a new name"),
    ActionSpec(
        "export_image_action", "exportImageAction", "Image (PNG)...", "Ctrl+E",
        "The window or one view as a PNG, at a chosen size",
    ),
    ActionSpec(
        "export_animation_action", "exportAnimationAction", "Animation (GIF or MP4)...", "Ctrl+Shift+E",
        "The scene from step 0, frame by frame",
    ),
    ActionSpec(
        "export_data_action", "exportDataAction", "Trajectories (CSV or JSON)...", None, "Every run's path and losses"
    ),
    ActionSpec(
        "export_notebook_action", "exportNotebookAction", "Notebook (Jupyter)...", None,
        "A notebook that rebuilds this scene with the adamgui library, runs it and plots it",
    ),
    ActionSpec(
        "reset_layout_action", "resetLayoutAction", "Reset layout", None,
        "Put the docks and toolbars back where they started",
    ),
    ActionSpec(
        "all_arrows_action", "allRunsArrowsAction", "Arrows for every run", None,
        "Otherwise only the run chosen in the step inspector", checkable=True,
    ),
    ActionSpec(
        "curvature_action", "curvatureAction", "Curvature: Hessian axes and Newton's step", "Ctrl+K",
        "Where the inspected run's step started: the axes of the local quadratic (lengths ∝ 1/√|λ|, labelled "
        "with the eigenvalues) and Newton's step −H⁻¹∇f (green); the inspector adds λ, κ and α·λ_max",
        checkable=True,
    ),
    ActionSpec(
        "follow_action", "followRunsAction", "Follow the runs", None,
        "Widen the views when a run leaves them, to keep every run in sight (off: the domain you set)",
        checkable=True,
    ),
    ActionSpec(
        "lesson_action", "lessonAction", "Lesson", "Ctrl+L", "From gradient descent to Adam, chapter by chapter"
    ),
    ActionSpec(
        "lesson_previous_action", "lessonPreviousAction", "Previous chapter", Key.Key_PageUp,
        "The lesson's chapter before",
    ),
    ActionSpec("lesson_next_action", "lessonNextAction", "Next chapter", Key.Key_PageDown, "The lesson's next chapter"),
)  # fmt: skip


def make_action(parent: QWidget, spec: ActionSpec) -> QAction:
    """The QAction ``spec`` declares: its shortcut written in its tooltip, its icon from the style."""
    action = QAction(spec.text, parent)
    action.setObjectName(spec.name)
    if spec.shortcut:
        action.setShortcut(QKeySequence(spec.shortcut))
    if spec.more_shortcuts:
        action.setShortcuts([QKeySequence(k) for k in spec.more_shortcuts] + [QKeySequence(spec.shortcut)])
    tip = spec.tip
    action.setToolTip(f"{tip} ({QKeySequence(spec.shortcut).toString()})" if spec.shortcut else tip)
    action.setStatusTip(tip)
    if spec.icon is not None:
        action.setIcon(parent.style().standardIcon(getattr(QStyle.StandardPixmap, spec.icon)))
    action.setCheckable(spec.checkable)
    if spec.checked:
        action.setChecked(True)
    return action
