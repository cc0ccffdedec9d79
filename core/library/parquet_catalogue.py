"""One analysed catalogue for a team: the library as an Apache Parquet file.

``library export-catalogue`` writes every analysed track (path, content hash, tags,
duration, features, beat grid and the other timing data, ...) to one Parquet file;
``library import-catalogue`` adds such a file to a library, relinking each track to a
local file with the same bytes (content hash) or keeping it as a *remote* track that is
listed and ranked but cannot be played until its file is found; :func:`open_catalogue`
opens the file as a read-only library that the ranking code (and the window) uses as is.

Schema (``CATALOGUE_VERSION`` 1): one column per field of
:class:`~core.library.db.TrackRecord`, derived from the dataclass itself, so a field
added there travels without a change here. Its Arrow type follows the field's type:
``str`` -> string, ``int`` -> int64, ``float`` -> float64, ``bool`` -> bool, arrays and
``list[float]`` -> list<float64>, ``list[int]`` -> list<int64>, anything else -> JSON
text. Floats go in as float64, so every vector comes back bit for bit. The file's
key-value metadata ``musicmatch`` (JSON) holds the format name and version, the feature
schema, the music feature ids, the MusicMatch version and its analysis-code fingerprint,
and each column's kind.

pyarrow is part of the optional ``cluster`` extra and is imported only here.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import LibraryError
from core.features import MUSIC, SCHEMA_VERSION
from core.fileio import content_hash, replacing
from core.library.db import LibraryDB, TrackRecord

__all__ = ["CATALOGUE_FORMAT", "CATALOGUE_VERSION", "ImportReport", "check_catalogue", "export_catalogue",
           "import_catalogue",
           "is_catalogue", "open_catalogue", "open_database", "read_catalogue", "write_catalogue"]

CATALOGUE_FORMAT = "musicmatch-catalogue"
CATALOGUE_VERSION = 1
"""Version of the layout described above; a newer file is refused with a clear message."""

_META_KEY = b"musicmatch"
_ROWS_PER_GROUP = 10_000
"""Rows per Parquet row group: bounds memory when a million tracks are written or read."""


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise LibraryError(
            "Parquet catalogues need pyarrow (the cluster extra): pip install 'musicmatch[cluster]'"
        ) from None
    return pyarrow


def is_catalogue(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names a Parquet catalogue (by its ``.parquet`` ending) rather than a library database."""
    return str(path).lower().endswith(".parquet")


# -- the schema, derived from TrackRecord ---------------------------------------------------


def _kind(hint: Any) -> tuple[str, bool]:
    """``(kind, nullable)`` of a TrackRecord field's type hint."""
    nullable = False
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        nullable = len(args) < len(typing.get_args(hint))
        hint = args[0] if len(args) == 1 else object
    if hint is np.ndarray:
        return "array", nullable
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint) or (object,)
        if item is float:
            return "floats", nullable
        if item is int:
            return "ints", nullable
        return "json", nullable
    simple = {str: "str", int: "int", float: "float", bool: "bool"}
    return simple.get(hint, "json"), nullable


def _fields() -> dict[str, tuple[str, bool, dataclasses.Field]]:
    hints = typing.get_type_hints(TrackRecord)
    return {f.name: (*_kind(hints[f.name]), f) for f in dataclasses.fields(TrackRecord)}


def _arrow_type(pa, kind: str):
    return {
        "str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
        "array": pa.list_(pa.float64()), "floats": pa.list_(pa.float64()), "ints": pa.list_(pa.int64()),
        "json": pa.string(),
    }[kind]


def _encode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind in ("array", "floats"):
        return np.asarray(value, dtype=np.float64).ravel().tolist()  # float64 -> Python float: exact
    if kind == "ints":
        return [int(v) for v in value]
    if kind == "json":
        return json.dumps(value, default=_jsonable, allow_nan=True)
    if kind == "float":
        return float(value)
    if kind == "int":
        return int(value)
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    raise TypeError(f"cannot store {type(value).__name__} in a catalogue")


def _decode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "array":
        return np.asarray(value, dtype=np.float64)
    if kind == "floats":
        return [float(v) for v in value]
    if kind == "ints":
        return [int(v) for v in value]
    if kind == "json":
        return json.loads(value)
    return value


