"""Helpers every subcommand shares: argument parsing quirks and output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from core.errors import MediaError
from core.jobs import ProgressFn, throttled_progress

__all__ = ["VECTOR_OPTIONS", "ArgumentParser", "analyse_each", "normalise_argv", "positive_int", "print_json",
           "terminal_progress"]

VECTOR_OPTIONS = ("--pred-feat", "--pred_feat", "--video-feat", "--video_feat")
"""Options whose value is a comma-separated vector that may start with a minus sign."""


def normalise_argv(argv: Sequence[str]) -> list[str]:
    """Join ``--pred-feat -5.5,...`` into ``--pred-feat=-5.5,...``.

    argparse reads a value that starts with ``-`` as the next option unless it is a
    single plain number; a vector like ``-5.52,-3.58,...`` is neither, so it is attached
    to its option before parsing. The seed's ``--pred_feat=...`` form already works.
    """
    out: list[str] = []
    tokens = list(argv)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token in VECTOR_OPTIONS and index + 1 < len(tokens):
            out.append(f"{token}={tokens[index + 1]}")
            index += 2
            continue
        out.append(token)
        index += 1
    return out


class ArgumentParser(argparse.ArgumentParser):
    """argparse with one-line errors: ``musicmatch match: error: ...`` and exit 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        raise SystemExit(2)


def positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1 (``--top-k``, ``--jobs``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def print_json(document: Any) -> None:
    """Print one JSON document (UTF-8, non-ASCII kept) and a newline."""
    text = json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)
    stream = sys.stdout
    try:
        stream.write(text + "\n")
    except UnicodeEncodeError:
        # A console that cannot show Chinese names still gets valid JSON.
        stream.write(json.dumps(document, ensure_ascii=True, indent=2, allow_nan=False) + "\n")
    stream.flush()


def analyse_each(
    prog: str,
    paths: Sequence[str],
    analyse: Callable[[str], Any],
    *,
    as_json: Callable[[str, Any], dict] | None,
    as_text: Callable[[str, Any], str],
) -> int:
    """Analyse every file, print each result (text) or one JSON list; skip unreadable files.

    A file that raises :class:`MediaError` gets a one-line error on stderr (and a
    ``{"file", "error"}`` entry in JSON); the others are still analysed. Returns the exit
    status: 2 if any file failed, else 0.
    """
    documents = []
    failed = 0
    for path in paths:
        try:
            result = analyse(path)
        except MediaError as exc:
            failed += 1
            sys.stderr.write(f"{prog}: error: {exc}\n")
            if as_json is not None:
                documents.append({"file": path, "error": str(exc)})
            continue
        if as_json is not None:
            documents.append(as_json(path, result))
        else:
            print(as_text(path, result))
    if as_json is not None:
        print_json(documents)
    return 2 if failed else 0


def terminal_progress(per_second: float = 10.0) -> ProgressFn | None:
    """A one-line progress display on stderr when it is a terminal (None when piped or logged)."""
    if not sys.stderr.isatty():
        return None

    def show(fraction: float, message: str) -> None:
        sys.stderr.write(f"\r[{fraction:4.0%}] {message[:70]:70s}")
        if fraction >= 1.0:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return throttled_progress(show, per_second=per_second)
