"""News-feed fan-out on write, on read, and the hybrid, measured on a skewed follower graph.

Real follower counts follow a power law: a few accounts have millions of
followers, most have a handful. :func:`zipf_follower_graph` builds such a
graph (each follow picks its target with probability proportional to
``1 / rank**exponent``), and :class:`FeedSystem` serves the same feed three
ways while counting store operations:

- ``"push"`` (fan-out on write): a post is written to every follower's inbox;
  a feed read is one inbox read. Writes per post = followers.
- ``"pull"`` (fan-out on read): a post is written once; a feed read fetches
  the outbox of every account the reader follows. Reads per feed = followees.
- ``"hybrid"``: push for ordinary authors, pull for celebrities (at least
  ``celebrity_threshold`` followers), merged at read time.

Every strategy returns the same feed (a test checks it against a brute force);
only the cost moves, and :func:`measure_fanout` measures where.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from studybook._validate import check_int, check_real

__all__ = [
    "STRATEGIES",
    "FanoutStats",
    "FeedSystem",
    "FollowerGraph",
    "measure_fanout",
    "zipf_follower_graph",
]

Strategy = Literal["push", "pull", "hybrid"]
STRATEGIES: tuple[Strategy, ...] = ("push", "pull", "hybrid")


@dataclass(frozen=True)
class FollowerGraph:
    """``followers[u]``: who follows u; ``following[u]``: whom u follows (sorted tuples)."""

    followers: tuple[tuple[int, ...], ...]
    following: tuple[tuple[int, ...], ...]

    @property
    def users(self) -> int:
        """Number of users."""
        return len(self.followers)


def zipf_follower_graph(
    users: int, follows: int, *, exponent: float = 1.0, seed: int = 0
) -> FollowerGraph:
    """Build a graph where each user follows ``follows`` others, popular ones more often.

    User ``r`` (rank r + 1) is picked as a target with probability proportional
    to ``1 / (r + 1) ** exponent``, so user 0 is the celebrity.

    Targets are drawn with replacement and duplicates redrawn, which is fast
    while ``follows`` is small next to ``users``. When redraws stall (a steep
    exponent with ``follows`` near ``users``: the last unchosen targets are
    almost never drawn), the rest are picked by exact weighted sampling
    without replacement (Efraimidis and Spirakis: smallest ``Exp(1) / weight``).

    Raises:
        ValueError: ``users < 2``, ``follows`` outside 0..users - 1, more than
            10**7 follows in all, ``exponent`` negative, NaN or infinite.
        TypeError: wrong types (``bool`` included).

    Complexity: O(users * follows) expected while follows is small next to
    users; at worst O(users**2 log users).

    >>> g = zipf_follower_graph(1000, 10, seed=1)
    >>> len(g.followers[0]), len(g.followers[999]), len(g.following[5])
    (778, 1, 10)
    """
    check_int(users, "users", minimum=2, maximum=10**6)
    check_int(follows, "follows", minimum=0, maximum=users - 1)
    if users * follows > 10**7:
        raise ValueError(f"users * follows must be at most 10**7, got {users} * {follows}")
    s = check_real(exponent, "exponent", low=0, high=10)
    check_int(seed, "seed")
    rng = random.Random(seed)  # noqa: S311 - a seeded graph, not crypto
    cumulative = list(itertools.accumulate(1 / (r + 1) ** s for r in range(users)))
    following: list[tuple[int, ...]] = []
    followers: list[list[int]] = [[] for _ in range(users)]
    population = range(users)
    for u in population:
        chosen: set[int] = set()
        draws = 0
        while len(chosen) < follows:
            if draws > 4 * follows + 100:  # stalled: finish exactly, without redraws
                chosen |= _weighted_sample(users, s, follows - len(chosen), chosen | {u}, rng)
                break
            batch = rng.choices(population, cum_weights=cumulative, k=follows - len(chosen))
            draws += len(batch)
            chosen.update(v for v in batch if v != u)
        following.append(tuple(sorted(chosen)))
        for v in chosen:
            followers[v].append(u)
    return FollowerGraph(tuple(tuple(sorted(f)) for f in followers), tuple(following))


def _weighted_sample(
    users: int, exponent: float, k: int, excluded: set[int], rng: random.Random
) -> set[int]:
    keyed = (
        (rng.expovariate(1.0) * (v + 1) ** exponent, v) for v in range(users) if v not in excluded
    )
    return {v for _, v in heapq.nsmallest(k, keyed)}


class FeedSystem:
    """A feed service with one fan-out strategy, counting store writes and reads.

    Args:
        graph: the follower graph.
        strategy: ``"push"``, ``"pull"`` or ``"hybrid"``.
        celebrity_threshold: followers from which the hybrid pulls instead of pushing.

    Raises:
        ValueError, TypeError: bad arguments.

    Complexity: post O(followers) push, O(1) pull; feed O(1 + F log F) push,
    O(followees + F log F) pull, for F posts gathered.

    >>> g = FollowerGraph(followers=((1, 2), (2,), ()), following=((), (0,), (0, 1)))
    >>> push, pull = FeedSystem(g, "push"), FeedSystem(g, "pull")
    >>> [(system.post(0, 100), system.post(1, 101)) for system in (push, pull)]
    [(3, 2), (1, 1)]
    >>> push.feed(2), pull.feed(2)
    ([101, 100], [101, 100])
    >>> (push.writes, push.reads), (pull.writes, pull.reads)
    ((5, 1), (2, 2))
    """

    def __init__(
        self, graph: FollowerGraph, strategy: Strategy, *, celebrity_threshold: int = 100
    ) -> None:
        if not isinstance(graph, FollowerGraph):
            raise TypeError(f"graph must be a FollowerGraph, got {graph!r}")
        if strategy not in STRATEGIES:
            raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
        self.graph = graph
        self.strategy = strategy
        self.celebrity_threshold = check_int(celebrity_threshold, "celebrity_threshold", minimum=1)
        self._outbox: list[list[int]] = [[] for _ in range(graph.users)]
        self._inbox: list[list[int]] = [[] for _ in range(graph.users)]
        self.writes = 0
        """Store writes so far, one per post plus one per inbox the post is pushed to."""
        self.reads = 0
        """Store reads so far, one per inbox or outbox fetched by a feed request."""

    def is_celebrity(self, user: int) -> bool:
        """Whether the hybrid strategy pulls ``user``'s posts instead of pushing them."""
        return len(self.graph.followers[self._user(user)]) >= self.celebrity_threshold

    def _pushes(self, author: int) -> bool:
        return self.strategy == "push" or (
            self.strategy == "hybrid" and not self.is_celebrity(author)
        )

    def post(self, author: int, post_id: int) -> int:
        """Publish ``post_id`` (larger = newer) by ``author``; return the writes it cost.

        Raises:
            ValueError: unknown author or negative ``post_id``.  TypeError: not ints.
        """
        self._user(author)
        check_int(post_id, "post_id", minimum=0)
        cost = 1
        self._outbox[author].append(post_id)
        if self._pushes(author):
            for follower in self.graph.followers[author]:
                self._inbox[follower].append(post_id)
            cost += len(self.graph.followers[author])
        self.writes += cost
        return cost

    def feed(self, user: int, limit: int = 20) -> list[int]:
        """Return the newest ``limit`` post ids by accounts ``user`` follows, newest first.

        Raises:
            ValueError: unknown user or ``limit < 1``.  TypeError: not ints.
        """
        self._user(user)
        check_int(limit, "limit", minimum=1)
        gathered: list[int] = []
        if self.strategy != "pull":
            gathered.extend(self._inbox[user])
            self.reads += 1
        for followee in self.graph.following[user]:
            if not self._pushes(followee):
                gathered.extend(self._outbox[followee])
                self.reads += 1
        gathered.sort(reverse=True)
        return gathered[:limit]

    def _user(self, user: int) -> int:
        return check_int(user, "user", minimum=0, maximum=self.graph.users - 1)


