"""The Optuna search over the recommender's hyper-parameters.

TPE sampling (Bergstra et al. 2011) with median pruning on the per-epoch validation
Recall@3. Each trial trains on a short budget (``SEARCH_EPOCHS``), enough to rank
parameter sets; the winner is then trained in full. With a study file the study lives
in SQLite: an interrupted search resumes with the trials it still owes, and ``workers``
processes can run trials side by side (Optuna's documented way to parallelise: each
process samples from the shared study). One process per CPU core, each with one torch
thread, is the fastest layout for a model this small. Trials then finish in an order
that depends on timing, so a parallel search is not bit-for-bit repeatable; the final
training with the chosen parameters is.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from dataclasses import replace
from pathlib import Path

from core.jobs import CancelToken, ProgressFn, report
from core.recommend.model import Params
from core.recommend.pairs import Pairs

__all__ = ["SEARCH_EPOCHS", "default_workers", "run_search", "suggest_params"]

SEARCH_EPOCHS = 20
"""Epochs a search trial may train (the final model trains up to ``Params.max_epochs``)."""


def default_workers() -> int:
    """One search process per CPU core, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


def suggest_params(trial) -> Params:
    """The search space (an Optuna trial in, parameters out)."""
    return Params(
        hidden=trial.suggest_int("hidden", 32, 256, log=True),
        depth=trial.suggest_int("depth", 1, 3),
        dropout=trial.suggest_float("dropout", 0.0, 0.4),
        learning_rate=trial.suggest_float("learning_rate", 3e-4, 1e-2, log=True),
        weight_decay=trial.suggest_float("weight_decay", 1e-6, 1e-1, log=True),
        w_main=trial.suggest_float("w_main", 0.2, 2.0),
        w_affect=trial.suggest_float("w_affect", 0.1, 2.0),
        w_emotion=trial.suggest_float("w_emotion", 0.0, 1.0),
        batch_size=trial.suggest_categorical("batch_size", [32, 48, 64]),
    )


class _EventToken:
    """A cancel token over a multiprocessing event (the worker processes' side of Cancel)."""

    def __init__(self, event) -> None:
        self._event = event

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            from core.errors import Cancelled

            raise Cancelled()


def _study(name: str, storage: str | None, seed: int):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna.create_study(
        study_name=name, storage=storage, load_if_exists=True, direction="maximize",
        sampler=optuna.samplers.TPESampler(seed=seed),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=5),
    )


def _objective(train: Pairs, validation: Pairs, labels: tuple[str, ...], seed: int, base: Params, device: str,
               cancel):
    import optuna

    from core.recommend.training import fit

    def objective(trial) -> float:
        # Trials compare parameters on a short budget (a fifth of the final training's epochs,
        # at least 20); the median pruner stops the hopeless ones sooner still.
        budget = min(base.max_epochs, max(SEARCH_EPOCHS, base.max_epochs // 5))
        params = replace(suggest_params(trial), max_epochs=budget, patience=min(base.patience, 5))

        def on_epoch(epoch: int, recall3: float) -> None:
            trial.report(recall3, epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()

        model = fit(train, validation, params, seed=seed, device=device, labels=labels, on_epoch=on_epoch,
                    cancel=cancel)
        return float(model.info["validation_recall_at_3"])

    return objective


def _counted(trials: int):
    import optuna

    return optuna.study.MaxTrialsCallback(trials, states=(optuna.trial.TrialState.COMPLETE,
                                                          optuna.trial.TrialState.PRUNED))


def _worker(name: str, storage: str, trials: int, seed: int, train: Pairs, validation: Pairs,
            labels: tuple[str, ...], base: Params, device: str, stop) -> None:
    """A helper process: runs trials of the shared study until it has ``trials`` finished ones."""
    import torch

    from core.errors import Cancelled

    torch.set_num_threads(1)
    study = _study(name, storage, seed)
    with contextlib.suppress(Cancelled):
        study.optimize(_objective(train, validation, labels, seed, base, device, _EventToken(stop)),
                       callbacks=[_counted(trials)], catch=())


def run_search(train: Pairs, validation: Pairs, labels: tuple[str, ...], *, trials: int, seed: int,
               study_path: str | os.PathLike[str] | None, base: Params, device: str = "cpu", workers: int = 1,
               progress: ProgressFn | None = None, cancel: CancelToken | None = None) -> tuple[Params, dict]:
    """Search ``trials`` trials (counting those already in the study file); the best parameters and a summary."""
    import optuna

    storage = None
    if study_path is not None:
        Path(study_path).parent.mkdir(parents=True, exist_ok=True)
        storage = f"sqlite:///{Path(study_path).resolve()}"
    name = f"musicmatch-recommender-{seed}"
    study = _study(name, storage, seed)
    finished = {optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED}

    def done() -> int:
        return sum(t.state in finished for t in study.get_trials(deepcopy=False))

    helpers = []
    stop = None
    if done() < trials and workers > 1 and storage is not None and device == "cpu":
        context = multiprocessing.get_context("spawn")
        stop = context.Event()
        for index in range(1, workers):
            helper = context.Process(target=_worker, daemon=True, args=(
                name, storage, trials, seed + 1000 * index, train, validation, labels, base, device, stop))
            helper.start()
            helpers.append(helper)

    def after_trial(study, trial) -> None:
        count = done()
        complete = [t for t in study.get_trials(deepcopy=False) if t.state == optuna.trial.TrialState.COMPLETE]
        best = max((t.value for t in complete), default=0.0)
        report(progress, 0.95 * min(1.0, count / max(trials, 1)),
               f"Trial {count} of {trials}: best validation Recall@3 {best:.3f}")

    try:
        if done() < trials:
            study.optimize(_objective(train, validation, labels, seed, base, device, cancel),
                           callbacks=[_counted(trials), after_trial], catch=())
    except BaseException:
        if stop is not None:
            stop.set()  # cancelled or failed here: the helpers stop at their next epoch
        raise
    finally:
        for helper in helpers:
            helper.join()
    complete = [t for t in study.get_trials(deepcopy=False) if t.state == optuna.trial.TrialState.COMPLETE]
    total = len([t for t in study.get_trials(deepcopy=False) if t.state in finished])
    if not complete:
        return base, {"trials": total}
    best = max(complete, key=lambda t: t.value)
    params = replace(base, **best.params)
    pruned = sum(t.state == optuna.trial.TrialState.PRUNED for t in study.get_trials(deepcopy=False))
    return params, {"trials": total, "pruned": pruned, "workers": max(1, len(helpers) + 1),
                    "search_best_validation_recall_at_3": float(best.value)}
