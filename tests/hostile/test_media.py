"""Hostile media: extract, analyze-audio, recommend and library add on odd and broken files.

Output is captured at the file-descriptor level (``capfd``): a decoder that writes to fd 2
behind Python's back fails the "nothing on stderr" or "exactly one line" contract.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import numpy as np
import pytest

from core.features import MUSIC, VIDEO
from tests.hostile import media
from tests.hostile.contract import check

ODD_BUT_VALID = ["plain.mp4", "with_audio.mp4", "no_audio.mp4", "rotated.mp4", "vfr.mkv", "ten_bit.mp4",
                 "vp9.webm", "tiny_2x2.mp4", "wide_4000x200.mp4", "tall_90x1600.mp4", "odd_321x181.avi",
                 "fps_8.mp4", "fps_12_5.mp4", "fps_120.mp4", "ntsc_29_97.mp4", "one_frame.mp4", "yuv444.mov"]
OWNED: dict[str, str] = {}
"""Odd-but-valid media whose fix belongs to another issue: name -> "owned by #N: cause"."""


def _owned(name):
    reason = OWNED.get(name)
    return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason)) if reason else name


@pytest.mark.parametrize("name", [_owned(n) for n in ODD_BUT_VALID])
def test_extract_reads_odd_but_valid_video(capfd, tmp_path, kit, name):
    clip = kit.put(name, tmp_path)
    (document,) = json.loads(check(capfd, ["extract", clip, "--json"], expect=0, root=tmp_path, seconds=90).out)
    assert list(document["features"]) == list(VIDEO.ids)
    assert all(np.isfinite(v) for v in document["features"].values())
    expected = {"one_frame.mp4": 1 / 24, "tiny_2x2.mp4": 1.0, "wide_4000x200.mp4": 1.0, "tall_90x1600.mp4": 1.0,
                "odd_321x181.avi": 1.0, "fps_120.mp4": 1.0, "yuv444.mov": 1.0}.get(name, 2.0)
    assert document["duration_s"] == pytest.approx(expected, abs=0.15)
    assert document["shots"] and document["shots"][0][0] == 0.0


def _truncated(kit, folder):
    data = kit.video("plain.mp4").read_bytes()
    path = folder / "truncated.mp4"
    path.write_bytes(data[: len(data) // 3])
    return path


BROKEN_VIDEOS = {
    "empty.mp4": (lambda kit, d: (d / "empty.mp4").write_bytes(b""), ["empty"]),
    "text.mp4": (lambda kit, d: (d / "text.mp4").write_text("not a video\n" * 100), ["text.mp4"]),
    "zeros.mov": (lambda kit, d: (d / "zeros.mov").write_bytes(bytes(65536)), ["zeros.mov"]),
    "random.mkv": (lambda kit, d: (d / "random.mkv").write_bytes(np.random.default_rng(3).bytes(100_000)),
                   ["random.mkv"]),
    "truncated.mp4": (lambda kit, d: _truncated(kit, d), ["truncated.mp4"]),
    "audio_only.mp4": (lambda kit, d: kit.put("audio_only.mp4", d), ["no video"]),
    "wav_renamed.mp4": (lambda kit, d: media.tone(d / "tone.wav").rename(d / "wav_renamed.mp4"), ["no video"]),
    "huge_sparse.mp4": (lambda kit, d: media.sparse(d / "huge_sparse.mp4", 16 << 30), ["huge_sparse.mp4"]),
    "header_only.mp4": (lambda kit, d: (d / "header_only.mp4").write_bytes(kit.video("plain.mp4").read_bytes()[:64]),
                        ["header_only.mp4"]),
    "missing.mp4": (lambda kit, d: None, ["missing.mp4"]),
    "a_folder.mp4": (lambda kit, d: (d / "a_folder.mp4").mkdir(), ["a_folder.mp4"]),
}


@pytest.mark.parametrize("name", sorted(BROKEN_VIDEOS))
def test_extract_refuses_broken_video_in_one_line(capfd, tmp_path, kit, name):
    make, mentions = BROKEN_VIDEOS[name]
    make(kit, tmp_path)
    check(capfd, ["extract", tmp_path / name], expect=2, root=tmp_path, mentions=mentions, seconds=60)


def test_extract_json_goes_on_past_a_broken_file(capfd, tmp_path, kit):
    good = kit.put("plain.mp4", tmp_path)
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00" * 100)
    documents = json.loads(check(capfd, ["extract", bad, good, "--json"], expect=2, root=tmp_path,
                                 mentions=["bad.mp4"]).out)
    assert "error" in documents[0] and list(documents[1]["features"]) == list(VIDEO.ids)


# ---------------------------------------------------------------- audio
def _nan_wav(path):
    samples = np.zeros(22_050, np.float32)
    samples[::7] = np.nan
    return media.tone(path, samples=samples, subtype="FLOAT")


def _inf_wav(path):
    samples = 0.1 * np.ones(22_050, np.float32)
    samples[100] = np.inf
    return media.tone(path, samples=samples, subtype="FLOAT")


ODD_AUDIO = {
    "mono_8k.wav": lambda d: media.tone(d / "mono_8k.wav", 2.0, 8000),
    "six_channels.wav": lambda d: media.tone(d / "six_channels.wav", 2.0, channels=6),
    "hires_192k_24bit.flac": lambda d: media.tone(d / "hires_192k_24bit.flac", 1.0, 192_000, subtype="PCM_24"),
    "float_loud.wav": lambda d: media.tone(d / "float_loud.wav", samples=(4.0 * np.sin(np.arange(44_100) / 5))
                                           .astype(np.float32), subtype="FLOAT"),
    "silence.wav": lambda d: media.tone(d / "silence.wav", samples=np.zeros(44_100, np.float32)),
    "short_0_2s.ogg": lambda d: media.tone(d / "short_0_2s.ogg", 0.2),
    "tone.mp3": lambda d: _ffmpeg_tone(d / "tone.mp3"),
    "video_with_sound.mp4": None,
    # Non-finite samples are decoding damage: the decoder reads them as silence (core/audio/decode.py).
    "nan_samples.wav": lambda d: _nan_wav(d / "nan_samples.wav"),
    "inf_samples.wav": lambda d: _inf_wav(d / "inf_samples.wav"),
}


def _ffmpeg_tone(path):
    media.ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100:duration=2", str(path))
    return path


@pytest.mark.parametrize("name", sorted(ODD_AUDIO))
def test_analyze_audio_reads_odd_but_valid_audio(capfd, tmp_path, kit, name):
    path = kit.put("with_audio.mp4", tmp_path, name) if ODD_AUDIO[name] is None else ODD_AUDIO[name](tmp_path)
    (document,) = json.loads(check(capfd, ["analyze-audio", path, "--json"], expect=0, root=tmp_path).out)
    assert list(document["features"]) == list(MUSIC.ids)
    assert all(np.isfinite(v) for v in document["features"].values())
    assert document["duration_s"] > 0.1


def _truncated_mp3(d):
    data = _ffmpeg_tone(d / "whole.mp3").read_bytes()
    (d / "whole.mp3").unlink()
    (d / "truncated.mp3").write_bytes(data[:300])


BROKEN_AUDIO = {
    "text.mp3": (lambda d: (d / "text.mp3").write_text("these are my notes\n" * 40), None),
    "empty.wav": (lambda d: (d / "empty.wav").write_bytes(b""), None),
    "no_samples.wav": (lambda d: media.tone(d / "no_samples.wav", samples=np.zeros(0, np.float32)), None),
    "header_only.wav": (lambda d: (d / "header_only.wav").write_bytes(media.tone(d / "x.wav").read_bytes()[:44])
                        or (d / "x.wav").unlink(), None),
    "truncated.mp3": (_truncated_mp3, None),
    "random.flac": (lambda d: (d / "random.flac").write_bytes(np.random.default_rng(5).bytes(50_000)), None),
    "video_without_sound.mp4": (None, None),
    "missing.wav": (lambda d: None, None),
    "huge_sparse.wav": (lambda d: media.sparse(d / "huge_sparse.wav", 8 << 30, b"RIFF"), None),
}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=BROKEN_AUDIO[n][1]))
                                  if BROKEN_AUDIO[n][1] else n for n in sorted(BROKEN_AUDIO)])
def test_analyze_audio_refuses_broken_audio_in_one_line(capfd, tmp_path, kit, name):
    make, _ = BROKEN_AUDIO[name]
    if make is None:
        kit.put("no_audio.mp4", tmp_path, name)
    else:
        make(tmp_path)
    check(capfd, ["analyze-audio", tmp_path / name], expect=2, root=tmp_path, mentions=[name], seconds=60)


# ---------------------------------------------------------------- recommend
def test_recommend_on_odd_video_saves_a_project(capfd, tmp_path, kit):
    clip = kit.put("vfr.mkv", tmp_path)
    table = media.audio_csv(tmp_path / "audio.csv", 5)
    out = check(capfd, ["recommend", clip, "--audio-csv", table, "--pick", "2", "--save-project",
                        tmp_path / "p.mmproj", "--json"], expect=0, root=tmp_path, outputs=["p.mmproj"]).out
    assert len(json.loads(out)["results"]) == 5
    project = json.loads((tmp_path / "p.mmproj").read_text(encoding="utf-8"))
    assert project["format"] == "musicmatch-project" and len(project["picks"]) == 1


RECOMMEND_TROUBLE = {
    "broken_video": (lambda d, kit: ["recommend", _bytes(d / "v.mp4", b"junk" * 99), "--audio-csv", d / "a.csv"],
                     ["v.mp4"]),
    "audio_only_video": (lambda d, kit: ["recommend", kit.put("audio_only.mp4", d), "--audio-csv", d / "a.csv"],
                         ["no video"]),
    "nan_library": (lambda d, kit: ["recommend", kit.put("plain.mp4", d), "--audio-csv",
                                    media.write_csv(d / "bad.csv", _with_nan(), ["name", *MUSIC.ids])], ["bad.csv"]),
    "save_into_missing_folder": (lambda d, kit: ["recommend", kit.put("plain.mp4", d), "--audio-csv", d / "a.csv",
                                                 "--save-project", d / "gone" / "p.mmproj"], ["gone"]),
    "save_onto_the_video": (lambda d, kit: ["recommend", kit.put("plain.mp4", d, "v.mmproj"), "--audio-csv",
                                            d / "a.csv", "--save-project", d / "v.mmproj"], ["input"]),
    "save_without_mmproj": (lambda d, kit: ["recommend", kit.put("plain.mp4", d), "--audio-csv", d / "a.csv",
                                            "--save-project", d / "p.txt"], [".mmproj"]),
    "pick_past_the_list": (lambda d, kit: ["recommend", kit.put("plain.mp4", d), "--audio-csv", d / "a.csv",
                                           "--pick", "9", "--save-project", d / "p.mmproj"], ["--pick"]),
    "pick_garbage": (lambda d, kit: ["recommend", kit.put("plain.mp4", d), "--audio-csv", d / "a.csv",
                                     "--pick", "one", "--save-project", d / "p.mmproj"], ["--pick"]),
    "foreign_db": (lambda d, kit: ["recommend", kit.put("plain.mp4", d), "--db", _foreign_db(d / "x.db")],
                   ["not a MusicMatch library"]),
}


def _bytes(path, data):
    path.write_bytes(data)
    return path


def _with_nan():
    rows = [[f"t{i}", *np.linspace(-1, 1, len(MUSIC))] for i in range(3)]
    rows[1][4] = "nan"
    return rows


def _foreign_db(path):
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    return path


@pytest.mark.parametrize("case", sorted(RECOMMEND_TROUBLE))
def test_recommend_refuses_trouble_in_one_line(capfd, tmp_path, kit, case):
    media.audio_csv(tmp_path / "a.csv", 5)
    make, mentions = RECOMMEND_TROUBLE[case]
    check(capfd, make(tmp_path, kit), expect=2, root=tmp_path, mentions=mentions, seconds=60)


# ---------------------------------------------------------------- library add
def test_library_add_skips_every_bad_file_with_its_reason(capfd, tmp_path, kit):
    music = tmp_path / "music"
    music.mkdir()
    media.tone(music / "good.wav", 3.0)
    media.tone(music / "good.flac", 3.0)
    (music / "empty.mp3").write_bytes(b"")
    (music / "random.ogg").write_bytes(np.random.default_rng(2).bytes(20_000))
    _nan_wav(music / "nan.wav")
    (music / "notes.txt").write_text("not music")
    kit.put("no_audio.mp4", music)
    out = check(capfd, ["library", "add", music, "--db", tmp_path / "lib.sqlite", "--jobs", "1"], expect=0,
                root=tmp_path, outputs=["lib.sqlite"], seconds=120).out
    assert "3 analysed" in out  # good.wav, good.flac and nan.wav (damaged samples read as silence)
    for name in ("empty.mp3", "random.ogg"):
        assert name in out.split("Skipped:")[1]
    listing = json.loads(check(capfd, ["library", "list", "--db", tmp_path / "lib.sqlite", "--json"], expect=0,
                               root=tmp_path).out)
    assert sorted(t["name"] for t in listing) == ["good.flac", "good.wav", "nan.wav"]


LIBRARY_ADD_TROUBLE = {
    "missing_folder": (lambda d: ["library", "add", d / "nope", "--db", d / "lib.sqlite"], ["nope"], []),
    "jobs_zero": (lambda d: ["library", "add", d, "--db", d / "lib.sqlite", "--jobs", "0"], ["--jobs"], []),
    "db_is_a_folder": (lambda d: ["library", "add", d, "--db", _mkdir(d / "lib.sqlite")], ["lib.sqlite"], []),
    "db_is_text": (lambda d: ["library", "add", d, "--db", _bytes(d / "lib.sqlite", b"hello\n" * 300)],
                   ["lib.sqlite"], []),
    "db_truncated": (lambda d: ["library", "add", d, "--db", _truncated_db(d)], ["lib.sqlite"], []),
    "db_from_the_future": (lambda d: ["library", "add", d, "--db", _future_db(d)], ["newer"], []),
}


def _mkdir(path):
    path.mkdir()
    return path


def _truncated_db(d):
    with closing(sqlite3.connect(d / "full.sqlite")) as conn:
        conn.execute("CREATE TABLE t (x BLOB)")
        conn.executemany("INSERT INTO t VALUES (?)", [(bytes(1000),)] * 50)
        conn.commit()
    data = (d / "full.sqlite").read_bytes()
    (d / "full.sqlite").unlink()
    return _bytes(d / "lib.sqlite", data[:3000])


def _future_db(d):
    from core.library.db import LibraryDB

    path = d / "lib.sqlite"
    LibraryDB(path).close()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA user_version = 9999")
    return path


def test_library_add_creates_the_folder_of_a_new_library(capfd, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    media.tone(music / "a.wav", 2.0)
    check(capfd, ["library", "add", music, "--db", tmp_path / "new" / "lib.sqlite"], expect=0, root=tmp_path,
          outputs=["new/lib.sqlite"])


@pytest.mark.parametrize("case", sorted(LIBRARY_ADD_TROUBLE))
def test_library_add_refuses_trouble_in_one_line(capfd, tmp_path, case):
    make, mentions, _ = LIBRARY_ADD_TROUBLE[case]
    argv = make(tmp_path)
    capfd.readouterr()
    check(capfd, argv, expect=2, root=tmp_path, mentions=mentions)
