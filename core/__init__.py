"""MusicMatch engine: everything the app does, without Qt.

The desktop app (``musicmatch_gui``) and the command line (``core.cli``) are two faces
over these modules; neither does analysis of its own.
"""

from __future__ import annotations

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("musicmatch")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
