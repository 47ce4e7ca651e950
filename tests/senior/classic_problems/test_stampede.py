"""Single flight proved with real threads; jittered expiry measured on a seeded simulation."""

from __future__ import annotations

import random
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.classic_problems import (
    SingleFlight,
    concurrent_misses,
    jittered_ttl,
    simulate_herd,
)

THREADS = 48


def _wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "threads never all arrived"
        time.sleep(0.001)


def test_barrier_released_misses_make_exactly_one_backend_call():
    flight: SingleFlight[object] = SingleFlight()
    start = threading.Barrier(THREADS)
    calls = []
    results = [None] * THREADS
    value = object()

    def backend():
        calls.append(threading.get_ident())
        # hold the flight open until every other thread is provably waiting on it
        _wait_until(lambda: flight.waiting("user:42") == THREADS - 1)
        return value

    def caller(i):
        start.wait(10)
        results[i] = flight.do("user:42", backend)

    workers = [threading.Thread(target=caller, args=(i,)) for i in range(THREADS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(10)
    assert not any(w.is_alive() for w in workers)
    assert len(calls) == 1
    assert all(r is value for r in results)  # the very same object, not a copy
    assert (flight.calls, flight.shared) == (1, THREADS - 1)
    assert flight.waiting("user:42") == 0  # the flight is gone


def test_without_coalescing_every_miss_reaches_the_backend():
    assert concurrent_misses(THREADS, coalesce=False) == THREADS
    assert concurrent_misses(THREADS, coalesce=True) == 1
    assert concurrent_misses(1, coalesce=True) == 1


def test_an_error_reaches_every_waiter_and_is_not_cached():
    flight: SingleFlight[int] = SingleFlight()
    start = threading.Barrier(8)
    errors = []

    def failing():
        _wait_until(lambda: flight.waiting("k") == 7)
        raise ConnectionError("db down")

    def caller():
        start.wait(10)
        try:
            flight.do("k", failing)
        except ConnectionError as exc:
            errors.append(str(exc))

    workers = [threading.Thread(target=caller) for _ in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(10)
    assert errors == ["db down"] * 8
    assert flight.do("k", lambda: 5) == 5  # a new flight after the failure
    assert flight.calls == 2


def test_different_keys_do_not_share_a_flight():
    flight: SingleFlight[str] = SingleFlight()
    assert [flight.do(k, lambda k=k: k.upper()) for k in "abc"] == ["A", "B", "C"]
    assert (flight.calls, flight.shared) == (3, 0)


@settings(max_examples=50, deadline=None)
@given(st.floats(0.001, 1e6), st.floats(0, 0.99), st.integers(0, 2**32))
def test_jittered_ttl_stays_in_its_interval(ttl, jitter, seed):
    value = jittered_ttl(ttl, jitter, random.Random(seed))
    assert ttl * (1 - jitter) <= value <= ttl


def test_jittered_ttl_is_uniform_over_its_interval():
    rng = random.Random(3)
    draws = [jittered_ttl(100, 0.5, rng) for _ in range(20_000)]
    buckets = [0] * 5  # [50, 60), ..., [90, 100]
    for d in draws:
        buckets[min(int((d - 50) // 10), 4)] += 1
    # each bucket expects 4000; 5 sigma of a binomial(20000, 0.2) is about 283
    assert all(abs(b - 4000) < 300 for b in buckets)


HERD = {"keys": 60, "rate": 20, "ttl": 30, "latency": 0.5, "horizon": 100}


def test_jitter_and_coalescing_each_cut_the_peak():
    base = simulate_herd(**HERD, jitter=0, coalesce=False, seed=4)
    coalesced = simulate_herd(**HERD, jitter=0, coalesce=True, seed=4)
    both = simulate_herd(**HERD, jitter=0.2, coalesce=True, seed=4)
    assert base.requests == coalesced.requests  # same arrivals: only the policy differs
    # coalesced: one call per key per refill, and every key refills in the same second
    assert coalesced.peak_calls_per_second == HERD["keys"]
    assert base.peak_calls_per_second > 5 * coalesced.peak_calls_per_second
    assert both.peak_calls_per_second < coalesced.peak_calls_per_second / 2
    assert coalesced.hit_ratio > base.hit_ratio


@settings(max_examples=30, deadline=None)
@given(
    keys=st.integers(1, 5),
    rate=st.floats(0.5, 30),
    ttl=st.floats(0.5, 20),
    latency=st.floats(0, 2),
    seed=st.integers(0, 1000),
)
def test_coalescing_never_adds_calls_and_bounds_them_by_refills(keys, rate, ttl, latency, seed):
    params = {"keys": keys, "rate": rate, "ttl": ttl, "latency": latency, "horizon": 60}
    plain = simulate_herd(**params, jitter=0, coalesce=False, seed=seed)
    single = simulate_herd(**params, jitter=0, coalesce=True, seed=seed)
    assert single.requests == plain.requests
    assert single.backend_calls <= plain.backend_calls <= plain.requests
    # a refill lasts at least ttl + latency, so a key refills at most 60 / ttl times
    assert single.backend_calls <= keys * (int(60 / ttl) + 1)
    assert simulate_herd(**params, jitter=0, coalesce=True, seed=seed) == single


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"keys": 0}, ValueError, "keys must be in [1, 10000], got 0"),
        ({"keys": True}, TypeError, "keys must be an int, got bool: True"),
        ({"rate": float("nan")}, ValueError, "rate must be a finite number"),
        ({"ttl": -1}, ValueError, "ttl must be a finite number > 0, got -1"),
        ({"jitter": 1}, ValueError, "jitter must be a finite number in [0, 1), got 1"),
        ({"latency": float("inf")}, ValueError, "latency must be a finite number >= 0, got inf"),
        ({"coalesce": 1}, TypeError, "coalesce must be a bool, got int: 1"),
        ({"keys": 10_000, "rate": 10_000}, ValueError, "keys * rate * horizon must be <= 5000000"),
        ({"seed": "1"}, TypeError, "seed must be an int, got str: '1'"),
    ],
)
def test_simulate_herd_rejects_bad_input(kwargs, error, message):
    params = {**HERD, "jitter": 0.0, "coalesce": True, "seed": 1, **kwargs}
    with pytest.raises(error) as info:
        simulate_herd(**params)
    assert message in str(info.value)


def test_bad_input_at_the_other_entry_points():
    flight: SingleFlight[int] = SingleFlight()
    with pytest.raises(TypeError, match=r"key must be hashable, got dict: \{\}"):
        flight.do({}, lambda: 1)
    with pytest.raises(TypeError, match="load must be callable, got int: 3"):
        flight.do("k", 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="rng must be a random.Random, got int: 5"):
        jittered_ttl(10, 0.1, 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ttl must be a finite number > 0, got nan"):
        jittered_ttl(float("nan"), 0.1, random.Random(1))
    with pytest.raises(ValueError, match=r"threads must be in \[1, 256\], got 0"):
        concurrent_misses(0, coalesce=True)
    with pytest.raises(TypeError, match="coalesce must be a bool, got str: 'yes'"):
        concurrent_misses(2, coalesce="yes")  # type: ignore[arg-type]
