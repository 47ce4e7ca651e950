"""What an HTTP cache or CDN may do with a stored response: RFC 9111 freshness, RFC 5861 staleness.

A shared cache (a CDN edge, a reverse proxy) computes a response's *freshness
lifetime* from ``Cache-Control`` (``s-maxage`` first, then ``max-age``) or
from ``Expires`` minus ``Date``; the response is fresh while its age is below
that lifetime (RFC 9111, section 4.2). ``stale-while-revalidate=N`` (RFC 5861,
section 3) lets the cache serve it for N more seconds while it revalidates in
the background, unless ``must-revalidate`` (or, in a shared cache,
``proxy-revalidate`` or ``s-maxage``) forbids serving it stale (RFC 9111,
section 4.2.4); ``no-store`` forbids storing, ``private`` forbids a shared
cache from storing, ``no-cache`` demands revalidation before every reuse. The
field-qualified forms (``private="Set-Cookie"``, ``no-cache="Set-Cookie"``) are
treated like the bare directives: stricter than RFC 9111 requires, never looser.

>>> cache_decision("public, max-age=60, stale-while-revalidate=30", age=75)
'stale-while-revalidate'

Primary sources: RFC 9111 "HTTP Caching" (June 2022), sections 4.2 and 5.2;
RFC 5861 "HTTP Cache-Control Extensions for Stale Content" (May 2010).
"""

from __future__ import annotations

from studybook._validate import check_real, check_str

__all__ = ["cache_decision", "freshness_lifetime", "parse_cache_control"]


def parse_cache_control(header: str) -> dict[str, str | None]:
    """Split a ``Cache-Control`` value into lower-cased directives and their arguments.

    Raises:
        TypeError: ``header`` is not a str.

    Complexity: O(len(header)).

    >>> parse_cache_control('Public, Max-Age=60, no-cache="Set-Cookie"')
    {'public': None, 'max-age': '60', 'no-cache': 'Set-Cookie'}
    """
    directives: dict[str, str | None] = {}
    for part in check_str(header, "header").split(","):
        name, sep, arg = part.strip().partition("=")
        if not name:
            continue
        # RFC 9111 section 4.2.1: with duplicates, the first occurrence is used.
        directives.setdefault(name.strip().lower(), arg.strip().strip('"') if sep else None)
    return directives


def freshness_lifetime(
    cache_control: str, *, shared: bool = True, expires_minus_date: float | None = None
) -> float | None:
    """Return the freshness lifetime in seconds, or ``None`` if the response gives none.

    ``s-maxage`` (shared caches only), then ``max-age``, then ``Expires - Date``;
    an unparsable delta-seconds makes the response stale (lifetime 0), as
    section 4.2.1 encourages. (A cache may then apply a heuristic; this does not.)

    Raises:
        TypeError: a wrong argument type.
        ValueError: a non-finite ``expires_minus_date``.

    >>> both = "max-age=60, s-maxage=600"
    >>> freshness_lifetime(both), freshness_lifetime(both, shared=False)
    (600.0, 60.0)
    >>> freshness_lifetime("max-age=ten"), freshness_lifetime("public") is None
    (0.0, True)
    """
    if not isinstance(shared, bool):
        raise TypeError(f"shared must be a bool, got {type(shared).__name__}: {shared!r}")
    directives = parse_cache_control(cache_control)
    names = ("s-maxage", "max-age") if shared else ("max-age",)
    for name in names:
        if name in directives:
            arg = directives[name] or ""
            return float(arg) if arg.isdecimal() and arg.isascii() else 0.0
    if expires_minus_date is not None:
        return max(0.0, check_real(expires_minus_date, "expires_minus_date"))
    return None


def cache_decision(cache_control: str, *, age: float, shared: bool = True) -> str:
    """Say what a cache may do with a stored response of this ``age`` (seconds).

    Returns one of ``"no-store"`` (must not be stored), ``"revalidate"`` (must
    ask the origin first), ``"fresh"`` (serve it), ``"stale-while-revalidate"``
    (serve it and refresh in the background) or ``"stale"`` (fetch or revalidate).
    ``must-revalidate``, and in a shared cache ``proxy-revalidate`` or
    ``s-maxage``, forbid serving a stale response (RFC 9111, section 4.2.4), so
    they override ``stale-while-revalidate``.

    Raises:
        TypeError: ``shared`` is not a bool, or a wrong argument type.
        ValueError: a negative or non-finite ``age``.

    Complexity: O(len(cache_control)).

    >>> [cache_decision("max-age=60, stale-while-revalidate=30", age=a) for a in (59, 60, 90, 91)]
    ['fresh', 'stale-while-revalidate', 'stale-while-revalidate', 'stale']
    >>> mine = "private, max-age=60"
    >>> cache_decision(mine, age=0), cache_decision(mine, age=0, shared=False)
    ('no-store', 'fresh')
    >>> cache_decision("max-age=60, must-revalidate, stale-while-revalidate=30", age=70)
    'stale'
    >>> cache_decision("max-age=60", age=-1)
    Traceback (most recent call last):
        ...
    ValueError: age must be a finite number >= 0, got -1
    """
    age = check_real(age, "age", low=0)
    if not isinstance(shared, bool):
        raise TypeError(f"shared must be a bool, got {type(shared).__name__}: {shared!r}")
    directives = parse_cache_control(cache_control)
    if "no-store" in directives or (shared and "private" in directives):
        return "no-store"
    if "no-cache" in directives:
        return "revalidate"
    lifetime = freshness_lifetime(cache_control, shared=shared)
    if lifetime is None:
        return "stale"
    if age < lifetime:
        return "fresh"
    no_stale = (
        {"must-revalidate", "proxy-revalidate", "s-maxage"} if shared else {"must-revalidate"}
    )
    if no_stale & directives.keys():  # RFC 9111 section 4.2.4: never served stale
        return "stale"
    swr = directives.get("stale-while-revalidate") or ""
    if swr.isdecimal() and swr.isascii() and age <= lifetime + int(swr):
        return "stale-while-revalidate"
    return "stale"
