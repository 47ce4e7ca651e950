"""Rate limiting: five algorithms in one process and over Redis, and the HTTP side (429).

A rate limiter decides, per key (a user, an API token, an IP address), whether
a request may proceed, so that one client cannot starve the others or take a
service down. Interviewers ask for one because a small piece of code exposes a
lot: the exact semantics at window edges, memory per key, what happens when
many servers share the limit (atomicity), clocks, and what the client is told.

- :mod:`~studybook.senior.rate_limiting.local`: token bucket, leaky bucket (as a
  meter, GCRA), fixed window, sliding log and sliding window counter behind one
  :class:`~studybook.senior.rate_limiting.local.RateLimiter` protocol, on an
  injected clock;
- :mod:`~studybook.senior.rate_limiting.distributed`: the same five over Redis
  through the ``redis`` client library, atomic with ``MULTI``/``EXEC``
  (and ``WATCH``), tested against MiniRedis and a real redis-server;
- :mod:`~studybook.senior.rate_limiting.headers`: 429 Too Many Requests and
  ``Retry-After``, from both the server's and the client's side.

Invariant: a limiter built with ``limit`` and ``window`` never allows more than
``limit`` in the sense its algorithm defines (any ``window`` for the sliding log,
each aligned window for the fixed window, ``limit`` plus refill for the buckets,
the weighted estimate for the sliding window counter), even with many threads or
servers sharing it; and a client refused with ``retry_after`` that waits exactly
that long is admitted.

====================  ==============  =============  ======================================
Algorithm             Time/request    Memory/key     Edge behaviour
====================  ==============  =============  ======================================
Token bucket          O(1)            O(1)           bursts up to ``limit``, then the rate
Leaky bucket (GCRA)   O(1)            O(1)           identical to the token bucket
Fixed window          O(1)            O(1)           up to ``2 * limit`` across a boundary
Sliding log           O(1) amortised  O(limit)       exact
Sliding counter       O(1)            O(1)           up to ``2 * limit - 1`` per window span
====================  ==============  =============  ======================================

>>> from studybook.senior.rate_limiting.local import TokenBucket
>>> now = [0.0]
>>> limiter = TokenBucket(limit=3, window=1.0, clock=lambda: now[0])
>>> [limiter.allow("alice").allowed for _ in range(4)]
[True, True, True, False]

Primary sources: RFC 6585 section 4 (429), RFC 9110 sections 10.2.3 (Retry-After)
and 5.6.7 (HTTP-date),
ITU-T Recommendation I.371 (the generic cell rate algorithm).
"""

from __future__ import annotations

from typing import TextIO

__all__ = ["demo"]


def demo(out: TextIO) -> None:
    """Run the five limiters side by side on a fake clock and show a 429 response.

    >>> import io
    >>> buf = io.StringIO(); demo(buf)
    >>> print(buf.getvalue(), end="")
    limit 5 per 5 s; 8 requests at t=0, then 2 at t=1.0
    TokenBucket           allowed 5 of 8 at t=0; 1 more at t=1.0
    LeakyBucket           allowed 5 of 8 at t=0; 1 more at t=1.0
    FixedWindow           allowed 5 of 8 at t=0; 0 more at t=1.0
    SlidingLog            allowed 5 of 8 at t=0; 0 more at t=1.0
    SlidingWindowCounter  allowed 5 of 8 at t=0; 0 more at t=1.0
    a refused request becomes HTTP 429 with Retry-After 60
    """
    from studybook.senior.rate_limiting.headers import http_response
    from studybook.senior.rate_limiting.local import (
        FixedWindow,
        LeakyBucket,
        SlidingLog,
        SlidingWindowCounter,
        TokenBucket,
    )

    out.write("limit 5 per 5 s; 8 requests at t=0, then 2 at t=1.0\n")
    for cls in (TokenBucket, LeakyBucket, FixedWindow, SlidingLog, SlidingWindowCounter):
        now = [0.0]

        def clock(now: list[float] = now) -> float:
            return now[0]

        limiter = cls(limit=5, window=5.0, clock=clock)
        first = sum(limiter.allow("k").allowed for _ in range(8))
        now[0] = 1.0
        later = sum(limiter.allow("k").allowed for _ in range(2))
        out.write(f"{cls.__name__:<22}allowed {first} of 8 at t=0; {later} more at t=1.0\n")
    now = [0.0]
    limiter = SlidingLog(limit=1, window=60.0, clock=lambda: now[0])
    limiter.allow("k")
    status, headers = http_response(limiter.allow("k"))
    out.write(
        f"a refused request becomes HTTP {status} with Retry-After {headers['Retry-After']}\n"
    )
