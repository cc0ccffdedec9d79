"""Generated video clips with known content: the ground truth for tests, benchmarks and the demo.

A clip is a sequence of shots. Each shot has a textured background with its own
palette (so cuts are real visual changes), an optional colour cast and brightness, and
a textured block moving at a known speed over a known share of the frame; the camera
may pan. Written as H.264 with PyAV (OpenCV's pip build cannot encode H.264).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

__all__ = ["ClipSpec", "EditSpec", "render_edit", "render_frames", "write_clip", "write_edit", "write_frames"]


@dataclass(frozen=True)
class ClipSpec:
    """What to render in :func:`write_clip`."""

    seconds: float = 6.0
    fps: int = 24
    width: int = 320
    height: int = 180
    shot_seconds: float | None = None
    """Cut to a new shot (new palette and layout) every this many seconds; ``None``: one shot."""
    cast: tuple[float, float, float] = (1.0, 1.0, 1.0)
    """Multipliers of the R, G, B channels (a colour cast)."""
    brightness: float = 1.0
    """Overall gain of the picture (0.2 dark .. 1.3 bright)."""
    object_speed: float = 0.0
    """Speed of the moving block, frame widths per second."""
    object_size: float = 0.25
    """Side of the moving block as a share of the frame height."""
    pan_speed: float = 0.0
    """Camera pan, frame widths per second (the background moves)."""
    saturation: float = 1.0
    """Gain of the background palette's saturation around grey."""
    seed: int = 0


