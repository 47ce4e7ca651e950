"""The write-ahead log: round trips, torn tails, and corruption never mistaken for a crash."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.lsm_tree import CorruptionError, LSMTree
from studybook.dsa.lsm_tree.memtable import TOMBSTONE, Value
from studybook.dsa.lsm_tree.wal import WriteAheadLog, encode_record, replay

RECORDS: list[tuple[bytes, Value]] = [
    (b"alpha", b"1"),
    (b"", b""),
    (b"beta", TOMBSTONE),
    (b"gamma", b"x" * 40),
    (b"delta", b"last"),
]


def _write_log(path: Path, records: list[tuple[bytes, Value]]) -> list[int]:
    """Write ``records`` to ``path``; return each record's start offset plus the end offset."""
    log = WriteAheadLog(path, sync="none")
    offsets = [0]
    for key, value in records:
        offsets.append(offsets[-1] + log.append(key, value))
    log.close()
    return offsets


def test_record_layout_is_the_documented_one() -> None:
    record = encode_record(b"key", b"value")
    crc, length, kind, key_len = struct.unpack_from("<IIBI", record)
    assert (length, kind, key_len) == (1 + 4 + 3 + 5, 1, 3)
    assert record[13:] == b"keyvalue"
    assert crc == zlib.crc32(record[4:])
    assert encode_record(b"k", TOMBSTONE)[8] == 2


@settings(max_examples=50, deadline=None)
@given(
    records=st.lists(
        st.tuples(st.binary(max_size=8), st.none() | st.binary(max_size=20)), max_size=20
    )
)
def test_replay_returns_what_was_appended(
    tmp_path_factory: pytest.TempPathFactory, records: list[tuple[bytes, bytes | None]]
) -> None:
    path = tmp_path_factory.mktemp("wal") / "000001.log"
    expected: list[tuple[bytes, Value]] = [(k, TOMBSTONE if v is None else v) for k, v in records]
    offsets = _write_log(path, expected)
    assert os.path.getsize(path) == offsets[-1]
    assert replay(path) == expected


def test_every_truncation_of_the_last_record_is_a_torn_tail(tmp_path: Path) -> None:
    path = tmp_path / "000001.log"
    offsets = _write_log(path, RECORDS)
    data = path.read_bytes()
    for cut in range(offsets[-2], offsets[-1]):
        path.write_bytes(data[:cut])
        assert replay(path) == RECORDS[:-1], cut
        assert os.path.getsize(path) == offsets[-2], "the torn tail must be truncated away"


def test_a_bad_checksum_on_the_final_record_is_a_torn_tail(tmp_path: Path) -> None:
    path = tmp_path / "000001.log"
    offsets = _write_log(path, RECORDS)
    data = bytearray(path.read_bytes())
    for position in range(offsets[-2], offsets[-1]):
        damaged = bytearray(data)
        damaged[position] ^= 0xFF
        path.write_bytes(damaged)
        assert replay(path) == RECORDS[:-1], position
        assert os.path.getsize(path) == offsets[-2]


def test_garbage_after_the_last_record_is_a_torn_tail(tmp_path: Path) -> None:
    path = tmp_path / "000001.log"
    offsets = _write_log(path, RECORDS)
    with path.open("ab") as file:
        file.write(b"\x00" * 30)  # a file extended by a crash before its data was written
    assert replay(path) == RECORDS
    assert os.path.getsize(path) == offsets[-1]


def test_any_damaged_byte_before_the_last_record_is_corruption(tmp_path: Path) -> None:
    path = tmp_path / "000001.log"
    offsets = _write_log(path, RECORDS)
    data = path.read_bytes()
    for record in range(len(RECORDS) - 1):
        for position in range(offsets[record], offsets[record + 1]):
            damaged = bytearray(data)
            damaged[position] ^= 0x01
            path.write_bytes(damaged)
            with pytest.raises(CorruptionError) as caught:
                replay(path)
            assert caught.value.offset == offsets[record], position
            assert caught.value.path == str(path)
            assert path.read_bytes() == damaged, "corruption must not be truncated away"


def test_tree_recovers_from_a_torn_log_and_keeps_appending(tmp_path: Path) -> None:
    with LSMTree(tmp_path, sync="none") as db:
        db.put(b"a", b"1")
        db.put(b"b", b"2")
    log = next(p for p in tmp_path.iterdir() if p.suffix == ".log")
    log.write_bytes(log.read_bytes()[:-3])
    with LSMTree(tmp_path, sync="none") as db:
        assert list(db.scan()) == [(b"a", b"1")]
        db.put(b"c", b"3")
    with LSMTree(tmp_path, sync="none") as db:
        assert list(db.scan()) == [(b"a", b"1"), (b"c", b"3")]


def test_tree_refuses_a_log_damaged_in_the_middle(tmp_path: Path) -> None:
    with LSMTree(tmp_path, sync="none") as db:
        for i in range(5):
            db.put(b"k%d" % i, b"v")
    log = next(p for p in tmp_path.iterdir() if p.suffix == ".log")
    damaged = bytearray(log.read_bytes())
    damaged[20] ^= 0x40  # inside the second record, which starts at 16 (13 + 2 + 1)
    log.write_bytes(damaged)
    with pytest.raises(CorruptionError, match=rf"{log.name}: damaged log record .* at offset 16"):
        LSMTree(tmp_path, sync="none")
    # The refusal released the lock: after a repair the tree opens again.
    log.write_bytes(b"")
    with LSMTree(tmp_path, sync="none") as db:
        assert list(db.scan()) == []


def test_append_after_close_and_bad_sync_are_rejected(tmp_path: Path) -> None:
    log = WriteAheadLog(tmp_path / "1.log", sync="always")
    log.close()
    with pytest.raises(ValueError, match=r"log .*1\.log is closed"):
        log.append(b"k", b"v")
    with pytest.raises(ValueError, match=r"sync must be 'always' or 'none', got 'never'"):
        WriteAheadLog(tmp_path / "2.log", sync="never")  # type: ignore[arg-type]
