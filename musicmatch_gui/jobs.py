"""Background jobs: one generic runner for every long engine call, and one place to show errors.

A :class:`Job` is a ``QObject`` moved to its own ``QThread``. It calls an engine function
with ``progress`` (throttled to about 20 reports a second, delivered to the GUI thread as
a queued signal) and a :class:`~core.jobs.CancelToken`; when the function returns or
raises, exactly one of ``succeeded``, ``failed`` or ``cancelled`` is emitted and the
thread ends. The GUI thread never waits on it.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from core.errors import Cancelled, MusicMatchError
from core.jobs import CancelToken, throttled_progress

__all__ = ["Job", "JobRunner", "plain_message", "show_error"]

log = logging.getLogger("musicmatch")


class Job(QObject):
    """Runs ``work(progress=..., cancel=...)`` in a worker thread."""

    progress = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, title: str, work: Callable[..., Any], kind: str = "") -> None:
        super().__init__()
        self.title = title
        self.kind = kind
        """Jobs of one non-empty kind replace each other (a new audition cancels the last decode)."""
        self._work = work
        self.token = CancelToken()
        self.superseded = False
        """Cancelled because a newer job of its kind started: its result, if any, is dropped."""
        self.fraction = 0.0
        self.message = title

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

    def __init__(self, runner: JobRunner, job: Job, thread: QThread, on_success, on_failure, on_cancel) -> None:
        super().__init__(runner)
        self.runner, self.job, self.thread = runner, job, thread
        self.on_success, self.on_failure, self.on_cancel = on_success, on_failure, on_cancel

    @Slot(float, str)
    def progress(self, fraction: float, message: str) -> None:
        self.job.fraction, self.job.message = fraction, message or self.job.title
        self.runner.changed.emit()

    @Slot(object)
    def succeeded(self, result: object) -> None:
        if self.on_success is not None and not self.job.superseded and not self.runner.closing:
            self.on_success(result)

    @Slot(object)
    def failed(self, exc: object) -> None:
        if self.on_failure is not None and not self.job.superseded and not self.runner.closing:
            self.on_failure(exc)

    @Slot()
    def cancelled(self) -> None:
        if self.on_cancel is not None and not self.job.superseded and not self.runner.closing:
            self.on_cancel()

    @Slot()
    def thread_finished(self) -> None:
        self.runner._forget(self)


class JobRunner(QObject):
    """Starts jobs on their own threads, calls their callbacks in the GUI thread, keeps them alive."""

    started = Signal(object)
    """A :class:`Job` has started (the status bar shows its progress and a Cancel button)."""
    changed = Signal()
    """A job started, reported progress or ended (the status bar redraws)."""
    ended = Signal(object)
    """A :class:`Job`'s thread has finished, whatever the outcome."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: dict[Job, _Relay] = {}
        self.closing = False
        """Set on quit: callbacks of jobs still ending are not called into a window being torn down."""

    def start(self, title: str, work: Callable[..., Any], *, on_success: Callable[[Any], None] | None = None,
              on_failure: Callable[[BaseException], None] | None = None,
              on_cancel: Callable[[], None] | None = None, kind: str = "") -> Job:
        """Run ``work(progress=, cancel=)`` on a thread of its own.

        A non-empty ``kind`` cancels the running jobs of that kind first and drops their
        results (a newer audition wins over an older decode still running).
        """
        if kind:
            for older in self._running:
                if older.kind == kind:
                    older.superseded = True
                    older.cancel()
        job = Job(title, work, kind)
        thread = QThread()
        job.moveToThread(thread)
        relay = _Relay(self, job, thread, on_success, on_failure, on_cancel)
        thread.started.connect(job.run)
        job.progress.connect(relay.progress)
        job.succeeded.connect(relay.succeeded)
        job.failed.connect(relay.failed)
        job.cancelled.connect(relay.cancelled)
        job.finished.connect(thread.quit)
        thread.finished.connect(relay.thread_finished)
        self._running[job] = relay
        self.started.emit(job)
        self.changed.emit()
        thread.start()
        return job

    def _forget(self, relay: _Relay) -> None:
        if self._running.pop(relay.job, None) is None:
            return
        relay.thread.wait()
        self.ended.emit(relay.job)
        self.changed.emit()
        relay.thread.deleteLater()
        relay.job.deleteLater()
        relay.deleteLater()

    def running(self) -> list[Job]:
        """Jobs still running, oldest first."""
        return list(self._running)

    def shutdown(self) -> None:
        """On quit: cancel every job and wait until each thread has ended.

        A thread still running Python code while the interpreter and Qt tear down is what
        crashed the app on quit (``QThread: Destroyed while thread is still running``, then
        "Fatal Python error: Aborted", a segfault or ``none_dealloc``), most often the
        recommender still importing torch when the editor pressed Ctrl+Q. So this waits
        with no deadline: every job either checks its cancel token (analysis, scans,
        training, the demo) or ends on its own within seconds (a model load, a decode, a
        save). No callback of a job is called after this (see :attr:`closing`).
        """
        self.closing = True
        for job, relay in list(self._running.items()):
            job.cancel()
            # The thread's own quit() here: the job's "finished -> quit" is queued to this
            # (GUI) thread, which is about to block in wait() and would never deliver it.
            relay.thread.quit()
        for relay in list(self._running.values()):
            relay.thread.wait()
        for relay in list(self._running.values()):
            self._forget(relay)



_ERRNO = re.compile(r"\[Errno -?\d+\]\s*")


def plain_message(exc: BaseException) -> str:
    """One line of plain words: no "[Errno 1094995529]" (FFmpeg's and the OS's raw codes), no line breaks."""
    text = _ERRNO.sub("", str(exc))
    return " ".join(text.split()) or type(exc).__name__


def show_error(parent: QWidget | None, exc: BaseException, *, status=None) -> None:
    """Silent on cancel; plain words for the engine's errors; a traceback and a log entry for bugs."""
    if isinstance(exc, Cancelled):
        return
    if isinstance(exc, (MusicMatchError, OSError)):
        message = plain_message(exc)
        if status is not None:
            status(message)
        box = QMessageBox(QMessageBox.Icon.Warning, "MusicMatch", message, parent=parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName("errorBox")
        box.open()  # window-modal, not a nested event loop: jobs and timers keep running
        return
    details = getattr(exc, "traceback_text", "") or "".join(traceback.format_exception(exc))
    log.error("internal error: %s", details)
    # Plain words in the editor's language; the exception's own text and the details stay as Python wrote them.
    box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("show_error", "MusicMatch: internal error"),
                      QCoreApplication.translate("show_error", "Something went wrong inside MusicMatch: {error}\n"
                                                               "Please report it with the details below.").format(
                          error=f"{type(exc).__name__}: {exc}"), parent=parent)
    box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("errorBox")
    box.open()
