"""The project file (``*.mmproj``): a video, its music target, the match settings and the editor's picks.

A project is UTF-8 JSON (SPEC.md §5) with ``"format": "musicmatch-project"`` and a
``"version"``. Reading checks every field's presence and type and names the first one
that is wrong; a file from a newer MusicMatch is refused with a message naming both
versions; older versions are brought up to date by the steps in ``MIGRATIONS`` (version
2 added a pick's rendered fit and its edits; a version 1 pick has none). Writing is atomic (temporary file, fsync,
rename) and keeps the previous file as ``NAME.mmproj.bak``; :func:`autosave` writes a
hidden sibling for crash recovery that :func:`recover` finds.

Media are identified by path and by content hash (BLAKE2b-128 of the bytes, the same
hash the library stores), so a moved track can be found again through the library
(:func:`relink`).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import MISSING, asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.errors import ProjectError
from core.features import MUSIC, SCHEMA_VERSION, VIDEO
from core.fileio import atomic_write_text, content_hash, read_json_file

__all__ = [
    "FORMAT",
    "MIGRATIONS",
    "VERSION",
    "MatchConfig",
    "Pick",
    "Project",
    "VideoRef",
    "autosave",
    "autosave_path",
    "load_project",
    "match_config",
    "pick_of_track",
    "project_from_analysis",
    "recover",
    "relink",
    "save_project",
    "video_ref",
]

FORMAT = "musicmatch-project"
VERSION = 2


def _v1_to_v2(document: dict) -> dict:
    """Version 2: a pick may carry its rendered fit (``rendered_path``, ``edits``); version 1 picks have none.

    Version 1 already meant ``track_in_s``/``track_out_s`` as the part of the track used,
    which is the pick's section in version 2, so those stay as they are.
    """
    picks = document.get("picks", [])
    if isinstance(picks, list):
        document["picks"] = [{**p, "rendered_path": "", "edits": []} if isinstance(p, dict) else p for p in picks]
    return document


MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _v1_to_v2}
"""``MIGRATIONS[n]`` turns a version ``n`` document into version ``n + 1``."""


@dataclass
class VideoRef:
    """The clip the music is for."""

    path: str
    content_hash: str = ""
    duration_s: float = 0.0
    fps: float = 25.0
    width: int = 0
    height: int = 0
    has_audio: bool = True
    features: dict[str, float] = field(default_factory=dict)
    """The 11 video features (empty until analysed)."""
    shots: list[list[float]] = field(default_factory=list)
    """``[start_s, end_s]`` of every shot."""
    timeline: dict[str, list[float]] = field(default_factory=dict)
    """Per-second ``visual_arousal``, ``visual_valence``, ``action_energy``, ``narrative_pace``."""


@dataclass
class MatchConfig:
    """How the library was ranked when the picks were made."""

    metric: str = "euclidean"
    dims: list[str] = field(default_factory=lambda: list(MUSIC.ids))
    weights: dict[str, float] = field(default_factory=dict)
    top_k: int = 5
    raw: bool = False
    model: str = "default"
    """The recommender that predicted the target (a path, or ``default``)."""


@dataclass
class Pick:
    """One track the editor chose, and where it goes."""

    track_path: str
    content_hash: str = ""
    title: str = ""
    artist: str = ""
    rank: int = 0
    """Its rank when it was picked (0: added by hand)."""
    distance: float = 0.0
    features: dict[str, float] = field(default_factory=dict)
    """The track's 10 music features."""
    duration_s: float = 0.0
    placement_s: float = 0.0
    """Where the music starts on the video's timeline, seconds."""
    track_in_s: float = 0.0
    """Where playback starts inside the track, seconds: the start of the pick's section."""
    track_out_s: float = 0.0
    """Where it ends inside the track, the section's end (0: at the end of the video or the track,
    whichever is first)."""
    rendered_path: str = ""
    """The fit rendered to the clip's length (``musicmatch fit --render``), or empty. When set,
    exports place this file from its start instead of the track's section."""
    edits: list[list[float]] = field(default_factory=list)
    """The rendered fit's jumps, ``[at_s, from_s, to_s]`` (SPEC §6): at output time ``at_s`` it
    leaves the track at ``from_s`` and resumes at ``to_s``. Empty: the track plays straight on."""
    note: str = ""
    rating: int = 0
    """0 (unrated) to 5."""

    @property
    def display_name(self) -> str:
        if self.title and self.artist:
            return f"{self.artist} - {self.title}"
        return self.title or Path(self.track_path).name


