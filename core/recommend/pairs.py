"""Training pairs: a video's 11 features, the 10 features of the music chosen for it, and a label.

The pairs CSV (SPEC.md §5) has 11 video columns, 10 music columns and an optional
``audio_label`` column (the music's emotion class). A header names the columns by id,
English or Chinese label or the seed's column name, in any order; without a header, the
first 11 numbers are the video vector, the next 10 the music vector in SPEC order, and a
22nd text field, if present, the label.

When no label is given, the emotion class comes from the quadrant of the music's arousal
and valence on Russell's circumplex (Russell 1980): arousal above the middle of its range
and valence above zero is ``joyful``; high arousal, negative valence ``tense``; low
arousal, negative valence ``sad``; low arousal, positive valence ``calm``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import InputError
from core.features import MUSIC, VIDEO, parse_number
from core.fileio import read_input

__all__ = ["QUADRANTS", "Pairs", "quadrant_labels", "read_pairs_csv", "read_video_csv", "write_pairs_csv"]

QUADRANTS = ("joyful", "tense", "sad", "calm")
"""Emotion classes derived from music arousal and valence, in this order."""

_LABEL_HEADERS = {"audiolabel", "label", "emotion", "mood", "音乐情绪", "情绪"}


@dataclass(frozen=True)
class Pairs:
    """Paired video and music vectors, in file order."""

    video: np.ndarray
    """Shape ``(n, 11)``, float64, SPEC order."""
    music: np.ndarray
    """Shape ``(n, 10)``, float64, SPEC order."""
    labels: tuple[str, ...]
    """The music's emotion class per pair (given, or derived from the quadrant)."""
    labels_given: bool
    """Whether the labels came from an ``audio_label`` column."""
    sha256: str
    """Hash of the data (of the file's bytes when read from a file)."""

    def __len__(self) -> int:
        return int(self.video.shape[0])

    def subset(self, rows: np.ndarray) -> Pairs:
        rows = np.asarray(rows)
        return Pairs(self.video[rows], self.music[rows], tuple(self.labels[i] for i in rows), self.labels_given,
                     self.sha256)

    @classmethod
    def from_arrays(cls, video: np.ndarray, music: np.ndarray, labels: list[str] | None = None) -> Pairs:
        video = np.asarray(video, dtype=np.float64).reshape(-1, len(VIDEO))
        music = np.asarray(music, dtype=np.float64).reshape(-1, len(MUSIC))
        if video.shape[0] != music.shape[0]:
            raise InputError(f"{video.shape[0]} video vectors but {music.shape[0]} music vectors")
        if not (np.isfinite(video).all() and np.isfinite(music).all()):
            raise InputError("pairs contain NaN or infinite values")
        digest = hashlib.sha256(video.tobytes() + music.tobytes())
        if labels is not None:
            digest.update("\n".join(labels).encode("utf-8"))
        given = labels is not None
        return cls(video, music, tuple(labels) if given else quadrant_labels(music), given, digest.hexdigest())


def quadrant_labels(music: np.ndarray) -> tuple[str, ...]:
    """The circumplex quadrant of each music vector's arousal and valence (see the module text)."""
    arousal = music[:, MUSIC.index("arousal")]
    valence = music[:, MUSIC.index("valence")]
    high = arousal >= MUSIC["arousal"].center
    positive = valence >= MUSIC["valence"].center
    return tuple(
        QUADRANTS[0] if h and p else QUADRANTS[1] if h else QUADRANTS[3] if p else QUADRANTS[2]
        for h, p in zip(high, positive, strict=True)
    )


def _key(text: str) -> str:
    return "".join(ch for ch in text.strip().lstrip("\ufeff").lower() if ch not in " _-\t")


def _lookup() -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for space, kind in ((VIDEO, "video"), (MUSIC, "music")):
        for dim in space:
            for name in (dim.id, dim.label_en, dim.label_zh, dim.seed_name):
                if name:
                    names.setdefault(_key(name), (kind, dim.id))
    return names


_NAMES = _lookup()


def _number(fields: list[str], col: int, header: list[str] | None, file: Path, line: int) -> float:
    """The number in ``fields[col]``; :class:`InputError` naming the file, line and column if it is not one."""
    cell = fields[col] if col < len(fields) else ""
    value = parse_number(cell)
    if value is None:
        name = header[col].strip() if header else f"column {col + 1}"
        what = "empty" if not cell.strip() else f"not a finite number: {cell.strip()!r}"
        raise InputError(f"{file}: line {line}, {name}: {what}")
    return value


