"""The write-ahead log: makes a write durable before it is acknowledged.

Every put and delete is appended here *before* it touches the memtable, so a
crash loses nothing that was acknowledged: recovery replays the log into a new
memtable. Once the memtable is flushed to an SSTable, its log is deleted.

Record layout (all integers little-endian)::

    offset  size  field
    0       4     crc      CRC-32 (zlib.crc32) of every byte after this field
    4       4     length   bytes after this field: 1 + 4 + len(key) + len(value)
    8       1     type     1 = put, 2 = delete (a delete has no value bytes)
    9       4     key_len
    13      ...   key, then value

How replay tells a crash from corruption: a process crash, or a power loss
on a log synced at every append, can only damage the *last* record (appends
are sequential), leaving it incomplete or with a bad checksum. (A power loss
with ``sync="none"`` can do worse: the page cache reaches the disk in any
order, so an earlier record may be lost while a later one survives; replay
then refuses to open, see the chapter's table of RocksDB's recovery modes.)
So at the first bad record replay looks for any valid record after it. None:
the damage is a torn tail, which is truncated away (it was never
acknowledged). One: data after a bad record was acknowledged and would be
lost, so replay raises :class:`~studybook.dsa.lsm_tree.errors.CorruptionError`
instead of guessing. Searching every later offset, not just the next record
boundary, also catches a flipped ``length`` field, which would otherwise make
the rest of the log look torn. The one false alarm: a torn record whose value
happens to contain a complete encoded record is reported as corruption. The
rule errs loudly, never by silently dropping acknowledged writes.

=====================  =========================================================
operation              cost
=====================  =========================================================
``append``             O(record); plus one fsync when ``sync="always"``
``replay``             O(file size); O(tail x record) extra only after damage
=====================  =========================================================

>>> encode_record(b"k", b"v").hex(" ")
'1b 1a f8 10 07 00 00 00 01 01 00 00 00 6b 76'
"""

from __future__ import annotations

import os
import struct
import zlib
from typing import Literal

from .errors import CorruptionError
from .files import fsync_directory
from .memtable import Tombstone, Value

__all__ = [
    "MAX_KEY_VALUE_BYTES",
    "Sync",
    "WriteAheadLog",
    "check_record_size",
    "encode_record",
    "replay",
]

Sync = Literal["always", "none"]
"""``"always"``: fsync before returning. ``"none"``: hand the bytes to the OS only."""

_CRC_LENGTH = struct.Struct("<II")
_TYPE_KEYLEN = struct.Struct("<BI")
_HEADER_SIZE = _CRC_LENGTH.size + _TYPE_KEYLEN.size  # 13
_PUT, _DELETE = 1, 2

MAX_KEY_VALUE_BYTES = 2**32 - 1 - _TYPE_KEYLEN.size
"""The most key and value bytes one record can hold, 4 GiB minus 6 bytes.

The record's ``length`` field is a u32 that also counts the 5 bytes of type
and key length."""


def encode_record(key: bytes, value: Value) -> bytes:
    """Encode one log record (layout in the module docstring).

    Args:
        key: the key.
        value: the value, or ``TOMBSTONE`` for a delete.

    Returns:
        The record's bytes, ``13 + len(key) + len(value)`` long.

    Raises:
        TypeError: if ``key`` is not ``bytes``, or ``value`` neither ``bytes``
            nor ``TOMBSTONE``.
        ValueError: if key and value together exceed :data:`MAX_KEY_VALUE_BYTES`.

    Complexity: O(len(key) + len(value)).

    >>> from studybook.dsa.lsm_tree.memtable import TOMBSTONE
    >>> len(encode_record(b"key", b"value")), len(encode_record(b"", TOMBSTONE))
    (21, 13)
    >>> encode_record("key", b"value")
    Traceback (most recent call last):
    TypeError: key must be bytes, got str
    """
    check_record_size(key, value)
    if isinstance(value, Tombstone):
        body = _TYPE_KEYLEN.pack(_DELETE, len(key)) + key
    else:
        body = _TYPE_KEYLEN.pack(_PUT, len(key)) + key + value
    length = struct.pack("<I", len(body))
    crc = zlib.crc32(length + body)
    return struct.pack("<I", crc) + length + body


