"""The 11 video features of SPEC.md §2 from per-frame signals: one documented formula each.

Aggregate measurements over a span of frames (a clip, a shot, a second) are collected in
:class:`VideoMeasurements`; each feature is a fixed formula over them, written with the
``unit``, ``sym`` and ``sat`` mappings of :mod:`core.calibration`. Constants are fixed,
never relative to the clips at hand.

References: Valdez & Mehrabian 1994 (J. Exp. Psych. General 123) for the pleasure and
arousal of brightness and saturation; Hanjalic & Xu 2005 (IEEE Trans. Multimedia 7) for
motion and shot length (cut rate) as the arousal of video; Hasler & Suesstrunk 2003 for
colourfulness; Kang 2003 and Machajdik & Hanbury 2010 for warm hues, darkness and
contrast in affective image classification.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from core.calibration import sat as _sat
from core.calibration import sym as _sym
from core.calibration import unit as _unit
from core.features import VideoFeatures
from core.video.signals import FrameSignals

__all__ = ["VideoMeasurements", "measure_span", "video_features"]


@dataclass(frozen=True)
class VideoMeasurements:
    """Aggregates of the per-frame signals over a span of the clip."""

    lightness: float
    """Mean L* / 100."""
    saturation: float
    """Mean HSV saturation."""
    warmth: float
    """Mean saturation-weighted hue warmth, -1 (cyan-blue) .. +1 (orange)."""
    contrast: float
    """Mean RMS contrast of L* / 100."""
    colourfulness: float
    """Mean Hasler-Suesstrunk colourfulness / 100."""
    complexity: float
    """Mean share of edge pixels."""
    palette_spread: float
    """Standard deviation over frames of mean lightness, saturation and warmth (summed): variety of looks."""
    change_rate: float
    """Mean content change per second between analysis frames (cuts excluded)."""
    cuts_per_minute: float
    """Detected cuts per minute."""
    flash_rate: float
    """Sudden lightness changes (> 0.12 between frames, cuts excluded) per second."""
    object_motion: float
    """Mean over frames of the speed of the fastest-moving 5 % of the frame (camera motion removed), widths/s."""
    camera_motion: float
    """Mean camera speed, frame widths/s."""
    camera_shake: float
    """Standard deviation of the camera speed, frame widths/s."""
    moving_share: float
    """Mean share of the frame that moves on its own."""
    face_presence: float
    """Share of face-checked frames with at least one face."""
    face_area: float
    """Mean area share of the largest face, over frames with faces."""
    face_count: float
    """Mean number of faces, over frames with faces."""
    smile_share: float
    """Share of detected faces that smile."""

    def as_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}


def measure_span(frames: list[FrameSignals], cut_times: list[float], seconds: float) -> VideoMeasurements:
    """Aggregate per-frame signals over one span (frames in time order, cuts inside the span)."""
    if not frames:
        raise ValueError("a span needs at least one frame")
    cut_set = {round(t, 6) for t in cut_times}
    columns = {name: np.array([getattr(f, name) for f in frames], dtype=np.float64) for name in FrameSignals._fields}
    times = columns["time_s"]
    # Motion and change across a cut compare two different shots: leave those frames out.
    within = np.array([i > 0 and round(t, 6) not in cut_set for i, t in enumerate(times)])

    def mean(name: str, mask: np.ndarray | None = None) -> float:
        values = columns[name] if mask is None else columns[name][mask]
        return float(values.mean()) if values.size else 0.0

    checked = columns["faces"] >= 0
    with_faces = checked & (columns["faces"] > 0)
    face_total = float(columns["faces"][with_faces].sum())
    looks = np.stack([columns["lightness"], columns["saturation"], columns["warmth"] / 2.0])
    span = max(seconds, 1e-6)
    return VideoMeasurements(
        lightness=mean("lightness"),
        saturation=mean("saturation"),
        warmth=mean("warmth"),
        contrast=mean("contrast"),
        colourfulness=mean("colourfulness"),
        complexity=mean("complexity"),
        palette_spread=float(looks.std(axis=1).sum()) if len(frames) > 1 else 0.0,
        change_rate=float(np.sum(columns["change"][within]) / span),
        cuts_per_minute=60.0 * len(cut_times) / span,
        flash_rate=float(np.count_nonzero(within & (columns["lightness_jump"] > 0.12))) / span,
        object_motion=mean("object_motion", within),
        camera_motion=mean("camera_motion", within),
        camera_shake=float(columns["camera_motion"][within].std()) if within.sum() > 1 else 0.0,
        moving_share=mean("moving_share", within),
        face_presence=float(with_faces.sum() / checked.sum()) if checked.any() else 0.0,
        face_area=mean("face_area", with_faces),
        face_count=mean("faces", with_faces),
        smile_share=float(columns["smiles"][with_faces].sum() / face_total) if face_total else 0.0,
    )


def video_features(m: VideoMeasurements) -> VideoFeatures:
    """The 11 features from aggregated measurements (formulas in the code and docs/features.md)."""
    action_energy = 100.0 * _sat(m.object_motion, 0.25)
    pace_cuts = _sat(m.cuts_per_minute, 20.0)
    colour_arousal = 0.5 * _unit(m.saturation, 0.1, 0.7) + 0.5 * _unit(m.contrast, 0.05, 0.3)
    colour_warmth = 0.5 + 0.5 * float(np.clip(m.warmth, -1.0, 1.0))
    smile = m.smile_share * m.face_presence

    character_tension = 100.0 * (
        0.35 * m.face_presence
        + 0.25 * _unit(m.face_area, 0.0, 0.12)
        + 0.15 * _unit(m.face_count, 1.0, 4.0) * (m.face_presence > 0)
        + 0.25 * m.face_presence * _sat(m.object_motion, 0.25)
    )
    scene_tension = 100.0 * (
        0.35 * (1.0 - _unit(m.lightness, 0.15, 0.75))
        + 0.25 * _unit(m.contrast, 0.05, 0.3)
        + 0.2 * _sat(m.camera_shake, 0.05)
        + 0.2 * _sat(m.flash_rate, 0.5)
    )
    narrative_pace = 100.0 * (0.7 * pace_cuts + 0.3 * _sat(m.change_rate, 0.5))
    narrative_content = 100.0 * (
        0.45 * _unit(m.complexity, 0.01, 0.15)
        + 0.3 * _sat(m.cuts_per_minute, 15.0)
        + 0.25 * _unit(m.palette_spread, 0.0, 0.3)
    )
    image_affinity = 100.0 * float(np.clip(
        0.35 * (2.0 * m.face_presence - 1.0)
        + 0.25 * (2.0 * smile - 1.0) * (m.face_presence > 0)
        + 0.25 * (2.0 * colour_warmth - 1.0)
        + 0.15 * -_sym(m.contrast, 0.05, 0.3),
        -1.0, 1.0,
    ))
    color_heaviness = float(np.clip(0.7 * (1.0 - m.lightness) + 0.3 * m.saturation, 0.0, 1.0))
    motion_amplitude = float(np.clip(0.7 * _unit(m.moving_share, 0.0, 0.6) + 0.3 * _sat(m.object_motion, 0.25), 0, 1))
    visual_arousal = 100.0 * (0.35 * action_energy / 100.0 + 0.3 * pace_cuts + 0.2 * colour_arousal
                              + 0.15 * _sat(m.camera_motion + m.camera_shake, 0.1))
    visual_valence = 100.0 * float(np.clip(
        0.35 * _sym(m.lightness, 0.2, 0.7)
        + 0.2 * _sym(m.saturation, 0.1, 0.5)
        + 0.25 * (2.0 * colour_warmth - 1.0)
        + 0.2 * (2.0 * smile - m.face_presence),
        -1.0, 1.0,
    ))
    return VideoFeatures(
        character_tension=character_tension,
        scene_tension=scene_tension,
        narrative_pace=narrative_pace,
        narrative_content=narrative_content,
        image_affinity=image_affinity,
        action_energy=action_energy,
        color_heaviness=color_heaviness,
        color_warmth=colour_warmth,
        motion_amplitude=motion_amplitude,
        visual_arousal=visual_arousal,
        visual_valence=visual_valence,
    )
