"""The crawler on a virtual clock: both limits exact, every page once, errors kept; races; GIL."""

from __future__ import annotations

import asyncio
import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.fundamentals.concurrency import (
    TokenBucket,
    crawl,
    lost_update,
    measure,
    run_virtual,
)


def site(links: dict[str, list[str]], seconds: float = 1.0):
    async def fetch(url: str) -> list[str]:
        await asyncio.sleep(seconds)
        if url == "boom":
            raise ConnectionError("reset by peer")
        return links.get(url, [])

    return fetch


def test_concurrency_limit_is_reached_and_never_exceeded():
    pages = [f"p{i}" for i in range(10)]
    r = run_virtual(crawl(pages, site({}), concurrency=3))
    assert r.max_in_flight == 3
    # 10 one-second fetches, 3 at a time: starts at 0, 0, 0, 1, 1, 1, 2, 2, 2, 3.
    assert [t for t, _ in r.started] == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3]


def test_rate_limit_spaces_starts_exactly():
    pages = [f"p{i}" for i in range(6)]
    r = run_virtual(crawl(pages, site({}, seconds=0.01), concurrency=100, rate=4, burst=2))
    assert [t for t, _ in r.started] == [0, 0, 0.25, 0.5, 0.75, 1.0]


@settings(max_examples=25, deadline=None)
@given(
    st.dictionaries(st.integers(0, 9), st.lists(st.integers(0, 9), max_size=4), max_size=10),
    st.integers(1, 4),
    st.integers(1, 3),
)
def test_every_reachable_page_is_fetched_once_within_both_limits(graph, concurrency, burst):
    links = {f"u{a}": [f"u{b}" for b in bs] for a, bs in graph.items()}
    rate = 3.0
    r = run_virtual(crawl(["u0"], site(links), concurrency=concurrency, rate=rate, burst=burst))
    g = nx.DiGraph([(a, b) for a, bs in links.items() for b in bs])
    g.add_node("u0")
    expected = nx.descendants(g, "u0") | {"u0"}
    fetched = [u for _, u in r.started]
    assert sorted(fetched) == sorted(expected)  # each exactly once
    assert r.max_in_flight <= concurrency
    times = [t for t, _ in r.started]
    for i, t in enumerate(times):  # token bucket: at most burst + rate * w starts in any window w
        for j in range(i, len(times)):
            window = times[j] - t
            assert j - i + 1 <= burst + math.floor(rate * window + 1e-9)


def test_a_failing_fetch_is_recorded_and_the_crawl_goes_on():
    r = run_virtual(crawl(["a"], site({"a": ["boom", "b"]})))
    assert r.errors == {"boom": "ConnectionError: reset by peer"}
    assert set(r.pages) == {"a", "b"}


def test_a_fetch_returning_one_string_is_an_error_not_a_crawl_of_its_letters():
    async def fetch(url: str) -> str:
        await asyncio.sleep(0)
        return "ab"

    r = run_virtual(crawl(["x"], fetch))  # type: ignore[arg-type]
    assert r.errors == {"x": "TypeError: fetch returned one str, not links: 'ab'"}
    assert r.pages == {}


def test_max_pages_bounds_an_infinite_site():
    async def fetch(url: str) -> list[str]:
        await asyncio.sleep(0)
        return [url + "x"]

    r = run_virtual(crawl(["x"], fetch, max_pages=5))
    assert len(r.pages) == 5


def test_token_bucket_refills_and_ignores_a_clock_that_steps_back():
    now = [10.0]
    b = TokenBucket(rate=1, burst=3, clock=lambda: now[0])
    assert [b.reserve() for _ in range(4)] == [0, 0, 0, 1.0]
    now[0] = 5.0  # stepped back: no tokens granted, none taken
    assert b.reserve() == 2.0
    now[0] = 100.0  # a long pause refills only up to burst
    assert [b.reserve() for _ in range(4)] == [0, 0, 0, 1.0]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"concurrency": 0}, ValueError, "concurrency must be at least 1, got 0"),
        ({"concurrency": True}, TypeError, "concurrency must be an int, got bool: True"),
        ({"rate": float("nan")}, ValueError, "rate must be positive and finite, got nan"),
        ({"rate": -1}, ValueError, "rate must be positive and finite, got -1"),
        ({"burst": 0}, ValueError, "burst must be at least 1, got 0"),
        ({"max_pages": 0}, ValueError, "max_pages must be at least 1, got 0"),
    ],
)
def test_crawl_bad_input(kwargs, error, message):
    with pytest.raises(error, match=f"^{message}$"):
        run_virtual(crawl(["a"], site({}), **kwargs))


def test_crawl_bad_seeds_and_fetch():
    with pytest.raises(TypeError, match=r"^every seed must be a str, got int: 1$"):
        run_virtual(crawl([1], site({})))  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^fetch must be an async callable"):
        run_virtual(crawl(["a"], None))  # type: ignore[arg-type]


def test_virtual_loop_refuses_to_wait_forever():
    async def stuck() -> None:
        await asyncio.Event().wait()

    with pytest.raises(RuntimeError, match="would wait forever"):
        run_virtual(stuck())


@pytest.mark.parametrize("threads", [2, 5, 16])
def test_lost_update_is_deterministic(threads):
    assert lost_update(threads, locked=False) == 1
    assert lost_update(threads, locked=True) == threads


@pytest.mark.parametrize(
    ("threads", "error"), [(0, ValueError), (65, ValueError), (2.0, TypeError)]
)
def test_lost_update_bad_input(threads, error):
    with pytest.raises(error, match=repr(threads)):
        lost_update(threads, locked=True)


def test_measure_returns_positive_consistent_rows():
    # Shapes and arithmetic only: timings on a shared CI machine are not asserted.
    rows = measure(workers=2, cpu_loops=1000, io_tasks=3, io_wait=0.001)
    assert [r.runner for r in rows] == [
        "serial",
        "2 threads",
        "2 processes",
        "serial",
        "3 threads",
        "3 coroutines",
    ]
    for r in rows:
        assert r.seconds > 0
    for serial, others in ((rows[0], rows[:3]), (rows[3], rows[3:])):
        for r in others:
            assert r.speedup == pytest.approx(serial.seconds / r.seconds)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"workers": 0},
        {"workers": 33},
        {"io_wait": float("nan")},
        {"io_wait": 2},
        {"cpu_loops": 1.5},
    ],
)
def test_measure_bad_input(kwargs):
    with pytest.raises((ValueError, TypeError), match=repr(next(iter(kwargs.values())))):
        measure(**kwargs)
