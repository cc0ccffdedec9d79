"""Projects: lossless save/load, crash safety, refusals, recovery, relinking, exports read back, pairs."""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import numpy as np
import opentimelineio as otio
import pytest
import soundfile

import core.project as project_module
from core.cli import main
from core.errors import ProjectError
from core.export.timeline import build_timeline, cue_sheet, export_project
from core.features import MUSIC, VIDEO
from core.library.csv_format import write_library_csv
from core.project import (
    MatchConfig,
    Pick,
    Project,
    VideoRef,
    autosave,
    autosave_path,
    load_project,
    recover,
    relink,
    save_project,
)
from core.recommend.projects import pairs_from_projects
from core.recommend.training import search_and_train
from core.video.synth import ClipSpec, write_clip


def _vector(space, seed):
    rng = np.random.default_rng(seed)
    return {d.id: round(float(rng.uniform(d.low, d.high)), 4) for d in space}


def make_project(folder: Path, picks: int = 2, fps: float = 25.0) -> Project:
    music = folder / "音乐"
    music.mkdir(exist_ok=True)
    chosen = []
    for i in range(picks):
        path = music / f"歌曲 {i + 1}.wav"
        soundfile.write(path, np.zeros(8000 * (20 + i)), 8000)
        chosen.append(Pick(track_path=str(path), content_hash=f"hash{i}", title=f"歌曲{i + 1}", artist="张三",
                           rank=i + 1, distance=0.25 + 0.1 * i, features=_vector(MUSIC, i), duration_s=20.0 + i,
                           placement_s=1.5 * i, track_in_s=0.5 * i, note=f"备注 {i}", rating=i % 6))
    return Project(
        video=VideoRef(path=str(folder / "视频 剪辑.mp4"), content_hash="v0", duration_s=12.5, fps=fps, width=1280,
                       height=720, features=_vector(VIDEO, 99), shots=[[0.0, 4.0], [4.0, 12.5]],
                       timeline={"visual_arousal": [10.0, 20.5]}),
        target=_vector(MUSIC, 7), target_emotion="tense",
        settings=MatchConfig(metric="cosine", dims=["arousal", "valence"], weights={"arousal": 2.0}, top_k=7),
        picks=chosen,
    )


def test_save_load_round_trip_is_lossless(tmp_path):
    project = make_project(tmp_path)
    path = save_project(project, tmp_path / "剪辑.mmproj")
    loaded = load_project(path)
    assert loaded == project
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "musicmatch-project" and document["version"] == 2
    assert "歌曲 1.wav" in path.read_text(encoding="utf-8")  # readable UTF-8, not \\u escapes


