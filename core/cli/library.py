"""``musicmatch library ...``: scan folders into the library database, list, import, export."""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
from pathlib import Path

from core.cli.common import positive_int, print_json, terminal_progress
from core.errors import LibraryError
from core.fileio import check_output_path
from core.jobs import CancelToken
from core.library.catalog import export_csv, import_csv
from core.library.db import LibraryDB, default_db_path
from core.library.scanner import prune_missing, scan_folders

__all__ = ["add_db_option", "add_parser", "open_db"]


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", default=None,
                        help=f"library database (default {default_db_path()})")


def open_db(path: str | None, *, create: bool = False, readonly: bool = False) -> LibraryDB:
    target = Path(path or default_db_path())
    new = create and not readonly and not target.exists()
    try:
        return LibraryDB(target, create=create, readonly=readonly)
    except (LibraryError, OSError, sqlite3.Error):
        if new:  # a library that could not be created (full disk...) must not be left half-made
            for leftover in (target, *(Path(f"{target}{side}") for side in ("-wal", "-shm", "-journal"))):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        raise


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "library",
        help="scan music folders into the library; list, import, export",
        description="The music library: one database of analysed tracks.",
    )
    commands = parser.add_subparsers(dest="library_command", metavar="ACTION", parser_class=type(parser))
    commands.required = True

    add = commands.add_parser("add", help="scan folders: analyse new or changed music files",
                              description="Walk the folders and analyse every new or changed music file. "
                              "Unreadable files are recorded with the reason and skipped.")
    add.add_argument("folders", nargs="+", metavar="DIR")
    add.add_argument("--jobs", type=positive_int, default=None, metavar="N",
                     help="worker processes (default: number of CPU cores)")
    add_db_option(add)
    add.set_defaults(handler=_add)

    listing = commands.add_parser("list", help="list the tracks of the library")
    listing.add_argument("--errors", action="store_true", help="list the files that could not be analysed")
    listing.add_argument("--json", action="store_true", help="print one JSON document")
    add_db_option(listing)
    listing.set_defaults(handler=_list)

    export = commands.add_parser("export-csv", help="write the library as an audio_features.csv")
    export.add_argument("file", metavar="FILE")
    export.add_argument("--bom", action="store_true", help="start with a UTF-8 BOM (for Excel)")
    add_db_option(export)
    export.set_defaults(handler=_export)

    importing = commands.add_parser(
        "import-csv", help="add the tracks of an audio_features.csv (no audio needed)"
    )
    importing.add_argument("file", metavar="FILE")
    add_db_option(importing)
    importing.set_defaults(handler=_import)

    prune = commands.add_parser("prune", help="remove tracks whose files no longer exist")
    add_db_option(prune)
    prune.set_defaults(handler=_prune)


def _add(args: argparse.Namespace) -> int:
    missing = [folder for folder in args.folders if not Path(folder).is_dir()]
    if missing:  # before the library is opened: a typo must not leave a new empty library behind
        raise LibraryError(f"{missing[0]}: no such folder")
    cancel = CancelToken()
    with open_db(args.db, create=True) as db:
        result = scan_folders(db, args.folders, jobs=args.jobs, progress=terminal_progress(), cancel=cancel)
        print(f"Scanned {len(args.folders)} folder(s): {result.found} music files in {result.seconds:.1f} s")
        print(f"  {result.analysed} analysed, {result.unchanged} unchanged, {len(result.skipped)} skipped, "
              f"{result.removed} removed (files gone); library now holds {db.count()} tracks")
        if result.skipped:
            print("Skipped:")
            for path, reason in result.skipped:
                print(f"  {path}: {reason}")
    return 0


def _list(args: argparse.Namespace) -> int:
    with open_db(args.db, readonly=True) as db:  # listing never writes the library
        if args.errors:
            problems = db.errors()
            if args.json:
                print_json([{"path": p, "error": e} for p, e in problems])
            else:
                for path, reason in problems:
                    print(f"{path}: {reason}")
            return 0
        records = list(db.records())
        if args.json:
            print_json([
                {"index": i, "path": r.path, "name": r.name, "title": r.title, "artist": r.artist,
                 "album": r.album, "duration_s": r.duration_s, "tempo_bpm": r.tempo_bpm, "key": r.key,
                 "features": dict(zip(_ids(), map(float, r.features), strict=True))}
                for i, r in enumerate(records)
            ])
            return 0
        for i, r in enumerate(records):
            duration = f"{r.duration_s:6.1f}s" if r.duration_s else "      -"
            tempo = f"{r.tempo_bpm:5.1f}" if r.tempo_bpm else "    -"
            print(f"{i:5d}  {duration}  {tempo} BPM  {r.key or '-':9s}  {r.name}")
        print(f"{len(records)} tracks, {len(db.errors())} files skipped (see --errors)")
    return 0


def _ids():
    from core.features import MUSIC

    return MUSIC.ids


def _export(args: argparse.Namespace) -> int:
    check_output_path(args.file, option="FILE", inputs=(args.db or default_db_path(),))
    with open_db(args.db, readonly=True) as db:
        count = export_csv(db, args.file, bom=args.bom)
    print(f"Wrote {count} tracks to {args.file}")
    return 0


def _import(args: argparse.Namespace) -> int:
    with open_db(args.db, create=True) as db:
        count = import_csv(db, args.file)
        print(f"Imported {count} tracks from {args.file}; library now holds {db.count()} tracks")
    return 0


def _prune(args: argparse.Namespace) -> int:
    with open_db(args.db) as db:
        gone = prune_missing(db)
        for path in gone:
            print(f"removed {path}")
        print(f"Removed {len(gone)} tracks whose files are gone; {db.count()} remain")
    return 0
