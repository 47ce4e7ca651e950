"""Routing protocols: longest-prefix match, distance vector, link state, OSPF, BGP.

A router answers one question per packet, "which neighbour next?", by the
longest prefix that matches the destination (:mod:`~.lpm`). The routes come
from static configuration or from a routing protocol: distance vector (RIP,
:mod:`~.distance_vector`: Bellman-Ford between neighbours, count to infinity,
split horizon), link state (OSPF, :mod:`~.link_state` and :mod:`~.ospf`:
flood the topology, run Dijkstra, areas and DR/BDR) or path vector between
autonomous systems (BGP, :mod:`~.bgp`). When several sources offer one
prefix, administrative distance picks the source (:mod:`~.selection`).
Interviewers ask because "what happens to a packet" ends here, and because
the three families trade exactly what distributed systems trade: local
knowledge and slow convergence against global state and flooding cost.

Invariants: lookup returns the next hop of the longest matching prefix;
converged distance vectors equal Bellman-Ford distances; every link-state
router computes routes from an identical database.

===========================  ==================================  ==============
operation                    answers                             cost
===========================  ==================================  ==============
RoutingTable.lookup          next hop by longest prefix match    O(W), W = 32
DistanceVectorNetwork.step   one round of vector exchange        O(V * E)
LinkStateNetwork.flood       identical databases everywhere      O(V * E) msgs
LinkStateNetwork.routes      SPF from one router                 O((V+E) log V)
best_path                    BGP best of n paths                 O(n)
===========================  ==================================  ==============

>>> table = RoutingTable()
>>> table.add("0.0.0.0/0", "isp"); table.add("10.1.0.0/16", "branch")
>>> table.lookup("10.1.2.3"), table.lookup("192.0.2.1")
('branch', 'isp')

Primary sources: RFC 2453 (RIP version 2), RFC 2328 (OSPF version 2),
RFC 4271 (BGP-4), RFC 4456 (route reflection), RFC 1812 (requirements for
IPv4 routers: longest match), Cisco's "BGP Best Path Selection Algorithm"
and "What Is Administrative Distance?".
"""

from __future__ import annotations

from typing import TextIO

from studybook.networking.routing.bgp import ORIGINS, BgpPath, best_path, compare_paths, loop_free
from studybook.networking.routing.distance_vector import (
    RIP_INFINITY,
    RIP_UPDATE_SECONDS,
    SPLIT_HORIZON_MODES,
    DistanceVectorNetwork,
    Route,
)
from studybook.networking.routing.link_state import LSA, LinkStateNetwork, SpfRoute
from studybook.networking.routing.lpm import RoutingTable
from studybook.networking.routing.ospf import (
    DEFAULT_REFERENCE_BANDWIDTH,
    OSPF_TIMERS,
    elect_dr,
    ospf_cost,
    router_roles,
)
from studybook.networking.routing.selection import ADMINISTRATIVE_DISTANCE, Candidate, install

__all__ = [
    "ADMINISTRATIVE_DISTANCE",
    "CHAIN",
    "DEFAULT_REFERENCE_BANDWIDTH",
    "LSA",
    "ORIGINS",
    "OSPF_TIMERS",
    "RIP_INFINITY",
    "RIP_UPDATE_SECONDS",
    "SPLIT_HORIZON_MODES",
    "TRIANGLE",
    "BgpPath",
    "Candidate",
    "DistanceVectorNetwork",
    "LinkStateNetwork",
    "Route",
    "RoutingTable",
    "SpfRoute",
    "best_path",
    "compare_paths",
    "count_to_infinity",
    "demo",
    "elect_dr",
    "install",
    "loop_free",
    "ospf_cost",
    "router_roles",
]

CHAIN: list[tuple[str, str, int]] = [("A", "B", 1), ("B", "C", 1)]
"""The classic chain A - B - C; the demo fails B-C and watches A and B reach C."""
TRIANGLE: list[tuple[str, str, int]] = [("A", "B", 1), ("B", "C", 1), ("A", "C", 1), ("C", "D", 1)]
"""A loop of three routers A, B, C with D behind C; the demo fails C-D."""


def count_to_infinity(
    links: list[tuple[str, str, int]], failed: tuple[str, str], dest: str, mode: str
) -> tuple[int, int]:
    """Converge, fail a link, converge again; return (rounds, highest finite metric seen).

    The rounds count how many update intervals the network needed after the
    failure (multiply by :data:`RIP_UPDATE_SECONDS` for RIP's wall-clock time).

    >>> count_to_infinity(CHAIN, ("B", "C"), "C", "none")
    (14, 15)
    >>> count_to_infinity(CHAIN, ("B", "C"), "C", "poison-reverse")
    (1, 2)
    """
    net = DistanceVectorNetwork(links, mode=mode)
    net.converge()
    history = net.count_after_failure(*failed, dest)
    highest = max(m for snapshot in history for m in snapshot.values() if m < net.infinity)
    return len(history) - 1, highest


