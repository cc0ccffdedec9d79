"""Open a library from either of its forms, a customer's feature CSV or a scanned database.

The command line (``match``/``recommend`` with ``--audio-csv`` or ``--db``) and the window
(File > Open Library) both call :func:`open_library`, so a library one face opens the
other opens too, with the same rows in the same order.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from core.errors import InputError
from core.features import MUSIC
from core.library.csv_format import read_library_csv
from core.library.db import TrackRecord
from core.library.parquet_catalogue import open_database
from core.match import TrackIndex

__all__ = ["CSV_SUFFIXES", "LibraryEntry", "LibrarySource", "entry_of_name", "entry_of_record", "open_library"]

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
"""A library file with one of these endings is read as a feature table; anything else as a database."""


@dataclass(frozen=True)
class LibraryEntry:
    """What a list shows and plays of one library row."""

    path: str
    """The audio file (a CSV name taken as a path, relative ones to the CSV's folder)."""
    title: str
    artist: str
    duration_s: float
    tempo_bpm: float
    content_hash: str


@dataclass(frozen=True)
class LibrarySource:
    """An opened library: its index and, on demand, one entry per row in index order."""

    path: str
    """The file opened."""
    kind: str
    """``"csv"`` or ``"db"``."""
    index: TrackIndex
    records: tuple[TrackRecord, ...] | None
    """A database's track records in index order; None for a CSV."""

    def __len__(self) -> int:
        return len(self.index)

    @cached_property
    def entries(self) -> tuple[LibraryEntry, ...]:
        """What a list shows and plays of each row; built on first use (the command line ranks a
        million-row CSV without them: building them costs more than reading the file)."""
        if self.records is not None:
            return tuple(_db_entry(r) for r in self.records)
        folder = Path(self.path).parent
        return tuple(_csv_entry(name, folder) for name in self.index.names)


def _csv_entry(name: str, folder: Path) -> LibraryEntry:
    path = Path(name)
    if not path.is_absolute():
        path = folder / path
    return LibraryEntry(path=str(path), title=path.stem or name, artist="", duration_s=0.0, tempo_bpm=0.0,
                        content_hash="")


def _db_entry(record: TrackRecord) -> LibraryEntry:
    return LibraryEntry(path=record.path, title=record.title or Path(record.path).stem, artist=record.artist,
                        duration_s=float(record.duration_s or 0.0), tempo_bpm=float(record.tempo_bpm or 0.0),
                        content_hash=record.content_hash or "")


def open_library(path: str | os.PathLike[str], *, kind: str | None = None, allow_empty: bool = False) -> LibrarySource:
    """Read the library at ``path``: a feature CSV or a library database.

    Parameters
    ----------
    kind : {"csv", "db"}, optional
        The form; by default told from the ending (:data:`CSV_SUFFIXES`: a CSV).
    allow_empty : bool
        Accept a library without analysed tracks (a database whose scan found nothing yet).

    Raises :class:`~core.errors.InputError` for an empty library unless ``allow_empty``;
    the readers' own errors say what is wrong with a missing or damaged file.
    """
    file = Path(path)
    if kind is None:
        kind = "csv" if file.suffix.lower() in CSV_SUFFIXES else "db"
    if kind == "csv":
        table = read_library_csv(file)
        index = TrackIndex(table.features, table.names, space=MUSIC)
        source = LibrarySource(str(file), "csv", index, None)
    else:
        # Read-only, and a .parquet catalogue (``library export-catalogue``) opens as a library too.
        with open_database(file, create=False, readonly=True) as db:
            index, records = db.track_index()
        source = LibrarySource(str(file), "db", index, tuple(records))
    if len(source) == 0 and not allow_empty:
        raise InputError("the library has no tracks")
    return source


def entry_of_record(record: TrackRecord) -> LibraryEntry:
    """The :class:`LibraryEntry` of one database row (what :attr:`LibrarySource.entries` holds)."""
    return _db_entry(record)


def entry_of_name(name: str, folder: str | os.PathLike[str]) -> LibraryEntry:
    """The :class:`LibraryEntry` of a feature-CSV row named ``name``, relative names taken from ``folder``."""
    return _csv_entry(name, Path(folder))
