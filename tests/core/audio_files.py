"""Writers of real audio files (WAV, FLAC, OGG, AIFF, MP3, M4A, Opus, MP4) for the tests."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import soundfile

SNDFILE_FORMATS = {".wav": ("WAV", "PCM_16"), ".flac": ("FLAC", "PCM_16"), ".ogg": ("OGG", "VORBIS"),
                   ".aiff": ("AIFF", "PCM_16")}
FFMPEG_CODECS = {".mp3": ("mp3", "libmp3lame"), ".m4a": ("ipod", "aac"), ".opus": ("ogg", "libopus"),
                 ".mp4": ("mp4", "aac")}


def write_audio(path: Path, mono: np.ndarray, rate: int, *, stereo: bool = True) -> Path:
    """Write ``mono`` (float32) to ``path`` in the format its extension names."""
    data = np.stack([mono, mono], axis=1) if stereo else mono[:, None]
    suffix = path.suffix.lower()
    if suffix in SNDFILE_FORMATS:
        fmt, subtype = SNDFILE_FORMATS[suffix]
        soundfile.write(str(path), data, rate, format=fmt, subtype=subtype)
        return path
    container_format, codec = FFMPEG_CODECS[suffix]
    out_rate = 48_000 if codec == "libopus" else rate
    if out_rate != rate:
        import soxr

        data = soxr.resample(data, rate, out_rate)
    with av.open(str(path), "w", format=container_format) as container:
        stream = container.add_stream(codec, rate=out_rate, layout="stereo" if stereo else "mono")
        frame_size = 1024
        for start in range(0, data.shape[0], frame_size):
            chunk = np.ascontiguousarray(data[start : start + frame_size].T.astype(np.float32))
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo" if stereo else "mono")
            frame.sample_rate = out_rate
            frame.pts = start
            frame.time_base = Fraction(1, out_rate)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path
