"""Rate limiters: one contract for all ten (local and over Redis), models, the retry promise,
clocks that step back, Cluster hash slots, concurrency, and bad input."""

from __future__ import annotations

import collections
import copy
import itertools
import math
import random
import threading
from typing import Any

import pytest
import redis
from hypothesis import given, settings
from hypothesis import strategies as st
from redis.crc import key_slot

from studybook.senior.rate_limiting.distributed import (
    RedisFixedWindow,
    RedisLeakyBucket,
    RedisSlidingLog,
    RedisSlidingWindowCounter,
    RedisTokenBucket,
)
from studybook.senior.rate_limiting.local import (
    Decision,
    FixedWindow,
    LeakyBucket,
    RateLimiter,
    SlidingLog,
    SlidingWindowCounter,
    TokenBucket,
    sliding_counter_decision,
)

LOCAL: list[Any] = [TokenBucket, LeakyBucket, FixedWindow, SlidingLog, SlidingWindowCounter]
REMOTE: list[Any] = [
    RedisTokenBucket,
    RedisLeakyBucket,
    RedisFixedWindow,
    RedisSlidingLog,
    RedisSlidingWindowCounter,
]
PAIRS = dict(zip(LOCAL, REMOTE, strict=True))


class FakeClock:
    """A clock the test sets by hand."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _make(kind, limit, window, clock, client=None):
    if kind in LOCAL:
        return kind(limit, window, clock=clock)
    return kind(client, limit, window, clock=clock)


def _client(request, where):
    if where == "local":
        return None
    port = request.getfixturevalue("mini_port" if where == "mini" else "real_port")
    client = redis.Redis(port=port, protocol=2)
    client.flushall()
    request.addfinalizer(client.close)
    return client


CONTRACT = [(k, "local") for k in LOCAL] + [(k, b) for k in REMOTE for b in ("mini", "real")]
IDS = lambda x: getattr(x, "__name__", x)  # noqa: E731


@pytest.mark.parametrize(("kind", "where"), CONTRACT, ids=IDS)
def test_contract(kind, where, request):
    """Every limiter, local or over MiniRedis or redis-server, honours the same contract."""
    client = _client(request, where)
    clock = FakeClock(1000.0)  # aligned with window starts: 1000 = 100 * 10
    limiter = _make(kind, 4, 10.0, clock, client)
    assert isinstance(limiter, RateLimiter)
    # 1. a fresh key allows exactly `limit` at once, counting down `remaining`
    decisions = [limiter.allow("alice") for _ in range(4)]
    assert [d.allowed for d in decisions] == [True] * 4
    assert [d.remaining for d in decisions] == [3, 2, 1, 0]
    assert all(d.retry_after == 0 and d.limit == 4 for d in decisions)
    # 2. the next is refused with a positive retry_after, and waiting exactly that suffices
    refused = limiter.allow("alice")
    assert not refused.allowed
    assert 0 < refused.retry_after <= 2 * 10.0
    clock.now += refused.retry_after
    assert limiter.allow("alice").allowed
    # 3. keys are independent
    assert limiter.allow("bob", cost=4).allowed
    assert not limiter.allow("bob").allowed
    # 4. after two idle windows everything is available again
    clock.now += 20.0
    assert limiter.allow("alice", cost=4).allowed
    # 5. bad costs are refused with the value in the message
    with pytest.raises(ValueError, match=r"cost must be an integer in 1\.\.4, got 5"):
        limiter.allow("alice", cost=5)
    with pytest.raises(ValueError, match=r"cost must be an integer in 1\.\.4, got 0"):
        limiter.allow("alice", cost=0)
    # 6. long run: never more than limit * (elapsed / window + 1)
    rng = random.Random(7)
    start, allowed = clock.now, 0
    for _ in range(300):
        clock.now += rng.expovariate(10.0)
        allowed += limiter.allow("carol").allowed
    assert 0 < allowed <= 4 * ((clock.now - start) / 10.0 + 1)


# ---------------------------------------------------------------- the retry_after promise

# Non-dyadic times and windows: thirds, tenths and sevenths are not exact in binary,
# so `now + retry_after` can round below the admission time unless the code prevents it.
STEPS = st.sampled_from([1 / 3, 0.1, 1 / 7, 0.7])
WINDOWS = st.sampled_from([1.0, 0.3, 7 / 3, 2.2, 10.0])
TRAFFIC = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 3)), min_size=1, max_size=40)


def _promise(limiter, clock, start, step, events, probe_earlier):
    clock.now = start
    for k, cost in events:
        clock.now += k * step
        decision = limiter.allow("k", cost)
        if decision.allowed:
            assert decision.retry_after == 0.0
            continue
        assert decision.retry_after > 0, decision
        if probe_earlier and decision.retry_after > 1e-6:  # not much earlier: still refused
            probe = copy.deepcopy(limiter)
            probe.clock.now = clock.now + decision.retry_after - 1e-6
            assert not probe.allow("k", cost).allowed
        clock.now += decision.retry_after  # wait exactly what we were told
        again = limiter.allow("k", cost)
        assert again.allowed, (decision, again)


@settings(max_examples=150)
@given(
    st.sampled_from(LOCAL),
    st.integers(1, 5),
    WINDOWS,
    st.integers(0, 10**6).map(lambda k: k / 3),
    STEPS,
    TRAFFIC,
)
def test_waiting_exactly_retry_after_is_admitted(kind, limit, window, start, step, events):
    clock = FakeClock()
    limiter = kind(limit, window, clock=clock)
    events = [(k, min(cost, limit)) for k, cost in events]
    _promise(limiter, clock, start, step, events, probe_earlier=True)


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(REMOTE), WINDOWS, st.integers(0, 10**6).map(lambda k: k / 3), STEPS, TRAFFIC)
def test_waiting_exactly_retry_after_is_admitted_over_redis(
    mini_port, kind, window, start, step, events
):
    client = redis.Redis(port=mini_port, protocol=2)
    client.flushall()
    clock = FakeClock()
    limiter = kind(client, 3, window, clock=clock)
    _promise(limiter, clock, start, step, events, probe_earlier=False)
    client.close()


def test_the_reported_failure_is_gone():
    """The review's case: SlidingLog and FixedWindow refused a client that waited exactly."""
    rng = random.Random(20_000)
    for kind in (SlidingLog, FixedWindow):
        for _ in range(2_000):
            clock = FakeClock(rng.randrange(10**6) / 3)
            limiter = kind(2, rng.choice([0.3, 7 / 3, 2.2]), clock=clock)
            limiter.allow("k", 2)
            clock.now += rng.randrange(1, 6) / 10
            refused = limiter.allow("k")
            if not refused.allowed:
                clock.now += refused.retry_after
                assert limiter.allow("k").allowed


