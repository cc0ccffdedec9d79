"""Analyse one video: stream frames, measure signals, find shots, score the 11 features."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from core.features import VideoFeatures
from core.jobs import CancelToken, ProgressFn, report
from core.video.features import VideoMeasurements, measure_span, video_features
from core.video.signals import FaceDetector, FrameSignals, colour_signals, content_change, motion_signals
from core.video.source import VideoInfo, iter_frames, probe

__all__ = ["ANALYSIS_RATE", "VideoAnalysis", "detect_cuts", "extract_video"]

ANALYSIS_RATE = 8.0
"""Analysis frames per second."""
_FACE_EVERY = 4  # run the face detector on every 4th analysis frame (2 per second)
_CUT_RATIO = 3.0
_CUT_MINIMUM = 0.08
_MIN_SHOT_S = 0.4


@dataclass(frozen=True)
class VideoAnalysis:
    """Everything the analysis of one clip yields."""

    info: VideoInfo
    features: VideoFeatures
    measurements: VideoMeasurements
    duration_s: float
    """Duration of the analysed part, seconds."""
    shots: list[tuple[float, float]]
    """``(start_s, end_s)`` of every shot."""
    shot_features: list[VideoFeatures]
    """The 11 features of every shot."""
    seconds: np.ndarray
    """Start of every one-second step of the timeline, shape ``(n,)``."""
    timeline: dict[str, np.ndarray]
    """Per-second ``visual_arousal``, ``visual_valence``, ``action_energy``, ``narrative_pace``."""
    frames: list[FrameSignals]
    """The per-frame signals (for the learned head and for charts)."""

    def timeline_json(self) -> dict:
        return {
            "seconds": [float(s) for s in self.seconds],
            **{name: [round(float(v), 3) for v in values] for name, values in self.timeline.items()},
            "shots": [
                {"start_s": start, "end_s": end, "features": features.to_dict()}
                for (start, end), features in zip(self.shots, self.shot_features, strict=True)
            ],
        }


def detect_cuts(times: np.ndarray, change: np.ndarray) -> list[float]:
    """Times of the first frame of each new shot.

    A frame starts a new shot when its content change is at least 0.08 and at least 3
    times the mean change of the two frames before and after it (PySceneDetect's
    adaptive detector idea: a cut stands out from its neighbourhood, while steady camera
    or object motion raises the whole neighbourhood), and the previous cut is at least
    0.4 s earlier.
    """
    cuts: list[float] = []
    n = change.size
    for i in range(1, n):
        neighbours = [change[j] for j in (i - 2, i - 1, i + 1, i + 2) if 0 < j < n]
        local = float(np.mean(neighbours)) if neighbours else 0.0
        stands_out = change[i] >= _CUT_MINIMUM and change[i] >= _CUT_RATIO * max(local, 0.01)
        if stands_out and (not cuts or times[i] - cuts[-1] >= _MIN_SHOT_S):
            cuts.append(float(times[i]))
    return cuts


def extract_video(
    path: str | os.PathLike[str],
    *,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> VideoAnalysis:
    """Analyse a video file (see :mod:`core.video.features` for the formulas).

    Raises
    ------
    MediaError
        Not a video, empty, no decodable frame, no video track.
    Cancelled
        ``cancel`` was set.
    """
    info = probe(path)
    name = Path(path).name
    report(progress, 0.0, f"Analysing {name}")
    faces = FaceDetector()
    signals: list[FrameSignals] = []
    previous = None
    for index, frame in enumerate(iter_frames(path, rate=ANALYSIS_RATE, cancel=cancel)):
        image = frame.image
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
        lightness, saturation, warmth, contrast, colourfulness, complexity = colour_signals(image)
        if previous is None:
            change = jump = 0.0
        else:
            change = content_change(previous[1], hsv)
            jump = abs(lightness - previous[2])
        if frame.follower is not None:
            motion = motion_signals(grey, frame.follower, frame.follower_dt)
        else:
            motion = (0.0, 0.0, 0.0)
        if index % _FACE_EVERY == 0:
            count, area, smiles = faces.detect(grey)
        else:
            count, area, smiles = -1, 0.0, 0
        signals.append(FrameSignals(frame.time_s, lightness, saturation, warmth, contrast, colourfulness,
                                    complexity, change, jump, *motion, count, area, smiles))
        previous = (grey, hsv, lightness, frame.time_s)
        if info.duration_s > 0 and index % 8 == 0:
            report(progress, min(0.99, frame.time_s / info.duration_s), f"Analysing {name}")

    times = np.array([s.time_s for s in signals])
    step = 1.0 / ANALYSIS_RATE
    duration = float(times[-1] + step) if times.size else 0.0
    if info.duration_s > 0:
        duration = min(max(duration, times[-1] if times.size else 0.0), max(info.duration_s, duration))
    cuts = detect_cuts(times, np.array([s.change for s in signals]))
    measurements = measure_span(signals, cuts, duration)
    features = video_features(measurements)

    def frames_between(start: float, end: float) -> list[FrameSignals]:
        # Frames are in time order: two binary searches instead of a scan per span.
        lo, hi = np.searchsorted(times, [start, end], side="left")
        if hi > lo:
            return signals[lo:hi]
        return [signals[int(np.argmin(np.abs(times - start)))]]

    bounds = [0.0, *cuts, duration]
    shots = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
    shot_features = [
        video_features(measure_span(frames_between(start, end), [], max(end - start, step))) for start, end in shots
    ]

    seconds = np.arange(0.0, max(1.0, math.ceil(duration)), 1.0)
    timeline = {key: np.zeros(seconds.size) for key in ("visual_arousal", "visual_valence", "action_energy",
                                                        "narrative_pace")}
    cut_times = np.array(cuts)
    for i, start in enumerate(seconds):
        members = frames_between(start, start + 1.0)
        # Pace needs a wider view than one second: cuts within 10 s around it.
        lo, hi = np.searchsorted(cut_times, [start - 4.5, start + 5.5], side="left")
        near = cuts[lo:hi]
        inside = [c for c in near if start <= c < start + 1.0]
        window = min(duration, start + 5.5) - max(0.0, start - 4.5)
        local = video_features(measure_span(members, inside, 1.0))
        paced = video_features(measure_span(members, near, max(window, 1.0)))
        timeline["visual_arousal"][i] = local.visual_arousal
        timeline["visual_valence"][i] = local.visual_valence
        timeline["action_energy"][i] = local.action_energy
        timeline["narrative_pace"][i] = paced.narrative_pace
    report(progress, 1.0, f"Analysed {name}")
    return VideoAnalysis(
        info=info,
        features=features,
        measurements=measurements,
        duration_s=duration,
        shots=shots,
        shot_features=shot_features,
        seconds=seconds,
        timeline=timeline,
        frames=signals,
    )
