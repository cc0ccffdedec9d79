"""One song, several files (#13, finding 8): :mod:`core.library.versions` and ranking with versions grouped."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import numpy as np
import pytest

from core.audio.synth import LoopSpec, drum_chord_loop
from core.features import MUSIC
from core.library.db import LibraryDB
from core.library.scanner import scan_folders
from core.library.source import open_library
from core.library.versions import DEFAULT_MAX_DISTANCE, clean_title, group_versions
from core.match import MatchSettings
from core.pipeline import rank_tracks
from tests.core.audio_files import write_audio


@dataclass(frozen=True)
class Entry:
    path: str
    title: str
    duration_s: float
    content_hash: str = ""


def _vector(offset: float = 0.0) -> np.ndarray:
    """A music vector in the middle of every range, moved by ``offset`` standard units on each dimension."""
    return MUSIC.centers + offset * MUSIC.scales


@pytest.mark.parametrize("title", ["Night Drive", "night drive (1)", "Night Drive - Copy", "Copy of Night Drive",
                                   "NIGHT_DRIVE [FLAC]", "Night Drive (320 kbps)", "Night Drive copy 2"])
def test_clean_title_removes_copy_markers_and_format_words(title):
    assert clean_title(title) == "night drive"


def test_clean_title_keeps_what_tells_songs_apart():
    assert clean_title("Night Drive (Live)") == "night drive live"
    assert clean_title("Track 2") == "track 2"


def test_identical_files_group_by_hash_even_without_a_duration():
    entries = [Entry("/a/x.wav", "X", 0.0, "h1"), Entry("/b/y.wav", "Y", 0.0, "h1"), Entry("/c/z.wav", "Z", 0.0, "h2")]
    groups = group_versions(entries, np.stack([_vector()] * 3), sizes=[100, 100, 100])
    assert len(groups) == 2
    assert groups.versions_of(1)[0].row == 0 and groups.others(0) == 1 and groups.others(2) == 0
    assert groups.preferred_rows.tolist() == [True, False, True]


def test_title_duration_and_sound_must_all_agree():
    entries = [
        Entry("/m/song.wav", "Song", 180.0),
        Entry("/m/song.mp3", "Song", 180.4),          # same song: within 1 s, same sound
        Entry("/m/other/song.ogg", "Song", 183.0),    # 3 s longer: another edit
        Entry("/m/song_b.wav", "Song", 180.2),        # same name and length, different music
        Entry("/m/untimed.wav", "Song", 0.0),         # length unknown: never grouped by title
    ]
    features = np.stack([_vector(), _vector(0.05), _vector(0.0), _vector(0.3), _vector()])
    groups = group_versions(entries, features, sizes=[0] * 5)
    assert groups.group[0] == groups.group[1]
    assert len({int(groups.group[r]) for r in (0, 2, 3, 4)}) == 4
    tighter = group_versions(entries, features, sizes=[0] * 5, max_distance=0.02)
    assert tighter.group[0] != tighter.group[1]


def test_preferred_version_is_lossless_then_higher_bitrate():
    entries = [Entry("/m/a.mp3", "A", 100.0), Entry("/m/a.ogg", "A", 100.0), Entry("/m/a.flac", "A", 100.0)]
    sizes = [1_600_000, 2_400_000, 30_000_000]  # 128 kbit/s, 192 kbit/s, lossless
    groups = group_versions(entries, np.stack([_vector()] * 3), sizes=sizes)
    assert [v.format for v in groups.versions_of(0)] == ["FLAC", "OGG", "MP3"]
    assert groups.preferred(0) == 2 and groups.preferred_rows.tolist() == [False, False, True]
    assert groups.version(0).bitrate_kbps == pytest.approx(128.0)
    assert groups.version(0).describe() == "MP3, 128 kbps, 1.6 MB"
    assert groups.version(2).describe() == "FLAC, lossless, 30.0 MB"
    lossy_only = group_versions(entries[:2], np.stack([_vector()] * 2), sizes=sizes[:2])
    assert lossy_only.preferred(0) == 1  # the 192 kbit/s OGG before the 128 kbit/s MP3


def test_grouping_never_changes_a_distance():
    entries = [Entry(f"/m/{n}.wav", n, 60.0) for n in ("a", "a", "b")]
    features = np.stack([_vector(0.2), _vector(0.2), _vector(-0.2)])
    from core.match import TrackIndex

    index = TrackIndex(features, [e.path for e in entries])
    groups = group_versions(entries, features, sizes=[10, 10, 10])
    target = _vector(0.1)
    whole = rank_tracks(index, target, MatchSettings.create(top_k=3))
    grouped = rank_tracks(index, target, MatchSettings.create(top_k=3), versions=groups)
    assert whole.indices.tolist() == [0, 1, 2] and grouped.indices.tolist() == [0, 2]
    assert grouped.distances.tolist() == [whole.distances[0], whole.distances[2]]


@pytest.fixture(scope="module")
def scanned_versions(tmp_path_factory):
    """One drum-and-chord loop as WAV, MP3 (128 kbit/s) and OGG, a byte copy of the WAV, and another loop."""
    folder = tmp_path_factory.mktemp("versions")
    rate = 22_050
    loop = drum_chord_loop(LoopSpec(seconds=10, tempo_bpm=120, sample_rate=rate)).astype(np.float32)
    other = drum_chord_loop(LoopSpec(seconds=10, tempo_bpm=96, mode="minor", hat_division=4, sample_rate=rate),
                            seed=5).astype(np.float32)
    for suffix in (".wav", ".mp3", ".ogg"):
        write_audio(folder / f"night_drive{suffix}", loop, rate)
    (folder / "copies").mkdir()
    shutil.copy(folder / "night_drive.wav", folder / "copies" / "night_drive (1).wav")
    write_audio(folder / "night_drive_b.wav", other, rate)  # another song, its own title
    write_audio(folder / "copies" / "night_drive.flac", other, rate)  # same title and length, other music
    db_path = folder / "library.sqlite"
    with LibraryDB(db_path) as db:
        db.add_folder(str(folder))
        report = scan_folders(db, [str(folder)], jobs=1)
    assert report.analysed == 6 and not report.skipped
    return open_library(db_path)


def test_wav_mp3_ogg_and_a_copy_of_one_loop_are_one_song(scanned_versions):
    source = scanned_versions
    entries = source.entries
    groups = group_versions(entries, source.index.features, sizes=[r.size for r in source.records])
    names = [e.path.rsplit("/", 1)[-1] for e in entries]
    song = {names[r] for r in groups.members[int(groups.group[names.index("night_drive.wav")])]}
    assert song == {"night_drive.wav", "night_drive.mp3", "night_drive.ogg", "night_drive (1).wav"}
    assert groups.others(names.index("night_drive.flac")) == 0  # same title, different music
    assert groups.others(names.index("night_drive_b.wav")) == 0
    preferred = entries[groups.preferred(names.index("night_drive.mp3"))]
    assert preferred.path.endswith(".wav")  # lossless before the OGG and the MP3
    # The measurement behind DEFAULT_MAX_DISTANCE: lossy copies stay well inside it, other music far outside.
    standard = (source.index.features - MUSIC.centers) / MUSIC.scales
    wav = standard[names.index("night_drive.wav")]

    def rms(name):
        return float(np.sqrt(np.mean((standard[names.index(name)] - wav) ** 2)))

    assert max(rms("night_drive.mp3"), rms("night_drive.ogg")) < DEFAULT_MAX_DISTANCE / 2
    assert rms("night_drive.flac") > DEFAULT_MAX_DISTANCE


def test_ranking_lists_the_song_once_by_its_best_file(scanned_versions):
    source = scanned_versions
    entries = source.entries
    groups = group_versions(entries, source.index.features, sizes=[r.size for r in source.records])
    target = source.index.features[[e.path.endswith("night_drive.mp3") for e in entries].index(True)]
    settings = MatchSettings.create(top_k=len(entries))
    whole = rank_tracks(source.index, target, settings)
    grouped = rank_tracks(source.index, target, settings, versions=groups)
    assert len(whole) == 6 and len(grouped) == 3
    top = entries[int(grouped.indices[0])]
    assert top.path.rsplit("/", 1)[-1] in {"night_drive.wav", "night_drive (1).wav"}  # a WAV: byte-identical copies


def test_command_line_groups_versions_only_when_asked(scanned_versions, capsys, tmp_path):
    import json

    from core.cli import main

    source = scanned_versions
    target = source.index.features[[e.path.endswith("night_drive.mp3") for e in source.entries].index(True)]
    vector = ",".join(f"{v:.6f}" for v in target)
    assert main(["match", "--db", source.path, f"--pred-feat={vector}", "--top-k", "6", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["results"]) == 6  # the SPEC's default: every file
    assert main(["match", "--db", source.path, f"--pred-feat={vector}", "--top-k", "6", "--json",
                 "--group-versions"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert len(results) == 3 and results[0]["name"].endswith(".wav")
    csv = tmp_path / "lib.csv"
    csv.write_text("name," + ",".join(MUSIC.ids) + "\na.wav," + vector + "\n", encoding="utf-8")
    assert main(["match", "--audio-csv", str(csv), f"--pred-feat={vector}", "--group-versions"]) == 2
    assert "--group-versions" in capsys.readouterr().err
