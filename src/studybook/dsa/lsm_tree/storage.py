"""The tree's files: the live log, the tables by level, and the manifest that commits them.

:class:`Storage` owns everything on disk and the two multi-file protocols.

Flush (each step durable before the next)::

    record MANIFEST {pending: table N, log N+1} -> write + fsync table N -> create log N+1
        -> commit MANIFEST {tables + N, log N+1, pending: old log} -> delete the old log

Compaction::

    record MANIFEST {pending: output numbers} -> write + fsync the output tables
        -> commit MANIFEST {levels with the outputs, without the inputs, pending: inputs}
        -> delete the inputs

A crash before the commit leaves a manifest that names only old files and
lists the new ones as pending: recovery deletes those and replays the old
log. A crash after it leaves the old log or the inputs, which the new
manifest lists as pending: recovery deletes them. Either way nothing
acknowledged is lost, and nothing the tree did not record is deleted; the
tests inject a crash at every :data:`FAULT_POINTS` step to prove it.

The first record costs one more manifest write per flush and per
compaction (two fsyncs); it is the price of never deleting a file on a
guess. A new number is never one whose name already exists in the
directory (:func:`~studybook.dsa.lsm_tree.recovery.is_free`).

>>> import tempfile
>>> from studybook.dsa.lsm_tree.leveled import Leveled
>>> with tempfile.TemporaryDirectory() as d:
...     storage = Storage(d, Leveled(), sync="none", block_bytes=4096, bloom_bits_per_key=10)
...     storage.memtable.put(b"k", b"v"); storage.flush(storage.memtable)
...     [t.number for t in storage.levels[0]], storage.wal_number
...     storage.close(clean=True)
([2], 3)
"""

from __future__ import annotations

import bisect
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Literal

from .compaction import Compaction, CompactionStrategy, apply_compaction
from .files import TEMP_SUFFIX, log_name, table_name
from .manifest import Manifest, read_manifest, write_manifest
from .memtable import Memtable, Tombstone, Value
from .merge import merge_newest_first
from .recovery import Recovered, is_free, lock_directory, recover, unlock_directory
from .sstable import TableMeta, TableWriter
from .sstable_reader import TableReader
from .wal import WriteAheadLog

__all__ = ["FAULT_POINTS", "Storage"]

FAULT_POINTS = (
    "flush:recorded",
    "flush:table-written",
    "flush:log-created",
    "flush:committed",
    "flush:old-log-deleted",
    "compaction:recorded",
    "compaction:table-written",
    "compaction:committed",
    "compaction:inputs-deleted",
)
"""Steps after which a test may inject a crash through :attr:`Storage.fault_hook`
(the idea of RocksDB's ``TEST_SYNC_POINT``)."""


