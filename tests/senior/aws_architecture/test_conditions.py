"""Condition operators, each tested, plus the missing-key and AND/OR/NOR rules."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.aws_architecture import OPERATORS, check_condition, check_context
from studybook.senior.aws_architecture import conditions_hold as holds

CTX = check_context(
    {
        "aws:username": "Alice",
        "aws:SourceIp": "203.0.113.9",
        "aws:SecureTransport": True,
        "s3:max-keys": 50,
        "aws:SourceIpV6": "2001:db8::1",
    }
)


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ({"StringEquals": {"aws:username": "Alice"}}, True),
        ({"StringEquals": {"aws:username": "alice"}}, False),
        ({"StringEquals": {"AWS:USERNAME": "Alice"}}, True),  # key names are case-insensitive
        ({"StringNotEquals": {"aws:username": "Bob"}}, True),
        ({"StringNotEquals": {"aws:username": ["Bob", "Alice"]}}, False),  # NOR
        ({"StringEqualsIgnoreCase": {"aws:username": "ALICE"}}, True),
        ({"StringNotEqualsIgnoreCase": {"aws:username": "ALICE"}}, False),
        ({"StringLike": {"aws:username": "A*"}}, True),
        ({"StringLike": {"aws:username": "a*"}}, False),
        ({"StringLike": {"aws:username": "Al?ce"}}, True),
        ({"StringNotLike": {"aws:username": "B*"}}, True),
        ({"NumericEquals": {"s3:max-keys": "50"}}, True),
        ({"NumericNotEquals": {"s3:max-keys": "50"}}, False),
        ({"NumericLessThan": {"s3:max-keys": "50"}}, False),
        ({"NumericLessThan": {"s3:max-keys": "51"}}, True),
        ({"NumericLessThanEquals": {"s3:max-keys": "50"}}, True),
        ({"NumericGreaterThan": {"s3:max-keys": "50"}}, False),
        ({"NumericGreaterThan": {"s3:max-keys": 49.5}}, True),
        ({"NumericGreaterThanEquals": {"s3:max-keys": "50"}}, True),
        ({"NumericLessThan": {"aws:username": "10"}}, False),  # not a number: no match
        ({"Bool": {"aws:SecureTransport": "true"}}, True),
        ({"Bool": {"aws:SecureTransport": False}}, False),
        ({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, True),
        ({"IpAddress": {"aws:SourceIp": ["198.51.100.0/24", "203.0.113.9"]}}, True),  # OR
        ({"IpAddress": {"aws:SourceIp": "203.0.113.0/29"}}, False),
        ({"IpAddress": {"aws:SourceIpV6": "2001:db8::/32"}}, True),
        ({"IpAddress": {"aws:SourceIp": "2001:db8::/32"}}, False),  # version mismatch
        ({"IpAddress": {"aws:username": "0.0.0.0/0"}}, False),  # not an address
        ({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, True),
        ({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, False),
        # operators and keys are ANDed
        (
            {"StringEquals": {"aws:username": "Alice"}, "Bool": {"aws:SecureTransport": "false"}},
            False,
        ),
        ({"StringEquals": {"aws:username": "Alice", "aws:SourceIp": "203.0.113.9"}}, True),
        # an absent key: false for a positive operator, true for a negated one
        ({"StringEquals": {"aws:PrincipalTag/team": "x"}}, False),
        ({"StringNotEquals": {"aws:PrincipalTag/team": "x"}}, True),
        ({"NotIpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}}, True),
        ({"Bool": {"aws:MultiFactorAuthPresent": "true"}}, False),
        ({}, True),
    ],
)
def test_operator(block: dict[str, Any], expected: bool) -> None:
    assert holds(block, CTX) is expected


def test_every_operator_is_tested_above() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    for operator in OPERATORS:
        assert f'"{operator}"' in source


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.integers(0, 32))
def test_ip_address_against_ipaddress(addr: int, net: int, length: int) -> None:
    network = ipaddress.ip_network((net, length), strict=False)
    address = ipaddress.ip_address(addr)
    ctx = check_context({"aws:SourceIp": str(address)})
    assert holds({"IpAddress": {"aws:SourceIp": str(network)}}, ctx) is (address in network)
    assert holds({"NotIpAddress": {"aws:SourceIp": str(network)}}, ctx) is not (address in network)


@pytest.mark.parametrize(
    ("block", "error", "message"),
    [
        ("x", TypeError, "Condition must be a dict, got 'x'"),
        ({"StringEquals": "x"}, TypeError, "StringEquals must map condition keys"),
        ({"StringEquals": {}}, TypeError, "StringEquals must map condition keys"),
        ({"StringEquals": {"": "x"}}, TypeError, "condition keys must be non-empty str"),
        ({"StringEquals": {"k": []}}, ValueError, "needs at least one value"),
        ({"StringEquals": {"k": None}}, TypeError, "values must be str, bool or numbers"),
        ({"NumericLessThan": {"k": "ten"}}, ValueError, "needs numbers, got 'ten'"),
        ({"NumericLessThan": {"k": "nan"}}, ValueError, "needs numbers, got 'nan'"),
        ({"NumericLessThan": {"k": "1_000"}}, ValueError, "needs numbers, got '1_000'"),
        ({"NumericLessThan": {"k": " 10"}}, ValueError, "needs numbers, got ' 10'"),
        ({"NumericLessThan": {"k": "Infinity"}}, ValueError, "needs numbers, got 'Infinity'"),
        ({"Bool": {"k": "yes"}}, ValueError, "Bool needs 'true' or 'false', got 'yes'"),
        ({"IpAddress": {"k": "10.0.0.1/8"}}, ValueError, "host bits set"),
        ({"IpAddress": {"k": "10.0.0.256"}}, ValueError, "not an IPv4 or IPv6 address"),
        ({"ArnLike": {"k": "x"}}, ValueError, "unsupported condition operator 'ArnLike'"),
    ],
)
def test_bad_condition(block: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        check_condition(block)


@pytest.mark.parametrize(
    ("context", "error", "message"),
    [
        ({1: "x"}, TypeError, "context keys must be str, got 1"),
        ({"": "x"}, ValueError, "context keys must be non-empty"),
        ({"k": [1]}, TypeError, "must be str, bool, int or float, got [1]"),
        ({"k": float("inf")}, ValueError, "must be finite, got inf"),
        ({"aws:SourceIp": "a", "AWS:SOURCEIP": "b"}, ValueError, "'AWS:SOURCEIP' given twice"),
        ("k", TypeError, "context must be a dict, got 'k'"),
    ],
)
def test_bad_context(context: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        check_context(context)


def test_numbers_in_every_decimal_form_compare_numerically() -> None:
    ctx = check_context({"n": 1000, "f": 0.5})
    for text in ("1000", "+1000", "1000.0", "1e3", "1E+3", "1000."):
        assert holds({"NumericEquals": {"n": text}}, ctx), text
    assert holds({"NumericEquals": {"f": ".5"}}, ctx)
    assert not holds({"NumericEquals": {"n": "999.999"}}, ctx)
