"""The selected track at a glance: its energy curve, beats, bars and phrases, and the section in use.

:class:`TrackView` is a standalone widget; the window places it under the results list, and
:class:`musicmatch_gui.actions.timing.TimingCommands` feeds it and acts on its signals.

API
---
``TrackView(parent=None, *, language="en")``
    ``language`` is ``"en"`` or ``"zh"`` (labels in English or Chinese).
``set_track(timing, name="")``
    Show a :class:`core.timing.grid.TrackTiming` (``TrackTiming.of(record)`` for a
    library row, ``TrackTiming.of(analysis)`` for a fresh analysis); ``None`` clears it.
``set_section(start_s, length_s, score=None)``
    Highlight the section ``[start_s, start_s + length_s)`` (from
    :func:`core.timing.section.best_section`); ``length_s`` is the clip's length.
``set_cuts(cuts)``
    The clip's cut times (seconds from the clip's start), drawn inside the section so
    the editor sees which cuts fall on beats.
``set_position(track_s)``
    Move the playhead (track time, seconds); a negative value hides it.
``section_start`` / ``section_length``
    The section as shown now.
``section_moved = Signal(float, float)``
    Emitted when the editor has moved the section (drag released, the Left/Right keys
    while the view has focus, or :meth:`step`: one bar earlier/later) with the new
    ``(start_s, end_s)``. The start snaps to
    the nearest bar (to the nearest beat, or 0.5 s, on a track without bars) and stays
    within the track.
``section_dragging = Signal(float)``
    The snapped start while a drag is under way (for a live read-out).

Everything here is painting and mouse handling: no file is read and nothing slow runs
on the GUI thread.

In the window
-------------
:class:`musicmatch_gui.actions.timing.TimingCommands` computes the sections (ranking with
``covers`` so short tracks come last, :func:`core.timing.section.best_sections` for the
listed rows), calls ``set_track``/``set_section``/``set_cuts`` on selection, and turns
``section_moved`` into the session's section (an undoable pick edit for a picked track).
"Play with picture" starts the track at section start + the clip's playhead, and "Fit to
clip" plans and renders :mod:`core.timing.render` in a job. See docs/timing.md.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from core.timing.grid import TrackTiming, track_curve

__all__ = ["TrackView"]

_TEXT = {
    "en": {
        "empty": "Select a track to see its beats, bars and best section",
        "no_timing": "{name}: no beat or energy data (a feature table keeps none; scan its folder into a library)",
        "no_beat": "no steady beat",
        "bpm": "{bpm:.0f} BPM",
        "section": "section {start:.1f}-{end:.1f} s",
        "score": "fit {score:.0%}",
        "tip": "The track's loudness with its beats, bars and phrases; drag the highlighted section "
               "to move it (it snaps to bars), or use the Left/Right keys",
    },
    "zh": {
        "empty": "选择一首曲目以查看节拍、小节和最佳段落",
        "no_timing": "{name}：没有节拍或能量数据（特征表不保存这些数据；请将其文件夹扫描进曲库）",
        "no_beat": "无稳定节拍",
        "bpm": "{bpm:.0f} 拍/分",
        "section": "段落 {start:.1f}-{end:.1f} 秒",
        "score": "匹配 {score:.0%}",
        "tip": "曲目的响度曲线与节拍、小节和乐句；拖动高亮段落可移动它（吸附到小节），也可用左右方向键",
    },
}

_CURVE = QColor("#5c9ded")
_SECTION = QColor(255, 196, 0, 70)
_SECTION_EDGE = QColor("#ffc400")
_CUT = QColor("#ff5252")
_PLAYHEAD = QColor("#ffffff")


class TrackView(QWidget):
    """A track's energy curve with beats, bars, phrases and a movable section (see the module docstring)."""

    section_moved = Signal(float, float)
    section_dragging = Signal(float)

    def __init__(self, parent: QWidget | None = None, *, language: str = "en") -> None:
        super().__init__(parent)
        self._language = "en"
        self.timing: TrackTiming | None = None
        self.name = ""
        self.curve = np.zeros(0)
        self.section_start = 0.0
        self.section_length = 0.0
        self.score: float | None = None
        self.cuts = np.zeros(0)
        self.position = -1.0
        self._drag_offset: float | None = None
        self.setMinimumHeight(90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.language = language  # sets the tooltip too

    @property
    def language(self) -> str:
        """``"en"`` or ``"zh"``: the labels' and the tooltip's language (anything else is English)."""
        return self._language

    @language.setter
    def language(self, language: str) -> None:
        self._language = language if language in _TEXT else "en"
        self.setToolTip(self._text("tip"))
        self.update()

    def _text(self, key: str, **values) -> str:
        return _TEXT[self.language][key].format(**values)

    def sizeHint(self) -> QSize:
        return QSize(600, 110)

    # -- state -------------------------------------------------------------------

    def set_track(self, timing: TrackTiming | None, name: str = "") -> None:
        self.timing = timing
        self.name = name
        self.curve = track_curve(timing.energy_db) if timing is not None else np.zeros(0)
        if timing is None:
            self.section_start, self.section_length, self.score = 0.0, 0.0, None
        self.update()

    def set_section(self, start_s: float, length_s: float, score: float | None = None) -> None:
        self.section_length = max(0.0, float(length_s))
        self.section_start = self._clamp(float(start_s))
        self.score = score
        self.update()

    def set_cuts(self, cuts) -> None:
        self.cuts = np.asarray(list(cuts), dtype=np.float64)
        self.update()

    def set_position(self, track_s: float) -> None:
        self.position = float(track_s)
        self.update()

    def clear(self) -> None:
        self.set_track(None)
        self.set_cuts([])

    @property
    def dragging(self) -> bool:
        """Whether the editor is dragging the section right now."""
        return self._drag_offset is not None

    # -- geometry ----------------------------------------------------------------

    @property
    def duration(self) -> float:
        return float(self.timing.duration_s) if self.timing is not None else 0.0

    def x_of(self, seconds: float) -> float:
        return 0.0 if self.duration <= 0 else seconds / self.duration * self.width()

    def time_at(self, x: float) -> float:
        if self.duration <= 0 or self.width() <= 0:
            return 0.0
        return float(np.clip(x / self.width(), 0.0, 1.0) * self.duration)

    def _clamp(self, start: float) -> float:
        latest = max(0.0, self.duration - self.section_length)
        return float(np.clip(start, 0.0, latest))

    def _snap_points(self) -> np.ndarray:
        timing = self.timing
        if timing is None:
            return np.zeros(0)
        if timing.has_beat and timing.bars.size:
            return timing.bars
        if timing.beats.size:
            return timing.beats
        return np.arange(0.0, max(timing.duration_s, 0.0) + 1e-9, 0.5)

    def snap(self, start_s: float) -> float:
        """The bar start nearest ``start_s`` that keeps the section inside the track."""
        points = self._snap_points()
        latest = max(0.0, self.duration - self.section_length)
        usable = points[points <= latest + 1e-9]
        if usable.size == 0:
            return self._clamp(start_s)
        return float(usable[int(np.argmin(np.abs(usable - start_s)))])

    def _section_rect(self) -> QRectF:
        left = self.x_of(self.section_start)
        right = self.x_of(min(self.section_start + self.section_length, self.duration))
        return QRectF(left, 0.0, max(2.0, right - left), float(self.height()))

    # -- interaction -------------------------------------------------------------

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.duration <= 0 or self.section_length <= 0:
            return
        x = event.position().x()
        if self._section_rect().contains(QPointF(x, self.height() / 2)):
            self._drag_offset = self.time_at(x) - self.section_start
        else:
            # A click outside the section moves it there (centred on the click).
            self._drag_offset = self.section_length / 2
            self._drag_to(x)
        self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event) -> None:
        x = event.position().x()
        if self._drag_offset is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._drag_to(x)
        elif self.section_length > 0 and self._section_rect().contains(QPointF(x, self.height() / 2)):
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.unsetCursor()

    def mouseReleaseEvent(self, event) -> None:
        if self._drag_offset is None or event.button() != Qt.MouseButton.LeftButton:
            return
        self._drag_to(event.position().x())
        self._drag_offset = None
        self.unsetCursor()
        self.section_moved.emit(self.section_start, self.section_start + self.section_length)

    def _drag_to(self, x: float) -> None:
        start = self.snap(self.time_at(x) - (self._drag_offset or 0.0))
        if start != self.section_start:
            self.section_start = start
            self.section_dragging.emit(start)
            self.update()

    def _movable(self) -> bool:
        return self.duration > 0 and self.section_length > 0

    def event(self, event) -> bool:
        # Left/Right move the section while the view has focus; without this the window's
        # Left/Right shortcuts (the clip's playhead) would take the keys first.
        if event.type() == QEvent.Type.ShortcutOverride and self._movable() and \
                event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right) and not event.modifiers():
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key not in (Qt.Key.Key_Left, Qt.Key.Key_Right) or not self._movable():
            super().keyPressEvent(event)
            return
        self.step(-1 if key == Qt.Key.Key_Left else 1)

    def step(self, bars: int) -> bool:
        """Move the section ``bars`` bars later (negative: earlier), staying inside the track.

        Emits :attr:`section_moved` and returns True when it moved (the menu's
        Shift+Left/Right and the Left/Right keys while the view has focus).
        """
        if not self._movable() or bars == 0:
            return False
        points = self._snap_points()
        latest = max(0.0, self.duration - self.section_length)
        start = self.section_start
        for _ in range(abs(int(bars))):
            if bars < 0:
                earlier = points[points < start - 1e-6]
                start = float(earlier[-1]) if earlier.size else 0.0
            else:
                later = points[(points > start + 1e-6) & (points <= latest + 1e-9)]
                start = float(later[0]) if later.size else start
        if start == self.section_start:
            return False
        self.section_start = start
        self.update()
        self.section_moved.emit(start, start + self.section_length)
        return True

    # -- painting ----------------------------------------------------------------

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        painter.fillRect(self.rect(), self.palette().base())
        timing = self.timing
        if timing is None or self.duration <= 0:
            painter.setPen(self.palette().placeholderText().color())
            text = self._text("no_timing", name=self.name) if self.name else self._text("empty")
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
            painter.end()
            return
        top, bottom = 18.0, h - 4.0
        self._paint_curve(painter, top, bottom)
        self._paint_grid(painter, timing, top, bottom)
        if self.section_length > 0:
            rect = self._section_rect()
            painter.fillRect(rect, _SECTION)
            painter.setPen(QPen(_SECTION_EDGE, 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
            painter.setPen(QPen(_CUT, 1.5))
            for cut in self.cuts:
                x = self.x_of(self.section_start + float(cut))
                if x <= rect.right():
                    painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        if 0 <= self.position <= self.duration:
            painter.setPen(QPen(_PLAYHEAD, 1.5))
            x = self.x_of(self.position)
            painter.drawLine(QPointF(x, 0), QPointF(x, h))
        painter.setPen(self.palette().text().color())
        parts = [self.name] if self.name else []
        parts.append(self._text("bpm", bpm=timing.tempo_bpm) if timing.has_beat else self._text("no_beat"))
        if self.section_length > 0:
            parts.append(self._text("section", start=self.section_start,
                                    end=self.section_start + self.section_length))
        if self.score is not None:
            parts.append(self._text("score", score=self.score))
        painter.drawText(QRectF(4, 0, w - 8, top), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         "  ·  ".join(parts))
        painter.end()

    def _paint_curve(self, painter: QPainter, top: float, bottom: float) -> None:
        if self.curve.size == 0:
            return
        times = (np.arange(self.curve.size) + 0.5) * 0.5
        path = QPainterPath(QPointF(0.0, bottom))
        for t, value in zip(times, self.curve, strict=True):
            path.lineTo(QPointF(self.x_of(float(t)), bottom - float(value) * (bottom - top)))
        path.lineTo(QPointF(self.x_of(float(times[-1])), bottom))
        path.closeSubpath()
        fill = QColor(_CURVE)
        fill.setAlpha(110)
        painter.fillPath(path, fill)
        painter.setPen(QPen(_CURVE, 1.2))
        painter.drawPath(path)

    def _paint_grid(self, painter: QPainter, timing: TrackTiming, top: float, bottom: float) -> None:
        grid = self.palette().text().color()
        beats = timing.beats
        # Beats only when they are at least 4 pixels apart; bars and phrases always.
        if beats.size >= 2 and self.x_of(float(np.median(np.diff(beats)))) >= 4:
            grid.setAlpha(45)
            painter.setPen(QPen(grid, 1))
            for beat in beats:
                x = self.x_of(float(beat))
                painter.drawLine(QPointF(x, bottom - 6), QPointF(x, bottom))
        if timing.has_beat:
            grid.setAlpha(110)
            painter.setPen(QPen(grid, 1))
            for bar in timing.bars:
                x = self.x_of(float(bar))
                painter.drawLine(QPointF(x, bottom - 14), QPointF(x, bottom))
            grid.setAlpha(170)
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DashLine))
            for phrase in timing.phrases:
                x = self.x_of(float(phrase))
                painter.drawLine(QPointF(x, top), QPointF(x, bottom))
