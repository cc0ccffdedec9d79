"""Finding 5 of issue #13: quitting never crashes, whatever is still running.

Before the fix, Ctrl+Q while the recommender was still loading ended in "QThread:
Destroyed while thread is still running" and "Fatal Python error: Aborted" (or a
segfault, or none_dealloc) in 6 runs of 6: a job thread outlived the application. Each
run here is a fresh process, as the editor's start-open-quit is.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtMultimedia")

DRIVER = Path(__file__).with_name("quit_driver.py")


def _run(mode: str, media, tmp_path) -> subprocess.CompletedProcess:
    clip, db_path = media
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONFAULTHANDLER": "1",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.run([sys.executable, str(DRIVER), mode, str(clip), str(db_path)], env=env,
                          capture_output=True, text=True, timeout=240)


@pytest.mark.parametrize("mode", ["early", "early", "early", "after"])
def test_start_open_quit_never_crashes(mode, media, tmp_path):
    done = _run(mode, media, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Fatal Python error" not in done.stderr and "Destroyed while thread" not in done.stderr
