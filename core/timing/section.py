"""The best section of a track for a clip: energy that follows the clip, cuts on beats.

For a clip of length ``L`` and a track, every beat ``s`` (every 0.25 s without a beat)
is a candidate start. The formula (also in ``docs/timing.md``):

1. **The clip's curve** ``c(t)``, 0..1, sampled every 0.5 s: the clip's per-second
   visual arousal ``A`` mapped by fixed constants, ``a = clip((A - 15) / 45, 0, 1)``
   (15 = a still shot, 60 = fast action with quick cuts), blended with the clip's own
   relative curve ``(A - min A) / (max A - min A)`` by ``w = 0.5 min(1, (max a - min a) / 0.5)``:
   ``c = (1 - w) a + w rel``. A clip that turns from calm to action asks for a change
   as clearly as its turn is; one that stays in action (``a`` saturated at 1) asks for
   the loud part, not for every flicker of its arousal.
2. **The track's curve** ``e(tau)``, 0..1, from its 2 Hz loudness: ``(dB - lo) / (hi - lo)``
   clipped to 0..1, with ``lo``/``hi`` the 10th/95th percentiles of its non-silent
   blocks, the range widened to at least 12 dB around the median (a steady track then
   sits near 0.5 everywhere and does not pretend to have sections). After the end of the
   track ``e = 0``.
3. **Energy fit** ``F(s) = 1 - sqrt(mean_t (c(t) - e(s + t))^2)``: 1 when the section's
   loudness follows the clip exactly; its best start ``s0`` puts the clip's turns on the
   track's changes.
4. **Cuts on beats.** Starts within one bar of ``s0`` whose fit is at least
   ``F(s0) - 0.03`` are tried (every beat there and every start that puts a cut exactly
   on a beat); the one with the most cuts within one video frame of a beat wins, then
   a start on a phrase, then on a bar, then the higher fit, then the nearer to ``s0``.
5. **Score** ``0.8 F + 0.2 (cuts on beat / cuts)`` (just ``F`` without cuts or beat).

Reasons in words are built from the same numbers (the level, the turn, the cuts).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from core.timing.grid import TrackTiming, track_curve

__all__ = ["ClipTiming", "Section", "best_section", "best_sections", "clip_curve", "track_curve"]

AROUSAL_STILL = 15.0
"""Visual arousal (0..100) of a still, calm shot: the clip curve's 0."""
AROUSAL_ACTION = 60.0
"""Visual arousal of fast action with quick cuts: the clip curve's 1."""
FIT_TOLERANCE = 0.03
"""How much energy fit the cut alignment may give up."""
CUT_WEIGHT = 0.2
"""Share of the score that rewards cuts on beats."""
STEP_S = 0.5
"""Resolution of the curves (the energy curve's 2 Hz)."""
_TURN = 0.25  # a change of the 0..1 curves over 1 s that counts as a turn


