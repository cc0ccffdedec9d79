"""Vectors stored as bytes (library version 4), the columnar CSV import and its keys."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest

from core.errors import LibraryError
from core.features import MUSIC, SCHEMA_VERSION
from core.library import db as db_module
from core.library.catalog import csv_keys, import_csv
from core.library.csv_format import write_library_csv
from core.library.db import DB_VERSION, LibraryDB, TrackRecord

# Vectors whose decimal text is long and awkward: a JSON round trip that lost a bit would show.
_AWKWARD = np.array([
    [0.1, 1 / 3, -2 / 7, 1e-300, 5e-324, -0.0, 123456.789012345, np.pi, np.e, 2.0 ** 39 + 0.5],
    [np.nextafter(1.0, 2.0), -1e12, 1e12, 0.3, 7 / 9, -np.sqrt(2), 1e-7, 99.99999999999999, 42.0, -13.5],
])


def _version_3_library(path, vectors):
    """A library as version 3 wrote it: features as ``json.dumps`` text, a full hash index."""
    conn = sqlite3.connect(path)
    for migrate in db_module._MIGRATIONS[:3]:
        migrate(conn)
    conn.execute("PRAGMA user_version = 3")
    for i, vector in enumerate(vectors):
        conn.execute(
            "INSERT INTO tracks(path, source, content_hash, features, feature_schema, analysed_at) "
            "VALUES (?, 'scan', ?, ?, ?, 0)",
            (f"/m/{i}.wav", f"h{i}", json.dumps([float(v) for v in vector]), SCHEMA_VERSION),
        )
    conn.execute("INSERT INTO tracks(path, source, error, analysed_at) VALUES ('/m/bad.wav', 'scan', 'broken', 0)")
    conn.commit()
    conn.close()


def test_a_version_3_library_upgrades_with_every_vector_bit_for_bit(tmp_path):
    path = tmp_path / "old.sqlite"
    _version_3_library(path, _AWKWARD)
    with LibraryDB(path) as db:
        assert db.version == DB_VERSION == 4
        kinds = {row[0] for row in db.conn.execute("SELECT typeof(features) FROM tracks")}
        assert kinds == {"blob", "null"}
        stored = np.array([r.features for r in db.records()])
        assert stored.tobytes() == _AWKWARD.astype(np.float64).tobytes()
        assert db.find_by_hash("h1") == ["/m/1.wav"]
        index_sql = db.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'tracks_hash'").fetchone()[0]
        assert "WHERE content_hash IS NOT NULL" in index_sql
        plan = " ".join(str(row) for row in db.conn.execute(
            "EXPLAIN QUERY PLAN SELECT path FROM tracks WHERE content_hash = ?", ("h1",)))
        assert "tracks_hash" in plan


def test_reading_an_old_library_read_only_leaves_its_file_alone(tmp_path):
    path = tmp_path / "old.sqlite"
    _version_3_library(path, _AWKWARD)
    before = path.read_bytes()
    with LibraryDB(path, readonly=True) as db:
        assert np.array([r.features for r in db.records()]).tobytes() == _AWKWARD.tobytes()
    assert path.read_bytes() == before


def _plain(path, features, source="csv"):
    return TrackRecord(path=path, source=source, size=None, mtime_ns=None, content_hash=None, duration_s=None,
                       title="", artist="", album="", features=features, tempo_bpm=None, key=None,
                       beats=np.zeros(0), energy=np.zeros(0), sections=[], error=None)


def test_store_vectors_writes_the_rows_upsert_many_writes(tmp_path, rng):
    features = rng.normal(0, 30, (50, len(MUSIC)))
    keys = [f"/m/{i}.mp3" for i in range(50)]
    columns = [c for c in db_module._COLUMNS if c != "analysed_at"]
    with LibraryDB(tmp_path / "a.sqlite") as by_records, LibraryDB(tmp_path / "b.sqlite") as by_columns:
        # A scanned row under one of the keys first: both ways must replace all of it.
        scanned = TrackRecord(path=keys[3], source="scan", size=9, mtime_ns=9, content_hash="h", duration_s=3.0,
                              title="t", artist="a", album="b", features=np.ones(len(MUSIC)), tempo_bpm=120.0,
                              key="C major", beats=np.arange(3.0), energy=np.arange(2.0), sections=[1.0],
                              error=None, downbeats=np.arange(2.0), phrases=np.arange(1.0),
                              edit_points=np.zeros((1, 3)), analysis_version=7, tempo_confidence=0.9, silent=True)
        for db in (by_records, by_columns):
            db.upsert(scanned)
        by_records.upsert_many(_plain(k, f) for k, f in zip(keys, features, strict=True))
        assert by_columns.store_vectors(keys, features) == 50
        query = f"SELECT {', '.join(columns)} FROM tracks ORDER BY id"
        assert by_records.conn.execute(query).fetchall() == by_columns.conn.execute(query).fetchall()
        assert by_columns.count() == 50
        stored = {r.path: r.features for r in by_columns.records()}
        np.testing.assert_array_equal(np.array([stored[k] for k in keys]), features)
        # The page cache setting is back to what it was.
        assert by_columns.conn.execute("PRAGMA cache_size").fetchone()[0] == \
            by_records.conn.execute("PRAGMA cache_size").fetchone()[0]


def test_store_vectors_stores_nothing_when_a_row_fails(tmp_path):
    with LibraryDB(tmp_path / "lib.sqlite") as db:
        with pytest.raises(LibraryError, match="cannot store"):
            db.store_vectors(["/m/a"], np.zeros((2, len(MUSIC))))
        with pytest.raises(sqlite3.Error):
            db.store_vectors(["/m/a", None], np.zeros((2, len(MUSIC))))  # path may not be NULL
        assert db.count() == 0


def test_csv_keys_name_every_row_once():
    names = ["a", "1", "a", "3", "a#2", "5"]
    assert csv_keys(names, "t.csv", named=True) == ["a", "csv:t.csv#1", "a#2", "csv:t.csv#3", "a#2#4", "csv:t.csv#5"]
    assert csv_keys(["0", "1"], "t.csv", named=False) == ["csv:t.csv#0", "csv:t.csv#1"]


def test_import_csv_of_awkward_names_and_values_keeps_them_exactly(tmp_path):
    names = ["=HYPERLINK(1)", "'quoted", "/music/a.wav", "/music/a.wav", "+1", "-x", "@me", "plain", "", "\u4e50"]
    features = np.resize(_AWKWARD, (len(names), len(MUSIC)))
    features[:, 0] += np.arange(len(names))
    table = write_library_csv(tmp_path / "lib.csv", features, names)
    with LibraryDB(tmp_path / "lib.sqlite") as db:
        assert import_csv(db, table) == len(names)
        rows = {r.path: r.features for r in db.records()}
    expected = csv_keys([n or str(i) for i, n in enumerate(names)], "lib.csv", named=True)
    assert list(rows) == expected
    assert np.array(list(rows.values())).tobytes() == features.tobytes()
