"""A tiny OAuth 2.0 authorization server and resource server, served on loopback.

The authorization server implements the authorization code grant (RFC 6749
section 4.1) for public clients with PKCE S256 required (RFC 7636), exact
redirect-URI matching and single-use, short-lived codes (RFC 9700, the OAuth
2.0 Security BCP). Access tokens are HS256 JWTs that the resource server
verifies with the shared key. Login and consent are elided: the resource
owner is signed in already. Each server is plain logic (``handle``) behind a
stdlib ``http.server`` started by :func:`serve` on port 0 in a thread.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlencode, urlsplit

from studybook._validate import check_callable, check_real, check_str
from studybook.senior.security_auth.jwt import TokenError, jwt_decode, jwt_encode
from studybook.senior.security_auth.pkce import pkce_challenge

__all__ = [
    "AuthorizationServer",
    "RegisteredClient",
    "ResourceServer",
    "Response",
    "WebApp",
    "serve",
]


@dataclass(frozen=True)
class Response:
    """What a handler returns: status, headers and a body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @classmethod
    def of_json(cls, status: int, payload: Mapping[str, Any], **headers: str) -> Response:
        """A JSON response that no cache may store (RFC 6749 section 5.1)."""
        all_headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
        all_headers.update(headers)
        return cls(status, all_headers, json.dumps(dict(payload), sort_keys=True).encode())


class WebApp(Protocol):
    """Anything :func:`serve` can put behind HTTP."""

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Response:
        """Answer one request; ``target`` is the path with its query string."""
        ...


_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")  # BASE64URL(SHA-256(...)): 43 characters


@dataclass(frozen=True)
class RegisteredClient:
    """A public client (no secret) and the redirect URIs it registered, matched exactly.

    Raises:
        TypeError: ``client_id`` not a str, ``redirect_uris`` not a tuple of str (a bare
            str would turn ``in`` into a substring test).
        ValueError: an empty ``client_id`` or no URI; a URI that is not ``https`` with a host,
            has a fragment (RFC 6749 section 3.1.2), or is ``http`` to a host other than
            ``127.0.0.1``/``[::1]`` (RFC 9700 section 2.6). Private-use schemes of native
            apps (RFC 8252 section 7.1) are out of this sketch's scope.

    >>> RegisteredClient("app", ("http://app.example/cb",))
    Traceback (most recent call last):
        ...
    ValueError: bad redirect URI (https, or http to loopback; no fragment): 'http://app.example/cb'
    """

    client_id: str
    redirect_uris: tuple[str, ...]

    def __post_init__(self) -> None:
        """Check the registration."""
        check_str(self.client_id, "client_id", nonempty=True)
        if not isinstance(self.redirect_uris, tuple):
            raise TypeError(f"redirect_uris must be a tuple of str, got {self.redirect_uris!r}")
        if not self.redirect_uris:
            raise ValueError("redirect_uris must name at least one URI, got ()")
        for uri in self.redirect_uris:
            check_str(uri, "redirect URI")
            parts = urlsplit(uri)
            # RFC 8252 section 7.3 loopback redirection uses IP literals, not "localhost".
            loopback = parts.hostname in ("127.0.0.1", "::1")
            if (
                parts.scheme not in ("https", "http")
                or not parts.hostname
                or "#" in uri
                or (parts.scheme == "http" and not loopback)
            ):
                raise ValueError(
                    f"bad redirect URI (https, or http to loopback; no fragment): {uri!r}"
                )


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    subject: str
    scope: str
    expires_at: float
    used: bool = False
    token_ids: list[str] = field(default_factory=list)