@dataclass(frozen=True)
class ClipTiming:
    """What the best section needs to know about a clip."""

    duration_s: float
    """Length of the clip, seconds."""
    arousal: np.ndarray
    """Visual arousal 0..100 of every second of the clip, shape ``(n_seconds,)``."""
    cuts: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Times of the first frames of new shots, seconds, shape ``(n_cuts,)``."""
    fps: float = 25.0
    """Frame rate of the clip (a cut is on a beat within one frame, ``1 / fps``)."""

    @classmethod
    def of(cls, analysis, *, length_s: float | None = None) -> ClipTiming:
        """The timing of a :class:`~core.video.analysis.VideoAnalysis` (shots, timeline, frame rate).

        ``length_s`` overrides the clip's length (``fit --length``): the timeline is cut
        there, or held at its last value beyond the clip.
        """
        duration = float(analysis.duration_s if length_s is None else length_s)
        arousal = np.asarray(analysis.timeline.get("visual_arousal", np.zeros(0)), dtype=np.float64)
        cuts = np.array([start for start, _ in analysis.shots[1:]], dtype=np.float64)
        fps = float(getattr(analysis.info, "fps", 0.0) or 25.0)
        return cls(duration_s=duration, arousal=arousal, cuts=cuts[cuts < duration], fps=fps)


@dataclass(frozen=True)
class Section:
    """Where in a track the music fits a clip."""

    start_s: float
    """Track time the music starts at, seconds."""
    end_s: float
    """``start_s`` + the clip's length (may pass the track's end when it does not cover the clip)."""
    score: float
    """How well the section fits, 0..1 (``0.8 energy fit + 0.2 share of cuts on beats``)."""
    energy_fit: float
    """``F``: how closely the section's loudness follows the clip's arousal, 0..1."""
    cuts: int
    """Cuts in the clip."""
    cuts_on_beat: int
    """Cuts that land within one frame of a beat."""
    covers_clip: bool
    """Whether the track is at least as long as the clip."""
    reasons: list[str]
    """Why, in words."""

    def to_json(self) -> dict:
        return {"start_s": round(self.start_s, 6), "end_s": round(self.end_s, 6), "score": round(self.score, 4)}


def clip_curve(clip: ClipTiming) -> np.ndarray:
    """The clip's curve ``c`` (0..1) at ``t = 0, 0.5, ...`` up to its length, shape ``(n,)``."""
    n = max(1, int(math.ceil(clip.duration_s / STEP_S - 1e-9)))
    arousal = np.asarray(clip.arousal, dtype=np.float64)
    if arousal.size == 0:
        return np.full(n, 0.5)
    # Each second's value holds for that whole second (a turn at 4 s is a step at 4 s).
    seconds = np.minimum(((np.arange(n) + 0.5) * STEP_S).astype(np.int64), arousal.size - 1)
    values = arousal[seconds]
    absolute = np.clip((values - AROUSAL_STILL) / (AROUSAL_ACTION - AROUSAL_STILL), 0.0, 1.0)
    span = float(values.max() - values.min())
    if span <= 1e-9:
        return absolute
    weight = 0.5 * min(1.0, float(absolute.max() - absolute.min()) / 0.5)
    return (1.0 - weight) * absolute + weight * (values - values.min()) / span


class _Scorer:
    """Energy fit of every start at once for one clip and one track.

    Sample ``k`` of the clip (its centre at ``(k + 0.5) / 2`` s) meets the track's block
    ``floor(2 s + 0.5) + k`` for a start ``s``, so the fit only depends on the first
    block ``b = floor(2 s + 0.5)``; it is computed for every ``b`` in one pass from
    ``sum (e - c)^2 = sum e^2 - 2 sum e c + sum c^2`` (a running sum and a correlation).
    """

    def __init__(self, clip_values: np.ndarray, track_values: np.ndarray) -> None:
        self.clip = clip_values
        n = clip_values.size
        # Zeros after the end: silence past the track's last block.
        self.padded = np.concatenate([track_values, np.zeros(n + 2)])
        squares = np.concatenate([[0.0], np.cumsum(self.padded**2)])
        bases = np.arange(track_values.size + 2)
        window_squares = squares[bases + n] - squares[bases]
        cross = np.correlate(self.padded, clip_values, mode="valid")[: bases.size]
        mse = (window_squares - 2.0 * cross + float(np.dot(clip_values, clip_values))) / n
        self.by_base = 1.0 - np.sqrt(np.maximum(mse, 0.0))

    def base(self, starts: np.ndarray) -> np.ndarray:
        index = np.floor(2.0 * np.asarray(starts) + 0.5 + 1e-9).astype(np.int64)
        return np.minimum(np.maximum(index, 0), self.by_base.size - 1)

    def fit(self, starts: np.ndarray) -> np.ndarray:
        return self.by_base[self.base(starts)]

    def section(self, start: float) -> np.ndarray:
        """The track's curve under the clip's samples for one start, shape ``(n,)``."""
        first = int(self.base(np.array([start]))[0])
        return self.padded[first : first + self.clip.size]


