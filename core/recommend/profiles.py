"""Taste profiles: named recommenders per editor or per show, one of them in use.

A profile is a model saved under ``ROOT/profiles/NAME.safetensors`` with its ``.json``
side file and a model card ``NAME.md`` (picks used, held-out figures before and after,
the base it was adapted from, the date). ``ROOT/profiles/active.json`` names the profile
in use; without it (or after :meth:`ProfileStore.reset`) the shipped model is used.
``ROOT`` is the user data folder (:func:`core.paths.data_dir`) unless given, so tests and several
installations can keep their own.

Names are what an editor types ("Anna", "Show 2 - trailers"): letters, digits, spaces,
``-``, ``_`` and ``.`` are kept, other characters refused with a message.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from core.errors import InputError, ModelError
from core.fileio import atomic_write_text
from core.recommend.model import Recommender, load_recommender, save_recommender

__all__ = ["Profile", "ProfileStore", "write_taste_card"]

_NAME = re.compile(r"^[\w][\w .\-]{0,63}$")


def _check_name(name: str) -> str:
    name = str(name).strip()
    if not _NAME.fullmatch(name) or name.lower() in ("default", "none", "active"):
        raise InputError(f"profile name {name!r}: use up to 64 letters, digits, spaces, '-', '_' or '.', "
                         "starting with a letter or digit (not 'default', 'none' or 'active')")
    return name


@dataclass(frozen=True)
class Profile:
    name: str
    path: Path
    """The weights file (``.safetensors``); its side file and card sit beside it."""
    active: bool
    picks: int | None
    trained: str | None
    held_out_recall_at_3: float | None
    base: str | None


class ProfileStore:
    """The profiles in one folder."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        if root is None:
            from core.paths import data_dir

            root = data_dir()
        self.folder = Path(root) / "profiles"

    def path(self, name: str) -> Path:
        return self.folder / f"{_check_name(name)}.safetensors"

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.name[: -len(".safetensors")] for p in self.folder.glob("*.safetensors")
                      if Path(f"{p}.json").is_file())

    def active_name(self) -> str | None:
        """The profile in use, or None for the shipped model (also when the named one has gone)."""
        marker = self.folder / "active.json"
        try:
            name = json.loads(marker.read_text(encoding="utf-8")).get("profile")
        except (OSError, ValueError, AttributeError):
            return None
        return name if isinstance(name, str) and name in self.names() else None

    def profiles(self) -> list[Profile]:
        active = self.active_name()
        found = []
        for name in self.names():
            path = self.path(name)
            try:
                side = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                side = {}
            held = side.get("metrics", {}).get("held_out", {}).get("recall_at", {}).get("3")
            found.append(Profile(name, path, name == active, side.get("training_data", {}).get("rows"),
                                 side.get("trained"), held, side.get("adaptation", {}).get("base")))
        return found

    def load(self, name: str | None = None, *, device: str = "cpu") -> Recommender:
        """The named profile's model, the active one when ``name`` is None, else the shipped model."""
        name = name if name is not None else self.active_name()
        if name is None:
            return load_recommender(None, device=device)
        path = self.path(name)
        if not path.is_file():
            raise ModelError(f"no taste profile named {name!r} (profiles: {', '.join(self.names()) or 'none'})")
        return load_recommender(path, device=device)

    def save(self, model: Recommender, name: str, *, activate: bool = True) -> Path:
        """Save ``model`` as profile ``name`` (replacing one of that name) with its card; optionally use it."""
        name = _check_name(name)
        model.info["profile"] = name
        path = save_recommender(model, self.path(name))
        write_taste_card(model, path.with_suffix(".md"), name=name)
        if activate:
            self.use(name)
        return path

    def use(self, name: str | None) -> None:
        """Make ``name`` the profile in use (None: the shipped model)."""
        if name is not None and _check_name(name) not in self.names():
            raise InputError(f"no taste profile named {name!r} (profiles: {', '.join(self.names()) or 'none'})")
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.folder / "active.json", json.dumps({"profile": name}) + "\n")

    def reset(self) -> None:
        """Go back to the shipped model (the profiles are kept)."""
        self.use(None)

    def rename(self, old: str, new: str) -> Path:
        old, new = _check_name(old), _check_name(new)
        if old not in self.names():
            raise InputError(f"no taste profile named {old!r}")
        if new in self.names():
            raise InputError(f"a taste profile named {new!r} exists already")
        was_active = self.active_name() == old
        for suffix in (".safetensors", ".safetensors.json", ".md"):
            source = self.folder / f"{old}{suffix}"
            if source.exists():
                os.replace(source, self.folder / f"{new}{suffix}")
        # The name is also written inside the side file and the card (the weights' hash does not cover them).
        side_path = self.folder / f"{new}.safetensors.json"
        side = json.loads(side_path.read_text(encoding="utf-8"))
        side["profile"] = new
        atomic_write_text(side_path, json.dumps(side, indent=2, ensure_ascii=False) + "\n")
        card = self.folder / f"{new}.md"
        if card.is_file():
            lines = card.read_text(encoding="utf-8").split("\n")
            lines[0] = f"# MusicMatch taste profile: {new}"
            atomic_write_text(card, "\n".join(lines))
        if was_active:
            self.use(new)
        return self.path(new)

    def delete(self, name: str) -> None:
        name = _check_name(name)
        if name not in self.names():
            raise InputError(f"no taste profile named {name!r}")
        if self.active_name() == name:
            self.reset()
        for suffix in (".safetensors", ".safetensors.json", ".md"):
            (self.folder / f"{name}{suffix}").unlink(missing_ok=True)


