"""The whole chain both faces use: video -> 11 features -> music target -> ranked library.

The command line's ``recommend`` and the desktop app call :func:`recommend_video`, so the
two give the same answer for the same clip, model, library and settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from core.jobs import CancelToken, ProgressFn, report, scaled_progress
from core.match import MatchResult, MatchSettings, TrackIndex
from core.recommend.model import Prediction, Recommender
from core.video.analysis import VideoAnalysis, extract_video

__all__ = ["Recommendation", "recommend_video"]


@dataclass(frozen=True)
class Recommendation:
    analysis: VideoAnalysis
    """The clip's features, shots and timeline."""
    prediction: Prediction
    """The music target and its emotion class."""
    result: MatchResult
    """The library ranked against the target."""


def recommend_video(
    path: str | os.PathLike[str],
    model: Recommender,
    index: TrackIndex,
    settings: MatchSettings | None = None,
    *,
    device: str = "auto",
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Recommendation:
    """Analyse ``path``, predict its music target with ``model`` and rank ``index`` against it."""
    analysis = extract_video(path, device=device, progress=scaled_progress(progress, 0.0, 0.95), cancel=cancel)
    prediction = model.predict(analysis.features.to_array())
    result = index.rank(prediction.features, settings)
    report(progress, 1.0, "Ranked the library")
    return Recommendation(analysis, prediction, result)
