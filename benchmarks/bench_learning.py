"""Learning an editor's taste from 5, 10, 30 and 100 picks: base, from-scratch and adapted models.

Simulated editors (``core/recommend/editors.py``: one who agrees with the shipped prior,
four whose taste differs systematically in different ways, two noisy ones) each pick
tracks for N videos; the shipped model is adapted to those picks with
:func:`core.recommend.taste.learn` (the same call as ``musicmatch train --pairs``), and
a model is trained from scratch on them (``--base none``: 30 picks or more). Every
model is then scored on 100 *other* videos of the same editor: Recall@3 and the median
rank of the editor's own pick among those 100 tracks, with the app's matcher. "served"
is what the editor gets after the verdict: the adapted model when it was accepted on
the editor's own held-out picks, else the base. Figures are means over ``--seeds``
independent sets of picks (and test videos).

Run: ``nice -n 10 .venv/bin/python benchmarks/bench_learning.py [--seeds 3] [--no-scratch]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.recommend.editors import EDITORS, editor_picks  # noqa: E402
from core.recommend.model import load_recommender  # noqa: E402
from core.recommend.taste import learn  # noqa: E402
from core.recommend.training import evaluate, search_and_train  # noqa: E402

SIZES = (5, 10, 30, 100)
TEST_VIDEOS = 100


def _score(model, test) -> tuple[float, float]:
    scores = evaluate(model.predict_many(test.video)[0], test.music)
    return scores.recall_at["3"], scores.median_rank


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--no-scratch", action="store_true", help="skip the from-scratch models (the slow part)")
    parser.add_argument("--editors", default=",".join(EDITORS), help="comma-separated editor names")
    args = parser.parse_args()
    base = load_recommender()
    seconds_30: list[float] = []
    print(f"Recall@3 / MedR among {TEST_VIDEOS} held-out videos' tracks, mean of {args.seeds} seeds")
    print("| editor | picks | base | from scratch | adapted | served | accepted |")
    print("|---|---|---|---|---|---|---|")
    for name in args.editors.split(","):
        for n in SIZES:
            rows: dict[str, list[tuple[float, float]]] = {"base": [], "scratch": [], "adapted": [], "served": []}
            accepted = 0
            for seed in range(args.seeds):
                picks = editor_picks(name, n, seed=1000 * seed + n)
                test = editor_picks(name, TEST_VIDEOS, seed=999_000 + seed)
                start = time.perf_counter()
                result = learn(base, picks, seed=seed)
                if n == 30:
                    seconds_30.append(time.perf_counter() - start)
                rows["base"].append(_score(base, test))
                rows["adapted"].append(_score(result.model, test))
                rows["served"].append(rows["adapted"][-1] if result.accepted else rows["base"][-1])
                accepted += result.accepted
                if n >= 30 and not args.no_scratch:
                    scratch, _ = search_and_train(picks, trials=0, seed=seed)
                    rows["scratch"].append(_score(scratch, test))

            def cell(values: list[tuple[float, float]]) -> str:
                if not values:
                    return "-"
                return (f"{np.mean([v[0] for v in values]):.2f} / "
                        f"{np.mean([v[1] for v in values]):.1f}")

            print(f"| {name} | {n} | {cell(rows['base'])} | {cell(rows['scratch'])} | {cell(rows['adapted'])} | "
                  f"{cell(rows['served'])} | {accepted}/{args.seeds} |", flush=True)
    if seconds_30:
        print(f"\nlearn() from 30 picks (adaptation + leave-one-out before/after): median "
              f"{statistics.median(seconds_30):.2f} s over {len(seconds_30)} runs")


if __name__ == "__main__":
    main()
