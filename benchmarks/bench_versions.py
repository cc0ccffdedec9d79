"""How far a song's vector moves when it is re-encoded, against how far different music lies (issue #13).

The threshold :data:`core.library.versions.DEFAULT_MAX_DISTANCE` must sit between the two.
This renders drum-and-chord loops, writes each as WAV, MP3 (128 kbit/s), Ogg Vorbis (default,
middle and lowest quality), FLAC and AAC, analyses every file and prints the RMS difference
per dimension in standard units from the loop's WAV; then the same between different loops.
Last, it times :func:`core.library.versions.group_versions` on a synthetic library.

    .venv/bin/python benchmarks/bench_versions.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.audio.analysis import analyze_file
from core.audio.synth import LoopSpec, drum_chord_loop
from core.features import MUSIC
from core.library.versions import DEFAULT_MAX_DISTANCE, group_versions
from tests.core.audio_files import write_audio

RATE = 22_050
LOOPS = {
    "C major 120": LoopSpec(seconds=10, tempo_bpm=120, sample_rate=RATE),
    "C major 124": LoopSpec(seconds=10, tempo_bpm=124, sample_rate=RATE),
    "C minor 120": LoopSpec(seconds=10, tempo_bpm=120, mode="minor", sample_rate=RATE),
    "D major 120": LoopSpec(seconds=10, tempo_bpm=120, key_midi=62, sample_rate=RATE),
    "C major 96, 16th hats": LoopSpec(seconds=10, tempo_bpm=96, hat_division=4, sample_rate=RATE),
}


def standard_vector(path: Path) -> np.ndarray:
    return (np.asarray(analyze_file(path).features.to_array()) - MUSIC.centers) / MUSIC.scales


def rms(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.sqrt(np.mean((a - b) ** 2)))


@dataclass(frozen=True)
class Row:
    path: str
    title: str
    duration_s: float
    content_hash: str = ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the synthetic library to group")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench_versions_"))
    originals = {}
    print(f"threshold (DEFAULT_MAX_DISTANCE): {DEFAULT_MAX_DISTANCE}")
    print("re-encoded: RMS difference from the loop's WAV (standard units)")
    for number, (name, spec) in enumerate(LOOPS.items()):
        audio = drum_chord_loop(spec).astype(np.float32)
        wav = write_audio(folder / f"loop{number}.wav", audio, RATE)
        originals[name] = standard_vector(wav)
        if number >= 2:
            continue
        for suffix in (".mp3", ".ogg", ".flac", ".m4a"):
            encoded = write_audio(folder / f"loop{number}{suffix}", audio, RATE)
            print(f"  {name:24s} {suffix:14s} {rms(standard_vector(encoded), originals[name]):.4f}")
        for label, level in (("ogg middle", 0.5), ("ogg lowest", 0.9)):
            encoded = folder / f"loop{number}_{level}.ogg"
            soundfile.write(str(encoded), np.stack([audio, audio], 1), RATE, format="OGG", subtype="VORBIS",
                            compression_level=level)
            print(f"  {name:24s} {label:14s} {rms(standard_vector(encoded), originals[name]):.4f}")
    print("different loops: RMS difference (standard units)")
    for (a, va), (b, vb) in itertools.combinations(originals.items(), 2):
        print(f"  {a:24s} vs {b:24s} {rms(va, vb):.4f}")

    rng = np.random.default_rng(0)
    songs = args.rows // 2
    titles = [f"song {i % songs}" for i in range(args.rows)]  # every song twice
    rows = [Row(f"/music/{i}.mp3", titles[i], 180.0 + (i % songs) % 7) for i in range(args.rows)]
    base = rng.uniform(-1, 1, (songs, len(MUSIC)))
    features = MUSIC.centers + MUSIC.scales * (base[np.arange(args.rows) % songs]
                                               + rng.normal(0, 0.01, (args.rows, len(MUSIC))))
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        groups = group_versions(rows, features, sizes=[4_000_000] * args.rows)
        timings.append(time.perf_counter() - start)
    print(f"group_versions on {args.rows} rows ({songs} songs, two files each): {len(groups)} songs found, "
          f"median {np.median(timings):.2f} s of 3 runs")


if __name__ == "__main__":
    main()
