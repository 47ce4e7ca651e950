"""HTTP: turn a :class:`~studybook.senior.rate_limiting.local.Decision` into a status and headers.

A server that refuses a request for being over a rate limit answers
``429 Too Many Requests`` (RFC 6585, section 4) and should say when to come
back with ``Retry-After`` (RFC 9110, section 10.2.3), either a number of
seconds or an HTTP date. ``X-RateLimit-Limit`` and ``X-RateLimit-Remaining`` are
widespread but not standardised; the IETF httpapi working group's
"RateLimit header fields for HTTP" is still an Internet-Draft.
"""

from __future__ import annotations

import email.utils
import math
import random
from collections.abc import Mapping

from studybook.senior.rate_limiting.local import Decision

__all__ = ["client_delay", "http_response", "parse_retry_after"]


def http_response(decision: Decision) -> tuple[int, dict[str, str]]:
    """Status code and headers for a decision: 200, or 429 with ``Retry-After``.

    ``Retry-After`` is rounded *up* to whole seconds (RFC 9110 allows only
    integers), so a client that honours it is never early.

    Complexity: O(1).

    >>> http_response(Decision(False, limit=10, remaining=0, retry_after=2.1))
    (429, {'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': '0', 'Retry-After': '3'})
    >>> http_response(Decision(True, limit=10, remaining=9, retry_after=0.0))[0]
    200
    """
    headers = {
        "X-RateLimit-Limit": str(decision.limit),
        "X-RateLimit-Remaining": str(decision.remaining),
    }
    if decision.allowed:
        return 200, headers
    headers["Retry-After"] = str(max(1, math.ceil(decision.retry_after)))
    return 429, headers


def parse_retry_after(value: str, now: float) -> float:
    """Seconds to wait from a ``Retry-After`` value: delay-seconds or an HTTP-date.

    Args:
        value: the header value.
        now: the current time, seconds since the epoch (for the date form).

    Raises:
        ValueError: neither form.

    Complexity: O(len(value)).

    >>> parse_retry_after("120", now=0.0)
    120.0
    >>> parse_retry_after("Thu, 01 Jan 1970 00:01:00 GMT", now=30.0)
    30.0
    >>> parse_retry_after("soon", now=0.0)
    Traceback (most recent call last):
        ...
    ValueError: Retry-After must be delay-seconds or an HTTP-date, got 'soon'
    """
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        raise ValueError(
            f"Retry-After must be delay-seconds or an HTTP-date, got {value!r}"
        ) from None
    return max(0.0, when - now)


def client_delay(
    status: int,
    headers: Mapping[str, str],
    attempt: int,
    *,
    now: float,
    base: float = 0.5,
    cap: float = 60.0,
    rng: random.Random | None = None,
) -> float | None:
    """How long a well-behaved client waits before retrying; None if it should not retry.

    Honour ``Retry-After`` when present; otherwise back off exponentially with
    full jitter, ``uniform(0, min(cap, base * 2**attempt))``, so that many clients
    refused at once do not return at once.

    Complexity: O(1).

    >>> client_delay(429, {"Retry-After": "3"}, attempt=0, now=0.0)
    3.0
    >>> 0 <= client_delay(503, {}, attempt=3, now=0.0, rng=random.Random(1)) <= 4.0
    True
    >>> client_delay(404, {}, attempt=0, now=0.0) is None
    True
    """
    if status not in (429, 503):
        return None
    retry_after = {k.lower(): v for k, v in headers.items()}.get("retry-after")
    if retry_after is not None:
        return parse_retry_after(retry_after, now)
    rng = rng if rng is not None else random.Random()  # noqa: S311 - jitter, not security
    return rng.uniform(0.0, min(cap, base * 2.0**attempt))
