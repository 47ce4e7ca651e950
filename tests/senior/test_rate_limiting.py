"""Rate limiters: one contract for all five (local and over Redis), models, concurrency, HTTP."""

from __future__ import annotations

import itertools
import random
import threading
from collections.abc import Iterator

import pytest
import redis
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.build_redis.processes import redis_server_process
from studybook.senior.build_redis.server import ServerThread
from studybook.senior.rate_limiting.distributed import (
    RedisFixedWindow,
    RedisLeakyBucket,
    RedisSlidingLog,
    RedisSlidingWindowCounter,
    RedisTokenBucket,
)
from studybook.senior.rate_limiting.headers import client_delay, http_response, parse_retry_after
from studybook.senior.rate_limiting.local import (
    Decision,
    FixedWindow,
    LeakyBucket,
    RateLimiter,
    SlidingLog,
    SlidingWindowCounter,
    TokenBucket,
)

LOCAL = [TokenBucket, LeakyBucket, FixedWindow, SlidingLog, SlidingWindowCounter]
REMOTE = [
    RedisTokenBucket,
    RedisLeakyBucket,
    RedisFixedWindow,
    RedisSlidingLog,
    RedisSlidingWindowCounter,
]
PAIRS = dict(zip(LOCAL, REMOTE, strict=True))


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def mini_port() -> Iterator[int]:
    with ServerThread() as srv:
        yield srv.port


@pytest.fixture(scope="module")
def real_port() -> Iterator[int]:
    with redis_server_process() as port:  # fails, not skips, without redis-server
        yield port


@pytest.fixture(params=["miniredis", "redis-server"])
def client(request) -> Iterator[redis.Redis]:
    port = request.getfixturevalue("mini_port" if request.param == "miniredis" else "real_port")
    c = redis.Redis(port=port, protocol=2)
    c.flushall()
    yield c
    c.close()


def _make(kind, limit, window, clock, client=None):
    if kind in LOCAL:
        return kind(limit, window, clock=clock)
    return kind(client, limit, window, clock=clock)


CONTRACT = [(k, "local") for k in LOCAL] + [(k, b) for k in REMOTE for b in ("mini", "real")]


@pytest.mark.parametrize(("kind", "where"), CONTRACT, ids=lambda x: getattr(x, "__name__", x))
def test_contract(kind, where, request):
    """Every limiter, local or over MiniRedis or redis-server, honours the same contract."""
    client = None
    if where != "local":
        port = request.getfixturevalue("mini_port" if where == "mini" else "real_port")
        client = redis.Redis(port=port, protocol=2)
        client.flushall()
    clock = FakeClock(1000.0)  # aligned with window starts: 1000 = 100 * 10
    limiter = _make(kind, 4, 10.0, clock, client)
    assert isinstance(limiter, RateLimiter)
    # 1. a fresh key allows exactly `limit` at once, counting down `remaining`
    decisions = [limiter.allow("alice") for _ in range(4)]
    assert [d.allowed for d in decisions] == [True] * 4
    assert [d.remaining for d in decisions] == [3, 2, 1, 0]
    assert all(d.retry_after == 0 and d.limit == 4 for d in decisions)
    # 2. the next is refused with a positive retry_after that is enough
    refused = limiter.allow("alice")
    assert not refused.allowed
    assert 0 < refused.retry_after <= 2 * 10.0
    clock.now += refused.retry_after + 1e-6
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
    if client is not None:
        client.close()


@pytest.mark.parametrize("kind", LOCAL)
def test_constructor_validation(kind):
    with pytest.raises(ValueError, match="limit must be a positive integer, got 0"):
        kind(0, 1.0)
    with pytest.raises(ValueError, match="limit must be a positive integer, got 2.5"):
        kind(2.5, 1.0)
    with pytest.raises(ValueError, match="window must be a positive number of seconds, got -1"):
        kind(3, -1)


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


@given(EVENTS)
def test_token_bucket_and_gcra_decide_identically_and_respect_the_bucket_bound(events):
    c1, c2 = FakeClock(), FakeClock()
    tb, lb = TokenBucket(4, 2.0, clock=c1), LeakyBucket(4, 2.0, clock=c2)
    one, two = _run(tb, c1, events), _run(lb, c2, events)
    assert [d.allowed for *_, d in one] == [d.allowed for *_, d in two]
    assert [d.retry_after for *_, d in one] == [d.retry_after for *_, d in two]
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
            assert counts.get(i - 1, 0) * weight + counts.get(i, 0) + cost <= 5 + 1e-9


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


# ---------------------------------------------------------------- concurrency


@pytest.mark.parametrize("kind", REMOTE)
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


# ---------------------------------------------------------------- HTTP


def test_429_response_and_retry_after_header():
    status, headers = http_response(Decision(False, 100, 0, 0.2))
    assert status == 429
    assert headers["Retry-After"] == "1"  # rounded up: never early
    assert http_response(Decision(True, 100, 42, 0.0)) == (
        200,
        {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "42"},
    )
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0 - 5) == 5.0
    assert parse_retry_after(" 7 ", now=0) == 7.0
    with pytest.raises(ValueError, match="got '-1'"):
        parse_retry_after("-1", now=0)


def test_client_backoff_honours_retry_after_and_otherwise_jitters():
    rng = random.Random(3)
    delays = [client_delay(503, {}, attempt=a, now=0, base=1, cap=8, rng=rng) for a in range(8)]
    assert all(0 <= d <= min(8, 2**a) for a, d in enumerate(delays))
    assert len(set(delays)) == len(delays)  # jitter: no two clients in lockstep
    assert client_delay(429, {"retry-after": "10"}, attempt=5, now=0) == 10.0
    assert client_delay(200, {}, attempt=0, now=0) is None