def check_record_size(key: bytes, value: Value) -> None:
    """Raise unless ``(key, value)`` fits in one record; called before anything is written.

    Args:
        key: the key.
        value: the value, or ``TOMBSTONE``.

    Raises:
        TypeError: if ``key`` is not ``bytes``, or ``value`` neither ``bytes``
            nor ``TOMBSTONE``.
        ValueError: if key and value together exceed :data:`MAX_KEY_VALUE_BYTES`.

    Complexity: O(1).

    >>> class Huge(bytes):  # 4 GiB, not allocated; runs only locally: 32-bit len() stops at 2 GiB
    ...     def __len__(self): return 2**32
    >>> check_record_size(b"k", b"v")
    >>> check_record_size(b"k", Huge())
    Traceback (most recent call last):
    ValueError: key and value must be at most 4294967290 bytes together, got 4294967297
    """
    if not isinstance(key, bytes):
        raise TypeError(f"key must be bytes, got {type(key).__name__}")
    if not isinstance(value, bytes | Tombstone):
        raise TypeError(f"value must be bytes or TOMBSTONE, got {type(value).__name__}")
    size = len(key) + (0 if isinstance(value, Tombstone) else len(value))
    if size > MAX_KEY_VALUE_BYTES:
        raise ValueError(
            f"key and value must be at most {MAX_KEY_VALUE_BYTES} bytes together, got {size}"
        )


def replay(path: str | os.PathLike[str]) -> list[tuple[bytes, Value]]:
    """Read every record of a log, truncating a torn tail left by a crash.

    Args:
        path: the log file.

    Returns:
        ``(key, value or TOMBSTONE)`` in the order they were written.

    Raises:
        CorruptionError: if a damaged record is followed by a valid one.
        FileNotFoundError: if ``path`` does not exist.

    Complexity: O(file size), plus O(tail x record) after a damaged record.

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = os.path.join(d, "000001.log")
    ...     with open(path, "wb") as f: _ = f.write(encode_record(b"k", b"v") + b"\\x07\\x00")
    ...     replay(path), os.path.getsize(path)  # the 2-byte torn tail is cut off
    ([(b'k', b'v')], 15)
    >>> replay("/nonexistent-studybook-dir/000001.log")
    Traceback (most recent call last):
    FileNotFoundError: [Errno...] No such file or directory: '/nonexistent-studybook-dir/000001.log'
    """
    with open(path, "rb") as file:
        data = file.read()
    records: list[tuple[bytes, Value]] = []
    offset = 0
    while offset < len(data):
        decoded = _decode_at(data, offset)
        if decoded is None:
            _handle_damage(path, data, offset)
            break
        record, offset = decoded
        records.append(record)
    return records


def _decode_at(data: bytes, offset: int) -> tuple[tuple[bytes, Value], int] | None:
    """Decode the record at ``offset``; ``None`` if it is incomplete or invalid."""
    if offset + _HEADER_SIZE > len(data):
        return None
    crc, length = _CRC_LENGTH.unpack_from(data, offset)
    end = offset + _CRC_LENGTH.size + length
    if length < _TYPE_KEYLEN.size or end > len(data):
        return None
    if zlib.crc32(data[offset + 4 : end]) != crc:
        return None
    kind, key_len = _TYPE_KEYLEN.unpack_from(data, offset + _CRC_LENGTH.size)
    key_end = offset + _HEADER_SIZE + key_len
    # A matching CRC over malformed fields would be a writer bug, not a torn write.
    if kind not in (_PUT, _DELETE) or key_end > end or (kind == _DELETE and key_end != end):
        return None
    key = data[offset + _HEADER_SIZE : key_end]
    value: Value = Tombstone.TOMBSTONE if kind == _DELETE else data[key_end:end]
    return (key, value), end


