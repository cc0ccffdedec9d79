"""``musicmatch extract``: the 11 video features, shots and timeline of video files."""

from __future__ import annotations

import argparse

from core.cli.common import analyse_each
from core.errors import InputError
from core.features import VIDEO
from core.video.analysis import VideoAnalysis, extract_video

__all__ = ["add_parser", "analysis_json"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="measure the 11 video features of video files",
        description=(
            "Decode each video at 8 frames a second and print its 11 features (tension, pace, "
            "energy, colour, arousal, valence...), its shots and, with --timeline, per-second "
            "values. Files that cannot be decoded are reported and skipped; the exit status is then 2."
        ),
    )
    parser.add_argument("videos", nargs="+", metavar="VIDEO")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--timeline", action="store_true", help="text output: add per-second values")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto",
                        help="where the per-frame work runs (default auto: the CPU path)")
    parser.set_defaults(handler=run)


def analysis_json(path: str, analysis: VideoAnalysis) -> dict:
    """The ``extract --json`` object of one video (SPEC.md §4)."""
    return {
        "file": path,
        "duration_s": analysis.duration_s,
        "features": analysis.features.to_dict(),
        "shots": [[start, end] for start, end in analysis.shots],
        "timeline": analysis.timeline_json(),
        "measurements": analysis.measurements.as_dict(),
    }


def run(args: argparse.Namespace) -> int:
    if args.device == "cuda":
        raise InputError("this build analyses video on the CPU only; use --device cpu or auto")
    return analyse_each(
        "musicmatch extract",
        args.videos,
        extract_video,
        as_json=analysis_json if args.json else None,
        as_text=lambda path, analysis: _text(path, analysis, timeline=args.timeline),
    )


def _text(path: str, analysis: VideoAnalysis, *, timeline: bool) -> str:
    lines = [f"{path}  ({analysis.duration_s:.1f} s, {len(analysis.shots)} shots, "
             f"{analysis.info.width}x{analysis.info.height} {analysis.info.codec})"]
    for dim, value in zip(VIDEO, analysis.features.to_array(), strict=True):
        labels = f"{dim.label_en} / {dim.label_zh} ({dim.low:g}..{dim.high:g})"
        lines.append(f"  {dim.id:18s} {value:8.2f}   {labels}")
    if timeline:
        lines.append("  second  arousal  valence   energy     pace")
        for i, second in enumerate(analysis.seconds):
            row = [analysis.timeline[k][i] for k in ("visual_arousal", "visual_valence", "action_energy",
                                                     "narrative_pace")]
            lines.append(f"  {second:6.0f}  " + "  ".join(f"{v:7.1f}" for v in row))
    return "\n".join(lines)
