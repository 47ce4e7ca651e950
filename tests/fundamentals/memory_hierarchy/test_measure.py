"""The measurement harness on a fake clock (never a wall-clock threshold), and sysfs parsing."""

from __future__ import annotations

import itertools
import re

import pytest

from studybook.fundamentals.memory_hierarchy import (
    CpuCache,
    access_times,
    cpu_caches,
    traversal_times,
)
from studybook.fundamentals.memory_hierarchy.measure import _loop_order, _scattered


def ticking(step=1.0):
    counter = itertools.count()
    return lambda: next(counter) * step


def test_access_times_divide_each_run_by_its_reads():
    t = access_times(1 << 16, stride_bytes=128, loop_reads=100, repeat=2, clock=ticking())
    assert (t.buffer_bytes, t.reads, t.loop_reads) == (1 << 16, 512, 100)
    assert t.sequential_ns == pytest.approx(1e9 / 512)
    assert t.random_ns == pytest.approx(1e9 / 512)
    assert t.loop_sequential_ns == pytest.approx(1e9 / 100)
    assert t.ratio == pytest.approx(1.0)


def test_loop_reads_are_capped_at_the_reads_available():
    assert access_times(1 << 16, loop_reads=10**9, clock=ticking()).loop_reads == 1024


@pytest.mark.parametrize(("reads", "step"), [(1, 8), (32, 8), (64, 1), (4096, 64)])
def test_the_shuffled_order_is_a_permutation_of_the_in_order_reads(reads, step):
    order = _scattered(reads, step, seed=7)
    assert sorted(order) == list(range(0, reads * step, step))
    assert order == _scattered(reads, step, seed=7)
    if reads >= 4096:
        strides = {b - a for a, b in itertools.pairwise(order[:64])}
        assert len(strides) > 1  # no constant stride for a prefetcher to follow


def test_traversal_times_on_a_fake_clock():
    t = traversal_times(4, 8, sample=10, repeat=1, clock=ticking(0.5))
    assert (t.rows, t.cols, t.row_major_s, t.column_major_s) == (4, 8, 0.5, 0.5)
    assert t.loop_row_ns == pytest.approx(0.5e9 / 10)
    assert t.ratio == 1.0


def test_loop_orders_visit_items_by_rows_and_by_columns():
    assert _loop_order(2, 3, 100, by_rows=True) == [0, 1, 2, 3, 4, 5]
    assert _loop_order(2, 3, 100, by_rows=False) == [0, 3, 1, 4, 2, 5]
    assert _loop_order(2, 3, 3, by_rows=False) == [0, 3, 1]


def test_real_clock_gives_positive_times():
    t = access_times(1 << 16, loop_reads=64)
    assert min(t.sequential_ns, t.random_ns, t.loop_sequential_ns, t.loop_random_ns) > 0


def test_cpu_caches_reads_sysfs(tmp_path):
    for name, level, kind, size, ways, line in [
        ("index0", "1", "Data", "32K", "8", "64"),
        ("index2", "2", "Unified", "1024K", "16", "64"),
        ("index3", "3", "Unified", "32M", "0", ""),
        ("index9", "x", "Broken", "1K", "1", "64"),
    ]:
        d = tmp_path / name
        d.mkdir()
        for file, text in [
            ("level", level),
            ("type", kind),
            ("size", size),
            ("ways_of_associativity", ways),
            ("coherency_line_size", line),
        ]:
            (d / file).write_text(text + "\n")
    caches = cpu_caches(tmp_path)
    assert cpu_caches(str(tmp_path)) == caches
    assert caches == [
        CpuCache(1, "Data", 32 * 1024, 8, 64),
        CpuCache(2, "Unified", 1 << 20, 16, 64),
        CpuCache(3, "Unified", 32 << 20, None, None),
    ]
    assert [str(c) for c in caches] == [
        "L1 Data: 32 KiB, 8-way, 64 B lines",
        "L2 Unified: 1 MiB, 16-way, 64 B lines",
        "L3 Unified: 32 MiB",
    ]
    assert str(CpuCache(1, "Data", 48 * 1024 + 1, None, None)) == "L1 Data: 49153 B"


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: access_times(1 << 12),
            ValueError,
            "buffer_bytes must be from 65536 to 2147483648, got 4096",
        ),
        (
            lambda: access_times(1 << 40),
            ValueError,
            "buffer_bytes must be from 65536 to 2147483648, got 1099511627776",
        ),
        (
            lambda: access_times(100_000),
            ValueError,
            "buffer_bytes must be a power of two, got 100000",
        ),
        (lambda: access_times(True), TypeError, "buffer_bytes must be an int, got bool: True"),
        (
            lambda: access_times(1 << 16, stride_bytes=8),
            ValueError,
            "stride_bytes must be from 64 to buffer_bytes / 64, got 8",
        ),
        (
            lambda: access_times(1 << 16, stride_bytes=2048),
            ValueError,
            "stride_bytes must be from 64 to buffer_bytes / 64, got 2048",
        ),
        (
            lambda: access_times(1 << 16, loop_reads=0),
            ValueError,
            "loop_reads must be at least 1, got 0",
        ),
        (
            lambda: access_times(1 << 16, repeat=float("nan")),
            TypeError,
            "repeat must be an int, got float: nan",
        ),
        (
            lambda: access_times(1 << 16, seed=None),
            TypeError,
            "seed must be an int, got NoneType: None",
        ),
        (lambda: traversal_times(0, 8), ValueError, "rows must be at least 1, got 0"),
        (lambda: cpu_caches(3), TypeError, "root must be a path, got int: 3"),
        (lambda: traversal_times(8, True), TypeError, "cols must be an int, got bool: True"),
        (
            lambda: traversal_times(1 << 20, 1 << 20),
            ValueError,
            "a 1048576 x 1048576 matrix needs more than 4294967296 bytes",
        ),
        (lambda: traversal_times(4, 4, sample=-1), ValueError, "sample must be at least 1, got -1"),
    ],
)
def test_bad_input_is_rejected_with_the_value(call, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        call()
