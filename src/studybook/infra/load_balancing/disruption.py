"""How many keys move when one backend leaves: mod-N hashing, a consistent-hash ring, Maglev.

The ring is the book's own
:class:`~studybook.dsa.advanced_structures.consistent_hash.ConsistentHashRing`
(see the advanced-structures chapter), reused here rather than written again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from studybook._validate import check_int, check_str
from studybook.dsa.advanced_structures import ConsistentHashRing
from studybook.infra.load_balancing.maglev import MaglevBalancer

__all__ = ["Disruption", "mod_n_backend", "removal_disruption"]


def mod_n_backend(key: str, backends: list[str]) -> str:
    """Return ``backends[hash(key) % N]``: the naive scheme that reshuffles almost everything.

    Raises:
        ValueError: empty ``backends``.
        TypeError: ``key`` is not a ``str``.

    >>> mod_n_backend("user:42", ["a", "b", "c"])
    'c'
    """
    check_str(key, "key")
    if not backends:
        raise ValueError(f"backends must not be empty, got {backends!r}")
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return backends[int.from_bytes(digest, "big") % len(backends)]


@dataclass(frozen=True)
class Disruption:
    """Fraction of keys that change backend when one of ``backends`` is removed."""

    backends: int
    ideal: float
    mod_n: float
    ring: float
    maglev: float


def removal_disruption(
    backends: int, *, table_size: int = 65537, keys: int = 20_000, vnodes: int = 100
) -> Disruption:
    """Remove the middle backend of ``backends`` and measure the share of keys that move.

    The ideal is the removed backend's own share, 1/N: only its keys must move.
    Keys are ``"key-0"``, ``"key-1"``, ...; backends are ``"backend-0"``, ....

    Raises:
        ValueError: ``backends`` < 2, ``keys`` < 1, or a bad ``table_size`` for Maglev.

    Complexity: O(keys * log(N * vnodes) + table_size * log(table_size)).

    >>> d = removal_disruption(5, table_size=1009, keys=2000)
    >>> d.ideal, d.mod_n, d.ring, d.maglev
    (0.2, 0.8075, 0.184, 0.246)
    """
    check_int(backends, "backends", minimum=2, maximum=10_000)
    check_int(keys, "keys", minimum=1, maximum=10**7)
    names = [f"backend-{i}" for i in range(backends)]
    gone = names[backends // 2]
    kept = [b for b in names if b != gone]
    maglev_before = MaglevBalancer(names, table_size)  # validates table_size first
    maglev_after = MaglevBalancer(kept, table_size)
    sample = [f"key-{i}" for i in range(keys)]

    def moved(before: dict[str, str], after: dict[str, str]) -> float:
        return sum(before[k] != after[k] for k in sample) / keys

    mod_before = {k: mod_n_backend(k, names) for k in sample}
    mod_after = {k: mod_n_backend(k, kept) for k in sample}
    ring = ConsistentHashRing(names, vnodes=vnodes)
    ring_before = {k: ring.node_for(k) for k in sample}
    ring.remove_node(gone)
    ring_after = {k: ring.node_for(k) for k in sample}
    return Disruption(
        backends,
        1 / backends,
        moved(mod_before, mod_after),
        moved(ring_before, ring_after),
        moved(
            {k: maglev_before.backend_for(k) for k in sample},
            {k: maglev_after.backend_for(k) for k in sample},
        ),
    )
