"""Rate limiting over HTTP: 429 + Retry-After on the server, parsing and backoff on the client."""

from __future__ import annotations

import datetime
import email.utils
import random
import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.senior.rate_limiting.headers import client_delay, http_response, parse_retry_after
from studybook.senior.rate_limiting.local import Decision


def test_429_response_and_retry_after_header():
    status, headers = http_response(Decision(False, 100, 0, 0.2))
    assert status == 429
    assert headers["Retry-After"] == "1"  # rounded up: never early
    assert http_response(Decision(True, 100, 42, 0.0)) == (
        200,
        {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "42"},
    )
    assert http_response(Decision(False, 100, 0, 3.0))[1]["Retry-After"] == "3"


@given(st.floats(0, 10**6, allow_nan=False))
def test_retry_after_header_is_never_early(wait):
    header = http_response(Decision(False, 1, 0, wait))[1]["Retry-After"]
    assert header.isascii()
    assert header.isdigit()
    assert wait <= int(header) < wait + 1 or (wait < 1 and header == "1")


def test_parse_retry_after_both_forms():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0 - 5) == 5.0
    assert parse_retry_after(" 7 ", now=0) == 7.0
    assert parse_retry_after("\t7", now=0) == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0 + 5) == 0.0
    # the obsolete RFC 850 form
    assert parse_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT", now=1445412480.0) == 0.0


JAN_2026 = 1767225600.0  # 2026-01-01T00:00:00Z


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("Thursday, 01-Jan-70 00:00:00 GMT", 2070),  # 44 years ahead: not "more than 50"
        ("Friday, 01-Jan-76 00:00:00 GMT", 2076),  # exactly 50 years ahead: kept
        ("Thursday, 01-Jan-77 00:00:00 GMT", 1977),  # 51 ahead: the latest past "77"
        ("Sunday, 06-Nov-94 08:49:37 GMT", 1994),
        ("Saturday, 01-Jan-00 00:00:00 GMT", 2000),
        ("Friday, 01-Jan-26 00:00:01 GMT", 2026),
    ],
)
def test_rfc850_two_digit_year_follows_the_50_year_rule(value, year):
    """RFC 9110 section 5.6.7: a two-digit year "more than 50 years in the future" is
    the most recent past year with the same last two digits."""
    when = email.utils.parsedate_to_datetime(value).replace(year=year, tzinfo=datetime.UTC)
    assert parse_retry_after(value, now=JAN_2026) == max(0.0, when.timestamp() - JAN_2026)


def test_rfc850_date_that_does_not_exist_in_its_century_is_refused():
    with pytest.raises(ValueError, match="29-Feb-00"):  # read in 2060 as 2100: no 29 Feb
        parse_retry_after("Monday, 29-Feb-00 00:00:00 GMT", now=2_840_140_800.0)


@given(st.integers(0, 2**40))
def test_delay_seconds_round_trip(seconds):
    assert parse_retry_after(str(seconds), now=0.0) == float(seconds)


@given(st.integers(0, 2**32))
def test_imf_fixdate_round_trip(stamp):
    header = email.utils.formatdate(stamp, usegmt=True)
    assert parse_retry_after(header, now=float(stamp) - 10) == 10.0


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/New_York", "Pacific/Chatham"])
def test_asctime_is_read_as_utc_whatever_the_local_zone(zone, monkeypatch):
    """RFC 9110 section 5.6.7: asctime values are assumed to be in UTC."""
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        assert parse_retry_after("Sun Nov  6 08:49:37 1994", now=784111777.0 - 60) == 60.0
        assert parse_retry_after("Thu Jan  1 00:01:00 1970", now=30.0) == 30.0
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("١٢", ValueError),  # Arabic-Indic digits: str.isdigit() says yes, ABNF DIGIT says no
        ("\uff11\uff12", ValueError),  # fullwidth digits
        ("²", ValueError),
        ("-1", ValueError),
        ("1.5", ValueError),
        ("1e3", ValueError),
        ("", ValueError),
        ("soon", ValueError),
        ("9" * 400, ValueError),
        ("Thu, \u0660\u0661 Jan 1970 00:01:00 GMT", ValueError),
        (None, TypeError),
        (12, TypeError),
        (b"12", TypeError),
    ],
)
def test_parse_retry_after_rejects_bad_values(value, error):
    with pytest.raises(error, match=re.escape(repr(value)[:60])):
        parse_retry_after(value, now=0.0)


@pytest.mark.parametrize(
    ("now", "error"),
    [(float("nan"), ValueError), (float("inf"), ValueError), (None, TypeError), (True, TypeError)],
)
def test_parse_retry_after_rejects_bad_now(now, error):
    with pytest.raises(error, match=re.escape(repr(now))):
        parse_retry_after("5", now=now)


def test_client_backoff_honours_retry_after_and_otherwise_jitters():
    rng = random.Random(3)
    delays = [client_delay(503, {}, attempt=a, now=0, base=1, cap=8, rng=rng) for a in range(8)]
    assert all(0 <= d <= min(8, 2**a) for a, d in enumerate(delays))
    assert len(set(delays)) == len(delays)  # jitter: no two clients in lockstep
    assert client_delay(429, {"retry-after": "10"}, attempt=5, now=0) == 10.0
    assert client_delay(200, {}, attempt=0, now=0) is None
    assert client_delay(429, {}, attempt=10**6, now=0, cap=8, rng=rng) <= 8  # no overflow


@pytest.mark.parametrize("header", ["soon", "١٢", "-1", "", "1.5", "Thu, 32 Jan 1970 00:00:00 GMT"])
def test_a_malformed_retry_after_falls_back_to_backoff(header):
    delay = client_delay(
        429, {"Retry-After": header}, attempt=3, now=0, base=1, cap=60, rng=random.Random(5)
    )
    assert delay == random.Random(5).uniform(0, 8)


@pytest.mark.parametrize(
    ("kwargs", "error", "bad"),
    [
        ({"status": True}, TypeError, True),
        ({"status": "429"}, TypeError, "429"),
        ({"headers": None}, TypeError, None),
        ({"attempt": -1}, ValueError, -1),
        ({"attempt": True}, TypeError, True),
        ({"attempt": 1.5}, TypeError, 1.5),
        ({"base": 0}, ValueError, 0),
        ({"base": float("nan")}, ValueError, float("nan")),
        ({"cap": float("inf")}, ValueError, float("inf")),
        ({"cap": "1"}, TypeError, "1"),
        ({"now": float("nan")}, ValueError, float("nan")),  # not taken for a bad header
        ({"now": float("inf"), "headers": {"Retry-After": "3"}}, ValueError, float("inf")),
        ({"now": None}, TypeError, None),
        ({"now": True}, TypeError, True),
    ],
)
def test_client_delay_rejects_bad_arguments(kwargs, error, bad):
    args = {"status": 429, "headers": {}, "attempt": 0, "now": 0.0} | kwargs
    with pytest.raises(error, match=re.escape(repr(bad))):
        client_delay(**args)


def test_http_response_needs_a_decision():
    with pytest.raises(TypeError, match="got 429"):
        http_response(429)
