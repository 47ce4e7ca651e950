"""Spanning tree: the published textbook answers, a brute force from the rules, and bad input."""

from __future__ import annotations

import math
from itertools import pairwise

import networkx as nx  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.networking.switching import (
    DONOHUE_BRIDGES,
    DONOHUE_LINKS,
    SHORT_PATH_COST,
    BridgeId,
    Link,
    SpanningTree,
    bridge_id,
    port_id,
    spanning_tree,
)


def test_short_path_costs_are_8021d_1998() -> None:
    assert dict(SHORT_PATH_COST) == {10: 100, 100: 19, 1000: 4, 10_000: 2}


def test_donohue_figure_3_1_matches_the_published_answer() -> None:
    # D. Donohue, CCNP SWITCH 642-813 Quick Reference (Cisco Press, 2010), pp. 32-33.
    # p. 32: the book's bridge IDs, default priority 0x8000, A the lowest.
    assert {n: str(b) for n, b in DONOHUE_BRIDGES.items()} == {
        "A": "32768/00:0c:11:11:00:11",
        "B": "32768/00:0c:26:78:10:10",
        "C": "32768/00:0c:32:1a:bc:de",
        "D": "32768/00:0c:81:81:11:22",
        "E": "32768/00:0c:26:79:22:22",
    }
    tree = spanning_tree(DONOHUE_BRIDGES, DONOHUE_LINKS)
    assert tree.root == "A"
    # Root ports: B straight to A (19); C through B (38, not 100 direct);
    # D through C then B (57, not 119); E ties at 76 and the same sender D,
    # so the lower *sender* port ID decides: E's port 2, cabled to D's port 3.
    assert tree.root_path_cost == {"A": 0, "B": 19, "C": 38, "D": 57, "E": 76}
    assert tree.root_port == {"B": 1, "C": 2, "D": 2, "E": 2}
    # Designated: all of A's ports; B on B-C and B-D; C on C-D; D on both D-E links.
    designated = sorted(k for k, r in tree.roles.items() if r == "designated")
    assert designated == [("A", 1), ("A", 2), ("B", 2), ("B", 3), ("C", 3), ("D", 3), ("D", 4)]
    # Blocked: C's port to A, D's port to B, E's second link to D.
    assert tree.blocked() == [("C", 1), ("D", 1), ("E", 1)]


def test_classic_triangle_blocks_the_higher_bridge_id_on_the_far_link() -> None:
    bridges = {n: bridge_id(f"00:00:0c:00:00:0{i}") for i, n in enumerate(("S1", "S2", "S3"), 1)}
    links = [Link("S1", 1, "S2", 1), Link("S1", 2, "S3", 1), Link("S2", 2, "S3", 2)]
    tree = spanning_tree(bridges, links)
    assert tree.root == "S1"
    assert tree.root_port == {"S2": 1, "S3": 1}
    assert tree.roles[("S2", 2)] == "designated"  # equal costs: lower bridge ID wins
    assert tree.blocked() == [("S3", 2)]
    assert tree.state("S3", 2) == "blocking"
    assert tree.state("S3", 2, rapid=True) == "discarding"
    assert tree.state("S2", 2, rapid=True) == "forwarding"
    with pytest.raises(KeyError, match="no port 9 on bridge 'S3'"):
        tree.state("S3", 9)


def test_lowering_the_priority_moves_the_root() -> None:
    bridges = {
        "S1": bridge_id("00:00:0c:00:00:01"),
        "S2": bridge_id("00:00:0c:00:00:02"),
        "S3": bridge_id("00:00:0c:00:00:03", priority=24576),
    }
    links = [Link("S1", 1, "S2", 1), Link("S1", 2, "S3", 1), Link("S2", 2, "S3", 2)]
    tree = spanning_tree(bridges, links)
    assert tree.root == "S3"
    assert tree.blocked() == [("S2", 1)]  # S1 (lower ID) is designated on the S1-S2 link


def test_root_port_tie_broken_by_sender_bridge_id() -> None:
    bridges = {n: bridge_id(f"00:00:0c:00:00:0{i}") for i, n in enumerate("RXYZ", 1)}
    # Z reaches R at cost 38 through X (port 5) or Y (port 1): X has the lower bridge ID.
    links = [Link("R", 1, "X", 1), Link("R", 2, "Y", 1), Link("Z", 5, "X", 2), Link("Z", 1, "Y", 2)]
    assert spanning_tree(bridges, links).root_port["Z"] == 5


