"""The main window: the clip and its timeline, the radar charts, the ranked list, audition, picks.

Every long step (loading a library, analysing the clip, decoding a track for audition,
saving) runs as a :class:`~musicmatch_gui.jobs.Job`; ranking is fast enough to run
on every slider move. The window lays out the panels and owns the session; its commands
live by area in :mod:`musicmatch_gui.actions`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
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
from musicmatch_gui.actions.audition import AuditionActions
from musicmatch_gui.actions.learning import LearningActions
from musicmatch_gui.actions.library import LibraryActions
from musicmatch_gui.actions.projects import ProjectActions
from musicmatch_gui.audio import Player
from musicmatch_gui.jobs import JobRunner, show_error
from musicmatch_gui.state import Library, Session
from musicmatch_gui.widgets.controls import MatchControls
from musicmatch_gui.widgets.picks_panel import PicksPanel
from musicmatch_gui.widgets.radar import RadarChart
from musicmatch_gui.widgets.results import ResultsModel, ResultsProxy
from musicmatch_gui.widgets.video_panel import VIDEO_SUFFIXES, VideoPanel

if TYPE_CHECKING:
    from core.recommend.model import Recommender  # imports torch, loaded in a job after the window shows

__all__ = ["VIDEO_SUFFIXES", "MainWindow"]


class MainWindow(LibraryActions, AuditionActions, ProjectActions, LearningActions, QMainWindow):
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
        self.language = language
        self.fail_fast = False
        """Scripted runs: an error prints one line and ends the app with status 2 instead of a dialog."""
        self._video_waiting: str | None = None
        self._pending_project = None
        self._skipped: list[tuple[str, str]] = []
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
        geometry = QSettings("MusicMatch", "MusicMatch").value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    # -- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.video = VideoPanel()
        self.video.open_requested.connect(self.open_video_dialog)
        self.video.error.connect(lambda text: self.status(self.tr("Video playback: {reason}").format(reason=text)))
        self.player = self.video.player
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
        for column, width in enumerate((58, 0, 90, 72, 50, 70, 60, 44)):
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
        audition_bar.addStretch(1)

        self.controls = MatchControls()
        self.controls.changed.connect(self.rerank)
        self.picks_panel = PicksPanel(lambda: self.video.position_s)
        self.picks_panel.edited.connect(self._pick_edited)
        self.picks_panel.audition_requested.connect(self.audition_library_row)
        self.picks_panel.not_in_library.connect(
            lambda: self.status(self.tr("This pick's track is not in the open library")))

        list_panel = QWidget()
        list_layout = QVBoxLayout(list_panel)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.filter)
        list_layout.addWidget(self.table, 1)
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
        action(play_menu, self.tr("Play / Pause"), self.video.toggle_play, "Space")
        action(play_menu, self.tr("Audition Selected Track"), self.audition_selected, "Return")
        action(play_menu, self.tr("Play With Picture"), self.play_with_picture, "Ctrl+Return")
        action(play_menu, self.tr("Stop"), self.stop_all, "Escape")
        action(play_menu, self.tr("Pick / Unpick"), self.toggle_pick, "P")
        play_menu.addSeparator()
        action(play_menu, self.tr("Back 5 s"), lambda: self.video.seek_by(-5.0), "J")
        action(play_menu, self.tr("Pause"), self.player.pause, "K")
        action(play_menu, self.tr("Play"), self.player.play, "L")
        action(play_menu, self.tr("Back 1 s"), lambda: self.video.seek_by(-1.0), "Left")
        action(play_menu, self.tr("Forward 1 s"), lambda: self.video.seek_by(1.0), "Right")

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
        self.status(self.tr("Cancelled"))

    @Slot()
    def _job_finished(self) -> None:
        if len(self.jobs.running()) <= 1:
            for widget in (self.job_label, self.job_progress, self.cancel_button):
                widget.hide()

    def _failed(self, exc: BaseException) -> None:
        if self.fail_fast:  # scripted runs (--screenshot): no dialog to wait on; say it and stop
            from PySide6.QtWidgets import QApplication

            from musicmatch_gui.app import say_error

            say_error(str(exc) or type(exc).__name__)
            QApplication.instance().exit(2)
            return
        show_error(self, exc, status=self.status)

    # -- the recommender ---------------------------------------------------------------------------------

    def load_model(self, path: str | None = None) -> None:
        """Load the recommender in a job (torch takes a second or two to import); a waiting clip then starts."""

        def work(progress, cancel):
            from core.recommend.model import load_recommender

            return load_recommender(path)

        self.jobs.start(self.tr("Loading the recommender"), work, on_success=self._model_loaded,
                        on_failure=self._failed)

    def _model_loaded(self, model) -> None:
        self.model = model
        if self._video_waiting is not None:
            path, self._video_waiting = self._video_waiting, None
            self.open_video(path)

    # -- the clip -------------------------------------------------------------------------------------

    def open_video_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open video"), "",
                                              "Video (*.mp4 *.mov *.mkv *.m4v);;All (*)")
        if path:
            self.open_video(path)

    def open_video(self, path: str) -> None:
        file = Path(path)
        if self.model is None:  # still loading: analyse as soon as it is there
            self._video_waiting = str(file)
            self.video.show_video(file)
            self.status(self.tr("{name}: waiting for the recommender to load").format(name=file.name))
            return
        if file.suffix.lower() not in VIDEO_SUFFIXES:
            self._failed(InputError(f"{file.name}: not a video MusicMatch opens (MP4, MOV, MKV...)"))
            return
        self.stop_all()
        self.session = Session(video_path=str(file), model_name=self.session.model_name)
        self.picks_panel.set_picks(self.session.picks)
        self.video.show_video(file)
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
        self.jobs.start(self.tr("Analysing {name}").format(name=file.name), work, on_success=self._analysed,
                        on_failure=self._failed)

    def _analysed(self, payload) -> None:
        recommendation, digest = payload
        analysis = recommendation.analysis
        self.session.recommendation = recommendation
        self.session.video_hash = digest
        self.session.target = recommendation.prediction.features
        self.video.fps = analysis.info.fps or 25.0
        self.timeline.set_analysis(analysis.duration_s, analysis.shots, analysis.seconds, analysis.timeline)
        self.video_radar.set_series("clip", analysis.features.to_array(), "#ff8a3d")
        self.music_radar.set_series("target", self.session.target, "#4fc3f7")
        self.status(self.tr("{name}: {seconds:.1f} s, {shots} shots; target emotion {emotion}").format(
            name=Path(self.session.video_path).name, seconds=analysis.duration_s, shots=len(analysis.shots),
            emotion=recommendation.prediction.emotion))
        if self._pending_project is not None:
            self._restore_project(self._pending_project)
            self._pending_project = None
        self.rerank(self.controls.settings())
        self.analysis_ready.emit()

    def _pick_edited(self) -> None:
        self.session.dirty = True

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

    # -- about and preferences ---------------------------------------------------------------------

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
            self.status(self.tr("{reason}; analysing on the CPU").format(reason=exc))
            return "cpu"

    def screenshot(self):
        """The window as a pixmap, with the current video frame drawn in (offscreen, the video widget
        renders nothing of its own; the frame comes from the player's video sink)."""
        self.player.pause()
        picture = self.grab()
        self.video.paint_frame(picture, self)
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
