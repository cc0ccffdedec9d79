"""The strip under the video: the clip's cuts, its per-second arousal, valence and energy curves, and
the selected track's beats as they fall under the clip.

Click or drag to seek (``seek_requested`` carries seconds); the playhead follows
``set_position``. Each cut (the first frame of a new shot) is a red line with a tick at
the top; ``set_track_beats`` adds the selected track's beats and bars along the bottom
edge, in clip time (track time minus the section start), so the editor sees which cuts
land on the music's beats: a cut within one frame of a beat is drawn green.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from core.features import VIDEO

__all__ = ["CURVES", "TimelineStrip"]

CURVES = (("visual_arousal", "#ff8a3d"), ("visual_valence", "#4fc3f7"), ("action_energy", "#b2ff59"))
"""Curve id (a video feature) and its colour."""
CUT = QColor("#ff5252")
CUT_ON_BEAT = QColor("#69f0ae")
BEAT = QColor("#ffc400")


class TimelineStrip(QWidget):
    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None, *, language: str = "en") -> None:
        super().__init__(parent)
        self.language = language
        self.duration = 0.0
        self.position = 0.0
        self.shots: list[tuple[float, float]] = []
        self.seconds = np.zeros(0)
        self.curves: dict[str, np.ndarray] = {}
        self.fps = 25.0
        """The clip's frame rate: a cut is on a beat within one frame."""
        self.beats = np.zeros(0)
        """The selected track's beats under the clip, clip seconds, shape ``(n,)``."""
        self.bars = np.zeros(0)
        """The selected track's bar starts under the clip, clip seconds, shape ``(m,)``."""
        self.setMinimumHeight(70)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("The clip's cuts (red; green where the selected track has a beat), the picture's "
                                "arousal, valence and energy per second, and the selected track's beats and bars "
                                "(yellow) from its section start; click to seek"))

    def sizeHint(self) -> QSize:
        return QSize(600, 80)

    def set_analysis(self, duration: float, shots, seconds, timeline: dict) -> None:
        self.duration = float(duration)
        self.shots = [(float(a), float(b)) for a, b in shots]
        self.seconds = np.asarray(seconds, dtype=float)
        self.curves = {key: np.asarray(timeline[key], dtype=float) for key, _ in CURVES if key in timeline}
        self.update()

    def clear(self) -> None:
        self.set_analysis(0.0, [], [], {})
        self.set_track_beats([], [])

    @property
    def cuts(self) -> np.ndarray:
        """The cut times (first frames of the shots after the first), seconds, shape ``(n_shots - 1,)``."""
        return np.array([start for start, _ in self.shots[1:]], dtype=np.float64)

    def set_track_beats(self, beats, bars) -> None:
        """The selected track's beats and bars under the clip, in clip seconds (empty: none shown)."""
        self.beats = np.asarray(beats, dtype=np.float64).reshape(-1)
        self.bars = np.asarray(bars, dtype=np.float64).reshape(-1)
        self.update()

    def cuts_on_beat(self) -> np.ndarray:
        """Which cuts land within one frame of one of the track's beats, bools, shape ``(n_cuts,)``."""
        cuts = self.cuts
        if cuts.size == 0 or self.beats.size == 0:
            return np.zeros(cuts.size, dtype=bool)
        nearest = np.min(np.abs(cuts[:, None] - self.beats[None, :]), axis=1)
        return nearest <= 1.0 / max(self.fps, 1.0) + 1e-9

    def set_position(self, seconds: float) -> None:
        self.position = float(seconds)
        self.update()

    def time_at(self, x: float) -> float:
        if self.duration <= 0 or self.width() <= 0:
            return 0.0
        return float(np.clip(x / self.width(), 0.0, 1.0) * self.duration)

    def x_of(self, seconds: float) -> float:
        return 0.0 if self.duration <= 0 else seconds / self.duration * self.width()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.duration > 0:
            self.seek_requested.emit(self.time_at(event.position().x()))

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton and self.duration > 0:
            self.seek_requested.emit(self.time_at(event.position().x()))

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        h = self.height()
        painter.fillRect(self.rect(), self.palette().base())
        if self.duration <= 0:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             self.tr("Shots and the arousal/valence/energy curves appear here after analysis"))
            painter.end()
            return
        shade = QColor(self.palette().alternateBase().color())
        for i, (start, end) in enumerate(self.shots):
            if i % 2:
                painter.fillRect(QRectF(self.x_of(start), 0, self.x_of(end) - self.x_of(start), h), shade)
        self._paint_beats(painter, h)
        for key, colour in CURVES:
            values = self.curves.get(key)
            if values is None or values.size == 0:
                continue
            dim = VIDEO[key]
            unit = np.clip((values - dim.low) / (dim.high - dim.low), 0, 1)
            path = QPainterPath()
            for i, (second, u) in enumerate(zip(self.seconds, unit, strict=False)):
                point = QPointF(self.x_of(second + 0.5), h - 4 - u * (h - 8))
                if i == 0:
                    path.moveTo(point)
                else:
                    path.lineTo(point)
            painter.setPen(QPen(QColor(colour), 1.6))
            painter.drawPath(path)
        self._paint_cuts(painter, h)
        painter.setPen(QPen(QColor("#ffffff"), 2))
        x = self.x_of(self.position)
        painter.drawLine(QPointF(x, 0), QPointF(x, h))
        legend_x = 6.0
        metrics = painter.fontMetrics()
        labels = [VIDEO[key].label(self.language) for key, _ in CURVES]
        backing = QColor(self.palette().base().color())
        backing.setAlpha(210)  # the legend stays readable over the playhead and the curves
        width = sum(metrics.horizontalAdvance(label) + 12 for label in labels)
        painter.fillRect(QRectF(2, 0, width, metrics.height() + 2), backing)
        for key, colour in CURVES:
            label = VIDEO[key].label(self.language)
            painter.setPen(QColor(colour))
            painter.drawText(QPointF(legend_x, 12), label)
            legend_x += metrics.horizontalAdvance(label) + 12
        painter.end()

    def _paint_beats(self, painter: QPainter, h: float) -> None:
        if self.beats.size == 0:
            return
        colour = QColor(BEAT)
        colour.setAlpha(150)
        painter.setPen(QPen(colour, 1))
        spacing = float(np.median(np.diff(self.beats))) if self.beats.size >= 2 else self.duration
        if self.x_of(spacing) >= 3:  # beats only while they stay apart; bars always
            for beat in self.beats:
                x = self.x_of(float(beat))
                painter.drawLine(QPointF(x, h - 5), QPointF(x, h))
        painter.setPen(QPen(BEAT, 1.5))
        for bar in self.bars:
            x = self.x_of(float(bar))
            painter.drawLine(QPointF(x, h - 12), QPointF(x, h))

    def _paint_cuts(self, painter: QPainter, h: float) -> None:
        on_beat = self.cuts_on_beat()
        for cut, hit in zip(self.cuts, on_beat, strict=True):
            colour = CUT_ON_BEAT if hit else CUT
            x = self.x_of(float(cut))
            painter.setPen(QPen(colour, 1.5))
            painter.drawLine(QPointF(x, 0), QPointF(x, h))
            marker = QPainterPath(QPointF(x - 4, 0))
            marker.lineTo(QPointF(x + 4, 0))
            marker.lineTo(QPointF(x, 6))
            marker.closeSubpath()
            painter.fillPath(marker, colour)