def demo(out: TextIO) -> None:
    """Run each model once and narrate the results to ``out``.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    Longest prefix match over 0.0.0.0/0, 10.0.0.0/8, 10.1.0.0/16, 10.1.2.3/32
      10.1.2.3    -> server
      10.1.2.4    -> branch
      10.200.0.1  -> core
      192.0.2.1   -> isp
    <BLANKLINE>
    Distance vector after a link failure (RIP: infinity 16, one round = 30 s)
    topology         rule              rounds  seconds  highest metric
    chain A-B-C      none                  14      420              15
    chain A-B-C      split-horizon          1       30               2
    chain A-B-C      poison-reverse         1       30               2
    triangle + D     none                  14      420              15
    triangle + D     split-horizon         14      420              15
    triangle + D     poison-reverse        14      420              15
    <BLANKLINE>
    Link state: 4 routers flood 28 LSA messages; routes from R1:
      R1: cost 0, next hops -
      R3: cost 1, next hops R3
      R2: cost 2, next hops R3
      R4: cost 2, next hops R3
    <BLANKLINE>
    OSPF cost, reference 100 Mb/s: T1 64, 10M 10, 100M 1, 1G 1, 10G 1
    OSPF cost, reference 100 Gb/s: T1 64766, 10M 10000, 100M 1000, 1G 100, 10G 10
    <BLANKLINE>
    BGP: long, short-med50, short-med10-ibgp -> best short-med10-ibgp
      short-med50 vs short-med10-ibgp: short-med10-ibgp wins on MED
    """
    table = RoutingTable()
    for prefix, hop in [
        ("0.0.0.0/0", "isp"),
        ("10.0.0.0/8", "core"),
        ("10.1.0.0/16", "branch"),
        ("10.1.2.3/32", "server"),
    ]:
        table.add(prefix, hop)
    out.write("Longest prefix match over " + ", ".join(p for p, _ in table.routes()) + "\n")
    for address in ("10.1.2.3", "10.1.2.4", "10.200.0.1", "192.0.2.1"):
        out.write(f"  {address:<11} -> {table.lookup(address)}\n")
    out.write("\nDistance vector after a link failure (RIP: infinity 16, one round = 30 s)\n")
    out.write("topology         rule              rounds  seconds  highest metric\n")
    for name, links, failed, dest in (
        ("chain A-B-C", CHAIN, ("B", "C"), "C"),
        ("triangle + D", TRIANGLE, ("C", "D"), "D"),
    ):
        for mode in SPLIT_HORIZON_MODES:
            rounds, highest = count_to_infinity(links, failed, dest, mode)
            seconds = rounds * RIP_UPDATE_SECONDS
            out.write(f"{name:<16} {mode:<16} {rounds:>7} {seconds:>8} {highest:>15}\n")
    ls = LinkStateNetwork(
        [("R1", "R2", 10), ("R2", "R3", 1), ("R1", "R3", 1), ("R3", "R4", 1), ("R2", "R4", 1)]
    )
    messages = ls.flood()
    out.write(f"\nLink state: 4 routers flood {messages} LSA messages; routes from R1:\n")
    for dest, route in ls.routes("R1").items():
        out.write(f"  {dest}: cost {route.cost}, next hops {', '.join(route.next_hops) or '-'}\n")
    out.write("\nOSPF cost, reference 100 Mb/s: ")
    out.write(", ".join(f"{label} {ospf_cost(bw)}" for label, bw in _SPEEDS) + "\n")
    out.write("OSPF cost, reference 100 Gb/s: ")
    out.write(", ".join(f"{label} {ospf_cost(bw, 100e9)}" for label, bw in _SPEEDS) + "\n")
    paths = [
        BgpPath(as_path=(65010, 65020, 65030), name="long"),
        BgpPath(as_path=(65040, 65030), med=50, name="short-med50"),
        BgpPath(as_path=(65040, 65030), med=10, ebgp=False, name="short-med10-ibgp"),
    ]
    out.write("\nBGP: " + ", ".join(p.name for p in paths) + f" -> best {best_path(paths).name}\n")
    winner, step = compare_paths(paths[1], paths[2])
    out.write(f"  {paths[1].name} vs {paths[2].name}: {winner.name} wins on {step}\n")


_SPEEDS = (("T1", 1_544_000), ("10M", 10e6), ("100M", 100e6), ("1G", 1e9), ("10G", 10e9))
