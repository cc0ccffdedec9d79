from __future__ import annotations

import os

import pytest

from core.fileio import atomic_write_bytes, atomic_write_text


def test_atomic_write_replaces_and_keeps_backup(tmp_path):
    target = tmp_path / "project.mmproj"
    atomic_write_text(target, "first")
    atomic_write_text(target, "second", backup=True)
    assert target.read_text() == "second"
    assert (tmp_path / "project.mmproj.bak").read_text() == "first"
    assert sorted(os.listdir(tmp_path)) == ["project.mmproj", "project.mmproj.bak"]


def test_failed_write_leaves_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "lib.csv"
    atomic_write_bytes(target, b"old")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["lib.csv"]
