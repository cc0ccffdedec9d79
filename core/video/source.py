"""Stream frames from a video file at a reduced rate and size, in bounded memory.

FFmpeg (through PyAV) decodes with its own threads; frames between analysis instants are
decoded (a codec cannot skip reference frames) but never converted, which is where most
of the cost of a naive reader goes. Only every frame that falls on the analysis clock is
scaled, once, to the analysis width and converted to BGR for OpenCV. Rotation metadata
(phones) is applied, odd sizes and 10-bit sources are handled by FFmpeg's scaler, and
timestamps come from the stream, so variable frame rate clips keep true times.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from core.errors import MediaError
from core.fileio import first_line, require_media_file
from core.jobs import CancelToken, prefetch

__all__ = ["FLOW_WIDTH", "Frame", "VideoInfo", "iter_frames", "probe"]

FLOW_WIDTH = 160
"""Width of the greyscale follower frames that optical flow runs on, pixels."""


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about a video."""

    path: Path
    duration_s: float
    fps: float
    """Average frame rate (frames per second)."""
    width: int
    """Display width after rotation, pixels."""
    height: int
    rotation: int
    """Clockwise rotation applied for display, degrees (0, 90, 180, 270)."""
    codec: str
    has_audio: bool


@dataclass(frozen=True)
class Frame:
    """One analysis frame."""

    time_s: float
    """Presentation time from the start of the clip, seconds."""
    image: np.ndarray
    """BGR uint8, shape ``(height, width, 3)`` at the analysis size."""
    follower: np.ndarray | None = None
    """The next decoded frame, greyscale uint8 at ``FLOW_WIDTH`` (for optical flow), or ``None`` at the end."""
    follower_dt: float = 0.0
    """Time from this frame to its follower, seconds."""


def _open(path: Path):
    require_media_file(path, "video")
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise MediaError(f"{path}: not a readable video ({first_line(exc)})") from None
    if not container.streams.video:
        container.close()
        raise MediaError(f"{path}: has no video track (an audio-only file?)")
    return container


def _rotation(stream, frame=None) -> int:
    """Clockwise display rotation: the old ``rotate`` tag, else the frame's display matrix.

    FFmpeg reports the display matrix angle counter-clockwise (a phone's portrait clip
    reads -90), hence the sign flip.
    """
    try:
        value = stream.metadata.get("rotate")
        if value is not None:
            return int(value) % 360
    except (ValueError, AttributeError):
        pass
    angle = getattr(frame, "rotation", 0) if frame is not None else 0
    return int(round(-float(angle or 0) / 90.0)) * 90 % 360


def probe(path: str | os.PathLike[str]) -> VideoInfo:
    """Read a video's duration, rate, size, rotation and codec without decoding it."""
    file = Path(path)
    container = _open(file)
    with container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate or stream.guessed_rate or 0) or 25.0
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / 1_000_000.0
        else:
            duration = 0.0
        width, height = stream.codec_context.width, stream.codec_context.height
        first = None
        with contextlib.suppress(av.error.FFmpegError):
            first = next(container.decode(stream), None)
        rotation = _rotation(stream, first)
        if rotation in (90, 270):
            width, height = height, width
        return VideoInfo(
            path=file,
            duration_s=duration,
            fps=fps,
            width=int(width),
            height=int(height),
            rotation=rotation,
            codec=stream.codec_context.name or "unknown",
            has_audio=bool(container.streams.audio),
        )


