"""The real-recording validation set: fetch it, make codec variants, print the validation table.

Freely licensed game soundtracks from Debian packages (CC-BY-SA, GPL and similar; each
package's ``copyright`` file is kept beside its music) are downloaded with
``apt-get download`` and unpacked with ``dpkg -x`` into a cache folder outside the
repository. Wesnoth's music is deliberately not used (it is kept aside for outside checks).

Steps (each one skips what the cache already holds)::

    .venv/bin/python benchmarks/real_music.py fetch      # ~600 MB of .deb, ~2 min
    .venv/bin/python benchmarks/real_music.py variants   # codec/level/offset copies (ffmpeg)
    .venv/bin/python benchmarks/real_music.py table      # analyse, print the markdown table

The cache is ``$MUSICMATCH_REAL_MUSIC`` or ``~/.cache/musicmatch/real-music``. The tests
in ``tests/core/test_audio_invariance.py`` use it when it exists and skip otherwise.

The table reports, on the tracks of at least 30 s:

* arousal and valence ROC AUCs against the weak title/in-game labels of
  ``real_music_labels.py``, next to the plain baselines (mean loudness for arousal, key
  mode for valence);
* tempo: how many tracks get one, and agreement with librosa's ``beat_track`` (4 %),
  with octave (x2, x1/2) and third (x3, x1/3) errors counted apart;
* invariance: for each variant (MP3 128/192/320 kbit/s, AAC, Opus, 22.05/48 kHz, mono,
  -6 dB, 30 ms offset) of the invariance subset, how many tempos stay within 4 % and how
  many vectors keep every dimension within 0.1 of its scale.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

PACKAGES = {
    # package: (game name, folders inside the package holding the music, or a .pk3 archive)
    "asc-music": ("asc", ["usr/share/games/asc/music"]),
    "ufoai-music": ("ufoai", ["usr/share/games/ufoai/base/0music.pk3"]),
    "warzone2100-music": ("warzone2100", ["usr/share/games/warzone2100/music"]),
    "nexuiz-music": ("nexuiz", ["usr/share/games/nexuiz/data/music.pk3"]),
    "hyperrogue-music": ("hyperrogue", ["usr/share/hyperrogue/music"]),
    "singularity-music": ("singularity", ["usr/share/games/singularity/music"]),
    "planetblupi-music-ogg": ("planetblupi", ["usr/share/planetblupi/music"]),
    "drascula-music": ("drascula", ["usr/share/scummvm/drascula/audio"]),
}
MUSIC_SUFFIXES = (".ogg", ".mp3", ".opus", ".flac", ".wav")
MIN_SECONDS = 30.0
MAX_SECONDS = 480.0
UNLABELLED_PER_GAME = 4

VARIANTS: dict[str, list[str]] = {
    # name: ffmpeg output options (input is the original file); suffix from the last item.
    "mp3_128": ["-c:a", "libmp3lame", "-b:a", "128k", ".mp3"],
    "mp3_192": ["-c:a", "libmp3lame", "-b:a", "192k", ".mp3"],
    "mp3_320": ["-c:a", "libmp3lame", "-b:a", "320k", ".mp3"],
    "aac_160": ["-c:a", "aac", "-b:a", "160k", ".m4a"],
    "opus_96": ["-c:a", "libopus", "-b:a", "96k", ".opus"],
    "sr_22050": ["-ar", "22050", "-c:a", "flac", ".flac"],
    "sr_48000": ["-ar", "48000", "-c:a", "flac", ".flac"],
    "mono": ["-ac", "1", "-c:a", "flac", ".flac"],
    "gain_-6dB": ["-af", "volume=-6dB", "-c:a", "flac", "-sample_fmt", "s32", ".flac"],
    "offset_30ms": ["-af", "adelay=30:all=1", "-c:a", "flac", ".flac"],
}
INVARIANCE_PER_GAME = 1
"""Tracks per game in the invariance subset (the first by name between 60 s and 6 min)."""


def cache_dir() -> Path:
    return Path(os.environ.get("MUSICMATCH_REAL_MUSIC", Path.home() / ".cache/musicmatch/real-music"))


def originals(root: Path | None = None) -> list[Path]:
    """The validation set, sorted (``root/orig/GAME/FILE``).

    Every labelled track, plus per game the first unlabelled tracks by name, up to
    :data:`UNLABELLED_PER_GAME`, of 30 s to 8 min (the packages hold 14.7 hours; this
    keeps the librosa comparison within a few minutes on two cores).
    """
    from real_music_labels import REASONS

    root = root or cache_dir()
    manifest = root / "orig" / "manifest.json"
    if not manifest.is_file():
        return []
    durations = json.loads(manifest.read_text())
    chosen, per_game = [], {}
    for key, seconds in sorted(durations.items()):
        game = key.split("/")[0]
        if key in REASONS and seconds >= MIN_SECONDS:
            chosen.append(root / "orig" / key)
        elif MIN_SECONDS <= seconds <= MAX_SECONDS and per_game.get(game, 0) < UNLABELLED_PER_GAME:
            per_game[game] = per_game.get(game, 0) + 1
            chosen.append(root / "orig" / key)
    return chosen


def invariance_subset(root: Path | None = None) -> list[Path]:
    """The tracks whose codec variants are made: a few per game, 60 s to 6 min long."""
    root = root or cache_dir()
    manifest = root / "orig" / "manifest.json"
    if not manifest.is_file():
        return []
    durations = json.loads(manifest.read_text())
    chosen: list[Path] = []
    per_game: dict[str, int] = {}
    for key, seconds in sorted(durations.items()):
        game = key.split("/")[0]
        if 60.0 <= seconds <= 360.0 and per_game.get(game, 0) < INVARIANCE_PER_GAME:
            per_game[game] = per_game.get(game, 0) + 1
            chosen.append(root / "orig" / key)
    return chosen


def variant_path(original: Path, variant: str, root: Path | None = None) -> Path:
    root = root or cache_dir()
    key = original.relative_to(root / "orig")
    return root / "variants" / variant / key.with_suffix(VARIANTS[variant][-1])


# -- fetch ----------------------------------------------------------------------------


def fetch(root: Path) -> None:
    debs, unpacked, orig = root / "debs", root / "unpacked", root / "orig"
    for folder in (debs, unpacked, orig):
        folder.mkdir(parents=True, exist_ok=True)
    for package, (game, sources) in PACKAGES.items():
        if not list(debs.glob(f"{package}_*.deb")):
            print(f"apt-get download {package}", flush=True)
            subprocess.run(["apt-get", "download", package], cwd=debs, check=True)
        target = unpacked / package
        if not target.is_dir():
            deb = sorted(debs.glob(f"{package}_*.deb"))[-1]
            subprocess.run(["dpkg", "-x", str(deb), str(target)], check=True)
        (orig / game).mkdir(exist_ok=True)
        for copyright_file in target.glob("usr/share/doc/*/copyright"):
            shutil.copyfile(copyright_file, orig / game / "COPYRIGHT")
        for source in sources:
            path = target / source
            if path.suffix == ".pk3":
                with zipfile.ZipFile(path) as archive:
                    for name in archive.namelist():
                        if name.lower().endswith(MUSIC_SUFFIXES):
                            out = orig / game / Path(name).name
                            if not out.exists():
                                out.write_bytes(archive.read(name))
            else:
                for file in sorted(path.rglob("*")):
                    if file.suffix.lower() in MUSIC_SUFFIXES:
                        out = orig / game / file.name
                        if not out.exists():
                            shutil.copyfile(file, out)
    durations = {}
    for file in sorted(orig.rglob("*")):
        if file.suffix.lower() in MUSIC_SUFFIXES:
            probe = subprocess.run(
                ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(file)],
                capture_output=True, text=True, check=False,
            )
            if probe.returncode != 0:  # e.g. hyperrogue's hr-savino-caribbean.ogg has a broken header
                print(f"left out (FFmpeg cannot read it): {file.relative_to(orig)}")
                continue
            durations[str(file.relative_to(orig))] = float(probe.stdout.strip() or 0.0)
    (orig / "manifest.json").write_text(json.dumps(durations, indent=1, sort_keys=True))
    total = sum(durations.values())
    print(f"{len(durations)} files, {total / 3600:.1f} h, in {orig}")


def make_variants(root: Path) -> None:
    for original in invariance_subset(root):
        for variant, options in VARIANTS.items():
            out = variant_path(original, variant, root)
            if out.exists():
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            partial = out.with_name(out.stem + ".partial" + out.suffix)
            command = ["ffmpeg", "-v", "error", "-y", "-i", str(original), "-map", "0:a:0", "-map_metadata", "-1",
                       *options[:-1], str(partial)]
            subprocess.run(command, check=True)
            partial.replace(out)
        print(f"variants of {original.relative_to(root / 'orig')}", flush=True)


# -- table ----------------------------------------------------------------------------


def _analyse_cached(path: Path, results: dict, *, with_librosa: bool) -> dict:
    from core.audio.analysis import ANALYSIS_VERSION, analyze_file
    from core.audio.decode import load_audio

    key = f"{path}|{path.stat().st_mtime_ns}|{ANALYSIS_VERSION}|{_code_hash()}"
    entry = results.get(key)
    if entry is None:
        started = time.perf_counter()
        analysis = analyze_file(path)
        seconds = time.perf_counter() - started
        excerpt = None
        if analysis.analysed_s > 150:
            audio = load_audio(path, max_seconds=90.0)
            from core.audio.analysis import analyze_signal

            excerpt = analyze_signal(audio.samples, audio.sample_rate)
        entry = {
            "features": analysis.features.to_array().tolist(),
            "tempo": analysis.tempo_bpm,
            "confidence": analysis.tempo_confidence,
            "key": analysis.key,
            "mode_balance": analysis.measurements.mode_balance,
            "loudness": analysis.measurements.loudness_dbfs,
            "seconds": seconds,
            "analysed_s": analysis.analysed_s,
            "excerpt_tempo": None if excerpt is None else excerpt.tempo_bpm,
            "measurements": analysis.measurements.as_dict(),
            "silent": analysis.silent,
        }
        results[key] = entry
    if with_librosa:
        # librosa's answer does not depend on our analysis version: kept apart, computed once.
        plain = f"librosa|{path}|{path.stat().st_mtime_ns}"
        if plain not in results:
            results[plain] = _librosa(path)
        return {**entry, **results[plain]}
    return entry


@functools.lru_cache(maxsize=1)
def _code_hash() -> str:
    """Hash of the analysis code as loaded, so cached results never outlive a change to it."""
    import hashlib

    digest = hashlib.sha1()
    for source in sorted((Path(__file__).resolve().parents[1] / "core" / "audio").glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def _librosa(path: Path) -> dict:
    import librosa

    from core.audio.decode import load_audio

    audio = load_audio(path)
    started = time.perf_counter()
    y = audio.samples
    onset = librosa.onset.onset_strength(y=y, sr=audio.sample_rate)
    tempo, _ = librosa.beat.beat_track(onset_envelope=onset, sr=audio.sample_rate)
    rms = float(np.sqrt(np.mean(np.square(y, dtype=np.float64))))
    return {
        "librosa_tempo": float(np.atleast_1d(tempo)[0]),
        "librosa_seconds": time.perf_counter() - started,
        "mean_rms_db": 20.0 * np.log10(max(rms, 1e-9)),
    }


def auc(scores: list[float], labels: list[int]) -> float:
    """ROC AUC (Mann-Whitney U / n_pos n_neg); ties count one half."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels)
    pos, neg = s[y == 1], s[y == 0]
    if pos.size == 0 or neg.size == 0:
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (pos.size * neg.size))


