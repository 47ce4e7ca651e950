"""HS256 JWTs: RFC 7515 appendix A.1 exactly, PyJWT as an oracle both ways, every refusal."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.security_auth import (
    AlgorithmError,
    BadSignatureError,
    ExpiredTokenError,
    MalformedTokenError,
    NotYetValidError,
    TokenError,
    jws_sign,
    jwt_decode,
    jwt_encode,
)

KEY = b"0123456789abcdef0123456789abcdef"

# RFC 7515 appendix A.1: the JSON is given byte for byte, CRLFs included.
A1_HEADER = b'{"typ":"JWT",\r\n "alg":"HS256"}'
A1_PAYLOAD = b'{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}'
A1_KEY = base64.urlsafe_b64decode(
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow=="
)
A1_JWS = (
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict[str, object], claims: dict[str, object], key: bytes = KEY) -> str:
    """A token with any header, correctly MACed with ``key`` (so only the header is wrong)."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    mac = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(mac)}"


def test_rfc7515_appendix_a1_is_reproduced_exactly_and_verifies():
    assert jws_sign(A1_HEADER, A1_PAYLOAD, A1_KEY) == A1_JWS
    claims = jwt_decode(A1_JWS, A1_KEY, now=1300819379)
    assert claims == {"iss": "joe", "exp": 1300819380, "http://example.com/is_root": True}
    with pytest.raises(ExpiredTokenError):
        jwt_decode(A1_JWS, A1_KEY, now=1300819380)


def test_pyjwt_verifies_rfc_a1_too():
    claims = pyjwt.decode(A1_JWS, A1_KEY, algorithms=["HS256"], options={"verify_exp": False})
    assert claims["iss"] == "joe"


claim_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
claim_sets = st.dictionaries(
    st.text(max_size=8).filter(
        lambda k: k not in ("exp", "nbf", "iat", "aud", "iss", "sub", "jti")
    ),
    claim_values,
    max_size=5,
)


@settings(max_examples=40, deadline=None)
@given(claims=claim_sets, key=st.binary(min_size=32, max_size=64))
def test_interoperates_with_pyjwt_both_ways(claims, key):
    ours = jwt_encode(claims, key)
    assert pyjwt.decode(ours, key, algorithms=["HS256"]) == claims
    theirs = pyjwt.encode(claims, key, algorithm="HS256")
    assert jwt_decode(theirs, key) == claims


def test_pyjwt_times_are_honoured_the_same_way():
    token = pyjwt.encode({"nbf": 100, "exp": 200}, KEY, algorithm="HS256")
    assert jwt_decode(token, KEY, now=100) == {"nbf": 100, "exp": 200}
    assert jwt_decode(token, KEY, now=199.999) == {"nbf": 100, "exp": 200}
    with pytest.raises(NotYetValidError, match="not valid before 100"):
        jwt_decode(token, KEY, now=99.999)
    with pytest.raises(ExpiredTokenError, match="expired at 200"):
        jwt_decode(token, KEY, now=200)


@pytest.mark.parametrize(
    "alg", ["none", "None", "NONE", "", None, "hs256", "HS384", "HS512", "RS256", "ES256"]
)
def test_any_algorithm_but_hs256_is_refused(alg):
    header = {"typ": "JWT"} if alg is None else {"alg": alg, "typ": "JWT"}
    with pytest.raises(AlgorithmError, match="only alg HS256 is accepted"):
        jwt_decode(forge(header, {"sub": "mallory"}), KEY)


def test_alg_none_with_an_empty_signature_is_refused():
    none_header, claims = b64(b'{"alg":"none"}'), b64(b'{"admin":true}')
    token = f"{none_header}.{claims}."
    with pytest.raises(AlgorithmError):
        jwt_decode(token, KEY)


