"""Faults from outside: kill -9 mid-work, a full disk, unreadable files, two writers at once, noise on fd 2.

These run the command line as a child process (what a terminal sees). The long ones carry
the ``slow`` marker (CI runs them; ``./test -m "not slow"`` skips them).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from tests.hostile import media
from tests.hostile.contract import REPO, check_child, child_env
from tests.hostile.test_files import MISSING_AUDIO

DROP_CAPS = ["setpriv", "--inh-caps=-dac_override,-dac_read_search",
             "--bounding-set=-dac_override,-dac_read_search", "--"]


def _can_drop_capabilities() -> bool:
    if os.geteuid() != 0:
        return True  # an ordinary user cannot read a 000 file anyway: no capability to drop
    if shutil.which("setpriv") is None:
        return False
    probe = subprocess.run([*DROP_CAPS, "true"], capture_output=True)
    return probe.returncode == 0


def _prefix() -> list[str]:
    return DROP_CAPS if os.geteuid() == 0 else []


needs_caps = pytest.mark.skipif(not _can_drop_capabilities(), reason="cannot drop CAP_DAC_OVERRIDE here (setpriv)")
# Each child process costs seconds (Python, numpy and torch start): all but the two fd-level checks are slow.


class _Child(subprocess.Popen):
    """``musicmatch ARGV`` in the background, its output in unnamed temporary files.

    Not pipes: a scan's worker processes inherit the parent's stdout and stderr and may
    outlive a parent killed with -9 by a moment, which would hold a pipe open.
    """

    def __init__(self, argv):
        self.out_file = tempfile.TemporaryFile()  # noqa: SIM115 - closed in communicate()
        self.err_file = tempfile.TemporaryFile()  # noqa: SIM115
        super().__init__([sys.executable, "-m", "core", *map(str, argv)], cwd=REPO, env=child_env(),
                         stdout=self.out_file, stderr=self.err_file)

    def communicate(self, input=None, timeout=None):
        self.wait(timeout=timeout)
        texts = []
        for stream in (self.out_file, self.err_file):
            stream.seek(0)
            texts.append(stream.read())
            stream.close()
        return texts[0], texts[1]


_start = _Child


def _music(folder: Path, n: int, seconds: float = 4.0) -> Path:
    folder.mkdir(exist_ok=True)
    for i in range(n):
        media.tone(folder / f"tone_{i:02d}.wav", seconds + 0.1 * i)
    return folder


def _tracks(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT COUNT(*) FROM tracks WHERE error IS NULL").fetchone()[0]


def _stray(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".partial")))


# ---------------------------------------------------------------- decoder noise at the fd level
def test_broken_video_gives_one_line_on_the_terminal(tmp_path):
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(4000))
    check_child(["extract", bad], expect=2, root=tmp_path, mentions=["bad.mp4"])


def test_text_renamed_mp3_gives_one_line_on_the_terminal(tmp_path):
    bad = tmp_path / "notes.mp3"
    bad.write_text("these are my notes\n" * 40)
    check_child(["analyze-audio", bad], expect=2, root=tmp_path, mentions=["notes.mp3"])


@pytest.mark.slow
def test_scan_of_broken_files_keeps_the_terminal_clean(tmp_path):
    music = _music(tmp_path / "music", 2, 2.0)
    (music / "junk.mp3").write_bytes(np.random.default_rng(4).bytes(30_000))
    (music / "empty.flac").write_bytes(b"")
    out = check_child(["library", "add", music, "--db", tmp_path / "lib.sqlite", "--jobs", "2"], expect=0,
                      root=tmp_path, outputs=["lib.sqlite"]).out
    assert "2 analysed" in out and "junk.mp3" in out and "empty.flac" in out


# ---------------------------------------------------------------- unreadable files and folders
@pytest.mark.slow
@needs_caps
def test_unreadable_audio_is_named(tmp_path):
    path = media.tone(tmp_path / "locked.wav")
    path.chmod(0)
    check_child(["analyze-audio", path], expect=2, root=tmp_path, mentions=["locked.wav"], prefix=_prefix())


@pytest.mark.slow
@needs_caps
def test_unreadable_video_is_named(tmp_path, kit):
    path = kit.put("plain.mp4", tmp_path, "locked.mp4")
    path.chmod(0)
    check_child(["extract", path], expect=2, root=tmp_path, mentions=["locked.mp4"], prefix=_prefix())


@pytest.mark.slow
@needs_caps
def test_unreadable_csv_is_named(tmp_path):
    table = media.audio_csv(tmp_path / "locked.csv")
    table.chmod(0)
    check_child(["match", "--audio-csv", table, "--pred-feat=" + ",".join(["0"] * 10)], expect=2, root=tmp_path,
                mentions=["locked.csv"], prefix=_prefix())


@pytest.mark.slow
@needs_caps
def test_scan_skips_an_unreadable_file_with_its_reason(tmp_path):
    music = _music(tmp_path / "music", 2, 2.0)
    (music / "tone_01.wav").chmod(0)
    out = check_child(["library", "add", music, "--db", tmp_path / "lib.sqlite", "--jobs", "1"], expect=0,
                      root=tmp_path, outputs=["lib.sqlite"], prefix=_prefix()).out
    assert "1 analysed" in out and "tone_01.wav" in out.split("Skipped:")[1]


@pytest.mark.slow
@needs_caps
def test_export_into_a_read_only_folder_is_named(tmp_path, kit):
    project = kit.project(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    check_child(["export", project, "--format", "edl", "--out", locked / "cut.edl"], expect=2, root=tmp_path,
                mentions=["locked"], prefix=_prefix())


@pytest.mark.slow
@needs_caps
def test_library_in_a_read_only_folder_is_named(tmp_path):
    music = _music(tmp_path / "music", 1, 2.0)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    check_child(["library", "add", music, "--db", locked / "lib.sqlite"], expect=2, root=tmp_path,
                mentions=["lib.sqlite"], prefix=_prefix())


@pytest.mark.slow
@needs_caps
def test_unreadable_project_is_named(tmp_path, kit):
    project = kit.project(tmp_path)
    project.chmod(0)
    check_child(["export", project, "--format", "csv", "--out", tmp_path / "cut.csv"], expect=2, root=tmp_path,
                mentions=["clip.mmproj"], prefix=_prefix())


# ---------------------------------------------------------------- a full disk
@pytest.fixture
def small_disk(tmp_path):
    """A 256 KiB tmpfs mounted inside ``tmp_path`` (root only; skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _fill(mount: Path) -> None:
    """Fill the small disk to its last byte."""
    handle = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            try:
                os.write(handle, b"\0" * 4096)
            except OSError:
                try:
                    os.write(handle, b"\0")
                except OSError:
                    break
    finally:
        os.close(handle)


@pytest.mark.slow
def test_full_disk_export_is_one_line_and_no_partial_file(tmp_path, kit, small_disk):
    project = kit.project(tmp_path)
    _fill(small_disk)
    check_child(["export", project, "--format", "fcpxml", "--out", small_disk / "cut.fcpxml"], expect=2,
                root=tmp_path, mentions=["space"], err_allowed=MISSING_AUDIO)
    assert _stray(small_disk) == [] and not (small_disk / "cut.fcpxml").exists()


@pytest.mark.slow
def test_full_disk_library_add_is_one_line(tmp_path, small_disk):
    music = _music(tmp_path / "music", 1, 2.0)
    _fill(small_disk)
    check_child(["library", "add", music, "--db", small_disk / "lib.sqlite"], expect=2, root=tmp_path,
                mentions=["lib.sqlite"])
    assert not (small_disk / "lib.sqlite").exists(), "a new library that could not be created was left behind"


@pytest.mark.slow
def test_full_disk_export_csv_keeps_the_old_file(tmp_path, kit, small_disk):
    db = kit.library(tmp_path)
    old = small_disk / "out.csv"
    old.write_text("the previous export\n")
    _fill(small_disk)
    check_child(["library", "export-csv", old, "--db", db], expect=2, root=tmp_path, mentions=["space"])
    assert old.read_text() == "the previous export\n" and _stray(small_disk) == []


@pytest.mark.slow
def test_full_disk_save_project_is_one_line(tmp_path, kit, small_disk):
    clip = kit.put("plain.mp4", tmp_path)
    table = media.audio_csv(tmp_path / "a.csv")
    _fill(small_disk)
    check_child(["recommend", clip, "--audio-csv", table, "--pick", "1", "--save-project", small_disk / "p.mmproj"],
                expect=2, root=tmp_path, mentions=["space"])
    assert not (small_disk / "p.mmproj").exists()


# ---------------------------------------------------------------- kill -9 and two writers (slow)
def _kill_when(process, ready, timeout=60.0):
    start = time.monotonic()
    while time.monotonic() - start < timeout and process.poll() is None:
        if ready():
            break
        time.sleep(0.05)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)