def _texture(rng: np.random.Generator, height: int, width: int, palette: np.ndarray) -> np.ndarray:
    """A smooth random texture coloured with two palette colours (float RGB 0..1)."""
    coarse = rng.random((height // 8 + 2, width // 8 + 2))
    ys = np.linspace(0, coarse.shape[0] - 1.001, height)
    xs = np.linspace(0, coarse.shape[1] - 1.001, width)
    y0, x0 = ys.astype(int), xs.astype(int)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    field = (coarse[y0][:, x0] * (1 - fy) * (1 - fx) + coarse[y0 + 1][:, x0] * fy * (1 - fx)
             + coarse[y0][:, x0 + 1] * (1 - fy) * fx + coarse[y0 + 1][:, x0 + 1] * fy * fx)
    return palette[0] * field[..., None] + palette[1] * (1 - field[..., None])


def render_frames(spec: ClipSpec):
    """Yield ``(time_s, rgb_uint8)`` for every frame of the clip."""
    rng = np.random.default_rng(spec.seed)
    n_frames = int(round(spec.seconds * spec.fps))
    shot_len = spec.shot_seconds or spec.seconds
    backgrounds: dict[int, np.ndarray] = {}
    block_px = max(4, int(spec.object_size * spec.height))
    block = _texture(np.random.default_rng(spec.seed + 999), block_px, block_px,
                     np.array([[0.95, 0.9, 0.2], [0.1, 0.1, 0.5]]))
    pad = spec.width  # background is wider than the frame so the camera can pan
    for index in range(n_frames):
        t = index / spec.fps
        shot = int(t // shot_len)
        if shot not in backgrounds:
            palette = rng.random((2, 3))
            grey = palette.mean(axis=1, keepdims=True)
            palette = np.clip(grey + (palette - grey) * spec.saturation, 0, 1)
            backgrounds[shot] = _texture(rng, spec.height, spec.width + pad, palette)
        offset = int(round(spec.pan_speed * spec.width * t)) % pad
        image = backgrounds[shot][:, offset : offset + spec.width].copy()
        if spec.object_speed > 0 or spec.object_size > 0:
            travel = spec.width - block_px
            x = int(round(spec.object_speed * spec.width * t)) % (2 * travel) if travel > 0 else 0
            x = x if x <= travel else 2 * travel - x  # bounce back and forth
            y = (spec.height - block_px) // 2
            image[y : y + block_px, x : x + block_px] = block
        image = image * np.array(spec.cast) * spec.brightness
        yield t, (np.clip(image, 0, 1) * 255).astype(np.uint8)


def write_clip(path: str | os.PathLike[str], spec: ClipSpec = ClipSpec(), *, audio: bool = False) -> Path:
    """Render ``spec`` to an H.264 MP4 (yuv420p) at ``path``; optionally with a silent AAC track."""
    pictures = (rgb for _, rgb in render_frames(spec))
    return write_frames(path, pictures, fps=spec.fps, size=(spec.width, spec.height), seconds=spec.seconds,
                        audio=audio)


def write_frames(
    path: str | os.PathLike[str],
    pictures: Iterable[np.ndarray],
    *,
    fps: int | Fraction,
    size: tuple[int, int],
    seconds: float,
    audio: bool = False,
    codec: str = "libx264",
) -> Path:
    """Encode RGB uint8 pictures of ``size`` (width, height) as an MP4 at ``fps`` (a whole number or a
    fraction such as ``Fraction(30000, 1001)``); ``codec`` ``libx264`` (with B-frames) or ``mpeg4``."""
    target = Path(path)
    fps = Fraction(fps).limit_denominator(1001)
    with av.open(str(target), "w") as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        if codec == "libx264":
            stream.options = {"preset": "veryfast", "crf": "20"}
        else:
            stream.bit_rate = 2_000_000
        audio_stream = container.add_stream("aac", rate=44_100, layout="mono") if audio else None
        for index, rgb in enumerate(pictures):
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts = index
            frame.time_base = 1 / fps
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
        if audio_stream is not None:
            samples = np.zeros((1, int(44_100 * seconds)), dtype=np.float32)
            for start in range(0, samples.shape[1], 1024):
                block = samples[:, start : start + 1024]
                chunk = av.AudioFrame.from_ndarray(block, format="fltp", layout="mono")
                chunk.sample_rate = 44_100
                chunk.pts = start
                for packet in audio_stream.encode(chunk):
                    container.mux(packet)
            for packet in audio_stream.encode(None):
                container.mux(packet)
    return target


@dataclass(frozen=True)
class EditSpec:
    """An edited clip with shot changes at known frames, for :func:`write_edit`.

    Frames are counted from 0. Every shot is a textured picture with a block moving across
    it (so frames within a shot change a little, as real footage does).
    """

    frames: int = 150
    fps: int | Fraction = 25
    width: int = 320
    height: int = 180
    cuts: tuple[int, ...] = ()
    """Hard cuts: the first frame of each new shot."""
    dissolves: tuple[tuple[int, int], ...] = ()
    """``(first, end)``: frames ``first .. end - 1`` mix the two shots, ``end`` is the new shot alone."""
    fade_outs: tuple[tuple[int, int], ...] = ()
    """``(first, end)``: frames ``first .. end - 1`` darken the shot, black from ``end`` to the next change."""
    fade_ins: tuple[tuple[int, int], ...] = ()
    """``(first, end)``: frames ``first .. end - 1`` bring a new shot up from black, ``end`` is it alone."""
    object_speed: float = 0.3
    """Speed of each shot's moving block, frame widths per second."""
    seed: int = 0


def render_edit(spec: EditSpec):
    """Yield ``rgb_uint8`` for every frame of ``spec`` (see :class:`EditSpec`).

    In a transition from ``first`` to ``end`` the new picture's weight at frame ``f`` is
    ``(f - first + 1) / (end - first + 1)``: every frame of it is strictly between the two.
    """
    rng = np.random.default_rng(spec.seed)
    events = sorted([(f, f, "cut") for f in spec.cuts] + [(a, b, "dissolve") for a, b in spec.dissolves]
                    + [(a, b, "fade-out") for a, b in spec.fade_outs] + [(a, b, "fade-in") for a, b in spec.fade_ins])
    shots: dict[int, np.ndarray] = {}
    block_px = max(4, spec.height // 4)
    block = _texture(np.random.default_rng(spec.seed + 999), block_px, block_px,
                     np.array([[0.95, 0.9, 0.2], [0.1, 0.1, 0.5]]))
    rate = float(spec.fps)

    def picture(shot: int, index: int) -> np.ndarray:
        if shot not in shots:
            shots[shot] = _texture(rng, spec.height, spec.width, rng.random((2, 3)))
        image = shots[shot].copy()
        travel = spec.width - block_px
        x = int(round(spec.object_speed * spec.width * index / rate)) % (2 * travel)
        x = x if x <= travel else 2 * travel - x
        y = (spec.height - block_px) // 2
        image[y : y + block_px, x : x + block_px] = block
        return image

    for index in range(spec.frames):
        shot, black, image = 0, False, None
        for first, end, kind in events:
            if index < first:
                break
            weight = (index - first + 1) / (end - first + 1) if index < end else 1.0
            if kind == "cut":
                shot, black = shot + 1, False
            elif kind == "dissolve":
                if index < end:
                    image = (1 - weight) * picture(shot, index) + weight * picture(shot + 1, index)
                shot, black = shot + 1, False
            elif kind == "fade-out":
                black = index >= end
                if index < end:
                    image = (1 - weight) * picture(shot, index)
            else:  # fade-in
                shot, black = shot + 1, False
                if index < end:
                    image = weight * picture(shot, index)
            if index >= end:
                image = None
        if image is None:
            image = np.zeros((spec.height, spec.width, 3)) if black else picture(shot, index)
        yield (np.clip(image, 0, 1) * 255).astype(np.uint8)


def write_edit(path: str | os.PathLike[str], spec: EditSpec, *, codec: str = "libx264") -> Path:
    """Render ``spec`` to an MP4 at ``path`` (H.264 with B-frames by default)."""
    return write_frames(path, render_edit(spec), fps=spec.fps, size=(spec.width, spec.height),
                        seconds=spec.frames / float(spec.fps), codec=codec)
