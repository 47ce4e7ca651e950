"""Classes, special ranges, IPv6 types and EUI-64, checked with ipaddress."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.networking.ip_subnetting import (
    eui64_interface_id,
    ipv4_class,
    ipv4_scope,
    ipv6_type,
    link_local_address,
    slaac_address,
)

RFC1918 = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]


@given(st.integers(0, 2**32 - 1))
def test_ipv4_labels_agree_with_ipaddress(value: int) -> None:
    a = ipaddress.IPv4Address(value)
    scope = ipv4_scope(str(a))
    assert (scope == "private (RFC 1918)") == any(a in n for n in RFC1918)
    assert (scope == "loopback (RFC 1122)") == a.is_loopback
    assert (scope == "link-local (RFC 3927)") == a.is_link_local
    assert (scope == "multicast (RFC 5771)") == a.is_multicast
    assert scope.startswith("shared") == (a in ipaddress.ip_network("100.64.0.0/10"))
    if scope == "public":
        assert a.is_global
    # The class is the count of leading one bits (capped at 4): 0 -> A ... 4 -> E.
    leading = next((i for i in range(4) if not value >> (31 - i) & 1), 4)
    assert ipv4_class(str(a)) == "ABCDE"[leading]


@pytest.mark.parametrize(
    ("address", "cls"),
    [
        ("0.0.0.1", "A"),
        ("127.255.255.255", "A"),
        ("128.0.0.0", "B"),
        ("191.255.0.1", "B"),
        ("192.0.0.0", "C"),
        ("223.255.255.255", "C"),
        ("224.0.0.0", "D"),
        ("239.255.255.255", "D"),
        ("240.0.0.0", "E"),
        ("255.255.255.255", "E"),
    ],
)
def test_class_boundaries(address: str, cls: str) -> None:
    assert ipv4_class(address) == cls


@given(st.integers(0, 2**128 - 1) | st.integers(0, 2**16 - 1).map(lambda v: 0xFE80 << 112 | v))
def test_ipv6_types_agree_with_ipaddress(value: int) -> None:
    a = ipaddress.IPv6Address(value)
    kind = ipv6_type(str(a))
    assert (kind == "link-local unicast") == a.is_link_local
    assert (kind == "multicast") == a.is_multicast
    assert (kind == "loopback") == a.is_loopback
    assert (kind == "unspecified") == a.is_unspecified
    assert kind.startswith("unique local") == (a in ipaddress.ip_network("fc00::/7"))


macs = st.binary(min_size=6, max_size=6).map(lambda b: ":".join(f"{x:02x}" for x in b))


@given(macs)
def test_eui64_against_an_independent_byte_construction(mac: str) -> None:
    raw = bytes.fromhex(mac.replace(":", ""))
    expected = bytes([raw[0] ^ 0x02, raw[1], raw[2], 0xFF, 0xFE, raw[3], raw[4], raw[5]])
    assert eui64_interface_id(mac) == int.from_bytes(expected, "big")
    ll = ipaddress.IPv6Address(link_local_address(mac))
    assert ll.is_link_local
    assert ll.packed == bytes.fromhex("fe80000000000000") + expected
    assert str(ll) == link_local_address(mac)  # already in RFC 5952 form


def test_rfc4291_appendix_a_and_cisco_mac_format() -> None:
    # U/L bit 0 (universal) becomes 1, and the reverse for a locally administered MAC.
    assert link_local_address("00-11-22-33-44-55") == "fe80::211:22ff:fe33:4455"
    assert link_local_address("0211.2233.4455") == "fe80::11:22ff:fe33:4455"
    assert slaac_address("2001:db8:aa:bb::/64", "AA:BB:CC:DD:EE:FF") == (
        "2001:db8:aa:bb:a8bb:ccff:fedd:eeff"
    )


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: ipv4_scope("2001:db8::1"), ValueError, "expected an IPv4"),
        (lambda: ipv4_class("300.1.1.1"), ValueError, "'300.1.1.1'"),
        (lambda: ipv6_type("10.0.0.1"), ValueError, "expected an IPv6"),
        (
            lambda: ipv6_type(None),  # type: ignore[arg-type]
            TypeError,
            "got NoneType",
        ),
        (lambda: eui64_interface_id("00:11:22:33:44:5g"), ValueError, "5g"),
        (lambda: eui64_interface_id("00:11-22:33:44:55"), ValueError, "must look like"),
        (
            lambda: eui64_interface_id(0x001122334455),  # type: ignore[arg-type]
            TypeError,
            "got int",
        ),
        (lambda: slaac_address("2001:db8::/48", "00:11:22:33:44:55"), ValueError, "/64"),
        (lambda: slaac_address("10.0.0.0/24", "00:11:22:33:44:55"), ValueError, "10.0.0.0/24"),
    ],
)
def test_bad_input(call: object, error: type[Exception], match: str) -> None:
    assert callable(call)
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize(
    ("address", "scope"),
    [
        ("198.18.0.1", "benchmarking (RFC 2544)"),
        ("198.19.255.255", "benchmarking (RFC 2544)"),
        ("198.20.0.1", "public"),
        ("192.0.0.1", "IETF protocol assignments (RFC 6890)"),
        ("192.0.1.1", "public"),
        ("100.63.255.255", "public"),
        ("100.128.0.0", "public"),
        ("0.0.0.0", "this network (RFC 1122)"),  # noqa: S104 (an address, not a bind)
        ("255.255.255.255", "limited broadcast (RFC 919)"),
    ],
)
def test_special_range_edges(address: str, scope: str) -> None:
    assert ipv4_scope(address) == scope
    if scope == "public":
        assert ipaddress.IPv4Address(address).is_global
