"""One-dimensional bin packing: five heuristics, an exact solver and a utilisation report.

A scheduler placing tasks on identical machines is packing bins: each machine
is a bin of fixed capacity, each task an item, and every bin saved is a
machine not bought. Bin packing is NP-hard, so production schedulers use
greedy heuristics; this module measures how far from optimal they land, against
two yardsticks: the *volume lower bound* ceil(total size / capacity), which
any packing needs, and the true optimum, found by exhaustive search for up to
:data:`MAX_EXACT_ITEMS` items.

Proven worst cases (OPT is the optimal number of bins):

====================  ========================  ==========================================
heuristic             bins used, at most        source
====================  ========================  ==========================================
next_fit, worst_fit   2·OPT - 1                 consecutive bins hold more than one bin
first_fit, best_fit   ⌊1.7·OPT⌋                 Dósa & Sgall, STACS 2013; ICALP 2014
first_fit_decreasing  11/9·OPT + 6/9            Dósa 2007 (tight); Dósa et al., TCS 2013
====================  ========================  ==========================================

>>> first_fit([4, 8, 1, 4, 2, 1], 10)
[[4, 1, 4, 1], [8, 2]]
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from studybook._validate import check_int, check_str
from studybook.infra.cluster_scheduling._check import exact, nonempty_sequence
from studybook.infra.cluster_scheduling._engine import (
    Vec,
    branch_and_bound,
    decreasing_order,
    place,
)
from studybook.infra.cluster_scheduling._engine import lower_bound as _volume_bound

__all__ = [
    "HEURISTICS",
    "MAX_EXACT_ITEMS",
    "PackingReport",
    "RatioRow",
    "best_fit",
    "compare_heuristics",
    "first_fit",
    "first_fit_decreasing",
    "format_reports",
    "lower_bound",
    "max_bins",
    "next_fit",
    "optimal_bins",
    "optimal_packing",
    "pack",
    "ratio_study",
    "worst_fit",
]

Number = int | float

#: Heuristic name -> (placement rule, items sorted largest first?).
HEURISTICS: dict[str, tuple[str, bool]] = {
    "next_fit": ("next", False),
    "first_fit": ("first", False),
    "best_fit": ("best", False),
    "worst_fit": ("worst", False),
    "first_fit_decreasing": ("first", True),
}

#: The exact solver refuses more items than this (its search is exponential).
MAX_EXACT_ITEMS = 12


def pack(
    sizes: Sequence[Number], capacity: Number, heuristic: str = "first_fit"
) -> list[list[Number]]:
    """Pack ``sizes`` into bins of ``capacity`` with a named heuristic.

    Args:
        sizes: item sizes, each a finite number in (0, capacity].
        capacity: the capacity of every bin, a finite number > 0.
        heuristic: a key of :data:`HEURISTICS`.

    Returns:
        The bins in the order they were opened, each the list of its items'
        sizes in the order they were placed.

    Raises:
        TypeError: a size or the capacity is not a number (or is a bool).
        ValueError: empty ``sizes``, a size that is not positive or does not
            fit an empty bin, NaN or infinity, an unknown heuristic.

    Complexity: O(n·b) for n items and b bins (O(n log n) with a tree of bin
    loads; the simulation favours clarity).

    >>> pack([5, 7, 5, 2, 4, 2, 5, 1, 6], 10, "next_fit")
    [[5], [7], [5, 2], [4, 2], [5, 1], [6]]
    >>> pack([5, 7, 5, 2, 4, 2, 5, 1, 6], 10, "best_fit")
    [[5, 5], [7, 2, 1], [4, 2], [5], [6]]
    >>> pack([3, 11], 10)
    Traceback (most recent call last):
        ...
    ValueError: sizes[1] must fit in an empty bin of capacity 10, got 11
    """
    _check_heuristic(heuristic)
    items, cap = _items(sizes, capacity)
    rule, decreasing = HEURISTICS[heuristic]
    order = decreasing_order(items, cap) if decreasing else list(range(len(items)))
    return [[sizes[i] for i in b] for b in place(order, items, cap, rule)]


def _check_heuristic(heuristic: object) -> None:
    if check_str(heuristic, "heuristic") not in HEURISTICS:
        raise ValueError(f"heuristic must be one of {sorted(HEURISTICS)}, got {heuristic!r}")


def next_fit(sizes: Sequence[Number], capacity: Number) -> list[list[Number]]:
    """Keep one bin open; when the item does not fit, close it and open a new one.

    Complexity: O(n). Equivalent to ``pack(sizes, capacity, "next_fit")``.
    """
    return pack(sizes, capacity, "next_fit")


def first_fit(sizes: Sequence[Number], capacity: Number) -> list[list[Number]]:
    """Put each item in the lowest-numbered bin it fits in.

    Complexity: O(n·b). Equivalent to ``pack(sizes, capacity, "first_fit")``.

    >>> first_fit([0.1, 0.2, 0.7], 1)  # exact: 0.1 + 0.2 + 0.7 fills the bin
    [[0.1, 0.2, 0.7]]
    """
    return pack(sizes, capacity, "first_fit")


def best_fit(sizes: Sequence[Number], capacity: Number) -> list[list[Number]]:
    """Put each item in the fullest bin it fits in (least room left after).

    Complexity: O(n·b). Equivalent to ``pack(sizes, capacity, "best_fit")``.
    """
    return pack(sizes, capacity, "best_fit")


def worst_fit(sizes: Sequence[Number], capacity: Number) -> list[list[Number]]:
    """Put each item in the emptiest bin it fits in (spreading, like a load balancer).

    Complexity: O(n·b). Equivalent to ``pack(sizes, capacity, "worst_fit")``.
    """
    return pack(sizes, capacity, "worst_fit")


def first_fit_decreasing(sizes: Sequence[Number], capacity: Number) -> list[list[Number]]:
    """Sort the items largest first (stable), then first fit.

    Complexity: O(n log n + n·b). Needs every item up front: an offline algorithm.

    >>> first_fit_decreasing([4, 8, 1, 4, 2, 1], 10)
    [[8, 2], [4, 4, 1, 1]]
    """
    return pack(sizes, capacity, "first_fit_decreasing")


def lower_bound(sizes: Sequence[Number], capacity: Number) -> int:
    """The volume bound ⌈sum(sizes) / capacity⌉: no packing uses fewer bins.

    Complexity: O(n).

    >>> lower_bound([6, 6, 6], 10), optimal_bins([6, 6, 6], 10)
    (2, 3)
    >>> lower_bound([], 10)
    Traceback (most recent call last):
        ...
    ValueError: sizes must be non-empty, got []
    """
    items, cap = _items(sizes, capacity)
    return _volume_bound(items, cap)


def optimal_packing(sizes: Sequence[Number], capacity: Number) -> list[list[Number]]:
    """A packing with the fewest bins, found by branch and bound.

    Raises:
        ValueError: more than :data:`MAX_EXACT_ITEMS` items (and as :func:`pack`).

    Complexity: exponential in n in the worst case; milliseconds for n <= 12.

    >>> optimal_packing([4, 8, 1, 4, 2, 1], 10)
    [[8, 2], [4, 4, 1, 1]]
    """
    items, cap = _items(sizes, capacity)
    if len(items) > MAX_EXACT_ITEMS:
        raise ValueError(
            f"optimal_packing searches at most {MAX_EXACT_ITEMS} items, got {len(items)}"
        )
    return [[sizes[i] for i in b] for b in branch_and_bound(items, cap)]


def optimal_bins(sizes: Sequence[Number], capacity: Number) -> int:
    """The fewest bins any packing can use (``len(optimal_packing(...))``)."""
    return len(optimal_packing(sizes, capacity))


def max_bins(heuristic: str, optimum: int) -> int:
    """The proven worst case: the most bins ``heuristic`` can use when OPT is ``optimum``.

    next_fit and worst_fit: 2·OPT - 1; first_fit and best_fit: ⌊1.7·OPT⌋
    (Dósa and Sgall); first_fit_decreasing: ⌊11/9·OPT + 6/9⌋ (Dósa).

    >>> [max_bins(h, 10) for h in HEURISTICS]
    [19, 17, 17, 19, 12]
    """
    _check_heuristic(heuristic)
    opt = check_int(optimum, "optimum", minimum=1)
    if heuristic in ("next_fit", "worst_fit"):
        return 2 * opt - 1
    if heuristic in ("first_fit", "best_fit"):
        return (17 * opt) // 10
    return (11 * opt + 6) // 9


@dataclass(frozen=True)
class PackingReport:
    """How one heuristic did on one instance."""

    heuristic: str
    bins: int
    lower_bound: int
    optimum: int | None  #: None when the instance is too large to solve exactly
    utilisation: Fraction  #: total size / (bins · capacity)


def compare_heuristics(sizes: Sequence[Number], capacity: Number) -> list[PackingReport]:
    """Run every heuristic on one instance and report bins and utilisation.

    The optimum is computed when there are at most :data:`MAX_EXACT_ITEMS` items.

    Complexity: O(h·n·b), plus the exact search for small instances.

    >>> reports = compare_heuristics([5, 7, 5, 2, 4, 2, 5, 1, 6], 10)
    >>> [r.bins for r in reports], reports[0].optimum, reports[0].lower_bound
    ([6, 5, 5, 5, 4], 4, 4)
    """
    items, cap = _items(sizes, capacity)
    total = sum((item[0] for item in items), Fraction(0))
    bound = _volume_bound(items, cap)
    opt = len(branch_and_bound(items, cap)) if len(items) <= MAX_EXACT_ITEMS else None
    reports = []
    for name in HEURISTICS:
        used = len(pack(sizes, capacity, name))
        reports.append(PackingReport(name, used, bound, opt, total / (used * cap[0])))
    return reports


def format_reports(reports: Sequence[PackingReport]) -> str:
    """Render :func:`compare_heuristics` output as a fixed-width table.

    >>> print(format_reports(compare_heuristics([5, 7, 5, 2, 4, 2, 5, 1, 6], 10)))
    heuristic             bins  lower bound  optimum  utilisation
    next_fit                 6            4        4        61.7%
    first_fit                5            4        4        74.0%
    best_fit                 5            4        4        74.0%
    worst_fit                5            4        4        74.0%
    first_fit_decreasing     4            4        4        92.5%
    """
    lines = [f"{'heuristic':<20}  {'bins':>4}  {'lower bound':>11}  {'optimum':>7}  utilisation"]
    for r in reports:
        opt = "?" if r.optimum is None else str(r.optimum)
        util = float(r.utilisation)
        lines.append(
            f"{r.heuristic:<20}  {r.bins:>4}  {r.lower_bound:>11}  {opt:>7}  {util:>11.1%}"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class RatioRow:
    """Measured bins / OPT for one heuristic over many random instances."""

    heuristic: str
    worst_bins: int  #: bins used on the instance with the largest bins / OPT
    worst_optimum: int  #: OPT on that instance (the larger OPT among equal ratios)
    mean: float  #: the mean of bins / OPT over all instances
    optimal_share: float  #: the fraction of instances packed optimally

    @property
    def worst(self) -> Fraction:
        """The largest bins / OPT seen."""
        return Fraction(self.worst_bins, self.worst_optimum)


def ratio_study(
    trials: int, n: int, *, low: int, high: int, capacity: int, seed: int
) -> list[RatioRow]:
    """Measure each heuristic against the exact optimum on seeded random instances.

    Each instance has ``n`` integer sizes drawn uniformly from [low, high].

    Raises:
        ValueError: ``n`` above :data:`MAX_EXACT_ITEMS`, bad ranges.

    Complexity: ``trials`` exact searches of ``n`` items.

    >>> nf = ratio_study(5, 6, low=1, high=10, capacity=10, seed=1)[0]
    >>> nf.heuristic, nf.worst_bins, nf.worst_optimum, round(nf.mean, 3), nf.optimal_share
    ('next_fit', 4, 3, 1.133, 0.6)
    >>> ratio_study(5, 13, low=1, high=10, capacity=10, seed=1)
    Traceback (most recent call last):
        ...
    ValueError: n must be in [1, 12], got 13
    """
    check_int(trials, "trials", minimum=1, maximum=10_000)
    check_int(n, "n", minimum=1, maximum=MAX_EXACT_ITEMS)
    check_int(capacity, "capacity", minimum=1)
    check_int(low, "low", minimum=1, maximum=capacity)
    check_int(high, "high", minimum=low, maximum=capacity)
    check_int(seed, "seed")
    rng = random.Random(seed)  # noqa: S311 - a seeded experiment, not crypto
    ratios: dict[str, list[tuple[Fraction, int, int]]] = {h: [] for h in HEURISTICS}
    for _ in range(trials):
        sizes = [rng.randint(low, high) for _ in range(n)]
        opt = optimal_bins(sizes, capacity)
        for h in HEURISTICS:
            used = len(pack(sizes, capacity, h))
            ratios[h].append((Fraction(used, opt), used, opt))
    rows = []
    for h, seen in ratios.items():
        _, used, opt = max(seen, key=lambda t: (t[0], t[2]))
        mean = sum(float(r) for r, _, _ in seen) / trials
        share = sum(1 for r, _, _ in seen if r == 1) / trials
        rows.append(RatioRow(h, used, opt, mean, share))
    return rows


def _items(sizes: object, capacity: object) -> tuple[list[Vec], Vec]:
    cap = exact(capacity, "capacity")
    values = nonempty_sequence(sizes, "sizes")
    items: list[Vec] = []
    for i, s in enumerate(values):
        size = exact(s, f"sizes[{i}]")
        if size > cap:
            raise ValueError(
                f"sizes[{i}] must fit in an empty bin of capacity {capacity!r}, got {s!r}"
            )
        items.append((size,))
    return items, (cap,)
