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
from dataclasses import dataclass, field
from typing import cast

from studybook.distributed.replication_partitioning.partitioner import stable_hash
from studybook.distributed.simulator import BaseNode, Simulator
from studybook.dsa.advanced_structures.merkle import MerkleTree

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


def preference_list(key: str, nodes: Sequence[str]) -> list[str]:
    """Return every node in ring order from ``key``'s hash: the first N are its home replicas.

    Each node sits at the hash of its name (one token per node, Dynamo's first
    strategy; virtual nodes are the partitioner's business).

    Raises:
        TypeError: ``key`` is not a ``str``.

    Complexity: O(n log n).

    >>> preference_list("cart", ["a", "b", "c", "d", "e"])
    ['e', 'c', 'a', 'b', 'd']
    """
    start = stable_hash(key)
    ring = sorted(nodes, key=lambda n: (stable_hash(n), n))
    first = next((i for i, n in enumerate(ring) if stable_hash(n) >= start), 0)
    return ring[first:] + ring[:first]


# -- messages ------------------------------------------------------------------


@dataclass(frozen=True)
class _Write:
    req: int
    key: str
    item: Versioned
    hint: str | None = None  # the home replica this write stands in for


@dataclass(frozen=True)
class _WriteAck:
    req: int


@dataclass(frozen=True)
class _Read:
    req: int
    key: str


@dataclass(frozen=True)
class _ReadReply:
    req: int
    item: Versioned | None


@dataclass(frozen=True)
class _Handoff:
    key: str
    item: Versioned


@dataclass(frozen=True)
class _HandoffAck:
    key: str
    item: Versioned


@dataclass(frozen=True)
class _SyncRanges:
    ranges: tuple[tuple[int, int, bytes], ...]  # (first bucket, end bucket, Merkle hash)


@dataclass(frozen=True)
class _SyncBuckets:
    buckets: tuple[int, ...]
    items: tuple[tuple[str, Versioned], ...]
    reply: bool


@dataclass
class _Pending:
    kind: str
    key: str
    item: Versioned | None = None
    sent: dict[str, str] = field(default_factory=dict)  # target -> home it covers
    acked: set[str] = field(default_factory=set)
    replies: dict[str, Versioned | None] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StoreConfig:
    """The settings every node of a :class:`DynamoCluster` shares (see its arguments)."""

    nodes: tuple[str, ...]
    n: int
    r: int
    w: int
    sloppy: bool
    timeout: float
    handoff_every: float | None
    sync_every: float | None
    buckets: int


