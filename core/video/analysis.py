"""Analyse one video: stream frames, measure signals, find shots, score the 11 features."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from core.features import VideoFeatures
from core.jobs import CancelToken, ProgressFn, report
from core.video.batch import ColourBatch, resolve_device
from core.video.cuts import GradualFinder, Transition, refine_boundaries, thumbnail
from core.video.features import VideoMeasurements, measure_span, video_features
from core.video.signals import (
    FaceDetector,
    FrameSignals,
    colour_signals,
    content_change,
    edge_density,
    motion_signals,
)
from core.video.source import Frame, VideoInfo, iter_frames, probe

__all__ = ["ANALYSIS_RATE", "VideoAnalysis", "extract_video"]

ANALYSIS_RATE = 8.0
"""Analysis frames per second."""
_FACE_EVERY = 8  # run the face detector once a second, and on the first frame of a likely new shot
# The face detector's "likely cut" test (causal: it cannot wait for the frames after).
_CUT_RATIO = 3.0
_CUT_MINIMUM = 0.08


@dataclass(frozen=True)
class VideoAnalysis:
    """Everything the analysis of one clip yields."""

    info: VideoInfo
    features: VideoFeatures
    measurements: VideoMeasurements
    duration_s: float
    """Duration of the analysed part, seconds."""
    shots: list[tuple[float, float]]
    """``(start_s, end_s)`` of every shot; each start is the time of the shot's first frame."""
    shot_features: list[VideoFeatures]
    """The 11 features of every shot."""
    seconds: np.ndarray
    """Start of every one-second step of the timeline, shape ``(n,)``."""
    timeline: dict[str, np.ndarray]
    """Per-second ``visual_arousal``, ``visual_valence``, ``action_energy``, ``narrative_pace``."""
    frames: list[FrameSignals]
    """The per-frame signals (for the learned head and for charts)."""
    transitions: list[Transition] = field(default_factory=list)
    """Fades and dissolves (a dissolve or a fade-in after a picture also starts a shot)."""

    def transitions_json(self) -> list[dict]:
        """``[{"kind", "start_s", "end_s"}]``: the ``transitions`` field of ``extract --json``."""
        return [{"kind": t.kind, "start_s": t.start_s, "end_s": t.end_s} for t in self.transitions]

    def timeline_json(self) -> dict:
        return {
            "seconds": [float(s) for s in self.seconds],
            **{name: [round(float(v), 3) for v in values] for name, values in self.timeline.items()},
            "shots": [
                {"start_s": start, "end_s": end, "features": features.to_dict()}
                for (start, end), features in zip(self.shots, self.shot_features, strict=True)
            ],
        }


def _uses_batches(device) -> bool:
    """The batched torch path pays off on a GPU; on a CPU OpenCV's per-frame path is faster."""
    return device.type != "cpu"


