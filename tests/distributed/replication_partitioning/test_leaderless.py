"""The Dynamo-style store: quorums, sloppy quorums, hints, read repair, anti-entropy."""

from __future__ import annotations

import math
import random

import pytest

from studybook.distributed.replication_partitioning import (
    DynamoCluster,
    ReadResult,
    WriteResult,
    preference_list,
)
from studybook.distributed.simulator import run_schedules

NODES = ("a", "b", "c", "d", "e")
KEY = "cart"
HOME, DOWN, CUT, FALLBACK1, FALLBACK2 = preference_list(KEY, NODES)


def test_preference_list_is_a_rotation_of_the_ring_starting_at_the_key():
    for key in ("cart", "user:1", "x"):
        prefs = preference_list(key, NODES)
        assert sorted(prefs) == sorted(NODES)
        ring = preference_list("", NODES)  # any key gives a rotation of one fixed ring
        i = ring.index(prefs[0])
        assert prefs == ring[i:] + ring[:i]


def test_a_healthy_cluster_reads_its_writes():
    cluster = DynamoCluster(NODES, seed=0)
    assert cluster.put(KEY, "milk", via="b").ok
    assert cluster.get(KEY, via="d").value == "milk"
    cluster.run(50)
    assert set(cluster.replicas(KEY).values()) == {"milk"}
    assert cluster.converged()


def _partitioned(sloppy: bool, seed: int = 3) -> DynamoCluster:
    cluster = DynamoCluster(NODES, seed=seed, sloppy=sloppy)
    cluster.sim.crash(DOWN)
    cluster.sim.partition({CUT})
    return cluster


def test_strict_quorum_fails_with_one_home_replica_reachable():
    result = _partitioned(sloppy=False).put(KEY, "eggs", via=HOME)
    assert not result.ok
    assert result.acked == (HOME,)


def test_sloppy_quorum_succeeds_through_stand_ins_and_hints_reach_home_after_healing():
    def check(seed: int) -> None:
        cluster = _partitioned(sloppy=True, seed=seed)
        result = cluster.put(KEY, "eggs", via=HOME)
        assert result.ok
        assert all(stand_in in (FALLBACK1, FALLBACK2) for stand_in, _ in result.hinted)
        assert all(home in (DOWN, CUT) for _, home in result.hinted)
        cluster.run(30)  # every stand-in has its hinted copy by now
        assert cluster.replicas(KEY) == {HOME: "eggs", DOWN: None, CUT: None}
        assert cluster.hints_held() == 2
        cluster.run(300)  # still partitioned and down: hints stay, retried every period
        assert cluster.hints_held() == 2
        cluster.sim.heal()
        cluster.sim.restart(DOWN)
        cluster.run(200)
        assert cluster.replicas(KEY) == {HOME: "eggs", DOWN: "eggs", CUT: "eggs"}
        assert cluster.hints_held() == 0
        assert cluster.stats.hints_delivered == 2
        assert cluster.converged()

    assert run_schedules(20, check) == 20


def test_read_repair_fixes_the_stale_replica_a_read_touches():
    cluster = DynamoCluster(NODES, seed=5, sloppy=False, sync_every=None)
    assert cluster.put(KEY, "old", via=HOME).ok
    cluster.run(30)
    cluster.sim.crash(DOWN)
    assert cluster.put(KEY, "new", via=HOME).ok
    cluster.run(30)
    cluster.sim.restart(DOWN)
    assert cluster.replicas(KEY)[DOWN] == "old"
    assert cluster.get(KEY, via=DOWN).ok
    cluster.run(50)  # the read window closes, and the repair lands
    assert cluster.replicas(KEY)[DOWN] == "new"
    assert cluster.stats.repairs_sent == 1  # only DOWN answered with an older version


