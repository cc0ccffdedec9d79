"""Findings 2-13 and 15 of issue #13, each as the editor met it."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import numpy as np
import pytest
import soundfile

pytest.importorskip("PySide6.QtMultimedia")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from core.library.db import LibraryDB
from core.match import match_percent
from tests.gui.conftest import analyse


def _error_boxes(window) -> list[QMessageBox]:
    return [box for box in window.findChildren(QMessageBox) if box.objectName() == "errorBox" and box.isVisible()]


# -- 2: an absolute Match % -------------------------------------------------------------------------

def test_match_percent_of_a_track_does_not_depend_on_the_rows_shown(qtbot, window, media):
    clip, _ = media
    analyse(qtbot, window, clip)

    def shown_match(library_row):
        row = window.results.model_row(library_row)
        return window.results.index(row, 6).data()

    tenth = window.results.library_row(9)
    window.controls.top_k.setValue(25)
    at_25 = shown_match(tenth)
    window.controls.top_k.setValue(10)
    assert shown_match(tenth) == at_25
    distance = float(window.results.result.distances[9])
    assert at_25 == f"{match_percent(distance, window.results.result.settings):.0f} %"
    tips = {window.results.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) for c in (5, 6)}
    assert all(tip and len(tip) > 40 for tip in tips)


# -- 3: a pick that starts beyond the clip ---------------------------------------------------------

def test_starts_at_is_bounded_and_export_writes_the_valid_picks(qtbot, window, media, tmp_path):
    clip, _ = media
    analyse(qtbot, window, clip)
    duration = window.session.recommendation.analysis.duration_s
    assert window.picks_panel.placement.maximum() < duration
    window.picks_panel.list.setCurrentRow(-1)
    for row in (0, 1):
        window.table.selectRow(row)
        window.project_cmds.toggle_pick()
    key = list(window.session.picks)[1]
    window.session.picks[key] = replace(window.session.picks[key], placement_s=duration + 2.5)  # an old project's
    out = tmp_path / "cues.csv"
    window.project_cmds.export_to("csv", str(out))
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=20_000)
    text = out.read_text(encoding="utf-8-sig")
    first, second = (window.session.picks[k].title for k in window.session.picks)
    assert first in text and second not in text
    message = window.statusBar().currentMessage()
    assert "left out" in message and second in message


# -- 4: Open Recent ------------------------------------------------------------------------------

def test_recent_files_keep_whole_paths_and_skip_failed_opens(qtbot, window, media, tmp_path):
    from musicmatch_gui.settings import app_settings, recent_files

    clip, _ = media
    analyse(qtbot, window, clip)
    app_settings().sync()
    assert recent_files() == [str(clip)]  # one item comes back as a string from QSettings: still one path
    window.project_cmds.fill_recent(window.recent_menu)
    assert [a.text() for a in window.recent_menu.actions()] == [str(clip)]
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video at all" * 100)
    window.open_video(str(bad), asked=True)
    qtbot.waitUntil(lambda: bool(_error_boxes(window)), timeout=60_000)
    assert str(bad) not in recent_files()
    project = tmp_path / "saved.mmproj"
    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        window.open_video(str(clip), asked=True)
    assert window.project_cmds.write_project(str(project))
    assert recent_files()[0] == str(project)


# -- 6: attribute names that hide Qt methods ---------------------------------------------------------

def _shadowing(widget: QWidget) -> list[str]:
    """Instance attributes (set in our code) whose names are methods of the widget's Qt classes."""
    from PySide6.QtCore import Signal, SignalInstance

    qt_bases = [c for c in type(widget).__mro__ if c.__module__.startswith("PySide6")]
    found = []
    for name, value in vars(widget).items():
        if isinstance(value, SignalInstance):
            continue  # PySide caches a bound signal on the instance: not an attribute of ours
        inherited = [getattr(base, name, None) for base in qt_bases]
        if any(callable(item) and not isinstance(item, Signal) for item in inherited):
            found.append(f"{type(widget).__name__}.{name}")
    return found