class AuthorizationServer:
    """Issues codes at ``GET /authorize`` and tokens at ``POST /token``.

    Refused, each with the RFC's error code: an unregistered client or a
    redirect URI that does not match a registered one exactly (an error page,
    never a redirect: RFC 6749 section 4.1.2.1), a missing or ``plain`` PKCE
    challenge, and at the token endpoint a reused code (which also revokes the
    tokens issued from it, section 4.1.2), an expired code, a different
    ``redirect_uri`` (section 4.1.3) and a wrong ``code_verifier``.

    >>> server = AuthorizationServer([RegisteredClient("app", ("https://app/cb",))], b"k" * 32)
    >>> server.handle("GET", "/authorize?client_id=app&redirect_uri=https://evil/", {}, b"")
    Response(status=400, headers={'Content-Type': 'text/plain'},
             body=b'invalid client or redirect_uri')
    """

    def __init__(
        self,
        clients: list[RegisteredClient],
        key: bytes,
        *,
        subject: str = "alice",
        issuer: str = "https://as.example",
        audience: str = "https://api.example",
        code_ttl: float = 60.0,
        token_ttl: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Register ``clients``; sign tokens with ``key`` for ``audience``.

        Args:
            clients: the registered public clients.
            key: the HS256 key shared with the resource server (32+ bytes).
            subject: the signed-in resource owner (login is out of scope).
            issuer: ``iss`` of the tokens and of the authorization response (RFC 9207).
            audience: ``aud`` of the tokens.
            code_ttl: code lifetime in seconds (RFC 6749 recommends at most 10 minutes).
            token_ttl: access token lifetime in seconds.
            clock: seconds since the epoch.

        Raises:
            TypeError: a client that is not a RegisteredClient, a key that is not
                bytes, a clock that is not callable.
            ValueError: a key under 32 bytes, an empty name, a lifetime that is
                not positive and finite (or a code lifetime over 600 s).
        """
        if not all(isinstance(c, RegisteredClient) for c in clients):
            raise TypeError(f"clients must be RegisteredClient objects, got {clients!r}")
        jwt_encode({}, key)  # validates the key
        check_callable(clock, "clock")
        self._clients = {c.client_id: c for c in clients}
        self._key = key
        self._subject = check_str(subject, "subject", nonempty=True)
        self.issuer = check_str(issuer, "issuer", nonempty=True)
        self.audience = check_str(audience, "audience", nonempty=True)
        self._code_ttl = check_real(code_ttl, "code_ttl", positive=True, high=600)
        self._token_ttl = check_real(token_ttl, "token_ttl", positive=True)
        self._clock = clock
        self._grants: dict[str, _Grant] = {}
        self._revoked: set[str] = set()
        self._lock = threading.Lock()

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Response:
        """Route ``GET /authorize`` and ``POST /token``; 404 otherwise."""
        url = urlsplit(target)
        if method == "GET" and url.path == "/authorize":
            return self._authorize(url.query)
        if method == "POST" and url.path == "/token":
            return self._token(body.decode("utf-8", "replace"))
        return Response(404, {"Content-Type": "text/plain"}, b"not found")

    def is_revoked(self, token_id: str) -> bool:
        """Whether the token with this ``jti`` was revoked (after a code replay)."""
        with self._lock:
            return token_id in self._revoked

    def _authorize(self, query: str) -> Response:
        params = _single_values(query)
        client = self._clients.get(params.get("client_id", "") if params else "")
        redirect_uri = params.get("redirect_uri") if params else None
        if params is None or client is None or redirect_uri not in client.redirect_uris:
            # Redirecting to an unverified URI would hand the code to an attacker (section 10.6).
            return Response(400, {"Content-Type": "text/plain"}, b"invalid client or redirect_uri")
        state = params.get("state")

        def error(code: str) -> Response:
            return _redirect(redirect_uri, {"error": code, "state": state, "iss": self.issuer})

        if params.get("response_type") != "code":
            return error("unsupported_response_type")
        challenge = params.get("code_challenge", "")
        if params.get("code_challenge_method") != "S256" or not _CHALLENGE.fullmatch(challenge):
            return error("invalid_request")  # PKCE S256 is required, "plain" refused
        code = secrets.token_urlsafe(32)
        with self._lock:
            # Forget grants no token from them can outlive; keep the rest so a late
            # replay still revokes what the code bought.
            now = self._clock()
            for old in [
                k for k, g in self._grants.items() if now >= g.expires_at + self._token_ttl
            ]:
                del self._grants[old]
            self._grants[code] = _Grant(
                client.client_id,
                redirect_uri,
                challenge,
                self._subject,
                params.get("scope", ""),
                now + self._code_ttl,
            )
        return _redirect(redirect_uri, {"code": code, "state": state, "iss": self.issuer})

    def _token(self, form_text: str) -> Response:
        form = _single_values(form_text)
        if form is None:
            return _oauth_error(400, "invalid_request")
        if form.get("grant_type") != "authorization_code":
            return _oauth_error(400, "unsupported_grant_type")
        with self._lock:
            grant = self._grants.get(form.get("code", ""))
            if grant is None or grant.client_id != form.get("client_id"):
                return _oauth_error(400, "invalid_grant")
            if grant.used:
                # A second redemption means the code leaked: revoke what it bought.
                self._revoked.update(grant.token_ids)
                return _oauth_error(400, "invalid_grant")
            grant.used = True  # burnt on the first attempt, right or wrong
            if self._clock() >= grant.expires_at or form.get("redirect_uri") != grant.redirect_uri:
                return _oauth_error(400, "invalid_grant")
            try:
                proof = pkce_challenge(form.get("code_verifier", ""))
            except ValueError:
                return _oauth_error(400, "invalid_grant")
            if not hmac.compare_digest(proof, grant.challenge):
                return _oauth_error(400, "invalid_grant")
            now = self._clock()
            token_id = secrets.token_urlsafe(12)
            grant.token_ids.append(token_id)
        claims = {
            "iss": self.issuer,
            "sub": grant.subject,
            "aud": self.audience,
            "client_id": grant.client_id,
            "scope": grant.scope,
            "iat": int(now),
            "exp": int(now + self._token_ttl),
            "jti": token_id,
        }
        access_token = jwt_encode(claims, self._key)
        return Response.of_json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": int(self._token_ttl),
            },
        )


class ResourceServer:
    """Serves ``GET /me`` to a valid bearer token (RFC 6750) for its audience.

    >>> api = ResourceServer(b"k" * 32, audience="https://api.example")
    >>> api.handle("GET", "/me", {"Authorization": "Bearer nope"}, b"").headers["WWW-Authenticate"]
    'Bearer error="invalid_token"'
    """

    def __init__(
        self,
        key: bytes,
        *,
        audience: str,
        is_revoked: Callable[[str], bool] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Verify tokens with ``key`` for ``audience``.

        Args:
            key: the HS256 key shared with the authorization server.
            audience: the ``aud`` this API accepts.
            is_revoked: asked with each token's ``jti``; ``None`` trusts every
                unexpired token.
            clock: seconds since the epoch.

        Raises:
            TypeError: a key that is not bytes, a callable that is not.
            ValueError: a key under 32 bytes, an empty audience.
        """
        jwt_encode({}, key)
        if is_revoked is not None:
            check_callable(is_revoked, "is_revoked")
        check_callable(clock, "clock")
        self._key = key
        self._audience = check_str(audience, "audience", nonempty=True)
        self._is_revoked = is_revoked
        self._clock = clock

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Response:
        """``GET /me``: the token's subject and scope, or 401 with ``WWW-Authenticate``."""
        if method != "GET" or urlsplit(target).path != "/me":
            return Response(404, {"Content-Type": "text/plain"}, b"not found")
        # Header names are case-insensitive (RFC 9110 section 5.1).
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return Response(401, {"WWW-Authenticate": "Bearer"})
        try:
            claims = jwt_decode(token, self._key, now=self._clock())
        except TokenError:
            claims = {}
        if claims.get("aud") != self._audience or (
            self._is_revoked is not None and self._is_revoked(str(claims.get("jti")))
        ):
            return Response(401, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return Response.of_json(200, {"sub": claims.get("sub"), "scope": claims.get("scope")})


def _single_values(query: str) -> dict[str, str] | None:
    """Parse a query or form; ``None`` if a parameter repeats (RFC 6749 section 3.1)."""
    parsed = parse_qs(query, keep_blank_values=True)
    if any(len(values) > 1 for values in parsed.values()):
        return None
    return {name: values[0] for name, values in parsed.items()}


def _redirect(uri: str, params: Mapping[str, str | None]) -> Response:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return Response(302, {"Location": f"{uri}{'&' if '?' in uri else '?'}{query}"})


def _oauth_error(status: int, code: str) -> Response:
    return Response.of_json(status, {"error": code})


@contextmanager
def serve(app: WebApp) -> Iterator[str]:
    """Serve ``app`` on ``127.0.0.1`` at a free port in a thread; yield its base URL.

    The server is shut down and its socket closed when the block ends.
    """

    class Handler(BaseHTTPRequestHandler):
        def _dispatch(self) -> None:
            declared = self.headers.get("Content-Length") or "0"
            # A negative length would make read() wait for EOF; cap what we accept.
            length = int(declared) if declared.isdigit() else 0
            body = self.rfile.read(min(length, 1 << 16))
            response = app.handle(self.command, self.path, dict(self.headers.items()), body)
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)

        do_GET = do_POST = _dispatch

        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
