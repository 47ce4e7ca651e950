"""A Dynamo-style leaderless store in the simulator: quorums, hints, read repair, Merkle sync.

Every node can coordinate any request. A key's *preference list* is the ring
of nodes read clockwise from the key's hash; its first ``N`` nodes are the
key's home replicas (DeCandia et al. 2007, section 4.3). A write succeeds once
``W`` replicas acknowledge it, a read once ``R`` replicas answer, and
``R + W > N`` makes every read quorum overlap every write quorum.

What keeps replicas together when nodes fail:

* **Sloppy quorum and hinted handoff** (section 4.6): if a home replica does not
  acknowledge within ``timeout``, the coordinator sends the write to the next
  node on the preference list *past* the first ``N``, with a *hint* naming the
  home it stands in for. The write counts toward ``W``. The stand-in keeps
  hinted writes apart from its own data and retries delivering them to their
  home every ``handoff_every`` until the home acknowledges. Reads here ask only
  the home replicas (Dynamo's reads, too, go to the first ``N`` *healthy*
  nodes), so a write taken only by stand-ins is not readable until handoff.
* **Read repair** (section 5): when a read's window closes, every replica that
  answered with an older version is sent the newest one.
* **Anti-entropy with Merkle trees** (section 4.7): every ``sync_every``, each
  node compares, with one peer at a time, the keys both of them replicate. Keys
  fall into ``buckets`` (a power of two); each bucket's contents is one leaf
  of Part I's RFC 6962 :class:`~studybook.dsa.advanced_structures.merkle.MerkleTree`.
  The nodes exchange the root, then only the halves whose hashes differ, down
  to the buckets, and swap those buckets' keys. In-sync replicas exchange one
  hash.
* **Tombstones** (DDIA chapter 5; Cassandra's deletes): a delete is a write
  of a *tombstone*, a version with no value, so it replicates, repairs and
  wins over older values like any other write. :meth:`DynamoCluster.compact`
  purges a tombstone only once it is ``gc_grace`` old (Cassandra's
  ``gc_grace_seconds``, default 864000 s = 10 days): purge it before every
  replica has it and anti-entropy copies the deleted value back from the
  replica that missed the delete.

The store is three modules: :mod:`~.leaderless_messages` (versions,
results, settings, the preference list and the wire messages),
:mod:`~.leaderless_node` (:class:`~.leaderless_node.StoreNode`, a replica and coordinator) and
this one (:class:`DynamoCluster`, which builds and drives a cluster); every
name is importable from here.

Versions are last-writer-wins stamps ``(time, counter, coordinator)``; the
chapter explains the version vectors Dynamo really uses, and why LWW loses
concurrent writes.

Invariant: after the network heals, crashed nodes restart and ``handoff_every``
and ``sync_every`` periods pass, every home replica of every key holds the same
newest version, and no hint is left (:meth:`DynamoCluster.converged`).

=========================  ==========================================
operation                  messages
=========================  ==========================================
put / get                  N requests + N replies, more on timeout
handoff                    1 per hinted key per period until acked
anti-entropy, in sync      1 (the root hash)
anti-entropy, d diffs      O(d log B) hashes + the differing buckets
=========================  ==========================================

>>> cluster = DynamoCluster(["a", "b", "c", "d", "e"], seed=1)
>>> cluster.put("cart", "milk", via="a").ok
True
>>> cluster.get("cart", via="b").value
'milk'

Primary source: G. DeCandia et al., "Dynamo: Amazon's Highly Available
Key-value Store", SOSP 2007.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import cast

from studybook.distributed.replication_partitioning.leaderless_messages import (
    ReadResult,
    StoreConfig,
    SyncStats,
    Versioned,
    WriteResult,
    preference_list,
)
from studybook.distributed.replication_partitioning.leaderless_node import StoreNode
from studybook.distributed.simulator import Simulator

__all__ = [
    "DynamoCluster",
    "ReadResult",
    "StoreConfig",
    "StoreNode",
    "SyncStats",
    "Versioned",
    "WriteResult",
    "preference_list",
]


class DynamoCluster:
    """A leaderless cluster in a seeded :class:`~studybook.distributed.simulator.Simulator`.

    Args:
        nodes: node names (at least ``n``, distinct).
        n, r, w: replicas per key, and the read and write quorums
            (``1 <= r, w <= n``; ``r + w > n`` is *not* enforced, so the
            chapter can show what goes wrong without it).
        sloppy: on a home replica's timeout, write to the next node with a hint.
        seed: the simulator's seed.
        timeout: how long a coordinator waits for replies.
        handoff_every, sync_every: the handoff and anti-entropy periods, or
            ``None`` to turn the mechanism off.
        buckets: Merkle leaves per node pair, a power of two, at most ``2**16``.
        gc_grace: how old a tombstone must be before :meth:`compact` purges
            it (Cassandra's ``gc_grace_seconds`` default, 10 days).

    Raises:
        TypeError: a count, period or ``sloppy`` of the wrong type.
        ValueError: out-of-range quorums, too few nodes, a period that is not
            finite and positive, buckets not a power of two up to ``2**16``.

    >>> DynamoCluster(["a", "b"], n=3)
    Traceback (most recent call last):
    ValueError: need at least n = 3 nodes, got ['a', 'b']
    >>> DynamoCluster(["a", "b", "c"], r=4)
    Traceback (most recent call last):
    ValueError: r must be in [1, n = 3], got 4
    """

    def __init__(
        self,
        nodes: Sequence[str],
        *,
        n: int = 3,
        r: int = 2,
        w: int = 2,
        sloppy: bool = True,
        seed: int = 0,
        timeout: float = 20.0,
        handoff_every: float | None = 50.0,
        sync_every: float | None = 100.0,
        buckets: int = 16,
        gc_grace: float = 864000.0,
    ) -> None:
        if isinstance(nodes, str) or not isinstance(nodes, Sequence):
            raise TypeError(f"nodes must be a sequence of node names, got {nodes!r}")
        for name, number in (("n", n), ("r", r), ("w", w), ("buckets", buckets)):
            if isinstance(number, bool) or not isinstance(number, int):
                raise TypeError(f"{name} must be an int, got {type(number).__name__}: {number!r}")
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n!r}")
        if len(set(nodes)) != len(nodes):
            raise ValueError(f"node names must be distinct, got {list(nodes)!r}")
        if len(nodes) < n:
            raise ValueError(f"need at least n = {n} nodes, got {list(nodes)!r}")
        for name, number in (("r", r), ("w", w)):
            if not 1 <= number <= n:
                raise ValueError(f"{name} must be in [1, n = {n}], got {number!r}")
        if buckets < 1 or buckets & (buckets - 1) or buckets > _MAX_BUCKETS:
            # The cap: every anti-entropy round builds a list of `buckets` leaves.
            raise ValueError(f"buckets must be a power of two <= 2**16, got {buckets!r}")
        if not isinstance(sloppy, bool):
            raise TypeError(f"sloppy must be a bool, got {type(sloppy).__name__}: {sloppy!r}")
        for name, period in (
            ("timeout", timeout),
            ("handoff_every", handoff_every),
            ("sync_every", sync_every),
            ("gc_grace", gc_grace),
        ):
            if period is None and name in ("handoff_every", "sync_every"):
                continue
            if isinstance(period, bool) or not isinstance(period, int | float):
                raise TypeError(f"{name} must be a number, got {period!r}")
            if not math.isfinite(period) or period <= 0:
                raise ValueError(f"{name} must be finite and > 0, got {period!r}")
        self.config = StoreConfig(
            tuple(nodes), n, r, w, sloppy, float(timeout),
            handoff_every, sync_every, buckets,
        )  # fmt: skip
        self.gc_grace = float(gc_grace)
        self.sim = Simulator(seed)
        self.stats = SyncStats()
        self._results: dict[int, object] = {}
        self._req = 0
        self._nodes = {
            name: StoreNode(name, self.config, self.stats, self._results) for name in nodes
        }
        for node in self._nodes.values():
            self.sim.add(node)
        self.sim.run(until=0.0)

    def node(self, name: str) -> StoreNode:
        """Return the node called ``name`` (``KeyError`` if none)."""
        if name not in self._nodes:
            raise KeyError(f"no node {name!r}")
        return self._nodes[name]

    def put(self, key: str, value: str, *, via: str) -> WriteResult:
        """Write ``key = value`` through coordinator ``via``; run the simulator until it decides.

        Raises:
            TypeError: ``key`` or ``value`` not a ``str``.
            KeyError: an unknown coordinator.
            RuntimeError: the coordinator is down.
        """
        _check_str("key", key)
        _check_str("value", value)
        req = self._start(via)
        self.node(via).coordinate_put(self.sim, req, key, value)
        return cast("WriteResult", self._wait(req))

    def delete(self, key: str, *, via: str) -> WriteResult:
        """Delete ``key`` through ``via``: write a tombstone, which replicates like a value.

        Raises:
            TypeError: ``key`` not a ``str``.
            KeyError: an unknown coordinator.
            RuntimeError: the coordinator is down.

        >>> c = DynamoCluster(["a", "b", "c"], seed=1)
        >>> c.put("cart", "milk", via="a").ok, c.delete("cart", via="b").ok
        (True, True)
        >>> c.get("cart", via="c").value is None
        True
        """
        _check_str("key", key)
        req = self._start(via)
        self.node(via).coordinate_put(self.sim, req, key, None)
        return cast("WriteResult", self._wait(req))

    def compact(self) -> int:
        """Purge, on every running node, tombstones at least ``gc_grace`` old; return how many.

        Complexity: O(keys held).
        """
        now = self.sim.now
        return sum(
            node.purge_tombstones(now, self.gc_grace)
            for name, node in self._nodes.items()
            if self.sim.is_up(name)
        )

    def get(self, key: str, *, via: str) -> ReadResult:
        """Read ``key`` through coordinator ``via``; run until ``R`` replies or the timeout."""
        _check_str("key", key)
        req = self._start(via)
        self.node(via).coordinate_get(self.sim, req, key)
        return cast("ReadResult", self._wait(req))

    def run(self, duration: float) -> None:
        """Advance virtual time by ``duration`` (timers keep firing: handoff, anti-entropy)."""
        if isinstance(duration, bool) or not isinstance(duration, int | float):
            raise TypeError(f"duration must be a number, got {duration!r}")
        if not math.isfinite(duration) or duration < 0:
            raise ValueError(f"duration must be finite and >= 0, got {duration!r}")
        self.sim.run(until=self.sim.now + duration)

    def replicas(self, key: str) -> dict[str, str | None]:
        """Return the value each home replica of ``key`` holds (``None`` if it has none)."""
        homes = preference_list(key, self.config.nodes)[: self.config.n]
        held = {h: self._nodes[h].data.get(key) for h in homes}
        return {h: None if v is None else v.value for h, v in held.items()}

    def hints_held(self) -> int:
        """Return how many hinted writes are waiting for their home, over all nodes."""
        return sum(len(items) for node in self._nodes.values() for items in node.hints.values())

    def converged(self) -> bool:
        """Whether every key's home replicas hold one identical version, and no hint is pending."""
        keys = {k for node in self._nodes.values() for k in node.data}
        for key in keys:
            homes = preference_list(key, self.config.nodes)[: self.config.n]
            if len({self._nodes[h].data.get(key) for h in homes}) != 1:
                return False
        return self.hints_held() == 0

    def _start(self, via: str) -> int:
        if not self.sim.is_up(self.node(via).node_id):
            raise RuntimeError(f"coordinator {via!r} is down")
        self._req += 1
        return self._req

    def _wait(self, req: int) -> object:
        self.sim.run(stop=lambda _sim: req in self._results)
        return self._results[req]


_MAX_BUCKETS = 2**16


def _check_str(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}: {value!r}")