def _metadata(count: int) -> dict:
    from core import __version__
    from core.library.cluster import analysis_fingerprint

    return {
        "format": CATALOGUE_FORMAT,
        "version": CATALOGUE_VERSION,
        "feature_schema": SCHEMA_VERSION,
        "music_features": list(MUSIC.ids),
        "musicmatch": __version__,
        "analysis_code": analysis_fingerprint(),
        "tracks": count,
        "written_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "columns": {name: kind for name, (kind, _, _) in _fields().items()},
    }


# -- export ------------------------------------------------------------------------------


def export_catalogue(db: LibraryDB, path: str | os.PathLike[str]) -> int:
    """Write every analysed track of ``db`` to the Parquet catalogue ``path``; returns the tracks written.

    The file is written under a temporary name in the same folder and renamed when
    complete, so ``path`` is either the old file or the whole new one.
    """
    return write_catalogue(db.records(), path, count=db.count())


def write_catalogue(records: Iterable[TrackRecord], path: str | os.PathLike[str], *, count: int) -> int:
    """Write ``count`` records to the catalogue ``path`` (atomically; see :func:`export_catalogue`)."""
    pa = _pyarrow()
    pq = pa.parquet
    target = Path(path)
    if not is_catalogue(target):
        raise LibraryError(f"{target}: a catalogue file ends in .parquet")
    if target.is_dir():
        raise LibraryError(f"{target} is a folder; give the path of the catalogue file")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise LibraryError(f"{folder}: no such folder")
    fields = _fields()
    schema = pa.schema([pa.field(name, _arrow_type(pa, kind), nullable=True) for name, (kind, _, _) in fields.items()],
                       metadata={_META_KEY: json.dumps(_metadata(count)).encode()})
    written = 0
    with replacing(target) as temp_name:
        with pq.ParquetWriter(temp_name, schema, compression="zstd") as writer:
            for chunk in _chunks(iter(records), _ROWS_PER_GROUP):
                columns = {name: [_encode(kind, getattr(r, name)) for r in chunk]
                           for name, (kind, _, _) in fields.items()}
                writer.write_table(pa.Table.from_pydict(columns, schema=schema))
                written += len(chunk)
        if written != count:  # the library changed while it was written: do not publish a torn file
            raise LibraryError(f"the library changed while the catalogue {target} was written; export again")
    return written


def _chunks(records: Iterator[TrackRecord], size: int) -> Iterator[list[TrackRecord]]:
    chunk: list[TrackRecord] = []
    for record in records:
        chunk.append(record)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- reading -----------------------------------------------------------------------------


def check_catalogue(path: str | os.PathLike[str]) -> dict:
    """The catalogue's metadata, once its format, version, feature schema and columns are checked.

    Raises
    ------
    LibraryError
        Not Parquet, not a catalogue, from a newer version or another feature schema, or a
        column missing or of the wrong type.
    """
    return _open(path)[1]


def _open(path: str | os.PathLike[str]):
    """The ParquetFile and its checked metadata; :class:`LibraryError` for anything but a catalogue we can read."""
    pa = _pyarrow()
    file = Path(path)
    if not file.exists():
        raise LibraryError(f"{file}: no such catalogue")
    if file.is_dir():
        raise LibraryError(f"{file} is a folder; give the path of a catalogue file")
    try:
        parquet = pa.parquet.ParquetFile(str(file))
    except (pa.ArrowException, OSError) as exc:
        raise LibraryError(f"{file} is not a Parquet file ({str(exc).splitlines()[0]})") from None
    raw = (parquet.schema_arrow.metadata or {}).get(_META_KEY)
    try:
        meta = json.loads(raw) if raw else None
    except ValueError:
        meta = None
    if not isinstance(meta, dict) or meta.get("format") != CATALOGUE_FORMAT:
        raise LibraryError(f"{file} is a Parquet file but not a MusicMatch catalogue (no catalogue metadata)")
    version = meta.get("version")
    if not isinstance(version, int) or version < 1:
        raise LibraryError(f"{file}: the catalogue's version ({version!r}) is not valid")
    if version > CATALOGUE_VERSION:
        raise LibraryError(
            f"{file} was written by a newer MusicMatch (catalogue version {version}, this one reads up to "
            f"{CATALOGUE_VERSION}); update MusicMatch to read it"
        )
    if meta.get("feature_schema") != SCHEMA_VERSION or meta.get("music_features") != list(MUSIC.ids):
        raise LibraryError(
            f"{file}: its tracks were analysed under feature schema {meta.get('feature_schema')}, this MusicMatch "
            f"uses {SCHEMA_VERSION}; analyse the music again (library add) instead of importing"
        )
    _check_columns(pa, file, parquet.schema_arrow)
    return parquet, meta


