"""Three ways to spread keys over nodes, and how many keys each moves when a node joins or leaves.

A partitioner answers "which node owns this key?". The answer must be cheap
and deterministic, and when the cluster changes it should move as few keys as
possible, because every moved key is data copied over the network. Three
schemes, one :class:`Partitioner` protocol:

* :class:`ModNPartitioner`: ``hash(key) mod n``. Going from ``n`` to ``n + 1``
  nodes a key stays only if ``h mod n == h mod (n + 1)``, which holds for
  ``n`` of every ``n (n + 1)`` hash values: about ``1 - 1/(n + 1)`` of the keys
  move (DDIA ch. 6, "How not to do it: hash mod N").
* :class:`RingPartitioner`: consistent hashing with virtual nodes, reusing
  Part I's :class:`~studybook.dsa.advanced_structures.consistent_hash.ConsistentHashRing`;
  a joining node takes about ``1/(n + 1)`` of the keys (Karger et al. 1997).
* :class:`FixedPartitioner`: many more partitions than nodes, fixed at
  creation (Riak ring size, Elasticsearch primary shards, Kafka topic
  partitions); a key's partition never changes, and rebalancing moves whole
  partitions, about ``1/(n + 1)`` of them.

Invariant: every key has exactly one owner among the current nodes; for
:class:`FixedPartitioner`, two keys of one partition always share an owner.

=====================  ================  ==========================
operation              node_for          add_node / remove_node
=====================  ================  ==========================
ModNPartitioner        O(1)              O(n)
RingPartitioner        O(log(n·v))       O(n·v·log(n·v))
FixedPartitioner       O(1)              O(P log n) for P partitions
=====================  ================  ==========================

>>> keys = [f"user:{i}" for i in range(10_000)]
>>> round(keys_moved(ModNPartitioner(["a", "b", "c", "d"]), keys, add="e"), 2)
0.79
>>> round(keys_moved(FixedPartitioner(["a", "b", "c", "d"], partitions=64), keys, add="e"), 2)
0.18

Primary sources: D. Karger et al., "Consistent Hashing and Random Trees",
STOC 1997; G. DeCandia et al., "Dynamo: Amazon's Highly Available Key-value
Store", SOSP 2007, sections 4.2 and 6.2; M. Kleppmann, *Designing
Data-Intensive Applications*, 2017, chapter 6.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Protocol

from studybook.dsa.advanced_structures.consistent_hash import ConsistentHashRing

__all__ = [
    "FixedPartitioner",
    "ModNPartitioner",
    "Partitioner",
    "RingPartitioner",
    "keys_moved",
    "stable_hash",
]


def stable_hash(key: str) -> int:
    """Return a 64-bit hash of ``key``, the same in every process (BLAKE2b, not ``hash()``).

    Every ``str`` hashes, lone surrogates included (``"surrogatepass"``), so a
    key Python accepts is never refused with a ``UnicodeEncodeError``.

    Raises:
        TypeError: ``key`` is not a ``str``.

    Complexity: O(len(key)).

    >>> stable_hash("user:42") == stable_hash("user:42")
    True
    >>> stable_hash("\\ud800") == stable_hash("\\ud800")  # a lone surrogate still hashes
    True
    >>> stable_hash(42)
    Traceback (most recent call last):
    TypeError: key must be a str, got int: 42
    """
    if not isinstance(key, str):
        raise TypeError(f"key must be a str, got {type(key).__name__}: {key!r}")
    data = key.encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


class Partitioner(Protocol):
    """What every scheme offers: the owner of a key, and nodes joining and leaving."""

    @property
    def nodes(self) -> tuple[str, ...]:
        """The current nodes, sorted."""

    def node_for(self, key: str) -> str:
        """Return the node that owns ``key``."""

    def add_node(self, node: str) -> None:
        """Add a node (``ValueError`` if it exists)."""

    def remove_node(self, node: str) -> None:
        """Remove a node (``KeyError`` if absent, ``ValueError`` if it is the last)."""


class ModNPartitioner:
    """``nodes[hash(key) mod n]``: perfectly even, and almost every key moves on a resize.

    Args:
        nodes: the initial node names (at least one, distinct ``str``).

    Raises:
        TypeError: ``nodes`` is a ``str``, or a name is not a non-empty ``str``.
        ValueError: no nodes, or a name repeated.

    Complexity: ``node_for`` O(1); ``add_node``/``remove_node`` O(n log n).

    >>> p = ModNPartitioner(["a", "b"])
    >>> p.node_for("user:42"), p.nodes
    ('a', ('a', 'b'))
    >>> ModNPartitioner([])
    Traceback (most recent call last):
    ValueError: need at least one node, got []
    """

    def __init__(self, nodes: Iterable[str]) -> None:
        self._nodes = _node_list(nodes)

    @property
    def nodes(self) -> tuple[str, ...]:
        """The current nodes, sorted."""
        return tuple(self._nodes)

    def node_for(self, key: str) -> str:
        """Return ``nodes[hash(key) mod n]``."""
        return self._nodes[stable_hash(key) % len(self._nodes)]

    def add_node(self, node: str) -> None:
        """Add ``node``; the sorted order decides every key's new owner."""
        self._nodes = _node_list([*self._nodes, node])

    def remove_node(self, node: str) -> None:
        """Remove ``node``."""
        _check_removable(self._nodes, node)
        self._nodes = [n for n in self._nodes if n != node]


