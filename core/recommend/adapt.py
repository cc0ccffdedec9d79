"""Adapt a base recommender to an editor's picks: a shrunk correction, then fine-tuning.

Design (see ``docs/recommender.md``, "Learning from a few picks")
------------------------------------------------------------------
The base model (the shipped prior, or the editor's last model) predicts a music target
``z_base(x)`` in the matcher's standardised units from the standardised video vector
``x``. An editor's picks ``(x_i, z_i)`` say where their taste differs. Stage 1 fits a
*correction* on top of the base,

    z(x) = z_base(x) + b + A z_base(x) + B x,

one ridge regression per music dimension (Hoerl & Kennard 1970) on the residuals
``z_i - z_base(x_i)`` with the features ``[1, z_base(x_i), x_i]``. The penalties of the
offset ``b`` and of the slopes ``A, B`` are chosen per dimension by exact leave-one-out
error (for ridge regression the leave-one-out residual is ``e_i / (1 - h_ii)``, Allen
1974), among a grid that includes "no correction at all". In Bayesian terms the
correction has a zero-mean Gaussian prior: with few or inconsistent picks the chosen
penalty is large and the model stays at its base; with many consistent picks the
penalty falls and the picks are followed. An offset (warmer, darker music) is learned
from a handful of picks; a slope (calm music on busy pictures) needs a few more.

Stage 2, with :data:`FINETUNE_MIN` picks or more, fine-tunes the whole network (base
and correction) with AdamW, an L2 pull toward the starting weights ("L2-SP", Li et al.
2018) and early stopping on a held-out fifth of the picks; the fine-tuned network is
kept only when it beats the stage-1 model on that fifth. With :data:`SEARCH_MIN` picks
or more and ``trials > 0`` Optuna chooses the fine-tuning's learning rate and pull;
below that the fixed settings of :class:`AdaptSettings` are used, because a search
cannot be validated on fewer pairs.

Both stages are linear algebra or a few hundred small gradient steps: learning from 30
picks takes well under a second (``benchmarks/bench_learning.py``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

import numpy as np
import torch
from torch import nn

from core.errors import InputError
from core.features import MUSIC, VIDEO
from core.jobs import CancelToken, ProgressFn, report
from core.match import TrackIndex
from core.recommend.model import Recommender, RecommenderNet
from core.recommend.pairs import Pairs
from core.recommend.training import _torch_threads

__all__ = [
    "FINETUNE_MIN",
    "MIN_PICKS",
    "SEARCH_MIN",
    "AdaptSettings",
    "adapt",
    "check_picks",
    "fit_correction",
]

MIN_PICKS = 5
"""Fewest picks an adaptation accepts (fewer cannot be cross-validated at all)."""
FINETUNE_MIN = 100
"""Picks from which the network itself is fine-tuned (stage 2)."""
SEARCH_MIN = 200
"""Picks from which Optuna may choose the fine-tuning settings (a validation fifth of 40 or more)."""
CONTRADICTION_DISTANCE = 2.5
"""Standardised distance (all 10 dimensions) beyond which two tracks picked for one video contradict
each other, when they also lie in opposite arousal/valence quadrants. Two random tracks of a library
spread over the documented ranges are about 1.8 apart."""


@dataclass(frozen=True)
class AdaptSettings:
    """Fixed, documented settings of the adaptation (the search changes only the fine-tuning's)."""

    penalties: tuple[float, ...] = tuple(float(v) for v in np.logspace(-2, 3, 11))
    """Ridge penalties tried for the slopes."""
    offset_ratio: float | None = 0.1
    """The offset's penalty as a share of the slopes' (an offset is one number, a slope set 21), or
    None to try every pair of penalties (more freedom, more selection bias with few picks)."""
    standard_errors: float = 1.0
    """How many standard errors of leave-one-out error a simpler correction may lose (the 1-SE rule)."""
    finetune_learning_rate: float = 1e-3
    finetune_anchor: float = 1e-2
    """Weight of the squared distance of the parameters from their starting values (L2-SP)."""
    finetune_epochs: int = 80
    finetune_patience: int = 10
    finetune_batch: int = 32
    validation_share: float = 0.2


DEFAULT_SETTINGS = AdaptSettings()


# -- checks ------------------------------------------------------------------------------


def check_picks(pairs: Pairs, *, minimum: int = MIN_PICKS, what: str = "pick") -> list[str]:
    """Refuse picks an adaptation cannot learn from; return warnings about picks it learns little from.

    Too few picks and the same pick twice (same video vector and same track vector) raise
    :class:`InputError` saying which and why. Contradictory picks (one video with two
    tracks far apart in opposite emotion quadrants: the correction learns their average,
    which fits neither) are allowed, because an editor may keep alternatives, but each
    such video is named in the returned warnings.
    """
    n = len(pairs)
    if n < minimum:
        raise InputError(f"{n} {what}{'s' if n != 1 else ''}: learning your taste needs at least {minimum} "
                         "(pick tracks for more videos)")
    seen: dict[bytes, int] = {}
    for i in range(n):
        key = pairs.video[i].tobytes() + pairs.music[i].tobytes()
        if key in seen:
            raise InputError(f"{what}s {seen[key] + 1} and {i + 1} are the same (same video, same track); "
                             "remove the duplicate")
        seen[key] = i
    by_video: dict[bytes, list[int]] = {}
    for i in range(n):
        by_video.setdefault(pairs.video[i].tobytes(), []).append(i)
    z = (pairs.music - MUSIC.centers) / MUSIC.scales
    clashes = []
    for rows in by_video.values():
        for a_pos, a in enumerate(rows):
            for b in rows[a_pos + 1:]:
                gap = float(np.linalg.norm(z[a] - z[b]))
                if gap > CONTRADICTION_DISTANCE and pairs.labels[a] != pairs.labels[b]:
                    clashes.append(f"{what}s {a + 1} and {b + 1} are for the same video but contradict each other "
                                   f"({pairs.labels[a]} vs {pairs.labels[b]} music, {gap:.1f} apart)")
    if not clashes:
        return []
    more = f" and {len(clashes) - 3} more such pairs" if len(clashes) > 3 else ""
    return ["; ".join(clashes[:3]) + more + ": the adaptation learns their average, which fits neither "
            "(keep the one you mean for a sharper profile)"]


def check_base(base: Recommender) -> None:
    """A base model must map this build's video space to its music space (its file was checked on load)."""
    if base.input_mean.shape != (len(VIDEO),) or base.net.linear.out_features != len(MUSIC):
        raise InputError("the base model was made for another feature schema; choose another base")


# -- stage 1: the shrunk correction ------------------------------------------------------


def net_outputs(model: Recommender, video: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(standardised input x, the model's standardised output z), float64, shapes (n, 11) and (n, 10)."""
    model.net.eval()
    with torch.no_grad():
        x = model.standardise(video)
        z, _ = model.net(x)
    return x.double().cpu().numpy(), z.double().cpu().numpy()


@dataclass(frozen=True)
class Correction:
    """The fitted stage-1 correction: ``z = z_base + coef.T @ [1, z_base, x]``."""

    coef: np.ndarray
    """Shape ``(22, 10)``: rows are the offset, the 10 base outputs, the 11 inputs."""
    slope_penalty: np.ndarray
    """Chosen slope penalty per music dimension, shape ``(10,)`` (inf: no correction)."""
    offset_penalty: np.ndarray
    """Chosen offset penalty per music dimension, shape ``(10,)`` (inf: no correction)."""

    def summary(self) -> dict:
        def shown(values: np.ndarray) -> dict:
            return {d: (None if not np.isfinite(v) else float(v)) for d, v in zip(MUSIC.ids, values, strict=True)}

        return {"offset": {d: round(float(v), 4) for d, v in zip(MUSIC.ids, self.coef[0], strict=True)},
                "slope_penalty": shown(self.slope_penalty), "offset_penalty": shown(self.offset_penalty),
                "corrected_dims": [d for d, v in zip(MUSIC.ids, self.slope_penalty, strict=True) if np.isfinite(v)]}


def fit_correction(base: Recommender, pairs: Pairs, settings: AdaptSettings = DEFAULT_SETTINGS, *,
                   base_outputs: tuple[np.ndarray, np.ndarray] | None = None) -> Correction:
    """The per-dimension ridge correction of ``base`` toward ``pairs`` (penalties by exact leave-one-out).

    Per music dimension, every pair of penalties of the grid and "no correction" are
    scored by their exact leave-one-out squared error; the *simplest* candidate (fewest
    effective degrees of freedom, ``trace`` of the hat matrix) whose error is within one
    standard error of the best is chosen (the one-standard-error rule, Hastie, Tibshirani
    & Friedman 2009, §7.10). Picks that only scatter around the base therefore leave it
    alone, instead of fitting their noise. ``base_outputs`` = ``(x, z_base)`` of the
    pairs, when already computed.
    """
    x, z_base = base_outputs if base_outputs is not None else net_outputs(base, pairs.video)
    residual = (pairs.music - MUSIC.centers) / MUSIC.scales - z_base
    features = np.column_stack([np.ones(len(pairs)), z_base, x])
    n, p = features.shape
    grid = np.array(settings.penalties)
    if settings.offset_ratio is None:
        slopes, offsets = (g.reshape(-1) for g in np.meshgrid(grid, grid, indexing="ij"))
    else:
        slopes, offsets = grid, grid * settings.offset_ratio
    penalty = np.repeat(slopes.reshape(-1, 1), p, axis=1)
    penalty[:, 0] = offsets
    # All candidates at once: (candidates, p, p) systems, their hat-matrix diagonals and traces.
    inverse = np.linalg.inv(features.T @ features + penalty[:, :, None] * np.eye(p)[None])
    weights = inverse @ (features.T @ residual)                            # (c, p, 10)
    leverage = np.einsum("ij,cjk,ik->ci", features, inverse, features)    # (c, n)
    freedom = leverage.sum(axis=1)                                       # (c,)
    fitted = np.einsum("ij,cjk->cik", features, weights)                  # (c, n, 10)
    leave_out = (residual[None] - fitted) / np.maximum(1.0 - leverage, 1e-9)[:, :, None]
    squared = np.concatenate([residual[None] ** 2, leave_out ** 2])       # candidate 0: no correction
    freedom = np.concatenate([[0.0], freedom])
    error = squared.mean(axis=1)                                         # (c + 1, 10)
    spread = squared.std(axis=1) / np.sqrt(max(n - 1, 1))
    coef = np.zeros((p, residual.shape[1]))
    chosen_slope = np.full(residual.shape[1], np.inf)
    chosen_offset = np.full(residual.shape[1], np.inf)
    for dim in range(residual.shape[1]):
        best = int(np.argmin(error[:, dim]))
        good = np.flatnonzero(error[:, dim] <= error[best, dim] + settings.standard_errors * spread[best, dim])
        pick = int(good[np.argmin(freedom[good])])
        if pick > 0:
            coef[:, dim] = weights[pick - 1, :, dim]
            chosen_slope[dim], chosen_offset[dim] = penalty[pick - 1, 1], penalty[pick - 1, 0]
    return Correction(coef, chosen_slope, chosen_offset)


def with_correction(base: Recommender, correction: Correction) -> Recommender:
    """A copy of ``base`` whose net carries ``correction`` (a base already adapted gets the two composed)."""
    params = replace(base.params, adapted=True)
    net = RecommenderNet(params, len(base.labels)).to(base.device)
    state = {k: v.detach().clone() for k, v in base.net.state_dict().items()}
    d_music = len(MUSIC)
    # The correction layer computes W [z, x] + c on the base's output z; [1, z, x] rows of coef map onto it.
    # z_new = z + c + A z + B x  ->  weight = [A, B] (out x in), bias = c.
    new_weight = torch.tensor(correction.coef[1:].T, dtype=torch.float32)
    new_bias = torch.tensor(correction.coef[0], dtype=torch.float32)
    if base.net.correction is not None:
        # Compose: the earlier correction gave z1 = z0 + W1 [z0, x] + c1; the new one acts on z1:
        # z2 = z1 + A z1 + B x + c = z0 + (W1 + A [I + W1_z, W1_x]) [z0, x] + B x + c1 + A c1 + c.
        old_weight = state["correction.weight"].double()
        old_bias = state["correction.bias"].double()
        a = new_weight[:, :d_music].double()
        b = new_weight[:, d_music:].double()
        lift = torch.cat((torch.eye(d_music, dtype=torch.float64) + old_weight[:, :d_music],
                          old_weight[:, d_music:]), dim=1)
        weight = old_weight + a @ lift
        weight[:, d_music:] += b
        bias = old_bias + a @ old_bias + new_bias.double()
        new_weight, new_bias = weight.float(), bias.float()
    state["correction.weight"] = new_weight.to(base.device)
    state["correction.bias"] = new_bias.to(base.device)
    net.load_state_dict(state)
    net.eval()
    return Recommender(net, params, base.input_mean.copy(), base.input_std.copy(), base.labels, dict(base.info))


# -- stage 2: fine-tuning ----------------------------------------------------------------


def _recall3(model: Recommender, pairs: Pairs) -> tuple[float, float]:
    """(Recall@3 of ``pairs``' videos among their own tracks, mean squared standardised error)."""
    predicted, _ = model.predict_many(pairs.video)
    tracks, own = np.unique(pairs.music, axis=0, return_inverse=True)
    ranks = TrackIndex(tracks).ranks_of(predicted, own.reshape(-1))
    error = float(np.mean(((predicted - pairs.music) / MUSIC.scales) ** 2))
    return float(np.mean(ranks <= 3)), error


def finetune(model: Recommender, train: Pairs, validation: Pairs, *, learning_rate: float, anchor: float,
             settings: AdaptSettings = DEFAULT_SETTINGS, seed: int = 0,
             cancel: CancelToken | None = None) -> Recommender:
    """Fine-tune every weight of ``model`` on ``train``, pulled toward its start; best epoch on ``validation``."""
    tuned = copy.deepcopy(model)
    net = tuned.net
    start = [p.detach().clone() for p in net.parameters()]
    torch.manual_seed(seed)
    x = tuned.standardise(train.video)
    z = torch.from_numpy(((train.music - MUSIC.centers) / MUSIC.scales).astype(np.float32)).to(tuned.device)
    optimiser = torch.optim.AdamW(net.parameters(), lr=learning_rate, weight_decay=0.0)
    generator = torch.Generator().manual_seed(seed)
    best = _recall3(tuned, validation)
    best = (best[0], -best[1])
    best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    since = 0
    for _ in range(settings.finetune_epochs):
        if cancel is not None:
            cancel.raise_if_cancelled()
        net.train()
        order = torch.randperm(len(train), generator=generator)
        for first in range(0, len(train), settings.finetune_batch):
            rows = order[first:first + settings.finetune_batch]
            optimiser.zero_grad()
            predicted, _ = net(x[rows])
            pull = sum(((p - p0) ** 2).sum() for p, p0 in zip(net.parameters(), start, strict=True))
            loss = nn.functional.mse_loss(predicted, z[rows]) + anchor * pull
            loss.backward()
            optimiser.step()
        net.eval()
        recall, error = _recall3(tuned, validation)
        if (recall, -error) > best:
            best, since = (recall, -error), 0
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
        else:
            since += 1
            if since >= settings.finetune_patience:
                break
    net.load_state_dict(best_state)
    net.eval()
    return tuned


def _search(model: Recommender, train: Pairs, validation: Pairs, trials: int, seed: int,
            settings: AdaptSettings, cancel: CancelToken | None) -> tuple[float, float, int]:
    """Optuna (TPE) over the fine-tuning's learning rate and pull; (rate, pull, trials run)."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))

    def objective(trial) -> float:
        rate = trial.suggest_float("learning_rate", 1e-4, 1e-2, log=True)
        pull = trial.suggest_float("anchor", 1e-4, 1.0, log=True)
        tuned = finetune(model, train, validation, learning_rate=rate, anchor=pull, settings=settings, seed=seed,
                         cancel=cancel)
        recall, error = _recall3(tuned, validation)
        return recall - 1e-3 * error

    study.optimize(objective, n_trials=trials)
    return (float(study.best_params["learning_rate"]), float(study.best_params["anchor"]), len(study.trials))


def adapt(base: Recommender, pairs: Pairs, *, trials: int = 0, seed: int = 0,
          settings: AdaptSettings = DEFAULT_SETTINGS, base_outputs: tuple[np.ndarray, np.ndarray] | None = None,
          progress: ProgressFn | None = None, cancel: CancelToken | None = None) -> tuple[Recommender, dict]:
    """The base adapted to ``pairs``: stage 1 always, stage 2 with enough picks (see the module text).

    Returns the model and a summary of what was done (``stage``, the correction, the
    fine-tuning's settings and validation figures). ``pairs`` must pass :func:`check_picks`;
    ``base_outputs`` are the base's ``(x, z)`` for them when already computed.
    """
    check_base(base)
    report(progress, 0.0, f"Fitting a correction to {len(pairs)} picks")
    correction = fit_correction(base, pairs, settings, base_outputs=base_outputs)
    corrected = with_correction(base, correction)
    summary: dict = {"stage": "correction", "picks": len(pairs), "correction": correction.summary()}
    if len(pairs) < FINETUNE_MIN:
        report(progress, 1.0, "Correction fitted")
        return corrected, summary
    rows = np.random.default_rng(seed).permutation(len(pairs))
    n_val = max(10, int(round(settings.validation_share * len(pairs))))
    train, validation = pairs.subset(np.sort(rows[n_val:])), pairs.subset(np.sort(rows[:n_val]))
    start = with_correction(base, fit_correction(base, train, settings))
    rate, pull, searched = settings.finetune_learning_rate, settings.finetune_anchor, 0
    if trials > 0 and len(pairs) >= SEARCH_MIN:
        report(progress, 0.2, f"Searching fine-tuning settings ({trials} trials)")
        rate, pull, searched = _search(start, train, validation, trials, seed, settings, cancel)
    report(progress, 0.7, "Fine-tuning the network")
    with _torch_threads(start.device):  # one thread: this net is far too small to gain from more
        tuned = finetune(start, train, validation, learning_rate=rate, anchor=pull, settings=settings, seed=seed,
                         cancel=cancel)
    before, after = _recall3(start, validation), _recall3(tuned, validation)
    summary["finetune"] = {"learning_rate": rate, "anchor": pull, "trials": searched,
                           "validation_picks": len(validation),
                           "validation_recall_at_3": {"correction": round(before[0], 4),
                                                      "finetuned": round(after[0], 4)}}
    report(progress, 1.0, "Adapted")
    if (after[0], -after[1]) > (before[0], -before[1]):
        summary["stage"] = "correction + fine-tuning"
        return tuned, summary
    summary["finetune"]["kept"] = False
    return corrected, summary
