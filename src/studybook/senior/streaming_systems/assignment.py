"""Consumer-group assignment (range, round-robin, cooperative sticky) and what a rebalance costs.

A consumer group shares a topic's partitions: each partition is read by exactly
one member, so the partition count caps the group's parallelism. When a member
joins or leaves, the group **rebalances**. Three assignors, as Kafka's client
defines them (every member here subscribes to every topic):

- :func:`range_assign` (``RangeAssignor``): per topic, members in sorted order
  take contiguous ranges, the first ``n % m`` one partition more. Co-partitioned
  topics line up (member 0 gets partition 0 of every topic), but the extra
  partitions pile onto the same first members topic after topic.
- :func:`round_robin_assign` (``RoundRobinAssignor``): every topic-partition,
  sorted, dealt to the sorted members in turn. Balanced to within one.
- :func:`cooperative_sticky_assign` (``CooperativeStickyAssignor``, KIP-429):
  balanced to within one, *and* keeps as many partitions with their previous
  owner as balance allows.

The protocol matters as much as the assignor. Under the *eager* protocol
(range, round-robin) every member revokes all its partitions when a rebalance
starts, so the whole group stops. Under the *cooperative* protocol of KIP-429,
members keep what they will keep and revoke only what moves; a second
rebalance hands the revoked partitions to their new owners.
:func:`rebalance_cost` counts both: partitions that change owner, and
partitions that stop being consumed during the rebalance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from studybook._validate import check_int, check_str

__all__ = [
    "STRATEGIES",
    "Assignment",
    "RebalanceCost",
    "Strategy",
    "TopicPartition",
    "cooperative_sticky_assign",
    "range_assign",
    "rebalance_cost",
    "round_robin_assign",
]

TopicPartition = tuple[str, int]
Assignment = dict[str, list[TopicPartition]]
Strategy = Literal["range", "round-robin", "cooperative-sticky"]
STRATEGIES: tuple[Strategy, ...] = ("range", "round-robin", "cooperative-sticky")


def range_assign(members: Sequence[str], topics: Mapping[str, int]) -> Assignment:
    """Kafka's ``RangeAssignor``: per topic, contiguous ranges; the first ``n % m`` get one more.

    Args:
        members: member ids (distinct, non-empty strings).
        topics: topic name to partition count.

    Returns:
        member id to its sorted topic-partitions.

    Raises:
        TypeError, ValueError: bad members or topics.

    Complexity: O(P + M log M) for P partitions and M members.

    >>> range_assign(["c1", "c0"], {"t0": 3, "t1": 3})
    {'c0': [('t0', 0), ('t0', 1), ('t1', 0), ('t1', 1)], 'c1': [('t0', 2), ('t1', 2)]}
    >>> range_assign([], {"t0": 1})
    Traceback (most recent call last):
        ...
    ValueError: members must be a non-empty list of distinct ids, got []
    """
    ordered = _members(members)
    _partitions(topics)  # validates
    result: Assignment = {m: [] for m in ordered}
    for topic in sorted(topics):
        n, m = topics[topic], len(ordered)
        per, extra = divmod(n, m)
        for i, member in enumerate(ordered):
            start = per * i + min(i, extra)
            result[member].extend((topic, p) for p in range(start, start + per + (i < extra)))
    return result


def round_robin_assign(members: Sequence[str], topics: Mapping[str, int]) -> Assignment:
    """Kafka's ``RoundRobinAssignor``: sorted topic-partitions dealt to sorted members in turn.

    Complexity: O(P log P + M log M).

    >>> round_robin_assign(["c0", "c1"], {"t0": 3, "t1": 3})
    {'c0': [('t0', 0), ('t0', 2), ('t1', 1)], 'c1': [('t0', 1), ('t1', 0), ('t1', 2)]}
    """
    ordered = _members(members)
    result: Assignment = {m: [] for m in ordered}
    for i, tp in enumerate(_partitions(topics)):
        result[ordered[i % len(ordered)]].append(tp)
    return result


def cooperative_sticky_assign(
    members: Sequence[str],
    topics: Mapping[str, int],
    previous: Mapping[str, Sequence[TopicPartition]] | None = None,
) -> Assignment:
    """Balance to within one partition; keep as many partitions with their owner as balance allows.

    With ``P`` partitions and ``M`` members, ``P % M`` members may own
    ``P // M + 1`` partitions and the rest ``P // M``; those allowed one more
    are the ones that already own the most, which maximises what stays put.
    Partitions that must move, and new or orphaned ones, go to the least
    loaded members.

    Args:
        members: the members of the new generation.
        topics: topic name to partition count.
        previous: the last assignment (members that left, and partitions that
            no longer exist, are ignored; a partition claimed twice stays with
            the first claimant in sorted member order).

    Complexity: O(P log P + M log M).

    >>> before = cooperative_sticky_assign(["a", "b"], {"t": 4})
    >>> before
    {'a': [('t', 0), ('t', 2)], 'b': [('t', 1), ('t', 3)]}
    >>> cooperative_sticky_assign(["a", "b", "c"], {"t": 4}, before)
    {'a': [('t', 0), ('t', 2)], 'b': [('t', 1)], 'c': [('t', 3)]}
    """
    ordered = _members(members)
    partitions = _partitions(topics)
    if previous is not None and not isinstance(previous, Mapping):
        raise TypeError(f"previous must be a mapping of member to partitions, got {previous!r}")
    exists = set(partitions)
    owned: dict[str, list[TopicPartition]] = {m: [] for m in ordered}
    claimed: set[TopicPartition] = set()
    for member in ordered:
        for tp in sorted((previous or {}).get(member, ())):
            if tp in exists and tp not in claimed:
                owned[member].append(tp)
                claimed.add(tp)
    quota, extra = divmod(len(partitions), len(ordered))
    by_owned = sorted(ordered, key=lambda m: (-len(owned[m]), m))
    caps = {m: quota + (i < extra) for i, m in enumerate(by_owned)}
    result: Assignment = {m: owned[m][: caps[m]] for m in ordered}
    kept = {tp for tps in result.values() for tp in tps}
    for tp in partitions:
        if tp not in kept:
            target = min(
                (m for m in ordered if len(result[m]) < caps[m]), key=lambda m: (len(result[m]), m)
            )
            result[target].append(tp)
    return {m: sorted(tps) for m, tps in result.items()}


@dataclass(frozen=True)
class RebalanceCost:
    """One rebalance's cost: partitions whose owner changed, and partitions paused meanwhile."""

    moved: int
    paused: int


