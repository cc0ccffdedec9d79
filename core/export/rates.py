"""Frame rates and timecode for exports, at any clip frame rate.

Editing formats count time in frames of a timeline rate, and each has its own limits:

- FCP 7 XML writes a rate as a whole ``timebase`` plus an ``ntsc`` flag (``timebase *
  1000/1001``), so 8, 15, 24, 120 and 23.976, 29.97, 59.94, 119.88 fps are exact, but
  12.5 fps is not a rate it can name.
- CMX 3600 EDL timecode is ``HH:MM:SS:FF`` with two frame digits at a whole-number rate.
- OpenTimelineIO's SMPTE timecode functions accept only the common broadcast rates (23.976
  to 60 fps) and refuse 8, 12.5, 15, 100 or 120 fps, which clips from phones, screen
  recorders and high-speed cameras have.

:func:`edit_rate` chooses the timeline rate for a clip (the clip's own rate whenever a
format can name it; see its rules), and :func:`timecode` formats non-drop-frame timecode
at any whole-number rate without OpenTimelineIO's rate table.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Iterator
from types import SimpleNamespace

import opentimelineio as otio

from core.errors import ProjectError

__all__ = ["MAX_FPS", "MIN_FPS", "edit_rate", "edl_rate", "is_ntsc", "nominal", "smpte_at_any_rate", "timecode"]

MIN_FPS = 0.5
"""Slowest frame rate an export accepts (a time-lapse at one frame every two seconds)."""
MAX_FPS = 1000.0
"""Fastest frame rate an export accepts."""
# How far (relative) a container's average rate may sit from the rate it stands for; NTSC
# rates are 0.1 % off the whole rate, so this must stay well under that.
_TOLERANCE = 0.0003


def _near(value: float, target: float) -> bool:
    return abs(value - target) <= _TOLERANCE * max(1.0, target)


def is_ntsc(rate: float) -> bool:
    """True for ``n * 1000/1001`` rates (23.976, 29.97, 59.94, 119.88 ...)."""
    n = round(rate * 1.001)
    return n > 0 and _near(rate, n * 1000 / 1001) and not _near(rate, round(rate))


def nominal(rate: float) -> int:
    """The whole frames per second timecode counts at ``rate`` (30 for 29.97)."""
    return max(1, round(rate * 1.001) if is_ntsc(rate) else round(rate))


def edit_rate(fps: float) -> float:
    """The timeline rate for a clip whose container reports ``fps``.

    1. A whole number of frames per second (within 0.03 %) is used as it is: 8, 15, 24, 120.
    2. An NTSC rate ``n * 1000/1001`` is used exactly: 23.976, 29.97, 59.94.
    3. A rate that 2, 3 or 4 times makes whole (12.5 -> 25, 7.5 -> 15) runs the timeline at
       that multiple: every clip frame still starts on a timeline frame.
    4. Anything else (the average rate of a variable-frame-rate phone clip, 29.87) is
       rounded to the nearest whole rate: such a clip has no fixed frame grid to keep.

    Raises
    ------
    ProjectError
        ``fps`` is not a number between :data:`MIN_FPS` and :data:`MAX_FPS`.
    """
    if not isinstance(fps, (int, float)) or not math.isfinite(fps) or not MIN_FPS <= fps <= MAX_FPS:
        raise ProjectError(f"the project's video frame rate {fps!r} fps is not a video frame rate "
                           f"({MIN_FPS:g} to {MAX_FPS:g} fps); analyse the clip again")
    if _near(fps, round(fps)) and round(fps) >= 1:
        return float(round(fps))
    n = round(fps * 1.001)
    if _near(fps, n * 1000 / 1001):
        return n * 1000 / 1001
    for multiple in (2, 3, 4):
        if _near(fps * multiple, round(fps * multiple)):
            return float(round(fps * multiple))
    return float(max(1, round(fps)))


def edl_rate(rate: float) -> float:
    """The rate EDL timecode counts at for a timeline at ``rate``.

    The timeline's own rate up to 60 fps. A faster one is divided by the smallest whole
    number that gives a whole or NTSC rate of at most 60 fps (120 -> 60, 100 -> 50,
    119.88 -> 59.94, 75 -> 25), since CMX 3600 has two frame digits; times are then
    rounded to that coarser grid (at most half of one of its frames off).
    """
    if nominal(rate) <= 60:
        return rate
    for divisor in range(2, 1001):
        slower = rate / divisor
        if nominal(slower) <= 60 and (_near(slower, round(slower)) or is_ntsc(slower)):
            return float(round(slower)) if _near(slower, round(slower)) else slower
    return 60.0


def timecode(frames: int, rate: float) -> str:
    """Non-drop-frame ``HH:MM:SS:FF`` for a frame count at ``rate`` (frames counted at :func:`nominal`)."""
    base = nominal(rate)
    sign = "-" if frames < 0 else ""
    frames = abs(int(frames))
    seconds, ff = divmod(frames, base)
    minutes, ss = divmod(seconds, 60)
    hh, mm = divmod(minutes, 60)
    width = max(2, len(str(base - 1)))
    return f"{sign}{hh:02d}:{mm:02d}:{ss:02d}:{ff:0{width}d}"


_patch_lock = threading.Lock()


@contextlib.contextmanager
def smpte_at_any_rate(module) -> Iterator[None]:
    """Let an OTIO adapter ``module`` that calls ``opentime.to_timecode`` write any rate.

    The FCP XML adapter writes a timecode element for every file and sequence through
    OpenTimelineIO's ``to_timecode``, which refuses rates outside its broadcast table (the
    cause of "SMPTE timecode does not support this rate"). Inside this block the adapter
    sees ``opentime`` with only that function replaced: rates the table knows are
    formatted by OpenTimelineIO as before, others by :func:`timecode`. A lock keeps two
    exports from swapping the module attribute under each other.
    """
    original = module.opentime

    def to_timecode(time, rate=None, drop_frame=None):
        rate = float(rate if rate is not None else time.rate)
        try:
            if drop_frame is None:
                return original.to_timecode(time, rate)
            return original.to_timecode(time, rate, drop_frame)
        except ValueError:
            return timecode(round(time.value_rescaled_to(rate)), rate)

    names = {name: getattr(original, name) for name in dir(original) if not name.startswith("__")}
    shim = SimpleNamespace(**{**names, "to_timecode": to_timecode})
    with _patch_lock:
        module.opentime = shim
        try:
            yield
        finally:
            module.opentime = original


def otio_rate_supported(rate: float) -> bool:
    """Whether OpenTimelineIO's own SMPTE functions accept ``rate``."""
    try:
        otio.opentime.to_timecode(otio.opentime.RationalTime(0, rate), rate)
    except ValueError:
        return False
    return True
