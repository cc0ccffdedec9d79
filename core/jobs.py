"""The contract every long-running engine function follows.

A long job takes two keyword-only arguments::

    def extract_video(path, *, progress: ProgressFn | None = None,
                      cancel: CancelToken | None = None) -> VideoAnalysis: ...

``progress(fraction, message)`` reports a fraction in ``0..1`` and a short message;
``cancel.raise_if_cancelled()`` is called at loop boundaries (per frame batch, per
track, per epoch, per trial) and raises :class:`~core.errors.Cancelled`. The GUI passes
its job's signal as ``progress`` and a token it sets from the Cancel button; the command
line passes a text progress printer and a token set on Ctrl+C.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from core.errors import Cancelled

__all__ = ["CancelToken", "ProgressFn", "prefetch", "report", "scaled_progress", "throttled_progress"]

T = TypeVar("T")

ProgressFn = Callable[[float, str], None]
"""``progress(fraction, message)``: fraction of the job done in ``0..1`` and what it is doing."""


class CancelToken:
    """A thread-safe cancel flag that long jobs check at loop boundaries.

    Wraps a :class:`threading.Event`; setting it from any thread (the GUI's Cancel
    button, a signal handler) makes the next :meth:`raise_if_cancelled` raise.
    """

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop at its next loop boundary."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` has been called."""
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        """Raise :class:`~core.errors.Cancelled` if cancellation was requested."""
        if self._event.is_set():
            raise Cancelled()


def report(progress: ProgressFn | None, fraction: float, message: str) -> None:
    """Call ``progress`` if one was given, with ``fraction`` clipped to ``0..1``."""
    if progress is not None:
        progress(min(1.0, max(0.0, float(fraction))), message)


def scaled_progress(progress: ProgressFn | None, start: float, stop: float) -> ProgressFn | None:
    """Map a sub-job's ``0..1`` onto ``start..stop`` of the caller's progress.

    Lets a pipeline hand each stage its own progress function, e.g. decoding gets
    ``0..0.8`` and feature computation ``0.8..1``.
    """
    if progress is None:
        return None
    span = stop - start

    def sub(fraction: float, message: str) -> None:
        report(progress, start + span * min(1.0, max(0.0, fraction)), message)

    return sub


def throttled_progress(
    progress: ProgressFn | None, *, per_second: float = 20.0, clock: Callable[[], float] = time.monotonic
) -> ProgressFn | None:
    """Pass at most ``per_second`` reports through, always including the final ``1.0``.

    A frame loop may report thousands of times a second; a GUI only needs about 20.
    """
    if progress is None:
        return None
    min_gap = 1.0 / per_second
    last = [-float("inf")]

    def throttled(fraction: float, message: str) -> None:
        now = clock()
        if fraction >= 1.0 or now - last[0] >= min_gap:
            last[0] = now
            progress(fraction, message)

    return throttled


_DONE = object()


def prefetch(items: Iterator[T], depth: int = 4, *, name: str = "prefetch") -> Iterator[T]:
    """Run the producer ``items`` in a background thread, up to ``depth`` items ahead.

    Made for pipelines whose producer spends its time in C code that releases the GIL
    (FFmpeg decoding and scaling, OpenCV): the producer works on the next items while the
    consumer analyses the current one, so the two overlap on separate cores. Items arrive
    in order; an exception in the producer is raised in the consumer at the point where
    its item would have arrived. Closing the returned generator early (``break``, an
    exception in the consumer, garbage collection) stops the producer and closes ``items``.
    """
    slots: queue.Queue = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def put(entry: object) -> bool:
        while not stop.is_set():
            try:
                slots.put(entry, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((item, None)):
                    break
        except BaseException as exc:  # handed to the consumer, which re-raises it
            put((_DONE, exc))
        else:
            put((_DONE, None))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=produce, name=name, daemon=True)
    worker.start()
    try:
        while True:
            item, error = slots.get()
            if item is _DONE:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        worker.join()
