"""The leaderless store's records and wire format: versions, results, settings, messages.

What a Dynamo-style node stores is a :class:`Versioned` value per key (a
last-writer-wins stamp, or a tombstone); what it sends are the frozen
dataclasses below, so the simulator can deliver one object twice without
either copy changing under the other. Where a key lives is decided by
:func:`preference_list`: the ring read clockwise from the key's hash, whose
first ``N`` nodes are the key's home replicas (DeCandia et al. 2007, section
4.3).

=========================  ================================================
message                    meaning
=========================  ================================================
Write / WriteAck           store a version (with a hint: for another home)
Read / ReadReply           a coordinator asks a home replica for its version
Handoff / HandoffAck       a stand-in delivers a hinted write to its home
SyncRanges                 Merkle hashes of bucket ranges (anti-entropy)
SyncBuckets                the keys of buckets whose hashes differ
=========================  ================================================

>>> Versioned(1.0, 1, "a", "milk") < Versioned(1.0, 2, "a", None)  # a later delete wins
True
>>> preference_list("cart", ["a", "b", "c", "d", "e"])[:3]  # the home replicas
['e', 'c', 'a']

Primary source: G. DeCandia et al., "Dynamo: Amazon's Highly Available
Key-value Store", SOSP 2007.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from studybook.distributed.replication_partitioning.partitioner import stable_hash

__all__ = [
    "Handoff",
    "HandoffAck",
    "Read",
    "ReadReply",
    "ReadResult",
    "StoreConfig",
    "SyncBuckets",
    "SyncRanges",
    "SyncStats",
    "Versioned",
    "Write",
    "WriteAck",
    "WriteResult",
    "preference_list",
]


@dataclass(frozen=True, order=True)
class Versioned:
    """A value and its last-writer-wins stamp; the larger ``(time, counter, writer)`` wins.

    ``value`` is ``None`` for a *tombstone*, the version a delete writes.
    """

    time: float
    counter: int
    writer: str
    value: str | None


@dataclass(frozen=True)
class WriteResult:
    """A put's outcome: ``ok`` if ``W`` replicas acknowledged; who did, and which were stand-ins."""

    ok: bool
    acked: tuple[str, ...]
    hinted: tuple[tuple[str, str], ...]  # (stand-in, home it stands in for)


@dataclass(frozen=True)
class ReadResult:
    """A get's outcome: ``ok`` if ``R`` replicas answered, and the newest value among them."""

    ok: bool
    value: str | None
    answered: tuple[str, ...]


@dataclass
class SyncStats:
    """Counters shared by the nodes of a cluster, to show what each mechanism did."""

    hashes_sent: int = 0
    keys_sent: int = 0
    repairs_sent: int = 0
    hints_delivered: int = 0


@dataclass(frozen=True)
class StoreConfig:
    """The settings every node of a cluster shares (see ``DynamoCluster``'s arguments)."""

    nodes: tuple[str, ...]
    n: int
    r: int
    w: int
    sloppy: bool
    timeout: float
    handoff_every: float | None
    sync_every: float | None
    buckets: int


def preference_list(key: str, nodes: Sequence[str]) -> list[str]:
    """Return every node in ring order from ``key``'s hash: the first N are its home replicas.

    Each node sits at the hash of its name (one token per node, Dynamo's first
    strategy; virtual nodes are the partitioner's business).

    Raises:
        TypeError: ``key`` or a node name is not a ``str``, or ``nodes`` is a ``str``.
        ValueError: no nodes.

    Complexity: O(n log n).

    >>> preference_list("cart", ["a", "b", "c", "d", "e"])
    ['e', 'c', 'a', 'b', 'd']
    >>> preference_list("cart", [])
    Traceback (most recent call last):
    ValueError: need at least one node, got []
    """
    if isinstance(nodes, str) or not isinstance(nodes, Sequence):
        raise TypeError(f"nodes must be a sequence of node names, got {nodes!r}")
    if not nodes:
        raise ValueError(f"need at least one node, got {list(nodes)!r}")
    start = stable_hash(key)
    ring = sorted(nodes, key=lambda n: (stable_hash(n), n))
    first = next((i for i, n in enumerate(ring) if stable_hash(n) >= start), 0)
    return ring[first:] + ring[:first]


@dataclass(frozen=True)
class Write:
    """Store ``item`` under ``key``; with a ``hint``, hold it for that home replica."""

    req: int  # -1 for a read repair, which wants no acknowledgement
    key: str
    item: Versioned
    hint: str | None = None


@dataclass(frozen=True)
class WriteAck:
    """A replica stored request ``req``'s write."""

    req: int


@dataclass(frozen=True)
class Read:
    """Ask a home replica for its version of ``key``."""

    req: int
    key: str


@dataclass(frozen=True)
class ReadReply:
    """A replica's version of the key of request ``req`` (``None``: it has none)."""

    req: int
    item: Versioned | None


@dataclass(frozen=True)
class Handoff:
    """A stand-in delivers a hinted write to the home it held it for."""

    key: str
    item: Versioned


@dataclass(frozen=True)
class HandoffAck:
    """The home stored the handed-off write; the stand-in may drop its hint."""

    key: str
    item: Versioned


@dataclass(frozen=True)
class SyncRanges:
    """Anti-entropy: Merkle hashes of bucket ranges ``[first, end)``."""

    ranges: tuple[tuple[int, int, bytes], ...]


@dataclass(frozen=True)
class SyncBuckets:
    """Anti-entropy: the sender's keys in ``buckets``; ``reply`` asks for the receiver's."""

    buckets: tuple[int, ...]
    items: tuple[tuple[str, Versioned], ...]
    reply: bool
