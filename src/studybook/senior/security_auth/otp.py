"""One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238), the codes in authenticator apps.

HOTP is ``Truncate(HMAC(secret, counter))`` shown as ``digits`` decimal digits;
TOTP is HOTP with the counter ``floor((at - T0) / step)``, ``T0 = 0``.
"""

from __future__ import annotations

import hmac
import math

from studybook._validate import check_int, check_real, check_str

__all__ = ["DIGESTS", "hotp", "totp", "totp_verify"]

# The HMAC hashes RFC 6238 allows (RFC 4226 defines SHA-1 only).
DIGESTS = ("sha1", "sha256", "sha512")


def hotp(secret: bytes, counter: int, digits: int = 6, digest: str = "sha1") -> str:
    """The HMAC-based one-time password for ``counter`` (RFC 4226 section 5.3).

    Args:
        secret: the shared key (RFC 4226 asks for at least 128 bits, 160 recommended).
        counter: the moving factor, an unsigned 64-bit integer.
        digits: how many decimal digits, 6 to 10 (the 31-bit value has at most 10).
        digest: ``"sha1"``, ``"sha256"`` or ``"sha512"``.

    Returns:
        The code, zero-padded to ``digits``.

    Raises:
        TypeError: wrong argument types (a bool counter included).
        ValueError: empty secret, counter outside 0..2**64-1, digits outside 6..10,
            unknown digest.

    Complexity: O(len(secret)), one HMAC.

    >>> secret = b"12345678901234567890"   # RFC 4226 appendix D
    >>> hotp(secret, 0), hotp(secret, 9)
    ('755224', '520489')
    >>> hotp(secret, -1)
    Traceback (most recent call last):
        ...
    ValueError: counter must be in [0, 18446744073709551615], got -1
    """
    if not isinstance(secret, bytes):
        raise TypeError(f"secret must be bytes, got {type(secret).__name__}: {secret!r}")
    if not secret:
        raise ValueError(f"secret must not be empty, got {secret!r}")
    check_int(counter, "counter", minimum=0, maximum=2**64 - 1)
    check_int(digits, "digits", minimum=6, maximum=10)
    check_str(digest, "digest")
    if digest not in DIGESTS:
        raise ValueError(f"digest must be one of {DIGESTS}, got {digest!r}")
    mac = hmac.new(secret, counter.to_bytes(8, "big"), digest).digest()
    # Dynamic truncation: the low 4 bits of the last byte pick where to read 4 bytes;
    # the top bit is masked so signed and unsigned readers agree.
    offset = mac[-1] & 0x0F
    value = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFF_FFFF
    return str(value % 10**digits).zfill(digits)


def totp(secret: bytes, at: float, step: float = 30, digits: int = 6, digest: str = "sha1") -> str:
    """The time-based one-time password at Unix time ``at`` (RFC 6238 section 4).

    Args:
        secret: the shared key. RFC 6238's test vectors use a 20-, 32- and
            64-byte seed for SHA-1, SHA-256 and SHA-512.
        at: seconds since the epoch, finite and not negative.
        step: the time step X in seconds (30 by default, as the RFC recommends).
        digits: 6 to 10.
        digest: ``"sha1"``, ``"sha256"`` or ``"sha512"``.

    Returns:
        ``hotp(secret, floor(at / step), digits, digest)``.

    Raises:
        TypeError: as :func:`hotp`, or ``at``/``step`` not a number.
        ValueError: as :func:`hotp`, or ``at`` negative or not finite, ``step`` not positive.

    Complexity: O(len(secret)).

    >>> totp(b"12345678901234567890", 59, digits=8)   # RFC 6238 appendix B
    '94287082'
    >>> totp(b"12345678901234567890", float("nan"))
    Traceback (most recent call last):
        ...
    ValueError: at must be a finite number >= 0, got nan
    """
    instant = check_real(at, "at", low=0)
    period = check_real(step, "step", positive=True)
    return hotp(secret, math.floor(instant / period), digits, digest)


def totp_verify(
    secret: bytes,
    code: str,
    at: float,
    *,
    window: int = 1,
    step: float = 30,
    digits: int = 6,
    digest: str = "sha1",
) -> int | None:
    """Check ``code`` against the steps ``at`` ± ``window`` (clock drift, RFC 6238 section 5.2).

    Every candidate is compared with :func:`hmac.compare_digest`, and all of them
    are computed, so the time taken does not say which step matched. The caller
    must remember the step returned and refuse it next time (a code is single-use).

    Args:
        secret: as :func:`totp`.
        code: what the user typed.
        at: as :func:`totp`.
        window: how many steps either side to accept (RFC 6238 recommends at most one).
        step: as :func:`totp`.
        digits: as :func:`totp`.
        digest: as :func:`totp`.

    Returns:
        The matching time step, or ``None``.

    Raises:
        TypeError: as :func:`totp`, or ``code`` not a str, ``window`` not an int.
        ValueError: as :func:`totp`, or ``window`` outside 0..10.

    Complexity: O(window) HMACs.

    >>> secret = b"12345678901234567890"
    >>> totp_verify(secret, totp(secret, 60), 89), totp_verify(secret, totp(secret, 0), 89)
    (2, None)
    """
    check_str(code, "code")
    check_int(window, "window", minimum=0, maximum=10)
    instant = check_real(at, "at", low=0)
    period = check_real(step, "step", positive=True)
    current = math.floor(instant / period)
    found: int | None = None
    for counter in range(max(0, current - window), current + window + 1):
        expected = hotp(secret, counter, digits, digest)
        if hmac.compare_digest(expected.encode(), code.encode()) and found is None:
            found = counter
    return found
