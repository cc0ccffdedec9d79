"""The fixed mappings every feature formula is written with (music and video alike).

``unit(v, lo, hi)`` maps ``lo..hi`` linearly onto ``0..1`` and clips; ``sym`` maps it
onto ``-1..1``; ``sat(v, s) = 1 - exp(-v / s)`` saturates a non-negative rate (``v = s``
gives 0.63).
"""

from __future__ import annotations

import math

__all__ = ["sat", "sym", "unit"]


def unit(value: float, lo: float, hi: float) -> float:
    """``value`` placed on ``lo..hi`` as ``0..1``, clipped."""
    return float(min(1.0, max(0.0, (value - lo) / (hi - lo))))


def sym(value: float, lo: float, hi: float) -> float:
    """``value`` placed on ``lo..hi`` as ``-1..1``, clipped."""
    return 2.0 * unit(value, lo, hi) - 1.0


def sat(value: float, scale: float) -> float:
    """``1 - exp(-value / scale)`` for ``value >= 0`` (negative values count as 0)."""
    return float(1.0 - math.exp(-max(0.0, value) / scale))
