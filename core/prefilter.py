"""The float32 first pass of :mod:`core.match`: rows that may be in the exact top K, found in one scan.

A query reads a column-major float32 matrix ``[z^2; z]`` of the standardised library once
(a single matrix-vector product; for Euclidean distance ``d^2 = z^2 . w - 2 z . (w q) +
q . (w q)``), and keeps every row whose approximate value is within a rigorous bound on
float32 rounding of a proven top-K threshold. :mod:`core.match` then recomputes those few
candidates exactly in float64, so the answer is the exact ranking at about the cost of
reading the matrix once.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["ApproxPass", "select_candidates"]

_EPS32 = float(np.finfo(np.float32).eps)


class ApproxPass:
    """Column-major float32 copies of the standardised library for the one-pass scan.

    The approximate values it returns are float32 and need not be distances themselves,
    only the same order up to the returned error bound (a constant shift is dropped).
    """

    def __init__(self, z: np.ndarray) -> None:
        columns = np.ascontiguousarray(z.T)
        n_dims = columns.shape[0]
        # Rows 0..d-1 hold z^2, rows d..2d-1 hold z: one gemv gives sum w z^2 - 2 sum w q z.
        self.stacked = np.empty((2 * n_dims, columns.shape[1]), dtype=np.float32)
        np.multiply(columns, columns, out=self.stacked[:n_dims])
        self.stacked[n_dims:] = columns
        self.n_dims = n_dims
        self.max_abs = np.abs(z).max(axis=0).astype(np.float64) if z.size else np.zeros(n_dims)

    def euclidean_squared(self, q: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, float]:
        """``d^2 - q.(w q)`` for every row (float32) and a bound on its absolute error."""
        coeffs = np.concatenate([w, -2.0 * w * q]).astype(np.float32)
        approx = np.dot(coeffs, self.stacked)
        # |error| <= c * eps32 * sum_i |terms|; terms bounded by the column maxima.
        magnitude = float(np.dot(w, self.max_abs**2 + 2.0 * np.abs(q) * self.max_abs))
        tol = 8.0 * (2 * self.n_dims + 4) * _EPS32 * magnitude
        return approx, tol

    def cosine(self, q: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, float]:
        """Cosine distances (1 for zero rows) as float32 and an absolute error bound.

        The query's weighted norm must be non-zero.
        """
        d = self.n_dims
        norm_sq = np.dot(w.astype(np.float32), self.stacked[:d])
        dots = np.dot((w * q).astype(np.float32), self.stacked[d:])
        query_norm = np.float32(math.sqrt(float(np.dot(w, q * q))))
        # A zero row has a zero dot product, so clamping its norm gives cos 0, distance 1.
        np.maximum(norm_sq, np.finfo(np.float32).tiny, out=norm_sq)
        np.sqrt(norm_sq, out=norm_sq)
        norm_sq *= query_norm
        np.divide(dots, norm_sq, out=dots)
        np.subtract(np.float32(1.0), dots, out=dots)
        # Both dot and norm carry a relative error of a few (2d) eps32 (Cauchy-Schwarz
        # bounds the dot error by the norms), so the cosine error is bounded absolutely.
        tol = 8.0 * (2 * d + 8) * _EPS32
        return dots, tol


def select_candidates(approx: np.ndarray, tol: float, k: int) -> np.ndarray:
    """Indices whose approximate value is within ``2 * tol`` of a proven top-k threshold.

    The k-th smallest approximate value of any subset is at least the k-th smallest of
    all rows, so it gives a threshold ``t`` with at least k rows of exact value
    ``<= t + tol``; every row of the exact top k (ties included) then has an approximate
    value ``<= t + 2 tol``. A strided sample gives a first threshold cheaply; when that
    still leaves many rows, the threshold is tightened on the survivors.
    """
    n = approx.shape[0]
    stride = max(1, n // 8192)
    sample = approx[::stride]
    if sample.shape[0] < k:
        sample = approx
    threshold = float(np.partition(sample, k - 1)[k - 1])
    candidates = np.flatnonzero(approx <= _round_up(threshold + 2.0 * tol, approx.dtype))
    if candidates.shape[0] > 4 * 8192:
        values = approx[candidates]
        threshold = float(np.partition(values, k - 1)[k - 1])
        candidates = candidates[values <= _round_up(threshold + 2.0 * tol, approx.dtype)]
    return candidates


def _round_up(value: float, dtype: np.dtype) -> np.floating:
    """``value`` in ``dtype``, rounded towards +inf so a comparison never gets stricter."""
    cast = dtype.type(value)
    if float(cast) < value:
        cast = np.nextafter(cast, dtype.type(np.inf))
    return cast
