"""Generators of the hostile corpus's inputs: odd-but-valid media, broken files, CSVs, projects.

Everything is written at test time into a temporary folder (nothing large is committed);
big inputs are sparse files, which cost no disk space and no time to write.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import soundfile

from core.features import MUSIC, VIDEO

__all__ = ["FFMPEG", "audio_csv", "ffmpeg", "odd_video", "pairs_csv", "sparse", "tone", "write_csv"]

FFMPEG = shutil.which("ffmpeg")


def ffmpeg(*args: str) -> None:
    """Run the ffmpeg command line quietly; a failure is a broken test setup (raises)."""
    if FFMPEG is None:
        raise RuntimeError("ffmpeg is not installed")
    subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args], check=True,
                   timeout=120)


def _lavfi_video(size: str, rate: str, seconds: float) -> list[str]:
    # testsrc2 moves and changes colour every frame: motion and colour features have something to measure.
    return ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"]


def _lavfi_audio(seconds: float) -> list[str]:
    return ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=22050:duration={seconds}"]


ODD_VIDEOS: dict[str, list[str]] = {
    # name -> ffmpeg arguments after the inputs (the output path is appended)
    "plain.mp4": [*_lavfi_video("160x90", "24", 2), "-c:v", "libx264", "-pix_fmt", "yuv420p"],
    "with_audio.mp4": [*_lavfi_video("160x90", "24", 2), *_lavfi_audio(2), "-c:v", "libx264",
                       "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"],
    "vfr.mkv": [*_lavfi_video("160x90", "30", 2), "-vf", "select='not(mod(n\\,3))+lt(n\\,10)'",
                "-fps_mode", "vfr", "-c:v", "libx264", "-pix_fmt", "yuv420p"],
    "ten_bit.mp4": [*_lavfi_video("160x90", "24", 2), "-c:v", "libx265", "-pix_fmt", "yuv420p10le",
                    "-x265-params", "log-level=none"],
    "vp9.webm": [*_lavfi_video("160x90", "24", 2), "-c:v", "libvpx-vp9", "-deadline", "realtime",
                 "-cpu-used", "8", "-b:v", "200k"],
    "tiny_2x2.mp4": [*_lavfi_video("2x2", "24", 1), "-c:v", "mpeg4", "-q:v", "2"],
    "wide_4000x200.mp4": [*_lavfi_video("4000x200", "24", 1), "-c:v", "libx264", "-pix_fmt", "yuv420p",
                          "-preset", "ultrafast"],
    "tall_90x1600.mp4": [*_lavfi_video("90x1600", "24", 1), "-c:v", "libx264", "-pix_fmt", "yuv420p",
                         "-preset", "ultrafast"],
    "odd_321x181.avi": [*_lavfi_video("321x181", "25", 1), "-c:v", "mjpeg", "-q:v", "5"],
    "fps_8.mp4": [*_lavfi_video("160x90", "8", 2), "-c:v", "libx264", "-pix_fmt", "yuv420p"],
    "fps_12_5.mp4": [*_lavfi_video("160x90", "25/2", 2), "-c:v", "libx264", "-pix_fmt", "yuv420p"],
    "fps_120.mp4": [*_lavfi_video("160x90", "120", 1), "-c:v", "libx264", "-pix_fmt", "yuv420p",
                    "-preset", "ultrafast"],
    "ntsc_29_97.mp4": [*_lavfi_video("160x90", "30000/1001", 2), "-c:v", "libx264", "-pix_fmt", "yuv420p"],
    "one_frame.mp4": [*_lavfi_video("160x90", "24", 1 / 24), "-frames:v", "1", "-c:v", "libx264",
                      "-pix_fmt", "yuv420p"],
    "yuv444.mov": [*_lavfi_video("160x90", "24", 1), "-c:v", "libx264", "-pix_fmt", "yuv444p"],
}


DERIVED: dict[str, tuple[str, list[str]]] = {
    # A phone clip stored landscape with a 90 degree display matrix (ffmpeg keeps the tag on a copy only).
    "rotated.mp4": ("plain.mp4", ["-c", "copy", "-metadata:s:v:0", "rotate=90"]),
    # The sound of a clip alone, in a video container: a file with no picture at all.
    "audio_only.mp4": ("with_audio.mp4", ["-vn", "-c:a", "copy"]),
    # The picture alone: a clip without sound.
    "no_audio.mp4": ("with_audio.mp4", ["-an", "-c:v", "copy"]),
}


def odd_video(folder: Path, name: str) -> Path:
    """Write the odd-but-valid clip ``name`` (:data:`ODD_VIDEOS`, :data:`DERIVED`) into ``folder`` (cached)."""
    path = folder / name
    if not path.exists():
        partial = folder / f"partial-{name}"
        if name in DERIVED:
            source, args = DERIVED[name]
            ffmpeg("-i", str(odd_video(folder, source)), *args, str(partial))
        else:
            ffmpeg(*ODD_VIDEOS[name], str(partial))
        partial.rename(path)
    return path


def tone(path: Path, seconds: float = 2.0, rate: int = 22_050, *, channels: int = 1,
         subtype: str | None = None, samples: np.ndarray | None = None) -> Path:
    """A 440 Hz tone (or ``samples``) written with soundfile in the format of ``path``'s suffix."""
    if samples is None:
        t = np.arange(int(seconds * rate)) / rate
        samples = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    data = np.repeat(samples[:, None], channels, axis=1) if samples.ndim == 1 else samples
    soundfile.write(str(path), data, rate, subtype=subtype)
    return path