def rebalance_cost(
    strategy: Strategy, before: Sequence[str], after: Sequence[str], topics: Mapping[str, int]
) -> RebalanceCost:
    """Assign for ``before``, rebalance to ``after``, and count what moved and what stopped.

    Range and round-robin run under the eager protocol: every partition is
    revoked when the rebalance starts, so all of them pause. Cooperative sticky
    runs under KIP-429: only the partitions that change owner pause.

    Raises:
        ValueError: an unknown strategy (or bad members or topics).

    Complexity: O(P log P + M log M).

    >>> rebalance_cost("round-robin", ["a", "b", "c"], ["a", "b", "c", "d"], {"t": 12})
    RebalanceCost(moved=9, paused=12)
    >>> rebalance_cost("cooperative-sticky", ["a", "b", "c"], ["a", "b", "c", "d"], {"t": 12})
    RebalanceCost(moved=3, paused=3)
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
    if strategy == "cooperative-sticky":
        old = cooperative_sticky_assign(before, topics)
        new = cooperative_sticky_assign(after, topics, old)
    else:
        assign = range_assign if strategy == "range" else round_robin_assign
        old, new = assign(before, topics), assign(after, topics)
    old_owner = {tp: m for m, tps in old.items() for tp in tps}
    new_owner = {tp: m for m, tps in new.items() for tp in tps}
    moved = sum(old_owner[tp] != new_owner[tp] for tp in new_owner)
    return RebalanceCost(moved, moved if strategy == "cooperative-sticky" else len(new_owner))


def _members(members: Sequence[str]) -> list[str]:
    if isinstance(members, str) or not isinstance(members, Sequence):
        raise TypeError(f"members must be a list of str, got {members!r}")
    for m in members:
        check_str(m, "member id", nonempty=True)
    if not members or len(set(members)) != len(members):
        raise ValueError(f"members must be a non-empty list of distinct ids, got {members!r}")
    return sorted(members)


def _partitions(topics: Mapping[str, int]) -> list[TopicPartition]:
    if not isinstance(topics, Mapping):
        raise TypeError(
            f"topics must be a mapping of topic name to partition count, got {topics!r}"
        )
    for name, count in topics.items():
        check_str(name, "topic name", nonempty=True)
        check_int(count, f"partition count of {name!r}", minimum=1, maximum=1_000_000)
    return [(t, p) for t in sorted(topics) for p in range(topics[t])]
