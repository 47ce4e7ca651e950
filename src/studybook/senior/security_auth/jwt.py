"""HS256 JSON Web Tokens (RFC 7519 over RFC 7515 compact JWS), verified the strict way.

The verifier never lets the token choose how it is checked: the algorithm is
fixed to HS256 by the caller's key, ``alg: none`` and every other algorithm are
refused, the MAC is compared in constant time, and ``exp``/``nbf`` are enforced.
Each failure raises its own :class:`TokenError` subclass (a ``ValueError``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import re
import time
from typing import Any

from studybook._validate import check_real

__all__ = [
    "AlgorithmError",
    "BadSignatureError",
    "ExpiredTokenError",
    "MalformedTokenError",
    "NotYetValidError",
    "TokenError",
    "b64url_decode",
    "b64url_encode",
    "jws_sign",
    "jwt_decode",
    "jwt_encode",
]

# RFC 7518 section 3.2 requires an HS256 key at least as long as the hash output.
MIN_KEY_BYTES = 32


class TokenError(ValueError):
    """A token was refused; the subclass says why."""


class MalformedTokenError(TokenError):
    """Not three base64url parts holding a JSON header and JSON claims."""


class AlgorithmError(TokenError):
    """The header names an algorithm other than HS256 (``none`` included)."""


class BadSignatureError(TokenError):
    """The MAC does not match: the token was forged or altered, or the key is wrong."""


class ExpiredTokenError(TokenError):
    """``now`` is at or after the ``exp`` claim."""


class NotYetValidError(TokenError):
    """``now`` is before the ``nbf`` claim."""


def jwt_encode(claims: dict[str, Any], key: bytes) -> str:
    """Sign ``claims`` as a compact HS256 JWT: ``header.payload.signature``.

    Args:
        claims: a JSON object with str keys (``exp``, ``nbf``, ``iat`` in seconds).
        key: the shared HMAC key, at least 32 bytes (RFC 7518 section 3.2).

    Returns:
        The token, three base64url parts without padding.

    Raises:
        TypeError: claims not a dict with str keys, key not bytes.
        ValueError: key too short, or a claim JSON cannot carry (NaN, infinity).

    Complexity: O(size of the claims).

    >>> key = b"k" * 32
    >>> token = jwt_encode({"sub": "alice"}, key)
    >>> token.split(".")[0]
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'
    >>> jwt_decode(token, key)
    {'sub': 'alice'}
    >>> jwt_encode({"sub": "alice"}, b"short")
    Traceback (most recent call last):
        ...
    ValueError: HS256 key must be at least 32 bytes, got 5 bytes
    """
    _check_key(key)
    if not isinstance(claims, dict) or not all(isinstance(k, str) for k in claims):
        raise TypeError(f"claims must be a dict with str keys, got {claims!r}")
    try:
        payload = json.dumps(claims, separators=(",", ":"), allow_nan=False).encode()
    except ValueError as exc:
        raise ValueError(f"claims must be JSON without NaN or infinity, got {claims!r}") from exc
    header = json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode()
    return jws_sign(header, payload, key)


def jws_sign(header: bytes, payload: bytes, key: bytes) -> str:
    """Sign exact header and payload bytes with HS256 (RFC 7515 section 7.1).

    :func:`jwt_encode` chooses the JSON spelling; this takes it as given, which is
    what reproducing RFC 7515 appendix A.1 (CRLFs and spaces in its JSON) needs.

    Args:
        header: the JOSE header's UTF-8 bytes; must name ``"alg":"HS256"``.
        payload: the payload bytes.
        key: the HMAC key, at least 32 bytes.

    Returns:
        ``BASE64URL(header) . BASE64URL(payload) . BASE64URL(HMAC-SHA-256)``.

    Raises:
        TypeError: an argument is not bytes.
        ValueError: the key is too short.

    Complexity: O(len(header) + len(payload)).

    >>> jws_sign(b'{"alg":"HS256"}', b"hi", b"k" * 32).split(".")[:2]
    ['eyJhbGciOiJIUzI1NiJ9', 'aGk']
    """
    _check_key(key)
    for what, value in (("header", header), ("payload", payload)):
        if not isinstance(value, bytes):
            raise TypeError(f"{what} must be bytes, got {type(value).__name__}: {value!r}")
    signing_input = f"{b64url_encode(header)}.{b64url_encode(payload)}"
    return f"{signing_input}.{b64url_encode(_mac(signing_input, key))}"


def jwt_decode(token: str, key: bytes, now: float | None = None) -> dict[str, Any]:
    """Verify an HS256 JWT and return its claims; refuse anything else.

    Checks, in this order: shape (three base64url parts, JSON objects), the
    header's ``alg`` is exactly ``HS256``, the MAC (constant-time), then
    ``nbf <= now < exp`` when those claims are present (RFC 7519 section 4.1),
    with no leeway for clock skew. ``aud``, ``iss`` and scope are the caller's
    to check (RFC 7519 section 4.1.3: a token whose ``aud`` does not name the
    recipient MUST be rejected).

    Args:
        token: the compact token.
        key: the HMAC key the token was signed with.
        now: the time to check ``exp``/``nbf`` against, seconds since the epoch
            (default: the wall clock).

    Returns:
        The claims.

    Raises:
        TypeError: token not a str, key not bytes.
        MalformedTokenError: not a well-formed JWS (strict, canonical base64url;
            JSON objects with no repeated names), a ``crit`` header, or an
            ``exp``/``nbf``/``iat`` that is not a finite number.
        AlgorithmError: ``alg`` missing, ``none``, or anything but HS256.
        BadSignatureError: the MAC does not match.
        ExpiredTokenError: ``now >= exp``.
        NotYetValidError: ``now < nbf``.

    Complexity: O(len(token)).

    >>> key = b"k" * 32
    >>> jwt_decode(jwt_encode({"exp": 100}, key), key, now=99.5)
    {'exp': 100}
    >>> jwt_decode(jwt_encode({"exp": 100}, key), key, now=100)
    Traceback (most recent call last):
        ...
    studybook.senior.security_auth.jwt.ExpiredTokenError: token expired at 100, now is 100.0
    """
    _check_key(key)
    if not isinstance(token, str):
        raise TypeError(f"token must be a str, got {type(token).__name__}: {_short(token)}")
    parts = token.split(".")
    if len(parts) != 3:
        raise MalformedTokenError(
            f"a JWS has 3 dot-separated parts, got {len(parts)}: {_short(token)}"
        )
    header = _json_object(parts[0], "header")
    alg = header.get("alg")
    if alg != "HS256":
        # Never let the token pick the check: "none" would skip it, and RS256 with
        # the server's public key used as an HMAC secret is the key-confusion attack.
        raise AlgorithmError(f"only alg HS256 is accepted, got {_short(alg)}")
    if "crit" in header:
        raise MalformedTokenError(
            f"no critical header extensions are understood, got {_short(header['crit'])}"
        )
    signature = b64url_decode(parts[2], "signature")
    if not hmac.compare_digest(signature, _mac(f"{parts[0]}.{parts[1]}", key)):
        raise BadSignatureError("signature does not match")
    claims = _json_object(parts[1], "claims")
    instant = time.time() if now is None else check_real(now, "now")
    exp, nbf = _numeric_claim(claims, "exp"), _numeric_claim(claims, "nbf")
    _numeric_claim(claims, "iat")  # not compared with now, but must be a NumericDate too
    if exp is not None and instant >= exp:
        raise ExpiredTokenError(f"token expired at {claims['exp']!r}, now is {instant!r}")
    if nbf is not None and instant < nbf:
        raise NotYetValidError(f"token not valid before {claims['nbf']!r}, now is {instant!r}")
    return claims


def _short(value: object, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters: a 10 MB token must not become a 10 MB error."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def _check_key(key: object) -> None:
    if not isinstance(key, bytes):
        raise TypeError(f"key must be bytes, got {type(key).__name__}: {key!r}")
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"HS256 key must be at least {MIN_KEY_BYTES} bytes, got {len(key)} bytes")


def _mac(signing_input: str, key: bytes) -> bytes:
    return hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest()


def b64url_encode(data: bytes) -> str:
    """Base64url without padding (RFC 7515 section 2).

    >>> b64url_encode(b"\\xfb\\xff")
    '-_8'
    """
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_B64URL = re.compile(r"[A-Za-z0-9_-]*")


def b64url_decode(text: str, what: str = "value") -> bytes:
    """Decode unpadded base64url strictly: no padding, no stray characters, canonical.

    Raises:
        MalformedTokenError: not base64url.

    >>> b64url_decode("-_8")
    b'\\xfb\\xff'
    >>> b64url_decode("a=")
    Traceback (most recent call last):
        ...
    studybook.senior.security_auth.jwt.MalformedTokenError: value is not unpadded base64url: 'a='
    >>> b64url_decode("-_9")   # same bytes as "-_8" if the spare bits were ignored
    Traceback (most recent call last):
        ...
    studybook.senior.security_auth.jwt.MalformedTokenError: value is not canonical base64url: '-_9'
    """
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise MalformedTokenError(f"{what} is not unpadded base64url: {_short(text)}")
    try:
        data = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except binascii.Error as exc:
        raise MalformedTokenError(f"{what} is not unpadded base64url: {_short(text)}") from exc
    # The unused low bits of the last character must be zero (RFC 4648 section 3.5),
    # or two different strings decode to the same bytes (a malleable token).
    if b64url_encode(data) != text:
        raise MalformedTokenError(f"{what} is not canonical base64url: {_short(text)}")
    return data


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        # RFC 7515 section 4 and RFC 7519 section 4: names MUST be unique. Parsers that
        # keep the first and parsers that keep the last would read different tokens.
        raise ValueError(f"duplicate member names in {[name for name, _ in pairs]!r}")
    return obj


def _json_object(part: str, what: str) -> dict[str, Any]:
    raw = b64url_decode(part, what)
    try:
        value = json.loads(raw.decode("utf-8"), object_pairs_hook=_unique_keys)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # RecursionError: a header of 100,000 nested "[" arrives before any MAC check.
        raise MalformedTokenError(
            f"{what} is not UTF-8 JSON with unique names: {_short(raw)}"
        ) from exc
    if not isinstance(value, dict):
        raise MalformedTokenError(f"{what} must be a JSON object, got {_short(value)}")
    return value


def _numeric_claim(claims: dict[str, Any], name: str) -> float | None:
    if name not in claims:
        return None
    value = claims[name]
    # json.loads reads NaN and Infinity; "exp": NaN would compare false and never expire.
    # An int past float range (1e400 written out) is refused too, not an OverflowError.
    if not isinstance(value, bool) and isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isfinite(number):
            return number
    raise MalformedTokenError(f"{name} must be a finite NumericDate, got {_short(value)}")
