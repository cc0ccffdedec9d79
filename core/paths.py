"""The app's data folder and the media it opens: one definition for the command line and the window.

Everything MusicMatch keeps for the user (the library database, the demo, models learned
from their picks) lives under :func:`data_dir`; the folder follows the platform's
convention (``~/.local/share/MusicMatch`` on Linux, ``%LOCALAPPDATA%\\MusicMatch`` on
Windows, ``~/Library/Application Support/MusicMatch`` on macOS) and honours
``XDG_DATA_HOME`` where the platform does.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["APP_NAME", "VIDEO_SUFFIXES", "data_dir", "data_file", "is_video_name"]

APP_NAME = "MusicMatch"

VIDEO_SUFFIXES: tuple[str, ...] = (".mp4", ".mov", ".m4v", ".mkv", ".avi", ".webm", ".mpg", ".mpeg", ".mts",
                                   ".m2ts", ".ts", ".wmv", ".flv", ".3gp", ".mxf", ".ogv")
"""Containers the video analysis reads (FFmpeg decodes them; lower case, with the dot).

The window's Open dialog, its drop target and the command line's checks all use this
list, so a clip one face accepts is never refused by the other."""


def data_dir() -> Path:
    """The folder for the user's MusicMatch data (not created here)."""
    import platformdirs  # a small import, kept local so `core.paths` costs nothing to import

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def data_file(name: str) -> Path:
    """``name`` inside :func:`data_dir` (e.g. ``library.sqlite``, ``recommender_mine.safetensors``)."""
    return data_dir() / name


def is_video_name(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` ends in one of :data:`VIDEO_SUFFIXES` (any case)."""
    return Path(path).suffix.lower() in VIDEO_SUFFIXES