def test_without_read_repair_or_anti_entropy_a_missed_write_stays_missed():
    cluster = DynamoCluster(NODES, seed=5, sloppy=False, sync_every=None)
    cluster.sim.crash(DOWN)
    assert cluster.put(KEY, "new", via=HOME).ok
    cluster.sim.restart(DOWN)
    cluster.run(1000)
    assert cluster.replicas(KEY)[DOWN] is None  # the control for the two tests around it
    assert not cluster.converged()


def test_merkle_anti_entropy_converges_every_replica():
    def check(seed: int) -> None:
        cluster = DynamoCluster(NODES, seed=seed, sloppy=False)
        cluster.sim.crash("c")
        keys = [f"k{i}" for i in range(30)]
        for key in keys:
            cluster.put(key, key.upper(), via="a")
        cluster.sim.restart("c")
        assert not cluster.converged()
        cluster.run(1000)
        assert cluster.converged(), cluster.stats
        for key in keys:
            assert set(cluster.replicas(key).values()) == {key.upper()}

    assert run_schedules(10, check) == 10


def test_in_sync_replicas_exchange_only_root_hashes():
    cluster = DynamoCluster(NODES, seed=2)
    for i in range(20):
        cluster.put(f"k{i}", "v", via="a")
    cluster.run(40)
    assert cluster.converged()
    before = (cluster.stats.hashes_sent, cluster.stats.keys_sent)
    cluster.run(500)  # five sync rounds for each of five nodes
    assert cluster.stats.keys_sent == before[1]
    assert cluster.stats.hashes_sent - before[0] == 25


def test_last_writer_wins_keeps_the_later_write():
    cluster = DynamoCluster(NODES, seed=1)
    cluster.put(KEY, "first", via="a")
    cluster.put(KEY, "second", via="e")
    cluster.run(300)
    assert set(cluster.replicas(KEY).values()) == {"second"}


def test_a_write_taken_only_by_stand_ins_is_not_readable_until_handoff():
    # Every home down: the sloppy write succeeds through stand-ins, but reads ask the homes.
    cluster = DynamoCluster(NODES, seed=3, handoff_every=30.0, sync_every=None)
    for home in (HOME, DOWN, CUT):
        cluster.sim.crash(home)
    result = cluster.put(KEY, "eggs", via=FALLBACK1)
    assert result.ok
    assert len(result.hinted) == 2
    assert all(home in (HOME, DOWN, CUT) for _, home in result.hinted)
    assert {stand_in for stand_in, _ in result.hinted} == {FALLBACK1, FALLBACK2}
    assert cluster.get(KEY, via=FALLBACK1) == ReadResult(False, None, ())
    for home in (HOME, DOWN, CUT):
        cluster.sim.restart(home)
    cluster.run(200)
    assert cluster.get(KEY, via=FALLBACK2).value == "eggs"


def test_no_acknowledged_write_is_lost_under_random_faults():
    # Random crashes, restarts and partitions between sequential puts; after healing, each
    # key holds its last acknowledged value or a later (possibly failed) put's, never older.
    names = "abcdef"

    def check(seed: int) -> None:
        rng = random.Random(seed)
        cluster = DynamoCluster(list(names), seed=seed, sync_every=60.0, handoff_every=30.0)
        issued: dict[str, list[str]] = {}
        last_ok: dict[str, str] = {}
        for i in range(40):
            roll = rng.random()
            up = [n for n in names if cluster.sim.is_up(n)]
            if roll < 0.1 and len(up) > 2:
                cluster.sim.crash(rng.choice(up))
            elif roll < 0.2:
                for n in names:
                    if not cluster.sim.is_up(n):
                        cluster.sim.restart(n)
            elif roll < 0.25:
                cluster.sim.partition(set(rng.sample(names, 2)))
            elif roll < 0.3:
                cluster.sim.heal()
            else:
                key, value = f"k{rng.randrange(5)}", f"v{i}"
                issued.setdefault(key, []).append(value)
                if cluster.put(key, value, via=rng.choice(up)).ok:
                    last_ok[key] = value
        cluster.sim.heal()
        for n in names:
            if not cluster.sim.is_up(n):
                cluster.sim.restart(n)
        cluster.run(3000)
        assert cluster.converged(), seed
        for key, value in last_ok.items():
            (final,) = set(cluster.replicas(key).values())
            assert final in issued[key][issued[key].index(value) :], (seed, key)

    assert run_schedules(15, check) == 15


