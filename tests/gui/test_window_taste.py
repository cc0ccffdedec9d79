"""The editor's taste in the window: the filter bar, More Like This, Learn From My Picks, profiles, reasons.

The library is the generated one of ``conftest.py`` (40 tracks, tempo 90 + i BPM, length
5 + i % 4 s, music vectors from the written prior); the picks for learning come from the
simulated editors of :mod:`core.recommend.editors`, whose taste is known.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.features import MUSIC, VIDEO
from core.project import Pick, Project, VideoRef, save_project
from core.recommend.editors import EDITORS, editor_picks
from tests.gui.conftest import analyse


def _by_row(window) -> dict[int, tuple[float, float]]:
    """Library row -> (distance, Match %) of every row the model holds."""
    model = window.results
    return {int(model.order[i]): (float(model.result.distances[i]), float(model.percent[i]))
            for i in range(model.rowCount())}


def _listed(window) -> list[int]:
    """Library rows the list shows, top first."""
    proxy = window.proxy
    return [window.results.library_row(proxy.mapToSource(proxy.index(r, 0)).row()) for r in range(proxy.rowCount())]


def _write_picks(folder, pairs) -> None:
    """One project per pick (its own video), as an editor's past work would be."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(len(pairs)):
        video = dict(zip(VIDEO.ids, (float(v) for v in pairs.video[n]), strict=True))
        music = dict(zip(MUSIC.ids, (float(v) for v in pairs.music[n]), strict=True))
        save_project(Project(video=VideoRef(path=f"/clips/{n}.mp4", content_hash=f"v{n}", duration_s=30.0,
                                            features=video),
                             picks=[Pick(track_path=f"/music/{n}.wav", content_hash=f"m{n}", features=music)]),
                     folder / f"cut_{n:02d}.mmproj")


# -- filters ---------------------------------------------------------------------------------------


def test_filters_choose_rows_and_never_change_a_distance(qtbot, window, media):
    clip, _ = media
    analyse(qtbot, window, clip)
    window.controls.top_k.setValue(40)
    unfiltered = _by_row(window)
    assert len(unfiltered) == 40  # every track is longer than the 4-s clip: "at least the clip" keeps all
    bar = window.filter_bar
    bar.bpm_low.setValue(100)
    bar.bpm_high.setValue(110)
    bar.bpm_on.setChecked(True)
    listed = _listed(window)
    assert sorted(listed) == list(range(10, 21))  # tempo 90 + i within 100-110
    for row, (distance, percent) in _by_row(window).items():
        assert (distance, percent) == unfiltered[row]  # bit for bit the unfiltered distance and Match %
    assert [unfiltered[r][0] for r in listed] == sorted(unfiltered[r][0] for r in listed)
    window.filter.setText("track 2")  # the text box searches within what the filters keep
    assert _listed(window) == [20]
    window.filter.clear()

    bar.duration_on.setChecked(True)  # 0-600 s, and at least the clip's 4 s
    bar.duration_low.setValue(6)
    bar.duration_high.setValue(6)
    assert sorted(_listed(window)) == [r for r in range(10, 21) if 5 + r % 4 == 6]

    bar.bpm_low.setValue(250)
    bar.bpm_high.setValue(300)
    assert window.proxy.rowCount() == 0
    note = window.list_note.text()
    assert window.list_note.isVisible() and "hide all 40 tracks" in note and "loosen BPM" in note

    bar.reset()
    assert len(_listed(window)) == 40 and not window.list_note.isVisible()


def test_exclude_picked_hides_the_projects_picks_and_the_settings_are_remembered(qtbot, window, media, make_window):
    clip, _ = media
    analyse(qtbot, window, clip)
    first = _listed(window)[0]
    window._select_library_row(first)
    window.project_cmds.toggle_pick()
    assert first in window.session.picks
    before = _by_row(window)
    window.filter_bar.exclude_picked.setChecked(True)
    assert first not in _listed(window)
    for row, figures in _by_row(window).items():
        assert figures == before[row]
    window.filter_bar.emotion.setCurrentIndex(window.filter_bar.emotion.findData("calm"))

    again = make_window()  # the next session starts with the same filters
    assert again.filter_bar.exclude_picked.isChecked()
    assert again.filter_bar.track_filter().emotion == "calm"


