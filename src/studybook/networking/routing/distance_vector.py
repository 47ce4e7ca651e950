"""Distance-vector routing (RIP): synchronous rounds of Bellman-Ford between neighbours.

Every router knows only its own links. Once per round (RIP: every 30 s, RFC
2453 section 3.8) each router sends its whole table, destination -> metric,
to each neighbour; each router then recomputes every route as the best
``link cost + advertised metric`` over its neighbours (the distributed
Bellman-Ford of Bertsekas and Gallager, *Data Networks*, section 5.2.4).
RIP counts hops and calls 16 *infinity*: a route with metric 16 is
unreachable, which caps how long a routing loop can count upward.

Three advertisement rules (RFC 2453 section 3.4.3):

* ``"none"``: advertise every route to every neighbour. After a link fails
  two routers can each believe the other still has a path and *count to
  infinity*, one round at a time.
* ``"split-horizon"``: never advertise a route back to the neighbour it was
  learned from.
* ``"poison-reverse"``: advertise it back with metric infinity, so the
  neighbour drops the route at once. This stops loops of two routers but not
  loops of three or more (RFC 2453 section 3.4.4 says so; the chapter's
  triangle shows it).

Invariant: a router's metric to itself is 0, every other metric is in
``[1, infinity]``, and a route with metric < infinity names a neighbour as
next hop; after convergence, with no failures, every metric equals the
Bellman-Ford distance capped at infinity.

Complexity: one round is O(sum of degrees * routers) = O(E * V) work;
convergence takes at most V - 1 rounds without failures, and up to about
``infinity`` rounds while counting to infinity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from studybook._validate import check_int, check_str

__all__ = [
    "RIP_INFINITY",
    "RIP_UPDATE_SECONDS",
    "SPLIT_HORIZON_MODES",
    "DistanceVectorNetwork",
    "Route",
]

RIP_INFINITY = 16
"""RIP's unreachable metric (RFC 2453 section 3.6)."""
RIP_UPDATE_SECONDS = 30
"""RIP's periodic update interval (RFC 2453 section 3.8)."""
#: The update rules a router can apply (none, split horizon, or poison reverse).
SPLIT_HORIZON_MODES = ("none", "split-horizon", "poison-reverse")


@dataclass(frozen=True)
class Route:
    """One entry of a distance-vector table: the metric and the neighbour to send to."""

    metric: int
    next_hop: str | None


