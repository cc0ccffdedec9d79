"""`musicmatch match`: the seed's command line, its text form, JSON and every bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.cli import main
from core.library.csv_format import write_library_csv

TARGET = "-5.52,-3.58,1.25,0.5,2.0,63.1,48.2,76.18,55.0,-20.44"


@pytest.fixture
def library(tmp_path, rng):
    features = rng.normal(size=(40, 10)) * [4, 4, 4, 4, 4, 20, 20, 20, 20, 40] + [0, 0, 0, 0, 0, 50, 50, 50, 50, 0]
    features[17] = [float(v) for v in TARGET.split(",")]  # the perfect match
    features[31] = features[17]  # and a tie, later in library order
    path = write_library_csv(tmp_path / "audio_features.csv", features, [f"track_{i:02d}.wav" for i in range(40)])
    return path, features


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_seed_text_form(library, capsys):
    path, _ = library
    code, out, err = run(["match", "--audio-csv", str(path), "--pred-feat", TARGET, "--top-k", "3"], capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "Distance metric: Euclidean"
    assert lines[1] == "Top-3 matches:"
    assert lines[2] == "1. index/name: track_17.wav distance: 0.0000"
    assert lines[3] == "2. index/name: track_31.wav distance: 0.0000"
    assert re.fullmatch(r"3\. index/name: track_\d\d\.wav distance: \d+\.\d{4}", lines[4])
    assert len(lines) == 5


def test_seed_spelling_of_options_and_equals_form(library, capsys):
    path, _ = library
    code, out, _ = run(["match", "--audio_csv", str(path), f"--pred_feat={TARGET}", "--top_k", "2"], capsys)
    assert code == 0 and out.splitlines()[1] == "Top-2 matches:"


def test_headerless_library_prints_row_index(tmp_path, capsys):
    path = tmp_path / "plain.csv"
    path.write_text("\n".join(",".join(["1"] * 10) if i != 2 else TARGET for i in range(4)) + "\n")
    code, out, _ = run(["match", "--audio-csv", str(path), "--pred-feat", TARGET, "--top-k", "1"], capsys)
    assert code == 0 and out.splitlines()[2] == "1. index/name: 2 distance: 0.0000"


def test_json_output(library, capsys):
    path, _ = library
    code, out, _ = run(
        ["match", "--audio-csv", str(path), "--pred-feat", TARGET, "--metric", "cosine", "--dims", "va",
         "--weights", "arousal=2", "--top-k", "4", "--json"],
        capsys,
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["metric"] == "cosine" and doc["dims"] == ["arousal", "valence"]
    assert doc["weights"] == {"arousal": 2.0, "valence": 1.0}
    assert [r["rank"] for r in doc["results"]] == [1, 2, 3, 4]
    assert doc["results"][0]["index"] == 17 and doc["results"][0]["name"] == "track_17.wav"
    distances = [r["distance"] for r in doc["results"]]
    assert distances == sorted(distances)
    for row in doc["results"]:
        assert sum(row["shares"].values()) == pytest.approx(1.0) or row["distance"] == pytest.approx(0, abs=1e-12)


def test_raw_reproduces_the_unscaled_distance(library, capsys):
    path, features = library
    code, out, _ = run(["match", "--audio-csv", str(path), "--pred-feat", TARGET, "--raw", "--json",
                        "--top-k", "40"], capsys)
    assert code == 0
    doc = json.loads(out)
    stored = features.astype(np.float32).astype(np.float64)
    target = np.array([float(v) for v in TARGET.split(",")])
    for row in doc["results"]:
        assert row["distance"] == pytest.approx(np.linalg.norm(stored[row["index"]] - target), rel=1e-9, abs=1e-5)


def test_explain_adds_shares(library, capsys):
    path, _ = library
    code, out, _ = run(["match", "--audio-csv", str(path), "--pred-feat", TARGET, "--top-k", "3", "--explain"],
                       capsys)
    lines = out.splitlines()
    # Each result: its line, its three largest shares, its reasons in words (#16).
    assert code == 0 and re.fullmatch(r"   shares: \w+ \d+%, \w+ \d+%, \w+ \d+%", lines[9])
    assert lines[10].startswith("   why: ") and len(lines) == 11


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--pred-feat", "1,2,3"], "--pred-feat must be 10 comma-separated numbers"),
        (["--pred-feat", "1,2,3,4,5,6,7,8,9,nan"], r"value 10 \(valence\) is not a number"),
        (["--pred-feat", "1,2,3,4,5,6,7,8,9,1e400"], r"value 9|value 10 \(valence\) is not finite"),
        (["--pred-feat", TARGET, "--dims", "tempo"], "unknown music dimension 'tempo'"),
        (["--pred-feat", TARGET, "--weights", "arousal=-1"], "weight for 'arousal' is negative"),
        (["--pred-feat", TARGET, "--weights", "tempo=1"], "unknown music dimension 'tempo'"),
        (["--pred-feat", TARGET, "--weights", "arousal"], "not of the form id=number"),
        (["--pred-feat", TARGET, "--top-k", "0"], "must be at least 1"),
        (["--pred-feat", TARGET, "--top-k", "three"], "must be a whole number"),
        (["--pred-feat", TARGET, "--metric", "manhattan"], "invalid choice: 'manhattan'"),
        ([], "give a target: --pred-feat V1,...,V10 or --like TRACK"),
    ],
)
def test_bad_options_exit_2_with_one_line(library, capsys, extra, message):
    path, _ = library
    code, out, err = run(["match", "--audio-csv", str(path), *extra], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("musicmatch match: error: ")
    assert re.search(message, err)
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("name,a,b\nx,1,2\n", "line 1 has 3 columns"),
        ("x," + ",".join(["1"] * 10) + "\ny," + ",".join(["1"] * 9) + ",oops\n", "line 2, column 'column 11'"),
        ("x," + ",".join(["1"] * 10) + "\ny," + ",".join(["1"] * 9) + "\n", "line 2 has 10 fields, expected 11"),
    ],
)
def test_bad_library_files_exit_2(tmp_path, capsys, content, message):
    path = tmp_path / "lib.csv"
    if content is not None:
        path.write_text(content)
    code, _, err = run(["match", "--audio-csv", str(path), "--pred-feat", TARGET], capsys)
    assert code == 2 and err.count("\n") == 1 and message in err


def test_no_command_prints_help_and_unknown_command_fails(capsys):
    code, out, _ = run([], capsys)
    assert code == 0 and "match" in out
    code, _, err = run(["frobnicate"], capsys)
    assert code == 2 and err.count("\n") == 1


def test_internal_errors_exit_1_with_traceback(library, capsys, monkeypatch):
    path, _ = library
    import core.library.source as library_source  # where `match --audio-csv` reads the CSV (open_library)

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(library_source, "read_library_csv", broken)
    code, _, err = run(["match", "--audio-csv", str(path), "--pred-feat", TARGET], capsys)
    assert code == 1 and "internal error" in err and "ZeroDivisionError" in err


def test_installed_console_script(library):
    """The real `musicmatch` executable, as an editor runs it."""
    path, _ = library
    script = Path(sys.executable).with_name("musicmatch")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "core"]
    done = subprocess.run([*command, "match", "--audio-csv", str(path), "--pred-feat", TARGET, "--top-k", "1"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2] == "1. index/name: track_17.wav distance: 0.0000"
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("musicmatch ")
    bad = subprocess.run([*command, "match", "--audio-csv", str(path), "--pred-feat", "1,2"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
