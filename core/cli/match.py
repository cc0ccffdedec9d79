"""``musicmatch match``: rank a library CSV against a music target (the seed's script)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import numpy as np

from core.cli.common import positive_int, print_json
from core.errors import InputError
from core.features import MUSIC, parse_vector
from core.library.db import TrackRecord
from core.library.source import open_library
from core.match import METRICS, MatchResult, MatchSettings, TrackIndex, parse_weights
from core.recommend.pairs import QUADRANTS

__all__ = [
    "add_library_options",
    "add_match_options",
    "add_parser",
    "find_track",
    "format_text",
    "load_index",
    "load_library",
    "rank_with_taste",
    "reason_lines",
    "reasons_for",
    "result_json",
    "settings_from_args",
    "taste_from_args",
    "taste_requested",
]


def add_match_options(parser: argparse.ArgumentParser) -> None:
    """The options shared by ``match`` and ``recommend``."""
    parser.add_argument("--top-k", "--top_k", dest="top_k", type=positive_int, default=5, metavar="K",
                        help="number of tracks to list (default 5)")
    parser.add_argument("--metric", choices=METRICS, default="euclidean", type=str.lower,
                        help="distance (default euclidean)")
    parser.add_argument("--dims", default="all", metavar="all|va|ID,ID...",
                        help="dimensions to compare: all (default), va = arousal+valence, or a list of ids")
    parser.add_argument("--weights", default=None, metavar="ID=W,...",
                        help="per-dimension weights >= 0 (others 1), e.g. arousal=2,valence=2")
    parser.add_argument("--raw", action="store_true",
                        help="compare unscaled values (reproduces the original script's distance)")
    parser.add_argument("--explain", action="store_true",
                        help="add reasons in words and (text output) the three largest distance shares")
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="language of --explain's reasons")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    taste = parser.add_argument_group("more like this and filters (filters choose tracks, never distances)")
    taste.add_argument("--like", default=None, metavar="TRACK",
                       help="rank against this library track's own vector: its index in the results, or its "
                            "path or name; the track itself is not listed")
    taste.add_argument("--like-blend", "--like_blend", dest="like_blend", type=float, default=None, metavar="A",
                       help="0..1: share of the liked track in the target, the rest the clip's (--pred-feat or "
                            "the video); default 1 alone, 0.5 with a clip target")
    taste.add_argument("--bpm", default=None, metavar="LO-HI", help="tempo range, e.g. 90-120, 90- or -120")
    taste.add_argument("--duration", default=None, metavar="LO-HI", help="duration range in seconds, e.g. 30-")
    taste.add_argument("--key", default=None, metavar="KEY|major|minor", help="e.g. minor, 'A minor', Am, F#")
    taste.add_argument("--emotion", default=None, choices=QUADRANTS, help="the track's arousal/valence quadrant")
    taste.add_argument("--artist", default=None, metavar="TEXT", help="artist contains TEXT (any case)")
    taste.add_argument("--album", default=None, metavar="TEXT", help="album contains TEXT (any case)")
    taste.add_argument("--exclude-picked", "--exclude_picked", dest="exclude_picked", action="append",
                       default=None, metavar="PROJECT", help="leave out tracks already picked in this .mmproj "
                                                             "(may be repeated)")
    taste.add_argument("--group-versions", "--group_versions", dest="group_versions", action="store_true",
                       help="list each song once, by its best file (lossless first, then the higher bitrate): "
                            "copies and the same song in other formats (same title, length within 1 s, "
                            "near-identical features) count as one; needs a library database")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "match",
        help="rank a library CSV against a 10-d music target",
        description=(
            "Rank the tracks of an audio_features.csv against a predicted music vector "
            "(richness, variation, rhythm, warmth, harmony, brightness, melody_trend, "
            "rhythm_speed, arousal, valence)."
        ),
    )
    add_library_options(parser)
    parser.add_argument("--pred-feat", "--pred_feat", dest="pred_feat", default=None, metavar="V1,...,V10",
                        help="target vector, 10 comma-separated numbers in SPEC order (or --like TRACK)")
    add_match_options(parser)
    parser.set_defaults(handler=run)


def settings_from_args(args: argparse.Namespace) -> MatchSettings:
    weights = parse_weights(args.weights, MUSIC) if args.weights is not None else None
    return MatchSettings.create(
        space=MUSIC, metric=args.metric, dims=args.dims, weights=weights, raw=args.raw, top_k=args.top_k
    )


def format_text(result: MatchResult, *, explain: bool = False, why: list[str] | None = None) -> str:
    """The seed's plain-text form, optionally with the largest distance shares and the reasons ``why``."""
    lines = [
        f"Distance metric: {result.settings.metric.capitalize()}",
        f"Top-{len(result)} matches:",
    ]
    for position, row in enumerate(result.rows()):
        lines.append(f"{row.rank}. index/name: {row.name} distance: {row.distance:.4f}")
        if explain:
            largest = sorted(row.shares.items(), key=lambda item: -item[1])[:3]
            lines.append("   shares: " + ", ".join(f"{dim} {share:.0%}" for dim, share in largest))
            if why is not None:
                lines.append(f"   why: {why[position]}")
    return "\n".join(lines)


