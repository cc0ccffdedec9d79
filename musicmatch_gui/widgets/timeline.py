"""The strip under the video: shot boundaries and the per-second arousal, valence and energy curves.

Click or drag to seek (``seek_requested`` carries seconds); the playhead follows
``set_position``.
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
        self.setMinimumHeight(70)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Shots and the picture's arousal, valence and energy per second; click to seek"))

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
        painter.setPen(QPen(QColor(255, 255, 255, 90), 1))
        for start, _ in self.shots[1:]:
            painter.drawLine(QPointF(self.x_of(start), 0), QPointF(self.x_of(start), h))
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
