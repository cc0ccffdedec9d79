"""The main window: the clip and its timeline, the radar charts, the ranked list, audition, picks.

Every long step (loading a library, analysing the clip, decoding a track for audition,
saving) runs as a :class:`~musicmatch_gui.jobs.Job`; ranking is fast enough to run
on every slider move. The window lays out the panels and owns the session; its commands
live by area in :mod:`musicmatch_gui.actions`. Audition and timing are collaborators the
window holds (``audition_cmds``, ``timing_cmds``), each given what it works with when made.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSlider,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.errors import InputError
from core.features import MUSIC, VIDEO
from core.fileio import content_hash
from core.paths import VIDEO_SUFFIXES, data_dir, is_video_name
from musicmatch_gui.actions.audition import AuditionCommands
from musicmatch_gui.actions.library import LibraryCommands
from musicmatch_gui.actions.projects import ProjectCommands
from musicmatch_gui.actions.taste import SHIPPED, TasteCommands, TasteHost
from musicmatch_gui.actions.timing import TimingCommands
from musicmatch_gui.audio import Player
from musicmatch_gui.collector import install_collector
from musicmatch_gui.core_text import emotion_label
from musicmatch_gui.jobs import JobRunner, plain_message, show_error
from musicmatch_gui.settings import app_settings, forget_recent
from musicmatch_gui.shortcuts import ShortcutPolicy, menu_action
from musicmatch_gui.state import Library, Session
from musicmatch_gui.widgets.controls import LikeChip, MatchControls
from musicmatch_gui.widgets.filter_bar import FilterBar
from musicmatch_gui.widgets.job_bar import JobBar
from musicmatch_gui.widgets.picks_panel import PicksPanel
from musicmatch_gui.widgets.radar import RadarChart
from musicmatch_gui.widgets.results import COLUMNS, ResultsModel, ResultsProxy
from musicmatch_gui.widgets.track_view import TrackView
from musicmatch_gui.widgets.video_panel import VideoPanel

if TYPE_CHECKING:
    from core.recommend.model import Recommender  # imports torch, loaded in a job after the window shows

__all__ = ["MainWindow"]


class MainWindow(QMainWindow):
    analysis_ready = Signal()
    """Emitted when a clip's analysis and ranking are shown (tests and --screenshot wait for it)."""

    def __init__(self, model: Recommender | None = None, *, device: str = "auto", language: str = "en",
                 audition_player: Player | None = None) -> None:
        super().__init__()
        self.setWindowTitle("MusicMatch[*]")
        available = self.screen().availableGeometry()  # a 1440x900 window on a 1440x900 screen hid the status bar
        self.resize(min(1440, available.width()), min(900, available.height() - 48))  # 48: the title bar's room
        self.setAcceptDrops(True)
        self.model = model
        self.device = device
        self.jobs = JobRunner(self)
        self.library: Library | None = None
        self.session = Session()
        self.undo_stack = QUndoStack(self)
        """Pick edits; its clean state is the saved project (see actions.projects)."""
        self._audition_player = audition_player or Player()
        """Plays library tracks for audition (held by ``audition_cmds``; the clip plays in ``self.video_player``)."""
        self.language = language
        self.fail_fast = False
        """Scripted runs: an error prints one line and ends the app with status 2 instead of a dialog."""
        self._video_waiting: str | None = None
        self._build_commands()
        self._build()
        self._build_menus()
        self.apply_preferences(device, language)
        self.undo_stack.cleanChanged.connect(lambda _clean: self.project_cmds.refresh_title())
        self.undo_stack.indexChanged.connect(lambda _index: self._autosave_soon.start())
        self._autosave_soon = QTimer(self)  # the recovery copy follows each change within a couple of seconds
        self._autosave_soon.setSingleShot(True)
        self._autosave_soon.setInterval(2000)
        self._autosave_soon.timeout.connect(self.project_cmds.autosave_now)
        install_collector()  # Qt objects are only ever destroyed from the GUI thread
        self._shortcuts = ShortcutPolicy(self)
        from PySide6.QtWidgets import QApplication

        QApplication.instance().installEventFilter(self._shortcuts)
        self._meter_timer = QTimer(self)
        self._meter_timer.setInterval(50)
        self._meter_timer.timeout.connect(lambda: self.audition_cmds.update_meter(self.meter, self.track_position))
        self._meter_timer.start()
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(30_000)
        self._autosave_timer.timeout.connect(self.project_cmds.autosave_now)
        self._autosave_timer.start()
        geometry = app_settings().value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    # -- layout -----------------------------------------------------------------------------

    def _build_commands(self) -> None:
        """The command areas as collaborators, each given what it works with (the widgets are read
        through callables, so they may be built after the commands)."""
        self.library_cmds = LibraryCommands(
            self, self.jobs, current_library=lambda: self.library, show_library=self.show_library,
            status=self.status, failed=self._failed)
        self.project_cmds = ProjectCommands(
            self, self.jobs, self.undo_stack, session=lambda: self.session, set_session=self._set_session,
            library=lambda: self.library, match_settings=lambda: self.controls.settings(),
            apply_match_settings=lambda settings: self.controls.apply(settings), show_picks=self._show_picks,
            selected_row=self._selected_row, playhead=lambda: self.video.position_s,
            clip_fps=lambda: self.video.fps or 25.0, open_video=self.open_video, close_clip=self._close_clip,
            status=self.status, failed=self._failed, scripted=lambda: self.fail_fast)

    def _set_session(self, session: Session) -> None:
        self.session = session

    def _show_picks(self, picks: dict) -> None:
        """Mark the picked rows in the ranked list and list the picks in their panel."""
        self.results.set_picked(set(picks))
        self.picks_panel.set_picks(picks)

    def show_library(self, library: Library) -> None:
        """Make ``library`` the open one: its label, the picks mapped onto its rows, the list ranked again."""
        self.library = library
        self.results.set_versions(library.versions)
        label = self.tr("Demo library: {count} tracks") if library.demo else \
            self.tr("Library: {count} tracks ({name})")
        songs = len(library.versions) if library.versions is not None else len(library)
        if songs != len(library):  # the list shows songs; say how many files stand behind them
            label = self.tr("Library: {songs} songs in {count} files ({name})")
        self.library_label.setText(label.format(count=len(library), songs=songs, name=Path(library.path).name))
        self.project_cmds.remap_picks()
        self.rerank(self.controls.settings())

    def _close_clip(self) -> None:
        """Empty the picture, the charts and the ranking (File > New, after the session was replaced)."""
        self.stop_all()
        self.video.close_video()
        self.video_radar.clear()
        self.music_radar.clear()
        self.picks_panel.set_clip_length(0.0, 25.0)
        self.rerank(self.controls.settings())

    def _build(self) -> None:
        self.video = VideoPanel()
        self.video.open_requested.connect(self.open_video_dialog)
        self.video.error.connect(lambda text: self.status(self.tr("Video playback: {reason}").format(reason=text)))
        self.video_player = self.video.player
        """The clip's media player (the audition player is ``self.audition``)."""
        self.timeline = self.video.timeline

        self.video_radar = RadarChart(VIDEO, self.tr("Picture: 11 video features"))
        self.music_radar = RadarChart(MUSIC, self.tr("Music: target vs selected track"))
        radars = QSplitter(Qt.Orientation.Horizontal)
        radars.addWidget(self.video_radar)
        radars.addWidget(self.music_radar)

        self.results = ResultsModel(self)
        self.proxy = ResultsProxy(self)
        self.proxy.setSourceModel(self.results)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the title takes the room left
        # Narrow number columns, so that with ten columns the title still gets the most room.
        def fit(column: int, width: int) -> None:  # never narrower than its own (translated) header label
            label = str(self.results.headerData(column, Qt.Orientation.Horizontal) or "")
            header.resizeSection(column, max(width, header.fontMetrics().horizontalAdvance(label) + 20))

        for column, width in enumerate((46, 0, 72, 58, 46, 62, 54, 38)):
            if width:
                fit(column, width)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.selectionModel().currentRowChanged.connect(self._row_selected)
        self.table.doubleClicked.connect(lambda _i: self.audition_cmds.audition_selected())
        for name, after in (("Key", "BPM"), ("Section", "Key")):  # appended to the model, shown after BPM
            header.moveSection(header.visualIndex(COLUMNS.index(name)), header.visualIndex(COLUMNS.index(after)) + 1)
            fit(COLUMNS.index(name), 74 if name == "Key" else 56)
        self.track_view = TrackView(language=self.language)
        self.list_splitter = QSplitter(Qt.Orientation.Vertical)
        """The ranked list above the selected track's view (its beats, bars and section)."""
        self.list_splitter.addWidget(self.table)
        self.list_splitter.addWidget(self.track_view)
        self.list_splitter.setStretchFactor(0, 3)
        self.list_splitter.setCollapsible(0, False)
        self._build_playback_commands()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter the whole library by title, artist or path"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        self.list_note = QLabel("")
        """Says why the list is empty, or that the filter searches the whole ranking."""
        self.list_note.setWordWrap(True)
        self.list_note.hide()
        self.filter_bar = FilterBar(language=self.language)
        """BPM, length, key, mood, artist/album, not picked yet: which rows are listed (never a distance)."""
        self.like_chip = LikeChip()
        """Shown while "More Like This" ranks against a track: its blend slider and the way back."""
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._list_context_menu)

        self.audition_button = QPushButton(self.tr("▶ Audition"))
        self.audition_button.setToolTip(self.tr("Play the selected track (Enter)"))
        self.audition_button.clicked.connect(self.audition_cmds.audition_selected)
        self.with_picture_button = QPushButton(self.tr("▶ With picture"))
        self.with_picture_button.setToolTip(self.tr("Play the clip from the playhead with the selected track from "
                                                    "its section (track time = section start + clip position)"))
        self.with_picture_button.clicked.connect(self.audition_cmds.play_with_picture)
        self.fit_button = QPushButton(self.tr("⤢ Fit to clip"))
        self.fit_button.setToolTip(self.tr("Edit the selected track from its section to exactly the clip's length "
                                           "(whole bars repeated or skipped, never stretched), save it and play it "
                                           "with the picture (F)"))
        self.fit_button.clicked.connect(self.timing_cmds.fit_to_clip)
        self.stop_button = QPushButton(self.tr("■ Stop"))
        self.stop_button.clicked.connect(self.stop_all)
        self.pick_button = QPushButton(self.tr("Pick (P)"))
        self.pick_button.clicked.connect(self.project_cmds.toggle_pick)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(80)
        self.volume.setMaximumWidth(120)
        self.volume.setToolTip(self.tr("Audition volume"))
        self.volume.valueChanged.connect(lambda v: self.audition.set_volume(v / 100))
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setMaximumWidth(120)
        self.meter.setMinimumWidth(40)
        self.meter.setMaximumHeight(10)
        self.track_position = QSlider(Qt.Orientation.Horizontal)
        self.track_position.setToolTip(self.tr("Position inside the auditioned track; drag to seek"))
        self.track_position.setRange(0, 0)
        self.track_position.sliderMoved.connect(lambda ms: self.audition.seek(ms / 1000.0))
        # Two rows (the track's own position above the buttons) keep the window within a 1280-px screen.
        track_row = QHBoxLayout()
        track_row.addWidget(QLabel(self.tr("Track")))
        track_row.addWidget(self.track_position, 1)
        track_row.addWidget(self.meter)
        audition_bar = QHBoxLayout()
        for widget in (self.audition_button, self.with_picture_button, self.stop_button, self.pick_button,
                       QLabel(self.tr("Vol")), self.volume):
            audition_bar.addWidget(widget)
        audition_bar.insertWidget(2, self.fit_button)  # after "With picture": it plays with the picture too
        audition_bar.addStretch(1)

        self.controls = MatchControls()
        self.controls.changed.connect(self.rerank)
        self.picks_panel = PicksPanel(lambda: self.video.position_s)
        self.picks_panel.edit_requested.connect(self.project_cmds.edit_pick)
        self.picks_panel.audition_requested.connect(self.audition_cmds.audition_library_row)
        self.picks_panel.not_in_library.connect(
            lambda: self.status(self.tr("This pick's track is not in the open library")))
        self.picks_panel.like_requested.connect(lambda row: self.taste.like(row))

        list_panel = QWidget()
        list_layout = QVBoxLayout(list_panel)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.filter_bar)
        list_layout.addWidget(self.filter)
        list_layout.addWidget(self.like_chip)
        list_layout.addWidget(self.list_note)
        list_layout.addWidget(self.list_splitter, 1)
        list_layout.addLayout(track_row)
        list_layout.addLayout(audition_bar)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.controls)
        side.addWidget(self.picks_panel)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(list_panel)
        bottom.addWidget(side)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 1)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(radars)
        right.addWidget(bottom)
        right.setStretchFactor(1, 2)
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(self.video)
        main.addWidget(right)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 4)
        main.setSizes([460, 980])  # the picture a third, the charts and the list the rest; the editor drags
        self.setCentralWidget(main)

        self.job_bar = JobBar(self.jobs)
        self.statusBar().addPermanentWidget(self.job_bar)
        self.library_label = QLabel(self.tr("No library"))
        self.statusBar().addPermanentWidget(self.library_label)
        self.profile_label = QLabel("")
        self.statusBar().addPermanentWidget(self.profile_label)
        self._taste_library: Library | None = None
        self.taste = TasteCommands(
            TasteHost(parent=self, jobs=self.jobs, model=lambda: self.model, use_model=self.use_model,
                      library=lambda: self.library, session=lambda: self.session,
                      rerank=lambda: self.rerank(self.controls.settings()), status=self.status, failed=self._failed,
                      language=lambda: self.language),
            self.filter_bar, self.like_chip, self.profile_label)
        """Filters, More Like This, Learn From My Picks and taste profiles (an explicit collaborator)."""
        self.taste.refresh_profile_label()
        self.undo_stack.indexChanged.connect(self._picks_maybe_filtered)

    def _build_menus(self) -> None:
        def action(menu, text, slot, shortcut=None) -> QAction:
            return menu_action(menu, self, text, slot, shortcut)

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        action(file_menu, self.tr("&New"), self.project_cmds.new_session, "Ctrl+N")
        action(file_menu, self.tr("Open &Video..."), self.open_video_dialog, "Ctrl+O")
        action(file_menu, self.tr("Open &Project..."), self.project_cmds.open_project_dialog, "Ctrl+Shift+O")
        action(file_menu, self.tr("Open &Library..."), self.library_cmds.open_library_dialog, "Ctrl+L")
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(lambda: self.project_cmds.fill_recent(self.recent_menu))
        file_menu.addSeparator()
        action(file_menu, self.tr("&Save Project"), lambda: self.project_cmds.save_project(), "Ctrl+S")
        action(file_menu, self.tr("Save Project &As..."), lambda: self.project_cmds.save_project(ask=True),
               "Ctrl+Shift+S")
        export = file_menu.addMenu(self.tr("&Export"))
        for label, fmt, suffix in (("OpenTimelineIO (.otio)...", "otio", "otio"),
                                   ("Final Cut Pro 7 XML (.xml)...", "fcpxml", "xml"),
                                   ("CMX 3600 EDL (.edl)...", "edl", "edl"),
                                   (self.tr("Cue sheet (.csv)..."), "csv", "csv")):
            act = action(export, label, lambda _=False, f=fmt, s=suffix: self.project_cmds.export_dialog(f, s))
            if fmt == "fcpxml":
                act.setShortcut(QKeySequence("Ctrl+E"))
        file_menu.addSeparator()
        action(file_menu, self.tr("&Preferences..."), self.preferences_dialog, "Ctrl+,")
        file_menu.addSeparator()
        action(file_menu, self.tr("&Quit"), self.close, "Ctrl+Q")
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        undo = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        self.undo_action, self.redo_action = undo, redo
        library_menu = self.menuBar().addMenu(self.tr("&Library"))
        action(library_menu, self.tr("&Add Folder..."), self.library_cmds.add_folder_dialog)
        action(library_menu, self.tr("&Rescan"), self.library_cmds.rescan_library, "F5")
        action(library_menu, self.tr("Re&move Folder..."), self.library_cmds.remove_folder_dialog)
        action(library_menu, self.tr("Show &Skipped Files"), self.library_cmds.show_skipped)
        model_menu = self.menuBar().addMenu(self.tr("&Model"))
        self.taste.fill_model_menu(model_menu)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        action(help_menu, self.tr("&Getting Started"), self.show_guide, "F1")
        action(help_menu, self.tr("&Keyboard Shortcuts"), self.show_shortcuts, "Ctrl+/")
        help_menu.addSeparator()
        action(help_menu, self.tr("&About MusicMatch"), self.about)
        play_menu = self.menuBar().addMenu(self.tr("&Playback"))
        action(play_menu, self.tr("Play / Pause"), self.video.toggle_play, "Space")
        action(play_menu, self.tr("Audition Selected Track"), self.audition_cmds.audition_selected, "Return")
        action(play_menu, self.tr("Play With Picture"), self.audition_cmds.play_with_picture, "Ctrl+Return")
        action(play_menu, self.tr("Fit to Clip"), self.timing_cmds.fit_to_clip, "F")
        action(play_menu, self.tr("Section One Bar Earlier"), lambda: self.track_view.step(-1), "Shift+Left")
        action(play_menu, self.tr("Section One Bar Later"), lambda: self.track_view.step(1), "Shift+Right")
        action(play_menu, self.tr("Stop"), self.stop_all, "Escape")
        action(play_menu, self.tr("Pick / Unpick"), self.project_cmds.toggle_pick, "P")
        self.more_like_action = action(play_menu, self.tr("More Like This"), self.more_like_selected, "M")
        play_menu.addSeparator()
        action(play_menu, self.tr("Back 5 s"), lambda: self.video.seek_by(-5.0), "J")
        action(play_menu, self.tr("Pause"), self.video_player.pause, "K")
        action(play_menu, self.tr("Play"), self.video_player.play, "L")
        action(play_menu, self.tr("Back 1 s"), lambda: self.video.seek_by(-1.0), "Left")
        action(play_menu, self.tr("Forward 1 s"), lambda: self.video.seek_by(1.0), "Right")

    def _build_playback_commands(self) -> None:
        """The audition and timing commands, given what they work with (called while laying out)."""
        self.audition_cmds = AuditionCommands(
            player=self._audition_player, video=self.video, track_view=self.track_view, jobs=self.jobs,
            session=lambda: self.session, library=lambda: self.library, selected_row=self._selected_row,
            select_row=self._select_library_row, status=self.status, failed=self._failed,
            clear_status=self.statusBar().clearMessage)
        self.timing_cmds = TimingCommands(
            results=self.results, track_view=self.track_view, timeline=self.timeline, undo_stack=self.undo_stack,
            jobs=self.jobs, audition=self.audition_cmds, session=lambda: self.session, library=lambda: self.library,
            selected_row=self._selected_row, picks_changed=self.project_cmds.picks_changed, status=self.status,
            failed=self._failed, fits_folder=lambda: data_dir() / "fits")
        self.undo_stack.indexChanged.connect(lambda _index: self.timing_cmds.refresh())  # undo of a move, a pick

    @property
    def audition(self) -> Player:
        """The audio player (held by :attr:`audition_cmds`)."""
        return self.audition_cmds.player

    @audition.setter
    def audition(self, player: Player) -> None:
        self.audition_cmds.player = player

    def stop_all(self) -> None:
        """Stop the audition and the picture (the other command areas call this before replacing the clip)."""
        self.audition_cmds.stop_all()

    # -- status and jobs ----------------------------------------------------------------------

    def status(self, message: str, ms: int = 8000) -> None:
        self.statusBar().showMessage(message, ms)

    def job_titles(self) -> list[str]:
        """Titles of the jobs running now (the status bar tracks every one of them)."""
        return [job.title for job in self.jobs.running()]

    def _failed(self, exc: BaseException) -> None:
        if self.fail_fast:  # scripted runs (--screenshot): no dialog to wait on; say it and stop
            from PySide6.QtWidgets import QApplication

            from musicmatch_gui.app import say_error

            say_error(plain_message(exc))
            QApplication.instance().exit(2)
            return
        show_error(self, exc, status=self.status)

    # -- the recommender ---------------------------------------------------------------------------------

    def load_model(self, path: str | None = None) -> None:
        """Load the recommender in a job (torch takes a second or two to import); a waiting clip then starts."""

        def work(progress, cancel):
            from core.recommend.model import load_recommender
            from core.recommend.profiles import ProfileStore

            # No model named: the taste profile in use (remembered by the profile store), else the shipped one.
            return load_recommender(path) if path is not None else ProfileStore().load(None)

        self.jobs.start(self.tr("Loading the recommender"), work, on_success=self._model_loaded,
                        on_failure=self._failed)

    def _model_loaded(self, model) -> None:
        self.model = model
        self.session.model_name = model.info.get("profile") or self.session.model_name
        self.taste.refresh_profile_label()
        if self._video_waiting is not None:
            path, self._video_waiting = self._video_waiting, None
            self.open_video(path, asked=True)

    # -- the clip -------------------------------------------------------------------------------------

    def open_video_dialog(self) -> None:
        if not self.project_cmds.keep_changes():
            return
        patterns = " ".join(f"*{suffix}" for suffix in VIDEO_SUFFIXES)
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open video"), "",
                                              self.tr("Video ({patterns});;All (*)").format(patterns=patterns))
        if path:
            self.open_video(path, asked=True)

    def _video_problem(self, file: Path) -> str | None:
        """Why ``file`` cannot be opened, checked before anything open is replaced; None if it may be."""
        if not is_video_name(file):
            return self.tr("{name}: not a video MusicMatch opens ({suffixes})").format(
                name=file.name, suffixes=", ".join(s.lstrip(".").upper() for s in VIDEO_SUFFIXES[:6]) + "...")
        if not file.is_file():
            return self.tr("{name}: no such file").format(name=file.name)
        if file.stat().st_size == 0:
            return self.tr("{name}: the file is empty").format(name=file.name)
        return None

    def open_video(self, path: str, *, asked: bool = False) -> bool:
        """Analyse the clip at ``path`` in a job; False if it was refused or the editor kept the open project.

        A file that cannot be a clip (wrong ending, missing, empty) is refused before anything
        open is touched; otherwise unsaved changes are asked about first (unless ``asked``).
        """
        file = Path(path)
        problem = self._video_problem(file)
        if problem is not None:
            forget_recent(str(file))
            self._failed(InputError(problem))
            return False
        if not asked and not self.project_cmds.keep_changes():
            return False
        if self.model is None:  # still loading: analyse as soon as it is there
            self._video_waiting = str(file)
            self.video.show_video(file)
            self.status(self.tr("{name}: waiting for the recommender to load").format(name=file.name))
            return True
        self.stop_all()
        pending = self.project_cmds.pending_project
        if pending is not None and Path(pending[0].video.path).resolve() != file.resolve():
            self.project_cmds.pending_project = None  # another clip: that project is no longer being opened
        self.video.show_video(file)
        self.project_cmds.start_fresh(Session(video_path=str(file), model_name=self.session.model_name))
        self.timeline.clear()
        self.video_radar.clear()
        self.music_radar.clear()
        self.rerank(self.controls.settings())
        model, device = self.model, self._analysis_device()

        def work(progress, cancel):
            from core.match import TrackIndex
            from core.pipeline import recommend_video

            index = TrackIndex(np.zeros((0, len(MUSIC))))  # ranked on the GUI thread, live
            recommendation = recommend_video(file, model, index, device=device, progress=progress, cancel=cancel)
            return recommendation, content_hash(file)

        def failed(exc: BaseException) -> None:
            forget_recent(str(file))
            self._failed(exc)

        self.jobs.start(self.tr("Analysing {name}").format(name=file.name), work, on_success=self._analysed,
                        on_failure=failed, kind="analysis")
        return True

    def _analysed(self, payload) -> None:
        recommendation, digest = payload
        analysis = recommendation.analysis
        self.session.recommendation = recommendation
        self.session.video_hash = digest
        self.session.target = recommendation.prediction.features
        self.video.fps = analysis.info.fps or 25.0
        self.picks_panel.set_clip_length(analysis.duration_s, self.video.fps)
        self.timeline.set_analysis(analysis.duration_s, analysis.shots, analysis.seconds, analysis.timeline)
        self.timeline.fps = self.video.fps
        self.video_radar.set_series("clip", analysis.features.to_array(), "#ff8a3d")
        self.music_radar.set_series("target", self.session.target, "#4fc3f7")
        self.status(self.tr("{name}: {seconds:.1f} s, {shots} shots; target emotion {emotion}").format(
            name=Path(self.session.video_path).name, seconds=analysis.duration_s, shots=len(analysis.shots),
            emotion=emotion_label(recommendation.prediction.emotion)))
        self.project_cmds.clip_analysed()  # a waiting project's picks and settings, or the clip as recent
        self.rerank(self.controls.settings())
        self.analysis_ready.emit()

    # -- ranking ---------------------------------------------------------------------------------------

    def rerank(self, settings) -> None:
        """Rank the whole library (or list it, before a clip) and show the top K, keeping the selection."""
        if self.library is not self._taste_library:  # another library (or a rescan): what it can filter on
            self._taste_library = self.library
            self.taste.library_opened(self.library)
        keep = self.taste.keep_mask()
        target = self.taste.target(self.session.target)
        self.taste.session_changed()  # the chip offers the blend only while there is a clip's target
        # Tracks shorter than the clip rank after all that cover it (SPEC §6).
        result = self.session.rank(self.library, settings, keep=keep, target=target,
                                   covers=self.timing_cmds.covers())
        tracks = self.library.tracks if self.library is not None else []
        current = self._selected_row()
        # Ranked: the top K. Before a clip: the whole library, to browse and audition.
        self.results.set_result(result, tracks, limit=settings.top_k if result is not None else None, keep=keep)
        rec = self.session.recommendation
        self.results.set_explanation(target, self.library.index.features if self.library is not None else None,
                                     rec.analysis.features.to_array() if rec is not None else None, self.language)
        if target is not None and self.session.target is not None:
            self.music_radar.set_series("target", target, "#4fc3f7")
        self.results.set_picked(set(self.session.picks))
        if current is not None:
            self._select_library_row(current)
        self.timing_cmds.prepare(result, settings.top_k)  # the listed rows' best sections, then the track view
        self._update_list_note()

    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._update_list_note()

    def _update_list_note(self) -> None:
        """Say why the list is empty, or that a filter is searching the whole ranking."""
        text = self.filter.text().strip()
        shown, total = self.proxy.rowCount(), self.results.rowCount()
        taste_note = self.taste.filter_note(total) if self.library is not None else ""
        if taste_note:
            note = taste_note
        elif self.library is None:
            note = self.tr("No library open: Library > Add Folder, or File > Open Library")
        elif total == 0:
            note = self.tr("The library has no analysed tracks yet: Library > Add Folder")
        elif text and shown == 0:
            note = self.tr("No track of the {count} in the library matches “{text}”").format(count=total, text=text)
        elif text:
            note = self.tr("{shown} of {count} tracks match “{text}” (the whole library is searched)").format(
                shown=shown, count=total, text=text)
        elif self.session.target is None:
            note = self.tr("Browsing the library ({count} tracks); open a clip to rank it").format(count=total)
        else:
            note = ""
        self.list_note.setText(note)
        self.list_note.setVisible(bool(note))

    def _selected_row(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or self.results.rowCount() == 0:
            return None
        return self.results.library_row(self.proxy.mapToSource(index).row())

    def _select_library_row(self, library_row: int) -> None:
        row = self.results.model_row(library_row)
        if row is not None:
            index = self.proxy.mapFromSource(self.results.index(row, 0))
            if index.isValid():
                self.table.setCurrentIndex(index)

    def _row_selected(self, *_args) -> None:
        row = self._selected_row()
        self.timing_cmds.show_selected()
        if row is None or self.library is None:
            self.music_radar.remove_series("selected")
            return
        self.music_radar.set_series("selected", self.library.index.features[row], "#b2ff59")
        self.audition_cmds.follow_selection(row)  # A/B: the new track at the same place in the clip

    # -- taste: the model in use, More Like This ---------------------------------------------------

    def use_model(self, model: Recommender, name: str = SHIPPED) -> None:
        """Make ``model`` the recommender in use under ``name`` (a profile's, or the shipped model's):
        the open clip gets its new target and the list re-ranks."""
        self.model = model
        self.session.model_name = name
        rec = self.session.recommendation
        if rec is not None:
            self.session.target = model.predict(rec.analysis.features.to_array()).features
            self.music_radar.set_series("target", self.session.target, "#4fc3f7")
        self.rerank(self.controls.settings())

    def more_like_selected(self) -> None:
        """More Like This on the selected row of the list (M)."""
        row = self._selected_row()
        if row is not None:
            self.taste.like(row)

    def _list_context_menu(self, position) -> None:
        from PySide6.QtWidgets import QMenu

        index = self.table.indexAt(position)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        menu = QMenu(self)
        like = menu.addAction(self.tr("More Like This"))
        like.setShortcut(QKeySequence("M"))
        like.triggered.connect(self.more_like_selected)
        if self.taste.like_row is not None:
            back = menu.addAction(self.like_chip.back.text())
            back.triggered.connect(self.taste.clear_like)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def _picks_maybe_filtered(self, _index: int = 0) -> None:
        """A pick changed: with "Not picked yet" on, the list leaves it out from now on."""
        if self.filter_bar.exclude_picked.isChecked():
            self.rerank(self.controls.settings())

    # -- about and preferences ---------------------------------------------------------------------

    def about_text(self) -> str:
        from core import __version__

        return (f"<b>MusicMatch {__version__}</b><br>" + self.tr("Find the music in your own library that fits a "
                                                                   "video.") + "<br>"
                + self.tr("Everything runs on this computer; nothing is uploaded or downloaded."))

    def show_guide(self) -> None:
        from musicmatch_gui.help import HelpDialog, guide_html

        HelpDialog(self.tr("Getting Started"), guide_html(), self).open()

    def show_shortcuts(self) -> None:
        from musicmatch_gui.help import HelpDialog, shortcuts_html

        title = self.tr("Keyboard Shortcuts")
        HelpDialog(title, shortcuts_html(self.menuBar(), title), self).open()

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, self.tr("About MusicMatch"), self.about_text())

    # -- preferences ------------------------------------------------------------------------------------

    def preferences_dialog(self) -> None:
        from musicmatch_gui.preferences import Preferences, PreferencesDialog

        stored = Preferences.load()
        dialog = PreferencesDialog(Preferences(self.device, self.language, stored.library, stored.metric,
                                               stored.top_k), self)
        if dialog.exec():
            chosen = dialog.chosen()
            chosen.save()
            self.apply_preferences(chosen.device, chosen.language)

    def apply_preferences(self, device: str, language: str) -> None:
        self.device = device
        self.language = language
        for widget in (self.video_radar, self.music_radar, self.timeline, self.track_view):
            widget.language = language
            widget.update()
        self.controls.set_language(language)
        self.results.language = language  # the tooltips' dimension names
        self.filter_bar.set_language(language)
        if self.results.explanation is not None:  # the reasons in the tooltips follow the language
            self.results.set_explanation(*self.results.explanation[:3], language)

    def _analysis_device(self) -> str:
        """The preferred device, or the CPU (with a message) when CUDA was chosen but is not there."""
        from core.video.batch import resolve_device

        try:
            return str(resolve_device(self.device))
        except InputError as exc:
            self.status(self.tr("{reason}; analysing on the CPU").format(reason=exc))
            return "cpu"

    def screenshot(self):
        """The window as a pixmap, with the current video frame drawn in (offscreen, the video widget
        renders nothing of its own; the frame comes from the player's video sink)."""
        self.video_player.pause()
        picture = self.grab()
        self.video.paint_frame(picture, self)
        return picture

    # -- drag and drop ----------------------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls and (is_video_name(urls[0].toLocalFile()) or urls[0].toLocalFile().endswith(".mmproj")):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls:
            path = urls[0].toLocalFile()
            self.project_cmds.open_project(path) if path.endswith(".mmproj") else self.open_video(path)

    def remember_match_settings(self) -> None:
        """Keep the dimensions and weights in use as the next start's defaults (UI state, QSettings)."""
        import json

        settings = self.controls.settings()
        state = {"dims": list(settings.dims), "weights": dict(zip(MUSIC.ids, settings.weights, strict=True))}
        app_settings().setValue("match/last", json.dumps(state))

    def restore_match_settings(self) -> None:
        """Start with the dimensions and weights of the last session (metric and length: Preferences)."""
        import json

        from core.match import MatchSettings

        text = app_settings().value("match/last")
        if not text:
            return
        try:
            state = json.loads(text)
            current = self.controls.settings()
            self.controls.apply(MatchSettings.create(metric=current.metric, dims=state["dims"],
                                                     weights=state["weights"], top_k=current.top_k))
        except (ValueError, KeyError, TypeError, InputError):
            pass  # an old or damaged entry: keep the defaults

    def closeEvent(self, event) -> None:
        if not self.project_cmds.keep_changes():  # Cancel (or a failed save): the window stays, nothing is lost
            event.ignore()
            return
        self.project_cmds.discard_autosave()  # a normal end: saved or discarded, so no recovery offer next time
        app_settings().setValue("window/geometry", self.saveGeometry())
        self.remember_match_settings()
        self.audition.stop()
        self.video_player.pause()
        self.hide()  # gone at once for the editor; the jobs end behind it
        self.jobs.shutdown()
        super().closeEvent(event)
