"""The editor's music library: the seed's CSV format and (later) the SQLite catalogue."""

from __future__ import annotations

from core.library.csv_format import CsvLibrary, read_library_csv, write_library_csv

__all__ = ["CsvLibrary", "read_library_csv", "write_library_csv"]
