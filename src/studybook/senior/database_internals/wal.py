"""Write-ahead logging with redo recovery and checkpoints.

The rule every durable database follows: a change is appended to the log,
and the log reaches stable storage, *before* the write is acknowledged and
before the changed page may be written. After a crash, recovery loads the last
checkpoint and *redoes* every logged change after it, so nothing acknowledged
is lost. A checkpoint bounds recovery time: it writes the whole state with the
log sequence number (LSN) it includes, after which older log segments can go.

:class:`WALStore` is a string key-value store built that way. Its pages are a
dict in memory and its only "data file" is the checkpoint, so the log is
redo-only (a no-steal design: nothing uncommitted ever reaches the data
file, so there is nothing to undo; see the chapter for ARIES, which is
steal/no-force and needs undo too).

Files in the directory (the store touches nothing else)::

    wal-<first LSN, 20 digits>.log    log segments, records appended in LSN order
    checkpoint.json                  {"lsn": n, "data": {...}}, replaced atomically
    checkpoint.json.tmp              a checkpoint being written (ignored on open)

Record layout: ``crc32 (4 bytes, little-endian) | length (4) | payload`` where
the payload is UTF-8 JSON ``{"lsn": n, "ops": [[key, value or null], ...]}``.
A crash can only tear the *last* record of the *last* segment. So at the
first bad record of the last segment recovery searches every later byte
offset for a valid record: none means a torn tail, which is truncated (it was
never acknowledged); one means acknowledged records follow the damage, and
recovery refuses with :class:`WALCorruptionError` rather than drop them, as it
does for any damage in an earlier segment. (Searching every offset, not just
the next record boundary, also catches a flipped ``length`` field. What no
log can tell from a torn write is damage to the very last record alone.)

=================  =====================================  ======================
operation          cost                                   note
=================  =====================================  ======================
put / delete       O(record) + one fsync if ``sync``      group commit would batch
checkpoint         O(state) + two fsyncs                  then old segments go
open (recovery)    O(checkpoint + log since checkpoint)   redo only
=================  =====================================  ======================

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     with WALStore(d) as db:
...         db.put("a", "1"), db.put("b", "2"), db.delete("a")
...     with WALStore(d) as db:  # a reopen replays the log
...         db.items(), db.recovered
(1, 2, 3)
([('b', '2')], 3)

Primary source: C. Mohan et al., "ARIES: A Transaction Recovery Method
Supporting Fine-Granularity Locking and Partial Rollbacks Using Write-Ahead
Logging", ACM TODS 17(1), 1992.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import struct
import zlib
from pathlib import Path
from types import TracebackType
from typing import Self

from studybook._validate import check_str

__all__ = ["WALCorruptionError", "WALStore", "decode_records", "encode_record"]

_HEADER = struct.Struct("<II")
_SEGMENT = re.compile(r"wal-(\d{20})\.log")
_CHECKPOINT = "checkpoint.json"

Ops = list[tuple[str, str | None]]


class WALCorruptionError(ValueError):
    """The log or checkpoint is damaged where a crash alone cannot explain it."""


def encode_record(lsn: int, ops: Ops) -> bytes:
    """Encode one log record: crc32, length, then the JSON payload.

    Complexity: O(record).

    >>> encode_record(1, [("k", "v")])
    b'\\x9f\\xa4\\xae\\xed\\x1b\\x00\\x00\\x00{"lsn":1,"ops":[["k","v"]]}'
    """
    payload = json.dumps({"lsn": lsn, "ops": [list(op) for op in ops]}, separators=(",", ":"))
    body = payload.encode()
    return _HEADER.pack(zlib.crc32(body), len(body)) + body


def decode_records(data: bytes) -> tuple[list[tuple[int, Ops]], int]:
    """Decode records from the start of ``data``; stop at the first bad one.

    Returns:
        the ``(lsn, ops)`` pairs and the byte offset where the valid prefix
        ends (``len(data)`` when every record is whole).

    Complexity: O(len(data)).

    >>> rec = encode_record(7, [("k", None)])
    >>> decode_records(rec + rec[:5])
    ([(7, [('k', None)])], 36)
    """
    records: list[tuple[int, Ops]] = []
    offset = 0
    while (decoded := _decode_at(data, offset)) is not None:
        lsn, ops, offset = decoded
        records.append((lsn, ops))
    return records, offset


def _decode_at(data: bytes, offset: int) -> tuple[int, Ops, int] | None:
    """The record at ``offset`` as ``(lsn, ops, end)``, or ``None`` if incomplete or invalid."""
    if offset + _HEADER.size > len(data):
        return None
    crc, length = _HEADER.unpack_from(data, offset)
    end = offset + _HEADER.size + length
    body = data[offset + _HEADER.size : end]
    if length == 0 or end > len(data) or zlib.crc32(body) != crc:
        return None
    try:  # a matching CRC over a malformed payload is not a record either
        payload = json.loads(body)
        lsn, ops = payload["lsn"], [(k, v) for k, v in payload["ops"]]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(lsn, int) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in ops
    ):
        return None
    return lsn, ops, end


def _valid_record_after(data: bytes, offset: int) -> bool:
    """Whether a valid record starts anywhere after ``offset`` (O(tail x record))."""
    return any(_decode_at(data, later) is not None for later in range(offset + 1, len(data)))


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class WALStore:
    """A durable string key-value store: WAL first, redo recovery, checkpoints.

    Args:
        directory: an existing directory; the store creates and deletes only
            its own files (named in the module docstring).
        sync: fsync the log before every acknowledgement. ``False`` survives a
            process crash (``kill -9``: the OS still holds the bytes) but not a
            power loss.

    Raises:
        TypeError: ``directory`` is not a str or path, or ``sync`` not a bool.
        ValueError: ``directory`` is not an existing directory.
        WALCorruptionError: the files are damaged beyond a torn last record.

    Complexity: O(checkpoint + log since it) to open.
    """

    def __init__(self, directory: str | os.PathLike[str], *, sync: bool = True) -> None:
        if not isinstance(directory, str | os.PathLike):
            raise TypeError(f"directory must be a str or path, got {directory!r}")
        if not isinstance(sync, bool):
            raise TypeError(f"sync must be a bool, got {sync!r}")
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise ValueError(f"directory must be an existing directory, got {str(directory)!r}")
        self.sync = sync
        self._data: dict[str, str] = {}
        self._lsn = 0
        self.recovered = 0
        """How many log records the last open redid."""
        self._closed = False
        self._recover()
        self._log = open(self._segment_path(self._segment_start), "ab")  # noqa: SIM115
        _fsync_directory(self.directory)  # a new segment's name must be durable too

    def _segment_path(self, first_lsn: int) -> Path:
        return self.directory / f"wal-{first_lsn:020d}.log"

    def _segments(self) -> list[int]:
        return sorted(
            int(m.group(1))
            for name in os.listdir(self.directory)
            if (m := _SEGMENT.fullmatch(name))
        )

    def _recover(self) -> None:
        checkpoint_lsn = 0
        path = self.directory / _CHECKPOINT
        if path.exists():
            try:
                state = json.loads(path.read_text(encoding="utf-8"))
                checkpoint_lsn, self._data = int(state["lsn"]), dict(state["data"])
            except (ValueError, KeyError, TypeError) as error:
                raise WALCorruptionError(f"unreadable checkpoint {str(path)!r}: {error}") from None
        self._lsn = checkpoint_lsn
        segments = self._segments()
        for n, start in enumerate(segments):
            segment = self._segment_path(start)
            data = segment.read_bytes()
            records, valid = decode_records(data)
            if valid < len(data):
                if n != len(segments) - 1 or _valid_record_after(data, valid):
                    raise WALCorruptionError(
                        f"damaged record inside {segment.name} at byte {valid}"
                    )
                with open(segment, "r+b") as f:  # a torn tail was never acknowledged
                    f.truncate(valid)
                    os.fsync(f.fileno())
            for lsn, ops in records:
                if lsn <= checkpoint_lsn:
                    continue  # already in the checkpoint
                if lsn != self._lsn + 1:
                    raise WALCorruptionError(f"log jumps from LSN {self._lsn} to {lsn}")
                self._apply(ops)
                self._lsn = lsn
                self.recovered += 1
        self._segment_start = segments[-1] if segments else checkpoint_lsn + 1

    def _apply(self, ops: Ops) -> None:
        for key, value in ops:
            if value is None:
                self._data.pop(key, None)
            else:
                self._data[key] = value

    # ------------------------------------------------------------------ writes

    def put(self, key: str, value: str) -> int:
        """Log, then apply, ``key = value``; return the record's LSN once durable.

        Raises:
            TypeError: ``key`` or ``value`` is not a str.
            ValueError: the store is closed.

        Complexity: O(record) plus an fsync when ``sync``.
        """
        return self.write_batch([(check_str(key, "key"), check_str(value, "value"))])

    def delete(self, key: str) -> int:
        """Log, then apply, the removal of ``key`` (absent keys are fine); return the LSN.

        Raises:
            TypeError: ``key`` is not a str.
            ValueError: the store is closed.

        Complexity: O(record) plus an fsync when ``sync``.
        """
        return self.write_batch([(check_str(key, "key"), None)])

    def write_batch(self, ops: Ops) -> int:
        """Apply several puts (``(key, value)``) and deletes (``(key, None)``) atomically.

        The batch is one log record under one checksum, so recovery redoes all
        of it or none of it.

        Raises:
            TypeError: ``ops`` is not a list of ``(str, str | None)`` pairs.
            ValueError: ``ops`` is empty, or the store is closed.
            OSError: the append or fsync failed; the store is then closed,
                and the batch may or may not survive a reopen (it was not
                acknowledged).

        Complexity: O(record) plus an fsync when ``sync``.

        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as d, WALStore(d) as db:
        ...     db.write_batch([("x", "1"), ("y", "2")]), db.items()
        (1, [('x', '1'), ('y', '2')])
        """
        if not isinstance(ops, list) or not ops:
            raise ValueError(f"ops must be a non-empty list of (key, value) pairs, got {ops!r}")
        for op in ops:
            if not (isinstance(op, tuple) and len(op) == 2 and isinstance(op[0], str)):
                raise TypeError(f"each op must be (str, str | None), got {op!r}")
            if op[1] is not None and not isinstance(op[1], str):
                raise TypeError(f"each op must be (str, str | None), got {op!r}")
        self._check_open()
        lsn = self._lsn + 1
        try:
            self._log.write(encode_record(lsn, ops))
            self._log.flush()
            if self.sync:
                os.fsync(self._log.fileno())
        except BaseException:
            # The log's tail is now unknown (a partial record, or pages the
            # kernel may have dropped after a failed fsync): appending more
            # would bury it mid-log. Stop, as PostgreSQL PANICs; reopen recovers.
            self._closed = True
            with contextlib.suppress(OSError):
                self._log.close()
            raise
        # Only now, with the record durable, may the change be applied and acknowledged.
        self._apply(ops)
        self._lsn = lsn
        return lsn

    def checkpoint(self) -> int:
        """Write the whole state atomically, then drop the log it makes redundant.

        Steps, each safe to crash after: write ``checkpoint.json.tmp`` and
        fsync it; rename it over ``checkpoint.json`` and fsync the directory;
        start a new log segment; delete the older segments.

        Returns:
            the LSN the checkpoint includes.

        Raises:
            ValueError: the store is closed.

        Complexity: O(state) plus two fsyncs.

        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as d, WALStore(d) as db:
        ...     _ = db.put("k", "v"); db.checkpoint(), sorted(os.listdir(d))
        (1, ['checkpoint.json', 'wal-00000000000000000002.log'])
        """
        self._check_open()
        tmp = self.directory / (_CHECKPOINT + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"lsn": self._lsn, "data": self._data}, f, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.directory / _CHECKPOINT)
        _fsync_directory(self.directory)
        old = self._segments()
        self._log.close()
        self._segment_start = self._lsn + 1
        self._log = open(self._segment_path(self._segment_start), "ab")  # noqa: SIM115
        _fsync_directory(self.directory)
        for start in old:
            if start != self._segment_start:
                self._segment_path(start).unlink()
        return self._lsn

    # ------------------------------------------------------------------ reads

    def get(self, key: str) -> str:
        """Return the value of ``key``.

        Raises:
            KeyError: ``key`` is absent.
            TypeError: ``key`` is not a str.

        Complexity: O(1).
        """
        return self._data[check_str(key, "key")]

    def items(self) -> list[tuple[str, str]]:
        """Every ``(key, value)`` pair, sorted by key. Complexity: O(n log n)."""
        return sorted(self._data.items())

    @property
    def lsn(self) -> int:
        """The LSN of the last durable record (0 for a new store)."""
        return self._lsn

    # ------------------------------------------------------------------ lifetime

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"WALStore at {str(self.directory)!r} is closed")

    def close(self) -> None:
        """Close the log file; later writes raise ``ValueError``. Idempotent."""
        if not self._closed:
            self._log.close()
            self._closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
