"""Video analysis speed against a full FFmpeg decode of the same clip, and memory.

(a) ``extract_video`` on a 60 s 1080p30 H.264 clip against ``ffmpeg -i clip -f null -``
    (every frame decoded and dropped: the floor of a naive analyser), in the same run,
    medians of 3. Goal: ratio <= 1.0.
(b) Peak memory (max RSS of a fresh process) analysing the clip and the clip joined to
    itself (twice as long): streaming keeps it flat, so a 2-hour file needs about the same.

The clip is generated: textured scenes with a camera pan, a moving object, a cut every
4 s and film grain, rendered at 480x270, scaled to 1920x1080 and encoded with x264
(preset medium, CRF 20, B-frames as x264 sets them). Cached in the temp folder.

Run: ``.venv/bin/python benchmarks/bench_video.py [--seconds 60]``
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.video.analysis import extract_video  # noqa: E402
from core.video.synth import ClipSpec, render_frames  # noqa: E402


def make_clip(path: Path, seconds: float) -> Path:
    if path.exists():
        return path
    spec = ClipSpec(seconds=seconds, fps=30, width=480, height=270, shot_seconds=4.0, object_speed=0.25,
                    pan_speed=0.05, object_size=0.3)
    rng = np.random.default_rng(1)
    partial = path.with_suffix(".partial.mp4")  # renamed when complete, so a killed run leaves no bad cache
    with av.open(str(partial), "w") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 1920, 1080, "yuv420p"
        stream.options = {"preset": "medium", "crf": "20"}
        for index, (_, rgb) in enumerate(render_frames(spec)):
            big = cv2.resize(rgb, (1920, 1080), interpolation=cv2.INTER_CUBIC).astype(np.int16)
            grain = rng.integers(-6, 7, size=(1080, 1920, 1), dtype=np.int16)
            frame = av.VideoFrame.from_ndarray(np.clip(big + grain, 0, 255).astype(np.uint8), format="rgb24")
            frame.pts, frame.time_base = index, Fraction(1, 30)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    partial.replace(path)
    return path


def peak_memory_mb(clip: Path) -> float:
    code = (
        "import resource, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from core.video.analysis import extract_video\n"
        "extract_video(sys.argv[1])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(clip)], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise SystemExit("ffmpeg is not installed (apt-get install ffmpeg); it is the baseline")
    folder = Path(tempfile.gettempdir())
    start = time.perf_counter()
    clip = make_clip(folder / f"musicmatch_bench_{int(args.seconds)}s_1080p30.mp4", args.seconds)
    print(f"clip: {clip} ({clip.stat().st_size / 1e6:.1f} MB, made in {time.perf_counter() - start:.0f} s)")

    decode, ours = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        subprocess.run([ffmpeg, "-v", "error", "-i", str(clip), "-f", "null", "-"], check=True)
        decode.append(time.perf_counter() - t)
        t = time.perf_counter()
        result = extract_video(clip)
        ours.append(time.perf_counter() - t)
    d, o = statistics.median(decode), statistics.median(ours)
    print(f"\n(a) {args.seconds:.0f} s 1080p30 H.264, median of {args.runs}")
    print(f"  ffmpeg -f null (full decode)   {d:7.2f} s  ({args.seconds / d:5.1f}x real time)")
    print(f"  extract_video                  {o:7.2f} s  ({args.seconds / o:5.1f}x real time)")
    print(f"  ratio ours / ffmpeg            {o / d:7.2f}   (goal <= 1.0)")
    print(f"  found {len(result.shots)} shots (the clip has {int(np.ceil(args.seconds / 4))})")

    double = folder / f"musicmatch_bench_{int(2 * args.seconds)}s_1080p30_joined.mp4"
    if not double.exists():  # the clip twice, joined without re-encoding
        listing = folder / "musicmatch_bench_concat.txt"
        listing.write_text(f"file '{clip}'\nfile '{clip}'\n")
        subprocess.run([ffmpeg, "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy",
                        str(double)], check=True)
    one, two = peak_memory_mb(clip), peak_memory_mb(double)
    print(f"\n(b) peak memory (max RSS): {one:.0f} MB for {args.seconds:.0f} s, {two:.0f} MB for "
          f"{2 * args.seconds:.0f} s")


if __name__ == "__main__":
    main()