def test_algorithm_confusion_rs256_public_key_as_hmac_secret_is_refused():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    rs256 = pyjwt.encode({"sub": "alice"}, private, algorithm="RS256")
    with pytest.raises(AlgorithmError):
        jwt_decode(rs256, public_pem)
    # The attack: MAC a token with the *public* key. A verifier that took the algorithm
    # from the header would accept it; ours was given an HMAC key and checks HS256 only.
    forged = forge({"alg": "HS256"}, {"sub": "admin"}, key=public_pem)
    with pytest.raises(BadSignatureError):
        jwt_decode(forged, KEY)
    # PyJWT refuses to use a PEM as an HMAC secret at all: the same lesson.
    with pytest.raises(pyjwt.exceptions.InvalidKeyError):
        pyjwt.encode({"sub": "admin"}, public_pem, algorithm="HS256")


def test_a_changed_bit_anywhere_or_another_key_breaks_the_signature():
    token = jwt_encode({"sub": "alice", "admin": False}, KEY)
    header, payload, signature = token.split(".")
    tampered = forge({"alg": "HS256", "typ": "JWT"}, {"sub": "alice", "admin": True}, key=b"x" * 32)
    admin = b64(b'{"sub":"alice","admin":true}')
    for bad in (
        f"{header}.{admin}.{signature}",
        f"{header}.{payload}.{signature[:-2]}{'A' if signature[-2] != 'A' else 'B'}{signature[-1]}",
        tampered,
    ):
        with pytest.raises(BadSignatureError, match="signature does not match"):
            jwt_decode(bad, KEY)
    with pytest.raises(BadSignatureError):
        jwt_decode(token, b"another-key-of-thirty-two-bytes!")


def test_the_signature_is_checked_before_the_claims_are_trusted():
    expired_forgery = forge({"alg": "HS256"}, {"exp": 1}, key=b"y" * 32)
    with pytest.raises(BadSignatureError):
        jwt_decode(expired_forgery, KEY, now=10)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "a.b",
        "a.b.c.d",
        "!!!.e30.sig",
        "e30=.e30.AAAA",  # padding is not base64url
        "W10.e30.AAAA",  # header is a JSON array
        "bm90IGpzb24.e30.AAAA",  # header is not JSON
        "_w.e30.AAAA",  # header is not UTF-8
        "eyJhbGciOiJIUzI1NiJ9.e30.A",  # one base64 character is never valid
    ],
)
def test_malformed_tokens_are_refused_with_a_clear_error(token):
    with pytest.raises(MalformedTokenError):
        jwt_decode(token, KEY)


@pytest.mark.parametrize(
    "claims",
    [{"exp": "tomorrow"}, {"exp": True}, {"nbf": None}, {"exp": math.nan}, {"nbf": math.inf}],
)
def test_non_numeric_or_non_finite_times_are_malformed(claims):
    # NaN and Infinity are not JSON, but json.loads reads them: forge them in by hand.
    text = json.dumps(claims)  # writes NaN / Infinity
    hs256 = b64(b'{"alg":"HS256"}')
    signing_input = f"{hs256}.{b64(text.encode())}"
    mac = hmac.new(KEY, signing_input.encode(), hashlib.sha256).digest()
    with pytest.raises(MalformedTokenError, match="finite NumericDate"):
        jwt_decode(f"{signing_input}.{b64(mac)}", KEY, now=0)


def signed(header: bytes, payload: bytes, key: bytes = KEY) -> str:
    """A correctly MACed token over exact header and payload bytes."""
    signing_input = f"{b64(header)}.{b64(payload)}"
    return f"{signing_input}.{b64(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())}"


@pytest.mark.parametrize(
    ("header", "payload"),
    [
        (b'{"alg":"none","alg":"HS256"}', b"{}"),  # a first-wins parser would see "none"
        (b'{"alg":"HS256","alg":"HS256"}', b"{}"),
        (b'{"alg":"HS256"}', b'{"exp":1,"exp":9999999999}'),  # which expiry counts?
        (b'{"alg":"HS256"}', b'{"sub":"alice","sub":"admin"}'),
    ],
)
def test_repeated_member_names_are_refused(header, payload):
    with pytest.raises(MalformedTokenError, match="unique names"):
        jwt_decode(signed(header, payload), KEY, now=0)