def _handle_damage(path: str | os.PathLike[str], data: bytes, offset: int) -> None:
    for later in range(offset + 1, len(data) - _HEADER_SIZE + 1):
        if _decode_at(data, later) is not None:
            raise CorruptionError(path, offset, "damaged log record followed by valid records")
    # Torn tail: the crashed write was never acknowledged, so dropping it is
    # correct. Truncating (and syncing that) keeps the next append from
    # landing after garbage, which the next replay would call corruption.
    with open(path, "r+b") as file:
        file.truncate(offset)
        file.flush()
        os.fsync(file.fileno())


class WriteAheadLog:
    """An open log that records are appended to.

    Args:
        path: the log file; created if missing, appended to if present.
        sync: ``"always"`` fsyncs each record before :meth:`append` returns,
            so it survives power loss; ``"none"`` only hands it to the OS with
            ``write()``, so it survives the process being killed but not power loss.

    Raises:
        ValueError: if ``sync`` is not ``"always"`` or ``"none"``.

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     log = WriteAheadLog(os.path.join(d, "000001.log"), sync="none")
    ...     _ = log.append(b"k", b"v")
    ...     log.close()
    >>> log.size_bytes
    15
    >>> WriteAheadLog("x.log", sync="sometimes")
    Traceback (most recent call last):
    ValueError: sync must be 'always' or 'none', got 'sometimes'
    """

    def __init__(self, path: str | os.PathLike[str], *, sync: Sync) -> None:
        if sync not in ("always", "none"):
            raise ValueError(f"sync must be 'always' or 'none', got {sync!r}")
        self.path = os.fspath(path)
        self._sync = sync
        existed = os.path.exists(self.path)
        # O_APPEND: every write lands at the end even if the offset were wrong;
        # a raw fd (no Python buffer) so "returned" means "the OS has it".
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.size_bytes = os.fstat(self._fd).st_size
        if not existed:
            # The manifest will name this log: its directory entry must be
            # durable first, whatever the per-record sync mode.
            os.fsync(self._fd)
            fsync_directory(os.path.dirname(self.path) or ".")

    def append(self, key: bytes, value: Value) -> int:
        """Append one record and make it as durable as ``sync`` promises.

        Args:
            key: the key.
            value: the value, or ``TOMBSTONE`` for a delete.

        Returns:
            The number of bytes appended.

        Raises:
            ValueError: if the log is closed.
            OSError: if the write or fsync fails; the log may then end with a
                partial record, so the caller must stop using it.

        Complexity: O(record), plus one fsync when ``sync="always"``.

        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as d:
        ...     log = WriteAheadLog(os.path.join(d, "1.log"), sync="always")
        ...     sizes = [log.append(b"k", b"v"), log.append(b"", b"")]
        ...     log.close()
        >>> sizes  # an empty key and value still cost the 13-byte header
        [15, 13]
        >>> log.append(b"k", b"v")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: log .../1.log is closed
        """
        if self._fd < 0:
            raise ValueError(f"log {self.path} is closed")
        record = memoryview(encode_record(key, value))
        while record:  # os.write may write less than asked (a "short write")
            record = record[os.write(self._fd, record) :]
        if self._sync == "always":
            os.fsync(self._fd)
        written = _HEADER_SIZE + len(key) + (0 if isinstance(value, Tombstone) else len(value))
        self.size_bytes += written
        return written

    def close(self, *, sync: bool = False) -> None:
        """Close the log; with ``sync=True`` fsync it first (a clean shutdown).

        Args:
            sync: fsync before closing, so even ``sync="none"`` writes survive
                a power loss after a clean close.

        Complexity: O(1), plus one fsync if asked.

        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as d:
        ...     log = WriteAheadLog(os.path.join(d, "1.log"), sync="none")
        ...     log.close(sync=True); log.close()  # closing twice is allowed
        """
        if self._fd < 0:
            return
        try:
            if sync:
                os.fsync(self._fd)
        finally:
            os.close(self._fd)
            self._fd = -1
