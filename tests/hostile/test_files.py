"""Hostile projects, model files and library databases: export, predict/extract --model, library list/export/import,
train --from-projects, train-extractor and demo."""

from __future__ import annotations

import csv
import json
import pickle

import numpy as np
import pytest

from core.features import MUSIC, VIDEO
from tests.hostile import media
from tests.hostile.contract import check

VIDEO_VEC = ",".join(["0.5"] * len(VIDEO))
MISSING_AUDIO = r"^warning: .* is missing and no file with its content was found$"
"""The picks of a project made from a CSV library name no real audio file: export warns, per pick, and goes on."""
FORMATS = {"otio": "cut.otio", "fcpxml": "cut.fcpxml", "edl": "cut.edl", "csv": "cut.csv"}


# ---------------------------------------------------------------- projects
def _set(path, keys, value):
    def change(document):
        node = document
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value
    return change


def _video_fps(document):
    # The project names its clip's rate under video.info or video; set whichever it has.
    return document["video"]


BAD_PROJECTS = {
    "truncated": (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), ["clip.mmproj"]),
    "empty": (lambda p: p.write_bytes(b""), ["clip.mmproj"]),
    "not_json": (lambda p: p.write_text("PROJECT v1\nvideo=a.mp4\n"), ["clip.mmproj"]),
    "not_utf8": (lambda p: p.write_bytes(p.read_bytes().replace(b'"format"', b'"\xff\xfeformat"')), ["clip.mmproj"]),
    "deep": (lambda p: media.deep_json(p), ["deep"]),
    "huge_sparse": (lambda p: media.sparse(p, 2 << 30, b'{"format": "musicmatch-project", "x": "'), ["large"]),
    "from_the_future": (lambda p: media.edit_json(p, p, _set(p, ["version"], 99)), ["newer"]),
    "other_format": (lambda p: media.edit_json(p, p, _set(p, ["format"], "premiere-project")), ["not a MusicMatch"]),
    "a_list": (lambda p: p.write_text("[1, 2, 3]"), ["not a MusicMatch"]),
    "picks_not_a_list": (lambda p: media.edit_json(p, p, _set(p, ["picks"], "all")), ["picks"]),
    "nan_target": (lambda p: p.write_text(p.read_text().replace('"target": {', '"target": {"__x": NaN, ', 1)),
                   ["clip.mmproj"]),
    "feature_schema_future": (lambda p: media.edit_json(p, p, _set(p, ["feature_schema"], 42)), ["schema"]),
    "pick_in_after_out": (lambda p: media.edit_json(p, p, _swap_in_out), ["clip.mmproj"]),
}


def _swap_in_out(document):
    pick = document["picks"][0]
    keys = [k for k in pick if k.endswith("in_s") or k.endswith("out_s")]
    if len(keys) >= 2:
        a, b = sorted(keys)[:2]
        pick[a], pick[b] = 1e9, -5.0
    else:
        pick["in_s"], pick["out_s"] = 1e9, -5.0


@pytest.mark.parametrize("case", sorted(BAD_PROJECTS))
def test_export_refuses_a_bad_project_in_one_line(capfd, tmp_path, kit, case):
    project = kit.project(tmp_path)
    make, mentions = BAD_PROJECTS[case]
    make(project)
    check(capfd, ["export", project, "--format", "csv", "--out", tmp_path / "cut.csv"], expect=2, root=tmp_path,
          mentions=mentions, outputs=["cut.csv"], seconds=30)


@pytest.mark.parametrize("case", ["truncated", "deep", "from_the_future", "not_utf8"])
def test_train_from_projects_refuses_a_bad_project(capfd, tmp_path, kit, case):
    project = kit.project(tmp_path)
    BAD_PROJECTS[case][0](project)
    check(capfd, ["train", "--from-projects", project, "--trials", "0", "--out", tmp_path / "m.safetensors"],
          expect=2, root=tmp_path, mentions=["clip.mmproj"], seconds=30)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_writes_every_format_from_a_real_project(capfd, tmp_path, kit, fmt):
    project = kit.project(tmp_path)
    check(capfd, ["export", project, "--format", fmt, "--out", tmp_path / FORMATS[fmt]], expect=0, root=tmp_path,
          outputs=[FORMATS[fmt]], err_allowed=MISSING_AUDIO)
    text = (tmp_path / FORMATS[fmt]).read_text(encoding="utf-8-sig")
    assert "track_0" in text or "track_" in text


