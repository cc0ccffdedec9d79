"""Timing in the window: sections in the list, the track view, moving a section, Fit to clip.

The library here is written with known timing: 120 BPM drum loops (beats every 0.5 s,
bars every 2 s, phrases every 8 s, in the audio and in the records), one loop shorter
than the clip, and one whose tempo was measured with low confidence. The clip cuts every
2 s (frames 48 and 96 at 24 fps), so a section starting on a bar puts both cuts on beats.
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

pytest.importorskip("PySide6.QtMultimedia")

from PySide6.QtCore import QPoint, Qt

from core.audio.synth import LoopSpec, drum_chord_loop
from core.features import MUSIC
from core.library.db import LibraryDB, TrackRecord
from core.timing.grid import TrackTiming
from core.timing.section import ClipTiming, best_section
from core.video.synth import ClipSpec, write_clip
from musicmatch_gui.widgets.results import COLUMNS

RATE = 22_050
CLIP_S = 6.0
LONG = (("Long loop A", 20.0), ("Long loop B", 24.0), ("Long loop C", 30.0), ("Unsure loop", 22.0))
SHORT = ("Short loop", 3.0)


def _record(path, title, seconds, features, *, confidence=0.5, key="A minor") -> TrackRecord:
    beats = np.arange(0.0, seconds - 1e-9, 0.5)
    downbeats = beats[::4]
    # A quiet first third, a loud middle, a quiet end (2 Hz energy blocks).
    blocks = np.arange(int(seconds * 2))
    energy = np.where((blocks >= blocks.size // 3) & (blocks < 2 * blocks.size // 3), -12.0, -28.0)
    # Every bar sounds like the bar four bars later (a loop): seamless edits between them.
    edits = np.array([[a, b, 0.95] for a in downbeats for b in downbeats if abs(a - b) == 8.0], dtype=np.float64)
    return TrackRecord(path=str(path), source="scan", size=path.stat().st_size, mtime_ns=0,
                       content_hash=f"hash-{title}", duration_s=seconds, title=title, artist="Test", album="",
                       features=features, tempo_bpm=120.0, key=key, beats=beats, energy=energy, sections=[],
                       error=None, downbeats=downbeats, phrases=beats[::16], edit_points=edits.reshape(-1, 3),
                       tempo_confidence=confidence)


@pytest.fixture(scope="module")
def timing_media(tmp_path_factory, recommender):
    from core.video.analysis import extract_video

    folder = tmp_path_factory.mktemp("timing")
    clip = write_clip(folder / "cuts.mp4", ClipSpec(seconds=CLIP_S, shot_seconds=2.0, object_speed=0.4))
    target = recommender.predict(extract_video(clip, device="cpu").features.to_array()).features
    db_path = folder / "timing.sqlite"
    spread = np.array([d.high - d.low for d in MUSIC])
    with LibraryDB(db_path) as db:
        # The short loop is exactly the target: without duration-aware ranking it would come first.
        title, seconds = SHORT
        path = folder / "short.wav"
        soundfile.write(path, drum_chord_loop(LoopSpec(tempo_bpm=120, seconds=seconds)), RATE)
        db.upsert(_record(path, title, seconds, target))
        for i, (title, seconds) in enumerate(LONG):
            path = folder / f"long_{i}.wav"
            soundfile.write(path, drum_chord_loop(LoopSpec(tempo_bpm=120, seconds=seconds), seed=i), RATE)
            features = target + 0.05 * (i + 1) * spread
            confidence = 0.01 if title == "Unsure loop" else 0.5
            db.upsert(_record(path, title, seconds, features, confidence=confidence, key="C major" if i else "A minor"))
    return clip, db_path


@pytest.fixture
def timed(qtbot, make_window, timing_media):
    from tests.gui.conftest import analyse

    clip, db_path = timing_media
    win = make_window()
    win.show()
    win.library_cmds.open_library(str(db_path))
    qtbot.waitUntil(lambda: win.library is not None, timeout=10_000)
    # The filter bar lists only tracks at least as long as the clip by default (#16); these tests
    # are about how the list ranks and marks the shorter ones, so they list every length.
    win.filter_bar.at_least_clip.setChecked(False)
    analyse(qtbot, win, clip)
    qtbot.waitUntil(lambda: not win.timing_cmds.pending, timeout=20_000)  # the list's sections, found in a job
    return win


def _clock(seconds: float) -> str:
    """What the Section column should read: m:ss.s, rounded to the tenth (as the track view)."""
    tenths = round(seconds * 10)
    return f"{tenths // 600}:{tenths % 600 // 10:02d}.{tenths % 10}"


def test_section_starts_read_to_the_tenth_and_round_to_nearest():
    from musicmatch_gui.widgets import results

    assert [results._clock(t) for t in (0.0, 5.99, 7.94, 59.96, 61.25)] == [
        "0:00.0", "0:06.0", "0:07.9", "1:00.0", "1:01.2"]


def _column(win, name: str, role=Qt.ItemDataRole.DisplayRole) -> list:
    column = COLUMNS.index(name)
    return [win.proxy.index(r, column).data(role) for r in range(win.proxy.rowCount())]


def _select_title(win, title: str) -> int:
    titles = _column(win, "Title")
    win.table.selectRow(titles.index(title))
    row = win._selected_row()
    assert win.library.tracks[row].title == title
    return row


def _expected_start(win, row: int) -> float:
    timing = TrackTiming.of(win.library.records[row])
    return best_section(timing, ClipTiming.of(win.session.recommendation.analysis)).start_s


def test_the_list_shows_sections_key_and_tempo_and_short_tracks_come_last(timed):
    win = timed
    titles = _column(win, "Title")
    assert titles[-1] == SHORT[0]  # after every track that covers the clip...
    plain = win.library.index.rank(win.session.target)
    assert win.library.tracks[int(plain.indices[0])].title == SHORT[0]  # ...though it is the nearest
    durations = _column(win, "Duration")
    assert durations[-1].startswith("⚠") and not any(d.startswith("⚠") for d in durations[:-1])
    tip = win.proxy.index(len(titles) - 1, COLUMNS.index("Duration")).data(Qt.ItemDataRole.ToolTipRole)
    assert "Shorter than the clip" in tip and "6.0 s clip" in tip
    # Every listed track carries its best section (m:ss of the core's best start).
    sections = _column(win, "Section")
    for r, text in enumerate(sections):
        library_row = win.results.library_row(win.proxy.mapToSource(win.proxy.index(r, 0)).row())
        start = _expected_start(win, library_row)
        assert text == _clock(start)
        assert win.session.sections[library_row][0] == pytest.approx(start)
    bpm = dict(zip(titles, _column(win, "BPM"), strict=True))
    assert bpm["Unsure loop"] == "~120" and bpm["Long loop A"] == "120"
    assert dict(zip(titles, _column(win, "Key"), strict=True))["Long loop A"] == "A minor"
    for name in ("Section", "Key", "BPM", "Duration", "Match"):
        assert win.results.headerData(COLUMNS.index(name), Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    header = win.table.horizontalHeader()  # shown after BPM, though appended to the model
    assert header.visualIndex(COLUMNS.index("Key")) == header.visualIndex(COLUMNS.index("BPM")) + 1
    assert header.visualIndex(COLUMNS.index("Section")) == header.visualIndex(COLUMNS.index("Key")) + 1


def test_the_track_view_and_timeline_show_the_selected_track_and_the_cuts(timed):
    win = timed
    row = _select_title(win, "Long loop B")
    view = win.track_view
    assert view.timing is not None and view.timing.duration_s == 24.0 and view.name == "Long loop B"
    assert view.section_start == pytest.approx(_expected_start(win, row))
    assert view.section_length == pytest.approx(CLIP_S, abs=0.05)
    assert np.allclose(view.cuts, [2.0, 4.0], atol=1e-6)
    # The timeline draws the clip's cuts and the track's beats under it from the section start.
    assert np.allclose(win.timeline.cuts, [2.0, 4.0], atol=1e-6)
    start = view.section_start
    expected = np.arange(0.0, 24.0, 0.5)
    expected = expected[(expected >= start - 1e-6) & (expected < start + CLIP_S)] - start
    assert np.allclose(win.timeline.beats, expected)
    assert np.allclose(win.timeline.bars, expected[np.isclose((expected + start) % 2.0, 0.0)])
    assert win.timeline.cuts_on_beat().all()  # a section on a beat: cuts every 2 s land on beats


def test_cuts_are_painted_on_the_timeline(timed, qtbot):
    win = timed
    win.table.clearSelection()
    win.table.setCurrentIndex(win.proxy.index(-1, -1))
    strip = win.timeline
    strip.resize(600, 80)
    image = strip.grab().toImage()

    def cut_pixels(seconds: float) -> int:
        """Pixels in a cut's colours (red, or green on a beat) near the column at ``seconds``."""
        centre = round(strip.x_of(seconds))
        counts = []
        for x in (centre - 1, centre, centre + 1):
            colours = [image.pixelColor(x, y) for y in range(16, strip.height() - 14)]
            counts.append(sum(c.red() - c.green() > 40 or c.green() - c.red() > 40 for c in colours))
        return max(counts)

    assert cut_pixels(2.0) > 30 and cut_pixels(4.0) > 30
    assert cut_pixels(3.0) < 12  # no cut there: only the curves cross it