# ---------------------------------------------------------------- models

# Times are multiples of 1/8 s and windows powers of two: all float arithmetic is exact.
EVENTS = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 3)), min_size=1, max_size=60)


def _run(limiter, clock, events):
    out, t = [], 0
    for step, cost in events:
        t += step
        clock.now = t / 8
        out.append((clock.now, cost, limiter.allow("k", cost)))
    return out


@given(EVENTS)
def test_sliding_log_matches_brute_force_list_of_timestamps(events):
    clock = FakeClock()
    limiter, window, limit = SlidingLog(5, 4.0, clock=clock), 4.0, 5
    log: list[tuple[float, int]] = []
    for now, cost, decision in _run(limiter, clock, events):
        limiter._check_invariants()
        used = sum(c for t, c in log if now - t < window)
        assert decision.allowed == (used + cost <= limit)
        if decision.allowed:
            log.append((now, cost))
        else:  # retry_after is the first moment the request fits
            later = now + decision.retry_after
            assert sum(c for t, c in log if later - t < window) + cost <= limit
            assert sum(c for t, c in log if later - 1 / 8 - t < window) + cost > limit


@given(EVENTS)
def test_fixed_window_matches_a_dict_of_window_counts(events):
    clock = FakeClock()
    limiter = FixedWindow(5, 4.0, clock=clock)
    counts: dict[int, int] = {}
    for now, cost, decision in _run(limiter, clock, events):
        index = int(now // 4.0)
        assert decision.allowed == (counts.get(index, 0) + cost <= 5)
        if decision.allowed:
            counts[index] = counts.get(index, 0) + cost
        else:
            assert now + decision.retry_after == (index + 1) * 4.0


@given(EVENTS)
def test_token_bucket_and_gcra_decide_identically_and_respect_the_bucket_bound(events):
    c1, c2 = FakeClock(), FakeClock()
    tb, lb = TokenBucket(4, 2.0, clock=c1), LeakyBucket(4, 2.0, clock=c2)
    one, two = _run(tb, c1, events), _run(lb, c2, events)
    assert [d.allowed for *_, d in one] == [d.allowed for *_, d in two]
    assert [d.retry_after for *_, d in one] == [d.retry_after for *_, d in two]
    assert [d.remaining for *_, d in one] == [d.remaining for *_, d in two]
    allowed = [(t, c) for t, c, d in one if d.allowed]
    for i, j in itertools.combinations(range(len(allowed)), 2):
        ti, tj = allowed[i][0], allowed[j][0]
        assert sum(c for _, c in allowed[i : j + 1]) <= 4 + 2.0 * (tj - ti)


@given(EVENTS)
def test_sliding_window_counter_matches_the_weighted_formula(events):
    clock = FakeClock()
    limiter = SlidingWindowCounter(5, 4.0, clock=clock)
    counts: dict[int, int] = {}
    for now, cost, decision in _run(limiter, clock, events):
        index = int(now // 4.0)
        elapsed = now - index * 4.0
        estimate = counts.get(index - 1, 0) * (1 - elapsed / 4.0) + counts.get(index, 0)
        assert decision.allowed == (estimate + cost <= 5)
        if decision.allowed:
            counts[index] = counts.get(index, 0) + cost
        else:
            later = now + decision.retry_after  # by then the estimate has room
            i = int(later // 4.0)
            weight = 1 - (later - i * 4.0) / 4.0
            assert counts.get(i - 1, 0) * weight + counts.get(i, 0) + cost <= 5


@given(EVENTS)
def test_sliding_window_counter_admits_at_most_2_limit_minus_1_per_window_span(events):
    clock = FakeClock()
    limiter = SlidingWindowCounter(5, 4.0, clock=clock)
    admitted = [(now, cost) for now, cost, d in _run(limiter, clock, events) if d.allowed]
    for t, _ in admitted:
        assert sum(c for s, c in admitted if t - 4.0 < s <= t) <= 2 * 5 - 1


def test_sliding_log_does_not_re_add_its_log_on_every_request():
    """A running sum: 20,000 requests against a limit of 10**5 touch each entry O(1) times."""
    clock = FakeClock(0.0)
    limiter = SlidingLog(10**5, 60.0, clock=clock)
    touched = 0

    class CountingDeque(collections.deque):  # type: ignore[type-arg]
        def __iter__(self):
            nonlocal touched
            for item in super().__iter__():
                touched += 1
                yield item

    limiter._logs["k"] = CountingDeque()
    for i in range(20_000):
        clock.now = i / 1000
        assert limiter.allow("k").allowed
    assert touched == 0  # allowed requests never walk the log
    limiter.allow("k", cost=10**5 - 20_000)  # fills the log to the limit
    refused = limiter.allow("k")  # refused: walks only the head that must leave
    assert not refused.allowed
    assert refused.retry_after == pytest.approx(60.0 - clock.now)  # the first entry leaves
    assert touched <= 10
    limiter._check_invariants()


def test_sliding_window_counter_reaches_2_limit_minus_1():
    """A full burst at the end of a window, then steady traffic: 199 of limit 100 in < 60 s."""
    clock = FakeClock(59.9)
    limiter = SlidingWindowCounter(100, 60.0, clock=clock)
    admitted = [59.9 for _ in range(100) if limiter.allow("u").allowed]
    for tenths in range(600, 1200):
        clock.now = tenths / 10
        if limiter.allow("u").allowed:
            admitted.append(clock.now)
    assert len(admitted) == 199
    assert admitted[-1] - admitted[0] < 60.0
    # the sliding log, exact, admits no more than 100 in any window of the same traffic
    clock.now = 59.9
    log = SlidingLog(100, 60.0, clock=clock)
    times = [59.9 for _ in range(100) if log.allow("u").allowed]
    for tenths in range(600, 1200):
        clock.now = tenths / 10
        if log.allow("u").allowed:
            times.append(clock.now)
    assert times[100:] == [119.9]
    assert max(sum(1 for s in times if t - 60.0 < s <= t) for t in times) == 100


def test_sliding_counter_decision_on_raw_counts():
    d = sliding_counter_decision(100, 60.0, prev=100, current=30, now=15.0, cost=1)
    assert (d.allowed, d.remaining) == (False, 0)
    assert d.retry_after == pytest.approx(3.6)
    assert sliding_counter_decision(100, 60.0, prev=100, current=30, now=30.0, cost=1).allowed


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(LOCAL), EVENTS)
def test_redis_limiters_decide_like_the_local_ones(mini_port, kind, events):
    client = redis.Redis(port=mini_port, protocol=2)
    client.flushall()
    c1, c2 = FakeClock(), FakeClock()
    local = kind(5, 4.0, clock=c1)
    remote = PAIRS[kind](client, 5, 4.0, clock=c2)
    want = _run(local, c1, events)
    got = _run(remote, c2, events)
    assert [d for *_, d in got] == [d for *_, d in want]
    client.close()


# ---------------------------------------------------------------- clocks that step back


@given(
    st.sampled_from(LOCAL),
    st.lists(st.tuples(st.integers(-20, 20), st.integers(1, 3)), min_size=1, max_size=50),
)
def test_a_clock_that_steps_back_counts_as_standing_still(kind, moves):
    """Fed a clock that jumps back and forth, a limiter decides as if fed its running maximum."""
    raw, clamped = FakeClock(100.0), FakeClock(100.0)
    a, b = kind(4, 2.0, clock=raw), kind(4, 2.0, clock=clamped)
    assert a.allow("k") == b.allow("k")  # both have seen t = 100
    t = high = 100.0
    for move, cost in moves:
        t += move / 8
        high = max(high, t)
        raw.now, clamped.now = t, high
        da, db = a.allow("k", cost), b.allow("k", cost)
        assert da.allowed == db.allowed
        assert da.remaining == db.remaining >= 0
        # a waits from its earlier reading: as long as b, plus the distance back
        if not da.allowed:
            assert da.retry_after == pytest.approx(db.retry_after + (high - t), abs=1e-9)


def test_token_bucket_remaining_never_negative_when_the_clock_steps_back():
    clock = FakeClock(100.0)
    tb = TokenBucket(2, 1.0, clock=clock)
    tb.allow("k", 2)
    clock.now = 40.0  # sixty seconds back
    d = tb.allow("k")
    assert (d.allowed, d.remaining) == (False, 0)
    assert d.retry_after > 0


# ---------------------------------------------------------------- Redis Cluster hash slots


@pytest.mark.parametrize("kind", REMOTE, ids=IDS)
def test_every_key_of_one_client_shares_a_hash_slot(kind, mini_port):
    """MULTI over keys in different slots fails with CROSSSLOT on a Cluster; hash tags avoid it."""
    client = redis.Redis(port=mini_port, protocol=2)
    client.flushall()
    clock = FakeClock(1000.0)
    limiter = kind(client, 2, 10.0, clock=clock)
    for _ in range(3):  # three windows: the sliding counter reads the previous window's key
        for _ in range(3):
            limiter.allow("user:42")
        clock.now += 10.0
    keys = client.keys("*")
    assert keys
    assert all(b"{user:42}" in k for k in keys)
    assert len({key_slot(k) for k in keys}) == 1
    client.close()


def test_prefix_with_braces_is_refused(mini_port):
    client = redis.Redis(port=mini_port, protocol=2)
    with pytest.raises(ValueError, match=r"got 'a\{b'"):
        RedisFixedWindow(client, 2, 1.0, prefix="a{b")
    with pytest.raises(TypeError, match="got 5"):
        RedisFixedWindow(client, 2, 1.0, prefix=5)
    client.close()


# ---------------------------------------------------------------- concurrency


@pytest.mark.parametrize("kind", REMOTE, ids=IDS)
def test_many_threads_never_exceed_the_limit(kind, client):
    clock = FakeClock(2000.0)  # frozen: nothing refills while the threads race
    limit, threads, per_thread = 25, 12, 10
    results: list[bool] = []
    lock = threading.Lock()

    def worker():
        c = redis.Redis(port=client.connection_pool.connection_kwargs["port"], protocol=2)
        limiter = kind(c, limit, 60.0, clock=clock)
        mine = [limiter.allow("shared").allowed for _ in range(per_thread)]
        with lock:
            results.extend(mine)
        c.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(60)
    assert len(results) == threads * per_thread
    allowed = sum(results)
    assert allowed <= limit  # the safety property
    if kind in (RedisTokenBucket, RedisLeakyBucket):
        assert allowed == limit  # check-and-set never refuses wrongly
    else:
        assert allowed >= limit - threads  # at most one in-flight undo per thread


# ---------------------------------------------------------------- bad input

NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize("kind", LOCAL, ids=IDS)
@pytest.mark.parametrize(
    ("limit", "window", "error"),
    [
        (0, 1.0, ValueError),
        (-3, 1.0, ValueError),
        (2.5, 1.0, ValueError),
        (NAN, 1.0, ValueError),
        (2**53 + 1, 1.0, ValueError),
        (True, 1.0, TypeError),
        ("5", 1.0, TypeError),
        (None, 1.0, TypeError),
        (3, 0, ValueError),
        (3, -1, ValueError),
        (3, NAN, ValueError),
        (3, INF, ValueError),
        (3, 1e-4, ValueError),
        (3, 1e10, ValueError),
        (3, True, TypeError),
        (3, "1", TypeError),
    ],
)
def test_constructor_rejects_bad_numbers(kind, limit, window, error):
    bad = limit if window == 1.0 and limit != 3 else window
    with pytest.raises(error, match=r"got " + _re(bad)):
        kind(limit, window)


def _re(value: object) -> str:
    import re

    return re.escape(repr(value))


@pytest.mark.parametrize("kind", LOCAL, ids=IDS)
@pytest.mark.parametrize(
    ("key", "cost", "error"),
    [
        (None, 1, TypeError),
        (5, 1, TypeError),
        (b"k", 1, TypeError),
        ("k", True, ValueError),
        ("k", 1.0, ValueError),
        ("k", NAN, ValueError),
        ("k", -1, ValueError),
        ("k", 4, ValueError),
    ],
)
def test_allow_rejects_bad_keys_and_costs(kind, key, cost, error):
    limiter = kind(3, 1.0, clock=FakeClock())
    bad = key if not isinstance(key, str) else cost
    with pytest.raises(error, match=r"got " + _re(bad)):
        limiter.allow(key, cost)


@pytest.mark.parametrize("kind", LOCAL, ids=IDS)
@pytest.mark.parametrize("reading", [NAN, INF, -INF, None, "1", True])
def test_a_broken_clock_is_reported(kind, reading):
    limiter = kind(3, 1.0, clock=lambda: reading)
    with pytest.raises(
        ValueError, match=r"clock must return a finite number of seconds, got " + _re(reading)
    ):
        limiter.allow("k")


@pytest.mark.parametrize(
    ("fields", "error", "bad"),
    [
        ((1, 10, 0, 0.0), TypeError, 1),
        ((False, True, 0, 1.0), TypeError, True),
        ((False, 10, -1, 1.0), ValueError, -1),
        ((False, 10, 0, NAN), ValueError, NAN),
        ((False, 10, 0, INF), ValueError, INF),
        ((False, 10, 0, -1.0), ValueError, -1.0),
        ((False, 10, 0, "1"), TypeError, "1"),
    ],
)
def test_decision_rejects_bad_fields(fields, error, bad):
    with pytest.raises(error, match=_re(bad)):
        Decision(*fields)


def test_clock_is_callable():
    with pytest.raises(TypeError, match="clock must be callable, got 5"):
        TokenBucket(3, 1.0, clock=5)
    assert math.isfinite(TokenBucket(3, 1.0).now())
