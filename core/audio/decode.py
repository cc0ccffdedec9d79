"""Decode any audio (or video) file to mono float32 at the analysis rate, and read tags.

libsndfile (through soundfile) reads WAV, AIFF, FLAC, OGG/Vorbis/Opus and MP3 quickly and
without a subprocess; FFmpeg (through PyAV) reads everything else: M4A/AAC, ALAC, WMA and
the audio track of a video file. Resampling uses soxr (the SoX resampler, "HQ" quality).
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import av
import mutagen
import numpy as np
import soundfile
import soxr

from core.audio.native_stderr import NativeStderr
from core.errors import MediaError
from core.fileio import first_line, require_media_file

__all__ = ["ANALYSIS_RATE", "AUDIO_EXTENSIONS", "DecodedAudio", "TrackTags", "load_audio", "read_tags"]

_log = logging.getLogger(__name__)

ANALYSIS_RATE = 22_050
"""Sample rate of every analysis, Hz. Fixed so that features never depend on the file's rate."""

AUDIO_EXTENSIONS = frozenset(
    {".wav", ".wave", ".aif", ".aiff", ".aifc", ".flac", ".mp3", ".ogg", ".oga", ".opus",
     ".m4a", ".aac", ".mp4", ".alac", ".wma", ".caf", ".w64", ".mka", ".webm"}
)
"""File extensions the library scanner treats as music."""

_SNDFILE_FIRST = frozenset(
    {".wav", ".wave", ".aif", ".aiff", ".aifc", ".flac", ".ogg", ".oga", ".caf", ".w64", ".mp3", ".opus"}
)


@dataclass(frozen=True)
class DecodedAudio:
    """A decoded, mono, resampled signal."""

    samples: np.ndarray
    """Mono signal, float32, shape ``(n_samples,)``, nominally within -1..1."""
    sample_rate: int
    """Samples per second of ``samples`` (the analysis rate)."""
    duration_s: float
    """Duration of the whole file in seconds (may exceed the decoded part, see ``truncated``)."""
    source_rate: int
    """The file's own sample rate, Hz."""
    channels: int
    """The file's channel count."""
    decoder: str
    """``"sndfile"`` or ``"ffmpeg"``."""
    truncated: bool = False
    """True when only the first ``max_seconds`` were decoded."""


@dataclass(frozen=True)
class TrackTags:
    """Tags of a music file; empty strings when absent."""

    title: str = ""
    artist: str = ""
    album: str = ""
    duration_s: float | None = None


def load_audio(
    path: str | os.PathLike[str], *, sample_rate: int = ANALYSIS_RATE, max_seconds: float | None = 900.0
) -> DecodedAudio:
    """Decode ``path`` to mono float32 at ``sample_rate``.

    Parameters
    ----------
    path : path-like
        Any audio file, or a video file with an audio track.
    sample_rate : int
        Output rate in Hz (default :data:`ANALYSIS_RATE`).
    max_seconds : float or None
        Decode at most this many seconds from the start (a 3-hour DJ mix is analysed on
        its first 15 minutes); ``None`` for all.

    Raises
    ------
    MediaError
        Missing, unreadable, unsupported, DRM-protected or corrupt file, or no audio.
    """
    file = require_media_file(path, "audio file")
    # libmpg123 (inside libsndfile) prints notes on descriptor 2 while probing a damaged or
    # misnamed file; they belong in the reason the file is refused, not on the terminal.
    noise = NativeStderr()
    try:
        with noise:
            decoded = _decode(file, sample_rate, max_seconds)
    except MediaError as exc:
        said = noise.summary()
        if said:
            raise MediaError(f"{exc} (decoder: {said})") from None
        raise
    if noise.text:
        _log.debug("%s: the decoder said: %s", file, noise.summary())
    return decoded


def _decode(file: Path, sample_rate: int, max_seconds: float | None) -> DecodedAudio:
    decoded = None
    if file.suffix.lower() in _SNDFILE_FIRST:
        # FFmpeg reads more variants; its message is the one reported if it fails too.
        with contextlib.suppress(MediaError):
            decoded = _load_sndfile(file, sample_rate, max_seconds)
    if decoded is None or decoded.samples.size == 0:
        decoded = _load_ffmpeg(file, sample_rate, max_seconds)
    if decoded.samples.size == 0:
        # A header with nothing after it is no recording: analysing it would store a 0 s track in C major.
        raise MediaError(f"{file}: no audio samples (the file holds a header and nothing to play)")
    return decoded


def _to_mono_resampled(
    data: np.ndarray, source_rate: int, sample_rate: int
) -> np.ndarray:
    if data.ndim == 2:
        # Column adds are ~10x faster than data.mean(axis=1) on a (n, 2) array.
        mono = data[:, 0].astype(np.float32, copy=True)
        for channel in range(1, data.shape[1]):
            mono += data[:, channel]
        if data.shape[1] > 1:
            mono *= np.float32(1.0 / data.shape[1])
    else:
        mono = data.astype(np.float32, copy=False)
    if source_rate != sample_rate and mono.size:
        mono = soxr.resample(mono, source_rate, sample_rate, quality="HQ")
    mono = np.ascontiguousarray(mono, dtype=np.float32)
    if not np.isfinite(mono).all():
        mono = np.nan_to_num(mono, nan=0.0, posinf=0.0, neginf=0.0)
    return mono


