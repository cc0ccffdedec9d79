"""Issue #13, QA walk: a reopened project's fitted pick plays its saved fit with the picture, and says it has one."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

pytest.importorskip("PySide6.QtMultimedia")

from musicmatch_gui.audio import PLAYBACK_RATE
from tests.gui.conftest import analyse


def test_a_saved_fit_has_its_spans_back_from_its_edits():
    from musicmatch_gui.actions.audition import _fit_segments

    assert _fit_segments(10.0, [[1.0, 11.0, 20.0]], 4.0) == [(10.0, 11.0), (20.0, 23.0)]
    assert _fit_segments(2.0, [], 4.0) == [(2.0, 6.0)]


def test_with_picture_plays_the_reopened_picks_fit(qtbot, window, media, tmp_path):
    clip, _ = media
    analyse(qtbot, window, clip)
    window.table.selectRow(0)
    window.project_cmds.toggle_pick()
    row = window._selected_row()
    length = window.session.recommendation.analysis.duration_s
    fit = tmp_path / "Track - fit clip from 0.00s.wav"
    soundfile.write(fit, np.full((int(length * PLAYBACK_RATE), 2), 0.25, dtype=np.float32), PLAYBACK_RATE)
    pick = window.session.picks[row]
    pick.rendered_path, pick.edits = str(fit), [[1.0, pick.track_in_s + 1.0, pick.track_in_s + 0.5]]
    path = tmp_path / "fitted.mmproj"
    assert window.project_cmds.write_project(str(path))

    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        window.project_cmds.open_project(str(path))
    assert window.session.picks[row].rendered_path == str(fit)
    assert "fitted to the clip (Track - fit clip from 0.00s.wav)" in window.picks_panel.list.item(0).toolTip()

    window.table.selectRow(0)
    assert window._selected_row() == row
    window.video_player.setPosition(0)
    qtbot.waitUntil(lambda: window.video.position_s < 0.05, timeout=5000)
    window.audition_cmds.play_with_picture()
    qtbot.waitUntil(lambda: window.audition.playing, timeout=10_000)
    assert window.audition.duration_s == pytest.approx(length, abs=0.01)  # the fit, not the 5-8 s track
    played = window.streams[-1].pump(1024)
    assert np.allclose(played, played[0, 0]) and played[0, 0] > 0  # the fit is a constant level
    window.stop_all()


def test_a_fit_whose_file_is_gone_plays_the_section(qtbot, window, media, tmp_path):
    clip, _ = media
    analyse(qtbot, window, clip)
    window.table.selectRow(0)
    window.project_cmds.toggle_pick()
    row = window._selected_row()
    window.session.picks[row].rendered_path = str(tmp_path / "deleted.wav")
    window.picks_panel.set_picks(window.session.picks)
    assert "fitted" not in window.picks_panel.list.item(0).toolTip()
    window.audition_cmds.play_with_picture()
    qtbot.waitUntil(lambda: window.audition.playing, timeout=10_000)
    assert window.audition.duration_s > window.session.recommendation.analysis.duration_s + 0.5
    window.stop_all()
