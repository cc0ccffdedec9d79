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

__all__ = ["FLOW_WIDTH", "Frame", "VideoInfo", "decode_windows", "iter_frames", "probe"]

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
    keyframes: list[float] | None = None,
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
    keyframes : list of float, optional
        Filled with the time of every keyframe decoded (seconds, same origin), so that
        :func:`decode_windows` can later tell a seek from decoding straight on.

    Raises
    ------
    MediaError
        The file cannot be opened or holds no decodable video frame. A file that breaks
        off part-way yields the frames before the damage and stops.
    """
    frames = _decode(Path(path), rate, width, cancel, keyframes)
    return prefetch(frames, depth=6, name="video-decode") if background else frames


def _decode(file: Path, rate: float, width: int, cancel: CancelToken | None,
            keyframes: list[float] | None = None) -> Iterator[Frame]:
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
                if keyframes is not None and frame.key_frame:
                    keyframes.append(t)
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


_CONTINUE_S = 1.5
"""Decode forward rather than seek when the next window starts at most this much later (seconds)."""


def decode_windows(
    path: str | os.PathLike[str],
    windows: list[tuple[float, float]],
    *,
    width: int = 160,
    cancel: CancelToken | None = None,
    keyframes: list[float] | None = None,
) -> list[list[tuple[float, np.ndarray]]]:
    """Every frame inside each ``(start_s, end_s)`` window, at the clip's full frame rate.

    Used to refine shot boundaries found by the analysis pass (which skips frames) without a
    second full decode: for each window the demuxer seeks to the keyframe at or before its
    start, reference frames before the window are decoded (the codec needs them) while
    non-reference frames there are skipped, and every frame inside the window is decoded and
    scaled to ``width`` (BGR, rotation not applied: only differences between frames are used).
    Times use the same origin as :func:`iter_frames` (the first decoded frame is 0).

    With the clip's ``keyframes`` (from :func:`iter_frames`), the decoder goes straight on
    from one window to the next unless a keyframe lies between them, and then seeks to it:
    no frame is decoded twice, so all windows together cost at most one decode of the clip
    (far less when cuts are sparse). Without them, windows up to 1.5 s apart are decoded
    in one forward run and farther ones seeked to.

    Parameters
    ----------
    windows : list of (float, float)
        Clip times in seconds, inclusive at both ends.

    Returns
    -------
    list of list of (float, numpy.ndarray)
        For each window in the given order, its ``(time_s, bgr_uint8)`` frames in time order.
        A window past a damaged part of the file comes back short or empty.
    """
    file = Path(path)
    out: list[list[tuple[float, np.ndarray]]] = [[] for _ in windows]
    if not windows:
        return out
    # Overlapping windows are decoded once, as their union, and shared out afterwards.
    merged: list[list[float]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    spans = _decode_spans(file, merged, width, cancel, sorted(keyframes) if keyframes is not None else None)
    for index, (start, end) in enumerate(windows):
        for frames in spans:
            out[index] += [(t, image) for t, image in frames if start - 1e-6 <= t <= end + 1e-6]
    return out


def _decode_spans(file: Path, windows: list[list[float]], width: int, cancel: CancelToken | None,
                  keyframes: list[float] | None) -> list[list[tuple[float, np.ndarray]]]:
    """:func:`decode_windows` for sorted windows that do not overlap."""
    out: list[list[tuple[float, np.ndarray]]] = [[] for _ in windows]
    order = range(len(windows))
    container = _open(file)
    with container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        context = stream.codec_context
        context.options = {"skip_loop_filter": "all"}  # as in the analysis pass
        time_base = float(stream.time_base) if stream.time_base is not None else 0.0
        if time_base <= 0:
            return out
        origin = None
        # The origin is found as the analysis pass finds it (non-reference frames skipped), so
        # an open GOP's leading frames cannot shift one clock against the other.
        context.skip_frame = "NONREF"
        try:
            for frame in container.decode(stream):
                if frame.pts is not None:
                    origin = frame.pts
                    break
        except av.error.FFmpegError:
            return out
        if origin is None:
            return out
        rate = _rate(stream)
        shown = None  # clip time of the last frame the decoder gave out; None: the next window seeks
        packets = None
        leftover: list = []  # frames given out past the previous window's end (decoded, not converted)
        for index in order:
            if cancel is not None:
                cancel.raise_if_cancelled()
            start, end = windows[index]
            frames = out[index]
            if keyframes is not None and shown is not None:
                # Seek only where a keyframe between here and the window lets the decoder skip ahead.
                seek = any(shown + 1e-6 < k <= start + 1e-6 for k in keyframes)
            else:
                seek = shown is None or start - shown > _CONTINUE_S
            if shown is None or seek or (start <= shown - 1e-6 and not leftover):
                target = int(origin + max(start, 0.0) / time_base)
                try:
                    container.seek(max(target, origin), backward=True, any_frame=False, stream=stream)
                except av.error.FFmpegError:
                    return out
                packets = container.demux(stream)
                leftover = []

            def take(frame, start=start, end=end, frames=frames, leftover=leftover) -> bool:
                """Keep a frame inside the window; True once the decoder has passed the window's end."""
                nonlocal shown
                t = (frame.pts - origin) * time_base
                shown = t
                if t > end + 1e-6:
                    leftover.append(frame)
                    return True
                if t >= start - 1e-6:
                    frames.append((t, _convert(frame, width, 0)))
                return False

            pending = list(leftover)
            leftover.clear()
            done = False
            for frame in pending:
                done = take(frame) or done
            try:
                while not done:
                    packet = next(packets, None)
                    if packet is None:
                        context.skip_frame = "DEFAULT"
                        for frame in context.decode(None):  # the end of the file: flush the decoder
                            if frame.pts is not None:
                                take(frame)
                        shown = None
                        break
                    # Frames before the window serve only as references: non-reference ones are skipped.
                    early = packet.pts is not None and (packet.pts - origin) * time_base < start - 0.5 / rate
                    context.skip_frame = "NONREF" if early else "DEFAULT"
                    for frame in packet.decode():
                        if frame.pts is not None:
                            done = take(frame) or done
            except av.error.FFmpegError:
                shown = None  # damaged here: the next window seeks afresh
            frames.sort(key=lambda item: item[0])
    return out


def _rate(stream) -> float:
    return float(stream.average_rate or stream.guessed_rate or 25.0)
