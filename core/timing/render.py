"""Render a :class:`~core.timing.plan.FitPlan`: the track's own samples, cut and crossfaded, never stretched.

The track is decoded at its own sample rate with all its channels. Every segment of
the plan is copied sample for sample; at each edit the outgoing and incoming audio
overlap for the crossfade, ``cos(pi/2 u)`` out and ``sin(pi/2 u)`` in (equal power:
the two gains' squares sum to 1), centred on the edit. The output has exactly
``round(length * rate)`` samples. After a phrase end the music plays on under a
half-cosine fade to silence; after the track's own end the rest is silence. The file is
written to a temporary name in the target folder and renamed, so a failed or
interrupted render never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from core.errors import InputError, MediaError
from core.fileio import replacing
from core.timing.grid import TrackTiming
from core.timing.plan import FitPlan, plan_fit

__all__ = ["RENDER_FORMATS", "RenderedAudio", "check_render_path", "fit_track", "read_track", "render_plan",
           "write_atomic"]

RENDER_FORMATS = {".wav": ("WAV", "PCM_24"), ".flac": ("FLAC", "PCM_24")}
"""Extensions ``fit --render`` writes, with their soundfile format and subtype (24-bit PCM)."""
_START_FADE_S = 0.005  # a 5 ms fade-in: the section may start mid-waveform


@dataclass(frozen=True)
class RenderedAudio:
    """The rendered music."""

    samples: np.ndarray
    """Shape ``(n_samples, n_channels)``, float32, -1..1."""
    sample_rate: int
    """The track's own sample rate, Hz."""


