"""Simulated editors: picks generated from a known taste, the ground truth for learning tests and benchmarks.

Each editor maps a video vector to the music they would pick, in feature units, and
adds Gaussian noise (a share of each music feature's range: many tracks fit a picture,
and an editor does not always pick the same kind). Their taste is written relative to
the written congruence prior (:func:`core.recommend.prior.prior_target`), on which the
shipped model was trained:

* ``agreeing``: the prior itself;
* ``counterpoint``: calm, slow, loosely pulsed music on busy pictures and the reverse
  (arousal, rhythm speed and rhythm mirrored within their ranges);
* ``warm-dark``: warmer, darker, sadder music than the prior everywhere (offsets);
* ``colour-tempo``: tempo and energy follow the picture's colour warmth rather than its
  pace (a dependence the prior does not have);
* ``threshold``: energetic music only above a visual arousal of 60, calm below (a
  step the prior's smooth rules do not have);
* ``noisy``: agrees with the prior, but with three times the spread of picks;
* ``noisy-warm-dark``: ``warm-dark`` with twice the spread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.features import MUSIC, VIDEO
from core.recommend.pairs import Pairs
from core.recommend.prior import prior_target

__all__ = ["EDITORS", "Editor", "editor_picks"]

_LOW = np.array([d.low for d in MUSIC])
_HIGH = np.array([d.high for d in MUSIC])
_SPAN = _HIGH - _LOW


def _col(dim_id: str) -> int:
    return MUSIC.index(dim_id)


def _unit(video: np.ndarray, dim_id: str) -> np.ndarray:
    dim = VIDEO[dim_id]
    return (video[:, VIDEO.index(dim_id)] - dim.low) / (dim.high - dim.low)


def _agreeing(video: np.ndarray) -> np.ndarray:
    return prior_target(video)


def _counterpoint(video: np.ndarray) -> np.ndarray:
    music = prior_target(video)
    for dim_id in ("arousal", "rhythm_speed", "rhythm"):
        col = _col(dim_id)
        music[:, col] = _LOW[col] + _HIGH[col] - music[:, col]
    return music


def _warm_dark(video: np.ndarray) -> np.ndarray:
    music = prior_target(video)
    for dim_id, shift in (("warmth", 0.3), ("brightness", -0.3), ("valence", -0.2), ("harmony", -0.1)):
        music[:, _col(dim_id)] += shift * _SPAN[_col(dim_id)]
    return music


def _colour_tempo(video: np.ndarray) -> np.ndarray:
    music = prior_target(video)
    warmth = _unit(video, "color_warmth")
    for dim_id in ("rhythm_speed", "arousal"):
        col = _col(dim_id)
        music[:, col] = _LOW[col] + _SPAN[col] * (0.15 + 0.7 * warmth)
    return music


def _threshold(video: np.ndarray) -> np.ndarray:
    music = prior_target(video)
    busy = _unit(video, "visual_arousal") > 0.6
    for dim_id, calm, energetic in (("arousal", 0.2, 0.85), ("rhythm_speed", 0.25, 0.8)):
        col = _col(dim_id)
        music[:, col] = _LOW[col] + _SPAN[col] * np.where(busy, energetic, calm)
    return music


@dataclass(frozen=True)
class Editor:
    name: str
    taste: Callable[[np.ndarray], np.ndarray]
    """Video vectors ``(n, 11)`` -> the music they would pick ``(n, 10)``, before noise, in feature units."""
    noise: float
    """Spread of picks around the taste, as a share of each music feature's range."""
    agrees: bool
    """Whether the taste is the prior's (the shipped model's)."""


EDITORS = {e.name: e for e in (
    Editor("agreeing", _agreeing, 0.05, True),
    Editor("counterpoint", _counterpoint, 0.05, False),
    Editor("warm-dark", _warm_dark, 0.05, False),
    Editor("colour-tempo", _colour_tempo, 0.05, False),
    Editor("threshold", _threshold, 0.05, False),
    Editor("noisy", _agreeing, 0.15, True),
    Editor("noisy-warm-dark", _warm_dark, 0.10, False),
)}


def editor_picks(editor: Editor | str, n: int, *, seed: int = 0) -> Pairs:
    """``n`` picks of ``editor``: uniform video vectors and the tracks the editor picks for them."""
    editor = EDITORS[editor] if isinstance(editor, str) else editor
    rng = np.random.default_rng(seed)
    lows = np.array([d.low for d in VIDEO])
    highs = np.array([d.high for d in VIDEO])
    video = lows + (highs - lows) * rng.uniform(size=(n, len(VIDEO)))
    music = editor.taste(video) + rng.normal(0.0, editor.noise, size=(n, len(MUSIC))) * _SPAN
    return Pairs.from_arrays(video, np.clip(music, _LOW, _HIGH))
