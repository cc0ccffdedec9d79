"""Rank a library of feature vectors against a target vector (SPEC.md §3).

Distances
---------
Vectors are first standardised with the fixed per-dimension constants of
:mod:`core.features` (``z = (x - center) / scale``; ``raw=True`` skips this and uses the
numbers as they are, which reproduces the customer's original script). Weights
``w_i >= 0`` act as a ``sqrt(w_i)`` scaling of both vectors; dimensions that are not
selected get weight 0. Then

* Euclidean: ``d = sqrt(sum_i w_i (x_i - q_i)^2)``
* cosine: ``d = 1 - cos(sqrt(w) * x, sqrt(w) * q)``; when either weighted vector is zero
  the cosine is undefined and the distance is 1 (no similarity).

Each result also carries every selected dimension's share of its distance (shares sum
to 1): ``w_i (x_i - q_i)^2 / d^2`` for Euclidean, and for cosine the same split of
``1 - cos = 0.5 * sum_i (u_i - v_i)^2`` over the unit vectors ``u``, ``v``.

Ties keep library order: results are sorted by ``(distance, index)``.

Speed
-----
The library holds its vectors as float32. A query makes one pass over a cached
column-major float32 matrix ``[z^2; z]`` (for Euclidean,
``d^2 = z^2 . w - 2 z . (w q) + q . (w q)`` is a single matrix-vector product, so new
weights cost no more than old ones), keeps every row whose approximate distance can
still be within the top K given a rigorous bound on float32 rounding, and recomputes
those few candidates exactly in float64 (the first pass lives in :mod:`core.prefilter`).
The answer is therefore the exact float64 ranking of the stored values, at about the
cost of reading the matrix once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from core.errors import InputError
from core.features import MUSIC, FeatureSpace
from core.prefilter import ApproxPass, select_candidates

__all__ = [
    "METRICS",
    "MatchResult",
    "MatchRow",
    "MatchSettings",
    "TrackIndex",
    "match_percent",
    "parse_weights",
]

Metric = Literal["euclidean", "cosine"]
METRICS: tuple[str, ...] = ("euclidean", "cosine")

_TINY = 1e-12
"""Standardised values and weights smaller than this in magnitude count as exactly zero.

It keeps the float32 pass and the float64 check in agreement about which vectors are
zero (cosine is undefined there); no real feature value is that close to its centre.
"""
_LARGEST = 1e12
"""Largest accepted magnitude of a feature value; far beyond every documented range,
small enough that squares and sums stay exact enough in float32."""
_EXACT_BELOW = 4096
"""Libraries smaller than this are ranked exactly in float64 without the float32 pass."""


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """How to compare vectors: metric, selected dimensions, weights, scaling and K.

    Build with :meth:`create`, which validates every field; the constructor assumes
    valid values.
    """

    space: FeatureSpace = MUSIC
    """The feature space being compared (the music space for track matching)."""
    metric: Metric = "euclidean"
    """``"euclidean"`` (default) or ``"cosine"``."""
    dims: tuple[str, ...] = MUSIC.ids
    """Selected dimension ids, in vector order."""
    weights: tuple[float, ...] = (1.0,) * len(MUSIC)
    """One weight per dimension of the space (all of them), each ``>= 0``."""
    raw: bool = False
    """Skip the fixed standardisation (the customer's original, unscaled distance)."""
    top_k: int = 5
    """Number of results to return (fewer when the library is smaller)."""

    @classmethod
    def create(
        cls,
        *,
        space: FeatureSpace = MUSIC,
        metric: str = "euclidean",
        dims: str | Sequence[str] | None = "all",
        weights: Mapping[str, float] | None = None,
        raw: bool = False,
        top_k: int = 5,
    ) -> MatchSettings:
        """Validate options and build settings.

        Parameters
        ----------
        metric : {"euclidean", "cosine"}
        dims : str or sequence of str
            ``"all"``, ``"va"``, a comma-separated string or a sequence of ids.
        weights : mapping of id to float, optional
            Weights for some dimensions; the rest default to 1. Weights of dimensions
            that are not selected are kept (the GUI remembers them) but have no effect.
        raw : bool
            Compare unscaled values.
        top_k : int
            At least 1.
        """
        metric_name = str(metric).strip().lower()
        if metric_name not in METRICS:
            raise InputError(f"unknown metric {metric!r}; use 'euclidean' or 'cosine'")
        selected = space.select(dims)
        full = [1.0] * len(space)
        for dim_id, value in (weights or {}).items():
            weight = _as_float(value, f"weight for {dim_id!r}")
            if weight < 0:
                raise InputError(f"weight for {dim_id!r} is negative ({weight:g}); weights must be >= 0")
            full[space.index(dim_id)] = weight
        if isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer)):
            raise InputError(f"top-k must be a whole number, got {top_k!r}")
        if top_k < 1:
            raise InputError(f"top-k must be at least 1, got {top_k}")
        return cls(space, metric_name, selected, tuple(full), bool(raw), int(top_k))  # type: ignore[arg-type]

    def effective_weights(self) -> np.ndarray:
        """Float64 weights over the whole space: the given weight if selected, else 0."""
        selected = np.zeros(len(self.space), dtype=bool)
        selected[[self.space.index(d) for d in self.dims]] = True
        weights = np.where(selected, np.asarray(self.weights, dtype=np.float64), 0.0)
        weights[weights < _TINY] = 0.0
        return weights


