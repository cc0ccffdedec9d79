"""Hostile inputs met at their cause: foreign databases, unusable outputs, deep JSON, stale temporaries."""

from __future__ import annotations

import json
import math
import os
import sqlite3
import time

import numpy as np
import pytest

from core.cli.main import main
from core.errors import InputError, LibraryError, ProjectError
from core.features import MUSIC, MusicFeatures
from core.fileio import atomic_write_text, check_output_path, read_json_file, remove_stale_temporaries
from core.library.db import DB_VERSION, LibraryDB, TrackRecord
from core.project import load_project

TARGET = "-5.52,-3.58,1.2,0.5,2.0,63.1,48.2,76.18,55.0,-20.44"


def _foreign(path, *, user_version):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices(total) VALUES (12.5)")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()
    return path.read_bytes()


def _library(path, n=3):
    with LibraryDB(path) as db:
        for i in range(n):
            db.upsert(TrackRecord(
                path=f"/m/{i}.wav", source="scan", size=1, mtime_ns=1, content_hash=None, duration_s=60.0,
                title="", artist="", album="", features=np.full(len(MUSIC), float(i)), tempo_bpm=None,
                key=None, beats=[], energy=[], sections=[], error=None,
            ))


@pytest.mark.parametrize("user_version", [0, 1, DB_VERSION])
@pytest.mark.parametrize("command", [["match", "--pred-feat", TARGET], ["library", "list"],
                                     ["library", "add", "MUSIC"]])
