"""Audition: play a decoded track through sounddevice, with seek, volume and a level meter.

The track is decoded once in a background job (:func:`decode_for_audition`: its own
channels, stereo kept, at 44.1 kHz) and played from memory by PortAudio's callback
thread, which only copies samples:
no decoding, no Python objects created, so it never stutters because of the GUI. A
missing or busy output device raises :class:`AudioUnavailable` with a plain message that
the window shows in its status bar; nothing else stops working.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

__all__ = ["PLAYBACK_RATE", "AudioUnavailable", "Player", "decode_for_audition"]

PLAYBACK_RATE = 44_100


class AudioUnavailable(RuntimeError):
    """No usable output device (none present, busy, or PortAudio missing)."""


def decode_for_audition(path: str, *, cancel=None) -> tuple[np.ndarray, int]:
    """``(samples, rate)``: the track at :data:`PLAYBACK_RATE`, shape ``(n, channels)`` float32, stereo kept.

    Files libsndfile reads (WAV, FLAC, OGG, MP3...) are read directly and resampled by
    linear interpolation only when their rate differs; everything else goes through
    FFmpeg (``-ac 2``). Mono files stay mono (the player sends them to both speakers).
    """
    import subprocess

    import soundfile

    from core.errors import MediaError

    try:
        data, rate = soundfile.read(path, dtype="float32", always_2d=True)
    except Exception:
        data, rate = None, 0
    if data is None:
        done = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-vn", "-ac", "2", "-ar",
                               str(PLAYBACK_RATE), "-f", "f32le", "-"], capture_output=True, check=False)
        if done.returncode != 0 or not done.stdout:
            reason = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no audio"]
            raise MediaError(f"{path}: cannot be played ({reason[0]})")
        data, rate = np.frombuffer(done.stdout, dtype=np.float32).reshape(-1, 2), PLAYBACK_RATE
    if cancel is not None:
        cancel.raise_if_cancelled()
    data = data[:, :2]
    if rate != PLAYBACK_RATE and len(data):
        positions = np.arange(int(len(data) * PLAYBACK_RATE / rate)) * (rate / PLAYBACK_RATE)
        data = np.stack([np.interp(positions, np.arange(len(data)), data[:, c]) for c in range(data.shape[1])],
                        axis=1).astype(np.float32)
    return np.ascontiguousarray(data, dtype=np.float32), PLAYBACK_RATE


def _default_stream_factory(callback, rate: int, channels: int = 2):
    try:
        import sounddevice
    except (ImportError, OSError) as exc:  # OSError: the PortAudio library is missing
        raise AudioUnavailable(f"audio playback is unavailable ({exc})") from None
    try:
        stream = sounddevice.OutputStream(samplerate=rate, channels=channels, dtype="float32", callback=callback,
                                          blocksize=1024)
        stream.start()
    except Exception as exc:  # PortAudioError and friends: no device, device busy
        raise AudioUnavailable(f"no audio output device ({' '.join(str(exc).split())})") from None
    return stream


class Player:
    """Plays one float32 signal, shape ``(n,)`` (mono) or ``(n, channels)``; thread-safe position, volume, level.

    The output stream is stereo: a mono track goes to both speakers, a stereo one keeps its sides.
    """

    channels = 2

    def __init__(self, stream_factory: Callable | None = None) -> None:
        self._factory = stream_factory or _default_stream_factory
        self._lock = threading.Lock()
        self._samples = np.zeros((0, 1), dtype=np.float32)
        self._position = 0
        self._volume = 0.8
        self._level = 0.0
        self._stream = None
        self.name = ""

    # -- state ------------------------------------------------------------------------------

    def load(self, samples: np.ndarray, name: str = "", *, rate: int = PLAYBACK_RATE) -> None:
        if rate != PLAYBACK_RATE:
            raise ValueError(f"the player plays {PLAYBACK_RATE} Hz; got {rate}")
        self.stop()
        data = np.asarray(samples, dtype=np.float32)
        with self._lock:
            self._samples = np.ascontiguousarray(data.reshape(len(data), -1))
            self._position = 0
        self.name = name

    @property
    def duration_s(self) -> float:
        return len(self._samples) / PLAYBACK_RATE

    @property
    def position_s(self) -> float:
        return self._position / PLAYBACK_RATE

    @property
    def playing(self) -> bool:
        return self._stream is not None

    @property
    def level(self) -> float:
        """RMS of the last block played, 0..1 (for the meter)."""
        return self._level if self.playing else 0.0

    def set_volume(self, volume: float) -> None:
        self._volume = float(np.clip(volume, 0.0, 1.0))

    def seek(self, seconds: float) -> None:
        with self._lock:
            self._position = int(np.clip(seconds * PLAYBACK_RATE, 0, len(self._samples)))

    # -- transport --------------------------------------------------------------------------

    def play(self, from_s: float | None = None) -> None:
        """Start (or restart) playback; :class:`AudioUnavailable` if there is no device."""
        if from_s is not None:
            self.seek(from_s)
        if self._stream is None and self._samples.size:
            self._stream = self._factory(self._callback, PLAYBACK_RATE, self.channels)

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
                stream.close()
            except Exception:  # a device that vanished mid-play: nothing left to stop
                pass
        self._level = 0.0

    def _callback(self, out, frames, _time, _status) -> None:
        with self._lock:
            start = self._position
            chunk = self._samples[start : start + frames]
            self._position = start + len(chunk)
        n = len(chunk)
        # (n, 1) spreads over every output channel; (n, 2) fills left and right.
        out[:n] = chunk[:, : out.shape[1]] * self._volume if chunk.shape[1] >= out.shape[1] else chunk * self._volume
        out[n:] = 0.0
        self._level = float(np.sqrt(np.mean(np.square(out)))) if frames else 0.0
