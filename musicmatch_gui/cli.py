"""The ``musicmatch`` console script: ``musicmatch gui ...`` opens the app, everything else is the CLI.

This module imports no Qt, so the command line works where PySide6 is not installed; the
engine's CLI (``core.cli``) never imports the GUI, which is why the dispatch lives here.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> None:
    import multiprocessing

    multiprocessing.freeze_support()  # a frozen build starts its scan and search workers through this executable
    argv = sys.argv[1:]
    if argv and argv[0] == "gui":
        from musicmatch_gui.app import main as gui_main

        raise SystemExit(gui_main(argv[1:]))
    from core.cli.main import console_main

    console_main()


if __name__ == "__main__":
    main()
