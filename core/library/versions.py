"""One song, several files: group a library's versions of the same recording (issue #13, finding 8).

Editors keep the same song as a WAV master, an MP3 for the client and an OGG for the web,
and copies of copies. Listed one row per file, a ranking shows the song three times in a
row and pushes everything else down. :func:`group_versions` finds the files that hold the
same song, and :class:`VersionGroups` says which file stands for it (its *preferred*
version) and lists the others.

Two library rows are versions of one song when

* their files have the same content hash (byte-identical copies), or
* they have the same cleaned title (the title tag, else the file stem, case-folded, with
  copy markers such as ``(1)``, ``- Copy`` or ``copy of`` and format words such as
  ``[FLAC]`` or ``320 kbps`` removed), durations within ``duration_tolerance_s`` (1 s) of
  each other, *and* music vectors closer than ``max_distance``: the root mean square of
  the per-dimension differences in the matcher's fixed standard units
  (:attr:`core.features.FeatureSpace.scales`, the half-width of each documented range).

The vector test keeps two different songs that merely share a name and a length ("Intro",
"Theme") apart: lossy encoding moves a track's vector by hundredths of a unit, while
different music differs by tenths (:data:`DEFAULT_MAX_DISTANCE` gives the measurements).
Rows of unknown duration (a feature CSV) group only by hash.

The preferred version is the best-sounding file: lossless before lossy, then the higher
average bitrate (file size x 8 / duration), then the larger file, then library order.
Ranking with versions grouped (:func:`core.pipeline.rank_tracks` with ``versions=``) lists
the preferred version only, so auditioning or picking a song uses that file.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from core.features import MUSIC

__all__ = [
    "DEFAULT_MAX_DISTANCE",
    "LOSSLESS_SUFFIXES",
    "Version",
    "VersionGroups",
    "clean_title",
    "group_versions",
]

LOSSLESS_SUFFIXES = frozenset({".wav", ".wave", ".aif", ".aiff", ".aifc", ".flac", ".w64", ".caf", ".ape", ".wv"})
"""File endings whose audio is stored without loss (``.m4a`` may hold either ALAC or AAC: counted as lossy)."""

DEFAULT_MAX_DISTANCE = 0.12
"""Largest RMS difference per dimension, in standard units, between two versions of one song.

Measured on generated drum-and-chord loops (10 s, 22.05 kHz; ``benchmarks/README.md``): an MP3
at 128 kbit/s moved a loop's vector by 0.010, Ogg Vorbis by 0.017 to 0.044 at its default
and middle qualities and 0.07 to 0.10 at its lowest; FLAC by 0. Another arrangement of the loop
(minor mode, or 96 BPM with sixteenth hats) lay 0.13 to 0.19 away. Near-copies (the same loop
4 BPM faster: 0.086, or a tone higher: 0.025) fall inside; they also need the same title and
length to be grouped, so that is what an editor would call another version anyway."""

_COPY_MARKERS = (
    re.compile(r"^copy of\s+"),
    re.compile(r"[\s_-]*[(\[]\s*(?:copy\s*)?\d*\s*[)\]]$"),  # "(1)", "[2]", "(copy)", "(copy 2)"
    re.compile(r"[\s_-]+copy(?:\s*\d+)?$"),  # " - Copy", "_copy2"
)
_FORMAT_WORDS = re.compile(r"[(\[]\s*(?:wav|flac|aiff?|mp3|ogg|opus|aac|m4a|lossless|\d+\s*k(?:bps|bit/s)?)\s*[)\]]"
                           r"|\b\d+\s*kbps\b")


_MAY_HAVE_MARKERS = re.compile(r"[(\[]|copy|kbps")
_NOT_WORD = re.compile(r"[\W_]+")


class TrackLike(Protocol):
    """What grouping needs of a library row (a :class:`core.library.source.LibraryEntry` has it)."""

    path: str
    title: str
    duration_s: float
    content_hash: str


@dataclass(frozen=True)
class Version:
    """One file of a song."""

    row: int
    """Its library row."""
    path: str
    format: str
    """The file's ending in capitals (``"FLAC"``, ``"MP3"``)."""
    lossless: bool
    size_bytes: int | None
    """The file's size (None when the file is not there)."""
    bitrate_kbps: float | None
    """Average bitrate, kbit/s: size x 8 / duration (None when either is unknown)."""

    def describe(self) -> str:
        """One line for a list or tooltip: ``"MP3, 192 kbps, 4.4 MB"`` or ``"FLAC, lossless, 31.0 MB"``."""
        parts = [self.format or "?", "lossless" if self.lossless else
                 (f"{self.bitrate_kbps:.0f} kbps" if self.bitrate_kbps else "lossy")]
        if self.size_bytes is not None:
            parts.append(f"{self.size_bytes / 1e6:.1f} MB")
        return ", ".join(parts)

    def preference(self) -> tuple:
        """Sort key, best first: lossless, then higher bitrate, then larger, then earlier in the library."""
        return (not self.lossless, -(self.bitrate_kbps or 0.0), -(self.size_bytes or 0), self.row)


