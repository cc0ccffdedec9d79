"""The recommender: a multi-task MLP from the 11 video features to a 10-d music target.

Architecture (the customer's design): the video vector, standardised with the training
set's means and spreads, feeds a shared trunk of ``depth`` blocks (Linear, GELU, dropout)
of ``hidden`` units. Three heads read the trunk:

* **main**: the 8 timbre/rhythm features (richness ... rhythm speed);
* **affect**: music arousal and valence (the auxiliary task: the picture's arousal and
  valence carry most of what the music's should be);
* **emotion**: logits over the music's emotion classes (the pairs' ``audio_label``, or the
  arousal/valence quadrant, see :mod:`core.recommend.pairs`).

Targets are in the fixed standardised units of :mod:`core.features` (the units the
matcher compares in), so a unit of error costs the same on every dimension. The loss is
``w_main * MSE(main) + w_affect * MSE(affect) + w_emotion * CE(emotion)``; the three
weights are hyper-parameters.

Files: weights as safetensors (loading cannot run code) and a JSON side file with the
format tag, schema version, feature order, scalers, label set, parameters, metrics, and
the row count and hash of the training data. :func:`load_recommender` refuses a file made
for another schema with a message naming both versions.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file
from torch import nn

from core.errors import ModelError
from core.features import MUSIC, SCHEMA_VERSION, VIDEO
from core.fileio import atomic_write_bytes, atomic_write_text, read_json_file
from core.recommend.pairs import QUADRANTS, quadrant_labels

__all__ = [
    "AFFECT_IDS",
    "MAIN_IDS",
    "Params",
    "Prediction",
    "Recommender",
    "RecommenderNet",
    "default_model_path",
    "load_recommender",
    "save_recommender",
]

FORMAT = "musicmatch-recommender"
FILE_VERSION = 1
AFFECT_IDS = ("arousal", "valence")
MAIN_IDS = tuple(d for d in MUSIC.ids if d not in AFFECT_IDS)
_MAIN_COLS = [MUSIC.index(d) for d in MAIN_IDS]
_AFFECT_COLS = [MUSIC.index(d) for d in AFFECT_IDS]
if list(range(len(MUSIC))) != _MAIN_COLS + _AFFECT_COLS:  # RecommenderNet.forward joins the heads in this order
    raise RuntimeError("the music space must list arousal and valence last")


@dataclass(frozen=True)
class Params:
    """Hyper-parameters (the Optuna search space, see :mod:`core.recommend.training`)."""

    hidden: int = 128
    depth: int = 2
    dropout: float = 0.1
    learning_rate: float = 3e-3
    weight_decay: float = 1e-4
    w_main: float = 1.0
    w_affect: float = 1.0
    w_emotion: float = 0.2
    batch_size: int = 64
    max_epochs: int = 100
    patience: int = 10
    adapted: bool = False
    """The net carries a correction layer fitted to an editor's picks (:mod:`core.recommend.adapt`)."""


class RecommenderNet(nn.Module):
    """Shared trunk and the three heads."""

    def __init__(self, params: Params, n_classes: int) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        width = len(VIDEO)
        for _ in range(params.depth):
            layers += [nn.Linear(width, params.hidden), nn.GELU(), nn.Dropout(params.dropout)]
            width = params.hidden
        self.trunk = nn.Sequential(*layers)
        self.main = nn.Linear(width, len(MAIN_IDS))
        self.affect = nn.Linear(width, len(AFFECT_IDS))
        self.emotion = nn.Linear(width, max(n_classes, 1))
        # A linear path from the input: the net starts as (and never does worse than) a linear fit.
        self.linear = nn.Linear(len(VIDEO), len(MUSIC))
        # An editor's correction on top of a base model (core.recommend.adapt): linear in the base's own
        # output and the standardised input, zero until fitted, so an adapted net starts as its base.
        self.correction: nn.Linear | None = None
        if params.adapted:
            self.correction = nn.Linear(len(MUSIC) + len(VIDEO), len(MUSIC))
            nn.init.zeros_(self.correction.weight)
            nn.init.zeros_(self.correction.bias)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(music target in standardised units, shape (n, 10); emotion logits, shape (n, classes))."""
        h = self.trunk(x)
        # The main features come first in the music space, arousal and valence last (checked at
        # import), so the heads' outputs are joined, not scattered into place: fewer autograd steps.
        z = torch.cat((self.main(h), self.affect(h)), dim=1) + self.linear(x)
        if self.correction is not None:
            z = z + self.correction(torch.cat((z, x), dim=1))
        return z, self.emotion(h)


@dataclass(frozen=True)
class Prediction:
    """The music target for one video and the predicted emotion class."""

    features: np.ndarray
    """Shape ``(10,)``, in the music space's units and order."""
    emotion: str
    probabilities: dict[str, float]

    def to_json(self) -> dict:
        return {"features": dict(zip(MUSIC.ids, (float(v) for v in self.features), strict=True)),
                "emotion": self.emotion,
                "emotion_probabilities": {k: round(v, 4) for k, v in self.probabilities.items()}}


