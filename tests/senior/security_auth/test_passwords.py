"""Password hashing: OWASP parameters by default, salted, constant-time verify, rehash."""

from __future__ import annotations

import base64
import hashlib

import pytest

from studybook.senior.security_auth import (
    PBKDF2_ITERATIONS,
    SCRYPT_N,
    hash_password,
    needs_rehash,
    verify_password,
)

SALT = b"0123456789abcdef"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_the_defaults_are_owasps_minimums(monkeypatch):
    assert (SCRYPT_N, PBKDF2_ITERATIONS) == (2**17, 600_000)
    calls = []
    real_scrypt = hashlib.scrypt

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real_scrypt(*args, **kwargs)  # the real call proves maxmem is large enough

    monkeypatch.setattr(hashlib, "scrypt", spy)
    stored = hash_password("correct horse", salt=SALT)
    assert [(c["n"], c["r"], c["p"], c["salt"], c["dklen"]) for c in calls] == [
        (2**17, 8, 1, SALT, 32)
    ]
    assert stored.startswith(f"scrypt$131072${_b64(SALT)}$")
    assert not needs_rehash(stored)


def test_scrypt_output_matches_hashlib_at_a_low_cost():
    stored = hash_password("correct horse", salt=SALT, cost=2**10)
    expected = hashlib.scrypt(b"correct horse", salt=SALT, n=2**10, r=8, p=1, dklen=32)
    assert stored == f"scrypt$1024${_b64(SALT)}${_b64(expected)}"


def test_pbkdf2_defaults_to_600000_iterations_of_hmac_sha256(monkeypatch):
    calls = []
    real_pbkdf2 = hashlib.pbkdf2_hmac
    monkeypatch.setattr(hashlib, "pbkdf2_hmac", lambda *a: calls.append(a) or real_pbkdf2(*a))
    stored = hash_password("pw", scheme="pbkdf2_sha256", salt=SALT)
    assert calls == [("sha256", b"pw", SALT, 600_000, 32)]
    assert stored.startswith(f"pbkdf2_sha256$600000${_b64(SALT)}$")
    assert needs_rehash(stored)  # scrypt is preferred when FIPS is not required


def test_pbkdf2_output_matches_hashlib_at_a_low_cost():
    stored = hash_password("pw", scheme="pbkdf2_sha256", salt=SALT, cost=1000)
    expected = hashlib.pbkdf2_hmac("sha256", b"pw", SALT, 1000, 32)
    assert stored == f"pbkdf2_sha256$1000${_b64(SALT)}${_b64(expected)}"
    assert verify_password("pw", stored)
    assert not verify_password("pW", stored)


@pytest.mark.parametrize("scheme", ["scrypt", "pbkdf2_sha256"])
@pytest.mark.parametrize("password", ["a", "pässwörd 🔑", "x" * 10_000, "with$dollar"])
def test_round_trip_and_wrong_password(scheme, password):
    stored = hash_password(password, scheme=scheme, cost=16)
    assert verify_password(password, stored)
    assert not verify_password(password + "!", stored)
    assert not verify_password("", stored)


def test_the_salt_makes_equal_passwords_hash_differently():
    assert hash_password("same", cost=16) != hash_password("same", cost=16)
    assert hash_password("same", cost=16, salt=SALT) == hash_password("same", cost=16, salt=SALT)


def test_weaker_than_today_needs_rehash():
    salt, key = _b64(SALT), _b64(bytes(32))  # needs_rehash reads only the parameters
    assert needs_rehash(f"scrypt$65536${salt}${key}")
    assert not needs_rehash(f"scrypt$131072${salt}${key}")
    assert needs_rehash(f"pbkdf2_sha256$310000${salt}${key}")
    assert needs_rehash(f"pbkdf2_sha256$600000${salt}${key}")


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda: hash_password(""), ValueError, "password must be a non-empty str"),
        (lambda: hash_password(b"pw"), TypeError, "password must be a str"),
        (lambda: hash_password("pw", scheme="md5"), ValueError, "scheme must be"),
        (lambda: hash_password("pw", salt=b"short"), ValueError, "salt must be at least 16 bytes"),
        (lambda: hash_password("pw", salt="0123456789abcdef"), ValueError, "salt must be"),
        (lambda: hash_password("pw", cost=1000), ValueError, "power of two"),
        (lambda: hash_password("pw", cost=0), ValueError, "cost must be in"),
        (lambda: hash_password("pw", cost=2**21), ValueError, "cost must be in"),
        (lambda: hash_password("pw", cost=True), TypeError, "cost must be an int"),
        (lambda: hash_password("pw", cost=2.0**10), TypeError, "cost must be an int"),
        (lambda: verify_password("pw", ""), ValueError, "not a stored password hash"),
        (lambda: verify_password("pw", "scrypt$abc$AA$AA"), ValueError, "not a stored"),
        (lambda: verify_password("pw", "scrypt$1000$AA$" + "A" * 43), ValueError, "not a stored"),
        (lambda: verify_password("pw", "scrypt$1024$AA$AAAA"), ValueError, "not a stored"),
        (
            lambda: verify_password("pw", "scrypt$99999999$AA$" + "A" * 43),
            ValueError,
            "not a stored",
        ),
        (lambda: verify_password(None, "x"), TypeError, "password must be a str"),
        (lambda: verify_password("pw", None), TypeError, "stored must be a str"),
        (lambda: needs_rehash("bcrypt$10$x$y"), ValueError, "not a stored"),
    ],
)
def test_bad_input(call, exc, message):
    with pytest.raises(exc, match=message):
        call()
