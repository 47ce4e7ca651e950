"""The packing engine shared by one-dimensional and vector bin packing.

Items and bins are vectors of exact fractions (a one-dimensional size is a
1-vector), so the same placement rules and the same exact solver serve both.
An item fits a bin when it fits in *every* dimension.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import ceil, lcm

__all__ = ["RULES", "Vec", "branch_and_bound", "decreasing_order", "lower_bound", "place"]

Vec = tuple[Fraction, ...]

#: Placement rules, by the bin each one chooses among those the item fits in.
RULES = ("next", "first", "best", "worst")


def _add(a: Vec, b: Vec) -> Vec:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def _fits(load: Vec, item: Vec, cap: Vec) -> bool:
    return all(x + y <= c for x, y, c in zip(load, item, cap, strict=True))


def _room(load: Vec, cap: Vec) -> Fraction:
    # The free share of the tightest dimension: the room a bin has left for
    # "any" future item. In one dimension it is simply the free space.
    return min((c - x) / c for x, c in zip(load, cap, strict=True))


def place(order: Sequence[int], items: Sequence[Vec], cap: Vec, rule: str) -> list[list[int]]:
    """Pack ``items`` (taken in ``order``) with one placement rule; return bins of indices.

    ``next`` looks only at the newest bin; ``first`` takes the lowest-numbered
    bin the item fits in; ``best`` the bin left with the least room; ``worst``
    the bin left with the most. Ties go to the lower-numbered bin. Each opens a
    new bin when the item fits nowhere it looks.

    The fractions are first scaled by the least common multiple of their
    denominators to plain integers (exact, and much faster to add and compare
    than :class:`~fractions.Fraction`), so a thousand items pack in milliseconds.
    """
    ints, icap = _scaled(items, cap)
    if len(icap) == 1:
        return _place_1d([v[0] for v in ints], order, icap[0], rule)
    bins: list[list[int]] = []
    loads: list[tuple[int, ...]] = []

    def fits(load: tuple[int, ...], item: tuple[int, ...]) -> bool:
        return all(x + y <= c for x, y, c in zip(load, item, icap, strict=True))

    def room(load: tuple[int, ...], item: tuple[int, ...]) -> Fraction:
        return min(Fraction(c - x - y, c) for x, y, c in zip(load, item, icap, strict=True))

    for i in order:
        item = ints[i]
        chosen = -1
        if rule == "next":
            if bins and fits(loads[-1], item):
                chosen = len(bins) - 1
        elif rule == "first":
            chosen = next((b for b, load in enumerate(loads) if fits(load, item)), -1)
        else:
            sign = 1 if rule == "best" else -1
            best_key: tuple[Fraction, int] | None = None
            for b, load in enumerate(loads):
                if fits(load, item):
                    key = (sign * room(load, item), b)
                    if best_key is None or key < best_key:
                        best_key, chosen = key, b
        if chosen < 0:
            bins.append([])
            loads.append(tuple(0 for _ in icap))
            chosen = len(bins) - 1
        bins[chosen].append(i)
        loads[chosen] = tuple(x + y for x, y in zip(loads[chosen], item, strict=True))
    return bins


def _place_1d(sizes: Sequence[int], order: Sequence[int], cap: int, rule: str) -> list[list[int]]:
    # The same rules on plain integers: the hot loop of every one-dimensional packing.
    bins: list[list[int]] = []
    loads: list[int] = []
    for i in order:
        size = sizes[i]
        limit = cap - size  # the item fits a bin whose load is at most this
        chosen = -1
        if rule == "next":
            if loads and loads[-1] <= limit:
                chosen = len(loads) - 1
        elif rule == "first":
            chosen = next((b for b, load in enumerate(loads) if load <= limit), -1)
        else:
            fitting = [(load, b) for b, load in enumerate(loads) if load <= limit]
            if fitting:
                # best: the fullest bin (least room left); worst: the emptiest;
                # ties to the lower-numbered bin either way.
                if rule == "best":
                    chosen = min(fitting, key=lambda lb: (-lb[0], lb[1]))[1]
                else:
                    chosen = min(fitting)[1]
        if chosen < 0:
            bins.append([])
            loads.append(0)
            chosen = len(loads) - 1
        bins[chosen].append(i)
        loads[chosen] += size
    return bins


def _scaled(items: Sequence[Vec], cap: Vec) -> tuple[list[tuple[int, ...]], tuple[int, ...]]:
    den = lcm(*(x.denominator for v in (*items, cap) for x in v))
    return (
        [tuple(x.numerator * (den // x.denominator) for x in v) for v in items],
        tuple(x.numerator * (den // x.denominator) for x in cap),
    )


def decreasing_order(items: Sequence[Vec], cap: Vec) -> list[int]:
    """Indices sorted by dominant share, largest first; equal items keep input order.

    In one dimension the dominant share is size / capacity, so this is plain
    "largest first"; with several resources it is the largest fraction of any
    one resource the item needs (the ordering DRF also uses).
    """
    return sorted(
        range(len(items)),
        key=lambda i: -max(x / c for x, c in zip(items[i], cap, strict=True)),
    )


def lower_bound(items: Sequence[Vec], cap: Vec) -> int:
    """The volume bound: for each resource, ceil(total demand / capacity); the largest."""
    return max(
        ceil(sum((item[d] for item in items), Fraction(0)) / cap[d]) for d in range(len(cap))
    )


def branch_and_bound(items: Sequence[Vec], cap: Vec) -> list[list[int]]:
    """Return a packing with the fewest bins, by exhaustive search with pruning.

    Items go in decreasing order; each is tried in every open bin it fits
    (skipping bins whose load equals one already tried, which would give the
    same subtree) and in one new bin. A branch is cut when it cannot beat the
    best packing found so far, starting from first fit decreasing.
    Exponential in the worst case: callers cap the number of items.
    """
    order = decreasing_order(items, cap)
    best = place(order, items, cap, "first")
    bins: list[list[int]] = []
    loads: list[Vec] = []
    suffix = [tuple(Fraction(0) for _ in cap)]
    for i in reversed(order):
        suffix.append(_add(suffix[-1], items[i]))
    suffix.reverse()  # suffix[k] = total of the items order[k:]

    def search(k: int) -> None:
        nonlocal best
        # Volume bound on what is left: the free space in open bins, then whole new bins.
        need = max(
            ceil(max(Fraction(0), rest - _free(loads, d, c)) / c)
            for d, (rest, c) in enumerate(zip(suffix[k], cap, strict=True))
        )
        if len(bins) + need >= len(best):
            return
        if k == len(order):
            best = [list(b) for b in bins]
            return
        i = order[k]
        tried: set[Vec] = set()
        for b in range(len(bins)):
            if loads[b] not in tried and _fits(loads[b], items[i], cap):
                tried.add(loads[b])
                old = loads[b]
                bins[b].append(i)
                loads[b] = _add(old, items[i])
                search(k + 1)
                bins[b].pop()
                loads[b] = old
        if len(bins) + 1 < len(best):
            bins.append([i])
            loads.append(items[i])
            search(k + 1)
            bins.pop()
            loads.pop()

    search(0)
    return best


def _free(loads: Sequence[Vec], d: int, c: Fraction) -> Fraction:
    return len(loads) * c - sum((load[d] for load in loads), Fraction(0))
