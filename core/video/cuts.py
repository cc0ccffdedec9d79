"""Shot boundaries exact to the frame: hard cuts, fades and dissolves.

The analysis pass (:mod:`core.video.analysis`) looks at about 8 frames a second and skips
frames no other frame refers to, so it knows a cut only to within an eighth of a second.
This module takes its candidates and decodes each one's neighbourhood at the clip's full
frame rate (:func:`core.video.source.decode_windows`: a seek to the keyframe before it,
no second full decode), then names the first frame of the new shot.

Hard cuts
    A candidate is any analysis frame whose content change stands out from its neighbours
    (:func:`cut_candidates`, looser than the final test so a cut hidden by fast motion at
    the analysis rate is still looked at). At the full rate the frame with the largest
    change between the two analysis frames is a cut when its change is at least
    ``CUT_MINIMUM`` and at least ``CUT_RATIO`` times the mean change of the two frames
    before and after it: the rule of PySceneDetect's AdaptiveDetector (Castellano,
    ``adaptive_threshold`` 3, ``min_content_val`` 15 of 255), on the same content score
    (mean absolute difference of H, S and V, :func:`core.video.signals.content_change`).
Fades and dissolves
    A gradual transition from picture A to picture B makes every frame in between a blend
    ``F = A + alpha (B - A)`` with ``alpha`` rising from 0 to 1 (a fade is a blend with
    black). :class:`GradualFinder` tests that on small thumbnails of the analysis frames:
    A and B differ, every frame between lies close to the line from A to B (residual under
    ``BLEND_RESIDUAL`` of ``|B - A|``), ``alpha`` rises, and some frame is clearly between
    (0.1 < alpha < 0.9, which a hard cut never has). Camera and object motion move pixels
    instead of mixing them and fail the residual test. The full-rate pass then finds the
    first frame that has left A (``alpha`` above ``ALPHA_EDGE``) and the first frame that
    is all B.

Shot boundaries are the hard cuts plus the start of every dissolve and of every fade-in
that follows a picture (the first frame where the new shot shows); a fade-out to black
ends a shot without starting one.
"""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass
from typing import NamedTuple

import cv2
import numpy as np

from core.jobs import CancelToken
from core.video.signals import content_change
from core.video.source import decode_windows

__all__ = [
    "ALPHA_EDGE",
    "BLEND_RESIDUAL",
    "BLEND_TYPICAL",
    "CUT_MINIMUM",
    "CUT_RATIO",
    "MIN_SHOT_S",
    "Boundaries",
    "GradualFinder",
    "Transition",
    "cut_candidates",
    "refine_boundaries",
    "thumbnail",
]

CUT_MINIMUM = 15.0 / 255.0
"""Least content change of a hard cut at the full frame rate (PySceneDetect's ``min_content_val``)."""
CUT_RATIO = 3.0
"""A cut's change over the mean change of its two neighbours on each side (``adaptive_threshold``)."""
MIN_SHOT_S = 0.4
"""Shortest shot, seconds: a second boundary closer than this to the previous one is dropped."""
BLEND_RESIDUAL = 0.3
"""Largest distance of an in-between frame from the line A..B, as a share of ``|B - A|``."""
BLEND_TYPICAL = 0.15
"""Largest median pixel distance from the line A..B, as a share of the mean pixel change (analysis rate)."""
ALPHA_EDGE = 0.03
"""Blend weight above which a frame has left A (and below ``1 - ALPHA_EDGE`` of which it has not reached B)."""
_CANDIDATE_MINIMUM = 0.05
_CANDIDATE_RATIO = 2.0
_FULL_RATE_TYPICAL = 0.1  # the blend test at the full rate (a narrow span around the transition) is stricter
_BLACK = 0.06  # mean level (0..1) under which a thumbnail is black: the far side of a fade
_GRADUAL_SPANS = (2, 3, 4, 6, 8, 12, 16)  # analysis frames spanned by the blend test (0.25 .. 2 s at 8 Hz)
_THUMB = (32, 18)


class Transition(NamedTuple):
    """A gradual change from one shot to the next."""

    kind: str
    """``"dissolve"``, ``"fade-in"`` (from black) or ``"fade-out"`` (to black)."""
    start_s: float
    """Time of the first frame that has left the outgoing picture, seconds."""
    end_s: float
    """Time of the first frame that shows only the incoming picture, seconds."""


@dataclass(frozen=True)
class Boundaries:
    """Where a clip's shots change."""

    cuts: list[float]
    """First frame of every new shot, seconds, ascending (hard cuts and transition starts)."""
    hard_cuts: list[float]
    """The hard cuts among them."""
    transitions: list[Transition]
    """Fades and dissolves, in time order."""


