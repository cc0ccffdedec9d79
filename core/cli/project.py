"""``musicmatch export``: a project's picks to the editing software or a cue sheet."""

from __future__ import annotations

import argparse
import sys

from core.fileio import check_output_path

__all__ = ["add_parser"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    export = subparsers.add_parser(
        "export",
        help="write a project's picks as OTIO, FCP XML, an EDL or a CSV cue sheet",
        description=(
            "Write the project as a timeline at the clip's frame rate: V1 the clip, A1 its own sound, and each "
            "pick on its own audio track at its placement, with a marker giving its rank, distance and note "
            "(otio: OpenTimelineIO, read by DaVinci Resolve; fcpxml: Final Cut Pro 7 XML, read by Premiere Pro, "
            "Resolve and Final Cut Pro; edl: CMX 3600, the clip and up to two picks; csv: a cue sheet). Each pick "
            "plays from its section start (or its rendered fit); markers sit at the clip's cuts and, with --db, "
            "at the bars of each pick's track."
        ),
    )
    export.add_argument("project", metavar="PROJECT", help="a .mmproj file")
    export.add_argument("--format", required=True, choices=("otio", "fcpxml", "edl", "csv"), type=str.lower)
    export.add_argument("--out", required=True, metavar="FILE")
    export.add_argument("--db", metavar="PATH", default=None,
                        help="library database: finds moved tracks by their content and gives the bar markers")
    export.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace) -> int:
    from core.export.markers import bars_from_records
    from core.export.timeline import export_project
    from core.project import load_project, relink

    project = load_project(args.project)
    out = check_output_path(args.out, inputs=(args.project, args.db))
    bars = None
    if args.db is not None:
        from core.library.db import LibraryDB

        with LibraryDB(args.db, create=False, readonly=True) as db:
            problems = relink(project, db.find_by_hash)
            bars = bars_from_records(db.records())
    else:
        problems = relink(project, lambda _digest: [])
    for line in problems:
        sys.stderr.write(f"warning: {line}\n")
    written = export_project(project, args.format, out, bars=bars)
    if bars is None:
        marked = "no bar markers without --db"
    else:
        known = sum(1 for pick in project.picks if bars(pick) is not None)
        marked = f"bar markers for {known} of {len(project.picks)} pick(s)"
    print(f"Wrote {written} ({args.format}, {len(project.picks)} pick(s), {marked})")
    return 0
