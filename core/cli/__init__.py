"""The ``musicmatch`` command line (Qt-free). See :func:`core.cli.main.main`."""

from __future__ import annotations

from core.cli.main import main

__all__ = ["main"]
