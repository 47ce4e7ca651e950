"""The Redis recipes, each run through redis-py against MiniRedis and a real redis-server."""

from __future__ import annotations

import io
import threading
import time

import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studybook.senior.caching.redis_aside import RedisCacheAside
from studybook.senior.datastore_comparison import (
    Leaderboard,
    ReliableQueue,
    SessionStore,
    StreamGroup,
    demo,
)

FIXTURE_OK = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def test_cache_aside_counts_hits_and_misses_and_sets_the_ttl(client):
    loads: list[str] = []

    def loader(key: str) -> str:
        loads.append(key)
        return f"v-{key}-{len(loads)}"

    cache = RedisCacheAside(client, loader, ttl=30)
    assert [cache.get(k) for k in "abab"] == ["v-a-1", "v-b-2", "v-a-1", "v-b-2"]
    assert (cache.hits, cache.misses, loads) == (2, 2, ["a", "b"])
    assert client.ttl("cache:a") == 30
    cache.invalidate("a")
    assert client.exists("cache:a") == 0
    assert cache.get("a") == "v-a-3"  # reloaded from the source of truth after a write


def test_sessions_slide_their_ttl_and_expire(client):
    sessions = SessionStore(client, ttl=600)
    sid = sessions.create({"user": "ann", "role": "admin"})
    assert len(sid) >= 20  # 16 random bytes, base64url
    client.expire(f"session:{sid}", 5)
    assert sessions.get(sid) == {"user": "ann", "role": "admin"}
    assert client.ttl(f"session:{sid}") == 600  # reading refreshed it
    client.pexpire(f"session:{sid}", 1)
    time.sleep(0.02)
    assert sessions.get(sid) is None
    sid2 = sessions.create({"user": "bob"})
    assert sessions.destroy(sid2) is True
    assert sessions.get(sid2) is None