def _check_columns(pa, file: Path, schema) -> None:
    for name, (kind, nullable, field) in _fields().items():
        if name not in schema.names:
            has_default = field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
            if not (nullable or has_default or kind in ("array", "floats", "ints")):
                raise LibraryError(f"{file}: the catalogue has no {name!r} column; it was not written by MusicMatch")
            continue
        found = schema.field(name).type
        expected = _arrow_type(pa, kind)
        if not found.equals(expected) and not (kind == "json" and pa.types.is_string(found)):
            raise LibraryError(f"{file}: column {name!r} holds {found}, a catalogue has {expected} there")


def read_catalogue(path: str | os.PathLike[str]) -> Iterator[TrackRecord]:
    """Every track of a checked catalogue, in file order (streamed by row group)."""
    parquet, _ = _open(path)
    fields = _fields()
    present = [name for name in fields if name in parquet.schema_arrow.names]
    expected_length = len(MUSIC)
    for batch in parquet.iter_batches(batch_size=_ROWS_PER_GROUP, columns=present):
        columns = batch.to_pydict()
        for row in range(batch.num_rows):
            values = {}
            for name, (kind, nullable, field) in fields.items():
                if name in columns:
                    values[name] = _decode(kind, columns[name][row])
                elif field.default is not dataclasses.MISSING:
                    values[name] = field.default
                elif field.default_factory is not dataclasses.MISSING:
                    values[name] = field.default_factory()
                else:
                    values[name] = None if nullable else _decode(kind, [])
            record = TrackRecord(**values)
            if not record.path:
                raise LibraryError(f"{path}: row {row + 1} of a row group has no path")
            if record.features is None or record.features.shape != (expected_length,):
                raise LibraryError(f"{path}: the track {record.path} has no {expected_length}-value feature vector")
            yield record


def open_catalogue(path: str | os.PathLike[str]) -> LibraryDB:
    """A catalogue opened as a read-only library (in memory): ``track_index()``, ``records()``... all work.

    Tracks keep the catalogue's paths (they may not exist on this machine: ranking needs
    only the vectors). Any write raises ``sqlite3.OperationalError`` (``PRAGMA query_only``).
    """
    db = LibraryDB(":memory:")
    try:
        db.upsert_many(read_catalogue(path))  # streamed: a million tracks never sit in memory as objects
    except BaseException:
        db.close()
        raise
    db.conn.execute("PRAGMA query_only = ON")
    db.path = str(path)
    return db


def open_database(path: str | os.PathLike[str], *, create: bool = False, readonly: bool = False) -> LibraryDB:
    """A library database, or a ``.parquet`` catalogue opened read-only (:func:`open_catalogue`)."""
    if is_catalogue(path):
        if create:
            raise LibraryError(f"{path} is a catalogue, opened read-only; add it to a library with "
                               "`musicmatch library import-catalogue`")
        return open_catalogue(path)
    return LibraryDB(path, create=create, readonly=readonly)


# -- import ------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did."""

    tracks: int = 0
    """Tracks in the catalogue."""
    linked: int = 0
    """Tracks relinked to a local file with the same content hash (playable)."""
    remote: int = 0
    """Tracks kept at the catalogue's path, listed and ranked but not playable until found."""
    already: int = 0
    """Tracks whose file the library already holds (same content hash): left as they were."""
    conflicts: list[str] = dataclasses.field(default_factory=list)
    """Catalogue paths where this library holds another file: not imported."""
    dropped: int = 0
    """Tracks left out: no local copy found and ``keep_remote`` was off."""