def test_keys_and_drags_move_a_picked_section_by_bars_undoably(timed, qtbot):
    win = timed
    row = _select_title(win, "Long loop C")
    win.project_cmds.toggle_pick()
    first = win.session.picks[row].track_in_s
    assert first == pytest.approx(win.track_view.section_start)
    assert win.session.picks[row].track_out_s == pytest.approx(first + CLIP_S, abs=0.05)
    view = win.track_view
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=2000)
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the window's Right (seek) must not take it
    assert win.session.picks[row].track_in_s == pytest.approx(first + 2.0)
    section_cell = win.proxy.index(_column(win, "Title").index("Long loop C"), COLUMNS.index("Section"))
    moved = first + 2.0
    assert section_cell.data() == _clock(moved)
    assert win.isWindowModified()
    win.undo_stack.undo()
    assert win.session.picks[row].track_in_s == pytest.approx(first)
    assert view.section_start == pytest.approx(first)
    # Shift+Right (Playback menu) moves it a bar too, wherever the focus is.
    assert view.step(2)
    assert win.session.picks[row].track_in_s == pytest.approx(first + 4.0)
    # A drag snaps to the nearest bar.
    before = view.section_start
    grab = round(view.x_of(before + 1.0))
    drop = grab + round(view.x_of(5.2))
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(grab, 50))
    qtbot.mouseMove(view, QPoint(drop, 50))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(drop, 50))
    after = win.session.picks[row].track_in_s
    assert after % 2.0 == pytest.approx(0.0, abs=1e-9) and after == pytest.approx(before + 6.0)
    win.undo_stack.undo()
    assert win.session.picks[row].track_in_s == pytest.approx(before)


