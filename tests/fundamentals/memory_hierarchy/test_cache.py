"""CacheSimulator against textbook traces, a brute-force per-set LRU model, functools.lru_cache."""

from __future__ import annotations

import functools
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from studybook.fundamentals.memory_hierarchy import (
    COD_DIRECT_MAPPED,
    CSAPP_DIRECT_MAPPED,
    AddressParts,
    CacheSimulator,
    dotprod_trace,
    matrix_trace,
)


def run(cache, addresses):
    hits = [cache.access(a) for a in addresses]
    cache._check_invariants()
    return hits


def test_csapp_direct_mapped_example():
    # CS:APP 3e 6.4.2: (S, E, B, m) = (4, 1, 2, 4); reads of 0, 1, 13, 8, 0 are
    # miss, hit, miss, miss (8 evicts block 0 from set 0), miss (conflict).
    cache = CacheSimulator(8, 2, 1)
    assert run(cache, CSAPP_DIRECT_MAPPED) == [False, True, False, False, False]
    assert (cache.hits, cache.misses, cache.evictions) == (1, 4, 2)
    assert cache.split(13) == AddressParts(tag=1, set_index=2, offset=1)
    assert cache.split(8) == AddressParts(tag=1, set_index=0, offset=0)
    assert cache.resident(0) == (0,)  # block 0-1 is back, having evicted block 8-9


def test_cod_direct_mapped_word_trace():
    # Patterson & Hennessy, COD 5.3: 8 one-word blocks, word addresses
    # 22 26 22 26 16 3 16 18 16 -> miss miss hit hit miss miss hit miss hit.
    cache = CacheSimulator(32, 4, 1)
    hits = run(cache, [4 * w for w in COD_DIRECT_MAPPED])
    assert hits == [False, False, True, True, False, False, True, False, True]
    assert cache.split(4 * 18).set_index == 0b010  # 18 = 10010: index 010, evicts 26


@pytest.mark.parametrize(("ways", "misses"), [(1, 5), (2, 4), (4, 3)])
def test_cod_associativity_example(ways, misses):
    # COD 5.4: four one-word blocks, block addresses 0 8 0 6 8.
    cache = CacheSimulator(16, 4, ways)
    run(cache, [4 * b for b in (0, 8, 0, 6, 8)])
    assert cache.misses == misses


@pytest.mark.parametrize(
    ("x_floats", "size", "ways", "hit_rate"),
    [
        (8, 32, 1, 0.0),  # CS:APP: x and y map to the same sets and thrash
        (12, 32, 1, 0.75),  # padding x to float[12] moves y half a cache away
        (8, 64, 2, 0.75),  # or two ways per set
    ],
)
def test_csapp_dotprod_thrashing_and_its_fixes(x_floats, size, ways, hit_rate):
    cache = CacheSimulator(size, 16, ways)
    run(cache, dotprod_trace(x_floats))
    assert cache.hit_rate == hit_rate


def test_row_major_misses_once_per_line_and_column_major_thrashes():
    rows = CacheSimulator(32 * 1024, 64, 8)
    run(rows, matrix_trace(128, 128, by_rows=True))
    assert rows.misses == 128 * 128 // 8
    cols = CacheSimulator(32 * 1024, 64, 8)
    run(cols, matrix_trace(128, 128, by_rows=False))
    assert cols.hits == 0


