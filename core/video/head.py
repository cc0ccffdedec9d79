"""The learned head: a small Transformer encoder from per-frame signals to the 11 features.

Input: the per-frame signals of :class:`~core.video.signals.FrameSignals` (all but the
time), standardised with the training set's means and spreads, for at most 256 frames
sampled evenly over the clip. A linear embedding (48 wide) plus sinusoidal positions
feeds 2 encoder layers (4 heads, feed-forward 96); the frames are mean-pooled and a
linear layer, plus a small MLP over the clip's summary statistics (mean and spread of
every input), gives the 11 features in the fixed standardised units of
:mod:`core.features` (converted back to their ranges on output).

Training (:func:`train_head`) uses AdamW with cosine learning-rate decay on mean squared
error; :func:`cross_validate` reports each dimension's R² on held-out folds. Weights are
saved as safetensors (they cannot execute code when loaded) with a JSON side file: the
feature schema version, input field order, scalers, hyper-parameters, training summary
and cross-validated R².
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch import nn

from core.errors import ModelError
from core.features import SCHEMA_VERSION, VIDEO, VideoFeatures
from core.fileio import atomic_write_text, read_json_file
from core.jobs import CancelToken, ProgressFn, report
from core.video.signals import FrameSignals

__all__ = ["HeadConfig", "VideoHead", "cross_validate", "frame_matrix", "load_head", "save_head", "train_head"]

INPUT_FIELDS = tuple(name for name in FrameSignals._fields if name != "time_s")
MAX_FRAMES = 256
FORMAT = "musicmatch-video-head"


@dataclass(frozen=True)
class HeadConfig:
    width: int = 48
    layers: int = 2
    heads: int = 4
    feedforward: int = 96
    dropout: float = 0.1
    epochs: int = 300
    learning_rate: float = 3e-3
    weight_decay: float = 1e-2
    seed: int = 0


def frame_matrix(frames: list[FrameSignals]) -> np.ndarray:
    """Per-frame inputs, shape ``(n_frames <= 256, n_fields)``, float32, sampled evenly over the clip."""
    matrix = np.array([[float(getattr(f, name)) for name in INPUT_FIELDS] for f in frames], dtype=np.float32)
    if matrix.shape[0] > MAX_FRAMES:
        matrix = matrix[np.linspace(0, matrix.shape[0] - 1, MAX_FRAMES).round().astype(int)]
    matrix[:, INPUT_FIELDS.index("faces")] = np.maximum(matrix[:, INPUT_FIELDS.index("faces")], 0)
    return matrix


class VideoHead(nn.Module):
    """Transformer encoder over frames, mean-pooled, to the 11 standardised features."""

    def __init__(self, n_inputs: int, config: HeadConfig) -> None:
        super().__init__()
        self.embed = nn.Linear(n_inputs, config.width)
        layer = nn.TransformerEncoderLayer(config.width, config.heads, config.feedforward, config.dropout,
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.layers, enable_nested_tensor=False)
        self.out = nn.Linear(config.width, len(VIDEO))
        # A path from the clip's summary statistics (mean and spread of every input over the
        # frames) through a small MLP: with tens of annotated clips, most of what a clip-level
        # label depends on is in these statistics, and this path learns it from few examples.
        self.direct = nn.Sequential(nn.Linear(2 * n_inputs, config.width), nn.GELU(),
                                    nn.Linear(config.width, len(VIDEO)))
        self.register_buffer("positions", _sinusoids(MAX_FRAMES, config.width), persistent=False)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """``x``: (batch, frames, inputs); ``mask``: (batch, frames), True where padded."""
        h = self.embed(x) + self.positions[: x.shape[1]]
        h = self.encoder(h, src_key_padding_mask=mask)
        keep = (~mask).unsqueeze(-1).float()
        count = keep.sum(dim=1).clamp(min=1.0)
        pooled = (h * keep).sum(dim=1) / count
        mean_inputs = (x * keep).sum(dim=1) / count
        spread = (((x - mean_inputs.unsqueeze(1)) ** 2 * keep).sum(dim=1) / count).clamp(min=1e-8).sqrt()
        return self.out(pooled) + self.direct(torch.cat([mean_inputs, spread], dim=1))


def _sinusoids(length: int, width: int) -> torch.Tensor:
    position = torch.arange(length).unsqueeze(1)
    rate = torch.exp(torch.arange(0, width, 2) * (-math.log(10_000.0) / width))
    table = torch.zeros(length, width)
    table[:, 0::2] = torch.sin(position * rate)
    table[:, 1::2] = torch.cos(position * rate)
    return table


@dataclass
class TrainedHead:
    """A trained head with everything needed to use and describe it."""

    model: VideoHead
    config: HeadConfig
    input_mean: np.ndarray
    input_std: np.ndarray
    summary: dict = field(default_factory=dict)

    def predict(self, frames: list[FrameSignals]) -> VideoFeatures:
        """The 11 features of one clip from its per-frame signals."""
        batch, mask = self._batch([frame_matrix(frames)])
        device = next(self.model.parameters()).device
        self.model.eval()
        with torch.no_grad():
            z = self.model(batch.to(device), mask.to(device))[0].cpu().numpy().astype(np.float64)
        values = VIDEO.centers + VIDEO.scales * z
        lows = np.array([d.low for d in VIDEO])
        highs = np.array([d.high for d in VIDEO])
        return VideoFeatures.from_array(np.clip(values, lows, highs))

    def _batch(self, matrices: list[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
        longest = max(m.shape[0] for m in matrices)
        batch = np.zeros((len(matrices), longest, len(INPUT_FIELDS)), dtype=np.float32)
        mask = np.ones((len(matrices), longest), dtype=bool)
        for i, m in enumerate(matrices):
            batch[i, : m.shape[0]] = (m - self.input_mean) / self.input_std
            mask[i, : m.shape[0]] = False
        return torch.from_numpy(batch), torch.from_numpy(mask)


def _standardise_targets(targets: np.ndarray) -> np.ndarray:
    return (targets - VIDEO.centers) / VIDEO.scales


def train_head(
    sequences: list[np.ndarray],
    targets: np.ndarray,
    config: HeadConfig = HeadConfig(),
    *,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> TrainedHead:
    """Fit a head on clips' frame matrices (:func:`frame_matrix`) and their 11 target values."""
    if len(sequences) < 2 or len(sequences) != len(targets):
        raise ModelError("training needs at least 2 clips, each with 11 target values")
    torch.manual_seed(config.seed)
    stacked = np.concatenate(sequences)
    mean = stacked.mean(axis=0)
    std = np.where(stacked.std(axis=0) > 1e-6, stacked.std(axis=0), 1.0).astype(np.float32)
    head = TrainedHead(VideoHead(len(INPUT_FIELDS), config), config, mean.astype(np.float32), std)
    batch, mask = head._batch(sequences)
    y = torch.from_numpy(_standardise_targets(np.asarray(targets, dtype=np.float64)).astype(np.float32))
    optimiser = torch.optim.AdamW(head.model.parameters(), lr=config.learning_rate,
                                  weight_decay=config.weight_decay)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=config.epochs)
    head.model.train()
    for epoch in range(config.epochs):
        if cancel is not None:
            cancel.raise_if_cancelled()
        optimiser.zero_grad()
        loss = nn.functional.mse_loss(head.model(batch, mask), y)
        loss.backward()
        optimiser.step()
        schedule.step()
        if epoch % 20 == 0:
            report(progress, epoch / config.epochs, f"epoch {epoch}: loss {loss.item():.4f}")
    head.model.eval()
    return head


