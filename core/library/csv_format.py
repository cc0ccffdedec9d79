"""Read and write ``audio_features.csv``, the customer's library format (SPEC.md §5).

A file holds one track per row: an optional name/path/id column plus the 10 music
features. Accepted dialects, because editors' files come from many tools:

* encoding UTF-8 with or without BOM; GB18030 (Excel's default on Chinese Windows) as a
  fallback when the bytes are not UTF-8;
* delimiter comma, semicolon or tab, chosen as the one that splits the first rows into
  a consistent number of at least 10 fields; with semicolon or tab, a decimal comma
  (``-5,52``) is accepted;
* Windows or Unix line ends, quoted fields (names with commas);
* a header with our ids (``richness``), the seed's names (``Richness``,
  ``brightness_score``, ``Melody Trend Score``, ``音乐唤醒度`` ...) or our labels, in any
  order, matched ignoring case, spaces, ``_`` and ``-``; or no header, in which case the
  last 10 columns are the features in SPEC order and the first column, if there are
  more, is the name.

Every problem is reported as :class:`~core.errors.LibraryError` naming the file, the
line and the column.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import LibraryError
from core.features import MUSIC, parse_number
from core.fileio import atomic_write_text, read_input

__all__ = ["CsvLibrary", "read_library_csv", "write_library_csv"]

_NAME_HEADERS = ("name", "path", "file", "filename", "filepath", "track", "title", "id", "trackid", "audio")
_SAMPLE_ROWS = 20


@dataclass(frozen=True)
class CsvLibrary:
    """A library read from a CSV file."""

    path: Path
    """The file read."""
    features: np.ndarray
    """Music vectors, shape ``(n_tracks, 10)``, float64, SPEC order."""
    names: tuple[str, ...]
    """One name per row: the name column's text, or the 0-based row index as text."""
    name_column: str | None
    """Header (or ``"column 1"`` when headerless) of the name column; ``None`` if absent."""
    header: str
    """``"ids"``, ``"seed"`` (the seed's names or our labels), ``"unnamed"`` (a header
    that names no feature: the last 10 columns are used) or ``"none"``."""
    delimiter: str
    """The field delimiter found."""

    def __len__(self) -> int:
        return int(self.features.shape[0])


def _key(text: str) -> str:
    return "".join(ch for ch in text.strip().lstrip("\ufeff").lower() if ch not in " _-\t")


def _header_lookup() -> dict[str, tuple[str, str]]:
    """Normalised header text -> (dimension id, kind of name)."""
    lookup: dict[str, tuple[str, str]] = {}
    for dim in MUSIC:
        lookup[_key(dim.id)] = (dim.id, "ids")
        for other in (dim.seed_name, dim.label_en, dim.label_zh):
            if other:
                lookup.setdefault(_key(other), (dim.id, "seed"))
    return lookup


_HEADERS = _header_lookup()


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise LibraryError(f"{path}: not a text file in UTF-8 or GB18030 encoding") from None


def _rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(line number, fields) of every row that is not blank."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for fields in reader:
            if any(field.strip() for field in fields):
                rows.append((reader.line_num, fields))
    except csv.Error as exc:
        raise LibraryError(f"line {reader.line_num}: {exc}") from None
    return rows


def _choose_delimiter(text: str) -> str:
    """The delimiter that splits the first rows consistently into >= 10 fields."""
    head = "\n".join(text.splitlines()[: _SAMPLE_ROWS + 5])
    for delimiter in (";", "\t", ","):
        if delimiter not in head:
            continue
        try:
            sample = _rows(head, delimiter)[:_SAMPLE_ROWS]
        except LibraryError:
            continue
        widths = {len(fields) for _, fields in sample}
        if len(widths) == 1 and widths.pop() >= len(MUSIC):
            return delimiter
    return ","