def write_taste_card(model: Recommender, path: Path, *, name: str) -> Path:
    """The model card of an adapted model: its picks, its base, what was learned, figures before and after."""
    info = model.info
    data = info.get("training_data", {})
    adaptation = info.get("adaptation", {})
    metrics = info.get("metrics", {})

    def line(scores: dict) -> str:
        recall = scores.get("recall_at", {})
        return (", ".join(f"R@{k} {v:.3f}" for k, v in recall.items())
                + f", MedR {scores.get('median_rank', float('nan')):g} (pool {scores.get('pool_size', 0)} tracks)")

    correction = adaptation.get("correction", {})
    offsets = correction.get("offset", {})
    moved = ", ".join(f"{d} {offsets.get(d, 0.0):+.2f}" for d in correction.get("corrected_dims", [])) or "none"
    lines = [
        f"# MusicMatch taste profile: {name}",
        "",
        "The shipped recommender (or an earlier profile) adapted to one editor's picks "
        "(see `core/recommend/adapt.py` and docs/recommender.md).",
        "",
        "## Picks",
        f"- Source: {data.get('source') or 'pairs given to `musicmatch train`'}",
        f"- Picks used: {data.get('rows')}, SHA-256 {data.get('sha256')}",
        f"- Trained: {info.get('trained')}",
        f"- Base model: {adaptation.get('base', 'default')}",
        f"- Stage: {adaptation.get('stage', '?')}",
        f"- Dimensions corrected (offset in standardised units): {moved}",
        "",
        f"## Figures ({adaptation.get('evaluation', 'cross-validation')}, the app's matcher)",
        f"- Base model: {line(metrics.get('base_held_out', {}))}",
        f"- This profile: {line(metrics.get('held_out', {}))}",
        f"- Verdict: {adaptation.get('reason', '')}",
        "",
        "## Limits",
        "Measured on this editor's own picks only, each held out in turn: with few picks the figures are coarse "
        "(the pool is the picks' own tracks). The emotion class shown with a target is the quadrant of the "
        "adapted arousal and valence.",
        "",
    ]
    return atomic_write_text(path, "\n".join(lines))
