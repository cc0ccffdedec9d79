"""Finding 1 and 14 of issue #13: no pick is lost without a question, and every pick edit can be undone."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtMultimedia")

from PySide6.QtWidgets import QMessageBox

from core.project import autosave_path, load_project, recover
from tests.gui.conftest import analyse

Button = QMessageBox.StandardButton


@pytest.fixture
def answers(monkeypatch):
    """Script the unsaved-changes question: push the buttons to press; the questions asked are recorded."""
    script, asked = [], []

    def question(parent, title, text, *args):
        asked.append(text)
        return script.pop(0) if script else Button.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    return script, asked


def _pick_first(window):
    window.table.selectRow(0)
    window.project_cmds.toggle_pick()
    return window._selected_row()


def _saved_project_with_one_pick(qtbot, window, clip, tmp_path):
    analyse(qtbot, window, clip)
    _pick_first(window)
    path = tmp_path / "cut.mmproj"
    assert window.project_cmds.write_project(str(path))
    return path


def test_a_failed_open_keeps_the_picks(qtbot, window, media, tmp_path, answers):
    clip, _ = media
    path = _saved_project_with_one_pick(qtbot, window, clip, tmp_path)
    window.table.selectRow(1)
    window.project_cmds.toggle_pick()  # a second pick, not saved yet
    assert len(window.session.picks) == 2 and window.project_cmds.is_modified()
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    assert not window.open_video(str(empty))
    assert len(window.session.picks) == 2 and window.session.project_path == str(path)
    assert window.session.recommendation is not None and window.project_cmds.is_modified()
    assert not answers[1], "a file that cannot open is refused before any question"


def test_opening_another_clip_asks_and_cancel_keeps_everything(qtbot, window, media, answers):
    clip, _ = media
    analyse(qtbot, window, clip)
    _pick_first(window)
    script, asked = answers
    script.append(Button.Cancel)
    assert not window.open_video(str(clip))
    assert len(asked) == 1 and "unsaved changes" in asked[0]
    assert len(window.session.picks) == 1


def test_save_from_the_question_writes_the_picks_before_opening(qtbot, window, media, tmp_path, answers):
    clip, _ = media
    path = _saved_project_with_one_pick(qtbot, window, clip, tmp_path)
    window.table.selectRow(2)
    window.project_cmds.toggle_pick()
    answers[0].append(Button.Save)
    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        assert window.open_video(str(clip))
    assert len(load_project(path).picks) == 2
    assert not window.session.picks and not window.project_cmds.is_modified()


def test_the_autosave_follows_each_new_pick(qtbot, window, media, tmp_path):
    clip, _ = media
    path = _saved_project_with_one_pick(qtbot, window, clip, tmp_path)
    window.table.selectRow(3)
    window.project_cmds.toggle_pick()
    qtbot.waitUntil(lambda: autosave_path(path).is_file(), timeout=10_000)
    assert len(load_project(autosave_path(path)).picks) == 2


def test_quit_with_unsaved_changes_asks_and_cancel_stays(qtbot, window, media, answers):
    clip, _ = media
    analyse(qtbot, window, clip)
    _pick_first(window)
    answers[0].append(Button.Cancel)
    assert not window.close()
    assert window.isVisible() and len(window.session.picks) == 1


def test_a_normal_close_leaves_no_recovery_offer(qtbot, window, media, tmp_path, answers):
    clip, _ = media
    path = _saved_project_with_one_pick(qtbot, window, clip, tmp_path)
    window.table.selectRow(4)
    window.project_cmds.toggle_pick()
    window.project_cmds.autosave_now()
    assert recover(path) is not None  # what a crash now would leave
    answers[0].append(Button.Discard)
    assert window.close()
    assert recover(path) is None and not autosave_path(path).exists()


def test_the_title_bar_marks_unsaved_changes(qtbot, window, media, tmp_path):
    clip, _ = media
    analyse(qtbot, window, clip)
    assert "[*]" in window.windowTitle() and not window.isWindowModified()
    _pick_first(window)
    assert window.isWindowModified()
    assert window.project_cmds.write_project(str(tmp_path / "t.mmproj"))
    assert not window.isWindowModified() and window.windowTitle().startswith("t.mmproj")


def test_pick_note_rating_and_start_undo_and_redo(qtbot, window, media):
    clip, _ = media
    analyse(qtbot, window, clip)
    row = _pick_first(window)
    panel = window.picks_panel
    panel.list.setCurrentRow(0)
    panel.note.setText("under the reveal")
    panel.note.editingFinished.emit()
    panel.rating.setValue(3)
    panel.rating.setValue(4)  # one step: consecutive rating changes merge
    panel.placement.setValue(1.5)
    panel.placement.editingFinished.emit()
    pick = window.session.picks[row]
    assert (pick.note, pick.rating, pick.placement_s) == ("under the reveal", 4, 1.5)
    stack = window.undo_stack
    stack.undo()
    assert window.session.picks[row].placement_s == 0.0
    stack.undo()
    assert window.session.picks[row].rating == 0
    stack.undo()
    assert window.session.picks[row].note == ""
    stack.undo()
    assert row not in window.session.picks and window.picks_panel.list.count() == 0
    assert not window.project_cmds.is_modified()  # back where the clip was opened
    for _ in range(4):
        stack.redo()
    assert window.session.picks[row].note == "under the reveal" and window.session.picks[row].placement_s == 1.5
    assert window.undo_action.shortcut().matches(window.undo_action.shortcut()) and window.project_cmds.is_modified()


def test_ctrl_z_undoes_from_the_keyboard(qtbot, window, media):
    from PySide6.QtCore import Qt

    clip, _ = media
    analyse(qtbot, window, clip)
    _pick_first(window)
    window.activateWindow()
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not window.session.picks


def test_a_project_opened_while_the_recommender_loads_keeps_its_picks(qtbot, make_window, media, tmp_path,
                                                                      recommender):
    """``musicmatch gui --project X`` opens the project before the model has loaded; its picks must still come back."""
    clip, db_path = media
    first = make_window()
    first.library_cmds.open_library(str(db_path))
    qtbot.waitUntil(lambda: first.library is not None, timeout=10_000)
    path = _saved_project_with_one_pick(qtbot, first, clip, tmp_path)

    window = make_window(model=None)
    window.library_cmds.open_library(str(db_path))
    qtbot.waitUntil(lambda: window.library is not None, timeout=10_000)
    window.project_cmds.open_project(str(path))  # the clip waits for the recommender
    assert window.session.recommendation is None
    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        window._model_loaded(recommender)
    assert len(window.session.picks) == 1 and window.session.project_path == str(path)
    assert not window.project_cmds.is_modified()


def _own_clip(media, tmp_path):
    """A copy of the clip in the test's folder: its recovery copy lies beside it, apart from other tests'."""
    import shutil

    clip, _ = media
    return Path(shutil.copy(clip, tmp_path / "clip.mp4"))


def _crash_with_one_unsaved_pick(qtbot, window, clip):
    """Pick a track in a session never saved and write its recovery copy, then "crash" (no normal close)."""
    analyse(qtbot, window, clip)
    _pick_first(window)
    window.project_cmds.autosave_now()
    window._autosave_soon.stop()  # a crashed window writes no more
    window._autosave_timer.stop()
    copy = autosave_path(clip.with_suffix(".mmproj"))
    assert copy.is_file() and not clip.with_suffix(".mmproj").exists()
    return copy


def _fresh_window(qtbot, make_window, db_path):
    window = make_window()
    window.library_cmds.open_library(str(db_path))
    qtbot.waitUntil(lambda: window.library is not None, timeout=10_000)
    return window


def test_opening_the_clip_offers_the_picks_of_a_session_never_saved(qtbot, window, make_window, media, tmp_path,
                                                                   answers):
    clip = _own_clip(media, tmp_path)
    copy = _crash_with_one_unsaved_pick(qtbot, window, clip)
    fresh = _fresh_window(qtbot, make_window, media[1])
    script, asked = answers
    script.append(Button.Yes)
    analyse(qtbot, fresh, clip)
    assert len(asked) == 1 and "did not close normally" in asked[0]
    assert len(fresh.session.picks) == 1 and fresh.project_cmds.is_modified()
    assert fresh.session.project_path is None  # never saved: Save still asks for a name
    assert copy.is_file()  # still the recovery copy until the picks are saved


def test_declining_the_recovery_of_a_session_never_saved_removes_the_copy(qtbot, window, make_window, media,
                                                                          tmp_path, answers):
    clip = _own_clip(media, tmp_path)
    copy = _crash_with_one_unsaved_pick(qtbot, window, clip)
    fresh = _fresh_window(qtbot, make_window, media[1])
    answers[0].append(Button.No)
    analyse(qtbot, fresh, clip)
    assert not fresh.session.picks and not fresh.project_cmds.is_modified()
    assert not copy.exists()


def test_save_as_a_new_name_then_quit_leaves_no_recovery_copy(qtbot, window, media, tmp_path):
    clip = _own_clip(media, tmp_path)
    copy = _crash_with_one_unsaved_pick(qtbot, window, clip)
    named = tmp_path / "final cut.mmproj"
    assert window.project_cmds.write_project(str(named))
    assert window.close()
    assert not copy.exists() and not autosave_path(named).exists()
