"""The :class:`LSMTree`: a durable, ordered key-value store over one directory.

Write path: append to the write-ahead log, insert into the memtable; when the
memtable passes ``memtable_bytes``, flush it to a new level-0 SSTable and let
the compaction strategy merge tables until its shape is restored.

Read path: the memtable, then the tables from newest to oldest (level 0 in
order, then one table per deeper level, found by binary search), skipping a
table when the key is outside its range or its Bloom filter says no. The
first version found wins, and a tombstone means "deleted".

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d, LSMTree(d) as db:
...     db.put(b"k", b"v")
...     db.get(b"k")
b'v'
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from types import TracebackType
from typing import Literal

from .bloom import MAX_BLOOM_BITS_PER_KEY
from .checks import require_int
from .compaction import CompactionStrategy
from .leveled import Leveled
from .memtable import TOMBSTONE, Memtable, Tombstone, Value
from .merge import merge_newest_first
from .stats import Stats
from .storage import Storage
from .wal import check_record_size

__all__ = ["LSMTree"]


class LSMTree:
    """A log-structured merge tree storing ``bytes`` keys and values in ``directory``.

    Args:
        directory: where the tree lives; created if missing.
        memtable_bytes: flush the memtable once its keys and values reach
            this size (64 KiB: RocksDB's ``write_buffer_size`` / 1024).
        sync: ``"always"`` fsyncs the log before ``put``/``delete`` return, so
            an acknowledged write survives power loss. ``"none"`` only
            ``write()``s it to the OS: it survives the process being killed,
            not a power loss (and after one, the log may even be unreadable:
            the OS may write its pages back out of order). Flushes,
            compactions and ``close()`` fsync in both modes.
        compaction: the strategy (default ``Leveled()``); one instance per tree.
        block_bytes: target SSTable data block size (4 KiB, as LevelDB/RocksDB).
        bloom_bits_per_key: Bloom filter bits per key, 0 to disable, at most
            64 (10: under 1 % false positives).

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if a number is out of range, ``sync`` is unknown, or the
            directory was written with another compaction strategy.
        DirectoryLockedError: if another tree (in any process) has it open.
        CorruptionError: if recovery finds damaged or missing files.

    Keys and values must be ``bytes``: ``bytearray`` and ``memoryview`` are
    rejected rather than copied, because the memtable keeps references and a
    key mutated after ``put`` would silently break its sort order.

    Not thread-safe: use one thread, or a lock around every call.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with LSMTree(d, sync="none") as db:
    ...         db.put(b"a", b"1")
    ...     with LSMTree(d) as db:  # reopening replays the log
    ...         db.get(b"a")
    b'1'
    >>> LSMTree("/tmp", memtable_bytes=0)
    Traceback (most recent call last):
    ValueError: memtable_bytes must be >= 1, got 0
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        memtable_bytes: int = 64 * 1024,
        sync: Literal["always", "none"] = "always",
        compaction: CompactionStrategy | None = None,
        block_bytes: int = 4096,
        bloom_bits_per_key: int = 10,
    ) -> None:
        path = os.fspath(directory) if isinstance(directory, str | os.PathLike) else None
        if not isinstance(path, str):
            raise TypeError(
                f"directory must be str or os.PathLike[str], got {type(directory).__name__}"
            )
        self._memtable_limit = require_int("memtable_bytes", memtable_bytes, minimum=1)
        require_int("block_bytes", block_bytes, minimum=1)
        require_int(
            "bloom_bits_per_key", bloom_bits_per_key, minimum=0, maximum=MAX_BLOOM_BITS_PER_KEY
        )
        if sync not in ("always", "none"):
            raise ValueError(f"sync must be 'always' or 'none', got {sync!r}")
        strategy = Leveled() if compaction is None else _require_strategy(compaction)
        os.makedirs(path, exist_ok=True)
        self._storage = Storage(
            path,
            strategy,
            sync=sync,
            block_bytes=block_bytes,
            bloom_bits_per_key=bloom_bits_per_key,
        )
        self._closed = False
        self._memtable = self._storage.memtable
        self._user_bytes = self._wal_bytes = self._gets = self._probes = self._bloom_negatives = 0
        with self._fail_stop():
            # Reopening with a smaller memtable_bytes or stricter strategy
            # settings restores the shape a running tree always keeps.
            if self._memtable.size_bytes >= self._memtable_limit:
                self._flush()
            self._storage.compact_until_satisfied()

    def __enter__(self) -> LSMTree:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- writes ---------------------------------------------------------------

    def put(self, key: bytes, value: bytes) -> None:
        """Store ``value`` under ``key``; durable as ``sync`` promises when it returns.

        Args:
            key: any ``bytes``, including ``b""``.
            value: any ``bytes``, including ``b""``.

        Raises:
            TypeError: if ``key`` or ``value`` is not ``bytes``.
            ValueError: if the tree is closed, or key and value together
                exceed :data:`~studybook.dsa.lsm_tree.wal.MAX_KEY_VALUE_BYTES`
                (4 GiB minus 6 bytes: the log's length field is a u32).
            OSError: if the disk fails; the tree then closes itself (reopen
                to recover), because memory and disk may disagree.

        Complexity: O(len(key) + len(value)) amortised, plus one fsync with
        ``sync="always"``; a put that fills the memtable also pays the flush
        and any compaction it triggers.

        >>> import tempfile
        >>> tmp = tempfile.TemporaryDirectory(); db = LSMTree(tmp.name)
        >>> db.put(b"k", b"v"); db.put(b"k", b"")  # overwrite; b"" is a value
        >>> db.get(b"k")
        b''
        >>> db.put(b"k", bytearray(b"v"))
        Traceback (most recent call last):
        TypeError: value must be bytes, got bytearray
        >>> db.close(); tmp.cleanup()
        """
        self._check_open()
        _require_bytes("key", key)
        _require_bytes("value", value)
        # Checked before the log append: a record that cannot be encoded
        # must not reach the fail-stop path, which would close the tree.
        check_record_size(key, value)
        self._write(key, value)

    def delete(self, key: bytes) -> None:
        """Delete ``key`` by writing a tombstone (deleting an absent key is fine).

        Args:
            key: the key to delete.

        Raises:
            TypeError: if ``key`` is not ``bytes``.
            ValueError: if the tree is closed or the key is over the size limit.

        Complexity: as :meth:`put`.

        >>> import tempfile
        >>> tmp = tempfile.TemporaryDirectory(); db = LSMTree(tmp.name)
        >>> db.put(b"k", b"v"); db.flush()  # the value is now in a table
        >>> db.delete(b"k"); db.delete(b"never-written")
        >>> db.get(b"k") is None  # the memtable's tombstone hides the table's value
        True
        >>> db.delete("k")
        Traceback (most recent call last):
        TypeError: key must be bytes, got str
        >>> db.close(); tmp.cleanup()
        """
        self._check_open()
        check_record_size(_require_bytes("key", key), TOMBSTONE)
        self._write(key, TOMBSTONE)

    def _write(self, key: bytes, value: Value) -> None:
        with self._fail_stop():
            self._wal_bytes += self._storage.wal.append(key, value)
            self._memtable.put(key, value)
            self._user_bytes += len(key) + (0 if isinstance(value, Tombstone) else len(value))
            if self._memtable.size_bytes >= self._memtable_limit:
                self._flush()
                self._storage.compact_until_satisfied()

    @contextlib.contextmanager
    def _fail_stop(self) -> Iterator[None]:
        try:
            yield
        except BaseException:
            # Memory and disk may now disagree (a half-done flush, a partial
            # log record). Like LevelDB's background error, stop accepting
            # work; a reopen rebuilds a consistent state from disk.
            self._shutdown(clean=False)
            raise

    def flush(self) -> None:
        """Write the memtable to a new level-0 table now (no-op if it is empty).

        Protocol, each step durable before the next: record the new table's
        and log's names in the manifest as pending; write and fsync the
        table; create the next log; commit a manifest naming both; delete the
        old log. A crash between any two steps loses nothing: until the
        commit, recovery replays the old log and deletes the new files, which
        it knows are the tree's because they were recorded.

        Raises:
            ValueError: if the tree is closed.

        Complexity: O(memtable bytes), plus a handful of fsyncs and any
        compaction the new table triggers.

        >>> import tempfile
        >>> tmp = tempfile.TemporaryDirectory(); db = LSMTree(tmp.name)
        >>> db.put(b"k", b"v"); db.flush(); db.flush()  # the second is a no-op
        >>> db.stats().tables_per_level, db.get(b"k")
        ((1,), b'v')
        >>> db.close(); db.flush()
        Traceback (most recent call last):
        ValueError: LSMTree is closed
        >>> tmp.cleanup()
        """
        self._check_open()
        with self._fail_stop():
            self._flush()
            self._storage.compact_until_satisfied()

    def _flush(self) -> None:
        self._storage.flush(self._memtable)
        self._memtable = Memtable()

    def compact(self) -> None:
        """Full compaction: flush, then merge every table into one sorted run.

        Afterwards the tree holds each live key once and no tombstones (space
        amplification about 1). Size-tiered makes one table; leveled fills the
        deepest level with files of ``target_file_bytes``. Background
        compactions run on their own after every flush; call this to reclaim
        space now, for example after a bulk delete.

        Raises:
            ValueError: if the tree is closed.

        Complexity: O(total bytes): everything is read and rewritten once.

        >>> import tempfile
        >>> tmp = tempfile.TemporaryDirectory(); db = LSMTree(tmp.name)
        >>> db.put(b"a", b"1"); db.flush(); db.delete(b"a"); db.compact()
        >>> db.stats().table_bytes  # value and tombstone both gone
        0
        >>> db.close(); db.compact()
        Traceback (most recent call last):
        ValueError: LSMTree is closed
        >>> tmp.cleanup()
        """
        self._check_open()
        with self._fail_stop():
            self._flush()
            plan = self._storage.strategy.plan_full(self._storage.levels)
            if plan is not None:
                self._storage.compact(plan)
            self._storage.compact_until_satisfied()

    # -- reads ----------------------------------------------------------------

    def get(self, key: bytes) -> bytes | None:
        """Return the newest value stored under ``key``, or ``None`` if absent or deleted.

        ``None`` is unambiguous: values are ``bytes``, so "no value" cannot
        be confused with a stored one (``b""`` is returned as ``b""``).

        Args:
            key: the key to look up.

        Returns:
            The value, or ``None``.

        Raises:
            TypeError: if ``key`` is not ``bytes``.
            ValueError: if the tree is closed.
            CorruptionError: if a block read fails its checksum.

        Complexity: O(1) in the memtable; else one block read per table that
        passes its range and Bloom checks (about 1 with Bloom filters), after
        O(L0 tables + levels x log tables) in-memory checks.

        >>> import tempfile
        >>> tmp = tempfile.TemporaryDirectory(); db = LSMTree(tmp.name)
        >>> db.put(b"k", b""); db.flush()
        >>> db.get(b"k"), db.get(b"missing")
        (b'', None)
        >>> db.get(None)
        Traceback (most recent call last):
        TypeError: key must be bytes, got NoneType
        >>> db.close(); tmp.cleanup()
        """
        self._check_open()
        _require_bytes("key", key)
        self._gets += 1
        found = self._memtable.get(key)
        if found is None:
            found = self._get_from_tables(key)
        return None if found is None or isinstance(found, Tombstone) else found

    def _get_from_tables(self, key: bytes) -> Value | None:
        for reader in self._storage.tables_covering(key):
            if not reader.might_contain(key):
                self._bloom_negatives += 1
                continue
            self._probes += 1
            found = reader.get(key)
            if found is not None:
                return found  # the newest version: a value, or a tombstone hiding older ones
        return None

    def scan(
        self, start: bytes | None = None, end: bytes | None = None
    ) -> Iterator[tuple[bytes, bytes]]:
        """Iterate ``(key, value)`` for ``start <= key < end`` in key order.

        The iterator reads a snapshot taken at its first ``next()``: writes,
        flushes and compactions after that are not seen, and do not disturb it.
        It reads lazily, one block per table at a time.

        Args:
            start: first key included (``None``: from the smallest key).
            end: first key excluded (``None``: to the largest key).

        Returns:
            An iterator over live entries; deleted keys are skipped.

        Raises:
            TypeError: if a bound is neither ``bytes`` nor ``None``.
            ValueError: if ``start > end`` or the tree is closed (also raised
                by ``next()`` once the tree is closed).

        Complexity: O((k + t) log t) for k entries over t overlapping tables.

        >>> import tempfile
        >>> tmp = tempfile.TemporaryDirectory(); db = LSMTree(tmp.name)
        >>> for k in (b"a", b"b", b"c"): db.put(k, k.upper())
        >>> db.flush(); db.delete(b"b")
        >>> list(db.scan(b"a", b"c")), list(db.scan(b"c", b"c"))
        ([(b'a', b'A')], [])
        >>> db.scan(b"c", b"a")
        Traceback (most recent call last):
        ValueError: start must be <= end, got start=b'c', end=b'a'
        >>> db.close(); tmp.cleanup()
        """
        self._check_open()
        if start is not None:
            _require_bytes("start", start)
        if end is not None:
            _require_bytes("end", end)
        if start is not None and end is not None and start > end:
            raise ValueError(f"start must be <= end, got start={start!r}, end={end!r}")
        # A separate generator, so that the checks above run at call time.
        return self._scan(start, end)

    def _scan(self, start: bytes | None, end: bytes | None) -> Iterator[tuple[bytes, bytes]]:
        self._check_open()
        sources, pinned = self._storage.pin_sources(start, end)
        try:
            for key, value in merge_newest_first([self._memtable.items(start, end), *sources]):
                if not isinstance(value, Tombstone):
                    yield key, value
                    # The caller may have closed the tree while holding us.
                    self._check_open()
        finally:
            for reader in pinned:
                reader.release()

    # -- lifecycle and introspection ----------------------------------------

    def stats(self) -> Stats:
        """Return the tree's shape, counters and amplification figures.

        Returns:
            A frozen :class:`~studybook.dsa.lsm_tree.stats.Stats`.

        Raises:
            ValueError: if the tree is closed.

        Complexity: O(n): ``live_bytes`` (for space amplification) needs a full scan.

        >>> import tempfile
        >>> tmp = tempfile.TemporaryDirectory(); db = LSMTree(tmp.name)
        >>> db.put(b"k", b"v"); db.flush(); db.put(b"k", b"w")
        >>> s = db.stats(); s.tables_per_level, s.live_bytes, s.user_bytes_written
        ((1,), 2, 4)
        >>> db.close(); db.stats()
        Traceback (most recent call last):
        ValueError: LSMTree is closed
        >>> tmp.cleanup()
        """
        self._check_open()
        levels = self._storage.levels
        return Stats(
            tables_per_level=tuple(len(level) for level in levels),
            bytes_per_level=tuple(sum(t.file_bytes for t in level) for level in levels),
            table_bytes=sum(t.file_bytes for level in levels for t in level),
            wal_bytes=self._storage.wal.size_bytes,
            memtable_bytes=self._memtable.size_bytes,
            memtable_entries=len(self._memtable),
            live_bytes=sum(len(key) + len(value) for key, value in self.scan()),
            user_bytes_written=self._user_bytes,
            wal_bytes_written=self._wal_bytes,
            flush_bytes_written=self._storage.flush_bytes,
            compaction_bytes_written=self._storage.compaction_bytes,
            flushes=self._storage.flushes,
            compactions=self._storage.compactions,
            gets=self._gets,
            tables_probed=self._probes,
            bloom_negatives=self._bloom_negatives,
        )

    def close(self) -> None:
        """Fsync the log and release the directory; idempotent.

        The memtable is not flushed: its contents are in the log, which the
        next open replays (as LevelDB and RocksDB do).

        Complexity: one fsync.

        >>> import tempfile
        >>> tmp = tempfile.TemporaryDirectory(); db = LSMTree(tmp.name)
        >>> db.put(b"k", b"v"); db.close(); db.close()  # closing twice is fine
        >>> db.get(b"k")
        Traceback (most recent call last):
        ValueError: LSMTree is closed
        >>> with LSMTree(tmp.name) as db: db.get(b"k")  # the log was replayed
        b'v'
        >>> tmp.cleanup()
        """
        self._shutdown(clean=True)

    def _shutdown(self, *, clean: bool) -> None:
        if not self._closed:
            self._closed = True
            self._storage.close(clean=clean)

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError("LSMTree is closed")

    def _check_invariants(self) -> None:
        """Raise ``AssertionError`` if the memtable, the levels or the files disagree."""
        self._check_open()
        self._memtable._check_invariants()
        if self._memtable.size_bytes >= self._memtable_limit:
            raise AssertionError("memtable is over its limit but was not flushed")
        self._storage.check_invariants()


def _require_strategy(compaction: object) -> CompactionStrategy:
    if isinstance(compaction, type):
        raise TypeError(f"compaction must be an instance, got the class {compaction.__name__}")
    if not isinstance(compaction, CompactionStrategy):
        raise TypeError(f"compaction must be a CompactionStrategy, got {type(compaction).__name__}")
    return compaction


def _require_bytes(name: str, value: object) -> bytes:
    if not isinstance(value, bytes):
        raise TypeError(f"{name} must be bytes, got {type(value).__name__}")
    return value