def sparse(path: Path, size: int, head: bytes = b"") -> Path:
    """A file of ``size`` bytes that starts with ``head`` and holds no data blocks after it."""
    with open(path, "wb") as stream:
        stream.write(head)
        stream.truncate(size)
    return path


def write_csv(path: Path, rows: list[list[object]], header: list[str] | None = None, *, newline: str = "\n",
              delimiter: str = ",", encoding: str = "utf-8") -> Path:
    """Rows written as a spreadsheet would (fields with the delimiter or quotes are quoted)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    if header is not None:
        writer.writerow(header)
    writer.writerows([[str(cell) for cell in row] for row in rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def audio_csv(path: Path, n: int = 6, *, seed: int = 0, names: list[str] | None = None) -> Path:
    """A valid library CSV in our own format: name plus the 10 music features (plausible ranges)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        values = rng.normal(0, 1, len(MUSIC)).round(4)
        rows.append([names[i] if names else f"track_{i}", *values])
    return write_csv(path, rows, ["name", *MUSIC.ids])


def pairs_csv(path: Path, n: int = 40, *, seed: int = 0) -> Path:
    """A training pairs CSV: 11 video columns, 10 music columns related by a fixed linear map."""
    rng = np.random.default_rng(seed)
    video = rng.normal(0, 1, (n, len(VIDEO)))
    music = video[:, : len(MUSIC)] * 0.8 + rng.normal(0, 0.2, (n, len(MUSIC)))
    rows = [[*np.round(v, 4), *np.round(m, 4), f"t{i}"] for i, (v, m) in enumerate(zip(video, music, strict=True))]
    return write_csv(path, rows, [*VIDEO.ids, *MUSIC.ids, "audio_label"])


def deep_json(path: Path, depth: int = 100_000) -> Path:
    path.write_text('{"format": "musicmatch-project", "version": 1, "x": ' + "[" * depth + "]" * depth + "}")
    return path


def edit_json(source: Path, target: Path, change) -> Path:
    """Copy the JSON document ``source`` to ``target`` through ``change(document)``."""
    document = json.loads(source.read_text(encoding="utf-8"))
    change(document)
    target.write_text(json.dumps(document), encoding="utf-8")
    return target


def tree_digest(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time (inputs must stay as they were)."""
    out = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root, name)
            try:
                stat = path.lstat()
            except OSError:
                continue
            out[str(path.relative_to(folder))] = (stat.st_size, stat.st_mtime_ns)
    return out
