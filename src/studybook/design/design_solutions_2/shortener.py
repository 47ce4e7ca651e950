"""A URL shortener: Snowflake IDs written in base62, custom aliases, collisions handled.

Two ways to make a code, both from the interview canon:

- ``"snowflake"``: the code is ``base62(next_id())``. IDs never repeat, so
  generated codes never collide with each other; the only possible clash is
  with a custom alias that happens to spell a future ID, and then the
  shortener simply draws the next ID.
- ``"hash"``: the code is the last ``code_length`` base62 digits of
  SHA-256(url). The same URL always gets the same code, but two URLs can share
  one; on a clash the shortener appends a counter to the URL and hashes again.

A Bloom filter (reused from :mod:`studybook.dsa.advanced_structures`) sits in
front of the code table: "not in the filter" proves a code is free without a
store lookup, the common case when the table lives in a remote database.
Creation is rate limited per client by any limiter of
:mod:`studybook.senior.rate_limiting` (they share one protocol).
"""

from __future__ import annotations

import hashlib
from typing import Literal
from urllib.parse import urlsplit

from studybook._validate import check_int, check_str
from studybook.design.design_solutions_2.ids import Snowflake, base62_encode
from studybook.dsa.advanced_structures import BloomFilter
from studybook.senior.rate_limiting.local import RateLimiter

__all__ = [
    "ALIAS_CHARACTERS",
    "AliasTakenError",
    "RateLimitedError",
    "UrlShortener",
    "hash_code",
]

ALIAS_CHARACTERS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_")
"""Characters allowed in a custom alias, base62 plus ``-`` and ``_`` (URL-safe, RFC 3986)."""
MAX_URL_LENGTH = 2048
"""Longest URL accepted; a common practical limit (RFC 9110 recommends supporting at least 8000)."""
MAX_HASH_ATTEMPTS = 1000
"""Rehashes the hash strategy tries before it declares its code space full."""


class AliasTakenError(ValueError):
    """A custom alias is already mapped to a different URL."""


class RateLimitedError(RuntimeError):
    """The client exceeded its creation rate; ``retry_after`` says how long to wait (s)."""

    def __init__(self, client: str, retry_after: float) -> None:
        super().__init__(f"client {client!r} is rate limited; retry after {retry_after:g} s")
        self.client = client
        self.retry_after = retry_after


def hash_code(url: str, length: int = 7, salt: int = 0) -> str:
    """Return the last ``length`` base62 digits of SHA-256(url, salt): the hash strategy's code.

    Raises:
        ValueError: ``length`` outside 1..43 (43 digits hold 256 bits), negative ``salt``.
        TypeError: wrong argument types.

    Complexity: O(len(url)).

    >>> hash_code("https://example.com/"), hash_code("https://example.com/", salt=1)
    ('7QUZtiB', 'scoCAHs')
    >>> hash_code("https://example.com/", length=0)
    Traceback (most recent call last):
        ...
    ValueError: length must be in [1, 43], got 0
    """
    check_str(url, "url", nonempty=True)
    check_int(length, "length", minimum=1, maximum=43)
    check_int(salt, "salt", minimum=0)
    data = url.encode() if salt == 0 else f"{url}#{salt}".encode()
    digest = int.from_bytes(hashlib.sha256(data).digest(), "big")
    # The low digits, not the leading ones: 2**256 / 62**42 is about 60.7, so the
    # leading base62 digit of a 256-bit number is never 'z' and is 'y' only 70% as
    # often as the others. ``digest % 62**length`` is uniform to within 62**length / 2**256.
    return base62_encode(digest % 62**length).rjust(length, "0")


