"""Shot boundaries against PySceneDetect: cuts found, frame offsets, time.

Clips (generated, so every cut's frame is known; cached in the temp folder):

- ``edit25``, ``ntsc30``, ``pal12.5``, ``hfr60``: :class:`core.video.synth.EditSpec` edits
  (640x360, H.264 with B-frames) with hard cuts at irregular frames 0.6-3 s apart;
  ``ntsc30`` moves its objects fast (2 frame widths a second), where motion between
  analysis frames is larger than at the full rate.
- ``soft25``: hard cuts plus dissolves and fades (transitions are scored apart: a detector
  that puts a cut anywhere inside one is counted as finding it).
- ``lavfi30``: FFmpeg's own moving test sources (a Mandelbrot zoom, Conway's life, a
  cellular automaton, ``testsrc2``, a scrolling gradient with noise) joined with hard cuts
  at known frames and encoded by the ``ffmpeg`` command line: busy pictures that are not
  ours.

For each clip: ours (``extract_video``: the whole analysis, of which cuts are a small part,
and the full-rate refinement alone, timed on its own: the analysis-rate candidates cost
nothing extra, so the refinement is what our cuts cost beyond the analysis the app runs
anyway; the ``/refine`` column divides each time by it), and PySceneDetect 0.6.7's
``ContentDetector`` and ``AdaptiveDetector`` with their defaults (OpenCV backend). A cut
is "exact" when reported on its first frame; offsets are counted in frames; a report
further than 3 frames from every true cut is a false one. Times are medians of
``--repeats`` runs in this one process.

Run (needs the ``bench`` extra: ``.venv/bin/pip install -e '.[bench]'``, which brings
PySceneDetect with the headless OpenCV the app already uses):
``nice .venv/bin/python benchmarks/bench_cuts.py [--repeats 3]``
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

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.video.analysis import ANALYSIS_RATE, extract_video  # noqa: E402
from core.video.cuts import GradualFinder, refine_boundaries, thumbnail  # noqa: E402
from core.video.source import iter_frames, probe  # noqa: E402
from core.video.synth import EditSpec, write_edit  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "musicmatch-bench-cuts"
TOLERANCE = 3  # frames: a report further than this from every true cut is a false cut


def irregular_cuts(frames: int, fps: float, seed: int) -> tuple[int, ...]:
    rng = np.random.default_rng(seed)
    cuts, at = [], 0
    while True:
        at += int(rng.uniform(0.6, 3.0) * fps)
        if at >= frames - int(0.6 * fps):
            return tuple(cuts)
        cuts.append(at)


def edit_clips() -> dict[str, tuple[Path, float, list[int], list[tuple[int, int]]]]:
    """name -> (path, fps, hard-cut frames, transitions (first, end))."""
    clips = {}
    for name, fps, speed, seed in (("edit25", 25, 0.3, 1), ("ntsc30", Fraction(30000, 1001), 2.0, 2),
                                   ("pal12.5", Fraction(25, 2), 0.3, 3), ("hfr60", 60, 0.5, 4)):
        frames = int(30 * float(fps))
        cuts = irregular_cuts(frames, float(fps), seed)
        spec = EditSpec(frames=frames, fps=fps, width=640, height=360, cuts=cuts, object_speed=speed, seed=seed)
        path = CACHE / f"{name}.mp4"
        if not path.exists():
            write_edit(path.with_suffix(".partial.mp4"), spec).replace(path)
        clips[name] = (path, float(fps), list(cuts), [])
    dissolves, fade_outs, fade_ins = ((100, 120), (400, 425)), ((250, 270),), ((285, 305),)
    cuts = (40, 180, 330, 500, 560, 640)
    spec = EditSpec(frames=700, fps=25, width=640, height=360, cuts=cuts, dissolves=dissolves, fade_outs=fade_outs,
                    fade_ins=fade_ins, object_speed=0.2, seed=9)
    path = CACHE / "soft25.mp4"
    if not path.exists():
        write_edit(path.with_suffix(".partial.mp4"), spec).replace(path)
    clips["soft25"] = (path, 25.0, list(cuts), sorted([*dissolves, *fade_outs, *fade_ins]))
    return clips


def lavfi_clip() -> tuple[Path, float, list[int], list[tuple[int, int]]] | None:
    """FFmpeg test sources joined with hard cuts (None when the ``ffmpeg`` command is missing)."""
    if shutil.which("ffmpeg") is None:
        return None
    sources = ["mandelbrot=size=640x360:rate=30", "life=size=640x360:rate=30:mold=10:ratio=0.4",
               "cellauto=size=640x360:rate=30:rule=110", "testsrc2=size=640x360:rate=30",
               "gradients=size=640x360:rate=30:speed=0.05,noise=alls=12:allf=t",
               "mandelbrot=size=640x360:rate=30:start_scale=0.5", "life=size=640x360:rate=30:seed=7",
               "testsrc2=size=640x360:rate=30,hue=H=t*2"]
    lengths = [97, 61, 83, 45, 120, 70, 55, 90]
    path = CACHE / "lavfi30.mp4"
    if not path.exists():
        inputs, chains = [], []
        for i, (source, length) in enumerate(zip(sources, lengths, strict=True)):
            inputs += ["-f", "lavfi", "-i", source]
            chains.append(f"[{i}:v]trim=end_frame={length},setpts=PTS-STARTPTS,format=yuv420p,"
                          f"scale=640:360,setsar=1[v{i}]")
        graph = ";".join(chains) + ";" + "".join(f"[v{i}]" for i in range(len(sources))) + \
            f"concat=n={len(sources)}:v=1:a=0[out]"
        partial = path.with_suffix(".partial.mp4")
        subprocess.run(["ffmpeg", "-v", "error", "-y", *inputs, "-filter_complex", graph, "-map", "[out]",
                        "-c:v", "libx264", "-preset", "medium", "-crf", "20", "-r", "30", str(partial)], check=True)
        partial.replace(path)
    return path, 30.0, [int(c) for c in np.cumsum(lengths)[:-1]], []


def score(found: list[int], truth: list[int], transitions: list[tuple[int, int]]) -> dict:
    """Exact / within 1 / within 3 frames, missed, false (reports inside transitions are neither)."""
    remaining = list(found)
    offsets = []
    for cut in truth:
        near = [f for f in remaining if abs(f - cut) <= TOLERANCE]
        if near:
            best = min(near, key=lambda f: abs(f - cut))
            offsets.append(best - cut)
            remaining.remove(best)
    caught = [t for t in transitions if any(a - TOLERANCE <= f <= b + TOLERANCE for f in remaining for a, b in [t])]
    remaining = [f for f in remaining if not any(a - TOLERANCE <= f <= b + TOLERANCE for a, b in transitions)]
    return {"exact": sum(o == 0 for o in offsets), "within1": sum(abs(o) <= 1 for o in offsets),
            "found": len(offsets), "missed": len(truth) - len(offsets), "false": len(remaining),
            "offsets": offsets, "transitions": len(caught)}


def ours(path: Path, fps: float) -> tuple[list[int], float, float, list[tuple[int, int]]]:
    """(cut frames, analysis seconds, refinement seconds, transitions found as (first, end) frames) of one run."""
    start = time.perf_counter()
    analysis = extract_video(path)
    total = time.perf_counter() - start
    # The refinement again on its own, from the same analysis signals (spans rebuilt untimed).
    finder, keyframes = GradualFinder(), []
    for index, frame in enumerate(iter_frames(path, rate=ANALYSIS_RATE, keyframes=keyframes)):
        finder.add(index, thumbnail(frame.image))
    times = np.array([s.time_s for s in analysis.frames])
    change = np.array([s.change for s in analysis.frames])
    start = time.perf_counter()
    refine_boundaries(path, times, change, finder.spans(), fps=fps, keyframes=keyframes)
    refine = time.perf_counter() - start
    cuts = [int(round(s * fps)) for s, _ in analysis.shots[1:]]
    return cuts, total, refine, [(round(t.start_s * fps), round(t.end_s * fps)) for t in analysis.transitions]


def scenedetect_cuts(path: Path, detector_name: str) -> tuple[list[int], float]:
    from scenedetect import AdaptiveDetector, ContentDetector, detect

    detector = ContentDetector() if detector_name == "content" else AdaptiveDetector()
    start = time.perf_counter()
    scenes = detect(str(path), detector)
    return [int(s.get_frames()) for s, _ in scenes[1:]], time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    try:
        import scenedetect
    except ImportError:
        print("PySceneDetect is missing: .venv/bin/pip install -e '.[bench]'")
        return 2
    import cv2

    assert cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_alt2.xml").empty() is False
    CACHE.mkdir(exist_ok=True)
    clips = edit_clips()
    extra = lavfi_clip()
    if extra is not None:
        clips["lavfi30"] = extra
    print(f"PySceneDetect {scenedetect.__version__}, OpenCV {cv2.__version__}; medians of {args.repeats} runs")
    print(f"{'clip':9s} {'cuts':>4s} | {'method':9s} {'exact':>5s} {'<=1':>4s} {'found':>5s} {'missed':>6s} "
          f"{'false':>5s} {'trans':>5s} | {'time s':>6s} {'/refine':>7s}  offsets (frames)")
    totals: dict[str, dict[str, int]] = {}
    for name, (path, fps, truth, transitions) in clips.items():
        duration = probe(path).duration_s
        runs = [ours(path, fps) for _ in range(args.repeats)]
        cuts, _, _, found_transitions = runs[0]
        n_transitions = len(found_transitions)
        our_time = statistics.median(r[1] for r in runs)
        refine_time = statistics.median(r[2] for r in runs)
        rows = [("ours", cuts, our_time, n_transitions)]
        for detector in ("content", "adaptive"):
            results = [scenedetect_cuts(path, detector) for _ in range(args.repeats)]
            rows.append((f"psd-{detector}", results[0][0], statistics.median(r[1] for r in results), None))
        for method, found, seconds, n_trans in rows:
            s = score(found, truth, transitions)
            total = totals.setdefault(method, dict.fromkeys(("cuts", "exact", "within1", "found", "missed", "false"),
                                                            0))
            total["cuts"] += len(truth)
            for key in ("exact", "within1", "found", "missed", "false"):
                total[key] += s[key]
            trans = f"{s['transitions']}/{len(transitions)}" if transitions else "-"
            if n_trans is not None and transitions:
                trans += f" ({n_trans})"
            offsets = ",".join(str(o) for o in s["offsets"] if o) or "all 0"
            ratio = seconds / refine_time
            print(f"{name:9s} {len(truth):4d} | {method:9s} {s['exact']:5d} {s['within1']:4d} {s['found']:5d} "
                  f"{s['missed']:6d} {s['false']:5d} {trans:>5s} | {seconds:6.2f} {ratio:7.2f}  {offsets}")
        if transitions:
            print(f"{'':9s}      | transitions (first, end) true {transitions}, ours {found_transitions}")
        print(f"{'':9s}      | refinement alone {refine_time:.2f} s = {refine_time / our_time:.0%} of our analysis "
              f"({duration:.0f} s clip, {duration / our_time:.1f}x real time)")
    print("totals:")
    for method, total in totals.items():
        print(f"  {method:13s} {total['exact']}/{total['cuts']} exact, {total['within1']} within 1 frame, "
              f"{total['missed']} missed, {total['false']} false")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
