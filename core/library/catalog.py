"""Moving tracks between the library database and the seed's CSV format."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from core.library.csv_format import read_library_csv, write_library_csv
from core.library.db import LibraryDB

__all__ = ["csv_keys", "export_csv", "import_csv"]


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
    # One transaction for the whole file: all rows or none (a bad row was refused before any was written).
    db.store_vectors(csv_keys(library.names, Path(path).name, named=library.name_column is not None),
                     library.features, source="csv")
    return len(library)


def csv_keys(names: Sequence[str], source: str, *, named: bool) -> list[str]:
    """The library key of each CSV row: its name, or ``csv:SOURCE#ROW`` for a row without one.

    A rowless name is the row index the reader put there (``names[row] == str(row)``); a name
    already taken by an earlier row gets ``#ROW`` added, so every row is kept.
    """
    if named:
        keys = [f"csv:{source}#{row}" if name == str(row) else name for row, name in enumerate(names)]
    else:
        keys = [f"csv:{source}#{row}" for row in range(len(names))]
    if len(set(keys)) == len(keys):
        return keys
    seen: set[str] = set()
    for row, key in enumerate(keys):
        if key in seen:
            keys[row] = key = f"{key}#{row}"
        seen.add(key)
    return keys


def export_csv(db: LibraryDB, path: str | os.PathLike[str], *, bom: bool = False) -> int:
    """Write every analysed track to a library CSV in the seed's format (name = file path)."""
    records = [r for r in db.records() if r.features is not None]
    features = np.array([r.features for r in records]).reshape(-1, 10)
    write_library_csv(path, features, [r.path for r in records], header="seed", bom=bom)
    return len(records)
