"""`library add --ray`: the distributed scan on a local Ray with 2 CPUs (one Ray for the whole module).

What is checked: the same rows as a local scan, bit for bit; a worker killed with kill -9
mid-scan and nothing lost or duplicated; a file that kills its worker retried once and
then skipped with the reason; a corrupt file skipped with its reason; moved and touched
files recognised by content; a scan resumed after its driver is killed.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

ray = pytest.importorskip("ray")

from core.audio.synth import LoopSpec, drum_chord_loop  # noqa: E402
from core.library.cluster import connect  # noqa: E402
from core.library.cluster_scan import scan_folders_ray  # noqa: E402
from core.library.db import LibraryDB  # noqa: E402
from core.library.scanner import analyse_track, scan_folders  # noqa: E402
from tests.core.audio_files import write_audio  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
POSIX_KILL = pytest.mark.skipif(sys.platform != "linux", reason="kills processes with SIGKILL and finds them in /proc")


@pytest.fixture(scope="module")
def session():
    """One local Ray with 2 CPUs for every test here (starting Ray takes 10-25 s)."""
    with connect(None, cpus=2) as cluster:
        yield cluster


def _write_loops(folder: Path, count: int, seconds: float, formats=(".wav", ".flac", ".mp3", ".ogg")) -> list[Path]:
    files = []
    for i in range(count):
        spec = LoopSpec(seconds=seconds, tempo_bpm=70 + 9 * i, mode="major" if i % 2 else "minor")
        target = folder / ("sub" if i % 3 == 2 else "") / f"loop{i:02d}{formats[i % len(formats)]}"
        target.parent.mkdir(exist_ok=True)
        files.append(write_audio(target, drum_chord_loop(spec, seed=i), 22_050))
    return files


@pytest.fixture(scope="module")
def music(tmp_path_factory):
    """Seven loops in four formats, a corrupt MP3, and a text file that is not music."""
    folder = tmp_path_factory.mktemp("music")
    _write_loops(folder, 7, 8)
    (folder / "corrupt.mp3").write_bytes(b"ID3" + bytes(2000))
    (folder / "notes.txt").write_text("not music")
    return folder


def _rows(db: LibraryDB) -> dict[str, tuple]:
    """Every column of every row, raw from SQLite (bytes as stored), keyed by path."""
    cursor = db.conn.execute("SELECT * FROM tracks ORDER BY path")
    names = [c[0] for c in cursor.description]
    skip = {"id", "analysed_at"}
    return {row[names.index("path")]: tuple(v for n, v in zip(names, row, strict=True) if n not in skip)
            for row in cursor}


def test_the_same_rows_as_a_local_scan_bit_for_bit(session, music, tmp_path):
    with LibraryDB(tmp_path / "local.sqlite") as local, LibraryDB(tmp_path / "ray.sqlite") as distributed:
        expected = scan_folders(local, [music], jobs=1)
        fractions = []
        got = scan_folders_ray(distributed, [music], session=session, batch_size=2,
                               progress=lambda f, m: fractions.append(f))
        assert (got.found, got.analysed, got.unchanged) == (expected.found, expected.analysed, 0) == (8, 7, 0)
        assert got.skipped == expected.skipped
        [(path, reason)] = got.skipped
        assert path.endswith("corrupt.mp3") and "not a readable audio file" in reason
        assert _rows(distributed) == _rows(local)
        assert fractions[-1] == 1.0 and fractions == sorted(fractions)
        again = scan_folders_ray(distributed, [music], session=session)
        assert (again.analysed, again.unchanged, len(again.skipped), again.reused) == (0, 7, 1, 0)


def test_moved_and_touched_files_keep_their_analysis(session, tmp_path):
    folder = tmp_path / "music"
    folder.mkdir()
    files = _write_loops(folder, 4, 6, formats=(".wav",))
    with LibraryDB(tmp_path / "lib.sqlite") as db:
        scan_folders_ray(db, [folder], session=session)
        before = {Path(r.path).name: r.features.tobytes() for r in db.records()}
        os.utime(files[0], ns=(1, 1_000_000_000))  # touched: new mtime, same bytes
        files[1].rename(folder / "renamed.wav")  # moved within the scanned folder
        calls = tmp_path / "calls.txt"
        result = scan_folders_ray(db, [folder], session=session, analyse=_counting_analyse(calls))
        assert (result.reused, result.analysed, result.unchanged, result.removed) == (2, 0, 2, 1)
        assert not calls.exists()  # nothing was decoded again
        after = {Path(r.path).name: r.features.tobytes() for r in db.records()}
        assert after["renamed.wav"] == before[files[1].name] and after[files[0].name] == before[files[0].name]
        assert files[1].name not in after and db.count() == 4


def _counting_analyse(log: Path):
    def analyse(path, size, mtime_ns):
        with open(log, "a") as stream:
            stream.write(path + "\n")
        return analyse_track(path, size, mtime_ns)

    return analyse


def _crash_on(marker: str, log: Path):
    """The scanner's analysis, except that a file whose name holds ``marker`` kills its worker process."""

    def analyse(path, size, mtime_ns):
        if marker in Path(path).name:
            with open(log, "a") as stream:
                stream.write(f"{os.getpid()}\n")
            os.kill(os.getpid(), signal.SIGKILL)  # what a segfaulting decoder does to the worker
        return analyse_track(path, size, mtime_ns)

    return analyse


