"""The OAuth 2.0 client side: build the authorization request, redeem the code, call the API.

A public client (a single-page or native app) holds no secret, so PKCE is what
proves that the party redeeming a code is the one that asked for it.
"""

from __future__ import annotations

import http.client
import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from studybook._validate import check_str
from studybook.senior.security_auth.pkce import pkce_challenge, pkce_verifier

__all__ = ["AuthorizationRequest", "OAuthClient", "OAuthError", "http_request"]


class OAuthError(ValueError):
    """The server refused: ``error`` is the RFC 6749 error code (``invalid_grant``...)."""

    def __init__(self, error: str, status: int) -> None:
        """Keep the error code and HTTP status."""
        super().__init__(f"{error} (HTTP {status})")
        self.error = error
        self.status = status


@dataclass(frozen=True)
class AuthorizationRequest:
    """What the client remembers between sending the user away and the callback."""

    url: str
    state: str
    verifier: str


class OAuthClient:
    """A public client registered at ``authorization_server`` with ``redirect_uri``.

    >>> client = OAuthClient("http://127.0.0.1:1", "app", "https://app/cb")
    >>> request = client.start(scope="read")
    >>> sorted(parse_qs(urlsplit(request.url).query))  # doctest: +NORMALIZE_WHITESPACE
    ['client_id', 'code_challenge', 'code_challenge_method', 'redirect_uri',
     'response_type', 'scope', 'state']
    """

    def __init__(
        self,
        authorization_server: str,
        client_id: str,
        redirect_uri: str,
        *,
        issuer: str | None = None,
    ) -> None:
        """Remember where the authorization server is and who this client is.

        ``issuer`` is the server's issuer identifier; when given, an authorization
        response whose ``iss`` differs (or is missing) is refused, the RFC 9207
        defence against mix-up attacks.
        """
        self.base = check_str(authorization_server, "authorization_server", nonempty=True)
        self.client_id = check_str(client_id, "client_id", nonempty=True)
        self.redirect_uri = check_str(redirect_uri, "redirect_uri", nonempty=True)
        self.issuer = None if issuer is None else check_str(issuer, "issuer", nonempty=True)

    def start(self, scope: str = "") -> AuthorizationRequest:
        """A fresh ``state`` and PKCE verifier, and the authorization URL carrying the challenge."""
        state, verifier = secrets.token_urlsafe(16), pkce_verifier()
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": check_str(scope, "scope"),
                "state": state,
                "code_challenge": pkce_challenge(verifier),
                "code_challenge_method": "S256",
            }
        )
        return AuthorizationRequest(f"{self.base}/authorize?{query}", state, verifier)

    def authorize(self, request: AuthorizationRequest) -> str:
        """Play the browser: fetch the authorization URL and read the code from the redirect.

        Raises:
            OAuthError: no redirect, a redirect elsewhere, an error, a ``state``
                that does not match (a forged callback), or an ``iss`` that is not
                the expected issuer (a mix-up).
        """
        status, headers, _ = http_request("GET", request.url)
        location = headers.get("Location", "")
        expected = self.redirect_uri + ("&" if "?" in self.redirect_uri else "?")
        if status != 302 or not location.startswith(expected):
            raise OAuthError("no_redirect", status)
        params = {k: v[0] for k, v in parse_qs(location[len(expected) :]).items()}
        if not secrets.compare_digest(params.get("state", "").encode(), request.state.encode()):
            raise OAuthError("state_mismatch", status)
        if self.issuer is not None and params.get("iss") != self.issuer:
            raise OAuthError("issuer_mismatch", status)
        if "error" in params:
            raise OAuthError(params["error"], status)
        return params["code"]

    def exchange(self, code: str, verifier: str, redirect_uri: str | None = None) -> dict[str, Any]:
        """Redeem ``code`` at ``/token`` with the verifier; return the token response.

        ``redirect_uri`` defaults to the client's own; tests pass another to play an attacker.

        Raises:
            OAuthError: the server refused (``invalid_grant`` and friends).
        """
        form = {
            "grant_type": "authorization_code",
            "code": check_str(code, "code"),
            "redirect_uri": redirect_uri or self.redirect_uri,
            "client_id": self.client_id,
            "code_verifier": check_str(verifier, "verifier"),
        }
        status, _, body = http_request(
            "POST",
            f"{self.base}/token",
            urlencode(form).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        payload: dict[str, Any] = json.loads(body)
        if status != 200:
            raise OAuthError(str(payload.get("error")), status)
        return payload

    def login(self, scope: str = "") -> str:
        """The whole flow: start, authorize, exchange; return the access token."""
        request = self.start(scope)
        return str(self.exchange(self.authorize(request), request.verifier)["access_token"])


def http_request(
    method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request without following redirects; ``(status, headers, body)``.

    Raises:
        ValueError: not an ``http://`` URL (this helper is for loopback tests).
    """
    parts = urlsplit(check_str(url, "url"))
    if parts.scheme != "http" or parts.hostname is None:
        raise ValueError(f"url must be http://host[:port]/..., got {url!r}")
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=5)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, target or "/", body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()
