"""``musicmatch match``: rank a library CSV against a music target (the seed's script)."""

from __future__ import annotations

import argparse

from core.cli.common import positive_int, print_json
from core.features import MUSIC, parse_vector
from core.library.db import TrackRecord
from core.library.source import open_library
from core.match import METRICS, MatchResult, MatchSettings, TrackIndex, parse_weights

__all__ = ["add_library_options", "add_match_options", "add_parser", "format_text", "load_index", "load_library",
           "settings_from_args"]


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
                        help="text output: add each result's three largest distance shares")
    parser.add_argument("--json", action="store_true", help="print one JSON document")


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
    parser.add_argument("--pred-feat", "--pred_feat", dest="pred_feat", required=True, metavar="V1,...,V10",
                        help="target vector, 10 comma-separated numbers in SPEC order")
    add_match_options(parser)
    parser.set_defaults(handler=run)


def settings_from_args(args: argparse.Namespace) -> MatchSettings:
    weights = parse_weights(args.weights, MUSIC) if args.weights is not None else None
    return MatchSettings.create(
        space=MUSIC, metric=args.metric, dims=args.dims, weights=weights, raw=args.raw, top_k=args.top_k
    )


def format_text(result: MatchResult, *, explain: bool = False) -> str:
    """The seed's plain-text form, optionally with the largest distance shares."""
    lines = [
        f"Distance metric: {result.settings.metric.capitalize()}",
        f"Top-{len(result)} matches:",
    ]
    for row in result.rows():
        lines.append(f"{row.rank}. index/name: {row.name} distance: {row.distance:.4f}")
        if explain:
            largest = sorted(row.shares.items(), key=lambda item: -item[1])[:3]
            lines.append("   shares: " + ", ".join(f"{dim} {share:.0%}" for dim, share in largest))
    return "\n".join(lines)


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
    source.add_argument("--db", metavar="PATH", help="library database made by `musicmatch library add`")


def run(args: argparse.Namespace) -> int:
    target = parse_vector(args.pred_feat, MUSIC, what="--pred-feat")
    settings = settings_from_args(args)
    index = load_index(args)
    result = index.rank(target, settings)
    if args.json:
        print_json(result.to_json())
    else:
        print(format_text(result, explain=args.explain))
    return 0
