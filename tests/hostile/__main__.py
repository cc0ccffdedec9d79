"""Run the whole hostile corpus and print ``hostile: P/N handled`` and what was not.

Usage: ``.venv/bin/python -m tests.hostile [--quick] [pytest options]``.
``--quick`` leaves out the long cases (kill -9, two writers: the ``slow`` marker).

A case is *handled* when it met its contract. Cases whose cause lies in code another
issue owns are marked ``xfail(strict=True)``: they are listed as "known, owned by" and
not counted as handled; skipped cases (no tmpfs or capabilities here) are counted apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest


class Summary:
    def __init__(self) -> None:
        self.passed: list[str] = []
        self.failed: list[tuple[str, str]] = []
        self.known: list[tuple[str, str]] = []
        self.skipped: list[tuple[str, str]] = []

    def pytest_runtest_logreport(self, report) -> None:
        name = report.nodeid.split("tests/hostile/", 1)[-1]
        if report.when == "call" or (report.when == "setup" and not report.passed):
            if hasattr(report, "wasxfail"):
                if report.skipped:
                    self.known.append((name, report.wasxfail))
                else:  # an xfail(strict) case that passed: the owner fixed it, the mark must go
                    self.failed.append((name, f"now passes; remove its xfail ({report.wasxfail})"))
            elif report.skipped:
                self.skipped.append((name, str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""))
            elif report.passed:
                self.passed.append(name)
            else:
                message = getattr(report.longrepr, "reprcrash", None)
                self.failed.append((name, message.message.splitlines()[0] if message else str(report.longrepr)[:200]))

    def print(self) -> None:
        total = len(self.passed) + len(self.failed) + len(self.known)
        print()
        for name, why in self.failed:
            print(f"FAILED  {name}: {why}")
        for name, why in self.known:
            print(f"KNOWN   {name}: {why}")
        for name, why in self.skipped:
            print(f"SKIPPED {name}: {why}")
        print(f"hostile: {len(self.passed)}/{total} handled ({len(self.known)} known and owned elsewhere, "
              f"{len(self.failed)} failed, {len(self.skipped)} skipped)")


def main(argv: list[str]) -> int:
    folder = Path(__file__).resolve().parent
    args = list(argv)
    quick = "--quick" in args
    if quick:
        args.remove("--quick")
    summary = Summary()
    options = ["-q", "-p", "no:cacheprovider", "--no-header", "-rN", str(folder), *args]
    if quick:
        options += ["-m", "not slow"]
    status = pytest.main(options, plugins=[summary])
    summary.print()
    return 1 if summary.failed else int(status) if status not in (0, 5) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
