"""HTTP semantics a reader must know: method properties, conditional GET, cookies, CORS, HSTS.

Small, exact functions for the rules interviewers ask about, each from its
specification: method safety and idempotency (RFC 9110 §9.2), ``ETag`` and
``If-None-Match`` (RFC 9110 §8.8.3, §13.1.2), ``Cache-Control`` (RFC 9111
§5.2), ``Set-Cookie`` attributes (RFC 6265 §4.1, ``SameSite`` from RFC 6265bis),
the CORS preflight rule (WHATWG Fetch, "CORS-safelisted") and
``Strict-Transport-Security`` (RFC 6797 §6.1).

>>> METHODS["PUT"]
MethodProperties(safe=False, idempotent=True, cacheable=False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from studybook._validate import check_str

__all__ = [
    "METHODS",
    "Cookie",
    "Hsts",
    "MethodProperties",
    "conditional_get",
    "needs_preflight",
    "parse_cache_control",
    "parse_hsts",
    "parse_set_cookie",
]


@dataclass(frozen=True)
class MethodProperties:
    """RFC 9110 §9.2: safe (read-only), idempotent (repeatable), cacheable."""

    safe: bool
    idempotent: bool
    cacheable: bool


#: Whether each method is safe, idempotent and cacheable (RFC 9110 §9.2, Table 4, and §9.3).
#: POST is treated as not cacheable (RFC 9110 allows it only with explicit freshness and
#: Content-Location).
METHODS: dict[str, MethodProperties] = {
    "GET": MethodProperties(safe=True, idempotent=True, cacheable=True),
    "HEAD": MethodProperties(safe=True, idempotent=True, cacheable=True),
    "OPTIONS": MethodProperties(safe=True, idempotent=True, cacheable=False),
    "TRACE": MethodProperties(safe=True, idempotent=True, cacheable=False),
    "PUT": MethodProperties(safe=False, idempotent=True, cacheable=False),
    "DELETE": MethodProperties(safe=False, idempotent=True, cacheable=False),
    "POST": MethodProperties(safe=False, idempotent=False, cacheable=False),
    "PATCH": MethodProperties(safe=False, idempotent=False, cacheable=False),
    "CONNECT": MethodProperties(safe=False, idempotent=False, cacheable=False),
}


def conditional_get(etag: str, if_none_match: str | None) -> int:
    """Status for a GET with ``If-None-Match``: 304 if any listed tag weakly matches ``etag``.

    Weak comparison (RFC 9110 §8.8.3.2) ignores the ``W/`` prefix, and ``*``
    matches any current representation (§13.1.2).

    >>> conditional_get('"v2"', 'W/"v1", "v2"'), conditional_get('"v2"', '"v1"')
    (304, 200)
    >>> conditional_get("v2", None)
    Traceback (most recent call last):
        ...
    ValueError: etag must be a quoted entity-tag like '"v1"' or 'W/"v1"', got 'v2'

    Complexity: O(len(if_none_match)).
    """
    check_str(etag, "etag", nonempty=True)
    if not _is_etag(etag):
        raise ValueError(
            f"etag must be a quoted entity-tag like '\"v1\"' or 'W/\"v1\"', got {etag!r}"
        )
    if if_none_match is None:
        return 200
    check_str(if_none_match, "if_none_match")
    if if_none_match.strip() == "*":
        return 304
    opaque = etag.removeprefix("W/")
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return 304 if opaque in tags else 200


def _is_etag(tag: str) -> bool:
    core = tag.removeprefix("W/")
    return len(core) >= 2 and core[0] == core[-1] == '"' and '"' not in core[1:-1]


def parse_cache_control(value: str) -> dict[str, str | None]:
    """Split ``Cache-Control`` into directives (names lower-cased, quotes removed).

    >>> parse_cache_control('public, max-age=3600, no-cache="Set-Cookie"')
    {'public': None, 'max-age': '3600', 'no-cache': 'Set-Cookie'}

    Complexity: O(len(value)).
    """
    check_str(value, "value")
    directives: dict[str, str | None] = {}
    for part in value.split(","):
        name, eq, arg = part.strip().partition("=")
        if name:
            directives[name.lower()] = arg.strip('"') if eq else None
    return directives


@dataclass(frozen=True)
class Cookie:
    """A parsed ``Set-Cookie``: the pair and the attributes that decide where it goes."""

    name: str
    value: str
    secure: bool = False
    http_only: bool = False
    same_site: str | None = None
    path: str | None = None
    domain: str | None = None
    max_age: int | None = None


def parse_set_cookie(header: str) -> Cookie:
    """Parse one ``Set-Cookie`` value (RFC 6265 §5.2, ``SameSite`` per RFC 6265bis).

    >>> parse_set_cookie("sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax")
    Cookie(name='sid', value='abc', secure=True, http_only=True, same_site='Lax', path='/',
           domain=None, max_age=None)
    >>> parse_set_cookie("id=1; SameSite=None")
    Traceback (most recent call last):
        ...
    ValueError: SameSite=None requires Secure, got 'id=1; SameSite=None'

    Raises:
        ValueError: no ``name=value`` pair, a bad ``Max-Age`` or ``SameSite``,
            or ``SameSite=None`` without ``Secure`` (browsers reject it).

    Complexity: O(len(header)).
    """
    check_str(header, "header", nonempty=True)
    pair, *attrs = header.split(";")
    name, eq, value = pair.partition("=")
    if not eq or not name.strip():
        raise ValueError(f"Set-Cookie needs name=value first, got {header!r}")
    fields: dict[str, Any] = {}
    for attr in attrs:
        key, _, arg = attr.strip().partition("=")
        key = key.lower()
        if key == "secure":
            fields["secure"] = True
        elif key == "httponly":
            fields["http_only"] = True
        elif key == "samesite":
            canonical = {"strict": "Strict", "lax": "Lax", "none": "None"}.get(arg.lower())
            if canonical is None:
                raise ValueError(f"SameSite must be Strict, Lax or None, got {arg!r}")
            fields["same_site"] = canonical
        elif key == "path":
            fields["path"] = arg
        elif key == "domain":
            fields["domain"] = arg.lstrip(".").lower()
        elif key == "max-age":
            if not re.fullmatch(r"-?[0-9]+", arg):
                raise ValueError(f"Max-Age must be an integer, got {arg!r}")
            fields["max_age"] = int(arg)
    cookie = replace(Cookie(name.strip(), value.strip()), **fields)
    if cookie.same_site == "None" and not cookie.secure:
        raise ValueError(f"SameSite=None requires Secure, got {header!r}")
    return cookie


_SAFELISTED_METHODS = {"GET", "HEAD", "POST"}
_SAFELISTED_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}


def needs_preflight(method: str, headers: dict[str, str]) -> bool:
    """Whether a cross-origin ``fetch`` sends an ``OPTIONS`` preflight first (WHATWG Fetch).

    A "simple" request uses GET, HEAD or POST, and only CORS-safelisted
    request headers: ``Accept``, ``Accept-Language``, ``Content-Language``,
    ``Content-Type`` with one of three form/text media types, and ``Range``
    with a single ``bytes=`` range. Each value must be at most 128 bytes and
    free of the bytes Fetch calls CORS-unsafe (``Accept-Language`` and
    ``Content-Language`` allow only letters, digits, space and ``*,-.;=``).

    >>> needs_preflight("POST", {"Content-Type": "text/plain; charset=utf-8"})
    False
    >>> needs_preflight("POST", {"Content-Type": "application/json"})
    True
    >>> needs_preflight("DELETE", {})
    True
    >>> needs_preflight("GET", {"Range": "bytes=0-99"}), needs_preflight("GET", {"Accept": "{}"})
    (False, True)

    Complexity: O(number of headers).
    """
    check_str(method, "method", nonempty=True)
    if not isinstance(headers, dict):
        raise TypeError(f"headers must be a dict, got {type(headers).__name__}: {headers!r}")
    if method.upper() not in _SAFELISTED_METHODS:
        return True
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"header names and values must be str, got {name!r}: {value!r}")
        if not _safelisted(name.lower(), value):
            return True
    return False


# WHATWG Fetch, "CORS-unsafe request-header byte" and "CORS-safelisted request-header".
_UNSAFE_BYTE = re.compile(r'[\x00-\x08\x0a-\x1f"():<>?@\[\\\]{}\x7f]')
_LANGUAGE = re.compile(r"[0-9A-Za-z *,\-.;=]*")
_SIMPLE_RANGE = re.compile(r"bytes=[0-9]+-[0-9]*")


def _safelisted(name: str, value: str) -> bool:
    if len(value.encode()) > 128:
        return False
    if name == "accept":
        return not _UNSAFE_BYTE.search(value)
    if name in ("accept-language", "content-language"):
        return _LANGUAGE.fullmatch(value) is not None
    if name == "content-type":
        essence = value.split(";")[0].strip().lower()
        return not _UNSAFE_BYTE.search(value) and essence in _SAFELISTED_TYPES
    if name == "range":
        return _SIMPLE_RANGE.fullmatch(value) is not None
    return False


@dataclass(frozen=True)
class Hsts:
    """A ``Strict-Transport-Security`` policy."""

    max_age: int
    include_subdomains: bool
    preload: bool


def parse_hsts(value: str) -> Hsts:
    """Parse ``Strict-Transport-Security`` (RFC 6797 §6.1; ``preload`` is hstspreload.org's).

    >>> parse_hsts("max-age=31536000; includeSubDomains; preload")
    Hsts(max_age=31536000, include_subdomains=True, preload=True)
    >>> parse_hsts("includeSubDomains")
    Traceback (most recent call last):
        ...
    ValueError: Strict-Transport-Security needs exactly one max-age, got 'includeSubDomains'

    Complexity: O(len(value)).
    """
    check_str(value, "value", nonempty=True)
    directives: dict[str, str] = {}
    for part in value.split(";"):
        name, _, arg = part.strip().partition("=")
        if not name:
            continue
        if name.lower() in directives:
            raise ValueError(f"directive {name!r} repeated (RFC 6797 §6.1), got {value!r}")
        directives[name.lower()] = arg.strip().strip('"')
    if "max-age" not in directives:
        raise ValueError(f"Strict-Transport-Security needs exactly one max-age, got {value!r}")
    if not directives["max-age"].isdigit():
        raise ValueError(f"max-age must be a non-negative integer, got {value!r}")
    return Hsts(
        int(directives["max-age"]), "includesubdomains" in directives, "preload" in directives
    )
