"""Where an export puts its markers: the music's bars and the clip's cuts, on the editing timeline.

Bar times come from the library (the track's downbeats, or every fourth beat of its beat
grid where no downbeats were stored); an export without a library has cut markers only.
A pick plays its track from ``track_in_s`` (its section) at ``placement_s`` on the
timeline, or a rendered fit of it: then the fit's edits (jumps inside the track) say
where each bar of the track ends up in the rendered file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np

from core.project import Pick

__all__ = ["BarTimes", "bar_source", "bars_from_records", "bars_in_pick", "track_bars"]

BarTimes = Callable[[Pick], "np.ndarray | None"]
"""Given a pick, the start of every bar of its track (track seconds, ascending), or None if unknown."""


def track_bars(record) -> np.ndarray | None:
    """Bar starts of a library track: its downbeats, else every fourth beat from the first.

    ``record`` is a :class:`core.library.db.TrackRecord`; None when it has neither.
    """
    downbeats = getattr(record, "downbeats", None)
    if downbeats is not None and len(downbeats):
        return np.asarray(downbeats, dtype=float)
    beats = getattr(record, "beats", None)
    if beats is not None and len(beats) >= 4:
        return np.asarray(beats, dtype=float)[::4]  # 4/4 assumed where the library has no downbeats
    return None


def bars_from_records(records: Iterable) -> BarTimes:
    """A :data:`BarTimes` that finds each pick's track among library records by content hash, else by path."""
    by_hash: dict[str, np.ndarray] = {}
    by_path: dict[str, np.ndarray] = {}
    for record in records:
        bars = track_bars(record)
        if bars is None:
            continue
        if record.content_hash:
            by_hash[record.content_hash] = bars
        by_path[str(Path(record.path))] = bars

    def lookup(pick: Pick) -> np.ndarray | None:
        if pick.content_hash and pick.content_hash in by_hash:
            return by_hash[pick.content_hash]
        return by_path.get(str(Path(pick.track_path)))

    return lookup


def bar_source(bars: BarTimes | Mapping[int, Iterable[float]] | None) -> BarTimes:
    """Normalise the ``bars`` argument of the exports: a callable, a mapping pick index -> times, or None."""
    if bars is None:
        return lambda _pick: None
    if callable(bars):
        return bars
    return _IndexedBars({int(index): np.asarray(list(times), dtype=float) for index, times in bars.items()})


class _IndexedBars:
    """Bar times given per pick index (the order of ``project.picks``)."""

    def __init__(self, table: dict[int, np.ndarray]) -> None:
        self.table = table
        self.order: dict[int, int] = {}

    def bind(self, picks: list[Pick]) -> None:
        self.order = {id(p): i for i, p in enumerate(picks)}

    def __call__(self, pick: Pick) -> np.ndarray | None:
        return self.table.get(self.order.get(id(pick), -1))


def bars_in_pick(bars: np.ndarray | None, pick: Pick, media_in_s: float, media_out_s: float) -> list[float]:
    """Media times (seconds into the file the pick plays) of the bars inside ``[media_in_s, media_out_s)``.

    For a pick played from its section the media is the track, so a bar's media time is
    its track time. For a rendered fit with edits ``[at_s, from_s, to_s]`` (at output time
    ``at_s`` the music leaves the track at ``from_s`` and resumes at ``to_s``), each
    stretch of the track is mapped to the output on its own, starting from ``track_in_s``.
    """
    if bars is None or not len(bars):
        return []
    if not pick.rendered_path:
        return [float(b) for b in bars if media_in_s - 1e-9 <= b < media_out_s]
    # Stretches of the rendered file: (output start, output end, track time at the output start).
    pieces, at, source = [], 0.0, pick.track_in_s
    for edit_at, _leave, resume in sorted(pick.edits):
        pieces.append((at, edit_at, source))
        at, source = edit_at, resume
    pieces.append((at, media_out_s, source))
    out = []
    for start, end, track_start in pieces:
        out += [start + float(b) - track_start for b in bars if 0 <= b - track_start < end - start]
    return sorted(t for t in out if media_in_s - 1e-9 <= t < media_out_s)
