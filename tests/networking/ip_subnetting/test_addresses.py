"""Parsing and formatting against the ipaddress module, on random and fuzzed text."""

from __future__ import annotations

import ipaddress
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.networking.ip_subnetting import (
    compress_ipv6,
    expand_ipv6,
    format_address,
    netmask,
    parse_address,
    parse_interface,
    parse_prefix,
)

# Sparse hextets (many zero groups) exercise the "::" placement rules.
hextet = st.one_of(st.just(0), st.just(0), st.integers(0, 0xFFFF))
v6_values = st.lists(hextet, min_size=8, max_size=8).map(
    lambda gs: sum(g << (16 * (7 - i)) for i, g in enumerate(gs))
)


@given(st.integers(0, 2**32 - 1))
def test_ipv4_round_trip_matches_ipaddress(value: int) -> None:
    text = str(ipaddress.IPv4Address(value))
    assert format_address(value, 4) == text
    assert parse_address(text) == (4, value)


@given(v6_values)
def test_ipv6_format_is_rfc5952_like_ipaddress(value: int) -> None:
    oracle = ipaddress.IPv6Address(value)
    if oracle.ipv4_mapped is None:  # Python 3.13 prints ::ffff:a.b.c.d in mixed notation
        assert format_address(value, 6) == oracle.compressed
    assert parse_address(oracle.exploded) == (6, value)
    assert parse_address(oracle.compressed) == (6, value)
    assert expand_ipv6(oracle.compressed) == oracle.exploded


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        # RFC 5952 section 4 examples.
        ("2001:db8:0:0:0:0:2:1", "2001:db8::2:1"),
        ("2001:db8::0:1", "2001:db8::1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:DB8::AAAA", "2001:db8::aaaa"),
        ("::", "::"),
        ("::ffff:192.0.2.1", "::ffff:c000:201"),
    ],
)
def test_rfc5952_examples(text: str, canonical: str) -> None:
    assert compress_ipv6(text) == canonical


@given(st.text(alphabet="0123456789abcdefABCDEF:.", max_size=45))
def test_parser_accepts_exactly_what_ipaddress_accepts(text: str) -> None:
    try:
        expected: tuple[int, int] | None = (
            ipaddress.ip_address(text).version,
            int(ipaddress.ip_address(text)),
        )
    except ValueError:
        expected = None
    try:
        got: tuple[int, int] | None = parse_address(text)
    except ValueError:
        got = None
    assert got == expected


@given(st.integers(0, 2**32 - 1), st.integers(0, 32))
def test_prefix_and_interface_parsing_match_ipaddress(value: int, length: int) -> None:
    text = f"{ipaddress.IPv4Address(value)}/{length}"
    oracle = ipaddress.ip_interface(text).network
    address, subnet = parse_interface(text)
    assert (address, str(subnet), subnet.last) == (value, str(oracle), int(oracle[-1]))
    if int(oracle.network_address) == value:
        assert parse_prefix(text) == subnet
    else:  # strict, like ipaddress.ip_network(text)
        with pytest.raises(ValueError, match="host bits set"):
            parse_prefix(text)
        with pytest.raises(ValueError, match="has host bits set"):
            ipaddress.ip_network(text)


@pytest.mark.parametrize("length", range(33))
def test_netmask_matches_ipaddress(length: int) -> None:
    assert netmask(length) == str(ipaddress.ip_network(f"0.0.0.0/{length}").netmask)


@pytest.mark.parametrize(
    "text",
    [
        "10.0.0.0/33",
        "10.0.0.1/24",
        "10.0.0.0",
        "10.0.0.0/",
        "10.0.0.0/08",
        "10.0.0.0/-1",
        "10.0.0.0/2a",
        "010.0.0.0/8",
        "10.0.0.256/32",
        "10.0.0/24",
        "2001:db8::/129",
        "2001:db8::1/32",
        "fe80::1%eth0/64",
        "1:2:3:4:5:6:7:8:9/64",
        "1::2::3/64",
        "\u0661\u0660.0.0.0/8",  # Arabic-Indic digits: str.isdigit() accepts them
        "",
    ],
)
def test_malformed_prefixes_are_refused_with_the_text(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_prefix(text)


@pytest.mark.parametrize("bad", [None, 10, 1.5, float("nan"), True, b"10.0.0.0/8", ["10.0.0.0/8"]])
def test_non_string_prefixes_are_type_errors(bad: object) -> None:
    with pytest.raises(TypeError, match=r"must be a str, got"):
        parse_prefix(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "version", "error"),
    [
        (-1, 4, ValueError),
        (2**128, 6, ValueError),
        (1, 5, ValueError),
        (True, 4, TypeError),
        (1.0, 4, TypeError),
        (float("nan"), 6, TypeError),
        (1, True, TypeError),
    ],
)
def test_format_address_bad_input(value: object, version: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="got"):
        format_address(value, version)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, 33, True, 24.0, float("nan"), float("inf")])
def test_netmask_bad_input(bad: object) -> None:
    with pytest.raises((TypeError, ValueError), match="prefix length must"):
        netmask(bad)  # type: ignore[arg-type]
