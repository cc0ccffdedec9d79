"""``musicmatch fit`` and ``recommend``'s sections end to end, on generated clips and music."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
import soundfile

from core.audio.analysis import analyze_signal
from core.audio.synth import LoopSpec, drum_chord_loop, tone
from core.cli.main import main
from core.library.db import LibraryDB, TrackRecord
from core.video.synth import ClipSpec, render_frames, write_clip, write_frames

RATE = 44_100
FIT_KEYS = {"video", "track", "clip_s", "start_s", "end_s", "score", "tempo_bpm", "cuts", "cuts_on_beat",
            "reasons", "edits", "rendered"}


def shaped_loop(rate: int) -> np.ndarray:
    """64 s at 120 BPM: quiet 0-20 s, loud 20-44 s, quiet 44-64 s."""
    x = drum_chord_loop(LoopSpec(tempo_bpm=120, seconds=64, sample_rate=rate))
    gain = np.full(x.size, 0.1)
    gain[20 * rate : 44 * rate] = 1.0
    return (x * gain).astype(np.float32)


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    folder = tmp_path_factory.mktemp("timing_cli")
    x = shaped_loop(RATE)
    track = folder / "track.wav"
    soundfile.write(track, np.stack([x, 0.7 * x], axis=1), RATE, subtype="PCM_24")
    # Calm for 4 s (one still shot), then action with a cut at 4 s and more cuts after.
    calm = (rgb for _, rgb in render_frames(ClipSpec(seconds=4, object_size=0.0, seed=1)))
    action = (rgb for _, rgb in render_frames(ClipSpec(seconds=6, object_speed=2.0, object_size=0.4, pan_speed=0.5,
                                                       shot_seconds=1.0, saturation=1.5, seed=2)))
    turn = write_frames(folder / "turn.mp4", itertools.chain(calm, action), fps=24, size=(320, 180), seconds=10)
    short_clip = write_clip(folder / "short.mp4", ClipSpec(seconds=2))
    blip = folder / "blip.wav"
    soundfile.write(blip, tone(440, 1.0, sample_rate=RATE), RATE)
    return {"folder": folder, "track": track, "turn": turn, "short": short_clip, "blip": blip}


def fit_json(capsys, *args) -> dict:
    assert main(["fit", *map(str, args), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_fit_finds_the_turn_and_puts_the_cuts_on_beats(media, capsys):
    doc = fit_json(capsys, media["turn"], media["track"])
    assert set(doc) >= FIT_KEYS
    assert doc["clip_s"] == pytest.approx(10.0, abs=0.05)
    assert doc["tempo_bpm"] == pytest.approx(120.0, abs=0.5)
    assert abs(doc["start_s"] + 4.0 - 20.0) <= 0.5  # the clip's turn on the track's rise, within a beat
    assert doc["end_s"] == pytest.approx(doc["start_s"] + doc["clip_s"])
    assert doc["cuts"] >= 1 and doc["cuts_on_beat"] == doc["cuts"]
    assert 0.0 <= doc["score"] <= 1.0 and doc["rendered"] is None
    assert any(r.startswith("the rise at 20.0 s lands on the cut at 4.0 s") for r in doc["reasons"]), doc["reasons"]


def test_fit_renders_exactly_the_length_at_the_tracks_rate(media, capsys):
    out = media["folder"] / "fitted.flac"
    doc = fit_json(capsys, media["turn"], media["track"], "--length", "37.5", "--render", out)
    data, rate = soundfile.read(out)
    assert rate == RATE and data.shape == (round(37.5 * RATE), 2)
    assert doc["rendered"] == str(out) and doc["clip_s"] == 37.5
    source, _ = soundfile.read(media["track"])
    start = round(doc["start_s"] * RATE)
    first = doc["edits"][0]["at_s"] if doc["edits"] else 35.0
    stretch = slice(int(0.01 * RATE), int((first - 0.05) * RATE))
    np.testing.assert_allclose(data[stretch], source[start + stretch.start : start + stretch.stop], atol=3e-7)
    for edit in doc["edits"]:
        assert set(edit) == {"at_s", "from_s", "to_s"}
    leftovers = [p.name for p in media["folder"].iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_fit_text_output(media, capsys):
    assert main(["fit", str(media["turn"]), str(media["track"])]) == 0
    out = capsys.readouterr().out
    assert "Best section:" in out and "BPM" in out and "Ends on" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--length=0"], "must be positive"),
        (["--length=-3"], "must be positive"),
        (["--length=nan"], "finite"),
        (["--length=1e9"], "give 3 to 600 seconds"),
        (["--length=2"], "give 3 to 600 seconds"),
        (["--render", "out.mp3"], "can write .wav or .flac"),
        (["--render", "/no/such/folder/out.wav"], "does not exist"),
    ],
)
def test_fit_refuses_bad_options_in_one_line(media, capsys, extra, message):
    assert main(["fit", str(media["turn"]), str(media["track"]), *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not (media["folder"] / "out.mp3").exists()


def test_fit_refuses_bad_media_in_one_line(media, capsys):
    cases = [
        ([str(media["turn"]), str(media["blip"]), "--length", "8"], "shorter than one bar"),
        ([str(media["short"]), str(media["track"])], "fit works on 3 s to 600 s"),
        ([str(media["folder"] / "none.mp4"), str(media["track"])], "no such video file"),
        ([str(media["turn"]), str(media["folder"] / "none.wav")], "no such audio file"),
    ]
    for args, message in cases:
        assert main(["fit", *args]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err, err


def test_fit_uses_the_librarys_timing_without_analysing_again(media, capsys, monkeypatch, tmp_path):
    from core.library.scanner import scan_folders

    music = tmp_path / "music"
    music.mkdir()
    (music / "track.wav").write_bytes(media["track"].read_bytes())
    db_path = tmp_path / "library.sqlite"
    with LibraryDB(db_path) as db:
        scan_folders(db, [music], jobs=1)
        assert db.record(str(music / "track.wav")).has_timing
    direct = fit_json(capsys, media["turn"], music / "track.wav")

    def no_analysis(*_args, **_kwargs):
        raise AssertionError("fit analysed a track the library already has timing data for")

    monkeypatch.setattr("core.audio.analysis.analyze_file", no_analysis)
    stored = fit_json(capsys, media["turn"], music / "track.wav", "--db", db_path)
    assert stored["start_s"] == pytest.approx(direct["start_s"], abs=1e-6)
    assert stored["cuts_on_beat"] == direct["cuts_on_beat"]


def _record(path: str, signal: np.ndarray, features: np.ndarray) -> TrackRecord:
    analysis = analyze_signal(signal)
    return TrackRecord(
        path=path, source="scan", size=1, mtime_ns=1, content_hash=None, duration_s=analysis.duration_s,
        title="", artist="", album="", features=features, tempo_bpm=analysis.tempo_bpm, key=analysis.key,
        beats=analysis.beat_times, energy=analysis.energy_curve, sections=[], error=None,
        downbeats=analysis.downbeats, phrases=analysis.phrases, edit_points=analysis.edit_points)


def test_recommend_ranks_tracks_that_cover_the_clip_first(media, capsys, tmp_path):
    features = np.zeros(10)
    db_path = tmp_path / "library.sqlite"
    with LibraryDB(db_path) as db:
        # Equal distances (equal vectors) keep library order: the 5 s stinger comes first by distance.
        db.upsert(_record("/music/stinger.wav", drum_chord_loop(LoopSpec(seconds=5)), features))
        db.upsert(_record("/music/long.wav", shaped_loop(22_050), features))
    assert main(["recommend", str(media["turn"]), "--db", str(db_path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    names = [r["name"] for r in doc["results"]]
    assert names == ["long.wav", "stinger.wav"]
    long_row, stinger_row = doc["results"]
    assert long_row["covers_clip"] is True and stinger_row["covers_clip"] is False
    assert set(long_row["section"]) == {"start_s", "end_s", "score"}
    assert abs(long_row["section"]["start_s"] + 4.0 - 20.0) <= 0.5
    assert math.isclose(long_row["section"]["end_s"] - long_row["section"]["start_s"], doc["video"]["duration_s"],
                        abs_tol=1e-3)
    assert main(["recommend", str(media["turn"]), "--db", str(db_path), "--any-length", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in doc["results"]] == ["stinger.wav", "long.wav"]
    assert doc["results"][0]["covers_clip"] is False


def test_recommend_from_a_csv_has_no_sections(tmp_path, media, capsys):
    csv = tmp_path / "lib.csv"
    csv.write_text("name," + ",".join(f"f{i}" for i in range(10)) + "\n" + "a.wav," + ",".join(["1"] * 10) + "\n")
    assert main(["recommend", str(media["turn"]), "--audio-csv", str(csv), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["results"]
    assert row["section"] is None and row["covers_clip"] is None
