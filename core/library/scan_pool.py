"""Worker processes for a local scan that survive a file which kills or hangs its worker.

:class:`concurrent.futures.ProcessPoolExecutor` cannot do this: when one worker dies (the
kernel's OOM killer, a decoder that segfaults, a ``kill -9``) every pending future fails
with ``BrokenProcessPool`` and it cannot say which file was to blame, and it has no way
to stop a call that never returns. Here every worker has its own pipe and works on one
file at a time, so the parent always knows which file a worker holds:

* a worker that dies takes only its own file with it: that file is reported lost with
  the signal ("analysis worker was killed (signal 9, SIGKILL)"), a fresh worker takes
  its place and the scan goes on;
* a file gets ``max(floor_s, per_second x its duration)`` seconds (its duration read
  from its header by the worker first; only the floor while that is unknown); past that
  its worker is killed and the file reported lost ("analysis took longer than N s");
* every other file is analysed exactly once.

The Ray scan (:mod:`core.library.cluster`) meets the same faults through Ray's own
retries; both end in the same ``lost(item, reason)`` callback shape.

Fault injection for tests: a worker (never the parent) reads ``MUSICMATCH_TEST_CRASH_ON``
and ``MUSICMATCH_TEST_HANG_ON``, comma-separated file names; on such a file it sends
itself ``SIGKILL`` or sleeps for an hour before any work.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from core.errors import Cancelled
from core.jobs import CancelToken

__all__ = ["FileLimits", "WorkerStartError", "run_isolated"]

_CRASH_ON = "MUSICMATCH_TEST_CRASH_ON"
_HANG_ON = "MUSICMATCH_TEST_HANG_ON"
_POLL_S = 0.2
"""Longest wait between checks of the deadlines and the cancel flag."""
_START_S = 120.0
"""Seconds a new worker may take to start (Python, numpy and the decoders load; slow on a busy machine)."""


@dataclass(frozen=True)
class FileLimits:
    """How long one file may take before its worker is killed and the file skipped."""

    floor_s: float = 120.0
    """Seconds every file may take whatever its duration (also the limit while its duration is
    unknown). Analysis runs at ~100x real time on one core, so this is far above a healthy file."""
    per_second: float = 2.0
    """Seconds allowed per second of audio for long files (10 minutes of music: 20 minutes)."""
    longest_s: float = 900.0
    """Audio beyond this is not decoded (the analysis reads the first 15 minutes), so a longer file
    gets no more time than this much audio."""

    def limit(self, duration_s: float | None) -> float:
        """Seconds a file of ``duration_s`` seconds (``None``: unknown) may take."""
        if duration_s is None or not duration_s > 0:
            return self.floor_s
        return max(self.floor_s, self.per_second * min(float(duration_s), self.longest_s))


class WorkerStartError(RuntimeError):
    """Worker processes die before taking any work: the fault is the program's, not a file's."""


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False
    item: Any = None
    started: float = 0.0
    deadline: float = float("inf")
    limit_s: float = 0.0
    failed_starts: int = field(default=0, repr=False)


def _death_reason(exitcode: int | None) -> str:
    """The skip reason for a worker that ended with ``exitcode`` while analysing a file."""
    if exitcode is not None and exitcode < 0:
        number = -exitcode
        try:
            name = f", {signal.Signals(number).name}"
        except ValueError:
            name = ""
        hint = ": out of memory, or killed from outside" if number == signal.SIGKILL else ""
        return f"analysis worker was killed (signal {number}{name}{hint})"
    return f"analysis worker exited unexpectedly (exit status {exitcode})"


def _names(variable: str) -> set[str]:
    return {name.strip() for name in os.environ.get(variable, "").split(",") if name.strip()}


def _worker_main(conn: Connection, task: Callable, probe: Callable, init: Callable | None) -> None:
    """A worker's loop: announce itself, then per item: duration, result. Runs in the child."""
    # Ctrl-C reaches the whole process group: the parent decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if init is not None:
        init()
    crash_on, hang_on = _names(_CRASH_ON), _names(_HANG_ON)
    conn.send(("ready", None))
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        name = os.path.basename(str(item[0]))
        if name in crash_on:
            os.kill(os.getpid(), signal.SIGKILL)
        if name in hang_on:
            time.sleep(3600)
        try:
            duration = probe(*item)
        except Exception:  # the probe only sets the time limit; the analysis names any real problem
            duration = None
        conn.send(("started", duration))
        conn.send(("done", task(*item)))