class Model:
    """The obvious cache: a list of per-set lists, least recently used first."""

    def __init__(self, size_bytes, line_bytes, ways):
        self.line_bytes, self.ways = line_bytes, ways
        self.sets = [[] for _ in range(size_bytes // (line_bytes * ways))]

    def access(self, address):
        line = address // self.line_bytes
        lines = self.sets[line % len(self.sets)]
        hit = line in lines
        if hit:
            lines.remove(line)
        elif len(lines) == self.ways:
            lines.pop(0)
        lines.append(line)
        return hit


@st.composite
def geometries(draw):
    line_bits = draw(st.integers(0, 4))
    ways_bits = draw(st.integers(0, 3))
    sets_bits = draw(st.integers(0, 3))
    line, ways = 1 << line_bits, 1 << ways_bits
    return line * ways << sets_bits, line, ways


@settings(max_examples=60)
@given(
    geometries(),
    st.integers(0, 1023).map(lambda base: base << 64) | st.just(0),
    st.lists(st.integers(0, 1023), max_size=120),
)
def test_matches_the_brute_force_model(geometry, base, offsets):
    addresses = [base + a for a in offsets]  # high bits in the tag must not matter
    cache, model = CacheSimulator(*geometry), Model(*geometry)
    for address in addresses:
        assert cache.access(address) == model.access(address)
        cache._check_invariants()
    assert cache.hits + cache.misses == len(addresses)
    for i, lines in enumerate(model.sets):
        assert cache.resident(i) == tuple(line // len(model.sets) for line in lines)


@settings(max_examples=40)
@given(st.integers(0, 4), st.integers(0, 3), st.lists(st.integers(0, 255), max_size=100))
def test_fully_associative_is_an_lru_cache_of_lines(lines_bits, line_bits, addresses):
    lines, line = 1 << lines_bits, 1 << line_bits
    cache = CacheSimulator(lines * line, line, lines)

    @functools.lru_cache(maxsize=lines)
    def fetch(line_number):
        return line_number

    for address in addresses:
        cache.access(address)
        fetch(address // line)
    info = fetch.cache_info()
    assert (cache.hits, cache.misses) == (info.hits, info.misses)


@settings(max_examples=40)
@given(st.integers(0, 3), st.lists(st.integers(0, 511), max_size=100))
def test_fully_associative_lru_never_misses_more_when_bigger(lines_bits, addresses):
    # LRU is a stack algorithm (Mattson et al. 1970): the inclusion property.
    small = CacheSimulator(16 << lines_bits, 16, 1 << lines_bits)
    big = CacheSimulator(32 << lines_bits, 16, 2 << lines_bits)
    run(small, addresses)
    run(big, addresses)
    assert big.misses <= small.misses


@given(st.integers(0, 2**64))
def test_split_reassembles_the_address(address):
    cache = CacheSimulator(32 * 1024, 64, 8)
    tag, index, offset = cache.split(address)
    assert 0 <= index < 64
    assert 0 <= offset < 64
    assert (tag << 12) | (index << 6) | offset == address


class CacheMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.cache = CacheSimulator(64, 8, 2)
        self.model = Model(64, 8, 2)

    @rule(address=st.integers(0, 255))
    def access(self, address):
        assert self.cache.access(address) == self.model.access(address)

    @invariant()
    def invariants_hold(self):
        self.cache._check_invariants()


CacheMachine.TestCase.settings = settings(max_examples=30, stateful_step_count=40)
TestCacheMachine = CacheMachine.TestCase


def test_the_interview_address_split():
    # 64 KiB, 4-way, 64-byte lines: 256 sets, so 6 offset, 8 index, 18 tag bits of 32.
    cache = CacheSimulator(64 * 1024, 64, 4)
    assert (cache.sets, cache.offset_bits, cache.index_bits) == (256, 6, 8)
    assert cache.split(0xFFFF_FFFF) == AddressParts(tag=2**18 - 1, set_index=255, offset=63)
    assert cache.split(0x0000_3FC0) == AddressParts(tag=0, set_index=255, offset=0)


def test_a_huge_cache_costs_only_the_lines_touched():
    # Sets are made on first use: a 1 TiB direct-mapped cache has 2**34 sets.
    cache = CacheSimulator(1 << 40, 64, 1)
    assert run(cache, [0, 64, 1 << 40, 0]) == [False, False, False, False]  # 0 and 2**40 collide
    assert (cache.resident(0), cache.resident(1), cache.resident(2)) == ((0,), (0,), ())
    assert cache.resident(cache.sets - 1) == ()
    assert len(cache._sets) == 2


def test_huge_addresses_and_counters():
    cache = CacheSimulator(64, 16, 4)
    assert [cache.access(a) for a in (2**100, 2**100 + 15, 2**100 + 16)] == [False, True, False]
    assert cache.accesses == 3
    assert cache.hit_rate == pytest.approx(1 / 3)
    assert CacheSimulator(64, 16, 4).hit_rate == 0.0
    assert repr(cache) == "CacheSimulator(size_bytes=64, line_bytes=16, ways=4)"


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: CacheSimulator(24, 4, 2), ValueError, "size_bytes must be a power of two, got 24"),
        (lambda: CacheSimulator(0, 4, 1), ValueError, "size_bytes must be a power of two, got 0"),
        (
            lambda: CacheSimulator(-64, 4, 1),
            ValueError,
            "size_bytes must be a power of two, got -64",
        ),
        (
            lambda: CacheSimulator(64, 48, 1),
            ValueError,
            "line_bytes must be a power of two, got 48",
        ),
        (
            lambda: CacheSimulator(64, 128, 1),
            ValueError,
            "size_bytes 64 does not divide into whole sets of 1 x 128 bytes",
        ),
        (
            lambda: CacheSimulator(64, 16, 3),
            ValueError,
            "size_bytes 64 does not divide into whole sets of 3 x 16 bytes",
        ),
        (
            lambda: CacheSimulator(64, 16, 8),
            ValueError,
            "size_bytes 64 does not divide into whole sets of 8 x 16 bytes",
        ),
        (lambda: CacheSimulator(64, 16, 0), ValueError, "ways must be at least 1, got 0"),
        (lambda: CacheSimulator(64, 16, True), TypeError, "ways must be an int, got bool: True"),
        (
            lambda: CacheSimulator(True, 1, 1),
            TypeError,
            "size_bytes must be an int, got bool: True",
        ),
        (
            lambda: CacheSimulator(64.0, 16, 1),
            TypeError,
            "size_bytes must be an int, got float: 64.0",
        ),
        (
            lambda: CacheSimulator(64, math.inf, 1),
            TypeError,
            "line_bytes must be an int, got float: inf",
        ),
        (
            lambda: CacheSimulator(64, "16", 1),
            TypeError,
            "line_bytes must be an int, got str: '16'",
        ),
        (
            lambda: CacheSimulator(64, 16, 1).access(-1),
            ValueError,
            "address must not be negative, got -1",
        ),
        (
            lambda: CacheSimulator(64, 16, 1).access(True),
            TypeError,
            "address must be an int, got bool: True",
        ),
        (
            lambda: CacheSimulator(64, 16, 1).access(math.nan),
            TypeError,
            "address must be an int, got float: nan",
        ),
        (
            lambda: CacheSimulator(64, 16, 1).access(None),
            TypeError,
            "address must be an int, got NoneType: None",
        ),
        (
            lambda: CacheSimulator(64, 16, 1).split(-5),
            ValueError,
            "address must not be negative, got -5",
        ),
        (
            lambda: CacheSimulator(64, 16, 1).resident(4),
            IndexError,
            "set_index must be in range(4), got 4",
        ),
        (
            lambda: CacheSimulator(64, 16, 1).resident(True),
            TypeError,
            "set_index must be an int, got True",
        ),
        (lambda: dotprod_trace(4, 8), ValueError, "need 0 <= n <= x_floats, got n=8, x_floats=4"),
        (lambda: dotprod_trace(8.0), TypeError, "x_floats must be an int, got float: 8.0"),
        (lambda: matrix_trace(0, 4, by_rows=True), ValueError, "rows must be at least 1, got 0"),
        (
            lambda: matrix_trace(4, 4, by_rows=True, row_items=3),
            ValueError,
            "row_items must be at least cols (4), got 3",
        ),
        (
            lambda: matrix_trace(4, False, by_rows=True),
            TypeError,
            "cols must be an int, got bool: False",
        ),
    ],
)
def test_bad_input_is_rejected_with_the_value(call, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        call()


def test_a_failed_access_changes_nothing():
    cache = CacheSimulator(64, 16, 1)
    cache.access(0)
    with pytest.raises(TypeError):
        cache.access(1.5)
    assert (cache.hits, cache.misses) == (0, 1)
    cache._check_invariants()
