"""Streams and consumer groups: the clock, the AOF, the data structure against a model.

Replies are checked byte for byte against a real redis-server in
``test_miniredis_differential.py``; this file covers what a differential test
cannot: auto ids and idle times on a fake clock, replaying the AOF to the very
same state, and :class:`Stream` / :class:`ConsumerGroup` against a plain model.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import redis
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from studybook.senior.build_redis.commands import Context, execute, run
from studybook.senior.build_redis.persistence import AppendOnlyFile
from studybook.senior.build_redis.processes import miniredis_process
from studybook.senior.build_redis.store import Store
from studybook.senior.build_redis.stream import (
    MAX_ID,
    ConsumerGroup,
    PendingEntry,
    Stream,
    check_id,
    format_id,
)


def _clocked(start: float = 1000.0) -> tuple[Context, list[float]]:
    now = [start]
    return Context(store=Store(clock=lambda: now[0])), now


def _ids(reply: bytes) -> list[bytes]:
    """The stream ids in a reply, in order (they are the only bulk strings with a dash)."""
    parts = reply.split(b"\r\n")
    return [p for p in parts if p[:1].isdigit() and b"-" in p]


# ---------------------------------------------------------------- the clock


def test_auto_ids_take_the_clock_and_never_go_back():
    ctx, now = _clocked(1000.0)
    assert run(ctx, "XADD", "s", "*", "f", "v") == b"$9\r\n1000000-0\r\n"
    assert run(ctx, "XADD", "s", "*", "f", "v") == b"$9\r\n1000000-1\r\n"  # same millisecond
    now[0] = 999.0  # the clock jumps back: ids still increase
    assert run(ctx, "XADD", "s", "*", "f", "v") == b"$9\r\n1000000-2\r\n"
    now[0] = 1000.5
    assert run(ctx, "XADD", "s", "*", "f", "v") == b"$9\r\n1000500-0\r\n"
    assert run(ctx, "XADD", "s", "1000500-*", "f", "v") == b"$9\r\n1000500-1\r\n"
    assert run(ctx, "TYPE", "s") == b"+stream\r\n"
    assert run(ctx, "GET", "s").startswith(b"-WRONGTYPE")
    assert run(ctx, "LPUSH", "s", "x").startswith(b"-WRONGTYPE")


def test_idle_times_and_min_idle_follow_the_store_clock():
    ctx, now = _clocked(0.0)
    run(ctx, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    run(ctx, "XADD", "s", "1-1", "job", "a")
    run(ctx, "XADD", "s", "2-1", "job", "b")
    run(ctx, "XREADGROUP", "GROUP", "g", "dead", "STREAMS", "s", ">")
    now[0] = 1.5
    assert run(ctx, "XPENDING", "s", "g", "-", "+", "10") == (
        b"*2\r\n*4\r\n$3\r\n1-1\r\n$4\r\ndead\r\n:1500\r\n:1\r\n"
        b"*4\r\n$3\r\n2-1\r\n$4\r\ndead\r\n:1500\r\n:1\r\n"
    )
    assert run(ctx, "XPENDING", "s", "g", "IDLE", "1501", "-", "+", "10") == b"*0\r\n"
    reply = run(ctx, "XAUTOCLAIM", "s", "g", "live", "2000", "0")
    assert reply == b"*3\r\n$3\r\n0-0\r\n*0\r\n*0\r\n"  # not idle long enough yet
    now[0] = 2.0
    reply = run(ctx, "XAUTOCLAIM", "s", "g", "live", "2000", "0", "COUNT", "1", "JUSTID")
    assert reply == b"*3\r\n$3\r\n2-1\r\n*1\r\n$3\r\n1-1\r\n*0\r\n"  # cursor: where to go on
    assert run(ctx, "XCLAIM", "s", "g", "live", "0", "2-1", "IDLE", "500") == (
        b"*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$3\r\njob\r\n$1\r\nb\r\n"
    )
    assert run(ctx, "XPENDING", "s", "g", "-", "+", "10") == (
        b"*2\r\n*4\r\n$3\r\n1-1\r\n$4\r\nlive\r\n:0\r\n:1\r\n"  # JUSTID: count unchanged
        b"*4\r\n$3\r\n2-1\r\n$4\r\nlive\r\n:500\r\n:2\r\n"
    )


# ---------------------------------------------------------------- the AOF


def test_clock_dependent_writes_are_logged_in_a_form_that_replays_exactly():
    ctx, _ = _clocked(5.0)
    run(ctx, "XGROUP", "CREATE", "s", "g", "0", "MKSTREAM")
    run(ctx, "XADD", "s", "MAXLEN", "~", "5", "*", "f", "v")
    run(ctx, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")
    assert ctx.store.effects == [
        [b"XGROUP", b"CREATE", b"s", b"g", b"0", b"MKSTREAM"],
        [b"XADD", b"s", b"MAXLEN", b"=", b"1", b"5000-0", b"f", b"v"],
        [b"XGROUP", b"CREATECONSUMER", b"s", b"g", b"c"],
        [
            *(b"XCLAIM", b"s", b"g", b"c", b"0", b"5000-0", b"TIME", b"5000", b"RETRYCOUNT"),
            *(b"1", b"FORCE", b"JUSTID", b"LASTID", b"5000-0"),
        ],
    ]


def _snapshot(ctx: Context) -> dict[bytes, object]:
    """Everything a stream holds: entries, last id, and each group's full state."""
    out: dict[bytes, object] = {}
    for key in sorted(ctx.store.live_keys()):
        value = ctx.store.get(key)
        if isinstance(value, Stream):
            value._check_invariants()
            groups = {
                name: (g.last_id, dict(g.pel), {c: list(ids) for c, ids in g.consumers.items()})
                for name, g in value.groups.items()
            }
            out[key] = (value.range((0, 0), MAX_ID), value.last_id, groups)
        else:
            out[key] = value
    return out


