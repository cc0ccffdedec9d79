"""The same music gives the same numbers: codecs, sample rates, mono, gain and offset.

Property: after any of the transformations an editor's library holds (MP3 128/192/320
kbit/s, AAC, Opus, 22.05/48 kHz, mono downmix, -6 dB, a 30 ms offset), the tempo stays
within 4 % and every one of the 10 features within 0.1 of its scale (half its documented
range). Generated recordings always run; real recordings (``benchmarks/real_music.py``)
run when their cache exists and are skipped otherwise.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest
import soxr

from core.audio.analysis import analyze_file
from core.audio.synth import LoopSpec, drum_chord_loop
from core.features import MUSIC
from tests.core.audio_files import write_audio

SCALES = np.array([dim.scale for dim in MUSIC])
TEMPO_TOLERANCE = 0.04
FEATURE_TOLERANCE = 0.1
SOURCE_RATE = 44_100

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import real_music  # noqa: E402  (the benchmark script names the cache and the variants)


def _variants(source: np.ndarray, folder: Path) -> dict[str, Path]:
    """Write ``source`` (stereo-identical mono at 44.1 kHz) in every variant; returns name -> file."""
    files = {
        "reference": write_audio(folder / "reference.flac", source, SOURCE_RATE),
        "mp3_128": _ffmpeg_codec(source, folder / "v128.mp3", 128_000),
        "mp3_192": _ffmpeg_codec(source, folder / "v192.mp3", 192_000),
        "mp3_320": _ffmpeg_codec(source, folder / "v320.mp3", 320_000),
        "aac_160": _ffmpeg_codec(source, folder / "v.m4a", 160_000),
        "opus_96": _ffmpeg_codec(source, folder / "v.opus", 96_000),
        "sr_22050": write_audio(folder / "r22.flac", soxr.resample(source, SOURCE_RATE, 22_050), 22_050),
        "sr_48000": write_audio(folder / "r48.flac", soxr.resample(source, SOURCE_RATE, 48_000), 48_000),
        "mono": write_audio(folder / "mono.flac", source, SOURCE_RATE, stereo=False),
        "gain_-6dB": write_audio(folder / "quieter.flac", source * np.float32(10 ** (-6 / 20)), SOURCE_RATE),
        "offset_30ms": write_audio(
            folder / "later.flac", np.concatenate([np.zeros(int(0.03 * SOURCE_RATE), np.float32), source]),
            SOURCE_RATE,
        ),
    }
    return files


def _ffmpeg_codec(source: np.ndarray, path: Path, bit_rate: int) -> Path:
    """Encode with FFmpeg's own encoders at ``bit_rate`` (what editors' libraries hold)."""
    from fractions import Fraction

    import av

    codec = {".mp3": ("mp3", "libmp3lame"), ".m4a": ("ipod", "aac"), ".opus": ("ogg", "libopus")}[path.suffix]
    rate = 48_000 if codec[1] == "libopus" else SOURCE_RATE
    data = soxr.resample(source, SOURCE_RATE, rate) if rate != SOURCE_RATE else source
    stereo = np.ascontiguousarray(np.stack([data, data]).astype(np.float32))
    with av.open(str(path), "w", format=codec[0]) as container:
        stream = container.add_stream(codec[1], rate=rate, layout="stereo")
        stream.bit_rate = bit_rate
        for start in range(0, stereo.shape[1], 960):
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(stereo[:, start : start + 960]),
                                               format="fltp", layout="stereo")
            frame.sample_rate = rate
            frame.pts = start
            frame.time_base = Fraction(1, rate)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def _compare(reference, variant) -> tuple[bool, np.ndarray]:
    """(tempo kept within 4 %, feature shifts in units of each dimension's scale)."""
    if reference.tempo_bpm == 0 or variant.tempo_bpm == 0:
        same_tempo = reference.tempo_bpm == variant.tempo_bpm
    else:
        same_tempo = abs(variant.tempo_bpm / reference.tempo_bpm - 1.0) <= TEMPO_TOLERANCE
    shift = np.abs(variant.features.to_array() - reference.features.to_array()) / SCALES
    return same_tempo, shift


GENERATED = [
    LoopSpec(tempo_bpm=96, seconds=40, hat_division=2, key_midi=57, mode="minor"),
    LoopSpec(tempo_bpm=128, seconds=40, hat_division=4, key_midi=62, mode="major", lowpass_hz=6000),
    LoopSpec(tempo_bpm=75, seconds=40, hat_division=0, key_midi=53, mode="minor", gain_db=-14),
]


@pytest.fixture(scope="module", params=range(len(GENERATED)), ids=["96bpm-minor", "128bpm-bright", "75bpm-quiet"])
def generated_variants(request, tmp_path_factory):
    spec = GENERATED[request.param]
    source = drum_chord_loop(dataclasses.replace(spec, sample_rate=SOURCE_RATE), seed=request.param)
    folder = tmp_path_factory.mktemp(f"variants{request.param}")
    files = _variants(source, folder)
    return spec, {name: analyze_file(path) for name, path in files.items()}


def test_generated_music_keeps_its_numbers_under_every_variant(generated_variants):
    spec, analyses = generated_variants
    reference = analyses.pop("reference")
    assert reference.tempo_bpm == pytest.approx(spec.tempo_bpm, rel=TEMPO_TOLERANCE)
    failures = []
    for name, analysis in analyses.items():
        same_tempo, shift = _compare(reference, analysis)
        if not same_tempo:
            failures.append(f"{name}: tempo {reference.tempo_bpm:.1f} -> {analysis.tempo_bpm:.1f}")
        if shift.max() > FEATURE_TOLERANCE:
            worst = int(np.argmax(shift))
            failures.append(f"{name}: {MUSIC.ids[worst]} moved {shift[worst]:.3f} of its scale")
        assert analysis.key == reference.key, name
    assert not failures, failures


REAL = real_music.invariance_subset()


@pytest.mark.skipif(not REAL, reason="real recordings not fetched (run benchmarks/real_music.py fetch variants)")
@pytest.mark.parametrize("original", REAL, ids=[f"{p.parent.name}/{p.name}" for p in REAL])
def test_real_recordings_keep_their_numbers_under_every_variant(original):
    reference = analyze_file(original)
    failures, compared = [], 0
    for variant in real_music.VARIANTS:
        copy = real_music.variant_path(original, variant)
        if not copy.exists():
            continue
        compared += 1
        same_tempo, shift = _compare(reference, analyze_file(copy))
        if not same_tempo:
            failures.append(f"{variant}: tempo changed")
        if shift.max() > FEATURE_TOLERANCE:
            worst = int(np.argmax(shift))
            failures.append(f"{variant}: {MUSIC.ids[worst]} moved {shift[worst]:.3f} of its scale")
    if compared == 0:
        pytest.skip("no variants made yet (run benchmarks/real_music.py variants)")
    assert not failures, failures
