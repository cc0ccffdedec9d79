"""More like this, library filters (which tracks are listed, never a distance) and reasons in words."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.cli import main
from core.errors import InputError
from core.features import MUSIC, VIDEO
from core.library.csv_format import write_library_csv
from core.library.db import LibraryDB, TrackRecord
from core.match import MatchSettings, TrackIndex
from core.project import Pick, Project, VideoRef, save_project
from core.recommend.filters import TrackFacts, TrackFilter, parse_key, parse_range, rank_filtered
from core.recommend.pairs import quadrant_labels
from core.recommend.prior import prior_pairs
from core.recommend.reasons import explain, reasons

KEYS = ("C major", "A minor", "Eb major", "F# minor", None)


def _records(n: int = 40):
    music = prior_pairs(n, seed=11).music
    return [TrackRecord(path=f"/music/track_{i}.wav", source="scan", size=1, mtime_ns=1, content_hash=f"h{i}",
                        duration_s=20.0 + 10 * (i % 12), title=f"Song {i}", artist=("Ann Lee", "Bo", "Cy")[i % 3],
                        album=("Blue", "Red")[i % 2], features=music[i], tempo_bpm=None if i % 10 == 9 else 60.0 + 4 * i,
                        key=KEYS[i % 5], beats=np.zeros(0), energy=np.zeros(0), sections=[], error=None)
            for i in range(n)]


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "lib.sqlite"
    with LibraryDB(path) as db:
        for record in _records():
            db.upsert(record)
    return path


def test_filters_choose_tracks_and_never_change_a_distance():
    records = _records()
    index = TrackIndex(np.array([r.features for r in records]), [r.name for r in records])
    facts = TrackFacts.from_records(records)
    target = prior_pairs(1, seed=3).music[0]
    settings = MatchSettings.create(top_k=40)
    everything = index.rank(target, settings)
    unfiltered = dict(zip(everything.indices.tolist(), everything.distances.tolist(), strict=True))
    track_filter = TrackFilter(bpm=(80.0, 160.0), key="minor", artist="ann")
    keep = track_filter.mask(facts)
    expected = [i for i, r in enumerate(records) if r.tempo_bpm is not None and 80 <= r.tempo_bpm <= 160
                and r.key is not None and r.key.endswith("minor") and r.artist == "Ann Lee"]
    assert np.flatnonzero(keep).tolist() == expected and len(expected) >= 2
    result = rank_filtered(index, target, settings, keep)
    assert sorted(result.indices.tolist()) == expected
    for row in result.rows():
        assert row.distance == unfiltered[row.index]  # bit for bit
        assert row.name == records[row.index].name
    # The filtered order is the unfiltered order restricted to the kept rows.
    assert result.indices.tolist() == [i for i in everything.indices.tolist() if i in expected]


def test_each_filter_on_its_own():
    records = _records()
    facts = TrackFacts.from_records(records)
    assert TrackFilter(duration_s=(50.0, np.inf)).mask(facts).tolist() == [r.duration_s >= 50 for r in records]
    # Unknown tempo never passes a tempo filter.
    assert not TrackFilter(bpm=(0.0, np.inf)).mask(facts)[9]
    assert TrackFilter(key="A minor").mask(facts).tolist() == [r.key == "A minor" for r in records]
    assert TrackFilter(key="Gb minor").mask(facts).tolist() == [r.key == "F# minor" for r in records]
    assert TrackFilter(key="major").mask(facts).sum() == sum(1 for r in records if r.key and "major" in r.key)
    labels = quadrant_labels(facts.features)
    assert TrackFilter(emotion="calm").mask(facts).tolist() == [label == "calm" for label in labels]
    assert TrackFilter(album="RED").mask(facts).tolist() == [r.album == "Red" for r in records]
    assert TrackFilter(exclude_paths=frozenset({"/music/track_4.wav"}), exclude_hashes=frozenset({"h7"})
                       ).mask(facts).tolist() == [i not in (4, 7) for i in range(len(records))]
    assert not TrackFilter().active and TrackFilter(emotion="sad").active


def test_filter_input_is_checked():
    assert parse_range("90-120", "--bpm") == (90.0, 120.0)
    assert parse_range("90-", "--bpm") == (90.0, np.inf)
    assert parse_range("-120", "--bpm") == (0.0, 120.0)
    for bad in ("fast", "120-90", "", "1-2-3"):
        with pytest.raises(InputError, match="--bpm"):
            parse_range(bad, "--bpm")
    assert parse_key("Am") == (9, False) and parse_key("Bb") == (10, True) and parse_key("minor") == (None, False)
    with pytest.raises(InputError, match="--key 'H minor'"):
        parse_key("H minor")
    with pytest.raises(InputError, match="emotion 'angry'"):
        TrackFilter(emotion="angry")
    index = TrackIndex(prior_pairs(5, seed=1).music)
    with pytest.raises(InputError, match="no track of this library has a known tempo"):
        TrackFilter(bpm=(1.0, 2.0)).mask(TrackFacts.from_index(index))


def test_cli_like_and_filters_on_a_database(db_path, tmp_path, capsys):
    with LibraryDB(db_path, create=False) as db:
        index, records = db.track_index()  # the rows the results' indices refer to (sorted by path)
    four = [r.path for r in records].index("/music/track_4.wav")
    ten = [r.path for r in records].index("/music/track_10.wav")
    assert main(["match", "--db", str(db_path), "--like", "/music/track_4.wav", "--top-k", "40", "--json"]) == 0
    liked = json.loads(capsys.readouterr().out)
    rows = [r["index"] for r in liked["results"]]
    assert four not in rows and len(rows) == 39  # the liked track itself is not listed
    features = index.features.astype(np.float64)
    expected = index.distances(features[four])
    assert all(r["distance"] == expected[r["index"]] for r in liked["results"])
    # By row index and by name: the same list.
    assert main(["match", "--db", str(db_path), "--like", str(four), "--top-k", "40", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"] == liked["results"]
    assert main(["match", "--db", str(db_path), "--like", "track_4.wav", "--top-k", "40", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"] == liked["results"]
    # Filters on top of "more like this": the same distances, fewer tracks.
    project = Project(video=VideoRef(path=str(tmp_path / "v.mp4"), features=dict(zip(VIDEO.ids, VIDEO.centers,
                                                                                     strict=True))),
                      picks=[Pick(track_path="/music/track_10.wav", content_hash="h10")])
    save_project(project, tmp_path / "p.mmproj")
    assert main(["match", "--db", str(db_path), "--like", str(four), "--top-k", "40", "--bpm", "70-150", "--key",
                 "minor", "--exclude-picked", str(tmp_path / "p.mmproj"), "--json"]) == 0
    filtered = json.loads(capsys.readouterr().out)["results"]
    kept = {i for i, r in enumerate(records) if r.tempo_bpm is not None and 70 <= r.tempo_bpm <= 150
            and r.key is not None and r.key.endswith("minor") and i not in (four, ten)}
    assert len(kept) >= 3
    assert {r["index"] for r in filtered} == kept
    by_row = {r["index"]: r["distance"] for r in liked["results"]}
    assert all(r["distance"] == by_row[r["index"]] for r in filtered)
    # A blend of a target and the liked track.
    target = ",".join(str(v) for v in features[20])
    assert main(["match", "--db", str(db_path), "--pred-feat", target, "--like", str(four), "--like-blend", "0.25",
                 "--top-k", "3", "--json"]) == 0
    blended = json.loads(capsys.readouterr().out)["results"]
    mix = 0.75 * features[20] + 0.25 * features[four]
    distances = index.distances(mix)
    distances[four] = np.inf
    assert [r["index"] for r in blended] == list(np.argsort(distances, kind="stable")[:3])


def test_cli_like_and_filter_errors(db_path, tmp_path, capsys):
    csv = write_library_csv(tmp_path / "lib.csv", prior_pairs(5, seed=1).music, [f"t{i}.wav" for i in range(5)])
    cases = [
        (["match", "--db", str(db_path), "--like", "nothing.wav"], "no such track in the library"),
        (["match", "--db", str(db_path), "--like", "99"], "the library has 40 tracks"),
        (["match", "--db", str(db_path), "--like", "3", "--like-blend", "2"], "between 0 and 1"),
        (["match", "--db", str(db_path)], "give a target"),
        (["match", "--audio-csv", str(csv), "--like", "t1.wav", "--artist", "x"], "a CSV library has no tags"),
        (["match", "--audio-csv", str(csv), "--like", "t1.wav", "--key", "minor"], "no track of this library has a "
                                                                                   "known key"),
        (["match", "--db", str(db_path), "--like", "3", "--exclude-picked", str(tmp_path / "none.mmproj")],
         "none.mmproj"),
    ]
    for argv, message in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, (argv, err)


def test_reasons_say_what_is_shared_and_what_differs():
    lows, highs = np.array([d.low for d in MUSIC]), np.array([d.high for d in MUSIC])
    target = MUSIC.centers.copy()
    target[MUSIC.index("rhythm_speed")] = MUSIC.centers[MUSIC.index("rhythm_speed")] + 0.8 * MUSIC.scales[
        MUSIC.index("rhythm_speed")]
    track = target.copy()
    track[MUSIC.index("warmth")] = highs[MUSIC.index("warmth")]
    shares = dict.fromkeys(MUSIC.ids, 0.0)
    shares["warmth"] = 1.0
    video = VIDEO.centers.copy()
    video[VIDEO.index("narrative_pace")] = 95.0
    assert reasons(target, track, shares, video=video) == ["fast tempo like the clip's pace", "warmer than the target"]
    assert explain(target, track, shares, video=video, language="zh") == "速度快，呼应画面的节奏；比目标更温暖"
    # Without the clip, or when the picture points the other way, the clip is not named.
    assert reasons(target, track, shares) == ["fast tempo", "warmer than the target"]
    video[VIDEO.index("narrative_pace")] = 5.0
    assert reasons(target, track, shares, video=video)[0] == "fast tempo"
    # A dimension left out of the comparison (--dims) is not talked about.
    assert reasons(target, track, {"rhythm_speed": 0.0}) == ["fast tempo"]
    assert reasons(MUSIC.centers, MUSIC.centers, dict.fromkeys(MUSIC.ids, 0.0)) == [
        "close to the target on every dimension"]
    assert lows.shape == (10,)


def test_cli_explain_prints_reasons(tmp_path, capsys):
    music = prior_pairs(30, seed=2).music
    csv = write_library_csv(tmp_path / "lib.csv", music, [f"t{i}.wav" for i in range(30)])
    target = ",".join(str(v) for v in music[7])
    assert main(["match", "--audio-csv", str(csv), "--pred-feat", target, "--top-k", "2", "--explain"]) == 0
    text = capsys.readouterr().out
    lines = text.split("\n")
    # Row 1 is the target's own track: only shared qualities; row 2 also says where it differs most.
    assert text.count("   why: ") == 2 and lines[4].startswith("   why: ") and "than the target" not in lines[4]
    assert "than the target" in lines[7]
    assert main(["match", "--audio-csv", str(csv), "--pred-feat", target, "--top-k", "2", "--explain", "--lang", "zh",
                 "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert not any("比目标" in phrase for phrase in document["results"][0]["reasons"])
    assert any("比目标" in phrase for phrase in document["results"][1]["reasons"])
    assert all(isinstance(r["reasons"], list) and r["reasons"] for r in document["results"])
    assert main(["match", "--audio-csv", str(csv), "--pred-feat", target, "--json"]) == 0
    assert "reasons" not in json.loads(capsys.readouterr().out)["results"][0]


def test_cli_recommend_with_like_filters_and_reasons(tmp_path, capsys, monkeypatch):
    from core.video.synth import ClipSpec, write_clip

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the shipped model, whatever is active here
    clip = write_clip(tmp_path / "clip.mp4", ClipSpec(seconds=2, shot_seconds=1.0, object_speed=0.4))
    music = prior_pairs(40, seed=4).music
    csv = write_library_csv(tmp_path / "lib.csv", music, [f"track_{i}.wav" for i in range(40)])
    assert main(["recommend", str(clip), "--audio-csv", str(csv), "--top-k", "40", "--json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert main(["recommend", str(clip), "--audio-csv", str(csv), "--top-k", "40", "--emotion", "joyful",
                 "--explain", "--lang", "zh", "--json"]) == 0
    joyful = json.loads(capsys.readouterr().out)
    labels = quadrant_labels(music)
    assert {r["index"] for r in joyful["results"]} == {i for i, label in enumerate(labels) if label == "joyful"}
    by_row = {r["index"]: r["distance"] for r in plain["results"]}
    assert all(r["distance"] == by_row[r["index"]] and r["reasons"] for r in joyful["results"])
    assert main(["recommend", str(clip), "--audio-csv", str(csv), "--like", "track_5.wav", "--like-blend", "0.5",
                 "--top-k", "3", "--json"]) == 0
    liked = json.loads(capsys.readouterr().out)
    target = np.array([plain["target"]["features"][d] for d in MUSIC.ids])
    mix = np.array([liked["ranked_against"][d] for d in MUSIC.ids])
    assert np.allclose(mix, 0.5 * target + 0.5 * music[5])
    assert 5 not in [r["index"] for r in liked["results"]]