def test_a_delete_writes_a_tombstone_that_wins_over_the_older_value():
    cluster = DynamoCluster(NODES, seed=2)
    assert cluster.put(KEY, "milk", via="a").ok
    assert cluster.delete(KEY, via="b").ok
    result = cluster.get(KEY, via="c")
    assert result.ok
    assert result.value is None
    cluster.run(300)
    held = [cluster.node(h).data[KEY] for h in (HOME, DOWN, CUT)]
    assert all(item.value is None for item in held)  # tombstones, not missing keys
    assert cluster.compact() == 0  # far younger than the 10-day default grace
    assert cluster.put(KEY, "eggs", via="a").ok  # a later write wins over the tombstone
    assert cluster.get(KEY, via="d").value == "eggs"


def _delete_while_a_replica_is_down(gc_grace: float) -> tuple[DynamoCluster, list[int]]:
    # Strict quorum so no hint carries the tombstone to DOWN: only anti-entropy can.
    cluster = DynamoCluster(NODES, seed=5, sloppy=False, gc_grace=gc_grace)
    assert cluster.put(KEY, "milk", via=HOME).ok
    cluster.run(30)
    assert cluster.replicas(KEY) == {HOME: "milk", DOWN: "milk", CUT: "milk"}
    cluster.sim.crash(DOWN)
    assert cluster.delete(KEY, via=HOME).ok
    purged = [cluster.compact()]  # tombstones younger than the grace period stay
    cluster.run(60)
    purged.append(cluster.compact())
    cluster.sim.restart(DOWN)
    cluster.run(1000)
    return cluster, purged


def test_purging_tombstones_before_repair_resurrects_the_deleted_value():
    cluster, purged = _delete_while_a_replica_is_down(gc_grace=50.0)
    assert purged == [0, 2]  # both tombstones gone before DOWN came back
    assert cluster.replicas(KEY) == {HOME: "milk", DOWN: "milk", CUT: "milk"}  # zombie
    assert cluster.get(KEY, via=FALLBACK1).value == "milk"


def test_the_grace_period_keeps_the_tombstone_until_anti_entropy_repairs_the_replica():
    cluster, purged = _delete_while_a_replica_is_down(gc_grace=864000.0)
    assert purged == [0, 0]
    assert cluster.replicas(KEY) == {HOME: None, DOWN: None, CUT: None}
    assert cluster.node(DOWN).data[KEY].value is None  # repaired to the tombstone
    assert cluster.get(KEY, via=FALLBACK1).value is None
    assert cluster.converged()


