"""Linearizability of a register history: Wing & Gong's search with memoisation, and a brute force.

A history is **linearizable** (Herlihy & Wing 1990) if each operation can be
given a single instant between its invocation and its response so that, in
the order of those instants, every read returns the value of the latest write
before it (``None`` if there is none). Equivalently: some total order of the
operations (1) respects real time (if ``a`` responded before ``b`` was invoked,
``a`` comes first) and (2) is a legal sequential run of a register.

:func:`linearization` finds such an order by depth-first search (Wing & Gong
1993): the next operation to linearize can be any pending one that was invoked
before every other pending operation's response. Lowe (2017) makes the search
practical by memoising configurations: two partial linearizations that placed
the same *set* of operations and left the register holding the same value
have the same future, so the second is pruned. That bounds the work by the
number of distinct (set, value) pairs rather than the number of orders.

Conventions: ``a`` precedes ``b`` only if ``a.end < b.start`` (operations that
touch are concurrent); a write with ``end = inf`` never returned and may be
linearized anywhere after its start or left out.

==========================  ==============================================
function                    cost for n operations, v distinct values
==========================  ==============================================
is_linearizable             O(2^n · v · n) worst case, far less in practice
linearization               the same search, returning the order
brute_force_linearizable    O(n! · n²), n <= 8: the test oracle
shrink                      n + 1 checks per pass, at most n passes
==========================  ==============================================

>>> is_linearizable([("write", 1, 0, 1), ("read", None, 2, 3)])
False
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable, Sequence

from studybook.distributed.cap_consistency.history import Op, to_ops

__all__ = [
    "BRUTE_FORCE_LIMIT",
    "brute_force_linearizable",
    "is_linearizable",
    "linearization",
    "shrink",
]

#: The largest history :func:`brute_force_linearizable` accepts (8! orders).
BRUTE_FORCE_LIMIT = 8

History = Iterable[tuple[str, Hashable, float, float]]


def is_linearizable(history: History) -> bool:
    """Whether a history of one register (initially ``None``) is linearizable.

    Args:
        history: ``(kind, value, start, end)`` tuples; ``kind`` is ``"write"``
            (value written) or ``"read"`` (value returned); ``end`` may be
            ``math.inf`` for a write that never returned.

    Returns:
        ``True`` if some order of the operations respects real time and is a
        legal sequential register run.

    Raises:
        TypeError, ValueError: a malformed history (see :func:`~.history.to_ops`).

    Complexity: O(2^n · v · n) worst case for n operations and v distinct
    values; histories whose operations overlap little are checked in
    near-linear time.

    >>> is_linearizable([("write", 1, 0, 3), ("read", 1, 1, 2), ("read", None, 1, 2)])
    True
    >>> is_linearizable([("write", 1, 0, 3), ("read", 1, 1, 2), ("read", None, 2.5, 4)])
    False
    >>> is_linearizable([("read", 1, 0, 1)])
    False
    >>> is_linearizable([("write", 1, 0, "late")])
    Traceback (most recent call last):
    TypeError: end must be a number, got str (operation 0: ('write', 1, 0, 'late'))
    """
    return linearization(history) is not None


def linearization(history: History) -> tuple[int, ...] | None:
    """Return one linearization as indices into ``history``, or ``None`` if there is none.

    Writes that never returned appear in the order only if they must (or may)
    have taken effect for the order to be found.

    Raises:
        TypeError, ValueError: a malformed history.

    Complexity: as :func:`is_linearizable`.

    >>> linearization([("read", 2, 3, 4), ("write", 1, 0, 5), ("write", 2, 1, 2)])
    (1, 2, 0)
    >>> linearization([])
    ()
    """
    ops = to_ops(history)
    written = {op.value for op in ops if op.kind == "write"}
    if any(op.kind == "read" and op.value is not None and op.value not in written for op in ops):
        return None  # a read of a value nobody wrote: no order helps, so skip the 2^n search
    must = sum(1 << i for i, op in enumerate(ops) if math.isfinite(op.end))
    # A configuration: which operations are placed (a bit mask), the register's
    # value, and the order so far. The order is not part of the memo key.
    stack: list[tuple[int, Hashable, tuple[int, ...]]] = [(0, None, ())]
    seen: set[tuple[int, Hashable]] = set()
    while stack:
        done, value, order = stack.pop()
        if done & must == must:
            return order
        if (done, value) in seen:
            continue
        seen.add((done, value))
        left = [i for i in range(len(ops)) if not done >> i & 1]
        # Whoever goes next must have been invoked before every pending response.
        horizon = min(ops[i].end for i in left)
        for i in reversed(left):  # reversed: the stack then tries the lowest index first
            op = ops[i]
            if op.start > horizon:
                continue
            if op.kind == "write":
                stack.append((done | 1 << i, op.value, (*order, i)))
            elif op.value == value:
                stack.append((done | 1 << i, value, (*order, i)))
    return None


def shrink(history: History) -> list[Op]:
    """Cut a non-linearizable history down to a minimal one that still fails.

    Removes one operation at a time while the rest stays non-linearizable and
    every remaining read still returns ``None`` or a value some remaining
    write wrote (so the failure is not the trivial "read of a value nobody
    wrote"). The result is 1-minimal: removing any single operation makes it
    linearizable or trivial. A linearizable history is returned unchanged.

    Raises:
        TypeError, ValueError: a malformed history.

    Complexity: O(n²) linearizability checks in the worst case.

    >>> h = [("write", 1, 0, 9), ("read", 1, 1, 2), ("write", 7, 10, 11), ("read", None, 3, 4)]
    >>> shrink(h)
    [Op(kind='write', value=1, start=0, end=9), Op(kind='read', value=1, start=1, end=2), \
Op(kind='read', value=None, start=3, end=4)]
    """
    ops = list(to_ops(history))
    if is_linearizable(ops):
        return ops
    shrunk = True
    while shrunk:
        shrunk = False
        for i in range(len(ops)):
            rest = ops[:i] + ops[i + 1 :]
            written = {op.value for op in rest if op.kind == "write"}
            explained = all(
                op.value is None or op.value in written for op in rest if op.kind == "read"
            )
            if explained and not is_linearizable(rest):
                ops, shrunk = rest, True
                break
    return ops


def brute_force_linearizable(history: History) -> bool:
    """Decide linearizability by trying every order: the oracle the search is tested against.

    Raises:
        TypeError, ValueError: a malformed history.
        ValueError: more than :data:`BRUTE_FORCE_LIMIT` operations.

    Complexity: O(2^p · n! · n²) for n operations, p of them unreturned writes.

    >>> brute_force_linearizable([("write", 1, 0, 1), ("read", 1, 2, 3)])
    True
    >>> brute_force_linearizable([("read", None, 0, 1)] * 9)
    Traceback (most recent call last):
    ValueError: brute force takes at most 8 operations, got 9
    """
    ops = to_ops(history)
    if len(ops) > BRUTE_FORCE_LIMIT:
        raise ValueError(
            f"brute force takes at most {BRUTE_FORCE_LIMIT} operations, got {len(ops)}"
        )
    returned = [op for op in ops if math.isfinite(op.end)]
    unreturned = [op for op in ops if not math.isfinite(op.end)]
    for k in range(len(unreturned) + 1):
        for extra in itertools.combinations(unreturned, k):
            for order in itertools.permutations([*returned, *extra]):
                if _respects_real_time(order) and _legal(order):
                    return True
    return False


def _respects_real_time(order: Sequence[Op]) -> bool:
    return all(not later.end < earlier.start for earlier, later in itertools.combinations(order, 2))


def _legal(order: Sequence[Op]) -> bool:
    value: Hashable = None
    for op in order:
        if op.kind == "write":
            value = op.value
        elif op.value != value:
            return False
    return True
