"""What the window works on, without Qt: the library, the model, the clip's recommendation, the picks."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core.features import MUSIC
from core.library.source import LibraryEntry, open_library
from core.match import MatchResult, MatchSettings, TrackIndex
from core.project import MatchConfig, Pick, Project, VideoRef
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
    records: tuple | None = None
    """A database's track records in index order (what Learn From My Picks reads current features from);
    None for a CSV."""
    facts: TrackFacts | None = None
    """What the filter bar filters on (tempo, length, key, tags), one entry per row; built in the loading job."""

    def __len__(self) -> int:
        return len(self.index)


def load_library(path: str | Path, *, demo: bool = False) -> Library:
    """The analysed tracks of a library database or feature CSV (run in a job: it reads the whole file)."""
    source = open_library(path, allow_empty=True)
    tracks = list(source.entries)
    records = None if source.records is None else tuple(source.records)
    facts = TrackFacts.from_records(records) if records is not None else \
        TrackFacts.from_index(source.index, folder=Path(path).parent)
    return Library(source.index, tracks, [t.content_hash for t in tracks], str(path), source.kind, demo,
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

    def rank(self, library: Library | None, settings: MatchSettings, *, keep: np.ndarray | None = None,
             target: np.ndarray | None = None) -> MatchResult | None:
        """Rank the whole library (the list shows ``settings.top_k``; the filter searches all of it).

        ``keep``: boolean mask of the library rows the filter bar lets through, shape ``(n,)``
        (None: all); the others are left out of the ranking, never moved (a kept row's distance is
        the one it has unfiltered). ``target``: the vector to rank against instead of
        :attr:`target` ("more like this"), shape ``(10,)``.
        """
        query = self.target if target is None else target
        if library is None or query is None or len(library) == 0:
            self.result = None
        else:
            self.result = library.index.rank(query, replace(settings, top_k=len(library)))
            if keep is not None:
                self.result = keep_rows(self.result, keep)
        return self.result

    def new_pick(self, library: Library, row: int, video_position_s: float = 0.0) -> Pick:
        """A pick of library ``row`` with its rank and distance in the current ranking (0 without one)."""
        rank, distance = 0, 0.0
        if self.result is not None:
            where = np.flatnonzero(self.result.indices == row)
            if where.size:
                rank, distance = int(where[0]) + 1, float(self.result.distances[where[0]])
        track = library.tracks[row]
        return Pick(
            track_path=track.path, content_hash=library.hashes[row], title=track.title, artist=track.artist,
            rank=rank, distance=distance,
            features=dict(zip(MUSIC.ids, (float(v) for v in library.index.features[row]), strict=True)),
            duration_s=track.duration_s, placement_s=max(0.0, float(video_position_s)),
        )

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
        rec = self.recommendation
        video = VideoRef(path=self.video_path)
        if rec is not None:
            analysis = rec.analysis
            video = VideoRef(
                path=str(Path(self.video_path).resolve()), content_hash=self.video_hash,
                duration_s=float(analysis.duration_s),
                fps=float(analysis.info.fps), width=int(analysis.info.width), height=int(analysis.info.height),
                has_audio=bool(analysis.info.has_audio), features=analysis.features.to_dict(),
                shots=[[float(a), float(b)] for a, b in analysis.shots],
                timeline={k: [round(float(v), 3) for v in vals] for k, vals in analysis.timeline.items()},
            )
        config = MatchConfig(metric=settings.metric, dims=list(settings.dims),
                             weights={d: w for d, w in zip(MUSIC.ids, settings.weights, strict=True) if w != 1.0},
                             top_k=settings.top_k, raw=settings.raw, model=self.model_name)
        target = {} if self.target is None else dict(zip(MUSIC.ids, (float(v) for v in self.target), strict=True))
        emotion = rec.prediction.emotion if rec is not None else ""
        return Project(video=video, target=target, target_emotion=emotion, settings=config,
                       picks=list(self.picks.values()))
