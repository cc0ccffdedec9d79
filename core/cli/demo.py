"""``musicmatch demo``: generate a demo library and clip to try MusicMatch on."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.paths import data_file

__all__ = ["add_parser", "default_demo_folder"]


def default_demo_folder() -> Path:
    return data_file("demo")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="generate demo music, a library database and a clip to try MusicMatch on",
        description=("Write two dozen generated music loops, analyse them into a library database and write three "
                     "short clips (reused when already there). Prints the paths."),
    )
    demo.add_argument("--out", default=None, metavar="DIR", help="folder (default: demo in the user data folder)")
    demo.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from core.demo import make_demo

    made = make_demo(args.out or default_demo_folder())
    print(f"library: {made.library}\nclips:   {', '.join(str(c) for c in made.clips)}\n"
          f"music:   {made.folder / 'music'}")
    print(f"try:     musicmatch recommend {made.clip} --db {made.library}")
    return 0
