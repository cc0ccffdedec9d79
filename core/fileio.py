"""Safe file writing shared by every module that saves the editor's work."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.errors import InputError, MediaError

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "check_output_path",
    "content_hash",
    "first_line",
    "read_input",
    "replacing",
    "require_media_file",
    "spreadsheet_safe",
    "unquote_cell",
]

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


def file_mode_for(target: Path) -> int:
    """Permission bits a new output file should get: the replaced file's, else 0o666 less the umask.

    ``tempfile.mkstemp`` makes its file private (0600); an output written through one and
    renamed into place is given these bits, as a plain ``open(..., "w")`` would have.
    """
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str], *, suffix: str = ".tmp") -> Iterator[str]:
    """Write a file through a temporary one beside it, renamed over ``path`` only on success.

    Yields the temporary file's name (made, empty, in ``path``'s folder; ``suffix`` for
    writers that look at the ending). When the block ends normally the file gets the
    permissions a plain write would give (see :func:`file_mode_for`, not ``mkstemp``'s
    private 0600) and replaces ``path`` in one rename; when it raises, the temporary file
    is removed, so ``path`` is never left half written.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=folder)
    os.close(handle)
    try:
        yield temp_name
        os.chmod(temp_name, file_mode_for(target))
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


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
    remove_stale_temporaries(target)
    with replacing(target) as temp_name:
        with open(temp_name, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if backup and target.exists():
            # Copy rather than move, so ``path`` exists at every moment.
            shutil.copy2(target, target.with_name(target.name + ".bak"))
    return target


_STALE_AFTER_S = 600.0
"""A temporary file this old was left by a write that was killed (ours take milliseconds)."""


def remove_stale_temporaries(path: str | os.PathLike[str]) -> list[Path]:
    """Delete the temporary files a killed :func:`atomic_write_bytes` of ``path`` left behind.

    They are named ``.NAME.<random>.tmp`` beside ``path``; only those older than ten
    minutes go, so a write in progress in another process is left alone. Returns the
    files removed.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    removed = []
    now = time.time()
    with contextlib.suppress(OSError):
        for leftover in folder.glob(f".{glob.escape(target.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                if now - leftover.stat().st_mtime > _STALE_AFTER_S:
                    leftover.unlink()
                    removed.append(leftover)
    return removed


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


MAX_INPUT_BYTES = 1 << 30
"""Largest table :func:`read_input` reads (1 GiB: about twelve million library rows).

A larger file is refused before a byte is read: a multi-gigabyte (or sparse) file
named by mistake would otherwise fill memory (tables are parsed at ~4x their size)."""


def read_input(path: str | os.PathLike[str], error: type[Exception], what: str = "file", *,
               max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a file the user named; ``error`` with a one-line reason if it cannot be read or is too large."""
    file = Path(path)
    try:
        size = file.stat().st_size if file.is_file() else 0
    except OSError:
        size = 0  # reading it below names the problem
    if size > max_bytes:
        raise error(f"{file}: too large for {'an' if what[0] in 'aeiou' else 'a'} {what} "
                    f"({size / 1e6:.0f} MB; at most {max_bytes / 1e6:.0f} MB)")
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


def check_output_path(
    path: str | os.PathLike[str], *, option: str = "--out", inputs: tuple[str | os.PathLike[str] | None, ...] = ()
) -> Path:
    """Check before any work starts that ``path`` can be written as a new or replaced file.

    Refuses (with :class:`~core.errors.InputError`, one line naming ``option``) a folder, a
    path whose folder does not exist or is not writable, and a path that is one of
    ``inputs`` (writing there would replace what the command reads).
    """
    target = Path(path)
    if str(path).strip() == "":
        raise InputError(f"{option}: give a file name")
    if target.is_dir():
        raise InputError(f"{option} {target}: is a folder; give a file name inside it")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{option} {target}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"{option} {target}: cannot write into {folder} (permission denied)")
    if target.exists() and not os.access(target, os.W_OK):
        raise InputError(f"{option} {target}: the file is read-only")
    resolved = target.resolve()
    for source in inputs:
        if source is not None and str(source) != ":memory:" and Path(source).resolve() == resolved:
            raise InputError(f"{option} {target}: that is an input of this command; choose another name")
    return target


def read_json_file(
    path: str | os.PathLike[str], error: type[Exception], what: str, *, max_bytes: int = 64 << 20
) -> Any:
    """The JSON document in a file the user named; ``error`` with one line if it cannot be used.

    Refuses a file over ``max_bytes`` (before reading it), bytes that are not UTF-8, text
    that is not JSON and a document nested deeper than the parser's recursion limit (a
    hostile file of 100,000 ``[`` would otherwise end in a RecursionError).
    """
    file = Path(path)
    try:
        size = file.stat().st_size
    except OSError:
        size = 0  # read_input names the problem
    if size > max_bytes:
        raise error(f"{file}: too large for {'an' if what[0] in 'aeiou' else 'a'} {what} "
                    f"({size / 1e6:.1f} MB; at most {max_bytes / 1e6:.0f} MB)")
    data = read_input(file, error, what, max_bytes=max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(f"{file}: not {'an' if what[0] in 'aeiou' else 'a'} {what} (not UTF-8 text)") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"{file}: not {'an' if what[0] in 'aeiou' else 'a'} {what} "
                    f"(not JSON: {exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise error(f"{file}: not {'an' if what[0] in 'aeiou' else 'a'} {what} (nested too deeply)") from None
