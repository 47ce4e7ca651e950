"""The estimator against exact rational arithmetic, its worked examples, and bad input."""

from __future__ import annotations

import math
import re
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.fundamentals.latency_numbers import (
    DEFAULT_PEAK_FACTOR,
    chat_service,
    estimate,
    url_shortener,
)

positive = st.floats(min_value=1e-3, max_value=1e9)
rate = st.floats(min_value=0, max_value=1e4)


@given(
    users=positive,
    writes=rate,
    reads=rate,
    write_size=positive,
    read_size=positive,
    days=st.floats(min_value=0, max_value=1e4),
    replicas=st.integers(1, 5),
    peak=st.floats(min_value=1, max_value=10),
)
def test_estimate_matches_exact_arithmetic(
    users, writes, reads, write_size, read_size, days, replicas, peak
):
    if writes == 0 and reads == 0:
        writes = 1.0
    e = estimate(
        daily_active_users=users,
        writes_per_user_per_day=writes,
        reads_per_user_per_day=reads,
        bytes_per_write=write_size,
        bytes_per_read=read_size,
        retention_days=days,
        replicas=replicas,
        peak_factor=peak,
    )
    F = Fraction
    write_qps = F(users) * F(writes) / 86_400
    read_qps = F(users) * F(reads) / 86_400
    expected = {
        "write_qps": write_qps,
        "read_qps": read_qps,
        "peak_write_qps": write_qps * F(peak),
        "peak_read_qps": read_qps * F(peak),
        "storage_bytes": F(users) * F(writes) * F(write_size) * replicas * F(days),
        "ingress_bytes_per_s": write_qps * F(write_size),
        "egress_bytes_per_s": read_qps * F(read_size),
    }
    for name, exact in expected.items():
        assert getattr(e, name) == pytest.approx(float(exact), rel=1e-9, abs=1e-300), name


def test_defaults_reads_sized_like_writes_and_peak_factor_two():
    e = estimate(
        daily_active_users=86_400, writes_per_user_per_day=1, bytes_per_write=100, retention_days=0
    )
    assert e.bytes_per_read == 100
    assert e.read_qps == 0
    assert e.storage_bytes == 0
    assert e.peak_factor == DEFAULT_PEAK_FACTOR == 2.0
    assert e.peak_write_qps == 2.0


def test_worked_url_shortener():
    e = url_shortener()
    assert e.write_qps == pytest.approx(1e7 / 86_400)
    assert e.read_qps / e.write_qps == pytest.approx(100)
    assert e.storage_bytes == pytest.approx(1e7 * 500 * 1825)  # 9.125 TB
    assert "9.12 TB" in e.report("x")


def test_worked_chat_service():
    e = chat_service()
    assert e.write_qps == pytest.approx(2e9 / 86_400)
    assert e.storage_bytes == pytest.approx(2e9 * 200 * 3 * 365)
    report = e.report("chat", system="iec")
    assert "398 TiB" in report
    assert "IEC units (1 KiB = 1024 bytes)" in report
    assert "438 TB" in e.report("chat")  # the same bytes in SI units: 10 % more digits


BASE = {
    "daily_active_users": 1,
    "writes_per_user_per_day": 1,
    "bytes_per_write": 1,
    "retention_days": 1,
}


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"daily_active_users": 0}, ValueError, "daily_active_users must be greater than 0, got 0"),
        ({"daily_active_users": -5}, ValueError, "got -5"),
        ({"daily_active_users": float("nan")}, ValueError, "finite number, got nan"),
        ({"daily_active_users": math.inf}, ValueError, "finite number, got inf"),
        ({"daily_active_users": True}, TypeError, "got bool: True"),
        ({"daily_active_users": "1e6"}, TypeError, "got str: '1e6'"),
        ({"writes_per_user_per_day": -1}, ValueError, "at least 0, got -1"),
        ({"writes_per_user_per_day": 0}, ValueError, "no reads and no writes"),
        ({"reads_per_user_per_day": float("-inf")}, ValueError, "got -inf"),
        ({"bytes_per_write": 0}, ValueError, "bytes_per_write must be greater than 0, got 0"),
        ({"bytes_per_read": 0}, ValueError, "bytes_per_read must be greater than 0, got 0"),
        ({"retention_days": -1}, ValueError, "retention_days must be at least 0, got -1"),
        ({"replicas": 0}, ValueError, "replicas must be at least 1, got 0"),
        ({"replicas": 2.0}, TypeError, "replicas must be an int, got float: 2.0"),
        ({"replicas": True}, TypeError, "got bool: True"),
        ({"peak_factor": 0.5}, ValueError, "peak_factor must be at least 1, got 0.5"),
        ({"daily_active_users": 1e300, "bytes_per_write": 1e300}, ValueError, "overflow"),
    ],
)
def test_bad_input_is_refused_with_the_value_in_the_message(change, error, message):
    with pytest.raises(error, match=re.escape(message)):
        estimate(**{**BASE, **change})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": ""}, "title must be a non-empty string"),
        ({"title": "t", "system": "bin"}, "'bin'"),
    ],
)
def test_report_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        url_shortener().report(**kwargs)