def test_another_applications_sqlite_file_is_refused_and_left_unchanged(tmp_path, capsys, user_version, command):
    path = tmp_path / "other.sqlite"
    before = _foreign(path, user_version=user_version)
    (tmp_path / "MUSIC").mkdir()
    argv = [str(tmp_path / "MUSIC") if part == "MUSIC" else part for part in command]
    assert main([*argv, "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "is not a MusicMatch library" in err and "invoices" in err and err.count("\n") == 1
    assert path.read_bytes() == before


def test_read_only_commands_never_write_the_library(tmp_path, capsys):
    path = tmp_path / "lib.sqlite"
    _library(path)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    with LibraryDB(path, readonly=True) as db:
        assert db.count() == 3
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            db.add_folder("/x")
    assert main(["match", "--db", str(path), "--pred-feat", TARGET]) == 0
    assert main(["library", "export-csv", str(tmp_path / "out.csv"), "--db", str(path)]) == 0
    capsys.readouterr()
    # (SQLite's WAL readers may add -wal/-shm side files; the library itself is untouched.)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_an_older_library_is_read_through_an_upgraded_copy_in_memory(tmp_path, monkeypatch):
    import core.library.db as db_module

    path = tmp_path / "lib.sqlite"
    _library(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {DB_VERSION - 1}")
    ran = []
    monkeypatch.setattr(db_module, "_MIGRATIONS", [*db_module._MIGRATIONS[:-1], lambda conn: ran.append(1)])
    with LibraryDB(path, readonly=True) as db:
        assert db.count() == 3 and ran == [1]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == DB_VERSION - 1


def test_export_csv_onto_its_own_library_is_refused(tmp_path, capsys):
    path = tmp_path / "lib.db"
    _library(path)
    before = path.read_bytes()
    assert main(["library", "export-csv", str(path), "--db", str(path)]) == 2
    assert "input of this command" in capsys.readouterr().err
    assert path.read_bytes() == before


@pytest.mark.parametrize("kind", ["missing folder", "folder", "empty"])
def test_outputs_are_checked_before_work_starts(tmp_path, kind):
    path = {"missing folder": tmp_path / "nope" / "x.csv", "folder": tmp_path, "empty": ""}[kind]
    with pytest.raises(InputError) as caught:
        check_output_path(path)
    assert "\n" not in str(caught.value)


def test_export_into_a_missing_folder_names_it(tmp_path, capsys):
    path = tmp_path / "lib.db"
    _library(path)
    assert main(["library", "export-csv", str(tmp_path / "gone" / "out.csv"), "--db", str(path)]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_deep_or_huge_or_foreign_json_is_refused_in_one_line(tmp_path):
    deep = tmp_path / "deep.mmproj"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ProjectError, match="nested too deeply"):
        load_project(deep)
    huge = tmp_path / "huge.mmproj"
    with open(huge, "wb") as stream:
        stream.truncate(65 << 20)  # sparse: nothing is written, nothing must be read
    with pytest.raises(ProjectError, match="too large"):
        load_project(huge)
    latin = tmp_path / "side.json"
    latin.write_bytes(b'{"name": "caf\xe9"}')
    with pytest.raises(ProjectError, match="not UTF-8"):
        read_json_file(latin, ProjectError, "thing")


def test_a_killed_save_leaves_nothing_behind_after_the_next_one(tmp_path):
    target = tmp_path / "cut.mmproj"
    stale = tmp_path / ".cut.mmproj.abc123.tmp"
    fresh = tmp_path / ".cut.mmproj.def456.tmp"
    other = tmp_path / ".other.mmproj.zzz.tmp"
    for leftover in (stale, fresh, other):
        leftover.write_text("half")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    atomic_write_text(target, json.dumps({"a": 1}))
    assert not stale.exists() and fresh.exists() and other.exists()  # a write in progress is left alone
    assert remove_stale_temporaries(target) == []


def test_no_vector_can_hold_a_non_finite_value():
    with pytest.raises(InputError, match="'arousal' is not a finite number"):
        MusicFeatures(*([1.0] * 8 + [math.nan, 0.0]))
    with pytest.raises(InputError):
        MusicFeatures.from_dict({**dict.fromkeys(MUSIC.ids, 0.0), "valence": math.inf})


def test_a_full_disk_is_one_line_naming_the_file(tmp_path, capsys, monkeypatch):
    import core.library.catalog as catalog

    path = tmp_path / "lib.db"
    _library(path)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "out.csv"))

    monkeypatch.setattr(catalog, "write_library_csv", full)
    assert main(["library", "export-csv", str(tmp_path / "out.csv"), "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == f"musicmatch library export-csv: error: {tmp_path / 'out.csv'}: no space left on the disk\n"


def test_a_disk_error_while_opening_is_not_called_a_foreign_file(tmp_path, monkeypatch):
    import core.library.db as db_module

    path = tmp_path / "lib.db"
    _library(path)

    def broken(self):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(db_module.LibraryDB, "_check_schema", broken)
    with pytest.raises(LibraryError, match=r"cannot open the library .*disk I/O error") as caught:
        LibraryDB(path)
    assert "not a MusicMatch library" not in str(caught.value)


def test_upsert_many_stores_exactly_what_upsert_stores(tmp_path):
    rng = np.random.default_rng(7)
    records = [
        TrackRecord(path=f"/m/{i}.wav", source="scan" if i % 2 else "csv", size=i, mtime_ns=i * 10,
                    content_hash=None if i % 3 else f"h{i}", duration_s=30.0 + i, title=f"t{i}", artist="a",
                    album="", features=None if i == 4 else rng.normal(0, 30, len(MUSIC)),
                    tempo_bpm=None if i % 2 else 120.0, key=None, beats=rng.random(i), energy=rng.random(2 * i),
                    sections=[1.5 * j for j in range(i % 3)], error="broken" if i == 4 else None)
        for i in range(12)
    ]
    with LibraryDB(tmp_path / "one.sqlite") as one, LibraryDB(tmp_path / "many.sqlite") as many:
        for record in records:
            one.upsert(record)
        assert many.upsert_many(iter(records)) == len(records)
        columns = "path, source, size, mtime_ns, content_hash, duration_s, title, artist, album, features, " \
                  "feature_schema, tempo_bpm, musical_key, beats, energy, sections, error"
        rows = [db.conn.execute(f"SELECT {columns} FROM tracks ORDER BY id").fetchall() for db in (one, many)]
        assert rows[0] == rows[1]
        # Again: every row an update, nothing duplicated.
        assert many.upsert_many(records) == len(records) and many.count() == one.count() == 11


def test_upsert_many_stores_nothing_when_a_row_fails(tmp_path):
    def rows():
        yield TrackRecord(path="/m/a.wav", source="csv", size=None, mtime_ns=None, content_hash=None,
                          duration_s=None, title="", artist="", album="", features=np.zeros(len(MUSIC)),
                          tempo_bpm=None, key=None, beats=[], energy=[], sections=[], error=None)
        raise OSError("the disk went away")

    with LibraryDB(tmp_path / "lib.sqlite") as db:
        with pytest.raises(OSError):
            db.upsert_many(rows())
        assert db.count() == 0
