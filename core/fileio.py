"""Safe file writing shared by every module that saves the editor's work."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text"]


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, backup: bool = False) -> Path:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file.

    The data goes to a temporary file in the same folder, is flushed and fsynced, and
    then renamed over ``path`` (an atomic replace on POSIX and Windows). With ``backup``
    the previous file, if any, is kept as ``path + ".bak"``.

    Returns
    -------
    Path
        The path written.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if backup and target.exists():
            # Copy rather than move, so ``path`` exists at every moment.
            shutil.copy2(target, target.with_name(target.name + ".bak"))
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return target


def atomic_write_text(
    path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8", backup: bool = False
) -> Path:
    """:func:`atomic_write_bytes` for text; ``newline`` characters are written as given."""
    return atomic_write_bytes(path, text.encode(encoding), backup=backup)