@POSIX_KILL
def test_a_file_that_kills_its_worker_is_retried_once_then_skipped(session, tmp_path):
    folder = tmp_path / "music"
    folder.mkdir()
    _write_loops(folder, 4, 4, formats=(".wav",))
    write_audio(folder / "loop01-crash.wav", drum_chord_loop(LoopSpec(seconds=4), seed=9), 22_050)
    log = tmp_path / "attempts.txt"
    with LibraryDB(tmp_path / "lib.sqlite") as db:
        result = scan_folders_ray(db, [folder], session=session, batch_size=5, analyse=_crash_on("crash", log))
        [(path, reason)] = result.skipped
        assert path.endswith("loop01-crash.wav") and "crashed twice" in reason
        assert result.analysed == 4 and db.count() == 4
        assert dict(db.errors()) == {path: reason}
        # The batch of five died, and died again in Ray's retry; alone, the file died twice more.
        assert len(log.read_text().split()) == 4


@POSIX_KILL
def test_a_worker_killed_mid_scan_loses_and_duplicates_nothing(session, tmp_path):
    folder = tmp_path / "music"
    folder.mkdir()
    _write_loops(folder, 10, 20, formats=(".wav", ".flac"))
    killed: list[int] = []
    stop = threading.Event()

    def kill_one_worker():
        # A worker running our batch task shows it in its process title.
        while not stop.is_set() and not killed:
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    title = Path(f"/proc/{pid}/cmdline").read_bytes()
                except OSError:
                    continue
                if title.startswith(b"ray::_analyse_batch"):
                    time.sleep(0.3)  # well inside the batch's first file
                    os.kill(int(pid), signal.SIGKILL)
                    killed.append(int(pid))
                    return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_one_worker, daemon=True)
    stored: list[int] = []
    with LibraryDB(tmp_path / "lib.sqlite") as db:
        killer.start()
        try:
            result = scan_folders_ray(db, [folder], session=session, batch_size=2,
                                      progress=lambda f, m: stored.append(db.count()))
        finally:
            stop.set()
            killer.join()
        assert killed, "no worker was seen running the scan"
        assert (result.analysed, result.skipped, result.found) == (10, [], 10)
        paths = [r.path for r in db.records(with_errors=True)]
        assert len(paths) == len(set(paths)) == 10
        assert db.conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0] == 10
        assert all(r.features is not None and np.isfinite(r.features).all() for r in db.records())