def _c(*parts: str | st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, ...]]:
    """A command strategy: fixed words as they are, strategies drawn."""
    return st.tuples(*(st.just(p) if isinstance(p, str) else p for p in parts))


KEY = st.sampled_from(["s", "s", "s", "t"])
WHO = st.sampled_from(["c1", "c2"])
SMALL_ID = st.sampled_from(["1-1", "2-0", "3", "1-*", "5-*", "0-1"])
STREAM_WRITES = st.one_of(
    _c("XADD", KEY, st.sampled_from(["*", "*", "9-*"]), "f", WHO),
    _c("XADD", KEY, SMALL_ID, "f", "v"),
    _c("XADD", KEY, "MAXLEN", st.sampled_from(["=", "~"]), "2", "*", "f", "v"),
    _c("XGROUP", "CREATE", KEY, "g", st.sampled_from(["0", "$"]), "MKSTREAM"),
    _c("XGROUP", "SETID", KEY, "g", "0"),
    _c("XGROUP", st.sampled_from(["CREATECONSUMER", "DELCONSUMER"]), KEY, "g", WHO),
    _c("XREADGROUP", "GROUP", "g", WHO, st.sampled_from(["NOACK", "COUNT"]), "1", "STREAMS", KEY)
    .map(lambda c: c if c[4] == "COUNT" else (*c[:5], *c[6:]))
    .flatmap(lambda c: _c(*c, st.sampled_from([">", "0"]))),
    _c("XACK", KEY, "g", SMALL_ID),
    _c("XDEL", KEY, SMALL_ID),
    _c("XTRIM", KEY, "MAXLEN", st.sampled_from(["0", "1", "3"])),
    _c("XAUTOCLAIM", KEY, "g", WHO, st.sampled_from(["0", "700"]), "0", "COUNT", "1"),
    _c("XCLAIM", KEY, "g", WHO, "300", SMALL_ID, st.sampled_from(["JUSTID", "FORCE"])),
    _c("XCLAIM", KEY, "g", WHO, "0", SMALL_ID, "IDLE", "1000"),
    _c("tick", st.sampled_from(["0.25", "0.5"])),
)