def run_isolated(
    items: Sequence[tuple],
    task: Callable[..., Any],
    *,
    workers: int,
    store: Callable[[tuple, Any], None],
    lost: Callable[[tuple, str], None],
    probe: Callable[..., float | None],
    limits: FileLimits | None = None,
    init: Callable[[], None] | None = None,
    cancel: CancelToken | None = None,
) -> None:
    """Run ``task(*item)`` for every item in worker processes, one item per worker at a time.

    Parameters
    ----------
    items : sequence of tuple
        Work items; ``item[0]`` is the file path (shown in reasons, matched by the test hooks).
    task : callable
        A module-level function (it is pickled by name for the ``spawn`` start method) that
        must not raise for a bad file.
    workers : int
        Worker processes (at most one per item).
    store : callable
        ``store(item, result)`` in this process for every finished item, in finishing order.
    lost : callable
        ``store``'s counterpart for an item whose worker died or ran past its time limit.
    probe : callable
        ``probe(*item) -> seconds | None``, run in the worker before ``task``: the file's
        duration, for its time limit.
    limits : FileLimits, optional
        The per-file time limit (default :class:`FileLimits`).
    init : callable, optional
        Run once in each new worker (e.g. quieting its stderr).

    Raises
    ------
    Cancelled
        ``cancel`` was set; the workers are killed, every stored result is kept.
    WorkerStartError
        New workers die before taking any work, twice in a row.
    """
    limits = limits or FileLimits()
    queue = list(reversed(items))
    context = multiprocessing.get_context("spawn")  # same on every OS, safe beside Qt threads
    pool: list[_Worker] = []
    start_failures = 0

    def start() -> _Worker:
        parent, child = context.Pipe(duplex=True)
        process = context.Process(target=_worker_main, args=(child, task, probe, init), daemon=True)
        process.start()
        child.close()
        return _Worker(process=process, conn=parent, deadline=time.monotonic() + _START_S)

    def retire(worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()
        pool.remove(worker)

    def replace(worker: _Worker) -> None:
        retire(worker)
        if queue:
            pool.append(start())

    try:
        for _ in range(max(1, min(workers, len(items)))):
            pool.append(start())
        while pool and (queue or any(w.item is not None for w in pool)):
            for worker in pool:
                if worker.ready and worker.item is None and queue:
                    worker.item = queue.pop()
                    worker.started = time.monotonic()
                    worker.limit_s = limits.floor_s
                    worker.deadline = worker.started + worker.limit_s
                    worker.conn.send(worker.item)
            waiting = [w.conn for w in pool] + [w.process.sentinel for w in pool]
            next_deadline = min((w.deadline for w in pool), default=float("inf"))
            wait(waiting, timeout=max(0.0, min(_POLL_S, next_deadline - time.monotonic())))
            for worker in list(pool):
                alive = True
                try:
                    while worker.conn.poll():
                        kind, value = worker.conn.recv()
                        if kind == "ready":
                            worker.ready, worker.deadline = True, float("inf")
                            start_failures = 0
                        elif kind == "started":
                            worker.limit_s = limits.limit(value)
                            worker.deadline = worker.started + worker.limit_s
                        else:
                            item, worker.item, worker.deadline = worker.item, None, float("inf")
                            store(item, value)
                except (EOFError, OSError):
                    alive = False
                if alive and worker.process.is_alive() and time.monotonic() <= worker.deadline:
                    continue
                if alive and worker.process.is_alive() and worker.item is not None:  # past its limit: skip its file
                    item = worker.item
                    replace(worker)
                    lost(item, f"analysis took longer than {worker.limit_s:.0f} s (the limit for this file)")
                    continue
                if alive and worker.process.is_alive():  # a worker that did not get ready in time
                    worker.process.kill()
                worker.process.join(timeout=5)  # its pipe closed: it is ending; wait for its exit status
                item = worker.item
                if not worker.ready:
                    start_failures += 1
                    if start_failures >= 2:
                        raise WorkerStartError(
                            f"analysis worker processes exit before starting ({_death_reason(worker.process.exitcode)})"
                        )
                replace(worker)
                if item is not None:
                    lost(item, _death_reason(worker.process.exitcode))
            if cancel is not None and cancel.cancelled:
                raise Cancelled()
    finally:
        for worker in pool:
            if worker.item is None and worker.process.is_alive():
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
        for worker in list(pool):
            if worker.item is not None:
                worker.process.kill()  # cancelled or failed with work in flight: do not wait for it
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=5)
            worker.conn.close()
