"""The authorization code + PKCE flow end to end on loopback, and every attack refused."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt as pyjwt
import pytest

from studybook.senior.security_auth import (
    AuthorizationServer,
    OAuthClient,
    OAuthError,
    RegisteredClient,
    ResourceServer,
    http_request,
    pkce_challenge,
    pkce_verifier,
    run_oauth_flow,
    serve,
)

KEY = b"resource-and-auth-server-key-32b"
REDIRECT = "https://app.example/cb"


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def servers():
    """One authorization server and one API for the module (servers cost ~0.1 s each to stop)."""
    clock = FakeClock()
    server = AuthorizationServer(
        [
            RegisteredClient("app", (REDIRECT,)),
            RegisteredClient("other", ("https://other.example/cb",)),
        ],
        KEY,
        clock=clock,
    )
    api = ResourceServer(KEY, audience=server.audience, is_revoked=server.is_revoked, clock=clock)
    with serve(server) as as_url, serve(api) as api_url:
        yield clock, as_url, api_url


@pytest.fixture
def world(servers):
    clock, as_url, api_url = servers
    clock.now = 1_700_000_000.0  # codes and tokens are fresh: each test gets new ones
    return clock, OAuthClient(as_url, "app", REDIRECT), api_url, as_url


def get_me(api_url: str, token: str) -> tuple[int, dict[str, str], bytes]:
    return http_request("GET", f"{api_url}/me", None, {"Authorization": f"Bearer {token}"})


def test_the_whole_flow_gives_a_token_the_api_accepts(world):
    _clock, client, api_url, _ = world
    token = client.login(scope="read write")
    status, _, body = get_me(api_url, token)
    assert (status, json.loads(body)) == (200, {"sub": "alice", "scope": "read write"})
    # The access token is a JWT PyJWT verifies, for the right audience and lifetime.
    claims = pyjwt.decode(
        token,
        KEY,
        algorithms=["HS256"],
        audience="https://api.example",
        options={"verify_exp": False},
    )
    assert claims["exp"] - claims["iat"] == 300
    assert claims["client_id"] == "app"


def test_the_token_response_is_not_cacheable(world):
    _, client, _, as_url = world
    request = client.start()
    code = client.authorize(request)
    form = urlencode(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": "app",
            "code_verifier": request.verifier,
        }
    ).encode()
    status, headers, body = http_request("POST", f"{as_url}/token", form)
    assert status == 200
    assert headers["Cache-Control"] == "no-store"
    assert json.loads(body)["token_type"] == "Bearer"  # noqa: S105 - not a password


def test_a_replayed_code_is_refused_and_revokes_its_token(world):
    _, client, api_url, _ = world
    request = client.start()
    code = client.authorize(request)
    token = client.exchange(code, request.verifier)["access_token"]
    assert get_me(api_url, token)[0] == 200
    with pytest.raises(OAuthError) as refused:
        client.exchange(code, request.verifier)
    assert (refused.value.error, refused.value.status) == ("invalid_grant", 400)
    status, headers, _ = get_me(api_url, token)
    assert status == 401
    assert headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_a_wrong_verifier_is_refused_and_burns_the_code(world):
    _, client, _, _ = world
    request = client.start()
    code = client.authorize(request)
    with pytest.raises(OAuthError, match="invalid_grant"):
        client.exchange(code, pkce_verifier())
    with pytest.raises(OAuthError, match="invalid_grant"):
        client.exchange(code, request.verifier)  # the stolen-code race cannot be retried


@pytest.mark.parametrize("verifier", ["", "too-short", "x" * 129])
def test_a_malformed_verifier_is_invalid_grant(world, verifier):
    _, client, _, as_url = world
    request = client.start()
    code = client.authorize(request)
    form = urlencode(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": "app",
            "code_verifier": verifier,
        }
    ).encode()
    status, _, body = http_request("POST", f"{as_url}/token", form)
    assert (status, json.loads(body)) == (400, {"error": "invalid_grant"})


def test_a_different_redirect_uri_at_the_token_endpoint_is_refused(world):
    _, client, _, _ = world
    request = client.start()
    code = client.authorize(request)
    with pytest.raises(OAuthError, match="invalid_grant"):
        client.exchange(code, request.verifier, "https://app.example/cb/../evil")


@pytest.mark.parametrize(
    "redirect",
    [
        "https://evil.example/cb",
        "https://app.example/cb/",
        "https://app.example/cb?x=1",
        "https://APP.example/cb",
        "https://app.example.evil.example/cb",
        "https://other.example/cb",
    ],
)
def test_authorize_never_redirects_to_an_unregistered_uri(world, redirect):
    _, _client, _, as_url = world
    evil = OAuthClient(as_url, "app", redirect)
    status, headers, _ = http_request("GET", evil.start().url)
    assert status == 400
    assert "Location" not in headers


def test_an_unknown_client_gets_an_error_page(world):
    _, _, _, as_url = world
    stranger = OAuthClient(as_url, "stranger", REDIRECT)
    assert http_request("GET", stranger.start().url)[0] == 400


def test_a_code_for_one_client_cannot_be_redeemed_by_another(world):
    _, client, _, as_url = world
    request = client.start()
    code = client.authorize(request)
    with pytest.raises(OAuthError, match="invalid_grant"):
        OAuthClient(as_url, "other", REDIRECT).exchange(code, request.verifier)


def test_an_expired_code_is_refused(world):
    clock, client, _, _ = world
    request = client.start()
    code = client.authorize(request)
    clock.now += 60
    with pytest.raises(OAuthError, match="invalid_grant"):
        client.exchange(code, request.verifier)


def test_an_expired_or_foreign_token_is_refused_by_the_api(world):
    clock, client, api_url, _ = world
    token = client.login()
    clock.now += 300
    assert get_me(api_url, token)[0] == 401
    other_audience = pyjwt.encode({"aud": "https://elsewhere", "sub": "alice", "jti": "1"}, KEY)
    assert get_me(api_url, other_audience)[0] == 401
    status, headers, _ = http_request("GET", f"{api_url}/me")
    assert status == 401
    assert headers["WWW-Authenticate"] == "Bearer"


def authorize_with(as_url: str, **changes: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": "app",
        "redirect_uri": REDIRECT,
        "state": "s",
        "code_challenge": pkce_challenge(pkce_verifier()),
        "code_challenge_method": "S256",
    }
    params.update(changes)
    status, headers, _ = http_request("GET", f"{as_url}/authorize?{urlencode(params)}")
    assert status == 302
    assert headers["Location"].startswith(REDIRECT + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(headers["Location"]).query).items()}


def test_pkce_is_required_and_plain_is_refused(world):
    _, _, _, as_url = world
    assert authorize_with(as_url, code_challenge_method="plain")["error"] == "invalid_request"
    assert authorize_with(as_url, code_challenge_method="")["error"] == "invalid_request"
    assert authorize_with(as_url, response_type="token")["error"] == "unsupported_response_type"
    ok = authorize_with(as_url)
    assert set(ok) == {"code", "state", "iss"}
    assert ok["state"] == "s"
    assert ok["iss"] == "https://as.example"  # RFC 9207, against mix-up attacks


def test_repeated_parameters_and_other_grants_are_refused(world):
    _, client, _, as_url = world
    url = client.start().url + "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb"
    assert http_request("GET", url)[0] == 400
    for form in ({"grant_type": "password", "username": "a"}, {"grant_type": "authorization_code"}):
        status, _, body = http_request("POST", f"{as_url}/token", urlencode(form).encode())
        assert status == 400
        assert json.loads(body)["error"] in ("unsupported_grant_type", "invalid_grant")
    assert http_request("POST", f"{as_url}/token", b"code=a&code=b")[0] == 400
    assert http_request("GET", f"{as_url}/nowhere")[0] == 404


def test_a_forged_callback_state_is_detected_by_the_client(world):
    _, client, _, _ = world
    request = client.start()
    forged = type(request)(request.url, "attacker-state", request.verifier)
    with pytest.raises(OAuthError, match="state_mismatch"):
        client.authorize(forged)


def test_run_oauth_flow_reports_every_attack_refused():
    assert run_oauth_flow() == [
        ("GET /me with the token", 'ok 200 {"scope": "read", "sub": "alice"}'),
        ("replay the same code", "refused: invalid_grant"),
        ("GET /me after the replay", "refused: 401"),
        ("redeem with a wrong verifier", "refused: invalid_grant"),
        ("redeem with another redirect_uri", "refused: invalid_grant"),
        ("authorize to an unregistered redirect_uri", "refused: no_redirect"),
        ("accept a response from the wrong issuer", "refused: issuer_mismatch"),
    ]


def test_the_client_checks_iss_against_the_expected_issuer(world):
    _, _, _, as_url = world
    right = OAuthClient(as_url, "app", REDIRECT, issuer="https://as.example")
    assert right.authorize(right.start())  # a code
    for issuer in ("https://as.example/", "https://evil-as.example"):
        wrong = OAuthClient(as_url, "app", REDIRECT, issuer=issuer)
        with pytest.raises(OAuthError, match="issuer_mismatch"):
            wrong.authorize(wrong.start())


@pytest.mark.parametrize(
    "challenge",
    ["", "abc", "A" * 42, "A" * 44, "A" * 42 + "=", "A" * 42 + "+", "A" * 42 + "é"],
)
def test_a_malformed_code_challenge_is_refused(world, challenge):
    _, _, _, as_url = world
    assert authorize_with(as_url, code_challenge=challenge)["error"] == "invalid_request"


def test_spent_grants_are_forgotten_once_no_token_from_them_can_live():
    clock = FakeClock()
    server = AuthorizationServer([RegisteredClient("app", (REDIRECT,))], KEY, clock=clock)
    challenge = pkce_challenge(pkce_verifier())
    query = urlencode(
        {
            "response_type": "code",
            "client_id": "app",
            "redirect_uri": REDIRECT,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    for _ in range(100):
        assert server.handle("GET", f"/authorize?{query}", {}, b"").status == 302
    assert len(server._grants) == 100
    clock.now += 60 + 300  # code TTL + token TTL
    server.handle("GET", f"/authorize?{query}", {}, b"")
    assert len(server._grants) == 1


@pytest.mark.parametrize(
    ("uris", "exc"),
    [
        ("https://app.example/cb", TypeError),  # a bare str: `in` would test substrings
        (["https://app.example/cb"], TypeError),
        ((), ValueError),
        (("http://app.example/cb",), ValueError),  # plain http off loopback (RFC 9700 2.6)
        (("https://app.example/cb#frag",), ValueError),  # RFC 6749 3.1.2: no fragment
        (("/cb",), ValueError),
        (("javascript:alert(1)",), ValueError),
        (("http://localhost/cb",), ValueError),  # RFC 8252 8.3: use the IP literal
    ],
)
def test_registration_is_validated(uris, exc):
    with pytest.raises(exc):
        RegisteredClient("app", uris)


def test_loopback_http_redirects_may_be_registered():
    assert RegisteredClient("cli", ("http://127.0.0.1:8123/cb", "http://[::1]/cb")).client_id


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda: AuthorizationServer([("app", REDIRECT)], KEY), TypeError, "RegisteredClient"),
        (lambda: AuthorizationServer([], b"short"), ValueError, "at least 32 bytes"),
        (lambda: AuthorizationServer([], KEY, code_ttl=0), ValueError, "code_ttl must be"),
        (lambda: AuthorizationServer([], KEY, code_ttl=601), ValueError, "code_ttl must be"),
        (lambda: AuthorizationServer([], KEY, token_ttl=float("nan")), ValueError, "token_ttl"),
        (lambda: AuthorizationServer([], KEY, clock=1.0), TypeError, "clock must be callable"),
        (lambda: AuthorizationServer([], KEY, subject=""), ValueError, "subject must be"),
        (lambda: ResourceServer(KEY, audience=""), ValueError, "audience must be"),
        (lambda: ResourceServer(KEY, audience="a", is_revoked=42), TypeError, "is_revoked"),
        (lambda: OAuthClient("", "app", REDIRECT), ValueError, "authorization_server must be"),
        (lambda: OAuthClient("http://x", None, REDIRECT), TypeError, "client_id must be a str"),
        (lambda: http_request("GET", "https://example.com/"), ValueError, "url must be http://"),
        (lambda: http_request("GET", "file:///etc/passwd"), ValueError, "url must be http://"),
    ],
)
def test_bad_input(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_the_api_reads_the_authorization_header_case_insensitively(world):
    _, client, api_url, _ = world
    token = client.login()
    for name, scheme in (("authorization", "bearer"), ("AUTHORIZATION", "Bearer")):
        status, _, _ = http_request("GET", f"{api_url}/me", None, {name: f"{scheme} {token}"})
        assert status == 200


def test_a_negative_or_bogus_content_length_does_not_hang_the_server(servers):
    import socket

    _, as_url, _ = servers
    port = int(as_url.rsplit(":", 1)[1])
    for length in ("-1", "abc"):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(
                f"POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode()
            )
            assert sock.recv(1024).startswith(b"HTTP/1.0 400")
