"""Maglev hashing: a lookup table in which every backend owns almost the same number of slots.

Google's Maglev load balancer (Eisenbud et al., NSDI 2016, section 3.4) gives
each backend a *preference list*, a permutation of the table's M slots, and lets
the backends take turns claiming their most-preferred slot that is still empty
until the table is full. Because every turn fills exactly one slot, each backend
ends with either floor(M/N) or ceil(M/N) slots: the paper's balance claim. A
key is served by ``table[hash(key) % M]``, one array read. When a backend leaves,
its slots go to others and a few other slots move too, so disruption is a little
above the ideal 1/N but far below the (N-1)/N of ``hash(key) % N``.

The permutation of backend ``name`` is the paper's
``offset = h1(name) % M``, ``skip = h2(name) % (M - 1) + 1``,
``permutation[j] = (offset + j * skip) % M``; M must be prime so that every
``skip`` is coprime with M and the sequence visits every slot.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import overload

from studybook._validate import check_int, check_str

__all__ = [
    "DEFAULT_TABLE_SIZE",
    "MAX_TABLE_SIZE",
    "MaglevBalancer",
    "is_prime",
    "maglev_populate",
    "slot_changes",
]

DEFAULT_TABLE_SIZE = 65537
"""The paper's default M (section 5.3), also Envoy's default ``table_size``."""

MAX_TABLE_SIZE = 5_000_011
"""The largest M accepted, Envoy's Maglev ``table_size`` limit (Envoy v1.31 API docs)."""


def maglev_populate(permutations: Mapping[str, Sequence[int]]) -> list[str]:
    """Fill a Maglev lookup table from each backend's preference list (the paper's Pseudocode 1).

    Backends take turns in the mapping's order; on its turn a backend claims the
    first slot of its preference list that is still empty. The loop stops as
    soon as the last slot is filled, so the first ``M % N`` backends get one
    slot more than the others.

    Args:
        permutations: backend name -> its preference list, a permutation of
            ``range(M)``; every list has the same length M >= number of backends.

    Returns:
        The table: ``table[slot]`` is the backend that owns the slot.

    Raises:
        ValueError: no backends, lists of different lengths, M smaller than the
            number of backends, or a list that is not a permutation of ``range(M)``.
        TypeError: a backend name that is not a ``str`` or a slot that is not an ``int``.

    Complexity: O(M log M) expected steps (the paper's bound for M >> N), O(M) memory.

    The paper's Table 1: three backends, M = 7, (offset, skip) = (3, 4), (0, 2), (3, 1).

    >>> prefs = {"B0": [3, 0, 4, 1, 5, 2, 6], "B1": [0, 2, 4, 6, 1, 3, 5],
    ...          "B2": [3, 4, 5, 6, 0, 1, 2]}
    >>> maglev_populate(prefs)
    ['B1', 'B0', 'B1', 'B0', 'B2', 'B2', 'B0']
    >>> maglev_populate({"B0": prefs["B0"], "B2": prefs["B2"]})
    ['B0', 'B0', 'B0', 'B0', 'B2', 'B2', 'B2']
    >>> maglev_populate({"a": [0, 0, 1]})
    Traceback (most recent call last):
        ...
    ValueError: preference list of 'a' must be a permutation of range(3), got [0, 0, 1]
    """
    backends, prefs = _checked_preferences(permutations)
    n, m = len(backends), len(prefs[0])
    next_choice = [0] * n
    entry = [-1] * m
    filled = 0
    while True:
        for i in range(n):
            c = prefs[i][next_choice[i]]
            while entry[c] >= 0:
                next_choice[i] += 1
                c = prefs[i][next_choice[i]]
            entry[c] = i
            next_choice[i] += 1
            filled += 1
            if filled == m:
                return [backends[e] for e in entry]