def test_non_canonical_base64url_is_refused():
    header, payload, signature = jwt_encode({"sub": "alice"}, KEY).split(".")
    # 32 bytes take 43 characters; the last one carries 2 spare bits that must be 0.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    twin = signature[:-1] + alphabet[alphabet.index(signature[-1]) | 1]
    assert base64.urlsafe_b64decode(twin + "=") == base64.urlsafe_b64decode(signature + "=")
    with pytest.raises(MalformedTokenError, match="canonical"):
        jwt_decode(f"{header}.{payload}.{twin}", KEY)
    with pytest.raises(pyjwt.exceptions.DecodeError):  # the oracle refuses it too
        pyjwt.decode(f"{header}.{payload}.{twin}", KEY, algorithms=["HS256"])


def test_hostile_json_is_malformed_not_a_crash():
    deep = b'{"alg":"HS256","x":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(MalformedTokenError):  # before the MAC: anyone can send it
        jwt_decode(f"{b64(deep)}.e30.AAAA", KEY)
    huge_int = b'{"exp":' + b"9" * 400 + b"}"  # finite JSON, beyond float range
    with pytest.raises(MalformedTokenError, match="finite NumericDate"):
        jwt_decode(signed(b'{"alg":"HS256"}', huge_int), KEY, now=0)
    with pytest.raises(MalformedTokenError, match="iat must be"):
        jwt_decode(signed(b'{"alg":"HS256"}', b'{"iat":NaN}'), KEY, now=0)
    with pytest.raises(MalformedTokenError, match=r"\.\.\.$"):  # the message is cut short
        jwt_decode("A" * 1_000_000 + ".e30.AAAA", KEY)


def test_critical_header_extensions_are_refused():
    with pytest.raises(MalformedTokenError, match="critical"):
        jwt_decode(forge({"alg": "HS256", "crit": ["exp"]}, {}), KEY)


def test_every_refusal_is_a_value_error():
    for cls in (
        AlgorithmError,
        BadSignatureError,
        ExpiredTokenError,
        MalformedTokenError,
        NotYetValidError,
    ):
        assert issubclass(cls, TokenError)
        assert issubclass(cls, ValueError)


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda: jwt_encode({"a": 1}, "key"), TypeError, "key must be bytes"),
        (lambda: jwt_encode({"a": 1}, b"short"), ValueError, "at least 32 bytes, got 5"),
        (lambda: jwt_encode({"a": 1}, b""), ValueError, "got 0 bytes"),
        (lambda: jwt_encode([("a", 1)], KEY), TypeError, "claims must be a dict"),
        (lambda: jwt_encode({1: 1}, KEY), TypeError, "claims must be a dict with str keys"),
        (lambda: jwt_encode({"exp": math.nan}, KEY), ValueError, "without NaN"),
        (lambda: jwt_encode({"exp": math.inf}, KEY), ValueError, "without NaN"),
        (lambda: jwt_decode(b"a.b.c", KEY), TypeError, "token must be a str"),
        (lambda: jwt_decode("a.b.c", None), TypeError, "key must be bytes"),
        (lambda: jwt_decode(jwt_encode({}, KEY), KEY, now=math.nan), ValueError, "now must be"),
        (lambda: jwt_decode(jwt_encode({}, KEY), KEY, now=True), TypeError, "now must be"),
        (lambda: jws_sign("h", b"p", KEY), TypeError, "header must be bytes"),
    ],
)
def test_bad_input(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_huge_and_unicode_claims_round_trip():
    claims = {"name": "Zoë 🔐", "blob": "x" * 100_000}
    assert jwt_decode(jwt_encode(claims, KEY), KEY) == claims
