"""State-based CRDTs: G-Counter, PN-Counter, LWW-Register and an add-wins OR-Set.

A state-based CRDT (Shapiro, Preguiça, Baquero, Zawirski 2011) is a replica
whose states form a join semilattice: ``merge`` is the least upper bound, so
it is commutative, associative and idempotent, and updates only move the state
up. Replicas may then exchange whole states in any order, any number of times,
over any lossy, duplicating network, and all replicas that have seen the same
updates hold the same state (*strong eventual consistency*), with no
coordination.

Each type here keeps its replica's ``node`` name (to stamp its own updates)
apart from its replicated state; ``==`` compares the replicated state only,
and ``merge`` returns a new replica owned by the left operand's node.

>>> a, b = GCounter("a"), GCounter("b")
>>> a.increment(2); b.increment(3)
>>> a.merge(b).value(), a.merge(b) == b.merge(a), a.merge(a) == a
(5, True, True)
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

from studybook._validate import check_int, check_str

__all__ = ["GCounter", "LWWRegister", "ORSet", "PNCounter"]

T = TypeVar("T", bound=Hashable)
V = TypeVar("V")


class GCounter:
    """A grow-only counter: one non-decreasing count per node; the value is their sum.

    Args:
        node: this replica's name.

    Raises:
        TypeError: ``node`` is not a str.
        ValueError: ``node`` is empty.

    >>> c = GCounter("a"); c.increment(); c.increment(4); c.value()
    5
    >>> c.increment(0)
    Traceback (most recent call last):
        ...
    ValueError: n must be >= 1, got 0
    """

    def __init__(self, node: str) -> None:
        self.node = check_str(node, "node", nonempty=True)
        self._counts: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"GCounter(node={self.node!r}, counts={self.counts()!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GCounter):
            return NotImplemented
        return self._counts == other._counts

    __hash__ = None  # type: ignore[assignment]  # mutable

    def _check_invariants(self) -> None:
        """Raise ``AssertionError`` unless every stored count is a positive int."""
        for node, count in self._counts.items():
            if isinstance(count, bool) or not isinstance(count, int) or count <= 0:
                raise AssertionError(f"count of {node!r} must be a positive int, got {count!r}")

    def counts(self) -> dict[str, int]:
        """The per-node counts, sorted by node (a copy)."""
        return dict(sorted(self._counts.items()))

    def increment(self, n: int = 1) -> None:
        """Add ``n`` (an int >= 1) to this node's count.

        Raises:
            TypeError: ``n`` is not an int (or is a bool).
            ValueError: ``n`` < 1.

        Complexity: O(1).
        """
        check_int(n, "n", minimum=1)
        self._counts[self.node] = self._counts.get(self.node, 0) + n

    def value(self) -> int:
        """The sum of every node's count. Complexity: O(nodes)."""
        return sum(self._counts.values())

    def merge(self, other: GCounter) -> GCounter:
        """A new counter holding the pointwise maximum of both states.

        Raises:
            TypeError: ``other`` is not a :class:`GCounter`.

        Complexity: O(nodes).
        """
        _check_same(self, other)
        merged = GCounter(self.node)
        for node in self._counts.keys() | other._counts.keys():
            merged._counts[node] = max(self._counts.get(node, 0), other._counts.get(node, 0))
        return merged