@POSIX_KILL
def test_a_scan_resumed_after_its_driver_is_killed(session, tmp_path):
    folder = tmp_path / "music"
    folder.mkdir()
    _write_loops(folder, 8, 16, formats=(".wav",))
    db_path = tmp_path / "lib.sqlite"
    address = ray.get_runtime_context().gcs_address
    driver = subprocess.Popen(
        [sys.executable, "-m", "core", "library", "add", str(folder), "--ray", address, "--batch", "1",
         "--db", str(db_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 180
        stored = 0
        while time.monotonic() < deadline and driver.poll() is None:
            if db_path.exists():
                try:
                    with sqlite3.connect(db_path, timeout=5) as conn:
                        stored = conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0]
                except sqlite3.OperationalError:
                    stored = 0  # the schema is being created
            if stored >= 2:
                driver.send_signal(signal.SIGKILL)
                break
            time.sleep(0.05)
        driver.wait(timeout=60)
    finally:
        if driver.poll() is None:
            driver.kill()
    assert driver.returncode == -signal.SIGKILL, driver.stderr.read()
    with LibraryDB(db_path) as db:
        kept = db.conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0]
        assert 2 <= kept < 8
        resumed = scan_folders_ray(db, [folder], session=session)
        assert (resumed.unchanged, resumed.analysed, resumed.skipped) == (kept, 8 - kept, [])
        paths = [r.path for r in db.records(with_errors=True)]
        assert len(paths) == len(set(paths)) == 8


def test_the_command_line_scan_on_the_cluster(session, music, tmp_path, capsys):
    from core.cli import main

    address = ray.get_runtime_context().gcs_address
    db_path = tmp_path / "lib.sqlite"
    # This process already joined the module's Ray, so the command uses it (no second Ray starts).
    assert main(["library", "add", str(music), "--ray", address, "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "7 analysed, 0 unchanged, 1 skipped" in out and "corrupt.mp3" in out
    with LibraryDB(db_path) as db:
        assert db.count() == 7


# -- bad input against a running cluster: one line, exit 2, no library file ---------------------------------------------


def _driver(code: str, *argv: str, wrap: list[str] = ()) -> subprocess.CompletedProcess:
    """Run ``code`` then the command line in a fresh Python (a second driver joining the module's Ray)."""
    script = f"import sys\n{code}\nfrom core.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    return subprocess.run([*wrap, sys.executable, "-c", script, *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=180)


def _assert_refused(done: subprocess.CompletedProcess, message: str, db_path: Path) -> None:
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("musicmatch library add: error:")
    assert not db_path.exists()


def test_another_ray_version_is_refused(session, music, tmp_path):
    db_path = tmp_path / "lib.sqlite"
    address = ray.get_runtime_context().gcs_address
    done = _driver("import ray; ray.__version__ = '2.0.0'", "library", "add", str(music), "--ray", address,
                   "--db", str(db_path))
    _assert_refused(done, f"runs Ray {ray.__version__}, Python {sys.version.split()[0]}, this machine Ray 2.0.0",
                    db_path)


def test_another_musicmatch_on_the_driver_is_refused(session, music, tmp_path):
    db_path = tmp_path / "lib.sqlite"
    address = ray.get_runtime_context().gcs_address
    done = _driver("import core; core.__version__ = '9.9.9'", "library", "add", str(music), "--ray", address,
                   "--db", str(db_path))
    _assert_refused(done, "this machine 9.9.9", db_path)
    assert "install the same MusicMatch on every node" in done.stderr


def test_a_folder_the_workers_cannot_see_is_refused(session, tmp_path):
    """The driver sees a folder on a mount of its own (a private mount namespace); the workers do not."""
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("needs unshare -m (root or CAP_SYS_ADMIN)")
    track = write_audio(tmp_path / "track.wav", drum_chord_loop(LoopSpec(seconds=2), seed=1), 22_050)
    share = tmp_path / "share"
    share.mkdir()
    db_path = tmp_path / "lib.sqlite"
    address = ray.get_runtime_context().gcs_address
    for folder, message in ((share / "music", "cannot see this folder"), (share, "see other files in this folder")):
        setup = (f"mount -t tmpfs none '{share}' && mkdir '{share}/music' && cp '{track}' '{share}/music/' && "
                 f"cp '{track}' '{share}/' && exec \"$@\"")
        done = subprocess.run(
            ["unshare", "-m", "--propagation", "private", "sh", "-c", setup, "sh", sys.executable, "-m", "core",
             "library", "add", str(folder), "--ray", address, "--db", str(db_path)],
            cwd=ROOT, capture_output=True, text=True, timeout=180)
        _assert_refused(done, message, db_path)


def test_extract_on_the_cluster_prints_what_a_local_run_prints(session, tmp_path, capsys):
    from core.cli import main
    from core.video.synth import ClipSpec, write_clip

    clips = [str(write_clip(tmp_path / f"clip{i}.mp4", ClipSpec(seconds=2, shot_seconds=1.0 + i / 2))) for i in range(2)]
    videos = [clips[0], str(tmp_path / "missing.mp4"), clips[1]]
    assert main(["extract", *videos, "--json", "--device", "cpu"]) == 2  # the missing file: exit 2, the rest analysed
    local = capsys.readouterr()
    assert main(["extract", *videos, "--json", "--device", "cpu", "--ray"]) == 2
    distributed = capsys.readouterr()
    assert distributed.out == local.out and distributed.err == local.err
    assert [d.get("file") for d in __import__("json").loads(distributed.out)] == videos
