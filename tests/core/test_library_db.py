"""The library database, folder scans, CSV import/export and the `library` commands."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest

from core.audio.synth import LoopSpec, drum_chord_loop
from core.cli import main
from core.errors import Cancelled, LibraryError
from core.jobs import CancelToken
from core.library.catalog import export_csv, import_csv
from core.library.csv_format import read_library_csv, write_library_csv
from core.library.db import DB_VERSION, LibraryDB, TrackRecord
from core.library.scanner import content_hash, prune_missing, scan_folders
from tests.core.audio_files import write_audio


def record(path: str, features=None, error=None) -> TrackRecord:
    return TrackRecord(
        path=path, source="scan", size=1, mtime_ns=1, content_hash="abc", duration_s=3.0, title="T",
        artist="A", album="", features=None if features is None else np.asarray(features, float),
        tempo_bpm=120.0, key="C major", beats=[0.5, 1.0], energy=[-20.0, -21.0], sections=[], error=error,
    )


@pytest.fixture(scope="module")
def music_folder(tmp_path_factory):
    """Four short loops in four formats, one broken file and a non-audio file."""
    folder = tmp_path_factory.mktemp("music")
    (folder / "sub").mkdir()
    specs = [(".wav", 90, "major"), (".mp3", 120, "minor"), (".flac", 150, "major"), (".m4a", 70, "minor")]
    for i, (suffix, bpm, mode) in enumerate(specs):
        target = folder / ("sub" if i % 2 else "") / f"track{i}{suffix}"
        write_audio(target, drum_chord_loop(LoopSpec(seconds=8, tempo_bpm=bpm, mode=mode), seed=i), 22_050)
    (folder / "broken.mp3").write_bytes(b"ID3" + bytes(1000))
    (folder / "readme.txt").write_text("not music")
    (folder / ".hidden").mkdir()
    write_audio(folder / ".hidden" / "ignored.wav", np.zeros(22_050, np.float32), 22_050)
    return folder


def test_schema_is_created_and_migrated_and_round_trips():
    with LibraryDB(":memory:") as db:
        assert db.version == DB_VERSION
        db.upsert(record("/m/a.wav", features=np.arange(10)))
        db.upsert(record("/m/b.wav", error="cannot decode"))
        (track,) = db.records()
        assert track.path == "/m/a.wav" and track.name == "A - T"
        np.testing.assert_array_equal(track.features, np.arange(10))
        np.testing.assert_allclose(track.beats, [0.5, 1.0])
        assert db.errors() == [("/m/b.wav", "cannot decode")]
        assert db.count() == 1 and len(list(db.records(with_errors=True))) == 2
        db.upsert(record("/m/a.wav", features=np.ones(10)))  # same path: replaced, not duplicated
        assert db.count() == 1 and next(iter(db.records())).features[0] == 1.0
        index, records = db.track_index()
        assert len(index) == 1 and records[0].path == "/m/a.wav"
        assert db.find_by_hash("abc") == ["/m/a.wav", "/m/b.wav"]


def test_newer_database_is_refused_and_missing_one_is_not_created(tmp_path):
    path = tmp_path / "lib.sqlite"
    LibraryDB(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {DB_VERSION + 1}")
    conn.close()
    with pytest.raises(LibraryError, match=f"newer MusicMatch .*version {DB_VERSION + 1}"):
        LibraryDB(path)
    with pytest.raises(LibraryError, match="no such library"):
        LibraryDB(tmp_path / "absent.sqlite", create=False)
    assert not (tmp_path / "absent.sqlite").exists()
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(LibraryError, match="not a MusicMatch library"):
        LibraryDB(junk)


def test_scan_is_incremental_and_records_broken_files(music_folder, tmp_path):
    with LibraryDB(tmp_path / "lib.sqlite") as db:
        seen = []
        first = scan_folders(db, [music_folder], jobs=2, progress=lambda f, m: seen.append(f))
        assert first.found == 5 and first.analysed == 4 and first.unchanged == 0
        assert [Path(p).name for p, _ in first.skipped] == ["broken.mp3"]
        assert first.skipped[0][1]  # a reason is recorded
        assert seen[-1] == 1.0
        tempi = sorted(round(r.tempo_bpm) for r in db.records())
        assert tempi == [70, 90, 120, 150]
        assert all(r.content_hash == content_hash(r.path) for r in db.records())

        second = scan_folders(db, [music_folder], jobs=1)
        assert second.analysed == 0 and second.unchanged == 4 and len(second.skipped) == 1

        changed = music_folder / "track0.wav"
        write_audio(changed, drum_chord_loop(LoopSpec(seconds=8, tempo_bpm=100), seed=9), 22_050)
        os.utime(changed, ns=(1, 1_700_000_000_000_000_000))
        third = scan_folders(db, [music_folder], jobs=1)
        assert third.analysed == 1 and third.unchanged == 3
        assert round(next(r for r in db.records() if r.path == str(changed)).tempo_bpm) == 100


def test_vanished_files_are_removed_but_a_missing_folder_is_an_error(music_folder, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    for source in (music_folder / "track0.wav", music_folder / "track2.flac"):
        (copy / source.name).write_bytes(source.read_bytes())
    with LibraryDB(tmp_path / "lib.sqlite") as db:
        assert scan_folders(db, [copy], jobs=1).analysed == 2
        (copy / "track2.flac").unlink()
        assert scan_folders(db, [copy], jobs=1).removed == 1
        assert db.count() == 1
        with pytest.raises(LibraryError, match="no such folder"):
            scan_folders(db, [tmp_path / "unplugged-drive"])
        assert db.count() == 1  # nothing removed for a folder that is not there
        (copy / "track0.wav").unlink()
        assert [Path(p).name for p in prune_missing(db)] == ["track0.wav"]
        assert db.count() == 0


def test_cancel_keeps_what_was_analysed(music_folder, tmp_path):
    token = CancelToken()

    def progress(fraction, message):
        if fraction >= 2 / 5:
            token.cancel()  # the user presses Cancel after the second file

    with LibraryDB(tmp_path / "lib.sqlite") as db:
        with pytest.raises(Cancelled):
            scan_folders(db, [music_folder], jobs=1, progress=progress, cancel=token)
        # Files are taken in path order: broken.mp3 (recorded as skipped), then sub/track1.mp3.
        assert [Path(r.path).name for r in db.records(with_errors=True)] == ["broken.mp3", "track1.mp3"]
        resumed = scan_folders(db, [music_folder], jobs=1)
        assert (resumed.analysed, resumed.unchanged, len(resumed.skipped)) == (3, 1, 1)
        assert db.count() == 4


def test_a_killed_scan_resumes(music_folder, tmp_path):
    """Kill -9 a scanning process after two files; the next scan analyses only the rest."""
    import subprocess
    import sys

    db_path = tmp_path / "lib.sqlite"
    code = (
        "import sys, os\n"
        "from core.library.db import LibraryDB\n"
        "from core.library.scanner import scan_folders\n"
        "db = LibraryDB(sys.argv[1])\n"
        "def progress(f, m):\n"
        "    if f >= 0.4: print('stored', flush=True); os.kill(os.getpid(), 9)\n"
        "scan_folders(db, [sys.argv[2]], jobs=1, progress=progress)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(db_path), str(music_folder)],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2])
    assert done.returncode == -9 and "stored" in done.stdout
    with LibraryDB(db_path) as db:
        assert len(list(db.records(with_errors=True))) == 2
        resumed = scan_folders(db, [music_folder], jobs=1)
        assert (resumed.analysed, resumed.unchanged, len(resumed.skipped)) == (3, 1, 1)
        assert db.count() == 4


def test_csv_import_and_export_round_trip(tmp_path, rng):
    features = rng.normal(size=(5, 10)) * 10
    source = write_library_csv(tmp_path / "seed.csv", features, [f"/music/{i}.mp3" for i in range(5)])
    with LibraryDB(":memory:") as db:
        assert import_csv(db, source) == 5
        assert import_csv(db, source) == 5  # again: updated, not duplicated
        assert db.count() == 5
        assert export_csv(db, tmp_path / "out.csv") == 5
    back = read_library_csv(tmp_path / "out.csv")
    np.testing.assert_array_equal(back.features, features)
    assert back.names == tuple(f"/music/{i}.mp3" for i in range(5))


def test_library_commands(music_folder, tmp_path, capsys):
    db = str(tmp_path / "cli.sqlite")
    assert main(["library", "add", str(music_folder), "--db", db, "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "5 music files" in out and "4 analysed" in out and "1 skipped" in out and "broken.mp3" in out
    assert main(["library", "list", "--db", db, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 4 and set(listed[0]["features"]) >= {"arousal", "valence"}
    assert main(["library", "list", "--db", db, "--errors"]) == 0
    assert "broken.mp3" in capsys.readouterr().out
    assert main(["library", "export-csv", str(tmp_path / "lib.csv"), "--db", db]) == 0
    capsys.readouterr()
    assert main(["match", "--db", db, "--pred-feat", "0,0,0,0,0,50,50,60,50,0", "--top-k", "2", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["results"]) == 2
    assert main(["match", "--audio-csv", str(tmp_path / "lib.csv"), "--pred-feat", "0,0,0,0,0,50,50,60,50,0"]) == 0
    capsys.readouterr()
    for argv, message in [
        (["library", "add", str(tmp_path / "nowhere"), "--db", db], "no such folder"),
        (["library", "add", str(tmp_path / "lib.csv"), "--db", db], "is a file, not a folder"),
        (["library", "list", "--db", str(tmp_path / "none.sqlite")], "no such library"),
        (["library", "add", str(music_folder), "--db", db, "--jobs", "0"], "at least 1"),
        (["match", "--db", db, "--audio-csv", "x.csv", "--pred-feat", "1,2,3,4,5,6,7,8,9,10"], "not allowed with"),
    ]:
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1


def test_scan_in_a_thread_with_the_cli_lock_free(music_folder, tmp_path):
    """The GUI will scan in a worker thread while the main thread reads: both see consistent data."""
    path = tmp_path / "shared.sqlite"
    errors = []

    def scan():
        try:
            with LibraryDB(path) as db:
                scan_folders(db, [music_folder], jobs=1)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    worker = threading.Thread(target=scan)
    worker.start()
    worker.join(timeout=120)
    assert not errors
    with LibraryDB(path, create=False) as db:
        assert db.count() == 4