class PNCounter:
    """A counter that can go down: a G-Counter of increments minus one of decrements.

    Args:
        node: this replica's name.

    >>> c = PNCounter("a"); c.increment(5); c.decrement(7); c.value()
    -2
    >>> c.decrement(True)
    Traceback (most recent call last):
        ...
    TypeError: n must be an int, got bool: True
    """

    def __init__(self, node: str) -> None:
        self.node = check_str(node, "node", nonempty=True)
        self._p = GCounter(node)
        self._n = GCounter(node)

    def __repr__(self) -> str:
        return f"PNCounter(node={self.node!r}, p={self._p.counts()!r}, n={self._n.counts()!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PNCounter):
            return NotImplemented
        return self._p == other._p and self._n == other._n

    __hash__ = None  # type: ignore[assignment]  # mutable

    def _check_invariants(self) -> None:
        self._p._check_invariants()
        self._n._check_invariants()

    def increment(self, n: int = 1) -> None:
        """Add ``n`` (an int >= 1). Complexity: O(1)."""
        self._p.increment(n)

    def decrement(self, n: int = 1) -> None:
        """Subtract ``n`` (an int >= 1). Complexity: O(1)."""
        self._n.increment(n)

    def value(self) -> int:
        """Increments minus decrements. Complexity: O(nodes)."""
        return self._p.value() - self._n.value()

    def merge(self, other: PNCounter) -> PNCounter:
        """A new counter merging both halves separately.

        Raises:
            TypeError: ``other`` is not a :class:`PNCounter`.

        Complexity: O(nodes).
        """
        _check_same(self, other)
        merged = PNCounter(self.node)
        merged._p = self._p.merge(other._p)
        merged._n = self._n.merge(other._n)
        return merged


class LWWRegister(Generic[V]):
    """A last-writer-wins register: the write with the largest ``(timestamp, node)`` wins.

    Timestamps are ints supplied by the caller: a Lamport time, or a packed
    hybrid logical timestamp
    (:meth:`~studybook.senior.advanced_distributed.clocks.HLCTimestamp.pack`).
    The node name breaks ties, so two replicas that saw the same writes agree. A concurrent write
    with a smaller stamp is *silently lost*: that is the price of LWW.

    Args:
        node: this replica's name.

    >>> a, b = LWWRegister[str]("a"), LWWRegister[str]("b")
    >>> a.set("blue", 5), b.set("red", 5), a.merge(b).get(), b.merge(a).get()
    (True, True, 'red', 'red')
    >>> a.set("old", 4), a.get()
    (False, 'blue')
    """

    def __init__(self, node: str) -> None:
        self.node = check_str(node, "node", nonempty=True)
        self._stamp: tuple[int, str] | None = None
        self._value: V | None = None

    def __repr__(self) -> str:
        return f"LWWRegister(node={self.node!r}, stamp={self._stamp!r}, value={self._value!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LWWRegister):
            return NotImplemented
        return (self._stamp, self._value) == (other._stamp, other._value)

    __hash__ = None  # type: ignore[assignment]  # mutable

    def _check_invariants(self) -> None:
        """Raise ``AssertionError`` if a value is stored without a stamp."""
        if self._stamp is None and self._value is not None:
            raise AssertionError(f"value {self._value!r} without a stamp")

    def set(self, value: V, timestamp: int) -> bool:
        """Write ``value`` at ``timestamp``; return whether it became the current value.

        Raises:
            TypeError: ``timestamp`` is not an int.
            ValueError: ``timestamp`` is negative.

        Complexity: O(1).
        """
        check_int(timestamp, "timestamp", minimum=0)
        stamp = (timestamp, self.node)
        if self._stamp is not None and stamp <= self._stamp:
            return False
        self._stamp, self._value = stamp, value
        return True

    def get(self) -> V:
        """The current value.

        Raises:
            KeyError: nothing was ever written.
        """
        if self._stamp is None:
            raise KeyError(f"register on node {self.node!r} was never written")
        return self._value  # type: ignore[return-value]  # set together with _stamp

    @property
    def timestamp(self) -> tuple[int, str] | None:
        """The winning ``(timestamp, node)``, or ``None`` before the first write."""
        return self._stamp

    def merge(self, other: LWWRegister[V]) -> LWWRegister[V]:
        """A new register holding whichever write has the larger ``(timestamp, node)``.

        Raises:
            TypeError: ``other`` is not an :class:`LWWRegister`.

        Complexity: O(1).
        """
        _check_same(self, other)
        merged: LWWRegister[V] = LWWRegister(self.node)
        winner = (
            self
            if other._stamp is None or (self._stamp is not None and self._stamp >= other._stamp)
            else other
        )
        merged._stamp, merged._value = winner._stamp, winner._value
        return merged


Tag = tuple[str, int]