def check_render_path(path: str | os.PathLike[str]) -> Path:
    """Check that ``path`` names a writable ``.wav`` or ``.flac`` file before any work is done.

    Raises
    ------
    InputError
        Unsupported extension, missing or unwritable folder, or a folder at that path.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in RENDER_FORMATS:
        raise InputError(f"--render {path}: can write .wav or .flac, not {suffix or 'a file without extension'}")
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InputError(f"--render {path} is a folder; give a file name ending in .wav or .flac")
    if not folder.is_dir():
        raise InputError(f"--render {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise InputError(f"--render {path}: cannot write to the folder {folder}")
    if target.exists() and not os.access(target, os.W_OK):
        raise InputError(f"--render {path}: the file exists and is read-only")
    # os.access answers yes to root everywhere (even in /proc or on a read-only mount): the
    # only reliable check is to make the temporary file the render will be written through.
    try:
        handle, probe = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=folder)
    except OSError as exc:
        raise InputError(f"--render {path}: cannot write to the folder {folder} "
                         f"({exc.strerror or type(exc).__name__})") from None
    os.close(handle)
    with contextlib.suppress(OSError):
        os.remove(probe)
    return target


def read_track(path: str | os.PathLike[str]) -> tuple[np.ndarray, int]:
    """Decode a track at its own rate with all its channels: ``(samples (n, channels) float32, rate)``.

    Raises
    ------
    MediaError
        The file cannot be decoded.
    """
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
        return np.ascontiguousarray(data), int(rate)
    except (RuntimeError, soundfile.LibsndfileError, ValueError, TypeError):
        pass  # FFmpeg reads more formats (AAC, M4A, WMA...)
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise MediaError(f"{path}: no audio track")
            stream = container.streams.audio[0]
            rate = int(stream.rate or stream.codec_context.sample_rate)
            channels = int(stream.codec_context.channels or 1)
            layout = stream.codec_context.layout.name if stream.codec_context.layout else None
            resampler = av.AudioResampler(format="flt", layout=layout, rate=rate)
            pieces = []
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    pieces.append(out.to_ndarray().reshape(-1, channels))
            for out in resampler.resample(None):
                pieces.append(out.to_ndarray().reshape(-1, channels))
    except (av.error.FFmpegError, OSError) as exc:
        raise MediaError(f"{path}: cannot decode ({str(exc).splitlines()[0] if str(exc) else exc})") from None
    if not pieces:
        raise MediaError(f"{path}: no audio could be decoded")
    data = np.concatenate(pieces).astype(np.float32)
    return np.nan_to_num(data), rate


def _window(source: np.ndarray, begin: int, end: int) -> np.ndarray:
    """``source[begin:end]`` with zeros outside the track."""
    out = np.zeros((end - begin, source.shape[1]), dtype=np.float64)
    lo, hi = max(begin, 0), min(end, source.shape[0])
    if hi > lo:
        out[lo - begin : hi - begin] = source[lo:hi]
    return out


def render_plan(source: np.ndarray, rate: int, plan: FitPlan) -> RenderedAudio:
    """Render ``plan`` from ``source`` (``(n, channels)`` at ``rate``): exactly ``round(length * rate)`` samples."""
    source = np.asarray(source, dtype=np.float32)
    if source.ndim == 1:
        source = source[:, None]
    total = int(round(plan.length_s * rate))
    out = np.zeros((total, source.shape[1]), dtype=np.float64)
    cross = max(int(round(plan.crossfade_s * rate)), 1)
    half = cross // 2
    u = (np.arange(cross) + 0.5) / cross
    fade_in, fade_out = np.sin(0.5 * np.pi * u)[:, None], np.cos(0.5 * np.pi * u)[:, None]
    position = 0
    last = len(plan.segments) - 1
    for k, (begin_s, end_s) in enumerate(plan.segments):
        begin, end = int(round(begin_s * rate)), int(round(end_s * rate))
        length = end - begin
        if k == last:
            # The last segment runs on into the tail (the music under the fade-out) unless the track ended.
            extra = max(0, total - (position + length))
            if plan.ending != "track end":
                length += extra
            end = begin + length
        pre = half if k > 0 else 0
        post = (cross - half) if k < last else 0
        piece = _window(source, begin - pre, end + post)
        if k > 0:
            piece[:cross] *= fade_in
        if k < last:
            piece[-cross:] *= fade_out
        lo = position - pre
        hi = min(total, lo + piece.shape[0])
        if hi > lo:
            out[max(lo, 0) : hi] += piece[max(0, -lo) : hi - lo]
        position += end - begin
        if position >= total:
            break
    if plan.fade_s > 0:
        n_fade = min(total, int(round(plan.fade_s * rate)))
        ramp = 0.5 * (1.0 + np.cos(np.pi * (np.arange(n_fade) + 1) / n_fade))  # 1 -> 0, ends at exactly 0
        out[total - n_fade :] *= ramp[:, None]
    else:
        # The track's own end: a 10 ms fade where its audio stops, in case the file ends abruptly.
        stop = min(total, position)
        n_fade = min(stop, int(round(0.01 * rate)))
        if n_fade:
            out[stop - n_fade : stop] *= np.linspace(1.0, 0.0, n_fade)[:, None]
    n_start = min(total, int(round(_START_FADE_S * rate)))
    out[:n_start] *= np.linspace(0.0, 1.0, n_start, endpoint=False)[:, None]
    return RenderedAudio(np.clip(out, -1.0, 1.0).astype(np.float32), rate)


def fit_track(
    path: str | os.PathLike[str], timing: TrackTiming, start_s: float, length_s: float
) -> tuple[FitPlan, RenderedAudio]:
    """Plan and render ``path`` from ``start_s`` to exactly ``length_s`` (what "Fit to clip" plays).

    Raises
    ------
    InputError
        A length outside 3 s .. 10 min, or a track too short to fit.
    MediaError
        The file cannot be decoded.
    """
    plan = plan_fit(timing, start_s, length_s)
    samples, rate = read_track(path)
    return plan, render_plan(samples, rate, plan)


def write_atomic(audio: RenderedAudio, path: str | os.PathLike[str]) -> Path:
    """Write ``audio`` to ``path`` (``.wav``/``.flac``, 24-bit) through a temporary file and a rename.

    Raises
    ------
    InputError
        The extension is not supported or the folder cannot be written.
    """
    target = check_render_path(path)
    fmt, subtype = RENDER_FORMATS[target.suffix.lower()]
    try:
        with replacing(target, suffix=target.suffix) as temporary:
            soundfile.write(temporary, audio.samples, audio.sample_rate, format=fmt, subtype=subtype)
    except (OSError, RuntimeError, soundfile.LibsndfileError) as exc:
        raise InputError(f"--render {path}: cannot write ({getattr(exc, 'strerror', None) or exc})") from None
    return target
