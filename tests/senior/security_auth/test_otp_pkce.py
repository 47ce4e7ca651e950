"""HOTP, TOTP and PKCE against RFC 4226 appendix D, RFC 6238 appendix B, RFC 7636 appendix B."""

from __future__ import annotations

import math

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.twofactor.hotp import HOTP
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.security_auth import (
    hotp,
    pkce_challenge,
    pkce_verifier,
    totp,
    totp_verify,
)

RFC4226_SECRET = b"12345678901234567890"
RFC4226_CODES = [
    "755224", "287082", "359152", "969429", "338314",
    "254676", "287922", "162583", "399871", "520489",
]  # fmt: skip

# RFC 6238 appendix A's reference code uses a seed as long as each hash's output:
# 20 bytes for SHA-1, 32 for SHA-256, 64 for SHA-512 (the same digits, repeated).
SEEDS = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
RFC6238_TABLE = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize(("counter", "code"), list(enumerate(RFC4226_CODES)))
def test_rfc4226_appendix_d(counter, code):
    assert hotp(RFC4226_SECRET, counter) == code


@pytest.mark.parametrize(("at", "sha1", "sha256", "sha512"), RFC6238_TABLE)
def test_rfc6238_appendix_b(at, sha1, sha256, sha512):
    for digest, expected in (("sha1", sha1), ("sha256", sha256), ("sha512", sha512)):
        assert totp(SEEDS[digest], at, digits=8, digest=digest) == expected


def test_the_seed_length_matters_for_sha256():
    # Using the 20-byte seed for SHA-256, a common slip, gives a different code.
    assert totp(SEEDS["sha1"], 59, digits=8, digest="sha256") != "46119246"


ALGORITHMS = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha512": hashes.SHA512}


@settings(max_examples=80, deadline=None)
@given(
    secret=st.binary(min_size=16, max_size=64),
    counter=st.integers(0, 2**64 - 1),
    digits=st.integers(6, 8),
    digest=st.sampled_from(sorted(ALGORITHMS)),
)
def test_hotp_matches_cryptography(secret, counter, digits, digest):
    oracle = HOTP(secret, digits, ALGORITHMS[digest]())
    assert hotp(secret, counter, digits, digest) == oracle.generate(counter).decode()


@settings(max_examples=60, deadline=None)
@given(
    secret=st.binary(min_size=16, max_size=64),
    at=st.integers(0, 2**40),
    step=st.sampled_from([30, 60]),
    digest=st.sampled_from(sorted(ALGORITHMS)),
)
def test_totp_matches_cryptography(secret, at, step, digest):
    oracle = TOTP(secret, 6, ALGORITHMS[digest](), step)
    assert totp(secret, at, step=step, digest=digest) == oracle.generate(at).decode()


def test_totp_steps_change_exactly_at_multiples_of_the_step():
    secret = SEEDS["sha1"]
    assert totp(secret, 30) == totp(secret, 59.999) == hotp(secret, 1)
    assert totp(secret, 29.999) == hotp(secret, 0)
    assert totp(secret, 95, step=45.5) == hotp(secret, 2)


def test_totp_verify_accepts_one_step_of_drift_and_no_more():
    secret = SEEDS["sha1"]
    now = 1_000_000
    for offset, accepted in ((-60, False), (-30, True), (0, True), (30, True), (60, False)):
        code = totp(secret, now + offset)
        step = totp_verify(secret, code, now)
        assert (step is not None) is accepted
        if accepted:
            assert step == (now + offset) // 30
    assert totp_verify(secret, totp(secret, now - 60), now, window=2) == (now - 60) // 30
    assert totp_verify(secret, totp(secret, now), now, window=0) == now // 30
    assert totp_verify(secret, "", now) is None
    assert totp_verify(secret, "12345", now) is None


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda: hotp("secret", 0), TypeError, "secret must be bytes"),
        (lambda: hotp(b"", 0), ValueError, "secret must not be empty"),
        (lambda: hotp(b"k", True), TypeError, "counter must be an int"),
        (lambda: hotp(b"k", 1.0), TypeError, "counter must be an int"),
        (lambda: hotp(b"k", -1), ValueError, "counter must be in"),
        (lambda: hotp(b"k", 2**64), ValueError, "counter must be in"),
        (lambda: hotp(b"k", 0, digits=5), ValueError, "digits must be in"),
        (lambda: hotp(b"k", 0, digits=11), ValueError, "digits must be in"),
        (lambda: hotp(b"k", 0, digest="md5"), ValueError, "digest must be one of"),
        (lambda: hotp(b"k", 0, digest=None), TypeError, "digest must be a str"),
        (lambda: totp(b"k", math.nan), ValueError, "at must be"),
        (lambda: totp(b"k", math.inf), ValueError, "at must be"),
        (lambda: totp(b"k", -1), ValueError, "at must be"),
        (lambda: totp(b"k", False), TypeError, "at must be"),
        (lambda: totp(b"k", 0, step=0), ValueError, "step must be"),
        (lambda: totp(b"k", 0, step=-30), ValueError, "step must be"),
        (lambda: totp_verify(b"k", 123456, 0), TypeError, "code must be a str"),
        (lambda: totp_verify(b"k", "1", 0, window=-1), ValueError, "window must be"),
        (lambda: totp_verify(b"k", "1", 0, window=True), TypeError, "window must be"),
    ],
)
def test_otp_bad_input(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_ten_digits_is_the_whole_31_bit_value():
    assert len(hotp(RFC4226_SECRET, 0, digits=10)) == 10
    assert int(hotp(RFC4226_SECRET, 0, digits=10)) < 2**31


# --- PKCE ------------------------------------------------------------------------------


def test_rfc7636_appendix_b():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_the_rfc_verifier_is_the_base64url_of_its_32_octets():
    octets = bytes(
        [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
         22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121]
    )  # fmt: skip
    import base64

    assert base64.urlsafe_b64encode(octets).rstrip(b"=").decode() == (
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    )


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="ABCxyz019-._~", min_size=43, max_size=128))
def test_any_legal_verifier_gives_a_43_character_challenge(verifier):
    challenge = pkce_challenge(verifier)
    assert len(challenge) == 43
    assert "=" not in challenge


def test_fresh_verifiers_are_legal_and_distinct():
    verifiers = {pkce_verifier() for _ in range(50)}
    assert len(verifiers) == 50
    assert all(len(pkce_challenge(v)) == 43 for v in verifiers)


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda: pkce_challenge(b"x" * 43), TypeError, "code_verifier must be a str"),
        (lambda: pkce_challenge(""), ValueError, "43-128 characters"),
        (lambda: pkce_challenge("a" * 42), ValueError, "43-128 characters"),
        (lambda: pkce_challenge("a" * 129), ValueError, "43-128 characters"),
        (lambda: pkce_challenge("a" * 42 + "+"), ValueError, "43-128 characters"),
        (lambda: pkce_challenge("a" * 42 + "é"), ValueError, "43-128 characters"),
        (lambda: pkce_verifier(31), ValueError, "nbytes must be in"),
        (lambda: pkce_verifier(97), ValueError, "nbytes must be in"),
        (lambda: pkce_verifier(True), TypeError, "nbytes must be an int"),
    ],
)
def test_pkce_bad_input(call, exc, message):
    with pytest.raises(exc, match=message):
        call()