def test_no_widget_attribute_hides_a_qt_method(qtbot, window, capfd):
    from musicmatch_gui.preferences import Preferences, PreferencesDialog

    dialog = PreferencesDialog(Preferences(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.wait(50)
    widgets = [window, dialog, *window.findChildren(QWidget), *dialog.findChildren(QWidget)]
    offenders = sorted({name for widget in widgets for name in _shadowing(widget)})
    assert offenders == []
    assert "Error calling Python override" not in capfd.readouterr().err


# -- 7: every container the engine reads ---------------------------------------------------------------

def test_open_video_offers_and_analyses_avi_webm_and_mpg(qtbot, window, media, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from core.paths import VIDEO_SUFFIXES

    seen = {}

    def dialog(*args):
        seen["filter"] = args[3]
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", dialog)
    window.open_video_dialog()
    for suffix in (".avi", ".webm", ".mpg", ".mp4", ".mov"):
        assert f"*{suffix}" in seen["filter"] and suffix in VIDEO_SUFFIXES
    clip, _ = media
    avi = tmp_path / "clip.avi"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(clip), "-c:v", "mpeg4", "-q:v", "4", "-an", str(avi)],
                   check=True)
    analyse(qtbot, window, avi)
    assert window.session.recommendation.analysis.duration_s == pytest.approx(4.0, abs=0.2)


# -- 8: the demo stays apart --------------------------------------------------------------------------

def test_adding_a_folder_while_the_demo_is_open_goes_to_the_users_library(qtbot, window, media, tmp_path):
    from core.library.db import default_db_path

    _, db_path = media
    window.library_cmds.open_library(str(db_path), demo=True)
    qtbot.waitUntil(lambda: window.library.demo, timeout=10_000)
    assert window.library_cmds.scan_target() == str(default_db_path()) != str(db_path)
    assert str(tmp_path) in window.library_cmds.scan_target()  # the test's own data folder (XDG_DATA_HOME)
    assert "Demo library" in window.library_label.text()


# -- 9: cancelling a scan refreshes the list ----------------------------------------------------------

def test_cancelling_a_scan_lists_what_was_analysed(qtbot, window, tmp_path):
    folder = tmp_path / "music"
    folder.mkdir()
    for i in range(12):
        soundfile.write(folder / f"t{i}.wav", np.random.default_rng(i).normal(0, 0.1, 22050 * 20), 22050)
    own = tmp_path / "own.sqlite"
    with LibraryDB(own):
        pass
    window.library_cmds.open_library(str(own))
    qtbot.waitUntil(lambda: window.library.path == str(own), timeout=10_000)
    with qtbot.waitSignal(window.jobs.started, timeout=5000) as started:
        window.library_cmds.scan_library([str(folder)])
    job = started.args[0]
    with LibraryDB(own, create=False) as db:
        qtbot.waitUntil(lambda: db.count() >= 1, timeout=120_000)
    job.cancel()
    qtbot.waitUntil(lambda: "cancelled" in window.statusBar().currentMessage(), timeout=60_000)
    with LibraryDB(own, create=False) as db:
        stored = len(db.track_index()[1])
    qtbot.waitUntil(lambda: len(window.library) == stored, timeout=10_000)
    assert 1 <= stored < 12 and f"{stored} tracks" in window.library_label.text()
    assert window.results.rowCount() == stored


# -- 10: the filter searches the whole ranking and says when nothing matches -------------------------

def test_the_filter_finds_tracks_below_the_top_k_and_explains_an_empty_list(qtbot, window, media):
    clip, _ = media
    analyse(qtbot, window, clip)
    window.controls.top_k.setValue(5)
    last = window.results.library_row(window.results.rowCount() - 1)
    title = window.library.tracks[last].title
    window.filter.setText(title)
    assert [window.proxy.index(r, 1).data() for r in range(window.proxy.rowCount())] == [title]
    assert window.proxy.index(0, 0).data() == window.results.rowCount()  # its rank in the whole library
    window.filter.setText("no such song")
    assert window.proxy.rowCount() == 0 and window.list_note.isVisibleTo(window)
    assert "no such song" in window.list_note.text()
    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        window.open_video(str(clip))
    assert window.list_note.isVisibleTo(window) and "matches" in window.list_note.text()


# -- 11: application shortcuts from the picks panel ---------------------------------------------------

def test_ctrl_e_exports_and_enter_stays_in_the_field(qtbot, window, media, monkeypatch):
    clip, _ = media
    analyse(qtbot, window, clip)
    window.table.selectRow(0)
    window.project_cmds.toggle_pick()
    exports, auditions = [], []
    monkeypatch.setattr(window.project_cmds, "export_dialog", lambda fmt, suffix: exports.append(fmt))
    monkeypatch.setattr(window.audition_cmds, "audition_selected", lambda: auditions.append(1))
    for action in window.findChildren(type(window.undo_action)):  # the menus hold bound methods made at start
        if action.text().startswith("Final Cut"):
            action.triggered.disconnect()
            action.triggered.connect(lambda _=False: window.project_cmds.export_dialog("fcpxml", "xml"))
        if action.text() == "Audition Selected Track":
            action.triggered.disconnect()
            action.triggered.connect(lambda _=False: window.audition_cmds.audition_selected())
    window.activateWindow()
    window.picks_panel.list.setCurrentRow(0)
    note = window.picks_panel.note
    note.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is note, timeout=2000)
    qtbot.keyClick(note, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert exports == ["fcpxml"]
    qtbot.keyClicks(note, "big")
    qtbot.keyClick(note, Qt.Key.Key_Return)
    assert auditions == [] and window.session.picks[window.picks_panel.current_key()].note == "big"
    qtbot.keyClick(note, Qt.Key.Key_P)  # P picks in the list; in the note it is a letter
    assert note.text() == "bigp" and len(window.session.picks) == 1


# -- 12: the small things an editor sees ---------------------------------------------------------------

def test_stop_clears_auditioning_and_stereo_stays_stereo(qtbot, window, tmp_path):
    from musicmatch_gui.audio import decode_for_audition

    t = np.arange(44_100) / 44_100
    stereo = np.stack([0.5 * np.sin(2 * np.pi * 440 * t), np.zeros_like(t)], axis=1).astype(np.float32)
    path = tmp_path / "left_only.wav"
    soundfile.write(path, stereo, 44_100)
    samples, rate = decode_for_audition(str(path))
    assert samples.shape == (44_100, 2) and rate == 44_100
    window.audition.load(samples, "left only")
    window.audition.play(0.0)
    block = window.streams[-1].pump()
    assert np.abs(block[:, 0]).max() > 0.3 and np.abs(block[:, 1]).max() == 0.0
    window.status("Auditioning left only from 00:00:00:00", 0)
    window.stop_all()
    assert "Auditioning" not in window.statusBar().currentMessage()


def test_error_lines_have_no_raw_codes_and_the_metric_box_shows_its_name(window):
    from musicmatch_gui.jobs import plain_message

    assert plain_message(OSError(1094995529, "Invalid data found when processing input")) == \
        "Invalid data found when processing input"
    box = window.controls.metric_box
    assert box.width() >= box.fontMetrics().horizontalAdvance("Euclidean") + 12


def test_the_first_frame_shows_before_play(qtbot, window, media):
    clip, _ = media
    analyse(qtbot, window, clip)
    qtbot.waitUntil(lambda: window.video.video_sink.videoFrame().isValid(), timeout=10_000)
    from PySide6.QtMultimedia import QMediaPlayer

    assert window.video_player.playbackState() != QMediaPlayer.PlaybackState.PlayingState


# -- 13: browse and audition without a clip -------------------------------------------------------------

def test_the_library_is_listed_and_auditions_before_any_clip(qtbot, window):
    assert window.session.recommendation is None
    assert window.proxy.rowCount() == len(window.library) == 40
    assert window.proxy.index(0, 1).data() == "Track 00" and window.proxy.index(0, 5).data() == ""
    assert "Browsing" in window.list_note.text()
    window.table.selectRow(2)
    window.audition_cmds.audition_selected()
    qtbot.waitUntil(lambda: window.audition.playing, timeout=10_000)
    assert np.abs(window.streams[-1].pump()).max() > 0.05


# -- jobs: the status bar tracks each; a new audition wins -----------------------------------------------

def test_cancel_cancels_the_job_shown_and_a_new_audition_cancels_the_old_decode(qtbot, window):
    import threading

    release = threading.Event()

    def slow(progress, cancel):
        while not release.wait(0.02):
            cancel.raise_if_cancelled()
        return None

    first = window.jobs.start("first", slow)
    second = window.jobs.start("second", slow)
    assert window.job_bar.shown_job() is first and "(+1 more)" in window.job_bar.label.text()
    window.job_bar.cancel_button.click()
    assert first.token.cancelled and not second.token.cancelled
    assert window.job_bar.shown_job() is second
    release.set()
    qtbot.waitUntil(lambda: not window.jobs.running(), timeout=10_000)
    assert window.job_bar.isHidden()
    played = []
    window.audition.load = lambda samples, name, rate=44_100: played.append(name)
    window.table.selectRow(0)
    window.audition_cmds.audition_selected()
    window.table.selectRow(1)
    window.audition_cmds.audition_selected()
    qtbot.waitUntil(lambda: not window.jobs.running(), timeout=20_000)
    assert played == [window.library.tracks[window._selected_row()].title]


# -- 15: help ---------------------------------------------------------------------------------------------

def test_f1_opens_the_guide_and_the_shortcuts_list_every_menu_shortcut(qtbot, window):
    from musicmatch_gui.help import HelpDialog

    window.activateWindow()
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialogs = [d for d in window.findChildren(HelpDialog) if d.isVisible()]
    assert dialogs and "Add Folder" in dialogs[0].browser.toPlainText()
    window.show_shortcuts()
    text = [d for d in window.findChildren(HelpDialog) if d.isVisible()][-1].browser.toPlainText()
    for keys in ("Ctrl+E", "Ctrl+Z", "Ctrl+S", "F1", "Ctrl+Q"):
        assert keys in text


# -- a newcomer's walk: after Add Folder and a restart, the window opens the editor's own library --------

def test_a_restart_opens_the_library_the_editor_added_folders_to(tmp_path):
    from core.library.db import LibraryDB, default_db_path
    from musicmatch_gui.app import library_at_start

    assert library_at_start(None, "") is None  # nothing added yet: the demo
    own = default_db_path()  # in this test's own data folder (XDG_DATA_HOME)
    own.parent.mkdir(parents=True, exist_ok=True)
    with LibraryDB(own):
        pass
    assert library_at_start(None, "") == str(own)
    chosen = tmp_path / "studio.sqlite"
    with LibraryDB(chosen):
        pass
    assert library_at_start(None, str(chosen)) == str(chosen)  # Preferences wins
    assert library_at_start(None, str(tmp_path / "gone.sqlite")) == str(own)
    assert library_at_start("given.sqlite", str(chosen)) == "given.sqlite"  # --db wins over both


def test_a_failed_autosave_is_said_in_plain_words(qtbot, window, media, monkeypatch):
    """Finding 12: status lines carried raw codes ("[Errno 28] No space left on device")."""
    clip, _ = media
    analyse(qtbot, window, clip)
    window.table.selectRow(0)
    window.project_cmds.toggle_pick()

    def full_disk(project, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("core.project.autosave", full_disk)
    window.project_cmds.autosave_now()
    message = window.statusBar().currentMessage()
    assert message == "Autosave failed: No space left on device"


def test_add_folder_starts_in_the_music_folder_not_the_working_folder(tmp_path, monkeypatch):
    """The walk's Add Folder dialog opened in the app's own source folder."""
    from musicmatch_gui.actions.library import music_folder

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_MUSIC_DIR", str(tmp_path / "Music"))
    assert music_folder() in (str(tmp_path), str(tmp_path / "Music"))
    (tmp_path / "Music").mkdir()
    assert music_folder() == str(tmp_path / "Music")
