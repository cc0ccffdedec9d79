"""The face detector on real photographs (scikit-image's bundled sample images).

No real footage with people ships with the project, so clips are made from real
photographs with a slow push-in (the "Ken Burns" move an editor would use on a still):
a frontal, smiling face must be found in most checked frames and nothing must be found
in real face-free scenes. These are the measurements that chose the detector settings.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

skimage_data = pytest.importorskip("skimage.data")

from core.video.analysis import extract_video  # noqa: E402
from core.video.signals import FaceDetector  # noqa: E402
from core.video.synth import write_frames  # noqa: E402

FACE_FREE = ["coffee", "chelsea", "rocket", "grass", "brick", "gravel", "coins", "text", "hubble_deep_field",
             "retina", "immunohistochemistry", "camera"]
"""Real photographs without a frontal human face (``camera``: a man seen from the side, behind a camera)."""


def _rgb(name: str) -> np.ndarray:
    image = getattr(skimage_data, name)()
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    return np.ascontiguousarray(image[..., :3])


def _letterboxed(image: np.ndarray, width: int = 320, height: int = 180, zoom: float = 1.0) -> np.ndarray:
    """The photo scaled to fit a 16:9 frame (zoomed in about its centre by ``zoom``), on black."""
    h, w = image.shape[:2]
    crop_h, crop_w = int(h / zoom), int(w / zoom)
    top, left = (h - crop_h) // 2, (w - crop_w) // 2
    crop = image[top : top + crop_h, left : left + crop_w]
    scale = min(width / crop_w, height / crop_h)
    fitted = cv2.resize(crop, (int(crop_w * scale), int(crop_h * scale)), interpolation=cv2.INTER_AREA)
    out = np.zeros((height, width, 3), np.uint8)
    y, x = (height - fitted.shape[0]) // 2, (width - fitted.shape[1]) // 2
    out[y : y + fitted.shape[0], x : x + fitted.shape[1]] = fitted
    return out


def _push_in(path, image: np.ndarray, seconds: float = 4.0, fps: int = 24):
    frames = int(seconds * fps)
    pictures = (_letterboxed(image, zoom=1.0 + 0.15 * i / frames) for i in range(frames))
    return write_frames(path, pictures, fps=fps, size=(320, 180), seconds=seconds)


def test_face_and_smile_found_in_a_real_portrait(tmp_path):
    faces, area, smiles = FaceDetector().detect(cv2.cvtColor(_letterboxed(_rgb("astronaut")), cv2.COLOR_RGB2GRAY))
    assert (faces, smiles) == (1, 1)
    assert 0.015 < area < 0.06  # the face is about 40 px of a 180 px high frame

    result = extract_video(_push_in(tmp_path / "portrait.mp4", _rgb("astronaut")))
    m = result.measurements
    assert m.face_presence >= 0.8
    assert m.face_count == pytest.approx(1.0)
    assert m.smile_share >= 0.5
    assert result.features.character_tension > 0
    assert result.features.image_affinity > 0


@pytest.mark.parametrize("name", FACE_FREE)
def test_no_face_in_real_scenes_without_people(name):
    picture = cv2.cvtColor(_letterboxed(_rgb(name)), cv2.COLOR_RGB2GRAY)
    assert FaceDetector().detect(picture) == (0, 0.0, 0)


def test_face_free_footage_has_no_faces(tmp_path):
    result = extract_video(_push_in(tmp_path / "cat.mp4", _rgb("chelsea")))
    assert result.measurements.face_presence == 0
    assert result.features.character_tension == 0