class DistanceVectorNetwork:
    """Routers on weighted undirected links, exchanging distance vectors in rounds.

    Args:
        links: ``(router, router, cost)`` triples; costs are ints >= 1 (RIP uses 1).
        mode: one of :data:`SPLIT_HORIZON_MODES`.
        infinity: the metric that means unreachable (RIP: 16).

    Raises:
        TypeError: a router name is not a str, or a cost is not an int (``bool`` too).
        ValueError: a cost below 1, a self-loop, a duplicate link, an unknown mode.

    >>> net = DistanceVectorNetwork([("A", "B", 1), ("B", "C", 1)])
    >>> net.converge()
    2
    >>> net.route("A", "C")
    Route(metric=2, next_hop='B')
    >>> DistanceVectorNetwork([("A", "B", -1)])
    Traceback (most recent call last):
        ...
    ValueError: cost of link A-B must be >= 1, got -1
    """

    def __init__(
        self,
        links: Iterable[tuple[str, str, int]],
        *,
        mode: str = "none",
        infinity: int = RIP_INFINITY,
    ) -> None:
        if mode not in SPLIT_HORIZON_MODES:
            raise ValueError(f"mode must be one of {SPLIT_HORIZON_MODES}, got {mode!r}")
        self.mode = mode
        self.infinity = check_int(infinity, "infinity", minimum=2)
        self._cost: dict[str, dict[str, int]] = {}
        for u, v, cost in links:
            check_str(u, "router", nonempty=True)
            check_str(v, "router", nonempty=True)
            check_int(cost, f"cost of link {u}-{v}", minimum=1)
            if u == v:
                raise ValueError(f"a link needs two routers, got {u!r}-{v!r}")
            if v in self._cost.get(u, {}):
                raise ValueError(f"duplicate link {u!r}-{v!r}")
            self._cost.setdefault(u, {})[v] = cost
            self._cost.setdefault(v, {})[u] = cost
        self.routers = sorted(self._cost)
        self._table: dict[str, dict[str, Route]] = {
            r: {d: Route(0, None) if d == r else Route(self.infinity, None) for d in self.routers}
            for r in self.routers
        }
        self.rounds = 0

    def advertisement(self, sender: str, receiver: str) -> dict[str, int]:
        """The vector ``sender`` sends ``receiver`` this round, after the split-horizon rule.

        >>> net = DistanceVectorNetwork([("A", "B", 1), ("B", "C", 1)], mode="poison-reverse")
        >>> _ = net.converge()
        >>> net.advertisement("A", "B")
        {'A': 0, 'B': 16, 'C': 16}
        """
        vector = {}
        for dest, route in self._table[sender].items():
            if route.next_hop == receiver and self.mode == "split-horizon":
                continue
            if route.next_hop == receiver and self.mode == "poison-reverse":
                vector[dest] = self.infinity
            else:
                vector[dest] = route.metric
        return vector

    def step(self) -> bool:
        """Run one synchronous round; return whether any route changed.

        Complexity: O(E * V).
        """
        inbox = {
            r: {n: self.advertisement(n, r) for n in self._cost[r] if n in self._cost}
            for r in self.routers
        }
        changed = False
        new_tables = {}
        for r in self.routers:
            table = {}
            for dest in self.routers:
                old = self._table[r][dest]
                table[dest] = old if dest == r else self._best(r, dest, inbox[r], old)
                changed |= table[dest] != old
            new_tables[r] = table
        self._table = new_tables
        self.rounds += 1
        return changed

    def _best(self, router: str, dest: str, inbox: dict[str, dict[str, int]], old: Route) -> Route:
        best = Route(self.infinity, None)
        for neighbour in sorted(inbox):
            metric = min(
                self.infinity,
                self._cost[router][neighbour] + inbox[neighbour].get(dest, self.infinity),
            )
            # Ties keep the current next hop (as RIP does), else the first neighbour by name.
            tie_keeps_old = metric == best.metric and neighbour == old.next_hop
            if metric < best.metric or tie_keeps_old:
                best = Route(metric, neighbour)
        return best if best.metric < self.infinity else Route(self.infinity, None)

    def converge(self, max_rounds: int = 100) -> int:
        """Run rounds until nothing changes; return how many rounds changed something.

        Raises:
            RuntimeError: still changing after ``max_rounds`` rounds.
            TypeError, ValueError: ``max_rounds`` is not an int >= 1.
        """
        check_int(max_rounds, "max_rounds", minimum=1)
        for done in range(max_rounds):
            if not self.step():
                return done
        raise RuntimeError(f"no convergence after {max_rounds} rounds")

    def fail_link(self, u: str, v: str) -> None:
        """Take the link ``u``-``v`` down; both ends drop the routes that used it.

        Raises:
            KeyError: no such link.
        """
        if v not in self._cost.get(u, {}):
            raise KeyError(f"no link {u!r}-{v!r}")
        del self._cost[u][v], self._cost[v][u]
        for here, there in ((u, v), (v, u)):
            for dest, route in self._table[here].items():
                if route.next_hop == there:
                    self._table[here][dest] = Route(self.infinity, None)

    def route(self, router: str, dest: str) -> Route:
        """Return ``router``'s current route to ``dest``.

        Raises:
            KeyError: an unknown router name.
        """
        if router not in self._table or dest not in self._table:
            raise KeyError(f"unknown router {router if router not in self._table else dest!r}")
        return self._table[router][dest]

    def metrics_to(self, dest: str) -> dict[str, int]:
        """Every router's metric to ``dest``, by router name."""
        return {r: self.route(r, dest).metric for r in self.routers}

    def count_after_failure(
        self, u: str, v: str, dest: str, max_rounds: int = 100
    ) -> list[dict[str, int]]:
        """Fail ``u``-``v`` and record every router's metric to ``dest`` after each round.

        Returns:
            One snapshot per round until a round changes nothing (the first
            snapshot is the state just after the failure).

        Raises:
            KeyError: no such link or an unknown ``dest`` (checked before the link fails).
            TypeError, ValueError: ``max_rounds`` is not an int >= 1.
            RuntimeError: still changing after ``max_rounds`` rounds.

        >>> net = DistanceVectorNetwork([("A", "B", 1), ("B", "C", 1)])
        >>> _ = net.converge()
        >>> history = net.count_after_failure("B", "C", "C")
        >>> [(h["A"], h["B"]) for h in history[:5]], len(history) - 1
        ([(2, 16), (16, 3), (4, 16), (16, 5), (6, 16)], 14)
        """
        check_int(max_rounds, "max_rounds", minimum=1)
        self.route(dest, dest)  # an unknown destination fails here, before the link goes down
        self.fail_link(u, v)
        history = [self.metrics_to(dest)]
        for _ in range(max_rounds):
            if not self.step():
                return history
            history.append(self.metrics_to(dest))
        raise RuntimeError(f"no convergence after {max_rounds} rounds")