def import_catalogue(
    db: LibraryDB,
    path: str | os.PathLike[str],
    *,
    search: list[str | os.PathLike[str]] = (),
    keep_remote: bool = True,
) -> ImportReport:
    """Add the tracks of a catalogue to ``db``, relinking them to local files by content hash.

    A track is linked to a local file when the file at its own path, or a music file
    under one of ``search``, has the same bytes (same size, then same BLAKE2b hash); the
    row then takes that file's path, size and modification time, so a later scan of its
    folder finds it unchanged. Otherwise it is kept as a *remote* track (``source ==
    "remote"``) at the catalogue's path, or left out when ``keep_remote`` is false. A
    later import with ``search`` or a ``library add --ray`` of the folder holding the file
    relinks it. The file's version and columns are checked before anything is written;
    the tracks are written in one transaction, so a bad row rolls back the whole import.

    Raises
    ------
    LibraryError
        Not a catalogue, a newer or incompatible one, a missing search folder.
    """
    roots = []
    for folder in search:
        root = Path(folder).expanduser()
        if not root.is_dir():
            raise LibraryError(f"{folder}: no such folder")
        roots.append(root)
    _open(path)  # the file, its version and its columns are checked before anything is written
    result = ImportReport()
    local = {}
    for row_path, _, digest in db.analysed_files():
        row = db.record(row_path)
        if row is not None and row.source != "remote":
            local.setdefault(digest, row_path)
    by_size = _music_by_size(roots, _sizes(path)) if roots else {}
    hashes: dict[str, str | None] = {}
    relinked_hashes: set[str] = set()

    def same_bytes(candidate: str, record: TrackRecord) -> bool:
        if candidate not in hashes:
            try:
                hashes[candidate] = content_hash(candidate)
            except OSError:
                hashes[candidate] = None
        return hashes[candidate] == record.content_hash

    def resolved() -> Iterator[TrackRecord]:
        for record in read_catalogue(path):
            result.tracks += 1
            digest = record.content_hash
            if digest is not None and digest in local:
                result.already += 1
                continue
            found = None
            if digest is not None:
                for candidate in [record.path, *by_size.get(record.size, [])]:
                    try:
                        stat = os.stat(candidate)
                    except OSError:
                        continue
                    if stat.st_size == record.size and same_bytes(candidate, record):
                        found = (os.path.abspath(candidate), stat)
                        break
            if found is not None:
                where, stat = found
                relinked_hashes.add(digest)
                local[digest] = where
                result.linked += 1
                yield dataclasses.replace(record, path=where, source="scan", size=stat.st_size,
                                          mtime_ns=stat.st_mtime_ns)
                continue
            existing = db.record(record.path)
            if existing is not None and existing.source != "remote":
                result.conflicts.append(record.path)
                continue
            if not keep_remote:
                result.dropped += 1
                continue
            result.remote += 1
            yield dataclasses.replace(record, source="remote")

    # One transaction, streamed: a bad row further down rolls back every row before it.
    db.upsert_many(resolved())
    # A track imported earlier as remote and now found locally is listed once, at its local path.
    stale = [p for digest in relinked_hashes for p in db.find_by_hash(digest)
             if p != local[digest] and (row := db.record(p)) is not None and row.source == "remote"]
    if stale:
        db.remove(stale)
    return result


def _sizes(path: str | os.PathLike[str]) -> set[int]:
    """The file sizes named in a catalogue (only files of those sizes can match a track by content)."""
    pa = _pyarrow()
    parquet = pa.parquet.ParquetFile(str(path))
    if "size" not in parquet.schema_arrow.names:
        return set()
    return {size for size in parquet.read(columns=["size"]).column("size").to_pylist() if size is not None}


def _music_by_size(roots: list[Path], sizes: set[int]) -> dict[int, list[str]]:
    """Music files under ``roots`` whose size is one of ``sizes`` (only those can match a hash)."""
    from core.library.scanner import SCAN_EXTENSIONS

    found: dict[int, list[str]] = {}
    for root in roots:
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in sorted(names):
                if Path(name).suffix.lower() not in SCAN_EXTENSIONS:
                    continue
                full = os.path.join(folder, name)
                try:
                    size = os.path.getsize(full)
                except OSError:
                    continue
                if size in sizes:
                    found.setdefault(size, []).append(full)
    return found
