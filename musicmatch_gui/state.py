"""What the window works on, without Qt: the library, the model, the clip's recommendation, the picks."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core.library.source import LibraryEntry, open_library
from core.library.versions import VersionGroups
from core.library.versions import group_versions as find_versions
from core.match import MatchResult, MatchSettings, TrackIndex
from core.project import Pick, Project, VideoRef, match_config, pick_of_track, project_from_analysis
from core.recommend.filters import TrackFacts

if TYPE_CHECKING:
    from core.pipeline import Recommendation  # imports torch: only for type checkers, the window starts faster

__all__ = ["Library", "Session", "keep_rows", "load_library"]


@dataclass
class Library:
    index: TrackIndex
    tracks: list[LibraryEntry]
    hashes: list[str]
    path: str = ""
    kind: str = "db"
    """``"db"`` (a scanned library database: folders can be added) or ``"csv"`` (a feature table, read-only)."""
    demo: bool = False
    """The generated demo library: scanning the editor's own folders never goes into it."""
    versions: VersionGroups | None = None
    """The files of each song (:mod:`core.library.versions`): the list shows one row per song, by its
    preferred version; None lists every file."""
    records: tuple | None = None
    """A database's track records in row order (None for a CSV): their vectors are the exact ones, and
    Learn From My Picks reads current features from them."""
    facts: TrackFacts | None = None
    """What the filter bar filters on (tempo, length, key, tags), one entry per row; built in the loading job."""

    def __len__(self) -> int:
        return len(self.index)

    def vector(self, row: int) -> np.ndarray:
        """Row ``row``'s music vector as stored (the index keeps float32 copies for ranking speed)."""
        if self.records is not None and self.records[row].features is not None:
            return self.records[row].features
        return self.index.features[row]


def load_library(path: str | Path, *, demo: bool = False, group_versions: bool = True) -> Library:
    """The analysed tracks of a library database or feature CSV (run in a job: it reads the whole file).

    With ``group_versions`` the files of one song (copies, or the same song as WAV, MP3 and
    OGG) are grouped (:func:`core.library.versions.group_versions`, sizes from the database).
    """
    source = open_library(path, allow_empty=True)
    tracks = list(source.entries)
    records = None if source.records is None else tuple(source.records)
    versions = None
    if group_versions and tracks:
        sizes = [record.size for record in records] if records is not None else None
        versions = find_versions(tracks, source.index.features, sizes=sizes)
    facts = TrackFacts.from_records(records) if records is not None else \
        TrackFacts.from_index(source.index, folder=Path(path).parent)
    return Library(source.index, tracks, [t.content_hash for t in tracks], str(path), source.kind, demo, versions,
                   records, facts)


def keep_rows(result: MatchResult, keep: np.ndarray) -> MatchResult:
    """``result`` without the library rows ``keep`` leaves out (a boolean mask over the library, shape ``(n,)``).

    The rows kept keep their order, distances and shares: the same ranking as
    :func:`core.recommend.filters.rank_filtered` (checked in ``benchmarks/bench_window_taste.py``),
    without building an index of the kept rows on every re-rank.
    """
    chosen = np.asarray(keep, dtype=bool)[result.indices]
    names = tuple(name for name, kept in zip(result.names, chosen, strict=True) if kept) if result.names else ()
    return replace(result, indices=result.indices[chosen], distances=result.distances[chosen],
                   shares=result.shares[chosen], names=names)