# -- more like this ------------------------------------------------------------------------------


def test_more_like_this_puts_the_track_first_and_the_slider_blends_the_targets(qtbot, window, media):
    clip, _ = media
    analyse(qtbot, window, clip)
    clip_target = window.session.target.copy()
    liked = _listed(window)[7]
    window._select_library_row(liked)
    window.more_like_selected()
    chip = window.like_chip
    assert chip.isVisible() and "Track" in chip.label.text() and chip.slider.isVisible()
    chip.slider.setValue(chip.STEPS)  # the track alone
    assert _listed(window)[0] == liked and window.results.result.distances[0] == 0.0
    features = window.library.index.features[liked]
    chip.slider.setValue(0)  # the clip alone: the clip's own ranking
    assert np.allclose(window.taste.target(window.session.target), clip_target)
    assert _listed(window)[0] != liked or np.allclose(features, clip_target)
    chip.slider.setValue(chip.STEPS // 4)
    expected = 0.75 * clip_target + 0.25 * features
    assert np.allclose(window.taste.target(window.session.target), expected)
    ranked = window.library.index.rank(expected)
    assert _listed(window)[:5] == [int(i) for i in ranked.indices[:5]]
    chip.back.click()
    assert not chip.isVisible() and window.taste.like_row is None
    assert np.allclose(window.taste.target(window.session.target), clip_target)
    window.taste.like(liked)
    window.project_cmds.new_session()  # File > New: no clip, so no blend to offer; the liked track alone
    assert not chip.slider.isVisible() and _listed(window)[0] == liked


def test_more_like_this_without_a_clip_browses_by_similarity_and_works_from_the_picks(qtbot, window):
    assert window.session.target is None and window.results.result is None
    window.taste.like(12)
    assert window.like_chip.isVisible() and not window.like_chip.slider.isVisible()
    assert _listed(window)[0] == 12 and window.results.result.distances[0] == 0.0
    window.like_chip.back.click()
    assert window.results.result is None  # the library in its own order again
    window._select_library_row(3)
    window.project_cmds.toggle_pick()
    window.picks_panel.list.setCurrentRow(0)
    window.picks_panel.like_current()
    assert window.taste.like_row == 3 and _listed(window)[0] == 3


# -- reasons in words ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh"])
def test_reason_tooltips_follow_the_window_language(qtbot, media, make_window, language):
    from PySide6.QtCore import Qt

    from core.recommend.reasons import explain

    clip, db_path = media
    win = make_window(language=language)
    win.show()
    win.library_cmds.open_library(str(db_path))
    qtbot.waitUntil(lambda: win.library is not None, timeout=10_000)
    analyse(qtbot, win, clip)
    model = win.results
    for row in range(3):
        tip = model.data(model.index(row, 1), Qt.ItemDataRole.ToolTipRole)
        library_row = model.library_row(row)
        shares = dict(zip(model.result.settings.dims, model.result.shares[row], strict=True))
        expected = explain(win.session.target, win.library.index.features[library_row], shares,
                           video=win.session.recommendation.analysis.features.to_array(), language=language)
        assert expected and expected in tip
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in model.reason_text(0))
    assert chinese == (language == "zh")


# -- learn from my picks -------------------------------------------------------------------------


def test_learning_from_4_picks_is_refused_with_a_clear_message(qtbot, window, tmp_path):
    _write_picks(tmp_path / "few", editor_picks("warm-dark", 4, seed=1))
    model = window.model
    window.taste.learn_from_picks([str(tmp_path / "few")])
    qtbot.waitUntil(lambda: "at least 5" in window.statusBar().currentMessage(), timeout=60_000)
    assert "4 usable picks" in window.statusBar().currentMessage()
    assert window.model is model and window.taste.learn_dialog is None


