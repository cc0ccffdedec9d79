"""``musicmatch library ...``: scan folders into the library database, list, import, export."""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
from pathlib import Path

from core.cli.common import positive_int, print_json, terminal_progress
from core.errors import InputError, LibraryError
from core.fileio import check_output_path
from core.jobs import CancelToken
from core.library.catalog import export_csv, import_csv
from core.library.db import LibraryDB, default_db_path
from core.library.parquet_catalogue import open_database
from core.library.scanner import FileLimits, check_folders, prune_missing, scan_folders

__all__ = ["add_db_option", "add_parser", "open_db"]


def _seconds(text: str) -> float:
    """argparse type: a finite number of seconds of at least 1 (``--file-timeout``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, got {text!r}") from None
    if not 1.0 <= value <= 86_400.0:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"must be between 1 and 86400 seconds, got {text}")
    return value


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", default=None,
                        help=f"library database (default {default_db_path()})")


def open_db(path: str | None, *, create: bool = False, readonly: bool = False) -> LibraryDB:
    """The library database at ``path`` (default: the user's); a ``.parquet`` catalogue opens read-only."""
    target = Path(path or default_db_path())
    new = create and not readonly and not target.exists()
    try:
        return open_database(target, create=create, readonly=readonly)
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
                     help="worker processes (default: number of CPU cores); with --ray and no ADDRESS, "
                          "the CPUs of the local Ray")
    add.add_argument("--ray", nargs="?", const="", default=None, metavar="ADDRESS",
                     help="analyse on a Ray cluster: host:port of its head, ray://host:port or auto; without "
                          "ADDRESS a local Ray on this machine. Every node must see the folders at the same path "
                          "(needs the cluster extra: pip install 'musicmatch[cluster]'; see docs/scale.md)")
    add.add_argument("--batch", type=positive_int, default=None, metavar="N",
                     help="with --ray: files per Ray task (default: chosen from the files and CPUs, at most 16)")
    add.add_argument("--file-timeout", type=_seconds, default=None, metavar="SECONDS",
                     help="skip a file whose analysis takes longer than this or 2x its duration, whichever is "
                          f"longer (default {FileLimits().floor_s:g}; not with --jobs 1, which analyses in this "
                          "process)")
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

    catalogue = commands.add_parser(
        "export-catalogue", help="write the library as one Parquet catalogue for a team",
        description="Write every analysed track (path, content hash, tags, duration, features, timing data, "
                    "analysis version) to one Apache Parquet file that other editors import or open read-only "
                    "(--db FILE.parquet). Needs the cluster extra (pyarrow).")
    catalogue.add_argument("file", metavar="FILE.parquet")
    add_db_option(catalogue)
    catalogue.set_defaults(handler=_export_catalogue)

    adopt = commands.add_parser(
        "import-catalogue", help="add a team's Parquet catalogue, relinking tracks to local files by content",
        description="Add the tracks of a catalogue made by export-catalogue. A track whose file is found here "
                    "(at its own path or under --search, same content hash) is linked to it; the others are kept "
                    "as remote tracks: listed and ranked, not playable until their file is found.")
    adopt.add_argument("file", metavar="FILE.parquet")
    adopt.add_argument("--search", nargs="+", default=[], metavar="DIR",
                       help="folders to look in for the catalogue's files (matched by content hash)")
    adopt.add_argument("--no-remote", "--no_remote", dest="keep_remote", action="store_false",
                       help="leave out tracks whose file is not found here")
    add_db_option(adopt)
    adopt.set_defaults(handler=_import_catalogue)

    prune = commands.add_parser("prune", help="remove tracks whose files no longer exist")
    add_db_option(prune)
    prune.set_defaults(handler=_prune)