def _fps_project(kit, folder, clip, picks="1,2"):
    """A project saved by the CLI for a clip at an odd frame rate."""
    from core.cli.main import main

    video = kit.put(clip, folder)
    table = media.audio_csv(folder / "a.csv", 4, names=["=cmd|' /C calc'!A0", "+bad", "@SUM(1)", "-2+3"])
    project = folder / "odd.mmproj"
    assert main(["recommend", str(video), "--audio-csv", str(table), "--pick", picks,
                 "--save-project", str(project)]) == 0
    return project


@pytest.mark.parametrize("clip", ["fps_8.mp4", "fps_12_5.mp4", "fps_120.mp4", "ntsc_29_97.mp4"])
@pytest.mark.parametrize("fmt", ["edl", "fcpxml"])
def test_export_at_odd_frame_rates(capfd, tmp_path, kit, clip, fmt):
    project = _fps_project(kit, tmp_path, clip)
    capfd.readouterr()
    check(capfd, ["export", project, "--format", fmt, "--out", tmp_path / FORMATS[fmt]], expect=0, root=tmp_path,
          outputs=[FORMATS[fmt]], err_allowed=MISSING_AUDIO)


def test_exported_csv_cue_sheet_is_spreadsheet_safe(capfd, tmp_path, kit):
    project = _fps_project(kit, tmp_path, "plain.mp4", picks="1,2,3,4")
    check(capfd, ["export", project, "--format", "csv", "--out", tmp_path / "cut.csv"], expect=0, root=tmp_path,
          outputs=["cut.csv"], err_allowed=MISSING_AUDIO)
    with open(tmp_path / "cut.csv", encoding="utf-8-sig", newline="") as stream:
        cells = [cell for row in csv.reader(stream) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not _number(c))]


def _number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


EXPORT_OUT_TROUBLE = {
    "onto_the_project": lambda d: d / "clip.mmproj",
    "missing_folder": lambda d: d / "gone" / "cut.csv",
    "a_folder": lambda d: d,
    "empty_name": lambda d: "",
}


@pytest.mark.parametrize("case", sorted(EXPORT_OUT_TROUBLE))
def test_export_refuses_an_unusable_out(capfd, tmp_path, kit, case):
    project = kit.project(tmp_path)
    check(capfd, ["export", project, "--format", "csv", "--out", EXPORT_OUT_TROUBLE[case](tmp_path)], expect=2,
          root=tmp_path)


def test_export_refuses_an_unknown_format(capfd, tmp_path, kit):
    project = kit.project(tmp_path)
    check(capfd, ["export", project, "--format", "aaf", "--out", tmp_path / "x.aaf"], expect=2, root=tmp_path,
          mentions=["--format"])


# ---------------------------------------------------------------- model files
def _flip_a_byte(path):
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))


class _Boom:
    def __reduce__(self):
        return (open, ("PWNED", "w"))


MODEL_TROUBLE = {
    "truncated_weights": (lambda m: m.write_bytes(m.read_bytes()[:100]), None),
    "tampered_weights": (_flip_a_byte, None),
    "tampered_weights_no_hash": (lambda m: (_flip_a_byte(m), media.edit_json(
        m.with_name(m.name + ".json"), m.with_name(m.name + ".json"), lambda d: d.pop("weights_sha256", None))),
        None),
    "pickle_posing_as_weights": (lambda m: m.write_bytes(pickle.dumps(_Boom())), None),
    "missing_side_file": (lambda m: m.with_name(m.name + ".json").unlink(), None),
    "side_file_not_utf8": (lambda m: m.with_name(m.name + ".json").write_bytes(b'{"version": "\xff\xfe"}'), None),
    "side_file_deep": (lambda m: m.with_name(m.name + ".json").write_text("[" * 50_000 + "]" * 50_000), None),
    "side_file_huge": (lambda m: media.sparse(m.with_name(m.name + ".json"), 64 << 20, b"{"), None),
    "side_file_from_the_future": (lambda m: media.edit_json(m.with_name(m.name + ".json"),
                                                            m.with_name(m.name + ".json"),
                                                            lambda d: d.update(version=99)), None),
    "missing_weights": (lambda m: m.unlink(), None),
    "weights_are_a_folder": (lambda m: (m.unlink(), m.mkdir()), None),
}