def read_pairs_csv(path: str | os.PathLike[str], *, minimum: int = 1) -> Pairs:
    """Read a pairs CSV; :class:`InputError` with the file, line and column for anything wrong."""
    file = Path(path)
    data = read_input(file, InputError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError(f"{file}: not a text file in UTF-8 or GB18030 encoding") from None
    delimiter = "\t" if "\t" in text.lstrip().split("\n", 1)[0] else ","
    rows = [(n, r) for n, r in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)
            if any(c.strip() for c in r)]
    if not rows:
        raise InputError(f"{file}: the file is empty")
    _, first = rows[0]
    n_video, n_music = len(VIDEO), len(MUSIC)
    numeric_first = len(first) >= n_video + n_music and all(
        parse_number(c) is not None for c in first[: n_video + n_music])
    label_col: int | None = None
    if numeric_first:
        video_cols = list(range(n_video))
        music_cols = list(range(n_video, n_video + n_music))
        label_col = n_video + n_music if len(first) > n_video + n_music else None
        body = rows
    else:
        found: dict[tuple[str, str], int] = {}
        for col, cell in enumerate(first):
            key = _key(cell)
            if key in _NAMES:
                found.setdefault(_NAMES[key], col)
            elif key in _LABEL_HEADERS and label_col is None:
                label_col = col
        missing = [f"{kind} {dim_id}" for kind, space in (("video", VIDEO), ("music", MUSIC))
                   for dim_id in space.ids if (kind, dim_id) not in found]
        if missing:
            raise InputError(f"{file}: header lacks the columns {', '.join(missing)}")
        video_cols = [found[("video", d)] for d in VIDEO.ids]
        music_cols = [found[("music", d)] for d in MUSIC.ids]
        body = rows[1:]
    if len(body) < minimum:
        raise InputError(f"{file}: {len(body)} pairs; at least {minimum} are needed")
    video = np.empty((len(body), n_video))
    music = np.empty((len(body), n_music))
    labels: list[str] = []
    header = None if numeric_first else first
    for i, (line, fields) in enumerate(body):
        for target, cols in ((video, video_cols), (music, music_cols)):
            target[i] = [_number(fields, col, header, file, line) for col in cols]
        if label_col is not None:
            label = fields[label_col].strip() if label_col < len(fields) else ""
            if not label:
                raise InputError(f"{file}: line {line}: empty audio_label")
            labels.append(label)
    pairs = Pairs.from_arrays(video, music, labels if label_col is not None else None)
    return Pairs(pairs.video, pairs.music, pairs.labels, pairs.labels_given, hashlib.sha256(data).hexdigest())


def write_pairs_csv(path: str | os.PathLike[str], pairs: Pairs) -> Path:
    """Write pairs with an id header (video ids, music ids, ``audio_label``)."""
    from core.fileio import atomic_write_text

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*VIDEO.ids, *MUSIC.ids, "audio_label"])
    for v, m, label in zip(pairs.video, pairs.music, pairs.labels, strict=True):
        writer.writerow([*(f"{x:.6g}" for x in v), *(f"{x:.6g}" for x in m), label])
    return atomic_write_text(path, out.getvalue())


def read_video_csv(path: str | os.PathLike[str]) -> tuple[list[str], np.ndarray]:
    """(row names, video vectors of shape ``(n, 11)``) from a CSV of video features.

    A header names the 11 columns (id, English or Chinese label, any order) and may have
    a name column (``file``, ``name``, ``video``...); without a header each row is an
    optional name followed by the 11 numbers in SPEC order.
    """
    file = Path(path)
    try:
        text = read_input(file, InputError).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{file}: cannot read as UTF-8 text ({exc})") from None
    rows = [(n, r) for n, r in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
            if any(c.strip() for c in r)]
    if not rows:
        raise InputError(f"{file}: the file is empty")
    n_video = len(VIDEO)
    _, first = rows[0]
    if len(first) >= n_video and all(parse_number(c) is not None for c in first[-n_video:]):
        video_cols = list(range(len(first) - n_video, len(first)))
        name_col = 0 if len(first) > n_video else None
        body, header = rows, None
    else:
        found = {}
        for col, cell in enumerate(first):
            match = _NAMES.get(_key(cell))
            if match is not None and match[0] == "video":
                found.setdefault(match[1], col)
        missing = [d for d in VIDEO.ids if d not in found]
        if missing:
            raise InputError(f"{file}: header lacks the video feature columns {', '.join(missing)}")
        video_cols = [found[d] for d in VIDEO.ids]
        others = [c for c in range(len(first)) if c not in video_cols]
        name_col = others[0] if others else None
        body, header = rows[1:], first
    if not body:
        raise InputError(f"{file}: no rows (only a header line)")
    names: list[str] = []
    video = np.empty((len(body), n_video))
    for i, (line, fields) in enumerate(body):
        video[i] = [_number(fields, col, header, file, line) for col in video_cols]
        names.append(fields[name_col].strip() if name_col is not None and name_col < len(fields) else str(i))
    return names, video
