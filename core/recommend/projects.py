"""Projects meet the recommender: a project from a recommendation, and training pairs from projects' picks."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import ProjectError
from core.features import MUSIC, VIDEO
from core.library.source import entry_of_name, entry_of_record
from core.match import MatchResult
from core.project import Project, load_project, pick_of_track, project_from_analysis
from core.recommend.model import Prediction
from core.recommend.pairs import Pairs

__all__ = ["PickHarvest", "collect_picks", "pairs_from_projects", "project_files", "project_from_recommendation"]


def project_from_recommendation(
    video_path: str | os.PathLike[str],
    analysis,
    prediction: Prediction,
    result: MatchResult,
    ranks: list[int],
    library_features: np.ndarray,
    *,
    records=None,
    library_folder: Path | None = None,
    model: str = "default",
    sections: dict[int, tuple[float, float]] | None = None,
) -> Project:
    """A project holding the analysed video, its target, the ranking's settings and the picked ranks.

    ``analysis`` is a :class:`core.video.analysis.VideoAnalysis`; ``records`` the library's
    track records in the ranking's row order (from a database), or None for a CSV library,
    whose names are taken as paths (relative ones to ``library_folder``);
    ``library_features`` the ranked library's vectors (``TrackIndex.features``);
    ``sections`` the best section ``(start_s, end_s)`` in track seconds by rank, which
    becomes each pick's track in/out (picks without one play from the track's start).
    The project is built by :func:`core.project.project_from_analysis`, as the window's is.
    """
    rows = result.rows()
    picks = []
    for rank in ranks:
        row = rows[rank - 1]
        if records is not None:
            record = records[row.index]
            track = entry_of_record(record)
            features = record.features if record.features is not None else library_features[row.index]
        else:
            track = entry_of_name(row.name, library_folder if library_folder is not None else Path.cwd())
            features = library_features[row.index]
        picks.append(pick_of_track(track, features, rank=rank, distance=row.distance,
                                   section=(sections or {}).get(rank)))
    return project_from_analysis(video_path, analysis, target=prediction.features, emotion=prediction.emotion,
                                 settings=result.settings, picks=picks, model=str(model))


def project_files(paths: list[str | os.PathLike[str]]) -> list[Path]:
    """The ``.mmproj`` files named, and those inside named folders (recursively), sorted."""
    found: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir():
            found += sorted(p for p in entry.rglob("*.mmproj") if not p.name.startswith("."))
        elif entry.is_file():
            found.append(entry)
        else:
            raise ProjectError(f"{entry}: no such project file or folder")
    return found


def pairs_from_projects(paths: list[str | os.PathLike[str]]) -> tuple[Pairs, int]:
    """Training pairs from every pick in the projects: (video features, the picked track's features).

    Picks whose video was never analysed, or whose track has no features, are skipped;
    the same video (by content hash, else path) with the same track (likewise) counts
    once. Returns the pairs and the number of project files read
    (:func:`collect_picks` also says what was skipped and why).
    """
    harvest = collect_picks(paths)
    return harvest.pairs, harvest.files


@dataclass(frozen=True)
class PickHarvest:
    """The picks of a set of projects, and what was left out."""

    pairs: Pairs
    files: int
    skipped: dict[str, int]
    """Reason -> number of picks: left out (``no video features``, ``no track features``, ``duplicate``) or
    used with a caveat (``re-analysed``, ``not in the library``)."""

    def notes(self) -> list[str]:
        """One sentence per kind of pick left out, for the editor."""
        words = {
            "no video features": "their project's video was never analysed (open it in MusicMatch and save)",
            "no track features": "their track has no features (missing or not analysed: rescan the library, "
                                 "then pick it again)",
            "duplicate": "the same track was picked for the same video more than once (counted once)",
        }
        kept = {
            "re-analysed": "their track was analysed again since it was picked; its current features are used",
            "not in the library": "their track is not in the library; the features saved with the pick are used",
        }
        notes = [f"{count} pick{'s' if count != 1 else ''} left out: {words[reason]}"
                 for reason, count in self.skipped.items() if count and reason in words]
        return notes + [f"{count} pick{'s' if count != 1 else ''}: {kept[reason]}"
                        for reason, count in self.skipped.items() if count and reason in kept]


def collect_picks(paths: list[str | os.PathLike[str]], *, library=None) -> PickHarvest:
    """Every usable pick in the projects named (files or folders), with counts of those left out.

    ``library``: the track records of the library database (``TrackRecord``s), or None.
    With it, a pick whose track the library knows (by content hash, else path) takes the
    library's *current* vector, so tracks re-analysed since they were picked teach what
    they sound like now; picks whose track the library has without features (analysis
    failed) are left out, and picks of tracks it does not know keep the vector saved
    with the pick. Each case is counted.
    """
    files = project_files(paths)
    if not files:
        raise ProjectError("no .mmproj files found in " + ", ".join(map(str, paths)))
    by_hash: dict[str, object] = {}
    by_path: dict[str, object] = {}
    for record in library or ():
        if record.content_hash:
            by_hash[record.content_hash] = record
        by_path[str(record.path)] = record
    seen: set[tuple[str, str]] = set()
    skipped = {"no video features": 0, "no track features": 0, "duplicate": 0, "re-analysed": 0,
               "not in the library": 0}
    video_rows, music_rows = [], []
    for file in files:
        project = load_project(file)
        if len(project.video.features) != len(VIDEO):
            skipped["no video features"] += len(project.picks)
            continue
        video_key = project.video.content_hash or project.video.path
        video_vector = [project.video.features[d] for d in VIDEO.ids]
        for pick in project.picks:
            stored = [pick.features[d] for d in MUSIC.ids] if len(pick.features) == len(MUSIC) else None
            vector = stored
            if library is not None:
                record = by_hash.get(pick.content_hash) if pick.content_hash else None
                record = record or by_path.get(str(pick.track_path))
                if record is None:
                    skipped["not in the library"] += stored is not None
                else:
                    vector = None if record.features is None else [float(v) for v in record.features]
                    if vector is not None and stored is not None and not np.allclose(vector, stored, atol=1e-6):
                        skipped["re-analysed"] += 1
            if vector is None:
                skipped["no track features"] += 1
                continue
            key = (video_key, pick.content_hash or pick.track_path)
            if key in seen:
                skipped["duplicate"] += 1
                continue
            seen.add(key)
            video_rows.append(video_vector)
            music_rows.append(vector)
    if not video_rows:
        pairs = Pairs.from_arrays(np.zeros((0, len(VIDEO))), np.zeros((0, len(MUSIC))))
    else:
        pairs = Pairs.from_arrays(np.array(video_rows), np.array(music_rows))
    return PickHarvest(pairs, len(files), skipped)