class ORSet(Generic[T]):
    """An observed-remove set where a concurrent add wins over a remove.

    Every ``add`` creates a unique tag ``(node, seq)``; ``remove(x)`` tombstones
    the tags of ``x`` *this replica has observed*. An element is present while
    it has a tag not tombstoned, so an add the remover never saw survives the
    merge: add wins. This is the simple specification of Shapiro et al. 2011,
    which keeps tombstones forever; the optimised OR-Set of Bieniusa et al.
    (2012) drops them using version vectors.

    Args:
        node: this replica's name.

    >>> a = ORSet[str]("a"); a.add("x"); b = ORSet[str]("b").merge(a)
    >>> b.remove("x"); a.add("x")
    >>> "x" in a.merge(b), "x" in b
    (True, False)
    >>> b.remove("y")
    Traceback (most recent call last):
        ...
    KeyError: "cannot remove 'y': not in the set"
    """

    def __init__(self, node: str) -> None:
        self.node = check_str(node, "node", nonempty=True)
        self._adds: dict[T, set[Tag]] = {}
        self._removed: set[Tag] = set()
        self._seq = 0

    def __repr__(self) -> str:
        return f"ORSet(node={self.node!r}, elements={sorted(map(repr, self.elements()))})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ORSet):
            return NotImplemented
        return self._adds == other._adds and self._removed == other._removed

    __hash__ = None  # type: ignore[assignment]  # mutable

    def _check_invariants(self) -> None:
        """Raise ``AssertionError`` if tags are lost, shared, or could be reissued."""
        owner: dict[Tag, T] = {}
        for x, tags in self._adds.items():
            if not tags:
                raise AssertionError(f"element {x!r} has no tags")
            for tag in tags:
                if owner.setdefault(tag, x) != x:
                    raise AssertionError(f"tag {tag} names {owner[tag]!r} and {x!r}")
        if not self._removed <= owner.keys():
            raise AssertionError(f"tombstones of unknown tags: {self._removed - owner.keys()}")
        own = [seq for node, seq in owner if node == self.node]
        if self._seq < max(own, default=0):
            raise AssertionError(f"seq {self._seq} would reissue tag {max(own)}")

    def __contains__(self, x: object) -> bool:
        tags = self._adds.get(x, set())  # type: ignore[arg-type]  # any object may be asked
        return any(tag not in self._removed for tag in tags)

    def __len__(self) -> int:
        return len(self.elements())

    def elements(self) -> frozenset[T]:
        """The elements present. Complexity: O(tags)."""
        return frozenset(x for x in self._adds if x in self)

    def add(self, x: T) -> None:
        """Add ``x`` with a fresh tag.

        Raises:
            TypeError: ``x`` is not hashable.

        Complexity: O(1).
        """
        if not isinstance(x, Hashable):
            raise TypeError(f"elements must be hashable, got {type(x).__name__}: {x!r}")
        hash(x)  # a tuple holding a list is Hashable but fails here, before any change
        self._seq += 1
        self._adds.setdefault(x, set()).add((self.node, self._seq))

    def remove(self, x: T) -> None:
        """Remove ``x``: tombstone every tag of it this replica has seen.

        Raises:
            KeyError: ``x`` is not in the set (an OR-Set removes only what it observed).

        Complexity: O(tags of x).
        """
        if x not in self:
            raise KeyError(f"cannot remove {x!r}: not in the set")
        self._removed |= self._adds[x]

    def merge(self, other: ORSet[T]) -> ORSet[T]:
        """A new set with the union of both replicas' tags and of their tombstones.

        Raises:
            TypeError: ``other`` is not an :class:`ORSet`.

        Complexity: O(tags).
        """
        _check_same(self, other)
        merged: ORSet[T] = ORSet(self.node)
        for source in (self, other):
            for x, tags in source._adds.items():
                merged._adds.setdefault(x, set()).update(tags)
        merged._removed = self._removed | other._removed
        # never reuse a tag this node already issued, even one learnt from a peer
        own = [seq for tags in merged._adds.values() for node, seq in tags if node == self.node]
        merged._seq = max([self._seq, *own])
        return merged


def _check_same(self: object, other: object) -> None:
    if type(other) is not type(self):
        raise TypeError(
            f"can only merge with another {type(self).__name__}, "
            f"got {type(other).__name__}: {other!r}"
        )
