"""The VLSM planner and the magic-number method, checked with ipaddress."""

from __future__ import annotations

import ipaddress
import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.networking.ip_subnetting import (
    DoesNotFit,
    describe,
    magic_number,
    plan_vlsm,
    prefix_for_hosts,
)

parents = st.builds(
    lambda v, n: str(ipaddress.ip_network((v, n), strict=False)),
    st.integers(0, 2**32 - 1),
    st.integers(16, 30),
)
requirements = st.lists(st.integers(1, 3000), min_size=1, max_size=10).map(
    lambda hs: [(f"net{i}", h) for i, h in enumerate(hs)]
)


def block_size(hosts: int, rfc3021: bool) -> int:
    """The brute-force answer: the smallest power of two that holds the hosts."""
    need = hosts if rfc3021 and hosts <= 2 else hosts + 2
    size = 1
    while size < need:
        size *= 2
    return size


@given(parents, requirements, st.booleans())
def test_plan_is_aligned_disjoint_inside_and_minimal(
    parent: str, reqs: list[tuple[str, int]], rfc3021: bool
) -> None:
    outer = ipaddress.IPv4Network(parent)
    total = sum(block_size(h, rfc3021) for _, h in reqs)
    if total > outer.num_addresses:
        with pytest.raises(DoesNotFit, match=f"holds {outer.num_addresses} addresses"):
            plan_vlsm(parent, reqs, rfc3021=rfc3021)
        return
    plan = plan_vlsm(parent, reqs, rfc3021=rfc3021)
    assert sorted(s.name for s in plan) == sorted(n for n, _ in reqs)
    nets = [ipaddress.IPv4Network(s.prefix) for s in plan]  # strict: raises if misaligned
    for s, net in zip(plan, nets, strict=True):
        assert net.subnet_of(outer)
        assert net.num_addresses == block_size(s.hosts, rfc3021)
        assert s.mask == str(net.netmask)
        if net.prefixlen >= 31:
            assert (s.first_usable, s.last_usable, s.broadcast) == (
                str(net[0]),
                str(net[-1]),
                None,
            )
        else:
            assert (s.first_usable, s.last_usable, s.broadcast) == (
                str(net[1]),
                str(net[-2]),
                str(net.broadcast_address),
            )
        assert s.usable >= s.hosts
    for a, b in itertools.combinations(nets, 2):
        assert not a.overlaps(b)
    sizes = [n.num_addresses for n in nets]
    assert sizes == sorted(sizes, reverse=True)  # largest first, in address order


def test_textbook_plan() -> None:
    plan = plan_vlsm("192.168.1.0/24", [("B", 50), ("A", 100), ("C", 20), ("L", 2)])
    assert [s.prefix for s in plan] == [
        "192.168.1.0/25",
        "192.168.1.128/26",
        "192.168.1.192/27",
        "192.168.1.224/30",
    ]


def test_equal_sizes_keep_input_order_and_exact_fit() -> None:
    plan = plan_vlsm("10.0.0.0/30", [("x", 1), ("y", 1), ("z", 1), ("w", 1)], rfc3021=True)
    assert [(s.name, s.prefix) for s in plan] == [
        ("x", "10.0.0.0/32"),
        ("y", "10.0.0.1/32"),
        ("z", "10.0.0.2/32"),
        ("w", "10.0.0.3/32"),
    ]
    with pytest.raises(DoesNotFit, match="holds 4 addresses but the subnets need 5"):
        plan_vlsm("10.0.0.0/30", [(c, 1) for c in "abcde"], rfc3021=True)


@given(st.integers(1, 2**32 - 2))
def test_prefix_for_hosts_is_the_tightest(hosts: int) -> None:
    length = prefix_for_hosts(hosts)
    assert 2 ** (32 - length) >= hosts + 2
    assert length == 32 or 2 ** (31 - length) < hosts + 2


@given(st.integers(0, 2**32 - 1), st.integers(0, 32))
def test_magic_number_matches_ipaddress(value: int, length: int) -> None:
    text = f"{ipaddress.IPv4Address(value)}/{length}"
    net = ipaddress.ip_interface(text).network
    got = magic_number(text)
    assert (got.network, got.broadcast) == (str(net.network_address), str(net.broadcast_address))
    if length >= 31:
        assert (got.first_usable, got.last_usable, got.usable) == (
            str(net[0]),
            str(net[-1]),
            net.num_addresses,
        )
    else:
        assert (got.first_usable, got.last_usable, got.usable) == (
            str(net[1]),
            str(net[-2]),
            net.num_addresses - 2,
        )
    assert len(got.steps) == 5