class UrlShortener:
    """Map long URLs to short codes and back.

    Args:
        ids: the Snowflake generator (used by the ``"snowflake"`` strategy).
        strategy: ``"snowflake"`` or ``"hash"``.
        code_length: digits kept by the hash strategy (1..43).
        limiter: an optional rate limiter, keyed by client, for creations.
        capacity: codes the Bloom filter is sized for (at 1% false positives).

    Raises:
        ValueError, TypeError: bad arguments.

    Complexity: O(1) expected per operation; the hash strategy retries O(1)
    times while the table is far from full.

    >>> now = [1_700_000_000_000]
    >>> short = UrlShortener(Snowflake(5, clock=lambda: now[0]))
    >>> code = short.shorten("https://example.com/a"); code, short.resolve(code)
    ('23OSfOabiWu', 'https://example.com/a')
    >>> short.shorten("https://example.com/a") == code  # the same URL keeps its code
    True
    >>> short.shorten("https://example.com/b", alias="docs")
    'docs'
    >>> short.shorten("https://example.com/c", alias="docs")
    Traceback (most recent call last):
        ...
    studybook.design.design_solutions_2.shortener.AliasTakenError: alias 'docs' is taken
    """

    def __init__(
        self,
        ids: Snowflake | None = None,
        *,
        strategy: Literal["snowflake", "hash"] = "snowflake",
        code_length: int = 7,
        limiter: RateLimiter | None = None,
        capacity: int = 100_000,
    ) -> None:
        if strategy not in ("snowflake", "hash"):
            raise ValueError(f"strategy must be 'snowflake' or 'hash', got {strategy!r}")
        if strategy == "snowflake" and not isinstance(ids, Snowflake):
            raise TypeError(f"the snowflake strategy needs a Snowflake, got {ids!r}")
        if limiter is not None and not isinstance(limiter, RateLimiter):
            raise TypeError(f"limiter must be a RateLimiter, got {limiter!r}")
        self.strategy = strategy
        self.code_length = check_int(code_length, "code_length", minimum=1, maximum=43)
        self._ids = ids
        self._limiter = limiter
        self._url_of: dict[str, str] = {}  # the key-value store: code -> long URL
        self._code_of: dict[str, str] = {}  # generated codes only: long URL -> code
        self._issued = BloomFilter(check_int(capacity, "capacity", minimum=1), 0.01)
        self.collisions = 0
        """Generated codes that were already taken and had to be drawn again."""
        self.store_lookups = 0
        """Lookups of the code table made to check whether a code is free."""

    def __len__(self) -> int:
        return len(self._url_of)

    def shorten(self, url: str, *, alias: str | None = None, client: str = "anonymous") -> str:
        """Return the code for ``url``: its existing code, a custom ``alias``, or a new one.

        Raises:
            AliasTakenError: ``alias`` already maps to another URL.
            RateLimitedError: ``client`` is over its rate (only when a limiter is set).
            RuntimeError: the hash strategy found no free code in ``MAX_HASH_ATTEMPTS``
                rehashes (its code space is full).
            ValueError: a URL that is not absolute http(s), longer than 2048
                characters, or holding a space or control character; an alias
                that is empty, over 64 characters, or has a character outside
                ``ALIAS_CHARACTERS``.
            TypeError: wrong argument types.

        Complexity: O(1) expected.
        """
        _check_url(url)
        check_str(client, "client", nonempty=True)
        if alias is not None:
            _check_alias(alias)
            if self._url_of.get(alias, url) != url:
                raise AliasTakenError(f"alias {alias!r} is taken")
        elif url in self._code_of:
            return self._code_of[url]
        if self._limiter is not None:
            decision = self._limiter.allow(client)
            if not decision.allowed:
                raise RateLimitedError(client, decision.retry_after)
        if alias is not None:
            self._store(alias, url)
            return alias
        code = self._new_code(url)
        self._store(code, url)
        self._code_of[url] = code
        return code

    def resolve(self, code: str) -> str:
        """Return the long URL for ``code`` (the redirect target).

        Raises:
            KeyError: unknown code.
            TypeError: ``code`` is not a str.

        Complexity: O(1) expected.
        """
        check_str(code, "code")
        try:
            return self._url_of[code]
        except KeyError:
            raise KeyError(f"unknown short code {code!r}") from None

    def _new_code(self, url: str) -> str:
        attempt = 0
        while True:
            if self._ids is not None and self.strategy == "snowflake":
                code = base62_encode(self._ids.next_id())
            else:
                code = hash_code(url, self.code_length, salt=attempt)
            if not self._is_taken(code):
                return code
            self.collisions += 1
            attempt += 1
            if self.strategy == "hash" and attempt >= MAX_HASH_ATTEMPTS:
                # Without a bound a full code space (62**code_length codes) loops forever.
                raise RuntimeError(
                    f"no free {self.code_length}-character code after {attempt} rehashes"
                    f" of {url!r}: the code space of {62**self.code_length} is (nearly) full"
                )

    def _is_taken(self, code: str) -> bool:
        if code not in self._issued:  # no false negatives: certainly free
            return False
        self.store_lookups += 1
        return code in self._url_of

    def _store(self, code: str, url: str) -> None:
        self._url_of[code] = url
        self._issued.add(code)

    def _check_invariants(self) -> None:
        for url, code in self._code_of.items():
            assert self._url_of[code] == url  # noqa: S101
        for code in self._url_of:
            assert code in self._issued  # noqa: S101


def _check_url(url: object) -> None:
    url = check_str(url, "url", nonempty=True)
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"url is {len(url)} characters, longer than {MAX_URL_LENGTH}")
    # A space, a control character or a line break is never part of a valid URL
    # (RFC 3986 section 2), and a stored CR or LF would end up in a Location
    # header: refuse them rather than store them.
    if any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        raise ValueError(f"url must not contain spaces or control characters, got {url!r}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"url must be an absolute http(s) URL, got {url!r}")


def _check_alias(alias: object) -> None:
    alias = check_str(alias, "alias", nonempty=True)
    if len(alias) > 64:
        raise ValueError(f"alias must be at most 64 characters, got {alias!r}")
    bad = sorted(set(alias) - ALIAS_CHARACTERS)
    if bad:
        raise ValueError(f"alias may use only 0-9, A-Z, a-z, '-' and '_', got {alias!r}")
