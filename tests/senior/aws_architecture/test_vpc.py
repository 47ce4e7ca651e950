"""VPC planning against the ipaddress module, and AWS's reserved addresses."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.networking.ip_subnetting import DoesNotFit
from studybook.senior.aws_architecture import plan_vpc, reserved_addresses


@settings(max_examples=80, deadline=None)
@given(st.integers(16, 24), st.lists(st.integers(1, 3000), min_size=1, max_size=8))
def test_plan_is_disjoint_inside_minimal_and_usable(length: int, hosts: list[int]) -> None:
    vpc = ipaddress.ip_network(f"10.64.0.0/{length}")
    wanted = [(f"s{i}", h) for i, h in enumerate(hosts)]
    need = sum(max(16, 1 << (h + 4).bit_length()) for h in hosts)
    if need > vpc.num_addresses:
        with pytest.raises(DoesNotFit):
            plan_vpc(str(vpc), wanted)
        return
    plan = plan_vpc(str(vpc), wanted)
    assert sorted(s.name for s in plan) == sorted(n for n, _ in wanted)
    nets = [ipaddress.ip_network(s.cidr) for s in plan]
    for s, net in zip(plan, nets, strict=True):
        assert net.subnet_of(vpc)
        assert 16 <= net.prefixlen <= 28
        assert s.usable == net.num_addresses - 5 >= s.hosts
        assert net.prefixlen == 28 or net.num_addresses // 2 - 5 < s.hosts  # smallest block
        assert ipaddress.ip_address(s.first_usable) == net.network_address + 4
        assert ipaddress.ip_address(s.last_usable) == net.broadcast_address - 1
    for i, a in enumerate(nets):
        for b in nets[i + 1 :]:
            assert not a.overlaps(b)


def test_small_and_boundary_subnets() -> None:
    (one,) = plan_vpc("10.0.0.0/28", [("tiny", 1)])
    assert (one.cidr, one.usable) == ("10.0.0.0/28", 11)
    (full,) = plan_vpc("10.0.0.0/28", [("tiny", 11)])
    assert full.cidr == "10.0.0.0/28"
    with pytest.raises(DoesNotFit):
        plan_vpc("10.0.0.0/28", [("tiny", 12)])
    (big,) = plan_vpc("10.0.0.0/16", [("all", 65531)])
    assert (big.cidr, big.usable) == ("10.0.0.0/16", 65531)


def test_reserved_addresses_of_a_28() -> None:
    assert list(reserved_addresses("172.31.0.16/28")) == [
        "172.31.0.16",
        "172.31.0.17",
        "172.31.0.18",
        "172.31.0.19",
        "172.31.0.31",
    ]


@pytest.mark.parametrize(
    ("cidr", "requirements", "error", "message"),
    [
        ("10.0.0.0/8", [("a", 1)], ValueError, "a VPC block must be a /16 to a /28"),
        ("10.0.0.0/29", [("a", 1)], ValueError, "a VPC block must be a /16 to a /28"),
        ("2001:db8::/56", [("a", 1)], ValueError, "a VPC block must be a /16 to a /28"),
        ("10.0.0.1/16", [("a", 1)], ValueError, "host bits set"),
        ("", [("a", 1)], ValueError, "vpc_cidr must be a non-empty str"),
        (None, [("a", 1)], TypeError, "vpc_cidr must be a str"),
        ("10.0.0.0/16", "a", TypeError, "requirements must be a list"),
        ("10.0.0.0/16", [], ValueError, "requirements must not be empty"),
        ("10.0.0.0/16", [["a", 1]], TypeError, "each requirement must be a (name, hosts) tuple"),
        ("10.0.0.0/16", [("a", 0)], ValueError, "got 0"),
        ("10.0.0.0/16", [("a", True)], TypeError, "got bool: True"),
        ("10.0.0.0/16", [("a", 1.5)], TypeError, "got float: 1.5"),
        ("10.0.0.0/16", [("a", 65532)], ValueError, "got 65532"),
        ("10.0.0.0/16", [("a", 1), ("a", 2)], ValueError, "duplicate requirement name 'a'"),
        ("10.0.0.0/16", [("", 1)], ValueError, "requirement name must be a non-empty str"),
    ],
)
def test_bad_input(cidr: Any, requirements: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        plan_vpc(cidr, requirements)


@pytest.mark.parametrize(
    ("cidr", "error"),
    [
        ("10.0.0.0/29", ValueError),
        ("10.0.0.0/15", ValueError),
        ("::/64", ValueError),
        (5, TypeError),
    ],
)
def test_reserved_addresses_bad_input(cidr: Any, error: type) -> None:
    with pytest.raises(error, match=re.escape(repr(cidr)) if error is ValueError else "str"):
        reserved_addresses(cidr)