def test_a_moved_section_is_saved_and_comes_back_on_reopen(timed, qtbot, make_window, timing_media, tmp_path):
    win = timed
    row = _select_title(win, "Long loop A")
    win.project_cmds.toggle_pick()
    win.track_view.step(1)
    moved = win.session.picks[row].track_in_s
    path = tmp_path / "timed.mmproj"
    assert win.project_cmds.write_project(str(path))
    from core.project import load_project

    (pick,) = load_project(path).picks
    assert pick.track_in_s == pytest.approx(moved) and pick.track_out_s == pytest.approx(moved + CLIP_S, abs=0.05)
    _, db_path = timing_media
    again = make_window()
    again.show()
    again.library_cmds.open_library(str(db_path))
    qtbot.waitUntil(lambda: again.library is not None, timeout=10_000)
    with qtbot.waitSignal(again.analysis_ready, timeout=120_000):
        again.project_cmds.open_project(str(path))
    assert again.session.picks[row].track_in_s == pytest.approx(moved)
    _select_title(again, "Long loop A")
    assert again.track_view.section_start == pytest.approx(moved)
    assert moved != pytest.approx(_expected_start(again, row))  # it is the moved one, not the best


def test_play_with_picture_starts_at_section_start_plus_playhead(timed, qtbot):
    win = timed
    row = _select_title(win, "Long loop B")
    win.video_player.setPosition(1500)
    qtbot.waitUntil(lambda: abs(win.video.position_s - 1.5) < 0.05, timeout=5000)
    at = win.video.position_s
    win.audition_cmds.play_with_picture()
    qtbot.waitUntil(lambda: win.audition.playing, timeout=10_000)
    start = win.session.section_of(row)[0]
    assert win.audition.position_s == pytest.approx(start + at, abs=0.01)
    win.streams[-1].pump(4410)  # 0.1 s played: the track view's playhead follows, in track time
    win.audition_cmds.update_meter(win.meter, win.track_position)
    assert win.track_view.position == pytest.approx(start + at + 0.1, abs=0.01)
    win.stop_all()
    assert win.track_view.position < 0  # hidden once stopped