def iter_frames(
    path: str | os.PathLike[str],
    *,
    rate: float = 8.0,
    width: int = 320,
    cancel: CancelToken | None = None,
    background: bool = True,
) -> Iterator[Frame]:
    """Yield frames about ``rate`` times a second, scaled to ``width`` pixels wide.

    Parameters
    ----------
    rate : float
        Analysis frames per second (at most the clip's own rate).
    width : int
        Width of the yielded images; the height keeps the display aspect ratio (even).
    background : bool
        Decode in a background thread a few analysis frames ahead (see
        :func:`core.jobs.prefetch`), so FFmpeg keeps decoding while the caller analyses.
        FFmpeg and its scaler release the GIL, so the two really run in parallel.

    Raises
    ------
    MediaError
        The file cannot be opened or holds no decodable video frame. A file that breaks
        off part-way yields the frames before the damage and stops.
    """
    frames = _decode(Path(path), rate, width, cancel)
    return prefetch(frames, depth=6, name="video-decode") if background else frames


def _decode(file: Path, rate: float, width: int, cancel: CancelToken | None) -> Iterator[Frame]:
    """The decoding loop of :func:`iter_frames`.

    Raises
    ------
    MediaError
        The file cannot be opened or holds no decodable video frame. A file that breaks
        off part-way yields the frames before the damage and stops.
    """
    container = _open(file)
    yielded = 0
    with container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        # The deblocking filter only polishes edges for viewing; analysis at 320 px cannot
        # see the difference, and skipping it saves about a sixth of H.264 decoding time.
        stream.codec_context.options = {"skip_loop_filter": "all"}
        # Frames no other frame refers to (x264's non-reference B-frames, about one in eight)
        # can be dropped without decoding them: the analysis clock and the flow followers
        # take the nearest decoded frame, whose true timestamp they keep.
        stream.codec_context.skip_frame = "NONREF"
        rotation: int | None = None
        time_base = float(stream.time_base) if stream.time_base is not None else 0.0
        start = None
        next_time = 0.0
        step = 1.0 / rate
        pending: tuple[float, np.ndarray] | None = None  # an analysis frame waiting for its follower
        try:
            for frame in container.decode(stream):
                if frame.pts is None:
                    continue
                t = frame.pts * time_base
                if rotation is None:
                    rotation = _rotation(stream, frame)
                if start is None:
                    start = t
                t -= start
                if pending is not None:
                    # Motion is measured between an analysis frame and the very next frame, so
                    # displacements stay small (what optical flow tracks well) at any analysis rate.
                    follower = _convert(frame, FLOW_WIDTH, rotation, grey=True)
                    yield Frame(pending[0], pending[1], follower, t - pending[0])
                    yielded += 1
                    pending = None
                if t + 1e-6 < next_time:
                    continue
                next_time = max(next_time + step, t + 0.5 * step)
                if cancel is not None:
                    cancel.raise_if_cancelled()
                pending = (t, _convert(frame, width, rotation))
            if pending is not None:
                yield Frame(pending[0], pending[1])
                yielded += 1
                pending = None
        except av.error.FFmpegError as exc:
            if pending is not None:
                yield Frame(pending[0], pending[1])
                yielded += 1
            if yielded == 0:
                raise MediaError(f"{file}: cannot decode the video ({first_line(exc)})") from None
            # A damaged tail: keep what decoded cleanly.
    if yielded == 0:
        raise MediaError(f"{file}: no video frame could be decoded")


def _convert(frame, width: int, rotation: int, *, grey: bool = False) -> np.ndarray:
    """Scale (area averaging: fast and alias-free when shrinking), convert and rotate one frame."""
    src_w, src_h = frame.width, frame.height
    if rotation in (90, 270):
        src_w, src_h = src_h, src_w
    height = max(2, int(round(width * src_h / max(src_w, 1) / 2)) * 2)
    out_w, out_h = (height, width) if rotation in (90, 270) else (width, height)
    image = frame.reformat(width=out_w, height=out_h, format="gray" if grey else "bgr24",
                           interpolation="AREA").to_ndarray()
    if rotation == 90:
        image = np.rot90(image, k=-1)
    elif rotation == 180:
        image = image[::-1, ::-1]
    elif rotation == 270:
        image = np.rot90(image, k=1)
    return np.ascontiguousarray(image)