def tempo_relation(ours: float, reference: float, tolerance: float = 0.04) -> str:
    """``"same"``, ``"octave"`` (x2, x1/2), ``"third"`` (x3, x1/3, x3/2, x2/3), ``"none"`` or ``"other"``."""
    if ours <= 0 or reference <= 0:
        return "none"
    ratio = ours / reference
    for name, factors in (("same", (1.0,)), ("octave", (2.0, 0.5)), ("third", (3.0, 1 / 3, 1.5, 2 / 3))):
        if any(abs(ratio / f - 1.0) <= tolerance for f in factors):
            return name
    return "other"


def table(root: Path, *, with_librosa: bool) -> str:
    from real_music_labels import AROUSAL, VALENCE

    from core.audio.analysis import ANALYSIS_VERSION
    from core.features import MUSIC

    _code_hash()  # taken now, from the code this process runs
    results_file = root / "results.json"
    results = json.loads(results_file.read_text()) if results_file.is_file() else {}
    tracks = originals(root)
    if not tracks:
        raise SystemExit(f"no music in {root}; run `real_music.py fetch` first")
    rows = {}
    for number, path in enumerate(tracks, 1):
        rows[str(path.relative_to(root / "orig"))] = _analyse_cached(path, results, with_librosa=with_librosa)
        if number % 10 == 0:
            results_file.write_text(json.dumps(results))
            print(f"analysed {number}/{len(tracks)}", file=sys.stderr, flush=True)
    results_file.write_text(json.dumps(results))
    arousal_i, valence_i = MUSIC.index("arousal"), MUSIC.index("valence")
    lines = [f"Analysis version {ANALYSIS_VERSION}; {len(rows)} tracks of at least {MIN_SECONDS:.0f} s "
             f"from {len(PACKAGES)} Debian packages.", ""]

    # Mood AUCs.
    lines += ["| label (n high / n low) | ours | baseline |", "|---|---|---|"]
    a_keys = [k for k in AROUSAL if k in rows]
    a_labels = [AROUSAL[k] for k in a_keys]
    ours_a = auc([rows[k]["features"][arousal_i] for k in a_keys], a_labels)
    base_a = auc([rows[k].get("mean_rms_db", rows[k]["loudness"]) for k in a_keys], a_labels)
    lines.append(f"| arousal: battle/fight vs menu/map/sad ({sum(a_labels)}/{len(a_labels) - sum(a_labels)}) "
                 f"| AUC **{ours_a:.3f}** | mean loudness (RMS dB) {base_a:.3f} |")
    v_keys = [k for k in VALENCE if k in rows]
    v_labels = [VALENCE[k] for k in v_keys]
    ours_v = auc([rows[k]["features"][valence_i] for k in v_keys], v_labels)
    mode_binary = auc([1.0 if rows[k]["key"].endswith("major") else 0.0 for k in v_keys], v_labels)
    mode_balance = auc([rows[k]["mode_balance"] for k in v_keys], v_labels)
    lines.append(f"| valence: victory/peace vs defeat/sad/dark ({sum(v_labels)}/{len(v_labels) - sum(v_labels)}) "
                 f"| AUC **{ours_v:.3f}** | key mode major/minor {mode_binary:.3f}; "
                 f"major-minor correlation {mode_balance:.3f} |")
    lines.append("")

    # Tempo.
    tempos = [r["tempo"] for r in rows.values()]
    with_tempo = sum(t > 0 for t in tempos)
    confidences = [r["confidence"] for r in rows.values() if r["tempo"] > 0]
    lines.append(f"Tempo given for {with_tempo} of {len(rows)} tracks (median confidence "
                 f"{np.median(confidences) if confidences else 0:.2f}).")
    if with_librosa:
        relations = [tempo_relation(r["tempo"], r["librosa_tempo"]) for r in rows.values()]
        counts = {name: relations.count(name) for name in ("same", "octave", "third", "other", "none")}
        lines.append(f"Against librosa `beat_track`: same tempo (4 %) {counts['same']}, octave error "
                     f"{counts['octave']}, third error {counts['third']}, other {counts['other']}, "
                     f"no tempo {counts['none']}.")
    excerpt = [(r["tempo"], r["excerpt_tempo"]) for r in rows.values() if r.get("excerpt_tempo") is not None]
    if excerpt:
        same = sum(tempo_relation(t, e) == "same" for t, e in excerpt)
        octave = sum(tempo_relation(t, e) == "octave" for t, e in excerpt)
        lines.append(f"First 90 s against the whole track ({len(excerpt)} tracks over 150 s): same {same}, "
                     f"octave {octave}, other {len(excerpt) - same - octave}.")
    speed = np.median([r["analysed_s"] / r["seconds"] for r in rows.values() if r["seconds"] > 0])
    lines.append(f"Analysis speed: median {speed:.0f}x real time (decode included).")
    lines.append("")

    # Invariance.
    subset = invariance_subset(root)
    scales = np.array([dim.scale for dim in MUSIC])
    lines += ["| variant | tempo within 4 % | octave errors | vectors within 0.1 scale | "
              "worst melody_trend shift / scale | worst shift / scale |",
              "|---|---|---|---|---|---|"]
    melody = MUSIC.index("melody_trend")
    for variant in VARIANTS:
        same = octave = close = 0
        worst = np.zeros(len(MUSIC))
        n = 0
        for original in subset:
            copy = variant_path(original, variant, root)
            if not copy.exists():
                continue
            n += 1
            a = _analyse_cached(original, results, with_librosa=False)
            b = _analyse_cached(copy, results, with_librosa=False)
            relation = tempo_relation(b["tempo"], a["tempo"])
            same += relation == "same" or (a["tempo"] == 0 and b["tempo"] == 0)
            octave += relation == "octave"
            shift = np.abs(np.array(b["features"]) - np.array(a["features"])) / scales
            close += bool((shift <= 0.1).all())
            worst = np.maximum(worst, shift)
        if n:
            dim = int(np.argmax(worst))
            lines.append(f"| {variant} | {same}/{n} | {octave} | {close}/{n} | {worst[melody]:.3f} "
                         f"| {MUSIC.ids[dim]} {worst[dim]:.3f} |")
    results_file.write_text(json.dumps(results))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["fetch", "variants", "table", "all"])
    parser.add_argument("--cache", type=Path, default=None, help="cache folder (default: %(default)s)")
    parser.add_argument("--no-librosa", action="store_true", help="skip the librosa comparison")
    args = parser.parse_args(argv)
    root = (args.cache or cache_dir()).expanduser()
    if args.step in ("fetch", "all"):
        fetch(root)
    if args.step in ("variants", "all"):
        make_variants(root)
    if args.step in ("table", "all"):
        with_librosa = not args.no_librosa
        if with_librosa:
            try:
                import librosa  # noqa: F401
            except ImportError:
                with_librosa = False
        print(table(root, with_librosa=with_librosa))
    return 0


if __name__ == "__main__":
    sys.exit(main())
