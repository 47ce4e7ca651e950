"""Distance vector against Bellman-Ford, link-state SPF against networkx, OSPF, BGP, AD."""

from __future__ import annotations

import math
import random
from typing import Any

import networkx as nx  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.networking.routing import (
    CHAIN,
    RIP_INFINITY,
    TRIANGLE,
    BgpPath,
    Candidate,
    DistanceVectorNetwork,
    LinkStateNetwork,
    Route,
    best_path,
    compare_paths,
    count_to_infinity,
    elect_dr,
    install,
    loop_free,
    ospf_cost,
    router_roles,
)


def random_links(seed: int, n: int, p: float, max_cost: int) -> list[tuple[str, str, int]]:
    rng = random.Random(seed)
    g = nx.gnp_random_graph(n, p, seed=seed)
    nx.add_path(g, range(n))  # connected
    return [(f"r{u}", f"r{v}", rng.randint(1, max_cost)) for u, v in sorted(g.edges)]


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(2, 7),
    st.sampled_from(["none", "split-horizon", "poison-reverse"]),
)
def test_converged_distance_vector_equals_bellman_ford(seed: int, n: int, mode: str) -> None:
    links = random_links(seed, n, 0.4, 4)
    net = DistanceVectorNetwork(links, mode=mode)
    assert net.converge() <= n  # no failure: at most V - 1 changing rounds (+1 slack for ties)
    graph: dict[str, dict[str, int]] = {}
    for u, v, c in links:
        graph.setdefault(u, {})[v] = c
        graph.setdefault(v, {})[u] = c
    g = nx.Graph()
    g.add_weighted_edges_from(links)
    for r in net.routers:
        # The oracle is networkx's Bellman-Ford, independent of this book's code.
        expected = nx.single_source_bellman_ford_path_length(g, r)
        for d in net.routers:
            route = net.route(r, d)
            assert route.metric == min(RIP_INFINITY, expected[d])
            if 0 < route.metric < RIP_INFINITY:
                hop = route.next_hop
                assert hop is not None
                assert route.metric == graph[r][hop] + net.route(hop, d).metric


def test_count_to_infinity_on_the_chain_and_poison_reverse_fixing_it() -> None:
    # Without a rule, A and B bounce the route to C between them, +2 a round pair,
    # until both hit RIP's 16; split horizon or poison reverse stops it in one round.
    assert count_to_infinity(CHAIN, ("B", "C"), "C", "none") == (14, 15)
    assert count_to_infinity(CHAIN, ("B", "C"), "C", "split-horizon") == (1, 2)
    assert count_to_infinity(CHAIN, ("B", "C"), "C", "poison-reverse") == (1, 2)


def test_poison_reverse_does_not_save_a_loop_of_three() -> None:
    # The chapter quotes these figures: 14 rounds, highest finite metric 15.
    for mode in ("none", "split-horizon", "poison-reverse"):
        assert count_to_infinity(TRIANGLE, ("C", "D"), "D", mode) == (14, RIP_INFINITY - 1)
    net = DistanceVectorNetwork(TRIANGLE, mode="poison-reverse")
    net.converge()
    history = net.count_after_failure("C", "D", "D")
    assert history[-1] == {"A": 16, "B": 16, "C": 16, "D": 0}


def test_distance_vector_finds_the_detour_after_a_failure() -> None:
    net = DistanceVectorNetwork(
        [("A", "B", 1), ("B", "C", 1), ("A", "C", 5)], mode="poison-reverse"
    )
    net.converge()
    assert net.route("A", "C").next_hop == "B"
    net.fail_link("B", "C")
    net.converge()
    assert (net.route("A", "C").metric, net.route("A", "C").next_hop) == (5, "C")