@FIXTURE_OK
@given(
    ops=st.lists(
        st.tuples(st.sampled_from(["ann", "bob", "cy", "dee"]), st.integers(-50, 100)),
        max_size=20,
    ),
    k=st.integers(1, 5),
)
def test_leaderboard_matches_a_dict_model(client, ops, k):
    client.delete("board")
    board = Leaderboard(client, "board")
    model: dict[str, int] = {}
    for player, points in ops:
        model[player] = model.get(player, 0) + points
        assert board.add(player, points) == model[player]
    ranked = sorted(model.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
    assert board.top(k) == [(p, float(s)) for p, s in ranked[:k]]
    for i, (player, _) in enumerate(ranked):
        assert board.rank(player) == i
    assert board.rank("nobody") is None


@FIXTURE_OK
@given(
    ops=st.lists(
        st.one_of(
            st.tuples(st.just("push"), st.integers(0, 99)),
            st.tuples(st.sampled_from(["claim", "ack", "requeue"]), st.sampled_from("xy")),
        ),
        max_size=30,
    )
)
def test_reliable_queue_never_loses_or_duplicates_a_job(client, ops):
    client.flushall()
    q = ReliableQueue(client, "jobs")
    queue: list[str] = []  # oldest first
    held: dict[str, list[str]] = {"x": [], "y": []}
    done: list[str] = []
    pushed = 0
    for op, arg in ops:
        if op == "push":
            pushed += 1
            job = f"job{pushed}"
            q.push(job)
            queue.append(job)
        elif op == "claim" and queue:  # an empty queue would make claim wait
            job = queue.pop(0)
            assert q.claim(str(arg), timeout=1) == job
            held[str(arg)].append(job)
        elif op == "ack" and held[str(arg)]:
            job = held[str(arg)].pop(0)
            assert q.ack(str(arg), job) is True
            assert q.ack(str(arg), job) is False
            done.append(job)
        elif op == "requeue":
            assert q.requeue(str(arg)) == len(held[str(arg)])
            queue[:0] = held[str(arg)]  # the dead worker's jobs go first, oldest first
            held[str(arg)] = []
        for worker in "xy":
            assert sorted(q.held(worker)) == sorted(held[worker])
        everywhere = queue + held["x"] + held["y"] + done
        assert sorted(everywhere) == sorted(f"job{i}" for i in range(1, pushed + 1))
    assert client.llen("jobs") == len(queue)


def test_claim_on_an_empty_queue_times_out_with_none(client):
    assert ReliableQueue(client, "jobs").claim("w", timeout=0.05) is None


def test_claim_blocks_until_a_job_is_pushed(client, port, wait_parked):
    worker_client = redis.Redis(port=port, decode_responses=True, socket_timeout=10)
    q = ReliableQueue(worker_client, "jobs")
    got: list[str | None] = []
    worker = threading.Thread(target=lambda: got.append(q.claim("w", timeout=5)))
    worker.start()
    try:
        wait_parked(1)  # the worker is blocked in BLMOVE on the empty queue
        assert got == []
        client.lpush("jobs", "late")
        worker.join(10)
    finally:
        worker.join(10)
        worker_client.close()
    assert got == ["late"]
    assert q.held("w") == ["late"]
    assert client.llen("jobs") == 0


def test_stream_consumer_group_delivers_once_and_reclaims_unacked(client):
    group = StreamGroup(client, "orders", "billing")
    group.create()
    ids = [group.add({"order": str(i)}) for i in range(3)]
    first = group.read("a", count=2)
    assert [i for i, _ in first] == ids[:2]
    assert first[0][1] == {"order": "0"}
    assert [i for i, _ in group.read("b", count=5)] == ids[2:]  # never redelivered to a
    assert group.read("b", count=5) == []
    assert group.ack(ids[0], ids[2]) == 2
    assert group.ack(ids[0]) == 0  # already acknowledged
    assert group.pending() == 1
    assert group.reclaim("b", min_idle_ms=0) == [ids[1]]  # a "died" holding it
    assert group.ack(ids[1]) == 1
    assert group.pending() == 0
    assert client.xlen("orders") == 3  # unlike a list queue, the log keeps the entries


@FIXTURE_OK
@given(
    ops=st.lists(
        st.one_of(
            st.tuples(st.just("add"), st.integers(0, 99)),
            st.tuples(st.just("read"), st.sampled_from("xy"), st.integers(1, 3)),
            st.tuples(st.just("ack"), st.sampled_from("xy")),
            st.tuples(st.just("reclaim"), st.sampled_from("xy")),
        ),
        max_size=25,
    )
)
def test_stream_group_matches_a_pending_list_model(client, ops):
    """Every entry is delivered once by read, stays pending until acked, moves on reclaim."""
    client.delete("orders")
    group = StreamGroup(client, "orders", "billing")
    group.create()
    log: list[str] = []  # every id, oldest first
    delivered = 0  # how many of log the group has handed out
    pending: dict[str, str] = {}  # id -> consumer
    for op in ops:
        if op[0] == "add":
            log.append(group.add({"n": str(op[1])}))
        elif op[0] == "read":
            _, consumer, count = op
            got = [i for i, _ in group.read(consumer, count)]
            assert got == log[delivered : delivered + count]
            delivered += len(got)
            pending.update(dict.fromkeys(got, consumer))
        elif op[0] == "ack":
            mine = sorted((i for i, c in pending.items() if c == op[1]), key=_stream_key)
            if mine:
                assert group.ack(*mine[:1]) == 1
                del pending[mine[0]]
        else:
            assert group.reclaim(op[1], min_idle_ms=0) == sorted(pending, key=_stream_key)
            pending = dict.fromkeys(pending, op[1])
        assert group.pending() == len(pending)


def _stream_key(entry_id: str) -> tuple[int, int]:
    ms, seq = entry_id.split("-")
    return int(ms), int(seq)


def test_demo_tells_the_whole_story():
    out = io.StringIO()
    demo(out)
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("hits 1, misses 1")
    assert lines[-2].endswith("w2 claims 'resize:1' and acks: True")
    assert lines[-1].startswith("queue: lengths afterwards [0, 0, 0]")
    assert len(lines) == 5


@pytest.mark.parametrize(
    ("make", "error", "shown"),
    [
        (lambda: SessionStore(None, ttl=0), ValueError, "0"),
        (lambda: SessionStore(None, ttl=5).create({}), ValueError, "{}"),
        (lambda: SessionStore(None, ttl=5).get(""), ValueError, "''"),
        (lambda: SessionStore(None, ttl=5, token=lambda: "").create({"a": "b"}), ValueError, "''"),
        (lambda: Leaderboard(None, "b").top(2**63), ValueError, str(2**63)),
        (lambda: Leaderboard(None, ""), ValueError, "''"),
        (lambda: Leaderboard(None, "b").add("p", float("nan")), ValueError, "nan"),
        (lambda: Leaderboard(None, "b").add("p", float("inf")), ValueError, "inf"),
        (lambda: Leaderboard(None, "b").top(0), ValueError, "0"),
        (lambda: Leaderboard(None, "b").top(2.5), TypeError, "2.5"),
        (lambda: ReliableQueue(None, "q").claim("w", timeout=-1), ValueError, "-1"),
        (lambda: ReliableQueue(None, "q").claim("", timeout=1), ValueError, "''"),
        (lambda: ReliableQueue(None, "q").push(None), TypeError, "None"),
        (lambda: StreamGroup(None, "s", "g").add({}), ValueError, "{}"),
        (lambda: StreamGroup(None, "s", "g").read("c", 0), ValueError, "0"),
        (lambda: StreamGroup(None, "s", "g").ack(), ValueError, "none"),
        (lambda: StreamGroup(None, "s", "g").reclaim("c", -5), ValueError, "-5"),
    ],
)
def test_bad_input_is_refused_with_the_value_in_the_message(make, error, shown):
    with pytest.raises(error, match=None) as info:
        make()
    assert shown in str(info.value)
