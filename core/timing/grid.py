"""A track's timing data: downbeats, phrase boundaries and edit points, from the analysis by-products.

Everything here is computed from what the audio analysis has already measured (the
beat grid, the onset envelope, per-frame band energies and chroma, the 2 Hz energy
curve), so it adds only a few milliseconds to the analysis of a track.

* **Beat features.** Every beat interval gets the mean chroma (12 pitch classes, unit
  length) and the mean log-compressed energy of the 24 bands (centred on the track's
  mean, unit length): harmony and timbre.
* **Downbeats.** Chords tend to change, and the kick tends to hit, on the first beat
  of a bar. Each beat gets ``z(harmonic change) + 0.5 z(onset strength)``; for bars of
  3 and 4 beats every phase is tried, and the bar length and phase with the highest
  mean evidence on their downbeats win (4 unless 3 is clearly better).
* **Phrases.** Bars are compared by their mean beat features; Foote's checkerboard
  novelty (half-width 4 bars) on the bar self-similarity marks where the music
  changes. Phrase boundaries are every 4th downbeat, at the phase whose boundaries
  carry the most novelty: 4-bar units that start where the music changes or repeats.
* **Edit points.** Beat ``i`` and beat ``j`` sound alike when the 8 beats around them
  do: ``S[i, j] = mean_k sim(i + k, j + k)``, ``k = -4..3``, on the beat-synchronous
  self-similarity ``sim = (chroma cosine + (1 + timbre cosine) / 2) / 2``. For each
  downbeat the 4 most similar other downbeats (at least a bar away) are kept: leaving
  the track at one and resuming at the other is a seamless repeat or skip of whole bars.
* **No beat.** A track without a pulse gets no downbeats or phrases; its edit points
  join quiet moments (local minima of the energy curve below its median) whose
  surroundings sound alike, which is where a cut is least audible.

References: Foote 2000 (ICME) for checkerboard novelty; Jehan 2005 (PhD thesis, MIT)
for beat-synchronous self-similarity as the basis of seamless music edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

__all__ = ["EDIT_CONTEXT_BEATS", "RELIABLE_BEAT_CONFIDENCE", "SILENT_DB", "TrackTiming", "complete_grid",
           "reliable_tempo", "track_curve", "track_timing"]

RELIABLE_BEAT_CONFIDENCE = 0.05
"""Below this tempo confidence (0..1, :class:`core.audio.tempo.TempoEstimate`) the music
analysis still reports its best tempo, but timing treats the track as having no reliable
beat: cutting on the "beats" of swelling noise would be cutting at random (SPEC §6
fallback: edits at quiet points, said so). Generated drum loops score 0.37-0.57."""


def reliable_tempo(tempo_bpm: float | None, confidence: float | None) -> float:
    """``tempo_bpm`` when the beat can be cut on, else 0 (``None`` confidence: rows from
    before confidences were kept count as reliable, as they were then)."""
    tempo = float(tempo_bpm or 0.0)
    if confidence is not None and confidence < RELIABLE_BEAT_CONFIDENCE:
        return 0.0
    return tempo

SILENT_DB = -70.0
"""A 0.5 s energy block quieter than this (dBFS) is silence."""

EDIT_CONTEXT_BEATS = 4
"""Beats either side of an edit point whose similarity makes the edit seamless."""
_PARTNERS = 4  # edit partners kept per downbeat
_PHRASE_BARS = 4
_NOVELTY_HALF_BARS = 4
_QUIET_BLOCK_S = 0.5  # the energy curve's resolution (2 Hz)


@dataclass(frozen=True)
class TrackTiming:
    """The timing data of one track, as stored in the library.

    Every time is in seconds from the start of the file.
    """

    duration_s: float
    """Length of the track, seconds."""
    tempo_bpm: float = 0.0
    """Beats per minute; 0 when the track has no steady beat."""
    beats: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Beat times, shape ``(n_beats,)``."""
    downbeats: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Bar starts (a subset of ``beats``), shape ``(n_bars,)``."""
    phrases: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Phrase boundaries (every 4th downbeat at the best phase), shape ``(n_phrases,)``."""
    edit_points: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    """Seamless jumps ``[from_s, to_s, similarity 0..1]``, shape ``(n_edits, 3)``."""
    energy_db: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Loudness every 0.5 s (2 Hz), dBFS, shape ``(n_blocks,)``."""

    @cached_property
    def level_curve(self) -> np.ndarray:
        """:func:`track_curve` of the energy curve (computed once per object)."""
        return track_curve(self.energy_db)

    @property
    def is_silent(self) -> bool:
        """Silent throughout: every energy block at or below :data:`SILENT_DB` (False when none is stored)."""
        energy = np.asarray(self.energy_db, dtype=np.float64)
        return bool(energy.size) and not bool(np.any(energy > SILENT_DB))

    @property
    def has_beat(self) -> bool:
        """Whether the track has a usable beat grid (at least two bars)."""
        return self.tempo_bpm > 0 and self.beats.size >= 8

    @cached_property
    def bar_s(self) -> float:
        """Typical bar length, seconds (4 beats when the downbeats are unknown; 2 s without a beat)."""
        if self.downbeats.size >= 2:
            return float(np.median(np.diff(self.downbeats)))
        if self.beats.size >= 2:
            return 4.0 * float(np.median(np.diff(self.beats)))
        return 2.0

    @cached_property
    def bars(self) -> np.ndarray:
        """Bar starts: the downbeats, or every 4th beat when the downbeats are unknown."""
        if self.downbeats.size:
            return self.downbeats
        return self.beats[::4]

    @classmethod
    def of(cls, source) -> TrackTiming:
        """The timing of a :class:`~core.audio.analysis.MusicAnalysis` or a library ``TrackRecord``.

        Either carries ``duration_s``, ``tempo_bpm``, the beat grid, the energy curve and
        (when analysed by this version) ``downbeats``, ``phrases`` and ``edit_points``.
        Records from before the timing data existed get bars of 4 beats and no phrases.
        """
        beats = source.beat_times if hasattr(source, "beat_times") else getattr(source, "beats", ())
        energy = source.energy_curve if hasattr(source, "energy_curve") else getattr(source, "energy", ())
        duration = float(getattr(source, "duration_s", 0.0) or 0.0)
        beats = complete_grid(np.asarray(beats, dtype=np.float64).reshape(-1), duration)

        def stored(name: str) -> np.ndarray:
            value = getattr(source, name, None)
            return np.zeros(0) if value is None else np.asarray(value, dtype=np.float64).reshape(-1)

        return cls(
            duration_s=duration,
            tempo_bpm=reliable_tempo(getattr(source, "tempo_bpm", 0.0), getattr(source, "tempo_confidence", None)),
            beats=beats,
            downbeats=stored("downbeats"),
            phrases=stored("phrases"),
            edit_points=stored("edit_points").reshape(-1, 3),
            energy_db=np.asarray(energy, dtype=np.float64).reshape(-1),
        )


def track_curve(energy_db: np.ndarray) -> np.ndarray:
    """The track's loudness as a 0..1 curve of every 0.5 s block, shape ``(n_blocks,)``.

    ``(dB - lo) / (hi - lo)`` clipped to 0..1, ``lo``/``hi`` the 10th/95th percentiles of
    the non-silent blocks, the range widened to at least 12 dB around the median (a
    steady track sits near 0.5 and does not pretend to have sections).
    """
    energy = np.asarray(energy_db, dtype=np.float64)
    active = energy[energy > SILENT_DB]
    if active.size == 0:
        return np.zeros_like(energy)
    ordered = np.sort(active)
    # Nearest-rank percentiles: a plain index into the sorted blocks (np.percentile costs 10x more).
    lo, middle, hi = (float(ordered[int(round(q * (ordered.size - 1)))]) for q in (0.10, 0.50, 0.95))
    if hi - lo < 12.0:
        lo, hi = middle - 6.0, middle + 6.0
    return np.clip((energy - lo) / (hi - lo), 0.0, 1.0)


def complete_grid(beats: np.ndarray, duration_s: float) -> np.ndarray:
    """The beat grid carried on to the ends of the track where the tracker stopped short.

    A beat tracker that works in pieces may leave the first or last seconds without
    beats; bars, phrases and sections need them. Gaps of more than 1.5 periods at either
    end (up to 20 s) are filled at the median period of the neighbouring 8 beats.
    """
    beats = np.asarray(beats, dtype=np.float64).reshape(-1)
    if beats.size < 8 or duration_s <= 0:
        return beats
    head = float(np.median(np.diff(beats[:9])))
    tail = float(np.median(np.diff(beats[-9:])))
    before = np.zeros(0)
    if beats[0] > 1.5 * head:
        before = (beats[0] - head * np.arange(1, int((min(beats[0], 20.0) + 1e-9) / head) + 1))[::-1]
    after = np.zeros(0)
    if duration_s - beats[-1] > 1.5 * tail:
        after = beats[-1] + tail * np.arange(1, int((min(duration_s - beats[-1], 20.0) - 1e-9) / tail) + 1)
    return np.concatenate([before[before >= 0.0], beats, after[after < duration_s]])


def _interval_means(values: np.ndarray, rate: float, edges_s: np.ndarray) -> np.ndarray:
    """Mean of ``values`` (rows at ``rate`` per second) over each interval between ``edges_s``.

    An interval shorter than one row takes the row nearest its start. Shape
    ``(len(edges_s) - 1, values.shape[1])``.
    """
    n_rows = values.shape[0]
    out = np.zeros((max(edges_s.size - 1, 0), values.shape[1]))
    if n_rows == 0 or edges_s.size < 2:
        return out
    totals = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(values, axis=0, dtype=np.float64)])
    rows = np.clip(np.round(edges_s * rate).astype(np.int64), 0, n_rows)
    lo, hi = rows[:-1], rows[1:]
    empty = hi <= lo
    hi = np.where(empty, np.minimum(lo + 1, n_rows), hi)
    lo = np.where(empty, hi - 1, lo)
    counts = np.maximum(hi - lo, 1)[:, None]
    return (totals[hi] - totals[lo]) / counts


def _unit_rows(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return np.divide(x, norms, out=np.zeros_like(x), where=norms > 1e-12)


def _compressed_bands(band_energy: np.ndarray) -> np.ndarray:
    """``log10(1 + 1000 E / E_ref)`` per band, ``E_ref`` the 99th percentile of the summed energy."""
    if band_energy.size == 0:
        return np.zeros_like(band_energy, dtype=np.float32)
    reference = float(np.percentile(band_energy.sum(axis=1), 99))
    if reference <= 1e-12:
        return np.zeros_like(band_energy, dtype=np.float32)
    # float32 is plenty for a log level; the interval means add it up in float64.
    return np.log10(np.float32(1.0) + np.float32(1000.0 / reference) * band_energy.astype(np.float32, copy=False))


def _raw_features(
    edges_s: np.ndarray, compressed: np.ndarray, frame_rate: float, chroma: np.ndarray, chroma_rate: float
) -> tuple[np.ndarray, np.ndarray]:
    """Mean chroma and mean compressed band energy of every interval between ``edges_s``."""
    tones = _interval_means(np.asarray(chroma, dtype=np.float64), chroma_rate, edges_s)
    return tones, _interval_means(compressed, frame_rate, edges_s)


def _normalised(tones: np.ndarray, timbre: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit-length chroma and centred, unit-length timbre."""
    centred = timbre - timbre.mean(axis=0, keepdims=True) if timbre.size else timbre
    return _unit_rows(tones), _unit_rows(centred)