def _as_float(value: object, what: str) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{what} is not a number: {value!r}") from None
    if not math.isfinite(number):
        raise InputError(f"{what} is not finite: {value!r}")
    return number


def parse_weights(text: str, space: FeatureSpace = MUSIC) -> dict[str, float]:
    """Parse ``"id=w,id=w"`` into ``{id: w}``; unknown ids and bad numbers raise InputError."""
    weights: dict[str, float] = {}
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        dim_id, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"weight {item!r} is not of the form id=number")
        dim_id = dim_id.strip()
        space.index(dim_id)
        weight = _as_float(value.strip(), f"weight for {dim_id!r}")
        if weight < 0:
            raise InputError(f"weight for {dim_id!r} is negative ({weight:g}); weights must be >= 0")
        weights[dim_id] = weight
    if not weights:
        raise InputError("no weights given; use id=number pairs separated by commas")
    return weights


@dataclass(frozen=True, slots=True)
class MatchRow:
    """One ranked track."""

    rank: int
    """1-based position in the ranking."""
    index: int
    """0-based row of the track in the library."""
    name: str
    """Track name or path; the row index as text when the library has no names."""
    distance: float
    """Distance to the target under the settings used."""
    shares: dict[str, float]
    """Each selected dimension's share of the distance (sums to 1, or all 0 at distance 0)."""


@dataclass(frozen=True)
class MatchResult:
    """The top K of one query: arrays in rank order plus the settings that made them."""

    settings: MatchSettings
    indices: np.ndarray
    """Library rows, shape ``(k,)``, int64."""
    distances: np.ndarray
    """Distances, shape ``(k,)``, float64."""
    shares: np.ndarray
    """Shares of the distance, shape ``(k, len(settings.dims))``."""
    names: tuple[str, ...] = field(default=())
    """Names of the ranked rows, shape ``(k,)``."""

    def __len__(self) -> int:
        return int(self.indices.shape[0])

    def rows(self) -> list[MatchRow]:
        """The results as :class:`MatchRow` records, rank 1 first."""
        dims = self.settings.dims
        return [
            MatchRow(
                rank=position + 1,
                index=int(self.indices[position]),
                name=self.names[position],
                distance=float(self.distances[position]),
                shares={d: float(s) for d, s in zip(dims, self.shares[position], strict=True)},
            )
            for position in range(len(self))
        ]

    def to_json(self) -> dict:
        """The ``match``/``recommend`` JSON document of SPEC.md §4."""
        settings = self.settings
        return {
            "metric": settings.metric,
            "dims": list(settings.dims),
            "raw": settings.raw,
            "weights": {d: settings.weights[settings.space.index(d)] for d in settings.dims},
            "results": [
                {
                    "rank": row.rank,
                    "index": row.index,
                    "name": row.name,
                    "distance": row.distance,
                    "shares": row.shares,
                }
                for row in self.rows()
            ],
        }


