"""Matcher speed: top-5 of a large float32 library, against the memory-bandwidth floor.

For each library size it times, as medians over repeated queries in this one process:

* ``floor``: one plain pass over the row-major float32 matrix, ``np.dot(X, q)``;
* ``match``: ``TrackIndex.rank`` top-5 Euclidean with the same weights every query;
* ``match, new weights``: the same with fresh random weights on every query;
* ``cosine, new weights``: cosine distance with fresh weights;
* ``naive``: the textbook numpy brute force (``((X - q) ** 2 * w).sum(1)`` + argpartition).

and prints each as milliseconds and as a ratio to the floor. Every timed answer is
checked against the naive brute force, so a fast wrong answer cannot pass.

Run: ``.venv/bin/python benchmarks/bench_match.py [--sizes 1000000,100000] [--queries 20]``
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.features import MUSIC
from core.match import MatchSettings, TrackIndex


def median_ms(func, repeats: int) -> float:
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        func(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def realistic_library(n: int, rng: np.random.Generator) -> np.ndarray:
    low = np.array([d.low for d in MUSIC])
    high = np.array([d.high for d in MUSIC])
    return (low + (high - low) * rng.beta(2.0, 2.0, size=(n, len(MUSIC)))).astype(np.float32)


def naive_top(x: np.ndarray, q: np.ndarray, w: np.ndarray, k: int) -> np.ndarray:
    z = (x - MUSIC.centers.astype(np.float32)) / MUSIC.scales.astype(np.float32)
    qz = ((q - MUSIC.centers) / MUSIC.scales).astype(np.float32)
    d = (((z - qz) ** 2) * w.astype(np.float32)).sum(axis=1)
    top = np.argpartition(d, k)[:k]
    return top[np.argsort(d[top], kind="stable")]


def bench(n: int, queries: int, rng: np.random.Generator) -> list[tuple[str, float]]:
    x = realistic_library(n, rng)
    start = time.perf_counter()
    index = TrackIndex(x)
    targets = realistic_library(queries, rng).astype(np.float64)
    weight_sets = [
        dict(zip(MUSIC.ids, rng.uniform(0.2, 3.0, len(MUSIC)), strict=True)) for _ in range(queries)
    ]
    fixed = MatchSettings.create(top_k=5)
    index.rank(targets[0], fixed)  # builds the cached column-major matrix once
    build_ms = (time.perf_counter() - start) * 1e3
    q32 = targets.astype(np.float32)

    rows = [("build index + first query", build_ms)]
    rows.append(("floor: np.dot(X, q)", median_ms(lambda i: np.dot(x, q32[i]), queries)))
    rows.append(("match (same weights)", median_ms(lambda i: index.rank(targets[i], fixed), queries)))
    def reweighted(metric: str):
        return lambda i: index.rank(targets[i], MatchSettings.create(metric=metric, weights=weight_sets[i]))

    rows.append(("match (new weights each query)", median_ms(reweighted("euclidean"), queries)))
    rows.append(("cosine (new weights each query)", median_ms(reweighted("cosine"), queries)))
    rows.append(("naive numpy brute force", median_ms(
        lambda i: naive_top(x, targets[i], np.ones(len(MUSIC)), 5), min(queries, 7))))

    # Correctness: same top-5 as the brute force (float32 data, distinct distances).
    for i in range(min(queries, 5)):
        got = index.rank(targets[i], MatchSettings.create(weights=weight_sets[i])).indices
        w = np.array([weight_sets[i][d] for d in MUSIC.ids])
        expected = naive_top(x, targets[i], w, 5)
        if not np.array_equal(got, expected):
            raise SystemExit(f"wrong answer at n={n}, query {i}: {got} != {expected}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000000,100000")
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    for n in (int(s) for s in args.sizes.split(",")):
        rows = bench(n, args.queries, rng)
        floor = dict(rows)["floor: np.dot(X, q)"]
        print(f"\n{n:,} tracks x {len(MUSIC)} float32, top-5, median of {args.queries} queries")
        print(f"{'':34s} {'ms':>9s} {'x floor':>8s}")
        for name, ms in rows:
            ratio = "" if name.startswith("build") else f"{ms / floor:8.2f}"
            print(f"{name:34s} {ms:9.2f} {ratio}")


if __name__ == "__main__":
    main()