def _distance_to(points: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Distance from each of ``times`` to the nearest of the sorted ``points`` (inf without points)."""
    times = np.asarray(times, dtype=np.float64)
    if points.size == 0:
        return np.full(times.shape, np.inf)
    # np.minimum, not np.clip: np.clip's overhead is several times the work on arrays this small.
    right = np.minimum(np.searchsorted(points, times), points.size - 1)
    left = np.maximum(right - 1, 0)
    return np.minimum(np.abs(points[right] - times), np.abs(points[left] - times))


def _cuts_on_beat(starts: np.ndarray, cuts: np.ndarray, beats: np.ndarray, tolerance: float) -> np.ndarray:
    """How many cuts land within ``tolerance`` of a beat, for every start, shape ``(n_starts,)``."""
    if cuts.size == 0 or beats.size == 0:
        return np.zeros(starts.size, dtype=np.int64)
    times = (starts[:, None] + cuts[None, :]).ravel()
    return (_distance_to(beats, times) <= tolerance).reshape(starts.size, cuts.size).sum(axis=1)


def best_section(track: TrackTiming, clip: ClipTiming) -> Section:
    """The best start in ``track`` for ``clip`` (see the module docstring)."""
    return best_sections([track], clip)[0]


def best_sections(tracks: Sequence[TrackTiming], clip: ClipTiming) -> list[Section]:
    """:func:`best_section` for many tracks (the clip's curve and turn are computed once)."""
    values = clip_curve(clip)
    turn = _turn(values)
    return [_best(track, clip, values, turn) for track in tracks]


def _best(track: TrackTiming, clip: ClipTiming, clip_values: np.ndarray, turn: tuple[int, float]) -> Section:
    length = float(clip.duration_s)
    duration = float(track.duration_s)
    covers = duration + 1e-6 >= length
    if track.is_silent:
        # Silence "follows" a calm clip's low curve closely, but there is no music to place.
        return Section(start_s=0.0, end_s=length, score=0.0, energy_fit=0.0, cuts=len(clip.cuts), cuts_on_beat=0,
                       covers_clip=bool(covers), reasons=["the track is silent throughout: there is no music to fit"])
    scorer = _Scorer(clip_values, track.level_curve)
    beats = track.beats if track.has_beat else np.zeros(0)
    latest = max(0.0, duration - length) if covers else max(0.0, 0.5 * duration)
    if beats.size:
        starts = beats[beats <= latest + 1e-9]
        if starts.size == 0:
            starts = beats[:1]
    else:
        starts = np.arange(0.0, latest + 1e-9, 0.25)
    fits = scorer.fit(starts)
    first = int(np.argmax(fits))
    start0, fit0 = float(starts[first]), float(fits[first])
    tolerance = 1.0 / clip.fps if clip.fps > 0 else 0.04
    cuts = np.asarray(clip.cuts, dtype=np.float64)
    start, fit, on_beat, start_kind = start0, fit0, 0, 2
    if beats.size:
        bar = track.bar_s
        near = beats[np.abs(beats - start0) <= bar + 1e-9]
        aligned = (near[:, None] - cuts[None, :]).ravel()
        candidates = np.concatenate([[start0], near, aligned])  # duplicates are harmless: the first one wins
        candidates = candidates[(candidates >= 0.0) & (candidates <= latest + 1e-9)
                                & (np.abs(candidates - start0) <= bar + 1e-9)]
        candidate_fit = scorer.fit(candidates)
        keep = candidate_fit >= fit0 - FIT_TOLERANCE
        candidates, candidate_fit = candidates[keep], candidate_fit[keep]
        counts = _cuts_on_beat(candidates, cuts, beats, tolerance)
        kind = _start_kind(candidates, track, tolerance)
        order = np.lexsort((np.abs(candidates - start0), -candidate_fit, kind, -counts))
        best = int(order[0])
        start, fit, on_beat = float(candidates[best]), float(candidate_fit[best]), int(counts[best])
        start_kind = int(kind[best])
    score = fit if not (beats.size and cuts.size) else (1 - CUT_WEIGHT) * fit + CUT_WEIGHT * on_beat / cuts.size
    reasons = _reasons(track, clip, clip_values, turn, scorer, start, on_beat, start_kind, covers)
    return Section(start_s=start, end_s=start + length, score=min(max(float(score), 0.0), 1.0),
                   energy_fit=min(max(float(fit), 0.0), 1.0), cuts=int(cuts.size), cuts_on_beat=on_beat,
                   covers_clip=bool(covers), reasons=reasons)


def _start_kind(starts: np.ndarray, track: TrackTiming, tolerance: float) -> np.ndarray:
    """0 for a start on a phrase boundary, 1 on a bar, 2 elsewhere."""
    on_phrase = _distance_to(track.phrases, starts) <= tolerance
    on_bar = _distance_to(track.bars, starts) <= tolerance
    return np.where(on_phrase, 0, np.where(on_bar, 1, 2))


def _turn(values: np.ndarray) -> tuple[int, float]:
    """Where a 0.5 s curve changes most: ``(k, change)`` with the turn between samples ``k - 1`` and ``k``.

    The change is the mean of the 2 s after minus the 2 s before (signed), so a single
    flicker is not a turn.
    """
    n = values.size
    if n < 2:
        return 0, 0.0
    totals = np.concatenate([[0.0], np.cumsum(values)])
    k = np.arange(1, n)
    lo, hi = np.maximum(0, k - 4), np.minimum(n, k + 4)
    change = (totals[hi] - totals[k]) / (hi - k) - (totals[k] - totals[lo]) / (k - lo)
    best = int(np.argmax(np.abs(change)))
    return int(k[best]), float(change[best])


def _reasons(track: TrackTiming, clip: ClipTiming, clip_values: np.ndarray, turn: tuple[int, float],
             scorer: _Scorer, start: float, on_beat: int, start_kind: int, covers: bool) -> list[str]:
    reasons: list[str] = []
    n = clip_values.size
    section = scorer.section(start)
    n_inside = min(max(math.ceil((track.duration_s - start) / STEP_S - 0.5), 0), n)
    level = float(section[:n_inside].mean()) if n_inside else 0.0
    mood = float(clip_values.mean())
    words = "loud" if level >= 0.66 else "quiet" if level <= 0.33 else "middling"
    clip_words = "active" if mood >= 0.66 else "calm" if mood <= 0.33 else "moderate"
    reasons.append(f"the {clip_words} clip gets a {words} part of the track "
                   f"({start:.1f}-{start + clip.duration_s:.1f} s)")
    cuts = np.asarray(clip.cuts, dtype=np.float64)
    bars = track.bars if track.has_beat else np.zeros(0)
    at, change = turn
    if abs(change) >= _TURN:
        turn_s = at * STEP_S
        # The track's own largest change within a second of where the clip turns.
        lo, hi = max(0, at - 2), min(n, at + 2)
        track_at = _turn(section[lo:hi])[0] if hi - lo >= 2 else 0
        track_step = float(section[min(n - 1, at + 1)] - section[max(0, at - 2)]) if n else 0.0
        kind = "rise" if change > 0 else "drop"
        if track_step * change > 0 and abs(track_step) >= _TURN:
            where = start + (lo + track_at) * STEP_S
            if bars.size and float(_distance_to(bars, where)) <= STEP_S:
                where = float(bars[int(np.argmin(np.abs(bars - where)))])  # changes happen on bar lines
            cuts_there = cuts[np.abs(cuts - (where - start)) <= STEP_S]
            target = f"the cut at {cuts_there[0]:.1f} s" if cuts_there.size else f"the clip's turn at {turn_s:.1f} s"
            reasons.append(f"the {kind} at {where:.1f} s lands on {target}")
        else:
            reasons.append(f"the clip turns at {turn_s:.1f} s but the track has no matching {kind} there")
    if cuts.size == 0:
        reasons.append("the clip has no cuts to put on beats")
    elif not track.has_beat:
        reasons.append("the track has no steady beat, so its cuts are not aligned")
    else:
        reasons.append(f"{on_beat} of {cuts.size} cuts land on beats (within one frame)")
        tolerance = 1.0 / clip.fps if clip.fps > 0 else 0.04
        on_bar = np.flatnonzero(_distance_to(bars, start + cuts) <= tolerance)
        if on_bar.size:
            cut = float(cuts[on_bar[0]])
            reasons.append(f"the cut at {cut:.1f} s lands on the bar at {start + cut:.1f} s")
    if start_kind == 0:
        reasons.append(f"starts on a phrase at {start:.1f} s")
    elif start_kind == 1:
        reasons.append(f"starts on a bar at {start:.1f} s")
    if not covers:
        repeats = "whole bars" if track.has_beat else "parts of it"
        reasons.append(f"the track ({track.duration_s:.1f} s) is shorter than the clip ({clip.duration_s:.1f} s); "
                       f"fit repeats {repeats} to cover it")
    return reasons