def test_a_differing_editor_gets_an_adapted_profile_and_the_ranking_moves_toward_the_picks(qtbot, window, media,
                                                                                            tmp_path):
    clip, _ = media
    analyse(qtbot, window, clip)
    base_target = window.session.target.copy()
    _write_picks(tmp_path / "picks", editor_picks("warm-dark", 12, seed=3))
    # Two picks it cannot learn from: a project whose clip was never analysed, and the same pick twice.
    save_project(Project(video=VideoRef(path="/clips/unseen.mp4"), picks=[Pick(track_path="/music/x.wav")]),
                 tmp_path / "picks" / "unanalysed.mmproj")
    (tmp_path / "picks" / "copy.mmproj").write_bytes((tmp_path / "picks" / "cut_00.mmproj").read_bytes())
    window.taste.learn_from_picks([str(tmp_path / "picks")])
    qtbot.waitUntil(lambda: window.taste.learn_dialog is not None, timeout=120_000)
    dialog = window.taste.learn_dialog
    report = dialog.report
    assert report.accepted and dialog.use_button.isEnabled()
    assert report.adapted.recall_at["3"] >= report.base.recall_at["3"]
    assert report.adapted.median_rank <= report.base.median_rank
    # The dialog shows the same leave-one-out figures, base then adapted.
    assert dialog.figures.item(1, 0).text() == f"{report.base.recall_at['3']:.2f}"
    assert dialog.figures.item(3, 1).text() == f"{report.adapted.median_rank:g}"
    assert "leave-one-out over 12 picks" in dialog.summary.text() and "12 picks" in dialog.summary.text()
    assert any("not in the library" in note for note in report.warnings)  # the picks' tracks are elsewhere
    notes = dialog.notes.text()
    assert dialog.notes.isVisible() and "1 pick left out: their project's video was never analysed" in notes
    assert "1 pick left out: the same track was picked for the same video more than once" in notes
    dialog.name.setText("Anna")
    dialog.use_button.click()
    assert window.taste.store.active_name() == "Anna" and window.session.model_name == "Anna"
    assert "Anna" in window.profile_label.text()
    # The clip's new target lies nearer what this editor would pick for it.
    video = window.session.recommendation.analysis.features.to_array()[None]
    wanted = (EDITORS["warm-dark"].taste(video)[0] - MUSIC.centers) / MUSIC.scales
    gap_before = np.linalg.norm((base_target - MUSIC.centers) / MUSIC.scales - wanted)
    gap_after = np.linalg.norm((window.session.target - MUSIC.centers) / MUSIC.scales - wanted)
    assert gap_after < 0.8 * gap_before, (gap_before, gap_after)


def test_an_agreeing_editor_keeps_the_base_or_gets_a_model_no_worse(qtbot, window, tmp_path):
    _write_picks(tmp_path / "picks", editor_picks("agreeing", 10, seed=5))
    window.taste.learn_from_picks([str(tmp_path / "picks")])
    qtbot.waitUntil(lambda: window.taste.learn_dialog is not None, timeout=120_000)
    dialog = window.taste.learn_dialog
    report = dialog.report
    if report.accepted:
        assert report.adapted.recall_at["3"] >= report.base.recall_at["3"]
        assert report.adapted.median_rank <= report.base.median_rank
    else:  # refused: no way to use it, and the dialog says why
        assert not dialog.use_button.isEnabled() and dialog.verdict.text().startswith("Not used")
    model = window.model
    dialog.keep_button.click()
    assert window.model is model and window.taste.store.active_name() is None


def test_a_model_worse_than_its_base_is_refused_and_cannot_be_used(qtbot, window):
    from core.recommend.taste import LearnReport, _verdict
    from core.recommend.training import Evaluation

    # The core's verdict on figures where the adapted model ranks held-out picks lower than its base.
    base = Evaluation({"1": 0.5, "3": 0.8, "5": 0.9}, 2.0, 10, 0.40)
    adapted = Evaluation({"1": 0.3, "3": 0.6, "5": 0.9}, 3.0, 10, 0.55)
    accepted, reason = _verdict(base, adapted)
    assert not accepted
    model = window.model
    candidate = type(model)(model.net, model.params, model.input_mean, model.input_std, model.labels,
                            {"training_data": {"rows": 10}})
    window.taste.show_learned(LearnReport(candidate, base, adapted, "leave-one-out over 10 picks", accepted, reason),
                              "default")
    dialog = window.taste.learn_dialog
    assert not dialog.use_button.isEnabled() and not dialog.name.isEnabled()
    assert dialog.verdict.text().startswith("Not used") and "the base is kept" in dialog.verdict.text()
    assert dialog.figures.item(1, 0).text() == "0.80" and dialog.figures.item(1, 1).text() == "0.60"
    window.taste.use_learned(dialog.report, "Nope")  # even asked directly, it is not used
    assert window.model is model and "Nope" not in window.taste.store.names()
    assert "not used" in window.statusBar().currentMessage()