class Storage:
    """Lock ``directory``, recover it, and keep its files consistent from then on.

    Args:
        directory: the tree's directory (must exist).
        strategy: the compaction strategy.
        sync: the log's sync mode (see :class:`~studybook.dsa.lsm_tree.wal.WriteAheadLog`).
        block_bytes: SSTable data block size.
        bloom_bits_per_key: Bloom filter bits per key.

    Raises:
        DirectoryLockedError: if another tree holds the directory.
        CorruptionError: if recovery finds damaged or missing files.
        ValueError: if the directory was written with another strategy.

    Attributes:
        memtable: the memtable rebuilt from the log (the tree takes it over).
        levels: the live tables, level 0 newest first.
        fault_hook: called with each :data:`FAULT_POINTS` name; tests make it raise.
    """

    def __init__(
        self,
        directory: str,
        strategy: CompactionStrategy,
        *,
        sync: Literal["always", "none"],
        block_bytes: int,
        bloom_bits_per_key: int,
    ) -> None:
        self.directory = directory
        self.strategy = strategy
        self._sync: Literal["always", "none"] = sync
        self._block_bytes = block_bytes
        self._bits_per_key = bloom_bits_per_key
        self._lock_fd = lock_directory(directory)
        state: Recovered | None = None
        try:
            state = recover(directory, strategy.name)
            self.wal = WriteAheadLog(self._path(log_name(state.manifest.wal_number)), sync=sync)
        except BaseException:
            for reader in state.readers.values() if state is not None else ():
                reader.release()
            unlock_directory(self._lock_fd)
            raise
        self.memtable = state.memtable
        self.readers = state.readers
        self.wal_number = state.manifest.wal_number
        self._next_file = state.manifest.next_file_number
        # Files recorded in the manifest as created-but-uncommitted or
        # obsolete-but-maybe-not-deleted; recovery deletes exactly these.
        self._pending: set[str] = set()
        self._recorded_pending: tuple[str, ...] = ()  # what the manifest on disk lists
        self.levels: list[list[TableMeta]] = []
        self._level_keys: list[list[bytes]] = []
        self._install(state.levels)
        self.fault_hook: Callable[[str], None] = _no_fault
        self.flush_bytes = self.compaction_bytes = self.flushes = self.compactions = 0

    def _path(self, name: str) -> str:
        return os.path.join(self.directory, name)

    def flush(self, memtable: Memtable) -> None:
        """Write ``memtable`` as a new level-0 table and switch to a new, empty log.

        The caller must then replace its memtable: the new log does not hold
        these entries. Does nothing for an empty memtable.

        Complexity: O(memtable bytes), plus about eight fsyncs.

        >>> import tempfile
        >>> from studybook.dsa.lsm_tree.size_tiered import SizeTiered
        >>> tmp = tempfile.TemporaryDirectory()
        >>> storage = Storage(tmp.name, SizeTiered(min_threshold=2, min_sstable_bytes=0),
        ...                   sync="none", block_bytes=4096, bloom_bits_per_key=10)
        >>> storage.memtable.put(b"k", b"v"); storage.flush(storage.memtable)
        >>> storage.flush(Memtable())  # nothing to do
        >>> [t.number for t in storage.levels[0]], storage.wal_number, storage.flushes
        ([2], 3, 1)
        >>> storage.close(clean=True); tmp.cleanup()
        """
        if not len(memtable):
            return
        table_number, new_wal_number = self._allocate_number(), self._allocate_number()
        new_wal = log_name(new_wal_number)
        self._record_pending({table_name(table_number), new_wal}, "flush")
        [table] = self._write_tables(memtable.items(), None, "flush", [table_number])
        self.flush_bytes += table.file_bytes
        self.flushes += 1
        old_wal = log_name(self.wal_number)
        self.wal.close()
        self.wal = WriteAheadLog(self._path(new_wal), sync=self._sync)
        self.fault_hook("flush:log-created")
        level0 = self.levels[0] if self.levels else []
        self._pending.add(old_wal)  # no longer needed once the commit names the table
        self._commit([[table, *level0], *self.levels[1:]], new_wal_number, "flush")
        self._delete(old_wal)
        self.fault_hook("flush:old-log-deleted")

    def compact_until_satisfied(self) -> None:
        """Run the strategy's compactions until it picks none.

        Terminates: a size-tiered merge removes at least one table, and a
        leveled merge moves bytes into deeper, geometrically larger levels.

        Complexity: proportional to the bytes rewritten.

        >>> import tempfile
        >>> from studybook.dsa.lsm_tree.size_tiered import SizeTiered
        >>> tmp = tempfile.TemporaryDirectory()
        >>> storage = Storage(tmp.name, SizeTiered(min_threshold=2, min_sstable_bytes=0),
        ...                   sync="none", block_bytes=4096, bloom_bits_per_key=10)
        >>> for key in (b"a", b"b"):
        ...     memtable = Memtable(); memtable.put(key, b"v"); storage.flush(memtable)
        >>> len(storage.levels[0]); storage.compact_until_satisfied(); len(storage.levels[0])
        2
        1
        >>> storage.close(clean=True); tmp.cleanup()
        """
        while (plan := self.strategy.pick(self.levels)) is not None:
            self.compact(plan)

    def compact(self, plan: Compaction) -> None:
        """Carry out ``plan``: merge its inputs, commit the outputs, delete the inputs.

        Complexity: O(input bytes), plus two fsyncs per output and the commit.

        >>> import tempfile
        >>> from studybook.dsa.lsm_tree.size_tiered import SizeTiered
        >>> tmp = tempfile.TemporaryDirectory()
        >>> storage = Storage(tmp.name, SizeTiered(min_threshold=2, min_sstable_bytes=0),
        ...                   sync="none", block_bytes=4096, bloom_bits_per_key=10)
        >>> memtable = Memtable(); memtable.delete(b"gone"); storage.flush(memtable)
        >>> storage.compact(storage.strategy.plan_full(storage.levels))
        >>> storage.levels, storage.compactions  # the lone tombstone was dropped
        ([], 1)
        >>> storage.close(clean=True); tmp.cleanup()
        """
        merged = merge_newest_first([self.readers[t.number].scan() for t in plan.inputs])
        if plan.drop_tombstones:
            merged = ((key, value) for key, value in merged if not isinstance(value, Tombstone))
        # Reserve enough numbers for the outputs (they are no bigger than the
        # inputs); _write_tables records more, one at a time, if it runs out.
        input_bytes = sum(t.file_bytes for t in plan.inputs)
        count = 1 if plan.max_output_bytes is None else input_bytes // plan.max_output_bytes + 1
        numbers = [self._allocate_number() for _ in range(count)]
        self._record_pending({table_name(n) for n in numbers}, "compaction")
        outputs = self._write_tables(merged, plan.max_output_bytes, "compaction", numbers)
        self.compaction_bytes += sum(t.file_bytes for t in outputs)
        self.compactions += 1
        inputs = {table_name(t.number) for t in plan.inputs}
        self._pending |= inputs  # no longer needed once the commit drops them
        self._commit(apply_compaction(self.levels, plan, outputs), self.wal_number, "compaction")
        for name in sorted(inputs):
            self._delete(name)
        self.fault_hook("compaction:inputs-deleted")

    def _allocate_number(self) -> int:
        while not is_free(self.directory, self._next_file):
            self._next_file += 1  # the name is someone else's: never overwrite it
        number = self._next_file
        self._next_file += 1
        return number

    def _record_pending(self, names: set[str], stage: str) -> None:
        """Commit the intent to create ``names`` before creating any of them."""
        self._pending |= names
        self._write_manifest(self.levels, self.wal_number)
        self.fault_hook(f"{stage}:recorded")

    def _write_manifest(self, levels: list[list[TableMeta]], wal_number: int) -> None:
        manifest = self._manifest(levels, wal_number)
        write_manifest(self.directory, manifest)
        self._recorded_pending = manifest.pending

    def _manifest(self, levels: list[list[TableMeta]], wal_number: int) -> Manifest:
        numbers = tuple(tuple(t.number for t in level) for level in levels)
        pending = tuple(sorted(self._pending))
        return Manifest(self.strategy.name, self._next_file, wal_number, numbers, pending)

    def _delete(self, name: str) -> None:
        os.remove(self._path(name))
        # The next manifest write stops listing it; until then a crash makes
        # recovery try again, which finds nothing to do.
        self._pending.discard(name)

    def _write_tables(
        self,
        entries: Iterable[tuple[bytes, Value]],
        max_bytes: int | None,
        stage: str,
        numbers: list[int],
    ) -> list[TableMeta]:
        """Write ``entries`` as tables numbered from ``numbers`` (already recorded as pending)."""
        tables: list[TableMeta] = []
        writer: TableWriter | None = None
        unused = list(reversed(numbers))
        try:
            for key, value in entries:
                if writer is None:
                    if not unused:
                        unused.append(self._allocate_number())
                        self._record_pending({table_name(unused[0])}, stage)
                    number = unused.pop()
                    writer = TableWriter(
                        self._path(table_name(number)),
                        number,
                        block_bytes=self._block_bytes,
                        bloom_bits_per_key=self._bits_per_key,
                    )
                writer.add(key, value)
                if max_bytes is not None and writer.estimated_bytes >= max_bytes:
                    tables.append(self._finish_table(writer, stage))
                    writer = None
            if writer is not None:
                tables.append(self._finish_table(writer, stage))
                writer = None
        finally:
            if writer is not None:
                writer.abandon()
        # Numbers reserved but never used name no file: nothing to clean up.
        self._pending.difference_update(table_name(n) for n in unused)
        return tables

    def _finish_table(self, writer: TableWriter, stage: str) -> TableMeta:
        meta = writer.finish()
        # Registered before the commit, so that a failure later still closes it.
        self.readers[meta.number] = TableReader(writer.path, meta.number)
        self.fault_hook(f"{stage}:table-written")
        return meta

    def _commit(self, levels: list[list[TableMeta]], wal_number: int, stage: str) -> None:
        live = {t.number for level in levels for t in level}
        self._pending.difference_update(table_name(n) for n in live)
        self._pending.discard(log_name(wal_number))
        self._write_manifest(levels, wal_number)
        self.fault_hook(f"{stage}:committed")
        self.wal_number = wal_number
        self._install(levels)
        for number in [n for n in self.readers if n not in live]:
            # A running scan may hold a reference: the data stays readable
            # until its descriptor closes, so unlinking later is safe on POSIX.
            self.readers.pop(number).release()

    def _install(self, levels: list[list[TableMeta]]) -> None:
        self.levels = levels
        self._level_keys = [[t.smallest for t in level] for level in levels]

    def tables_covering(self, key: bytes) -> Iterator[TableReader]:
        """Yield readers of the tables whose key range holds ``key``, newest first.

        Complexity: O(level-0 tables + levels x log(tables per level)).

        >>> import tempfile
        >>> from studybook.dsa.lsm_tree.size_tiered import SizeTiered
        >>> tmp = tempfile.TemporaryDirectory()
        >>> storage = Storage(tmp.name, SizeTiered(min_threshold=2, min_sstable_bytes=0),
        ...                   sync="none", block_bytes=4096, bloom_bits_per_key=10)
        >>> memtable = Memtable(); memtable.put(b"b", b""); memtable.put(b"d", b"")
        >>> storage.flush(memtable)
        >>> [r.meta.number for r in storage.tables_covering(b"c")]  # in range: a candidate
        [2]
        >>> list(storage.tables_covering(b"e"))
        []
        >>> storage.close(clean=True); tmp.cleanup()
        """
        for depth, level in enumerate(self.levels):
            if depth == 0:
                yield from (self.readers[t.number] for t in level if t.smallest <= key <= t.largest)
                continue
            # A deeper level is one sorted run: at most one table can hold the key.
            position = bisect.bisect_right(self._level_keys[depth], key) - 1
            if position >= 0 and key <= level[position].largest:
                yield self.readers[level[position].number]

    def pin_sources(
        self, start: bytes | None, end: bytes | None
    ) -> tuple[list[Iterable[tuple[bytes, Value]]], list[TableReader]]:
        """Return one sorted source per level-0 table and per deeper level, newest first.

        Every reader used is acquired; the caller must release the returned
        readers when done, so a compaction cannot close them mid-scan.

        Complexity: O(tables) to build; reading happens lazily.

        >>> import tempfile
        >>> from studybook.dsa.lsm_tree.size_tiered import SizeTiered
        >>> tmp = tempfile.TemporaryDirectory()
        >>> storage = Storage(tmp.name, SizeTiered(min_threshold=2, min_sstable_bytes=0),
        ...                   sync="none", block_bytes=4096, bloom_bits_per_key=10)
        >>> memtable = Memtable(); memtable.put(b"k", b"v"); storage.flush(memtable)
        >>> sources, pinned = storage.pin_sources(b"a", None)
        >>> [list(source) for source in sources], storage.pin_sources(None, b"k")  # end excluded
        ([[(b'k', b'v')]], ([], []))
        >>> for reader in pinned: reader.release()
        >>> storage.close(clean=True); tmp.cleanup()
        """
        sources: list[Iterable[tuple[bytes, Value]]] = []
        pinned: list[TableReader] = []
        for depth, level in enumerate(self.levels):
            readers = [self.readers[t.number] for t in level if _overlaps(t, start, end)]
            for reader in readers:
                reader.acquire()
                pinned.append(reader)
            if depth == 0:
                sources.extend(reader.scan(start, end) for reader in readers)
            else:  # a sorted run of disjoint tables is one source, read table after table
                sources.append(itertools.chain.from_iterable(r.scan(start, end) for r in readers))
        return sources, pinned

    def close(self, *, clean: bool) -> None:
        """Close the log (fsyncing it if ``clean``), the tables and the lock.

        A clean close also rewrites the manifest if it still lists files
        deleted since the last commit, so that it lists nothing pending.

        Complexity: O(tables), plus one to three fsyncs if ``clean``.

        >>> import tempfile  # runs only locally: a browser's files cannot be locked
        >>> from studybook.dsa.lsm_tree.size_tiered import SizeTiered
        >>> tmp = tempfile.TemporaryDirectory()
        >>> storage = Storage(tmp.name, SizeTiered(min_threshold=2, min_sstable_bytes=0),
        ...                   sync="none", block_bytes=4096, bloom_bits_per_key=10)
        >>> storage.close(clean=False)  # as after a crash: no fsync, but the lock is free
        >>> options = dict(sync="none", block_bytes=1, bloom_bits_per_key=0)
        >>> again = Storage(tmp.name, SizeTiered(), **options)
        >>> Storage(tmp.name, SizeTiered(), **options)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        studybook.dsa.lsm_tree.errors.DirectoryLockedError: ... is already open ...
        >>> again.close(clean=True); tmp.cleanup()
        """
        try:
            self.wal.close(sync=clean)
            if clean and self._recorded_pending:
                # Files deleted since the last commit are still listed: tidy up.
                self._write_manifest(self.levels, self.wal_number)
        finally:
            for reader in self.readers.values():
                reader.release()
            self.readers = {}
            unlock_directory(self._lock_fd)

    def check_invariants(self) -> None:
        """Raise ``AssertionError`` unless levels, readers, files and manifest agree.

        Files the tree does not own are not its business: only live files
        (which must exist) and recorded pending ones (which must be gone) are
        checked. Tests that start from an empty directory also check that
        nothing else appeared there.

        Complexity: O(tables) plus a directory listing and a manifest read.

        >>> import os, tempfile
        >>> from studybook.dsa.lsm_tree.leveled import Leveled
        >>> tmp = tempfile.TemporaryDirectory()
        >>> storage = Storage(tmp.name, Leveled(), sync="none", block_bytes=9, bloom_bits_per_key=0)
        >>> storage.check_invariants()
        >>> os.remove(os.path.join(tmp.name, "000001.log"))  # the live log vanishes
        >>> storage.check_invariants()
        Traceback (most recent call last):
        AssertionError: live files are missing: ['000001.log']
        >>> storage.close(clean=True); tmp.cleanup()
        """
        self.strategy.check_shape(self.levels)
        if self.strategy.pick(self.levels) is not None:
            raise AssertionError("compaction strategy is not satisfied")
        tables = {t.number: t for level in self.levels for t in level}
        if set(tables) != set(self.readers) or any(
            self.readers[n].meta != t for n, t in tables.items()
        ):
            raise AssertionError("open readers do not match the levels")
        if self._level_keys != [[t.smallest for t in level] for level in self.levels]:
            raise AssertionError("level search keys are stale")
        names = set(os.listdir(self.directory))
        expected = {table_name(n) for n in tables} | {log_name(self.wal_number)}
        if missing := expected - names:
            raise AssertionError(f"live files are missing: {sorted(missing)}")
        if self._pending:
            raise AssertionError(f"unfinished work between operations: {sorted(self._pending)}")
        on_disk = read_manifest(self.directory)
        if on_disk is None or replace(on_disk, pending=()) != self._manifest(
            self.levels, self.wal_number
        ):
            raise AssertionError("MANIFEST does not match the in-memory state")
        # The manifest may still list files deleted since it was written.
        if leftovers := {n for n in on_disk.pending if n in names or n + TEMP_SUFFIX in names}:
            raise AssertionError(f"pending files were not cleaned up: {sorted(leftovers)}")


def _no_fault(point: str) -> None:
    """The default fault hook: inject nothing."""


def _overlaps(table: TableMeta, start: bytes | None, end: bytes | None) -> bool:
    return (start is None or table.largest >= start) and (end is None or table.smallest < end)
