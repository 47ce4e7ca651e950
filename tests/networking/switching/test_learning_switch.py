"""The learning switch against a dictionary model, plus its edge cases and bad input."""

from __future__ import annotations

import math

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from studybook.networking.switching import (
    BROADCAST,
    DEFAULT_AGING_TIME,
    AccessPort,
    EthernetFrame,
    LearningSwitch,
    TrunkPort,
    VlanTag,
)

A, B, C = "00:00:5e:00:53:0a", "00:00:5e:00:53:0b", "00:00:5e:00:53:0c"
MULTICAST = "01:00:5e:00:00:01"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def frame(dst: str, src: str, vid: int | None = None) -> EthernetFrame:
    return EthernetFrame(dst, src, 0x0800, b"", None if vid is None else VlanTag(vid))


def make(ports: dict[int, AccessPort | TrunkPort], **kw: object) -> tuple[LearningSwitch, Clock]:
    clock = Clock()
    return LearningSwitch(ports, clock=clock, **kw), clock  # type: ignore[arg-type]


def test_default_aging_time_is_the_8021d_300_seconds() -> None:
    assert DEFAULT_AGING_TIME == 300.0


def test_entry_ages_out_exactly_at_the_aging_time() -> None:
    sw, clock = make({1: AccessPort(), 2: AccessPort(), 3: AccessPort()})
    sw.receive(1, frame(B, A))
    clock.now = 299.5
    assert sw.lookup(1, A) == 1
    assert sw.receive(2, frame(A, B)).action == "forward"
    clock.now = 300.0
    with pytest.raises(KeyError, match="not in the table for VLAN 1"):
        sw.lookup(1, A)
    assert sw.receive(2, frame(A, B)).ports == (1, 3)
    assert sw.mac_table() == [(1, B, 2, 0.0)]


def test_seeing_a_source_again_refreshes_its_entry() -> None:
    sw, clock = make({1: AccessPort(), 2: AccessPort()})
    sw.receive(1, frame(B, A))
    clock.now = 200.0
    sw.receive(1, frame(B, A))
    clock.now = 450.0
    assert sw.lookup(1, A) == 1


def test_a_mac_that_moves_is_relearned_on_its_new_port() -> None:
    sw, _ = make({1: AccessPort(), 2: AccessPort(), 3: AccessPort()})
    sw.receive(1, frame(B, A))
    sw.receive(3, frame(B, A))
    assert sw.lookup(1, A) == 3
    assert sw.receive(2, frame(A, B)).ports == (3,)


def test_known_destination_on_the_ingress_port_is_filtered() -> None:
    sw, _ = make({1: AccessPort(), 2: AccessPort()})
    sw.receive(1, frame(B, A))
    d = sw.receive(1, frame(A, B))  # B is behind port 1 too (a hub there)
    assert (d.action, d.ports) == ("filter", ())


def test_broadcast_and_multicast_flood_within_the_vlan_only() -> None:
    sw, _ = make({1: AccessPort(10), 2: AccessPort(20), 3: AccessPort(10), 4: TrunkPort()})
    for dst in (BROADCAST, MULTICAST):
        d = sw.receive(1, frame(dst, A))
        assert (d.action, d.vlan, d.ports) == ("flood", 10, (3, 4))


def test_group_source_is_never_learned() -> None:
    sw, _ = make({1: AccessPort(), 2: AccessPort()})
    sw.receive(1, frame(B, MULTICAST))
    assert sw.mac_table() == []


def test_vlans_have_separate_tables() -> None:
    sw, _ = make({1: AccessPort(10), 2: AccessPort(20), 3: TrunkPort()})
    sw.receive(1, frame(B, A))
    assert sw.receive(3, frame(A, B, vid=10)).ports == (1,)
    assert sw.receive(3, frame(A, B, vid=20)).ports == (2,)  # A unknown in VLAN 20: flood


def test_trunk_tags_every_vlan_but_the_native_one() -> None:
    sw, _ = make({1: AccessPort(10), 2: AccessPort(99), 3: TrunkPort(native=99)})
    out = sw.receive(1, frame(BROADCAST, A)).frames[3]
    assert out.vlan == VlanTag(10)
    native = sw.receive(2, frame(BROADCAST, A)).frames[3]
    assert native.vlan is None
    # An untagged frame arriving on the trunk belongs to the native VLAN.
    d = sw.receive(3, frame(BROADCAST, B))
    assert (d.vlan, d.ports) == (99, (2,))
    assert d.frames[2].vlan is None


def test_priority_bits_survive_trunk_to_trunk() -> None:
    sw, _ = make({1: TrunkPort(), 2: TrunkPort()})
    tagged = EthernetFrame(BROADCAST, A, 0x0800, b"", VlanTag(30, pcp=5, dei=True))
    assert sw.receive(1, tagged).frames[2].vlan == VlanTag(30, pcp=5, dei=True)


def test_access_port_drops_tagged_frames_and_trunk_drops_disallowed_vlans() -> None:
    sw, _ = make({1: AccessPort(10), 2: TrunkPort(frozenset({10, 20}))})
    assert sw.receive(1, frame(BROADCAST, A, vid=10)).action == "drop"
    assert sw.receive(2, frame(BROADCAST, A, vid=30)).action == "drop"
    assert sw.receive(2, frame(BROADCAST, A)).action == "drop"  # native 1 not allowed
    assert sw.mac_table() == []


