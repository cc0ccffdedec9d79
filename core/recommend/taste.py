"""Learning an editor's taste honestly: cross-validated figures before and after, and the verdict.

With a handful of picks there is no test split to spare, so the adaptation is measured
by cross-validation: leave-one-out up to :data:`LOO_MAX` picks, 10-fold above. Every
pick is predicted by a model adapted *without* it (the whole procedure, penalty choice
included, runs inside each fold), and its track is ranked with the app's matcher among
the distinct tracks of all the picks (:meth:`core.match.TrackIndex.ranks_of`). The base
model is scored on exactly the same pools. Recall@K and the median rank are reported
with the pool size, since both depend on it.

:func:`learn` adapts on all the picks and returns the model with both scores and a
verdict: a model whose held-out Recall@3 is below its base's, or whose median rank is
worse, is not to be activated, and the reason says so in numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from core.errors import InputError
from core.features import MUSIC
from core.jobs import CancelToken, ProgressFn, report, scaled_progress
from core.match import TrackIndex
from core.recommend.adapt import (
    DEFAULT_SETTINGS,
    MIN_PICKS,
    AdaptSettings,
    adapt,
    check_base,
    check_picks,
    net_outputs,
)
from core.recommend.model import Recommender
from core.recommend.pairs import Pairs
from core.recommend.training import Evaluation, _torch_threads, recall_from_ranks

__all__ = ["LOO_MAX", "LearnReport", "cross_validate", "learn", "learn_from_projects"]

LOO_MAX = 40
"""Up to this many picks every pick is held out alone (leave-one-out); above, 10 folds."""


def _folds(n: int, seed: int) -> tuple[str, list[np.ndarray]]:
    if n <= LOO_MAX:
        return f"leave-one-out over {n} picks", [np.array([i]) for i in range(n)]
    order = np.random.default_rng(seed).permutation(n)
    return f"10-fold cross-validation over {n} picks", [np.sort(part) for part in np.array_split(order, 10)]


def cross_validate(base: Recommender, pairs: Pairs, fit: Callable[[np.ndarray], Recommender], *, seed: int = 0,
                   progress: ProgressFn | None = None, cancel: CancelToken | None = None
                   ) -> tuple[Evaluation, Evaluation, str]:
    """(base's held-out scores, the adapted procedure's held-out scores, the scheme in words).

    Besides Recall@K and the median rank, each carries ``target_error``: the mean
    squared distance, in standardised units, of the held-out targets from the picks.

    ``fit(training_rows)`` is the adaptation procedure to measure, given the rows of
    ``pairs`` it may learn from; it never sees the pick it is scored on.
    """
    scheme, folds = _folds(len(pairs), seed)
    tracks, own = np.unique(pairs.music, axis=0, return_inverse=True)
    own = own.reshape(-1)
    pool = TrackIndex(tracks)
    base_targets = base.predict_many(pairs.video)[0]
    base_ranks = pool.ranks_of(base_targets, own)
    adapted_targets = np.empty_like(base_targets)
    everyone = np.arange(len(pairs))
    for number, held in enumerate(folds):
        if cancel is not None:
            cancel.raise_if_cancelled()
        model = fit(np.setdiff1d(everyone, held))
        adapted_targets[held] = model.predict_many(pairs.subset(held).video)[0]
        report(progress, (number + 1) / len(folds), f"Held out {number + 1} of {len(folds)}")
    adapted_ranks = pool.ranks_of(adapted_targets, own)

    def scores(ranks: np.ndarray, targets: np.ndarray) -> Evaluation:
        error = float(np.mean(((targets - pairs.music) / MUSIC.scales) ** 2))
        return replace(recall_from_ranks(ranks), target_error=error)

    return scores(base_ranks, base_targets), scores(adapted_ranks, adapted_targets), scheme


@dataclass
class LearnReport:
    """What :func:`learn` did and what it measured."""

    model: Recommender
    base: Evaluation
    """The base model's cross-validated scores on the picks."""
    adapted: Evaluation
    """The adaptation's cross-validated scores on the same pools."""
    scheme: str
    accepted: bool
    reason: str
    summary: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    """Sentences about picks that were used but teach little (contradictory picks)."""

    def to_json(self) -> dict:
        """The ``train`` JSON of SPEC.md §4 (the adapted model's held-out figures) plus the base's and the verdict."""
        return {**self.adapted.to_json(), "base": self.base.to_json(), "evaluation": self.scheme,
                "accepted": self.accepted, "reason": self.reason, "warnings": self.warnings,
                "adaptation": self.summary,
                "best_params": self.summary.get("finetune", {}), "model": None}