@pytest.mark.parametrize(
    ("links", "kwargs", "error", "message"),
    [
        ([("A", "B", -1)], {}, ValueError, "-1"),
        ([("A", "B", 0)], {}, ValueError, "got 0"),
        ([("A", "B", True)], {}, TypeError, "True"),
        ([("A", "B", math.nan)], {}, TypeError, "nan"),
        ([("A", "B", 1.5)], {}, TypeError, "1.5"),
        ([("A", "A", 1)], {}, ValueError, "'A'-'A'"),
        ([("A", "B", 1), ("B", "A", 1)], {}, ValueError, "duplicate"),
        ([("A", 7, 1)], {}, TypeError, "7"),
        ([("A", "B", 1)], {"mode": "poison"}, ValueError, "'poison'"),
        ([("A", "B", 1)], {"infinity": 1}, ValueError, "got 1"),
    ],
)
def test_distance_vector_bad_input(
    links: Any,
    kwargs: Any,
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        DistanceVectorNetwork(links, **kwargs)


def test_distance_vector_unknown_names() -> None:
    net = DistanceVectorNetwork(CHAIN)
    with pytest.raises(KeyError, match="'A'-'C'"):
        net.fail_link("A", "C")
    with pytest.raises(KeyError, match="'Z'"):
        net.route("A", "Z")
    with pytest.raises(ValueError, match="got 0"):
        net.converge(0)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 9))
def test_spf_matches_networkx_and_databases_agree(seed: int, n: int) -> None:
    links = random_links(seed, n, 0.35, 10)
    net = LinkStateNetwork(links)
    net.flood()
    first = net.databases[net.routers[0]]
    assert all(net.databases[r] == first for r in net.routers)
    g = nx.Graph()
    g.add_weighted_edges_from(links)
    for r in net.routers:
        routes = net.routes(r)
        expected = nx.single_source_dijkstra_path_length(g, r)
        assert {d: route.cost for d, route in routes.items()} == expected
        for d, route in routes.items():
            if d == r:
                continue
            # The ECMP set is exactly the first hops of all shortest paths.
            first_hops = {p[1] for p in nx.all_shortest_paths(g, r, d, weight="weight")}
            assert set(route.next_hops) == first_hops


def test_link_failure_reflooded_and_rerouted() -> None:
    net = LinkStateNetwork([("A", "B", 1), ("B", "C", 1), ("A", "C", 5)])
    net.flood()
    assert net.fail_link("B", "C") > 0
    assert net.routes("A")["C"].cost == 5
    assert all(net.databases[r] == net.databases["A"] for r in net.routers)


def test_one_sided_link_is_ignored_by_the_two_way_check() -> None:
    net = LinkStateNetwork([("A", "B", 1), ("B", "C", 1)])
    net.flood(["A", "B"])  # C never speaks: its links are not confirmed
    assert "C" not in net.routes("A")


