"""False sharing: line transfers against a brute-force scan of the write history."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.fundamentals.memory_hierarchy import counter_writes, line_transfers


@pytest.mark.parametrize(
    ("threads", "stride", "line", "expected"),
    [
        (2, 8, 64, 2 * 100 - 1),  # two counters in one line: every write but the first moves it
        (4, 8, 64, 4 * 100 - 1),
        (2, 64, 64, 0),  # padded to a line each: no traffic
        (2, 32, 64, 2 * 100 - 1),  # half a line apart is still the same line
        (2, 32, 32, 0),  # ...unless lines are 32 bytes
        (1, 8, 64, 0),  # one thread never shares
    ],
)
def test_counters_in_one_line_ping_pong(threads, stride, line, expected):
    assert line_transfers(counter_writes(threads, 100, stride), line) == expected


def test_counter_writes_interleave_threads():
    assert counter_writes(3, 2, 16, base=64) == [
        (0, 64),
        (1, 80),
        (2, 96),
        (0, 64),
        (1, 80),
        (2, 96),
    ]
    assert counter_writes(2, 0, 8) == []


def brute_force(writes, line_bytes):
    transfers = 0
    for i, (core, address) in enumerate(writes):
        earlier = [c for c, a in writes[:i] if a // line_bytes == address // line_bytes]
        transfers += bool(earlier) and earlier[-1] != core
    return transfers


@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 300)), max_size=60),
    st.sampled_from([1, 8, 64]),
)
def test_matches_a_scan_of_the_history(writes, line_bytes):
    assert line_transfers(writes, line_bytes) == brute_force(writes, line_bytes)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: line_transfers([(0, 0), (-1, 0)]),
            ValueError,
            "core must not be negative, got -1",
        ),
        (
            lambda: line_transfers([(0, 0), (1.0, 0)]),
            TypeError,
            "core must be an int, got float: 1.0",
        ),
        (lambda: line_transfers([(0, -8)]), ValueError, "address must not be negative, got -8"),
        (
            lambda: line_transfers([(0, float("nan"))]),
            TypeError,
            "address must be an int, got float: nan",
        ),
        (lambda: line_transfers([], 48), ValueError, "line_bytes must be a power of two, got 48"),
        (
            lambda: line_transfers([(0, 0), 8]),
            TypeError,
            "each write must be a (core, address) pair, got 8",
        ),
        (
            lambda: line_transfers(["ab"]),
            TypeError,
            "each write must be a (core, address) pair, got 'ab'",
        ),
        (lambda: counter_writes(0, 1, 8), ValueError, "threads must be at least 1, got 0"),
        (lambda: counter_writes(2, -1, 8), ValueError, "increments must be at least 0, got -1"),
        (lambda: counter_writes(2, 1, 0), ValueError, "stride_bytes must be at least 1, got 0"),
        (
            lambda: counter_writes(2, True, 8),
            TypeError,
            "increments must be an int, got bool: True",
        ),
        (lambda: counter_writes(2, 1, 8, base=-1), ValueError, "base must be at least 0, got -1"),
    ],
)
def test_bad_input_is_rejected_with_the_value(call, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        call()
