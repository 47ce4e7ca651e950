"""Writing SSTables: immutable sorted files with a sparse index and a Bloom filter.

A :class:`TableWriter` streams sorted entries into data blocks of about
``block_bytes`` each, then appends the index, the Bloom filter and the footer
(byte layout in :mod:`~studybook.dsa.lsm_tree.sstable_format`). It writes to a
temporary name and renames it only once the file is fsynced, so a table under
its real name is always complete; reading is
:class:`~studybook.dsa.lsm_tree.sstable_reader.TableReader`'s job.

Writing is one sequential pass: O(file size), then one fsync of the file and
one of the directory. Memory: the open block, one index entry per block, and
the keys (for the Bloom filter, which is sized once the key count is known).

>>> import os, tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     meta = write_table(os.path.join(d, "000001.sst"), 1, [(b"a", b"1"), (b"b", b"2")])
...     sorted(os.listdir(d)), meta.entry_count, meta.smallest, meta.largest
(['000001.sst'], 2, b'a', b'b')
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from .bloom import MAX_BLOOM_BITS_PER_KEY, BloomFilter
from .checks import require_int
from .files import TEMP_SUFFIX, fsync_directory
from .memtable import Value
from .sstable_format import (
    BlockHandle,
    Footer,
    Index,
    encode_entry,
    encode_index,
    seal_block,
)

__all__ = ["TableMeta", "TableWriter", "write_table"]


@dataclass(frozen=True)
class TableMeta:
    """What compaction planning needs to know about a table, without opening it."""

    number: int
    file_bytes: int
    entry_count: int
    smallest: bytes
    largest: bytes


def write_table(
    path: str | os.PathLike[str],
    number: int,
    entries: Iterable[tuple[bytes, Value]],
    *,
    block_bytes: int = 4096,
    bloom_bits_per_key: int = 10,
) -> TableMeta:
    """Write ``entries`` (strictly increasing keys) as one complete table.

    Args:
        path: the table's final name.
        number: its file number, recorded in the returned metadata.
        entries: at least one ``(key, value or TOMBSTONE)``, sorted by key.
        block_bytes: a block is closed once it reaches this many bytes.
        bloom_bits_per_key: Bloom filter bits per key (0 disables the filter).

    Returns:
        The new table's :class:`TableMeta`.

    Raises:
        ValueError: if ``entries`` is empty or not strictly increasing.

    Complexity: O(total entry bytes), plus two fsyncs.

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     meta = write_table(os.path.join(d, "7.sst"), 7, [(b"", b""), (b"z", b"!")])
    ...     write_table(os.path.join(d, "8.sst"), 8, [])
    Traceback (most recent call last):
    ValueError: a table needs at least one entry
    >>> meta.number, meta.smallest, meta.largest  # b"" is a legal key
    (7, b'', b'z')
    """
    with TableWriter(
        path, number, block_bytes=block_bytes, bloom_bits_per_key=bloom_bits_per_key
    ) as writer:
        for key, value in entries:
            writer.add(key, value)
        return writer.finish()


class TableWriter:
    """Builds one table; use as a context manager so a failure removes the temporary.

    Args:
        path: the table's final name; bytes go to ``path + ".tmp"`` until
            :meth:`finish` renames it.
        number: the table's file number.
        block_bytes: target data block size (LevelDB and RocksDB default to 4 KiB).
        bloom_bits_per_key: Bloom filter bits per key.

    Raises:
        TypeError: if a number is not an ``int`` (``bool`` included).
        ValueError: if ``block_bytes < 1``, ``bloom_bits_per_key`` is
            outside 0..64, or ``number < 0``.
        FileExistsError: if the temporary file already exists: the writer
            never overwrites a file it did not create.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        number: int,
        *,
        block_bytes: int = 4096,
        bloom_bits_per_key: int = 10,
    ) -> None:
        require_int("block_bytes", block_bytes, minimum=1)
        require_int(
            "bloom_bits_per_key", bloom_bits_per_key, minimum=0, maximum=MAX_BLOOM_BITS_PER_KEY
        )
        self.path = os.fspath(path)
        self.number = require_int("number", number, minimum=0)
        self._block_bytes = block_bytes
        self._bits_per_key = bloom_bits_per_key
        # "x": exclusive creation, so a file that is not ours is never truncated.
        self._file = open(self.path + TEMP_SUFFIX, "xb")  # noqa: SIM115 - closed in finish/abandon
        self._block = bytearray()
        self._block_first_key = b""
        self._handles: list[BlockHandle] = []
        self._keys: list[bytes] = []
        self._offset = 0

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self._file.closed:
            self.abandon()

    @property
    def estimated_bytes(self) -> int:
        """Data bytes so far, open block included, which output splitting compares.

        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as d, TableWriter(os.path.join(d, "1.sst"), 1) as w:
        ...     before = w.estimated_bytes; w.add(b"k", b"v")
        ...     before, w.estimated_bytes  # a 9-byte entry header + key + value
        (0, 11)
        """
        return self._offset + len(self._block)

    def add(self, key: bytes, value: Value) -> None:
        """Append an entry; keys must arrive strictly increasing.

        Args:
            key: the key, greater than every key added before.
            value: the value, or ``TOMBSTONE``.

        Raises:
            ValueError: if ``key`` is not greater than the previous key.

        Complexity: O(len(key) + len(value)), amortised.

        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as d, TableWriter(os.path.join(d, "1.sst"), 1) as w:
        ...     w.add(b"b", b""); w.add(b"a", b"")
        Traceback (most recent call last):
        ValueError: keys must be strictly increasing, got b'a' after b'b'
        """
        if self._keys and key <= self._keys[-1]:
            raise ValueError(
                f"keys must be strictly increasing, got {key!r} after {self._keys[-1]!r}"
            )
        if not self._block:
            self._block_first_key = key
        self._block += encode_entry(key, value)
        self._keys.append(key)
        if len(self._block) >= self._block_bytes:
            self._finish_block()

    def _finish_block(self) -> None:
        block = seal_block(bytes(self._block))
        self._file.write(block)
        self._handles.append(BlockHandle(self._block_first_key, self._offset, len(block)))
        self._offset += len(block)
        self._block.clear()

    def finish(self) -> TableMeta:
        """Write index, filter and footer, fsync, and rename the table into place.

        Returns:
            The table's :class:`TableMeta`.

        Raises:
            ValueError: if no entry was added.

        Complexity: O(keys) for the filter, plus two fsyncs.

        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as d:
        ...     writer = TableWriter(os.path.join(d, "1.sst"), 1, block_bytes=1)
        ...     writer.add(b"a", b"1"); writer.add(b"b", b"2")  # one block each
        ...     meta, empty = writer.finish(), TableWriter(os.path.join(d, "2.sst"), 2)
        >>> meta.file_bytes, meta.entry_count
        (142, 2)
        >>> empty.finish()
        Traceback (most recent call last):
        ValueError: a table needs at least one entry
        """
        try:
            return self._finish()
        except BaseException:
            self.abandon()  # a failed finish never leaves a temporary behind
            raise

    def _finish(self) -> TableMeta:
        if not self._keys:
            raise ValueError("a table needs at least one entry")
        if self._block:
            self._finish_block()
        index = encode_index(Index(tuple(self._handles), len(self._keys), self._keys[-1]))
        bloom = BloomFilter.for_key_count(len(self._keys), self._bits_per_key)
        for key in self._keys:
            bloom.add(key)
        bloom_bytes = bloom.to_bytes()
        bloom_offset = self._offset + len(index)
        footer = Footer(
            self._offset,
            len(index),
            zlib.crc32(index),
            bloom_offset,
            len(bloom_bytes),
            zlib.crc32(bloom_bytes),
        )
        self._file.write(index + bloom_bytes + footer.encode())
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self.path + TEMP_SUFFIX, self.path)
        fsync_directory(os.path.dirname(self.path) or ".")
        size = bloom_offset + len(bloom_bytes) + Footer.SIZE
        return TableMeta(self.number, size, len(self._keys), self._keys[0], self._keys[-1])

    def abandon(self) -> None:
        """Close and delete the temporary file (after an error); the final name is never created.

        Complexity: O(1).

        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as d:
        ...     writer = TableWriter(os.path.join(d, "1.sst"), 1); writer.add(b"k", b"v")
        ...     writer.abandon(); writer.abandon()  # idempotent
        ...     os.listdir(d)
        []
        """
        self._file.close()
        if os.path.exists(self.path + TEMP_SUFFIX):
            os.remove(self.path + TEMP_SUFFIX)
