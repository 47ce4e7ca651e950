"""An asyncio crawler-style worker pool with a concurrency limit and a rate limit.

Two limits that interviewers like to see kept apart:

- **concurrency** (how many requests are *in flight* at once) is an
  ``asyncio.Semaphore``: a task takes a permit before it starts and returns it
  when it finishes, however long that takes;
- **rate** (how many requests *start* per second) is a token bucket on the
  event loop's clock: ``burst`` tokens, refilled at ``rate`` per second,
  one per start.

A server may allow 100 concurrent connections but only 10 new requests a
second; a slow server turns a rate limit into a concurrency problem, and a
fast one turns a concurrency limit into a flood. The crawler discovers new
work as it goes (each page yields links), deduplicates it with a seen-set and
stops at ``max_pages``.

Time is injected: the bucket reads ``loop.time()``, so the tests and doctests
run the crawler on :class:`VirtualTimeLoop`, an event loop whose clock jumps
straight to the next timer. A crawl of simulated seconds takes milliseconds
and its timings are exact.

>>> async def fetch(url: str) -> list[str]:
...     await asyncio.sleep(1.0)  # one simulated second per page
...     return [url + "/a", url + "/b"] if len(url) < 3 else []
>>> r = run_virtual(crawl(["x"], fetch, concurrency=2, rate=2, burst=1))
>>> [(t, url) for t, url in r.started]
[(0.0, 'x'), (1.0, 'x/a'), (1.5, 'x/b')]

Primary sources: the Python documentation, "asyncio: Synchronization
Primitives" (Semaphore) and "Event Loop" (``loop.time``); J. Turner, "New
directions in communications (or which way to the information age?)", IEEE
Communications Magazine 24(10), 1986 (the leaky bucket).
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from studybook.fundamentals.concurrency._check import check_count, check_rate

__all__ = ["CrawlResult", "TokenBucket", "VirtualTimeLoop", "crawl", "run_virtual"]

T = TypeVar("T")


class TokenBucket:
    """A token bucket that hands out *reservations*: how long to wait for the next token.

    The bucket holds up to ``burst`` tokens and gains ``rate`` per second.
    ``reserve`` always takes a token, letting the balance go negative, and
    returns how long the caller must wait for it to exist. Callers are
    therefore served in the order they ask, and nobody polls.

    Args:
        rate: tokens per second, positive and finite.
        burst: bucket size, at least 1: how many may start at once after a pause.
        clock: seconds as a float, e.g. ``loop.time`` or ``time.monotonic``.

    >>> now = [0.0]
    >>> bucket = TokenBucket(rate=2, burst=2, clock=lambda: now[0])
    >>> [bucket.reserve() for _ in range(4)]
    [0.0, 0.0, 0.5, 1.0]
    >>> TokenBucket(rate=0, burst=1, clock=lambda: 0.0)
    Traceback (most recent call last):
    ValueError: rate must be positive and finite, got 0
    """

    def __init__(self, rate: float, burst: int, clock: Callable[[], float]) -> None:
        self._rate = check_rate(rate, "rate")
        self._burst = check_count(burst, "burst", minimum=1)
        if not callable(clock):
            raise TypeError(f"clock must be callable, got {clock!r}")
        self._clock = clock
        self._tokens = float(self._burst)
        self._last = clock()

    def reserve(self) -> float:
        """Take one token; return the seconds until it is available (``0.0`` if now).

        Complexity: O(1).
        """
        now = self._clock()
        # A clock that steps back grants nothing (and takes nothing back).
        elapsed = max(0.0, now - self._last)
        self._last = max(self._last, now)
        self._tokens = min(float(self._burst), self._tokens + elapsed * self._rate)
        self._tokens -= 1.0
        return 0.0 if self._tokens >= 0 else -self._tokens / self._rate


@dataclass(frozen=True)
class CrawlResult:
    """What a crawl fetched."""

    #: url -> the links its page returned, for pages fetched successfully.
    pages: dict[str, tuple[str, ...]]
    #: url -> ``"ExceptionType: message"`` for fetches that raised.
    errors: dict[str, str]
    #: ``(loop time, url)`` for every fetch, in the order they started.
    started: tuple[tuple[float, str], ...]
    #: the most fetches in flight at the same moment.
    max_in_flight: int


async def crawl(
    seeds: Iterable[str],
    fetch: Callable[[str], Awaitable[Iterable[str]]],
    *,
    concurrency: int = 4,
    rate: float | None = None,
    burst: int = 1,
    max_pages: int = 1000,
) -> CrawlResult:
    """Fetch ``seeds`` and every link they lead to, each URL once, within both limits.

    One task per URL; a task waits for a semaphore permit (the concurrency
    limit), then for its token (the rate limit), then fetches. A fetch that
    raises is recorded in ``errors`` and does not stop the crawl.

    Args:
        seeds: the starting URLs (an iterable of ``str``, not one ``str``).
        fetch: ``async fetch(url) -> iterable of links``.
        concurrency: most fetches in flight, at least 1.
        rate: most fetch starts per second, or ``None`` for no rate limit.
        burst: token-bucket size (starts allowed at once), at least 1.
        max_pages: most URLs fetched, at least 1; later discoveries are dropped.

    Returns:
        A :class:`CrawlResult`.

    Raises:
        TypeError, ValueError: bad limits, a ``str`` as ``seeds``, a non-``str`` seed.

    Complexity: O(p + l) bookkeeping for p pages and l links, plus the fetches.

    >>> async def no_links(url: str) -> list[str]:
    ...     return []
    >>> run_virtual(crawl("https://a", no_links))
    Traceback (most recent call last):
    TypeError: seeds must be an iterable of URLs, not one str: 'https://a'
    """
    if isinstance(seeds, str | bytes):
        raise TypeError(f"seeds must be an iterable of URLs, not one str: {seeds!r}")
    seed_list = list(seeds)
    for url in seed_list:
        if not isinstance(url, str):
            raise TypeError(f"every seed must be a str, got {type(url).__name__}: {url!r}")
    if not callable(fetch):
        raise TypeError(f"fetch must be an async callable, got {fetch!r}")
    check_count(concurrency, "concurrency", minimum=1)
    check_count(max_pages, "max_pages", minimum=1)
    check_count(burst, "burst", minimum=1)
    loop = asyncio.get_running_loop()
    bucket = None if rate is None else TokenBucket(rate, burst, loop.time)
    permits = asyncio.Semaphore(concurrency)
    pages: dict[str, tuple[str, ...]] = {}
    errors: dict[str, str] = {}
    started: list[tuple[float, str]] = []
    seen: set[str] = set()
    in_flight = peak = 0

    async def visit(url: str, tasks: asyncio.TaskGroup) -> None:
        nonlocal in_flight, peak
        async with permits:
            if bucket is not None:
                await asyncio.sleep(bucket.reserve())
            in_flight += 1
            peak = max(peak, in_flight)
            started.append((loop.time(), url))
            try:
                found = await fetch(url)
                if isinstance(found, str | bytes):  # would be crawled letter by letter
                    raise TypeError(
                        f"fetch returned one {type(found).__name__}, not links: {found!r}"
                    )
                links = tuple(found)
                for link in links:
                    if not isinstance(link, str):
                        raise TypeError(f"fetch returned a {type(link).__name__} link: {link!r}")
            except Exception as exc:  # a failed page is data, not a crash
                errors[url] = f"{type(exc).__name__}: {exc}"
                return
            finally:
                in_flight -= 1
            pages[url] = links
        for link in links:
            schedule(link, tasks)

    def schedule(url: str, tasks: asyncio.TaskGroup) -> None:
        if url not in seen and len(seen) < max_pages:
            seen.add(url)
            tasks.create_task(visit(url, tasks))

    async with asyncio.TaskGroup() as tasks:
        for url in seed_list:
            schedule(url, tasks)
    return CrawlResult(pages, errors, tuple(started), peak)


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock jumps to the next timer instead of sleeping.

    For code that waits only on timers (``asyncio.sleep``, timeouts): when
    nothing is ready, the loop advances its clock by exactly the time until
    the next timer. asyncio caps one wait at a day
    (``asyncio.base_events.MAXIMUM_SELECT_TIMEOUT``, 24 h in CPython 3.11),
    so a simulated year costs 365 turns of the loop, and a sleep of 1e15
    seconds would take billions. Waiting with no timer pending is a deadlock
    here, so it raises ``RuntimeError`` instead of hanging.

    >>> loop = VirtualTimeLoop()
    >>> loop.run_until_complete(asyncio.sleep(3600)), loop.time()
    (None, 3600.0)
    >>> loop.close()
    """

    def __init__(self) -> None:
        self._virtual_now = 0.0
        super().__init__(_JumpingSelector(self._advance))

    def time(self) -> float:
        """The virtual clock, in seconds since the loop was made."""
        return self._virtual_now

    def _advance(self, seconds: float) -> None:
        self._virtual_now += seconds


class _JumpingSelector(selectors.SelectSelector):
    def __init__(self, advance: Callable[[float], None]) -> None:
        super().__init__()
        self._advance = advance

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        if timeout is None:
            raise RuntimeError("virtual-time loop would wait forever: no timer is pending")
        if timeout > 0:
            self._advance(timeout)
        return super().select(0)


def run_virtual(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion on a fresh :class:`VirtualTimeLoop` and close it.

    >>> async def nap() -> float:
    ...     await asyncio.sleep(2.5)
    ...     return asyncio.get_running_loop().time()
    >>> run_virtual(nap())
    2.5
    """
    loop = VirtualTimeLoop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()