def test_full_table_floods_unknown_addresses_like_a_mac_flooding_attack() -> None:
    sw, clock = make({1: AccessPort(), 2: AccessPort(), 3: AccessPort()}, capacity=1)
    sw.receive(1, frame(BROADCAST, A))
    sw.receive(2, frame(BROADCAST, B))  # table full: B is not learned
    assert sw.receive(1, frame(B, A)).action == "flood"
    clock.now = 300.0  # A ages out and makes room
    sw.receive(2, frame(BROADCAST, B))
    assert sw.lookup(1, B) == 2


MACS = [A, B, C, "00:00:5e:00:53:0d"]
PORTS: dict[int, AccessPort | TrunkPort] = {
    1: AccessPort(10),
    2: AccessPort(10),
    3: AccessPort(20),
    4: TrunkPort(frozenset({10, 20}), native=10),
    5: TrunkPort(),
}


class SwitchMachine(RuleBasedStateMachine):
    """Drive the switch and a plain-dictionary model with the same frames and clock."""

    @initialize()
    def setup(self) -> None:
        self.clock = Clock()
        self.switch = LearningSwitch(PORTS, aging_time=300.0, clock=self.clock)
        self.model: dict[tuple[int, str], tuple[int, float]] = {}

    @rule(dt=st.sampled_from([0.0, 1.0, 150.0, 299.0, 300.0, 301.0]))
    def tick(self, dt: float) -> None:
        self.clock.now += dt

    @rule(
        port=st.sampled_from(sorted(PORTS)),
        src=st.sampled_from([*MACS, MULTICAST]),
        dst=st.sampled_from([*MACS, BROADCAST, MULTICAST]),
        vid=st.sampled_from([None, 10, 20, 30]),
    )
    def send(self, port: int, src: str, dst: str, vid: int | None) -> None:
        decision = self.switch.receive(port, frame(dst, src, vid))
        cfg = PORTS[port]
        if isinstance(cfg, AccessPort):
            vlan = cfg.vlan if vid is None else None
        else:
            vlan = cfg.native if vid is None else vid
            if cfg.allowed is not None and vlan not in cfg.allowed:
                vlan = None
        if vlan is None:
            assert (decision.action, decision.ports) == ("drop", ())
            return
        now = self.clock.now
        if src != MULTICAST:
            self.model[(vlan, src)] = (port, now)
        entry = self.model.get((vlan, dst))
        expected: tuple[str, tuple[int, ...]]
        if entry is not None and now - entry[1] < 300.0:
            expected = ("filter", ()) if entry[0] == port else ("forward", (entry[0],))
        else:
            members = []
            for n, p in PORTS.items():
                carried = (
                    p.vlan == vlan
                    if isinstance(p, AccessPort)
                    else (p.allowed is None or vlan in p.allowed)
                )
                if n != port and carried:
                    members.append(n)
            expected = ("flood", tuple(members))
        assert (decision.action, decision.ports) == expected
        assert decision.vlan == vlan
        for n, out in decision.frames.items():
            p = PORTS[n]
            untagged = isinstance(p, AccessPort) or p.native == vlan
            assert (out.vlan is None) == untagged
            if out.vlan is not None:
                assert out.vlan.vid == vlan

    @invariant()
    def table_matches_model(self) -> None:
        self.switch._check_invariants()
        now = self.clock.now
        live = sorted(
            (v, m, p, now - t) for (v, m), (p, t) in self.model.items() if now - t < 300.0
        )
        assert self.switch.mac_table() == live


SwitchMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
TestSwitchAgainstModel = SwitchMachine.TestCase


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"aging_time": math.nan}, ValueError, "aging_time .* got nan"),
        ({"aging_time": 0}, ValueError, "aging_time .* got 0"),
        ({"aging_time": True}, TypeError, "aging_time"),
        ({"capacity": 0}, ValueError, "capacity .* got 0"),
        ({"capacity": True}, TypeError, "capacity"),
        ({"clock": 3}, TypeError, "clock must be callable"),
    ],
)
def test_bad_constructor_arguments(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        LearningSwitch({1: AccessPort()}, **kwargs)  # type: ignore[arg-type]


def test_bad_port_maps() -> None:
    with pytest.raises(ValueError, match="non-empty mapping"):
        LearningSwitch({})
    with pytest.raises(TypeError, match="port number must be an int, got bool"):
        LearningSwitch({True: AccessPort()})
    with pytest.raises(ValueError, match="port number must be >= 1, got 0"):
        LearningSwitch({0: AccessPort()})
    with pytest.raises(TypeError, match="port 1 must be an AccessPort or TrunkPort"):
        LearningSwitch({1: "access"})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="access VLAN must be in \\[1, 4094\\], got 4095"):
        AccessPort(4095)
    with pytest.raises(ValueError, match="allowed VLAN .* got 0"):
        TrunkPort(frozenset({0}))
    with pytest.raises(TypeError, match="frozenset"):
        TrunkPort({10})  # type: ignore[arg-type]


def test_bad_receive_arguments() -> None:
    sw, clock = make({1: AccessPort(), 2: AccessPort()})
    with pytest.raises(KeyError, match="no port 7"):
        sw.receive(7, frame(B, A))
    with pytest.raises(TypeError, match="port must be an int, got bool"):
        sw.receive(True, frame(B, A))
    with pytest.raises(TypeError, match="frame must be an EthernetFrame"):
        sw.receive(1, b"\x00" * 14)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a MAC address"):
        sw.lookup(1, "nonsense")
    with pytest.raises(ValueError, match="VLAN ID must be in"):
        sw.lookup(0, A)
    clock.now = math.nan
    with pytest.raises(ValueError, match="clock\\(\\) must be a finite number, got nan"):
        sw.receive(1, frame(B, A))