@pytest.mark.slow
def test_kill_9_during_a_scan_loses_nothing(tmp_path):
    music = _music(tmp_path / "music", 12, 6.0)
    db = tmp_path / "lib.sqlite"
    process = _start(["library", "add", music, "--db", db, "--jobs", "2"])

    def some_stored():
        try:
            return db.exists() and _tracks(db) >= 2
        except sqlite3.Error:
            return False

    _kill_when(process, some_stored)
    assert process.returncode == -signal.SIGKILL, "the scan ended before it could be killed"
    check_child(["library", "list", "--db", db], expect=0, root=tmp_path)
    out = check_child(["library", "add", music, "--db", db, "--jobs", "2"], expect=0, root=tmp_path,
                      changes=["lib.sqlite"], seconds=300).out
    assert "library now holds 12 tracks" in out and _tracks(db) == 12


@pytest.mark.slow
def test_a_scan_worker_killed_by_a_signal_or_hung_costs_only_its_file(tmp_path, monkeypatch):
    """The OOM killer or a decoder crash (SIGKILL) in one worker, and a decoder that never returns."""
    music = _music(tmp_path / "music", 6, 2.0)
    monkeypatch.setenv("MUSICMATCH_TEST_CRASH_ON", "tone_01.wav")  # read only by the scan's workers
    monkeypatch.setenv("MUSICMATCH_TEST_HANG_ON", "tone_04.wav")
    db = tmp_path / "lib.sqlite"
    out = check_child(["library", "add", music, "--db", db, "--jobs", "2", "--file-timeout", "5"], expect=0,
                      root=tmp_path, outputs=["lib.sqlite"], seconds=300).out
    assert "4 analysed" in out and _tracks(db) == 4
    skipped = out.split("Skipped:")[1]
    assert "tone_01.wav" in skipped and "analysis worker was killed (signal 9" in skipped
    assert "tone_04.wav" in skipped and "analysis took longer than 5 s" in skipped


