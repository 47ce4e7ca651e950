"""LSMTree's public API: argument checks, lifecycle, locking, scans, amplification figures."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from studybook.dsa.lsm_tree import (
    CompactionStrategy,
    DirectoryLockedError,
    Leveled,
    LSMTree,
    SizeTiered,
    Stats,
    demo,
)
from studybook.dsa.lsm_tree.memtable import TOMBSTONE
from studybook.dsa.lsm_tree.sstable_format import encode_entry
from studybook.dsa.lsm_tree.wal import MAX_KEY_VALUE_BYTES, check_record_size

SRC = Path(__file__).resolve().parents[3] / "src"

# These tests check logic, not the disk. On tmpfs an fsync costs about 1 us;
# on this project's ext4 machines it costs 0.2-5 ms, which would dominate.
# Only ever the parent of a private mkdtemp directory, so S108 does not apply.
FAST_TMP = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # noqa: S108


@pytest.fixture
def fast_path() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(dir=FAST_TMP, prefix="lsm-test-") as directory:
        yield Path(directory)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"memtable_bytes": 0}, ValueError, r"memtable_bytes must be >= 1, got 0"),
        ({"memtable_bytes": True}, TypeError, r"memtable_bytes must be int, got bool"),
        ({"memtable_bytes": 1.5}, TypeError, r"memtable_bytes must be int, got float"),
        ({"block_bytes": -4}, ValueError, r"block_bytes must be >= 1, got -4"),
        ({"memtable_bytes": float("nan")}, TypeError, r"memtable_bytes must be int, got float nan"),
        ({"memtable_bytes": "64"}, TypeError, r"memtable_bytes must be int, got str '64'"),
        ({"block_bytes": float("inf")}, TypeError, r"block_bytes must be int, got float inf"),
        ({"bloom_bits_per_key": -1}, ValueError, r"bloom_bits_per_key must be in 0\.\.64, got -1"),
        ({"bloom_bits_per_key": 10**9}, ValueError, r"bloom_bits_per_key must be in 0\.\.64, got"),
        ({"bloom_bits_per_key": False}, TypeError, r"bloom_bits_per_key must be int, got bool"),
        ({"sync": None}, ValueError, r"sync must be 'always' or 'none', got None"),
        ({"sync": "sometimes"}, ValueError, r"sync must be 'always' or 'none', got 'sometimes'"),
        ({"compaction": "leveled"}, TypeError, r"compaction must be a CompactionStrategy, got str"),
        (
            {"compaction": Leveled},
            TypeError,
            r"compaction must be an instance, got the class Leveled",
        ),
    ],
)
def test_constructor_rejects_bad_arguments(
    tmp_path: Path, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        LSMTree(tmp_path / "db", **kwargs)
    assert not (tmp_path / "db").exists(), "arguments are checked before touching the disk"


def claiming(length: int) -> bytes:
    """A one-byte ``bytes`` whose ``len()`` says ``length``: size limits without the memory."""

    class Claiming(bytes):
        def __len__(self) -> int:
            return length

    return Claiming(b"x")


def test_keys_and_values_of_4_gib_are_refused_before_the_log_and_the_tree_stays_open(
    tmp_path: Path,
) -> None:
    with LSMTree(tmp_path, sync="none") as db:
        db.put(b"k", b"v")
        log_bytes = db.stats().wal_bytes
        message = r"key and value must be at most 4294967290 bytes together, got 4294967297"
        with pytest.raises(ValueError, match=message):
            db.put(b"k", claiming(2**32))
        with pytest.raises(ValueError, match=r"got 4294967297"):
            db.put(claiming(2**32), b"v")
        with pytest.raises(ValueError, match=r"at most 4294967290 bytes together, got 4294967296"):
            db.delete(claiming(2**32))
        assert db.stats().wal_bytes == log_bytes, "nothing reached the log"
        assert db.get(b"k") == b"v", "a refused write is not a disk failure: the tree stays open"
        db.put(b"k", b"w")
        db._check_invariants()


def test_the_size_limit_is_exact() -> None:
    assert MAX_KEY_VALUE_BYTES == 2**32 - 6  # the u32 length also counts 5 header bytes
    check_record_size(b"k", claiming(MAX_KEY_VALUE_BYTES - 1))
    check_record_size(claiming(MAX_KEY_VALUE_BYTES), TOMBSTONE)
    with pytest.raises(ValueError, match=rf"got {MAX_KEY_VALUE_BYTES + 1}$"):
        check_record_size(b"k", claiming(MAX_KEY_VALUE_BYTES))
    with pytest.raises(ValueError, match=r"value must be at most 4294967295 bytes, got 4294967296"):
        encode_entry(b"k", claiming(2**32))


def test_directory_must_be_a_path(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"directory must be str or os.PathLike\[str\], got int"):
        LSMTree(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"directory must be str or os.PathLike\[str\], got bytes"):
        LSMTree(os.fsencode(tmp_path))  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["text", bytearray(b"k"), memoryview(b"k"), None, 1])
def test_keys_and_values_must_be_bytes(tmp_path: Path, bad: object) -> None:
    name = type(bad).__name__
    with LSMTree(tmp_path) as db:
        with pytest.raises(TypeError, match=rf"key must be bytes, got {name}"):
            db.put(bad, b"v")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=rf"value must be bytes, got {name}"):
            db.put(b"k", bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=rf"key must be bytes, got {name}"):
            db.get(bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=rf"key must be bytes, got {name}"):
            db.delete(bad)  # type: ignore[arg-type]
        if bad is not None:
            with pytest.raises(TypeError, match=rf"start must be bytes, got {name}"):
                db.scan(bad)  # type: ignore[arg-type]
            with pytest.raises(TypeError, match=rf"end must be bytes, got {name}"):
                db.scan(None, bad)  # type: ignore[arg-type]
        assert list(db.scan()) == [], "rejected calls change nothing"


def test_every_method_refuses_a_closed_tree(tmp_path: Path) -> None:
    db = LSMTree(tmp_path)
    db.put(b"a", b"1")
    db.put(b"b", b"2")
    running = db.scan()
    assert next(running) == (b"a", b"1")
    db.close()
    calls: list[Callable[[], object]] = [
        lambda: db.put(b"k", b"v"),
        lambda: db.get(b"k"),
        lambda: db.delete(b"k"),
        lambda: db.scan(),
        lambda: db.flush(),
        lambda: db.compact(),
        lambda: db.stats(),
        lambda: next(running),
    ]
    for call in calls:
        with pytest.raises(ValueError, match=r"^LSMTree is closed$"):
            call()


def test_empty_key_and_empty_value_are_ordinary(tmp_path: Path) -> None:
    with LSMTree(tmp_path, memtable_bytes=1, sync="none") as db:  # every write flushes
        db.put(b"", b"")
        db.put(b"\x00", b"zero")
        assert db.get(b"") == b""
        db.delete(b"\x00")
        assert list(db.scan()) == [(b"", b"")]
        db.delete(b"")
        assert db.get(b"") is None
        db._check_invariants()


def test_a_directory_has_one_owner(tmp_path: Path) -> None:
    with LSMTree(tmp_path):
        with pytest.raises(DirectoryLockedError, match=r"is already open by another LSMTree"):
            LSMTree(tmp_path)
        script = (
            "import sys\n"
            "from studybook.dsa.lsm_tree import LSMTree, DirectoryLockedError\n"
            "try:\n    LSMTree(sys.argv[1])\nexcept DirectoryLockedError:\n    sys.exit(3)\n"
        )
        env = dict(os.environ, PYTHONPATH=str(SRC))
        other = subprocess.run([sys.executable, "-c", script, str(tmp_path)], env=env, check=False)
        assert other.returncode == 3, "another process must be refused too"
    with LSMTree(tmp_path) as db:  # closing released the lock
        db._check_invariants()


def test_reopening_with_another_strategy_is_refused(tmp_path: Path) -> None:
    with LSMTree(tmp_path, compaction=Leveled()) as db:
        db.put(b"k", b"v")
    with pytest.raises(
        ValueError, match=r"was written with 'leveled' compaction, got 'size-tiered'"
    ):
        LSMTree(tmp_path, compaction=SizeTiered())
    with LSMTree(tmp_path) as db:
        assert db.get(b"k") == b"v"


def test_a_scan_keeps_its_snapshot_through_writes_flushes_and_compactions(tmp_path: Path) -> None:
    strategy = SizeTiered(min_threshold=2, min_sstable_bytes=0)
    with LSMTree(tmp_path, memtable_bytes=64, compaction=strategy, sync="none") as db:
        expected = []
        for i in range(40):
            db.put(b"k%02d" % i, b"old")
            expected.append((b"k%02d" % i, b"old"))
        scan = db.scan()
        assert next(scan) == expected[0]
        for i in range(40):
            db.put(b"k%02d" % i, b"new")
        db.compact()  # deletes every table the scan is reading
        assert len(list(tmp_path.glob("*.sst"))) == 1
        assert list(scan) == expected[1:]
        assert dict(db.scan()) == {k: b"new" for k, _ in expected}


def test_reopen_with_a_smaller_memtable_flushes_the_replayed_log(tmp_path: Path) -> None:
    with LSMTree(tmp_path, sync="none") as db:
        for i in range(100):
            db.put(b"%03d" % i, b"x" * 10)
    with LSMTree(tmp_path, memtable_bytes=100, sync="none") as db:
        stats = db.stats()
        assert stats.memtable_entries == 0
        assert sum(stats.tables_per_level) >= 1
        db._check_invariants()


def _load(db: LSMTree, seed: int, count: int) -> list[float]:
    """Apply a seeded update-heavy workload; return space amplification every 250 writes."""
    rng = random.Random(seed)
    samples = []
    for i in range(count):
        key = b"user%05d" % rng.randrange(count // 2)
        if rng.random() < 0.1:
            db.delete(key)
        else:
            db.put(key, rng.randbytes(40))
        if i % 250 == 249:
            samples.append(db.stats().space_amplification)
    return samples


def test_leveled_writes_more_but_wastes_less_space_than_size_tiered(fast_path: Path) -> None:
    results: dict[str, tuple[Stats, float]] = {}
    strategies: dict[str, CompactionStrategy] = {
        "leveled": Leveled(l0_trigger=4, base_level_bytes=16_384, target_file_bytes=4096),
        "size-tiered": SizeTiered(min_sstable_bytes=0),
    }
    for name, strategy in strategies.items():
        with LSMTree(fast_path / name, memtable_bytes=4096, compaction=strategy, sync="none") as db:
            peak_space = max(_load(db, seed=1, count=6000))
            results[name] = (db.stats(), peak_space)
    (leveled, leveled_peak), (tiered, tiered_peak) = results["leveled"], results["size-tiered"]
    assert leveled.write_amplification > tiered.write_amplification > 1
    # Size-tiered keeps obsolete versions until the big tiers merge; leveled
    # holds ~90 % of the data in the last level, so its waste stays bounded.
    assert tiered_peak > leveled_peak
    assert leveled.live_bytes == tiered.live_bytes


def test_bloom_filters_cut_read_amplification(fast_path: Path) -> None:
    probes = {}
    for bits in (0, 10):
        strategy = SizeTiered(min_threshold=32, max_threshold=32, min_sstable_bytes=0)
        with LSMTree(
            fast_path / str(bits),
            memtable_bytes=2048,
            compaction=strategy,
            bloom_bits_per_key=bits,
            sync="none",
        ) as db:
            for i in range(0, 2000, 2):  # even keys only; every table spans the key space
                db.put(b"%05d" % ((i * 7919) % 2000), b"v")
            tables = sum(db.stats().tables_per_level)
            for i in range(1, 2000, 20):  # odd keys: all absent
                assert db.get(b"%05d" % i) is None
            stats = db.stats()
            probes[bits] = stats.read_amplification
            assert stats.gets == 100
    assert probes[0] == pytest.approx(tables, abs=1.5), (
        "without filters every covering table is read"
    )
    assert probes[10] < 0.2, "with 10 bits per key about 1 % of tables are read"


def test_demo_is_deterministic_and_ends_with_the_recovered_write() -> None:
    # The package doctest shows the whole narration; this pins what must not drift.
    import io

    first, second = io.StringIO(), io.StringIO()
    demo(first)
    demo(second)
    lines = first.getvalue().splitlines()
    assert first.getvalue() == second.getvalue(), "no timing, hash order or path leaks in"
    assert len(lines) == 9
    assert lines[-1].endswith("get(b'user:4') = b'dee', get(b'user:2') = None")
