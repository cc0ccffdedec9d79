"""The Qt binding keeps Python's reference counts: painting must not eat references to None.

PySide6 6.12.0 dropped one reference to ``None`` on every Qt call that returns nothing
(``QPainterPath.lineTo``, ``QPainter.drawLine``...). On Python 3.11 ``None`` is an ordinary
object, so after enough painting its count reached zero and the window aborted with
"Fatal Python error: none_dealloc" (seen in a QA walk while the track view repainted during
audition). pyproject.toml keeps PySide6 below 6.12; this test fails on a binding with the leak.
"""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("PySide6.QtGui")


def test_painting_keeps_the_reference_count_of_none(qapp):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath

    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    image.fill(QColor("black"))
    path = QPainterPath(QPointF(0, 0))
    before = sys.getrefcount(None)
    painter = QPainter(image)
    try:
        for i in range(2000):
            path.lineTo(QPointF(i % 64, (i * 7) % 64))
            painter.drawLine(QPointF(0, 0), QPointF(i % 64, 10))
        painter.drawPath(path)
    finally:
        painter.end()
    # Other threads and the interpreter move the count a little; a leak of one per call moves it by 4000.
    assert abs(sys.getrefcount(None) - before) < 200
