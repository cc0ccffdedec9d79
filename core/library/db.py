"""The music library: one SQLite file with every track's features, tags, beat grid and errors.

One :class:`LibraryDB` object owns the connection (beets-style); the schema is created
and migrated by code (:data:`_MIGRATIONS`, tracked in ``PRAGMA user_version``), and
``":memory:"`` works for tests. Every write commits at once, so a killed scan loses at
most the track being written.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import LibraryError
from core.features import MUSIC, SCHEMA_VERSION
from core.match import TrackIndex
from core.paths import data_file

__all__ = ["DB_VERSION", "LibraryDB", "TrackRecord", "default_db_path"]

DB_VERSION = 4
"""Version of the database layout (``PRAGMA user_version``)."""


def default_db_path() -> Path:
    """``library.sqlite`` in the user's data folder (e.g. ``~/.local/share/MusicMatch``)."""
    return data_file("library.sqlite")


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Run the ``;``-separated statements of a migration inside the caller's transaction."""
    for statement in sql.split(";"):
        if statement.strip():
            conn.execute(statement)


def _migrate_0_to_1(conn: sqlite3.Connection) -> None:
    _script(conn,
        """
        CREATE TABLE tracks (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL DEFAULT 'scan',
            size INTEGER,
            mtime_ns INTEGER,
            content_hash TEXT,
            duration_s REAL,
            title TEXT NOT NULL DEFAULT '',
            artist TEXT NOT NULL DEFAULT '',
            album TEXT NOT NULL DEFAULT '',
            features TEXT,
            feature_schema INTEGER,
            tempo_bpm REAL,
            musical_key TEXT,
            beats BLOB,
            energy BLOB,
            sections TEXT,
            error TEXT,
            analysed_at REAL NOT NULL
        );
        CREATE INDEX tracks_hash ON tracks(content_hash);
        CREATE TABLE folders (path TEXT PRIMARY KEY, added_at REAL NOT NULL);
        """
    )


def _migrate_add_timing(conn: sqlite3.Connection) -> None:
    """Timing data per track (core/timing): downbeats, phrase boundaries, edit points.

    Existing rows get NULL there; :meth:`LibraryDB.file_states` reports them as stale so
    the next rescan analyses them again, and ``fit`` analyses such a file directly.
    """
    _script(conn,
        """
        ALTER TABLE tracks ADD COLUMN downbeats BLOB;
        ALTER TABLE tracks ADD COLUMN phrases BLOB;
        ALTER TABLE tracks ADD COLUMN edit_points BLOB;
        """
    )


def _migrate_add_analysis_version(conn: sqlite3.Connection) -> None:
    """Per-track analysis version, tempo confidence and the silence mark.

    Rows written before have no analysis version (NULL): the next scan re-analyses them.
    """
    _script(conn,
        """
        ALTER TABLE tracks ADD COLUMN analysis_version INTEGER;
        ALTER TABLE tracks ADD COLUMN tempo_confidence REAL;
        ALTER TABLE tracks ADD COLUMN silent INTEGER NOT NULL DEFAULT 0;
        """
    )


def _migrate_features_to_blob(conn: sqlite3.Connection) -> None:
    """Music vectors as 80 bytes of little-endian float64 instead of JSON text; hashes indexed only where set.

    Writing a million rows spent a third of its time on the ten float reprs per row, and
    every library load parsed them back. The column keeps its declared type (SQLite stores a
    BLOB as given in any column); the JSON was written by ``float.__repr__``, which reads
    back to the same float64, so every vector is bit for bit what it was.

    Rows imported from a CSV have no content hash: a partial index leaves them out (a
    fifth of the time of storing such a row went into indexing its NULL); lookups by a
    hash (``content_hash = ?``) use it as before.
    """
    _script(conn,
        """
        DROP INDEX IF EXISTS tracks_hash;
        CREATE INDEX tracks_hash ON tracks(content_hash) WHERE content_hash IS NOT NULL;
        """
    )
    rows = conn.execute("SELECT id, features FROM tracks WHERE typeof(features) = 'text'").fetchall()
    conn.executemany(
        "UPDATE tracks SET features = ? WHERE id = ?",
        ((_vector_blob(json.loads(text)), row_id) for row_id, text in rows),
    )


_MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migrate_0_to_1, _migrate_add_timing, _migrate_add_analysis_version, _migrate_features_to_blob
]
"""``_MIGRATIONS[v]`` upgrades a database from version ``v`` to ``v + 1``."""