class RingPartitioner:
    """Consistent hashing with ``vnodes`` points per node (Part I's ring, reused).

    Args:
        nodes: the initial node names (at least one, distinct ``str``).
        vnodes: points per node on the ring, in ``[1, 10000]``.

    Complexity: ``node_for`` O(log(n·vnodes)).

    >>> p = RingPartitioner(["a", "b", "c"], vnodes=64)
    >>> p.node_for("user:42") in p.nodes
    True
    >>> RingPartitioner(["a"], vnodes=0)
    Traceback (most recent call last):
    ValueError: vnodes must be in [1, 10000], got 0
    """

    def __init__(self, nodes: Iterable[str], *, vnodes: int = 100) -> None:
        names = _node_list(nodes)
        self._ring = ConsistentHashRing(names, vnodes=vnodes)

    @property
    def nodes(self) -> tuple[str, ...]:
        """The current nodes, sorted."""
        return tuple(sorted(self._ring.nodes))

    def node_for(self, key: str) -> str:
        """Return the first node point clockwise from the key's hash."""
        if not isinstance(key, str):
            raise TypeError(f"key must be a str, got {type(key).__name__}: {key!r}")
        return self._ring.node_for(key)

    def add_node(self, node: str) -> None:
        """Place ``vnodes`` points for ``node``; only keys on the arcs it takes move."""
        _node_list([*self.nodes, node])
        self._ring.add_node(node)

    def remove_node(self, node: str) -> None:
        """Remove ``node``'s points; its arcs fall to each point's successor."""
        _check_removable(list(self.nodes), node)
        self._ring.remove_node(node)