def _checked_preferences(
    permutations: Mapping[str, Sequence[int]],
) -> tuple[list[str], list[Sequence[int]]]:
    if not isinstance(permutations, Mapping):
        raise TypeError(
            f"permutations must be a mapping of backend -> preference list, "
            f"got {type(permutations).__name__}: {permutations!r}"
        )
    if not permutations:
        raise ValueError(f"permutations must name at least one backend, got {permutations!r}")
    backends = list(permutations)
    prefs = [permutations[b] for b in backends]
    for b in backends:
        check_str(b, "backend name", nonempty=True)
    for b, p in zip(backends, prefs, strict=True):
        if isinstance(p, str | bytes) or not isinstance(p, Sequence):
            raise TypeError(
                f"preference list of {b!r} must be a sequence of slots, "
                f"got {type(p).__name__}: {p!r}"
            )
    m = len(prefs[0])
    for b, p in zip(backends, prefs, strict=True):
        if len(p) != m:
            raise ValueError(
                f"every preference list must have the same length; {backends[0]!r} has {m}, "
                f"{b!r} has {len(p)}"
            )
    if m < len(backends):
        raise ValueError(f"table size M must be >= the number of backends {len(backends)}, got {m}")
    for b, p in zip(backends, prefs, strict=True):
        if isinstance(p, _OffsetSkip):
            continue  # a permutation by construction: M is prime and 1 <= skip < M
        for c in p:
            if isinstance(c, bool) or not isinstance(c, int):
                raise TypeError(f"slots must be int, got {type(c).__name__}: {c!r} in {b!r}")
        if sorted(p) != list(range(m)):
            raise ValueError(
                f"preference list of {b!r} must be a permutation of range({m}), got {list(p)!r}"
            )
    return backends, prefs


class _OffsetSkip(Sequence[int]):
    """The permutation ``(offset + j * skip) % M``, computed on demand instead of stored."""

    def __init__(self, offset: int, skip: int, size: int) -> None:
        self.offset, self.skip, self.size = offset, skip, size

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, j: int) -> int: ...
    @overload
    def __getitem__(self, j: slice) -> Sequence[int]: ...
    def __getitem__(self, j: int | slice) -> int | Sequence[int]:
        if isinstance(j, slice):
            return [self[i] for i in range(*j.indices(self.size))]
        if not 0 <= j < self.size:
            raise IndexError(j)
        return (self.offset + j * self.skip) % self.size

    def __iter__(self) -> Iterator[int]:
        return (self[j] for j in range(self.size))


