"""The filter bar builds the TrackFilter its controls describe, in English and Chinese."""

from __future__ import annotations

import math

import pytest

pytest.importorskip("PySide6.QtWidgets")

from core.recommend.filters import TrackFacts, TrackFilter
from core.recommend.pairs import quadrant_labels
from core.recommend.prior import prior_pairs
from musicmatch_gui.widgets.filter_bar import TEXT, FilterBar


def test_controls_become_a_filter(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    assert not bar.track_filter().active  # nothing filtered until asked (no clip yet)
    with qtbot.waitSignal(bar.changed) as blocker:
        bar.bpm_on.setChecked(True)
    assert blocker.args[0].bpm == (80.0, 140.0)
    bar.bpm_low.setValue(150)  # the wrong way round: read as 140-150
    assert bar.track_filter().bpm == (140.0, 150.0)
    bar.key.setCurrentIndex(bar.key.findData("A minor"))
    bar.emotion.setCurrentIndex(bar.emotion.findData("calm"))
    bar.artist.setText("  ann ")
    track_filter = bar.track_filter()
    assert (track_filter.key, track_filter.emotion, track_filter.artist, track_filter.album) == \
        ("A minor", "calm", "ann", None)


def test_duration_starts_at_the_clip_and_picked_tracks_can_be_left_out(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_clip_length(42.5)
    assert bar.track_filter().duration_s == (42.5, math.inf)
    bar.duration_on.setChecked(True)
    bar.duration_low.setValue(10)
    bar.duration_high.setValue(300)
    assert bar.track_filter().duration_s == (42.5, 300.0)
    bar.at_least_clip.setChecked(False)
    assert bar.track_filter().duration_s == (10.0, 300.0)
    bar.set_picked(["/music/a.wav"], ["h1", ""])
    assert not bar.track_filter().exclude_paths
    bar.exclude_picked.setChecked(True)
    assert bar.track_filter().exclude_paths == {"/music/a.wav"} and bar.track_filter().exclude_hashes == {"h1"}
    signals = []
    bar.changed.connect(signals.append)
    bar.reset()
    assert len(signals) == 1 and signals[0].duration_s == (42.5, math.inf) and not signals[0].exclude_paths


def test_a_csv_library_greys_out_what_it_cannot_answer(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_clip_length(30.0)
    bar.bpm_on.setChecked(True)
    bar.artist.setText("x")
    bar.set_available(tempo=False, duration=False, key=False, tags=False)
    assert not bar.bpm_low.isEnabled() and not bar.key.isEnabled() and not bar.artist.isEnabled()
    assert "tempo" in bar.bpm_on.toolTip()
    track_filter = bar.track_filter()
    assert track_filter.bpm is None and track_filter.duration_s is None and track_filter.artist is None
    # What is left (mood, picked) still filters a CSV library without error.
    bar.emotion.setCurrentIndex(bar.emotion.findData("joyful"))
    music = prior_pairs(20, seed=1).music
    from core.match import TrackIndex

    keep = bar.track_filter().mask(TrackFacts.from_index(TrackIndex(music)))
    assert 0 < keep.sum() < 20
    assert keep.tolist() == [label == "joyful" for label in quadrant_labels(music)]


def test_chinese_labels(qtbot):
    bar = FilterBar(language="zh")
    qtbot.addWidget(bar)
    assert bar.exclude_picked.text() == "只看未选用的" and bar.reset_button.text() == "清除筛选"
    assert bar.emotion.itemText(bar.emotion.findData("sad")) == "悲伤"
    assert bar.key.itemText(bar.key.findData("A minor")) == "A 小调"
    assert set(TEXT["en"]) == set(TEXT["zh"])  # every English text has its Chinese one


def test_part_masks_are_the_filters_mask_and_follow_each_change():
    import numpy as np

    from core.match import TrackIndex
    from musicmatch_gui.widgets.filter_bar import PartMasks

    rng = np.random.default_rng(4)
    music = prior_pairs(60, seed=2).music
    facts = TrackFacts(music, rng.uniform(60, 180, 60), rng.uniform(10, 300, 60),
                       tuple(("A minor", "C major", None)[i % 3] for i in range(60)),
                       tuple(f"Artist {i % 5}" for i in range(60)), tuple(f"Album {i % 7}" for i in range(60)),
                       tuple(f"/m/{i}.wav" for i in range(60)), tuple(f"h{i}" for i in range(60)))
    masks = PartMasks()
    filters = [TrackFilter(bpm=(90.0, 150.0)), TrackFilter(bpm=(90.0, 150.0), key="minor"),
               TrackFilter(bpm=(100.0, 150.0), key="minor", emotion="calm"),
               TrackFilter(duration_s=(30.0, math.inf), artist="artist 2", album="album 3"),
               TrackFilter(key="A minor", exclude_rows=frozenset({0, 3, 6})),
               TrackFilter(exclude_paths=frozenset({"/m/1.wav"}), exclude_hashes=frozenset({"h2"}))]
    for track_filter in filters + filters[::-1]:  # fresh, then from kept parts
        assert np.array_equal(masks.mask(track_filter, facts), track_filter.mask(facts)), track_filter
    other = TrackFacts.from_index(TrackIndex(music))  # another library: nothing kept from the first
    assert masks.mask(TrackFilter(emotion="sad"), other).tolist() == [
        label == "sad" for label in quadrant_labels(music)]
