"""Audition: play a decoded track through sounddevice, with seek, volume and a level meter.

The track is decoded once in a background job (``core.audio.decode.load_audio`` at 44.1 kHz
mono) and played from memory by PortAudio's callback thread, which only copies samples:
no decoding, no Python objects created, so it never stutters because of the GUI. A
missing or busy output device raises :class:`AudioUnavailable` with a plain message that
the window shows in its status bar; nothing else stops working.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

__all__ = ["PLAYBACK_RATE", "AudioUnavailable", "Player"]

PLAYBACK_RATE = 44_100


class AudioUnavailable(RuntimeError):
    """No usable output device (none present, busy, or PortAudio missing)."""


def _default_stream_factory(callback, rate: int):
    try:
        import sounddevice
    except (ImportError, OSError) as exc:  # OSError: the PortAudio library is missing
        raise AudioUnavailable(f"audio playback is unavailable ({exc})") from None
    try:
        stream = sounddevice.OutputStream(samplerate=rate, channels=1, dtype="float32", callback=callback,
                                          blocksize=1024)
        stream.start()
    except Exception as exc:  # PortAudioError and friends: no device, device busy
        raise AudioUnavailable(f"no audio output device ({' '.join(str(exc).split())})") from None
    return stream


class Player:
    """Plays one mono float32 signal; thread-safe position, volume and level."""

    def __init__(self, stream_factory: Callable | None = None) -> None:
        self._factory = stream_factory or _default_stream_factory
        self._lock = threading.Lock()
        self._samples = np.zeros(0, dtype=np.float32)
        self._position = 0
        self._volume = 0.8
        self._level = 0.0
        self._stream = None
        self.name = ""

    # -- state ------------------------------------------------------------------------------

    def load(self, samples: np.ndarray, name: str = "") -> None:
        self.stop()
        with self._lock:
            self._samples = np.ascontiguousarray(samples, dtype=np.float32)
            self._position = 0
        self.name = name

    @property
    def duration_s(self) -> float:
        return self._samples.size / PLAYBACK_RATE

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
            self._position = int(np.clip(seconds * PLAYBACK_RATE, 0, self._samples.size))

    # -- transport --------------------------------------------------------------------------

    def play(self, from_s: float | None = None) -> None:
        """Start (or restart) playback; :class:`AudioUnavailable` if there is no device."""
        if from_s is not None:
            self.seek(from_s)
        if self._stream is None and self._samples.size:
            self._stream = self._factory(self._callback, PLAYBACK_RATE)

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
            self._position = start + chunk.size
        out[: chunk.size, 0] = chunk * self._volume
        out[chunk.size :, 0] = 0.0
        self._level = float(np.sqrt(np.mean(np.square(out[:, 0])))) if frames else 0.0