@dataclass(frozen=True, eq=False)
class VersionGroups:
    """The songs of a library and the files (versions) of each."""

    group: np.ndarray
    """Shape ``(n_rows,)`` int: the song of every library row, numbered from 0."""
    members: tuple[tuple[int, ...], ...]
    """The rows of each song, preferred version first."""
    preferred_rows: np.ndarray
    """Shape ``(n_rows,)`` bool: True for the row that stands for its song (pass as a ranking's ``keep``)."""
    _tracks: Sequence[TrackLike]
    _sizes: Sequence[int | None]

    def __len__(self) -> int:
        """The number of songs."""
        return len(self.members)

    def version(self, row: int) -> Version:
        """The :class:`Version` (format, bitrate, size, path) of library ``row``."""
        return _version(row, self._tracks[row], self._sizes[row])

    def versions_of(self, row: int) -> tuple[Version, ...]:
        """Every version of ``row``'s song, preferred first (just ``row`` when it has no other)."""
        return tuple(self.version(r) for r in self.members[int(self.group[row])])

    def preferred(self, row: int) -> int:
        """The row of the preferred version of ``row``'s song."""
        return self.members[int(self.group[row])][0]

    def others(self, row: int) -> int:
        """How many more files the song of ``row`` has (the list's "+N versions")."""
        return len(self.members[int(self.group[row])]) - 1


def clean_title(title: str) -> str:
    """The title two versions of a song share: case-folded, copy markers and format words removed.

    >>> clean_title("Night Drive (1)"), clean_title("night drive - Copy"), clean_title("Night Drive [FLAC]")
    ('night drive', 'night drive', 'night drive')
    """
    text = unicodedata.normalize("NFKC", title).casefold().strip()
    if _MAY_HAVE_MARKERS.search(text):  # most titles have none: skip the markers' patterns
        text = _FORMAT_WORDS.sub(" ", text)
        for _ in range(2):  # "Song (1) - Copy": markers may stack
            for marker in _COPY_MARKERS:
                text = marker.sub("", text.strip())
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _version(row: int, track: TrackLike, size: int | None) -> Version:
    suffix = os.path.splitext(track.path)[1].lower()
    duration = float(track.duration_s or 0.0)
    bitrate = size * 8 / duration / 1000 if size and duration > 0 else None
    return Version(row=row, path=str(track.path), format=suffix.lstrip(".").upper(),
                   lossless=suffix in LOSSLESS_SUFFIXES, size_bytes=size, bitrate_kbps=bitrate)