@dataclass
class Project:
    video: VideoRef
    target: dict[str, float] = field(default_factory=dict)
    """The 10-d music target the library was ranked against."""
    target_emotion: str = ""
    settings: MatchConfig = field(default_factory=MatchConfig)
    picks: list[Pick] = field(default_factory=list)
    created: str = ""
    modified: str = ""

    def to_json(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "feature_schema": SCHEMA_VERSION, **asdict(self)}


# -- building from an analysis ----------------------------------------------------------------
# The command line (``recommend --save-project``) and the window both build their projects
# here, so the same clip, library, settings and picks give the same file from either face.


def video_ref(path: str | os.PathLike[str], analysis: Any, *, video_hash: str | None = None) -> VideoRef:
    """The :class:`VideoRef` of an analysed clip.

    Parameters
    ----------
    path : path-like
        The clip; stored resolved (absolute), so a project opens from any working folder.
    analysis : core.video.analysis.VideoAnalysis
        Its analysis: ``info`` (fps, width, height, has_audio), ``duration_s``, ``features``,
        ``shots`` (``[start_s, end_s]`` pairs) and ``timeline`` (per-second curves).
    video_hash : str, optional
        The clip's content hash when the caller already has it (the window hashes it in the
        analysis job); otherwise it is computed here (BLAKE2b-128 of the bytes).
    """
    file = Path(path).resolve()
    info = analysis.info
    return VideoRef(
        path=str(file),
        content_hash=video_hash if video_hash else content_hash(file),
        duration_s=float(analysis.duration_s),
        fps=float(info.fps),
        width=int(info.width),
        height=int(info.height),
        has_audio=bool(info.has_audio),
        features=analysis.features.to_dict(),
        shots=[[float(a), float(b)] for a, b in analysis.shots],
        # Three decimals: the curves are for drawing and learning, and the file stays small.
        timeline={k: [round(float(v), 3) for v in values] for k, values in analysis.timeline.items()},
    )


def match_config(settings: Any, *, model: str = "default") -> MatchConfig:
    """The :class:`MatchConfig` of a :class:`core.match.MatchSettings`; only weights other than 1 are stored."""
    return MatchConfig(metric=settings.metric, dims=list(settings.dims),
                       weights={d: float(w) for d, w in zip(MUSIC.ids, settings.weights, strict=True) if w != 1.0},
                       top_k=int(settings.top_k), raw=bool(settings.raw), model=str(model))


def pick_of_track(
    track: Any,
    features: Any,
    *,
    rank: int = 0,
    distance: float = 0.0,
    placement_s: float = 0.0,
    section: tuple[float, float] | None = None,
) -> Pick:
    """A :class:`Pick` of one library track.

    Parameters
    ----------
    track : core.library.source.LibraryEntry
        Anything with ``path``, ``title``, ``artist``, ``duration_s`` (seconds, 0: unknown) and
        ``content_hash`` ("" when the library has none: a feature CSV; :func:`save_project`
        fills it in from the file, off the window's GUI thread, so the pick can be found again
        after a move).
    features : array-like, shape (10,)
        The track's music vector, in :data:`core.features.MUSIC` order.
    rank, distance : int, float
        Its place and distance in the ranking it was picked from (0 and 0.0: picked by hand).
    placement_s : float
        Where the music starts on the clip's timeline, seconds (negative values become 0).
    section : (float, float), optional
        The part of the track to use, ``(start_s, end_s)`` in track seconds; none: from its start.
    """
    pick = Pick(track_path=str(track.path), content_hash=track.content_hash or "", title=track.title,
                artist=track.artist, rank=int(rank), distance=float(distance),
                features=dict(zip(MUSIC.ids, (float(v) for v in features), strict=True)),
                duration_s=float(track.duration_s or 0.0), placement_s=max(0.0, float(placement_s)))
    if section is not None:
        pick.track_in_s, pick.track_out_s = (max(0.0, float(t)) for t in section)
    return pick


def project_from_analysis(
    video_path: str | os.PathLike[str],
    analysis: Any,
    *,
    target: Any,
    emotion: str,
    settings: Any,
    picks: list[Pick],
    model: str = "default",
    video_hash: str | None = None,
) -> Project:
    """A project of an analysed clip: its :func:`video_ref`, the music ``target`` (shape ``(10,)``)
    and its ``emotion``, the ranking's ``settings`` (:func:`match_config`) and the ``picks``."""
    return Project(video=video_ref(video_path, analysis, video_hash=video_hash),
                   target=dict(zip(MUSIC.ids, (float(v) for v in target), strict=True)),
                   target_emotion=str(emotion), settings=match_config(settings, model=model), picks=list(picks))


