"""Library commands: open a library database or feature table, add and remove folders, rescan, show what was skipped.

:class:`LibraryCommands` is a collaborator of the main window, not a mixin: it receives in
its constructor everything it works with (the dialogs' parent, the job runner, a getter for
the open library, the function that puts a newly loaded library on screen, the status line
and the error reporter) and touches nothing else of the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from musicmatch_gui.actions import translate
from musicmatch_gui.jobs import JobRunner
from musicmatch_gui.state import Library, load_library

__all__ = ["LibraryCommands", "music_folder"]


def music_folder() -> str:
    """Where Add Folder starts browsing: the user's Music folder, else home (not the app's working folder)."""
    from PySide6.QtCore import QStandardPaths

    music = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MusicLocation)
    return music if music and Path(music).is_dir() else str(Path.home())


class LibraryCommands:
    """Open, grow and prune the library; every database step runs as a job, never on the GUI thread.

    Parameters
    ----------
    parent : QWidget
        The parent of the dialogs these commands open.
    jobs : JobRunner
        Runs the loading, scanning and removing off the GUI thread.
    current_library : callable
        Returns the open :class:`~musicmatch_gui.state.Library`, or None.
    show_library : callable
        Called on the GUI thread with each newly loaded library (the window shows it and re-ranks).
    status : callable
        Shows one line in the status bar.
    failed : callable
        Reports an exception (a dialog, or one line and exit 2 in scripted runs).
    """

    def __init__(self, parent: QWidget, jobs: JobRunner, *, current_library: Callable[[], Library | None],
                 show_library: Callable[[Library], None], status: Callable[[str], None],
                 failed: Callable[[BaseException], None]) -> None:
        self.parent = parent
        self.jobs = jobs
        self.current_library = current_library
        self.show_library = show_library
        self.status = status
        self.failed = failed
        self.skipped: list[tuple[str, str]] = []
        """``(path, reason)`` of every file the last scan could not analyse (Library > Show Skipped Files)."""

    # -- open ----------------------------------------------------------------------------------------

    def open_library_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent, translate("MainWindow", "Open library"), "",
            translate("MainWindow", "Library database, feature table or catalogue (*.sqlite *.db *.csv *.tsv *.parquet);;All (*)"))  # noqa: E501 (one literal for Qt Linguist)
        if path:
            self.open_library(path)

    def open_library(self, path: str, *, demo: bool = False) -> None:
        """Open a library database or a feature CSV (``audio_features.csv``) in a job."""
        self.jobs.start(translate("MainWindow", "Loading library {name}").format(name=Path(path).name),
                        lambda progress, cancel: load_library(path, demo=demo),
                        on_success=self.show_library, on_failure=self.failed)

    # -- folders ---------------------------------------------------------------------------------------

    def add_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.parent,
                                                  translate("MainWindow", "Add a music folder to the library"),
                                                  music_folder())
        if folder:
            self.scan_library([folder])

    def rescan_library(self) -> None:
        self.scan_library([])

    def scan_target(self) -> str:
        """The database a scan writes to: the open one, or the editor's own library when the demo or a CSV is open.

        The demo library is generated and replaced at will, so the editor's folders never go into it.
        """
        from core.library.db import default_db_path

        library = self.current_library()
        if library is not None and library.path and library.kind == "db" and not library.demo:
            return library.path
        return str(default_db_path())

    def scan_library(self, new_folders: list[str]) -> None:
        """Add folders (or rescan the known ones) in a job: only new or changed files are analysed.

        Cancelled, it keeps (and lists) what it analysed so far.
        """
        from core.library.db import LibraryDB
        from core.library.scanner import scan_folders

        db_path = self.scan_target()
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)

        def work(progress, cancel):
            with LibraryDB(db_path) as db:
                for folder in new_folders:
                    db.add_folder(folder)
                folders = db.folders()
                report = scan_folders(db, folders, progress=progress, cancel=cancel)
            return report, load_library(db_path)

        def done(payload) -> None:
            report, library = payload
            self.skipped = list(report.skipped)
            self.show_library(library)
            self.status(translate("MainWindow", "Library: {analysed} analysed, {unchanged} unchanged, {skipped} "
                                  "skipped, {removed} removed").format(
                analysed=report.analysed, unchanged=report.unchanged, skipped=len(report.skipped),
                removed=report.removed))

        def cancelled() -> None:
            self.status(translate("MainWindow", "Scan cancelled; the tracks analysed so far are kept"))
            self.open_library(db_path)

        self.jobs.start(translate("MainWindow", "Scanning the library"), work, on_success=done,
                        on_failure=self.failed, on_cancel=cancelled)

    def remove_folder_dialog(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from core.library.db import LibraryDB

        library = self.current_library()
        if library is None or not library.path or library.kind != "db":
            self.status(translate("MainWindow", "Open a library database first"))
            return
        with LibraryDB(library.path, create=False) as db:
            folders = db.folders()
        if not folders:
            self.status(translate("MainWindow", "The library has no folders"))
            return
        prompt = translate("MainWindow", "Forget this folder and its tracks (the files stay on disk):")
        folder, ok = QInputDialog.getItem(self.parent, translate("MainWindow", "Remove a folder"), prompt, folders,
                                          0, False)
        if ok and folder:
            self.remove_folder(folder)

    def remove_folder(self, folder: str) -> None:
        """Forget ``folder`` and its tracks (in a job; the files stay on disk)."""
        from core.library.db import LibraryDB

        path = self.current_library().path

        def work(progress, cancel):
            with LibraryDB(path, create=False) as db:
                removed = db.remove_folder(folder)
            return removed, load_library(path)

        def done(payload) -> None:
            removed, library = payload
            self.show_library(library)
            self.status(translate("MainWindow", "Removed {folder} ({count} tracks) from the library").format(
                folder=folder, count=removed))

        self.jobs.start(translate("MainWindow", "Removing a folder"), work, on_success=done, on_failure=self.failed)

    def show_skipped(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        if not self.skipped:
            self.status(translate("MainWindow", "No skipped files in the last scan"))
            return
        box = QMessageBox(QMessageBox.Icon.Information, translate("MainWindow", "Skipped files"),
                          translate("MainWindow", "{count} files could not be analysed (see the details).").format(
                              count=len(self.skipped)), parent=self.parent)
        box.setDetailedText("\n".join(f"{path}: {reason}" for path, reason in self.skipped))
        box.open()