class _Measurer:
    """Turns analysis frames into :class:`FrameSignals`, in clip order.

    Edge density, optical flow and faces run on OpenCV as frames arrive. The colour and
    change signals run either on OpenCV frame by frame (CPU) or in torch batches of 32
    frames (a GPU), so frames wait in ``pending`` until their batch is measured; faces are
    detected at that point because the schedule depends on the change signal.
    """

    def __init__(self, device) -> None:
        self.batch = ColourBatch(device) if _uses_batches(device) else None
        self.batch_size = 32 if self.batch is not None else 1
        self.faces = FaceDetector()
        self.pending: list[tuple[float, np.ndarray, np.ndarray, float, tuple[float, float, float]]] = []
        self.signals: list[FrameSignals] = []
        self.last_face_check = -_FACE_EVERY
        self.previous_change = 0.0
        self.previous_hsv: np.ndarray | None = None
        self.previous_lightness = 0.0
        self.gradual = GradualFinder()

    def add(self, frame: Frame) -> None:
        grey = cv2.cvtColor(frame.image, cv2.COLOR_BGR2GRAY)
        if frame.follower is not None:
            motion = motion_signals(grey, frame.follower, frame.follower_dt)
        else:
            motion = (0.0, 0.0, 0.0)
        self.gradual.add(len(self.signals) + len(self.pending), thumbnail(frame.image))
        self.pending.append((frame.time_s, frame.image, grey, edge_density(grey), motion))
        if len(self.pending) >= self.batch_size:
            self._flush()

    def finish(self) -> list[FrameSignals]:
        self._flush()
        return self.signals

    def _colour_on_cpu(self, image: np.ndarray) -> tuple[float, ...]:
        hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
        lightness, saturation, warmth, contrast, colourfulness = colour_signals(image, hsv)
        if self.previous_hsv is None:
            change = jump = 0.0
        else:
            change = content_change(self.previous_hsv, hsv)
            jump = abs(lightness - self.previous_lightness)
        self.previous_hsv, self.previous_lightness = hsv, lightness
        return lightness, saturation, warmth, contrast, colourfulness, change, jump

    def _flush(self) -> None:
        if not self.pending:
            return
        if self.batch is not None:
            colours = [tuple(row) for row in self.batch.measure([p[1] for p in self.pending])]
        else:
            colours = [self._colour_on_cpu(p[1]) for p in self.pending]
        for (time_s, _, grey, complexity, motion), colour in zip(self.pending, colours, strict=True):
            lightness, saturation, warmth, contrast, colourfulness, change, jump = colour
            index = len(self.signals)
            # A likely cut (the causal half of detect_cuts' test) gets its own check, so every
            # shot's faces are sampled near its start, not only on the once-a-second clock.
            likely_cut = change >= _CUT_MINIMUM and change >= _CUT_RATIO * max(self.previous_change, 0.01)
            self.previous_change = change
            if index - self.last_face_check >= _FACE_EVERY or (likely_cut and index - self.last_face_check > 1):
                self.last_face_check = index
                count, area, smiles = self.faces.detect(grey)
            else:
                count, area, smiles = -1, 0.0, 0
            self.signals.append(FrameSignals(time_s, float(lightness), float(saturation), float(warmth),
                                             float(contrast), float(colourfulness), complexity, float(change),
                                             float(jump), *motion, count, area, smiles))
        self.pending.clear()


def extract_video(
    path: str | os.PathLike[str],
    *,
    device: str = "auto",
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> VideoAnalysis:
    """Analyse a video file (see :mod:`core.video.features` for the formulas).

    ``device``: ``auto`` (CUDA when present), ``cpu`` or ``cuda``. On CUDA the colour and
    change signals are computed in batches on the GPU (:mod:`core.video.batch`); the
    CPU path computes them frame by frame with OpenCV, which is faster there.

    Raises
    ------
    MediaError
        Not a video, empty, no decodable frame, no video track.
    InputError
        ``device`` names CUDA on a machine without it, or is not a device name.
    Cancelled
        ``cancel`` was set.
    """
    info = probe(path)
    name = Path(path).name
    measurer = _Measurer(resolve_device(device))
    report(progress, 0.0, f"Analysing {name}")
    keyframes: list[float] = []
    for index, frame in enumerate(iter_frames(path, rate=ANALYSIS_RATE, cancel=cancel, keyframes=keyframes)):
        measurer.add(frame)
        if info.duration_s > 0 and index % 8 == 0:
            report(progress, min(0.99, frame.time_s / info.duration_s), f"Analysing {name}")
    signals = measurer.finish()

    times = np.array([s.time_s for s in signals])
    step = 1.0 / ANALYSIS_RATE
    duration = float(times[-1] + step) if times.size else 0.0
    if info.duration_s > 0:
        duration = min(max(duration, times[-1] if times.size else 0.0), max(info.duration_s, duration))
    # Candidates from the analysis frames, made exact by decoding their neighbourhoods at full rate.
    boundaries = refine_boundaries(path, times, np.array([s.change for s in signals]), measurer.gradual.spans(),
                                   fps=info.fps, keyframes=keyframes, cancel=cancel)
    cuts = [c for c in boundaries.cuts if c < duration]
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
        transitions=boundaries.transitions,
    )