def match_percent(distance: float | np.ndarray, settings: MatchSettings) -> float | np.ndarray:
    """An absolute 0-100 score of a distance alone (the window's "Match %"; docs/matching.md).

    It depends only on the distance and the settings that produced it, never on the other
    tracks listed, so the same track against the same target reads the same at any top-K
    and in any library size.

    * Euclidean: ``100 * exp(-r^2 / 2)`` with ``r = d / sqrt(sum of effective weights)``,
      the weighted root-mean-square difference per selected dimension in standardised
      units (one unit is a dimension's fixed ``scale``). Dividing by the weights keeps the
      score comparable when dimensions are switched on or off: a track one unit off on
      every dimension scores 61, half a unit 88, two units 14.
    * Cosine: ``100 * (1 - d / 2)``: 100 for the same direction, 50 at right angles, 0 opposite.

    Parameters
    ----------
    distance : float or ndarray
        Distances returned by :meth:`TrackIndex.rank` under ``settings``.
    settings : MatchSettings
    """
    d = np.asarray(distance, dtype=np.float64)
    if settings.metric == "cosine":
        score = 100.0 * np.clip(1.0 - d / 2.0, 0.0, 1.0)
    else:
        total = float(settings.effective_weights().sum())
        rms = d / math.sqrt(total) if total > 0 else np.zeros_like(d)
        score = 100.0 * np.exp(-0.5 * np.square(rms))
    return float(score) if score.ndim == 0 else score


