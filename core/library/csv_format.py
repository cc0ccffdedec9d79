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
from typing import Any

import numpy as np

from core.errors import LibraryError
from core.features import MUSIC, parse_number
from core.fileio import atomic_write_text, read_input, spreadsheet_safe, unquote_cell

__all__ = ["CsvLibrary", "read_library_csv", "write_library_csv"]

_NAME_HEADERS = ("name", "path", "file", "filename", "filepath", "track", "title", "id", "trackid", "audio")
_SAMPLE_ROWS = 20
_HEAD_BYTES = 1 << 16  # enough for the header and the rows that choose the delimiter
_LARGEST = 1e12
"""Largest magnitude a feature may have: the matcher refuses larger ones (``core.match``),
so the reader names the line and column of such a cell instead of a row index."""


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


@dataclass(frozen=True)
class _Layout:
    """Where the name and the features are in a file, found from its first rows."""

    delimiter: str
    decimal_comma: bool
    header_line: int | None
    """Line number of the header row, or ``None`` when the file has no header."""
    width: int
    feature_cols: list[int]
    name_col: int | None
    column_names: list[str]
    header_kind: str


def _layout(file: Path, first_line: int, first: list[str], delimiter: str) -> _Layout:
    """Read the columns' roles from the first non-blank row (a header, or the first track)."""
    decimal_comma = delimiter != ","
    width = len(first)
    n_dims = len(MUSIC)

    def is_number(cell: str) -> bool:
        return parse_number(cell, decimal_comma=decimal_comma) is not None

    has_header = width < n_dims or not all(is_number(c) for c in first[-n_dims:])
    header_kind = "none"
    column_names = [f"column {i + 1}" for i in range(width)]
    feature_cols = list(range(width - n_dims, width))
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
            header_kind = "unnamed"

    others = [c for c in range(width) if c not in feature_cols]
    name_col: int | None = None
    if others:
        name_col = others[0]
        if has_header:
            for col in others:
                if _key(first[col]) in _NAME_HEADERS:
                    name_col = col
                    break
    return _Layout(
        delimiter=delimiter, decimal_comma=decimal_comma, header_line=first_line if has_header else None,
        width=width, feature_cols=feature_cols, name_col=name_col, column_names=column_names,
        header_kind=header_kind,
    )


def _head_text(data: bytes) -> str:
    """The first complete lines of ``data`` (up to ~64 KiB), decoded as :func:`_decode` would."""
    head = data[:_HEAD_BYTES]
    if len(data) > _HEAD_BYTES and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError:
            continue
    return head.decode("utf-8-sig", errors="replace")


def _fast_parse(data: bytes, layout: _Layout) -> tuple[np.ndarray, list[str]] | None:
    """Features and names by a C parser, or ``None`` if the file needs the careful reader.

    Arrow's multi-threaded CSV reader first (when pyarrow is installed), else pandas' C
    parser. Only a file that the careful reader (:func:`_parse_rows`) would accept as it
    stands comes back from here: any row of another width, an empty, non-numeric or
    non-finite cell, a blank row of empty fields or bytes that are not UTF-8 make the
    parsers fail or leave a non-finite value, and then the careful reader runs and names
    the line and the column. For a million rows this is the difference between ~1-3 s and ~26 s.
    """
    for parse in (_arrow_parse, _pandas_parse):
        parsed = parse(data, layout)
        if parsed is not None:
            return parsed
    return None


def _clean(features: np.ndarray, raw_names: list[str] | None) -> tuple[np.ndarray, list[str]] | None:
    """The fast readers' common ending: refuse non-finite or implausible values, tidy the names."""
    if len(features) == 0 or not (np.abs(features) <= _LARGEST).all():  # also False for NaN
        return None
    if raw_names is None:
        return features, [str(row) for row in range(len(features))]
    names = [name.strip() for name in raw_names]
    if not all(names):
        names = [name or str(row) for row, name in enumerate(names)]
    return features, names