def _similarity(tones: np.ndarray, timbre: np.ndarray) -> np.ndarray:
    """Beat-synchronous self-similarity, 0..1: mean of chroma cosine and rescaled timbre cosine."""
    return 0.5 * (tones @ tones.T) + 0.25 * (1.0 + timbre @ timbre.T)


def _zscore(x: np.ndarray) -> np.ndarray:
    spread = float(np.std(x))
    return (x - float(np.mean(x))) / spread if spread > 1e-12 else np.zeros_like(x)


def _downbeat_indices(tones: np.ndarray, accent_at_beats: np.ndarray) -> np.ndarray:
    """Indices of the beats that start bars (see the module docstring)."""
    n = tones.shape[0]
    change = np.zeros(n)
    if n > 1:
        change[1:] = 1.0 - np.einsum("ij,ij->i", tones[1:], tones[:-1])
    evidence = _zscore(change) + 0.5 * _zscore(accent_at_beats)
    best: tuple[float, int, int] | None = None
    for meter in (4, 3):
        if n < 2 * meter:
            continue
        for phase in range(meter):
            # Mean evidence on the would-be downbeats minus on the other beats.
            on = evidence[phase::meter].mean()
            strength = on - (evidence.sum() - evidence[phase::meter].sum()) / max(n - evidence[phase::meter].size, 1)
            if meter == 3:
                strength /= 1.2  # a waltz must be clearly better than common time
            if best is None or strength > best[0]:
                best = (float(strength), meter, phase)
    if best is None:
        return np.zeros(0, dtype=np.int64)
    _, meter, phase = best
    return np.arange(phase, n, meter)


