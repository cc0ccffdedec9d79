"""The batched torch path of the colour and change signals agrees with the OpenCV path.

Runs on the CPU always (the same torch code the GPU runs) and again on CUDA where a
device exists. Tolerances: the OpenCV path rounds through 8-bit Lab and HSV with its own
fixed-point arithmetic, the torch path computes in float32 and rounds to the same 8-bit
levels, so single pixels may differ by one level; clip means agree far closer than any
formula in core.video.features can notice.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import torch

from core.errors import InputError
from core.video.analysis import extract_video
from core.video.batch import ColourBatch, resolve_device
from core.video.signals import colour_signals, content_change
from core.video.synth import ClipSpec, render_frames, write_clip

TOLERANCE = {"lightness": 0.002, "saturation": 0.001, "warmth": 0.002, "contrast": 0.001, "colourfulness": 0.001,
             "change": 0.0005, "lightness_jump": 0.002}
"""Largest allowed absolute difference per signal (their units: 0..1 fractions, except warmth -1..1)."""

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def _frames() -> list[np.ndarray]:
    rng = np.random.default_rng(3)
    frames = []
    for spec in (ClipSpec(seconds=1, fps=8, cast=(1.3, 1.0, 0.7), brightness=0.9, object_speed=0.3, seed=1),
                 ClipSpec(seconds=1, fps=8, cast=(0.7, 1.0, 1.3), brightness=0.4, shot_seconds=0.5, seed=2)):
        frames += [np.ascontiguousarray(rgb[..., ::-1]) for _, rgb in render_frames(spec)]
    frames.append(np.zeros((180, 320, 3), np.uint8))  # black: no hue, no saturation
    frames.append(np.full((180, 320, 3), 255, np.uint8))  # white
    frames.append(rng.integers(0, 256, size=(180, 320, 3), dtype=np.uint8))  # noise: every hue
    return frames


def _opencv_path(frames):
    rows, previous = [], None
    for image in frames:
        hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
        stats = colour_signals(image, hsv)
        change = 0.0 if previous is None else content_change(previous[0], hsv)
        jump = 0.0 if previous is None else abs(stats[0] - previous[1])
        rows.append((*stats, change, jump))
        previous = (hsv, stats[0])
    return np.array(rows)


@pytest.mark.parametrize("device", DEVICES)
def test_batched_signals_match_opencv(device):
    frames = _frames()
    expected = _opencv_path(frames)
    batch = ColourBatch(device)
    # Uneven batches: the change across a batch boundary must use the previous batch's last frame.
    got = np.concatenate([batch.measure(frames[:5]), batch.measure(frames[5:6]), batch.measure(frames[6:])])
    assert got.shape == expected.shape
    for column, (name, tolerance) in enumerate(TOLERANCE.items()):
        error = np.abs(got[:, column] - expected[:, column]).max()
        assert error <= tolerance, f"{name}: differs by {error:.5f} (tolerance {tolerance})"


@pytest.mark.parametrize("device", DEVICES)
def test_clip_features_agree_across_devices(tmp_path, device, monkeypatch):
    clip = write_clip(tmp_path / "c.mp4", ClipSpec(seconds=3, cast=(1.2, 1.0, 0.8), object_speed=0.4, shot_seconds=1.5))
    reference = extract_video(clip, device="cpu")
    if device == "cpu":
        # Force the batched torch path on the CPU: it is the code a GPU runs.
        import core.video.analysis as analysis

        monkeypatch.setattr(analysis, "_uses_batches", lambda _device: True)
    batched = extract_video(clip, device=device)
    assert batched.shots == reference.shots
    np.testing.assert_allclose(batched.features.to_array(), reference.features.to_array(), atol=0.5)


def test_device_names():
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_device("auto").type in ("cpu", "cuda")
    with pytest.raises(InputError, match="auto, cpu or cuda"):
        resolve_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(InputError, match="no CUDA device"):
            resolve_device("cuda")
