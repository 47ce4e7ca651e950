"""PKCE, Proof Key for Code Exchange (RFC 7636): binds an authorization code to its client.

The client keeps a random ``code_verifier`` and sends only its S256 hash, the
``code_challenge``, with the authorization request; it must show the verifier
to redeem the code, so a stolen code alone is useless.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

from studybook._validate import check_int, check_str

__all__ = ["pkce_challenge", "pkce_verifier"]

_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


def pkce_verifier(nbytes: int = 32) -> str:
    """A fresh ``code_verifier``: ``nbytes`` random bytes, base64url (RFC 7636 section 4.1).

    32 bytes give the 43-character, 256-bit verifier the RFC recommends.

    Raises:
        ValueError: ``nbytes`` outside 32..96 (the verifier must be 43..128 characters).

    Complexity: O(nbytes).

    >>> len(pkce_verifier()), len(pkce_verifier(96))
    (43, 128)
    """
    check_int(nbytes, "nbytes", minimum=32, maximum=96)
    return secrets.token_urlsafe(nbytes)


def pkce_challenge(verifier: str) -> str:
    """The S256 ``code_challenge``: ``BASE64URL(SHA256(ASCII(verifier)))`` (RFC 7636 section 4.2).

    Args:
        verifier: 43 to 128 characters from ``[A-Za-z0-9-._~]``.

    Returns:
        43 base64url characters without padding.

    Raises:
        TypeError: not a str.
        ValueError: wrong length or a character outside the unreserved set.

    Complexity: O(len(verifier)).

    >>> pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")   # RFC 7636 appendix B
    'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
    >>> pkce_challenge("short")
    Traceback (most recent call last):
        ...
    ValueError: code_verifier must be 43-128 characters of [A-Za-z0-9-._~], got 'short'
    """
    check_str(verifier, "code_verifier")
    if not _VERIFIER.fullmatch(verifier):
        raise ValueError(
            f"code_verifier must be 43-128 characters of [A-Za-z0-9-._~], got {verifier!r}"
        )
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