def reasons_for(result: MatchResult, index: TrackIndex, target: np.ndarray, *, video: np.ndarray | None = None,
                language: str = "en") -> list[list[str]]:
    """The reasons in words for every result row (:func:`core.recommend.reasons.reasons`)."""
    from core.recommend.reasons import reasons

    return [reasons(target, index.features[row.index].astype(np.float64), row.shares, video=video,
                    language=language) for row in result.rows()]


def reason_lines(why: list[list[str]], language: str = "en") -> list[str]:
    """Each row's reasons as one line (``; `` between them, ``；`` in Chinese)."""
    return [("；" if language == "zh" else "; ").join(parts) for parts in why]


def taste_requested(args: argparse.Namespace) -> bool:
    """Whether ``--like`` or any filter was given (else the plain ranking stands)."""
    return any(getattr(args, name, None) is not None for name in (
        "like", "like_blend", "bpm", "duration", "key", "emotion", "artist", "album", "exclude_picked")) \
        or bool(getattr(args, "group_versions", False))


def rank_with_taste(args: argparse.Namespace, index: TrackIndex, records: list[TrackRecord] | None,
                    target: np.ndarray | None, settings: MatchSettings) -> tuple[MatchResult, np.ndarray]:
    """Rank ``index`` with ``--like`` and the filters applied; (result, the target ranked against).

    ``target`` is the clip's target (``--pred-feat``), None when there is none.
    """
    from core.pipeline import rank_tracks

    keep, retarget = taste_from_args(args, index, records, has_target=target is not None)
    final = retarget(target)
    return rank_tracks(index, final, settings, keep=keep), final


def taste_from_args(
    args: argparse.Namespace, index: TrackIndex, records: list[TrackRecord] | None, *, has_target: bool
) -> tuple[np.ndarray | None, Callable[[np.ndarray | None], np.ndarray]]:
    """``--like`` and the filters as (rows to keep or None, target -> the target ranked against).

    ``--like`` blends the liked track's own vector into the clip's target (see
    ``--like-blend``; the liked track itself is not listed); the filters choose rows and
    never change a distance.
    """
    from core.recommend.filters import TrackFacts, TrackFilter, parse_range, picked_in_project

    exclude_rows: frozenset[int] = frozenset()
    liked: np.ndarray | None = None
    blend = 1.0
    if args.like is not None:
        row = find_track(args.like, index, records, csv_path=getattr(args, "audio_csv", None))
        blend = args.like_blend if args.like_blend is not None else (0.5 if has_target else 1.0)
        if not 0.0 <= blend <= 1.0:
            raise InputError(f"--like-blend must be between 0 and 1, got {blend:g}")
        liked = index.features[row].astype(np.float64)
        exclude_rows = frozenset({row})
    elif args.like_blend is not None:
        raise InputError("--like-blend needs --like TRACK")
    if not has_target and liked is None:
        raise InputError("give a target: --pred-feat V1,...,V10 or --like TRACK")

    def retarget(target: np.ndarray | None) -> np.ndarray:
        if liked is None:
            return np.asarray(target, dtype=np.float64)
        if target is None:
            return liked
        return (1.0 - blend) * np.asarray(target, dtype=np.float64) + blend * liked

    paths: frozenset[str] = frozenset()
    hashes: frozenset[str] = frozenset()
    if args.exclude_picked:
        paths, hashes = picked_in_project(args.exclude_picked)
    track_filter = TrackFilter(
        bpm=parse_range(args.bpm, "--bpm") if args.bpm is not None else None,
        duration_s=parse_range(args.duration, "--duration", unit=" (seconds)") if args.duration is not None else None,
        key=args.key, emotion=args.emotion, artist=args.artist, album=args.album,
        exclude_paths=paths, exclude_hashes=hashes, exclude_rows=exclude_rows)
    one_version = _preferred_versions(index, records) if getattr(args, "group_versions", False) else None
    if not track_filter.active:
        return one_version, retarget
    if records is not None:
        facts = TrackFacts.from_records(records)
    else:
        csv_path = getattr(args, "audio_csv", None)
        facts = TrackFacts.from_index(index, folder=Path(csv_path).parent if csv_path else None)
    if (args.artist is not None or args.album is not None) and records is None:
        raise InputError("--artist/--album: a CSV library has no tags; use a library database made by "
                         "`musicmatch library add`")
    mask = track_filter.mask(facts)
    return (mask if one_version is None else mask & one_version), retarget