@pytest.mark.parametrize(
    ("links", "error", "message"),
    [
        ([("A", "B", -3)], ValueError, "-3"),
        ([("A", "B", 65536)], ValueError, "65536"),
        ([("A", "B", False)], TypeError, "False"),
        ([("A", "B", math.inf)], TypeError, "inf"),
    ],
)
def test_link_state_bad_input(links: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        LinkStateNetwork(links)


def test_link_state_routes_before_flooding() -> None:
    with pytest.raises(KeyError, match="flood"):
        LinkStateNetwork(CHAIN).routes("A")


def test_ospf_cost_cisco_defaults() -> None:
    # Cisco IOS: cost = 10^8 / bandwidth in bit/s; 100 Mb/s and faster all cost 1.
    assert [ospf_cost(b) for b in (56_000, 1_544_000, 10e6, 100e6, 1e9, 40e9)] == [
        1785,
        64,
        10,
        1,
        1,
        1,
    ]
    assert ospf_cost(1, reference=1e12) == 65535


@pytest.mark.parametrize(
    ("bw", "error"),
    [(math.nan, ValueError), (-1e6, ValueError), (True, TypeError), ("1G", TypeError)],
)
def test_ospf_cost_bad_input(bw: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=repr(bw) if not isinstance(bw, float) else "got"):
        ospf_cost(bw)


def test_dr_election_priority_then_highest_router_id() -> None:
    assert elect_dr({"192.168.1.1": 1, "10.0.0.9": 1, "9.9.9.9": 1}) == ("192.168.1.1", "10.0.0.9")
    assert elect_dr({"1.1.1.1": 5, "9.9.9.9": 1}) == ("1.1.1.1", "9.9.9.9")
    assert elect_dr({"1.1.1.1": 0}) == (None, None)
    with pytest.raises(ValueError, match="'router-1'"):
        elect_dr({"router-1": 1})
    with pytest.raises(TypeError, match="True"):
        elect_dr({"1.1.1.1": True})


def test_router_roles() -> None:
    assert router_roles({"A": [0, 0]}) == {"A": "backbone"}
    with pytest.raises(ValueError, match=r"\[1, 2\]"):
        router_roles({"X": [1, 2]})
    with pytest.raises(ValueError, match="none"):
        router_roles({"X": []})


@pytest.mark.parametrize(
    ("better", "worse", "step"),
    [
        (BgpPath(as_path=(1, 2, 3), weight=100), BgpPath(as_path=(1,)), "weight"),
        (BgpPath(as_path=(1, 2, 3), local_pref=200), BgpPath(as_path=(1,)), "local preference"),
        (
            BgpPath(locally_originated=True, as_path=(5, 6)),
            BgpPath(as_path=(1,)),
            "locally originated",
        ),
        (BgpPath(as_path=(1,), origin="incomplete"), BgpPath(as_path=(2, 3)), "as-path length"),
        (
            BgpPath(as_path=(1,), origin="egp", med=99),
            BgpPath(as_path=(1,), origin="incomplete"),
            "origin",
        ),
        (BgpPath(as_path=(1,), med=5, ebgp=False), BgpPath(as_path=(1,), med=6), "MED"),
        (BgpPath(as_path=(1,), med=9), BgpPath(as_path=(2,), med=5, ebgp=False), "eBGP over iBGP"),
        (
            BgpPath(as_path=(1,), ebgp=False, igp_metric=5, router_id="9.9.9.9"),
            BgpPath(as_path=(1,), ebgp=False, igp_metric=7),
            "IGP metric to next hop",
        ),
        (
            BgpPath(as_path=(1,), received=1, router_id="9.9.9.9"),
            BgpPath(as_path=(1,), received=2),
            "oldest path",
        ),
        (
            # 9.0.0.1 < 10.0.0.1 as numbers, though not as strings.
            BgpPath(as_path=(1,), ebgp=False, router_id="9.0.0.1"),
            BgpPath(as_path=(1,), ebgp=False, router_id="10.0.0.1"),
            "router ID",
        ),
    ],
)
def test_bgp_each_step_decides_in_cisco_order(better: BgpPath, worse: BgpPath, step: str) -> None:
    for a, b in ((better, worse), (worse, better)):
        winner, decided = compare_paths(a, b)
        assert (winner, decided) == (better, step)


def test_bgp_best_path_and_ties() -> None:
    paths = [
        BgpPath(as_path=(1, 2), name="a"),
        BgpPath(as_path=(3,), med=1, name="b"),
        BgpPath(as_path=(4,), med=7, router_id="1.1.1.1", name="c"),
    ]
    # b and c come from different neighbour ASes: MED is skipped, router ID decides.
    assert best_path(paths).name == "c"
    with pytest.raises(ValueError, match="tie"):
        compare_paths(BgpPath(as_path=(1,)), BgpPath(as_path=(1,)))
    assert loop_free(65001, BgpPath(as_path=(65002,)))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"weight": -1}, ValueError, "-1"),
        ({"weight": 1.0}, TypeError, "1.0"),
        ({"med": math.nan}, TypeError, "nan"),
        ({"local_pref": True}, TypeError, "True"),
        ({"as_path": [1, 2]}, TypeError, r"\[1, 2\]"),
        ({"as_path": (0,)}, ValueError, "got 0"),
        ({"origin": "IGP"}, ValueError, "'IGP'"),
        ({"ebgp": 1}, TypeError, "1"),
        ({"router_id": "r1"}, ValueError, "'r1'"),
    ],
)
def test_bgp_path_bad_input(kwargs: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        BgpPath(**kwargs)


def test_administrative_distance_picks_the_source_then_metric() -> None:
    routes = install(
        [
            Candidate("10.0.0.0/8", "RIP", "r2", metric=1),
            Candidate("10.0.0.0/8", "OSPF", "r1", metric=20),
            Candidate("10.0.0.0/8", "OSPF", "r4", metric=10),
            Candidate("10.0.0.0/8", "static", "r3", distance=130),
            Candidate("192.0.2.0/24", "static", "r5", distance=130),
            Candidate("198.51.100.0/24", "unknown", "r6"),
        ]
    )
    assert routes["10.0.0.0/8"].next_hop == "r4"
    assert routes["192.0.2.0/24"].next_hop == "r5"  # floating static, alone
    assert "198.51.100.0/24" not in routes  # distance 255 is never installed
    assert [
        Candidate("0.0.0.0/0", s, "x").distance for s in ("connected", "static", "eBGP", "iBGP")
    ] == [0, 1, 20, 200]


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (("10.0.0.1/8", "OSPF", "r1"), {}, ValueError, "'10.0.0.1/8'"),
        (("10.0.0.0/8", "BGP", "r1"), {}, ValueError, "'BGP'"),
        (("10.0.0.0/8", "OSPF", "r1"), {"distance": 256}, ValueError, "256"),
        (("10.0.0.0/8", "OSPF", "r1"), {"metric": True}, TypeError, "True"),
    ],
)
def test_candidate_bad_input(
    args: tuple[str, str, str], kwargs: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        Candidate(*args, **kwargs)


def test_install_rejects_non_candidates() -> None:
    with pytest.raises(TypeError, match="'10.0.0.0/8'"):
        install(["10.0.0.0/8"])  # type: ignore[list-item]


def test_count_after_failure_validates_before_failing_the_link() -> None:
    net = DistanceVectorNetwork(CHAIN)
    net.converge()
    with pytest.raises(KeyError, match="'Z'"):
        net.count_after_failure("B", "C", "Z")
    with pytest.raises(TypeError, match="True"):
        net.count_after_failure("B", "C", "C", max_rounds=True)
    with pytest.raises(ValueError, match="got 0"):
        net.count_after_failure("B", "C", "C", max_rounds=0)
    assert net.route("B", "C") == Route(1, "C")  # the link is still up
    assert len(net.count_after_failure("B", "C", "C")) == 15


def test_flood_rejects_an_unknown_router_and_floods_nothing() -> None:
    net = LinkStateNetwork(CHAIN)
    with pytest.raises(KeyError, match="unknown router 'Z'"):
        net.flood(["A", "Z"])
    assert all(db == {} for db in net.databases.values())


def test_ospf_cost_extremes_and_bad_containers() -> None:
    assert ospf_cost(1e-300, reference=1e308) == 65535  # ref / bw overflows to inf
    with pytest.raises(TypeError, match="priority"):
        elect_dr([("1.1.1.1", 1)])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="collection of ints"):
        router_roles({"R1": 0})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="4294967296"):
        router_roles({"R1": [2**32]})


