"""Timing: a track's bars, phrases and edit points; the best section for a clip; fitting to a length.

Qt-free and built only on numpy (and soundfile/PyAV for rendering), so the audio
analysis below it can call :func:`~core.timing.grid.track_timing` on its by-products.
The formulas are written out in ``docs/timing.md``.
"""

from core.timing.grid import TrackTiming, track_timing
from core.timing.section import ClipTiming, Section, best_section, best_sections

__all__ = ["ClipTiming", "Section", "TrackTiming", "best_section", "best_sections", "track_timing"]
