"""SSTables: round trips against a sorted list, and every damaged byte detected."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.lsm_tree import CorruptionError
from studybook.dsa.lsm_tree.memtable import TOMBSTONE, Value
from studybook.dsa.lsm_tree.sstable import TableWriter, write_table
from studybook.dsa.lsm_tree.sstable_format import Footer
from studybook.dsa.lsm_tree.sstable_reader import TableReader

ENTRIES = st.dictionaries(st.binary(max_size=6), st.none() | st.binary(max_size=24), min_size=1)


def _entries(mapping: dict[bytes, bytes | None]) -> list[tuple[bytes, Value]]:
    return [(k, TOMBSTONE if v is None else v) for k, v in sorted(mapping.items())]


@settings(max_examples=60, deadline=None)
@given(mapping=ENTRIES, block_bytes=st.integers(1, 120), probes=st.lists(st.binary(max_size=6)))
def test_table_agrees_with_a_sorted_list(
    tmp_path_factory: pytest.TempPathFactory,
    mapping: dict[bytes, bytes | None],
    block_bytes: int,
    probes: list[bytes],
) -> None:
    entries = _entries(mapping)
    path = tmp_path_factory.mktemp("sst") / "000001.sst"
    meta = write_table(path, 1, entries, block_bytes=block_bytes)
    reader = TableReader(path, 1)
    try:
        assert reader.meta == meta
        assert (meta.smallest, meta.largest, meta.entry_count) == (
            entries[0][0],
            entries[-1][0],
            len(entries),
        )
        assert meta.file_bytes == os.path.getsize(path)
        assert list(reader.scan()) == entries
        stored = dict(entries)
        for key in [k for k, _ in entries] + probes:
            assert reader.get(key) == stored.get(key)
            if key in stored:
                assert reader.might_contain(key), "a Bloom filter never says no to a present key"
        keys = sorted({k for k, _ in entries} | set(probes))
        for start in keys[:5]:
            for end in keys[-5:]:
                expected = [(k, v) for k, v in entries if start <= k < end]
                assert list(reader.scan(start, end)) == expected
    finally:
        reader.release()


def test_writer_rejects_unsorted_keys_and_cleans_up(tmp_path: Path) -> None:
    path = tmp_path / "000001.sst"
    with pytest.raises(ValueError, match=r"keys must be strictly increasing, got b'a' after b'a'"):
        write_table(path, 1, [(b"a", b"1"), (b"a", b"2")])
    assert list(tmp_path.iterdir()) == [], "a failed write leaves no file behind"
    with pytest.raises(ValueError, match=r"block_bytes must be >= 1, got 0"):
        TableWriter(path, 1, block_bytes=0)
    with pytest.raises(ValueError, match=r"a table needs at least one entry"):
        write_table(path, 1, [])


def _small_table(directory: Path) -> Path:
    path = directory / "000009.sst"
    entries: list[tuple[bytes, Value]] = [
        (b"a", b"apple"),
        (b"b", TOMBSTONE),
        (b"c", b""),
        (b"d", b"dog"),
    ]
    write_table(path, 9, entries, block_bytes=16)
    return path


def _open_and_scan(path: Path) -> None:
    reader = TableReader(path, 9)
    try:
        list(reader.scan())
    finally:
        reader.release()


@pytest.mark.parametrize("mask", [0x01, 0x80, 0xFF])
def test_every_flipped_byte_is_detected_by_open_or_a_full_scan(tmp_path: Path, mask: int) -> None:
    original = _small_table(tmp_path).read_bytes()
    assert len(original) > Footer.SIZE + 40
    target = tmp_path / "damaged.sst"
    for position in range(len(original)):
        damaged = bytearray(original)
        damaged[position] ^= mask
        target.write_bytes(damaged)
        with pytest.raises(CorruptionError, match=r"damaged\.sst: .* at offset \d+"):
            _open_and_scan(target)


def test_random_byte_values_and_truncations_are_detected(tmp_path: Path) -> None:
    original = _small_table(tmp_path).read_bytes()
    target = tmp_path / "damaged.sst"
    rng = random.Random(20240601)
    for _ in range(200):
        damaged = bytearray(original)
        position = rng.randrange(len(damaged))
        damaged[position] = (damaged[position] + rng.randrange(1, 256)) % 256
        target.write_bytes(damaged)
        with pytest.raises(CorruptionError):
            _open_and_scan(target)
    for length in range(len(original)):
        target.write_bytes(original[:length])
        with pytest.raises(CorruptionError):
            _open_and_scan(target)


def test_corruption_message_names_the_block(tmp_path: Path) -> None:
    path = _small_table(tmp_path)
    damaged = bytearray(path.read_bytes())
    damaged[0] ^= 0x01  # the first data block starts at offset 0
    path.write_bytes(damaged)
    reader = TableReader(path, 9)  # open reads footer, index and filter only
    try:
        with pytest.raises(
            CorruptionError, match=r"000009\.sst: block checksum mismatch at offset 0"
        ):
            reader.get(b"a")
    finally:
        reader.release()


def test_a_pinned_reader_outlives_unlink(tmp_path: Path) -> None:
    path = _small_table(tmp_path)
    reader = TableReader(path, 9)
    reader.acquire()
    os.remove(path)
    reader.release()
    assert reader.get(b"d") == b"dog"
    reader.release()
    with pytest.raises(ValueError, match=r"table .*000009\.sst is closed"):
        reader.get(b"d")


def test_not_an_sstable(tmp_path: Path) -> None:
    path = tmp_path / "000001.sst"
    path.write_bytes(b"x" * 100)
    with pytest.raises(
        CorruptionError, match=r"bad magic number \(not an SSTable\?\) at offset 52"
    ):
        TableReader(path, 1)
    path.write_bytes(b"short")
    with pytest.raises(
        CorruptionError, match=r"file of 5 bytes is too short for a footer at offset 0"
    ):
        TableReader(path, 1)
