"""The clip: the drop zone until a video is open, then the picture, its transport and the timeline strip."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoSink
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QStackedWidget, QToolButton, QVBoxLayout, QWidget

from musicmatch_gui.widgets.timeline import TimelineStrip

__all__ = ["DropZone", "VideoPanel", "timecode"]


def timecode(seconds: float, fps: float = 25.0) -> str:
    """``HH:MM:SS:FF`` at ``fps`` (rounded to whole frames), as editors read a playhead."""
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
        self.setText(self.tr("Drop a video here\n\nor press Ctrl+O to open one"))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setObjectName("dropZone")
        self.setMinimumSize(320, 180)

    def mousePressEvent(self, _event) -> None:
        self.open_requested.emit()


class VideoPanel(QWidget):
    """The player with its transport (play, position, timecode, clip sound) and the timeline strip.

    ``player`` is the clip's :class:`QMediaPlayer`; the window drives audition against its
    position. Frames also reach ``video_sink``, which is how screenshots get the picture
    where the video widget renders nothing (offscreen).
    """

    open_requested = Signal()
    error = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fps = 25.0
        self._first_frame_pending = False
        self.player = QMediaPlayer(self)
        self.player_audio = QAudioOutput(self)
        self.player.setAudioOutput(self.player_audio)
        self.video_widget = QVideoWidget()
        self.video_sink: QVideoSink = self.video_widget.videoSink()
        self.player.setVideoOutput(self.video_widget)
        self.drop_zone = DropZone()
        self.drop_zone.open_requested.connect(self.open_requested)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.drop_zone)
        self.stack.addWidget(self.video_widget)

        self.play_button = QToolButton(text="▶")
        self.play_button.setToolTip(self.tr("Play / pause (Space)"))
        self.play_button.clicked.connect(self.toggle_play)
        self.position = QSlider(Qt.Orientation.Horizontal)
        self.position.setRange(0, 0)
        self.position.sliderMoved.connect(self.player.setPosition)
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
        self.player.mediaStatusChanged.connect(self._media_status)
        self.player.errorOccurred.connect(lambda _e, text: self.error.emit(text) if text else None)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack, 1)
        layout.addLayout(transport)
        layout.addWidget(self.timeline)

    # -- source ------------------------------------------------------------------------------------

    def show_video(self, path: str | Path) -> None:
        """Load ``path`` into the player and show the picture (analysis is the window's business)."""
        self._first_frame_pending = True
        self.player.setSource(QUrl.fromLocalFile(str(Path(path).resolve())))
        self.stack.setCurrentWidget(self.video_widget)

    def close_video(self) -> None:
        """Back to the drop zone, with nothing loaded."""
        self.player.setSource(QUrl())
        self.stack.setCurrentWidget(self.drop_zone)
        self.timeline.clear()

    # -- transport -----------------------------------------------------------------------------------

    @property
    def position_s(self) -> float:
        return self.player.position() / 1000.0

    def toggle_play(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        else:
            self.player.play()

    def seek_by(self, seconds: float) -> None:
        self.player.setPosition(max(0, int(self.player.position() + seconds * 1000)))

    def _media_status(self, status) -> None:
        # A freshly loaded clip shows nothing until it plays or seeks; pausing a stopped
        # player decodes and shows the first frame, so the panel is never black after Open.
        if status == QMediaPlayer.MediaStatus.LoadedMedia and self._first_frame_pending and \
                self.player.playbackState() == QMediaPlayer.PlaybackState.StoppedState:
            self._first_frame_pending = False  # once per clip: a later stop() must not start it again
            # Later, from the event loop: pausing inside the player's own status signal (emitted
            # while setSource runs) could deadlock Qt's FFmpeg backend.
            QTimer.singleShot(0, self._pause_if_stopped)

    def _pause_if_stopped(self) -> None:
        stopped = self.player.playbackState() == QMediaPlayer.PlaybackState.StoppedState
        if stopped and not self.player.source().isEmpty():
            self.player.pause()

    def _playback_state(self, state) -> None:
        self.play_button.setText("❚❚" if state == QMediaPlayer.PlaybackState.PlayingState else "▶")

    def _position_changed(self, ms: int) -> None:
        if not self.position.isSliderDown():
            self.position.setValue(ms)
        self.timecode.setText(timecode(ms / 1000.0, self.fps))
        self.timeline.set_position(ms / 1000.0)

    # -- screenshots ---------------------------------------------------------------------------------

    def paint_frame(self, picture: QPixmap, window: QWidget) -> None:
        """Draw the current frame over the video widget's place in ``picture`` (a grab of ``window``)."""
        frame = self.video_sink.videoFrame()
        if not frame.isValid():
            return
        image = frame.toImage()
        area = self.video_widget.rect()
        scaled = image.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
        origin = self.video_widget.mapTo(window, area.topLeft())
        painter = QPainter(picture)
        painter.fillRect(area.translated(origin), Qt.GlobalColor.black)
        painter.drawImage(origin.x() + (area.width() - scaled.width()) // 2,
                          origin.y() + (area.height() - scaled.height()) // 2, scaled)
        painter.end()