_ADD = ("XADD", "s", "1-1", "f", "v")
_READ = ("XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "s")


@settings(max_examples=100, deadline=None)
@given(commands=st.lists(STREAM_WRITES, max_size=30), in_multi=st.booleans())
@example(
    commands=[_ADD, ("XREADGROUP", "GROUP", "g", "c1", "NOACK", "STREAMS", "s", ">")],
    in_multi=False,
)
@example(commands=[_ADD, (*_READ, ">"), ("tick", "0.5"), (*_READ, "0")], in_multi=False)
@example(
    commands=[_ADD, (*_READ, ">"), ("XDEL", "s", "1-1"), ("XAUTOCLAIM", "s", "g", "c2", "0", "0")],
    in_multi=True,
)
def test_replaying_the_aof_rebuilds_the_same_streams_and_groups(commands, in_multi):
    ctx, now = _clocked(1.0)
    run(ctx, "XGROUP", "CREATE", "s", "g", "0", "MKSTREAM")
    for command in commands:
        if command[0] == "tick":
            now[0] += float(command[1])
            continue
        if in_multi:
            run(ctx, "MULTI")
        run(ctx, *command)
        if in_multi:
            run(ctx, "EXEC")
    with tempfile.TemporaryDirectory() as tmp:
        aof = AppendOnlyFile(Path(tmp) / "streams.aof")
        aof.append(ctx.store.effects)
        aof.close()
        now[0] += 60.0  # the restart happens later: nothing may depend on the replay's clock
        replayed = Context(store=Store(clock=lambda: now[0]))
        AppendOnlyFile(Path(tmp) / "streams.aof").load(replayed)
    assert _snapshot(replayed) == _snapshot(ctx)


def test_a_consumer_group_survives_a_server_restart(tmp_path):
    aof = tmp_path / "streams.aof"
    with miniredis_process(extra=["--appendonly", str(aof)]) as (port, _):
        r = redis.Redis(port=port, decode_responses=True)
        r.xgroup_create("orders", "billing", id="$", mkstream=True)
        ids = [r.xadd("orders", {"n": str(i)}) for i in range(3)]
        r.xreadgroup("billing", "w1", {"orders": ">"}, count=2)
        r.xack("orders", "billing", ids[0])
        before = r.xpending_range("orders", "billing", "-", "+", 10)
        r.close()
    with miniredis_process(extra=["--appendonly", str(aof)]) as (port, _):
        r = redis.Redis(port=port, decode_responses=True)
        assert [i for i, _ in r.xrange("orders")] == ids
        after = r.xpending_range("orders", "billing", "-", "+", 10)
        assert [(p["message_id"], p["consumer"], p["times_delivered"]) for p in after] == [
            (ids[1], "w1", 1)
        ]
        assert after[0]["time_since_delivered"] >= before[0]["time_since_delivered"]
        # the group's position survived too: only the never-delivered entry is new
        assert r.xreadgroup("billing", "w2", {"orders": ">"}) == [
            ["orders", [(ids[2], {"n": "2"})]]
        ]
        r.close()


# ---------------------------------------------------------------- the data structure


class StreamMachine(RuleBasedStateMachine):
    """:class:`Stream` and one :class:`ConsumerGroup` against a list and two dicts."""

    def __init__(self) -> None:
        super().__init__()
        self.stream = Stream()
        self.group = ConsumerGroup(last_id=(0, 0))
        self.stream.groups[b"g"] = self.group
        self.entries: list[tuple[tuple[int, int], list[bytes]]] = []
        self.last = (0, 0)
        self.owner: dict[tuple[int, int], bytes] = {}  # the PEL: id -> consumer

    @rule(ms=st.integers(0, 3), seq=st.integers(0, 3), value=st.binary(max_size=3))
    def append(self, ms, seq, value):
        entry_id = (ms, seq)
        if entry_id <= self.last:
            with pytest.raises(ValueError, match="id must exceed"):
                self.stream.append(entry_id, [b"f", value])
            return
        self.stream.append(entry_id, [b"f", value])
        self.entries.append((entry_id, [b"f", value]))
        self.last = entry_id

    @rule(now=st.integers(0, 10**15))
    def next_id(self, now):
        got = self.stream.next_id(now)
        assert got > self.last
        assert got == ((now, 0) if now > self.last[0] else (self.last[0], self.last[1] + 1))

    @rule(pick=st.integers(0, 20))
    def delete(self, pick):
        entry_id = (pick % 4, pick // 4 % 4)
        present = any(i == entry_id for i, _ in self.entries)
        assert self.stream.delete(entry_id) is present
        self.entries = [e for e in self.entries if e[0] != entry_id]

    @rule(maxlen=st.integers(0, 4))
    def trim(self, maxlen):
        removed = max(0, len(self.entries) - maxlen)
        assert self.stream.trim(maxlen=maxlen) == removed
        del self.entries[:removed]

    @rule(lo=st.integers(0, 15), hi=st.integers(0, 15), count=st.integers(0, 3), rev=st.booleans())
    def range(self, lo, hi, count, rev):
        start, end = (lo // 4, lo % 4), (hi // 4, hi % 4)
        want = [e for e in self.entries if start <= e[0] <= end]
        if rev:
            want.reverse()
        assert self.stream.range(start, end, count, reverse=rev) == (
            want[:count] if count else want
        )

    @rule(consumer=st.sampled_from([b"a", b"b"]), now=st.integers(0, 100))
    def deliver_next(self, consumer, now):
        fresh = [i for i, _ in self.entries if i > self.group.last_id]
        if fresh:
            self.group.deliver(fresh[0], consumer, now)
            self.group.last_id = fresh[0]
            self.owner[fresh[0]] = consumer

    @precondition(lambda self: self.owner)
    @rule(pick=st.integers(0, 100), consumer=st.sampled_from([b"a", b"b", b"c"]))
    def claim(self, pick, consumer):
        entry_id = sorted(self.owner)[pick % len(self.owner)]
        nack = self.group.claim(entry_id, consumer)
        assert nack.consumer == consumer
        self.owner[entry_id] = consumer

    @rule(pick=st.integers(0, 20))
    def ack(self, pick):
        entry_id = (pick % 4, pick // 4 % 4)
        assert self.group.ack(entry_id) is (entry_id in self.owner)
        self.owner.pop(entry_id, None)

    @rule(consumer=st.sampled_from([b"a", b"b", b"c"]))
    def delete_consumer(self, consumer):
        if consumer in self.group.consumers:
            mine = [i for i, c in self.owner.items() if c == consumer]
            assert self.group.delete_consumer(consumer) == len(mine)
            for entry_id in mine:
                del self.owner[entry_id]

    @invariant()
    def matches_the_model(self):
        self.stream._check_invariants()
        assert len(self.stream) == len(self.entries)
        assert self.stream.last_id == self.last
        assert self.group.pending_ids((0, 0), MAX_ID) == sorted(self.owner)
        for consumer in (b"a", b"b", b"c"):
            mine = sorted(i for i, c in self.owner.items() if c == consumer)
            assert self.group.pending_ids((0, 0), MAX_ID, consumer) == mine


TestStreamMachine = StreamMachine.TestCase
TestStreamMachine.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)


def test_a_redelivered_pending_entry_changes_owner_and_starts_over():
    group = ConsumerGroup(last_id=(0, 0))
    assert group.deliver((1, 0), b"a", now=5) is True
    group.pel[(1, 0)].delivery_count = 4
    assert group.deliver((1, 0), b"b", now=9) is False  # XGROUP SETID moved the group back
    assert group.pel == {(1, 0): PendingEntry(b"b", 9, 1)}
    assert group.consumers == {b"a": [], b"b": [(1, 0)]}
    group._check_invariants()


def test_an_emptied_stream_is_kept_with_its_groups():
    ctx = Context()
    run(ctx, "XADD", "s", "1-1", "f", "v")
    run(ctx, "XGROUP", "CREATE", "s", "g", "0")
    assert run(ctx, "XDEL", "s", "1-1") == b":1\r\n"
    assert run(ctx, "EXISTS", "s") == b":1\r\n"
    assert run(ctx, "XADD", "s", "1-1", "f", "v").startswith(b"-ERR The ID specified in XADD")
    ctx.store._check_invariants()


def test_a_blocking_read_inside_multi_answers_null_at_once():
    ctx = Context()
    ctx.can_block = True
    run(ctx, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    assert execute(ctx, [b"XREAD", b"BLOCK", b"0", b"STREAMS", b"s", b"$"]) == b""
    assert ctx.block_timeout == 0.0  # parked: the server would wait
    ctx.block_timeout = None
    run(ctx, "MULTI")
    run(ctx, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    assert run(ctx, "EXEC") == b"*1\r\n*-1\r\n"


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "error", "shown"),
    [
        (lambda: Stream().append((1,), [b"f", b"v"]), TypeError, "(1,)"),
        (lambda: Stream().append((True, 0), [b"f", b"v"]), TypeError, "(True, 0)"),
        (lambda: Stream().append((1.5, 0), [b"f", b"v"]), TypeError, "(1.5, 0)"),
        (lambda: Stream().append((-1, 0), [b"f", b"v"]), ValueError, "(-1, 0)"),
        (lambda: Stream().append((2**64, 0), [b"f", b"v"]), ValueError, str(2**64)),
        (lambda: Stream().append((1, 0), []), ValueError, "[]"),
        (lambda: Stream().append((1, 0), [b"f"]), ValueError, "[b'f']"),
        (lambda: Stream().append((1, 0), ["f", "v"]), TypeError, "['f', 'v']"),
        (lambda: Stream().append((0, 0), [b"f", b"v"]), ValueError, "(0, 0)"),
        (lambda: Stream().trim(), ValueError, "None"),
        (lambda: Stream().trim(maxlen=1, minid=(1, 0)), ValueError, "(1, 0)"),
        (lambda: Stream().trim(maxlen=-1), ValueError, "-1"),
        (lambda: Stream().trim(maxlen=True), TypeError, "True"),
        (lambda: Stream().trim(maxlen=float("nan")), TypeError, "nan"),
        (lambda: Stream().trim(maxlen=1, limit=-5), ValueError, "-5"),
        (lambda: Stream().trim(minid=(1, float("inf"))), TypeError, "inf"),
        (lambda: check_id("1-0"), TypeError, "'1-0'"),
        (lambda: ConsumerGroup(last_id=(0, 0)).claim((9, 9), b"c"), KeyError, "(9, 9)"),
    ],
)
def test_bad_input_is_refused_with_the_value_in_the_message(call, error, shown):
    with pytest.raises(error) as info:
        call()
    assert shown in str(info.value)


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        (("XADD", "s", "1-1"), b"-ERR wrong number of arguments for 'xadd' command\r\n"),
        (("XADD", "s", "nan", "f", "v"), b"-ERR Invalid stream ID specified as stream command"),
        (("XADD", "s", "1-" + "9" * 200, "f", "v"), b"-ERR Invalid stream ID specified"),
        (("XRANGE", "s", "-", "+", "COUNT", "1e3"), b"-ERR value is not an integer"),
        (("XREAD", "BLOCK", "-1", "STREAMS", "s", "0"), b"-ERR timeout is negative\r\n"),
        (("XAUTOCLAIM", "s", "g", "c", "inf", "0"), b"-ERR Invalid min-idle-time argument"),
        (("XTRIM", "s", "MAXLEN", "-1"), b"-ERR The MAXLEN argument must be >= 0.\r\n"),
    ],
)
def test_bad_arguments_get_redis_error_replies(command, reply):
    assert run(Context(), *command).startswith(reply)


def test_format_id_is_what_redis_prints():
    assert format_id((0, 1)) == b"0-1"
    assert format_id(MAX_ID) == b"18446744073709551615-18446744073709551615"