# -- reading ----------------------------------------------------------------------------------


def _type_name(kind: Any) -> str:
    return {float: "a number", int: "a whole number", str: "text", bool: "true or false", list: "a list",
            dict: "an object"}.get(kind, str(kind))


def _check(value: Any, kind: type, where: str) -> Any:
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ProjectError(f"{where} must be {_type_name(float)}, not {value!r}")
        return float(value)
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ProjectError(f"{where} must be {_type_name(int)}, not {value!r}")
        return value
    if not isinstance(value, kind):
        raise ProjectError(f"{where} must be {_type_name(kind)}, not {type(value).__name__}")
    return value


def _vector(value: Any, ids: tuple[str, ...], where: str) -> dict[str, float]:
    _check(value, dict, where)
    unknown = [k for k in value if k not in ids]
    if unknown:
        raise ProjectError(f"{where} has unknown features {', '.join(map(str, unknown))}")
    if value and len(value) != len(ids):
        missing = [k for k in ids if k not in value]
        raise ProjectError(f"{where} lacks {', '.join(missing)}")
    return {k: _check(value[k], float, f"{where}.{k}") for k in ids if k in value}


_MAX_PROJECT_BYTES = 64 << 20
"""Projects are a few kB to a few MB (timeline curves); a larger file is not one of ours."""

_KINDS = {"float": float, "int": int, "str": str, "bool": bool}


def _build(cls: type, data: Any, where: str, special: dict[str, Callable[[Any, str], Any]]) -> Any:
    _check(data, dict, where)
    values = {}
    for f in fields(cls):
        key = f.name
        here = f"{where}.{key}"
        if key not in data:
            if f.default is not MISSING or f.default_factory is not MISSING:
                continue  # optional, the default applies
            raise ProjectError(f"{here} is missing")
        if key in special:
            values[key] = special[key](data[key], here)
        else:
            kind = _KINDS.get(f.type if isinstance(f.type, str) else f.type.__name__)
            if kind is None:
                raise AssertionError(f"no reader for {cls.__name__}.{key}")
            values[key] = _check(data[key], kind, here)
    return cls(**values)


def _shots(value: Any, where: str) -> list[list[float]]:
    _check(value, list, where)
    out = []
    for i, shot in enumerate(value):
        _check(shot, list, f"{where}[{i}]")
        if len(shot) != 2:
            raise ProjectError(f"{where}[{i}] must be [start_s, end_s]")
        out.append([_check(shot[0], float, f"{where}[{i}][0]"), _check(shot[1], float, f"{where}[{i}][1]")])
    return out


def _curves(value: Any, where: str) -> dict[str, list[float]]:
    _check(value, dict, where)
    return {str(k): [_check(v, float, f"{where}.{k}[{i}]") for i, v in enumerate(_check(values, list, f"{where}.{k}"))]
            for k, values in value.items()}


def _strings(value: Any, where: str) -> list[str]:
    return [_check(v, str, f"{where}[{i}]") for i, v in enumerate(_check(value, list, where))]


def _weights(value: Any, where: str) -> dict[str, float]:
    _check(value, dict, where)
    return {str(k): _check(v, float, f"{where}.{k}") for k, v in value.items()}


def _edits(value: Any, where: str) -> list[list[float]]:
    out = []
    for i, edit in enumerate(_check(value, list, where)):
        _check(edit, list, f"{where}[{i}]")
        if len(edit) != 3:
            raise ProjectError(f"{where}[{i}] must be [at_s, from_s, to_s]")
        out.append([_check(v, float, f"{where}[{i}][{k}]") for k, v in enumerate(edit)])
    return out


def _pick(value: Any, where: str) -> Pick:
    pick = _build(Pick, value, where, {"features": lambda v, w: _vector(v, MUSIC.ids, w), "edits": _edits})
    if not pick.track_path:
        raise ProjectError(f"{where}.track_path is empty")
    if not 0 <= pick.rating <= 5:
        raise ProjectError(f"{where}.rating must be 0 to 5, not {pick.rating}")
    for name in ("placement_s", "track_in_s", "track_out_s", "duration_s"):
        if getattr(pick, name) < 0:
            raise ProjectError(f"{where}.{name} must not be negative")
    return pick


