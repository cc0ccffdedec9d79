"""``musicmatch extract``: the 11 video features, shots and timeline of video files."""

from __future__ import annotations

import argparse
import dataclasses

from core.cli.common import analyse_each, positive_int, print_json
from core.errors import MediaError
from core.features import VIDEO
from core.fileio import check_output_path
from core.paths import data_file
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
                        help="where the per-frame colour work and the learned head run (default auto: CUDA when "
                             "present, else the CPU path)")
    parser.add_argument("--model", metavar="PATH", default=None,
                        help="a head trained with train-extractor: its prediction replaces the measured features")
    parser.add_argument("--ray", nargs="?", const="", default=None, metavar="ADDRESS",
                        help="analyse the videos as Ray tasks on a cluster (host:port, ray://host:port or auto; "
                             "without ADDRESS a local Ray). Needs the cluster extra; see docs/scale.md")
    parser.set_defaults(handler=run)

    train = subparsers.add_parser(
        "train-extractor",
        help="train the learned video head on annotated clips",
        description=(
            "Analyse every clip named in the annotation CSV (file name + the 11 video features), report "
            "each feature's cross-validated R2, then train on all clips and save the head with a model card."
        ),
    )
    train.add_argument("--annotations", required=True, metavar="CSV")
    train.add_argument("--videos", required=True, metavar="DIR", help="folder holding the annotated clips")
    train.add_argument("--folds", type=positive_int, default=5, metavar="K")
    train.add_argument("--out", default=None, metavar="PATH",
                       help="weights file (.safetensors; default video_head.safetensors in the user data folder)")
    train.add_argument("--json", action="store_true", help="print one JSON document")
    train.set_defaults(handler=run_train)


def analysis_json(path: str, analysis: VideoAnalysis) -> dict:
    """The ``extract --json`` object of one video (SPEC.md §4)."""
    return {
        "file": path,
        "duration_s": analysis.duration_s,
        "features": analysis.features.to_dict(),
        "shots": [[start, end] for start, end in analysis.shots],
        "transitions": analysis.transitions_json(),
        "timeline": analysis.timeline_json(),
        "measurements": analysis.measurements.as_dict(),
    }


def run(args: argparse.Namespace) -> int:
    if args.ray is not None:
        return _run_on_cluster(args)
    from core.video.batch import resolve_device

    device = str(resolve_device(args.device))  # CUDA asked for on a machine without it: exit 2 before any work
    head = None
    if args.model is not None:
        from core.video.head import load_head

        head = load_head(args.model, device=device)

    def analyse(path: str) -> VideoAnalysis:
        analysis = extract_video(path, device=device)
        if head is None:
            return analysis
        return dataclasses.replace(analysis, features=head.predict(analysis.frames))

    return analyse_each(
        "musicmatch extract",
        args.videos,
        analyse,
        as_json=analysis_json if args.json else None,
        as_text=lambda path, analysis: _text(path, analysis, timeline=args.timeline),
    )


def _run_on_cluster(args: argparse.Namespace) -> int:
    from core.library.cluster_video import extract_on_cluster  # Ray only for --ray

    outcomes = iter(extract_on_cluster(args.videos, address=args.ray or None, device=args.device, model=args.model))

    def analysed(path: str) -> VideoAnalysis:
        outcome = next(outcomes)
        if isinstance(outcome, MediaError):
            raise outcome
        return outcome

    return analyse_each(
        "musicmatch extract",
        args.videos,
        analysed,
        as_json=analysis_json if args.json else None,
        as_text=lambda path, analysis: _text(path, analysis, timeline=args.timeline),
    )


def run_train(args: argparse.Namespace) -> int:
    from core.video.training import train_from_annotations

    if args.out:
        check_output_path(args.out, inputs=(args.annotations,))
    out = args.out or str(data_file("video_head.safetensors"))
    summary = train_from_annotations(args.annotations, args.videos, out, folds=args.folds)
    if args.json:
        print_json(summary)
        return 0
    print(f"Trained on {summary['clips']} clips ({len(summary['skipped'])} skipped); {args.folds}-fold R2:")
    for dim in VIDEO:
        print(f"  {dim.id:18s} {dim.label_zh:6s} {summary['r2'][dim.id]:7.3f}")
    print(f"Saved {summary['model']} (+ .json side file) and the model card {summary['card']}")
    for name, reason in summary["skipped"]:
        print(f"  skipped {name}: {reason}")
    return 0


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
