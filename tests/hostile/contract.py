"""The contract every hostile case is held to, in process and in a child process.

- valid-but-odd input: exit 0, the expected output, nothing on stderr (no decoder noise);
- bad input: exit 2 and exactly one stderr line that names the problem;
- never a traceback, never exit 1, never a hang;
- no half-written or stray files, and the inputs exactly as they were.

Output is captured at the file-descriptor level (pytest's ``capfd`` in process, pipes for
a child), so a C library writing straight to fd 2 (libmpg123, FFmpeg) is caught too.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core.cli.main import main
from tests.hostile.media import tree_digest

__all__ = ["REPO", "Hang", "Outcome", "check", "check_child", "deadline"]

REPO = Path(__file__).resolve().parents[2]
SIDE_FILES = re.compile(r".*\.(sqlite|db)-(wal|shm|journal)$")
"""SQLite's own side files may come and go beside a database; they are not outputs."""


class Hang(BaseException):
    """A case ran past its deadline (a BaseException: no ``except Exception`` or ``except OSError`` eats it)."""


@contextmanager
def deadline(seconds: float):
    def expire(_signum, _frame):
        raise Hang(f"no answer after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    status: int
    out: str
    err: str


def _judge(outcome: Outcome, *, expect: int, mentions: Iterable[str], before: dict, root: Path,
           outputs: Sequence[str], changes: Sequence[str], err_allowed: str | None) -> None:
    assert "Traceback" not in outcome.err, outcome.err
    assert outcome.status != 1, f"internal error: {outcome.err}"
    assert outcome.status == expect, f"exit {outcome.status}, expected {expect}; stderr: {outcome.err!r}"
    lines = outcome.err.splitlines()
    if expect == 2:
        if err_allowed is not None:  # warnings the command gives on its way (one per pick...) are not the error
            lines = [line for line in lines if not re.search(err_allowed, line)]
        assert len(lines) == 1, f"expected one stderr line, got {len(lines)}: {outcome.err!r}"
        assert "error:" in lines[0], lines[0]
        for word in mentions:
            assert word.lower() in lines[0].lower(), f"{word!r} not named in {lines[0]!r}"
    elif err_allowed is None:
        assert not lines, f"unexpected stderr: {outcome.err!r}"
    else:
        stray = [line for line in lines if not re.search(err_allowed, line)]
        assert not stray, f"unexpected stderr: {stray!r}"
    after = tree_digest(root)
    for name, stamp in before.items():
        if name in changes or SIDE_FILES.match(name):
            continue
        assert after.get(name) == stamp, f"input {name} was changed or removed"
    new = sorted(set(after) - set(before) - set(outputs))
    new = [name for name in new if not SIDE_FILES.match(name)]
    assert not new, f"stray files left behind: {new}"
    for name in outputs:
        if expect == 0:
            assert name in after, f"output {name} was not written"
        else:
            assert name not in after or name in before, f"output {name} written although the command failed"


def check(capfd, argv: Sequence[object], *, expect: int, root: Path, mentions: Iterable[str] = (),
          outputs: Sequence[str] = (), changes: Sequence[str] = (), err_allowed: str | None = None,
          seconds: float = 60.0) -> Outcome:
    """Run ``musicmatch ARGV`` in process and hold it to the contract (paths relative to ``root``)."""
    before = tree_digest(root)
    capfd.readouterr()
    with deadline(seconds):
        status = main([str(part) for part in argv])
    captured = capfd.readouterr()
    outcome = Outcome(status, captured.out, captured.err)
    _judge(outcome, expect=expect, mentions=mentions, before=before, root=root, outputs=outputs,
           changes=changes, err_allowed=err_allowed)
    return outcome


def child_env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    env.pop("PYTHONWARNINGS", None)
    return env


def check_child(argv: Sequence[object], *, expect: int, root: Path, mentions: Iterable[str] = (),
                outputs: Sequence[str] = (), changes: Sequence[str] = (), err_allowed: str | None = None,
                seconds: float = 120.0, prefix: Sequence[str] = ()) -> Outcome:
    """Run ``musicmatch ARGV`` as a child process (what a terminal sees, fd 1 and fd 2) under the contract."""
    before = tree_digest(root)
    try:
        done = subprocess.run([*prefix, sys.executable, "-m", "core", *map(str, argv)], cwd=REPO,
                              env=child_env(), capture_output=True, text=True, timeout=seconds,
                              errors="replace")
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"hang: no answer after {seconds:g} s") from exc
    outcome = Outcome(done.returncode, done.stdout, done.stderr)
    _judge(outcome, expect=expect, mentions=mentions, before=before, root=root, outputs=outputs,
           changes=changes, err_allowed=err_allowed)
    return outcome