def test_port_priority_overrides_port_number() -> None:
    bridges = {"R": bridge_id("00:00:0c:00:00:01"), "X": bridge_id("00:00:0c:00:00:02")}
    links = [Link("R", 1, "X", 1), Link("R", 2, "X", 2, priority_a=64)]
    tree = spanning_tree(bridges, links)
    assert tree.root_port == {"X": 2}
    assert tree.blocked() == [("X", 1)]


def test_bridge_and_port_ids() -> None:
    assert bridge_id("00:00:0c:00:00:01", vlan=1) == BridgeId(32769, "00:00:0c:00:00:01")
    assert bridge_id("00:00:0c:00:00:01", 61440, vlan=4094).priority == 65534
    assert BridgeId(4096, "ff:ff:ff:ff:ff:ff") < BridgeId(32768, "00:00:00:00:00:00")
    assert BridgeId(32768, "00:00:00:00:00:01") < BridgeId(32768, "00:00:00:00:00:02")
    assert (port_id(1), port_id(4095, 240)) == (0x8001, 0xFFFF)


# --- brute force from the rules, on random connected topologies -----------------


@st.composite
def topologies(draw: st.DrawFn) -> tuple[dict[str, BridgeId], list[Link]]:
    n = draw(st.integers(2, 5))
    names = [f"B{i}" for i in range(n)]
    macs = draw(st.lists(st.integers(1, 2**48 - 1), min_size=n, max_size=n, unique=True))
    prios = draw(st.lists(st.sampled_from([4096, 32768, 61440]), min_size=n, max_size=n))
    bridges = {
        name: BridgeId(p, m.to_bytes(6, "big").hex(":"))
        for name, p, m in zip(names, prios, macs, strict=True)
    }
    pairs = [(names[i], names[draw(st.integers(0, i - 1))]) for i in range(1, n)]  # a tree
    extra = draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)), max_size=4))
    pairs += [(a, b) for a, b in extra if a != b]  # loops and parallel links
    next_port = dict.fromkeys(names, 1)
    links = []
    for a, b in pairs:
        cost = draw(st.sampled_from(sorted(SHORT_PATH_COST.values())))
        prio_a, prio_b = (
            draw(st.sampled_from([128, 128, 64])),
            draw(st.sampled_from([128, 128, 64])),
        )
        links.append(Link(a, next_port[a], b, next_port[b], cost, prio_a, prio_b))
        next_port[a] += 1
        next_port[b] += 1
    return bridges, links


def brute_force(bridges: dict[str, BridgeId], links: list[Link]) -> dict[tuple[str, int], str]:
    """Apply the 802.1D rules literally, costing every simple path by enumeration."""
    root = min(bridges, key=lambda b: (bridges[b].priority, bridges[b].mac))
    g = nx.MultiGraph()
    g.add_nodes_from(bridges)
    for i, link in enumerate(links):
        g.add_edge(link.a, link.b, key=i, cost=link.cost)

    def cost(b: str) -> int:
        if b == root:
            return 0
        costs: list[int] = [
            sum(g.edges[e]["cost"] for e in path) for path in nx.all_simple_edge_paths(g, b, root)
        ]
        return min(costs)

    rpc = {b: cost(b) for b in bridges}
    candidates: dict[str, list[tuple[int, tuple[int, str], int, int, int]]] = {}
    for link in links:
        for here, hp, hprio, there, tp, tprio in (
            (link.a, link.port_a, link.priority_a, link.b, link.port_b, link.priority_b),
            (link.b, link.port_b, link.priority_b, link.a, link.port_a, link.priority_a),
        ):
            if here != root:
                there_id = (bridges[there].priority, bridges[there].mac)
                candidates.setdefault(here, []).append(
                    (rpc[there] + link.cost, there_id, tprio * 256 + tp, hprio * 256 + hp, hp)
                )
    root_port = {b: min(c)[4] for b, c in candidates.items()}
    assert all(min(c)[0] == rpc[b] for b, c in candidates.items())
    roles = {}
    for link in links:
        va = (
            rpc[link.a],
            bridges[link.a].priority,
            bridges[link.a].mac,
            link.priority_a * 256 + link.port_a,
        )
        vb = (
            rpc[link.b],
            bridges[link.b].priority,
            bridges[link.b].mac,
            link.priority_b * 256 + link.port_b,
        )
        win, lose = (
            ((link.a, link.port_a), (link.b, link.port_b))
            if va < vb
            else ((link.b, link.port_b), (link.a, link.port_a))
        )
        roles[win] = "designated"
        roles[lose] = "root" if root_port.get(lose[0]) == lose[1] else "alternate"
    return roles


