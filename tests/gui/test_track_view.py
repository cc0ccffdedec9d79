"""The track view: energy curve, bars and the best section, dragged (snapping to bars) or moved by keys."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from core.timing.grid import TrackTiming
from musicmatch_gui.widgets.track_view import TrackView

DURATION = 60.0


def timing() -> TrackTiming:
    beats = np.arange(0.0, DURATION, 0.5)
    energy = np.where((np.arange(120) >= 40) & (np.arange(120) < 88), -10.0, -30.0)
    return TrackTiming(duration_s=DURATION, tempo_bpm=120.0, beats=beats, downbeats=beats[::4],
                       phrases=beats[::16], energy_db=energy)


@pytest.fixture
def view(qtbot):
    widget = TrackView()
    qtbot.addWidget(widget)
    widget.resize(600, 110)
    widget.set_track(timing(), "Loop")
    widget.set_section(20.0, 10.0, score=0.9)
    widget.set_cuts([4.0, 6.5])
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def x_of(view: TrackView, seconds: float) -> int:
    return round(seconds / DURATION * view.width())


def test_dragging_the_section_moves_it_to_a_bar(view, qtbot):
    moves = []
    view.section_moved.connect(lambda start, end: moves.append((start, end)))
    grab_at = x_of(view, 25.0)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(grab_at, 50))
    qtbot.mouseMove(view, QPoint(grab_at + x_of(view, 7.3), 50))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(grab_at + x_of(view, 7.3), 50))
    (start, end), = moves
    assert start % 2.0 == 0.0  # on a bar
    assert abs(start - 27.3) <= 1.0 + DURATION / view.width()  # the nearest bar to where it was dropped
    assert end == start + 10.0


def test_the_section_stays_inside_the_track(view, qtbot):
    moves = []
    view.section_moved.connect(lambda start, end: moves.append((start, end)))
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(x_of(view, 25.0), 50))
    qtbot.mouseMove(view, QPoint(view.width() - 1, 50))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(view.width() - 1, 50))
    assert moves[-1] == (50.0, 60.0)


def test_arrow_keys_move_the_section_by_one_bar(view, qtbot):
    moves = []
    view.section_moved.connect(lambda start, end: moves.append(start))
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert moves == [22.0, 24.0, 22.0]


def test_it_paints_the_curve_the_section_and_the_cuts(view):
    image = view.grab().toImage()
    section_x = x_of(view, 22.0)
    outside_x = x_of(view, 5.0)
    # The highlighted section is tinted yellow; outside it the background is not.
    inside = QColor(image.pixel(section_x, 12))
    outside = QColor(image.pixel(outside_x, 12))
    assert inside.red() > inside.blue() and inside != outside
    # A cut 4 s into the section is drawn in red.
    cut_x = x_of(view, 24.0)
    reds = [QColor(image.pixel(x, 60)) for x in range(cut_x - 1, cut_x + 2)]
    assert any(c.red() > 200 and c.green() < 120 for c in reds)
    # The loud middle (20-44 s) rises higher than the quiet start.
    def top_of_curve(x):
        for y in range(20, view.height()):
            colour = QColor(image.pixel(x, y))
            if colour.blue() > colour.red() + 40:
                return y
        return view.height()
    assert top_of_curve(x_of(view, 35.0)) < top_of_curve(x_of(view, 8.0))


def test_empty_and_chinese(qtbot):
    widget = TrackView(language="zh")
    qtbot.addWidget(widget)
    widget.resize(400, 100)
    assert "曲目" in widget.toolTip() or "拖动" in widget.toolTip()
    widget.grab()  # paints the empty state without a track
    widget.set_track(TrackTiming(duration_s=30.0, energy_db=np.full(60, -20.0)), "环境音")
    widget.set_section(3.3, 8.0)
    assert widget.snap(3.3) == pytest.approx(3.5)  # no bars: snaps to 0.5 s
    widget.grab()


def test_the_language_can_change_after_it_is_made(qtbot):
    widget = TrackView(language="en")
    qtbot.addWidget(widget)
    assert "loudness" in widget.toolTip()
    widget.language = "zh"  # Preferences > Language while the window is open
    assert widget.language == "zh" and "响度" in widget.toolTip()
    widget.language = "fr"
    assert widget.language == "en"
