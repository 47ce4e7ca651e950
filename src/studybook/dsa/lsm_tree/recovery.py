"""Opening a directory: lock it, trust the manifest, delete orphans, replay the log.

Recovery is short because every multi-file change commits by replacing the
manifest (see :mod:`~studybook.dsa.lsm_tree.manifest`):

1. Take an exclusive ``flock`` on ``LOCK`` (fails if another tree has it).
2. Read ``MANIFEST``. None means a new tree: create a log and the manifest.
3. Delete the files the manifest lists as ``pending`` (and a table's
   ``.tmp``): the unfinished work of a flush or compaction that crashed
   before its commit, or inputs it had not deleted yet. Then commit a
   manifest with nothing pending.
4. Open (and so checksum) every table the manifest names.
5. Replay the manifest's log into a fresh memtable, truncating a torn tail.

Step 3 deletes only what the tree itself named *and recorded*. A file it
merely does not recognise, a ``notes.tmp`` or a ``000007.sst`` that someone
copied in, is left alone: the directory is handed to us, not owned by us.
The order of the flush protocol is what makes step 3 safe: a file is
recorded as pending *before* it is created, fsynced *before* the manifest
names it, and an old log is deleted only *after* the manifest stops naming it.
Two limits remain, as in every engine: a name once recorded stays the tree's
(a file someone puts under a pending name while the tree is down is deleted
on the next open), and ``MANIFEST``, ``MANIFEST.tmp`` and ``LOCK`` are
reserved (a new tree refuses to start over someone else's ``MANIFEST.tmp``).

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
import itertools
import os
import stat
from dataclasses import dataclass, replace

from .errors import CorruptionError, DirectoryLockedError
from .files import (
    LOCK_NAME,
    MANIFEST_NAME,
    TEMP_SUFFIX,
    fsync_directory,
    log_name,
    parse_file_name,
    table_name,
)
from .manifest import Manifest, decode_manifest, read_manifest, write_manifest
from .memtable import Memtable
from .sstable import TableMeta
from .sstable_reader import TableReader
from .wal import WriteAheadLog, replay

__all__ = ["Recovered", "is_free", "lock_directory", "recover", "unlock_directory"]


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

    >>> import tempfile  # runs only locally: a browser's files cannot be locked
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
        FileExistsError: if a new tree would have to replace someone else's
            ``MANIFEST.tmp``.

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
    if manifest.pending:
        _delete_pending(directory, manifest.pending)
        manifest = replace(manifest, pending=())
        write_manifest(directory, manifest)
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
        # Tables or a non-empty log without a MANIFEST look like a tree whose
        # manifest was lost: opening it as a new, empty tree would hide that
        # data, so refuse. An empty log is the remains of a crash during the
        # very first open (or someone's empty file); it is skipped, not reused.
        # The tree only ever creates regular files: a directory or a symlink
        # (even a dangling one) under such a name is someone else's, and
        # is_free keeps the tree off its number.
        if parsed is None:
            continue
        path = os.path.join(directory, name)
        info = os.lstat(path)
        if stat.S_ISREG(info.st_mode) and (parsed[1] == "sst" or info.st_size):
            raise CorruptionError(path, 0, "file exists but MANIFEST is missing")
    _check_manifest_temp(os.path.join(directory, MANIFEST_NAME + TEMP_SUFFIX))
    number = next(n for n in itertools.count(1) if is_free(directory, n))
    WriteAheadLog(os.path.join(directory, log_name(number)), sync="always").close()
    manifest = Manifest(strategy_name, next_file_number=number + 1, wal_number=number, levels=())
    write_manifest(directory, manifest)
    return manifest


def _check_manifest_temp(path: str) -> None:
    """Refuse to start a new tree over someone else's ``MANIFEST.tmp``.

    The first commit writes that name and renames it away. A leftover from a
    crash during a first open is the tree's own: empty, or a whole manifest.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISREG(info.st_mode):
        with open(path, "rb") as file:
            data = file.read()
        with contextlib.suppress(CorruptionError):
            if not data or decode_manifest(data, path):
                return
    raise FileExistsError(f"{path} is not the tree's, but the tree needs that name")


def is_free(directory: str, number: int) -> bool:
    """Return whether no file in ``directory`` uses any name the tree could give ``number``.

    The tree never creates a file over an existing one: a name that is taken
    belongs to someone else, so its number is skipped.

    Args:
        directory: the tree's directory.
        number: a candidate file number.

    Returns:
        ``False`` if ``NNNNNN.sst``, ``NNNNNN.sst.tmp`` or ``NNNNNN.log`` exists.

    Complexity: three ``stat`` calls.

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     open(os.path.join(d, "000007.sst"), "wb").close()  # someone else's file
    ...     is_free(d, 7), is_free(d, 8)
    (False, True)
    """
    names = (table_name(number), table_name(number) + TEMP_SUFFIX, log_name(number))
    return not any(os.path.lexists(os.path.join(directory, name)) for name in names)


def _delete_pending(directory: str, pending: tuple[str, ...]) -> None:
    for name in pending:
        # A pending table may also have been left half-written under its temporary name.
        temporary = (name + TEMP_SUFFIX,) if name.endswith(".sst") else ()
        for victim in (name, *temporary):
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(directory, victim))
    fsync_directory(directory)


def _open_table(directory: str, number: int) -> TableReader:
    path = os.path.join(directory, table_name(number))
    try:
        return TableReader(path, number)
    except FileNotFoundError:
        raise CorruptionError(path, 0, "table named in MANIFEST is missing") from None