MODEL_MENTIONS = {"side_file_huge": ("too large",), "tampered_weights": ("do not match",)}
"""Words the error line must hold where the reason matters (refused for its size, not parsed)."""


def _model_case(name):
    reason = MODEL_TROUBLE[name][1]
    return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason)) if reason else name


@pytest.mark.parametrize("case", [_model_case(n) for n in sorted(MODEL_TROUBLE)])
def test_predict_refuses_a_bad_recommender_model(capfd, tmp_path, kit, case, monkeypatch):
    model = kit.shipped_model(tmp_path)
    MODEL_TROUBLE[case][0](model)
    monkeypatch.chdir(tmp_path)
    check(capfd, ["predict", f"--video-feat={VIDEO_VEC}", "--model", model], expect=2, root=tmp_path,
          mentions=["model.safetensors", *MODEL_MENTIONS.get(case, ())], seconds=20)
    assert not (tmp_path / "PWNED").exists()


def test_predict_with_a_copied_shipped_model(capfd, tmp_path, kit):
    model = kit.shipped_model(tmp_path)
    document = json.loads(check(capfd, ["predict", f"--video-feat={VIDEO_VEC}", "--model", model, "--json"],
                                expect=0, root=tmp_path).out)
    assert list(document["features"]) == list(MUSIC.ids) and document["emotion"]


HEAD_TROUBLE = ["truncated_weights", "tampered_weights", "tampered_weights_no_hash", "pickle_posing_as_weights",
                "missing_side_file", "side_file_not_utf8", "side_file_deep", "side_file_huge"]


@pytest.mark.parametrize("case", HEAD_TROUBLE)
def test_extract_refuses_a_bad_video_head(capfd, tmp_path, kit, case, monkeypatch):
    head = kit.head(tmp_path)
    MODEL_TROUBLE[case][0](head)
    clip = kit.put("plain.mp4", tmp_path)
    monkeypatch.chdir(tmp_path)
    check(capfd, ["extract", clip, "--model", head], expect=2, root=tmp_path,
          mentions=["head.safetensors", *MODEL_MENTIONS.get(case, ())], seconds=60)
    assert not (tmp_path / "PWNED").exists()


# ---------------------------------------------------------------- library list / export-csv / import-csv
def test_library_round_trip_keeps_formula_names_and_neutralises_them(capfd, tmp_path):
    names = ["=HYPERLINK(\"x\")", "+1", "-cmd", "@SUM(A1)", "plain 中文", "a,b \"q\"", "'quoted"]
    table = media.audio_csv(tmp_path / "in.csv", len(names), names=names)
    db = tmp_path / "lib.sqlite"
    check(capfd, ["library", "import-csv", table, "--db", db], expect=0, root=tmp_path, outputs=["lib.sqlite"])
    check(capfd, ["library", "export-csv", tmp_path / "out.csv", "--db", db], expect=0, root=tmp_path,
          outputs=["out.csv"])
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as stream:
        first = [row[0] for row in csv.reader(stream)][1:]
    assert not [c for c in first if c[:1] in ("=", "+", "-", "@", "\t")]
    db2 = tmp_path / "lib2.sqlite"
    check(capfd, ["library", "import-csv", tmp_path / "out.csv", "--db", db2], expect=0, root=tmp_path,
          outputs=["lib2.sqlite"])
    listing = json.loads(check(capfd, ["library", "list", "--db", db2, "--json"], expect=0, root=tmp_path).out)
    assert sorted(t["name"] for t in listing) == sorted(names)


def test_library_import_csv_twice_does_not_duplicate(capfd, tmp_path):
    table = media.audio_csv(tmp_path / "in.csv", 4)
    db = tmp_path / "lib.sqlite"
    for _ in range(2):
        check(capfd, ["library", "import-csv", table, "--db", db], expect=0, root=tmp_path, outputs=["lib.sqlite"],
              changes=["lib.sqlite"])
    assert len(json.loads(check(capfd, ["library", "list", "--db", db, "--json"], expect=0, root=tmp_path).out)) == 4


