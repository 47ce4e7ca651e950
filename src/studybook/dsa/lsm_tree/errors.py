"""Exceptions raised by the LSM tree.

Two things can go wrong below the API that the caller must be told about
precisely: stored bytes that fail a checksum (:class:`CorruptionError`) and a
directory that another tree already owns (:class:`DirectoryLockedError`).
Both name the file involved, so an operator can find it.

>>> raise CorruptionError("000007.sst", 96, "block checksum mismatch")
Traceback (most recent call last):
studybook.dsa.lsm_tree.errors.CorruptionError: 000007.sst: block checksum mismatch at offset 96
"""

from __future__ import annotations

import os

__all__ = ["CorruptionError", "DirectoryLockedError"]


class CorruptionError(ValueError):
    """Stored bytes failed a checksum or a structural check.

    It subclasses :class:`ValueError` because the *data* is wrong, not the call;
    callers that already handle bad values handle it too. The message names the
    file and the byte offset where the bad data starts, and both are kept as
    attributes for programs.

    Args:
        path: the file that holds the bad bytes.
        offset: byte offset in that file where the bad data starts.
        reason: what failed, for example ``"block checksum mismatch"``.

    Raises:
        TypeError: if ``offset`` is not an ``int`` (``bool`` included).
        ValueError: if ``offset`` is negative.

    Complexity: O(1).

    >>> err = CorruptionError("000008.log", 26, "record checksum mismatch")
    >>> str(err)
    '000008.log: record checksum mismatch at offset 26'
    >>> isinstance(err, ValueError), err.path, err.offset
    (True, '000008.log', 26)
    >>> CorruptionError("MANIFEST", -1, "bad header")
    Traceback (most recent call last):
    ValueError: offset must be >= 0, got -1
    """

    def __init__(self, path: str | os.PathLike[str], offset: int, reason: str) -> None:
        if isinstance(offset, bool) or not isinstance(offset, int):
            raise TypeError(f"offset must be int, got {type(offset).__name__} {offset!r}")
        if offset < 0:
            raise ValueError(f"offset must be >= 0, got {offset!r}")
        self.path = os.fspath(path)
        self.offset = offset
        self.reason = reason
        super().__init__(f"{self.path}: {reason} at offset {offset}")

    def __reduce__(self) -> tuple[type[CorruptionError], tuple[str, int, str]]:
        # Exceptions are pickled by re-calling the class with ``self.args``;
        # ours takes three arguments, not the one formatted message.
        return (type(self), (self.path, self.offset, self.reason))


class DirectoryLockedError(OSError):
    """Another :class:`~studybook.dsa.lsm_tree.LSMTree` holds the directory's ``LOCK``.

    Two writers appending to one write-ahead log, or both deleting "orphan"
    files the other just wrote, would destroy data, so opening is refused. The
    lock is an ``fcntl.flock`` on ``LOCK``: the kernel drops it when the owner
    closes the tree or dies, so a crash never leaves a stale lock behind.

    >>> str(DirectoryLockedError("/data/db is already open (LOCK is held)"))
    '/data/db is already open (LOCK is held)'
    """