# SQLite's messages for a file that is there but cannot be read or written, as against one
# that is not a database: they name the disk, not the file's kind.
_ENVIRONMENT_ERRORS = ("disk i/o error", "database or disk is full", "unable to open", "readonly", "locked",
                       "permission")


def _open_error(path: str, exc: sqlite3.DatabaseError) -> str:
    """One line for an SQLite error met while opening ``path``."""
    message = str(exc)
    if any(part in message.lower() for part in _ENVIRONMENT_ERRORS):
        return f"cannot open the library {path}: {message}"
    return f"{path} is not a MusicMatch library ({message})"


@dataclass(frozen=True)
class TrackRecord:
    """One row of the library."""

    path: str
    source: str
    size: int | None
    mtime_ns: int | None
    content_hash: str | None
    duration_s: float | None
    title: str
    artist: str
    album: str
    features: np.ndarray | None
    """Shape ``(10,)`` float64, or ``None`` when the file could not be analysed."""
    tempo_bpm: float | None
    key: str | None
    beats: np.ndarray
    energy: np.ndarray
    sections: list[float]
    error: str | None
    downbeats: np.ndarray | None = None
    """Bar starts, seconds, shape ``(n_bars,)``; ``None`` when analysed before timing data existed."""
    phrases: np.ndarray | None = None
    """Phrase boundaries, seconds, shape ``(n_phrases,)``; ``None`` like ``downbeats``."""
    edit_points: np.ndarray | None = None
    """Seamless jumps ``[from_s, to_s, similarity]``, shape ``(n, 3)``; ``None`` like ``downbeats``."""

    @property
    def has_timing(self) -> bool:
        """Whether the timing data (downbeats, phrases, edit points) was stored for this track."""
        return self.downbeats is not None and self.phrases is not None and self.edit_points is not None
    analysis_version: int | None = None
    """:data:`core.audio.analysis.ANALYSIS_VERSION` of the analysis that wrote the row (None: older)."""
    tempo_confidence: float | None = None
    """How sure ``tempo_bpm`` is, 0..1 (None for rows written before it was measured)."""
    silent: bool = False
    """The file is silent or near-silent: no key, no tempo, fixed features."""

    @property
    def name(self) -> str:
        """What lists show: ``Artist - Title`` when tagged, else the file name."""
        if self.title:
            return f"{self.artist} - {self.title}" if self.artist else self.title
        return Path(self.path).name or self.path


