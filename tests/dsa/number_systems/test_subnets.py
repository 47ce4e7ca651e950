"""The subnet calculator checked field by field against the ipaddress module."""

from __future__ import annotations

import ipaddress
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from studybook.dsa.number_systems import subnet

SETTINGS = settings(max_examples=100, deadline=None)


# Uniform addresses almost never land in private space, so half the draws start
# near an RFC 1918 boundary (inside and just outside each range).
NEAR_PRIVATE = [0x0A000000, 0x09FF0000, 0xAC100000, 0xAC0F0000, 0xAC1F0000, 0xC0A80000]
addresses = st.integers(0, 2**32 - 1) | st.builds(
    lambda base, offset: (base + offset) % 2**32,
    st.sampled_from(NEAR_PRIVATE),
    st.integers(0, 2**17),
)


@pytest.mark.parametrize("prefix", range(33))
@settings(max_examples=20, deadline=None)
@given(addr=addresses)
@example(addr=0x0A000000)
@example(addr=0xFFFFFFFF)
def test_subnet_matches_ipaddress_on_every_prefix(addr: int, prefix: int) -> None:
    host = str(ipaddress.IPv4Address(addr))
    net = ipaddress.IPv4Network(f"{host}/{prefix}", strict=False)
    s = subnet(f"{host}/{prefix}", strict=False)
    assert s.network == str(net.network_address)
    assert s.prefix == net.prefixlen
    assert s.netmask == str(net.netmask)
    assert s.wildcard == str(net.hostmask)
    assert s.broadcast == str(net.broadcast_address)
    assert s.total_addresses == net.num_addresses
    hosts = net.hosts()
    assert s.first_host == str(next(iter(hosts)))
    if prefix >= 22:  # small enough to enumerate: check the last host and the count exactly
        every = [str(h) for h in net.hosts()]
        assert (s.last_host, s.usable_hosts) == (every[-1], len(every))
    else:  # hosts() of a big block is the range between network and broadcast, exclusive
        assert s.last_host == str(net.broadcast_address - 1)
        assert s.usable_hosts == net.num_addresses - 2
    assert host in s
    assert s.is_rfc1918 == any(
        net.subnet_of(ipaddress.IPv4Network(p))
        for p in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
    )


def test_subnet_31_and_32_follow_rfc3021_and_ipaddress() -> None:
    p2p = subnet("10.0.0.0/31")
    assert (p2p.first_host, p2p.last_host, p2p.broadcast, p2p.usable_hosts) == (
        "10.0.0.0",
        "10.0.0.1",
        "10.0.0.1",
        2,
    )
    single = subnet("10.0.0.7/32")
    assert (single.first_host, single.last_host, single.broadcast, single.usable_hosts) == (
        "10.0.0.7",
        "10.0.0.7",
        "10.0.0.7",
        1,
    )


@SETTINGS
@given(st.integers(0, 2**32 - 1), st.integers(0, 32))
def test_strict_mode_raises_exactly_when_ipaddress_strict_raises(addr: int, prefix: int) -> None:
    cidr = f"{ipaddress.IPv4Address(addr)}/{prefix}"
    try:
        ipaddress.ip_network(cidr, strict=True)
    except ValueError:
        with pytest.raises(ValueError, match="has host bits set"):
            subnet(cidr)
    else:
        assert subnet(cidr).network == str(ipaddress.IPv4Address(addr))


@pytest.mark.parametrize(
    "bad",
    ["10.0.0.0", "10.0.0.0/33", "10.0.0/8", "010.0.0.0/8", "10.0.0.256/32", " 10.0.0.0/8", "a/8"],
)
def test_subnet_rejects_malformed_input(bad: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(bad))):
        subnet(bad)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: subnet(None), TypeError, "cidr must be a str, got None"),
        (lambda: subnet(b"10.0.0.0/8"), TypeError, "cidr must be a str, got b'10.0.0.0/8'"),
        (lambda: subnet("10.0.0.0/8", strict=1), TypeError, "strict must be a bool, got 1"),
        (lambda: subnet("10.0.0.0/08"), ValueError, "prefix 0..32, got '10.0.0.0/08'"),
        (lambda: subnet("10.0.0.0/-1"), ValueError, "prefix 0..32, got '10.0.0.0/-1'"),
        (lambda: subnet("10.0.0.0/8 "), ValueError, "prefix 0..32, got '10.0.0.0/8 '"),
        (lambda: subnet("10.0.0.0/٨"), ValueError, "prefix 0..32, got '10.0.0.0/٨'"),
        (lambda: subnet(""), ValueError, "prefix 0..32, got ''"),
        (
            lambda: "10.0.0.1" in subnet("10.0.0.0/8") and "10.0.0.01" in subnet("10.0.0.0/8"),
            ValueError,
            "without leading zeros, got '10.0.0.01'",
        ),
    ],
)
def test_bad_input_is_refused_with_the_value(call: object, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        call()  # type: ignore[operator]


def test_ipaddress_is_more_lenient_about_the_prefix() -> None:
    # ipaddress (3.11) reads "/08" as /8; subnet refuses it like an octet "010".
    assert str(ipaddress.ip_network("10.0.0.0/08")) == "10.0.0.0/8"
    with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6 network"):
        ipaddress.ip_network("010.0.0.0/8")


def test_non_strings_are_never_contained() -> None:
    assert 0x0A000001 not in subnet("10.0.0.0/8")  # type: ignore[operator]
