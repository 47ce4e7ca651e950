"""LSMTree against a dict, under random operation sequences (Hypothesis state machines).

Tiny memtables and blocks make flushes, multi-block tables and compactions
happen every few steps; ``reopen`` closes and reopens the directory, so the
log replay and the manifest are exercised too. Scans may be left open across
later writes, flushes and compactions: each must still return the snapshot
taken at its first ``next()``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from studybook.dsa.lsm_tree import CompactionStrategy, Leveled, LSMTree, SizeTiered
from studybook.dsa.lsm_tree.files import log_name, table_name
from studybook.dsa.lsm_tree.manifest import read_manifest

KEYS = st.one_of(
    st.sampled_from([b"", b"a", b"ab", b"b", b"c", b"d", b"e", b"f", b"g", b"h"]),
    st.binary(max_size=3),
)
VALUES = st.binary(max_size=16)
BOUNDS = st.none() | KEYS
# These tests check logic, not the disk. On tmpfs an fsync costs about 1 us;
# on this project's ext4 machines it costs 0.2-5 ms, which would dominate.
# Only ever the parent of a private mkdtemp directory, so S108 does not apply.
FAST_TMP = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # noqa: S108


class LSMTreeModel(RuleBasedStateMachine):
    """Drive one LSMTree and a dict with the same operations; they must agree."""

    make_strategy: Callable[[], CompactionStrategy] = Leveled
    bloom_bits_per_key = 10

    def __init__(self) -> None:
        super().__init__()
        self.directory = tempfile.mkdtemp(prefix="lsm-model-", dir=FAST_TMP)
        self.model: dict[bytes, bytes] = {}
        self.open_scans: list[tuple[Iterator[tuple[bytes, bytes]], list[tuple[bytes, bytes]]]] = []
        self.db = self._open()

    def _open(self) -> LSMTree:
        return LSMTree(
            self.directory,
            memtable_bytes=48,
            sync="none",
            compaction=self.make_strategy(),
            block_bytes=40,
            bloom_bits_per_key=self.bloom_bits_per_key,
        )

    def _expected(self, start: bytes | None, end: bytes | None) -> list[tuple[bytes, bytes]]:
        return sorted(
            (k, v)
            for k, v in self.model.items()
            if (start is None or k >= start) and (end is None or k < end)
        )

    @rule(key=KEYS, value=VALUES)
    def put(self, key: bytes, value: bytes) -> None:
        self.db.put(key, value)
        self.model[key] = value

    @rule(items=st.lists(st.tuples(KEYS, st.none() | VALUES), max_size=12))
    def write_batch(self, items: list[tuple[bytes, bytes | None]]) -> None:
        for key, value in items:
            if value is None:
                self.delete(key)
            else:
                self.put(key, value)

    @rule(key=KEYS)
    def delete(self, key: bytes) -> None:
        self.db.delete(key)
        self.model.pop(key, None)

    @rule(key=KEYS)
    def get(self, key: bytes) -> None:
        assert self.db.get(key) == self.model.get(key)

    @rule(start=BOUNDS, end=BOUNDS)
    def scan(self, start: bytes | None, end: bytes | None) -> None:
        if start is not None and end is not None and start > end:
            start, end = end, start
        assert list(self.db.scan(start, end)) == self._expected(start, end)

    @rule(start=BOUNDS)
    def begin_scan(self, start: bytes | None) -> None:
        iterator = self.db.scan(start)
        expected = self._expected(start, None)
        if expected:  # the first next() takes the snapshot
            assert next(iterator) == expected[0]
            self.open_scans.append((iterator, expected[1:]))
        else:
            assert list(iterator) == []

    @precondition(lambda self: self.open_scans)
    @rule(steps=st.integers(1, 4))
    def continue_scan(self, steps: int) -> None:
        iterator, expected = self.open_scans[-1]
        for _ in range(steps):
            assert next(iterator, None) == (expected.pop(0) if expected else None)
            if not expected:
                assert next(iterator, None) is None
                self.open_scans.pop()
                return

    @rule()
    def flush(self) -> None:
        self.db.flush()

    @rule()
    def compact(self) -> None:
        self.db.compact()
        assert self.db.stats().disk_bytes >= 0

    @rule()
    def reopen(self) -> None:
        self.db.close()
        for iterator, _ in self.open_scans:
            with pytest.raises(ValueError, match="LSMTree is closed"):
                next(iterator)
        self.open_scans.clear()
        self.db = self._open()

    @invariant()
    def invariants_hold(self) -> None:
        self.db._check_invariants()
        manifest = read_manifest(self.directory)
        assert manifest is not None
        live = {table_name(n) for level in manifest.levels for n in level}
        expected = live | {log_name(manifest.wal_number), "MANIFEST", "LOCK"}
        assert set(os.listdir(self.directory)) == expected, "a file was leaked"

    def teardown(self) -> None:
        self.db.close()
        shutil.rmtree(self.directory)


class LeveledModel(LSMTreeModel):
    @staticmethod
    def make_strategy() -> CompactionStrategy:
        return Leveled(l0_trigger=2, level_ratio=2, base_level_bytes=250, target_file_bytes=60)


class SizeTieredModel(LSMTreeModel):
    @staticmethod
    def make_strategy() -> CompactionStrategy:
        return SizeTiered(min_threshold=2, max_threshold=4, min_sstable_bytes=0)


class SizeTieredNoBloomModel(LSMTreeModel):
    bloom_bits_per_key = 0

    @staticmethod
    def make_strategy() -> CompactionStrategy:
        return SizeTiered(min_threshold=3, max_threshold=5, min_sstable_bytes=200)


_SETTINGS = settings(max_examples=50, stateful_step_count=60, deadline=None)
TestLeveled = _SETTINGS(LeveledModel).TestCase
TestSizeTiered = _SETTINGS(SizeTieredModel).TestCase
TestSizeTieredNoBloom = settings(max_examples=15, stateful_step_count=40, deadline=None)(
    SizeTieredNoBloomModel
).TestCase
