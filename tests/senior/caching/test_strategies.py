"""The five strategies: each one's defining behaviour, staleness bounds, and bad input."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.caching import (
    STRATEGIES,
    CacheAside,
    Op,
    SimClock,
    SlowStore,
    TTLCache,
    WriteBehind,
    WriteThrough,
    make_workload,
    run_workload,
)


def build(cls: type, ttl: float = 10.0, **kwargs: object) -> tuple[SimClock, SlowStore, object]:
    clock = SimClock()
    store = SlowStore(clock, {"k": "v0"})
    return clock, store, cls(TTLCache(clock, capacity=10, ttl=ttl), store, **kwargs)


@pytest.mark.parametrize("name", list(STRATEGIES))
def test_every_strategy_reads_its_own_latest_write_except_write_around(name: str) -> None:
    clock, _store, s = build(STRATEGIES[name])
    assert s.get("k") == "v0"  # type: ignore[attr-defined]
    s.put("k", "v1")  # type: ignore[attr-defined]
    expected = "v0" if name == "write-around" else "v1"
    assert s.get("k") == expected  # type: ignore[attr-defined]
    clock.advance(10.0)  # the TTL heals write-around
    assert s.get("k") == "v1"  # type: ignore[attr-defined]


def test_write_through_fills_the_cache_on_write() -> None:
    _, store, s = build(WriteThrough)
    s.put("new", "x")  # type: ignore[attr-defined]
    assert s.get("new") == "x"  # type: ignore[attr-defined]
    assert (s.stats.hits, s.stats.misses, store.reads) == (1, 0, 0)  # type: ignore[attr-defined]


def test_cache_aside_invalidates_so_the_next_read_misses() -> None:
    _, store, s = build(CacheAside)
    s.get("k")  # type: ignore[attr-defined]
    s.put("k", "v1")  # type: ignore[attr-defined]
    assert s.get("k") == "v1"  # type: ignore[attr-defined]
    assert (s.stats.misses, store.reads, store.writes) == (2, 2, 1)  # type: ignore[attr-defined]


def test_write_behind_coalesces_and_flushes_on_time_and_size() -> None:
    clock, store, s = build(WriteBehind, flush_interval=1.0, max_pending=3)
    assert isinstance(s, WriteBehind)
    for i in range(5):
        s.put("k", f"v{i}")
    assert store.writes == 0
    assert s.pending == {"k": "v4"}
    assert store.data["k"] == "v0"
    s.put("a", "1")
    s.put("b", "2")  # three keys pending: size flush
    assert store.writes == 1
    assert store.data == {"k": "v4", "a": "1", "b": "2"}
    s.put("c", "3")
    clock.advance(1.0)
    s.get("c")  # time flush
    assert store.writes == 2
    assert store.data["c"] == "3"
    assert not s.pending


def test_write_behind_serves_pending_writes_evicted_from_the_cache() -> None:
    clock = SimClock()
    store = SlowStore(clock)
    s = WriteBehind(TTLCache(clock, capacity=1, ttl=10.0), store, flush_interval=100.0)
    s.put("a", "1")
    s.put("b", "2")  # evicts "a" from the cache; it lives only in the buffer
    assert s.get("a") == "1"
    assert store.reads == 0


def test_ttl_cache_expiry_lru_and_jitter() -> None:
    clock = SimClock()
    c = TTLCache(clock, capacity=2, ttl=5.0, latency=0.0)
    c.set("a", "1")
    c.set("b", "2")
    c.get("a")
    c.set("c", "3")  # evicts b, the least recently used
    assert (c.get("a"), c.get("b"), c.get("c")) == ("1", None, "3")
    clock.advance(5.0)
    assert c.get("a") is None
    assert len(c) == 1
    jittered = TTLCache(clock, capacity=100, ttl=10.0, jitter=0.2, rng=random.Random(3))
    for i in range(100):
        jittered.set(str(i), "x")
    lives = [jittered.expires_at(str(i)) - clock() for i in range(100)]  # type: ignore[operator]
    assert all(8.0 <= life <= 12.0 for life in lives)
    assert len(set(lives)) > 90


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10_000), ttl=st.floats(0.5, 20.0))
def test_staleness_is_bounded_by_the_ttl(seed: int, ttl: float) -> None:
    # Without outside writers, only write-around ever serves stale data.
    ops = make_workload(random.Random(seed), 300, n_keys=10, external_fraction=0.0, pause=0.1)
    for name in ("cache-aside", "read-through", "write-through", "write-behind"):
        assert run_workload(name, ops, {}, ttl=ttl).stats.stale == 0, name


@pytest.mark.parametrize("name", [n for n in STRATEGIES if n != "write-behind"])
def test_after_a_quiet_ttl_every_strategy_is_fresh(name: str) -> None:
    # Stale reads happen (outside writes), but none survives one TTL of quiet. Write-behind
    # is excluded: its flush can overwrite a newer outside write (see the next test).
    ops = make_workload(random.Random(9), 500, n_keys=8, external_fraction=0.05, pause=0.01)
    keys = sorted({op.key for op in ops})
    ops = [*ops, Op("get", keys[0], pause=31.0)]
    before = run_workload(name, ops, {}, ttl=30.0).stats.stale
    after = run_workload(name, ops + [Op("get", k) for k in keys], {}, ttl=30.0).stats.stale
    assert before > 0
    assert after == before


def test_write_behind_loses_an_outside_write_on_flush() -> None:
    ops = [
        Op("put", "k", "mine"),
        Op("external", "k", "theirs"),
        Op("get", "k", pause=2.0),
        Op("get", "k"),
    ]
    r = run_workload("write-behind", ops, {"k": "v0"})
    assert r.stats.stale == 2  # the cache shows "mine" and then the flush overwrote "theirs"


def test_demo_table_relations() -> None:
    ops = make_workload(random.Random(1), 3000, n_keys=50)
    results = {n: run_workload(n, ops, {}) for n in STRATEGIES}
    assert results["cache-aside"].stats == results["read-through"].stats
    assert results["write-through"].stats.hit_ratio > results["cache-aside"].stats.hit_ratio
    assert results["write-behind"].store_writes < results["write-through"].store_writes
    assert results["write-around"].stats.stale > results["cache-aside"].stats.stale


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: SimClock(float("nan")), ValueError, "start"),
        (lambda: SimClock().advance(float("inf")), ValueError, "seconds"),
        (lambda: SlowStore("clock"), TypeError, "clock"),  # type: ignore[arg-type]
        (lambda: SlowStore(SimClock(), read_latency=-1), ValueError, "read_latency"),
        (lambda: TTLCache(SimClock(), capacity=0), ValueError, "capacity"),
        (lambda: TTLCache(SimClock(), ttl=0), ValueError, "ttl"),
        (lambda: TTLCache(SimClock(), ttl=True), TypeError, "ttl"),  # type: ignore[arg-type]
        (lambda: TTLCache(3), TypeError, "clock"),  # type: ignore[arg-type]
        (lambda: TTLCache(SimClock(), jitter=0.1), TypeError, "rng"),
        (lambda: TTLCache(SimClock(), jitter=1.5, rng=random.Random(1)), ValueError, "jitter"),
        (lambda: CacheAside({}, SlowStore(SimClock())), TypeError, "cache"),  # type: ignore[arg-type]
        (lambda: build(CacheAside)[2].get(1), TypeError, "key"),  # type: ignore[attr-defined]
        (lambda: build(WriteThrough)[2].put("k", 1), TypeError, "value"),  # type: ignore[attr-defined]
        (lambda: build(WriteBehind, flush_interval=0)[2], ValueError, "flush_interval"),
        (lambda: build(WriteBehind, max_pending=0)[2], ValueError, "max_pending"),
        (lambda: run_workload("nope", [], {}), KeyError, "nope"),
        (lambda: run_workload("cache-aside", [Op("drop", "k")], {}), ValueError, "drop"),
        (lambda: run_workload("cache-aside", [Op("get", "k", pause=-1)], {}), ValueError, "pause"),
        (lambda: make_workload(1, 10), TypeError, "rng"),  # type: ignore[arg-type]
        (lambda: make_workload(random.Random(1), 0), ValueError, "n_ops"),
        (
            lambda: make_workload(random.Random(1), 5, read_fraction=float("nan")),
            ValueError,
            "read",
        ),
        (lambda: make_workload(random.Random(1), 5, external_fraction=0.5), ValueError, "external"),
        (lambda: run_workload(["cache-aside"], [], {}), TypeError, "name"),  # type: ignore[arg-type]
        (lambda: run_workload("cache-aside", [None], {}), TypeError, "Op"),  # type: ignore[list-item]
        (lambda: run_workload("cache-aside", [Op("external", "k", 2)], {}), TypeError, "value"),  # type: ignore[arg-type]
        (lambda: TTLCache(SimClock()).set("k", 1), TypeError, "value"),  # type: ignore[arg-type]
        (lambda: TTLCache(SimClock()).get(["k"]), TypeError, "key"),  # type: ignore[arg-type]
        (lambda: TTLCache(SimClock()).delete(1), TypeError, "key"),  # type: ignore[arg-type]
    ],
)
def test_bad_input(call: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()  # type: ignore[operator]


def test_a_huge_skew_puts_every_op_on_the_hottest_key() -> None:
    ops = make_workload(random.Random(1), 50, n_keys=20, skew=1e6)
    assert {op.key for op in ops} == {"k0"}
