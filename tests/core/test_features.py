from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.errors import InputError
from core.features import (
    MUSIC,
    SCHEMA_VERSION,
    VIDEO,
    MusicFeatures,
    VideoFeatures,
    parse_number,
    parse_vector,
)

# SPEC.md §2, copied here on purpose: the test fails if the code drifts from the contract.
SPEC_VIDEO = [
    ("character_tension", "人物张力", 0, 100),
    ("scene_tension", "场景张力", 0, 100),
    ("narrative_pace", "叙事节奏", 0, 100),
    ("narrative_content", "叙事内容", 0, 100),
    ("image_affinity", "形象亲缘", -100, 100),
    ("action_energy", "动作能量", 0, 100),
    ("color_heaviness", "色彩轻重", 0, 1),
    ("color_warmth", "色彩冷暖", 0, 1),
    ("motion_amplitude", "动作幅度", 0, 1),
    ("visual_arousal", "画面唤醒度", 0, 100),
    ("visual_valence", "画面效价", -100, 100),
]
SPEC_MUSIC = [
    ("richness", "Richness", -10, 10),
    ("variation", "Variation", -10, 10),
    ("rhythm", "Rhythm", -10, 10),
    ("warmth", "Warmth", -10, 10),
    ("harmony", "Harmony", -10, 10),
    ("brightness", "brightness_score", 0, 100),
    ("melody_trend", "Melody Trend Score", 0, 100),
    ("rhythm_speed", "Rhythm speed score", 0, 100),
    ("arousal", "音乐唤醒度", 0, 100),
    ("valence", "音乐效价", -100, 100),
]


def test_video_space_matches_spec():
    assert [(d.id, d.label_zh, d.low, d.high) for d in VIDEO] == SPEC_VIDEO
    assert VIDEO.va_ids == ("visual_arousal", "visual_valence")


def test_music_space_matches_spec():
    assert [(d.id, d.seed_name, d.low, d.high) for d in MUSIC] == SPEC_MUSIC
    assert MUSIC.va_ids == ("arousal", "valence")


def test_every_dimension_is_documented_in_both_languages():
    for dim in (*VIDEO, *MUSIC):
        assert dim.label_en and dim.label_zh and dim.label_en != dim.label_zh
        assert dim.definition.endswith(".") and len(dim.definition) > 30
        assert dim.label("zh_CN") == dim.label_zh and dim.label("en") == dim.label_en
    assert isinstance(SCHEMA_VERSION, int) and SCHEMA_VERSION >= 1


def test_dataclass_fields_follow_the_space_order():
    assert tuple(f.name for f in dataclasses.fields(VideoFeatures)) == VIDEO.ids == VideoFeatures.NAMES
    assert tuple(f.name for f in dataclasses.fields(MusicFeatures)) == MUSIC.ids == MusicFeatures.NAMES


def test_standardisation_constants_map_the_range_to_unit():
    assert MUSIC["brightness"].center == 50 and MUSIC["brightness"].scale == 50
    assert MUSIC["valence"].center == 0 and MUSIC["valence"].scale == 100
    assert VIDEO["color_warmth"].center == 0.5 and VIDEO["color_warmth"].scale == 0.5
    low = np.array([d.low for d in MUSIC])
    high = np.array([d.high for d in MUSIC])
    np.testing.assert_allclose((low - MUSIC.centers) / MUSIC.scales, -1)
    np.testing.assert_allclose((high - MUSIC.centers) / MUSIC.scales, 1)
    with pytest.raises(ValueError):
        MUSIC.scales[0] = 3  # read-only: nobody can recalibrate by accident


def test_vector_round_trips():
    values = np.arange(10, dtype=float) - 4.5
    music = MusicFeatures.from_array(values)
    assert music.arousal == 3.5 and music.richness == -4.5
    np.testing.assert_array_equal(music.to_array(), values)
    assert MusicFeatures.from_dict(music.to_dict()) == music
    video = VideoFeatures.from_array(np.linspace(0, 1, 11))
    assert video.visual_valence == 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        music.arousal = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (np.zeros(9), "must have 10 music values"),
        (np.zeros((2, 10)), "must have 10 music values"),
        ([0, 0, 0, 0, 0, 0, 0, 0, float("nan"), 0], "non-finite value for 'arousal'"),
        ([0, 0, 0, 0, 0, float("inf"), 0, 0, 0, 0], "non-finite value for 'brightness'"),
    ],
)
def test_from_array_rejects_bad_vectors(values, message):
    with pytest.raises(InputError, match=message):
        MusicFeatures.from_array(values)


def test_from_dict_names_missing_and_unknown_ids():
    values = {d: 0.0 for d in MUSIC.ids}
    del values["warmth"]
    values["loudness"] = 3
    with pytest.raises(InputError, match="missing warmth; unknown loudness"):
        MusicFeatures.from_dict(values)


def test_selection():
    assert MUSIC.select("all") == MUSIC.ids
    assert MUSIC.select(None) == MUSIC.ids
    assert MUSIC.select("va") == ("arousal", "valence")
    assert MUSIC.select("VA") == ("arousal", "valence")
    assert VIDEO.select("va") == ("visual_arousal", "visual_valence")
    # vector order, not the order given; duplicates collapse
    assert MUSIC.select("valence, richness,valence") == ("richness", "valence")
    assert MUSIC.select(["tempo" if False else "brightness", "va"]) == ("brightness", "arousal", "valence")
    with pytest.raises(InputError, match="unknown music dimension 'tempo'"):
        MUSIC.select("tempo")
    with pytest.raises(InputError, match="empty"):
        MUSIC.select("arousal,,valence")
    with pytest.raises(InputError, match="empty"):
        MUSIC.select("")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-5.52,-3.58,1,2,3,4,5,6,7,8", [-5.52, -3.58, 1, 2, 3, 4, 5, 6, 7, 8]),
        (" [1e1, +2, .5, 3., 0, 0, 0, 0, 0, -0.0] ", [10, 2, 0.5, 3, 0, 0, 0, 0, 0, 0]),
    ],
)
def test_parse_vector(text, expected):
    np.testing.assert_array_equal(parse_vector(text, MUSIC), expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,2,3", "must be 10 comma-separated numbers"),
        ("", "got 0"),
        ("1,2,3,4,5,6,7,8,9,x", r"value 10 \(valence\) is not a number: 'x'"),
        ("1,2,3,4,nan,6,7,8,9,10", r"value 5 \(harmony\) is not a number"),
        ("1,2,3,4,5,6,7,8,1e999,10", r"value 9 \(arousal\) is not finite"),
        ("1,2,3,4,5,6,7,8,9,", r"value 10 \(valence\) is not a number: ''"),
    ],
)
def test_parse_vector_errors(text, message):
    with pytest.raises(InputError, match=message):
        parse_vector(text, MUSIC)


def test_parse_number():
    assert parse_number(" -5.52 ") == -5.52
    assert parse_number("1_000") is None
    assert parse_number("inf") is None
    assert parse_number("-5,52") is None
    assert parse_number("-5,52", decimal_comma=True) == -5.52
    assert parse_number("1,000.5", decimal_comma=True) is None


def test_normalise_for_charts():
    assert MUSIC["valence"].normalise(0) == 0.5
    assert MUSIC["valence"].normalise(-250) == 0.0
    assert VIDEO["color_warmth"].normalise(0.97) == pytest.approx(0.97)