def _verdict(before: Evaluation, after: Evaluation) -> tuple[bool, str]:
    """(activate?, the reason in words).

    Refused when, on the held-out picks, Recall@3 falls, the median rank rises, or the
    targets land further from the picks (the finer measure with few picks: with 10
    scattered picks the correction may fit their noise while the ranks, among 10 tracks,
    barely move).
    """
    b3, a3 = before.recall_at["3"], after.recall_at["3"]
    figures = (f"held-out Recall@3 {a3:.2f} vs {b3:.2f}, Recall@1 {after.recall_at['1']:.2f} vs "
               f"{before.recall_at['1']:.2f}, median rank {after.median_rank:g} vs {before.median_rank:g}, "
               f"among {after.pool_size} picks")
    if a3 < b3:
        return False, f"the adapted model ranks your held-out picks lower than its base ({figures}); the base is kept"
    if after.median_rank > before.median_rank:
        return False, (f"the adapted model puts your held-out picks further down than its base ({figures}); "
                       "the base is kept")
    if before.target_error is not None and after.target_error is not None and \
            after.target_error > before.target_error:
        return False, (f"the adapted model's targets land further from your held-out picks than its base's "
                       f"(mean squared error {after.target_error:.3f} vs {before.target_error:.3f}; {figures}): "
                       "these picks show no consistent difference from the base yet; the base is kept")
    better = after.median_rank < before.median_rank or any(
        after.recall_at[k] > before.recall_at[k] for k in ("1", "3", "5"))
    worse = [k for k in ("1", "5") if after.recall_at[k] < before.recall_at[k]]
    if not better:
        return True, f"your picks agree with the base model ({figures}); the adapted model stays close to it"
    if worse:
        return True, (f"mixed: the adapted model does better on some of your held-out picks and worse on others "
                      f"({figures}); it is used because Recall@3 and the median rank did not get worse")
    return True, f"the adapted model ranks your held-out picks better than its base ({figures})"


def learn(base: Recommender, pairs: Pairs, *, base_name: str = "default", source: str = "", trials: int = 0,
          seed: int = 0, settings: AdaptSettings = DEFAULT_SETTINGS, progress: ProgressFn | None = None,
          cancel: CancelToken | None = None) -> LearnReport:
    """Adapt ``base`` to ``pairs``, measure before and after by cross-validation, and judge.

    Raises :class:`~core.errors.InputError` for picks :func:`~core.recommend.adapt.check_picks`
    refuses. The returned model carries its training summary and figures in ``info``
    (written to its side file and model card on save).
    """
    warnings = check_picks(pairs)
    check_base(base)
    with _torch_threads(base.device):
        x, z = net_outputs(base, pairs.video)

        def procedure(rows: np.ndarray) -> Recommender:
            # Inside the folds: the same procedure without the search (its settings are chosen on held-out
            # picks of the fold's own training part, so the search would only make the estimate slower).
            return adapt(base, pairs.subset(rows), trials=0, seed=seed, settings=settings,
                         base_outputs=(x[rows], z[rows]), cancel=cancel)[0]

        before, after, scheme = cross_validate(base, pairs, procedure, seed=seed,
                                               progress=scaled_progress(progress, 0.0, 0.7), cancel=cancel)
        model, summary = adapt(base, pairs, trials=trials, seed=seed, settings=settings, base_outputs=(x, z),
                               progress=scaled_progress(progress, 0.7, 1.0), cancel=cancel)
    accepted, reason = _verdict(before, after)
    model.info = {
        "trained": date.today().isoformat(),
        "training_data": {"source": source, "rows": len(pairs), "sha256": pairs.sha256,
                          "labels_given": pairs.labels_given, "seed": seed},
        "adaptation": {**summary, "base": base_name, "evaluation": scheme, "accepted": accepted, "reason": reason},
        "metrics": {"held_out": after.to_json(), "base_held_out": before.to_json()},
        "best_params": summary.get("finetune", {}),
    }
    report(progress, 1.0, reason)
    return LearnReport(model, before, after, scheme, accepted, reason, summary, warnings)


def learn_from_projects(base: Recommender, paths: list, *, library=None, base_name: str = "default",
                        trials: int = 0, seed: int = 0, progress: ProgressFn | None = None,
                        cancel: CancelToken | None = None) -> LearnReport:
    """:func:`learn` from the picks in ``.mmproj`` files or folders (the window's "Learn From My Picks").

    Picks that were left out (no features, the same pick twice) or whose track was
    re-analysed are named in the report's ``warnings``, ahead of any warning about
    contradictory picks. ``library``: the library's track records, to use each picked
    track's current features (see :func:`core.recommend.projects.collect_picks`).
    """
    from core.recommend.projects import collect_picks

    harvest = collect_picks(paths, library=library)
    if len(harvest.pairs) < MIN_PICKS:
        notes = "".join(f"; {note}" for note in harvest.notes())
        raise InputError(f"{harvest.files} project file(s) hold {len(harvest.pairs)} usable picks; learning your "
                         f"taste needs at least {MIN_PICKS}{notes}")
    result = learn(base, harvest.pairs, base_name=base_name, trials=trials, seed=seed, progress=progress,
                   cancel=cancel, source=f"picks in {harvest.files} project file(s): {', '.join(map(str, paths))}")
    result.warnings[:0] = harvest.notes()
    return result