@pytest.mark.slow
def test_kill_9_during_training_leaves_no_model_half_written(tmp_path):
    pairs = media.pairs_csv(tmp_path / "pairs.csv", 200)
    model = tmp_path / "m.safetensors"
    process = _start(["train", "--pairs", pairs, "--trials", "50", "--out", model])
    time.sleep(8)
    _kill_when(process, lambda: True)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left in (["pairs.csv"], ["m.md", "m.safetensors", "m.safetensors.json", "pairs.csv"]), left
    check_child(["train", "--pairs", pairs, "--trials", "0", "--out", model], expect=0, root=tmp_path,
                outputs=["m.safetensors", "m.safetensors.json", "m.md"], changes=["m.safetensors", "m.safetensors.json", "m.md"],
                err_allowed=".", seconds=300)


@pytest.mark.slow
def test_kill_9_during_a_save_keeps_the_old_file_and_the_next_save_cleans_up(tmp_path):
    table = media.audio_csv(tmp_path / "in.csv", 3000)
    db = tmp_path / "lib.sqlite"
    check_child(["library", "import-csv", table, "--db", db], expect=0, root=tmp_path, outputs=["lib.sqlite"])
    out = tmp_path / "out.csv"
    out.write_text("the previous export\n")
    killed = 0
    for delay in (0.0, 0.3, 0.6, 0.9, 1.2, 1.5):
        process = _start(["library", "export-csv", out, "--db", db])
        time.sleep(delay + 1.0)  # the interpreter and numpy need about a second to start
        _kill_when(process, lambda: True)
        text = out.read_text(encoding="utf-8-sig")
        assert text == "the previous export\n" or text.count("\n") == 3001, "a half-written export"
        killed += process.returncode == -signal.SIGKILL
    for leftover in tmp_path.glob(".out.csv.*.tmp"):
        os.utime(leftover, (time.time() - 3600, time.time() - 3600))  # as if killed an hour ago
    check_child(["library", "export-csv", out, "--db", db], expect=0, root=tmp_path, outputs=["out.csv"],
                changes=["out.csv"] + [p.name for p in tmp_path.glob(".out.csv.*.tmp")])
    assert out.read_text(encoding="utf-8-sig").count("\n") == 3001
    assert list(tmp_path.glob(".out.csv.*.tmp")) == []


@pytest.mark.slow
def test_two_scans_of_one_library_at_once(tmp_path):
    a = _music(tmp_path / "a", 4, 3.0)
    b = tmp_path / "b"
    b.mkdir()
    for i in range(4):
        media.tone(b / f"other_{i}.wav", 3.5 + 0.1 * i)
    db = tmp_path / "lib.sqlite"
    first = _start(["library", "add", a, "--db", db, "--jobs", "1"])
    second = _start(["library", "add", b, "--db", db, "--jobs", "1"])
    for process in (first, second):
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode(errors="replace")
        assert b"Traceback" not in err
    assert _tracks(db) == 8


@pytest.mark.slow
def test_two_imports_into_one_library_at_once(tmp_path):
    one = media.audio_csv(tmp_path / "one.csv", 2000, seed=1)
    two = media.audio_csv(tmp_path / "two.csv", 2000, seed=2, names=[f"other_{i}" for i in range(2000)])
    db = tmp_path / "lib.sqlite"
    processes = [_start(["library", "import-csv", table, "--db", db]) for table in (one, two)]
    for process in processes:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode(errors="replace")
    listing = json.loads(subprocess.run([sys.executable, "-m", "core", "library", "list", "--db", str(db), "--json"],
                                        cwd=REPO, env=child_env(), capture_output=True, check=True).stdout)
    assert len(listing) == 4000
