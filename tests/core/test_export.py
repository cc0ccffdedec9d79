"""Exports at any frame rate, picks placed from their section (or rendered fit), bar and cut markers."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path

import numpy as np
import opentimelineio as otio
import pytest
import soundfile

from core.cli import main
from core.errors import ProjectError
from core.export.markers import bars_from_records, track_bars
from core.export.rates import edit_rate, timecode
from core.export.timeline import cue_sheet, export_project
from core.library.db import LibraryDB, TrackRecord
from core.project import Pick, Project, VideoRef, save_project

BARS = np.arange(0.73, 60.0, 2.0)  # a track at 120 BPM in 4/4 whose first bar starts at 0.73 s
CUTS = (2.48, 4.96)


def make_project(folder: Path, fps: float, *, rendered: bool = False) -> Project:
    track = folder / "曲目.wav"
    soundfile.write(track, np.zeros(8000 * 60), 8000)
    pick = Pick(track_path=str(track), content_hash="h1", title="曲目", rank=1, distance=0.3, duration_s=60.0,
                placement_s=1.0, track_in_s=10.0, track_out_s=16.5)
    if rendered:
        fit = folder / "fit.wav"
        soundfile.write(fit, np.zeros(int(8000 * 6.5)), 8000)
        pick.rendered_path = str(fit)
        pick.edits = [[3.0, 13.0, 20.5]]  # at 3 s of the fit, the track jumps from 13 s to 20.5 s
    (folder / "clip.mp4").write_bytes(b"\0")  # present, so relinking stays quiet
    shots = [[0.0, CUTS[0]], [CUTS[0], CUTS[1]], [CUTS[1], 7.5]]
    return Project(video=VideoRef(path=str(folder / "clip.mp4"), duration_s=7.5, fps=fps, width=640, height=360,
                                  shots=shots), picks=[pick])


def frames(seconds: float, rate: float) -> int:
    return math.floor(seconds * rate + 0.5)


# fps -> (timeline rate, FCP XML timebase, ntsc)
RATES = {8.0: (8.0, "8", "FALSE"), 12.5: (25.0, "25", "FALSE"), 15.0: (15.0, "15", "FALSE"),
         120.0: (120.0, "120", "FALSE"), 30000 / 1001: (30000 / 1001, "30", "TRUE"),
         24000 / 1001: (24000 / 1001, "24", "TRUE"), 29.87: (30.0, "30", "FALSE")}


@pytest.mark.parametrize("fps", list(RATES))
def test_every_format_at_any_frame_rate(tmp_path, fps):
    project = make_project(tmp_path, fps)
    rate, timebase, ntsc = RATES[fps]
    assert edit_rate(fps) == pytest.approx(rate)
    bars = {0: BARS}
    for fmt, adapter in (("otio", "otio_json"), ("fcpxml", "fcp_xml")):
        out = export_project(project, fmt, tmp_path / f"cut.{fmt}", bars=bars)
        timeline = otio.adapters.read_from_file(str(out), adapter)
        *_, music = timeline.audio_tracks()
        (clip,) = [c for c in music if isinstance(c, otio.schema.Clip)]
        # The section starts the pick: track second 10 at timeline second 1, for 6.5 s (to the clip's end).
        assert clip.source_range.start_time.value == frames(10.0, rate)
        assert clip.source_range.start_time.rate == pytest.approx(rate)
        assert music.range_of_child(clip).start_time.value == frames(1.0, rate)
        assert clip.source_range.duration.value == frames(7.5, rate) - frames(1.0, rate)
        # Bars inside the section (10.73, 12.73, 14.73 s of the track), in the clip's media time.
        bar_marks = sorted(m.marked_range.start_time.value for m in clip.markers if m.name.startswith("bar "))
        assert bar_marks == [frames(b, rate) for b in (10.73, 12.73, 14.73)]
        cut_marks = sorted(m.marked_range.start_time.value for m in timeline.tracks.markers)
        assert cut_marks == [frames(c, rate) for c in CUTS]
    xml = (tmp_path / "cut.fcpxml").read_text(encoding="utf-8")
    assert set(re.findall(r"<timebase>(\d+)</timebase>", xml)) == {timebase}
    assert set(re.findall(r"<ntsc>(\w+)</ntsc>", xml)) == {ntsc}

    text = export_project(project, "edl", tmp_path / "cut.edl", bars=bars).read_text(encoding="utf-8")
    events = re.findall(r"^\d{3}  AX\s+(\S+)\s+C\s+(\S+) (\S+) (\S+) (\S+)$", text, flags=re.MULTILINE)
    assert [e[0] for e in events] == ["V", "A"]
    tc_rate = rate if rate <= 61 else rate / 2
    assert events[1][1] == timecode(frames(10.0, tc_rate), tc_rate)
    assert events[1][3] == timecode(frames(1.0, tc_rate), tc_rate)
    assert text.count("* MARKER") == 2 + 3  # the two cuts and the three bars

    rows = list(csv.DictReader(io.StringIO(cue_sheet(project, bars=bars))))
    assert float(rows[0]["timeline_in_s"]) == pytest.approx(1.0, abs=0.5 / rate)
    assert float(rows[0]["track_in_s"]) == pytest.approx(10.0, abs=0.5 / rate)
    assert int(rows[0]["timeline_in_frame"]) == frames(1.0, fps)
    assert [float(b) for b in rows[0]["bars_s"].split(";")] == pytest.approx([1.73, 3.73, 5.73], abs=1.01 / rate)
    assert [float(c) for c in rows[0]["cuts_s"].split(";")] == pytest.approx(list(CUTS), abs=0.5 / rate)


def test_edl_of_a_fast_clip_counts_at_half_the_rate(tmp_path):
    text = export_project(make_project(tmp_path, 120.0), "edl", tmp_path / "fast.edl").read_text(encoding="utf-8")
    assert "timecode counts 60 fps" in text
    timeline = otio.adapters.read_from_string(text, "cmx_3600", rate=60)
    (clip,) = [c for c in timeline.tracks[-1] if isinstance(c, otio.schema.Clip)]
    assert clip.source_range.start_time.value == 600  # 10 s at 60 fps


@pytest.mark.parametrize("fps", [0.0, -25.0, 1e9, 1e-6])
def test_a_hostile_frame_rate_is_refused_in_one_line(tmp_path, capsys, fps):
    path = save_project(make_project(tmp_path, 25.0), tmp_path / "p.mmproj")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["video"]["fps"] = fps
    path.write_text(json.dumps(document), encoding="utf-8")
    for fmt in ("otio", "fcpxml", "edl", "csv"):
        out = tmp_path / f"x.{fmt}"
        assert main(["export", str(path), "--format", fmt, "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "frame rate" in err and not out.exists()
    with pytest.raises(ProjectError, match="not a video frame rate"):
        edit_rate(float("nan"))


def test_a_rendered_fit_is_placed_from_its_start_with_its_bars_mapped(tmp_path):
    project = make_project(tmp_path, 25.0, rendered=True)
    out = export_project(project, "otio", tmp_path / "fit.otio", bars={0: BARS})
    timeline = otio.adapters.read_from_file(str(out))
    *_, music = timeline.audio_tracks()
    (clip,) = [c for c in music if isinstance(c, otio.schema.Clip)]
    assert Path(clip.media_reference.target_url).name == "fit.wav"
    assert clip.source_range.start_time.value == 0 and clip.source_range.duration.value == frames(6.5, 25)
    # Fit seconds 0..3 play track 10..13 (bars 10.73, 12.73 -> 0.73, 2.73); from 3 s it plays track 20.5..
    # (bars 20.73, 22.73, 24.73 -> 3.23, 5.23, 7.23, the last past the fit's 6.5 s).
    marks = sorted(m.marked_range.start_time.value for m in clip.markers if m.name.startswith("bar "))
    assert marks == [frames(t, 25) for t in (0.73, 2.73, 3.23, 5.23)]


def test_the_command_passes_bar_times_from_the_library(tmp_path, capsys):
    project = make_project(tmp_path, 25.0)
    path = save_project(project, tmp_path / "p.mmproj")
    db_path = tmp_path / "lib.sqlite"
    beats = np.arange(0.73, 60.0, 0.5)
    record = TrackRecord(path=project.picks[0].track_path, source="file", size=1, mtime_ns=1, content_hash="h1",
                         duration_s=60.0, title="曲目", artist="", album="", features=np.zeros(10), tempo_bpm=120.0,
                         key="C major", beats=beats, energy=np.zeros(4), sections=[], error=None)
    with LibraryDB(db_path) as db:
        db.upsert(record)
    assert track_bars(record) == pytest.approx(BARS)  # every fourth beat without downbeats
    out = tmp_path / "cut.otio"
    assert main(["export", str(path), "--format", "otio", "--out", str(out), "--db", str(db_path)]) == 0
    assert "bar markers for 1 of 1 pick(s)" in capsys.readouterr().out
    timeline = otio.adapters.read_from_file(str(out))
    (clip,) = [c for c in timeline.audio_tracks()[-1] if isinstance(c, otio.schema.Clip)]
    assert sum(m.name.startswith("bar ") for m in clip.markers) == 3
    assert main(["export", str(path), "--format", "otio", "--out", str(out)]) == 0
    assert "no bar markers without --db" in capsys.readouterr().out
    with LibraryDB(db_path) as db:
        assert bars_from_records(db.records())(project.picks[0]) == pytest.approx(BARS)


def test_cue_sheet_text_cells_are_never_spreadsheet_formulas(tmp_path):
    project = make_project(tmp_path, 25.0)
    project.picks[0].note = '=HYPERLINK("http://x","click")'
    project.picks[0].title = "+cmd|' /C calc'!A0"
    project.picks[0].artist = "@SUM(1+1)"
    row = next(csv.DictReader(io.StringIO(cue_sheet(project))))
    for column in ("title", "artist", "note"):
        assert not row[column].startswith(("=", "+", "-", "@")), column
    assert row["note"] == "'" + project.picks[0].note  # the text itself is kept, made inert
