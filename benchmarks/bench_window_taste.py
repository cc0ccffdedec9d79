"""The window's re-rank with the filter bar on: is it still live (one edit, one re-rank)?

The window ranks the whole library on every edit of a slider or filter, on the GUI
thread (``MainWindow.rerank``). This times, as medians over repeated edits in this one
process, on a library of generated tracks with tempo, length, key, artist and album:

* ``rank``: the whole-library ranking the window made before the filter bar
  (``TrackIndex.rank`` with ``top_k`` = the library), the baseline;
* ``filters, new``: the filter bar's mask (BPM range, at least the clip, minor keys, a
  mood, an artist substring) computed afresh with ``TrackFilter.mask``, then the ranking
  of the kept rows as the command line makes it (``rank_filtered``, an index of the kept
  rows): an edit of the key, mood or artist before the window kept masks;
* ``filters, kept``: the window's way: the mask from :class:`PartMasks` (each part's mask
  kept until it changes), the whole ranking, then the rows left out dropped
  (``musicmatch_gui.state.keep_rows``): a weight slider or a BPM step with filters on;
* ``picked, paths``: leaving out 20 picked tracks by path and hash, as the command line's
  ``--exclude-picked`` does (every library path is resolved), with ``rank_filtered``;
* ``picked, rows``: the window's way: the picks as library rows, the whole ranking, the
  rows dropped;
* ``more like this``: the blended target (liked track and clip) and the whole ranking.

Each is printed in milliseconds and as a ratio to ``rank``. Every filtered ranking is
checked against the unfiltered one: the kept rows, in the same order, with the same
distances.

Run: ``.venv/bin/python benchmarks/bench_window_taste.py [--sizes 2000,20000] [--repeats 15]``
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.features import MUSIC
from core.match import MatchSettings, TrackIndex
from core.recommend.filters import TrackFacts, TrackFilter, rank_filtered
from musicmatch_gui.state import keep_rows
from musicmatch_gui.widgets.filter_bar import PartMasks

_TONICS = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def median_ms(func, repeats: int) -> float:
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        func(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def library(n: int, rng: np.random.Generator) -> tuple[TrackIndex, TrackFacts]:
    low = np.array([d.low for d in MUSIC])
    high = np.array([d.high for d in MUSIC])
    features = low + (high - low) * rng.beta(2.0, 2.0, size=(n, len(MUSIC)))
    keys = tuple(f"{_TONICS[t]} {'minor' if m else 'major'}" for t, m in
                 zip(rng.integers(0, 12, n), rng.integers(0, 2, n), strict=True))
    artists = tuple(f"Artist {i % 97}" for i in range(n))
    facts = TrackFacts(features, rng.uniform(60, 180, n), rng.uniform(20, 400, n), keys, artists,
                       tuple(f"Album {i % 31}" for i in range(n)),
                       tuple(f"/music/lib/track_{i:06d}.wav" for i in range(n)), tuple(f"h{i}" for i in range(n)))
    return TrackIndex(features), facts


def bench(n: int, repeats: int, rng: np.random.Generator) -> list[tuple[str, float]]:
    index, facts = library(n, rng)
    settings = MatchSettings.create(top_k=n)
    queries = [index.features[int(rng.integers(n))].astype(np.float64) + rng.normal(0, 0.05, len(MUSIC))
               for _ in range(repeats)]
    chosen = TrackFilter(bpm=(90.0, 140.0), duration_s=(30.0, np.inf), key="minor", emotion="calm", artist="artist 1")
    picked = TrackFilter(exclude_paths=frozenset(facts.paths[:20]), exclude_hashes=frozenset(facts.content_hashes[:20]))
    picked_rows = TrackFilter(exclude_rows=frozenset(range(20)))
    parts = PartMasks()
    assert np.array_equal(parts.mask(chosen, facts), chosen.mask(facts))
    assert np.array_equal(picked_rows.mask(facts), picked.mask(facts))

    for track_filter in (chosen, picked):  # the filtered ranking is the unfiltered one, minus rows
        keep = track_filter.mask(facts)
        whole = index.rank(queries[0], settings)
        kept = rank_filtered(index, queries[0], settings, keep)
        dropped = keep_rows(whole, keep)
        in_order = whole.indices[keep[whole.indices]]
        assert np.array_equal(kept.indices, in_order) and np.array_equal(dropped.indices, in_order)
        assert np.array_equal(kept.distances, whole.distances[keep[whole.indices]])
        assert np.array_equal(dropped.distances, kept.distances) and np.allclose(dropped.shares, kept.shares)

    def filtered(track_filter: TrackFilter, masks=None):
        def run(i: int) -> None:
            if masks is None:  # the command line's way
                rank_filtered(index, queries[i], settings, track_filter.mask(facts))
            else:  # the window's way
                keep_rows(index.rank(queries[i], settings), masks.mask(track_filter, facts))
        return run

    liked = index.features[3].astype(np.float64)
    rows = [("rank", median_ms(lambda i: index.rank(queries[i], settings), repeats)),
            ("filters, new", median_ms(filtered(chosen), repeats)),
            ("filters, kept", median_ms(filtered(chosen, parts), repeats)),
            ("picked, paths", median_ms(filtered(picked), max(3, repeats // 5))),
            ("picked, rows", median_ms(filtered(picked_rows, parts), repeats)),
            ("more like this", median_ms(lambda i: index.rank(0.4 * queries[i] + 0.6 * liked,
                                                              replace(settings)), repeats))]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print(f"{platform.processor() or platform.machine()}, numpy {np.__version__}")
    for n in (int(s) for s in args.sizes.split(",")):
        rows = bench(n, args.repeats, rng)
        base = rows[0][1]
        print(f"\n{n} tracks (median of {args.repeats} edits)")
        for name, ms in rows:
            print(f"  {name:<15} {ms:8.2f} ms  {ms / base:5.2f}x rank")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
