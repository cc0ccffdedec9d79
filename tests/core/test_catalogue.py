"""The Parquet catalogue: exact round trip, relinking by content hash, read-only ranking, bad files."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

pa = pytest.importorskip("pyarrow")
import pyarrow.parquet as pq  # noqa: E402

from core.audio.synth import LoopSpec, drum_chord_loop  # noqa: E402
from core.cli import main  # noqa: E402
from core.library import parquet_catalogue as catalogue  # noqa: E402
from core.library.db import LibraryDB, TrackRecord  # noqa: E402
from core.library.parquet_catalogue import (  # noqa: E402
    export_catalogue,
    import_catalogue,
    open_catalogue,
    read_catalogue,
    write_catalogue,
)
from core.library.scanner import scan_folders  # noqa: E402
from tests.core.audio_files import write_audio  # noqa: E402

AWKWARD = [0.1, -0.0, 1e-300, 5e-324, -1.7976931348623157e308, 1 / 3, np.nextafter(2.0, 3.0), 76.18, -20.44, 0.97]
"""Values whose last bits a text or float32 detour would change (subnormal, -0.0, 1/3...)."""


def _records(rng, count: int) -> list[TrackRecord]:
    out = []
    for i in range(count):
        features = AWKWARD if i == 0 else rng.normal(size=10) * 10
        beats = np.cumsum(rng.uniform(0.3, 0.7, size=50)).astype(np.float32)  # the database keeps float32
        out.append(TrackRecord(
            path=f"/studio/music/{i:03d} 曲.flac", source="scan", size=1000 + i, mtime_ns=1_700_000_000_000_000_000 + i,
            content_hash=f"{i:032x}", duration_s=float(rng.uniform(30, 300)), title=f"Title {i}",
            artist="Artist" if i % 2 else "", album="", features=np.asarray(features, dtype=np.float64),
            tempo_bpm=float(rng.uniform(60, 180)), key="A minor" if i % 3 else None, beats=beats,
            energy=rng.normal(size=30).astype(np.float32), sections=[float(s) for s in np.sort(rng.uniform(0, 200, 3))],
            error=None,
        ))
    return out


def _raw(db: LibraryDB) -> list[tuple]:
    """The stored bytes of every analysed row (all columns but the row id, source and write time)."""
    cursor = db.conn.execute("SELECT path, size, mtime_ns, content_hash, duration_s, title, artist, album, features, "
                             "feature_schema, tempo_bpm, musical_key, beats, energy, sections FROM tracks "
                             "WHERE error IS NULL ORDER BY id")
    return cursor.fetchall()


@pytest.fixture
def library(rng, tmp_path):
    db = LibraryDB(tmp_path / "source.sqlite")
    db.upsert_many(_records(rng, 25))
    db.upsert(dataclasses.replace(_records(rng, 1)[0], path="/studio/broken.mp3", features=None, error="not audio"))
    yield db
    db.close()


def test_round_trip_is_exact_bit_for_bit(library, tmp_path):
    out = tmp_path / "team.parquet"
    assert export_catalogue(library, out) == 25  # analysed tracks only; the broken file stays behind
    with LibraryDB(tmp_path / "copy.sqlite") as copy:
        result = import_catalogue(copy, out)
        assert (result.tracks, result.remote, result.linked) == (25, 25, 0)  # no file of /studio here
        assert _raw(copy) == _raw(library)  # every stored byte: JSON feature text, float32 beat blobs
        for a, b in zip(library.records(), copy.records(), strict=True):
            assert a.features.tobytes() == b.features.tobytes() and b.source == "remote"
    first = next(read_catalogue(out)).features
    assert [v.hex() for v in first] == [float(v).hex() for v in AWKWARD]
    meta = json.loads(pq.ParquetFile(out).schema_arrow.metadata[b"musicmatch"])
    assert meta["format"] == "musicmatch-catalogue" and meta["version"] == 1 and meta["tracks"] == 25
    assert meta["columns"]["features"] == "array" and meta["columns"]["sections"] == "floats"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_new_record_field_travels_without_code_changes(rng, tmp_path, monkeypatch):
    """Fields a later change adds to TrackRecord (arrays, lists, dicts, optional ints) round-trip as they are."""
    extended = dataclasses.make_dataclass(
        "TrackRecord", [("cue_points", np.ndarray, dataclasses.field(default_factory=lambda: np.zeros(0))),
                        ("loop_points", list[float], dataclasses.field(default_factory=list)),
                        ("stem_notes", list[dict], dataclasses.field(default_factory=list)),
                        ("review_round", int | None, None)],
        bases=(TrackRecord,), frozen=True)
    plain = _records(rng, 3)
    rich = [extended(**{f.name: getattr(r, f.name) for f in dataclasses.fields(TrackRecord)},
                     cue_points=np.asarray(r.beats[::4], np.float64) / 3, loop_points=[1 / 3, 8.0],
                     stem_notes=[{"at_s": 1 / 7, "from_s": 2.0, "to_s": 4.5}], review_round=7)
            for r in plain]
    monkeypatch.setattr(catalogue, "TrackRecord", extended)
    write_catalogue(rich, tmp_path / "rich.parquet", count=3)
    back = list(read_catalogue(tmp_path / "rich.parquet"))
    for a, b in zip(rich, back, strict=True):
        assert a.cue_points.tobytes() == b.cue_points.tobytes() and a.loop_points == b.loop_points
        assert a.stem_notes == b.stem_notes and b.review_round == 7
    # A catalogue written before those fields existed still opens: they take their defaults.
    monkeypatch.setattr(catalogue, "TrackRecord", TrackRecord)
    write_catalogue(plain, tmp_path / "old.parquet", count=3)
    monkeypatch.setattr(catalogue, "TrackRecord", extended)
    [old, *_] = read_catalogue(tmp_path / "old.parquet")
    assert old.cue_points.size == 0 and old.loop_points == [] and old.review_round is None


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """Four real loops scanned into a library, and its catalogue."""
    folder = tmp_path_factory.mktemp("music")
    for i in range(4):
        write_audio(folder / f"loop{i}.wav", drum_chord_loop(LoopSpec(seconds=5, tempo_bpm=80 + 20 * i), seed=i),
                    22_050)
    db_path = folder.parent / "scanned.sqlite"
    with LibraryDB(db_path) as db:
        scan_folders(db, [folder], jobs=1)
        export_catalogue(db, folder.parent / "scanned.parquet")
    return folder, db_path, folder.parent / "scanned.parquet"


def test_import_relinks_by_content_hash_and_keeps_the_rest_remote(scanned, tmp_path):
    folder, source_db, studio = scanned
    # The catalogue as the studio wrote it: its paths do not exist on this editor's machine.
    tracks = [dataclasses.replace(r, path=f"/studio/music/{Path(r.path).name}") for r in read_catalogue(studio)]
    out = tmp_path / "studio.parquet"
    write_catalogue(tracks, out, count=len(tracks))
    here = tmp_path / "my music"
    here.mkdir()
    for name in ("loop0.wav", "loop2.wav"):  # this editor has two of the four files, renamed
        shutil.copy(folder / name, here / f"copy of {name}")
    (here / "other.wav").write_bytes((folder / "loop1.wav").read_bytes()[:-2] + b"\0\0")  # same size, other bytes
    with LibraryDB(tmp_path / "mine.sqlite") as db:
        result = import_catalogue(db, out, search=[here])
        assert (result.linked, result.remote, result.already) == (2, 2, 0)
        rows = {Path(r.path).name: r for r in db.records()}
        assert set(rows) == {"copy of loop0.wav", "copy of loop2.wav", "loop1.wav", "loop3.wav"}
        assert rows["copy of loop0.wav"].source == "scan" and rows["loop1.wav"].source == "remote"
        assert rows["loop1.wav"].path == "/studio/music/loop1.wav"
        # Linked rows carry the local size and time: a scan of the folder finds them unchanged.
        rescan = scan_folders(db, [here], jobs=1)
        assert (rescan.unchanged, rescan.analysed) == (2, 1)  # only other.wav is new
        # The missing files turn up: importing again links them and lists each track once.
        for name in ("loop1.wav", "loop3.wav"):
            shutil.copy(folder / name, here / name)
        again = import_catalogue(db, out, search=[here])
        assert (again.linked, again.already, again.remote) == (2, 2, 0)
        sources = sorted((Path(r.path).name, r.source) for r in db.records())
        assert [s for _, s in sources] == ["scan"] * 5 and len(sources) == 5
    with LibraryDB(source_db) as original, LibraryDB(tmp_path / "mine.sqlite") as db:
        by_hash = {r.content_hash: r.features.tobytes() for r in original.records()}
        assert all(by_hash[r.content_hash] == r.features.tobytes() for r in db.records() if r.content_hash in by_hash)


def test_a_catalogue_opens_read_only_and_ranks_like_its_library(scanned, capsys):
    _, source_db, out = scanned
    with open_catalogue(out) as db:
        index, records = db.track_index()
        assert len(index) == 4 and [r.path for r in records] == [r.path for r in LibraryDB(source_db).records()]
        with pytest.raises(sqlite3.OperationalError):
            db.upsert(records[0])
    target = "2,-1,3,0,1,60,50,55,60,10"
    assert main(["match", "--db", str(source_db), "--pred-feat", target, "--json"]) == 0
    from_library = json.loads(capsys.readouterr().out)
    assert main(["match", "--db", str(out), "--pred-feat", target, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == from_library
    assert main(["library", "list", "--db", str(out)]) == 0
    assert "4 tracks" in capsys.readouterr().out


def test_the_catalogue_commands(scanned, tmp_path, capsys):
    _, source_db, _ = scanned
    out = tmp_path / "team.parquet"
    assert main(["library", "export-catalogue", str(out), "--db", str(source_db)]) == 0
    assert "Wrote 4 tracks" in capsys.readouterr().out
    assert main(["library", "import-catalogue", str(out), "--db", str(tmp_path / "new.sqlite")]) == 0
    assert "4 remote" not in capsys.readouterr().out  # the files are still at their paths: linked
    with LibraryDB(tmp_path / "new.sqlite") as db:
        assert db.count() == 4 and {r.source for r in db.records()} == {"scan"}


def _rewrite(source: Path, target: Path, *, meta=None, table=None) -> Path:
    original = pq.read_table(source)
    table = table if table is not None else original
    metadata = dict(original.schema.metadata)
    if meta is not None:
        metadata[b"musicmatch"] = json.dumps(meta(json.loads(metadata[b"musicmatch"]))).encode()
    pq.write_table(table.replace_schema_metadata(metadata), target)
    return target


def _last_vector_short(table):
    """A catalogue whose last track has 9 features: found only while rows are written."""
    vectors = table.column("features").to_pylist()
    vectors[-1] = vectors[-1][:9]
    return table.set_column(table.schema.get_field_index("features"), "features",
                            pa.array(vectors, type=pa.list_(pa.float64())))


def _features_as_text(table):
    column = pa.array([json.dumps(v) for v in table.column("features").to_pylist()])
    return table.set_column(table.schema.get_field_index("features"), "features", column)


@pytest.mark.parametrize(("make", "message"), [
    (lambda out, bad: (bad.write_bytes(b"PAR1 not really"), bad)[1], "is not a Parquet file"),
    (lambda out, bad: pq.write_table(pa.table({"path": ["x"]}), bad) or bad, "not a MusicMatch catalogue"),
    (lambda out, bad: _rewrite(out, bad, meta=lambda m: {**m, "version": 99}), "newer MusicMatch (catalogue version 99"),
    (lambda out, bad: _rewrite(out, bad, meta=lambda m: {**m, "feature_schema": -1}), "feature schema -1"),
    (lambda out, bad: _rewrite(out, bad, table=_features_as_text(pq.read_table(out))), "column 'features' holds string"),
    (lambda out, bad: _rewrite(out, bad, table=pq.read_table(out).drop_columns(["path"])), "no 'path' column"),
    (lambda out, bad: _rewrite(out, bad, table=_last_vector_short(pq.read_table(out))), "no 10-value feature vector"),
    (lambda out, bad: bad, "no such catalogue"),
])
def test_bad_catalogues_are_refused_in_one_line_and_nothing_is_written(scanned, tmp_path, capfd, make, message):
    _, _, out = scanned
    bad = make(out, tmp_path / "bad.parquet")
    db_path = tmp_path / "lib.sqlite"
    assert main(["library", "import-catalogue", str(bad), "--db", str(db_path)]) == 2
    err = capfd.readouterr().err
    assert message in err and err.count("\n") == 1 and err.startswith("musicmatch library import-catalogue: error:")
    assert not db_path.exists()
    assert main(["match", "--db", str(bad), "--pred-feat", "0,0,0,0,0,50,50,50,50,0"]) == 2
    assert message in capfd.readouterr().err
    if bad.exists():  # into an existing library: nothing of the catalogue stays
        with LibraryDB(db_path) as db:
            db.upsert(dataclasses.replace(next(read_catalogue(out)), path="/mine.wav"))
        assert main(["library", "import-catalogue", str(bad), "--db", str(db_path)]) == 2
        with LibraryDB(db_path) as db:
            assert [r.path for r in db.records(with_errors=True)] == ["/mine.wav"]


def test_a_failed_export_leaves_the_old_catalogue_whole(library, tmp_path, monkeypatch, capfd):
    out = tmp_path / "team.parquet"
    export_catalogue(library, out)
    before = out.read_bytes()
    calls = {"n": 0}
    real = catalogue._encode

    def failing(kind, value):
        calls["n"] += 1
        if calls["n"] > 40:
            raise OSError(28, "No space left on device")
        return real(kind, value)

    monkeypatch.setattr(catalogue, "_encode", failing)
    with pytest.raises(OSError):
        export_catalogue(library, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["source.sqlite", "source.sqlite-shm", "source.sqlite-wal",
                                                          "team.parquet"]
    assert main(["library", "export-catalogue", str(tmp_path / "no such folder" / "x.parquet"),
                 "--db", str(tmp_path / "source.sqlite")]) == 2
    assert "no such folder" in capfd.readouterr().err
    assert main(["library", "export-catalogue", str(tmp_path / "x.csv"), "--db", str(tmp_path / "source.sqlite")]) == 2