def r_squared(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Coefficient of determination per column, shape ``(n_dims,)``."""
    residual = ((truth - predicted) ** 2).sum(axis=0)
    total = ((truth - truth.mean(axis=0)) ** 2).sum(axis=0)
    return np.where(total > 0, 1.0 - residual / np.maximum(total, 1e-12), 0.0)


def cross_validate(
    sequences: list[np.ndarray], targets: np.ndarray, *, folds: int = 5, config: HeadConfig = HeadConfig(),
    progress: ProgressFn | None = None, cancel: CancelToken | None = None,
) -> dict[str, float]:
    """Per-dimension R² of k-fold cross-validation (each clip predicted by a head that never saw it)."""
    n = len(sequences)
    if folds < 2 or n < folds:
        raise ModelError(f"{folds}-fold cross-validation needs at least {max(folds, 2)} clips, got {n}")
    order = np.random.default_rng(config.seed).permutation(n)
    predicted = np.zeros((n, len(VIDEO)))
    for fold in range(folds):
        held = order[fold::folds]
        train = np.setdiff1d(order, held)
        head = train_head([sequences[i] for i in train], targets[train], config, cancel=cancel)
        for i in held:
            batch, mask = head._batch([sequences[i]])
            with torch.no_grad():
                predicted[i] = VIDEO.centers + VIDEO.scales * head.model(batch, mask)[0].numpy()
        report(progress, (fold + 1) / folds, f"fold {fold + 1} of {folds}")
    scores = r_squared(np.asarray(targets, dtype=np.float64), predicted)
    return dict(zip(VIDEO.ids, (float(s) for s in scores), strict=True))


def save_head(head: TrainedHead, path: str | os.PathLike[str]) -> Path:
    """Write ``PATH`` (safetensors weights) and ``PATH.json`` (everything else)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in head.model.state_dict().items()}, str(target))
    side = {
        "format": FORMAT,
        "feature_schema": SCHEMA_VERSION,
        "inputs": list(INPUT_FIELDS),
        "outputs": list(VIDEO.ids),
        "input_mean": head.input_mean.tolist(),
        "input_std": head.input_std.tolist(),
        "config": head.config.__dict__,
        "summary": head.summary,
        "weights_sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
    }
    atomic_write_text(f"{target}.json", json.dumps(side, indent=2, ensure_ascii=False))
    return target


