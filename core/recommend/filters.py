"""Filters every music library has: BPM, duration, key or mode, emotion, artist, album, already picked.

A filter chooses which tracks are *listed*; it never changes a distance. The ranking
runs on the kept rows only (:func:`rank_filtered`), and the matcher computes every row
with the same float64 operations wherever it sits, so a kept track has bit for bit
the distance it has unfiltered, and ties keep library order.

A track whose value a filter asks about is unknown (a CSV library has no tempo, a file
whose key could not be estimated) does not pass that filter: "120-130 BPM" promises
tracks known to be in that range. When *no* track of the library knows the value, the
filter is refused with a message instead of listing nothing.

Keys are named as the analysis names them (``"A minor"``, ``"Eb major"``); a filter
accepts ``major``/``minor``, a key (``A minor``, ``Am``, ``A min``, ``F# major``,
``Gb``), sharps and flats being the same key.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from core.errors import InputError
from core.features import MUSIC
from core.match import MatchResult, MatchSettings, TrackIndex
from core.recommend.pairs import QUADRANTS, quadrant_labels

__all__ = ["TrackFacts", "TrackFilter", "parse_key", "parse_range", "picked_in_project", "rank_filtered"]

_PITCHES = {"C": 0, "B#": 0, "C#": 1, "DB": 1, "D": 2, "D#": 3, "EB": 3, "E": 4, "FB": 4, "F": 5, "E#": 5,
            "F#": 6, "GB": 6, "G": 7, "G#": 8, "AB": 8, "A": 9, "A#": 10, "BB": 10, "B": 11, "CB": 11}
_KEY = re.compile(r"^\s*([A-Ga-g])\s*([#♯b♭]?)\s*(major|maj|minor|min|m)?\s*$", re.IGNORECASE)


def parse_range(text: str, what: str, *, unit: str = "") -> tuple[float, float]:
    """``"90-120"``, ``"90-"`` (at least), ``"-120"`` (at most), ``"100"`` (exactly) -> (low, high)."""
    cleaned = str(text).strip().replace("..", "-").replace("–", "-")
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)?\s*(-)?\s*(\d+(?:\.\d+)?)?\s*", cleaned)
    if not match or (match.group(1) is None and match.group(3) is None) or \
            (match.group(2) is None and match.group(3) is not None):
        raise InputError(f"{what} {text!r}: give a range like 90-120, 90- (at least) or -120 (at most){unit}")
    low = float(match.group(1)) if match.group(1) is not None else 0.0
    high = float(match.group(3)) if match.group(3) is not None else (np.inf if match.group(2) else low)
    if high < low:
        raise InputError(f"{what} {text!r}: the low end is above the high end")
    return low, high


def parse_key(text: str) -> tuple[int | None, bool | None]:
    """(pitch class 0-11 or None for any tonic, True major / False minor / None either) from a key filter."""
    word = str(text).strip().lower()
    if word in ("major", "maj", "大调"):
        return None, True
    if word in ("minor", "min", "小调"):
        return None, False
    match = _KEY.fullmatch(str(text))
    if not match:
        raise InputError(f"--key {text!r}: give major, minor or a key such as 'A minor', 'Am', 'F# major'")
    accidental = {"♯": "#", "♭": "b"}.get(match.group(2), match.group(2))
    tonic = _PITCHES[(match.group(1) + accidental).upper()]
    mode = (match.group(3) or "major").lower()  # a bare tonic names its major key, as in "A" vs "Am"
    return tonic, mode.startswith("maj")


def _track_key(name: str | None) -> tuple[int | None, bool | None]:
    if not name:
        return None, None
    try:
        return parse_key(name)
    except InputError:
        return None, None


@dataclass(frozen=True)
class TrackFacts:
    """What the filters look at, one entry per row of the ranked library (its index order)."""

    features: np.ndarray
    """Music vectors, shape ``(n, 10)`` (the emotion class is their arousal/valence quadrant)."""
    tempo_bpm: np.ndarray
    """Shape ``(n,)``; NaN where unknown."""
    duration_s: np.ndarray
    """Shape ``(n,)``; NaN where unknown."""
    keys: tuple[str | None, ...]
    artists: tuple[str, ...]
    albums: tuple[str, ...]
    paths: tuple[str, ...]
    content_hashes: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.features.shape[0])

    @classmethod
    def from_records(cls, records: Sequence) -> TrackFacts:
        """From the library's track records (``core.library.db.TrackRecord``, in index order)."""

        def number(value) -> float:
            return float(value) if value is not None and np.isfinite(value) and value > 0 else np.nan

        return cls(np.array([r.features for r in records], dtype=np.float64).reshape(-1, len(MUSIC)),
                   np.array([number(r.tempo_bpm) for r in records]),
                   np.array([number(r.duration_s) for r in records]),
                   tuple(r.key for r in records), tuple(r.artist or "" for r in records),
                   tuple(r.album or "" for r in records), tuple(str(r.path) for r in records),
                   tuple(r.content_hash or "" for r in records))

    @classmethod
    def from_index(cls, index: TrackIndex, *, folder: str | os.PathLike[str] | None = None) -> TrackFacts:
        """From a bare index (a CSV library): features and names only; relative names resolved in ``folder``."""
        n = len(index)
        paths = tuple(str(Path(folder) / name) if folder is not None and not Path(name).is_absolute() else name
                      for name in index.names)
        return cls(index.features.astype(np.float64), np.full(n, np.nan), np.full(n, np.nan), (None,) * n,
                   ("",) * n, ("",) * n, paths, ("",) * n)


