"""One error hierarchy for the whole engine.

Every error the engine raises on purpose derives from :class:`MusicMatchError`; its
message is written for the editor (what was wrong, what to do), so the command line
prints it as one line and the GUI shows it in plain words. Anything else that escapes
is a bug and is reported with a traceback.
"""

from __future__ import annotations

__all__ = [
    "Cancelled",
    "InputError",
    "LibraryError",
    "MediaError",
    "ModelError",
    "MusicMatchError",
    "ProjectError",
]


class MusicMatchError(Exception):
    """Root of every deliberate engine error; ``str(exc)`` is a complete sentence."""


class InputError(MusicMatchError, ValueError):
    """A value given by the user (vector, weight, option, CSV cell) is not acceptable."""


class MediaError(MusicMatchError):
    """A video or audio file is missing, unreadable or cannot be decoded."""


class LibraryError(MusicMatchError):
    """The music library (CSV or database) is missing, malformed or inconsistent."""


class ModelError(MusicMatchError):
    """A model file is missing, from another schema version, or does not load."""


class ProjectError(MusicMatchError):
    """A project file is missing, malformed, or from a newer version of the app."""


class Cancelled(MusicMatchError):
    """The user cancelled a running job. Not a failure: nothing is reported."""

    def __init__(self, message: str = "Cancelled by the user.") -> None:
        super().__init__(message)
