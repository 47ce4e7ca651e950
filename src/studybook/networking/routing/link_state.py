"""Link-state routing (OSPF's core): flood every router's links, then run Dijkstra locally.

Each router describes only its own links in a link-state advertisement (LSA:
router, sequence number, ``(neighbour, cost)`` pairs) and *floods* it: a
router that receives an LSA newer than the copy it holds installs it and
sends it on every other link; an older or equal copy is dropped, which is
what makes flooding stop (RFC 2328 section 13). When flooding is done every
router holds the same link-state database, builds the same graph and runs
the same shortest-path-first computation (Dijkstra) with itself as the root,
so their routes agree and no loop forms once they have converged.

The graph uses a link only if *both* ends report it (RFC 2328 section
16.1, step 2: the two-way check), so one stale LSA cannot invent a path.
Shortest paths come from :func:`studybook.dsa.graph_algorithms.shortest_paths.dijkstra`;
equal-cost paths give several next hops (ECMP), as OSPF installs them.

Invariant: after :meth:`LinkStateNetwork.flood`, every router's database
equals every other's; a next hop ``n`` for destination ``d`` satisfies
``cost(self, n) + dist(n, d) == dist(self, d)``.

Complexity: flooding sends O(E) messages per LSA, O(V * E) in all; SPF is
O((V + E) log V) per root, and next hops here cost one Dijkstra per
neighbour on top.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from studybook._validate import check_int, check_str
from studybook.dsa.graph_algorithms import dijkstra

__all__ = ["LSA", "LinkStateNetwork", "SpfRoute"]


@dataclass(frozen=True)
class LSA:
    """A router LSA: who sent it, how new it is, and its links as ``(neighbour, cost)``."""

    router: str
    sequence: int
    links: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class SpfRoute:
    """An SPF result: total cost and every equal-cost next hop, sorted."""

    cost: int
    next_hops: tuple[str, ...]


class LinkStateNetwork:
    """Routers that flood LSAs over their links and compute routes with SPF.

    Args:
        links: ``(router, router, cost)`` triples; costs are ints >= 1 (OSPF: 1 to 65535).

    Raises:
        TypeError: a router is not a str, or a cost is not an int (``bool`` too).
        ValueError: a cost below 1 or above 65535, a self-loop, a duplicate link.

    >>> net = LinkStateNetwork([("A", "B", 1), ("B", "C", 1), ("A", "C", 5)])
    >>> net.flood()
    12
    >>> for dest, route in net.routes("A").items():
    ...     print(dest, route)
    A SpfRoute(cost=0, next_hops=())
    B SpfRoute(cost=1, next_hops=('B',))
    C SpfRoute(cost=2, next_hops=('B',))
    """

    def __init__(self, links: Iterable[tuple[str, str, int]]) -> None:
        self._cost: dict[str, dict[str, int]] = {}
        for u, v, cost in links:
            check_str(u, "router", nonempty=True)
            check_str(v, "router", nonempty=True)
            check_int(cost, f"cost of link {u}-{v}", minimum=1, maximum=65535)
            if u == v:
                raise ValueError(f"a link needs two routers, got {u!r}-{v!r}")
            if v in self._cost.get(u, {}):
                raise ValueError(f"duplicate link {u!r}-{v!r}")
            self._cost.setdefault(u, {})[v] = cost
            self._cost.setdefault(v, {})[u] = cost
        self.routers = sorted(self._cost)
        self._sequence = dict.fromkeys(self.routers, 0)
        self.databases: dict[str, dict[str, LSA]] = {r: {} for r in self.routers}

    def originate(self, router: str) -> LSA:
        """Build ``router``'s next LSA from its current links (sequence number + 1)."""
        self._sequence[router] += 1
        links = tuple(sorted(self._cost[router].items()))
        return LSA(router, self._sequence[router], links)

    def flood(self, routers: Iterable[str] | None = None) -> int:
        """Each of ``routers`` (default: all) originates an LSA; flood until quiet.

        Returns:
            The number of LSA messages sent on links (a router hands its own LSA
            to itself without a message).

        Raises:
            KeyError: an unknown router name (nothing is flooded then).
        """
        origins = list(self.routers if routers is None else routers)
        for r in origins:
            if r not in self._cost:
                raise KeyError(f"unknown router {r!r}")
        messages = 0
        queue: deque[tuple[str, str | None, LSA]] = deque()
        for r in origins:
            queue.append((r, None, self.originate(r)))
        while queue:
            at, came_from, lsa = queue.popleft()
            held = self.databases[at].get(lsa.router)
            if held is not None and held.sequence >= lsa.sequence:
                continue
            self.databases[at][lsa.router] = lsa
            for neighbour in sorted(self._cost[at]):
                if neighbour != came_from:
                    queue.append((neighbour, at, lsa))
                    messages += 1
        return messages

    def fail_link(self, u: str, v: str) -> int:
        """Take ``u``-``v`` down; both ends re-originate and flood. Returns messages sent."""
        if v not in self._cost.get(u, {}):
            raise KeyError(f"no link {u!r}-{v!r}")
        del self._cost[u][v], self._cost[v][u]
        return self.flood([u, v])

    def graph(self, router: str) -> dict[str, dict[str, int]]:
        """The graph ``router`` builds from its database: links both ends report."""
        database = self.databases[router]
        reported = {lsa.router: dict(lsa.links) for lsa in database.values()}
        return {
            u: {v: c for v, c in links.items() if u in reported.get(v, {})}
            for u, links in reported.items()
        }

    def routes(self, router: str) -> dict[str, SpfRoute]:
        """Run SPF rooted at ``router`` over its own database.

        Returns:
            destination -> :class:`SpfRoute`, in order of increasing cost;
            unreachable routers are absent.

        Raises:
            KeyError: ``router`` is unknown or has no database yet (flood first).
        """
        if router not in self.databases or router not in self.databases[router]:
            raise KeyError(f"router {router!r} has no link-state database; call flood() first")
        graph = self.graph(router)
        dist = dijkstra(graph, router)
        from_neighbour = {n: dijkstra(graph, n) for n in graph[router]}
        result = {}
        for dest, d in dist.items():
            hops = tuple(
                n
                for n in sorted(graph[router])
                if dest in from_neighbour[n] and graph[router][n] + from_neighbour[n][dest] == d
            )
            result[dest] = SpfRoute(int(d), () if dest == router else hops)
        return result