DB_TROUBLE = {
    "text_file": lambda d: d.joinpath("lib.sqlite").write_bytes(b"hello\n" * 300),
    "random_bytes": lambda d: d.joinpath("lib.sqlite").write_bytes(np.random.default_rng(9).bytes(8192)),
    "missing": lambda d: None,
    "a_folder": lambda d: d.joinpath("lib.sqlite").mkdir(),
}


@pytest.mark.parametrize("command", ["list", "export-csv"])
@pytest.mark.parametrize("case", sorted(DB_TROUBLE))
def test_library_read_commands_refuse_a_bad_database(capfd, tmp_path, case, command):
    DB_TROUBLE[case](tmp_path)
    extra = [tmp_path / "out.csv"] if command == "export-csv" else []
    check(capfd, ["library", command, *extra, "--db", tmp_path / "lib.sqlite"], expect=2, root=tmp_path,
          mentions=["lib.sqlite"], outputs=["out.csv"] if extra else [])


def test_an_empty_file_is_an_empty_library_and_is_left_alone(capfd, tmp_path):
    # SQLite reads a 0-byte file as an empty database (``touch lib.sqlite``): nothing to list, nothing written.
    db = tmp_path / "lib.sqlite"
    db.write_bytes(b"")
    assert "0 tracks" in check(capfd, ["library", "list", "--db", db], expect=0, root=tmp_path).out
    assert db.read_bytes() == b""


def test_library_export_csv_refuses_its_own_database_as_output(capfd, tmp_path, kit):
    db = kit.library(tmp_path)
    check(capfd, ["library", "export-csv", db, "--db", db], expect=2, root=tmp_path, mentions=["input"])


def test_library_list_of_a_scanned_library(capfd, tmp_path, kit):
    db = kit.library(tmp_path)
    listing = json.loads(check(capfd, ["library", "list", "--db", db, "--json"], expect=0, root=tmp_path).out)
    assert len(listing) == 3 and all(t["duration_s"] > 2 for t in listing)


# ---------------------------------------------------------------- train-extractor, demo
EXTRACTOR_TROUBLE = {
    "nan_annotation": lambda d: media.write_csv(d / "ann.csv", [["a.mp4", "nan", *["0.5"] * 10]]),
    "missing_columns": lambda d: media.write_csv(d / "ann.csv", [["a.mp4", *["0.5"] * 5]], ["file", *VIDEO.ids[:5]]),
    "empty": lambda d: d.joinpath("ann.csv").write_bytes(b""),
    "clips_missing": lambda d: media.write_csv(d / "ann.csv", [[f"c{i}.mp4", *["0.5"] * 11] for i in range(6)]),
}


@pytest.mark.parametrize("case", sorted(EXTRACTOR_TROUBLE))
def test_train_extractor_refuses_bad_annotations(capfd, tmp_path, case):
    EXTRACTOR_TROUBLE[case](tmp_path)
    (tmp_path / "clips").mkdir()
    check(capfd, ["train-extractor", "--annotations", tmp_path / "ann.csv", "--videos", tmp_path / "clips",
                  "--out", tmp_path / "head.safetensors"], expect=2, root=tmp_path, seconds=30)


def test_train_extractor_refuses_a_missing_video_folder(capfd, tmp_path):
    media.write_csv(tmp_path / "ann.csv", [[f"c{i}.mp4", *["0.5"] * 11] for i in range(6)])
    check(capfd, ["train-extractor", "--annotations", tmp_path / "ann.csv", "--videos", tmp_path / "nope",
                  "--out", tmp_path / "head.safetensors"], expect=2, root=tmp_path, mentions=["nope"])


@pytest.mark.parametrize("case", ["onto_a_file", "inside_a_file"])
def test_demo_refuses_an_unusable_folder(capfd, tmp_path, case):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    out = blocker if case == "onto_a_file" else blocker / "demo"
    check(capfd, ["demo", "--out", out], expect=2, root=tmp_path, mentions=["blocker"], seconds=30)