def _data_start(data: bytes, layout: _Layout) -> int | None:
    """Byte offset of the first line after the header (or after a BOM); ``None`` if unsure.

    The header's line number counts physical lines as :mod:`csv` does; a lone CR (an old
    Mac line end) before that point would make a newline count land elsewhere, so such a
    file is left to the other readers.
    """
    if layout.header_line is None:
        return 3 if data.startswith(b"\xef\xbb\xbf") else 0
    position = -1
    for _ in range(layout.header_line):
        position = data.find(b"\n", position + 1)
        if position < 0:
            return None
    head = data[:position]
    if head.count(b"\r") != head.count(b"\r\n") + head.endswith(b"\r"):
        return None
    return position + 1


def _arrow_parse(data: bytes, layout: _Layout) -> tuple[np.ndarray, list[str]] | None:
    """:func:`_fast_parse` by Arrow's CSV reader (all cores); ``None`` without pyarrow or for an unclean file.

    Arrow parses numbers with correct rounding, as :func:`float` does, so its vectors are
    bit for bit the careful reader's.
    """
    try:
        import pyarrow as pa
        import pyarrow.csv as pa_csv
    except ImportError:  # pyarrow comes with the cluster extra; pandas' parser is the fallback
        return None
    start = _data_start(data, layout)
    if start is None or start >= len(data):
        return None
    columns = [f"c{col}" for col in range(layout.width)]
    types = {columns[col]: pa.float64() for col in layout.feature_cols}
    if layout.name_col is not None:
        types[columns[layout.name_col]] = pa.string()
    parse_options = pa_csv.ParseOptions(
        delimiter=layout.delimiter, quote_char='"', double_quote=True, escape_char=False,
        # Quoted newlines need the slower single-threaded block split; files without quotes have none.
        newlines_in_values=b'"' in data, ignore_empty_lines=True,
    )
    buffer = pa.py_buffer(memoryview(data)[start:])
    # The system allocator, not Arrow's own pool, and the file taken batch by batch (4 MiB of
    # text each): only one batch is held as Arrow columns at a time, which keeps a million rows
    # within 4x the file's size (a whole Arrow table beside the vectors and names took ~4.8x).
    pool = pa.system_memory_pool()
    names_index = None if layout.name_col is None else len(layout.feature_cols)
    include = [columns[col] for col in layout.feature_cols]
    if layout.name_col is not None:
        include.append(columns[layout.name_col])
    for decimal in ((".", ",") if layout.decimal_comma else (".",)):
        # At most one row per line end: room for every row without a second pass (pages never
        # written are never resident).
        features = np.empty((data.count(b"\n", start) + 1, len(MUSIC)), dtype=np.float64)
        names: list[str] | None = None if names_index is None else []
        rows = 0
        try:
            reader = pa_csv.open_csv(
                buffer,
                read_options=pa_csv.ReadOptions(column_names=columns, use_threads=True, block_size=1 << 22),
                parse_options=parse_options,
                convert_options=pa_csv.ConvertOptions(
                    column_types=types, include_columns=include, null_values=[], strings_can_be_null=False,
                    quoted_strings_can_be_null=False, decimal_point=decimal, check_utf8=True,
                ),
                memory_pool=pool,
            )
            for batch in reader:
                count = batch.num_rows
                if rows + count > len(features):  # lone CR line ends: more rows than newlines
                    features = np.concatenate([features[:rows], np.empty((rows + count, len(MUSIC)))])
                for dim_index in range(len(MUSIC)):
                    features[rows:rows + count, dim_index] = batch.column(dim_index).to_numpy()
                if names is not None:
                    names.extend(batch.column(names_index).to_pylist())
                rows += count
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            continue
        return _clean(features[:rows], names)
    return None


