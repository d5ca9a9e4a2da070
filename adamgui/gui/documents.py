"""File > Open, Save, Save As and Open Recent: scenes kept as session files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from adamgui.core.files import FileProblem
from adamgui.core.session import SessionError, load, save
from adamgui.gui.app.jobs import Jobs
from adamgui.gui.app.settings import MAX_RECENT, app_settings, string_list

FILTER = "AdamGUI sessions (*.json);;All files (*)"
SUFFIX = ".adamgui.json"


class Documents(QObject):
    """Owns the current file name and the recent-files list of one window's scene.

    It is given the controller (to read and load scenes) and a parent widget for its dialogs;
    what the window shows of it (title, speed, a note) goes out as signals.
    """

    path_changed = Signal(object)  # Path | None
    modified_changed = Signal(bool)
    speed_loaded = Signal(int)
    message = Signal(str)

    def __init__(self, controller, parent: QWidget, jobs: Jobs):
        super().__init__(parent)
        self.controller = controller
        self.jobs = jobs
        self.parent_widget = parent
        self.path: Path | None = None
        self.saved_scene = controller.scene  # what the file (or a fresh preset) holds: unmodified
        self.modified = False
        controller.scene_edited.connect(self._on_scene_edited)
        self.recent_menu = QMenu("Open &Recent", parent)
        self.recent_menu.setObjectName("recentMenu")
        self.rebuild_recent_menu()

    # --- the document's state ----------------------------------------------
    def _on_scene_edited(self, scene) -> None:
        self._set_modified(scene != self.saved_scene)

    def _set_modified(self, modified: bool) -> None:
        if modified != self.modified:
            self.modified = modified
            self.modified_changed.emit(modified)

    def _set_path(self, path: Path | None) -> None:
        self.path = path
        self.path_changed.emit(path)

    def start_untitled(self, modified: bool = False) -> None:
        """A preset (unmodified) or a typed formula (modified) starts a document with no file: Save asks."""
        if not modified:
            self.saved_scene = self.controller.scene
        self._set_path(None)
        self._set_modified(modified or self.controller.scene != self.saved_scene)

    def ask(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel, asked of the user (tests replace this)."""
        name = self.path.name if self.path else "The untitled scene"
        return QMessageBox.question(
            self.parent_widget,
            "Unsaved changes",
            f"{name} has changes that are not saved. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )

    def may_leave(self) -> bool:
        """True when the current document may be closed or replaced: nothing unsaved, saved now, or discarded."""
        if not self.modified:
            return True
        answer = self.ask()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # --- opening ----------------------------------------------------------
    def open_dialog(self) -> None:
        if not self.may_leave():
            return
        path, _ = QFileDialog.getOpenFileName(self.parent_widget, "Open session", self.last_dir(), FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str | Path) -> bool:
        """Load a session; on any problem say why, and leave the current scene as it is."""
        try:
            scene, step, speed = load(path)
        except SessionError as e:
            QMessageBox.warning(self.parent_widget, "Cannot open the session", str(e))
            return False
        c = self.controller
        sim = scene.simulation()  # replayed aside: the current scene stays until it is done
        with self.jobs.job():
            dialog, keep_going = self.jobs.progress(
                self.parent_widget, f"Replaying {Path(path).name} to step {step:,}...", step, "openProgress"
            )
            try:
                done = sim.advance(min(step, scene.step_limit), keep_going)
            finally:
                dialog.close()
        if not done:
            self.message.emit(f"Opening {Path(path).name} was cancelled; the scene is as it was")
            return False
        c.load_scene(scene, sim)
        self.speed_loaded.emit(speed)
        self.saved_scene = c.scene
        self._set_modified(False)
        self._set_path(Path(path))
        self.remember(self.path)
        return True

    def open_link(self, text: str) -> bool:
        """Open the scene an ``adamgui:`` link holds (at step 0, untitled); on any problem say why, and leave the
        current scene as it is."""
        from adamgui.core.links import LinkError, from_link

        try:
            scene = from_link(text)
        except LinkError as e:
            QMessageBox.warning(self.parent_widget, "Cannot open the link", str(e))
            return False
        if not self.may_leave():
            return False
        self.controller.load_scene(scene)
        self.start_untitled()
        self.message.emit(f"Opened a shared scene: {scene.title or scene.surface}")
        return True

    def open_link_dialog(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(self.parent_widget, "Open link", "Paste an adamgui: link:")
        if ok and text.strip():
            self.open_link(text)

    def copy_link(self) -> str:
        """The scene as an ``adamgui:`` link, put on the clipboard (and returned)."""
        from PySide6.QtWidgets import QApplication

        from adamgui.core.links import to_link

        link = to_link(self.controller.scene)
        QApplication.clipboard().setText(link)
        self.message.emit(f"Copied a link to this scene ({len(link):,} characters): paste it anywhere to share it")
        return link

    # --- saving -------------------------------------------------------------
    def save(self) -> bool:
        return self.save_to(self.path) if self.path else self.save_as_dialog()

    def save_as_dialog(self) -> bool:
        start = str(Path(self.last_dir()) / (self.path.name if self.path else "scene" + SUFFIX))
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, "Save session", start, FILTER)
        return self.save_to(path) if path else False

    def save_to(self, path: str | Path) -> bool:
        path = Path(path)
        if not path.name.endswith(".json"):
            path = path.with_name(path.name + SUFFIX)
        c = self.controller
        try:
            save(path, c.scene, c.sim.t, c.speed)
        except FileProblem as e:
            QMessageBox.warning(self.parent_widget, "Cannot save the session", str(e))
            return False
        self.saved_scene = c.scene
        self._set_modified(False)
        self._set_path(path)
        self.remember(path)
        self.message.emit(f"Saved {path.name}")
        return True

    # --- recent files and folders --------------------------------------------
    def last_dir(self) -> str:
        value = app_settings().value("last_dir", str(Path.home()))
        return value if isinstance(value, str) else str(Path.home())

    def remember(self, path: Path) -> None:
        settings = app_settings()
        settings.setValue("last_dir", str(path.parent))
        recent = [str(path)] + [p for p in string_list(settings, "recent") if p != str(path)]
        settings.setValue("recent", recent[:MAX_RECENT])
        self.rebuild_recent_menu()

    def rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = string_list(app_settings(), "recent")
        for p in recent:
            action = QAction(Path(p).name, self.recent_menu)
            action.setToolTip(p)
            action.setStatusTip(p)
            action.triggered.connect(lambda _=False, p=p: self.may_leave() and self.open_path(p))
            self.recent_menu.addAction(action)
        self.recent_menu.setEnabled(bool(recent))
