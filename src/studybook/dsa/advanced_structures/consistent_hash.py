"""Consistent hashing: map keys to nodes so that adding or removing a node moves ~1/N keys.

Karger et al. (1997) place nodes and keys on one hash circle; a key belongs to
the first node point clockwise from it. With one point per node the arcs are
very uneven, so each physical node gets ``vnodes`` points ("virtual nodes",
as in Amazon's Dynamo, DeCandia et al. 2007). Positions are 64-bit BLAKE2b
hashes, stable across processes and machines.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from studybook.dsa.advanced_structures._hashing import Item, encode_item, hash64

__all__ = ["MAX_VNODES", "ConsistentHashRing", "EmptyRingError"]

RING_SIZE = 1 << 64
MAX_VNODES = 10_000
"""The most points one node may take (Cassandra's ``num_tokens`` was 256 before 4.0, 16 since)."""


class EmptyRingError(LookupError):
    """Raised by :meth:`ConsistentHashRing.node_for` when the ring has no nodes."""


class ConsistentHashRing:
    """A hash ring of named nodes, each placed at ``vnodes`` pseudo-random points.

    Args:
        nodes: initial node names.
        vnodes: points per node (>= 1); more points give a more even load.

    Raises:
        ValueError: if ``vnodes`` is not in [1, 10,000] or ``nodes`` repeats a name.
        TypeError: if ``nodes`` is a single ``str`` (which would make one node
            per character), a node name is not a ``str``, or ``vnodes`` is not an int.

    Complexity: O(N * vnodes) memory; ``node_for`` is O(log(N * vnodes));
    ``add_node``/``remove_node`` rebuild the sorted point list in O(N * vnodes * log).

    >>> ring = ConsistentHashRing(["cache-a", "cache-b", "cache-c"], vnodes=100)
    >>> ring.node_for("user:42")
    'cache-b'
    >>> ring.remove_node("cache-b"); ring.node_for("user:42")
    'cache-c'
    >>> ConsistentHashRing(vnodes=0)
    Traceback (most recent call last):
    ...
    ValueError: vnodes must be in [1, 10000], got 0
    >>> ConsistentHashRing("abc")
    Traceback (most recent call last):
    ...
    TypeError: nodes must be an iterable of node names, not a string: got 'abc'
    """

    def __init__(self, nodes: Iterable[str] = (), vnodes: int = 100) -> None:
        if not isinstance(vnodes, int) or isinstance(vnodes, bool):
            raise TypeError(f"vnodes must be an int, got {vnodes!r}")
        if not 1 <= vnodes <= MAX_VNODES:
            raise ValueError(f"vnodes must be in [1, {MAX_VNODES}], got {vnodes!r}")
        if isinstance(nodes, str | bytes | bytearray):
            raise TypeError(f"nodes must be an iterable of node names, not a string: got {nodes!r}")
        self.vnodes = vnodes
        self._nodes: set[str] = set()
        # Parallel sorted lists: _points[i] is the position of a virtual node of _owners[i].
        self._points: list[int] = []
        self._owners: list[str] = []
        for node in nodes:
            self.add_node(node)

    @property
    def nodes(self) -> tuple[str, ...]:
        """The node names, sorted."""
        return tuple(sorted(self._nodes))

    def __len__(self) -> int:
        """Return the number of physical nodes."""
        return len(self._nodes)

    def add_node(self, node: str) -> None:
        """Place ``node`` on the ring at ``vnodes`` points.

        Only keys whose clockwise successor becomes one of the new points move,
        all of them to ``node``: about ``1/(N+1)`` of the keys.

        Raises:
            ValueError: if ``node`` is already on the ring.
            TypeError: if ``node`` is not a ``str``.

        Complexity: O(N * vnodes * log(N * vnodes)).

        >>> ring = ConsistentHashRing(["a"], vnodes=3)
        >>> ring.add_node("b"); ring.nodes
        ('a', 'b')
        >>> ring.add_node("a")
        Traceback (most recent call last):
        ...
        ValueError: node already on the ring: 'a'
        """
        if not isinstance(node, str):
            raise TypeError(f"node names must be str, got {node!r}")
        if node in self._nodes:
            raise ValueError(f"node already on the ring: {node!r}")
        self._nodes.add(node)
        # Ties between two nodes' points (odds about 2**-64 per pair) are broken by name.
        pairs = sorted(
            [*zip(self._points, self._owners, strict=True)]
            + [(point, node) for point in _node_points(node, self.vnodes)]
        )
        self._points = [p for p, _ in pairs]
        self._owners = [o for _, o in pairs]

    def remove_node(self, node: str) -> None:
        """Take ``node`` off the ring; its keys move to the next points clockwise.

        Raises:
            KeyError: if ``node`` is not on the ring.

        Complexity: O(N * vnodes).

        >>> ring = ConsistentHashRing(["a", "b"], vnodes=3)
        >>> ring.remove_node("a"); ring.nodes
        ('b',)
        >>> ring.remove_node("a")
        Traceback (most recent call last):
        ...
        KeyError: "node not on the ring: 'a'"
        """
        if node not in self._nodes:
            raise KeyError(f"node not on the ring: {node!r}")
        self._nodes.remove(node)
        kept = [(p, o) for p, o in zip(self._points, self._owners, strict=True) if o != node]
        self._points = [p for p, _ in kept]
        self._owners = [o for _, o in kept]

    def node_for(self, key: Item) -> str:
        """Return the node that owns ``key``: the first node point clockwise from its hash.

        Raises:
            EmptyRingError: (a :class:`LookupError`) if the ring has no nodes.
            TypeError: if ``key`` is not a ``str``, ``bytes`` or ``int``.

        Complexity: O(log(N * vnodes)).

        >>> ConsistentHashRing().node_for("k")
        Traceback (most recent call last):
        ...
        studybook.dsa.advanced_structures.consistent_hash.EmptyRingError: the ring has no nodes
        """
        if not self._points:
            raise EmptyRingError("the ring has no nodes")
        i = bisect.bisect_left(self._points, key_position(key))
        return self._owners[i % len(self._owners)]

    def ownership(self) -> dict[str, float]:
        """Return the fraction of the hash circle each node owns (fractions sum to 1).

        A node owns the arc from each of its points' predecessor (exclusive) up to
        the point itself. With ``vnodes`` points per node the fractions concentrate
        around ``1/N``.

        Complexity: O(N * vnodes).

        >>> ConsistentHashRing(["solo"], vnodes=4).ownership()
        {'solo': 1.0}
        """
        shares = dict.fromkeys(sorted(self._nodes), 0)
        for i, (point, owner) in enumerate(zip(self._points, self._owners, strict=True)):
            previous = self._points[i - 1] if i else self._points[-1] - RING_SIZE
            shares[owner] += point - previous
        return {node: arc / RING_SIZE for node, arc in shares.items()}

    def _check_invariants(self) -> None:
        if len(self._points) != len(self._owners) != len(self._nodes) * self.vnodes:
            raise AssertionError("point and owner lists disagree with N * vnodes")
        if len(self._points) != len(self._nodes) * self.vnodes:
            raise AssertionError(f"{len(self._points)} points for {len(self._nodes)} nodes")
        pairs = list(zip(self._points, self._owners, strict=True))
        if pairs != sorted(pairs):
            raise AssertionError("ring points are not sorted")
        for node in self._nodes:
            mine = sorted(p for p, o in pairs if o == node)
            if mine != sorted(_node_points(node, self.vnodes)):
                raise AssertionError(f"node {node!r} is not at its hashed positions")


def key_position(key: Item) -> int:
    """Return ``key``'s position on the ring, in ``[0, 2**64)``.

    Raises:
        TypeError: if ``key`` is not a ``str``, ``bytes`` or ``int``.

    Complexity: O(len(key)).

    >>> key_position("user:42")  # the same on every machine and in every process
    12608197590300463344
    """
    return hash64(encode_item(key))


def _node_points(node: str, vnodes: int) -> list[int]:
    # Each virtual node hashes "name#i": deterministic, and independent of other nodes.
    return [hash64(f"{node}#{i}".encode()) for i in range(vnodes)]
