"""Per-frame visual signals: colour, complexity, change, motion and faces.

Every function takes small BGR frames (320 px wide by default, see
:mod:`core.video.source`) and returns plain numbers, collected per frame in
:class:`FrameSignals`.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np

__all__ = ["FaceDetector", "FrameSignals", "colour_signals", "content_change", "edge_density", "motion_signals"]

_WARM_HUE_DEG = 30.0  # orange; the cool pole is the opposite hue, 210 degrees (cyan-blue)


class FrameSignals(NamedTuple):
    """What one analysis frame shows (motion and change relative to the previous one)."""

    time_s: float
    """Presentation time, seconds."""
    lightness: float
    """Mean CIE L* / 100, 0..1."""
    saturation: float
    """Mean HSV saturation, 0..1."""
    warmth: float
    """Saturation-weighted mean of cos(hue - 30 deg): +1 orange .. -1 cyan-blue (0 for grey)."""
    contrast: float
    """Standard deviation of L* / 100 (RMS contrast), about 0..0.5."""
    colourfulness: float
    """Hasler & Suesstrunk (2003) colourfulness / 100, about 0..1.5."""
    complexity: float
    """Share of pixels on Canny edges, 0..1."""
    change: float
    """Content change from the previous frame (mean absolute HSV difference / 255), 0..1."""
    lightness_jump: float
    """Absolute change of mean lightness from the previous frame, 0..1."""
    object_motion: float
    """Mean speed of the fastest 5 % of the frame after removing the camera's motion, frame widths/s."""
    camera_motion: float
    """Magnitude of the global (camera) motion, frame widths/s."""
    moving_share: float
    """Share of the frame whose motion differs from the camera's by > 2 % of the width per second."""
    faces: int
    """Faces detected (-1 when face detection did not run on this frame)."""
    face_area: float
    """Area of the largest face as a share of the frame, 0..1."""
    smiles: int
    """Faces with a detected smile."""


def colour_signals(bgr: np.ndarray, hsv: np.ndarray | None = None) -> tuple[float, float, float, float, float]:
    """(lightness, saturation, warmth, contrast, colourfulness) of one frame.

    ``hsv`` is the frame in OpenCV's 8-bit HSV, if the caller already has it.
    """
    lab = cv2.cvtColor(bgr, cv2.COLOR_BGR2LAB)
    lightness = lab[..., 0].astype(np.float32) / 255.0  # OpenCV scales L* 0..100 to 0..255
    if hsv is None:
        hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    hue = hsv[..., 0].astype(np.float32) * 2.0  # degrees
    sat = hsv[..., 1].astype(np.float32) / 255.0
    weight = float(sat.sum())
    warmth = float((sat * np.cos(np.deg2rad(hue - _WARM_HUE_DEG))).sum() / weight) if weight > 1e-6 else 0.0
    b, g, r = (bgr[..., i].astype(np.float32) for i in range(3))
    rg, yb = r - g, 0.5 * (r + g) - b
    colourfulness = (np.sqrt(rg.std() ** 2 + yb.std() ** 2) + 0.3 * np.sqrt(rg.mean() ** 2 + yb.mean() ** 2)) / 100
    return float(lightness.mean()), float(sat.mean()), warmth, float(lightness.std()), float(colourfulness)


def edge_density(grey: np.ndarray) -> float:
    """Share of pixels on Canny edges (thresholds 80/160), 0..1: the frame's visual complexity."""
    edges = cv2.Canny(grey, 80, 160)
    return float(np.count_nonzero(edges)) / edges.size


def content_change(previous_hsv: np.ndarray, current_hsv: np.ndarray) -> float:
    """Mean absolute difference of the H, S and V channels / 255 (PySceneDetect's content score)."""
    diff = cv2.absdiff(previous_hsv, current_hsv)
    hue = diff[..., 0].astype(np.float32)
    hue = np.minimum(hue, 180 - hue) * (255.0 / 90.0)  # hue is circular
    return float((hue.mean() + diff[..., 1].mean() + diff[..., 2].mean()) / (3 * 255.0))


_MIN_FLOW_SIDE = 48
"""Frames whose short side is smaller are enlarged to this before optical flow (px)."""


