"""Train the learned head from an annotation file and a folder of videos (``train-extractor``)."""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from core.errors import InputError, MediaError, ModelError
from core.features import VIDEO, parse_number
from core.jobs import CancelToken, ProgressFn, report, scaled_progress
from core.video.analysis import extract_video
from core.video.head import HeadConfig, cross_validate, frame_matrix, save_head, train_head

__all__ = ["Annotations", "read_annotations", "train_from_annotations"]

_FILE_HEADERS = {"file", "filename", "name", "path", "video", "clip"}


@dataclass(frozen=True)
class Annotations:
    files: list[str]
    targets: np.ndarray
    """Shape ``(n_clips, 11)``."""
    sha256: str


def _key(text: str) -> str:
    return "".join(ch for ch in text.strip().lstrip("\ufeff").lower() if ch not in " _-")


def read_annotations(path: str | os.PathLike[str]) -> Annotations:
    """Read ``file,<11 values>`` rows; a header may name the columns by id or label in any order."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{file}: cannot read ({exc.strerror or exc})") from None
    text = data.decode("utf-8-sig", errors="replace")
    rows = [(n, r) for n, r in enumerate(csv.reader(io.StringIO(text)), start=1) if any(c.strip() for c in r)]
    if not rows:
        raise InputError(f"{file}: no annotations")
    names = {_key(d.id): d.id for d in VIDEO} | {_key(d.label_en): d.id for d in VIDEO} | {
        _key(d.label_zh): d.id for d in VIDEO}
    first = rows[0][1]
    if all(parse_number(c) is not None for c in first[1:12]) and len(first) >= 12:
        file_col, columns, body = 0, list(range(1, 12)), rows
    else:
        found = {names[_key(c)]: i for i, c in enumerate(first) if _key(c) in names}
        missing = [d for d in VIDEO.ids if d not in found]
        if missing:
            raise InputError(f"{file}: header lacks the video feature columns {', '.join(missing)}")
        others = [i for i, c in enumerate(first) if i not in found.values()]
        named = [i for i in others if _key(first[i]) in _FILE_HEADERS]
        if not (named or others):
            raise InputError(f"{file}: no column names the video files")
        file_col, columns, body = (named or others)[0], [found[d] for d in VIDEO.ids], rows[1:]
    files, targets = [], []
    for line, row in body:
        if len(row) <= max(file_col, *columns):
            raise InputError(f"{file}: line {line} has {len(row)} fields")
        values = []
        for dim, col in zip(VIDEO, columns, strict=True):
            value = parse_number(row[col])
            if value is None:
                raise InputError(f"{file}: line {line}, {dim.id}: not a finite number: {row[col].strip()!r}")
            values.append(value)
        files.append(row[file_col].strip())
        targets.append(values)
    if not files:
        raise InputError(f"{file}: no annotations (only a header)")
    return Annotations(files, np.array(targets, dtype=np.float64), hashlib.sha256(data).hexdigest())


def train_from_annotations(
    annotations_path: str | os.PathLike[str],
    videos: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    folds: int = 5,
    config: HeadConfig | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> dict:
    """Analyse the annotated clips, cross-validate, train on all of them and save the head.

    Returns a summary: clips used, clips skipped (with reasons), per-dimension R², paths.
    """
    config = config or HeadConfig()
    annotations = read_annotations(annotations_path)
    folder = Path(videos)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    sequences, targets, used, skipped = [], [], [], []
    for index, (name, target) in enumerate(zip(annotations.files, annotations.targets, strict=True)):
        report(progress, 0.5 * index / len(annotations.files), f"Analysing {name}")
        try:
            analysis = extract_video(folder / name, cancel=cancel)
        except MediaError as exc:
            skipped.append((name, str(exc)))
            continue
        sequences.append(frame_matrix(analysis.frames))
        targets.append(target)
        used.append(name)
    if len(sequences) < max(folds, 2):
        raise ModelError(f"only {len(sequences)} annotated clips could be analysed; {folds}-fold training needs "
                         f"at least {max(folds, 2)}")
    y = np.array(targets)
    r2 = cross_validate(sequences, y, folds=folds, config=config, progress=scaled_progress(progress, 0.5, 0.9),
                        cancel=cancel)
    head = train_head(sequences, y, config, progress=scaled_progress(progress, 0.9, 1.0), cancel=cancel)
    head.summary = {
        "trained_on": date.today().isoformat(),
        "clips": len(used),
        "annotations": str(annotations_path),
        "annotations_sha256": annotations.sha256,
        "cross_validated_r2": r2,
        "folds": folds,
    }
    weights = save_head(head, out)
    card = _write_card(weights, head.summary, skipped, config)
    return {"clips": len(used), "skipped": skipped, "r2": r2, "model": str(weights), "card": str(card)}


def _write_card(weights: Path, summary: dict, skipped: list[tuple[str, str]], config: HeadConfig) -> Path:
    table = "\n".join(f"| {d.id} | {d.label_zh} | {summary['cross_validated_r2'][d.id]:.3f} |" for d in VIDEO)
    text = f"""# Video feature head: {weights.name}

A small Transformer encoder (2 layers, 4 heads, width {config.width}) over the per-frame
signals of MusicMatch's video analysis, with a linear path from the clip's mean signals,
predicting the 11 video features. Trained with `musicmatch train-extractor` on
{summary['trained_on']}.

## Training data
- {summary['clips']} clips annotated in `{summary['annotations']}` (SHA-256 {summary['annotations_sha256'][:16]}...)
- clips that could not be analysed and were left out: {len(skipped)}

## Measured quality ({summary['folds']}-fold cross-validation: every clip predicted by a head that never saw it)

| feature | 中文 | R² |
|---|---|---:|
{table}

## What it is and is not
It reproduces the annotators' scale for footage like the training clips. It has not
been measured on anything else; with few clips, expect it to generalise poorly to other
kinds of footage. Without `--model`, MusicMatch uses its documented measurements
instead (`docs/features.md`).
"""
    card = weights.with_suffix(".md")
    card.write_text(text, encoding="utf-8")
    return card