class FixedPartitioner:
    """``partitions`` fixed partitions (``hash(key) mod P``) on nodes; whole partitions move.

    Initially partition ``p`` goes to ``nodes[p mod n]``. A joining node takes
    ``P // (n + 1)`` partitions, one at a time from whichever node holds the
    most; a leaving node's partitions go one at a time to whichever holds the
    fewest. Ties break by node name, so the layout is deterministic.

    Args:
        nodes: the initial node names (at least one, distinct ``str``).
        partitions: the number of partitions, an ``int`` ``>=`` the number of
            nodes (a node without a partition would hold nothing).

    Raises:
        TypeError: ``partitions`` is not an ``int`` (or is a ``bool``).
        ValueError: fewer partitions than nodes, now or after ``add_node``.

    Complexity: ``node_for`` O(1); ``add_node``/``remove_node`` O(P log n): about
    P/n partitions move, each to or from a node picked in O(n log n).

    >>> p = FixedPartitioner(["a", "b"], partitions=4)
    >>> p.assignment()
    {'a': [0, 2], 'b': [1, 3]}
    >>> p.add_node("c"); p.assignment()
    {'a': [0], 'b': [1, 3], 'c': [2]}
    >>> FixedPartitioner(["a", "b"], partitions=1)
    Traceback (most recent call last):
    ValueError: partitions must be >= the number of nodes (2), got 1
    """

    def __init__(self, nodes: Iterable[str], *, partitions: int = 256) -> None:
        names = _node_list(nodes)
        if isinstance(partitions, bool) or not isinstance(partitions, int):
            raise TypeError(
                f"partitions must be an int, got {type(partitions).__name__}: {partitions!r}"
            )
        if partitions < len(names):
            raise ValueError(
                f"partitions must be >= the number of nodes ({len(names)}), got {partitions!r}"
            )
        self.partitions = partitions
        self._owner = [names[p % len(names)] for p in range(partitions)]
        self._nodes = names

    @property
    def nodes(self) -> tuple[str, ...]:
        """The current nodes, sorted."""
        return tuple(self._nodes)

    def partition_of(self, key: str) -> int:
        """Return the key's partition, ``hash(key) mod P``: it never changes."""
        return stable_hash(key) % self.partitions

    def node_for(self, key: str) -> str:
        """Return the owner of the key's partition."""
        return self._owner[self.partition_of(key)]

    def assignment(self) -> dict[str, list[int]]:
        """Return each node's partitions, sorted."""
        out: dict[str, list[int]] = {n: [] for n in self._nodes}
        for p, owner in enumerate(self._owner):
            out[owner].append(p)
        return out

    def add_node(self, node: str) -> None:
        """Give ``node`` ``P // (n + 1)`` partitions, each taken from the most loaded node."""
        names = _node_list([*self._nodes, node])
        if self.partitions < len(names):
            raise ValueError(
                f"partitions must be >= the number of nodes ({len(names)}), got {self.partitions!r}"
            )
        self._nodes = names
        load = self.assignment()  # built once: O(P), not O(P) per stolen partition
        for _ in range(self.partitions // len(names)):
            donor = max(sorted(load), key=lambda n: len(load[n]))
            stolen = load[donor].pop()
            load[node].append(stolen)
            self._owner[stolen] = node

    def remove_node(self, node: str) -> None:
        """Hand ``node``'s partitions, one at a time, to the least loaded remaining node."""
        _check_removable(self._nodes, node)
        load = self.assignment()
        orphans = load.pop(node)
        self._nodes = [n for n in self._nodes if n != node]
        for p in orphans:
            taker = min(sorted(load), key=lambda n: len(load[n]))
            load[taker].append(p)
            self._owner[p] = taker

    def _check_invariants(self) -> None:
        if set(self._owner) - set(self._nodes):
            raise AssertionError("a partition is owned by a node that left")
        # Initial round-robin, steal-from-the-fullest and give-to-the-emptiest all keep
        # every node within one partition of every other.
        load = [len(ps) for ps in self.assignment().values()]
        if max(load) - min(load) > 1:
            raise AssertionError(f"partition counts differ by more than one: {load}")


def keys_moved(
    partitioner: Partitioner,
    keys: Sequence[str],
    *,
    add: str | None = None,
    remove: str | None = None,
) -> float:
    """Change the cluster by one node and return the fraction of ``keys`` whose owner changed.

    Args:
        partitioner: any scheme; it is changed in place.
        keys: the keys to count (a non-empty sequence of ``str``).
        add: a node to add, or
        remove: a node to remove (exactly one of the two).

    Raises:
        TypeError: ``keys`` is not a sequence (a generator would be read only once).
        ValueError: no keys, or not exactly one of ``add`` and ``remove``.

    Complexity: O(k) lookups for k keys, plus one resize.

    >>> keys_moved(ModNPartitioner(["a"]), ["k"], add="b", remove="a")
    Traceback (most recent call last):
    ValueError: give exactly one of add= and remove=, got add='b', remove='a'
    """
    if (add is None) == (remove is None):
        raise ValueError(
            f"give exactly one of add= and remove=, got add={add!r}, remove={remove!r}"
        )
    if not isinstance(keys, Sequence):
        raise TypeError(f"keys must be a sequence of str, got {type(keys).__name__}: {keys!r}")
    if isinstance(keys, str) or not keys:
        raise ValueError(f"keys must be a non-empty sequence of str, got {keys!r}")
    before = [partitioner.node_for(k) for k in keys]
    if add is not None:
        partitioner.add_node(add)
    elif remove is not None:
        partitioner.remove_node(remove)
    after = [partitioner.node_for(k) for k in keys]
    return sum(b != a for b, a in zip(before, after, strict=True)) / len(keys)


def _node_list(nodes: Iterable[str]) -> list[str]:
    if isinstance(nodes, str | bytes):
        raise TypeError(f"nodes must be an iterable of node names, not a string: got {nodes!r}")
    names = list(nodes)
    for name in names:
        if not isinstance(name, str) or not name:
            raise TypeError(f"a node name must be a non-empty str, got {name!r}")
    if not names:
        raise ValueError(f"need at least one node, got {names!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"node names must be distinct, got {names!r}")
    return sorted(names)


def _check_removable(nodes: Sequence[str], node: str) -> None:
    if node not in nodes:
        raise KeyError(f"no node {node!r}")
    if len(nodes) == 1:
        raise ValueError(f"cannot remove {node!r}, the last node")
