"""Entry point of ``musicmatch``: parse, dispatch, and turn errors into exit codes.

Exit status (SPEC.md §4): 0 success; 2 bad input, with a one-line reason on stderr;
1 internal error (a bug: the traceback is printed so it can be reported); 130 when
interrupted with Ctrl+C.
"""

from __future__ import annotations

import errno
import sqlite3
import sys
import traceback
from collections.abc import Sequence

from core import __version__
from core.cli import audio as audio_cmd
from core.cli import demo as demo_cmd
from core.cli import fit as fit_cmd
from core.cli import library as library_cmd
from core.cli import match as match_cmd
from core.cli import project as project_cmd
from core.cli import recommend as recommend_cmd
from core.cli import video as video_cmd
from core.cli.common import ArgumentParser, normalise_argv
from core.errors import Cancelled, MusicMatchError

__all__ = ["build_parser", "main"]


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="musicmatch",
        description="MusicMatch: find music in your own library that fits a video.",
    )
    parser.add_argument("--version", action="version", version=f"musicmatch {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    match_cmd.add_parser(subparsers)
    audio_cmd.add_parser(subparsers)
    video_cmd.add_parser(subparsers)
    library_cmd.add_parser(subparsers)
    recommend_cmd.add_parser(subparsers)
    fit_cmd.add_parser(subparsers)
    project_cmd.add_parser(subparsers)
    demo_cmd.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (also used by the tests)."""
    args_list = normalise_argv(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code or 0)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0 if not args_list else 2
    prog = f"musicmatch {args.command}"
    if getattr(args, "library_command", None):
        prog += f" {args.library_command}"
    try:
        return int(handler(args))
    except Cancelled:
        sys.stderr.write(f"{prog}: cancelled\n")
        return 130
    except KeyboardInterrupt:
        sys.stderr.write(f"{prog}: interrupted\n")
        return 130
    except MusicMatchError as exc:
        sys.stderr.write(f"{prog}: error: {_one_line(str(exc))}\n")
        return 2
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error of ours.
        return 0
    except OSError as exc:
        # A full disk, a permission or a folder that went away: the machine's state, not a bug.
        sys.stderr.write(f"{prog}: error: {_one_line(_os_error(exc))}\n")
        return 2
    except sqlite3.OperationalError as exc:
        if not _is_environment(exc):
            raise
        sys.stderr.write(f"{prog}: error: library database: {_one_line(str(exc))}\n")
        return 2
    except Exception:
        sys.stderr.write(f"{prog}: internal error (please report this with the traceback below)\n")
        traceback.print_exc()
        return 1


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno == errno.ENOSPC:
        reason = "no space left on the disk"
    names = [name for name in (exc.filename, exc.filename2) if name]
    return f"{' -> '.join(map(str, names))}: {reason}" if names else reason


def _is_environment(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return any(part in message for part in ("disk", "full", "readonly", "locked", "unable to open", "i/o"))



def console_main() -> None:
    """Console-script entry point: exit with :func:`main`'s status."""
    sys.exit(main())