def motion_signals(previous_grey: np.ndarray, current_grey: np.ndarray, dt: float) -> tuple[float, float, float]:
    """(object_motion, camera_motion, moving_share) from dense optical flow between two frames.

    Dense inverse-search flow (DIS, Kroeger et al. 2016, OpenCV's "medium" preset) at the
    second frame's size (160 px wide from the frame source; the first frame is scaled to
    match): on our benchmark footage its mean speeds correlate 0.99 with Farneback's
    (Farneback 2003) at 0.6 of the time. The camera's motion is the
    similarity transform fitted to the flow field by RANSAC
    (``cv2.estimateAffinePartial2D``), and object motion is what remains. Speeds are in
    frame widths per second so they do not depend on the resolution or the frame rate.
    """
    if dt <= 0:
        return 0.0, 0.0, 0.0
    size = (current_grey.shape[1], current_grey.shape[0])  # flow runs at the size of the second frame
    a = cv2.resize(previous_grey, size, interpolation=cv2.INTER_AREA) if previous_grey.shape != current_grey.shape \
        else previous_grey
    b = current_grey
    # DIS needs a few patches across each side: a 4000x200 frame arrives 160x8 and gave NaN flow.
    # Enlarging both frames changes no speed: speeds are measured in frame widths per second.
    enlarge = _MIN_FLOW_SIDE / min(b.shape)
    if enlarge > 1.0:
        a = cv2.resize(a, None, fx=enlarge, fy=enlarge, interpolation=cv2.INTER_LINEAR)
        b = cv2.resize(b, None, fx=enlarge, fy=enlarge, interpolation=cv2.INTER_LINEAR)
    flow = _flow_engine().calc(a, b, None)
    if not np.isfinite(flow).all():  # never seen at this size, but a NaN here would reach every feature
        flow = np.nan_to_num(flow, nan=0.0, posinf=0.0, neginf=0.0)
    h, w = a.shape
    ys, xs = np.mgrid[4:h:8, 4:w:8]
    points = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float32)
    moved = points + flow[ys.ravel(), xs.ravel()]
    matrix, _ = cv2.estimateAffinePartial2D(points, moved, method=cv2.RANSAC, ransacReprojThreshold=1.0)
    grid_y, grid_x = np.mgrid[0:h, 0:w].astype(np.float32)
    if matrix is None:
        camera = np.zeros_like(flow)
    else:
        camera = np.stack(
            [matrix[0, 0] * grid_x + matrix[0, 1] * grid_y + matrix[0, 2] - grid_x,
             matrix[1, 0] * grid_x + matrix[1, 1] * grid_y + matrix[1, 2] - grid_y],
            axis=-1,
        )
    residual = np.linalg.norm(flow - camera, axis=-1) / (w * dt)
    camera_speed = float(np.linalg.norm(camera, axis=-1).mean()) / (w * dt)
    # The fastest 5 % of the frame: a small object moving fast is strong motion too.
    fastest = np.partition(residual.ravel(), int(0.95 * residual.size))[int(0.95 * residual.size):]
    return float(fastest.mean()), camera_speed, float((residual > 0.02).mean())


_per_thread = threading.local()


def _flow_engine() -> cv2.DISOpticalFlow:
    """One DIS flow object per thread (it keeps buffers between calls and is not thread-safe)."""
    engine = getattr(_per_thread, "dis", None)
    if engine is None:
        engine = _per_thread.dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
    return engine


@lru_cache(maxsize=1)
def _cascades() -> tuple[cv2.CascadeClassifier, cv2.CascadeClassifier]:
    folder = Path(cv2.data.haarcascades)
    face = cv2.CascadeClassifier(str(folder / "haarcascade_frontalface_alt2.xml"))
    smile = cv2.CascadeClassifier(str(folder / "haarcascade_smile.xml"))
    if face.empty() or smile.empty():
        raise RuntimeError("OpenCV's Haar cascades are missing (opencv-python-headless 4.x ships them)")
    return face, smile


class FaceDetector:
    """Frontal faces and smiles with OpenCV's Haar cascades (Viola & Jones 2001; Lienhart's
    ``frontalface_alt2`` tree cascade, which matched the default cascade's detections on
    our test photographs and grainy footage at four fifths of its time).

    The cascades ship inside the ``opencv-python-headless`` 4.x wheel, so nothing is
    downloaded. Faces smaller than 1/9 of the frame height are ignored (they carry little
    of a shot's character and the small scales cost most of the time). A face must be
    confirmed by 5 neighbouring detections: on real photographs (scikit-image's sample
    images, see ``tests/core/test_video_faces.py``) 8 missed a plain frontal face and 5
    found it with no false detection on the thirteen face-free images.
    """

    def __init__(self) -> None:
        self.face, self.smile = _cascades()

    def detect(self, grey: np.ndarray) -> tuple[int, float, int]:
        """(faces, largest face area share, faces with a smile) in a greyscale frame."""
        h, w = grey.shape
        equalised = cv2.equalizeHist(grey)
        minimum = max(20, h // 9)
        faces = self.face.detectMultiScale(equalised, scaleFactor=1.2, minNeighbors=5, minSize=(minimum, minimum))
        if len(faces) == 0:
            return 0, 0.0, 0
        largest = max(fw * fh for _, _, fw, fh in faces) / float(h * w)
        smiles = 0
        for x, y, fw, fh in faces:
            # A face at analysis size is 20-60 px, too small for the smile cascade's 36x18
            # window to see a mouth: look at the lower half scaled to a 96 px wide face.
            mouth = equalised[y + fh // 2 : y + fh, x : x + fw]
            scale = 96.0 / fw
            mouth = cv2.resize(mouth, (96, max(1, int(round(mouth.shape[0] * scale)))), interpolation=cv2.INTER_LINEAR)
            found = self.smile.detectMultiScale(mouth, scaleFactor=1.1, minNeighbors=15, minSize=(24, 12))
            smiles += int(len(found) > 0)
        return len(faces), float(largest), smiles