@dataclass(frozen=True)
class FanoutStats:
    """Measured costs of one strategy on one workload."""

    strategy: str
    writes_per_post: float
    max_writes_per_post: int
    reads_per_feed: float
    max_reads_per_feed: int
    celebrity_post_writes: int


def measure_fanout(
    graph: FollowerGraph,
    authors: Sequence[int],
    readers: Sequence[int],
    *,
    celebrity_threshold: int = 100,
) -> list[FanoutStats]:
    """Replay ``authors`` (one post each) then ``readers`` (one feed each) on every strategy.

    ``celebrity_post_writes`` is the cost of one extra post by the most-followed user.

    Raises:
        ValueError: empty ``authors`` or ``readers``, or an unknown user.
        TypeError: wrong types.

    Complexity: O(sum of followers of the authors + sum of followees of the readers).

    >>> g = zipf_follower_graph(500, 10, seed=2)
    >>> [(s.strategy, s.celebrity_post_writes) for s in measure_fanout(g, [1, 2], [3])]
    [('push', 394), ('pull', 1), ('hybrid', 1)]
    """
    if not authors or not readers:
        raise ValueError(f"need at least one author and one reader, got {authors!r}, {readers!r}")
    star = max(range(graph.users), key=lambda u: len(graph.followers[u]))
    stats = []
    for strategy in STRATEGIES:
        system = FeedSystem(graph, strategy, celebrity_threshold=celebrity_threshold)
        post_costs = [system.post(a, i) for i, a in enumerate(authors)]
        read_costs = []
        for r in readers:
            before = system.reads
            system.feed(r)
            read_costs.append(system.reads - before)
        stats.append(
            FanoutStats(
                strategy,
                sum(post_costs) / len(post_costs),
                max(post_costs),
                sum(read_costs) / len(read_costs),
                max(read_costs),
                system.post(star, len(authors)),
            )
        )
    return stats
