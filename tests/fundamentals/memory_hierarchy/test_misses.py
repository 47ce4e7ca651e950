"""The three Cs against textbook examples and a from-scratch model of Hill's definitions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.fundamentals.memory_hierarchy import (
    CacheSimulator,
    MissBreakdown,
    classify_misses,
    dotprod_trace,
    matrix_trace,
    miss_kinds,
)

from .test_cache import Model, geometries


@pytest.mark.parametrize(
    ("ways", "kinds"),
    [
        (1, ["compulsory", "compulsory", "conflict", "compulsory", "conflict"]),
        (2, ["compulsory", "compulsory", "hit", "compulsory", "conflict"]),
        (4, ["compulsory", "compulsory", "hit", "compulsory", "hit"]),
    ],
)
def test_cod_associativity_example_by_kind(ways, kinds):
    # COD 5.4: 5, 4 and 3 misses; every miss beyond the 3 cold ones is a conflict.
    assert miss_kinds([4 * b for b in (0, 8, 0, 6, 8)], 16, 4, ways) == kinds


def test_dotprod_misses_are_conflicts_that_padding_removes():
    thrash = classify_misses(dotprod_trace(8), 32, 16, 1)
    assert thrash == MissBreakdown(accesses=16, hits=0, compulsory=4, capacity=0, conflict=12)
    padded = classify_misses(dotprod_trace(12), 32, 16, 1)
    assert padded == MissBreakdown(accesses=16, hits=12, compulsory=4, capacity=0, conflict=0)
    assert padded.hit_rate == 0.75
    assert padded.misses == 4


def test_cyclic_sweep_larger_than_the_cache_is_all_capacity():
    # Five lines swept round a four-line LRU cache: LRU always evicts the next one needed.
    trace = [16 * (i % 5) for i in range(20)]
    b = classify_misses(trace, 64, 16, 4)
    assert b == MissBreakdown(accesses=20, hits=0, compulsory=5, capacity=15, conflict=0)


def test_set_associative_can_beat_fully_associative_lru():
    # Five lines swept round four: fully associative LRU misses every time, while
    # a 2-way cache keeps lines 16 and 48 in set 1 and hits on them. The aggregate
    # "conflict = misses - fully associative misses" would be 14 - 20 = -6; the
    # per-access labels never go negative.
    trace = [16 * (i % 5) for i in range(20)]
    two_way = classify_misses(trace, 64, 16, 2)
    full = classify_misses(trace, 64, 16, 4)
    assert (two_way.misses, full.misses) == (14, 20)
    assert two_way == MissBreakdown(accesses=20, hits=6, compulsory=5, capacity=9, conflict=0)


def test_power_of_two_column_stride_gives_conflict_misses_and_padding_fixes_them():
    cols = classify_misses(matrix_trace(128, 128, by_rows=False), 32 * 1024, 64, 8)
    assert (cols.hits, cols.compulsory, cols.capacity, cols.conflict) == (0, 2048, 0, 14336)
    padded = matrix_trace(128, 128, by_rows=False, row_items=136)
    assert classify_misses(padded, 32 * 1024, 64, 8).conflict == 0


def reference_kinds(addresses, size, line, ways):
    """Hill's definitions, from scratch: the per-set model and a one-set model."""
    cache, ideal = Model(size, line, ways), Model(size, line, size // line)
    seen, kinds = set(), []
    for a in addresses:
        hit, ideal_hit = cache.access(a), ideal.access(a)
        if hit:
            kinds.append("hit")
        elif a // line not in seen:
            kinds.append("compulsory")
        else:
            kinds.append("conflict" if ideal_hit else "capacity")
        seen.add(a // line)
    return kinds


@settings(max_examples=60)
@given(geometries(), st.lists(st.integers(0, 511), max_size=120))
def test_kinds_match_the_reference_and_add_up(geometry, addresses):
    size, line, _ways = geometry
    assert miss_kinds(addresses, *geometry) == reference_kinds(addresses, *geometry)
    b = classify_misses(addresses, *geometry)
    cache = CacheSimulator(*geometry)
    for a in addresses:
        cache.access(a)
    assert (b.hits, b.misses) == (cache.hits, cache.misses)
    assert b.compulsory == len({a // line for a in addresses})
    assert classify_misses(addresses, size, line, size // line).conflict == 0


def test_empty_trace():
    assert classify_misses([], 64, 16, 1) == MissBreakdown(0, 0, 0, 0, 0)
    assert classify_misses([], 64, 16, 1).hit_rate == 0.0


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: classify_misses([0, -16], 64, 16, 1),
            ValueError,
            "address must not be negative, got -16",
        ),
        (
            lambda: classify_misses([0.0], 64, 16, 1),
            TypeError,
            "address must be an int, got float: 0.0",
        ),
        (
            lambda: miss_kinds([False], 64, 16, 1),
            TypeError,
            "address must be an int, got bool: False",
        ),
        (
            lambda: miss_kinds([0], 96, 16, 1),
            ValueError,
            "size_bytes must be a power of two, got 96",
        ),
        (lambda: miss_kinds([0], 64, 16, 0), ValueError, "ways must be at least 1, got 0"),
        (lambda: classify_misses(None, 64, 16, 1), TypeError, "'NoneType' object is not iterable"),
    ],
)
def test_bad_input_is_rejected_with_the_value(call, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        call()


def transpose_trace(n, *, block=None, b_row_items=None):
    """Reads of a[i][j] interleaved with writes of b[j][i], two n x n matrices of doubles."""
    base, row = 8 * n * n, b_row_items or n
    block = block or n
    trace = []
    for ii in range(0, n, block):
        for jj in range(0, n, block):
            for i in range(ii, ii + block):
                for j in range(jj, jj + block):
                    trace += [8 * (i * n + j), base + 8 * (j * row + i)]
    return trace


def test_blocked_transpose_exercise_numbers():
    # The page's exercise: naive 64 x 64 transpose takes 504 conflict misses in a
    # 32 KiB 8-way cache; 8 x 8 blocks or padded rows of b take none.
    l1 = (32 * 1024, 64, 8)
    naive = classify_misses(transpose_trace(64), *l1)
    assert (naive.compulsory, naive.capacity, naive.conflict) == (1024, 0, 504)
    assert classify_misses(transpose_trace(64, block=8), *l1).conflict == 0
    assert classify_misses(transpose_trace(64, b_row_items=72), *l1).conflict == 0