def _pandas_parse(data: bytes, layout: _Layout) -> tuple[np.ndarray, list[str]] | None:
    """:func:`_fast_parse` by pandas' C parser; ``None`` for a file it does not take as it stands."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency; the careful reader still works
        return None
    columns = list(range(layout.width))
    dtypes: dict[int, Any] = {col: np.float64 for col in layout.feature_cols}
    if layout.name_col is not None:
        # Python objects, not ``str``: pandas 3 would make an Arrow string column and convert it back.
        dtypes[layout.name_col] = object
    decimals = (".", ",") if layout.decimal_comma else (".",)
    for decimal in decimals:
        try:
            frame = pd.read_csv(
                io.BytesIO(data), sep=layout.delimiter, header=None, names=columns,
                skiprows=layout.header_line or 0, usecols=sorted(dtypes), dtype=dtypes,
                na_filter=False, encoding="utf-8-sig", engine="c", quotechar='"', decimal=decimal,
                skip_blank_lines=True,
            )
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
            continue
        features = frame[layout.feature_cols].to_numpy(dtype=np.float64)
        names = None if layout.name_col is None else frame[layout.name_col].tolist()
        return _clean(features, names)
    return None


def _parse_rows(
    file: Path, data_rows: list[tuple[int, list[str]]], layout: _Layout
) -> tuple[np.ndarray, list[str]]:
    """Features and names, cell by cell, with an error naming the line and column of any bad cell."""
    features = np.empty((len(data_rows), len(MUSIC)), dtype=np.float64)
    names: list[str] = []
    for row_index, (line, fields) in enumerate(data_rows):
        if len(fields) != layout.width:
            raise LibraryError(f"{file}: line {line} has {len(fields)} fields, expected {layout.width}")
        for dim_index, col in enumerate(layout.feature_cols):
            cell = fields[col]
            value = parse_number(cell, decimal_comma=layout.decimal_comma)
            if value is None:
                what = "empty" if not cell.strip() else f"not a finite number: {cell.strip()!r}"
                raise LibraryError(f"{file}: line {line}, column {layout.column_names[col]!r}: {what}")
            if abs(value) > _LARGEST:
                raise LibraryError(f"{file}: line {line}, column {layout.column_names[col]!r}: "
                                   f"implausibly large: {cell.strip()!r}")
            features[row_index, dim_index] = value
        name = fields[layout.name_col].strip() if layout.name_col is not None else ""
        names.append(name or str(row_index))
    return features, names


def read_library_csv(path: str | os.PathLike[str]) -> CsvLibrary:
    """Read a library CSV in any of the dialects above.

    The columns' roles are read from the first rows; the rows are then parsed by pandas'
    C parser, and only when that parser meets something it does not take as it stands
    (a bad cell, a ragged row, GB18030 text) by the careful reader that reports the line
    and column of the first problem. Both give the same result for any file they both read.

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
        columns, rows of the wrong width, empty, non-numeric, non-finite or implausibly large values.
    """
    file = Path(path)
    data = read_input(file, LibraryError, "CSV file")
    head = _head_text(data)
    delimiter = _choose_delimiter(head)
    try:
        head_rows = _rows(head, delimiter)
    except LibraryError:
        head_rows = []
    parsed = None
    if head_rows:
        first_line, first = head_rows[0]
        layout = _layout(file, first_line, first, delimiter)
        parsed = _fast_parse(data, layout)
    if parsed is None:
        text = _decode(data, file)
        del data
        try:
            rows = _rows(text, delimiter)
        except LibraryError as exc:
            raise LibraryError(f"{file}: {exc}") from None
        if not rows:
            raise LibraryError(f"{file}: the file is empty")
        first_line, first = rows[0]
        layout = _layout(file, first_line, first, delimiter)
        data_rows = rows[1:] if layout.header_line is not None else rows
        if not data_rows:
            raise LibraryError(f"{file}: no tracks (only a header line)")
        parsed = _parse_rows(file, data_rows, layout)
    features, names = parsed
    return CsvLibrary(
        path=file,
        features=features,
        names=tuple(unquote_cell(name) if name[:1] == "'" else name for name in names),
        name_column=layout.column_names[layout.name_col] if layout.name_col is not None else None,
        header=layout.header_kind,
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
        writer.writerow(([spreadsheet_safe(str(names[row_index]))] if names is not None else []) + cells)
    return atomic_write_text(path, ("\ufeff" if bom else "") + buffer.getvalue())
