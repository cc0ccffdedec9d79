"""Smoke test of the built one-folder bundle (installer/linux/build.sh), run with no Python on PATH.

Skipped when no bundle has been built (``dist/MusicMatch``): building takes minutes and
needs PyInstaller, so ``./test`` does not build one. CI or a release build runs
``installer/linux/build.sh`` first, then this file.
"""

from __future__ import annotations

import json
import os
import subprocess
import tomllib
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "MusicMatch"
CLI = BUNDLE / ("musicmatch.exe" if os.name == "nt" else "musicmatch")

pytestmark = pytest.mark.skipif(not CLI.exists(), reason="no bundle built (run installer/linux/build.sh)")


def _run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    # Nothing but the system's own folders on PATH: the bundle must not need a Python.
    env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "QT_QPA_PLATFORM": "offscreen",
           "LANG": "C.UTF-8"}
    return subprocess.run([str(CLI), *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_version_is_the_projects():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    done = _run("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"musicmatch {version}"


def test_match_on_a_small_library(tmp_path):
    rng = np.random.default_rng(0)
    rows = ["name,richness,variation,rhythm,warmth,harmony,brightness,melody_trend,rhythm_speed,arousal,valence"]
    for i in range(20):
        values = list(rng.uniform(-8, 8, 5)) + list(rng.uniform(5, 95, 4)) + [rng.uniform(-90, 90)]
        rows.append(f"t{i}.wav," + ",".join(f"{v:.3f}" for v in values))
    library = tmp_path / "lib.csv"
    library.write_text("\n".join(rows) + "\n")
    done = _run("match", "--audio-csv", str(library), "--pred-feat", "0,0,0,0,0,50,50,50,50,0", "--top-k", "3",
                "--json")
    assert done.returncode == 0, done.stderr
    assert [r["rank"] for r in json.loads(done.stdout)["results"]] == [1, 2, 3]


def test_gui_screenshot_from_the_bundle(tmp_path):
    from core.video.synth import ClipSpec, write_clip

    clip = write_clip(tmp_path / "clip.mp4", ClipSpec(seconds=3, shot_seconds=1.5), audio=True)
    demo = _run("demo", "--out", str(tmp_path / "demo"))
    assert demo.returncode == 0, demo.stderr
    png = tmp_path / "shot.png"
    done = _run("gui", "--video", str(clip), "--db", str(tmp_path / "demo" / "library.sqlite"), "--screenshot",
                str(png), "--device", "cpu")
    assert done.returncode == 0, done.stderr[-2000:]
    assert png.stat().st_size > 50_000


def test_recommend_runs_the_bundled_model(tmp_path):
    # The whole chain from the bundle: video analysis, the shipped recommender (torch), ranking.
    demo = _run("demo", "--out", str(tmp_path / "demo"))
    assert demo.returncode == 0, demo.stderr
    done = _run("recommend", str(tmp_path / "demo" / "demo_fast_cuts.mp4"), "--db", str(tmp_path / "demo" / "library.sqlite"),
                "--device", "cpu", "--top-k", "3", "--json")
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert [r["rank"] for r in report["results"]] == [1, 2, 3]
