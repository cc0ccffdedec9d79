"""The whole chain both faces use: video -> 11 features -> music target -> ranked library.

The command line's ``recommend`` and the desktop app call :func:`recommend_video`, so the
two give the same answer for the same clip, model, library and settings.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from core.jobs import CancelToken, ProgressFn, report, scaled_progress
from core.match import MatchResult, MatchSettings, TrackIndex
from core.recommend.filters import rank_filtered
from core.recommend.model import Prediction, Recommender
from core.timing.grid import TrackTiming
from core.timing.section import ClipTiming, Section, best_sections
from core.video.analysis import VideoAnalysis, extract_video

if TYPE_CHECKING:
    from core.library.versions import VersionGroups

__all__ = ["Recommendation", "rank_tracks", "recommend_video"]


@dataclass(frozen=True)
class Recommendation:
    analysis: VideoAnalysis
    """The clip's features, shots and timeline."""
    prediction: Prediction
    """The music target and its emotion class."""
    result: MatchResult
    """The library ranked against the target."""
    sections: list[Section | None] = field(default_factory=list)
    """The best section of every result, in rank order (``None`` for a track without timing data)."""
    covers_clip: list[bool | None] = field(default_factory=list)
    """Whether every result is at least as long as the clip (``None`` when its length is unknown)."""
    target: np.ndarray | None = None
    """The vector ranked against: the prediction's, or what ``retarget`` made of it."""


def rank_tracks(
    index: TrackIndex,
    target: np.ndarray,
    settings: MatchSettings | None = None,
    *,
    keep: np.ndarray | None = None,
    covers: Sequence[bool | None] | None = None,
    versions: VersionGroups | None = None,
) -> MatchResult:
    """Rank ``index`` against ``target``: the one ranking both faces use.

    ``keep`` (one bool per library row) lists only the rows a filter lets through; it never
    changes a distance. With ``covers`` (one per row: does the track last the clip? ``None``
    when unknown, counted as covering) the tracks that cover the clip come first, then
    the shorter ones; within each group the order is the matcher's (distance, ties in
    library order). The whole library is ranked before the top K is taken, so a short
    track near the top gives way to the next track that covers the clip.

    With ``versions`` (:func:`core.library.versions.group_versions` of the same rows) each
    song is listed once, by its preferred version (lossless first, then the higher
    bitrate); like a filter, this never changes a distance.
    """
    settings = settings or MatchSettings()
    if versions is not None:
        if len(versions.group) != len(index):
            raise ValueError(f"versions cover {len(versions.group)} rows, the index has {len(index)}")
        keep = versions.preferred_rows if keep is None else np.asarray(keep, dtype=bool) & versions.preferred_rows
    short_rows = covers is not None and any(c is False for c in covers)
    wide = dataclasses.replace(settings, top_k=len(index)) if short_rows else settings
    whole = rank_filtered(index, target, wide, keep) if keep is not None else index.rank(target, wide)
    if not short_rows:
        return whole
    short = np.array([covers[int(i)] is False for i in whole.indices], dtype=bool)
    order = np.argsort(short, kind="stable")[: min(settings.top_k, len(whole.indices))]
    return MatchResult(settings=settings, indices=whole.indices[order], distances=whole.distances[order],
                       shares=whole.shares[order], names=tuple(whole.names[i] for i in order))


def recommend_video(
    path: str | os.PathLike[str],
    model: Recommender,
    index: TrackIndex,
    settings: MatchSettings | None = None,
    *,
    device: str = "auto",
    timings: Sequence[TrackTiming | None] | None = None,
    durations: Sequence[float | None] | None = None,
    any_length: bool = False,
    keep: np.ndarray | None = None,
    retarget: Callable[[np.ndarray], np.ndarray] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Recommendation:
    """Analyse ``path``, predict its music target with ``model`` and rank ``index`` against it.

    With ``timings`` (one per library row, ``None`` where unknown) every result gets its
    best section, and tracks shorter than the clip rank after all tracks that cover it
    unless ``any_length``. ``durations`` (seconds per row) spares reading every row's
    timing just for its length: ``timings`` is then only indexed for the listed results,
    so it may be a lazy sequence. ``keep`` filters the rows listed (:func:`rank_tracks`);
    ``retarget`` turns the predicted target into the one ranked against (for instance a
    blend with a liked track's vector); :attr:`Recommendation.target` is the latter.
    """
    analysis = extract_video(path, device=device, progress=scaled_progress(progress, 0.0, 0.95), cancel=cancel)
    prediction = model.predict(analysis.features.to_array())
    target = np.asarray(retarget(prediction.features) if retarget is not None else prediction.features,
                        dtype=np.float64)
    covers = None
    if timings is not None:
        if durations is None:
            durations = [None if t is None else t.duration_s for t in timings]
        covers = [None if d is None or d <= 0 else d + 1e-6 >= analysis.duration_s for d in durations]
    result = rank_tracks(index, target, settings, keep=keep, covers=None if any_length else covers)
    if timings is None:
        report(progress, 1.0, "Ranked the library")
        return Recommendation(analysis, prediction, result, target=target)
    shown = [timings[int(i)] for i in result.indices]
    known = [t for t in shown if t is not None]
    found = iter(best_sections(known, ClipTiming.of(analysis)))
    sections = [next(found) if t is not None else None for t in shown]
    report(progress, 1.0, "Ranked the library")
    return Recommendation(analysis, prediction, result, sections, [covers[int(i)] for i in result.indices],
                          target=target)
