"""The main window: the clip and its timeline, the radar charts, the ranked list, audition, picks.

Every long step (loading a library, analysing the clip, decoding a track for audition,
saving) runs as a :class:`~musicmatch_gui.jobs.Job`; ranking is fast enough to run
on every slider move.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoSink
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSlider,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import InputError
from core.features import MUSIC, VIDEO
from core.fileio import content_hash
from musicmatch_gui.audio import AudioUnavailable, Player
from musicmatch_gui.jobs import JobRunner, show_error
from musicmatch_gui.state import Library, Session, load_library
from musicmatch_gui.widgets.controls import MatchControls
from musicmatch_gui.widgets.radar import RadarChart
from musicmatch_gui.widgets.results import ResultsModel, ResultsProxy
from musicmatch_gui.widgets.timeline import TimelineStrip

if TYPE_CHECKING:
    from core.recommend.model import Recommender  # imports torch, loaded in a job after the window shows

__all__ = ["VIDEO_SUFFIXES", "MainWindow"]

VIDEO_SUFFIXES = {".mp4", ".mov", ".mkv", ".m4v", ".avi", ".webm"}


def timecode(seconds: float, fps: float = 25.0) -> str:
    frames = int(round(max(seconds, 0.0) * fps))
    rate = max(int(round(fps)), 1)
    s, f = divmod(frames, rate)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h:02d}:{m:02d}:{s:02d}:{f:02d}"


class DropZone(QLabel):
    """The empty state: invites a drop or a click on Open."""

    open_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setText(self.tr("Drop an MP4 here\n\nor press Ctrl+O to open a video"))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setObjectName("dropZone")
        self.setMinimumSize(480, 270)

    def mousePressEvent(self, _event) -> None:
        self.open_requested.emit()


class MainWindow(QMainWindow):
    analysis_ready = Signal()
    """Emitted when a clip's analysis and ranking are shown (tests and --screenshot wait for it)."""

    def __init__(self, model: Recommender | None = None, *, device: str = "auto", language: str = "en",
                 player: Player | None = None) -> None:
        super().__init__()
        self.setWindowTitle("MusicMatch")
        self.resize(1440, 900)
        self.setAcceptDrops(True)
        self.model = model
        self.device = device
        self.jobs = JobRunner(self)
        self.library: Library | None = None
        self.session = Session()
        self.audition = player or Player()
        self._audition_row: int | None = None
        self._fps = 25.0
        self.language = language
        self.fail_fast = False
        """Scripted runs: an error prints one line and ends the app with status 2 instead of a dialog."""
        self._video_waiting: str | None = None
        self._build()
        self._build_menus()
        self.apply_preferences(device, language)
        self.jobs.started.connect(self._job_started)
        self._meter_timer = QTimer(self)
        self._meter_timer.setInterval(50)
        self._meter_timer.timeout.connect(self._update_meter)
        self._meter_timer.start()
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(30_000)
        self._autosave_timer.timeout.connect(self.autosave_now)
        self._autosave_timer.start()
        self._pending_project = None
        self._skipped: list[tuple[str, str]] = []
        settings = QSettings("MusicMatch", "MusicMatch")
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    # -- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.player = QMediaPlayer(self)
        self.player_audio = QAudioOutput(self)
        self.player.setAudioOutput(self.player_audio)
        self.video_widget = QVideoWidget()
        self.video_sink: QVideoSink = self.video_widget.videoSink()
        self.player.setVideoOutput(self.video_widget)
        self.drop_zone = DropZone()
        self.drop_zone.open_requested.connect(self.open_video_dialog)
        self.video_stack = QStackedWidget()
        self.video_stack.addWidget(self.drop_zone)
        self.video_stack.addWidget(self.video_widget)

        self.play_button = QToolButton(text="▶")
        self.play_button.setToolTip(self.tr("Play / pause (Space)"))
        self.play_button.clicked.connect(self.toggle_play)
        self.position = QSlider(Qt.Orientation.Horizontal)
        self.position.setRange(0, 0)
        self.position.sliderMoved.connect(lambda ms: self.player.setPosition(ms))
        self.timecode = QLabel(timecode(0))
        self.timecode.setObjectName("timecode")
        self.mute_button = QToolButton(text=self.tr("Clip sound"))
        self.mute_button.setCheckable(True)
        self.mute_button.setChecked(True)
        self.mute_button.setToolTip(self.tr("The clip's own sound on or off"))
        self.mute_button.toggled.connect(lambda on: self.player_audio.setMuted(not on))
        transport = QHBoxLayout()
        for widget in (self.play_button, self.position, self.timecode, self.mute_button):
            transport.addWidget(widget)
        self.timeline = TimelineStrip()
        self.timeline.seek_requested.connect(lambda s: self.player.setPosition(int(s * 1000)))
        self.player.positionChanged.connect(self._position_changed)
        self.player.durationChanged.connect(lambda ms: self.position.setRange(0, ms))
        self.player.playbackStateChanged.connect(self._playback_state)
        self.player.errorOccurred.connect(lambda _e, text: self.status(f"Video playback: {text}") if text else None)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.video_stack, 1)
        left_layout.addLayout(transport)
        left_layout.addWidget(self.timeline)

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
        for column, width in enumerate((52, 0, 90, 60, 46, 66, 58, 40)):
            if width:
                header.resizeSection(column, width)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.selectionModel().currentRowChanged.connect(self._row_selected)
        self.table.doubleClicked.connect(lambda _i: self.audition_selected())
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter by title, artist or path"))
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)

        self.audition_button = QPushButton(self.tr("▶ Audition"))
        self.audition_button.setToolTip(self.tr("Play the selected track (Enter)"))
        self.audition_button.clicked.connect(self.audition_selected)
        self.with_picture_button = QPushButton(self.tr("▶ With picture"))
        self.with_picture_button.setToolTip(self.tr("Play the clip and the selected track together from the playhead"))
        self.with_picture_button.clicked.connect(self.play_with_picture)
        self.stop_button = QPushButton(self.tr("■ Stop"))
        self.stop_button.clicked.connect(self.stop_all)
        self.pick_button = QPushButton(self.tr("Pick (P)"))
        self.pick_button.clicked.connect(self.toggle_pick)
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
        self.meter.setMaximumHeight(10)
        self.track_position = QSlider(Qt.Orientation.Horizontal)
        self.track_position.setToolTip(self.tr("Position inside the auditioned track; drag to seek"))
        self.track_position.setRange(0, 0)
        self.track_position.setMinimumWidth(120)
        self.track_position.sliderMoved.connect(lambda ms: self.audition.seek(ms / 1000.0))
        audition_bar = QHBoxLayout()
        for widget in (self.audition_button, self.with_picture_button, self.stop_button, self.pick_button,
                       self.track_position, QLabel(self.tr("Vol")), self.volume, self.meter):
            audition_bar.addWidget(widget)
        audition_bar.addStretch(1)

        self.controls = MatchControls()
        self.controls.changed.connect(self.rerank)
        self.picks_list = QListWidget()
        self.picks_list.setToolTip(self.tr("Picked tracks (saved in the project); double-click to audition"))
        self.picks_list.itemDoubleClicked.connect(self._audition_pick_item)

        list_panel = QWidget()
        list_layout = QVBoxLayout(list_panel)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.filter)
        list_layout.addWidget(self.table, 1)
        list_layout.addLayout(audition_bar)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.controls)
        picks_box = QWidget()
        picks_layout = QVBoxLayout(picks_box)
        picks_layout.setContentsMargins(0, 0, 0, 0)
        picks_layout.addWidget(QLabel(self.tr("Picks")))
        picks_layout.addWidget(self.picks_list)
        self.pick_note = QLineEdit()
        self.pick_note.setPlaceholderText(self.tr("Note for the selected pick"))
        self.pick_placement = QDoubleSpinBox()
        self.pick_placement.setRange(0.0, 24 * 3600.0)
        self.pick_placement.setDecimals(2)
        self.pick_placement.setSuffix(" s")
        self.pick_placement.setToolTip(self.tr("Where the music starts on the clip's timeline"))
        self.pick_at_playhead = QPushButton(self.tr("At playhead"))
        self.pick_at_playhead.setToolTip(self.tr("Start the selected pick at the video's current position"))
        self.pick_rating = QSpinBox()
        self.pick_rating.setRange(0, 5)
        self.pick_rating.setPrefix("Rating ")
        editor = QHBoxLayout()
        for widget in (QLabel(self.tr("Starts at")), self.pick_placement, self.pick_at_playhead, self.pick_rating):
            editor.addWidget(widget)
        picks_layout.addWidget(self.pick_note)
        picks_layout.addLayout(editor)
        self.picks_list.currentRowChanged.connect(self._show_pick)
        self.pick_note.editingFinished.connect(self._edit_pick)
        self.pick_placement.editingFinished.connect(self._edit_pick)
        self.pick_rating.valueChanged.connect(self._edit_pick)
        self.pick_at_playhead.clicked.connect(
            lambda: (self.pick_placement.setValue(self.player.position() / 1000.0), self._edit_pick()))
        side.addWidget(picks_box)
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
        main.addWidget(left)
        main.addWidget(right)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 4)
        self.setCentralWidget(main)

        self.job_label = QLabel("")
        self.job_progress = QProgressBar()
        self.job_progress.setMaximumWidth(220)
        self.job_progress.setRange(0, 1000)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self._current_job = None
        self.cancel_button.clicked.connect(lambda: self._current_job.cancel() if self._current_job else None)
        for widget in (self.job_label, self.job_progress, self.cancel_button):
            widget.hide()
            self.statusBar().addPermanentWidget(widget)
        self.library_label = QLabel(self.tr("No library"))
        self.statusBar().addPermanentWidget(self.library_label)

    def _build_menus(self) -> None:
        def action(menu, text, slot, shortcut=None) -> QAction:
            act = QAction(text, self)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            menu.addAction(act)
            return act

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        action(file_menu, self.tr("&New"), self.new_session, "Ctrl+N")
        action(file_menu, self.tr("Open &Video..."), self.open_video_dialog, "Ctrl+O")
        action(file_menu, self.tr("Open &Project..."), self.open_project_dialog, "Ctrl+Shift+O")
        action(file_menu, self.tr("Open &Library..."), self.open_library_dialog, "Ctrl+L")
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        action(file_menu, self.tr("&Save Project"), self.save_project, "Ctrl+S")
        action(file_menu, self.tr("Save Project &As..."), lambda: self.save_project(ask=True), "Ctrl+Shift+S")
        export = file_menu.addMenu(self.tr("&Export"))
        for label, fmt, suffix in (("OpenTimelineIO (.otio)...", "otio", "otio"),
                                   ("Final Cut Pro 7 XML (.xml)...", "fcpxml", "xml"),
                                   ("CMX 3600 EDL (.edl)...", "edl", "edl"), ("Cue sheet (.csv)...", "csv", "csv")):
            act = action(export, label, lambda _=False, f=fmt, s=suffix: self.export_dialog(f, s))
            if fmt == "fcpxml":
                act.setShortcut(QKeySequence("Ctrl+E"))
        file_menu.addSeparator()
        action(file_menu, self.tr("&Preferences..."), self.preferences_dialog, "Ctrl+,")
        file_menu.addSeparator()
        action(file_menu, self.tr("&Quit"), self.close, "Ctrl+Q")
        library_menu = self.menuBar().addMenu(self.tr("&Library"))
        action(library_menu, self.tr("&Add Folder..."), self.add_folder_dialog)
        action(library_menu, self.tr("&Rescan"), self.rescan_library, "F5")
        action(library_menu, self.tr("Re&move Folder..."), self.remove_folder_dialog)
        action(library_menu, self.tr("Show &Skipped Files"), self.show_skipped)
        model_menu = self.menuBar().addMenu(self.tr("&Model"))
        action(model_menu, self.tr("&Learn From My Picks..."), self.learn_from_picks_dialog)
        action(model_menu, self.tr("Use the &Default Model"), self.use_default_model)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        action(help_menu, self.tr("&About MusicMatch"), self.about)
        play_menu = self.menuBar().addMenu(self.tr("&Playback"))
        action(play_menu, self.tr("Play / Pause"), self.toggle_play, "Space")
        action(play_menu, self.tr("Audition Selected Track"), self.audition_selected, "Return")
        action(play_menu, self.tr("Play With Picture"), self.play_with_picture, "Ctrl+Return")
        action(play_menu, self.tr("Stop"), self.stop_all, "Escape")
        action(play_menu, self.tr("Pick / Unpick"), self.toggle_pick, "P")
        play_menu.addSeparator()
        action(play_menu, self.tr("Back 5 s"), lambda: self.seek_by(-5.0), "J")
        action(play_menu, self.tr("Pause"), lambda: self.player.pause(), "K")
        action(play_menu, self.tr("Play"), lambda: self.player.play(), "L")
        action(play_menu, self.tr("Back 1 s"), lambda: self.seek_by(-1.0), "Left")
        action(play_menu, self.tr("Forward 1 s"), lambda: self.seek_by(1.0), "Right")

    # -- status and jobs ----------------------------------------------------------------------

    def status(self, message: str, ms: int = 8000) -> None:
        self.statusBar().showMessage(message, ms)

    def _job_started(self, job) -> None:
        self.job_label.setText(job.title)
        self.job_progress.setValue(0)
        for widget in (self.job_label, self.job_progress, self.cancel_button):
            widget.show()
        self._current_job = job
        # Bound methods of the window: Qt queues them to the GUI thread (a lambda would run in the worker).
        job.progress.connect(self._job_progress)
        job.finished.connect(self._job_finished)
        job.cancelled.connect(self._job_cancelled)

    @Slot(float, str)
    def _job_progress(self, fraction: float, message: str) -> None:
        self.job_progress.setValue(int(fraction * 1000))
        self.job_label.setText(message)

    @Slot()
    def _job_cancelled(self) -> None:
        self.status("Cancelled")

    @Slot()
    def _job_finished(self) -> None:
        if len(self.jobs.running()) <= 1:
            for widget in (self.job_label, self.job_progress, self.cancel_button):
                widget.hide()

    def _failed(self, exc: BaseException) -> None:
        if self.fail_fast:  # scripted runs (--screenshot): no dialog to wait on; say it and stop
            import sys

            from PySide6.QtWidgets import QApplication

            sys.stderr.write(f"musicmatch gui: error: {' '.join(str(exc).split()) or type(exc).__name__}\n")
            QApplication.instance().exit(2)
            return
        show_error(self, exc, status=self.status)

    # -- the recommender ---------------------------------------------------------------------------------

    def load_model(self, path: str | None = None) -> None:
        """Load the recommender in a job (torch takes a second or two to import); a waiting clip then starts."""

        def work(progress, cancel):
            from core.recommend.model import load_recommender

            return load_recommender(path)

        self.jobs.start("Loading the recommender", work, on_success=self._model_loaded, on_failure=self._failed)

    def _model_loaded(self, model) -> None:
        self.model = model
        if self._video_waiting is not None:
            path, self._video_waiting = self._video_waiting, None
            self.open_video(path)

    # -- library ---------------------------------------------------------------------------------

    def open_library(self, db_path: str) -> None:
        self.jobs.start(f"Loading library {Path(db_path).name}",
                        lambda progress, cancel: load_library(db_path),
                        on_success=self._library_loaded, on_failure=self._failed)

    def _library_loaded(self, library: Library) -> None:
        self.library = library
        self.library_label.setText(f"Library: {len(library)} tracks ({Path(library.path).name})")
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
        self.session.picks = remapped
        self.results.set_picked(set(remapped))
        self._refresh_picks()

    def add_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a music folder to the library")
        if folder:
            self.scan_library([folder])

    def rescan_library(self) -> None:
        self.scan_library([])

    def scan_library(self, new_folders: list[str]) -> None:
        """Add folders (or rescan the known ones) in a job: only new or changed files are analysed."""
        from core.library.db import LibraryDB, default_db_path
        from core.library.scanner import scan_folders

        db_path = self.library.path if self.library is not None and self.library.path else str(default_db_path())

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
            self.status(f"Library: {report.analysed} analysed, {report.unchanged} unchanged, "
                        f"{len(report.skipped)} skipped, {report.removed} removed")

        self.jobs.start("Scanning the library", work, on_success=done, on_failure=self._failed)

    def remove_folder_dialog(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from core.library.db import LibraryDB

        if self.library is None or not self.library.path:
            self.status("Open a library first")
            return
        with LibraryDB(self.library.path, create=False) as db:
            folders = db.folders()
        if not folders:
            self.status("The library has no folders")
            return
        folder, ok = QInputDialog.getItem(self, "Remove a folder", "Forget this folder and its tracks "
                                          "(the files stay on disk):", folders, 0, False)
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
            self.status(f"Removed {folder} ({removed} tracks) from the library")

        self.jobs.start("Removing a folder", work, on_success=done, on_failure=self._failed)

    def show_skipped(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        if not self._skipped:
            self.status("No skipped files in the last scan")
            return
        box = QMessageBox(QMessageBox.Icon.Information, "Skipped files",
                          f"{len(self._skipped)} files could not be analysed (see the details).", parent=self)
        box.setDetailedText("\n".join(f"{path}: {reason}" for path, reason in self._skipped))
        box.open()

    def open_library_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open library database", "", "Library (*.sqlite *.db);;All (*)")
        if path:
            self.open_library(path)

    # -- video ---------------------------------------------------------------------------------------

    def open_video_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open video", "", "Video (*.mp4 *.mov *.mkv *.m4v);;All (*)")
        if path:
            self.open_video(path)

    def open_video(self, path: str) -> None:
        file = Path(path)
        if self.model is None:  # still loading: analyse as soon as it is there
            self._video_waiting = str(file)
            self.video_stack.setCurrentWidget(self.video_widget)
            self.player.setSource(QUrl.fromLocalFile(str(file.resolve())))
            self.status(f"{file.name}: waiting for the recommender to load")
            return
        if file.suffix.lower() not in VIDEO_SUFFIXES:
            self._failed(InputError(f"{file.name}: not a video MusicMatch opens (MP4, MOV, MKV...)"))
            return
        self.stop_all()
        self.session = Session(video_path=str(file), model_name=self.session.model_name)
        self.picks_list.clear()
        self.player.setSource(QUrl.fromLocalFile(str(file.resolve())))
        self.video_stack.setCurrentWidget(self.video_widget)
        self.setWindowTitle(f"MusicMatch - {file.name}")
        self.timeline.clear()
        self.video_radar.clear()
        self.music_radar.clear()
        self.results.set_result(None, [])
        model, device = self.model, self._analysis_device()

        def work(progress, cancel):
            from core.match import TrackIndex
            from core.pipeline import recommend_video

            index = TrackIndex(np.zeros((0, len(MUSIC))))  # ranked on the GUI thread, live
            recommendation = recommend_video(file, model, index, device=device, progress=progress, cancel=cancel)
            return recommendation, content_hash(file)

        self.remember(str(file))
        self.jobs.start(f"Analysing {file.name}", work, on_success=self._analysed, on_failure=self._failed)

    def _analysed(self, payload) -> None:
        recommendation, digest = payload
        analysis = recommendation.analysis
        self.session.recommendation = recommendation
        self.session.video_hash = digest
        self.session.target = recommendation.prediction.features
        self._fps = analysis.info.fps or 25.0
        self.timeline.set_analysis(analysis.duration_s, analysis.shots, analysis.seconds, analysis.timeline)
        self.video_radar.set_series("clip", analysis.features.to_array(), "#ff8a3d")
        self.music_radar.set_series("target", self.session.target, "#4fc3f7")
        self.status(f"{Path(self.session.video_path).name}: {analysis.duration_s:.1f} s, {len(analysis.shots)} shots; "
                    f"target emotion {recommendation.prediction.emotion}")
        if self._pending_project is not None:
            self._restore_project(self._pending_project)
            self._pending_project = None
        self.rerank(self.controls.settings())
        self.analysis_ready.emit()

    # -- ranking ---------------------------------------------------------------------------------------

    def rerank(self, settings) -> None:
        result = self.session.rank(self.library, settings)
        tracks = self.library.tracks if self.library is not None else []
        current = self._selected_row()
        self.results.set_result(result, tracks)
        self.results.set_picked(set(self.session.picks))
        if current is not None:
            self._select_library_row(current)

    def _selected_row(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or self.results.result is None:
            return None
        return self.results.library_row(self.proxy.mapToSource(index).row())

    def _select_library_row(self, library_row: int) -> None:
        if self.results.result is None:
            return
        where = np.flatnonzero(self.results.result.indices == library_row)
        if where.size:
            self.table.setCurrentIndex(self.proxy.mapFromSource(self.results.index(int(where[0]), 0)))

    def _row_selected(self, *_args) -> None:
        row = self._selected_row()
        if row is None or self.library is None:
            self.music_radar.remove_series("selected")
            return
        self.music_radar.set_series("selected", self.library.index.features[row], "#b2ff59")
        if self.audition.playing and self._audition_row is not None and row != self._audition_row:
            self._start_audition(row, keep_position=True)  # A/B: the new track at the same timecode

    # -- audition ----------------------------------------------------------------------------------------

    def audition_selected(self) -> None:
        row = self._selected_row()
        if row is not None:
            self._start_audition(row, keep_position=False)

    def play_with_picture(self) -> None:
        row = self._selected_row()
        if row is None:
            self.status("Select a track to play with the picture")
            return
        self._start_audition(row, keep_position=True, with_picture=True)

    def _start_audition(self, row: int, *, keep_position: bool, with_picture: bool = False) -> None:
        assert self.library is not None
        track = self.library.tracks[row]
        start = self.player.position() / 1000.0 if (keep_position or with_picture) else 0.0

        def decode(progress, cancel):
            from core.audio.decode import load_audio
            from musicmatch_gui.audio import PLAYBACK_RATE

            return load_audio(track.path, sample_rate=PLAYBACK_RATE, max_seconds=None).samples

        def ready(samples) -> None:
            self.audition.load(samples, track.title)
            self._audition_row = row
            try:
                self.audition.play(start)
            except AudioUnavailable as exc:
                self.status(f"Cannot audition: {exc}")
                return
            if with_picture:
                self.player.play()
            self.status(f"Auditioning {track.title} from {timecode(start, self._fps)}")

        self.jobs.start(f"Loading {track.title}", decode, on_success=ready, on_failure=self._failed)

    def stop_all(self) -> None:
        self.audition.stop()
        self.player.pause()

    def _update_meter(self) -> None:
        self.meter.setValue(int(min(1.0, self.audition.level * 3) * 100))
        self.track_position.setMaximum(int(self.audition.duration_s * 1000))
        if not self.track_position.isSliderDown():
            self.track_position.setValue(int(self.audition.position_s * 1000))

    # -- playback -----------------------------------------------------------------------------------------

    def toggle_play(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        else:
            self.player.play()

    def seek_by(self, seconds: float) -> None:
        self.player.setPosition(max(0, int(self.player.position() + seconds * 1000)))

    def _playback_state(self, state) -> None:
        self.play_button.setText("❚❚" if state == QMediaPlayer.PlaybackState.PlayingState else "▶")

    def _position_changed(self, ms: int) -> None:
        if not self.position.isSliderDown():
            self.position.setValue(ms)
        self.timecode.setText(timecode(ms / 1000.0, self._fps))
        self.timeline.set_position(ms / 1000.0)

    def about_text(self) -> str:
        from core import __version__

        return (f"<b>MusicMatch {__version__}</b><br>Find the music in your own library that fits a video.<br>"
                "Everything runs on this computer; nothing is uploaded or downloaded.")

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
        for widget in (self.video_radar, self.music_radar, self.timeline):
            widget.language = language
            widget.update()
        self.controls.set_language(language)

    def _analysis_device(self) -> str:
        """The preferred device, or the CPU (with a message) when CUDA was chosen but is not there."""
        from core.video.batch import resolve_device

        try:
            return str(resolve_device(self.device))
        except InputError as exc:
            self.status(f"{exc}; analysing on the CPU")
            return "cpu"

    # -- learning from picks ---------------------------------------------------------------------------

    def learn_from_picks_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder with your MusicMatch projects (.mmproj)")
        if folder:
            self.learn_from_picks([folder])

    def learn_from_picks(self, paths: list[str], *, trials: int = 10) -> None:
        """Train a model on the picks in ``paths`` (a job); offer it with Recall@3 before and after."""
        current = self.model

        def work(progress, cancel):
            from core.recommend.projects import pairs_from_projects
            from core.recommend.training import MIN_PAIRS, evaluate, search_and_train, split_pairs

            pairs, files = pairs_from_projects(paths)
            if len(pairs) < MIN_PAIRS:
                raise InputError(f"{files} project(s) hold {len(pairs)} distinct picks; learning needs at least "
                                 f"{MIN_PAIRS} (pick more tracks across your projects)")
            _, _, test_rows = split_pairs(len(pairs), 0)
            test = pairs.subset(test_rows)
            before = evaluate(current.predict_many(test.video)[0], test.music)
            model, report = search_and_train(pairs, trials=trials, seed=0, source=f"picks in {', '.join(paths)}",
                                             progress=progress, cancel=cancel)
            return model, before, report

        self.jobs.start("Learning from your picks", work, on_success=self._offer_model, on_failure=self._failed)

    def _offer_model(self, payload) -> None:
        from PySide6.QtWidgets import QMessageBox

        model, before, report = payload
        pool = report["pool_size"]
        text = (f"Recall@3 on {pool} of your picks the training never saw:\n"
                f"  current model: {before.recall_at['3']:.2f}\n  new model: {report['recall_at']['3']:.2f}\n\n"
                "Use the new model?")
        answer = QMessageBox.question(self, "Learn from my picks", text)
        if answer == QMessageBox.StandardButton.Yes:
            self.activate_model(model)

    def activate_model(self, model) -> None:
        """Make ``model`` the one that predicts targets (saved beside the user's data), and re-rank."""
        import platformdirs

        from core.recommend.model import save_recommender

        target = Path(platformdirs.user_data_dir("MusicMatch", appauthor=False)) / "recommender_mine.safetensors"
        save_recommender(model, target)
        self.model = model
        self.session.model_name = str(target)
        self._retarget()
        self.status(f"Now using the model learned from your picks ({target})")

    def use_default_model(self) -> None:
        from core.recommend.model import load_recommender

        self.model = load_recommender()
        self.session.model_name = "default"
        self._retarget()
        self.status("Now using the default model")

    def _retarget(self) -> None:
        rec = self.session.recommendation
        if rec is None:
            return
        self.session.target = self.model.predict(rec.analysis.features.to_array()).features
        self.music_radar.set_series("target", self.session.target, "#4fc3f7")
        self.rerank(self.controls.settings())

    # -- picks and projects ----------------------------------------------------------------------------

    def toggle_pick(self) -> None:
        row = self._selected_row()
        if row is None or self.library is None:
            return
        picked = self.session.toggle_pick(self.library, row, 0.0)
        self.results.set_picked(set(self.session.picks))
        self._refresh_picks()
        self.status(("Picked " if picked else "Unpicked ") + self.library.tracks[row].title)

    def _refresh_picks(self) -> None:
        self.picks_list.clear()
        for row, pick in self.session.picks.items():
            item = QListWidgetItem(f"#{pick.rank}  {pick.display_name}  ({pick.distance:.3f})")
            item.setData(Qt.ItemDataRole.UserRole, row)
            self.picks_list.addItem(item)

    def _current_pick(self):
        item = self.picks_list.currentItem()
        if item is None:
            return None
        return self.session.picks.get(int(item.data(Qt.ItemDataRole.UserRole)))

    def _show_pick(self, *_args) -> None:
        pick = self._current_pick()
        self._showing_pick = True
        self.pick_note.setText(pick.note if pick else "")
        self.pick_placement.setValue(pick.placement_s if pick else 0.0)
        self.pick_rating.setValue(pick.rating if pick else 0)
        self._showing_pick = False

    def _edit_pick(self, *_args) -> None:
        pick = self._current_pick()
        if pick is None or getattr(self, "_showing_pick", False):
            return
        pick.note = self.pick_note.text().strip()
        pick.placement_s = float(self.pick_placement.value())
        pick.rating = int(self.pick_rating.value())
        self.session.dirty = True

    def _audition_pick_item(self, item: QListWidgetItem) -> None:
        row = int(item.data(Qt.ItemDataRole.UserRole))
        if row < 0:
            self.status("This pick's track is not in the open library")
            return
        self._select_library_row(row)
        self.audition_selected()

    def new_session(self) -> None:
        """Close the clip and its picks (saved or autosaved work stays on disk)."""
        self.autosave_now()
        self.stop_all()
        self.player.setSource(QUrl())
        self.session = Session(model_name=self.session.model_name)
        self.video_stack.setCurrentWidget(self.drop_zone)
        self.setWindowTitle("MusicMatch")
        self.timeline.clear()
        self.video_radar.clear()
        self.music_radar.clear()
        self.picks_list.clear()
        self.results.set_result(None, [])

    def remember(self, path: str) -> None:
        """Put a video or project at the top of File > Open Recent (eight kept)."""
        settings = QSettings("MusicMatch", "MusicMatch")
        recent = [p for p in (settings.value("recent", []) or []) if p != path]
        settings.setValue("recent", [path, *recent][:8])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in QSettings("MusicMatch", "MusicMatch").value("recent", []) or []:
            act = self.recent_menu.addAction(path)
            act.triggered.connect(lambda _=False, p=path: self.open_project(p) if p.endswith(".mmproj")
                                  else self.open_video(p))

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", "", "MusicMatch project (*.mmproj)")
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

            answer = QMessageBox.question(self, "Recover unsaved changes?",
                                          f"{Path(path).name} has newer unsaved changes from a session that did "
                                          "not close normally. Recover them?")
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
        self._refresh_picks()
        unplaced = sum(key < 0 for key in self.session.picks)
        self.session.dirty = False
        note = f"; {unplaced} pick(s) not in this library" if unplaced else ""
        self.status(f"Opened {Path(self.session.project_path).name}: {len(project.picks)} pick(s){note}"
                    + (f"; {missing[0]}" if missing else ""))

    def autosave_now(self) -> None:
        """Write the crash-recovery copy of an unsaved project (every 30 s while there are changes)."""
        from core.project import autosave

        if not self.session.dirty or not self.session.video_path:
            return
        target = self.session.project_path or str(Path(self.session.video_path).with_suffix(".mmproj"))
        try:
            autosave(self.session.to_project(self.controls.settings()), target)
        except OSError as exc:
            self.status(f"Autosave failed: {exc}")

    def save_project(self, ask: bool = False) -> None:
        path = self.session.project_path
        if ask or not path:
            suggested = str(Path(self.session.video_path).with_suffix(".mmproj")) if self.session.video_path else ""
            path, _ = QFileDialog.getSaveFileName(self, "Save project", suggested, "MusicMatch project (*.mmproj)")
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
        self.status(f"Saved {path}")

    def export_dialog(self, fmt: str, suffix: str) -> None:
        from core.export.timeline import export_project

        if not self.session.picks:
            self.status("Pick at least one track before exporting")
            return
        base = Path(self.session.project_path or self.session.video_path or "musicmatch")
        path, _ = QFileDialog.getSaveFileName(self, f"Export {fmt}", str(base.with_suffix("." + suffix)))
        if not path:
            return
        project = self.session.to_project(self.controls.settings())
        try:
            export_project(project, fmt, path)
        except Exception as exc:
            self._failed(exc)
            return
        self.status(f"Exported {path}")

    def screenshot(self):
        """The window as a pixmap, with the current video frame drawn in (offscreen, the video widget
        renders nothing of its own; the frame comes from the player's video sink)."""
        from PySide6.QtGui import QPainter

        self.player.pause()
        picture = self.grab()
        frame = self.video_sink.videoFrame()
        if frame.isValid():
            image = frame.toImage()
            area = self.video_widget.rect()
            scaled = image.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                  Qt.TransformationMode.SmoothTransformation)
            origin = self.video_widget.mapTo(self, area.topLeft())
            painter = QPainter(picture)
            painter.fillRect(area.translated(origin), Qt.GlobalColor.black)
            painter.drawImage(origin.x() + (area.width() - scaled.width()) // 2,
                              origin.y() + (area.height() - scaled.height()) // 2, scaled)
            painter.end()
        return picture

    # -- drag and drop ----------------------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls and Path(urls[0].toLocalFile()).suffix.lower() in VIDEO_SUFFIXES:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls:
            self.open_video(urls[0].toLocalFile())

    def remember_match_settings(self) -> None:
        """Keep the dimensions and weights in use as the next start's defaults (UI state, QSettings)."""
        import json

        settings = self.controls.settings()
        state = {"dims": list(settings.dims), "weights": dict(zip(MUSIC.ids, settings.weights, strict=True))}
        QSettings("MusicMatch", "MusicMatch").setValue("match/last", json.dumps(state))

    def restore_match_settings(self) -> None:
        """Start with the dimensions and weights of the last session (metric and length: Preferences)."""
        import json

        from core.match import MatchSettings

        text = QSettings("MusicMatch", "MusicMatch").value("match/last")
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
        QSettings("MusicMatch", "MusicMatch").setValue("window/geometry", self.saveGeometry())
        self.remember_match_settings()
        self.audition.stop()
        self.jobs.cancel_all()
        super().closeEvent(event)