def load_head(path: str | os.PathLike[str], *, device: str = "cpu") -> TrainedHead:
    """Load a head saved by :func:`save_head` onto ``device``; :class:`ModelError` if it does not fit this build."""
    target = Path(path)
    side_path = Path(f"{target}.json")
    if not target.is_file() or not side_path.is_file():
        raise ModelError(f"{target}: a head needs both the weights file and {side_path.name}")
    side = read_json_file(side_path, ModelError, "model description", max_bytes=1 << 20)
    if not isinstance(side, dict) or side.get("format") != FORMAT:
        raise ModelError(f"{target}: not a MusicMatch video head")
    if side.get("weights_sha256") != hashlib.sha256(target.read_bytes()).hexdigest():
        raise ModelError(f"{target}: the weights do not match their description (file changed or damaged)")
    if side.get("feature_schema") != SCHEMA_VERSION or side.get("inputs") != list(INPUT_FIELDS) \
            or side.get("outputs") != list(VIDEO.ids):
        raise ModelError(
            f"{target}: made for feature schema {side.get('feature_schema')}, this build uses {SCHEMA_VERSION}; "
            "train it again"
        )
    try:
        config = HeadConfig(**side["config"])
        model = VideoHead(len(INPUT_FIELDS), config)
        model.load_state_dict(load_file(str(target)))
    except Exception as exc:  # safetensors and torch raise several types for a bad file
        raise ModelError(f"{target}: weights do not load ({type(exc).__name__}: {exc})") from None
    model.to(device).eval()
    return TrainedHead(model, config, np.array(side["input_mean"], np.float32), np.array(side["input_std"], np.float32),
                       side.get("summary", {}))
