"""The PAT table against a dict model on a fake clock, and DHCP timers."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.networking.ip_subnetting import PatTable, PortsExhausted, dhcp_timers


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


hosts = st.sampled_from(["10.0.0.2", "10.0.0.3", "10.0.0.4"])
ports = st.integers(1020, 1030)
remotes = st.sampled_from([("198.51.100.7", 443), ("198.51.100.8", 53)])
steps = st.lists(st.tuples(st.floats(0, 200), hosts, ports, remotes), max_size=40)


@given(steps)
def test_mappings_are_a_bijection_that_expires(
    trace: list[tuple[float, str, int, tuple[str, int]]],
) -> None:
    clock = Clock()
    nat = PatTable("203.0.113.5", ports=(1024, 1040), timeout=300.0, clock=clock)
    model: dict[tuple[str, int], tuple[int, float]] = {}  # inside -> (public port, last used)
    for dt, host, port, remote in trace:
        clock.now += dt
        model = {k: v for k, v in model.items() if clock.now - v[1] < 300.0}
        try:
            ip, public = nat.outbound("udp", (host, port), remote)
        except PortsExhausted:
            assert len(model) == 17
            assert (host, port) not in model
            continue
        assert ip == "203.0.113.5"
        if (host, port) in model:
            assert public == model[(host, port)][0]  # endpoint-independent mapping
        elif 1024 <= port <= 1040 and port not in {p for p, _ in model.values()}:
            assert public == port  # port preservation
        model[(host, port)] = (public, clock.now)
        assert nat.inbound("udp", public, remote) == (host, port)
        live = {(t.inside_local, t.inside_global[1]) for t in nat.translations()}
        assert live == {(k, v[0]) for k, v in model.items()}
        assert len({p for _, p in live}) == len(live)  # one inside endpoint per public port


def test_reply_filtering_timeout_and_refresh() -> None:
    clock = Clock()
    nat = PatTable("203.0.113.5", timeout=120.0, clock=clock)
    server = ("198.51.100.7", 443)
    assert nat.outbound("tcp", ("10.0.0.2", 5555), server) == ("203.0.113.5", 5555)
    assert nat.outbound("tcp", ("10.0.0.3", 5555), server) == ("203.0.113.5", 1024)
    assert nat.outbound("udp", ("10.0.0.3", 5555), server) == ("203.0.113.5", 5555)
    with pytest.raises(KeyError, match="192.0.2.1:443 was never contacted"):
        nat.inbound("tcp", 1024, ("192.0.2.1", 443))
    clock.now = 100.0
    nat.outbound("tcp", ("10.0.0.3", 5555), server)  # refresh: outbound only
    clock.now = 150.0
    assert nat.inbound("tcp", 1024, server) == ("10.0.0.3", 5555)
    with pytest.raises(KeyError, match="no tcp mapping for public port 5555"):
        nat.inbound("tcp", 5555, server)
    clock.now = 220.0
    assert nat.translations() == []


def test_port_exhaustion() -> None:
    nat = PatTable("203.0.113.5", ports=(2000, 2001), clock=Clock())
    nat.outbound("udp", ("10.0.0.2", 1), ("192.0.2.1", 53))
    nat.outbound("udp", ("10.0.0.3", 1), ("192.0.2.1", 53))
    with pytest.raises(PortsExhausted, match="all 2 public udp ports are in use"):
        nat.outbound("udp", ("10.0.0.4", 1), ("192.0.2.1", 53))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"public_address": "2001:db8::1"}, ValueError, "must be an IPv4 address"),
        ({"public_address": 5}, TypeError, "got int"),
        ({"timeout": float("nan")}, ValueError, "nan"),
        ({"timeout": 0}, ValueError, "got 0"),
        ({"timeout": True}, TypeError, "bool"),
        ({"ports": (2000, 1000)}, ValueError, "got 1000"),
        ({"ports": (0, 10)}, ValueError, "got 0"),
        ({"ports": [1, 2]}, TypeError, "tuple"),
        ({"clock": 3}, TypeError, "callable"),
    ],
)
def test_constructor_bad_input(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    args: dict[str, object] = {"public_address": "203.0.113.5", **kwargs}
    with pytest.raises(error, match=match):
        PatTable(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("icmp", ("10.0.0.2", 1), ("192.0.2.1", 1)), ValueError, "'icmp'"),
        (("udp", ("10.0.0.2", 0), ("192.0.2.1", 1)), ValueError, "got 0"),
        (("udp", ("10.0.0.2", True), ("192.0.2.1", 1)), TypeError, "bool"),
        (("udp", ("10.0.0.2", 1), ("192.0.2.1", 70000)), ValueError, "70000"),
        (("udp", "10.0.0.2:1", ("192.0.2.1", 1)), TypeError, "tuple"),
        (("udp", ("10.0.0.256", 1), ("192.0.2.1", 1)), ValueError, "10.0.0.256"),
    ],
)
def test_outbound_bad_input(args: tuple[object, ...], error: type[Exception], match: str) -> None:
    nat = PatTable("203.0.113.5", clock=Clock())
    with pytest.raises(error, match=match):
        nat.outbound(*args)  # type: ignore[arg-type]
    with pytest.raises((TypeError, ValueError, KeyError)):
        nat.inbound(args[0], 1, args[2])  # type: ignore[arg-type]


@given(st.integers(1, 2**32 - 2))
def test_dhcp_timers_are_half_and_seven_eighths(lease: int) -> None:
    t1, t2 = dhcp_timers(lease)
    assert (t1, t2) == (lease / 2, lease * 7 / 8)
    assert t1 < t2 < lease or lease == 1


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (0, ValueError),
        (-1, ValueError),
        (2**32, ValueError),
        (True, TypeError),
        (3600.0, TypeError),
        (float("nan"), TypeError),
        (math.inf, TypeError),
    ],
)
def test_dhcp_timers_bad_input(bad: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="lease must"):
        dhcp_timers(bad)  # type: ignore[arg-type]


def test_many_mappings_stay_cheap_and_ports_are_handed_out_round_robin() -> None:
    clock = Clock()
    nat = PatTable("203.0.113.5", ports=(1024, 65535), timeout=120.0, clock=clock)
    n = 30_000  # the old per-packet full scan made this quadratic (minutes)
    ports = [
        nat.outbound("udp", (f"10.{i >> 16}.{i >> 8 & 255}.{i & 255}", 5000), ("192.0.2.1", 53))[1]
        for i in range(n)
    ]
    assert ports[:4] == [5000, 1024, 1025, 1026]  # preserved, then counting up
    assert len(set(ports)) == n
    assert max(ports) == 1024 + n - 1  # 5000 was skipped once
    assert len(nat.translations()) == n
    clock.now = 60.0
    nat.outbound("udp", ("10.0.0.1", 5000), ("192.0.2.1", 53))  # refresh one mapping
    clock.now = 150.0
    live = nat.translations()
    assert [(t.inside_local, t.inside_global[1]) for t in live] == [(("10.0.0.1", 5000), 1024)]
    # The next new mapping resumes after the last port handed out, not at the lowest.
    assert nat.outbound("udp", ("10.9.9.9", 5000), ("192.0.2.1", 53)) == ("203.0.113.5", 5000)
    assert nat.outbound("udp", ("10.9.9.8", 5000), ("192.0.2.1", 53)) == ("203.0.113.5", 1024 + n)
