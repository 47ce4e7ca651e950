"""The SSTable byte format: data blocks, sparse index, footer, and their checksums.

An SSTable ("sorted string table", Bigtable, OSDI 2006) is an immutable file of
sorted entries. Its layout, every integer little-endian::

    [data block 0][data block 1]...[index block][bloom block][footer: 48 bytes]

    entry   = kind: u8 (0 put, 1 tombstone) | key_len: u32 | value_len: u32 | key | value
    block   = entry entry ... | crc32(entries): u32
    index   = entry_count: u64 | block_count: u32
              | block_count x (offset: u64 | length: u32 | key_len: u32 | first key)
              | last_key_len: u32 | last key
    bloom   = BloomFilter.to_bytes()
    footer  = index_offset: u64 | index_length: u32 | index_crc: u32
              | bloom_offset: u64 | bloom_length: u32 | bloom_crc: u32
              | magic: 8 bytes "SBLSMSST" | version: u32 | footer_crc: u32 (of the 44 bytes before)

Every byte is covered by a checksum: each block carries its own CRC, the
footer carries the index's and bloom's, and its own. Blocks must tile
``[0, index_offset)`` exactly, so no byte hides between checksummed regions.
The index is *sparse*: one entry per block (its first key), not per key, so it
stays small enough to keep in memory; a lookup binary-searches it for the one
block that can hold the key and reads only that block.

>>> Footer.SIZE, len(encode_entry(b"key", b"value"))
(48, 17)
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass
from typing import ClassVar

from .errors import CorruptionError
from .memtable import Tombstone, Value

__all__ = [
    "BlockHandle",
    "Footer",
    "Index",
    "decode_block",
    "decode_index",
    "encode_entry",
    "encode_index",
    "seal_block",
]

_ENTRY = struct.Struct("<BII")
_CRC = struct.Struct("<I")
_PUT, _TOMBSTONE = 0, 1
_U32_MAX = 2**32 - 1


def encode_entry(key: bytes, value: Value) -> bytes:
    """Encode one entry of a data block.

    Args:
        key: the key.
        value: the value, or ``TOMBSTONE``.

    Returns:
        ``9 + len(key) + len(value)`` bytes.

    Raises:
        TypeError: if ``key`` is not ``bytes``.
        ValueError: if ``key`` or ``value`` is 4 GiB or longer (its length is a u32).

    Complexity: O(len(key) + len(value)).

    >>> from studybook.dsa.lsm_tree.memtable import TOMBSTONE
    >>> encode_entry(b"k", b"v").hex(" "), encode_entry(b"k", TOMBSTONE).hex(" ")
    ('00 01 00 00 00 01 00 00 00 6b 76', '01 01 00 00 00 00 00 00 00 6b')
    >>> encode_entry(1, b"v")
    Traceback (most recent call last):
    TypeError: key must be bytes, got int
    """
    if not isinstance(key, bytes):
        raise TypeError(f"key must be bytes, got {type(key).__name__}")
    for name, part in (("key", key), ("value", value)):
        if not isinstance(part, Tombstone) and len(part) > _U32_MAX:
            raise ValueError(f"{name} must be at most {_U32_MAX} bytes, got {len(part)}")
    if isinstance(value, Tombstone):
        return _ENTRY.pack(_TOMBSTONE, len(key), 0) + key
    return _ENTRY.pack(_PUT, len(key), len(value)) + key + value


def seal_block(entries: bytes) -> bytes:
    """Append the CRC-32 trailer that makes ``entries`` a data block.

    Args:
        entries: concatenated :func:`encode_entry` results (at least one).

    Returns:
        ``entries`` followed by ``crc32(entries)`` as a u32.

    Raises:
        ValueError: if ``entries`` is empty; readers rely on every block
            having a first key.

    Complexity: O(len(entries)).

    >>> block = seal_block(encode_entry(b"k", b"v"))
    >>> len(block), decode_block(block, "t.sst", 0)
    (15, [(b'k', b'v')])
    >>> seal_block(b"")
    Traceback (most recent call last):
    ValueError: a block needs at least one entry
    """
    if not entries:
        raise ValueError("a block needs at least one entry")
    return entries + _CRC.pack(zlib.crc32(entries))


def decode_block(
    block: bytes, path: str | os.PathLike[str], offset: int
) -> list[tuple[bytes, Value]]:
    """Verify a data block's checksum and decode its entries.

    Args:
        block: the block's bytes, trailer included.
        path: the table file, for error messages.
        offset: where the block starts in that file, for error messages.

    Returns:
        The entries, in file order (the caller checks that they are sorted).

    Raises:
        CorruptionError: on a checksum mismatch or a malformed entry.

    Complexity: O(len(block)).

    >>> decode_block(seal_block(encode_entry(b"", b"")), "t.sst", 0)
    [(b'', b'')]
    >>> decode_block(b"\\x00" * 15, "t.sst", 4096)
    Traceback (most recent call last):
    studybook.dsa.lsm_tree.errors.CorruptionError: t.sst: block checksum mismatch at offset 4096
    """
    if len(block) <= _CRC.size:
        raise CorruptionError(path, offset, f"block of {len(block)} bytes is too short")
    body = block[: -_CRC.size]
    if zlib.crc32(body) != _CRC.unpack_from(block, len(body))[0]:
        raise CorruptionError(path, offset, "block checksum mismatch")
    entries: list[tuple[bytes, Value]] = []
    position = 0
    while position < len(body):
        if position + _ENTRY.size > len(body):
            raise CorruptionError(path, offset + position, "truncated entry header")
        kind, key_len, value_len = _ENTRY.unpack_from(body, position)
        key_start = position + _ENTRY.size
        value_start = key_start + key_len
        position = value_start + value_len
        if kind not in (_PUT, _TOMBSTONE) or position > len(body):
            raise CorruptionError(path, offset + key_start - _ENTRY.size, "malformed entry")
        key = body[key_start:value_start]
        entries.append(
            (key, Tombstone.TOMBSTONE if kind == _TOMBSTONE else body[value_start:position])
        )
    return entries


@dataclass(frozen=True)
class BlockHandle:
    """Where one data block lives, and the first key it holds."""

    first_key: bytes
    offset: int
    length: int


@dataclass(frozen=True)
class Index:
    """The decoded index block: one handle per data block, plus table totals."""

    blocks: tuple[BlockHandle, ...]
    entry_count: int
    last_key: bytes


_INDEX_HEAD = struct.Struct("<QI")
_HANDLE = struct.Struct("<QII")
_LEN = struct.Struct("<I")


def encode_index(index: Index) -> bytes:
    """Encode the index block (layout in the module docstring).

    Args:
        index: the block handles, entry count and last key.

    Returns:
        The index block's bytes.

    Complexity: O(total length of the first keys).

    >>> index = Index((BlockHandle(b"a", 0, 15),), entry_count=1, last_key=b"a")
    >>> decode_index(encode_index(index), "t.sst", 15, data_end=15) == index
    True
    """
    parts = [_INDEX_HEAD.pack(index.entry_count, len(index.blocks))]
    for handle in index.blocks:
        parts.append(_HANDLE.pack(handle.offset, handle.length, len(handle.first_key)))
        parts.append(handle.first_key)
    parts.append(_LEN.pack(len(index.last_key)) + index.last_key)
    return b"".join(parts)


def decode_index(data: bytes, path: str | os.PathLike[str], offset: int, *, data_end: int) -> Index:
    """Decode an index block whose checksum already matched, and check its structure.

    Args:
        data: the index block's bytes.
        path: the table file, for error messages.
        offset: where the index starts in that file, for error messages.
        data_end: where the data blocks end (the index's offset); the blocks
            must tile ``[0, data_end)`` exactly, in key order.

    Returns:
        The decoded :class:`Index`.

    Raises:
        CorruptionError: if the index is malformed or inconsistent.

    Complexity: O(len(data)).

    >>> decode_index(b"\\x00" * 16, "t.sst", 0, data_end=0)
    Traceback (most recent call last):
    studybook.dsa.lsm_tree.errors.CorruptionError: t.sst: index lists no blocks at offset 0
    """
    try:
        entry_count, block_count = _INDEX_HEAD.unpack_from(data, 0)
        position = _INDEX_HEAD.size
        handles: list[BlockHandle] = []
        for _ in range(block_count):
            block_offset, length, key_len = _HANDLE.unpack_from(data, position)
            position += _HANDLE.size
            first_key = _slice(data, position, key_len)
            position += key_len
            handles.append(BlockHandle(first_key, block_offset, length))
        (last_len,) = _LEN.unpack_from(data, position)
        last_key = _slice(data, position + _LEN.size, last_len)
        position += _LEN.size + last_len
    except struct.error:
        raise CorruptionError(path, offset, "truncated index") from None
    if position != len(data):
        raise CorruptionError(path, offset, "index has trailing bytes")
    if not handles:
        raise CorruptionError(path, offset, "index lists no blocks")
    expected_offset = 0
    for i, handle in enumerate(handles):
        if handle.offset != expected_offset or handle.length <= _CRC.size:
            raise CorruptionError(path, offset, f"block {i} does not follow block {i - 1}")
        if i and handle.first_key <= handles[i - 1].first_key:
            raise CorruptionError(path, offset, f"block {i} first key is out of order")
        expected_offset += handle.length
    if expected_offset != data_end or last_key < handles[-1].first_key:
        raise CorruptionError(path, offset, "blocks do not end where the index starts")
    if entry_count < len(handles):
        raise CorruptionError(path, offset, "fewer entries than blocks")
    return Index(tuple(handles), entry_count, last_key)


def _slice(data: bytes, start: int, length: int) -> bytes:
    if start + length > len(data):
        raise struct.error("key runs past the end of the index")
    return data[start : start + length]


@dataclass(frozen=True)
class Footer:
    """The fixed-size trailer that locates and checksums the index and bloom blocks."""

    index_offset: int
    index_length: int
    index_crc: int
    bloom_offset: int
    bloom_length: int
    bloom_crc: int

    SIZE: ClassVar[int] = 48
    MAGIC: ClassVar[bytes] = b"SBLSMSST"
    VERSION: ClassVar[int] = 1
    _LAYOUT: ClassVar[struct.Struct] = struct.Struct("<QIIQII8sI")

    def encode(self) -> bytes:
        """Encode the footer, appending its own CRC.

        Returns:
            Exactly ``Footer.SIZE`` bytes.

        Complexity: O(1).

        >>> footer = Footer(15, 30, 1, 45, 13, 2)
        >>> len(footer.encode()), Footer.decode(footer.encode(), "t.sst", 0) == footer
        (48, True)
        """
        head = self._LAYOUT.pack(
            self.index_offset,
            self.index_length,
            self.index_crc,
            self.bloom_offset,
            self.bloom_length,
            self.bloom_crc,
            self.MAGIC,
            self.VERSION,
        )
        return head + _CRC.pack(zlib.crc32(head))

    @classmethod
    def decode(cls, data: bytes, path: str | os.PathLike[str], offset: int) -> Footer:
        """Check and decode a footer.

        Args:
            data: exactly ``Footer.SIZE`` bytes.
            path: the table file, for error messages.
            offset: where the footer starts in that file.

        Returns:
            The decoded footer.

        Raises:
            CorruptionError: on a wrong size, magic number, checksum or version.

        Complexity: O(1).

        >>> try:
        ...     Footer.decode(b"\\x00" * 48, "t.sst", 952)
        ... except CorruptionError as error:
        ...     print(error)
        t.sst: bad magic number (not an SSTable?) at offset 952
        """
        if len(data) != cls.SIZE:
            raise CorruptionError(path, offset, f"footer must be {cls.SIZE} bytes, got {len(data)}")
        head = data[:-4]
        fields = cls._LAYOUT.unpack(head)
        if fields[6] != cls.MAGIC:
            raise CorruptionError(path, offset, "bad magic number (not an SSTable?)")
        if zlib.crc32(head) != _CRC.unpack_from(data, len(head))[0]:
            raise CorruptionError(path, offset, "footer checksum mismatch")
        if fields[7] != cls.VERSION:
            raise CorruptionError(path, offset, f"unsupported format version {fields[7]}")
        return cls(*fields[:6])
