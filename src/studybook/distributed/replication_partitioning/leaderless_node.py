"""One node of the leaderless store: a replica and a coordinator in one.

A :class:`StoreNode` plays two roles. As a *coordinator* it stamps a write and
sends it to the key's ``N`` home replicas, or asks them for a read; when the
request's timer fires it finds stand-ins for the homes that did not answer
(the sloppy quorum) or sends the newest version to the replicas that answered
with an older one (read repair). As a *replica* it stores versions, holds
hinted writes for other homes and hands them off, and compares Merkle hashes
with one peer per anti-entropy round.

Invariant: a node's data and hints live on the simulator's durable disk, so a
crash loses only in-flight requests, never an acknowledged write; and a
key's stored version only ever grows (last writer wins).

===============================  ============================================
step                             messages
===============================  ============================================
coordinate_put / coordinate_get  N requests, then one stand-in per silent home
handoff round                    1 per hinted key
anti-entropy round, in sync      1 root hash
anti-entropy round, d diffs      O(d log B) hashes + the differing buckets
===============================  ============================================

>>> from studybook.distributed.replication_partitioning.leaderless import DynamoCluster
>>> c = DynamoCluster(["a", "b", "c"], seed=1)
>>> c.put("cart", "milk", via="a").ok, sorted(c.node("b").data)
(True, ['cart'])

Primary source: G. DeCandia et al., "Dynamo: Amazon's Highly Available
Key-value Store", SOSP 2007, sections 4.3-4.7 and 5.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from studybook.distributed.replication_partitioning.leaderless_messages import (
    Handoff,
    HandoffAck,
    Read,
    ReadReply,
    ReadResult,
    StoreConfig,
    SyncBuckets,
    SyncRanges,
    SyncStats,
    Versioned,
    Write,
    WriteAck,
    WriteResult,
    preference_list,
)
from studybook.distributed.replication_partitioning.partitioner import stable_hash
from studybook.distributed.simulator import BaseNode, Simulator
from studybook.dsa.advanced_structures.merkle import MerkleTree

__all__ = ["StoreNode"]


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
            sim.send(self.node_id, home, Write(req, key, item))
        sim.set_timer(self.node_id, f"req{req}", self._config.timeout)

    def coordinate_get(self, sim: Simulator, req: int, key: str) -> None:
        """Ask the key's N home replicas for their version."""
        self._pending[req] = _Pending("get", key)
        for home in preference_list(key, self._config.nodes)[: self._config.n]:
            sim.send(self.node_id, home, Read(req, key))
        sim.set_timer(self.node_id, f"req{req}", self._config.timeout)

    def on_timer(self, sim: Simulator, name: str) -> None:
        """Request timeouts (sloppy fallback, read repair), handoff and anti-entropy rounds."""
        if name == "handoff":
            for home, items in self.hints.items():
                for key, item in items.items():
                    sim.send(self.node_id, home, Handoff(key, item))
            sim.set_timer(self.node_id, "handoff", cast("float", self._config.handoff_every))
        elif name == "sync":
            peers = [n for n in self._config.nodes if n != self.node_id]
            if peers:  # a one-node cluster has no one to compare with
                peer = peers[self._sync_turn % len(peers)]
                self._sync_turn += 1
                leaves = self._leaves(peer)
                self._stats.hashes_sent += 1
                root = MerkleTree(leaves).root
                sim.send(self.node_id, peer, SyncRanges(((0, len(leaves), root),)))
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
                        sim.send(self.node_id, replica, Write(-1, op.key, newest))
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
                    self.node_id, stand_in, Write(req, op.key, cast("Versioned", op.item), home)
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
            case Write(req, key, item, hint):
                if hint is None:
                    self._merge(key, item)
                else:
                    self._merge_into(self.hints.setdefault(hint, {}), key, item)
                if req >= 0:
                    sim.send(me, src, WriteAck(req))
            case WriteAck(req):
                op = self._pending.get(req)
                if op is not None and op.kind == "put":
                    op.acked.add(src)
                    if len(op.acked) >= self._config.w:
                        self._finish(req, self._write_result(op, ok=True))
            case Read(req, key):
                sim.send(me, src, ReadReply(req, self.data.get(key)))
            case ReadReply(req, item):
                op = self._pending.get(req)
                if op is not None and op.kind == "get":
                    op.replies[src] = item
                    if len(op.replies) >= self._config.r:
                        newest = max(
                            (v for v in op.replies.values() if v is not None), default=None
                        )
                        value = None if newest is None else newest.value
                        self._finish(req, ReadResult(True, value, tuple(sorted(op.replies))))
            case Handoff(key, item):
                self._merge(key, item)
                sim.send(me, src, HandoffAck(key, item))
            case HandoffAck(key, item):
                held = self.hints.get(src, {})
                if held.get(key) == item:
                    del held[key]
                    self._stats.hints_delivered += 1
                    if not held:
                        del self.hints[src]
            case SyncRanges(ranges):
                self._compare(sim, src, ranges)
            case SyncBuckets(buckets, items, reply):
                for key, item in items:
                    self._merge(key, item)
                if reply:
                    mine = self._bucket_items(src, buckets)
                    self._stats.keys_sent += len(mine)
                    sim.send(me, src, SyncBuckets(buckets, mine, reply=False))

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
            sim.send(self.node_id, peer, SyncRanges(tuple(deeper)))
        if differing:
            mine = self._bucket_items(peer, differing)
            self._stats.keys_sent += len(mine)
            sim.send(self.node_id, peer, SyncBuckets(tuple(differing), mine, reply=True))


@dataclass
class _Pending:
    """A request a coordinator is waiting on: who was asked (for which home), who answered."""

    kind: str
    key: str
    item: Versioned | None = None
    sent: dict[str, str] = field(default_factory=dict)  # target -> home it covers
    acked: set[str] = field(default_factory=set)
    replies: dict[str, Versioned | None] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)
