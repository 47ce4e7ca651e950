"""summarize and covering_prefix against ipaddress.collapse_addresses and brute force."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.networking.ip_subnetting import covering_prefix, summarize


def v4_prefixes(low: int = 16) -> st.SearchStrategy[str]:
    """Random IPv4 prefixes, mostly long ones inside 10.0.0.0/16 so they collide."""

    def build(value: int, length: int) -> str:
        return str(ipaddress.ip_network(((10 << 24) | value, length), strict=False))

    return st.builds(build, st.integers(0, 2**16 - 1), st.integers(low, 32))


def v6_prefixes() -> st.SearchStrategy[str]:
    def build(value: int, length: int) -> str:
        base = 0x2001_0DB8 << 96
        return str(ipaddress.ip_network((base | value, length), strict=False))

    return st.builds(build, st.integers(0, 2**12 - 1), st.integers(116, 128))


@given(st.lists(v4_prefixes(), max_size=30))
def test_ipv4_matches_collapse_addresses(prefixes: list[str]) -> None:
    oracle = ipaddress.collapse_addresses(ipaddress.IPv4Network(p) for p in prefixes)
    assert summarize(prefixes) == [str(n) for n in oracle]


@given(st.lists(v6_prefixes(), max_size=30))
def test_ipv6_matches_collapse_addresses(prefixes: list[str]) -> None:
    oracle = list(ipaddress.collapse_addresses(ipaddress.IPv6Network(p) for p in prefixes))
    assert [ipaddress.IPv6Network(p) for p in summarize(prefixes)] == oracle


@given(st.lists(v4_prefixes(low=26), min_size=1, max_size=12))
def test_same_address_set_by_brute_force(prefixes: list[str]) -> None:
    def addresses(ps: list[str]) -> set[int]:
        return {int(a) for p in ps for a in ipaddress.ip_network(p)}

    result = summarize(prefixes)
    assert addresses(result) == addresses(prefixes)
    # No two results can merge: disjoint, and no two adjacent halves of one block.
    nets = [ipaddress.ip_network(p) for p in result]
    assert len(set(nets)) == len(nets)
    for a in nets:
        for b in nets:
            assert a == b or not a.overlaps(b)
            assert a == b or a.prefixlen != b.prefixlen or a.supernet() != b.supernet()


@given(st.lists(v4_prefixes(low=8), min_size=1, max_size=10))
def test_covering_prefix_is_the_smallest_supernet(prefixes: list[str]) -> None:
    nets = [ipaddress.ip_network(p) for p in prefixes]
    best = nets[0]
    while not all(n.subnet_of(best) for n in nets):  # type: ignore[arg-type]
        best = best.supernet()
    assert covering_prefix(prefixes) == str(best)


def test_textbook_summary_of_four_slash_24s() -> None:
    nets = [f"172.16.{i}.0/24" for i in range(4)]
    assert summarize(nets) == ["172.16.0.0/22"]
    assert summarize(nets[1:]) == ["172.16.1.0/24", "172.16.2.0/23"]
    assert covering_prefix(nets[1:]) == "172.16.0.0/22"  # covers 172.16.0.0/24 too


def test_whole_space_and_empty() -> None:
    assert summarize(["0.0.0.0/1", "128.0.0.0/1"]) == ["0.0.0.0/0"]
    assert summarize(["::/1", "8000::/1"]) == ["::/0"]
    assert summarize([]) == []


@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        ("10.0.0.0/8", TypeError, "must be a list of str"),
        (None, TypeError, "must be a list of str"),
        ([10], TypeError, "must be a str, got int: 10"),
        ([True], TypeError, "got bool: True"),
        ([float("nan")], TypeError, "got float: nan"),
        (["10.0.0.1/24"], ValueError, "host bits set"),
        (["10.0.0.0/33"], ValueError, "'10.0.0.0/33'"),
        (["10.0.0.0/8", "::/0"], ValueError, "cannot mix IPv4 and IPv6"),
    ],
)
def test_bad_input(bad: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        summarize(bad)  # type: ignore[arg-type]
    with pytest.raises(error, match=match):
        covering_prefix(bad)  # type: ignore[arg-type]


def test_covering_prefix_refuses_empty() -> None:
    with pytest.raises(ValueError, match=r"at least one prefix, got \[\]"):
        covering_prefix([])


def test_whole_space_absorbs_everything_and_duplicates_collapse() -> None:
    assert summarize(["10.0.0.0/8", "0.0.0.0/0", "0.0.0.0/0", "255.255.255.255/32"]) == [
        "0.0.0.0/0"
    ]
    assert summarize(["::/0", "::/0", "2001:db8::/32", "::1/128"]) == ["::/0"]
    top = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"
    assert summarize([top, "::/128", top]) == ["::/128", top]
    assert covering_prefix(["::/128", top]) == "::/0"
    assert summarize(["255.255.255.254/32", "255.255.255.255/32"]) == ["255.255.255.254/31"]


def test_chapter_exercise_answers() -> None:
    """The answers the chapter types by hand, produced by the code."""
    routes = ["192.168.0.0/24", "192.168.1.0/24", "192.168.3.0/24", "192.168.2.128/25"]
    assert summarize(routes) == ["192.168.0.0/23", "192.168.2.128/25", "192.168.3.0/24"]
    assert covering_prefix(routes) == "192.168.0.0/22"
    straddle = [f"10.1.{i}.0/24" for i in range(5, 9)]
    assert summarize(straddle) == ["10.1.5.0/24", "10.1.6.0/23", "10.1.8.0/24"]
    assert covering_prefix(straddle) == "10.1.0.0/20"
    assert summarize([f"10.1.{i}.0/24" for i in range(4, 8)]) == ["10.1.4.0/22"]
    lans = [f"2001:db8:40:{i:x}::/64" for i in range(256)]
    assert summarize(lans) == ["2001:db8:40::/56"]


def test_a_large_list_is_exact() -> None:
    every_slash24 = [f"10.{i >> 8}.{i & 255}.0/24" for i in range(1 << 16)]
    assert summarize(every_slash24 + every_slash24[::-1]) == ["10.0.0.0/8"]
    odd = every_slash24[1::2]  # no two can merge
    assert summarize(odd) == odd