@dataclass(frozen=True)
class TrackFilter:
    """Which tracks may be listed. Every field left at its default lets every track through."""

    bpm: tuple[float, float] | None = None
    duration_s: tuple[float, float] | None = None
    key: str | None = None
    """``major``, ``minor`` or a key (see :func:`parse_key`)."""
    emotion: str | None = None
    """One of :data:`core.recommend.pairs.QUADRANTS`."""
    artist: str | None = None
    """Case-insensitive part of the artist's name."""
    album: str | None = None
    exclude_paths: frozenset[str] = field(default_factory=frozenset)
    exclude_hashes: frozenset[str] = field(default_factory=frozenset)
    exclude_rows: frozenset[int] = field(default_factory=frozenset)
    """Library rows never listed (the track a "more like this" starts from)."""

    def __post_init__(self) -> None:
        if self.emotion is not None and self.emotion not in QUADRANTS:
            raise InputError(f"emotion {self.emotion!r}: use one of {', '.join(QUADRANTS)}")
        if self.key is not None:
            parse_key(self.key)

    @property
    def active(self) -> bool:
        return self != TrackFilter()

    def mask(self, facts: TrackFacts) -> np.ndarray:
        """Boolean keep-mask over the library's rows, shape ``(n,)``; :class:`InputError` for a filter no track
        can be judged by."""
        n = len(facts)
        keep = np.ones(n, dtype=bool)
        if self.bpm is not None:
            keep &= self._within(facts.tempo_bpm, self.bpm, "--bpm", "tempo")
        if self.duration_s is not None:
            keep &= self._within(facts.duration_s, self.duration_s, "--duration", "duration")
        if self.key is not None:
            tonic, major = parse_key(self.key)
            track_keys = [_track_key(k) for k in facts.keys]
            if all(m is None for _, m in track_keys) and n:
                raise InputError("--key: no track of this library has a known key (a CSV library has none; "
                                 "use a library database made by `musicmatch library add`)")
            keep &= np.array([m is not None and (major is None or m == major) and (tonic is None or t == tonic)
                              for t, m in track_keys], dtype=bool)
        if self.emotion is not None:
            keep &= np.array([label == self.emotion for label in quadrant_labels(facts.features)], dtype=bool)
        for wanted, values in ((self.artist, facts.artists), (self.album, facts.albums)):
            if wanted is not None:
                needle = wanted.casefold().strip()
                keep &= np.array([needle in value.casefold() for value in values], dtype=bool)
        if self.exclude_paths or self.exclude_hashes:
            resolved = {_resolved(p) for p in self.exclude_paths}
            keep &= np.array([_resolved(p) not in resolved and (not h or h not in self.exclude_hashes)
                              for p, h in zip(facts.paths, facts.content_hashes, strict=True)], dtype=bool)
        if self.exclude_rows:
            rows = np.array(sorted(r for r in self.exclude_rows if 0 <= r < n), dtype=np.int64)
            keep[rows] = False
        return keep

    @staticmethod
    def _within(values: np.ndarray, bounds: tuple[float, float], option: str, what: str) -> np.ndarray:
        known = np.isfinite(values)
        if values.size and not known.any():
            raise InputError(f"{option}: no track of this library has a known {what} (a CSV library has none; "
                             "use a library database made by `musicmatch library add`)")
        with np.errstate(invalid="ignore"):
            return known & (values >= bounds[0]) & (values <= bounds[1])


def _resolved(path: str) -> str:
    try:
        return str(Path(path).expanduser().resolve())
    except (OSError, RuntimeError):
        return str(path)


def picked_in_project(paths: Iterable[str | os.PathLike[str]]) -> tuple[frozenset[str], frozenset[str]]:
    """(track paths, content hashes) of every pick in the projects named (``--exclude-picked``)."""
    from core.project import load_project

    track_paths: set[str] = set()
    hashes: set[str] = set()
    for path in paths:
        project = load_project(path)
        for pick in project.picks:
            track_paths.add(pick.track_path)
            if pick.content_hash:
                hashes.add(pick.content_hash)
    return frozenset(track_paths), frozenset(hashes)


def rank_filtered(index: TrackIndex, query: np.ndarray, settings: MatchSettings, keep: np.ndarray) -> MatchResult:
    """The top ``settings.top_k`` of the rows where ``keep`` is True; indices and names are the library's.

    Distances and shares are those of the unfiltered ranking (the same rows, the same
    arithmetic); fewer than K results when fewer tracks pass.
    """
    keep = np.asarray(keep, dtype=bool)
    if keep.shape != (len(index),):
        raise InputError(f"a filter mask needs one entry per library track ({len(index)}), got {keep.shape}")
    if keep.all():
        return index.rank(query, settings)
    rows = np.flatnonzero(keep)
    if rows.size == 0:
        empty = TrackIndex(np.zeros((0, len(index.space))), space=index.space)
        return empty.rank(query, settings)
    subset = TrackIndex(index.features[rows], [index.names[i] for i in rows], space=index.space)
    result = subset.rank(query, settings)
    return replace(result, indices=rows[result.indices])