@given(st.integers(0, 2**32 - 1), st.integers(0, 32))
def test_describe_matches_ipaddress(value: int, length: int) -> None:
    net = ipaddress.ip_network((value, length), strict=False)
    s = describe(str(net))
    assert (s.network, s.length, s.mask) == (str(net.network_address), length, str(net.netmask))


@pytest.mark.parametrize(
    ("parent", "reqs", "error", "match"),
    [
        ("10.0.0.0/33", [("a", 1)], ValueError, "'10.0.0.0/33'"),
        ("10.0.0.1/24", [("a", 1)], ValueError, "host bits set"),
        ("2001:db8::/64", [("a", 1)], ValueError, "IPv4 only"),
        ("10.0.0.0/24", [], ValueError, r"must not be empty, got \[\]"),
        ("10.0.0.0/24", "a", TypeError, "must be a list"),
        ("10.0.0.0/24", [("a", 0)], ValueError, "got 0"),
        ("10.0.0.0/24", [("a", -5)], ValueError, "got -5"),
        ("10.0.0.0/24", [("a", True)], TypeError, "got bool: True"),
        ("10.0.0.0/24", [("a", float("nan"))], TypeError, "got float: nan"),
        ("10.0.0.0/24", [("a", 2.0)], TypeError, "got float: 2.0"),
        ("10.0.0.0/24", [("a", 2**40)], ValueError, "got 1099511627776"),
        ("10.0.0.0/24", [("", 2)], ValueError, "non-empty str"),
        ("10.0.0.0/24", [("a", 2), ("a", 3)], ValueError, "duplicate requirement name 'a'"),
        ("10.0.0.0/24", [["a", 2]], TypeError, "tuple"),
        ("10.0.0.0/24", [("a", 300)], DoesNotFit, "a /23 \\(512\\)"),
        (None, [("a", 1)], TypeError, "got NoneType"),
    ],
)
def test_bad_input(parent: object, reqs: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        plan_vlsm(parent, reqs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("bad", "error"),
    [("10.0.0.1", ValueError), ("2001:db8::1/64", ValueError), (7, TypeError)],
)
def test_magic_number_and_describe_bad_input(bad: object, error: type[Exception]) -> None:
    with pytest.raises(error, match=re.escape(repr(bad))):
        magic_number(bad)  # type: ignore[arg-type]
    with pytest.raises(error, match=re.escape(repr(bad))):
        describe(bad)  # type: ignore[arg-type]


@given(st.integers(0, 2**32 - 1), st.integers(0, 32))
def test_describe_every_field_matches_ipaddress(value: int, length: int) -> None:
    net = ipaddress.ip_network((value, length), strict=False)
    s = describe(str(net))
    expected: tuple[str, str, str | None, int]
    if length >= 31:
        expected = (str(net[0]), str(net[-1]), None, net.num_addresses)
    else:
        expected = (str(net[1]), str(net[-2]), str(net.broadcast_address), net.num_addresses - 2)
    assert (s.first_usable, s.last_usable, s.broadcast, s.usable) == expected


def test_chapter_exercise_two_hundred_sites() -> None:
    reqs = [(f"site{i}", 200) for i in range(1, 201)] + [(f"wan{i}", 2) for i in range(1, 201)]
    plan = plan_vlsm("10.50.0.0/16", reqs)
    assert (plan[0].prefix, plan[199].prefix) == ("10.50.0.0/24", "10.50.199.0/24")
    assert (plan[200].prefix, plan[-1].prefix) == ("10.50.200.0/30", "10.50.203.28/30")
    assert sum(2 ** (32 - s.length) for s in plan) == 52_000


def test_edge_parents_and_a_huge_requirement_list() -> None:
    (whole,) = plan_vlsm("0.0.0.0/0", [("all", 2**32 - 2)])
    assert (whole.prefix, whole.usable, whole.broadcast) == (
        "0.0.0.0/0",
        2**32 - 2,
        "255.255.255.255",
    )
    (host,) = plan_vlsm("10.0.0.1/32", [("lo", 1)], rfc3021=True)
    assert (host.prefix, host.usable, host.broadcast) == ("10.0.0.1/32", 1, None)
    with pytest.raises(DoesNotFit, match="holds 1 addresses but the subnets need 4"):
        plan_vlsm("10.0.0.1/32", [("lo", 1)])
    # 50,000 names: the duplicate check must not be quadratic, the error must stay short.
    many = [(f"h{i}", 1) for i in range(50_000)]
    plan = plan_vlsm("10.0.0.0/8", many, rfc3021=True)
    assert plan[-1].prefix == "10.0.195.79/32"
    with pytest.raises(DoesNotFit, match=r"\.\.\. and 49990 more$") as info:
        plan_vlsm("10.0.0.0/24", many)
    assert len(str(info.value)) < 400