def test_fit_to_clip_renders_exactly_the_clip_length_and_the_pick_keeps_it(timed, qtbot):
    from core.paths import data_dir

    win = timed
    row = _select_title(win, "Long loop A")
    win.project_cmds.toggle_pick()
    start = win.session.picks[row].track_in_s
    length = win.session.recommendation.analysis.duration_s
    win.video_player.setPosition(0)
    with qtbot.waitSignal(win.undo_stack.indexChanged, timeout=60_000):
        win.timing_cmds.fit_to_clip()
    pick = win.session.picks[row]
    assert pick.rendered_path and pick.rendered_path.startswith(str(data_dir() / "fits"))
    info = soundfile.info(pick.rendered_path)
    assert info.samplerate == RATE and info.frames == round(length * RATE)  # to the sample
    rendered, _ = soundfile.read(pick.rendered_path, always_2d=True)
    source, _ = soundfile.read(win.library.tracks[row].path, always_2d=True)
    begin = round(start * RATE)
    window = slice(round(0.1 * RATE), round(1.0 * RATE))  # past the 10 ms fade-in, before any edit
    assert np.allclose(rendered[window, 0], source[begin + window.start: begin + window.stop, 0], atol=1e-5)
    assert isinstance(pick.edits, list)
    assert "Fitted Long loop A" in win.statusBar().currentMessage()
    assert win.audition.playing and win.audition.duration_s == pytest.approx(length, abs=1e-4)
    win.undo_stack.undo()
    assert win.session.picks[row].rendered_path == ""
    win.stop_all()


def test_a_track_shorter_than_the_clip_is_fitted_by_repeating_bars(timed, qtbot):
    win = timed
    row = _select_title(win, SHORT[0])
    win.timing_cmds.fit_to_clip()
    qtbot.waitUntil(lambda: "Fitted Short loop" in win.statusBar().currentMessage(), timeout=60_000)
    path, edits = win.session.fits[row]
    assert soundfile.info(path).frames == round(win.session.recommendation.analysis.duration_s * RATE)
    assert edits and all(to < frm for _, frm, to in edits)  # jumps back: bars repeated, never stretched
    # Its 2 bars have no similar-bar edit points: the planner's fallback is said in the status bar.
    assert "repeats the section from its last bar" in win.statusBar().currentMessage()
    # A later pick of it keeps the fit.
    win.project_cmds.toggle_pick()
    assert win.session.picks[row].rendered_path == path and win.session.picks[row].edits == edits
    win.stop_all()


def test_fit_to_clip_can_be_cancelled_and_writes_nothing(timed, qtbot, monkeypatch):
    import threading

    import core.timing.render as render
    from core.paths import data_dir

    win = timed
    _select_title(win, "Long loop B")
    release = threading.Event()
    real = render.read_track

    def slow_read(path):
        release.wait(10)
        return real(path)

    monkeypatch.setattr(render, "read_track", slow_read)
    win.timing_cmds.fit_to_clip()
    (job,) = [j for j in win.jobs.running() if j.kind == "fit"]
    with qtbot.waitSignal(job.cancelled, timeout=20_000):
        job.cancel()  # what the job bar's Cancel does to the job it shows
        release.set()
    qtbot.waitUntil(lambda: "Fit to clip cancelled" in win.statusBar().currentMessage(), timeout=5000)
    fits = data_dir() / "fits"
    assert not fits.exists() or not any(fits.iterdir())


def test_fit_without_a_clip_or_selection_says_why(qtbot, make_window, timing_media):
    _, db_path = timing_media
    win = make_window()
    win.show()
    win.library_cmds.open_library(str(db_path))
    qtbot.waitUntil(lambda: win.library is not None, timeout=10_000)
    win.timing_cmds.fit_to_clip()
    assert "Open a clip first" in win.statusBar().currentMessage()
    assert not [j for j in win.jobs.running() if j.kind == "fit"]
    # Before a clip the track view still shows a selected track (no section to move).
    win.table.selectRow(0)
    assert win.track_view.timing is not None and win.track_view.section_length == 0.0


def test_the_timing_controls_speak_chinese(qtbot, qapp, make_window):
    from PySide6.QtCore import QTranslator

    from musicmatch_gui.app import install_translation
    from musicmatch_gui.core_text import FIT_NOTES, fit_note

    assert install_translation(qapp, "zh")
    try:
        win = make_window(language="zh")
        assert win.fit_button.text() == "⤢ 适配片段"
        assert win.results.headerData(COLUMNS.index("Section"), Qt.Orientation.Horizontal) == "段落"
        assert win.results.headerData(COLUMNS.index("Key"), Qt.Orientation.Horizontal) == "调性"
        assert win.track_view.language == "zh" and "曲目" in win.track_view.toolTip()
        assert all(fit_note(note) != note for note in FIT_NOTES)  # the planner's fallbacks, in Chinese
    finally:
        for translator in qapp.findChildren(QTranslator):
            qapp.removeTranslator(translator)


def test_every_fit_note_the_planner_writes_is_listed_for_translation():
    import re
    from pathlib import Path

    import core.timing.plan as plan
    from musicmatch_gui.core_text import FIT_NOTES

    source = Path(plan.__file__).read_text()
    written = set(re.findall(r'"((?:the track has|no similar|ends on a bar|no bar or phrase)[^"]*)"', source))
    assert written and written <= set(FIT_NOTES)
