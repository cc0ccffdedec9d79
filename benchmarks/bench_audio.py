"""Music analysis speed and tempo accuracy, each as a ratio against a baseline run here.

(a) Our analysis of each file (decode + all 10 descriptors + tempo, beats, energy curve,
    sections) against an equivalent librosa 0.11 pipeline on the same files: load at
    22,050 Hz, onset strength, beat_track, STFT, spectral centroid, flatness, contrast,
    RMS, chroma (STFT), MFCC. Goal: ours >= 3x faster.
(b) Our analysis against bare decoding of the same files (``load_audio``). Goal: <= 2x.
(c) Rescan of an unchanged 10,000-file library: time per unchanged file. Goal: <= 1 ms.
(d) Tempo accuracy (MIREX Acc1/Acc2, 4 %) on drum-and-chord loops from 60 to 180 BPM,
    ours against librosa's ``beat.beat_track``.

Files: the music under ``--music DIR`` if given (real recordings), else generated
three-minute drum-and-chord tracks encoded as MP3 (what most libraries hold).

Run: ``.venv/bin/python benchmarks/bench_audio.py [--music ~/Music [--limit 20]] [--tracks 6]
[--parts speed,rescan,tempo]``
(librosa comes with ``pip install -e .[bench]``; without it, (a) and (d) are skipped).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.audio.analysis import analyze_file
from core.audio.decode import load_audio
from core.audio.signals import fine_signals
from core.audio.synth import LoopSpec, drum_chord_loop
from core.audio.tempo import estimate_tempo, onset_envelopes
from core.errors import MediaError
from core.library.db import LibraryDB, TrackRecord
from core.library.scanner import SCAN_EXTENSIONS, scan_folders
from tests.core.audio_files import write_audio

try:
    import librosa
except ImportError:  # pragma: no cover - optional
    librosa = None


def librosa_pipeline(path: str) -> None:
    y, sr = librosa.load(path, sr=22_050, mono=True)
    onset = librosa.onset.onset_strength(y=y, sr=sr)
    librosa.beat.beat_track(onset_envelope=onset, sr=sr)
    spectrum = np.abs(librosa.stft(y))
    librosa.feature.spectral_centroid(S=spectrum, sr=sr)
    librosa.feature.spectral_flatness(S=spectrum)
    librosa.feature.spectral_contrast(S=spectrum, sr=sr)
    librosa.feature.rms(S=spectrum)
    librosa.feature.chroma_stft(S=spectrum**2, sr=sr)
    librosa.feature.mfcc(y=y, sr=sr)


def timed(func, *args) -> float:
    start = time.perf_counter()
    func(*args)
    return time.perf_counter() - start


def generated_tracks(folder: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        spec = LoopSpec(tempo_bpm=70 + 19 * i, seconds=180, mode="minor" if i % 2 else "major",
                        hat_division=2 + 2 * (i % 2), key_midi=57 + i, sample_rate=44_100)
        paths.append(write_audio(folder / f"generated_{i}.mp3", drum_chord_loop(spec, seed=i), 44_100))
    return paths


def speed(paths: list[Path]) -> None:
    readable = []
    for path in paths:
        try:
            load_audio(path, max_seconds=1.0)
            readable.append(path)
        except MediaError as exc:
            print(f"  left out (cannot decode): {exc}")
    paths = readable
    # Warm up every code path (imports, numba compilation in librosa) outside the timing.
    analyze_file(paths[0])
    load_audio(paths[0])
    if librosa is not None:
        librosa_pipeline(str(paths[0]))
    ours, decode, theirs = [], [], []
    for path in paths:
        ours.append(min(timed(analyze_file, path) for _ in range(2)))
        decode.append(min(timed(load_audio, path) for _ in range(2)))
        if librosa is not None:
            theirs.append(min(timed(librosa_pipeline, str(path)) for _ in range(2)))
    print(f"\n(a, b) {len(paths)} files, best of 2 runs each, medians over files")
    print(f"  bare decoding (load_audio)      {statistics.median(decode):7.3f} s/file")
    print(f"  our analysis (decode included)  {statistics.median(ours):7.3f} s/file")
    ratio_b = statistics.median([o / d for o, d in zip(ours, decode, strict=True)])
    print(f"  (b) ours / bare decoding        {ratio_b:7.2f} x   (goal <= 2)")
    if theirs:
        print(f"  librosa 0.11 pipeline           {statistics.median(theirs):7.3f} s/file")
        ratio_a = statistics.median([t / o for t, o in zip(theirs, ours, strict=True)])
        print(f"  (a) librosa / ours              {ratio_a:7.2f} x faster (goal >= 3)")


def rescan(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "music"
        for i in range(count):
            sub = root / f"artist{i // 100:03d}"
            sub.mkdir(parents=True, exist_ok=True)
            (sub / f"track{i:05d}.mp3").write_bytes(b"\xff\xfb" + bytes(64))
        db = LibraryDB(Path(folder) / "lib.sqlite")
        # Pretend every file was analysed: one row each with its current size and time.
        for dirpath, _, names in os.walk(root):
            for name in names:
                path = os.path.join(dirpath, name)
                stat = os.stat(path)
                db.upsert(TrackRecord(path=path, source="scan", size=stat.st_size, mtime_ns=stat.st_mtime_ns,
                                      content_hash="", duration_s=1.0, title="", artist="", album="",
                                      features=np.zeros(10), tempo_bpm=0.0, key="", beats=[], energy=[],
                                      sections=[], error=None))
        times = []
        for _ in range(5):
            start = time.perf_counter()
            result = scan_folders(db, [root], jobs=1)
            times.append(time.perf_counter() - start)
            assert result.unchanged == count and result.analysed == 0, result
        db.close()
    per_file = statistics.median(times) / count * 1e3
    print(f"\n(c) rescan of an unchanged {count:,}-file library, median of 5")
    print(f"  {statistics.median(times):.3f} s in all, {per_file:.4f} ms per unchanged file (goal <= 1 ms)")


def _close(estimate: float, truth: float) -> bool:
    return abs(estimate - truth) <= 0.04 * truth


def tempo_accuracy() -> None:
    tempi = list(range(60, 181, 5))
    ours1 = ours2 = theirs1 = theirs2 = 0
    for i, bpm in enumerate(tempi):
        signal = drum_chord_loop(LoopSpec(tempo_bpm=bpm, seconds=30, key_midi=55 + i % 9,
                                          mode="minor" if i % 2 else "major"), seed=100 + i)
        signals = fine_signals(signal, 22_050)
        accent, _ = onset_envelopes(signals.band_energy, signals.band_centers)
        estimates = [estimate_tempo(accent, signals.frame_rate).bpm]
        if librosa is not None:
            tempo, _ = librosa.beat.beat_track(y=signal, sr=22_050)
            estimates.append(float(np.atleast_1d(tempo)[0]))
        scores = [(_close(e, bpm), any(_close(e, bpm * r) for r in (1 / 3, 0.5, 1, 2, 3))) for e in estimates]
        ours1 += scores[0][0]
        ours2 += scores[0][1]
        if librosa is not None:
            theirs1 += scores[1][0]
            theirs2 += scores[1][1]
    n = len(tempi)
    print(f"\n(d) tempo on {n} drum-and-chord loops, 60-180 BPM (4 % tolerance)")
    print(f"  ours          Acc1 {ours1 / n:6.1%}  Acc2 {ours2 / n:6.1%}")
    if librosa is not None:
        print(f"  librosa 0.11  Acc1 {theirs1 / n:6.1%}  Acc2 {theirs2 / n:6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--music", type=Path, default=None, help="a folder of real music files")
    parser.add_argument("--tracks", type=int, default=6, help="generated tracks when --music is not given")
    parser.add_argument("--limit", type=int, default=20,
                        help="real files to time with --music, evenly spaced over the sorted list "
                             "(so that a folder per album or game is sampled across all of them)")
    parser.add_argument("--rescan-files", type=int, default=10_000)
    parser.add_argument("--parts", default="speed,rescan,tempo",
                        help="comma-separated subset of speed, rescan, tempo (default: all)")
    args = parser.parse_args()
    parts = {part.strip() for part in args.parts.split(",")}
    print(f"librosa: {librosa.__version__ if librosa else 'not installed (a, d skipped)'}")
    if "speed" in parts:
        with tempfile.TemporaryDirectory() as folder:
            if args.music is not None:
                found = sorted(p for p in args.music.rglob("*") if p.suffix.lower() in SCAN_EXTENSIONS)
                paths = _spread(found, args.limit)
                print(f"{len(paths)} of {len(found)} real music files from {args.music}")
            else:
                paths = generated_tracks(Path(folder), args.tracks)
                print(f"{len(paths)} generated 3-minute MP3 tracks (44.1 kHz stereo, 128 kb/s)")
            speed(paths)
    if "rescan" in parts:
        rescan(args.rescan_files)
    if "tempo" in parts:
        tempo_accuracy()


def _spread(paths: list[Path], count: int) -> list[Path]:
    """``count`` paths evenly spaced over ``paths`` (all of them when there are fewer)."""
    if len(paths) <= count:
        return paths
    return [paths[int(round(i * (len(paths) - 1) / max(count - 1, 1)))] for i in range(count)]


if __name__ == "__main__":
    main()
