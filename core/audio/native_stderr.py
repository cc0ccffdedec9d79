"""Keep what C decoders print off the terminal, and hand it to the caller instead.

libsndfile's MP3 reader (libmpg123) writes notes such as ``Note: Illegal Audio-MPEG-Header
0x00000000 at offset 756.`` or ``Warning: Xing stream size off by more than 1%`` straight to
file descriptor 2 while it probes a file. Python cannot catch that text: it never passes
through ``sys.stderr``. An editor scanning a folder would see lines the program did not
write, before (or instead of) the one clear line that names the file.

:class:`NativeStderr` points descriptor 2 at an anonymous temporary file for the duration
of a decode and gives back what was written there, so that the caller can put it into the
reason a file was skipped.

Threads: descriptor 2 belongs to the whole process, so the redirection is shared. The
first thread to enter installs it, the last to leave restores the terminal (a count under
a lock); each capture reads back only the bytes written while it was open. Text that
another thread writes to descriptor 2 in that window lands in the capture too; the
decoders are the only thing that writes there during a scan or an analysis. Processes
each have their own descriptor table, so worker processes need nothing more.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import threading
from types import TracebackType
from typing import IO

__all__ = ["NativeStderr"]

_STDERR_FD = 2
_MAX_CHARS = 300  # a skip reason is one line in a table; the first 300 characters say enough

_lock = threading.Lock()
_users = 0
_sink: IO[bytes] | None = None
_saved_fd: int | None = None


def _flush_python_stderr() -> None:
    # Python's own buffered text must reach the terminal before the descriptor moves
    # (and what it writes during a capture must be flushed into the capture, not after it).
    stream = sys.stderr
    if stream is not None:
        with contextlib.suppress(OSError, ValueError):
            stream.flush()


def _offset(fd: int) -> int:
    # Only ever written at its end, so the end is where the next write lands.
    return os.lseek(fd, 0, os.SEEK_END)


class NativeStderr:
    """Context manager: what C libraries write to descriptor 2 inside it goes to :attr:`text`.

    Examples
    --------
    >>> capture = NativeStderr()
    >>> with capture:
    ...     decode_something()          # doctest: +SKIP
    >>> capture.text                    # doctest: +SKIP
    'Note: Illegal Audio-MPEG-Header 0x00000000 at offset 756.'

    When descriptor 2 is not open (a windowed program on Windows) nothing is redirected
    and :attr:`text` stays empty.
    """

    def __init__(self) -> None:
        self.text = ""
        self._start = -1

    def __enter__(self) -> NativeStderr:
        global _users, _sink, _saved_fd
        with _lock:
            if _users == 0:
                _flush_python_stderr()
                try:
                    saved = os.dup(_STDERR_FD)
                except OSError:
                    return self  # no descriptor 2: nothing can reach a terminal anyway
                sink = tempfile.TemporaryFile()
                try:
                    os.dup2(sink.fileno(), _STDERR_FD)
                except OSError:
                    os.close(saved)
                    sink.close()
                    return self
                _sink, _saved_fd = sink, saved
            if _sink is None:
                return self
            _users += 1
            self._start = _offset(_sink.fileno())
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        global _users, _sink, _saved_fd
        if self._start < 0:
            return
        _flush_python_stderr()
        with _lock:
            sink = _sink
            assert sink is not None and _saved_fd is not None
            stop = _offset(sink.fileno())
            start, self._start = self._start, -1
            if hasattr(os, "pread"):
                data = os.pread(sink.fileno(), stop - start, start) if stop > start else b""
            else:  # Windows has no pread: seek, read, and put the shared offset back
                position = os.lseek(sink.fileno(), 0, os.SEEK_CUR)
                os.lseek(sink.fileno(), start, os.SEEK_SET)
                data = os.read(sink.fileno(), stop - start) if stop > start else b""
                os.lseek(sink.fileno(), position, os.SEEK_SET)
            _users -= 1
            if _users == 0:
                os.dup2(_saved_fd, _STDERR_FD)
                os.close(_saved_fd)
                sink.close()
                _sink, _saved_fd = None, None
        self.text = data.decode("utf-8", errors="replace")

    def summary(self) -> str:
        """The captured text on one line: lines joined with ``" / "``, at most 300 characters."""
        lines = [" ".join(line.split()) for line in self.text.splitlines()]
        joined = " / ".join(line for line in lines if line)
        return joined if len(joined) <= _MAX_CHARS else joined[: _MAX_CHARS - 1] + "…"