def _add(args: argparse.Namespace) -> int:
    check_folders(args.folders)  # before the library is opened: a typo must not leave a new empty library behind
    cancel = CancelToken()
    if args.ray is not None:
        if args.file_timeout is not None:
            raise InputError("--file-timeout is for local scans (a Ray scan retries a lost task once)")
        return _add_on_cluster(args, cancel)
    if args.batch is not None:
        raise InputError("--batch is for --ray scans")
    with open_db(args.db, create=True) as db:
        limits = FileLimits() if args.file_timeout is None else FileLimits(floor_s=args.file_timeout)
        result = scan_folders(db, args.folders, jobs=args.jobs, progress=terminal_progress(), cancel=cancel,
                              limits=limits)
        _print_scan(args, db, result)
    return 0


def _add_on_cluster(args: argparse.Namespace, cancel: CancelToken) -> int:
    # Ray is imported only here: the desktop app and the other commands never need it. The cluster
    # is joined and checked before the database is opened, so bad input leaves no file behind.
    from core.library.cluster import check_workers, connect
    from core.library.cluster_scan import scan_folders_ray

    roots = check_folders(args.folders)
    with connect(args.ray or None, cpus=args.jobs) as session:
        nodes = check_workers(session, roots)
        print(f"Ray: {nodes} node(s), {session.cpus()} CPUs at {session.address}", flush=True)
        with open_db(args.db, create=True) as db:
            result = scan_folders_ray(db, roots, session=session, batch_size=args.batch,
                                      progress=terminal_progress(), cancel=cancel)
            _print_scan(args, db, result)
    return 0


def _print_scan(args: argparse.Namespace, db, result) -> None:
    print(f"Scanned {len(args.folders)} folder(s): {result.found} music files in {result.seconds:.1f} s")
    print(f"  {result.analysed} analysed, {result.unchanged} unchanged, {len(result.skipped)} skipped, "
          f"{result.removed} removed (files gone); library now holds {db.count()} tracks")
    if result.reused:
        print(f"  {result.reused} moved or touched file(s) recognised by content hash (not analysed again)")
    if result.skipped:
        print("Skipped:")
        for path, reason in result.skipped:
            print(f"  {path}: {reason}")


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
                 "tempo_confidence": r.tempo_confidence, "silent": r.silent,
                 "features": dict(zip(_ids(), map(float, r.features), strict=True))}
                for i, r in enumerate(records)
            ])
            return 0
        for i, r in enumerate(records):
            duration = f"{r.duration_s:6.1f}s" if r.duration_s else "      -"
            tempo = f"{r.tempo_bpm:5.1f}" if r.tempo_bpm else "    -"
            key = "(silent)" if r.silent else r.key or "-"
            print(f"{i:5d}  {duration}  {tempo} BPM  {key:9s}  {r.name}")
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


def _export_catalogue(args: argparse.Namespace) -> int:
    from core.library.parquet_catalogue import export_catalogue

    with open_db(args.db) as db:
        count = export_catalogue(db, args.file)
    print(f"Wrote {count} tracks to {args.file}")
    return 0


def _import_catalogue(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.library.parquet_catalogue import check_catalogue, import_catalogue

    check_catalogue(args.file)  # a bad catalogue is refused before a library file is created
    target = Path(args.db or default_db_path())
    new = not target.exists()
    with open_db(args.db, create=True) as db:
        try:
            result = import_catalogue(db, args.file, search=args.search, keep_remote=args.keep_remote)
        except BaseException:
            if new:  # a bad row rolled the import back: leave no empty library behind either
                db.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{target}{suffix}").unlink(missing_ok=True)
            raise
        print(f"Imported {args.file}: {result.tracks} tracks: {result.linked} linked to local files, "
              f"{result.remote} remote (not found here), {result.already} already in the library"
              + (f", {result.dropped} left out" if result.dropped else ""))
        for path in result.conflicts:
            print(f"  not imported: {path} (this library holds another file at that path)")
        print(f"Library now holds {db.count()} tracks")
    return 0


def _prune(args: argparse.Namespace) -> int:
    with open_db(args.db) as db:
        gone = prune_missing(db)
        for path in gone:
            print(f"removed {path}")
        print(f"Removed {len(gone)} tracks whose files are gone; {db.count()} remain")
    return 0
