"""Training, evaluation (Recall@K, median rank) and the Optuna search of the recommender.

Evaluation follows SPEC.md §4: over a held-out set of pairs, every video's predicted
target ranks the pool of the held-out tracks with the app's own matcher
(:meth:`core.match.TrackIndex.ranks_of`: the distances and tie order of ``match``);
Recall@K is the share of videos whose own track is in the top K, MedR the median rank of
the own track. Every figure is reported with its pool size, since both depend on it.

Training: AdamW with cosine learning-rate decay, mini-batches from a seeded DataLoader,
early stopping on validation Recall@3 (ties broken by validation loss), the best epoch's
weights kept. Seeded and reproducible on the CPU (``torch.set_num_threads(1)``: this model
is far too small to gain from more threads).

Search (:mod:`core.recommend.search`): Optuna's TPE sampler with median pruning on the
per-epoch validation Recall@3, stored in SQLite so an interrupted search resumes where it
stopped, optionally in several processes. The final model is trained with the best
parameters and scored on a test split the search never saw.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, TensorDataset

from core.errors import InputError
from core.features import MUSIC
from core.jobs import CancelToken, ProgressFn, report
from core.match import MatchSettings, TrackIndex
from core.recommend.model import MAIN_IDS, Params, Recommender, RecommenderNet, save_recommender
from core.recommend.pairs import Pairs

__all__ = [
    "KS",
    "Evaluation",
    "evaluate",
    "fit",
    "linear_baseline",
    "recall_from_ranks",
    "search_and_train",
    "split_pairs",
    "write_card",
]

KS = (1, 3, 5, 10)
DEFAULT_PARAMS = Params()
MIN_PAIRS = 30
"""Fewest pairs that can be split into training, validation and test sets of useful size."""


@dataclass(frozen=True)
class Evaluation:
    recall_at: dict[str, float]
    median_rank: float
    pool_size: int
    target_error: float | None = None
    """Mean squared error of the targets in standardised units, when measured (learning from picks)."""

    def to_json(self) -> dict:
        document = {"recall_at": {k: round(v, 4) for k, v in self.recall_at.items()},
                    "median_rank": self.median_rank, "pool_size": self.pool_size}
        if self.target_error is not None:
            document["target_error"] = round(self.target_error, 5)
        return document


def recall_from_ranks(ranks: np.ndarray) -> Evaluation:
    ranks = np.asarray(ranks)
    return Evaluation({str(k): float(np.mean(ranks <= k)) for k in KS}, float(np.median(ranks)), int(ranks.size))


def evaluate(predicted: np.ndarray, music: np.ndarray, settings: MatchSettings | None = None) -> Evaluation:
    """Recall@K and median rank of predicted targets against their own tracks among ``music``."""
    pool = TrackIndex(music)
    return recall_from_ranks(pool.ranks_of(predicted, np.arange(len(pool)), settings))


def split_pairs(n: int, seed: int, *, validation: float = 0.15, test: float = 0.15) -> tuple[np.ndarray, ...]:
    """Seeded (train, validation, test) row indices; :class:`InputError` when too few rows to split."""
    if n < MIN_PAIRS:
        raise InputError(f"{n} pairs are too few to split into training, validation and test sets "
                         f"(at least {MIN_PAIRS} are needed)")
    order = np.random.default_rng(seed).permutation(n)
    n_test = max(5, int(round(test * n)))
    n_val = max(5, int(round(validation * n)))
    return np.sort(order[n_test + n_val :]), np.sort(order[n_test : n_test + n_val]), np.sort(order[:n_test])


@contextlib.contextmanager
def _torch_threads(device: torch.device) -> Iterator[None]:
    if device.type != "cpu":
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def fit(
    train: Pairs,
    validation: Pairs,
    params: Params = DEFAULT_PARAMS,
    *,
    seed: int = 0,
    device: str = "cpu",
    labels: tuple[str, ...] | None = None,
    on_epoch: Callable[[int, float], None] | None = None,
    cancel: CancelToken | None = None,
) -> Recommender:
    """Train one model; early stopping on ``validation`` Recall@3.

    ``on_epoch(epoch, recall_at_3)`` is called after every epoch (Optuna's pruning hook
    raises from it to stop a poor trial).
    """
    dev = torch.device(device)
    labels = labels or tuple(sorted(set(train.labels) | set(validation.labels)))
    code = {label: i for i, label in enumerate(labels)}
    mean = train.video.mean(axis=0)
    std = train.video.std(axis=0)
    std = np.where(std > 1e-9, std, 1.0)
    torch.manual_seed(seed)
    with _torch_threads(dev):
        model = Recommender(RecommenderNet(params, len(labels)).to(dev), params, mean, std, labels)
        x = model.standardise(train.video)
        z = torch.from_numpy(((train.music - MUSIC.centers) / MUSIC.scales).astype(np.float32)).to(dev)
        y = torch.tensor([code[label] for label in train.labels], dtype=torch.long, device=dev)
        # Whole mini-batches are drawn from the tensors at once (a batch sampler, batch_size=None),
        # rather than one row at a time and collated: the same batches, a tenth of the overhead.
        dataset = TensorDataset(x, z, y)
        batches = BatchSampler(RandomSampler(dataset, generator=torch.Generator().manual_seed(seed)),
                               params.batch_size, drop_last=False)
        loader = DataLoader(dataset, sampler=batches, batch_size=None)
        val_x = model.standardise(validation.video)
        val_z = torch.from_numpy(((validation.music - MUSIC.centers) / MUSIC.scales).astype(np.float32)).to(dev)
        pool = TrackIndex(validation.music)
        own = np.arange(len(pool))
        optimiser = torch.optim.AdamW(model.net.parameters(), lr=params.learning_rate,
                                      weight_decay=params.weight_decay, foreach=True)
        schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=params.max_epochs)
        n_main = len(MAIN_IDS)  # the main features, then arousal and valence (RecommenderNet's order)
        best: tuple[float, float] = (-1.0, -math.inf)
        best_state = None
        since_best = 0
        for epoch in range(params.max_epochs):
            if cancel is not None:
                cancel.raise_if_cancelled()
            model.net.train()
            for xb, zb, yb in loader:
                optimiser.zero_grad()
                target, logits = model.net(xb)
                loss = (params.w_main * nn.functional.mse_loss(target[:, :n_main], zb[:, :n_main])
                        + params.w_affect * nn.functional.mse_loss(target[:, n_main:], zb[:, n_main:])
                        + params.w_emotion * nn.functional.cross_entropy(logits, yb))
                loss.backward()
                optimiser.step()
            schedule.step()
            model.net.eval()
            with torch.no_grad():
                predicted_z = model.net(val_x)[0]
                val_loss = float(nn.functional.mse_loss(predicted_z, val_z))
            predicted = MUSIC.centers + MUSIC.scales * predicted_z.double().cpu().numpy()
            recall3 = float(np.mean(pool.ranks_of(predicted, own) <= 3))
            if on_epoch is not None:
                on_epoch(epoch, recall3)
            # Keep the best epoch's weights (Recall@3, ties broken by validation loss), but only a
            # better Recall@3 buys more epochs: the loss alone creeps down for a long time.
            if recall3 > best[0]:
                since_best = 0
            else:
                since_best += 1
            if (recall3, -val_loss) > best:
                best = (recall3, -val_loss)
                best_state = {k: v.detach().clone() for k, v in model.net.state_dict().items()}
            if since_best >= params.patience:
                break
        if best_state is not None:
            model.net.load_state_dict(best_state)
        model.net.eval()
        model.info["epochs"] = epoch + 1
        model.info["validation_recall_at_3"] = best[0]
    return model


def search_and_train(
    pairs: Pairs,
    *,
    trials: int = 0,
    seed: int = 0,
    out: str | os.PathLike[str] | None = None,
    study_path: str | os.PathLike[str] | None = None,
    params: Params = DEFAULT_PARAMS,
    device: str = "cpu",
    workers: int = 1,
    source: str = "",
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> tuple[Recommender, dict]:
    """Search hyper-parameters (``trials`` > 0), train the final model, score it on the test split.

    Returns the model and the report of SPEC.md §4 (``recall_at``, ``median_rank``,
    ``pool_size`` on the test split, ``best_params``, ``validation``, ``model``). With
    ``out``, the model is saved there with its side file and a model card.
    """
    train_rows, val_rows, test_rows = split_pairs(len(pairs), seed)
    train, validation, test = pairs.subset(train_rows), pairs.subset(val_rows), pairs.subset(test_rows)
    labels = tuple(sorted(set(pairs.labels)))
    search_report: dict = {}
    if trials > 0:
        from core.recommend.search import run_search

        params, search_report = run_search(train, validation, labels, trials=trials, seed=seed,
                                           study_path=study_path, base=params, device=device, workers=workers,
                                           progress=progress, cancel=cancel)
    report(progress, 0.95 if trials > 0 else 0.0, "Training the final model")
    model = fit(train, validation, params, seed=seed, device=device, labels=labels, cancel=cancel)
    predicted, _ = model.predict_many(test.video)
    scores = evaluate(predicted, test.music)
    predicted_val, _ = model.predict_many(validation.video)
    val_scores = evaluate(predicted_val, validation.music)
    model.info.update({
        "trained": date.today().isoformat(),
        "training_data": {"source": source, "rows": len(pairs), "sha256": pairs.sha256,
                          "labels_given": pairs.labels_given, "split": {"train": len(train), "validation":
                                                                        len(validation), "test": len(test)},
                          "seed": seed},
        "best_params": asdict(params),
        "metrics": {"test": scores.to_json(), "validation": val_scores.to_json(), **search_report},
    })
    result = {**scores.to_json(), "validation": val_scores.to_json(), "best_params": asdict(params),
              "trials": search_report.get("trials", 0), "model": None}
    if out is not None:
        target = save_recommender(model, out)
        write_card(model, target.with_suffix(".md"), source=source)
        result["model"] = str(target)
    report(progress, 1.0, f"Test Recall@3 {scores.recall_at['3']:.3f} over {scores.pool_size} tracks")
    return model, result


def write_card(model: Recommender, path: Path, *, source: str) -> Path:
    """A model card beside the weights: what it was trained on and how well it does."""
    from core.fileio import atomic_write_text

    data = model.info.get("training_data", {})
    metrics = model.info.get("metrics", {})
    test, val = metrics.get("test", {}), metrics.get("validation", {})

    def recall_line(scores: dict) -> str:
        recall = scores.get("recall_at", {})
        return (", ".join(f"R@{k} {recall[k]:.3f}" for k in recall) +
                f", MedR {scores.get('median_rank', float('nan')):g} (pool {scores.get('pool_size', 0)} tracks)")

    lines = [
        f"# MusicMatch recommender: {path.stem}",
        "",
        "A multi-task MLP from the 11 video features to a 10-d music target (see `core/recommend/model.py`).",
        "",
        "## Training data",
        f"- Source: {source or 'pairs given to `musicmatch train`'}",
        f"- Rows: {data.get('rows')}, SHA-256 {data.get('sha256')}",
        f"- Split (seed {data.get('seed')}): {data.get('split')}",
        f"- Emotion labels: {'from the audio_label column' if data.get('labels_given') else 'arousal/valence quadrant'}"
        f" ({', '.join(model.labels)})",
        f"- Trained: {model.info.get('trained')}",
        "",
        "## Metrics (the app's matcher, Euclidean over all 10 standardised dimensions)",
        f"- Test split (never seen by training or the search): {recall_line(test)}",
        f"- Validation split (used for early stopping and the search): {recall_line(val)}",
        f"- Search: {metrics.get('trials', 0)} Optuna trials ({metrics.get('pruned', 0)} pruned)",
        "",
        "## Parameters",
        *(f"- {k}: {v}" for k, v in model.info.get("best_params", {}).items()),
        "",
    ]
    return atomic_write_text(path, "\n".join(lines))


def linear_baseline(train: Pairs, test: Pairs) -> np.ndarray:
    """Least-squares linear predictions for ``test`` (the reference a learned model must beat)."""
    x = np.column_stack([train.video, np.ones(len(train))])
    coef, *_ = np.linalg.lstsq(x, train.music, rcond=None)
    return np.column_stack([test.video, np.ones(len(test))]) @ coef

