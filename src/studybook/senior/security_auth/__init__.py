"""Security and authentication: JWTs, one-time passwords, PKCE, password hashing, injection, OAuth.

Interviewers ask how a login works end to end ("walk me through OAuth", "what
is in a JWT and how can verifying one go wrong?", "how do you store
passwords?") and expect the OWASP Top 10 by name. One submodule per concern:

- :mod:`~.jwt`: HS256 JSON Web Tokens, verified strictly (no ``alg: none``,
  no key confusion, constant-time MAC check, ``exp``/``nbf``);
- :mod:`~.otp`: HOTP and TOTP two-factor codes (RFC 4226, RFC 6238);
- :mod:`~.pkce`: the PKCE verifier and S256 challenge (RFC 7636);
- :mod:`~.passwords`: scrypt and PBKDF2 at OWASP's parameters;
- :mod:`~.web`: SQL injection and its fix on SQLite, HTML escaping by
  context, CSRF tokens and cookie attributes;
- :mod:`~.oauth` and :mod:`~.client`: the authorization code flow with PKCE
  between a tiny authorization server, a resource server and a client, on
  loopback HTTP.

Invariant: nothing is accepted on the token's say-so; the verifier fixes the
algorithm, every secret comparison is constant-time, and an authorization
code buys at most one token, only for the client, redirect URI and verifier
it was issued to.

======================  ===================  ===============================
operation               cost                 note
======================  ===================  ===============================
jwt_encode / decode     O(token length)      one HMAC-SHA-256
hotp / totp             O(1)                 one HMAC
pkce_challenge          O(1)                 one SHA-256
hash_password           O(cost), slow        memory-hard (scrypt: 128 MiB)
======================  ===================  ===============================

>>> hotp(b"12345678901234567890", 1)
'287082'

Primary sources: RFC 7515, 7519, 7518 (JWS, JWT, JWA); RFC 4226 (HOTP); RFC 6238
(TOTP); RFC 7636 (PKCE); RFC 6749 (OAuth 2.0); RFC 9700 (OAuth 2.0 Security
BCP, January 2025); the OWASP Password Storage Cheat Sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from studybook.senior.security_auth.client import (
    AuthorizationRequest,
    OAuthClient,
    OAuthError,
    http_request,
)
from studybook.senior.security_auth.jwt import (
    AlgorithmError,
    BadSignatureError,
    ExpiredTokenError,
    MalformedTokenError,
    NotYetValidError,
    TokenError,
    b64url_decode,
    b64url_encode,
    jws_sign,
    jwt_decode,
    jwt_encode,
)
from studybook.senior.security_auth.oauth import (
    AuthorizationServer,
    RegisteredClient,
    ResourceServer,
    Response,
    WebApp,
    serve,
)
from studybook.senior.security_auth.otp import DIGESTS, hotp, totp, totp_verify
from studybook.senior.security_auth.passwords import (
    PBKDF2_ITERATIONS,
    SCRYPT_N,
    SCRYPT_P,
    SCRYPT_R,
    hash_password,
    needs_rehash,
    verify_password,
)
from studybook.senior.security_auth.pkce import pkce_challenge, pkce_verifier
from studybook.senior.security_auth.web import (
    CsrfTokens,
    double_submit_ok,
    escape_html,
    find_user_safe,
    find_user_unsafe,
    js_string,
    safe_href,
    sample_users,
    session_cookie,
)

__all__ = [
    "DIGESTS",
    "PBKDF2_ITERATIONS",
    "SCRYPT_N",
    "SCRYPT_P",
    "SCRYPT_R",
    "AlgorithmError",
    "AuthorizationRequest",
    "AuthorizationServer",
    "BadSignatureError",
    "CsrfTokens",
    "ExpiredTokenError",
    "MalformedTokenError",
    "NotYetValidError",
    "OAuthClient",
    "OAuthError",
    "RegisteredClient",
    "ResourceServer",
    "Response",
    "TokenError",
    "WebApp",
    "b64url_decode",
    "b64url_encode",
    "demo",
    "double_submit_ok",
    "escape_html",
    "find_user_safe",
    "find_user_unsafe",
    "hash_password",
    "hotp",
    "http_request",
    "js_string",
    "jws_sign",
    "jwt_decode",
    "jwt_encode",
    "needs_rehash",
    "pkce_challenge",
    "pkce_verifier",
    "run_oauth_flow",
    "safe_href",
    "sample_users",
    "serve",
    "session_cookie",
    "totp",
    "totp_verify",
    "verify_password",
]

_REDIRECT = "https://app.example/callback"


def run_oauth_flow() -> list[tuple[str, str]]:
    """Run the authorization code + PKCE flow on loopback, then the attacks; report each.

    Starts an :class:`~studybook.senior.security_auth.oauth.AuthorizationServer`
    and a :class:`~studybook.senior.security_auth.oauth.ResourceServer` with
    :func:`~studybook.senior.security_auth.oauth.serve`, logs a client in, calls
    the API, then tries what an attacker would: replay the code, use the token
    the replay revoked, redeem a code with a wrong verifier and with another
    redirect URI, authorize toward an unregistered redirect URI, and accept an
    authorization response from an unexpected issuer (RFC 9207 mix-up defence).

    Returns:
        ``(step, outcome)`` pairs, outcome ``"ok ..."`` or ``"refused: <error>"``.
    """
    key = b"shared-hs256-key-for-this-demo!!"
    server = AuthorizationServer([RegisteredClient("app", (_REDIRECT,))], key)
    api = ResourceServer(key, audience=server.audience, is_revoked=server.is_revoked)
    steps: list[tuple[str, str]] = []

    def attempt(step: str, action: Callable[[], str]) -> None:
        try:
            steps.append((step, f"ok {action()}"))
        except OAuthError as exc:
            steps.append((step, f"refused: {exc.error}"))

    with serve(server) as as_url, serve(api) as api_url:
        client = OAuthClient(as_url, "app", _REDIRECT, issuer=server.issuer)
        request = client.start(scope="read")
        code = client.authorize(request)
        token = str(client.exchange(code, request.verifier)["access_token"])
        status, _, body = http_request(
            "GET", f"{api_url}/me", None, {"Authorization": f"Bearer {token}"}
        )
        steps.append(("GET /me with the token", f"ok {status} {body.decode()}"))
        attempt("replay the same code", lambda: str(client.exchange(code, request.verifier)))
        status, _, _ = http_request(
            "GET", f"{api_url}/me", None, {"Authorization": f"Bearer {token}"}
        )
        steps.append(("GET /me after the replay", f"refused: {status}" if status == 401 else "ok"))
        request = client.start()
        code = client.authorize(request)
        attempt("redeem with a wrong verifier", lambda: str(client.exchange(code, pkce_verifier())))
        request = client.start()
        code = client.authorize(request)
        attempt(
            "redeem with another redirect_uri",
            lambda: str(client.exchange(code, request.verifier, "https://evil.example/cb")),
        )
        evil = OAuthClient(as_url, "app", "https://evil.example/cb")
        attempt("authorize to an unregistered redirect_uri", lambda: evil.authorize(evil.start()))
        # Mix-up (RFC 9207): the client expects another issuer, so it rejects this response.
        mixed = OAuthClient(as_url, "app", _REDIRECT, issuer="https://other-as.example")
        attempt("accept a response from the wrong issuer", lambda: mixed.authorize(mixed.start()))
    return steps


def demo(out: TextIO) -> None:
    """Check the RFC vectors, show an injection and its fix, run the OAuth flow; narrate to ``out``.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    RFC 4226 HOTP 0-9: 755224 287082 359152 969429 338314 254676 287922 162583 399871 520489
    RFC 6238 TOTP at t=59 (8 digits): sha1 94287082  sha256 46119246  sha512 90693936
    RFC 7636 PKCE S256: E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM
    <BLANKLINE>
    SQL with name = "x' OR '1'='1"
      string-built: 3 rows (every user)
      parameterised: 0 rows
    <BLANKLINE>
    OAuth 2.0 authorization code + PKCE on loopback
      GET /me with the token                     ok 200 {"scope": "read", "sub": "alice"}
      replay the same code                       refused: invalid_grant
      GET /me after the replay                   refused: 401
      redeem with a wrong verifier               refused: invalid_grant
      redeem with another redirect_uri           refused: invalid_grant
      authorize to an unregistered redirect_uri  refused: no_redirect
      accept a response from the wrong issuer    refused: issuer_mismatch
    """
    seed = b"12345678901234567890"
    codes = " ".join(hotp(seed, i) for i in range(10))
    out.write(f"RFC 4226 HOTP 0-9: {codes}\n")
    seeds = {"sha1": seed, "sha256": seed + seed[:12], "sha512": seed * 3 + seed[:4]}
    totps = "  ".join(f"{d} {totp(s, 59, digits=8, digest=d)}" for d, s in seeds.items())
    out.write(f"RFC 6238 TOTP at t=59 (8 digits): {totps}\n")
    challenge = pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    out.write(f"RFC 7636 PKCE S256: {challenge}\n\n")
    conn, attack = sample_users(), "x' OR '1'='1"
    out.write(f'SQL with name = "{attack}"\n')
    out.write(f"  string-built: {len(find_user_unsafe(conn, attack))} rows (every user)\n")
    out.write(f"  parameterised: {len(find_user_safe(conn, attack))} rows\n\n")
    out.write("OAuth 2.0 authorization code + PKCE on loopback\n")
    for step, outcome in run_oauth_flow():
        out.write(f"  {step:<43}{outcome}\n")
