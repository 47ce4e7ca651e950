"""The keyspace on a fake clock: TTLs, active expiry, LRU eviction, sorted sets, WATCH versions."""

from __future__ import annotations

import random
from collections import OrderedDict

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from studybook.senior.build_redis.commands import Context, run
from studybook.senior.build_redis.store import SortedSet, Store, WrongTypeError


class FakeClock:
    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_ttl_expires_lazily_and_ttl_pttl_report_remaining_time():
    clock = FakeClock()
    ctx = Context(store=Store(clock=clock))
    assert run(ctx, "SET", "k", "v", "PX", 1500) == b"+OK\r\n"
    assert run(ctx, "PTTL", "k") == b":1500\r\n"
    assert run(ctx, "TTL", "k") == b":2\r\n"  # Redis rounds to the nearest second
    clock.now += 1.499
    assert run(ctx, "GET", "k") == b"$1\r\nv\r\n"
    clock.now += 0.001
    assert run(ctx, "GET", "k") == b"$-1\r\n"
    assert ctx.store.effects[-1] == [b"DEL", b"k"]  # expiry is logged for the AOF
    assert run(ctx, "TTL", "k") == b":-2\r\n"
    ctx.store._check_invariants()


def test_active_expiry_removes_untouched_keys_by_sampling():
    clock = FakeClock()
    store = Store(clock=clock, rng=random.Random(7))
    for i in range(1000):
        store.set(b"k%d" % i, b"v")
        if i % 2:
            store.set_deadline(b"k%d" % i, 1_000_100)
    clock.now += 1
    removed = sum(store.active_expire_cycle() for _ in range(200))
    assert removed == 500  # every volatile key went, no persistent key did
    assert len(store) == 500
    store._check_invariants()


def test_nothing_expires_while_loading_the_aof():
    clock = FakeClock()
    store = Store(clock=clock)
    store.loading = True
    store.set(b"k", b"v")
    store.set_deadline(b"k", 1)  # long past
    assert store.get(b"k") == b"v"
    assert store.active_expire_cycle() == 0
    store.loading = False
    assert store.get(b"k") is None


def test_maxkeys_evicts_the_least_recently_used_key():
    store = Store(clock=FakeClock(), maxkeys=3)
    for key in (b"a", b"b", b"c"):
        store.set(key, b"1")
    store.get(b"a")  # a becomes most recent: b is now the LRU key
    store.set(b"d", b"1")
    assert sorted(store.live_keys()) == [b"a", b"c", b"d"]
    assert store.evicted == 1
    assert store.effects == [[b"DEL", b"b"]]
    store.set(b"c", b"2")  # overwriting an existing key evicts nothing
    assert store.evicted == 1
    with pytest.raises(ValueError, match="maxkeys must be at least 1, got -1"):
        Store(maxkeys=-1)


def test_wrong_type_and_sorted_set_order():
    store = Store()
    store.set(b"s", b"x")
    with pytest.raises(WrongTypeError, match="^WRONGTYPE Operation against a key holding"):
        store.get_typed(b"s", dict)
    z = SortedSet()
    for member, score in [(b"b", 1.0), (b"a", 1.0), (b"c", -1.0), (b"a", 3.0)]:
        z.add(member, score)
        z._check_invariants()
    assert z.items() == [(-1.0, b"c"), (1.0, b"b"), (3.0, b"a")]
    assert z.score_range(1.0, True, 3.0, False) == (2, 3)
    assert z.remove(b"b")
    assert not z.remove(b"b")


class StoreMachine(RuleBasedStateMachine):
    """The store against a model: an OrderedDict in LRU order plus a dict of deadlines."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock()
        self.store = Store(clock=self.clock, maxkeys=4)
        self.model: OrderedDict[bytes, bytes] = OrderedDict()
        self.deadlines: dict[bytes, int] = {}

    def _expire_model(self, key: bytes) -> None:
        if key in self.deadlines and self.deadlines[key] <= self.store.now_ms():
            del self.model[key], self.deadlines[key]

    keys = st.sampled_from([b"a", b"b", b"c", b"d", b"e", b"f"])

    @rule(key=keys, value=st.binary(max_size=3))
    def set(self, key, value):
        self._expire_model(key)
        if key not in self.model:
            while len(self.model) >= 4:
                victim = next(iter(self.model))
                del self.model[victim]
                self.deadlines.pop(victim, None)
        self.model[key] = value
        self.model.move_to_end(key)
        self.deadlines.pop(key, None)
        self.store.set(key, value)

    @rule(key=keys)
    def get(self, key):
        self._expire_model(key)
        want = self.model.get(key)
        if want is not None:
            self.model.move_to_end(key)
        assert self.store.get(key) == want

    @rule(key=keys, ms=st.integers(1, 3000))
    def expire(self, key, ms):
        # As the EXPIRE command does: look the key up first, which expires it
        # lazily if it is due and marks it recently used if it is not.
        self._expire_model(key)
        assert self.store.contains(key) == (key in self.model)
        if key in self.model:
            self.model.move_to_end(key)
            self.deadlines[key] = self.store.now_ms() + ms
            self.store.set_deadline(key, self.store.now_ms() + ms)

    @rule(key=keys)
    def delete(self, key):
        self._expire_model(key)
        existed = self.model.pop(key, None) is not None
        self.deadlines.pop(key, None)
        assert self.store.delete(key) == existed

    @rule(seconds=st.floats(0, 2))
    def tick(self, seconds):
        self.clock.now += seconds

    @rule()
    def active_expire(self):
        removed = self.store.active_expire_cycle()
        # Sampling removes a random subset of the expired keys; the model drops the same ones.
        gone = [k for k in self.model if k not in self.store._data]
        assert len(gone) == removed
        assert all(self.deadlines[k] <= self.store.now_ms() for k in gone)
        for k in gone:
            del self.model[k], self.deadlines[k]

    @invariant()
    def invariants_hold(self):
        self.store._check_invariants()
        live_model = {k for k in self.model if self.deadlines.get(k, 2**63) > self.store.now_ms()}
        assert set(self.store.live_keys()) == live_model


StoreMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
test_store_matches_lru_ttl_model = StoreMachine.TestCase