def test_a_write_killed_midway_leaves_the_old_file(tmp_path, monkeypatch):
    path = save_project(make_project(tmp_path, picks=1), tmp_path / "cut.mmproj")
    before = path.read_bytes()
    bigger = make_project(tmp_path, picks=2)

    def crash(*_args):
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        save_project(bigger, path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    save_project(bigger, path)
    assert (tmp_path / "cut.mmproj.bak").read_bytes() == before
    assert len(load_project(path).picks) == 2


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: "not json", "not JSON"),
    (lambda d: {**d, "format": "something-else"}, "not a MusicMatch project"),
    (lambda d: {**d, "version": 7}, r"newer MusicMatch \(project version 7\); this version reads project versions up to 2"),
    (lambda d: {**d, "video": {k: v for k, v in d["video"].items() if k != "path"}}, "video.path is missing"),
    (lambda d: {**d, "picks": [{**d["picks"][0], "rating": "5"}]}, r"picks\[0\].rating must be a whole number"),
    (lambda d: {**d, "picks": [{**d["picks"][0], "rating": 9}]}, r"picks\[0\].rating must be 0 to 5"),
    (lambda d: {**d, "target": {**d["target"], "tempo": 1.0}}, "target has unknown features tempo"),
    (lambda d: {**d, "picks": "all"}, "picks must be a list"),
])
def test_bad_projects_are_refused_and_nothing_is_written(tmp_path, capsys, change, message):
    path = save_project(make_project(tmp_path), tmp_path / "p.mmproj")
    document = change(json.loads(path.read_text(encoding="utf-8")))
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    with pytest.raises(ProjectError, match=message):
        load_project(path)
    out = tmp_path / "out.xml"
    assert main(["export", str(path), "--format", "fcpxml", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "p.mmproj" in err
    assert not out.exists()


def test_older_versions_are_migrated(tmp_path, monkeypatch):
    project = make_project(tmp_path)
    path = save_project(project, tmp_path / "p.mmproj")
    # A version 1 file (before picks had a rendered fit) reads with none, its section intact.
    document = json.loads(path.read_text(encoding="utf-8"))
    document["version"] = 1
    for pick in document["picks"]:
        del pick["rendered_path"], pick["edits"]
    path.write_text(json.dumps(document), encoding="utf-8")
    loaded = load_project(path)
    assert loaded.picks == project.picks and all(p.rendered_path == "" and p.edits == [] for p in loaded.picks)
    # Pretend this build writes version 3, whose step from 2 renames a field.
    monkeypatch.setattr(project_module, "VERSION", 3)
    monkeypatch.setitem(project_module.MIGRATIONS, 2, lambda d: {**d, "target_emotion": d["target_emotion"].upper()})
    assert load_project(path).target_emotion == "TENSE"


def test_autosave_and_recovery(tmp_path):
    path = tmp_path / "p.mmproj"
    project = make_project(tmp_path)
    save_project(project, path)
    assert recover(path) is None
    project.picks[0].note = "changed after the last save"
    autosave(project, path)
    assert autosave_path(path).name == ".p.mmproj.autosave"
    os.utime(path, ns=(1, 1))  # the saved file is older than the autosave: a crash happened
    recovered = recover(path)
    assert recovered is not None and recovered.picks[0].note == "changed after the last save"
    save_project(recovered, path)
    assert not autosave_path(path).exists() and recover(path) is None


def test_relink_moved_tracks_by_content(tmp_path):
    project = make_project(tmp_path)
    moved = tmp_path / "moved.wav"
    Path(project.picks[0].track_path).rename(moved)
    problems = relink(project, lambda digest: [str(moved)] if digest == "hash0" else [])
    assert project.picks[0].track_path == str(moved)
    assert problems == [f"video: {project.video.path} is missing"]
    Path(project.picks[1].track_path).unlink()
    assert any("歌曲2" in line and "no file with its content" in line for line in relink(project, lambda d: []))


def _local(url: str) -> str:
    return unquote(urlparse(url).path)


@pytest.mark.parametrize("fps", [25.0, 29.97])
def test_otio_and_fcp_xml_read_back_frame_exact(tmp_path, fps):
    project = make_project(tmp_path, picks=3, fps=fps)

    def frames(seconds: float) -> int:  # halves rounded up
        return math.floor(seconds * fps + 0.5)

    for fmt, adapter in (("otio", "otio_json"), ("fcpxml", "fcp_xml")):
        out = export_project(project, fmt, tmp_path / f"cut.{fmt}")
        timeline = otio.adapters.read_from_file(str(out), adapter)
        video, *audio = timeline.tracks
        assert video.kind == otio.schema.TrackKind.Video and len(audio) == 1 + len(project.picks)
        (clip,) = list(video)
        assert _local(clip.media_reference.target_url) == project.video.path
        assert clip.source_range.duration.value == frames(12.5)
        assert _local(audio[0][0].media_reference.target_url) == project.video.path  # A1: the clip's sound
        for pick, track in zip(project.picks, audio[1:], strict=True):
            (placed,) = [c for c in track if isinstance(c, otio.schema.Clip)]
            assert _local(placed.media_reference.target_url) == pick.track_path
            # Open out point: until the clip's last frame (or the track's end), counted in frames.
            start = frames(pick.track_in_s)
            end = min(start + frames(12.5) - frames(pick.placement_s), frames(pick.duration_s))
            rate = placed.source_range.start_time.rate
            assert placed.source_range.start_time.value == start
            assert placed.source_range.duration.value == end - start
            assert track.range_of_child(placed).start_time.value == frames(pick.placement_s)
            assert rate == pytest.approx(fps, abs=0.01)
            assert any(f"rank {pick.rank}" in m.name for m in placed.markers)
    xml = (tmp_path / "cut.fcpxml").read_text(encoding="utf-8")
    assert "<width>1280</width>" in xml and "<height>720</height>" in xml
    assert ("<ntsc>TRUE</ntsc>" in xml) == (fps == 29.97)


def test_edl_and_cue_sheet(tmp_path):
    project = make_project(tmp_path, picks=2)
    out = export_project(project, "edl", tmp_path / "cut.edl")
    text = out.read_text(encoding="utf-8")
    timeline = otio.adapters.read_from_string(text, "cmx_3600", rate=25)
    names = [c.name for track in timeline.tracks for c in track if isinstance(c, otio.schema.Clip)]
    assert names == ["视频 剪辑.mp4", "张三 - 歌曲1", "张三 - 歌曲2"]
    events = re.findall(r"^\d{3}  AX\s+(\S+)\s+C\s+(\S+) (\S+) (\S+) (\S+)$", text, flags=re.MULTILINE)
    assert [e[0] for e in events] == ["V", "A", "A2"]
    # Pick 2: placed at 1.5 s, from 0.5 s into the track, until the clip ends at 12.5 s.
    # In frames at 25 fps, halves rounded up: placement 37.5 -> 38, in 12.5 -> 13, the clip's end 312.5 -> 313.
    assert events[2][1:] == ("00:00:00:13", "00:00:11:13", "00:00:01:13", "00:00:12:13")
    assert "SOURCE FILE: " + project.picks[1].track_path in text

    project.picks.append(Pick(track_path=str(tmp_path / "x.wav"), rank=3))
    with pytest.raises(ProjectError, match="two audio tracks and the project has 3 picks"):
        export_project(project, "edl", tmp_path / "three.edl")
    assert not (tmp_path / "three.edl").exists()

    sheet = cue_sheet(make_project(tmp_path, picks=2)).splitlines()
    assert sheet[0].startswith("cue,title,artist,file,timeline_in,timeline_out,track_in,track_out,duration")
    assert sheet[2].split(",")[1:3] == ["歌曲2", "张三"]
    assert sheet[2].split(",")[4:9] == ["00:00:01:13", "00:00:12:13", "00:00:00:13", "00:00:11:13", "00:00:11:00"]
    assert export_project(project, "csv", tmp_path / "cues.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert build_timeline(project).tracks[-1].name == "A4"


def test_pairs_from_projects_feed_training(tmp_path):
    folder = tmp_path / "projects"
    folder.mkdir()
    for n in range(3):
        project = make_project(tmp_path, picks=0)
        project.video.content_hash = f"video{n}"
        project.video.features = _vector(VIDEO, n)
        project.picks = [Pick(track_path=f"/music/{n}_{i}.wav", content_hash=f"t{n}_{i}", features=_vector(MUSIC, 10 * n + i))
                         for i in range(12)]
        project.picks.append(project.picks[0])  # the same pick twice counts once
        save_project(project, folder / f"p{n}.mmproj")
    pairs, files = pairs_from_projects([folder])
    assert files == 3 and len(pairs) == 36
    model, report = search_and_train(pairs, trials=0, seed=0)
    assert report["pool_size"] == 5 and model.predict(pairs.video[0]).features.shape == (10,)
    with pytest.raises(ProjectError, match="no such project file or folder"):
        pairs_from_projects([tmp_path / "nowhere"])
    assert main(["train", "--from-projects", str(folder), "--trials", "0", "--out", str(tmp_path / "m.safetensors"),
                 "--json"]) == 0


def test_from_the_command_line_alone(tmp_path, capsys):
    """Analyse a clip, pick two tracks, save the project, export FCP XML and OTIO with both picks on their tracks."""
    clip = write_clip(tmp_path / "镜头.mp4", ClipSpec(seconds=3, shot_seconds=1.5, object_speed=0.3), audio=True)
    rng = np.random.default_rng(0)
    names = []
    for i in range(8):
        soundfile.write(tmp_path / f"track_{i}.wav", rng.normal(0, 0.1, 8000), 8000)
        names.append(f"track_{i}.wav")
    lows, highs = np.array([d.low for d in MUSIC]), np.array([d.high for d in MUSIC])
    library = write_library_csv(tmp_path / "lib.csv", lows + (highs - lows) * rng.uniform(size=(8, 10)), names)
    project_path = tmp_path / "cut.mmproj"
    assert main(["recommend", str(clip), "--audio-csv", str(library), "--top-k", "4", "--pick", "1,3",
                 "--save-project", str(project_path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    project = load_project(project_path)
    assert [p.rank for p in project.picks] == [1, 3]
    assert [Path(p.track_path).name for p in project.picks] == [doc["results"][0]["name"], doc["results"][2]["name"]]
    assert project.video.has_audio and project.video.features == pytest.approx(doc["video"]["features"])
    assert all(p.content_hash and Path(p.track_path).is_file() for p in project.picks)
    for fmt, adapter in (("fcpxml", "fcp_xml"), ("otio", "otio_json")):
        out = tmp_path / f"cut.{fmt}"
        assert main(["export", str(project_path), "--format", fmt, "--out", str(out)]) == 0
        timeline = otio.adapters.read_from_file(str(out), adapter)
        assert len(timeline.video_tracks()) == 1 and len(timeline.audio_tracks()) == 3
    capsys.readouterr()
    assert main(["recommend", str(clip), "--audio-csv", str(library), "--pick", "9", "--save-project",
                 str(tmp_path / "x.mmproj")]) == 2
    assert "the list has 5 tracks" in capsys.readouterr().err and not (tmp_path / "x.mmproj").exists()
    assert main(["recommend", str(clip), "--audio-csv", str(library), "--pick", "1"]) == 2
    assert "--save-project" in capsys.readouterr().err


def test_saving_fills_in_the_hash_of_a_pick_from_a_feature_csv(tmp_path):
    """A feature-CSV library has no hashes; the saved pick gets its file's, the open project is left alone."""
    from core.fileio import content_hash
    from core.project import Pick, Project, VideoRef, load_project, save_project

    track = tmp_path / "song.wav"
    track.write_bytes(b"RIFF" + bytes(100))
    picks = [Pick(track_path=str(track)), Pick(track_path=str(tmp_path / "gone.wav")),
             Pick(track_path=str(track), content_hash="kept")]
    project = Project(video=VideoRef(path=str(tmp_path / "clip.mp4")), picks=picks)
    save_project(project, tmp_path / "p.mmproj")
    saved = load_project(tmp_path / "p.mmproj")
    assert [p.content_hash for p in saved.picks] == [content_hash(track), "", "kept"]
    assert project.picks[0].content_hash == "" and project.created
