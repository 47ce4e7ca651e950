"""RoutingTable against an ipaddress-based linear scan, with a Hypothesis state machine."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from studybook.networking.routing import RoutingTable


def linear_scan(routes: dict[str, str], address: str) -> str:
    """The oracle: the longest prefix among all routes that contains the address."""
    ip = ipaddress.ip_address(address)
    best: tuple[int, str] | None = None
    for prefix, hop in routes.items():
        network = ipaddress.ip_network(prefix)
        fits = ip.version == network.version and ip in network
        if fits and (best is None or network.prefixlen > best[0]):
            best = (network.prefixlen, hop)
    if best is None:
        raise KeyError(address)
    return best[1]


# Prefixes under 10.0.0.0/8 (plus the default and host routes) so that random
# addresses often hit nested routes; lengths 0, 32 and everything between.
_V4_PREFIX = st.builds(
    lambda value, length: str(ipaddress.ip_network((value, length), strict=False)),
    st.integers(0x0A000000, 0x0A0000FF) | st.integers(0, 2**32 - 1),
    st.sampled_from([0, 1, 8, 16, 24, 28, 30, 31, 32]),
)
_V4_ADDRESS = st.builds(
    lambda value: str(ipaddress.IPv4Address(value)),
    st.integers(0x0A000000, 0x0A0000FF) | st.integers(0, 2**32 - 1),
)
_V6_PREFIX = st.builds(
    lambda value, length: str(ipaddress.ip_network((value << 96, length), strict=False)),
    st.integers(0x20010DB8, 0x20010DB9),
    st.sampled_from([0, 16, 32, 48, 64, 128]),
)
_V6_ADDRESS = st.builds(
    lambda value: str(ipaddress.IPv6Address(value << 96 | 1)), st.integers(0x20010DB8, 0x20010DB9)
)
_HOPS = st.sampled_from(["r1", "r2", "r3", "isp"])


class RoutingTableMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.table = RoutingTable()
        self.model: dict[str, str] = {}

    @rule(prefix=_V4_PREFIX | _V6_PREFIX, hop=_HOPS)
    def add(self, prefix: str, hop: str) -> None:
        self.table.add(prefix, hop)
        self.model[prefix] = hop

    @rule(prefix=_V4_PREFIX | _V6_PREFIX)
    def remove(self, prefix: str) -> None:
        if prefix in self.model:
            self.table.remove(prefix)
            del self.model[prefix]
        else:
            with pytest.raises(KeyError, match="no route for prefix"):
                self.table.remove(prefix)

    @rule(address=_V4_ADDRESS | _V6_ADDRESS)
    def lookup(self, address: str) -> None:
        try:
            expected = linear_scan(self.model, address)
        except KeyError:
            with pytest.raises(KeyError, match="no route to"):
                self.table.lookup(address)
        else:
            assert self.table.lookup(address) == expected

    @invariant()
    def table_matches_model(self) -> None:
        self.table._check_invariants()
        assert len(self.table) == len(self.model)
        assert dict(self.table.routes()) == self.model


TestRoutingTable = RoutingTableMachine.TestCase
TestRoutingTable.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)


def test_default_route_and_host_route_bracket_every_match() -> None:
    table = RoutingTable()
    table.add("0.0.0.0/0", "default")
    table.add("203.0.113.9/32", "host")
    assert table.lookup("203.0.113.9") == "host"
    assert table.lookup("203.0.113.8") == "default"
    assert table.lookup("255.255.255.255") == "default"
    table.add("203.0.113.9", "bare")  # a bare address is the /32
    assert len(table) == 2
    assert table.lookup("203.0.113.9") == "bare"


def test_removing_a_route_falls_back_to_the_shorter_one() -> None:
    table = RoutingTable()
    table.add("10.0.0.0/8", "a")
    table.add("10.1.0.0/16", "b")
    table.remove("10.1.0.0/16")
    assert table.lookup("10.1.0.1") == "a"
    assert "10.1.0.0/16" not in table
    assert "10.0.0.0/8" in table
    table._check_invariants()


def test_ipv4_and_ipv6_do_not_mix() -> None:
    table = RoutingTable()
    table.add("::/0", "v6")
    with pytest.raises(KeyError, match=r"no route to 10\.0\.0\.1"):
        table.lookup("10.0.0.1")
    assert table.lookup("2001:db8::1") == "v6"


@pytest.mark.parametrize(
    ("prefix", "error", "message"),
    [
        ("10.0.0.0/33", ValueError, "10.0.0.0/33"),
        ("10.0.0/8", ValueError, "10.0.0/8"),
        ("", ValueError, "''"),
        ("10.1.2.3/8", ValueError, "host bits set, got '10.1.2.3/8'"),
        (167772160, TypeError, "167772160"),
        (None, TypeError, "None"),
    ],
)
def test_bad_prefixes_name_the_value(prefix: Any, error: type[Exception], message: str) -> None:
    table = RoutingTable()
    with pytest.raises(error, match=message):
        table.add(prefix, "r1")
    with pytest.raises(error, match=message):
        table.remove(prefix)


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("10.0.0.256", ValueError),
        ("10.0.0.0/8", ValueError),
        ("", ValueError),
        (b"\n\0\0\1", TypeError),
    ],
)
def test_bad_addresses_name_the_value(address: Any, error: type[Exception]) -> None:
    table = RoutingTable()
    table.add("0.0.0.0/0", "isp")
    with pytest.raises(error, match="address"):
        table.lookup(address)


@pytest.mark.parametrize(("hop", "error"), [("", ValueError), (None, TypeError), (1, TypeError)])
def test_bad_next_hop(hop: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="next_hop"):
        RoutingTable().add("10.0.0.0/8", hop)


def test_remove_missing_prefix_names_it() -> None:
    with pytest.raises(KeyError, match=r"192\.0\.2\.0/24"):
        RoutingTable().remove("192.0.2.0/24")
