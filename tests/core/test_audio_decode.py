"""Decoding every supported format to mono 22,050 Hz, tags, and clear errors for bad files."""

from __future__ import annotations

import numpy as np
import pytest
from mutagen.flac import FLAC

from core.audio.analysis import analyze_file
from core.audio.decode import ANALYSIS_RATE, load_audio, read_tags
from core.audio.synth import LoopSpec, drum_chord_loop, tone
from core.errors import MediaError
from tests.core.audio_files import write_audio


@pytest.mark.parametrize("suffix", [".wav", ".flac", ".ogg", ".aiff", ".mp3", ".m4a", ".opus", ".mp4"])
def test_each_format_decodes_to_the_same_signal(tmp_path, suffix):
    rate = 44_100
    signal = tone(440.0, 3.0, sample_rate=rate, gain_db=-6)
    path = write_audio(tmp_path / f"a440{suffix}", signal, rate)
    audio = load_audio(path)
    assert audio.sample_rate == ANALYSIS_RATE and audio.samples.dtype == np.float32
    assert audio.channels == 2
    assert audio.duration_s == pytest.approx(3.0, abs=0.1)
    assert audio.samples.size == pytest.approx(3.0 * ANALYSIS_RATE, abs=0.1 * ANALYSIS_RATE)
    # A 440 Hz sine at -6 dBFS: the strongest frequency and the level survive any codec.
    middle = audio.samples[ANALYSIS_RATE // 2 : 2 * ANALYSIS_RATE]
    spectrum = np.abs(np.fft.rfft(middle * np.hanning(middle.size)))
    peak_hz = np.argmax(spectrum) * ANALYSIS_RATE / middle.size
    assert peak_hz == pytest.approx(440, abs=2)
    assert np.sqrt(np.mean(middle**2)) == pytest.approx(10 ** (-6 / 20) / np.sqrt(2), rel=0.1)
    expected = "sndfile" if suffix in (".wav", ".flac", ".ogg", ".aiff", ".mp3", ".opus") else "ffmpeg"
    assert audio.decoder == expected


def test_analysis_agrees_across_codecs(tmp_path):
    rate = 44_100
    loop = drum_chord_loop(LoopSpec(seconds=12, sample_rate=rate, tempo_bpm=128))
    reference = analyze_file(write_audio(tmp_path / "loop.wav", loop, rate))
    for suffix in (".mp3", ".m4a"):
        other = analyze_file(write_audio(tmp_path / f"loop{suffix}", loop, rate))
        assert other.tempo_bpm == pytest.approx(reference.tempo_bpm, rel=0.01)
        difference = np.abs(other.features.to_array() - reference.features.to_array())
        scales = np.array([20, 20, 20, 20, 20, 100, 100, 100, 100, 200])
        assert (difference / scales).max() < 0.1, dict(zip(reference.features.NAMES, difference, strict=True))


def test_long_files_are_cut_at_max_seconds(tmp_path):
    path = write_audio(tmp_path / "long.flac", tone(220, 10.0, sample_rate=8000), 8000)
    audio = load_audio(path, max_seconds=4.0)
    assert audio.truncated and audio.duration_s == pytest.approx(10.0)
    assert audio.samples.size == 4 * ANALYSIS_RATE


def test_tags(tmp_path):
    path = write_audio(tmp_path / "tagged.flac", tone(220, 1.0), 22_050)
    tags = FLAC(path)
    tags["title"] = "雨夜"
    tags["artist"] = "Ensemble"
    tags["album"] = "Night"
    tags.save()
    read = read_tags(path)
    assert (read.title, read.artist, read.album) == ("雨夜", "Ensemble", "Night")
    assert read.duration_s == pytest.approx(1.0, abs=0.01)
    untagged = read_tags(write_audio(tmp_path / "plain.wav", tone(220, 1.0), 22_050))
    assert untagged.title == "" and untagged.duration_s == pytest.approx(1.0, abs=0.01)
    assert read_tags(tmp_path / "missing.mp3").title == ""


def test_bad_files_raise_media_error(tmp_path):
    with pytest.raises(MediaError, match="no such file"):
        load_audio(tmp_path / "missing.wav")
    with pytest.raises(MediaError, match="is a folder"):
        load_audio(tmp_path)
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    with pytest.raises(MediaError, match="empty"):
        load_audio(empty)
    garbage = tmp_path / "garbage.m4a"
    garbage.write_bytes(np.random.default_rng(0).integers(0, 256, 20_000, dtype=np.uint8).tobytes())
    with pytest.raises(MediaError):
        load_audio(garbage)
    text = tmp_path / "notes.flac"
    text.write_text("not audio at all\n" * 100)
    with pytest.raises(MediaError, match=r"notes\.flac"):
        load_audio(text)


def test_truncated_file_keeps_what_decodes(tmp_path):
    path = write_audio(tmp_path / "cut.mp3", tone(330, 6.0, sample_rate=44_100), 44_100)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    audio = load_audio(path)
    assert 2.0 < audio.samples.size / ANALYSIS_RATE < 4.5


def test_decoder_notes_go_into_the_reason_not_onto_the_terminal(tmp_path, capfd):
    # libmpg123 (inside libsndfile) prints "Note: Illegal Audio-MPEG-Header ..." on
    # descriptor 2 when it probes a text file named .mp3; Python never sees that text.
    notes = tmp_path / "notes.mp3"
    notes.write_text("these are my notes\n" * 40)
    capfd.readouterr()
    with pytest.raises(MediaError) as caught:
        load_audio(notes)
    message = str(caught.value)
    assert "notes.mp3" in message and "decoder: " in message and "Audio-MPEG-Header" in message
    assert "\n" not in message
    # Descriptor 2 is the terminal again afterwards, and held nothing from the decoder.
    import os

    os.write(2, b"after the decode\n")
    assert capfd.readouterr().err == "after the decode\n"


def test_decoder_notes_stay_off_the_terminal_when_threads_decode_at_once(tmp_path, capfd):
    import concurrent.futures
    import os

    bad = []
    for i in range(6):
        path = tmp_path / f"notes{i}.mp3"
        path.write_text(f"file {i}\n" * 200)
        bad.append(path)
    good = write_audio(tmp_path / "good.wav", tone(330, 1.0), ANALYSIS_RATE)
    capfd.readouterr()

    def attempt(path):
        try:
            return load_audio(path).samples.size
        except MediaError as exc:
            return str(exc)

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(attempt, [*bad, good, *bad, good]))
    assert all("decoder: " in answer for answer in answers if isinstance(answer, str))
    assert sum(isinstance(answer, int) for answer in answers) == 2
    os.write(2, b"terminal back\n")
    assert capfd.readouterr().err == "terminal back\n"
