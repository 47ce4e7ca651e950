"""Reading SSTables: check once at open, then read one block per lookup.

Opening a table reads the footer, then the index and the Bloom filter it
points to, and checks all three checksums; the index and filter stay in
memory. Data blocks are read on demand with ``os.pread`` and checked when read,
so every byte of the file is verified before it is trusted.

The reader keeps its file descriptor open. On POSIX an unlinked file's data
lives until its last descriptor closes, so a compaction may delete a table
while a scan is still reading it. Readers are reference-counted for that: the
tree holds one reference and each running scan another; the descriptor closes
with the last one.

========================  ============================================
operation                 cost
========================  ============================================
open                      O(index + filter): three ``pread`` calls
``might_contain``         O(len(key) + k), no I/O
``get``                   O(log blocks) in memory, then one block read
``scan`` of k entries     O(log blocks + k), reading only blocks in range
========================  ============================================

>>> import os, tempfile
>>> from studybook.dsa.lsm_tree.sstable import write_table
>>> with tempfile.TemporaryDirectory() as d:
...     _ = write_table(os.path.join(d, "1.sst"), 1, [(b"a", b"1"), (b"b", b"2")])
...     reader = TableReader(os.path.join(d, "1.sst"), 1)
...     reader.get(b"b"), list(reader.scan(b"a", b"b")), reader.release()
(b'2', [(b'a', b'1')], None)
"""

from __future__ import annotations

import bisect
import itertools
import os
import zlib
from collections.abc import Iterator

from .bloom import BloomFilter
from .checks import require_int
from .errors import CorruptionError
from .memtable import Value
from .sstable import TableMeta
from .sstable_format import Footer, Index, decode_block, decode_index

__all__ = ["TableReader"]


