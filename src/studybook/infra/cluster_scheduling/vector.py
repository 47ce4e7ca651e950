"""Vector bin packing: tasks that need CPU *and* memory, machines that have both.

A real task asks for several resources at once, and a machine is full when
*any* of them runs out. Packing in several dimensions is harder than in one:
there is no single size to sort by, one resource can be *stranded* (free CPU
on a machine whose memory is gone), and the volume bound (the largest, over
resources, of ⌈total demand / capacity⌉) can be far below the optimum. For
two or more dimensions there is not even an asymptotic approximation scheme
(Woeginger, IPL 1997), and the simple greedy heuristics' worst case grows with
the number of dimensions d (Garey, Graham, Johnson and Yao, JCTA 1976).

>>> vector_first_fit([(6, 1), (6, 1), (1, 6), (1, 6)], (10, 10))
[[(6, 1), (1, 6)], [(6, 1), (1, 6)]]
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from studybook.infra.cluster_scheduling._check import exact_vector, nonempty_sequence
from studybook.infra.cluster_scheduling._engine import (
    Vec,
    branch_and_bound,
    decreasing_order,
    lower_bound,
    place,
)
from studybook.infra.cluster_scheduling.binpacking import MAX_EXACT_ITEMS

__all__ = ["free_shares", "vector_first_fit", "vector_lower_bound", "vector_optimal_bins"]

Number = int | float
Demand = tuple[Number, ...]


def vector_first_fit(
    items: Sequence[Sequence[Number]], capacity: Sequence[Number], *, decreasing: bool = False
) -> list[list[Demand]]:
    """First fit in several dimensions: an item fits a bin when it fits in every resource.

    Args:
        items: per-task demands, one amount per resource (zeros allowed, not all zeros).
        capacity: the per-machine capacity of each resource, all > 0.
        decreasing: sort items by dominant share (largest fraction of any one
            resource), largest first, before packing: the vector analogue of FFD.

    Returns:
        The bins, each the list of its items (as tuples) in placement order.

    Raises:
        TypeError: a non-number or a bool amount, items that are not lists/tuples.
        ValueError: empty input, a demand of the wrong length, a negative, NaN
            or all-zero demand, a zero capacity, an item larger than a machine.

    Complexity: O(n·b·d) for n items, b bins and d resources.

    >>> vector_first_fit([(1, 6), (6, 1), (1, 6), (6, 1)], (10, 10), decreasing=True)
    [[(1, 6), (6, 1)], [(1, 6), (6, 1)]]
    >>> vector_first_fit([(1, 2, 3)], (4, 4))
    Traceback (most recent call last):
        ...
    ValueError: items[0] must have 2 amounts (one per resource), got 3: (1, 2, 3)
    """
    if not isinstance(decreasing, bool):
        raise TypeError(
            f"decreasing must be a bool, got {type(decreasing).__name__}: {decreasing!r}"
        )
    exact_items, cap = _vectors(items, capacity)
    order = decreasing_order(exact_items, cap) if decreasing else list(range(len(exact_items)))
    return [[tuple(items[i]) for i in b] for b in place(order, exact_items, cap, "first")]


def vector_lower_bound(items: Sequence[Sequence[Number]], capacity: Sequence[Number]) -> int:
    """The volume bound: the largest, over resources, of ⌈total demand / capacity⌉.

    Complexity: O(n·d).

    >>> vector_lower_bound([(8, 1), (8, 1)], (10, 10))
    2
    """
    exact_items, cap = _vectors(items, capacity)
    return lower_bound(exact_items, cap)


def vector_optimal_bins(items: Sequence[Sequence[Number]], capacity: Sequence[Number]) -> int:
    """The fewest machines that can hold ``items``, by exhaustive search (at most 12 items).

    Complexity: exponential in n in the worst case.

    >>> vector_optimal_bins([(6, 1), (1, 6), (5, 5)], (10, 10))
    2
    """
    exact_items, cap = _vectors(items, capacity)
    if len(exact_items) > MAX_EXACT_ITEMS:
        raise ValueError(
            f"vector_optimal_bins searches at most {MAX_EXACT_ITEMS} items, got {len(exact_items)}"
        )
    return len(branch_and_bound(exact_items, cap))


def free_shares(
    bins: Sequence[Sequence[Sequence[Number]]], capacity: Sequence[Number]
) -> tuple[Fraction, ...]:
    """Per resource, the share of the opened machines' capacity left unused.

    A large free share of one resource next to a small one of another is
    stranded capacity: it is paid for, and no task that needs both can use it.

    Raises:
        TypeError, ValueError: as :func:`vector_first_fit` for the items; also
            no bins, an empty bin, or a bin whose items exceed the capacity.

    Complexity: O(n·d).

    >>> free_shares([[(8, 1)], [(8, 1)]], (10, 10))
    (Fraction(1, 5), Fraction(9, 10))
    >>> free_shares([[(8, 1), (8, 1)]], (10, 10))
    Traceback (most recent call last):
        ...
    ValueError: bins[0] must fit the capacity (10, 10) in every resource, got [(8, 1), (8, 1)]
    """
    machines = [
        nonempty_sequence(b, f"bins[{k}]") for k, b in enumerate(nonempty_sequence(bins, "bins"))
    ]
    exact_items, cap = _vectors([item for b in machines for item in b], capacity)
    start = 0
    for k, b in enumerate(machines):
        mine = exact_items[start : start + len(b)]
        start += len(b)
        if any(sum((it[d] for it in mine), Fraction(0)) > c for d, c in enumerate(cap)):
            raise ValueError(
                f"bins[{k}] must fit the capacity {capacity!r} in every resource, got {b!r}"
            )
    used = [sum((it[d] for it in exact_items), Fraction(0)) for d in range(len(cap))]
    return tuple(1 - u / (len(machines) * c) for u, c in zip(used, cap, strict=True))


def _vectors(items: object, capacity: object) -> tuple[list[Vec], Vec]:
    cap = exact_vector(capacity, "capacity")
    values = nonempty_sequence(items, "items")
    out = []
    for i, item in enumerate(values):
        vec = exact_vector(item, f"items[{i}]", length=len(cap), positive=False)
        if any(x > c for x, c in zip(vec, cap, strict=True)):
            raise ValueError(
                f"items[{i}] must fit on an empty machine of capacity {capacity!r}, got {item!r}"
            )
        out.append(vec)
    return out, cap