class StoreNode(BaseNode):
    """One replica and coordinator; its data and hints live on the simulator's durable disk.

    Args:
        node_id: the node's name.
        config: the cluster's shared settings.
        stats: counters the cluster's nodes share.
        results: where the node records each request's outcome, by request id.
    """

    def __init__(
        self, node_id: str, config: StoreConfig, stats: SyncStats, results: dict[int, object]
    ) -> None:
        super().__init__(node_id)
        self._config = config
        self._stats = stats
        self._results = results
        self.data: dict[str, Versioned] = {}
        self.hints: dict[str, dict[str, Versioned]] = {}
        self._pending: dict[int, _Pending] = {}
        self._counter = 0
        self._sync_turn = 0

    # -- lifecycle -------------------------------------------------------------

    def on_start(self, sim: Simulator) -> None:
        """Reload data and hints from disk; start the handoff and anti-entropy timers."""
        disk = sim.disk(self.node_id)
        self.data = cast("dict[str, Versioned]", disk.setdefault("data", {}))
        self.hints = cast("dict[str, dict[str, Versioned]]", disk.setdefault("hints", {}))
        self._counter = cast("int", disk.get("counter", 0))
        if self._config.handoff_every is not None:
            sim.set_timer(self.node_id, "handoff", self._config.handoff_every)
        if self._config.sync_every is not None:
            sim.set_timer(self.node_id, "sync", self._config.sync_every)

    def on_crash(self) -> None:
        """Forget in-flight requests; data and hints are on disk."""
        self._pending.clear()

    # -- coordinating ----------------------------------------------------------

    def coordinate_put(self, sim: Simulator, req: int, key: str, value: str | None) -> None:
        """Stamp the write (``None``: a tombstone) and send it to the key's N home replicas."""
        self._counter += 1
        sim.disk(self.node_id)["counter"] = self._counter
        item = Versioned(sim.now, self._counter, self.node_id, value)
        prefs = preference_list(key, self._config.nodes)
        op = _Pending(
            "put", key, item, fallbacks=prefs[self._config.n :] if self._config.sloppy else []
        )
        self._pending[req] = op
        for home in prefs[: self._config.n]:
            op.sent[home] = home
            sim.send(self.node_id, home, _Write(req, key, item))
        sim.set_timer(self.node_id, f"req{req}", self._config.timeout)

    def coordinate_get(self, sim: Simulator, req: int, key: str) -> None:
        """Ask the key's N home replicas for their version."""
        self._pending[req] = _Pending("get", key)
        for home in preference_list(key, self._config.nodes)[: self._config.n]:
            sim.send(self.node_id, home, _Read(req, key))
        sim.set_timer(self.node_id, f"req{req}", self._config.timeout)

    def on_timer(self, sim: Simulator, name: str) -> None:
        """Request timeouts (sloppy fallback, read repair), handoff and anti-entropy rounds."""
        if name == "handoff":
            for home, items in self.hints.items():
                for key, item in items.items():
                    sim.send(self.node_id, home, _Handoff(key, item))
            sim.set_timer(self.node_id, "handoff", cast("float", self._config.handoff_every))
        elif name == "sync":
            peers = [n for n in self._config.nodes if n != self.node_id]
            peer = peers[self._sync_turn % len(peers)]
            self._sync_turn += 1
            leaves = self._leaves(peer)
            self._stats.hashes_sent += 1
            sim.send(self.node_id, peer, _SyncRanges(((0, len(leaves), MerkleTree(leaves).root),)))
            sim.set_timer(self.node_id, "sync", cast("float", self._config.sync_every))
        else:
            self._timeout(sim, int(name.removeprefix("req")))

    def _timeout(self, sim: Simulator, req: int) -> None:
        op = self._pending.get(req)
        if op is None:
            return
        if op.kind == "get":
            self._finish(req, ReadResult(False, None, tuple(sorted(op.replies))))
            newest = max((v for v in op.replies.values() if v is not None), default=None)
            if newest is not None:
                for replica, item in sorted(op.replies.items()):
                    if item != newest:
                        self._stats.repairs_sent += 1
                        sim.send(self.node_id, replica, _Write(-1, op.key, newest))
            del self._pending[req]
            return
        covered = {op.sent[t] for t in op.acked}
        missing = [h for h in dict.fromkeys(op.sent.values()) if h not in covered]
        sent_any = False
        for home in missing:
            if op.fallbacks:
                stand_in = op.fallbacks.pop(0)
                op.sent[stand_in] = home
                sim.send(
                    self.node_id, stand_in, _Write(req, op.key, cast("Versioned", op.item), home)
                )
                sent_any = True
        if sent_any:
            sim.set_timer(self.node_id, f"req{req}", self._config.timeout)
        else:
            self._finish(req, self._write_result(op, ok=False))
            del self._pending[req]

    def _write_result(self, op: _Pending, *, ok: bool) -> WriteResult:
        hinted = tuple(sorted((t, op.sent[t]) for t in op.acked if op.sent[t] != t))
        return WriteResult(ok, tuple(sorted(op.acked)), hinted)

    def _finish(self, req: int, result: WriteResult | ReadResult) -> None:
        self._results.setdefault(req, result)

    # -- serving ---------------------------------------------------------------

    def on_message(self, sim: Simulator, src: str, msg: object) -> None:
        """Serve replica requests and collect coordinator replies."""
        me = self.node_id
        match msg:
            case _Write(req, key, item, hint):
                if hint is None:
                    self._merge(key, item)
                else:
                    self._merge_into(self.hints.setdefault(hint, {}), key, item)
                if req >= 0:
                    sim.send(me, src, _WriteAck(req))
            case _WriteAck(req):
                op = self._pending.get(req)
                if op is not None and op.kind == "put":
                    op.acked.add(src)
                    if len(op.acked) >= self._config.w:
                        self._finish(req, self._write_result(op, ok=True))
            case _Read(req, key):
                sim.send(me, src, _ReadReply(req, self.data.get(key)))
            case _ReadReply(req, item):
                op = self._pending.get(req)
                if op is not None and op.kind == "get":
                    op.replies[src] = item
                    if len(op.replies) >= self._config.r:
                        newest = max(
                            (v for v in op.replies.values() if v is not None), default=None
                        )
                        value = None if newest is None else newest.value
                        self._finish(req, ReadResult(True, value, tuple(sorted(op.replies))))
            case _Handoff(key, item):
                self._merge(key, item)
                sim.send(me, src, _HandoffAck(key, item))
            case _HandoffAck(key, item):
                held = self.hints.get(src, {})
                if held.get(key) == item:
                    del held[key]
                    self._stats.hints_delivered += 1
                    if not held:
                        del self.hints[src]
            case _SyncRanges(ranges):
                self._compare(sim, src, ranges)
            case _SyncBuckets(buckets, items, reply):
                for key, item in items:
                    self._merge(key, item)
                if reply:
                    mine = self._bucket_items(src, buckets)
                    self._stats.keys_sent += len(mine)
                    sim.send(me, src, _SyncBuckets(buckets, mine, reply=False))

    def purge_tombstones(self, now: float, gc_grace: float) -> int:
        """Drop tombstones at least ``gc_grace`` old from the data; return how many."""
        old = [k for k, v in self.data.items() if v.value is None and now - v.time >= gc_grace]
        for key in old:
            del self.data[key]
        return len(old)

    def _merge(self, key: str, item: Versioned) -> None:
        self._merge_into(self.data, key, item)

    @staticmethod
    def _merge_into(store: dict[str, Versioned], key: str, item: Versioned) -> None:
        if key not in store or store[key] < item:
            store[key] = item

    # -- anti-entropy ----------------------------------------------------------

    def _shared_keys(self, peer: str) -> list[str]:
        n = self._config.n
        return sorted(
            k
            for k in self.data
            if {self.node_id, peer} <= set(preference_list(k, self._config.nodes)[:n])
        )

    def _bucket(self, key: str) -> int:
        return stable_hash(key) % self._config.buckets

    def _leaves(self, peer: str) -> list[bytes]:
        contents: list[list[tuple[str, Versioned]]] = [[] for _ in range(self._config.buckets)]
        for key in self._shared_keys(peer):
            contents[self._bucket(key)].append((key, self.data[key]))
        return [repr(bucket).encode() for bucket in contents]

    def _bucket_items(self, peer: str, buckets: Sequence[int]) -> tuple[tuple[str, Versioned], ...]:
        wanted = set(buckets)
        return tuple(
            (k, self.data[k]) for k in self._shared_keys(peer) if self._bucket(k) in wanted
        )

    def _compare(self, sim: Simulator, peer: str, ranges: Sequence[tuple[int, int, bytes]]) -> None:
        # Buckets are a power of two, so halving a range is exactly RFC 6962's split and
        # MerkleTree(leaves[lo:hi]).root is the hash of that subtree of the full tree.
        leaves = self._leaves(peer)
        deeper: list[tuple[int, int, bytes]] = []
        differing: list[int] = []
        for lo, hi, theirs in ranges:
            if MerkleTree(leaves[lo:hi]).root == theirs:
                continue
            if hi - lo == 1:
                differing.append(lo)
            else:
                mid = (lo + hi) // 2
                deeper += [
                    (lo, mid, MerkleTree(leaves[lo:mid]).root),
                    (mid, hi, MerkleTree(leaves[mid:hi]).root),
                ]
        if deeper:
            self._stats.hashes_sent += len(deeper)
            sim.send(self.node_id, peer, _SyncRanges(tuple(deeper)))
        if differing:
            mine = self._bucket_items(peer, differing)
            self._stats.keys_sent += len(mine)
            sim.send(self.node_id, peer, _SyncBuckets(tuple(differing), mine, reply=True))


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
        if len(nodes) < n or len(set(nodes)) != len(nodes):
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
