"""KIP-98 sequence numbers: retries deduplicated, gaps rejected, zombies fenced."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.streaming_systems import (
    IdempotentLog,
    OutOfOrderSequenceError,
    ProducerFencedError,
    send_with_retries,
)


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(0, 20),
    data=st.data(),
)
def test_any_retry_schedule_leaves_each_record_once_and_in_order(n, data):
    """In-order sends, each repeated 1-3 times, stale retries arriving late: log = input."""
    log = IdempotentLog(2)
    sent: list[int] = []
    expected_duplicates = 0
    for seq in range(n):
        repeats = data.draw(st.integers(1, 3))
        for _ in range(repeats):
            assert log.append(5, 0, seq % 2, seq // 2, f"v{seq}") in ("appended", "duplicate")
        expected_duplicates += repeats - 1
        sent.append(seq)
        if sent and data.draw(st.booleans()):
            old = data.draw(st.sampled_from(sent))  # a stale retry arriving late
            assert log.append(5, 0, old % 2, old // 2, f"v{old}") == "duplicate"
            expected_duplicates += 1
    assert log.values(0) == [f"v{s}" for s in range(0, n, 2)]
    assert log.values(1) == [f"v{s}" for s in range(1, n, 2)]
    assert log.duplicates_dropped == expected_duplicates


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.text(max_size=3), max_size=10), data=st.data())
def test_send_with_retries_duplicates_exactly_the_lost_acks(values, data):
    lost = data.draw(st.sets(st.integers(0, max(len(values) - 1, 0)))) if values else set()
    assert send_with_retries(values, lost, idempotent=True) == values
    plain = send_with_retries(values, lost, idempotent=False)
    assert len(plain) == len(values) + len(lost)
    assert plain == [v for i, v in enumerate(values) for _ in range(2 if i in lost else 1)]


def test_a_gap_is_rejected_and_the_log_is_unchanged():
    log = IdempotentLog()
    log.append(1, 0, 0, 0, "a")
    with pytest.raises(OutOfOrderSequenceError, match="expected sequence 1, got 2"):
        log.append(1, 0, 0, 2, "c")
    with pytest.raises(OutOfOrderSequenceError, match="expected sequence 0, got 1"):
        log.append(2, 0, 0, 1, "x")  # a new producer must start at 0
    assert log.values(0) == ["a"]
    assert log.append(1, 0, 0, 1, "b") == "appended"


def test_sequences_are_per_producer_and_per_partition():
    log = IdempotentLog(2)
    assert [log.append(p, 0, part, 0, f"{p}{part}") for p in (1, 2) for part in (0, 1)] == [
        "appended"
    ] * 4
    assert log.values(0) == ["10", "20"]
    assert log.values(1) == ["11", "21"]


def test_a_new_epoch_fences_the_zombie_and_restarts_sequences():
    log = IdempotentLog()
    log.append(1, 0, 0, 0, "a")
    log.append(1, 0, 0, 1, "b")
    assert (
        log.append(1, 1, 0, 0, "c") == "appended"
    )  # new epoch: sequence 0 is new, not a duplicate
    with pytest.raises(ProducerFencedError, match="epoch 0 is fenced by epoch 1"):
        log.append(1, 0, 0, 2, "zombie")
    assert log.values(0) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((-1, 0, 0, 0, "v"), ValueError),
        ((True, 0, 0, 0, "v"), TypeError),
        ((1, -1, 0, 0, "v"), ValueError),
        ((1, 0, 1, 0, "v"), ValueError),
        ((1, 0, 0, -1, "v"), ValueError),
        ((1, 0, 0, math.nan, "v"), TypeError),
        ((1, 0, 0, 0, b"v"), TypeError),
        ((1, 0, 0, 1.0, "v"), TypeError),
    ],
)
def test_bad_append(args, error):
    with pytest.raises(error, match="got"):
        IdempotentLog(1).append(*args)


@pytest.mark.parametrize(
    ("partitions", "error"), [(0, ValueError), (True, TypeError), (10**9, ValueError)]
)
def test_bad_log(partitions, error):
    with pytest.raises(error, match="got"):
        IdempotentLog(partitions)


@pytest.mark.parametrize(
    ("values", "lost", "error"),
    [
        ([], {0}, ValueError),
        ("ab", set(), TypeError),
        ([1], set(), TypeError),
        (["a"], {1}, ValueError),
        (["a"], {True}, TypeError),
        (["a"], None, TypeError),
        (["a"], [0], TypeError),
    ],
)
def test_bad_send_with_retries(values, lost, error):
    with pytest.raises(error, match="got"):
        send_with_retries(values, lost, idempotent=True)


def test_send_with_retries_wants_a_bool_flag():
    with pytest.raises(TypeError, match="got 'yes'"):
        send_with_retries(["a"], set(), idempotent="yes")  # type: ignore[arg-type]