@dataclass
class Recommender:
    """A trained recommender with everything needed to use it and to say what it is."""

    net: RecommenderNet
    params: Params
    input_mean: np.ndarray
    input_std: np.ndarray
    labels: tuple[str, ...]
    info: dict = field(default_factory=dict)
    """Training data summary, metrics, best parameters: written to the side file."""

    @property
    def device(self) -> torch.device:
        return next(self.net.parameters()).device

    def standardise(self, video: np.ndarray) -> torch.Tensor:
        x = (np.asarray(video, dtype=np.float64).reshape(-1, len(VIDEO)) - self.input_mean) / self.input_std
        return torch.from_numpy(x.astype(np.float32)).to(self.device)

    def predict_many(self, video: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(music targets, shape (n, 10), in feature units; emotion probabilities, shape (n, classes))."""
        self.net.eval()
        with torch.no_grad():
            z, logits = self.net(self.standardise(video))
            probabilities = torch.softmax(logits, dim=1)
        values = MUSIC.centers + MUSIC.scales * z.double().cpu().numpy()
        lows = np.array([d.low for d in MUSIC])
        highs = np.array([d.high for d in MUSIC])
        values = np.clip(values, lows, highs)
        probabilities = probabilities.double().cpu().numpy()
        if self.net.correction is not None and set(self.labels) == set(QUADRANTS):
            # The emotion head is the base's; an editor's correction may move the target's arousal and
            # valence into another quadrant, and the class shown must agree with the target shown.
            quadrant = quadrant_labels(values)
            probabilities = np.array([[1.0 if label == q else 0.0 for label in self.labels] for q in quadrant])
        return values, probabilities

    def predict(self, video: np.ndarray) -> Prediction:
        """The music target for one 11-d video vector."""
        values, probabilities = self.predict_many(np.asarray(video, dtype=np.float64)[None, :])
        p = probabilities[0]
        return Prediction(values[0], self.labels[int(np.argmax(p))],
                          {label: float(v) for label, v in zip(self.labels, p, strict=True)})


def default_model_path() -> Path:
    """The shipped default model, ``models/recommender.safetensors`` beside the package."""
    return Path(__file__).resolve().parents[2] / "models" / "recommender.safetensors"


def save_recommender(model: Recommender, path: str | os.PathLike[str]) -> Path:
    """Write ``PATH`` (safetensors weights) and ``PATH.json`` (everything else)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to("cpu").contiguous() for k, v in model.net.state_dict().items()}
    from safetensors.torch import save

    atomic_write_bytes(target, save(state))
    side = {
        "format": FORMAT,
        "version": FILE_VERSION,
        "feature_schema": SCHEMA_VERSION,
        "inputs": list(VIDEO.ids),
        "outputs": list(MUSIC.ids),
        "input_mean": [float(v) for v in model.input_mean],
        "input_std": [float(v) for v in model.input_std],
        "target_units": "standardised by the fixed centres and scales of core.features",
        "labels": list(model.labels),
        "params": asdict(model.params),
        **model.info,
        "weights_sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
    }
    atomic_write_text(f"{target}.json", json.dumps(side, indent=2, ensure_ascii=False) + "\n")
    return target


def load_recommender(path: str | os.PathLike[str] | None = None, *, device: str = "cpu") -> Recommender:
    """Load a model saved by :func:`save_recommender` (the shipped default when ``path`` is None)."""
    target = Path(path) if path is not None else default_model_path()
    side_path = Path(f"{target}.json")
    if not target.is_file():
        raise ModelError(f"{target}: no such model file")
    if not side_path.is_file():
        raise ModelError(f"{target}: the model's description {side_path.name} is missing")
    side = read_json_file(side_path, ModelError, "model description", max_bytes=1 << 20)
    if not isinstance(side, dict) or side.get("format") != FORMAT:
        raise ModelError(f"{target}: not a MusicMatch recommender model")
    if side.get("version") != FILE_VERSION or side.get("feature_schema") != SCHEMA_VERSION:
        raise ModelError(
            f"{target}: model file version {side.get('version')} for feature schema {side.get('feature_schema')}; "
            f"this build reads version {FILE_VERSION} for schema {SCHEMA_VERSION}"
        )
    if side.get("inputs") != list(VIDEO.ids) or side.get("outputs") != list(MUSIC.ids):
        raise ModelError(f"{target}: the model's feature order differs from this build's; train it again")
    weights = target.read_bytes()
    if side.get("weights_sha256") != hashlib.sha256(weights).hexdigest():
        raise ModelError(f"{target}: the weights do not match their description (file changed or damaged)")
    try:
        params = Params(**side["params"])
        labels = tuple(str(label) for label in side["labels"])
        net = RecommenderNet(params, len(labels))
        net.load_state_dict(load_file(str(target)))
        mean = np.array(side["input_mean"], dtype=np.float64)
        std = np.array(side["input_std"], dtype=np.float64)
    except Exception as exc:  # safetensors and torch raise several types for a bad file
        raise ModelError(f"{target}: the model does not load ({type(exc).__name__}: {exc})") from None
    if mean.shape != (len(VIDEO),) or std.shape != (len(VIDEO),) or not (std > 0).all():
        raise ModelError(f"{target}: the model's input scalers are damaged")
    net.to(device).eval()
    info = {k: v for k, v in side.items()
            if k in ("training_data", "metrics", "best_params", "trained", "card", "adaptation", "profile")}
    return Recommender(net, params, mean, std, labels, info)
