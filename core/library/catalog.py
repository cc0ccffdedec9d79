"""Moving tracks between the library database and the seed's CSV format."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from core.library.csv_format import read_library_csv, write_library_csv
from core.library.db import LibraryDB, TrackRecord

__all__ = ["export_csv", "import_csv"]


def import_csv(db: LibraryDB, path: str | os.PathLike[str]) -> int:
    """Add every row of a library CSV as a track with known features and no audio.

    The row's name becomes the track's path (it usually is one); rows without a name
    are keyed ``csv:FILE#ROW``. Importing the same file again updates those rows.

    Returns
    -------
    int
        Rows imported.
    """
    library = read_library_csv(path)
    source = Path(path).name
    named = library.name_column is not None
    no_beats = np.zeros(0)

    def records() -> Iterator[TrackRecord]:
        keys: set[str] = set()
        for row, (name, features) in enumerate(zip(library.names, library.features, strict=True)):
            key = name if named and name != str(row) else f"csv:{source}#{row}"
            if key in keys:
                key = f"{key}#{row}"
            keys.add(key)
            yield TrackRecord(
                path=key, source="csv", size=None, mtime_ns=None, content_hash=None, duration_s=None,
                title="", artist="", album="", features=features, tempo_bpm=None, key=None, beats=no_beats,
                energy=no_beats, sections=[], error=None,
            )

    # One transaction for the whole file: all rows or none (a bad row was refused before any was written).
    db.upsert_many(records())
    return len(library)


def export_csv(db: LibraryDB, path: str | os.PathLike[str], *, bom: bool = False) -> int:
    """Write every analysed track to a library CSV in the seed's format (name = file path)."""
    records = [r for r in db.records() if r.features is not None]
    features = np.array([r.features for r in records]).reshape(-1, 10)
    write_library_csv(path, features, [r.path for r in records], header="seed", bom=bom)
    return len(records)
