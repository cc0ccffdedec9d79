"""``musicmatch fit VIDEO TRACK``: the best section of a track for a clip, and the music fitted to its length."""

from __future__ import annotations

import argparse
import math
import os
from pathlib import Path

from core.cli.common import print_json
from core.errors import InputError

__all__ = ["add_parser", "run"]


def _length(text: str) -> float:
    """argparse type of ``--length``: a finite number of seconds (the range is checked by the planner)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds, got {text!r}")
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    fit = subparsers.add_parser(
        "fit",
        help="find where a track fits a video best, and edit it to the video's length",
        description=(
            "Find the start in TRACK whose loudness follows VIDEO's own energy (its turns on the track's "
            "changes), moved by at most a bar so the most cuts land on beats. With --render, write the music "
            "edited to exactly the clip's length (or --length): whole bars repeated or skipped at "
            "similar-sounding points with short crossfades, never time-stretched, ending on a phrase with a "
            "short fade-out."
        ),
    )
    fit.add_argument("video", metavar="VIDEO")
    fit.add_argument("track", metavar="TRACK", help="an audio file (a library track's path with --db)")
    fit.add_argument("--db", metavar="PATH", default=None,
                     help="library database or catalogue FILE.parquet: use the timing data stored for TRACK "
                          "(analysed now if missing)")
    fit.add_argument("--length", type=_length, default=None, metavar="SECONDS",
                     help="length of the fitted music, 3 s to 600 s (default: the clip's length)")
    fit.add_argument("--render", default=None, metavar="OUT.wav|OUT.flac",
                     help="write the fitted music (the track's sample rate, 24-bit)")
    fit.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    fit.add_argument("--json", action="store_true", help="print one JSON document")
    fit.set_defaults(handler=run)


def _track_timing(track: str, db_path: str | None):
    """The track's timing: from the library when stored there with timing data, else analysed now."""
    from core.audio.analysis import analyze_file
    from core.timing.grid import TrackTiming

    if db_path is not None:
        # A library database, or a .parquet catalogue opened read-only (as match/recommend --db do).
        from core.library.parquet_catalogue import open_database

        with open_database(db_path, create=False, readonly=True) as db:
            record = db.record(os.path.abspath(track)) or db.record(track)
        if record is not None and record.has_timing:
            return TrackTiming.of(record)
    if not Path(track).is_file():
        raise InputError(f"{track}: no such audio file")
    return TrackTiming.of(analyze_file(track))


def run(args: argparse.Namespace) -> int:
    from core.timing.plan import MAX_LENGTH_S, MIN_LENGTH_S, check_fittable, plan_fit
    from core.timing.render import check_render_path, fit_track, write_atomic
    from core.timing.section import ClipTiming, best_section
    from core.video.analysis import extract_video
    from core.video.batch import resolve_device

    # Everything that can be checked before the slow analyses is checked first.
    if args.render is not None:
        check_render_path(args.render)
    if args.length is not None and not MIN_LENGTH_S <= args.length <= MAX_LENGTH_S:
        raise InputError(f"--length {args.length:g}: give {MIN_LENGTH_S:g} to {MAX_LENGTH_S:g} seconds")
    if not Path(args.video).is_file():
        raise InputError(f"{args.video}: no such video file")
    timing = _track_timing(args.track, args.db)
    # A silent track or one shorter than a bar: refused before the clip is analysed.
    check_fittable(timing, refuse_silence=True)
    analysis = extract_video(args.video, device=str(resolve_device(args.device)))
    clip = ClipTiming.of(analysis, length_s=args.length)
    length = clip.duration_s
    if args.length is None and not MIN_LENGTH_S <= length <= MAX_LENGTH_S:
        raise InputError(f"{args.video} is {length:.2f} s long; fit works on {MIN_LENGTH_S:g} s to "
                         f"{MAX_LENGTH_S:g} s (give --length)")
    section = best_section(timing, clip)
    rendered = None
    if args.render is not None:
        plan, audio = fit_track(args.track, timing, section.start_s, length)
        rendered = str(write_atomic(audio, args.render))
    else:
        plan = plan_fit(timing, section.start_s, length)
    document = {
        "video": str(args.video),
        "track": str(args.track),
        "clip_s": round(length, 6),
        "start_s": round(section.start_s, 6),
        "end_s": round(section.end_s, 6),
        "score": round(section.score, 4),
        "tempo_bpm": round(timing.tempo_bpm, 2) if timing.tempo_bpm > 0 else None,
        "cuts": section.cuts,
        "cuts_on_beat": section.cuts_on_beat,
        "reasons": section.reasons + plan.notes,
        "edits": [edit.to_json() for edit in plan.edits],
        "ending": plan.ending,
        "rendered": rendered,
    }
    if args.json:
        print_json(document)
        return 0
    tempo = f"{timing.tempo_bpm:.1f} BPM" if timing.tempo_bpm > 0 else "no steady beat"
    print(f"{args.video} ({length:.2f} s, {section.cuts} cuts) -> {args.track} ({timing.duration_s:.1f} s, {tempo})")
    print(f"Best section: {section.start_s:.2f}-{section.end_s:.2f} s, score {section.score:.2f}, "
          f"{section.cuts_on_beat} of {section.cuts} cuts on beats")
    for reason in section.reasons + plan.notes:
        print(f"  - {reason}")
    if plan.edits:
        print("Edits:")
        for edit in plan.edits:
            print(f"  at {edit.at_s:7.2f} s: leave {edit.from_s:.2f} s, resume {edit.to_s:.2f} s")
    ending = {"phrase": "a phrase end", "track end": "the track's own end", "bar": "a bar",
              "anywhere": "a fade-out"}[plan.ending]
    print(f"Ends on {ending}" + (f" with a {plan.fade_s:.2f} s fade-out" if plan.fade_s > 0 else ""))
    if rendered:
        print(f"Rendered {rendered} ({length:.3f} s)")
    return 0