@dataclass
class Session:
    """The open clip and everything derived from it."""

    video_path: str = ""
    recommendation: Recommendation | None = None
    target: np.ndarray | None = None
    result: MatchResult | None = None
    picks: dict[int, Pick] = field(default_factory=dict)
    """Library row -> its pick (in pick order)."""
    video_hash: str = ""
    project_path: str = ""
    dirty: bool = False
    model_name: str = "default"
    sections: dict[int, tuple[float, float]] = field(default_factory=dict)
    """Library row -> the section in use for this clip ``(start_s, end_s)`` (best, or moved by
    the editor); a new pick starts with it as its track in/out."""
    fits: dict[int, tuple[str, list[list[float]]]] = field(default_factory=dict)
    """Library row -> its fit rendered for this clip ``(wav path, edits)``; a new pick keeps it."""

    def rank(self, library: Library | None, settings: MatchSettings, *, keep: np.ndarray | None = None,
             target: np.ndarray | None = None, covers: list[bool | None] | None = None) -> MatchResult | None:
        """Rank the whole library (the list shows ``settings.top_k``; the filter searches all of it).

        ``keep``: boolean mask of the library rows the filter bar lets through, shape ``(n,)``
        (None: all); the others are left out of the ranking, never moved (a kept row's distance is
        the one it has unfiltered). ``target``: the vector to rank against instead of
        :attr:`target` ("more like this"), shape ``(10,)``. ``covers`` (one per library row,
        :func:`core.pipeline.rank_tracks`) ranks the tracks shorter than the clip after every
        track that covers it. With the library's versions grouped, each song is listed once, by
        its preferred file.
        """
        query = self.target if target is None else target
        if library is None or query is None or len(library) == 0:
            self.result = None
        else:
            from core.pipeline import rank_tracks  # loaded with the recommender, before any clip has a target

            # The whole library in one pass (covering tracks first), then the rows left out are dropped:
            # the order of the others cannot change, and no index of the kept rows is built per re-rank.
            self.result = rank_tracks(library.index, query, replace(settings, top_k=len(library)), covers=covers)
            if library.versions is not None:
                preferred = library.versions.preferred_rows
                keep = preferred if keep is None else np.asarray(keep, dtype=bool) & preferred
            if keep is not None:
                self.result = keep_rows(self.result, keep)
        return self.result

    def section_of(self, row: int) -> tuple[float, float] | None:
        """The section in use for library ``row`` ``(start_s, end_s)``: a pick's own, else the list's."""
        pick = self.picks.get(row)
        if pick is not None and pick.track_out_s > pick.track_in_s:
            return float(pick.track_in_s), float(pick.track_out_s)
        return self.sections.get(row)

    def new_pick(self, library: Library, row: int, video_position_s: float = 0.0) -> Pick:
        """A pick of library ``row`` with its rank and distance in the current ranking (0 without one)."""
        rank, distance = 0, 0.0
        if self.result is not None:
            where = np.flatnonzero(self.result.indices == row)
            if where.size:
                rank, distance = int(where[0]) + 1, float(self.result.distances[where[0]])
        pick = pick_of_track(library.tracks[row], library.vector(row), rank=rank, distance=distance,
                             placement_s=video_position_s, section=self.sections.get(row))
        rendered, edits = self.fits.get(row, ("", []))
        pick.rendered_path, pick.edits = rendered, [list(e) for e in edits]
        return pick

    def toggle_pick(self, library: Library, row: int, video_position_s: float = 0.0) -> bool:
        """Pick or unpick library ``row``; returns whether it is now picked."""
        if row in self.picks:
            del self.picks[row]
            self.dirty = True
            return False
        self.picks[row] = self.new_pick(library, row, video_position_s)
        self.dirty = True
        return True

    def to_project(self, settings: MatchSettings) -> Project:
        """The open session as a project, built by :func:`core.project.project_from_analysis` like the
        command line's ``recommend --save-project`` (before a clip is analysed: the path and picks only)."""
        rec = self.recommendation
        if rec is None:
            return Project(video=VideoRef(path=self.video_path), settings=match_config(settings, model=self.model_name),
                           picks=list(self.picks.values()))
        target = self.target if self.target is not None else rec.prediction.features
        return project_from_analysis(self.video_path, rec.analysis, target=target, emotion=rec.prediction.emotion,
                                     settings=settings, picks=list(self.picks.values()), model=self.model_name,
                                     video_hash=self.video_hash or None)
