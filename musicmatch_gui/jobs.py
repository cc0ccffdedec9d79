"""Background jobs: one generic runner for every long engine call, and one place to show errors.

A :class:`Job` is a ``QObject`` moved to its own ``QThread``. It calls an engine function
with ``progress`` (throttled to about 20 reports a second, delivered to the GUI thread as
a queued signal) and a :class:`~core.jobs.CancelToken`; when the function returns or
raises, exactly one of ``succeeded``, ``failed`` or ``cancelled`` is emitted and the
thread ends. The GUI thread never waits on it.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from core.errors import Cancelled, MusicMatchError
from core.jobs import CancelToken, throttled_progress

__all__ = ["Job", "JobRunner", "show_error"]

log = logging.getLogger("musicmatch")


class Job(QObject):
    """Runs ``work(progress=..., cancel=...)`` in a worker thread."""

    progress = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, title: str, work: Callable[..., Any]) -> None:
        super().__init__()
        self.title = title
        self._work = work
        self.token = CancelToken()

    def cancel(self) -> None:
        self.token.cancel()

    @Slot()
    def run(self) -> None:
        report = throttled_progress(lambda f, m: self.progress.emit(f, m), per_second=20)
        try:
            result = self._work(progress=report, cancel=self.token)
        except Cancelled:
            self.cancelled.emit()
        except Exception as exc:  # handed to the GUI thread, which shows it
            exc.traceback_text = traceback.format_exc()  # type: ignore[attr-defined]
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            self.finished.emit()


class _Relay(QObject):
    """Lives in the GUI thread and calls a job's callbacks there.

    A job's signals are emitted in its worker thread; connected to plain Python callables
    (lambdas, closures), Qt would call them right there, in the worker thread, where
    touching a widget crashes. Connected to the slots of an object that lives in the GUI
    thread, they are queued to the GUI thread's event loop instead.
    """

    def __init__(self, runner: JobRunner, job: Job, thread: QThread, on_success, on_failure) -> None:
        super().__init__(runner)
        self.runner, self.job, self.thread = runner, job, thread
        self.on_success, self.on_failure = on_success, on_failure

    @Slot(object)
    def succeeded(self, result: object) -> None:
        if self.on_success is not None:
            self.on_success(result)

    @Slot(object)
    def failed(self, exc: object) -> None:
        if self.on_failure is not None:
            self.on_failure(exc)

    @Slot()
    def thread_finished(self) -> None:
        self.runner._forget(self)


class JobRunner(QObject):
    """Starts jobs on their own threads, calls their callbacks in the GUI thread, keeps them alive."""

    started = Signal(object)
    """A :class:`Job` has started (the status bar shows its progress and a Cancel button)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: dict[Job, _Relay] = {}

    def start(self, title: str, work: Callable[..., Any], *, on_success: Callable[[Any], None] | None = None,
              on_failure: Callable[[BaseException], None] | None = None) -> Job:
        job = Job(title, work)
        thread = QThread()
        job.moveToThread(thread)
        relay = _Relay(self, job, thread, on_success, on_failure)
        thread.started.connect(job.run)
        job.succeeded.connect(relay.succeeded)
        job.failed.connect(relay.failed)
        job.finished.connect(thread.quit)
        thread.finished.connect(relay.thread_finished)
        self._running[job] = relay
        self.started.emit(job)
        thread.start()
        return job

    def _forget(self, relay: _Relay) -> None:
        self._running.pop(relay.job, None)
        relay.thread.wait()
        relay.thread.deleteLater()
        relay.job.deleteLater()
        relay.deleteLater()

    def running(self) -> list[Job]:
        return list(self._running)

    def cancel_all(self, wait_ms: int = 5000) -> None:
        """Ask every job to stop and wait for their threads (on quit)."""
        for job, relay in list(self._running.items()):
            job.cancel()
            relay.thread.quit()
            relay.thread.wait(wait_ms)


def show_error(parent: QWidget | None, exc: BaseException, *, status=None) -> None:
    """Silent on cancel; plain words for the engine's errors; a traceback and a log entry for bugs."""
    if isinstance(exc, Cancelled):
        return
    if isinstance(exc, MusicMatchError):
        message = " ".join(str(exc).split())
        if status is not None:
            status(message)
        QMessageBox.warning(parent, "MusicMatch", message)
        return
    details = getattr(exc, "traceback_text", "") or "".join(traceback.format_exception(exc))
    log.error("internal error: %s", details)
    box = QMessageBox(QMessageBox.Icon.Critical, "MusicMatch: internal error",
                      f"Something went wrong inside MusicMatch: {type(exc).__name__}: {exc}\n"
                      "Please report it with the details below.", parent=parent)
    box.setDetailedText(details)
    box.exec()
