"""Hostile tables and vectors: match, predict, train, evaluate and library import-csv.

Every case states its contract (see :mod:`tests.hostile.contract`): exit 0 with the right
output for odd-but-valid input, exit 2 with one stderr line naming the problem for bad input.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.features import MUSIC, VIDEO
from tests.hostile import media
from tests.hostile.contract import check

TARGET = "-5.52,-3.58,1.2,0.5,2.0,63.1,48.2,76.18,55.0,-20.44"
VIDEO_VEC = ",".join(["0.5"] * len(VIDEO))
HEADER = ["name", *MUSIC.ids]
MODEL_FILES = ["m.safetensors", "m.safetensors.json", "m.md"]
"""What ``train --out m.safetensors`` writes: weights, side file, model card."""


def _rows(n=4, seed=0):
    rng = np.random.default_rng(seed)
    return [[f"t{i}", *rng.normal(0, 1, len(MUSIC)).round(3)] for i in range(n)]


def _with(cell_row, cell_col, value, n=4):
    rows = _rows(n)
    rows[cell_row][cell_col] = value
    return rows


# name -> (writer of the CSV into a folder, expected status, words the error line must name)
BAD_LIBRARY_CSVS = {
    "nan_cell": (lambda p: media.write_csv(p, _with(1, 3, "nan"), HEADER), ["line 3"]),
    "inf_cell": (lambda p: media.write_csv(p, _with(2, 4, "inf"), HEADER), ["line 4"]),
    "minus_inf_cell": (lambda p: media.write_csv(p, _with(0, 5, "-Infinity"), HEADER), ["line 2"]),
    "overflow_cell": (lambda p: media.write_csv(p, _with(1, 2, "1e999"), HEADER), ["line 3"]),
    "empty_cell": (lambda p: media.write_csv(p, _with(1, 6, ""), HEADER), ["line 3"]),
    "text_cell": (lambda p: media.write_csv(p, _with(3, 7, "loud"), HEADER), ["line 5"]),
    "formula_cell": (lambda p: media.write_csv(p, _with(0, 1, "=1+1"), HEADER), ["line 2"]),
    "implausibly_large": (lambda p: media.write_csv(p, _with(0, 2, "1e300"), HEADER), ["line 2", MUSIC.ids[1]]),
    "missing_column": (lambda p: media.write_csv(p, [r[:-1] for r in _rows()], HEADER[:-1]), ["column"]),
    "short_row": (lambda p: media.write_csv(p, [*_rows(3), _rows(1)[0][:5]], HEADER), ["line 5"]),
    "duplicate_header": (lambda p: media.write_csv(p, [[*r, r[1]] for r in _rows()], [*HEADER, MUSIC.ids[0]]),
                         [MUSIC.ids[0]]),
    "empty_file": (lambda p: p.write_bytes(b"") and p, ["empty"]),
    "header_only": (lambda p: media.write_csv(p, [], HEADER), ["no tracks"]),
    "binary_garbage": (lambda p: p.write_bytes(np.random.default_rng(1).bytes(4096)) and p, []),
    "nul_bytes": (lambda p: p.write_bytes(b"\x00" * 2000) and p, []),
    "one_column": (lambda p: p.write_text("name\nfoo\nbar\n") and p, []),
    "png_renamed": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200)) and p, []),
}


@pytest.mark.parametrize("case", sorted(BAD_LIBRARY_CSVS))
def test_match_refuses_a_bad_library_csv(capfd, tmp_path, case):
    make, mentions = BAD_LIBRARY_CSVS[case]
    table = make(tmp_path / "audio.csv") or tmp_path / "audio.csv"
    check(capfd, ["match", "--audio-csv", table, "--pred-feat", TARGET], expect=2, root=tmp_path,
          mentions=["audio.csv", *mentions])


@pytest.mark.parametrize("case", ["nan_cell", "inf_cell", "text_cell", "short_row", "empty_file", "binary_garbage"])
def test_import_csv_refuses_a_bad_table_and_leaves_the_library_alone(capfd, tmp_path, kit, case):
    make, mentions = BAD_LIBRARY_CSVS[case]
    table = make(tmp_path / "audio.csv") or tmp_path / "audio.csv"
    db = kit.library(tmp_path)
    check(capfd, ["library", "import-csv", table, "--db", db], expect=2, root=tmp_path, mentions=["audio.csv", *mentions])


GOOD_LIBRARY_CSVS = {
    "bom_crlf": lambda p: p.write_bytes(b"\xef\xbb\xbf" + (",".join(HEADER) + "\r\n" + "\r\n".join(
        ",".join(map(str, r)) for r in _rows()) + "\r\n").encode()),
    "semicolon_decimal_comma": lambda p: media.write_csv(
        p, [[str(c).replace(".", ",") for c in r] for r in _rows()], HEADER, delimiter=";"),
    "tab_separated": lambda p: media.write_csv(p, _rows(), HEADER, delimiter="\t"),
    "no_header": lambda p: media.write_csv(p, _rows()),
    "seed_names_reordered": lambda p: media.write_csv(p, [[r[0], *reversed(r[1:])] for r in _rows()],
                                                      ["name", *reversed(MUSIC.ids)]),
    "formula_names": lambda p: media.write_csv(p, [["=HYPERLINK(1)", *r[1:]] if i == 0 else
                                                   (["@SUM(A1)", *r[1:]] if i == 1 else r)
                                                   for i, r in enumerate(_rows())], HEADER),
    "chinese_gb18030": lambda p: media.write_csv(p, [["音乐" + str(i), *r[1:]] for i, r in enumerate(_rows())],
                                                 HEADER, encoding="gb18030"),
    "duplicate_names": lambda p: media.write_csv(p, [["same", *r[1:]] for r in _rows()], HEADER),
    "quoted_name_with_comma": lambda p: media.write_csv(p, [[f'a, "b" {i}', *r[1:]] for i, r in enumerate(_rows())],
                                                        HEADER),
    "extra_unknown_column": lambda p: media.write_csv(p, [[*r, "x"] for r in _rows()], [*HEADER, "comment"]),
    "single_track": lambda p: media.write_csv(p, _rows(1), HEADER),
    "large_but_plausible": lambda p: media.write_csv(p, _with(0, 2, "123456789.5"), HEADER),
    "blank_lines": lambda p: p.write_text("\n".join([",".join(HEADER), "", *(",".join(map(str, r)) for r in _rows()),
                                                     "", ""])),
}


@pytest.mark.parametrize("case", sorted(GOOD_LIBRARY_CSVS))
def test_match_takes_an_odd_but_valid_library_csv(capfd, tmp_path, case):
    table = tmp_path / "audio.csv"
    GOOD_LIBRARY_CSVS[case](table)
    out = check(capfd, ["match", "--audio-csv", table, "--pred-feat", TARGET, "--json", "--top-k", "3"], expect=0,
                root=tmp_path).out
    results = json.loads(out)["results"]
    assert len(results) == (1 if case == "single_track" else 3)
    assert all(np.isfinite(r["distance"]) for r in results)
    assert [r["rank"] for r in results] == list(range(1, len(results) + 1))
    if case == "formula_names":
        names = {r["name"] for r in json.loads(check(capfd, ["match", "--audio-csv", table, "--pred-feat", TARGET,
                                                             "--json", "--top-k", "4"], expect=0, root=tmp_path).out)[
            "results"]}
        assert {"=HYPERLINK(1)", "@SUM(A1)"} <= names  # shown as they are: only exports neutralise them


BAD_VECTORS = {
    "nan": ("nan," + TARGET.split(",", 1)[1], ["nan"]),
    "inf": (TARGET.rsplit(",", 1)[0] + ",inf", ["inf"]),
    "nine_values": (TARGET.rsplit(",", 1)[0], ["10"]),
    "eleven_values": (TARGET + ",1", ["10"]),
    "words": ("loud,fast", []),
    "empty": ("", []),
    "double_comma": (TARGET.replace(",", ",,", 1), []),
    "overflow": ("1e999," + TARGET.split(",", 1)[1], []),
}


@pytest.mark.parametrize("case", sorted(BAD_VECTORS))
def test_match_refuses_a_bad_target_vector(capfd, tmp_path, case):
    vector, mentions = BAD_VECTORS[case]
    table = media.audio_csv(tmp_path / "audio.csv")
    check(capfd, ["match", "--audio-csv", table, f"--pred-feat={vector}"], expect=2, root=tmp_path,
          mentions=["--pred-feat", *mentions])


BAD_OPTIONS = {
    "top_k_zero": (["--top-k", "0"], ["--top-k"]),
    "top_k_text": (["--top-k", "many"], ["--top-k"]),
    "unknown_dims": (["--dims", f"{MUSIC.ids[0]},nope"], ["nope"]),
    "weights_negative": (["--weights", f"{MUSIC.ids[0]}=-1"], [MUSIC.ids[0]]),
    "weights_nan": (["--weights", f"{MUSIC.ids[0]}=nan"], [MUSIC.ids[0]]),
    "weights_unknown": (["--weights", "nope=1"], ["nope"]),
    "metric_unknown": (["--metric", "manhattan"], ["--metric"]),
    "missing_csv": (["--audio-csv", "MISSING"], ["missing.csv"]),
    "csv_is_folder": (["--audio-csv", "FOLDER"], ["folder"]),
}


@pytest.mark.parametrize("case", sorted(BAD_OPTIONS))
def test_match_refuses_bad_options(capfd, tmp_path, case):
    extra, mentions = BAD_OPTIONS[case]
    table = media.audio_csv(tmp_path / "audio.csv")
    (tmp_path / "folder").mkdir()
    extra = [str(tmp_path / "missing.csv") if e == "MISSING" else str(tmp_path / "folder") if e == "FOLDER" else e
             for e in extra]
    argv = ["match", "--audio-csv", table, "--pred-feat", TARGET, *extra]
    check(capfd, argv, expect=2, root=tmp_path, mentions=mentions)


def test_match_top_k_larger_than_the_library_lists_them_all(capfd, tmp_path):
    table = media.audio_csv(tmp_path / "audio.csv", 3)
    out = check(capfd, ["match", "--audio-csv", table, "--pred-feat", TARGET, "--top-k", "1000000", "--json"],
                expect=0, root=tmp_path).out
    assert len(json.loads(out)["results"]) == 3


def test_match_refuses_a_huge_sparse_csv_quickly(capfd, tmp_path):
    table = media.sparse(tmp_path / "audio.csv", 8 << 30, ",".join(HEADER).encode() + b"\n")
    check(capfd, ["match", "--audio-csv", table, "--pred-feat", TARGET], expect=2, root=tmp_path,
          mentions=["audio.csv"], seconds=20)


# ---------------------------------------------------------------- predict
@pytest.mark.parametrize("case", ["nan", "inf", "ten_values", "words"])
def test_predict_refuses_a_bad_video_vector(capfd, tmp_path, case):
    vector = {"nan": "nan," + VIDEO_VEC.split(",", 1)[1], "inf": VIDEO_VEC.rsplit(",", 1)[0] + ",-inf",
              "ten_values": VIDEO_VEC.rsplit(",", 1)[0], "words": "calm"}[case]
    check(capfd, ["predict", f"--video-feat={vector}"], expect=2, root=tmp_path, mentions=["--video-feat"])


def _video_rows(n=3):
    return [list(np.round(np.random.default_rng(i).uniform(0.2, 0.8, len(VIDEO)), 3)) for i in range(n)]


BAD_VIDEO_CSVS = {
    "nan": lambda p: media.write_csv(p, [r if i != 1 else ["nan", *r[1:]] for i, r in enumerate(_video_rows())],
                                     list(VIDEO.ids)),
    "missing_column": lambda p: media.write_csv(p, [r[:-1] for r in _video_rows()], list(VIDEO.ids[:-1])),
    "empty": lambda p: p.write_bytes(b""),
    "header_only": lambda p: media.write_csv(p, [], list(VIDEO.ids)),
    "garbage": lambda p: p.write_bytes(bytes(range(256)) * 4),
}


@pytest.mark.parametrize("case", sorted(BAD_VIDEO_CSVS))
def test_predict_refuses_a_bad_video_csv(capfd, tmp_path, case):
    table = tmp_path / "video.csv"
    BAD_VIDEO_CSVS[case](table)
    check(capfd, ["predict", "--video-csv", table], expect=2, root=tmp_path, mentions=["video.csv"])


def test_predict_video_csv_with_extreme_but_finite_values_answers_in_range(capfd, tmp_path):
    table = media.write_csv(tmp_path / "video.csv", [[1e12] * len(VIDEO), [-1e12] * len(VIDEO)], list(VIDEO.ids))
    documents = json.loads(check(capfd, ["predict", "--video-csv", table, "--json"], expect=0, root=tmp_path).out)
    assert len(documents) == 2
    for document in documents:
        assert all(np.isfinite(v) for v in document["features"].values())


# ---------------------------------------------------------------- train / evaluate
BAD_PAIRS = {
    "nan": lambda p: _pairs_with(p, 3, 2, "nan"),
    "inf": lambda p: _pairs_with(p, 5, 14, "inf"),
    "text": lambda p: _pairs_with(p, 7, 0, "calm"),
    "formula": lambda p: _pairs_with(p, 2, 12, "=A1*2"),
    "missing_music_column": lambda p: _pairs_drop(p, MUSIC.ids[-1]),
    "too_few_rows": lambda p: media.pairs_csv(p, 2),
    "empty": lambda p: p.write_bytes(b""),
    "garbage": lambda p: p.write_bytes(b"\xff\xfe" + bytes(500)),
}


def _pairs_with(path, row, col, value):
    media.pairs_csv(path, 40)
    lines = path.read_text().splitlines()
    cells = lines[row + 1].split(",")
    cells[col] = value
    lines[row + 1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")


def _pairs_drop(path, column):
    media.pairs_csv(path, 40)
    lines = [line.split(",") for line in path.read_text().splitlines()]
    index = lines[0].index(column)
    path.write_text("\n".join(",".join(c for j, c in enumerate(cells) if j != index) for cells in lines) + "\n")


@pytest.mark.parametrize("case", sorted(BAD_PAIRS))
def test_train_refuses_bad_pairs_before_any_work(capfd, tmp_path, case):
    pairs = tmp_path / "pairs.csv"
    BAD_PAIRS[case](pairs)
    check(capfd, ["train", "--pairs", pairs, "--trials", "0", "--out", tmp_path / "m.safetensors"], expect=2,
          root=tmp_path, mentions=["pairs.csv"], outputs=MODEL_FILES)


@pytest.mark.parametrize("case", ["nan", "missing_music_column", "empty"])
def test_evaluate_refuses_bad_pairs(capfd, tmp_path, case):
    pairs = tmp_path / "pairs.csv"
    BAD_PAIRS[case](pairs)
    check(capfd, ["evaluate", "--pairs", pairs], expect=2, root=tmp_path, mentions=["pairs.csv"])


@pytest.mark.parametrize("trouble", ["missing_folder", "onto_pairs", "is_folder"])
def test_train_refuses_an_unusable_out_before_training(capfd, tmp_path, trouble):
    pairs = media.pairs_csv(tmp_path / "pairs.csv", 40)
    (tmp_path / "dir").mkdir()
    out = {"missing_folder": tmp_path / "nope" / "m.safetensors", "onto_pairs": pairs, "is_folder": tmp_path / "dir"}
    check(capfd, ["train", "--pairs", pairs, "--trials", "0", "--out", out[trouble]], expect=2, root=tmp_path,
          seconds=20)


@pytest.mark.slow
def test_train_and_evaluate_on_valid_pairs(capfd, tmp_path):
    pairs = media.pairs_csv(tmp_path / "pairs.csv", 60)
    model = tmp_path / "m.safetensors"
    doc = json.loads(check(capfd, ["train", "--pairs", pairs, "--trials", "0", "--out", model, "--json"], expect=0,
                           root=tmp_path, outputs=MODEL_FILES, seconds=120).out)
    assert 0 <= doc["recall_at"]["1"] <= doc["recall_at"]["10"] <= 1
    doc = json.loads(check(capfd, ["evaluate", "--pairs", pairs, "--model", model, "--json"], expect=0,
                           root=tmp_path).out)
    assert doc["pool_size"] > 0 and np.isfinite(doc["median_rank"])