def read_library_csv(path: str | os.PathLike[str]) -> CsvLibrary:
    """Read a library CSV in any of the dialects above.

    Parameters
    ----------
    path : path-like
        The CSV file.

    Returns
    -------
    CsvLibrary

    Raises
    ------
    LibraryError
        Missing or unreadable file, no data rows, missing or duplicate feature
        columns, rows of the wrong width, empty, non-numeric or non-finite values.
    """
    file = Path(path)
    text = _decode(read_input(file, LibraryError, "CSV file"), file)
    delimiter = _choose_delimiter(text)
    try:
        rows = _rows(text, delimiter)
    except LibraryError as exc:
        raise LibraryError(f"{file}: {exc}") from None
    if not rows:
        raise LibraryError(f"{file}: the file is empty")
    decimal_comma = delimiter != ","
    first_line, first = rows[0]
    width = len(first)
    n_dims = len(MUSIC)

    def is_number(cell: str) -> bool:
        return parse_number(cell, decimal_comma=decimal_comma) is not None

    has_header = width < n_dims or not all(is_number(c) for c in first[-n_dims:])
    header_kind = "none"
    column_names = [f"column {i + 1}" for i in range(width)]
    if has_header:
        column_names = [c.strip().lstrip("\ufeff") or f"column {i + 1}" for i, c in enumerate(first)]
        found: dict[str, int] = {}
        kinds = set()
        for col, cell in enumerate(first):
            match = _HEADERS.get(_key(cell))
            if match is None:
                continue
            dim_id, kind = match
            if dim_id in found:
                raise LibraryError(
                    f"{file}: columns {column_names[found[dim_id]]!r} and {column_names[col]!r} "
                    f"both give {dim_id!r}"
                )
            found[dim_id] = col
            kinds.add(kind)
        if found and len(found) < n_dims:
            missing = [d for d in MUSIC.ids if d not in found]
            raise LibraryError(f"{file}: header lacks the music feature columns {', '.join(missing)}")
        if found:
            feature_cols = [found[d] for d in MUSIC.ids]
            header_kind = "ids" if kinds == {"ids"} else "seed"
        else:
            if width < n_dims:
                raise LibraryError(
                    f"{file}: line {first_line} has {width} columns; a library needs {n_dims} feature columns"
                )
            feature_cols = list(range(width - n_dims, width))
            header_kind = "unnamed"
        data_rows = rows[1:]
    else:
        feature_cols = list(range(width - n_dims, width))
        data_rows = rows

    others = [c for c in range(width) if c not in feature_cols]
    name_col: int | None = None
    if others:
        name_col = others[0]
        if has_header:
            for col in others:
                if _key(first[col]) in _NAME_HEADERS:
                    name_col = col
                    break

    if not data_rows:
        raise LibraryError(f"{file}: no tracks (only a header line)")
    features = np.empty((len(data_rows), n_dims), dtype=np.float64)
    names: list[str] = []
    for row_index, (line, fields) in enumerate(data_rows):
        if len(fields) != width:
            raise LibraryError(f"{file}: line {line} has {len(fields)} fields, expected {width}")
        for dim_index, col in enumerate(feature_cols):
            cell = fields[col]
            value = parse_number(cell, decimal_comma=decimal_comma)
            if value is None:
                what = "empty" if not cell.strip() else f"not a finite number: {cell.strip()!r}"
                raise LibraryError(f"{file}: line {line}, column {column_names[col]!r}: {what}")
            features[row_index, dim_index] = value
        name = fields[name_col].strip() if name_col is not None else ""
        names.append(name or str(row_index))
    return CsvLibrary(
        path=file,
        features=features,
        names=tuple(names),
        name_column=column_names[name_col] if name_col is not None else None,
        header=header_kind,
        delimiter=delimiter,
    )


def write_library_csv(
    path: str | os.PathLike[str],
    features: np.ndarray | Sequence[Sequence[float]],
    names: Sequence[str] | None = None,
    *,
    header: str = "seed",
    bom: bool = False,
) -> Path:
    """Write a library CSV that :func:`read_library_csv` and the seed's script both read.

    Parameters
    ----------
    path : path-like
        Destination; written atomically.
    features : array_like, shape (n_tracks, 10)
        Music vectors in SPEC order.
    names : sequence of str, optional
        Written as a first ``name`` column when given.
    header : {"seed", "ids"}
        Column names: the seed's (``Richness`` ... ``音乐效价``) or our ids.
    bom : bool
        Start with a UTF-8 byte order mark, which Excel needs to show Chinese headers.

    Returns
    -------
    Path
        The path written.
    """
    matrix = np.asarray(features, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] != len(MUSIC):
        raise LibraryError(f"cannot write {matrix.shape} as a library: need (n_tracks, {len(MUSIC)})")
    if not np.isfinite(matrix).all():
        raise LibraryError("cannot write a library with non-finite values")
    if header not in ("seed", "ids"):
        raise LibraryError(f"unknown header style {header!r}; use 'seed' or 'ids'")
    if names is not None and len(names) != len(matrix):
        raise LibraryError(f"{len(names)} names for {len(matrix)} rows")
    columns = [d.seed_name if header == "seed" and d.seed_name else d.id for d in MUSIC]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n" if os.name == "nt" else "\n")
    writer.writerow((["name"] if names is not None else []) + columns)
    for row_index, row in enumerate(matrix):
        cells = [repr(float(v)) for v in row]
        writer.writerow(([str(names[row_index])] if names is not None else []) + cells)
    return atomic_write_text(path, ("\ufeff" if bom else "") + buffer.getvalue())