def _checkerboard_novelty(similarity: np.ndarray, half: int) -> np.ndarray:
    """Foote novelty at every row of a self-similarity matrix (0 where the kernel does not fit).

    A short track uses a narrower kernel (at least 2 rows each side) rather than none.
    """
    n = similarity.shape[0]
    novelty = np.zeros(n)
    half = min(half, (n - 1) // 2)
    if half < 2:
        return novelty
    integral = np.zeros((n + 1, n + 1))
    integral[1:, 1:] = similarity.cumsum(axis=0).cumsum(axis=1)
    width = half
    # Only where the whole kernel fits: near the ends a narrow kernel is all noise.
    for centre in range(half, n - half + 1):
        lo, mid, hi = centre - width, centre, centre + width

        def box(r0: int, r1: int, c0: int, c1: int) -> float:
            return integral[r1, c1] - integral[r0, c1] - integral[r1, c0] + integral[r0, c0]

        same = box(lo, mid, lo, mid) + box(mid, hi, mid, hi)
        across = box(lo, mid, mid, hi) + box(mid, hi, lo, mid)
        novelty[centre] = (same - across) / (2 * width) ** 2
    return novelty


def _phrase_bars(bar_similarity: np.ndarray) -> np.ndarray:
    """Indices of the bars that start phrases: every 4th bar, at the phase with the most novelty."""
    n = bar_similarity.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    novelty = _checkerboard_novelty(bar_similarity, _NOVELTY_HALF_BARS)
    phases = [float(novelty[phase::_PHRASE_BARS].mean()) for phase in range(min(_PHRASE_BARS, n))]
    phase = int(np.argmax(phases))
    return np.arange(phase, n, _PHRASE_BARS)


def _context_similarity(tones: np.ndarray, timbre: np.ndarray, rows: np.ndarray, context: int) -> np.ndarray:
    """``S[a, b] = mean_k sim(rows[a] + k, rows[b] + k)`` over ``k = -context .. context - 1``.

    Only the needed entries of the beat self-similarity are computed (one small product
    per ``k``), never the whole beat-by-beat matrix. Context beyond either end of the
    track counts as dissimilar, so the first and last bars are not matched on half a
    context.
    """
    n = tones.shape[0]
    total = np.zeros((rows.size, rows.size))
    for k in range(-context, context):
        shifted = rows + k
        valid = (shifted >= 0) & (shifted < n)
        index = np.clip(shifted, 0, n - 1)
        both = valid[:, None] & valid[None, :]
        total += np.where(both, _similarity(tones[index], timbre[index]), 0.0)
    return total / (2 * context)


def _pairs(context_sim: np.ndarray, times: np.ndarray, min_gap: int) -> np.ndarray:
    """The ``_PARTNERS`` best partners of every row at least ``min_gap`` rows away: ``[from, to, sim]``."""
    n = context_sim.shape[0]
    if n < 2:
        return np.zeros((0, 3))
    scores = context_sim.copy()
    rows, cols = np.indices(scores.shape)
    scores[np.abs(rows - cols) < min_gap] = -np.inf
    keep = min(_PARTNERS, n - 1)
    best = np.argsort(-scores, axis=1, kind="stable")[:, :keep]
    chosen = np.take_along_axis(scores, best, axis=1)
    source = np.repeat(np.arange(n), keep)
    ok = np.isfinite(chosen.ravel())
    return np.column_stack([times[source[ok]], times[best.ravel()[ok]],
                            np.clip(chosen.ravel()[ok], 0.0, 1.0)]).astype(np.float64)


def _quiet_points(energy_db: np.ndarray) -> np.ndarray:
    """Blocks of the energy curve that are local minima below its median (quiet moments)."""
    n = energy_db.size
    if n < 3:
        return np.zeros(0, dtype=np.int64)
    median = float(np.median(energy_db))
    left = np.r_[np.inf, energy_db[:-1]]
    right = np.r_[energy_db[1:], np.inf]
    minima = (energy_db <= left) & (energy_db <= right) & (energy_db <= median)
    picked = np.flatnonzero(minima)
    # At most one quiet point per second keeps the pair list small on long flat stretches.
    kept: list[int] = []
    for index in picked:
        if not kept or index - kept[-1] >= 2:
            kept.append(int(index))
    return np.asarray(kept, dtype=np.int64)


def track_timing(
    *,
    duration_s: float,
    tempo_bpm: float,
    beat_times: np.ndarray,
    onset_envelope: np.ndarray,
    frame_rate: float,
    band_energy: np.ndarray,
    chroma: np.ndarray,
    chroma_rate: float,
    energy_db: np.ndarray,
) -> TrackTiming:
    """Downbeats, phrase boundaries and edit points of a track (see the module docstring).

    Parameters
    ----------
    duration_s : float
        Length of the analysed signal, seconds.
    tempo_bpm : float
        Tempo from the analysis; 0 when there is no beat.
    beat_times : ndarray, shape (n_beats,)
        Beat grid, seconds.
    onset_envelope : ndarray, shape (n_frames,)
        Accent onset envelope at ``frame_rate``.
    frame_rate : float
        Rows per second of ``onset_envelope`` and ``band_energy`` (43.07 Hz).
    band_energy : ndarray, shape (n_frames, n_bands)
        Power per log-spaced band.
    chroma : ndarray, shape (n_chroma_frames, 12)
        Pitch-class energy at ``chroma_rate`` rows per second.
    energy_db : ndarray, shape (n_blocks,)
        Loudness every 0.5 s, dBFS.
    """
    beats = np.asarray(beat_times, dtype=np.float64).reshape(-1)
    if tempo_bpm > 0:
        beats = complete_grid(beats, duration_s)
    energy = np.asarray(energy_db, dtype=np.float64).reshape(-1)
    compressed = _compressed_bands(np.asarray(band_energy))  # (n_frames, n_bands) float32
    base = TrackTiming(duration_s=float(duration_s), tempo_bpm=float(tempo_bpm), beats=beats, energy_db=energy)
    if tempo_bpm > 0 and beats.size >= 8:
        period = float(np.median(np.diff(beats)))
        edges = np.r_[beats, beats[-1] + period]
        raw_tones, raw_timbre = _raw_features(edges, compressed, frame_rate, chroma, chroma_rate)
        tones, timbre = _normalised(raw_tones, raw_timbre)
        frames = np.clip(np.round(beats * frame_rate).astype(np.int64), 0, max(onset_envelope.size - 1, 0))
        accent = onset_envelope[frames] if onset_envelope.size else np.zeros(beats.size)
        down = _downbeat_indices(tones, accent)
        if down.size < 2:
            return base
        # Bar features: the mean of the bar's beat features.
        bar_of_beat = np.clip(np.searchsorted(down, np.arange(beats.size), side="right") - 1, 0, down.size - 1)
        counts = np.bincount(bar_of_beat, minlength=down.size)[:, None].clip(1)
        bar_tones = np.zeros((down.size, raw_tones.shape[1]))
        bar_timbre = np.zeros((down.size, raw_timbre.shape[1]))
        np.add.at(bar_tones, bar_of_beat, raw_tones)
        np.add.at(bar_timbre, bar_of_beat, raw_timbre)
        phrase_bars = _phrase_bars(_similarity(*_normalised(bar_tones / counts, bar_timbre / counts)))
        context = _context_similarity(tones, timbre, down, EDIT_CONTEXT_BEATS)
        edits = _pairs(context, beats[down], min_gap=1)
        return TrackTiming(
            duration_s=base.duration_s, tempo_bpm=base.tempo_bpm, beats=beats, downbeats=beats[down],
            phrases=beats[down][phrase_bars], edit_points=edits, energy_db=energy,
        )
    quiet = _quiet_points(energy)
    if quiet.size < 2 or energy.size == 0 or float(energy.max()) < -60.0:
        return base  # silence (or next to it) has nothing to edit
    edges = np.arange(energy.size + 1) * _QUIET_BLOCK_S
    tones, timbre = _normalised(*_raw_features(edges, compressed, frame_rate, chroma, chroma_rate))
    context = _context_similarity(tones, timbre, quiet, 2)
    # A quiet point's time is the middle of its block; jumps there need at least 2 s between them.
    times = (quiet + 0.5) * _QUIET_BLOCK_S
    edits = _pairs(context, times, min_gap=1)
    far_enough = np.abs(edits[:, 1] - edits[:, 0]) >= 2.0 if edits.size else np.zeros(0, bool)
    return TrackTiming(duration_s=base.duration_s, tempo_bpm=0.0, beats=beats, edit_points=edits[far_enough],
                       energy_db=energy)