def forwarding_graph(
    tree: SpanningTree, bridges: dict[str, BridgeId], links: list[Link]
) -> nx.MultiGraph:
    g = nx.MultiGraph()
    g.add_nodes_from(bridges)
    for link in links:
        if (
            tree.roles[(link.a, link.port_a)] != "alternate"
            and tree.roles[(link.b, link.port_b)] != "alternate"
        ):
            g.add_edge(link.a, link.b, cost=link.cost)
    return g


@settings(max_examples=50, deadline=None)
@given(topologies())
def test_result_is_a_spanning_tree_matching_the_brute_force(
    topo: tuple[dict[str, BridgeId], list[Link]],
) -> None:
    bridges, links = topo
    tree = spanning_tree(bridges, links)
    assert dict(tree.roles) == brute_force(bridges, links)
    assert nx.is_tree(forwarding_graph(tree, bridges, links))  # connected and loop-free
    assert set(tree.root_port) == set(bridges) - {tree.root}
    for bridge, port in tree.root_port.items():
        assert tree.roles[(bridge, port)] == "root"
    # Root path costs agree with Dijkstra over the same links.
    g = nx.Graph()
    for link in links:
        old = g.get_edge_data(link.a, link.b, {"w": math.inf})["w"]
        g.add_edge(link.a, link.b, w=min(old, link.cost))
    assert dict(tree.root_path_cost) == dict(
        sorted(nx.single_source_dijkstra_path_length(g, tree.root, weight="w").items())
    )
    # Frames to the root follow the tree, and that path costs exactly the root path cost.
    fwd = forwarding_graph(tree, bridges, links)
    for b in bridges:
        path = nx.shortest_path(fwd, b, tree.root)
        assert sum(fwd.edges[u, v, 0]["cost"] for u, v in pairwise(path)) == tree.root_path_cost[b]


# --- bad input --------------------------------------------------------------------

TWO = {"A": bridge_id("00:00:0c:00:00:01"), "B": bridge_id("00:00:0c:00:00:02")}


@pytest.mark.parametrize(
    ("bridges", "links", "error", "match"),
    [
        ({}, [], ValueError, "non-empty mapping"),
        ({"A": "32768"}, [], TypeError, "needs a BridgeId"),
        ({"A": TWO["A"], "B": TWO["A"]}, [Link("A", 1, "B", 1)], ValueError, "distinct"),
        (TWO, [], ValueError, r"not connected: \['B'\]"),
        (TWO, [Link("A", 1, "C", 1)], ValueError, "unknown bridge 'C'"),
        (TWO, [Link("A", 1, "B", 1), Link("A", 1, "B", 2)], ValueError, "port 1 of bridge 'A'"),
        (TWO, ["A-B"], TypeError, "Link objects"),
    ],
)
def test_bad_topologies(bridges: object, links: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        spanning_tree(bridges, links)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"b": "A"}, ValueError, "two different bridges, got 'A' twice"),
        ({"cost": 0}, ValueError, "path cost must be in .* got 0"),
        ({"cost": True}, TypeError, "path cost must be an int, got bool"),
        ({"cost": math.nan}, TypeError, "path cost must be an int"),
        ({"port_a": 0}, ValueError, "port number .* got 0"),
        ({"port_a": 4096}, ValueError, "port number .* got 4096"),
        ({"priority_a": 100}, ValueError, "multiple of 16, got 100"),
        ({"a": ""}, ValueError, "bridge name"),
    ],
)
def test_bad_links(kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    args: dict[str, object] = {"a": "A", "port_a": 1, "b": "B", "port_b": 1, **kwargs}
    with pytest.raises(error, match=match):
        Link(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("00:00:0c:00:00:01", 32767, 1), ValueError, "multiple of 4096, got 32767"),
        (("00:00:0c:00:00:01", 32768, 0), ValueError, "VLAN ID .* got 0"),
        (("00:00:0c:00:00:01", 32768, 4095), ValueError, "VLAN ID .* got 4095"),
        (("00:00:0c:00:00:01", 65536, None), ValueError, "bridge priority .* got 65536"),
        (("00:00:0c:00:00:01", True, None), TypeError, "bridge priority must be an int"),
        (("00:00:0c:00:00:01", 32768, True), TypeError, "VLAN ID must be an int"),
        (("00:00:0c:00:00", 32768, None), ValueError, "not a MAC address"),
    ],
)
def test_bad_bridge_ids(args: tuple[object, ...], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        bridge_id(*args)  # type: ignore[arg-type]
