"""Recommender training and prediction speed.

(a) An Optuna search of ``--trials`` trials (default 50) on ``--pairs`` generated pairs
    (default 10,000; the teacher mapping of ``core/recommend/synth.py``), then the final
    model, exactly as ``musicmatch train`` runs it. Goal: <= 5 minutes on 2 CPU cores.
(b) Prediction latency of the trained model for 1 vector and for 10,000 vectors,
    medians of 20 and 5 runs.

Run: ``.venv/bin/python benchmarks/bench_train.py [--trials 50] [--pairs 10000]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.recommend.search import default_workers  # noqa: E402
from core.recommend.synth import teacher_pairs  # noqa: E402
from core.recommend.training import search_and_train  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=default_workers(), help="search processes (default: cores)")
    args = parser.parse_args()
    pairs = teacher_pairs(args.pairs, seed=0)
    with tempfile.TemporaryDirectory() as folder:
        progress_lines: list[str] = []
        start = time.perf_counter()
        model, result = search_and_train(pairs, trials=args.trials, seed=0, study_path=Path(folder) / "s.sqlite3",
                                         out=Path(folder) / "m.safetensors", workers=args.workers,
                                         progress=lambda f, m: progress_lines.append(m))
        elapsed = time.perf_counter() - start
    print(f"(a) {args.trials} trials on {args.pairs} pairs + final model, {args.workers} search processes: "
          f"{elapsed:.0f} s "
          f"({elapsed / 60:.1f} min; goal <= 5 min)")
    print(f"    {result['trials']} trials, pruned {model.info['metrics'].get('pruned', 0)}; "
          f"test split ({result['pool_size']} tracks) R@3 {result['recall_at']['3']:.3f}, "
          f"MedR {result['median_rank']:g}; validation R@3 {result['validation']['recall_at']['3']:.3f}")
    print(f"    best params: {result['best_params']}")

    one = pairs.video[:1]
    many = pairs.video
    model.predict_many(one)  # warm up
    single = statistics.median(_timed(lambda: model.predict_many(one)) for _ in range(20))
    bulk = statistics.median(_timed(lambda: model.predict_many(many)) for _ in range(5))
    print(f"(b) predict 1 vector: {single * 1e3:.2f} ms; {len(many)} vectors: {bulk * 1e3:.1f} ms "
          f"({bulk / len(many) * 1e6:.2f} us each)")



def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