def thumbnail(bgr: np.ndarray) -> np.ndarray:
    """A 32x18 colour thumbnail, float32 0..1, shape ``(18, 32, 3)``: what the blend test compares."""
    return cv2.resize(bgr, _THUMB, interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0


def cut_candidates(times: np.ndarray, change: np.ndarray) -> list[int]:
    """Analysis frames that may start a new shot (indices into ``times``).

    A frame is a candidate when its change is at least 0.05 and twice the mean change of
    the two analysis frames on each side: looser than the full-rate test, which decides.
    """
    n = change.size
    out = []
    for i in range(1, n):
        neighbours = [change[j] for j in (i - 2, i - 1, i + 1, i + 2) if 0 < j < n]
        local = float(np.mean(neighbours)) if neighbours else 0.0
        if change[i] >= _CANDIDATE_MINIMUM and change[i] >= _CANDIDATE_RATIO * max(local, 0.005):
            out.append(i)
    return out


def _blend(frames: list[np.ndarray], typical: float = BLEND_TYPICAL) -> np.ndarray | None:
    """``alpha`` of every frame on the line from the first frame (A) to the last (B), or None
    if they are not a blend.

    Two tests per frame: its distance from the line is at most ``BLEND_RESIDUAL`` of
    ``|B - A|`` (L2 over the thumbnail), and the median pixel's distance from its own line
    at most ``typical`` of the mean pixel change. The second is what tells a mix from a
    picture that changes in its own way: a moving object or a camera move disturbs some
    pixels a lot (the median stays small), while a colour cycle or a zoom moves every
    pixel off its line.
    """
    a, b = frames[0], frames[-1]
    direction = b - a
    norm2 = float(np.sum(direction * direction))
    pixel_change = float(np.abs(direction).sum(axis=2).mean())
    if norm2 <= 0 or pixel_change / 3.0 < 0.06:
        return None
    alphas = np.empty(len(frames))
    for k, frame in enumerate(frames):
        offset = frame - a
        alpha = float(np.sum(offset * direction)) / norm2
        off_line = offset - alpha * direction
        if np.sqrt(float(np.sum(off_line**2)) / norm2) > BLEND_RESIDUAL:
            return None
        per_pixel = np.abs(off_line).sum(axis=2)
        if float(np.median(per_pixel)) > typical * pixel_change:
            return None
        # Refit on the pixels that follow the mix best, so a moving object does not tilt alpha.
        keep = per_pixel <= np.percentile(per_pixel, 75)
        weight = float(np.sum(direction[keep] ** 2))
        alphas[k] = float(np.sum(offset[keep] * direction[keep])) / weight if weight > 0 else alpha
    return alphas


class GradualFinder:
    """Finds fades and dissolves among analysis-frame thumbnails as they arrive (bounded memory).

    Feed :meth:`add` every analysis frame in order; :meth:`spans` gives the maximal runs
    ``(first, last)`` of analysis-frame indices that passed the blend test, where frame
    ``first`` still shows A and frame ``last`` already shows B.
    """

    def __init__(self) -> None:
        self._recent: deque[tuple[int, np.ndarray]] = deque(maxlen=max(_GRADUAL_SPANS) + 1)
        self._spans: list[list[int]] = []  # [first, last, first in-between frame, last in-between frame]

    def add(self, index: int, thumb: np.ndarray) -> None:
        self._recent.append((index, thumb))
        frames = [t for _, t in self._recent]
        for width in _GRADUAL_SPANS:
            if width >= len(frames):
                break
            alphas = _blend(frames[-width - 1:])
            steps = np.diff(alphas) if alphas is not None else None
            if steps is None or steps.min() < -0.1 or steps.max() > 0.7:
                continue  # not rising throughout, or a jump: a hard cut inside the window
            between = [index - width + k for k in range(1, width) if 0.1 < alphas[k] < 0.9]
            if not between:
                continue  # a hard cut between still frames also lies on the line, but has no frame between
            first = index - width
            # Windows whose in-between frames meet belong to one transition; a fade-out and the
            # fade-in after it meet only in the black between them, which is no in-between frame.
            if self._spans and between[0] <= self._spans[-1][3] + 1:
                span = self._spans[-1]
                span[0], span[1] = min(span[0], first), max(span[1], index)
                span[2], span[3] = min(span[2], between[0]), max(span[3], between[-1])
            else:
                self._spans.append([first, index, between[0], between[-1]])

    def spans(self) -> list[tuple[int, int]]:
        """``(first, last)`` around each transition's in-between frames, two analysis frames either side.

        Wider spans passed the test too (still frames of A or B lie on the line), but the
        motion within a long stretch of A or B blurs the full-rate blend test.
        """
        return [(max(a, lo - 2), min(b, hi + 2)) for a, b, lo, hi in self._spans]


def _changes(frames: list[tuple[float, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Times and content change from the previous frame of a run of full-rate frames."""
    times = np.array([t for t, _ in frames])
    hsv = [cv2.cvtColor(image, cv2.COLOR_BGR2HSV) for _, image in frames]
    change = np.zeros(len(frames))
    for k in range(1, len(frames)):
        change[k] = content_change(hsv[k - 1], hsv[k])
    return times, change


def _hard_cut(frames: list[tuple[float, np.ndarray]], after: float, until: float) -> float | None:
    """The full-rate frame in ``(after, until]`` that starts a new shot, or None."""
    if len(frames) < 2:
        return None
    times, change = _changes(frames)
    inside = [k for k in range(1, len(frames)) if after + 1e-6 < times[k] <= until + 1e-6]
    if not inside:
        return None
    k = max(inside, key=lambda j: change[j])
    neighbours = [change[j] for j in (k - 2, k - 1, k + 1, k + 2) if 0 < j < len(frames)]
    local = float(np.mean(neighbours)) if neighbours else 0.0
    if change[k] >= CUT_MINIMUM and change[k] >= CUT_RATIO * max(local, 1e-3):
        return float(times[k])
    return None


def _gradual(frames: list[tuple[float, np.ndarray]]) -> tuple[float, float, str] | None:
    """(start, end, kind) of a fade or dissolve running across ``frames`` (first: A, last: B).

    The transition's frames are those where the blend weight rises: the longest run of
    frames whose step in ``alpha`` is more than a third of the largest step (a still frame
    of A or B moves ``alpha`` only by its own motion; a frame of the transition by the
    mix). ``start`` is the run's first frame (the first that has left A), ``end`` its last
    (the first that is all B).
    """
    if len(frames) < 4:
        return None
    thumbs = [thumbnail(image) for _, image in frames]
    alphas = _blend(thumbs, _FULL_RATE_TYPICAL)
    if alphas is None:
        return None
    steps = np.diff(alphas)
    peak = float(steps.max())
    if peak < ALPHA_EDGE:
        return None
    rising = steps > max(peak / 3.0, 0.5 * ALPHA_EDGE)
    best, run = (0, -1), None
    for k, up in enumerate(rising):
        if up:
            run = (run[0] if run is not None else k, k)
            if run[1] - run[0] > best[1] - best[0]:
                best = run
        else:
            run = None
    start, end = best[0] + 1, best[1] + 1  # steps[k] leads to frame k + 1
    if end - start < 2 or alphas[end] - alphas[start - 1] < 0.5:
        return None  # a hard cut (or a one-frame flash), or too little of the change: not a transition
    times = [t for t, _ in frames]
    a_level, b_level = float(thumbs[start - 1].mean()), float(thumbs[end].mean())
    kind = "fade-out" if b_level < _BLACK else "fade-in" if a_level < _BLACK else "dissolve"
    return float(times[start]), float(times[end]), kind


def refine_boundaries(
    path: str | os.PathLike[str],
    times: np.ndarray,
    change: np.ndarray,
    gradual_spans: list[tuple[int, int]],
    *,
    fps: float,
    keyframes: list[float] | None = None,
    cancel: CancelToken | None = None,
) -> Boundaries:
    """Frame-exact shot boundaries from the analysis pass's candidates.

    Parameters
    ----------
    path
        The clip the analysis frames came from.
    times, change : numpy.ndarray
        Analysis-frame times (seconds) and content change from the previous analysis
        frame, shape ``(n,)``.
    gradual_spans
        ``(first, last)`` analysis-frame indices of likely fades and dissolves
        (:meth:`GradualFinder.spans`).
    fps
        The clip's frame rate (sets the margins of the decoded neighbourhoods).
    keyframes
        Keyframe times seen by the analysis pass (see :func:`core.video.source.decode_windows`).
    """
    step = 1.0 / max(fps, 1.0)
    candidates = cut_candidates(times, change)
    windows = [(float(times[i - 1]) - 2.5 * step, float(times[i]) + 2.5 * step) for i in candidates]
    spans = [(a, b) for a, b in gradual_spans if 0 <= a < b < times.size]
    windows += [(float(times[a]), float(times[b])) for a, b in spans]
    decoded = decode_windows(path, windows, cancel=cancel, keyframes=keyframes)

    hard: list[float] = []
    for i, frames in zip(candidates, decoded[: len(candidates)], strict=True):
        found = _hard_cut(frames, float(times[i - 1]), float(times[i]))
        if found is not None:
            hard.append(found)
    transitions: list[Transition] = []
    for frames in decoded[len(candidates):]:
        found = _gradual(frames)
        if found is None:
            continue
        transitions.append(Transition(found[2], found[0], found[1]))
    transitions.sort(key=lambda t: t.start_s)
    # Inside a fade the hue of near-black pixels swings from frame to frame, which the
    # content score can take for a cut: a transition's frames hold no hard cut.
    hard = [c for c in hard if not any(t.start_s + 1e-6 < c <= t.end_s + 1e-6 for t in transitions)]

    starts = [t.start_s for t in transitions if t.kind == "dissolve"]
    # A fade-in starts a shot when a picture came before it (not when the clip opens on black).
    starts += [t.start_s for t in transitions if t.kind == "fade-in" and t.start_s >= MIN_SHOT_S]
    cuts: list[float] = []
    for time_s in sorted(set(hard) | set(starts)):
        if time_s < step / 2:
            continue  # the clip's first frame starts the first shot anyway
        if not cuts or time_s - cuts[-1] >= MIN_SHOT_S:
            cuts.append(time_s)
    kept = set(cuts)
    return Boundaries(cuts=cuts, hard_cuts=[c for c in hard if c in kept], transitions=transitions)