class TableReader:
    """An open, checked table; reference-counted (it starts with one reference).

    Args:
        path: the table file.
        number: its file number.

    Raises:
        CorruptionError: if the footer, index or Bloom filter fail their checks.
        FileNotFoundError: if ``path`` does not exist.
        TypeError: if ``number`` is not an ``int``.
        ValueError: if ``number`` is negative.

    >>> TableReader("/nonexistent-studybook-dir/1.sst", 1)
    Traceback (most recent call last):
    FileNotFoundError: [Errno ...] No such file or directory: '/nonexistent-studybook-dir/1.sst'
    """

    def __init__(self, path: str | os.PathLike[str], number: int) -> None:
        require_int("number", number, minimum=0)
        self.path = os.fspath(path)
        self._fd = os.open(self.path, os.O_RDONLY)
        self._refs = 1
        try:
            self._index, self._bloom, size = self._load()
        except BaseException:
            os.close(self._fd)
            raise
        self._first_keys = [handle.first_key for handle in self._index.blocks]
        self.meta = TableMeta(
            number, size, self._index.entry_count, self._first_keys[0], self._index.last_key
        )

    def _load(self) -> tuple[Index, BloomFilter, int]:
        size = os.fstat(self._fd).st_size
        if size < Footer.SIZE:
            raise CorruptionError(self.path, 0, f"file of {size} bytes is too short for a footer")
        footer_offset = size - Footer.SIZE
        footer = Footer.decode(
            os.pread(self._fd, Footer.SIZE, footer_offset), self.path, footer_offset
        )
        if (
            footer.index_offset + footer.index_length != footer.bloom_offset
            or footer.bloom_offset + footer.bloom_length != footer_offset
        ):
            raise CorruptionError(self.path, footer_offset, "footer offsets do not match the file")
        index_bytes = os.pread(self._fd, footer.index_length, footer.index_offset)
        if zlib.crc32(index_bytes) != footer.index_crc:
            raise CorruptionError(self.path, footer.index_offset, "index checksum mismatch")
        bloom_bytes = os.pread(self._fd, footer.bloom_length, footer.bloom_offset)
        if zlib.crc32(bloom_bytes) != footer.bloom_crc:
            raise CorruptionError(self.path, footer.bloom_offset, "bloom filter checksum mismatch")
        index = decode_index(
            index_bytes, self.path, footer.index_offset, data_end=footer.index_offset
        )
        try:
            bloom = BloomFilter.from_bytes(bloom_bytes)
        except ValueError as error:
            raise CorruptionError(self.path, footer.bloom_offset, str(error)) from None
        return index, bloom, size

    def might_contain(self, key: bytes) -> bool:
        """Cheap check before :meth:`get`: is ``key`` in range and does the Bloom filter allow it?

        Args:
            key: the key.

        Returns:
            ``False`` if the table certainly lacks ``key``.

        Complexity: O(len(key) + k) in memory; no I/O.

        >>> import os, tempfile
        >>> from studybook.dsa.lsm_tree.sstable import write_table
        >>> with tempfile.TemporaryDirectory() as d:
        ...     _ = write_table(os.path.join(d, "1.sst"), 1, [(b"b", b""), (b"d", b"")])
        ...     reader = TableReader(os.path.join(d, "1.sst"), 1)
        ...     [reader.might_contain(k) for k in (b"a", b"b", b"e")]; reader.release()
        [False, True, False]
        """
        return self.meta.smallest <= key <= self.meta.largest and self._bloom.might_contain(key)

    def get(self, key: bytes) -> Value | None:
        """Return the value or tombstone stored for ``key``, or ``None`` if the table lacks it.

        Args:
            key: the key.

        Returns:
            The value, ``TOMBSTONE``, or ``None``.

        Raises:
            CorruptionError: if the block read fails its checks.
            ValueError: if the reader is closed.

        Complexity: O(log blocks + block entries), one block read.

        >>> import os, tempfile
        >>> from studybook.dsa.lsm_tree.memtable import TOMBSTONE
        >>> from studybook.dsa.lsm_tree.sstable import write_table
        >>> with tempfile.TemporaryDirectory() as d:
        ...     _ = write_table(os.path.join(d, "1.sst"), 1, [(b"a", b""), (b"b", TOMBSTONE)])
        ...     reader = TableReader(os.path.join(d, "1.sst"), 1)
        ...     found = reader.get(b"a"), reader.get(b"b"), reader.get(b"c")
        >>> found
        (b'', TOMBSTONE, None)
        >>> reader.release(); reader.get(b"a")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: table .../1.sst is closed
        """
        block_number = bisect.bisect_right(self._first_keys, key) - 1
        if block_number < 0 or key > self.meta.largest:
            return None
        entries = self._read_block(block_number)
        position = bisect.bisect_left(entries, key, key=lambda entry: entry[0])
        if position < len(entries) and entries[position][0] == key:
            return entries[position][1]
        return None

    def scan(
        self, start: bytes | None = None, end: bytes | None = None
    ) -> Iterator[tuple[bytes, Value]]:
        """Yield the entries with ``start <= key < end`` in key order, tombstones included.

        Args:
            start: first key included, or ``None``.
            end: first key excluded, or ``None``.

        Returns:
            A lazy iterator; each block is read when the iteration reaches it.

        Raises:
            CorruptionError: (while iterating) if a block fails its checks.

        Complexity: O(log blocks + k) for k entries, reading only blocks in range.

        >>> import os, tempfile
        >>> from studybook.dsa.lsm_tree.sstable import write_table
        >>> rows = [(bytes([c]), b"") for c in b"abcdef"]
        >>> with tempfile.TemporaryDirectory() as d:
        ...     _ = write_table(os.path.join(d, "1.sst"), 1, rows, block_bytes=20)
        ...     reader = TableReader(os.path.join(d, "1.sst"), 1)
        ...     [k for k, _ in reader.scan(b"b", b"e")], list(reader.scan(b"x")), reader.release()
        ([b'b', b'c', b'd'], [], None)
        """
        first = 0 if start is None else max(0, bisect.bisect_right(self._first_keys, start) - 1)
        for block_number in range(first, len(self._first_keys)):
            if end is not None and self._first_keys[block_number] >= end:
                return
            for key, value in self._read_block(block_number):
                if end is not None and key >= end:
                    return
                if start is None or key >= start:
                    yield key, value

    def _read_block(self, block_number: int) -> list[tuple[bytes, Value]]:
        if self._fd < 0:
            raise ValueError(f"table {self.path} is closed")
        handle = self._index.blocks[block_number]
        block = os.pread(self._fd, handle.length, handle.offset)
        entries = decode_block(block, self.path, handle.offset)
        # The CRC proves the bytes are the ones written; these checks prove the
        # block and the index agree, which binary search and merging rely on.
        keys = [key for key, _ in entries]
        is_last = block_number + 1 == len(self._first_keys)
        upper = self.meta.largest if is_last else self._first_keys[block_number + 1]
        if (
            not keys
            or keys[0] != handle.first_key
            or any(a >= b for a, b in itertools.pairwise(keys))
            or (keys[-1] != upper if is_last else keys[-1] >= upper)
        ):
            raise CorruptionError(self.path, handle.offset, "block keys disagree with the index")
        return entries

    def acquire(self) -> None:
        """Take a reference, so the descriptor stays open until the matching :meth:`release`.

        Raises:
            ValueError: if the reader is already closed.

        Complexity: O(1).

        >>> import os, tempfile
        >>> from studybook.dsa.lsm_tree.sstable import write_table
        >>> with tempfile.TemporaryDirectory() as d:
        ...     _ = write_table(os.path.join(d, "1.sst"), 1, [(b"k", b"v")])
        ...     reader = TableReader(os.path.join(d, "1.sst"), 1)
        ...     reader.acquire()  # a scan pins the table...
        ...     os.remove(os.path.join(d, "1.sst")); reader.release()  # ...compaction drops it
        >>> reader.get(b"k")  # the scan can still read the unlinked file
        b'v'
        >>> reader.release(); reader.acquire()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: table .../1.sst is closed
        """
        if self._refs <= 0:
            raise ValueError(f"table {self.path} is closed")
        self._refs += 1

    def release(self) -> None:
        """Drop a reference; the last one closes the descriptor. Extra calls are ignored.

        Complexity: O(1).
        """
        if self._refs <= 0:
            return
        self._refs -= 1
        if self._refs == 0:
            os.close(self._fd)
            self._fd = -1
