"""Weaker consistency models, decided by exhaustive search over serializations.

Linearizability needs real time; the models below need only each process's
*program order*, so their histories are one sequence of ``(kind, value)``
operations per process, no timestamps. Each model asks whether some
serialization (a total order of operations that is a legal run of a register
starting at ``None``) exists; they differ in *which* operations it must
contain and *which* order it must respect:

* **sequential** (Lamport 1979): one serialization of every operation,
  respecting every process's program order;
* **causal** (Ahamad et al. 1995): for each process p, one serialization of
  all writes and p's reads, respecting causal order (program order and
  reads-from, closed transitively);
* **PRAM** (Lipton and Sandberg 1988): for each process p, one serialization
  of all writes and p's reads, respecting program order only.

Each model implies the next: a sequentially consistent serialization respects
causal order, and causal order contains program order. Causality needs to
know which write a read read from, so :func:`is_causal` requires every
written value to be unique (the usual assumption of checkers such as Jepsen's).

The search is exhaustive (memoised on the set of placed operations and the
register's value), so it is only for the small histories a chapter or a test
builds: O(2^n · v · n) for n operations.

>>> is_sequentially_consistent([[("write", 1)], [("read", None), ("read", 1)]])
True
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import NamedTuple

__all__ = ["SEPARATING", "Example", "is_causal", "is_pram", "is_sequentially_consistent"]

Processes = Sequence[Sequence[tuple[str, Hashable]]]


class Example(NamedTuple):
    """A small history that one model allows and a stronger one forbids."""

    name: str
    processes: tuple[tuple[tuple[str, Hashable], ...], ...]


#: Histories that separate neighbouring models of the hierarchy, strongest first.
#: The chapter's table (and a test) checks each against every checker.
SEPARATING: tuple[Example, ...] = (
    # Process 1 reads after process 0's write returned (real time), yet sees None.
    Example("stale read after a write returned", ((("write", 1),), (("read", None),))),
    # Each process sees its own write first: no single order explains both.
    Example(
        "two writers, crossed reads",
        ((("write", 1), ("read", 2)), (("write", 2), ("read", 1))),
    ),
    # 2 was written after reading 1, so 1 -> 2 causally; process 2 sees them reversed.
    Example(
        "causally related writes seen reversed",
        ((("write", 1),), (("read", 1), ("write", 2)), (("read", 2), ("read", 1))),
    ),
    # Violates read-your-writes: the writer does not see its own write.
    Example("own write not seen", ((("write", 1), ("read", None)),)),
    # Violates monotonic reads: a newer value, then an older one (1 came first).
    Example("reads go back in time", ((("write", 1), ("write", 2)), (("read", 2), ("read", 1)))),
)


def is_sequentially_consistent(processes: Processes) -> bool:
    """Whether one legal serialization of all operations respects every program order.

    Args:
        processes: one sequence of ``("write", value)`` / ``("read", value)``
            per process, in program order.

    Raises:
        TypeError, ValueError: a malformed history.

    Complexity: O(2^n · v · n) for n operations, v distinct values.

    >>> is_sequentially_consistent([[("write", 1), ("read", 2)], [("write", 2), ("read", 1)]])
    False
    >>> is_sequentially_consistent([[("write", 1)], [("read", 1), ("read", None)]])
    False
    >>> is_sequentially_consistent([[("scan", 1)]])
    Traceback (most recent call last):
    ValueError: kind must be 'write' or 'read', got 'scan' (process 0, operation 0)
    """
    ops = _flatten(processes)
    before = [_earlier_in_process(ops, i) for i in range(len(ops))]
    return _serializable(ops, (1 << len(ops)) - 1, before)


def is_causal(processes: Processes) -> bool:
    """Whether every process sees all writes in an order consistent with causality (causal memory).

    For each process p there must be a legal serialization of every write and
    p's own reads that respects the causal order: program order plus
    "read ``v`` comes after the write of ``v``", closed transitively.

    Raises:
        TypeError, ValueError: a malformed history, or a value written twice
            (reads-from would be ambiguous).

    Complexity: O(p · 2^n · v · n) for p processes.

    >>> is_causal([[("write", 1), ("read", 2)], [("write", 2), ("read", 1)]])
    True
    >>> is_causal([[("write", 1)], [("read", 1), ("write", 2)], [("read", 2), ("read", 1)]])
    False
    >>> is_causal([[("write", 1)], [("write", 1)]])
    Traceback (most recent call last):
    ValueError: causal checking needs unique written values; 1 is written twice
    """
    ops = _flatten(processes)
    writer: dict[Hashable, int] = {}
    for i, (_, kind, value) in enumerate(ops):
        if kind == "write":
            if value in writer:
                raise ValueError(
                    f"causal checking needs unique written values; {value!r} is written twice"
                )
            writer[value] = i
    causes = [_earlier_in_process(ops, i) for i in range(len(ops))]
    for i, (_, kind, value) in enumerate(ops):
        if kind == "read" and value is not None:
            if value not in writer:
                return False  # read a value nobody wrote
            causes[i] |= 1 << writer[value]
    causes = _transitive(causes)
    return all(_view_serializable(ops, p, causes) for p in range(len(processes)))


def is_pram(processes: Processes) -> bool:
    """Whether every process sees all writes in an order that keeps each writer's program order.

    PRAM (pipelined RAM) is what a replica gets by applying each other
    process's writes in the order they were sent over a FIFO channel.

    Raises:
        TypeError, ValueError: a malformed history.

    Complexity: O(p · 2^n · v · n).

    >>> is_pram([[("write", 1)], [("read", 1), ("write", 2)], [("read", 2), ("read", 1)]])
    True
    >>> is_pram([[("write", 1), ("write", 2)], [("read", 2), ("read", 1)]])
    False
    """
    ops = _flatten(processes)
    before = [_earlier_in_process(ops, i) for i in range(len(ops))]
    return all(_view_serializable(ops, p, before) for p in range(len(processes)))


def _flatten(processes: object) -> list[tuple[int, str, Hashable]]:
    if isinstance(processes, str | bytes) or not isinstance(processes, Sequence):
        raise TypeError(f"processes must be a sequence of operation sequences, got {processes!r}")
    ops = []
    for p, program in enumerate(processes):
        if isinstance(program, str | bytes) or not isinstance(program, Sequence):
            raise TypeError(f"process {p} must be a sequence of (kind, value), got {program!r}")
        for k, op in enumerate(program):
            where = f"(process {p}, operation {k})"
            if not isinstance(op, tuple) or len(op) != 2:
                raise TypeError(f"an operation must be a (kind, value) tuple, got {op!r} {where}")
            kind, value = op
            if kind not in ("write", "read"):
                raise ValueError(f"kind must be 'write' or 'read', got {kind!r} {where}")
            try:
                hash(value)  # a tuple holding a list passes isinstance(..., Hashable)
            except TypeError:
                raise TypeError(
                    f"value must be hashable, got {type(value).__name__} {where}"
                ) from None
            if value != value:  # NaN is the one value unequal to itself
                raise ValueError(f"value must not be NaN {where}")
            ops.append((p, kind, value))
    return ops


def _earlier_in_process(ops: list[tuple[int, str, Hashable]], i: int) -> int:
    return sum(1 << j for j in range(i) if ops[j][0] == ops[i][0])


def _transitive(before: list[int]) -> list[int]:
    # Operations are numbered in process order, but reads-from can point
    # forward, so iterate to a fixed point (n is tiny).
    closed = list(before)
    changed = True
    while changed:
        changed = False
        for i, mask in enumerate(closed):
            grown = mask
            for j in range(len(closed)):
                if mask >> j & 1:
                    grown |= closed[j]
            if grown != mask:
                closed[i], changed = grown, True
    return closed


def _view_serializable(ops: list[tuple[int, str, Hashable]], p: int, before: list[int]) -> bool:
    view = sum(1 << i for i, (q, kind, _) in enumerate(ops) if kind == "write" or q == p)
    return _serializable(ops, view, before)


def _serializable(ops: list[tuple[int, str, Hashable]], view: int, before: list[int]) -> bool:
    """Is there a legal register run of the operations in ``view`` respecting ``before``?"""
    stack: list[tuple[int, Hashable]] = [(0, None)]
    seen: set[tuple[int, Hashable]] = set()
    while stack:
        done, value = stack.pop()
        if done == view:
            return True
        if (done, value) in seen:
            continue
        seen.add((done, value))
        for i, (_, kind, v) in enumerate(ops):
            if not view >> i & 1 or done >> i & 1 or before[i] & view & ~done:
                continue  # outside the view, placed already, or waiting for a predecessor
            if kind == "write":
                stack.append((done | 1 << i, v))
            elif v == value:
                stack.append((done | 1 << i, value))
    return False
