"""The seeded experiments behind the chapter's tables of measured figures.

The chapter never types a measured number: each table is printed by one of
these functions inside a doctest, so a change to a structure that moves a
figure fails the build instead of leaving a stale page. Every run is
deterministic: items are named, not drawn from an unseeded generator, and
skip lists get a seeded :class:`random.Random`.

>>> print(format_table(["p", "n"], [(0.5, 1000)]))
p    n
---  ----
0.5  1000
"""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence

from studybook.dsa.advanced_structures.bloom import BloomFilter
from studybook.dsa.advanced_structures.consistent_hash import ConsistentHashRing
from studybook.dsa.advanced_structures.count_min import CountMinSketch
from studybook.dsa.advanced_structures.hyperloglog import HyperLogLog
from studybook.dsa.advanced_structures.skip_list import SkipList

__all__ = [
    "bloom_false_positive_rates",
    "count_min_overestimates",
    "format_table",
    "hyperloglog_errors",
    "ring_balance",
    "ring_key_movement",
    "skip_list_search_costs",
]


def format_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Return ``rows`` as left-aligned text columns under ``headers``.

    Complexity: O(total characters).

    >>> print(format_table(["a", "bb"], [(1, 22), (333, 4)]))
    a    bb
    ---  --
    1    22
    333  4
    """
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [cells[0], ["-" * w for w in widths], *cells[1:]]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def bloom_false_positive_rates(
    cases: Sequence[tuple[int, float, int]], probes: int = 20_000
) -> list[tuple[int, str, int, str, str]]:
    """Fill each filter with ``added`` items (capacity or more), then probe absent items.

    Args:
        cases: ``(capacity, error_rate, items added)`` triples.
        probes: absent items probed per case.

    Returns:
        ``(capacity, target, added, measured rate, formula rate)`` per case,
        the formula being ``(1 - e^(-kn/m))^k``.

    Complexity: O(sum of items and probes times k).

    >>> bloom_false_positive_rates([(100, 0.1, 100)], probes=1000)
    [(100, '10.0%', 100, '10.70%', '10.04%')]
    """
    _check_counts(probes=probes)
    rows = []
    for capacity, rate, added in cases:
        bf = BloomFilter(capacity, rate)
        for i in range(added):
            bf.add(f"member-{i}")
        hits = sum(f"absent-{i}" in bf for i in range(probes))
        rows.append(
            (
                capacity,
                f"{rate:.1%}",
                added,
                f"{hits / probes:.2%}",
                f"{bf.estimated_false_positive_rate():.2%}",
            )
        )
    return rows


def count_min_overestimates(
    cases: Sequence[tuple[int, int, int]], events: int = 40_000
) -> list[tuple[int, int, str, str, str, str]]:
    """Feed a skewed stream to a ``width x depth`` sketch; how often is the bound exceeded?

    The stream (seeded per case) draws half its events from a Pareto(1.1)
    head of heavy hitters and half uniformly from 5,000 items.

    Args:
        cases: ``(width, depth, seed)`` triples.
        events: stream length N.

    Returns:
        ``(width, depth, share of items over eps*N, delta, mean excess, N/width)``.

    Complexity: O(events * depth) per case.

    >>> count_min_overestimates([(50, 2, 0)], events=2000)
    [(50, 2, '0.10%', '13.5%', '20.9', '40')]
    """
    _check_counts(events=events)
    rows = []
    for width, depth, seed in cases:
        rng = random.Random(seed)  # noqa: S311 - a reproducible stream, not crypto
        cms = CountMinSketch(width, depth)
        truth: Counter[int] = Counter()
        for _ in range(events):
            item = int(rng.paretovariate(1.1)) if rng.random() < 0.5 else rng.randrange(5000)
            cms.add(item)
            truth[item] += 1
        excess = [cms.estimate(x) - c for x, c in truth.items()]
        over = sum(e > cms.epsilon * cms.total for e in excess) / len(excess)
        rows.append(
            (
                width,
                depth,
                f"{over:.2%}",
                f"{cms.delta:.1%}",
                f"{statistics.mean(excess):.1f}",
                f"{cms.total / width:.0f}",
            )
        )
    return rows


def hyperloglog_errors(
    cases: Sequence[tuple[int, int]], seeds: int = 5
) -> list[tuple[int, int, str, str]]:
    """Worst relative error of ``HyperLogLog.count()`` over ``seeds`` independent item sets.

    Args:
        cases: ``(precision, n distinct items)`` pairs.
        seeds: independent item sets per case.

    Returns:
        ``(precision, n, worst |error|, 3 standard errors)`` per case.

    Complexity: O(seeds * (n + m)) per case.

    >>> hyperloglog_errors([(4, 10)], seeds=2)
    [(4, 10, '10.00%', '78.00%')]
    """
    _check_counts(seeds=seeds)
    rows = []
    for precision, n in cases:
        worst = 0.0
        for seed in range(seeds):
            hll = HyperLogLog(precision)
            for i in range(n):
                hll.add(f"seed{seed}-item{i}")
            worst = max(worst, abs(hll.count() / n - 1))
        rows.append((precision, n, f"{worst:.2%}", f"{3 * 1.04 / math.sqrt(2**precision):.2%}"))
    return rows


def ring_balance(
    vnode_counts: Sequence[int], servers: int = 10, keys: int = 20_000
) -> list[tuple[int, str, str]]:
    """Spread ``keys`` named keys over a ring of ``servers`` nodes, for each ``vnodes``.

    Returns:
        ``(vnodes, max load / mean, min load / mean)`` per setting.

    Complexity: O(keys * log(servers * vnodes)) per setting.

    >>> ring_balance([1], servers=2, keys=100)
    [(1, '1.34', '0.66')]
    """
    _check_counts(servers=servers, keys=keys)
    names = [f"key-{i}" for i in range(keys)]
    rows = []
    for vnodes in vnode_counts:
        ring = ConsistentHashRing([f"server-{i}" for i in range(servers)], vnodes=vnodes)
        counts = Counter(ring.node_for(k) for k in names)
        loads = [counts[node] for node in ring.nodes]
        mean = statistics.mean(loads)
        rows.append((vnodes, f"{max(loads) / mean:.2f}", f"{min(loads) / mean:.2f}"))
    return rows


def ring_key_movement(trials: int = 5, servers: int = 9, vnodes: int = 200) -> str:
    """Return the mean fraction of 20,000 keys that move when one node joins ``servers`` nodes.

    Complexity: O(trials * keys * log(servers * vnodes)).

    >>> ring_key_movement(trials=1, servers=3, vnodes=10)
    '20.7%'
    """
    _check_counts(trials=trials, servers=servers)
    names = [f"key-{i}" for i in range(20_000)]
    fractions = []
    for trial in range(trials):
        ring = ConsistentHashRing([f"t{trial}-node-{i}" for i in range(servers)], vnodes=vnodes)
        before = {k: ring.node_for(k) for k in names}
        ring.add_node(f"t{trial}-node-{servers}")
        fractions.append(sum(ring.node_for(k) != before[k] for k in names) / len(names))
    return f"{statistics.mean(fractions):.1%}"


def skip_list_search_costs(
    ps: Sequence[float], sizes: Sequence[int], probes: int = 2000
) -> list[tuple[str, int, str, str, int]]:
    """Mean nodes examined per lookup, against Pugh's bound ``log_{1/p}(n)/p + 1/(1-p)``.

    Each list holds the even numbers below ``2n`` (seed 5) and is probed with
    ``probes`` numbers sampled from ``[0, 2n)`` (seed 6), half of them absent.

    Returns:
        ``(p, n, mean steps, bound, levels)`` per combination.

    Complexity: O(n log n) expected per combination.

    >>> skip_list_search_costs([0.5], [100], probes=100)
    [('1/2', 100, '11.2', '15.3', 7)]
    >>> skip_list_search_costs([0.5], [100], probes=True)
    Traceback (most recent call last):
    ...
    TypeError: probes must be an int, got True
    """
    _check_counts(probes=probes, **{f"sizes[{i}]": n for i, n in enumerate(sizes)})
    rows = []
    for p in ps:
        for n in sizes:
            s = SkipList(range(0, 2 * n, 2), p=p, rng=random.Random(5))  # noqa: S311
            s.search_steps = 0
            sample = random.Random(6).sample(range(2 * n), probes)  # noqa: S311
            for x in sample:
                _ = x in s
            bound = math.log(n, 1 / p) / p + 1 / (1 - p)
            rows.append(
                (
                    f"1/{round(1 / p)}",
                    n,
                    f"{s.search_steps / probes:.1f}",
                    f"{bound:.1f}",
                    len(s.levels()),
                )
            )
    return rows


_MAX_RUN = 10_000_000  # items, probes or events: a larger run would look like a hang


def _check_counts(**counts: int) -> None:
    """Each named count must be an int in [1, 10**7]; ``bool`` is refused."""
    for name, value in counts.items():
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} must be an int, got {value!r}")
        if not 1 <= value <= _MAX_RUN:
            raise ValueError(f"{name} must be in [1, {_MAX_RUN}], got {value!r}")