class MaglevBalancer:
    """Map keys to backends through a Maglev lookup table of ``table_size`` slots.

    Args:
        backends: distinct, non-empty backend names; their order is the order of turns.
        table_size: M, a prime in [len(backends), 5,000,011]; the paper uses 65537
            and advises M > 100 N for at most 1% imbalance.

    Raises:
        ValueError: no backends, a duplicate name, or ``table_size`` not prime,
            smaller than the number of backends or above
            :data:`~studybook.infra.load_balancing.maglev.MAX_TABLE_SIZE`.
        TypeError: ``backends`` is a single ``str`` or holds a non-``str``;
            ``table_size`` is not an ``int`` (``bool`` included).

    Complexity: building is O(M log M) expected; ``backend_for`` is O(len(key)).

    >>> lb = MaglevBalancer(["10.0.0.1", "10.0.0.2", "10.0.0.3"], table_size=13)
    >>> lb.table
    ['10.0.0.2', '10.0.0.3', '10.0.0.3', '10.0.0.2', '10.0.0.1', '10.0.0.1', '10.0.0.2',
     '10.0.0.3', '10.0.0.2', '10.0.0.1', '10.0.0.1', '10.0.0.1', '10.0.0.3']
    >>> lb.backend_for("198.51.100.7:5123")
    '10.0.0.2'
    >>> MaglevBalancer(["a", "b"], table_size=12)
    Traceback (most recent call last):
        ...
    ValueError: table_size must be a prime number, got 12
    """

    def __init__(self, backends: Sequence[str], table_size: int = DEFAULT_TABLE_SIZE) -> None:
        if isinstance(backends, str | bytes) or not isinstance(backends, Sequence):
            raise TypeError(
                f"backends must be a list of names, got {type(backends).__name__}: {backends!r}"
            )
        if not backends:
            raise ValueError(f"backends must not be empty, got {backends!r}")
        for b in backends:
            check_str(b, "backend name", nonempty=True)
        duplicates = sorted({b for b in backends if backends.count(b) > 1})
        if duplicates:
            raise ValueError(f"backend names must be distinct, got duplicates {duplicates!r}")
        check_int(table_size, "table_size", minimum=len(backends), maximum=MAX_TABLE_SIZE)
        if not is_prime(table_size):
            raise ValueError(f"table_size must be a prime number, got {table_size!r}")
        self.backends: tuple[str, ...] = tuple(backends)
        self.table_size = table_size
        self.table: list[str] = maglev_populate({b: self.permutation(b) for b in self.backends})

    def permutation(self, backend: str) -> Sequence[int]:
        """Return ``backend``'s preference list: the paper's offset/skip permutation of the slots.

        Raises:
            TypeError: ``backend`` is not a ``str``.

        Complexity: O(1) to build; each element is computed on access.

        >>> list(MaglevBalancer(["a"], table_size=7).permutation("a"))
        [2, 0, 5, 3, 1, 6, 4]
        """
        check_str(backend, "backend")
        m = self.table_size
        offset = _hash(backend, b"offset") % m
        skip = _hash(backend, b"skip") % (m - 1) + 1 if m > 1 else 1
        return _OffsetSkip(offset, skip, m)

    def backend_for(self, key: str) -> str:
        """Return the backend that serves ``key`` (say, a connection's 5-tuple).

        Raises:
            TypeError: ``key`` is not a ``str``.

        Complexity: O(len(key)) to hash, then one table read.

        >>> MaglevBalancer(["only"], table_size=2).backend_for("k")
        'only'
        >>> MaglevBalancer(["only"], table_size=2).backend_for(7)
        Traceback (most recent call last):
            ...
        TypeError: key must be a str, got int: 7
        """
        check_str(key, "key")
        return self.table[_hash(key, b"key") % self.table_size]

    def counts(self) -> dict[str, int]:
        """Return how many slots each backend owns, in turn order.

        >>> MaglevBalancer(["a", "b", "c"], table_size=7).counts()
        {'a': 3, 'b': 2, 'c': 2}
        """
        owned = dict.fromkeys(self.backends, 0)
        for b in self.table:
            owned[b] += 1
        return owned

    def _check_invariants(self) -> None:
        m, n = self.table_size, len(self.backends)
        if len(self.table) != m:
            raise AssertionError(f"table has {len(self.table)} slots, expected {m}")
        for i, (b, c) in enumerate(self.counts().items()):
            expected = m // n + (1 if i < m % n else 0)
            if c != expected:
                raise AssertionError(f"{b!r} owns {c} slots, expected {expected}")


def _hash(text: str, purpose: bytes) -> int:
    # Two independent 64-bit hashes (h1, h2 in the paper) from BLAKE2b with different
    # personalisation strings: stable across processes, unlike the built-in hash().
    # "surrogatepass" so that any str, even one holding a lone surrogate, hashes.
    data = text.encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(data, digest_size=8, person=purpose).digest()
    return int.from_bytes(digest, "big")


def is_prime(n: int) -> bool:
    """Return whether ``n`` is prime (trial division by 2, 3 and 6k +- 1).

    Complexity: O(sqrt(n)).

    >>> [m for m in range(20) if is_prime(m)], is_prime(65537), is_prime(65535)
    ([2, 3, 5, 7, 11, 13, 17, 19], True, False)
    """
    check_int(n, "n")
    if n < 4:
        return n >= 2
    if n % 2 == 0 or n % 3 == 0:
        return False
    return all(n % f and n % (f + 2) for f in range(5, math.isqrt(n) + 1, 6))


def slot_changes(before: Sequence[str], after: Sequence[str]) -> float:
    """Return the fraction of slots whose backend differs between two tables of one size.

    Raises:
        ValueError: the tables differ in length or are empty.

    >>> slot_changes(["a", "b", "a", "b"], ["a", "a", "a", "a"])
    0.5
    """
    if len(before) != len(after) or not before:
        raise ValueError(
            f"tables must be non-empty and of equal length, got {len(before)} and {len(after)}"
        )
    return sum(x != y for x, y in zip(before, after, strict=True)) / len(before)
