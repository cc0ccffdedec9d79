"""``musicmatch analyze-audio``: the 10 music descriptors of audio files."""

from __future__ import annotations

import argparse

from core.audio.analysis import MusicAnalysis, analyze_file
from core.cli.common import analyse_each
from core.features import MUSIC

__all__ = ["add_parser", "analysis_json"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "analyze-audio",
        help="measure the 10 music features of audio files",
        description=(
            "Decode each file (WAV, AIFF, FLAC, MP3, OGG/Opus, M4A/AAC, the audio of a video...) "
            "and print its tempo, key and 10 music features. Files that cannot be decoded are "
            "reported and skipped; the exit status is then 2."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="audio files")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def analysis_json(path: str, analysis: MusicAnalysis) -> dict:
    """The JSON object of one analysed file (SPEC.md §4 plus key, beats and measurements)."""
    return {
        "file": path,
        "duration_s": analysis.duration_s,
        "tempo_bpm": analysis.tempo_bpm,
        "features": analysis.features.to_dict(),
        "tempo_confidence": analysis.tempo_confidence,
        "key": analysis.key or None,
        "silent": analysis.silent,
        "beat_times": [round(float(t), 4) for t in analysis.beat_times],
        "energy_curve_db": [round(float(v), 2) for v in analysis.energy_curve],
        "sections_s": [float(t) for t in analysis.sections],
        "measurements": analysis.measurements.as_dict(),
    }


def run(args: argparse.Namespace) -> int:
    return analyse_each("musicmatch analyze-audio", args.files, analyze_file,
                        as_json=analysis_json if args.json else None, as_text=_text)


def _text(path: str, analysis: MusicAnalysis) -> str:
    if analysis.silent:
        summary = "silent: no tempo, no key"
    else:
        tempo = (f"{analysis.tempo_bpm:.1f} BPM (confidence {analysis.tempo_confidence:.2f})"
                 if analysis.tempo_bpm > 0 else "no pulse")
        summary = f"{tempo}, {analysis.key}"
    lines = [f"{path}  ({analysis.duration_s:.1f} s, {summary})"]
    for dim, value in zip(MUSIC, analysis.features.to_array(), strict=True):
        labels = f"{dim.label_en} / {dim.label_zh} ({dim.low:g}..{dim.high:g})"
        lines.append(f"  {dim.id:13s} {value:8.2f}   {labels}")
    return "\n".join(lines)
