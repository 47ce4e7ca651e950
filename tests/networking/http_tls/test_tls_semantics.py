"""TLS 1.3 on loopback against a throwaway CA, and the HTTP semantics helpers."""

from __future__ import annotations

import datetime as dt
import ssl
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509

from studybook.networking.http_tls import (
    METHODS,
    Credential,
    conditional_get,
    handshake,
    issue_certificate,
    make_ca,
    needs_preflight,
    parse_cache_control,
    parse_hsts,
    parse_set_cookie,
)


def wrong(value: object) -> Any:
    """Pass a deliberately mistyped argument past the type checker."""
    return value


@pytest.fixture(scope="module")
def ca() -> Credential:
    return make_ca()


def test_handshake_negotiates_tls13_and_shows_the_chain(ca: Credential) -> None:
    result = handshake(issue_certificate(ca, "localhost"), ca.cert_pem, "localhost")
    assert result.version == "TLSv1.3"
    # OpenSSL's default TLS 1.3 suite order puts AES-256-GCM first.
    assert result.cipher in {"TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                             "TLS_AES_128_GCM_SHA256"}  # fmt: skip
    assert result.chain == (
        "localhost [DNS:localhost] issued by studybook test root",
        "studybook test root (trusted root, self-signed)",
    )


def test_certificates_have_the_fields_clients_check(ca: Credential) -> None:
    leaf = x509.load_pem_x509_certificate(issue_certificate(ca, "api.test").cert_pem)
    root = x509.load_pem_x509_certificate(ca.cert_pem)
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["api.test"]
    assert leaf.issuer == root.subject
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


@pytest.mark.parametrize(
    ("case", "code", "message"),
    [
        ("unknown-ca", 20, "unable to get local issuer certificate"),
        ("self-signed", 18, "self-signed certificate"),
        ("wrong-host", 62, "Hostname mismatch, certificate is not valid for 'example.com'."),
        ("expired", 10, "certificate has expired"),
        ("not-yet-valid", 9, "certificate is not yet valid"),
    ],
)
def test_verification_failures_carry_openssl_reasons(
    ca: Credential, case: str, code: int, message: str
) -> None:
    now = dt.datetime.now(dt.UTC)
    server, host = {
        "unknown-ca": (issue_certificate(make_ca("other root"), "localhost"), "localhost"),
        "self-signed": (make_ca("localhost"), "localhost"),  # a lone self-signed leaf
        "wrong-host": (issue_certificate(ca, "localhost"), "example.com"),
        "expired": (issue_certificate(ca, not_before_days=10, valid_days=1), "localhost"),
        "not-yet-valid": (issue_certificate(ca, now=now + dt.timedelta(days=3)), "localhost"),
    }[case]
    with pytest.raises(ssl.SSLCertVerificationError) as info:
        handshake(server, ca.cert_pem, host)
    assert (info.value.verify_code, info.value.verify_message) == (code, message)
    assert str(info.value).startswith(
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
    )


def test_openssl_cli_agrees_the_chain_verifies(
    ca: Credential, tmp_path: Path, openssl: str
) -> None:
    root, leaf = tmp_path / "root.pem", tmp_path / "leaf.pem"
    root.write_bytes(ca.cert_pem)
    leaf.write_bytes(issue_certificate(ca, "localhost").cert_pem)
    ok = subprocess.run(
        [openssl, "verify", "-CAfile", str(root), "-verify_hostname", "localhost", str(leaf)],
        capture_output=True, text=True, timeout=10, check=False,
    )  # fmt: skip
    assert (ok.returncode, ok.stdout.strip()) == (0, f"{leaf}: OK")
    bad = subprocess.run(
        [openssl, "verify", "-CAfile", str(root), "-verify_hostname", "example.com", str(leaf)],
        capture_output=True, text=True, timeout=10, check=False,
    )  # fmt: skip
    assert bad.returncode != 0


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: make_ca(""), ValueError, "common_name must be a non-empty str, got ''"),
        (lambda: make_ca(days=True), TypeError, "days must be an int, got bool: True"),
        (lambda: make_ca(now=dt.datetime(2025, 1, 1)), TypeError, "timezone-aware"),
        (lambda: issue_certificate(wrong("pem")), TypeError, "ca must be a Credential, got 'pem'"),
        (lambda: issue_certificate(make_ca(), valid_days=0), ValueError, "valid_days must be >= 1"),
        (lambda: handshake(make_ca(), wrong("pem"), "h"), TypeError, "trusted_ca_pem must be PEM"),
        (lambda: handshake(make_ca(), b"", ""), ValueError, "server_hostname must be a non-empty"),
    ],
)
def test_tls_bad_arguments(call: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        call()  # type: ignore[operator]
    assert message in str(info.value)


def test_method_properties_follow_rfc_9110() -> None:
    safe = {m for m, p in METHODS.items() if p.safe}
    idempotent = {m for m, p in METHODS.items() if p.idempotent}
    assert safe == {"GET", "HEAD", "OPTIONS", "TRACE"}
    assert idempotent == safe | {"PUT", "DELETE"}
    assert all(p.idempotent for p in METHODS.values() if p.safe)  # safe implies idempotent


@pytest.mark.parametrize(
    ("etag", "inm", "status"),
    [('"a"', None, 200), ('"a"', '"a"', 304), ('W/"a"', '"a"', 304), ('"a"', 'W/"a"', 304),
     ('"a"', '"b", "c"', 200), ('"a"', "*", 304), ('"a"', '"b",W/"a"', 304)],
)  # fmt: skip
def test_conditional_get(etag: str, inm: str | None, status: int) -> None:
    assert conditional_get(etag, inm) == status


def test_cookies_cors_hsts_cache_control() -> None:
    c = parse_set_cookie("id=42; Domain=.Example.com; Max-Age=-1; samesite=strict; secure")
    assert (c.domain, c.max_age, c.same_site, c.secure, c.http_only) == (
        "example.com", -1, "Strict", True, False,
    )  # fmt: skip
    assert needs_preflight("GET", {"Accept": "*/*", "Accept-Language": "en"}) is False
    assert needs_preflight("POST", {"Content-Type": "multipart/form-data; boundary=x"}) is False
    assert needs_preflight("GET", {"Authorization": "Bearer t"}) is True
    assert needs_preflight("PUT", {}) is True
    # Range with one bytes= range is safelisted (Fetch; MDN "simple requests"); values are vetted
    assert needs_preflight("GET", {"Range": "bytes=256-"}) is False
    assert needs_preflight("GET", {"Range": "bytes=0-1, 5-6"}) is True  # two ranges
    assert needs_preflight("GET", {"Range": "bytes=-5"}) is True  # no start: suffix range
    assert needs_preflight("GET", {"Accept": "text/html" + ";q=0.9" * 20}) is True  # > 128 bytes
    assert needs_preflight("GET", {"Accept": "{json}"}) is True  # CORS-unsafe bytes
    assert needs_preflight("GET", {"Accept-Language": "en-US,en;q=0.9"}) is False
    assert needs_preflight("GET", {"Content-Language": "fr_FR"}) is True  # '_' not allowed
    assert needs_preflight("POST", {"Content-Type": 'text/plain; charset="x"'}) is True
    assert parse_hsts('max-age="0"').max_age == 0  # max-age=0 tells the browser to forget
    assert parse_cache_control("No-Store, MAX-AGE=0") == {"no-store": None, "max-age": "0"}


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: conditional_get("", None), ValueError, "etag must be a non-empty str"),
        (lambda: conditional_get('"a"', wrong(5)), TypeError, "if_none_match must be a str"),
        (lambda: parse_set_cookie("novalue"), ValueError, "needs name=value first, got 'novalue'"),
        (lambda: parse_set_cookie("a=b; SameSite=Maybe"), ValueError, "got 'Maybe'"),
        (lambda: parse_set_cookie("a=b; Max-Age=nan"), ValueError,
         "Max-Age must be an integer, got 'nan'"),
        (lambda: needs_preflight("", {}), ValueError, "method must be a non-empty str"),
        (lambda: needs_preflight("GET", wrong([])), TypeError, "headers must be a dict, got list"),
        (lambda: parse_set_cookie("a=b; Max-Age=--5"), ValueError, "got '--5'"),
        (lambda: needs_preflight("GET", {"Accept": wrong(1)}), TypeError, "must be str"),
        (lambda: parse_hsts("max-age=-1"), ValueError, "non-negative integer, got 'max-age=-1'"),
        (lambda: parse_hsts("max-age=1; max-age=2"), ValueError, "repeated"),
        (lambda: parse_cache_control(wrong(None)), TypeError, "value must be a str"),
    ],
)  # fmt: skip
def test_semantics_bad_arguments(call: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        call()  # type: ignore[operator]
    assert message in str(info.value)
