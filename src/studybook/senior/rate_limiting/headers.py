"""HTTP: turn a :class:`~studybook.senior.rate_limiting.local.Decision` into a status and headers.

A server that refuses a request for being over a rate limit answers
``429 Too Many Requests`` (RFC 6585, section 4) and should say when to come
back with ``Retry-After`` (RFC 9110, section 10.2.3), either a number of
seconds or an HTTP date. ``X-RateLimit-Limit`` and ``X-RateLimit-Remaining`` are
widespread but not standardised; the IETF httpapi working group's
"RateLimit header fields for HTTP" is still an Internet-Draft.
"""

from __future__ import annotations

import datetime
import email.utils
import math
import random
import re
from collections.abc import Mapping

from studybook.senior.rate_limiting.local import Decision

__all__ = ["client_delay", "http_response", "parse_retry_after"]


def http_response(decision: Decision) -> tuple[int, dict[str, str]]:
    """Status code and headers for a decision: 200, or 429 with ``Retry-After``.

    ``Retry-After`` is rounded *up* to whole seconds (RFC 9110 allows only
    integers), so a client that honours it is never early.

    Raises:
        TypeError: ``decision`` is not a :class:`~studybook.senior.rate_limiting.local.Decision`.

    Complexity: O(1).

    >>> http_response(Decision(False, limit=10, remaining=0, retry_after=2.1))
    (429, {'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': '0', 'Retry-After': '3'})
    >>> http_response(Decision(True, limit=10, remaining=9, retry_after=0.0))
    (200, {'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': '9'})
    """
    if not isinstance(decision, Decision):
        raise TypeError(f"decision must be a Decision, got {decision!r}")
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

    ``delay-seconds`` is ``1*DIGIT``, and ABNF's ``DIGIT`` is ASCII ``0``-``9``
    only (RFC 5234, appendix B.1), so ``"١٢"`` (Arabic-Indic digits, which
    ``str.isdigit`` accepts) is refused. An HTTP-date may come in any of the
    three forms a recipient must accept (RFC 9110, section 5.6.7); the asctime
    form carries no zone and is read as UTC, as the RFC says, never as local time.
    The RFC 850 form has a two-digit year, which the RFC says to read as the
    latest year with those digits that is not more than 50 years after ``now``
    (``email.utils`` alone would pin ``70`` to 1970 for ever).

    Args:
        value: the header value.
        now: the current time, seconds since the epoch (for the date form).

    Returns:
        The wait in seconds, 0 for a date in the past.

    Raises:
        TypeError: ``value`` is not a str or ``now`` not a number.
        ValueError: neither form, or ``now`` not finite.

    Complexity: O(len(value)).

    >>> parse_retry_after("120", now=0.0)
    120.0
    >>> parse_retry_after("Thu, 01 Jan 1970 00:01:00 GMT", now=30.0)
    30.0
    >>> parse_retry_after("Thu Jan  1 00:01:00 1970", now=30.0)   # asctime: UTC
    30.0
    >>> jan_2026 = 1767225600.0                  # RFC 850 "70" read in 2026: 2070, not 1970
    >>> parse_retry_after("Thursday, 01-Jan-70 00:00:00 GMT", now=jan_2026) / 86400
    16071.0
    >>> parse_retry_after("١٢", now=0.0)
    Traceback (most recent call last):
        ...
    ValueError: Retry-After must be delay-seconds or an HTTP-date, got '١٢'
    """
    if not isinstance(value, str):
        raise TypeError(f"Retry-After must be a str, got {value!r}")
    if isinstance(now, bool) or not isinstance(now, (int, float)):
        raise TypeError(f"now must be a number of seconds, got {now!r}")
    if not math.isfinite(now):
        raise ValueError(f"now must be finite, got {now!r}")
    text = value.strip(" \t")  # optional whitespace (OWS) is SP and HTAB only
    if not text.isascii():
        raise ValueError(f"Retry-After must be delay-seconds or an HTTP-date, got {value!r}")
    if text.isdigit():
        seconds = float(text)
        if math.isinf(seconds):
            raise ValueError(f"Retry-After is too large, got {value!r}")
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        raise ValueError(
            f"Retry-After must be delay-seconds or an HTTP-date, got {value!r}"
        ) from None
    if when.tzinfo is None:  # asctime (or "-0000"): UTC by RFC 9110, not the local zone
        when = when.replace(tzinfo=datetime.UTC)
    two_digit_year = _RFC850_YEAR.search(text)
    if two_digit_year:
        when = _rfc850_century(when, int(two_digit_year[1]), now, value)
    return max(0.0, when.timestamp() - now)


_RFC850_YEAR = re.compile(r"^[A-Za-z]+, *\d{1,2}-[A-Za-z]{3}-(\d{2}) ")
"""``Sunday, 06-Nov-94 08:49:37 GMT``: the RFC 850 form, capturing its two-digit year."""


def _rfc850_century(when: datetime.datetime, yy: int, now: float, value: str) -> datetime.datetime:
    """Move ``when`` to the latest year ending in ``yy`` at most 50 years after ``now``'s year."""
    try:
        now_year = datetime.datetime.fromtimestamp(now, datetime.UTC).year
    except (OverflowError, ValueError, OSError):  # beyond datetime's years 1..9999
        now_year = 9999 if now > 0 else 1
    now_year = min(max(now_year, 50), 9949)  # keep the result inside 1..9999
    year = now_year + 50 - (now_year + 50 - yy) % 100
    try:
        return when.replace(year=year)
    except ValueError:  # 29 Feb of a year that has none
        raise ValueError(
            f"Retry-After must be delay-seconds or an HTTP-date, got {value!r}"
        ) from None


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

    Honour ``Retry-After`` when present and well formed; otherwise (absent or
    malformed) back off exponentially with full jitter,
    ``uniform(0, min(cap, base * 2**attempt))``, so that many clients refused at
    once do not return at once. A malformed header is a server bug, and a
    client that crashed on it, or retried at once, would make things worse.

    Args:
        status: the response's status code; only 429 and 503 are retried.
        headers: the response's headers (names in any case).
        attempt: how many retries came before this one (0 for the first).
        now: the current time, seconds since the epoch.
        base: the first backoff ceiling, seconds.
        cap: the largest backoff ceiling, seconds.
        rng: the random generator for the jitter (seed it in tests).

    Raises:
        TypeError: an argument of the wrong type (``bool`` is not a number).
        ValueError: ``attempt < 0``, ``now`` not finite, or ``base``/``cap`` not
            finite and positive.

    Complexity: O(number of headers).

    >>> client_delay(429, {"Retry-After": "3"}, attempt=0, now=0.0)
    3.0
    >>> client_delay(429, {"Retry-After": "soon"}, attempt=2, now=0.0, rng=random.Random(1))
    0.26872848822480244
    >>> client_delay(404, {}, attempt=0, now=0.0) is None
    True
    >>> client_delay(429, {}, attempt=-1, now=0.0)
    Traceback (most recent call last):
        ...
    ValueError: attempt must be an integer >= 0, got -1
    """
    if isinstance(status, bool) or not isinstance(status, int):
        raise TypeError(f"status must be an int, got {status!r}")
    if not isinstance(headers, Mapping):
        raise TypeError(f"headers must be a mapping, got {headers!r}")
    if isinstance(attempt, bool) or not isinstance(attempt, int):
        raise TypeError(f"attempt must be an integer >= 0, got {attempt!r}")
    if attempt < 0:
        raise ValueError(f"attempt must be an integer >= 0, got {attempt!r}")
    if isinstance(now, bool) or not isinstance(now, (int, float)):
        raise TypeError(f"now must be a number of seconds, got {now!r}")
    if not math.isfinite(now):  # else a bad clock would pass for a malformed header
        raise ValueError(f"now must be finite, got {now!r}")
    for name, number in (("base", base), ("cap", cap)):
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise TypeError(f"{name} must be a number of seconds, got {number!r}")
        if not (math.isfinite(number) and number > 0):
            raise ValueError(f"{name} must be a finite number > 0, got {number!r}")
    if status not in (429, 503):
        return None
    retry_after = {str(k).lower(): v for k, v in headers.items()}.get("retry-after")
    if retry_after is not None:
        try:
            return parse_retry_after(retry_after, now)
        except ValueError:
            pass  # malformed: fall back to backoff below
    rng = rng if rng is not None else random.Random()  # noqa: S311 - jitter, not security
    ceiling = min(cap, base * 2.0 ** min(attempt, 1000))  # 2.0**1024 overflows
    return rng.uniform(0.0, ceiling)