class LibraryDB:
    """An open library database.

    Parameters
    ----------
    path : path-like or ``":memory:"``
        The SQLite file.
    create : bool
        Create the file (and its folder) if missing; otherwise a missing file is an error.
    """

    def __init__(
        self, path: str | os.PathLike[str] = ":memory:", *, create: bool = True, readonly: bool = False
    ) -> None:
        self.path = str(path)
        self.readonly = readonly
        memory = self.path == ":memory:"
        if not memory and (readonly or not create) and not Path(self.path).is_file():
            if Path(self.path).is_dir():
                raise LibraryError(f"{self.path} is a folder; give the path of a library file")
            raise LibraryError(
                f"{self.path}: no such library; create one with `musicmatch library add FOLDER`"
            )
        if not memory and not readonly:
            folder = Path(self.path).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                reason = exc.strerror or exc
                raise LibraryError(f"cannot create the library folder {folder}: {reason}") from None
            if Path(self.path).is_dir():
                raise LibraryError(f"{self.path} is a folder; give the path of a library file")
        try:
            if readonly and not memory:
                # mode=ro: a command that only reads can never write into the file, whatever it is.
                self.conn = sqlite3.connect(f"{Path(self.path).resolve().as_uri()}?mode=ro", uri=True, timeout=30.0)
            else:
                self.conn = sqlite3.connect(self.path, timeout=30.0)
            self._check_schema()
            if not readonly:
                journal = "WAL" if not memory else "MEMORY"
                self.conn.execute(f"PRAGMA journal_mode={journal}")
                self.conn.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(AttributeError, sqlite3.Error):
                self.conn.close()
            raise LibraryError(_open_error(self.path, exc)) from None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> LibraryDB:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------

    def _check_schema(self) -> None:
        """Refuse another application's SQLite file before anything is written into it.

        A MusicMatch library is recognised by its tables, not by ``user_version`` (which
        any SQLite file may set): an empty file becomes a library; a file with tables
        must have ours.
        """
        tables = {
            name: {row[1] for row in self.conn.execute(f"PRAGMA table_info({name!r})")}
            for (name,) in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if not tables:
            return
        needed = {"path", "features", "feature_schema", "analysed_at"}
        if "tracks" not in tables or "folders" not in tables or not needed <= tables["tracks"]:
            shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
            raise LibraryError(
                f"{self.path} is not a MusicMatch library (an SQLite file with other tables: {shown}); "
                "give a library file, or a new path to create one"
            )

    def _migrate(self) -> None:
        version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        if version > DB_VERSION:
            raise LibraryError(
                f"{self.path} was written by a newer MusicMatch (library version {version}, "
                f"this one reads up to {DB_VERSION}); update MusicMatch to open it"
            )
        if version < DB_VERSION and self.readonly:
            # Reading an older library must not change it: upgrade a copy in memory instead.
            copy = sqlite3.connect(":memory:")
            self.conn.backup(copy)
            self.conn.close()
            self.conn = copy
        if version == DB_VERSION:
            return
        # Two processes may open a new or older library at once (two scans, two imports): take
        # the write lock first and read the version again under it, so only one migrates.
        # DDL is transactional in SQLite; the migrations run statement by statement (no
        # executescript, which would commit and drop the lock half way).
        isolation = self.conn.isolation_level
        self.conn.isolation_level = None
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
                while version < DB_VERSION:
                    _MIGRATIONS[version](self.conn)
                    version += 1
                self.conn.execute(f"PRAGMA user_version = {version}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        finally:
            self.conn.isolation_level = isolation

    @property
    def version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # -- writing ----------------------------------------------------------------

    def add_folder(self, folder: str) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT OR IGNORE INTO folders(path, added_at) VALUES (?, ?)", (folder, time.time())
            )

    def remove_folder(self, folder: str) -> int:
        """Forget a folder and the tracks under it (the files stay on disk); returns the tracks removed."""
        prefix = folder.rstrip("/\\")
        with self.conn:
            self.conn.execute("DELETE FROM folders WHERE path = ?", (folder,))
            paths = [row[0] for row in self.conn.execute("SELECT path FROM tracks")]
            inside = [p for p in paths if p.startswith(prefix + "/") or p.startswith(prefix + "\\")]
            self.conn.executemany("DELETE FROM tracks WHERE path = ?", [(p,) for p in inside])
        return len(inside)

    def folders(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT path FROM folders ORDER BY path")]

    def upsert(self, record: TrackRecord) -> None:
        """Insert or replace the row of ``record.path`` and commit."""
        self.upsert_many((record,))

    def upsert_many(self, records: Iterable[TrackRecord]) -> int:
        """Insert or replace many rows in one transaction; returns how many were given.

        One prepared statement and one commit instead of a commit per row: the single
        writer of a distributed scan stores a batch per commit and ``import-csv`` of a
        million rows takes seconds instead of minutes. Nothing is stored if any row fails.
        """
        count = 0
        now = time.time()

        def rows() -> Iterator[tuple]:
            nonlocal count
            for record in records:
                count += 1
                yield _row(record, now)

        with self.conn:
            self.conn.executemany(_UPSERT_SQL, rows())
        return count

    def store_vectors(self, paths: Sequence[str], features: np.ndarray, *, source: str = "csv") -> int:
        """Insert or replace rows that hold only a music vector (no audio), all in one transaction.

        The columnar twin of :meth:`upsert_many` for ``import-csv``: each row is what
        ``upsert_many`` stores for a :class:`TrackRecord` with this path, source and
        features and nothing else, but no record is built per row; the vectors go in as
        slices of one byte buffer, and SQLite keeps a larger page cache while it runs.
        Nothing is stored if any row fails. (``synchronous=OFF`` during the import was
        measured too: no gain in WAL mode, where a commit does not sync anyway.)

        Parameters
        ----------
        paths : sequence of str, length n
            Row keys (unique: a repeated key would be stored once, the last one winning).
        features : ndarray, shape (n, 10)
            Music vectors in SPEC order.
        source : str
            The ``source`` column (``"csv"``).

        Returns
        -------
        int
            Rows given.
        """
        matrix = np.ascontiguousarray(features, dtype=_VECTOR_DTYPE)
        if matrix.ndim != 2 or matrix.shape != (len(paths), len(MUSIC)):
            raise LibraryError(f"cannot store {matrix.shape} vectors for {len(paths)} tracks")
        width = matrix.shape[1] * matrix.itemsize
        # One bytes object per row, cut from the array by numpy (no Python loop over floats).
        blobs = matrix.view(np.dtype((np.void, width))).ravel().tolist() if len(paths) else []
        now = time.time()
        rows = zip(paths, itertools.repeat(source), blobs, itertools.repeat(now))
        with self._bulk_write():
            self.conn.executemany(_STORE_VECTOR_SQL, rows)
        return len(paths)

    @contextlib.contextmanager
    def _bulk_write(self) -> Iterator[None]:
        """One transaction with a 256 MiB page cache (the path index of a million rows fits); restored after."""
        if self.readonly:
            raise LibraryError(f"{self.path} was opened read-only")
        cache = int(self.conn.execute("PRAGMA cache_size").fetchone()[0])
        self.conn.execute("PRAGMA cache_size = -262144")
        try:
            with self.conn:
                yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {cache}")

    def remove(self, paths: Sequence[str]) -> int:
        with self.conn:
            cursor = self.conn.executemany("DELETE FROM tracks WHERE path = ?", [(p,) for p in paths])
        return cursor.rowcount if cursor.rowcount >= 0 else len(paths)

    # -- reading ----------------------------------------------------------------

    def file_states(self) -> dict[str, tuple[int | None, int | None, bool]]:
        """``{path: (size, mtime_ns, has_error)}`` of every scanned row, for fast rescans.

        A row analysed before the timing data existed reports no size, so a rescan sees it
        as changed and analyses it again.
        """
        return {
            path: (size if error is not None or timed else None, mtime, error is not None)
            for path, size, mtime, error, timed in self.conn.execute(
                "SELECT path, size, mtime_ns, error, edit_points IS NOT NULL FROM tracks WHERE source = 'scan'"
            )
        }

    def record(self, path: str) -> TrackRecord | None:
        """The row of ``path`` (as stored), or ``None``."""
        cursor = self.conn.execute("SELECT * FROM tracks WHERE path = ?", (str(path),))
        row = cursor.fetchone()
        if row is None:
            return None
        return self._record(dict(zip([c[0] for c in cursor.description], row, strict=True)))

    def stale(self, analysis_version: int) -> set[str]:
        """Paths of scanned rows analysed by another analysis version (or before versions were kept).

        Rows that failed to decode are included: a newer analysis may read them.
        """
        rows = self.conn.execute(
            "SELECT path FROM tracks WHERE source = 'scan' AND (analysis_version IS NULL OR analysis_version != ?)",
            (int(analysis_version),),
        )
        return {row[0] for row in rows}

    def records(self, *, with_errors: bool = False) -> Iterator[TrackRecord]:
        """Rows in insertion order: analysed tracks, or with ``with_errors`` also the failed ones."""
        query = "SELECT * FROM tracks" + ("" if with_errors else " WHERE error IS NULL") + " ORDER BY id"
        cursor = self.conn.execute(query)
        names = [column[0] for column in cursor.description]
        for row in cursor:
            yield self._record(dict(zip(names, row, strict=True)))

    def errors(self) -> list[tuple[str, str]]:
        """``(path, reason)`` of every file that could not be analysed."""
        return list(self.conn.execute("SELECT path, error FROM tracks WHERE error IS NOT NULL ORDER BY path"))

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM tracks WHERE error IS NULL").fetchone()[0])

    def find_by_hash(self, content_hash: str) -> list[str]:
        """Paths of rows with this content hash (relinking moved files)."""
        rows = self.conn.execute("SELECT path FROM tracks WHERE content_hash = ?", (content_hash,))
        return [r[0] for r in rows]

    def analysed_files(self) -> list[tuple[str, int | None, str]]:
        """``(path, size, content_hash)`` of every analysed row with a hash: a file found under a
        new path or with a new modification time but the same bytes can take over its analysis."""
        return list(self.conn.execute(
            "SELECT path, size, content_hash FROM tracks WHERE error IS NULL AND features IS NOT NULL "
            "AND content_hash IS NOT NULL ORDER BY id"
        ))

    def track_index(self) -> tuple[TrackIndex, list[TrackRecord]]:
        """A :class:`~core.match.TrackIndex` over every analysed track, and the records in its row order."""
        records = [r for r in self.records() if r.features is not None]
        features = np.array([r.features for r in records]).reshape(-1, len(MUSIC))
        return TrackIndex(features, [r.name for r in records]), records

    def _record(self, row: dict) -> TrackRecord:
        features = None
        if row["features"] is not None:
            if row["feature_schema"] != SCHEMA_VERSION:
                raise LibraryError(
                    f"{self.path}: {row['path']} was analysed under feature schema {row['feature_schema']}, "
                    f"this MusicMatch uses {SCHEMA_VERSION}; rescan the library"
                )
            features = _vector(row["features"])
        return TrackRecord(
            path=row["path"],
            source=row["source"],
            size=row["size"],
            mtime_ns=row["mtime_ns"],
            content_hash=row["content_hash"],
            duration_s=row["duration_s"],
            title=row["title"],
            artist=row["artist"],
            album=row["album"],
            features=features,
            tempo_bpm=row["tempo_bpm"],
            key=row["musical_key"],
            beats=np.frombuffer(row["beats"] or b"", dtype=np.float32).astype(np.float64),
            energy=np.frombuffer(row["energy"] or b"", dtype=np.float32).astype(np.float64),
            sections=json.loads(row["sections"] or "[]"),
            error=row["error"],
            downbeats=_array(row["downbeats"]),
            phrases=_array(row["phrases"]),
            edit_points=None if row["edit_points"] is None else _array(row["edit_points"]).reshape(-1, 3),
            analysis_version=row.get("analysis_version"),
            tempo_confidence=row.get("tempo_confidence"),
            silent=bool(row.get("silent") or 0),
        )



_COLUMNS = (
    "path", "source", "size", "mtime_ns", "content_hash", "duration_s", "title", "artist", "album", "features",
    "feature_schema", "tempo_bpm", "musical_key", "beats", "energy", "sections", "error", "analysed_at",
    "downbeats", "phrases", "edit_points", "analysis_version", "tempo_confidence", "silent",
)
_UPSERT_SQL = (
    f"INSERT INTO tracks({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))}) "
    "ON CONFLICT(path) DO UPDATE SET " + ", ".join(f"{c}=excluded.{c}" for c in _COLUMNS[1:])
)
_EMPTY = np.zeros(0, dtype=np.float32).tobytes()
_VECTOR_ONLY = {
    "source": "?", "features": "?", "feature_schema": str(int(SCHEMA_VERSION)), "beats": "X''", "energy": "X''",
    "sections": "'[]'", "title": "''", "artist": "''", "album": "''", "analysed_at": "?", "silent": "0",
}
"""The values of a row that holds only a music vector (the rest NULL): what :func:`_row` gives for a
:class:`TrackRecord` with a path, a source and features and nothing else."""
_STORE_VECTOR_SQL = (
    f"INSERT INTO tracks({', '.join(_COLUMNS)}) VALUES "
    f"(?, {', '.join(_VECTOR_ONLY.get(c, 'NULL') for c in _COLUMNS[1:])}) "
    "ON CONFLICT(path) DO UPDATE SET " + ", ".join(f"{c}=excluded.{c}" for c in _COLUMNS[1:])
)


def _row(record: TrackRecord, now: float) -> tuple:
    """The values of :data:`_COLUMNS` for ``record``, written at time ``now``."""
    features = None if record.features is None else _vector_blob(record.features)
    return (
        record.path, record.source, record.size, record.mtime_ns, record.content_hash,
        record.duration_s, record.title, record.artist, record.album, features,
        SCHEMA_VERSION if features is not None else None, record.tempo_bpm, record.key,
        np.asarray(record.beats, dtype=np.float32).tobytes() if len(record.beats) else _EMPTY,
        np.asarray(record.energy, dtype=np.float32).tobytes() if len(record.energy) else _EMPTY,
        json.dumps([float(s) for s in record.sections]), record.error, now,
        _blob(record.downbeats), _blob(record.phrases), _blob(record.edit_points),
        record.analysis_version, record.tempo_confidence, int(bool(record.silent)),
    )


_VECTOR_DTYPE = np.dtype("<f8")
"""How a music vector is stored: float64, little-endian whatever the machine, so a library file
moves between computers."""


def _vector_blob(values) -> bytes:
    """The stored bytes of one music vector (shape ``(10,)``): 80 bytes."""
    return np.asarray(values, dtype=_VECTOR_DTYPE).tobytes()


def _vector(stored: bytes | str) -> np.ndarray:
    """A stored music vector as float64, shape ``(10,)``: bytes, or JSON text (a row that a test
    or an older copy of this module wrote at the current version)."""
    if isinstance(stored, str):
        return np.array(json.loads(stored), dtype=np.float64)
    return np.frombuffer(stored, dtype=_VECTOR_DTYPE).astype(np.float64)


def _blob(values: np.ndarray | None) -> bytes | None:
    """Timing arrays are stored as float64 bytes (float32 would move a beat by up to 4 us at 10 min)."""
    return None if values is None else np.asarray(values, dtype=np.float64).tobytes()


def _array(blob: bytes | None) -> np.ndarray | None:
    return None if blob is None else np.frombuffer(blob, dtype=np.float64).copy()
