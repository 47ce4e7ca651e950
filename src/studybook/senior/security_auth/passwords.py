"""Password storage: a slow, salted, memory-hard hash, verified in constant time.

Parameters follow the OWASP Password Storage Cheat Sheet (read 2026-12-06):
scrypt with N = 2**17, r = 8, p = 1; where FIPS-140 is required, PBKDF2 with
HMAC-SHA-256 and 600,000 iterations. Argon2id, its first choice, is not in the
standard library. The stored string names the scheme and its parameters, so
old hashes can be upgraded at the next login (:func:`needs_rehash`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from studybook._validate import check_int, check_str

__all__ = [
    "PBKDF2_ITERATIONS",
    "SCRYPT_N",
    "SCRYPT_P",
    "SCRYPT_R",
    "hash_password",
    "needs_rehash",
    "verify_password",
]

SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
PBKDF2_ITERATIONS = 600_000
_SALT_BYTES = 16
_KEY_BYTES = 32


def hash_password(
    password: str,
    *,
    scheme: str = "scrypt",
    salt: bytes | None = None,
    cost: int | None = None,
) -> str:
    """Hash ``password`` for storage: ``scheme$cost$salt$hash`` (base64url parts).

    Args:
        password: the password, any non-empty str (UTF-8 encoded).
        scheme: ``"scrypt"`` (default) or ``"pbkdf2_sha256"``.
        salt: 16 random bytes by default; pass one only to reproduce a hash.
        cost: scrypt's N (a power of two) or PBKDF2's iteration count; the
            OWASP minimum by default. Lower values exist for tests only.

    Returns:
        The string to store.

    Raises:
        TypeError: wrong types.
        ValueError: empty password, unknown scheme, bad cost, salt under 16 bytes.

    Complexity: O(cost) time, deliberately slow; scrypt also takes 128 * r * N bytes
    (128 MiB at the defaults).

    >>> stored = hash_password("hunter2", salt=b"s" * 16, cost=2**10)
    >>> stored
    'scrypt$1024$c3Nzc3Nzc3Nzc3Nzc3Nzcw$...'
    >>> verify_password("hunter2", stored), verify_password("hunter3", stored)
    (True, False)
    """
    secret = check_str(password, "password", nonempty=True).encode("utf-8")
    salt = os.urandom(_SALT_BYTES) if salt is None else salt
    if not isinstance(salt, bytes) or len(salt) < _SALT_BYTES:
        raise ValueError(f"salt must be at least {_SALT_BYTES} bytes, got {salt!r}")
    if scheme == "scrypt":
        n = SCRYPT_N if cost is None else check_int(cost, "cost", minimum=2, maximum=2**20)
        if n & (n - 1):
            raise ValueError(f"scrypt cost N must be a power of two, got {n!r}")
        key = _scrypt(secret, salt, n)
    elif scheme == "pbkdf2_sha256":
        n = PBKDF2_ITERATIONS if cost is None else check_int(cost, "cost", minimum=1, maximum=10**8)
        key = hashlib.pbkdf2_hmac("sha256", secret, salt, n, _KEY_BYTES)
    else:
        raise ValueError(f"scheme must be 'scrypt' or 'pbkdf2_sha256', got {scheme!r}")
    return f"{scheme}${n}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """Recompute the hash with the stored scheme, cost and salt; compare in constant time.

    Raises:
        TypeError: wrong types.
        ValueError: ``stored`` is not a string :func:`hash_password` made.

    Complexity: O(cost).

    >>> verify_password("x", "md5$1$AA$AA")
    Traceback (most recent call last):
        ...
    ValueError: not a stored password hash: 'md5$1$AA$AA'
    """
    check_str(password, "password")
    scheme, n, salt, expected = _parse(stored)
    secret = password.encode("utf-8")
    if scheme == "scrypt":
        key = _scrypt(secret, salt, n)
    else:
        key = hashlib.pbkdf2_hmac("sha256", secret, salt, n, _KEY_BYTES)
    return hmac.compare_digest(key, expected)


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` is below today's parameters (hash again at the next login).

    >>> weak = hash_password("pw", scheme="pbkdf2_sha256", cost=1000)
    >>> needs_rehash(weak), needs_rehash(hash_password("pw", cost=2**10))
    (True, True)
    """
    scheme, n, _, _ = _parse(stored)
    return scheme != "scrypt" or n < SCRYPT_N


def _scrypt(secret: bytes, salt: bytes, n: int) -> bytes:
    # scrypt needs 128 * r * N bytes (128 MiB at the defaults); OpenSSL's default
    # ceiling is 32 MiB, so the limit is raised to just what these parameters need.
    maxmem = 128 * SCRYPT_R * (n + SCRYPT_P + 2) + 1024 * 1024
    return hashlib.scrypt(
        secret, salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, maxmem=maxmem, dklen=_KEY_BYTES
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _parse(stored: object) -> tuple[str, int, bytes, bytes]:
    parts = check_str(stored, "stored").split("$")
    try:
        scheme, cost, salt, key = parts
        n = int(cost)
        salt_bytes = base64.urlsafe_b64decode(salt + "=" * (-len(salt) % 4))
        key_bytes = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    except ValueError:
        raise ValueError(f"not a stored password hash: {stored!r}") from None
    limits = {"scrypt": 2**20, "pbkdf2_sha256": 10**8}
    if scheme not in limits or not 1 <= n <= limits[scheme] or len(key_bytes) != _KEY_BYTES:
        raise ValueError(f"not a stored password hash: {stored!r}")
    if scheme == "scrypt" and (n < 2 or n & (n - 1)):
        raise ValueError(f"not a stored password hash: {stored!r}")
    return scheme, n, salt_bytes, key_bytes