def _preferred_versions(index: TrackIndex, records: list[TrackRecord] | None) -> np.ndarray:
    """``--group-versions``: True for the row that stands for its song (:mod:`core.library.versions`)."""
    from core.library.source import entry_of_record
    from core.library.versions import group_versions

    if records is None:
        raise InputError("--group-versions: a CSV library has no lengths or file hashes to tell versions by; use a "
                         "library database made by `musicmatch library add`")
    entries = [entry_of_record(record) for record in records]
    return group_versions(entries, index.features, sizes=[record.size for record in records]).preferred_rows


def find_track(text: str, index: TrackIndex, records: list[TrackRecord] | None, *,
               csv_path: str | None = None) -> int:
    """The library row ``--like`` names: a row index (as in the results), a path, or a unique name."""
    text = str(text).strip()
    if text.isdigit():
        row = int(text)
        if row >= len(index):
            raise InputError(f"--like {text}: the library has {len(index)} tracks (rows 0-{len(index) - 1})")
        return row
    wanted = _resolved(text)
    if records is not None:
        paths = [r.path for r in records]
    else:
        folder = Path(csv_path).parent if csv_path else Path(".")
        paths = [str(folder / name) if not Path(name).is_absolute() else name for name in index.names]
    for row, path in enumerate(paths):
        if _resolved(path) == wanted:
            return row
    needle = text.casefold()
    named = [row for row, name in enumerate(index.names)
             if name.casefold() == needle or Path(paths[row]).name.casefold() == needle
             or Path(paths[row]).stem.casefold() == needle]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise InputError(f"--like {text!r}: {len(named)} tracks have that name; give the path or the row index")
    raise InputError(f"--like {text!r}: no such track in the library (give its path, name or row index)")


def _resolved(path: str) -> str:
    try:
        return str(Path(path).expanduser().resolve())
    except (OSError, RuntimeError):
        return str(path)


def result_json(result: MatchResult, why: list[list[str]] | None) -> dict:
    """The SPEC JSON of a ranking, each result with its ``reasons`` when ``why`` is given (``--explain``)."""
    document = result.to_json()
    if why is not None:
        for entry, line in zip(document["results"], why, strict=True):
            entry["reasons"] = line
    return document


def load_index(args: argparse.Namespace) -> TrackIndex:
    """The library named by ``--audio-csv`` or ``--db``, ready to rank; an empty one is an error."""
    return load_library(args)[0]


def load_library(args: argparse.Namespace) -> tuple[TrackIndex, list[TrackRecord] | None]:
    """The library's index and, for a database, its track records in index order (None for a CSV)."""
    if args.audio_csv is not None:
        source = open_library(args.audio_csv, kind="csv")
    else:
        source = open_library(args.db, kind="db")
    return source.index, None if source.records is None else list(source.records)


def add_library_options(parser: argparse.ArgumentParser) -> None:
    """``--audio-csv FILE | --db PATH`` (one is required)."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--audio-csv", "--audio_csv", dest="audio_csv", metavar="FILE",
                        help="library CSV: optional name column + the 10 music features")
    source.add_argument("--db", metavar="PATH", help="library database made by `musicmatch library add`, or a "
                        "catalogue FILE.parquet from `library export-catalogue` (opened read-only)")


def run(args: argparse.Namespace) -> int:
    target = parse_vector(args.pred_feat, MUSIC, what="--pred-feat") if args.pred_feat is not None else None
    if target is None and args.like is None:
        raise InputError("give a target: --pred-feat V1,...,V10 or --like TRACK")
    settings = settings_from_args(args)
    index, records = load_library(args)
    result, target = rank_with_taste(args, index, records, target, settings)
    why = reasons_for(result, index, target, language=args.lang) if args.explain else None
    if args.json:
        print_json(result_json(result, why))
    else:
        print(format_text(result, explain=args.explain, why=reason_lines(why, args.lang) if why else None))
    return 0
