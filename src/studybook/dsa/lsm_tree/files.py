"""File names and the fsync discipline every other layer relies on.

A tree's directory holds numbered files, named from one counter so that a
larger number always means a newer file: ``000007.sst`` (a table),
``000008.log`` (a write-ahead log), plus ``MANIFEST`` (which files are live)
and ``LOCK``. Durability on POSIX needs two fsyncs, not one: ``fsync(file)``
makes the bytes durable, and ``fsync(directory)`` makes the *name* durable
(a new or renamed entry lives in the directory's own data). Replacing a file
atomically is therefore: write a temporary, fsync it, rename over the target,
fsync the directory (see "Files are hard", Dan Luu, 2019, and the Linux
``rename(2)`` and ``fsync(2)`` man pages).

>>> table_name(7), log_name(8), parse_file_name("000007.sst")
('000007.sst', '000008.log', (7, 'sst'))
"""

from __future__ import annotations

import os
import re

from .checks import require_int

__all__ = [
    "LOCK_NAME",
    "MANIFEST_NAME",
    "TEMP_SUFFIX",
    "fsync_directory",
    "log_name",
    "parse_file_name",
    "table_name",
    "write_atomically",
]

MANIFEST_NAME = "MANIFEST"
LOCK_NAME = "LOCK"
# A crash can leave a half-written "NNNNNN.sst.tmp" or "MANIFEST.tmp". Nothing is
# ever read from a temporary name. Recovery deletes a table's temporary only if
# the manifest recorded that table as pending; MANIFEST.tmp, like MANIFEST and
# LOCK, is a name the tree reserves: the next commit overwrites it, and a new
# tree refuses to start over one that is not its own (recovery._create).
TEMP_SUFFIX = ".tmp"

# ASCII digits only: ``\d`` would also match "١٢" (Arabic-Indic), which ``int()`` reads as 12.
_NUMBERED = re.compile(r"([0-9]{6,})\.(sst|log)")


def table_name(number: int) -> str:
    """Return the file name of table ``number``.

    Args:
        number: the table's file number, from the tree's counter.

    Returns:
        The zero-padded name; six digits sort correctly in ``ls`` up to 999999.

    Raises:
        TypeError: if ``number`` is not an ``int`` (``bool`` included).
        ValueError: if ``number`` is negative.

    Complexity: O(1).

    >>> table_name(7), table_name(1234567)
    ('000007.sst', '1234567.sst')
    >>> table_name(-1)
    Traceback (most recent call last):
    ValueError: file number must be >= 0, got -1
    """
    return f"{_check_number(number):06d}.sst"


def _check_number(number: int) -> int:
    return require_int("file number", number, minimum=0)


def log_name(number: int) -> str:
    """Return the file name of write-ahead log ``number``.

    Args:
        number: the log's file number, from the same counter as tables.

    Returns:
        The zero-padded name.

    Raises:
        TypeError: if ``number`` is not an ``int`` (``bool`` included).
        ValueError: if ``number`` is negative.

    Complexity: O(1).

    >>> log_name(8), log_name(0)
    ('000008.log', '000000.log')
    >>> log_name(-8)
    Traceback (most recent call last):
    ValueError: file number must be >= 0, got -8
    """
    return f"{_check_number(number):06d}.log"


def parse_file_name(name: str) -> tuple[int, str] | None:
    """Split a numbered file name into its number and kind.

    Args:
        name: a bare file name (no directory part).

    Returns:
        ``(number, "sst" | "log")`` for a name exactly as :func:`table_name`
        or :func:`log_name` spell it, or ``None`` for any other name
        (``MANIFEST``, ``LOCK``, temporaries, ``7.sst``, ``0000007.sst``):
        the tree never creates those, so they are never its own.

    Raises:
        TypeError: if ``name`` is not a ``str``.

    Complexity: O(len(name)).

    >>> parse_file_name("000007.sst"), parse_file_name("000008.log")
    ((7, 'sst'), (8, 'log'))
    >>> [parse_file_name(n) for n in ("000007.sst.tmp", "7.sst", "0000007.log", "١٢٣٤٥٦.sst")]
    [None, None, None, None]
    >>> parse_file_name(7)
    Traceback (most recent call last):
    TypeError: file name must be str, got int
    """
    if not isinstance(name, str):
        raise TypeError(f"file name must be str, got {type(name).__name__}")
    match = _NUMBERED.fullmatch(name)
    if match is None or match[1] != f"{int(match[1]):06d}":  # leading zeros beyond six
        return None
    return int(match[1]), match[2]


def fsync_directory(directory: str | os.PathLike[str]) -> None:
    """Make the directory's entries (created, renamed, deleted names) durable.

    Args:
        directory: the directory to sync.

    Raises:
        FileNotFoundError: if ``directory`` does not exist.

    Complexity: one ``fsync``: about a millisecond on an SSD, far more on a disk.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     fsync_directory(d)
    >>> fsync_directory("/nonexistent-studybook-dir")
    Traceback (most recent call last):
    FileNotFoundError: [Errno ...] No such file or directory: '/nonexistent-studybook-dir'
    """
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file.

    Writes ``path + ".tmp"``, fsyncs it, renames it over ``path`` (atomic on
    POSIX) and fsyncs the directory, so that after a crash at any instant a
    reader sees either the complete old content or the complete new content.

    Args:
        path: the file to replace.
        data: its new content.

    Raises:
        FileNotFoundError: if the parent directory does not exist.

    Complexity: O(len(data)) plus two fsyncs.

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_atomically(os.path.join(d, "f"), b"v1")
    ...     write_atomically(os.path.join(d, "f"), b"")
    ...     sorted(os.listdir(d)), os.path.getsize(os.path.join(d, "f"))
    (['f'], 0)
    >>> write_atomically("/nonexistent-studybook-dir/f", b"x")
    Traceback (most recent call last):
    FileNotFoundError: [Errno ...] No such file or directory: '/nonexistent-studybook-dir/f.tmp'
    """
    target = os.fspath(path)
    temp = target + TEMP_SUFFIX
    with open(temp, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temp, target)
    fsync_directory(os.path.dirname(target) or ".")
