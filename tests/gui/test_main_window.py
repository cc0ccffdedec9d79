"""The desktop window, offscreen: analysis in a job, live re-ranking, picks, audition, the event loop."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

pytest.importorskip("PySide6.QtMultimedia")

from PySide6.QtCore import QElapsedTimer, QTimer

from core.features import MUSIC
from core.library.db import LibraryDB
from core.match import MatchSettings
from core.project import load_project
from musicmatch_gui.audio import AudioUnavailable, Player


def test_analysis_runs_in_a_job_and_the_event_loop_never_stalls(qtbot, window, media):
    clip, _ = media
    gaps, clock = [], QElapsedTimer()
    clock.start()
    ticker = QTimer()
    ticker.setInterval(10)

    def tick():
        gaps.append(clock.restart())

    ticker.timeout.connect(tick)
    ticker.start()
    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        window.open_video(str(clip))
    ticker.stop()
    assert len(gaps) > 20
    assert max(gaps[1:]) < 50, f"longest gap in the GUI thread: {max(gaps[1:])} ms"
    rec = window.session.recommendation
    assert rec is not None and len(rec.analysis.shots) == 2
    assert window.proxy.rowCount() == 25  # the controls' default top-K
    assert set(window.video_radar.series()) == {"clip"} and set(window.music_radar.series()) == {"target"}
    assert window.timeline.duration == pytest.approx(rec.analysis.duration_s)


def test_controls_rerank_live_with_the_engine(qtbot, window, media):
    clip, _ = media
    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        window.open_video(str(clip))
    window.controls.va_button.click()
    window.controls.metric_box.setCurrentIndex(1)
    window.controls.sliders["arousal"].setValue(30)
    result = window.results.result
    assert result.settings.dims == ("arousal", "valence") and result.settings.metric == "cosine"
    expected = window.library.index.rank(window.session.target, MatchSettings.create(
        metric="cosine", dims="va", weights={"arousal": 3.0}, top_k=25))
    shown = [window.results.library_row(window.proxy.mapToSource(window.proxy.index(r, 0)).row())
             for r in range(window.proxy.rowCount())]
    assert shown == expected.indices.tolist()
    window.filter.setText("Track 0")
    visible = [window.proxy.index(r, 1).data() for r in range(window.proxy.rowCount())]
    # The filter searches the whole ranked library, not only the 25 listed.
    assert sorted(visible) == sorted(t.title for t in window.library.tracks if "track 0" in t.title.lower())


def test_pick_audition_and_save(qtbot, window, media, tmp_path):
    clip, _ = media
    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        window.open_video(str(clip))
    window.table.selectRow(0)
    first = window._selected_row()
    assert "selected" in window.music_radar.series()
    np.testing.assert_allclose(window.music_radar.series()["selected"], window.library.index.features[first])
    window.project_cmds.toggle_pick()
    assert window.picks_panel.list.count() == 1
    window.audition_cmds.audition_selected()
    qtbot.waitUntil(lambda: window.audition.playing, timeout=10_000)
    block = window.streams[-1].pump()
    assert np.abs(block).max() > 0.05  # the track's tone, at the set volume
    window.stop_all()
    assert not window.audition.playing and window.streams[-1].closed
    window.picks_panel.list.setCurrentRow(0)
    window.picks_panel.note.setText("under the reveal")
    window.picks_panel.note.editingFinished.emit()
    window.picks_panel.placement.setValue(1.25)
    window.picks_panel.placement.editingFinished.emit()
    window.picks_panel.rating.setValue(4)
    path = tmp_path / "cut.mmproj"
    window.project_cmds.write_project(str(path))
    project = load_project(path)
    assert [p.rank for p in project.picks] == [1]
    assert (project.picks[0].note, project.picks[0].placement_s, project.picks[0].rating) == ("under the reveal",
                                                                                             1.25, 4)
    assert project.picks[0].track_path == window.library.tracks[first].path
    assert project.video.features and set(project.target) == set(MUSIC.ids)


def test_a_missing_audio_device_is_reported_not_raised(qtbot, window, media):
    def no_device(callback, rate, channels=2):
        raise AudioUnavailable("no audio output device (test)")

    window.audition = Player(stream_factory=no_device)
    clip, _ = media
    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        window.open_video(str(clip))
    window.table.selectRow(0)
    window.audition_cmds.audition_selected()
    deadline = time.monotonic() + 10
    while "no audio output device" not in window.statusBar().currentMessage() and time.monotonic() < deadline:
        qtbot.wait(50)
    assert "Cannot audition: no audio output device" in window.statusBar().currentMessage()
    assert not window.audition.playing


def test_screenshot_mode_from_the_command_line(media, tmp_path):
    """`musicmatch gui --video --db --screenshot` analyses, ranks, saves the window and exits 0."""
    import os
    import subprocess
    import sys

    from PySide6.QtGui import QImage

    clip, db_path = media
    png = tmp_path / "window.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "musicmatch_gui.cli", "gui", "--video", str(clip), "--db",
                           str(db_path), "--screenshot", str(png), "--device", "cpu"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    image = QImage(str(png))
    assert image.width() >= 1280 and image.height() >= 800
    # Not a blank grab: the dark theme, the charts and the list give many distinct colours.
    colours = {image.pixel(x, y) for x in range(0, image.width(), 16) for y in range(0, image.height(), 16)}
    assert len(colours) > 20


def test_screenshot_mode_refuses_a_folder_that_does_not_exist(media, tmp_path):
    import os
    import subprocess
    import sys

    clip, db_path = media
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "musicmatch_gui.cli", "gui", "--video", str(clip), "--db",
                           str(db_path), "--screenshot", str(tmp_path / "missing" / "w.png"), "--device", "cpu"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].endswith("w.png: its folder does not exist")


def test_open_project_restores_settings_and_picks(qtbot, window, media, tmp_path, monkeypatch):
    clip, _ = media
    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        window.open_video(str(clip))
    window.controls.va_button.click()
    window.table.selectRow(1)
    second = window._selected_row()
    window.project_cmds.toggle_pick()
    path = tmp_path / "cut.mmproj"
    window.project_cmds.write_project(str(path))
    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        window.open_video(str(clip))  # start over: no picks
    assert not window.session.picks
    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        window.project_cmds.open_project(str(path))
    assert list(window.session.picks) == [second]
    assert window.results.result.settings.dims == ("arousal", "valence")
    assert window.picks_panel.list.count() == 1 and window.session.project_path == str(path)


def test_preferences_switch_feature_labels_and_fall_back_from_cuda(qtbot, window):
    window.apply_preferences("cuda", "zh")
    assert window.controls.checks["arousal"].text() == "音乐唤醒度"
    assert window.video_radar.language == "zh" and window.timeline.language == "zh"
    import torch

    if not torch.cuda.is_available():
        assert window._analysis_device() == "cpu"
        assert "no CUDA device" in window.statusBar().currentMessage()
    window.apply_preferences("auto", "en")
    assert window.controls.checks["arousal"].text() == "Music arousal"


def test_dropping_an_mp4_analyses_it(qtbot, window, media):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    clip, _ = media
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(clip))])
    event = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        window.dropEvent(event)
    assert window.session.video_path == str(clip)
    assert window.video_radar.series()["clip"].shape == (11,) and window.results.rowCount() > 0


def test_a_heavier_weight_pulls_the_list_toward_that_dimension(qtbot, window, media):
    clip, _ = media
    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        window.open_video(str(clip))
    column = MUSIC.index("arousal")
    scale = MUSIC["arousal"].scale
    target = window.session.target[column]

    def arousal_error() -> float:
        rows = window.results.result.indices[:10]
        return float(np.mean(np.abs(window.library.index.features[rows, column] - target)) / scale)

    before = arousal_error()
    window.controls.sliders["arousal"].setValue(40)  # weight 4
    assert arousal_error() < before


def test_cancelling_a_library_scan_stops_it(qtbot, window, tmp_path):
    folder = tmp_path / "music"
    folder.mkdir()
    for i in range(12):
        soundfile.write(folder / f"t{i}.wav", np.random.default_rng(i).normal(0, 0.1, 22050 * 20), 22050)
    window.library.path = str(tmp_path / "scan.sqlite")
    with qtbot.waitSignal(window.jobs.started, timeout=5000) as started:
        window.library_cmds.scan_library([str(folder)])
    job = started.args[0]
    with qtbot.waitSignal(job.cancelled, timeout=120_000):
        qtbot.wait(300)
        job.cancel()
    with LibraryDB(tmp_path / "scan.sqlite", create=False) as db:
        assert db.count() < 12  # it stopped part-way; what was analysed is kept


def test_track_seek_recent_files_new_and_remove_folder(qtbot, window, media, tmp_path):
    clip, _ = media
    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        window.open_video(str(clip))
    from musicmatch_gui.settings import recent_files

    assert recent_files() == [str(clip)]
    window.table.selectRow(0)
    window.audition_cmds.audition_selected()
    qtbot.waitUntil(lambda: window.audition.playing, timeout=10_000)
    window.track_position.sliderMoved.emit(1500)  # drag to 1.5 s inside the track
    assert window.audition.position_s == pytest.approx(1.5, abs=0.01)
    window.streams[-1].pump()
    assert window.audition.position_s == pytest.approx(1.5 + 1024 / 44_100, abs=0.01)
    window.project_cmds.new_session()
    assert window.session.video_path == "" and window.results.result is None and not window.audition.playing
    # Removing a folder forgets its tracks (the files stay); on a copy of the shared test library.
    import shutil

    copy = tmp_path / "copy.sqlite"
    shutil.copy(window.library.path, copy)
    window.library_cmds.open_library(str(copy))
    qtbot.waitUntil(lambda: window.library.path == str(copy), timeout=10_000)
    track = window.library.tracks[0].path
    folder = str(Path(track).parent)
    with LibraryDB(copy) as db:
        db.add_folder(folder)
    window.library_cmds.remove_folder(folder)
    qtbot.waitUntil(lambda: len(window.library) == 0, timeout=10_000)
    assert Path(track).exists()
    with LibraryDB(copy, create=False) as db:
        assert db.folders() == [] and db.count() == 0


def test_weights_and_dimensions_carry_over_to_the_next_start(qtbot, window, make_window):
    window.controls.va_button.click()
    window.controls.sliders["valence"].setValue(25)
    window.remember_match_settings()
    fresh = make_window()
    fresh.restore_match_settings()
    settings = fresh.controls.settings()
    assert settings.dims == ("arousal", "valence")
    assert settings.weights[MUSIC.index("valence")] == pytest.approx(2.5)


def test_about_names_the_projects_version(window):
    import tomllib
    from pathlib import Path as _Path

    version = tomllib.loads((_Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]["version"]
    assert f"MusicMatch {version}" in window.about_text()


def test_the_window_fits_a_small_laptop_screen(window):
    # 1280x720 is the smallest screen an editor is likely to have (and 1366x768 laptops leave about that).
    hint = window.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 720, hint
