"""A radar (spider) chart of a feature vector, with overlays, drawn with QPainter.

Each axis is one dimension of a :class:`~core.features.FeatureSpace`, scaled from its
range's low (centre) to high (rim), so dimensions with ranges a hundredfold apart share
one picture. Labels come from the feature schema in the UI language; hovering an axis
shows its definition and every series' value.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from core.features import FeatureSpace
from musicmatch_gui.core_text import definition

__all__ = ["RadarChart"]


SERIES_LABELS = {  # the legend's names for the window's series (others are shown as they are named)
    "clip": QT_TRANSLATE_NOOP("RadarChart", "clip"),
    "target": QT_TRANSLATE_NOOP("RadarChart", "target"),
    "selected": QT_TRANSLATE_NOOP("RadarChart", "selected"),
}

class RadarChart(QWidget):
    """``set_series(name, values, colour)`` adds or replaces a polygon; ``clear()`` removes all."""

    def __init__(self, space: FeatureSpace, title: str, *, language: str = "en", parent: QWidget | None = None):
        super().__init__(parent)
        self.space = space
        self.title = title
        self.language = language
        self._series: dict[str, tuple[np.ndarray, QColor]] = {}
        self.setMouseTracking(True)
        self.setMinimumSize(220, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(320, 300)

    def set_series(self, name: str, values, colour: str) -> None:
        self._series[name] = (np.asarray(values, dtype=float), QColor(colour))
        self.update()

    def remove_series(self, name: str) -> None:
        self._series.pop(name, None)
        self.update()

    def clear(self) -> None:
        self._series.clear()
        self.update()

    def series(self) -> dict[str, np.ndarray]:
        return {name: values for name, (values, _) in self._series.items()}

    # -- geometry -------------------------------------------------------------------------

    def _frame(self) -> tuple[QPointF, float]:
        top = 24.0
        rect = QRectF(0, top, self.width(), self.height() - top)
        radius = max(10.0, min(rect.width(), rect.height()) / 2 - 58)
        return rect.center(), radius

    def _angle(self, i: int) -> float:
        return -math.pi / 2 + 2 * math.pi * i / len(self.space)

    def _unit(self, values: np.ndarray) -> np.ndarray:
        lows = np.array([d.low for d in self.space])
        highs = np.array([d.high for d in self.space])
        return np.clip((values - lows) / (highs - lows), 0.0, 1.0)

    def axis_at(self, point: QPointF) -> int | None:
        """The axis whose label or spoke is nearest ``point`` (for tooltips), or None."""
        centre, radius = self._frame()
        dx, dy = point.x() - centre.x(), point.y() - centre.y()
        if math.hypot(dx, dy) < 12 or math.hypot(dx, dy) > radius + 60:
            return None
        angle = math.atan2(dy, dx)
        step = 2 * math.pi / len(self.space)
        return int(round((angle + math.pi / 2) / step)) % len(self.space)

    # -- painting -------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.windowText().color()
        grid = QColor(text)
        grid.setAlpha(50)
        centre, radius = self._frame()
        n = len(self.space)
        title_font = QFont(self.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text)
        painter.drawText(QRectF(0, 0, self.width(), 22), Qt.AlignmentFlag.AlignCenter, self.title)
        painter.setFont(self.font())
        painter.setPen(QPen(grid, 1))
        for ring in (0.25, 0.5, 0.75, 1.0):
            polygon = QPolygonF([centre + QPointF(math.cos(self._angle(i)), math.sin(self._angle(i))) * radius * ring
                                 for i in range(n)])
            painter.drawPolygon(polygon)
        metrics = painter.fontMetrics()
        for i, dim in enumerate(self.space):
            direction = QPointF(math.cos(self._angle(i)), math.sin(self._angle(i)))
            painter.setPen(QPen(grid, 1))
            painter.drawLine(centre, centre + direction * radius)
            label = dim.label(self.language)
            width = metrics.horizontalAdvance(label) + 4
            anchor = centre + direction * (radius + 14)
            # Labels off the vertical swing fully to their side, so the two spokes either side of
            # the bottom (or top) never print over each other; only a spoke straight up is centred.
            side = math.copysign(min(1.0, abs(direction.x()) * 4), direction.x())
            x = anchor.x() - width / 2 + side * width / 2
            y = anchor.y() - metrics.height() / 2 + direction.y() * metrics.height() / 2
            painter.setPen(text)
            painter.drawText(QRectF(x, y, width, metrics.height()), Qt.AlignmentFlag.AlignCenter, label)
        for values, colour in self._series.values():
            if values.shape != (n,):
                continue
            unit = self._unit(values)
            path = QPainterPath()
            for i in range(n):
                point = centre + QPointF(math.cos(self._angle(i)), math.sin(self._angle(i))) * radius * unit[i]
                if i == 0:
                    path.moveTo(point)
                else:
                    path.lineTo(point)
            path.closeSubpath()
            fill = QColor(colour)
            fill.setAlpha(60)
            painter.setPen(QPen(colour, 2))
            painter.setBrush(fill)
            painter.drawPath(path)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        legend_y = self.height() - 6
        x = 8.0
        for name, (_, colour) in self._series.items():
            painter.setPen(QPen(colour, 3))
            painter.drawLine(QPointF(x, legend_y - 5), QPointF(x + 14, legend_y - 5))
            painter.setPen(text)
            label = self.tr(SERIES_LABELS.get(name, name))
            painter.drawText(QPointF(x + 18, legend_y), label)
            x += 30 + metrics.horizontalAdvance(label)
        painter.end()

    def mouseMoveEvent(self, event) -> None:
        axis = self.axis_at(event.position())
        if axis is None:
            QToolTip.hideText()
            return
        dim = list(self.space)[axis]
        lines = [f"<b>{dim.label(self.language)}</b> ({dim.low:g}..{dim.high:g})", definition(dim)]
        lines += [f"{self.tr(SERIES_LABELS.get(name, name))}: {values[axis]:.2f}"
                  for name, (values, _) in self._series.items()
                  if values.shape == (len(self.space),)]
        QToolTip.showText(event.globalPosition().toPoint(), "<br>".join(lines), self)
