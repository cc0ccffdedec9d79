"""A local scan survives a file that kills its worker process or hangs (core/library/scan_pool.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from core.errors import Cancelled
from core.jobs import CancelToken
from core.library.db import LibraryDB
from core.library.scan_pool import FileLimits, WorkerStartError, run_isolated
from core.library.scanner import scan_folders
from tests.core.audio_files import write_audio


# Module-level: the spawn start method pickles the worker's functions by name.
def _logged_task(path: str, log: str) -> str:
    """Stands in for the analysis: notes each call in ``log`` (one line per call, from any process)."""
    with open(log, "a") as stream:
        stream.write(Path(path).name + "\n")
    return Path(path).name.upper()


def _no_duration(path: str, log: str) -> None:
    return None


def _ten_seconds(path: str, log: str) -> float:
    return 10.0


def _dies_at_start() -> None:
    os._exit(3)


def test_limits_grow_with_duration_above_the_floor():
    limits = FileLimits(floor_s=60.0, per_second=2.0, longest_s=900.0)
    assert limits.limit(None) == limits.limit(0.0) == limits.limit(float("nan")) == 60.0
    assert limits.limit(10.0) == 60.0 and limits.limit(45.0) == 90.0
    assert limits.limit(5 * 3600.0) == 1800.0  # only the first 15 minutes are decoded


def test_a_killed_and_a_hung_worker_cost_only_their_own_files(tmp_path, monkeypatch):
    log = tmp_path / "calls.log"
    names = [f"f{i:02d}.wav" for i in range(8)]
    items = [(str(tmp_path / name), str(log)) for name in names]
    monkeypatch.setenv("MUSICMATCH_TEST_CRASH_ON", "f02.wav")
    monkeypatch.setenv("MUSICMATCH_TEST_HANG_ON", "f05.wav")
    stored: dict[str, str] = {}
    lost: dict[str, str] = {}
    started = time.monotonic()
    run_isolated(items, _logged_task, workers=2, probe=_no_duration, limits=FileLimits(floor_s=4.0),
                 store=lambda item, result: stored.setdefault(Path(item[0]).name, result),
                 lost=lambda item, reason: lost.setdefault(Path(item[0]).name, reason))
    assert time.monotonic() - started < 60
    assert sorted(lost) == ["f02.wav", "f05.wav"]
    assert lost["f02.wav"].startswith("analysis worker was killed (signal 9, SIGKILL")
    assert lost["f05.wav"] == "analysis took longer than 4 s (the limit for this file)"
    expected = [n for n in names if n not in lost]
    assert stored == {n: n.upper() for n in expected}
    # Every other file was worked on exactly once: none was lost with a worker or run twice.
    assert sorted(log.read_text().split()) == expected


def test_the_time_limit_follows_the_files_duration(tmp_path, monkeypatch):
    log = tmp_path / "calls.log"
    monkeypatch.setenv("MUSICMATCH_TEST_HANG_ON", "slow.wav")
    lost = {}
    run_isolated([(str(tmp_path / "slow.wav"), str(log))], _logged_task, workers=1, probe=_ten_seconds,
                 limits=FileLimits(floor_s=2.0, per_second=0.3), store=lambda item, result: None,
                 lost=lambda item, reason: lost.setdefault(item[0], reason))
    # The hang comes before the duration is known: the floor applies, not 0.3 x 10 s.
    assert list(lost.values()) == ["analysis took longer than 2 s (the limit for this file)"]


def test_workers_that_cannot_start_are_a_fault_not_a_skipped_file(tmp_path):
    lost = []
    with pytest.raises(WorkerStartError, match=r"exit before starting .*exit status 3"):
        run_isolated([(str(tmp_path / "a.wav"), str(tmp_path / "log"))], _logged_task, workers=1,
                     probe=_no_duration, init=_dies_at_start, store=lambda item, result: None,
                     lost=lambda item, reason: lost.append(item))
    assert lost == []


def test_cancel_stops_a_hung_worker_at_once(tmp_path, monkeypatch):
    monkeypatch.setenv("MUSICMATCH_TEST_HANG_ON", "b.wav")
    token = CancelToken()
    items = [(str(tmp_path / name), str(tmp_path / "log")) for name in ("a.wav", "b.wav")]

    def store(item, result):
        token.cancel()  # the user presses Cancel while b.wav hangs

    started = time.monotonic()
    with pytest.raises(Cancelled):
        run_isolated(items, _logged_task, workers=2, probe=_no_duration, limits=FileLimits(floor_s=600.0),
                     store=store, lost=lambda item, reason: None, cancel=token)
    assert time.monotonic() - started < 60  # not the 600 s limit, nor the hour the hang sleeps


def test_a_scan_skips_the_crashing_and_the_hanging_file_and_stores_the_rest(tmp_path, monkeypatch):
    music = tmp_path / "music"
    music.mkdir()
    rng = np.random.default_rng(3)
    for i in range(5):
        write_audio(music / f"t{i}.wav", (0.2 * rng.standard_normal(22_050 * 2)).astype(np.float32), 22_050)
    monkeypatch.setenv("MUSICMATCH_TEST_CRASH_ON", "t1.wav")
    monkeypatch.setenv("MUSICMATCH_TEST_HANG_ON", "t3.wav")
    with LibraryDB(tmp_path / "lib.sqlite") as db:
        report = scan_folders(db, [music], jobs=2, limits=FileLimits(floor_s=5.0))
        assert report.analysed == 3
        reasons = {Path(p).name: why for p, why in report.skipped}
        assert "signal 9" in reasons["t1.wav"] and reasons["t3.wav"].startswith("analysis took longer than 5 s")
        assert sorted(Path(r.path).name for r in db.records()) == ["t0.wav", "t2.wav", "t4.wav"]
        assert {Path(p).name for p, _ in db.errors()} == {"t1.wav", "t3.wav"}
        # The next scan does not try them again until they change (like any file that failed).
        monkeypatch.delenv("MUSICMATCH_TEST_CRASH_ON")
        again = scan_folders(db, [music], jobs=2)
        assert (again.analysed, again.unchanged, len(again.skipped)) == (0, 3, 2)
