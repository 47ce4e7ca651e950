"""is_linearizable against hand-made histories, a brute force over all orders, and runs."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.distributed.cap_consistency import (
    brute_force_linearizable,
    format_history,
    is_linearizable,
    linearization,
    shrink,
    to_ops,
)

INF = math.inf

# Hand-made oracle: (history, linearizable?, why).
HAND_MADE = [
    ([], True, "the empty history"),
    ([("read", None, 0, 1)], True, "reading the initial value"),
    ([("read", 1, 0, 1)], False, "reading a value nobody wrote"),
    ([("write", 1, 0, 1), ("read", 1, 2, 3)], True, "read after write"),
    ([("write", 1, 0, 1), ("read", None, 2, 3)], False, "stale read after the write returned"),
    ([("write", 1, 0, 3), ("read", None, 1, 2)], True, "read overlaps the write: old is fine"),
    ([("write", 1, 0, 3), ("read", 1, 1, 2)], True, "read overlaps the write: new is fine"),
    (
        [("write", 1, 0, 10), ("read", 1, 1, 2), ("read", None, 3, 4)],
        False,
        "new then old while the write is in flight",
    ),
    (
        [("write", 1, 0, 10), ("read", None, 1, 2), ("read", 1, 3, 4)],
        True,
        "old then new while the write is in flight",
    ),
    ([("write", 1, 0, 1), ("write", 2, 2, 3), ("read", 1, 4, 5)], False, "lost update"),
    (
        [("write", 1, 0, 5), ("write", 2, 0, 5), ("read", 2, 6, 7), ("read", 1, 8, 9)],
        False,
        "two concurrent writes seen in both orders",
    ),
    (
        [("write", 1, 0, 5), ("write", 2, 0, 5), ("read", 1, 1, 2), ("read", 2, 3, 4)],
        True,
        "both orders are fine while both writes are open",
    ),
    ([("write", 1, 0, INF), ("read", 1, 5, 6)], True, "a write that never returned took effect"),
    ([("write", 1, 0, INF), ("read", None, 5, 6)], True, "... or did not"),
    (
        [("write", 1, 0, INF), ("read", 1, 5, 6), ("read", None, 7, 8)],
        False,
        "... but not both",
    ),
    ([("write", 1, 0, 1), ("read", 1, 1, 2)], True, "touching intervals are concurrent"),
    ([("read", 1, 0, 1), ("write", 1, 1, 2)], True, "so the read may come first"),
    ([("write", 1, 0, 1), ("write", 1, 2, 3), ("read", 1, 4, 5)], True, "duplicate values"),
]


@pytest.mark.parametrize(("history", "expected", "why"), HAND_MADE, ids=[h[2] for h in HAND_MADE])
def test_hand_made_histories(history, expected, why):
    assert is_linearizable(history) is expected, why
    assert brute_force_linearizable(history) is expected, why


def _is_valid_linearization(ops, order):
    placed = [ops[i] for i in order]
    if not all(math.isfinite(op.end) <= (i in order) for i, op in enumerate(ops)):
        return False  # a returned operation was left out
    if len(set(order)) != len(order):
        return False
    value = None
    for op in placed:
        if op.kind == "write":
            value = op.value
        elif op.value != value:
            return False
    return all(not b.end < a.start for a, b in itertools.combinations(placed, 2))


@st.composite
def random_histories(draw, max_ops=6):
    """Random intervals and values: most are not linearizable, some are."""
    n = draw(st.integers(0, max_ops))
    ops = []
    for _ in range(n):
        start = draw(st.integers(0, 10))
        end = start + draw(st.integers(0, 6))
        if draw(st.booleans()):
            open_ended = draw(st.integers(0, 5)) == 0
            ops.append(("write", draw(st.integers(1, 3)), start, INF if open_ended else end))
        else:
            ops.append(("read", draw(st.sampled_from([None, 1, 2, 3])), start, end))
    return ops


@st.composite
def executed_histories(draw, max_ops=12):
    """Run a sequential register, then widen each operation's instant into an interval.

    Every such history is linearizable: the instants are a linearization.
    """
    n = draw(st.integers(0, max_ops))
    instants = sorted(draw(st.lists(st.integers(0, 1000), min_size=n, max_size=n, unique=True)))
    value = None
    ops = []
    for k, t in enumerate(instants):
        before, after = draw(st.integers(0, 60)), draw(st.integers(0, 60))
        if draw(st.booleans()):
            value = k
            ops.append(("write", k, t - before, t + after))
        else:
            ops.append(("read", value, t - before, t + after))
    return draw(st.permutations(ops))


@settings(max_examples=150, deadline=None)
@given(random_histories())
def test_search_agrees_with_brute_force(history):
    order = linearization(history)
    assert (order is not None) == brute_force_linearizable(history)
    if order is not None:
        assert _is_valid_linearization(to_ops(history), order)


@settings(max_examples=60, deadline=None)
@given(executed_histories())
def test_every_history_of_a_sequential_run_is_linearizable(history):
    order = linearization(history)
    assert order is not None
    assert _is_valid_linearization(to_ops(history), order)


@settings(max_examples=100, deadline=None)
@given(executed_histories(max_ops=10), st.data())
def test_appending_the_final_value_keeps_it_linearizable_a_phantom_value_breaks_it(history, data):
    # In executed_histories the k-th instant writes k, so the largest value written is the last.
    final = max((op[1] for op in history if op[0] == "write"), default=None)
    after = max((op[3] for op in history), default=0) + 1
    assert is_linearizable([*history, ("read", final, after, after + 1)])
    phantom = data.draw(st.integers(10_000, 20_000))
    assert not is_linearizable([*history, ("read", phantom, -100, after)])


def test_shrink_finds_the_three_operations_of_a_new_old_inversion():
    noise = [("write", 5, 20, 21), ("read", 5, 22, 23), ("read", None, 0, 0.5)]
    history = [("write", 1, 0, 10), ("read", 1, 1, 2), ("read", None, 3, 4), *noise]
    small = shrink(history)
    assert [tuple(op) for op in small] == history[:3]
    assert not is_linearizable(small)
    for i in range(len(small)):
        rest = small[:i] + small[i + 1 :]
        written = {op.value for op in rest if op.kind == "write"}
        trivial = any(op.kind == "read" and op.value not in written | {None} for op in rest)
        assert trivial or is_linearizable(rest)


def test_shrink_leaves_a_linearizable_history_alone():
    history = [("write", 1, 0, 1), ("read", 1, 2, 3)]
    assert [tuple(op) for op in shrink(history)] == history


def test_large_histories_with_little_overlap_are_fast():
    # 600 operations, each overlapping only its neighbours: the memo keeps this linear.
    history = []
    for k in range(300):
        history.append(("write", k, 10 * k, 10 * k + 6))
        history.append(("read", k, 10 * k + 7, 10 * k + 12))
    assert is_linearizable(history)
    history[-1] = ("read", 3, 2997, 3002)
    assert not is_linearizable(history)


def test_format_history_sorts_by_start():
    text = format_history([("read", 1, 4, 5), ("write", 1, 0, INF)])
    assert text == "write 1       [0.000, never returned]\nread  -> 1    [4.000, 5.000]"


@pytest.mark.parametrize(
    ("history", "error", "message"),
    [
        ("write", TypeError, "history must be an iterable"),
        (None, TypeError, "history must be an iterable"),
        ([("write", 1, 0)], TypeError, "operation 0 must be a .kind, value, start, end. tuple"),
        ([["write", 1, 0, 1]], TypeError, "operation 0 must be a"),
        ([("cas", 1, 0, 1)], ValueError, "kind must be 'write' or 'read', got 'cas'"),
        ([("write", [1], 0, 1)], TypeError, "value must be hashable, got list"),
        ([("write", ([1],), 0, 1)], TypeError, "value must be hashable, got tuple"),
        ([("write", 1, 0, 10**400)], ValueError, "end must fit in a float"),
        ([("write", math.nan, 0, 1)], ValueError, "value must not be NaN"),
        ([("write", 1, math.nan, 1)], ValueError, "start must not be NaN"),
        ([("write", 1, 0, math.nan)], ValueError, "end must not be NaN"),
        ([("write", 1, -math.inf, 1)], ValueError, "start must be finite"),
        ([("write", 1, True, 1)], TypeError, "start must be a number, got bool"),
        ([("write", 1, 0, "1")], TypeError, "end must be a number, got str"),
        ([("write", 1, 5, 4)], ValueError, "end must not be before start"),
        ([("read", 1, 0, INF)], ValueError, "a read with no response has no value"),
    ],
)
def test_bad_histories_are_rejected_with_the_offending_operation(history, error, message):
    for check in (is_linearizable, linearization, brute_force_linearizable, shrink, format_history):
        with pytest.raises(error, match=message):
            check(history)


def test_brute_force_refuses_long_histories():
    with pytest.raises(ValueError, match="brute force takes at most 8 operations, got 9"):
        brute_force_linearizable([("read", None, 0, 1)] * 9)


def test_huge_values_and_unicode_are_fine():
    big = 10**100
    assert is_linearizable([("write", big, 0, 1), ("read", big, 2, 3)])
    assert is_linearizable([("write", "λ✓", 0, 1), ("read", "λ✓", 2, 3)])
    assert not is_linearizable([("write", "λ", 0, 1), ("read", "λ✓", 2, 3)])


def test_a_read_of_a_value_nobody_wrote_is_rejected_without_the_exponential_search():
    # Twenty concurrent writes: 2^20 configurations if the search ran.
    history = [("write", k, 0, 100) for k in range(20)] + [("read", 999, 0, 100)]
    assert linearization(history) is None
    assert linearization([*history[:-1], ("read", 19, 0, 100)]) is not None