def _size_of(path: str) -> int | None:
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def group_versions(
    tracks: Sequence[TrackLike],
    features: np.ndarray,
    *,
    sizes: Sequence[int | None] | None = None,
    max_distance: float = DEFAULT_MAX_DISTANCE,
    duration_tolerance_s: float = 1.0,
) -> VersionGroups:
    """Group the rows of a library into songs (see the module's description for the rules).

    Parameters
    ----------
    tracks : sequence of LibraryEntry
        One per library row: ``path``, ``title``, ``duration_s`` (seconds, 0 = unknown) and
        ``content_hash`` ("" = unknown).
    features : ndarray, shape (n_rows, 10)
        The rows' music vectors in :data:`core.features.MUSIC` order.
    sizes : sequence of int or None, optional
        File sizes in bytes (a library database stores them); by default the files are looked at.
    max_distance : float
        Largest RMS per-dimension difference, in standard units, between two versions.
    duration_tolerance_s : float
        Largest difference in length between two versions, seconds.

    Returns
    -------
    VersionGroups
        Every row in exactly one song; a row with no other version is a song of its own.
        Costs O(n) plus, within each group of equal cleaned titles, O(m^2) comparisons.
    """
    count = len(tracks)
    vectors = np.asarray(features, dtype=np.float64).reshape(count, len(MUSIC))
    standard = (vectors - MUSIC.centers) / MUSIC.scales
    finite = np.all(np.isfinite(standard), axis=1)
    if sizes is None:
        sizes = [_size_of(t.path) for t in tracks]

    parent = list(range(count))

    def root(row: int) -> int:
        while parent[row] != row:
            parent[row] = parent[parent[row]]
            row = parent[row]
        return row

    def join(a: int, b: int) -> None:
        a, b = root(a), root(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    by_hash: dict[str, int] = {}
    by_title: dict[str, list[int]] = {}
    durations = np.zeros(count)
    for row, track in enumerate(tracks):
        if track.content_hash:
            first = by_hash.setdefault(track.content_hash, row)
            if first != row:
                join(first, row)
        durations[row] = duration = float(track.duration_s or 0.0)
        if duration > 0 and finite[row]:
            title = clean_title(track.title or os.path.splitext(os.path.basename(track.path))[0])
            if title:
                by_title.setdefault(title, []).append(row)
    # Candidate pairs: every two rows of one cleaned title. Small groups (the usual case) are
    # checked all at once; a large one ("Untitled" a thousand times) row by row, so memory stays O(m).
    firsts: list[int] = []
    seconds: list[int] = []
    for rows in by_title.values():
        if len(rows) < 2:
            continue
        if len(rows) <= 32:
            for i, a in enumerate(rows):
                firsts.extend([a] * (len(rows) - i - 1))
                seconds.extend(rows[i + 1:])
            continue
        block = np.array(rows)
        for i in range(len(rows) - 1):
            others = block[i + 1:]
            close = (np.abs(durations[others] - durations[block[i]]) <= duration_tolerance_s) & (
                np.sqrt(np.mean((standard[others] - standard[block[i]]) ** 2, axis=1)) <= max_distance)
            for j in others[close]:
                join(int(block[i]), int(j))
    if firsts:
        a, b = np.array(firsts), np.array(seconds)
        close = (np.abs(durations[a] - durations[b]) <= duration_tolerance_s) & (
            np.sqrt(np.mean((standard[a] - standard[b]) ** 2, axis=1)) <= max_distance)
        for i, j in zip(a[close].tolist(), b[close].tolist(), strict=True):
            join(i, j)

    songs: dict[int, list[int]] = {}
    for row in range(count):
        songs.setdefault(root(row), []).append(row)
    group = np.zeros(count, dtype=np.int64)
    members = []
    for number, rows in enumerate(songs.values()):  # in order of each song's first row
        group[rows] = number
        if len(rows) > 1:
            rows = sorted(rows, key=lambda r: _version(r, tracks[r], sizes[r]).preference())
        members.append(tuple(rows))
    preferred = np.zeros(count, dtype=bool)
    preferred[[rows[0] for rows in members]] = True
    return VersionGroups(group=group, members=tuple(members), preferred_rows=preferred, _tracks=tracks,
                         _sizes=sizes)
