"""Picks and projects: pick tracks (undoably), new/open/save with the unsaved-changes question,
recent files, crash recovery, and export.

Work is never lost without a question: every command that would replace the open project
(New, Open Video, Open Project, a dropped file, Quit) first asks :meth:`keep_changes`,
which offers to save, discard or stay. The autosave copy beside the project is rewritten a
moment after every change and removed whenever the session ends normally (saved or
discarded on purpose), so the recovery offer at the next open means a crash, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from core.errors import InputError
from musicmatch_gui.actions import translate
from musicmatch_gui.jobs import JobRunner, plain_message
from musicmatch_gui.settings import forget_recent, recent_files, remember_recent
from musicmatch_gui.state import Library, Session
from musicmatch_gui.undo import EditPick, TogglePick

if TYPE_CHECKING:
    from core.match import MatchSettings
    from core.project import Pick

__all__ = ["ProjectCommands"]

PROJECT_FILTER = "MusicMatch project (*.mmproj)"


class ProjectCommands:
    """The picks and the project file of the open session; a collaborator of the main window.

    It receives everything it works with and touches nothing else of the window (the
    project file format and its checks live in :mod:`core.project`).

    Parameters
    ----------
    window : QMainWindow
        The dialogs' parent, and the title bar that shows the project's name and ``*``.
    jobs : JobRunner
        Saving and exporting run as jobs.
    undo_stack : QUndoStack
        Pick edits; its clean index is the state last saved or opened.
    session, set_session : callable
        Get the open :class:`~musicmatch_gui.state.Session`; make another one the open one.
    library : callable
        The open :class:`~musicmatch_gui.state.Library`, or None.
    match_settings, apply_match_settings : callable
        Read the match controls (saved with the project); set them (a project opens).
    show_picks : callable
        Shows ``{library row: pick}`` in the ranked list and the picks panel.
    selected_row : callable
        The library row selected in the ranked list, or None.
    playhead, clip_fps : callable
        The clip's playhead (seconds) and frame rate.
    open_video : callable
        ``open_video(path, asked=True) -> bool``: analyse a clip (a project's clip when it opens).
    close_clip : callable
        Empties the picture, the charts and the ranking (File > New).
    status, failed : callable
        One line in the status bar; report an exception.
    scripted : callable
        True in scripted runs (``--screenshot``): nobody is there to answer a question.
    """

    def __init__(self, window: QMainWindow, jobs: JobRunner, undo_stack: QUndoStack, *,
                 session: Callable[[], Session], set_session: Callable[[Session], None],
                 library: Callable[[], Library | None], match_settings: Callable[[], MatchSettings],
                 apply_match_settings: Callable[[MatchSettings], None],
                 show_picks: Callable[[dict[int, Pick]], None], selected_row: Callable[[], int | None],
                 playhead: Callable[[], float], clip_fps: Callable[[], float],
                 open_video: Callable[..., bool], close_clip: Callable[[], None],
                 status: Callable[..., None], failed: Callable[[BaseException], None],
                 scripted: Callable[[], bool]) -> None:
        self.window = window
        self.jobs = jobs
        self.undo_stack = undo_stack
        self.session = session
        self.set_session = set_session
        self.library = library
        self.match_settings = match_settings
        self.apply_match_settings = apply_match_settings
        self.show_picks = show_picks
        self.selected_row = selected_row
        self.playhead = playhead
        self.clip_fps = clip_fps
        self.open_video = open_video
        self.close_clip = close_clip
        self.status = status
        self.failed = failed
        self.scripted = scripted
        self.pending_project: tuple | None = None
        """A project waiting for its clip's analysis: ``(project, recovered, path)``; restored by
        :meth:`clip_analysed` (the clip may first wait for the recommender to load)."""

    # -- picks (undoable) ----------------------------------------------------------------------------

    def toggle_pick(self) -> None:
        """Pick the selected track at the playhead, or unpick it (one undoable step)."""
        row, library, session = self.selected_row(), self.library(), self.session()
        if row is None or library is None:
            return
        title = library.tracks[row].title
        if row in session.picks:
            command = TogglePick(session, row, None, self.picks_changed,
                                 translate("MainWindow", "Unpick {title}").format(title=title))
            message = translate("MainWindow", "Unpicked {title}")
        else:
            pick = session.new_pick(library, row, self.playhead() if session.recommendation else 0.0)
            command = TogglePick(session, row, pick, self.picks_changed,
                                 translate("MainWindow", "Pick {title}").format(title=title))
            message = translate("MainWindow", "Picked {title}")
        self.undo_stack.push(command)
        self.status(message.format(title=title))

    def edit_pick(self, key: int, changes: dict) -> None:
        """Apply a pick edit from the picks panel as one undoable step."""
        if key not in self.session().picks:
            return
        name = self.session().picks[key].display_name
        labels = {"note": translate("MainWindow", "Edit note of {title}"),
                  "placement_s": translate("MainWindow", "Move {title}"),
                  "rating": translate("MainWindow", "Rate {title}")}
        text = labels.get(next(iter(changes)), labels["note"]).format(title=name)
        self.undo_stack.push(EditPick(self.session(), key, changes, self.picks_changed, text))

    def picks_changed(self) -> None:
        self.session().dirty = True
        self.show_picks(self.session().picks)

    def remap_picks(self) -> None:
        """Key every pick by its row in the open library (by path, else content hash); others keep their own key.

        Called whenever another library is shown, and when a project's picks are restored.
        """
        library, session = self.library(), self.session()
        if library is None or not session.picks:
            return
        by_path = {t.path: i for i, t in enumerate(library.tracks)}
        by_hash = {h: i for i, h in enumerate(library.hashes) if h}
        remapped = {}
        for number, pick in enumerate(session.picks.values()):
            row = by_path.get(pick.track_path, by_hash.get(pick.content_hash))
            remapped[row if row is not None and row not in remapped else -1 - number] = pick
        if list(remapped) != list(session.picks):
            # The undo history names picks by their old keys; it cannot follow them. The
            # picks themselves and the modified state are kept.
            modified = self.is_modified()
            self.undo_stack.clear()
            if modified:
                self.undo_stack.resetClean()
        session.picks = remapped
        self.show_picks(remapped)

    def is_modified(self) -> bool:
        """Unsaved changes: the undo stack is away from the state last saved or opened."""
        return not self.undo_stack.isClean()

    def refresh_title(self) -> None:
        name = Path(self.session().project_path or self.session().video_path).name
        self.window.setWindowTitle(f"{name}[*] - MusicMatch" if name else "MusicMatch[*]")
        self.window.setWindowModified(self.is_modified())

    def start_fresh(self, session: Session) -> None:
        """Make ``session`` the open one, with an empty undo history (the caller has asked about changes)."""
        self.discard_autosave()
        self.set_session(session)
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.show_picks(session.picks)
        self.refresh_title()

    # -- the unsaved-changes question ----------------------------------------------------------------

    def keep_changes(self) -> bool:
        """Before the open project is replaced or the app quits: True to go on, False to stay.

        Without unsaved changes it goes on at once. Otherwise the editor chooses: Save
        (goes on only once saved), Discard (the autosave copy goes too) or Cancel.
        """
        if not self.is_modified():
            return True
        if self.scripted():  # a scripted run has nobody to ask; it never loses picks either
            return False
        name = Path(self.session().project_path or self.session().video_path or "").name or "MusicMatch"
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.window, translate("MainWindow", "Unsaved changes"),
            translate("MainWindow", "{name} has unsaved changes (picks, notes or ratings). Save them first?").format(
                name=name), buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        if answer == buttons.Save:
            return self.save_project(in_background=False)
        if answer == buttons.Discard:
            self.discard_autosave()
            return True
        return False

    # -- new -------------------------------------------------------------------------------------------

    def new_session(self) -> None:
        """Close the clip and its picks, after asking about unsaved changes."""
        if not self.keep_changes():
            return
        self.start_fresh(Session(model_name=self.session().model_name))
        self.close_clip()

    # -- recent files --------------------------------------------------------------------------------

    @staticmethod
    def remember(path: str) -> None:
        """Put a video or project at the top of File > Open Recent."""
        remember_recent(path)

    def fill_recent(self, menu: QMenu) -> None:
        """List the recent files in ``menu`` (File > Open Recent, filled as it opens)."""
        menu.clear()
        entries = recent_files()
        for path in entries:
            act = menu.addAction(path)
            act.triggered.connect(lambda _=False, p=path: self.open_project(p) if p.endswith(".mmproj")
                                  else self.open_video(p))
        if not entries:
            menu.addAction(translate("MainWindow", "(nothing opened yet)")).setEnabled(False)

    # -- open ----------------------------------------------------------------------------------------

    def open_project_dialog(self) -> None:
        if not self.keep_changes():
            return
        path, _ = QFileDialog.getOpenFileName(self.window, translate("MainWindow", "Open project"), "", PROJECT_FILTER)
        if path:
            self.open_project(path, asked=True)

    def open_project(self, path: str, *, asked: bool = False) -> None:
        """Open a project: its clip is analysed again, then its settings and picks are restored.

        If the app crashed after the last save, the newer autosaved copy is offered instead.
        A project that cannot be read is reported and the window keeps what it had.
        """
        from core.project import load_project, recover

        try:
            project = load_project(path)
        except Exception as exc:
            forget_recent(path)
            self.failed(exc)
            return
        if not asked and not self.keep_changes():
            return
        recovered = recover(path)
        if recovered is not None:
            answer = QMessageBox.question(
                self.window, translate("MainWindow", "Recover unsaved changes?"),
                translate("MainWindow", "{name} has newer unsaved changes from a session that did not close normally. "
                                       "Recover them?").format(name=Path(path).name))
            if answer == QMessageBox.StandardButton.Yes:
                project = recovered
        if self.open_video(project.video.path, asked=True):
            self.session().project_path = path
            self.pending_project = (project, recovered is not None and project is recovered, path)
            self.refresh_title()

    def clip_analysed(self) -> None:
        """The open clip's analysis is shown: restore the project waiting for it, or list the clip as recent."""
        if self.pending_project is None:
            self.remember(self.session().video_path)  # only once it opened: a failed open is not "recent"
            self.offer_recovery()
        else:
            pending, self.pending_project = self.pending_project, None
            self.restore_project(pending)

    def offer_recovery(self) -> None:
        """A clip opened on its own: offer the recovery copy a crashed session left for it.

        A session that was never saved keeps its recovery copy beside the clip
        (``.CLIP.mmproj.autosave``), where no project file exists to open it from; so opening the
        clip asks the same question as opening a project. Declining removes the copy (the next
        change would overwrite it anyway), so the question comes once.
        """
        from core.project import autosave_path, recover

        session = self.session()
        target = self._autosave_target()
        if session.project_path or not target or not autosave_path(target).is_file():
            return
        recovered = recover(target)
        if recovered is None or not recovered.picks:
            return
        try:
            same_clip = Path(recovered.video.path).resolve() == Path(session.video_path).resolve()
        except OSError:
            same_clip = False
        if not same_clip:  # another clip with the same stem: not this clip's copy, leave it
            return
        if self.scripted():  # nobody to ask; the copy stays for the next open
            return
        answer = QMessageBox.question(
            self.window, translate("MainWindow", "Recover unsaved changes?"),
            translate("MainWindow", "{name} has newer unsaved changes from a session that did not close normally. "
                                   "Recover them?").format(name=Path(session.video_path).name))
        if answer != QMessageBox.StandardButton.Yes:
            self.discard_autosave()
            return
        # A copy beside a saved project file belongs to that project; otherwise it was never saved.
        self.restore_project((recovered, True, target if Path(target).is_file() else None))

    def restore_project(self, pending) -> None:
        from core.match import MatchSettings
        from core.project import relink

        project, recovered, path = pending
        self.session().project_path = path  # the session was made afresh when the clip started opening
        settings = MatchSettings.create(metric=project.settings.metric, dims=project.settings.dims or "all",
                                        weights=project.settings.weights, top_k=project.settings.top_k,
                                        raw=project.settings.raw)
        self.apply_match_settings(settings)
        library = self.library()
        by_hash = {h: i for i, h in enumerate(library.hashes) if h} if library is not None else {}
        missing = relink(project, lambda digest: [library.tracks[by_hash[digest]].path]
                         if digest in by_hash else [])
        # Picks outside the open library keep a key of their own, so nothing is dropped on save.
        self.session().picks = {-1 - number: pick for number, pick in enumerate(project.picks)}
        self.remap_picks()
        self.show_picks(self.session().picks)
        unplaced = sum(key < 0 for key in self.session().picks)
        self.session().dirty = False
        self.undo_stack.clear()
        self.undo_stack.setClean()
        if recovered:  # the recovered picks are not in the saved file yet: the project is modified
            self.undo_stack.resetClean()
        self.refresh_title()
        if path:
            self.remember(path)
        message = translate("MainWindow", "Opened {name}: {count} pick(s)").format(
            name=Path(path or self.session().video_path).name, count=len(project.picks))
        if unplaced:
            message += "; " + translate("MainWindow", "{count} pick(s) not in this library").format(count=unplaced)
        self.status(message + (f"; {missing[0]}" if missing else ""))

    # -- save and export -------------------------------------------------------------------------------

    def _autosave_target(self) -> str:
        return self.session().project_path or (str(Path(self.session().video_path).with_suffix(".mmproj"))
                                             if self.session().video_path else "")

    def autosave_now(self) -> None:
        """Write the crash-recovery copy of an unsaved project (a moment after each change, and every 30 s)."""
        from core.project import autosave

        target = self._autosave_target()
        if not self.is_modified() or not target or self.session().recommendation is None:
            return
        try:
            autosave(self.session().to_project(self.match_settings()), target)
        except OSError as exc:
            self.status(translate("MainWindow", "Autosave failed: {reason}").format(reason=plain_message(exc)))

    def discard_autosave(self) -> None:
        """Remove the crash-recovery copy: the session ends normally (saved, or discarded on purpose)."""
        from core.project import autosave_path

        target = self._autosave_target()
        if target:
            autosave_path(target).unlink(missing_ok=True)

    def save_project(self, ask: bool = False, *, in_background: bool = True) -> bool:
        """Save to the project's file (asking for one the first time); False if nothing was saved.

        From the menu the file is written in a job; before a quit or an open it is written at once.
        """
        if self.session().recommendation is None:
            self.status(translate("MainWindow", "Open a clip before saving a project"))
            return False
        path = self.session().project_path
        if ask or not path:
            suggested = str(Path(self.session().video_path).with_suffix(".mmproj")) if self.session().video_path else ""
            path, _ = QFileDialog.getSaveFileName(self.window, translate("MainWindow", "Save project"), suggested,
                                                  PROJECT_FILTER)
            if not path:
                return False
            if not path.endswith(".mmproj"):
                path += ".mmproj"
        if in_background:
            self.write_project_in_background(path)
            return True
        return self.write_project(path)

    def write_project(self, path: str) -> bool:
        """Write the project to ``path`` now (used before a quit; the menu's Save uses a job)."""
        from core.project import save_project

        project = self.session().to_project(self.match_settings())
        try:
            save_project(project, path)
        except Exception as exc:
            self.failed(exc)
            return False
        self._saved(path, self.undo_stack.index())
        return True

    def write_project_in_background(self, path: str) -> None:
        from core.project import save_project

        project = self.session().to_project(self.match_settings())  # a snapshot: later edits wait for the next save
        at = self.undo_stack.index()
        self.jobs.start(translate("MainWindow", "Saving {name}").format(name=Path(path).name),
                        lambda progress, cancel: save_project(project, path),
                        on_success=lambda _written: self._saved(path, at), on_failure=self.failed)

    def _saved(self, path: str, at: int) -> None:
        if self._autosave_target() != path:
            # The recovery copy so far lay beside the old name, or beside the clip for a session
            # never saved; from now on it lies beside ``path``, so the old one is stale.
            self.discard_autosave()
        self.session().project_path = path
        self.session().dirty = False
        if self.undo_stack.index() == at:  # no edit came in while it was being written
            self.undo_stack.setClean()
        self.remember(path)
        self.refresh_title()
        self.status(translate("MainWindow", "Saved {path}").format(path=path))

    def exportable_picks(self) -> tuple[list, list[str]]:
        """The picks an export can place, and one line for each that starts beyond the end of the clip."""
        duration = self.session().recommendation.analysis.duration_s if self.session().recommendation else 0.0
        fps = self.clip_fps() or 25.0
        good, bad = [], []
        for pick in self.session().picks.values():
            if duration > 0 and pick.placement_s > duration - 1.0 / fps:
                bad.append(translate("MainWindow", "{title} starts at {start:.2f} s, after the clip's end "
                                                   "({end:.2f} s)").format(title=pick.display_name,
                                                                           start=pick.placement_s, end=duration))
            else:
                good.append(pick)
        return good, bad

    def export_dialog(self, fmt: str, suffix: str) -> None:
        if not self.session().picks:
            self.status(translate("MainWindow", "Pick at least one track before exporting"))
            return
        base = Path(self.session().project_path or self.session().video_path or "musicmatch")
        title = translate("MainWindow", "Export {format}").format(format=fmt)
        path, _ = QFileDialog.getSaveFileName(self.window, title, str(base.with_suffix("." + suffix)))
        if path:
            self.export_to(fmt, path)

    def export_to(self, fmt: str, path: str) -> None:
        """Export the picks that fit the clip (in a job); name the ones left out."""
        from dataclasses import replace

        from core.export.timeline import export_project

        good, bad = self.exportable_picks()
        if not good:
            self.failed(InputError(translate("MainWindow", "Nothing to export: {reason}").format(
                reason="; ".join(bad))))
            return
        project = replace(self.session().to_project(self.match_settings()), picks=good)

        def done(_written) -> None:
            message = translate("MainWindow", "Exported {path}").format(path=path)
            if bad:
                message += "; " + translate("MainWindow", "left out: {reasons}").format(reasons="; ".join(bad))
            self.status(message, 20_000)

        self.jobs.start(translate("MainWindow", "Exporting {name}").format(name=Path(path).name),
                        lambda progress, cancel: export_project(project, fmt, path), on_success=done,
                        on_failure=self.failed)
