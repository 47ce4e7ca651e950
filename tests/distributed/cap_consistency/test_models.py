"""Sequential, causal and PRAM checkers: separating histories, brute force, and the hierarchy."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.distributed.cap_consistency import (
    SEPARATING,
    is_causal,
    is_linearizable,
    is_pram,
    is_sequentially_consistent,
)

# (sequential, causal, PRAM) for each separating history, from the definitions by hand.
EXPECTED = {
    "stale read after a write returned": (True, True, True),
    "two writers, crossed reads": (False, True, True),
    "causally related writes seen reversed": (False, False, True),
    "own write not seen": (False, False, False),
    "reads go back in time": (False, False, False),
}


@pytest.mark.parametrize("example", SEPARATING, ids=lambda e: e.name)
def test_separating_histories(example):
    got = (
        is_sequentially_consistent(example.processes),
        is_causal(example.processes),
        is_pram(example.processes),
    )
    assert got == EXPECTED[example.name]


def test_the_stale_read_is_sequential_but_not_linearizable():
    # The first separating history with real times: the write returned before the read began.
    assert not is_linearizable([("write", 1, 0, 1), ("read", None, 2, 3)])
    # The same operations, overlapping in time, are linearizable.
    assert is_linearizable([("write", 1, 0, 3), ("read", None, 2, 4)])


def _interleavings(processes):
    """Every merge of the programs that keeps each program's order (the brute force)."""
    tagged = [p for p, program in enumerate(processes) for _ in program]
    for order in set(itertools.permutations(tagged)):
        cursor = [0] * len(processes)
        merged = []
        for p in order:
            merged.append(processes[p][cursor[p]])
            cursor[p] += 1
        yield merged


def _legal(ops):
    value = None
    for kind, v in ops:
        if kind == "write":
            value = v
        elif v != value:
            return False
    return True


def brute_force_sequential(processes):
    return any(_legal(m) for m in _interleavings(processes))


def _views(processes, order):
    """Has each process p a legal order of all writes and p's reads that respects ``order``?

    ``order`` maps (process, index) to the set of (process, index) that must come before it.
    """
    ops = {(p, k): op for p, program in enumerate(processes) for k, op in enumerate(program)}
    for p in range(len(processes)):
        view = [key for key, (kind, _) in ops.items() if kind == "write" or key[0] == p]
        if not any(
            _legal([ops[key] for key in perm])
            and all(
                perm.index(before) < perm.index(key)
                for key in perm
                for before in order[key]
                if before in perm
            )
            for perm in itertools.permutations(view)
        ):
            return False
    return True


def _program_order(processes):
    return {
        (p, k): {(p, j) for j in range(k)}
        for p, program in enumerate(processes)
        for k in range(len(program))
    }


def brute_force_pram(processes):
    """Ahamad et al.'s PRAM, by trying every order of each process's view."""
    return _views(processes, _program_order(processes))


def brute_force_causal(processes):
    """Causal memory: program order plus writes-into, closed transitively, every view tried."""
    order = _program_order(processes)
    writer = {
        op[1]: (p, k)
        for p, program in enumerate(processes)
        for k, op in enumerate(program)
        if op[0] == "write"
    }
    for p, program in enumerate(processes):
        for k, (kind, value) in enumerate(program):
            if kind == "read" and value is not None:
                if value not in writer:
                    return False
                order[(p, k)].add(writer[value])
    changed = True
    while changed:  # transitive closure
        changed = False
        for key, before in order.items():
            grown = before.union(*(order[b] for b in before))
            if grown != before:
                order[key], changed = grown, True
    if any(key in before for key, before in order.items()):
        return False  # a causal cycle: no order at all
    return _views(processes, order)


@st.composite
def programs(draw, unique=False, max_total=6):
    """2-3 processes of reads and writes; with ``unique``, every written value differs."""
    count = draw(st.integers(1, 3))
    total = draw(st.integers(0, max_total))
    sizes = [0] * count
    for _ in range(total):
        sizes[draw(st.integers(0, count - 1))] += 1
    fresh = itertools.count(1)
    processes = []
    for size in sizes:
        program = []
        for _ in range(size):
            if draw(st.booleans()):
                program.append(("write", next(fresh) if unique else draw(st.integers(1, 2))))
            else:
                program.append(("read", draw(st.sampled_from([None, 1, 2, 3]))))
        processes.append(program)
    return processes


@settings(max_examples=100, deadline=None)
@given(programs())
def test_sequential_consistency_agrees_with_every_interleaving(processes):
    assert is_sequentially_consistent(processes) == brute_force_sequential(processes)


@settings(max_examples=150, deadline=None)
@given(programs(unique=True, max_total=6))
def test_causal_and_pram_agree_with_every_order_of_every_view(processes):
    assert is_pram(processes) == brute_force_pram(processes)
    assert is_causal(processes) == brute_force_causal(processes)


@settings(max_examples=100, deadline=None)
@given(programs(unique=True))
def test_the_hierarchy_sequential_implies_causal_implies_pram(processes):
    sc, causal, pram = (
        is_sequentially_consistent(processes),
        is_causal(processes),
        is_pram(processes),
    )
    assert not sc or causal
    assert not causal or pram


@settings(max_examples=40, deadline=None)
@given(programs(unique=True, max_total=6), st.data())
def test_linearizable_implies_sequential(processes, data):
    # Give each process's operations increasing, possibly overlapping-across-processes times.
    history = []
    for program in processes:
        t = data.draw(st.integers(0, 5))
        for kind, value in program:
            length = data.draw(st.integers(1, 5))
            history.append((kind, value, t, t + length))
            t += length + data.draw(st.integers(1, 3))
    if is_linearizable(history):
        assert is_sequentially_consistent(processes)


def test_reading_a_value_nobody_wrote_fails_every_model():
    processes = [[("write", 1)], [("read", 9)]]
    assert not is_sequentially_consistent(processes)
    assert not is_causal(processes)
    assert not is_pram(processes)


def test_empty_histories_are_consistent():
    for check in (is_sequentially_consistent, is_causal, is_pram):
        assert check([])
        assert check([[], []])


@pytest.mark.parametrize(
    ("processes", "error", "message"),
    [
        ("rw", TypeError, "processes must be a sequence"),
        ([("write", 1)], TypeError, "an operation must be a .kind, value. tuple, got 'write'"),
        ([3], TypeError, "process 0 must be a sequence of .kind, value., got 3"),
        ([[("write", 1, 2)]], TypeError, "an operation must be a .kind, value. tuple"),
        ([[("cas", 1)]], ValueError, "kind must be 'write' or 'read', got 'cas'"),
        ([[("write", {1})]], TypeError, "value must be hashable, got set"),
        ([[("write", ([1],))]], TypeError, "value must be hashable, got tuple"),
        ([[("write", float("nan"))]], ValueError, "value must not be NaN"),
        ([["write"]], TypeError, "an operation must be a .kind, value. tuple"),
    ],
)
def test_bad_histories_are_rejected(processes, error, message):
    for check in (is_sequentially_consistent, is_causal, is_pram):
        with pytest.raises(error, match=message):
            check(processes)


def test_causal_needs_unique_written_values():
    with pytest.raises(ValueError, match="1 is written twice"):
        is_causal([[("write", 1)], [("write", 1)]])
