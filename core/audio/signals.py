"""Frame-level signals of a mono signal: the measurements every descriptor is built from.

Two short-time Fourier transforms are taken, each at the resolution its uses need:

* the *fine* one (22,050 Hz, 1024-sample Hann window, hop 512 = 23.2 ms, 43 frames/s)
  gives loudness, band energies, spectral shape and the onset envelope;
* the *tonal* one (signal halved to 11,025 Hz, 4096-sample window = 372 ms, hop 2048
  = 186 ms) resolves semitones down to about 50 Hz for chroma and pitch salience.

Frames are transformed in blocks so that memory stays bounded for long files.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import soxr
from scipy import fft as sfft

__all__ = [
    "FINE_HOP",
    "FINE_NFFT",
    "TONAL_HOP",
    "TONAL_NFFT",
    "TONAL_RATE",
    "FineSignals",
    "band_edges",
    "fine_signals",
    "stft_magnitude",
    "tonal_magnitude",
]

FINE_NFFT = 1024
FINE_HOP = 512
TONAL_RATE = 11_025
TONAL_NFFT = 4096
TONAL_HOP = 2048
N_BANDS = 24
_BLOCK = 2048  # frames per FFT block
_EPS = 1e-10
_FLATNESS_FLOOR = 1e-8  # -80 dB


def stft_magnitude(x: np.ndarray, n_fft: int, hop: int) -> np.ndarray:
    """Magnitude spectrogram, shape ``(n_frames, n_fft // 2 + 1)``, float32.

    Frames are centred (the signal is zero-padded by ``n_fft // 2`` at both ends), Hann
    windowed, and frame ``i`` is centred on sample ``i * hop``.
    """
    x = np.asarray(x, dtype=np.float32)
    padded = np.pad(x, (n_fft // 2, n_fft // 2))
    if padded.size < n_fft:
        padded = np.pad(padded, (0, n_fft - padded.size))
    n_frames = 1 + (padded.size - n_fft) // hop
    window = np.hanning(n_fft + 1)[:-1].astype(np.float32)
    frames = np.lib.stride_tricks.sliding_window_view(padded, n_fft)[::hop][:n_frames]
    out = np.empty((n_frames, n_fft // 2 + 1), dtype=np.float32)
    for start in range(0, n_frames, _BLOCK):
        block = frames[start : start + _BLOCK] * window
        spectrum = sfft.rfft(block, axis=1, workers=1)
        np.abs(spectrum, out=out[start : start + block.shape[0]])
    return out


def band_edges(sample_rate: int, n_bands: int = N_BANDS, low_hz: float = 40.0) -> np.ndarray:
    """Edges (Hz) of ``n_bands`` bands equally spaced in log frequency from ``low_hz`` to Nyquist."""
    return np.geomspace(low_hz, sample_rate / 2, n_bands + 1)


class FineSignals(NamedTuple):
    """Per-frame signals from the fine STFT; every array has ``n_frames`` rows."""

    frame_rate: float
    """Frames per second (43.07 at 22,050 Hz)."""
    rms: np.ndarray
    """Root mean square of the samples of each hop, linear amplitude, shape ``(n_frames,)``."""
    band_energy: np.ndarray
    """Power in each of the 24 log-spaced bands, shape ``(n_frames, 24)``."""
    band_centers: np.ndarray
    """Geometric centre of each band, Hz, shape ``(24,)``."""
    centroid: np.ndarray
    """Spectral centroid, Hz, shape ``(n_frames,)`` (0 for silent frames)."""
    flatness: np.ndarray
    """Spectral flatness (geometric over arithmetic mean power) over 100-8000 Hz, 0..1."""
    spectrum_mean: np.ndarray
    """Mean power spectrum over all frames, shape ``(n_bins,)``."""
    freqs: np.ndarray
    """Frequency of each bin, Hz, shape ``(n_bins,)``."""


def fine_signals(x: np.ndarray, sample_rate: int) -> FineSignals:
    """Measure the fine per-frame signals of ``x`` (mono float32 at ``sample_rate``)."""
    mag = stft_magnitude(x, FINE_NFFT, FINE_HOP)
    power = mag * mag
    n_frames, n_bins = power.shape
    freqs = np.fft.rfftfreq(FINE_NFFT, 1.0 / sample_rate)
    edges = band_edges(sample_rate)
    assign = np.digitize(freqs, edges) - 1
    inside = (assign >= 0) & (assign < N_BANDS)
    bands = np.zeros((n_bins, N_BANDS), dtype=np.float32)
    bands[np.flatnonzero(inside), assign[inside]] = 1.0
    band_energy = power @ bands

    total = power.sum(axis=1)
    centroid = np.divide(power @ freqs.astype(np.float32), total, out=np.zeros(n_frames, np.float32),
                         where=total > _EPS)
    # Flatness needs a logarithm per bin: measured on every 4th frame (93 ms apart) and
    # held in between, which leaves its track average unchanged and saves a third of the time.
    lo, hi = np.searchsorted(freqs, [100.0, 8000.0])
    # A floor 80 dB under each frame's strongest bin: the empty bins between partials would
    # otherwise be measured at whatever noise floor the codec left (an Opus or MP3 copy of a
    # clean recording has one, the original none), and the geometric mean with them.
    sub = power[::4, lo:hi]
    sub = sub + np.maximum(_EPS, _FLATNESS_FLOOR * sub.max(axis=1, keepdims=True))
    sampled = np.exp(np.log(sub).mean(axis=1)) / sub.mean(axis=1)
    flatness = np.repeat(sampled, 4)[:n_frames]
    flatness[total <= _EPS] = 1.0

    # RMS per hop of samples, aligned with the centred frames.
    usable = (x.size // FINE_HOP) * FINE_HOP
    hop_rms = np.sqrt(np.mean(np.square(x[:usable].reshape(-1, FINE_HOP), dtype=np.float64), axis=1))
    rms = np.zeros(n_frames)
    rms[: min(n_frames, hop_rms.size)] = hop_rms[:n_frames]
    return FineSignals(
        frame_rate=sample_rate / FINE_HOP,
        rms=rms,
        band_energy=band_energy,
        band_centers=np.sqrt(edges[:-1] * edges[1:]),
        centroid=centroid,
        flatness=flatness.astype(np.float32),
        spectrum_mean=power.mean(axis=0) if n_frames else np.zeros(n_bins, np.float32),
        freqs=freqs,
    )


def tonal_magnitude(x: np.ndarray, sample_rate: int) -> tuple[np.ndarray, float, np.ndarray]:
    """The tonal STFT: magnitude ``(n_frames, 2049)``, frame rate (Hz) and bin frequencies (Hz)."""
    low = soxr.resample(x, sample_rate, TONAL_RATE, quality="LQ") if sample_rate != TONAL_RATE else x
    mag = stft_magnitude(low, TONAL_NFFT, TONAL_HOP)
    return mag, TONAL_RATE / TONAL_HOP, np.fft.rfftfreq(TONAL_NFFT, 1.0 / TONAL_RATE)
