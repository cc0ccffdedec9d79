"""Safe file writing shared by every module that saves the editor's work."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from core.errors import MediaError

__all__ = ["atomic_write_bytes", "atomic_write_text", "content_hash", "first_line", "read_input",
           "require_media_file", "spreadsheet_safe", "unquote_cell"]

# A text cell starting with one of these is read by Excel, LibreOffice and Google Sheets as a
# formula (OWASP, "CSV Injection"): "=HYPERLINK(...)" in a track name would run when the
# editor opens the exported sheet. A leading apostrophe makes the cell plain text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def require_media_file(path: str | os.PathLike[str], what: str) -> Path:
    """``path`` as a Path if it is a non-empty file; :class:`MediaError` naming the problem otherwise.

    ``what`` names the expected kind of file in the message ("audio file", "video").
    """
    file = Path(path)
    if not file.exists():
        raise MediaError(f"{file}: no such file")
    if file.is_dir():
        raise MediaError(f"{file}: is a folder, not {'an' if what[0] in 'aeiou' else 'a'} {what}")
    if file.stat().st_size == 0:
        raise MediaError(f"{file}: the file is empty")
    return file


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (FFmpeg and libsndfile add more), or its type."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


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
        # mkstemp makes the file private (0600); give it the permissions a plain write would:
        # the replaced file's, or the default for new files under the user's umask.
        os.chmod(temp_name, _mode_for(target))
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


def content_hash(path: str | os.PathLike[str]) -> str:
    """BLAKE2b-128 of the file's bytes, hex: identifies a media file after it is moved or renamed."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_input(path: str | os.PathLike[str], error: type[Exception], what: str = "file") -> bytes:
    """The bytes of a file the user named; ``error`` with a one-line reason if it cannot be read."""
    file = Path(path)
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise error(f"{file}: no such file") from None
    except IsADirectoryError:
        raise error(f"{file}: is a folder, not a {what}") from None
    except OSError as exc:
        raise error(f"{file}: cannot read ({exc.strerror or exc})") from None


def spreadsheet_safe(text: str) -> str:
    """``text`` made safe for a CSV cell that spreadsheets open: never read as a formula.

    A cell starting with ``= + - @``, a tab or a carriage return gets a leading ``'``
    (the OWASP rule); so does one that already starts with ``'``, so that
    :func:`unquote_cell` restores every name exactly.
    """
    if text.startswith((*_FORMULA_STARTS, "'")):
        return "'" + text
    return text


def unquote_cell(text: str) -> str:
    """Undo :func:`spreadsheet_safe`: drop the ``'`` it added, leave any other text alone."""
    if text.startswith("'") and text[1:].startswith((*_FORMULA_STARTS, "'")):
        return text[1:]
    return text
