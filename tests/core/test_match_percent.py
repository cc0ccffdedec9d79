"""The window's Match % (core.match.match_percent): a fixed function of the distance and the settings."""

from __future__ import annotations

import numpy as np
import pytest

from core.features import MUSIC
from core.match import MatchSettings, TrackIndex, match_percent


def test_a_tracks_score_does_not_depend_on_top_k_or_library_size(rng):
    lows = np.array([d.low for d in MUSIC])
    highs = np.array([d.high for d in MUSIC])
    library = rng.uniform(lows, highs, size=(300, len(MUSIC)))
    target = rng.uniform(lows, highs)
    scores = {}
    for n, k in ((300, 25), (300, 100), (60, 10)):
        settings = MatchSettings.create(top_k=k)
        result = TrackIndex(library[:n]).rank(target, settings)
        for row, distance in zip(result.indices, result.distances, strict=True):
            scores.setdefault(int(row), set()).add(round(float(match_percent(distance, settings)), 9))
    assert all(len(values) == 1 for values in scores.values())


def test_documented_values():
    euclid = MatchSettings.create(dims="va")  # two dimensions, weights 1
    one_unit_each = np.sqrt(2.0)  # one standard unit off on both
    assert match_percent(0.0, euclid) == 100.0
    assert match_percent(one_unit_each, euclid) == pytest.approx(100 * np.exp(-0.5))  # 61
    assert match_percent(one_unit_each / 2, euclid) == pytest.approx(88.25, abs=0.01)
    weighted = MatchSettings.create(dims="va", weights={"arousal": 3.0, "valence": 1.0})
    assert match_percent(2.0, weighted) == pytest.approx(100 * np.exp(-0.5))  # r = 2 / sqrt(4)
    cosine = MatchSettings.create(metric="cosine")
    assert [match_percent(d, cosine) for d in (0.0, 1.0, 2.0)] == [100.0, 50.0, 0.0]
    many = match_percent(np.array([0.0, 1.0]), cosine)
    assert many.shape == (2,) and many[1] == 50.0


def test_closer_is_never_lower():
    settings = MatchSettings.create()
    scores = match_percent(np.linspace(0, 20, 200), settings)
    assert np.all(np.diff(scores) <= 0) and scores[-1] >= 0