# -- profiles --------------------------------------------------------------------------------------


def test_profiles_switch_rename_and_survive_a_restart(qtbot, window, make_window, monkeypatch):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    taste = window.taste
    assert "shipped model" in window.profile_label.text()
    answers = iter([("Show 2", True), ("Trailers", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: next(answers))
    taste.new_profile()
    assert taste.store.active_name() == "Show 2" and window.session.model_name == "Show 2"
    # Through the menu, as the editor does (a direct call once hid that Qt passed `checked` as the name).
    rename = next(act for act in window.findChildren(QAction) if act.text() == "Re&name Profile...")
    rename.trigger()
    assert taste.store.names() == ["Trailers"] and "Trailers" in window.profile_label.text()

    taste.fill_profile_menu()
    items = {act.data(): act for act in taste.profile_menu.actions()}
    assert items["Trailers"].isChecked() and not items[None].isChecked()
    shipped_model = window.model
    items[None].trigger()
    qtbot.waitUntil(lambda: window.session.model_name == "default", timeout=30_000)
    assert taste.store.active_name() is None and "shipped model" in window.profile_label.text()
    taste.switch_profile("Trailers")
    qtbot.waitUntil(lambda: window.session.model_name == "Trailers", timeout=30_000)
    assert window.model is not shipped_model and window.model.info.get("profile") == "Trailers"

    restarted = make_window(model=None)  # a new start: the profile in use is loaded, and named
    restarted.load_model()
    qtbot.waitUntil(lambda: restarted.model is not None, timeout=30_000)
    assert restarted.model.info.get("profile") == "Trailers"
    assert "Trailers" in restarted.profile_label.text() and restarted.session.model_name == "Trailers"

    taste.show_card()
    assert "Trailers" in taste.card_dialog.text.toPlainText()
    taste.fill_card_menu()
    cards = {act.data(): act for act in taste.card_menu.actions()}
    assert set(cards) == {None, "Trailers"}
    cards[None].trigger()
    assert "Picks" not in taste.card_dialog.text.toPlainText()  # the shipped model's card, not a profile's
    cards["Trailers"].trigger()
    assert "taste profile: Trailers" in taste.card_dialog.text.toPlainText()
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    taste.delete_profile()
    qtbot.waitUntil(lambda: window.session.model_name == "default", timeout=30_000)
    assert taste.store.names() == [] and "shipped model" in window.profile_label.text()


def test_the_filter_bar_follows_the_language_and_greys_out_what_the_library_does_not_know(qtbot, window):
    bar = window.filter_bar
    assert not bar.key.isEnabled() and "key" in bar.key.toolTip()  # no track of the test library has a key
    assert bar.bpm_on.isEnabled() and bar.duration_on.isEnabled()
    bar.emotion.setCurrentIndex(bar.emotion.findData("sad"))
    window.apply_preferences("cpu", "zh")
    assert bar.exclude_picked.text() == "只看未选用的" and bar.emotion.currentText() == "悲伤"
    assert bar.key.itemText(bar.key.findData("A minor")) == "A 小调" and "调性" in bar.key.toolTip()
    assert bar.track_filter().emotion == "sad"  # relabelled, not reset
    window.apply_preferences("cpu", "en")
    assert bar.emotion.currentText() == "Sad"


def test_learning_runs_as_a_job_that_cancel_stops(qtbot, window, tmp_path):
    _write_picks(tmp_path / "picks", editor_picks("counterpoint", 40, seed=9))
    model = window.model
    job = window.taste.learn_from_picks([str(tmp_path / "picks")])
    assert job is not None and job.title in window.job_titles()
    job.cancel()
    qtbot.waitUntil(lambda: "Learning cancelled" in window.statusBar().currentMessage(), timeout=60_000)
    assert window.model is model and window.taste.learn_dialog is None
