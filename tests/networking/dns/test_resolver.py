"""The in-memory zones and the caching resolver, on a fake clock."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.networking.dns import (
    ROOT_HINT,
    FakeClock,
    Record,
    Resolver,
    Zone,
    example_internet,
)


def fresh(clock: FakeClock | None = None) -> Resolver:
    return Resolver(example_internet(), [ROOT_HINT], clock=clock or FakeClock())


def rows(records: tuple[Record, ...]) -> list[tuple[str, str, int, str]]:
    return [(r.name, r.type, r.ttl, r.data) for r in records]


def test_zone_answers_referrals_and_negatives() -> None:
    internet = example_internet()
    (root,) = internet[ROOT_HINT]
    referral = root.query("www.example.com", "A")
    assert not referral.aa
    assert referral.answers == ()
    assert rows(referral.authority) == [("com", "NS", 172800, "a.gtld-servers.net")]
    assert rows(referral.additional) == [("a.gtld-servers.net", "A", 172800, "192.5.6.30")]
    (zone,) = internet["192.0.2.53"]
    nodata = zone.query("www.example.com", "MX")
    assert (nodata.rcode, nodata.aa) == (0, True)
    assert rows(nodata.answers) == [("www.example.com", "CNAME", 300, "web.example.com")]
    assert zone.query("web.example.com", "MX").authority[0].type == "SOA"
    assert zone.query("example.com", "CNAME").rcode == 0  # the apex exists
    assert zone.query("nope.example.com", "A").rcode == 3
    assert zone.query("www.example.org", "A").rcode == 5
    with pytest.raises(ValueError, match="unknown record type, got 'SRV1'"):
        zone.query("www.example.com", "SRV1")
    with pytest.raises(TypeError, match="qtype must be a str, got int"):
        zone.query("www.example.com", 1)  # type: ignore[arg-type]


def test_negative_ttl_is_min_of_soa_ttl_and_minimum() -> None:
    soa = "ns.t.example h.t.example 1 7200 900 1209600 600"
    zone = Zone("t.example", [Record("t.example", "SOA", 120, soa)])
    assert zone.query("x.t.example", "A").authority[0].ttl == 120
    zone = Zone("t.example", [Record("t.example", "SOA", 3600, soa)])
    assert zone.query("x.t.example", "A").authority[0].ttl == 600


def test_empty_non_terminal_is_nodata_not_nxdomain() -> None:
    soa = "ns.t.example h.t.example 1 7200 900 1209600 60"
    zone = Zone(
        "t.example",
        [Record("t.example", "SOA", 60, soa), Record("a.b.t.example", "A", 5, "192.0.2.1")],
    )
    assert zone.query("b.t.example", "A").rcode == 0
    assert zone.query("c.t.example", "A").rcode == 3


def test_cold_resolution_walks_the_tree_then_the_cache_answers() -> None:
    clock = FakeClock()
    resolver = fresh(clock)
    answer = resolver.resolve("WWW.example.com.")
    assert answer.rcode == "NOERROR"
    assert rows(answer.records) == [
        ("www.example.com", "CNAME", 300, "web.example.com"),
        ("web.example.com", "A", 60, "192.0.2.10"),
    ]
    assert [server for server, _, _ in resolver.queries] == [ROOT_HINT, "192.5.6.30", "192.0.2.53"]
    clock.advance(59.5)
    assert [r.ttl for r in resolver.resolve("www.example.com").records] == [240, 0]
    assert len(resolver.queries) == 3
    clock.advance(0.5)  # the A record's 60 s are over; the CNAME is still cached
    resolver.resolve("www.example.com")
    assert resolver.queries[3:] == [("192.0.2.53", "web.example.com", "A")]
    mx = resolver.resolve("example.com", "MX")
    assert rows(mx.records) == [("example.com", "MX", 3600, "10 mail.example.com")]
    assert resolver.queries[-1][0] == "192.0.2.53"  # the delegation was cached


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 400, allow_nan=False), min_size=1, max_size=8))
def test_ttls_decrease_with_time_and_entries_expire(steps: list[float]) -> None:
    """Model: an RRset fetched at t0 with TTL T is served with floor(t0 + T - now) until then.

    The authoritative server answers www's CNAME together with web's A (one
    zone), so refetching www refreshes both; web alone is refetched at 60 s.
    """
    clock = FakeClock()
    resolver = fresh(clock)
    expires = {"www": 300.0, "web": 60.0}
    resolver.resolve("www.example.com")
    for step in steps:
        clock.advance(step)
        before = len(resolver.queries)
        www, web = resolver.resolve("www.example.com").records
        expected = {key: math.floor(when - clock.now) for key, when in expires.items()}
        fetched = []
        if clock.now >= expires["www"]:
            fetched = ["www.example.com"]
            expires = {"www": clock.now + 300, "web": clock.now + 60}
            expected = {"www": 300, "web": 60}
        elif clock.now >= expires["web"]:
            fetched = ["web.example.com"]
            expires["web"] = clock.now + 60
            expected["web"] = 60
        assert (www.ttl, web.ttl) == (expected["www"], expected["web"])
        assert [name for _, name, _ in resolver.queries[before:]] == fetched


def test_nxdomain_is_cached_for_the_negative_ttl() -> None:
    clock = FakeClock()
    resolver = fresh(clock)
    first = resolver.resolve("nope.example.com")
    assert (first.rcode, first.records) == ("NXDOMAIN", ())
    asked = len(resolver.queries)
    clock.advance(299)
    assert resolver.resolve("nope.example.com", "MX").rcode == "NXDOMAIN"  # any type
    assert len(resolver.queries) == asked
    clock.advance(1)
    assert resolver.resolve("nope.example.com").rcode == "NXDOMAIN"
    assert len(resolver.queries) == asked + 1


def test_nodata_is_cached_per_type() -> None:
    clock = FakeClock()
    resolver = fresh(clock)
    assert resolver.resolve("mail.example.com", "AAAA").records == ()
    asked = len(resolver.queries)
    assert resolver.resolve("mail.example.com", "AAAA").rcode == "NOERROR"
    assert len(resolver.queries) == asked
    assert resolver.resolve("mail.example.com", "A").records[0].data == "192.0.2.25"


def test_cname_chain_across_zones() -> None:
    resolver = fresh()
    answer = resolver.resolve("shop.example.com")
    assert rows(answer.records) == [
        ("shop.example.com", "CNAME", 300, "shop.example.net"),
        ("shop.example.net", "A", 120, "203.0.113.7"),
    ]
    assert [server for server, _, _ in resolver.queries] == [
        ROOT_HINT,
        "192.5.6.30",
        "192.0.2.53",
        ROOT_HINT,
        "192.5.6.30",
        "192.0.2.54",
    ]
    assert rows(resolver.resolve("shop.example.com", "CNAME").records)[0][1] == "CNAME"


def loop_internet() -> dict[str, list[Zone]]:
    soa = "ns.a.example h.a.example 1 7200 900 1209600 60"
    zone = Zone(
        ".",
        [
            Record(".", "SOA", 60, soa),
            Record("a.example", "CNAME", 60, "b.example"),
            Record("b.example", "CNAME", 60, "a.example"),
            *(Record(f"c{i}.example", "CNAME", 60, f"c{i + 1}.example") for i in range(20)),
            Record("lame.example", "NS", 60, "ns.nowhere.example"),
        ],
    )
    return {"192.0.2.1": [zone]}


def test_cname_loops_long_chains_and_lame_delegations_end_in_servfail() -> None:
    resolver = Resolver(loop_internet(), ["192.0.2.1"], clock=FakeClock())
    assert resolver.resolve("a.example").rcode == "SERVFAIL"
    assert resolver.resolve("c0.example").rcode == "SERVFAIL"
    assert resolver.resolve("www.lame.example").rcode == "SERVFAIL"
    assert len(resolver.queries) < 100


def test_a_clock_stepping_back_does_not_revive_expired_entries() -> None:
    times = iter([0.0, 0.0, 0.0, 0.0, 100.0, 100.0, 100.0, 10.0, 10.0, 10.0, 10.0, 10.0])
    resolver = Resolver(example_internet(), [ROOT_HINT], clock=lambda: next(times, 10.0))
    resolver.resolve("web.example.com")
    resolver.resolve("web.example.com")  # t=100: expired, fetched again
    answer = resolver.resolve("web.example.com")  # the clock says 10: treated as 100
    assert answer.records[0].ttl == 60


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda r: r.resolve("a..b"), ValueError, "empty label"),
        (lambda r: r.resolve(""), ValueError, "non-empty"),
        (lambda r: r.resolve(3), TypeError, "got int"),
        (lambda r: r.resolve("example.com", "SRV"), ValueError, "qtype must be one of.*'SRV'"),
        (lambda r: r.resolve("example.com", None), TypeError, "qtype must be a str"),
    ],
)
def test_resolve_rejects_bad_input(call: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call(fresh())  # type: ignore[operator]


def test_constructors_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="root_hints must be non-empty"):
        Resolver(example_internet(), [])
    with pytest.raises(ValueError, match="root_hints.*'10.0.0.1'"):
        Resolver(example_internet(), ["10.0.0.1"])
    with pytest.raises(TypeError, match="clock must be callable"):
        Resolver(example_internet(), [ROOT_HINT], clock=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="max_steps must be an int, got bool"):
        Resolver(example_internet(), [ROOT_HINT], max_steps=True)
    with pytest.raises(ValueError, match="clock\\(\\) must be a finite number"):
        Resolver(example_internet(), [ROOT_HINT], clock=lambda: math.nan).resolve("example.com")
    with pytest.raises(ValueError, match="seconds must be"):
        FakeClock().advance(-1)
    soa = Record("z.example", "SOA", 60, "ns.z.example h.z.example 1 2 3 4 5")
    with pytest.raises(ValueError, match="must have one SOA at its origin, got 0"):
        Zone("z.example", [])
    with pytest.raises(ValueError, match="'other.example' is outside zone 'z.example'"):
        Zone("z.example", [soa, Record("other.example", "A", 5, "192.0.2.1")])
    with pytest.raises(ValueError, match="IPv4 address, got 'x'"):
        Zone("z.example", [soa, Record("a.z.example", "A", 5, "x")])
    with pytest.raises(TypeError, match="TTL of a.z.example must be an int, got float: nan"):
        Zone("z.example", [soa, Record("a.z.example", "A", math.nan, "192.0.2.1")])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="zone records must be Record, got tuple"):
        Zone("z.example", [("a", "A", 1, "x")])  # type: ignore[list-item]