def _load_sndfile(file: Path, sample_rate: int, max_seconds: float | None) -> DecodedAudio:
    try:
        with soundfile.SoundFile(str(file)) as sound:
            source_rate = int(sound.samplerate)
            channels = int(sound.channels)
            total = int(sound.frames)
            limit = total if max_seconds is None else min(total, int(max_seconds * source_rate))
            data = sound.read(frames=limit, dtype="float32", always_2d=True)
    except (RuntimeError, soundfile.LibsndfileError, ValueError) as exc:
        raise MediaError(f"{file}: cannot decode ({first_line(exc)})") from None
    if data.shape[0] == 0 and total > 0:
        raise MediaError(f"{file}: cannot decode (no audio frames could be read)")
    duration = total / source_rate if source_rate else 0.0
    return DecodedAudio(
        samples=_to_mono_resampled(data, source_rate, sample_rate),
        sample_rate=sample_rate,
        duration_s=duration,
        source_rate=source_rate,
        channels=channels,
        decoder="sndfile",
        truncated=limit < total,
    )


def _load_ffmpeg(file: Path, sample_rate: int, max_seconds: float | None) -> DecodedAudio:
    try:
        container = av.open(str(file), metadata_errors="ignore")
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise MediaError(f"{file}: not a readable audio file ({first_line(exc)})") from None
    with container:
        if not container.streams.audio:
            raise MediaError(f"{file}: has no audio track")
        stream = container.streams.audio[0]
        stream.thread_type = "AUTO"
        source_rate = int(stream.rate or stream.codec_context.sample_rate or 0)
        channels = int(stream.codec_context.channels or 1)
        if stream.codec_context.name is None:
            raise MediaError(f"{file}: audio codec not supported")
        duration = _stream_duration(container, stream)
        # FFmpeg converts the rate (keeping the channels, planar float); the channels are
        # then averaged here. Its own mono downmix would add the channels at -3 dB each,
        # making a centred stereo signal 41 % louder than the same mono file.
        resampler = av.AudioResampler(format="fltp", rate=sample_rate)
        limit = None if max_seconds is None else int(max_seconds * sample_rate)
        chunks: list[np.ndarray] = []
        have = 0
        decoded_any = False
        try:
            for packet in container.demux(stream):
                for frame in packet.decode():
                    decoded_any = True
                    for out in resampler.resample(frame):
                        chunk = out.to_ndarray().mean(axis=0, dtype=np.float32)
                        chunks.append(chunk)
                        have += chunk.size
                if limit is not None and have >= limit:
                    break
            if limit is None or have < limit:
                for out in resampler.resample(None):
                    chunk = out.to_ndarray().mean(axis=0, dtype=np.float32)
                    chunks.append(chunk)
                    have += chunk.size
        except av.error.FFmpegError as exc:
            if not decoded_any:
                message = first_line(exc)
                if "encrypt" in message.lower() or "drm" in message.lower():
                    raise MediaError(f"{file}: protected by DRM; it cannot be analysed") from None
                raise MediaError(f"{file}: cannot decode ({message})") from None
            # A truncated or damaged tail: keep what decoded cleanly.
        if not decoded_any or have == 0:
            raise MediaError(f"{file}: no audio could be decoded")
    samples = np.concatenate(chunks).astype(np.float32, copy=False) if chunks else np.zeros(0, np.float32)
    truncated = limit is not None and samples.size > limit
    if limit is not None:
        samples = samples[:limit]
    if not np.isfinite(samples).all():
        samples = np.nan_to_num(samples, nan=0.0, posinf=0.0, neginf=0.0)
    if duration <= 0:
        duration = samples.size / sample_rate
    return DecodedAudio(
        samples=np.ascontiguousarray(samples),
        sample_rate=sample_rate,
        duration_s=duration,
        source_rate=source_rate or sample_rate,
        channels=channels,
        decoder="ffmpeg",
        truncated=truncated,
    )


def _stream_duration(container, stream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000.0
    return 0.0


def read_tags(path: str | os.PathLike[str]) -> TrackTags:
    """Title, artist, album and duration from the file's tags (mutagen); blanks if none.

    Never raises for a file without tags or with tags mutagen cannot parse.
    """
    try:
        tagged = mutagen.File(str(path), easy=True)
    except Exception:  # mutagen raises many unrelated types on odd files
        return TrackTags()
    if tagged is None:
        return TrackTags()

    def first(key: str) -> str:
        try:
            values = tagged.get(key) if tagged.tags is not None else None
        except Exception:
            return ""
        if not values:
            return ""
        return str(values[0]).strip()

    duration = getattr(getattr(tagged, "info", None), "length", None)
    return TrackTags(
        title=first("title"),
        artist=first("artist"),
        album=first("album"),
        duration_s=float(duration) if duration else None,
    )
