"""Picks and projects: pick tracks, new/open/save (with recent files and crash recovery), export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

from musicmatch_gui.actions import translate
from musicmatch_gui.state import Session

__all__ = ["ProjectActions"]

RECENT_KEPT = 8


class ProjectActions:
    """Mixed into the main window; the project file format and its checks live in :mod:`core.project`."""

    def toggle_pick(self) -> None:
        row = self._selected_row()
        if row is None or self.library is None:
            return
        picked = self.session.toggle_pick(self.library, row, 0.0)
        self.results.set_picked(set(self.session.picks))
        self.picks_panel.set_picks(self.session.picks)
        message = translate("MainWindow", "Picked {title}") if picked else translate("MainWindow", "Unpicked {title}")
        self.status(message.format(title=self.library.tracks[row].title))

    def new_session(self) -> None:
        """Close the clip and its picks (saved or autosaved work stays on disk)."""
        self.autosave_now()
        self.stop_all()
        self.video.close_video()
        self.session = Session(model_name=self.session.model_name)
        self.setWindowTitle("MusicMatch")
        self.video_radar.clear()
        self.music_radar.clear()
        self.picks_panel.set_picks(self.session.picks)
        self.results.set_result(None, [])

    # -- recent files --------------------------------------------------------------------------------

    def remember(self, path: str) -> None:
        """Put a video or project at the top of File > Open Recent."""
        settings = QSettings("MusicMatch", "MusicMatch")
        recent = [p for p in (settings.value("recent", []) or []) if p != path]
        settings.setValue("recent", [path, *recent][:RECENT_KEPT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in QSettings("MusicMatch", "MusicMatch").value("recent", []) or []:
            act = self.recent_menu.addAction(path)
            act.triggered.connect(lambda _=False, p=path: self.open_project(p) if p.endswith(".mmproj")
                                  else self.open_video(p))

    # -- open ----------------------------------------------------------------------------------------

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, translate("MainWindow", "Open project"), "",
                                              "MusicMatch project (*.mmproj)")
        if path:
            self.open_project(path)

    def open_project(self, path: str) -> None:
        """Open a project: its clip is analysed again, then its settings and picks are restored.

        If the app crashed after the last save, the newer autosaved copy is offered instead.
        """
        from core.project import load_project, recover

        try:
            project = load_project(path)
        except Exception as exc:  # a bad project is reported; the window keeps what it had
            self._failed(exc)
            return
        recovered = recover(path)
        if recovered is not None:
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.question(
                self, translate("MainWindow", "Recover unsaved changes?"),
                translate("MainWindow", "{name} has newer unsaved changes from a session that did not close normally. "
                                       "Recover them?").format(name=Path(path).name))
            if answer == QMessageBox.StandardButton.Yes:
                project = recovered
        self.open_video(project.video.path)
        self.session.project_path = path
        self.remember(path)
        self._pending_project = project

    def _restore_project(self, project) -> None:
        from core.match import MatchSettings
        from core.project import relink

        settings = MatchSettings.create(metric=project.settings.metric, dims=project.settings.dims or "all",
                                        weights=project.settings.weights, top_k=project.settings.top_k,
                                        raw=project.settings.raw)
        self.controls.apply(settings)
        by_hash = {h: i for i, h in enumerate(self.library.hashes) if h} if self.library is not None else {}
        missing = relink(project, lambda digest: [self.library.tracks[by_hash[digest]].path]
                         if digest in by_hash else [])
        # Picks outside the open library keep a key of their own, so nothing is dropped on save.
        self.session.picks = {-1 - number: pick for number, pick in enumerate(project.picks)}
        self._remap_picks()
        self.picks_panel.set_picks(self.session.picks)
        unplaced = sum(key < 0 for key in self.session.picks)
        self.session.dirty = False
        message = translate("MainWindow", "Opened {name}: {count} pick(s)").format(
            name=Path(self.session.project_path).name, count=len(project.picks))
        if unplaced:
            message += "; " + translate("MainWindow", "{count} pick(s) not in this library").format(count=unplaced)
        self.status(message + (f"; {missing[0]}" if missing else ""))

    # -- save and export -------------------------------------------------------------------------------

    def autosave_now(self) -> None:
        """Write the crash-recovery copy of an unsaved project (every 30 s while there are changes)."""
        from core.project import autosave

        if not self.session.dirty or not self.session.video_path:
            return
        target = self.session.project_path or str(Path(self.session.video_path).with_suffix(".mmproj"))
        try:
            autosave(self.session.to_project(self.controls.settings()), target)
        except OSError as exc:
            self.status(translate("MainWindow", "Autosave failed: {reason}").format(reason=exc))

    def save_project(self, ask: bool = False) -> None:
        path = self.session.project_path
        if ask or not path:
            suggested = str(Path(self.session.video_path).with_suffix(".mmproj")) if self.session.video_path else ""
            path, _ = QFileDialog.getSaveFileName(self, translate("MainWindow", "Save project"), suggested,
                                                  "MusicMatch project (*.mmproj)")
            if not path:
                return
            if not path.endswith(".mmproj"):
                path += ".mmproj"
        self.write_project(path)

    def write_project(self, path: str) -> None:
        from core.project import save_project

        project = self.session.to_project(self.controls.settings())
        try:
            save_project(project, path)
        except Exception as exc:
            self._failed(exc)
            return
        self.session.project_path = path
        self.session.dirty = False
        self.status(translate("MainWindow", "Saved {path}").format(path=path))

    def export_dialog(self, fmt: str, suffix: str) -> None:
        from core.export.timeline import export_project

        if not self.session.picks:
            self.status(translate("MainWindow", "Pick at least one track before exporting"))
            return
        base = Path(self.session.project_path or self.session.video_path or "musicmatch")
        path, _ = QFileDialog.getSaveFileName(self, translate("MainWindow", "Export {format}").format(format=fmt),
                                              str(base.with_suffix("." + suffix)))
        if not path:
            return
        project = self.session.to_project(self.controls.settings())
        try:
            export_project(project, fmt, path)
        except Exception as exc:
            self._failed(exc)
            return
        self.status(translate("MainWindow", "Exported {path}").format(path=path))
