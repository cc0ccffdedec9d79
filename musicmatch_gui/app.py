"""Launcher of the desktop app (``musicmatch-gui``).

The Qt main window is built by the "Desktop app" issue on top of the engine in
``core``. Until it lands this launcher says so plainly and points to the command line,
rather than opening an empty window.
"""

from __future__ import annotations

import sys

__all__ = ["main"]

NOT_YET = (
    "musicmatch-gui: the desktop app is not part of this build yet; "
    "the command line has every engine feature so far: musicmatch --help"
)


def main() -> int:
    """Tell the user the window is not built yet and exit with status 2."""
    sys.stderr.write(NOT_YET + "\n")
    return 2
