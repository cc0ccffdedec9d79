"""Library commands: open a library database, add and remove folders, rescan, show what was skipped."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from musicmatch_gui.actions import translate
from musicmatch_gui.state import Library, load_library

__all__ = ["LibraryActions"]


class LibraryActions:
    """Mixed into the main window; every database step runs as a job, never on the GUI thread."""

    def open_library_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, translate("MainWindow", "Open library"), "",
            translate("MainWindow", "Library database, feature table or catalogue (*.sqlite *.db *.csv *.tsv *.parquet);;All (*)"))  # noqa: E501 (one literal for Qt Linguist)
        if path:
            self.open_library(path)

    def open_library(self, path: str, *, demo: bool = False) -> None:
        """Open a library database or a feature CSV (``audio_features.csv``) in a job."""
        self.jobs.start(translate("MainWindow", "Loading library {name}").format(name=Path(path).name),
                        lambda progress, cancel: load_library(path, demo=demo),
                        on_success=self._library_loaded, on_failure=self._failed)

    def _library_loaded(self, library: Library) -> None:
        self.library = library
        label = translate("MainWindow", "Demo library: {count} tracks") if library.demo else \
            translate("MainWindow", "Library: {count} tracks ({name})")
        self.library_label.setText(label.format(count=len(library), name=Path(library.path).name))
        self._remap_picks()
        self.rerank(self.controls.settings())

    def _remap_picks(self) -> None:
        """Key every pick by its row in the open library (by path, else content hash); others keep their own key."""
        if self.library is None or not self.session.picks:
            return
        by_path = {t.path: i for i, t in enumerate(self.library.tracks)}
        by_hash = {h: i for i, h in enumerate(self.library.hashes) if h}
        remapped = {}
        for number, pick in enumerate(self.session.picks.values()):
            row = by_path.get(pick.track_path, by_hash.get(pick.content_hash))
            remapped[row if row is not None and row not in remapped else -1 - number] = pick
        if list(remapped) != list(self.session.picks):
            # The undo history names picks by their old keys; it cannot follow them. The
            # picks themselves and the modified state are kept.
            modified = self.is_modified()
            self.undo_stack.clear()
            if modified:
                self.undo_stack.resetClean()
        self.session.picks = remapped
        self.results.set_picked(set(remapped))
        self.picks_panel.set_picks(remapped)

    def add_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, translate("MainWindow", "Add a music folder to the library"))
        if folder:
            self.scan_library([folder])

    def rescan_library(self) -> None:
        self.scan_library([])

    def scan_target(self) -> str:
        """The database a scan writes to: the open one, or the editor's own library when the demo or a CSV is open.

        The demo library is generated and replaced at will, so the editor's folders never go into it.
        """
        from core.library.db import default_db_path

        library = self.library
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
            self._skipped = list(report.skipped)
            self._library_loaded(library)
            self.status(translate("MainWindow", "Library: {analysed} analysed, {unchanged} unchanged, {skipped} "
                                   "skipped, {removed} removed").format(
                analysed=report.analysed, unchanged=report.unchanged, skipped=len(report.skipped),
                removed=report.removed))

        def cancelled() -> None:
            self.status(translate("MainWindow", "Scan cancelled; the tracks analysed so far are kept"))
            self.open_library(db_path)

        self.jobs.start(translate("MainWindow", "Scanning the library"), work, on_success=done, on_failure=self._failed,
                        on_cancel=cancelled)

    def remove_folder_dialog(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from core.library.db import LibraryDB

        if self.library is None or not self.library.path or self.library.kind != "db":
            self.status(translate("MainWindow", "Open a library database first"))
            return
        with LibraryDB(self.library.path, create=False) as db:
            folders = db.folders()
        if not folders:
            self.status(translate("MainWindow", "The library has no folders"))
            return
        prompt = translate("MainWindow", "Forget this folder and its tracks (the files stay on disk):")
        folder, ok = QInputDialog.getItem(self, translate("MainWindow", "Remove a folder"), prompt, folders, 0, False)
        if ok and folder:
            self.remove_folder(folder)

    def remove_folder(self, folder: str) -> None:
        from core.library.db import LibraryDB

        path = self.library.path

        def work(progress, cancel):
            with LibraryDB(path, create=False) as db:
                removed = db.remove_folder(folder)
            return removed, load_library(path)

        def done(payload) -> None:
            removed, library = payload
            self._library_loaded(library)
            self.status(translate("MainWindow", "Removed {folder} ({count} tracks) from the library").format(
                folder=folder, count=removed))

        self.jobs.start(translate("MainWindow", "Removing a folder"), work, on_success=done, on_failure=self._failed)

    def show_skipped(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        if not self._skipped:
            self.status(translate("MainWindow", "No skipped files in the last scan"))
            return
        box = QMessageBox(QMessageBox.Icon.Information, translate("MainWindow", "Skipped files"),
                          translate("MainWindow", "{count} files could not be analysed (see the details).").format(
                              count=len(self._skipped)), parent=self)
        box.setDetailedText("\n".join(f"{path}: {reason}" for path, reason in self._skipped))
        box.open()