class TrackIndex:
    """A library of feature vectors held as a float32 matrix, ready for repeated queries.

    Parameters
    ----------
    features : array_like, shape (n_tracks, n_dims)
        One row per track, columns in the space's order. Stored as float32.
    names : sequence of str, optional
        One name (title or path) per row; defaults to the row index.
    space : FeatureSpace
        The space of the columns; :data:`core.features.MUSIC` by default.
    """

    def __init__(
        self,
        features: np.ndarray | Sequence[Sequence[float]],
        names: Sequence[str] | None = None,
        *,
        space: FeatureSpace = MUSIC,
    ) -> None:
        matrix = np.asarray(features, dtype=np.float64)
        if matrix.ndim != 2 or matrix.shape[1] != len(space):
            raise InputError(
                f"library vectors must have {len(space)} {space.name} columns, got shape {matrix.shape}"
            )
        bad = np.argwhere(~np.isfinite(matrix))
        if bad.size:
            row, col = bad[0]
            raise InputError(f"library row {row} ({space.ids[col]}) is not a finite number")
        too_big = np.argwhere(np.abs(matrix) > _LARGEST)
        if too_big.size:
            row, col = too_big[0]
            raise InputError(
                f"library row {row} ({space.ids[col]}) is implausibly large: {matrix[row, col]:g}"
            )
        single = matrix.astype(np.float32)
        self.space = space
        self._raw = np.ascontiguousarray(single)
        self._raw.setflags(write=False)
        if names is None:
            self.names: tuple[str, ...] = tuple(str(i) for i in range(len(single)))
        else:
            self.names = tuple(str(n) for n in names)
            if len(self.names) != len(single):
                raise InputError(f"{len(self.names)} names for {len(single)} library rows")
        self._passes: dict[bool, ApproxPass] = {}

    def __len__(self) -> int:
        return int(self._raw.shape[0])

    @property
    def features(self) -> np.ndarray:
        """The stored float32 vectors, shape ``(n_tracks, n_dims)``, read-only."""
        return self._raw

    # -- public queries -----------------------------------------------------------

    def rank(self, query: Sequence[float] | np.ndarray, settings: MatchSettings | None = None) -> MatchResult:
        """The top ``settings.top_k`` tracks for ``query``, best first, ties in library order.

        Parameters
        ----------
        query : array_like, shape (n_dims,)
            Target vector in the space's order and units.
        settings : MatchSettings, optional
            Defaults to Euclidean over all dimensions, weights 1, top 5.
        """
        settings = self._check_settings(settings)
        q = self._check_query(query)
        n = len(self)
        k = min(settings.top_k, n)
        if n == 0:
            return self._result(settings, np.empty(0, np.int64), np.empty(0), np.empty((0, len(self.space))))
        if n < _EXACT_BELOW:
            candidates = np.arange(n)
        else:
            candidates = self._candidates(q, settings, k)
        dist, terms = self._exact(candidates, q, settings)
        order = np.lexsort((candidates, dist))[:k]
        return self._result(settings, candidates[order], dist[order], terms[order])

    def distances(
        self, query: Sequence[float] | np.ndarray, settings: MatchSettings | None = None
    ) -> np.ndarray:
        """Exact float64 distances from ``query`` to every track, shape ``(n_tracks,)``."""
        settings = self._check_settings(settings)
        q = self._check_query(query)
        return self._exact(np.arange(len(self)), q, settings)[0]

    def ranks_of(
        self,
        queries: np.ndarray,
        own_rows: Sequence[int] | np.ndarray,
        settings: MatchSettings | None = None,
    ) -> np.ndarray:
        """The 1-based rank of track ``own_rows[i]`` in the full ranking for ``queries[i]``.

        The measure behind Recall@K and the median rank (SPEC.md §4): the same exact
        float64 distances and tie order (library order) as :meth:`rank`, computed for many
        queries at once in blocks, so evaluating a model over a pool of thousands of tracks
        takes milliseconds, not a Python loop of :meth:`rank` calls.
        """
        settings = self._check_settings(settings)
        q_all = np.stack([self._check_query(q) for q in np.asarray(queries, dtype=np.float64)]) \
            if len(queries) else np.zeros((0, len(self.space)))
        own = np.asarray(own_rows, dtype=np.int64)
        if own.shape != (q_all.shape[0],) or (own.size and (own.min() < 0 or own.max() >= len(self))):
            raise InputError("ranks_of needs one library row per query, each a valid row index")
        n = len(self)
        x = self._standardise64(self._raw.astype(np.float64), settings.raw)
        w = settings.effective_weights()
        root_w = np.sqrt(w)
        if settings.metric == "cosine":
            a = x * root_w
            norm_a = np.sqrt(_row_sums(a * a))
            ok = norm_a > 0
            u = np.zeros_like(a)
            u[ok] = a[ok] / norm_a[ok, None]
        ranks = np.empty(own.size, dtype=np.int64)
        block = max(1, 2_000_000 // max(n * len(self.space), 1))  # ~16 MB of float64 per block
        columns = np.arange(n)
        for start in range(0, own.size, block):
            q = self._standardise64(q_all[start : start + block], settings.raw)
            if settings.metric == "euclidean":
                # Dimension by dimension into one (queries, tracks) buffer: the same operations in the
                # same order as _exact (difference, square, weight, then a left-to-right sum), so the
                # same float64 distances, without materialising (queries, tracks, dims) temporaries.
                dist = np.empty((q.shape[0], n))
                step = np.empty_like(dist)
                for j in range(x.shape[1]):
                    target = dist if j == 0 else step
                    np.subtract(x[None, :, j], q[:, j, None], out=target)
                    np.multiply(target, target, out=target)
                    np.multiply(target, w[j], out=target)
                    if j:
                        dist += step
                np.sqrt(dist, out=dist)
            else:
                b = q * root_w
                norm_b = np.sqrt(_row_sums(b * b))
                v = np.divide(b, norm_b[:, None], out=np.zeros_like(b), where=norm_b[:, None] > 0)
                cos = np.empty((q.shape[0], n))  # column by column, as for the Euclidean distance above
                step = np.empty_like(cos)
                for j in range(u.shape[1]):
                    np.multiply(u[None, :, j], v[:, j, None], out=cos if j == 0 else step)
                    if j:
                        cos += step
                np.clip(cos, -1.0, 1.0, out=cos)
                cos[:, ~ok] = 0.0
                cos[norm_b == 0, :] = 0.0
                dist = 1.0 - cos
            mine = own[start : start + block]
            d_own = dist[np.arange(mine.size), mine][:, None]
            ahead = (dist < d_own) | ((dist == d_own) & (columns[None, :] < mine[:, None]))
            ranks[start : start + block] = 1 + ahead.sum(axis=1)
        return ranks

    # -- internals ----------------------------------------------------------------

    def _check_query(self, query: Sequence[float] | np.ndarray) -> np.ndarray:
        q = self.space.check_vector(query, what="target vector")
        big = np.flatnonzero(np.abs(q) > _LARGEST)
        if big.size:
            dim_id = self.space.ids[big[0]]
            raise InputError(f"target value for {dim_id!r} is implausibly large: {q[big[0]]:g}")
        return q

    def _check_settings(self, settings: MatchSettings | None) -> MatchSettings:
        if settings is None:
            return MatchSettings.create(space=self.space)
        if settings.space is not self.space:
            raise InputError(
                f"settings are for the {settings.space.name} space, the library is {self.space.name}"
            )
        return settings

    def _standardise64(self, values: np.ndarray, raw: bool) -> np.ndarray:
        z = values.astype(np.float64) if raw else (values - self.space.centers) / self.space.scales
        return np.where(np.abs(z) < _TINY, 0.0, z)

    def _exact(
        self, rows: np.ndarray, query: np.ndarray, settings: MatchSettings
    ) -> tuple[np.ndarray, np.ndarray]:
        """Float64 distances and per-dimension terms for ``rows`` (full space width).

        Every row is computed by the same sequence of elementwise operations, so equal
        vectors get bit-identical distances wherever they sit in the library (a BLAS
        product may round differently by position, which would break tie order).
        """
        w = settings.effective_weights()
        x = self._standardise64(self._raw[rows].astype(np.float64), settings.raw)
        q = self._standardise64(query, settings.raw)
        if settings.metric == "euclidean":
            terms = w * (x - q) ** 2
            return np.sqrt(_row_sums(terms)), terms
        root_w = np.sqrt(w)
        a = x * root_w
        b = q * root_w
        norm_a = np.sqrt(_row_sums(a * a))
        norm_b = float(np.sqrt(_row_sums((b * b)[None, :])[0]))
        ok = norm_a > 0
        u = np.zeros_like(a)
        u[ok] = a[ok] / norm_a[ok, None]
        if norm_b > 0:
            v = b / norm_b
            cos = np.clip(_row_sums(u * v), -1.0, 1.0)
        else:
            v = np.zeros_like(b)
            cos = np.zeros(len(rows))
        cos[~ok] = 0.0
        return 1.0 - cos, (u - v) ** 2

    def _result(
        self, settings: MatchSettings, rows: np.ndarray, dist: np.ndarray, terms: np.ndarray
    ) -> MatchResult:
        cols = [self.space.index(d) for d in settings.dims]
        selected = terms[:, cols]
        totals = selected.sum(axis=1, keepdims=True)
        shares = np.divide(selected, totals, out=np.zeros_like(selected), where=totals > 0)
        return MatchResult(
            settings=settings,
            indices=rows.astype(np.int64),
            distances=dist,
            shares=shares,
            names=tuple(self.names[i] for i in rows),
        )

    def _approx_pass(self, raw: bool) -> ApproxPass:
        cached = self._passes.get(raw)
        if cached is None:
            z = self._standardise64(self._raw.astype(np.float64), raw).astype(np.float32)
            cached = self._passes[raw] = ApproxPass(z)
        return cached

    def _candidates(self, query: np.ndarray, settings: MatchSettings, k: int) -> np.ndarray:
        """Rows that may be in the exact top ``k``: a superset, usually a few dozen rows."""
        w = settings.effective_weights()
        q = self._standardise64(query, settings.raw)
        if not w.any() or (settings.metric == "cosine" and not (w * q * q).any()):
            # Every distance is equal (0, or 1 for a cosine query without direction):
            # library order decides, so the first k rows are the answer.
            return np.arange(k)
        approx_pass = self._approx_pass(settings.raw)
        if settings.metric == "euclidean":
            approx, tol = approx_pass.euclidean_squared(q, w)
        else:
            approx, tol = approx_pass.cosine(q, w)
        return select_candidates(approx, tol, k)


def _row_sums(values: np.ndarray) -> np.ndarray:
    """Sum over the last axis left to right, one column at a time: the same rounding for every row."""
    total = values[..., 0].copy()
    for column in range(1, values.shape[-1]):
        total += values[..., column]
    return total