def test_install_treats_spellings_of_one_prefix_as_one() -> None:
    routes = install(
        [
            Candidate("2001:0db8::/32", "RIP", "r2"),
            Candidate("2001:db8::/32", "OSPF", "r1"),
            Candidate("10.0.0.0/255.0.0.0", "static", "r3"),
            Candidate("10.0.0.0/8", "OSPF", "r4"),
        ]
    )
    assert {p: c.next_hop for p, c in routes.items()} == {"2001:db8::/32": "r1", "10.0.0.0/8": "r3"}


def test_med_makes_pairwise_selection_depend_on_arrival_order() -> None:
    # Why Cisco has "bgp deterministic-med": MED is compared only within one
    # neighbouring AS, so the pairwise comparison is not transitive.
    a = BgpPath(as_path=(1,), med=10, ebgp=False, igp_metric=5, router_id="1.1.1.1", name="a")
    b = BgpPath(as_path=(2,), ebgp=False, igp_metric=10, router_id="2.2.2.2", name="b")
    c = BgpPath(as_path=(1,), ebgp=False, igp_metric=20, router_id="3.3.3.3", name="c")
    assert compare_paths(a, b)[0] is a  # IGP metric
    assert compare_paths(b, c)[0] is b  # IGP metric (different neighbour AS: no MED)
    assert compare_paths(c, a)[0] is c  # MED: a cycle a > b > c > a
    assert best_path([a, b, c]).name == "c"
    assert best_path([c, b, a]).name == "a"
    with pytest.raises(TypeError, match="BgpPath"):
        best_path([a, "b"])  # type: ignore[list-item]
