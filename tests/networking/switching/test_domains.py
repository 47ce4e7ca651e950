"""Collision and broadcast domains on the classic textbook topologies."""

from __future__ import annotations

import pytest

from studybook.networking.switching import Domains, Seg, count_domains


def test_hub_is_one_collision_domain() -> None:
    assert count_domains({"H": "hub"}, [Seg("H", f"h{i}") for i in range(4)]) == Domains(1, 1)


def test_each_switch_port_is_its_own_collision_domain() -> None:
    assert count_domains({"S": "switch"}, [Seg("S", f"h{i}") for i in range(4)]) == Domains(4, 1)


def test_router_ends_broadcast_domains() -> None:
    # Two switches with two hosts each, joined by a router: 6 links, 2 LANs.
    kinds = {"R": "router", "S1": "switch", "S2": "switch"}
    links = [
        Seg("R", "S1"),
        Seg("R", "S2"),
        Seg("S1", "a"),
        Seg("S1", "b"),
        Seg("S2", "c"),
        Seg("S2", "d"),
    ]
    assert count_domains(kinds, links) == Domains(collision=6, broadcast=2)


def test_vlans_split_broadcast_domains_on_one_switch() -> None:
    links = [Seg("S", "a", 10), Seg("S", "b", 10), Seg("S", "c", 20), Seg("S", "d", 30)]
    assert count_domains({"S": "switch"}, links) == Domains(collision=4, broadcast=3)


def test_hubs_behind_switches_and_a_switch_chain() -> None:
    kinds = {"S1": "switch", "S2": "switch", "H": "hub"}
    links = [Seg("S1", "S2"), Seg("S1", "H"), Seg("H", "a"), Seg("H", "b"), Seg("S2", "c")]
    assert count_domains(kinds, links) == Domains(collision=3, broadcast=1)


def test_the_chapters_interview_question() -> None:
    kinds = {"R": "router", "S1": "switch", "S2": "switch", "H": "hub"}
    links = [Seg("R", "S1"), Seg("R", "S2"), Seg("S2", "H")]
    links += [Seg("S1", f"h{i}") for i in range(3)] + [Seg("H", f"g{i}") for i in range(4)]
    assert count_domains(kinds, links) == Domains(collision=6, broadcast=2)


def test_unlisted_devices_are_hosts_and_a_direct_cable_is_one_domain() -> None:
    assert count_domains({}, [Seg("a", "b")]) == Domains(1, 1)
    assert count_domains({}, []) == Domains(0, 0)


@pytest.mark.parametrize(
    ("kinds", "links", "error", "match"),
    [
        ({"X": "bridge"}, [], ValueError, "device 'X' has unknown kind 'bridge'"),
        ({}, [("a", "b")], TypeError, "Seg objects"),
    ],
)
def test_bad_input(
    kinds: dict[str, str], links: list[object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        count_domains(kinds, links)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("S", "a", 0), ValueError),
        (("S", "a", 4095), ValueError),
        (("S", "a", True), TypeError),
        (("", "a"), ValueError),
        ((None, "a"), TypeError),
    ],
)
def test_bad_segments(args: tuple[object, ...], error: type[Exception]) -> None:
    with pytest.raises(error):
        Seg(*args)  # type: ignore[arg-type]