def test_a_down_coordinator_is_refused():
    cluster = DynamoCluster(NODES, seed=0)
    cluster.sim.crash("a")
    with pytest.raises(RuntimeError, match="coordinator 'a' is down"):
        cluster.put(KEY, "v", via="a")
    with pytest.raises(KeyError, match="no node 'z'"):
        cluster.get(KEY, via="z")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"nodes": "abc"}, TypeError, "nodes must be a sequence"),
        (
            {"nodes": ["a", "a", "b"]},
            ValueError,
            r"node names must be distinct, got \['a', 'a', 'b'\]",
        ),
        ({"nodes": ["a", "b"]}, ValueError, r"need at least n = 3 nodes, got \['a', 'b'\]"),
        ({"n": 0}, ValueError, "n must be >= 1, got 0"),
        ({"n": True}, TypeError, "n must be an int"),
        ({"r": 0}, ValueError, r"r must be in \[1, n = 3\], got 0"),
        ({"w": 4}, ValueError, r"w must be in \[1, n = 3\], got 4"),
        ({"w": 2.0}, TypeError, "w must be an int"),
        ({"buckets": 12}, ValueError, r"buckets must be a power of two <= 2\*\*16, got 12"),
        ({"buckets": 2**40}, ValueError, "buckets must be a power of two"),
        ({"sloppy": "no"}, TypeError, "sloppy must be a bool, got str: 'no'"),
        ({"timeout": math.nan}, ValueError, "timeout must be finite and > 0, got nan"),
        ({"timeout": None}, TypeError, "timeout must be a number"),
        ({"sync_every": -1.0}, ValueError, "sync_every must be finite and > 0, got -1.0"),
        ({"handoff_every": math.inf}, ValueError, "handoff_every must be finite"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
        ({"gc_grace": math.nan}, ValueError, "gc_grace must be finite and > 0, got nan"),
        ({"gc_grace": -5.0}, ValueError, "gc_grace must be finite and > 0, got -5.0"),
        ({"gc_grace": None}, TypeError, "gc_grace must be a number, got None"),
        ({"gc_grace": True}, TypeError, "gc_grace must be a number, got True"),
    ],
)
def test_bad_cluster_arguments_are_rejected(kwargs, error, message):
    args = {"nodes": NODES, **kwargs}
    with pytest.raises(error, match=message):
        DynamoCluster(**args)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda c: c.put(1, "v", via="a"), TypeError, "key must be a str, got int: 1"),
        (lambda c: c.put("k", None, via="a"), TypeError, "value must be a str"),
        (lambda c: c.get(b"k", via="a"), TypeError, "key must be a str"),
        (lambda c: c.delete(None, via="a"), TypeError, "key must be a str, got NoneType: None"),
        (lambda c: c.delete("k", via="zz"), KeyError, "no node 'zz'"),
        (lambda c: c.run(-1), ValueError, "duration must be finite and >= 0, got -1"),
        (lambda c: c.run(math.nan), ValueError, "duration must be finite"),
        (lambda c: c.run("5"), TypeError, "duration must be a number"),
        (lambda c: c.node("zz"), KeyError, "no node 'zz'"),
    ],
)
def test_bad_requests_are_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call(DynamoCluster(NODES, seed=0))


def test_a_one_node_cluster_runs_its_anti_entropy_timer_without_peers():
    # Regression: the sync timer picked a peer modulo zero peers (ZeroDivisionError).
    cluster = DynamoCluster(["solo"], n=1, r=1, w=1, seed=0)
    assert cluster.put(KEY, "v", via="solo") == WriteResult(True, ("solo",), ())
    cluster.run(500)  # five anti-entropy periods
    assert cluster.get(KEY, via="solo") == ReadResult(True, "v", ("solo",))
    assert cluster.stats.hashes_sent == 0
    assert cluster.converged()


def test_the_split_modules_are_one_api():
    # leaderless.py re-exports what leaderless_messages and leaderless_node define.
    from studybook.distributed.replication_partitioning import leaderless
    from studybook.distributed.replication_partitioning import leaderless_messages as msgs
    from studybook.distributed.replication_partitioning import leaderless_node as node_mod

    assert leaderless.StoreNode is node_mod.StoreNode
    for name in ("ReadResult", "StoreConfig", "SyncStats", "Versioned", "WriteResult"):
        assert getattr(leaderless, name) is getattr(msgs, name)
    assert leaderless.preference_list is msgs.preference_list
    assert set(leaderless.__all__) == {
        "DynamoCluster",
        "StoreNode",
        "preference_list",
        "ReadResult",
        "StoreConfig",
        "SyncStats",
        "Versioned",
        "WriteResult",
    }


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: preference_list(KEY, []), ValueError, r"need at least one node, got \[\]"),
        (lambda: preference_list(KEY, "abc"), TypeError, "nodes must be a sequence"),
        (lambda: preference_list(KEY, ["a", 1]), TypeError, "key must be a str, got int: 1"),
        (lambda: preference_list(7, NODES), TypeError, "key must be a str, got int: 7"),
    ],
)
def test_bad_preference_list_arguments_are_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call()