def project_from_json(document: Any, *, source: str = "project") -> Project:
    """A :class:`Project` from a parsed document (migrating older versions); :class:`ProjectError` if invalid."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ProjectError(f"{source}: not a MusicMatch project (no \"format\": \"{FORMAT}\")")
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ProjectError(f"{source}: the project's version must be a whole number >= 1, not {version!r}")
    if version > VERSION:
        raise ProjectError(f"{source}: made by a newer MusicMatch (project version {version}); "
                           f"this version reads project versions up to {VERSION}")
    while version < VERSION:
        document = MIGRATIONS[version](dict(document))
        version += 1
        document["version"] = version
    if document.get("feature_schema", SCHEMA_VERSION) != SCHEMA_VERSION:
        raise ProjectError(f"{source}: its features use schema {document.get('feature_schema')}, "
                           f"this version uses {SCHEMA_VERSION}")
    try:
        video = _build(VideoRef, document.get("video"), "video", {
            "features": lambda v, w: _vector(v, VIDEO.ids, w), "shots": _shots, "timeline": _curves})
        settings = _build(MatchConfig, document.get("settings", {}), "settings",
                          {"dims": _strings, "weights": _weights})
        picks = [_pick(p, f"picks[{i}]") for i, p in enumerate(_check(document.get("picks", []), list, "picks"))]
        return Project(
            video=video,
            target=_vector(document.get("target", {}), MUSIC.ids, "target"),
            target_emotion=_check(document.get("target_emotion", ""), str, "target_emotion"),
            settings=settings,
            picks=picks,
            created=_check(document.get("created", ""), str, "created"),
            modified=_check(document.get("modified", ""), str, "modified"),
        )
    except ProjectError as exc:
        raise ProjectError(f"{source}: {exc}") from None


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read a ``.mmproj`` file; :class:`ProjectError` with the reason if it cannot be used."""
    file = Path(path)
    document = read_json_file(file, ProjectError, "MusicMatch project", max_bytes=_MAX_PROJECT_BYTES)
    return project_from_json(document, source=str(file))


# -- writing ----------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dump(project: Project) -> str:
    document = project.to_json()
    project_from_json(json.loads(json.dumps(document)), source="the project to save")  # never write what cannot be read
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def save_project(project: Project, path: str | os.PathLike[str]) -> Path:
    """Write ``project`` atomically, keeping the previous file as ``.bak``; removes the autosave.

    Picks without a content hash (tracks of a feature-CSV library) get their file's hash in
    the written file when the file exists, so they can be relinked after a move (the picks of
    ``project`` itself are not changed; its ``created``/``modified`` times are set).
    """
    target = Path(path)
    project.modified = _now()
    project.created = project.created or project.modified
    written = atomic_write_text(target, _dump(_with_pick_hashes(project)), backup=True)
    autosave_path(target).unlink(missing_ok=True)
    return written


def _with_pick_hashes(project: Project) -> Project:
    from dataclasses import replace

    if all(pick.content_hash or not Path(pick.track_path).is_file() for pick in project.picks):
        return project
    picks = [pick if pick.content_hash or not Path(pick.track_path).is_file()
             else replace(pick, content_hash=content_hash(pick.track_path)) for pick in project.picks]
    return replace(project, picks=picks)


def autosave_path(path: str | os.PathLike[str]) -> Path:
    """The hidden crash-recovery sibling of a project file: ``.NAME.mmproj.autosave``."""
    target = Path(path)
    return target.with_name(f".{target.name}.autosave")


def autosave(project: Project, path: str | os.PathLike[str]) -> Path:
    """Write the crash-recovery copy of the project that is (or will be) saved at ``path``."""
    project.modified = _now()
    return atomic_write_text(autosave_path(path), _dump(project))


def recover(path: str | os.PathLike[str]) -> Project | None:
    """The autosaved project for ``path`` if it is newer than the saved file (after a crash), else None."""
    target = Path(path)
    saved = autosave_path(target)
    if not saved.is_file():
        return None
    if target.is_file() and target.stat().st_mtime_ns >= saved.stat().st_mtime_ns:
        return None
    try:
        return load_project(saved)
    except ProjectError:
        return None


# -- media ------------------------------------------------------------------------------------


def relink(project: Project, find_by_hash: Callable[[str], list[str]]) -> list[str]:
    """Point picks whose file is missing at a file with the same content hash.

    ``find_by_hash`` returns the paths of files with a given hash (the library's
    ``LibraryDB.find_by_hash``). Returns one line per pick that could not be found.
    """
    missing = []
    for pick in project.picks:
        if Path(pick.track_path).is_file():
            continue
        candidates = [p for p in find_by_hash(pick.content_hash) if Path(p).is_file()] if pick.content_hash else []
        if candidates:
            pick.track_path = candidates[0]
        else:
            missing.append(f"{pick.display_name}: {pick.track_path} is missing and no file with its content was found")
    if not Path(project.video.path).is_file():
        missing.append(f"video: {project.video.path} is missing")
    return missing
