"""Opening a directory: lock it, trust the manifest, delete orphans, replay the log.

Recovery is short because every multi-file change commits by replacing the
manifest (see :mod:`~studybook.dsa.lsm_tree.manifest`):

1. Take an exclusive ``flock`` on ``LOCK`` (fails if another tree has it).
2. Read ``MANIFEST``. None means a new tree: create log 1 and the manifest.
3. Delete every numbered file the manifest does not name, and every ``*.tmp``:
   they are the unfinished work of a flush or compaction that crashed
   before its commit, so nothing live can depend on them.
4. Open (and so checksum) every table the manifest names.
5. Replay the manifest's log into a fresh memtable, truncating a torn tail.

The order of the flush protocol is what makes step 3 safe: a new table or log
is fsynced *before* the manifest names it, and an old log is deleted only
*after* the manifest stops naming it.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     lock = lock_directory(d)
...     state = recover(d, "leveled")
...     state.manifest.wal_number, state.levels, len(state.memtable)
...     unlock_directory(lock)
(1, [], 0)
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from dataclasses import dataclass

from .errors import CorruptionError, DirectoryLockedError
from .files import LOCK_NAME, TEMP_SUFFIX, log_name, parse_file_name, table_name
from .manifest import Manifest, read_manifest, write_manifest
from .memtable import Memtable
from .sstable import TableMeta
from .sstable_reader import TableReader
from .wal import WriteAheadLog, replay

__all__ = ["Recovered", "lock_directory", "recover", "unlock_directory"]


def lock_directory(directory: str) -> int:
    """Take the directory's exclusive lock; return the descriptor that holds it.

    ``flock`` locks belong to an open file description, so a second open of
    ``LOCK`` conflicts even inside the same process, and the kernel releases
    the lock when the holder closes it or dies (no stale lock after a crash).

    Args:
        directory: an existing directory.

    Returns:
        The locked file descriptor; pass it to :func:`unlock_directory`.

    Raises:
        DirectoryLockedError: if another tree holds the lock.

    Complexity: O(1).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     held = lock_directory(d)
    ...     try:
    ...         lock_directory(d)
    ...     finally:
    ...         unlock_directory(held)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    studybook.dsa.lsm_tree.errors.DirectoryLockedError: ... is already open by another LSMTree (...)
    """
    fd = os.open(os.path.join(directory, LOCK_NAME), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise DirectoryLockedError(
            f"{directory} is already open by another LSMTree (LOCK is held)"
        ) from None
    return fd


def unlock_directory(fd: int) -> None:
    """Release a lock taken by :func:`lock_directory` (closing the descriptor does it).

    Complexity: O(1).
    """
    os.close(fd)


@dataclass
class Recovered:
    """The state :func:`recover` rebuilt from disk."""

    manifest: Manifest
    levels: list[list[TableMeta]]
    readers: dict[int, TableReader]
    memtable: Memtable


def recover(directory: str, strategy_name: str) -> Recovered:
    """Rebuild a tree's state from its locked directory (steps 2-5 above).

    Args:
        directory: the tree's directory, already locked by the caller.
        strategy_name: the compaction strategy's name; it must match the
            manifest's, because the level layout depends on it.

    Returns:
        The manifest, the levels, an open reader per table, and the memtable.

    Raises:
        CorruptionError: if a file fails its checks, a named file is missing,
            or tables exist without a manifest.
        ValueError: if the directory was written with another strategy.

    Complexity: O(log size + index and filter sizes), plus one fsync per created file.
    """
    manifest = read_manifest(directory)
    if manifest is None:
        manifest = _create(directory, strategy_name)
    if manifest.compaction != strategy_name:
        raise ValueError(
            f"{directory} was written with {manifest.compaction!r} compaction,"
            f" got {strategy_name!r}"
        )
    _delete_orphans(directory, manifest)
    readers: dict[int, TableReader] = {}
    try:
        for number in (n for level in manifest.levels for n in level):
            readers[number] = _open_table(directory, number)
        memtable = Memtable()
        log_path = os.path.join(directory, log_name(manifest.wal_number))
        if not os.path.exists(log_path):
            raise CorruptionError(log_path, 0, "log named in MANIFEST is missing")
        for key, value in replay(log_path):
            memtable.put(key, value)
    except BaseException:
        for reader in readers.values():
            reader.release()
        raise
    levels = [[readers[n].meta for n in level] for level in manifest.levels]
    return Recovered(manifest, levels, readers, memtable)


def _create(directory: str, strategy_name: str) -> Manifest:
    for name in sorted(os.listdir(directory)):
        parsed = parse_file_name(name)
        # Deleting tables because MANIFEST is missing would destroy data that
        # someone may still recover by hand; an empty log is only the remains
        # of a crash during the very first open.
        if parsed is not None and (
            parsed[1] == "sst" or os.path.getsize(os.path.join(directory, name))
        ):
            raise CorruptionError(
                os.path.join(directory, name), 0, "file exists but MANIFEST is missing"
            )
    WriteAheadLog(os.path.join(directory, log_name(1)), sync="always").close()
    manifest = Manifest(strategy_name, next_file_number=2, wal_number=1, levels=())
    write_manifest(directory, manifest)
    return manifest


def _delete_orphans(directory: str, manifest: Manifest) -> None:
    live = {table_name(n) for level in manifest.levels for n in level}
    live.add(log_name(manifest.wal_number))
    for name in os.listdir(directory):
        if name.endswith(TEMP_SUFFIX) or (parse_file_name(name) is not None and name not in live):
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(directory, name))


def _open_table(directory: str, number: int) -> TableReader:
    path = os.path.join(directory, table_name(number))
    try:
        return TableReader(path, number)
    except FileNotFoundError:
        raise CorruptionError(path, 0, "table named in MANIFEST is missing") from None
