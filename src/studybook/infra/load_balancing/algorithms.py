"""Request-level balancing policies: round robin, smooth weighted round robin, least connections,
random choice and the power of two choices, plus the balls-into-bins experiment behind the last.

Every policy implements one small :class:`Balancer` protocol: ``pick()`` names the
backend for the next request and ``done(backend)`` reports that a request has
finished, so that load-aware policies can count what is in flight.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from studybook._validate import check_int, check_rng, check_str

__all__ = [
    "Balancer",
    "InFlight",
    "LeastConnections",
    "MaxLoadRow",
    "PowerOfTwoChoices",
    "RandomChoice",
    "RoundRobin",
    "SmoothWeightedRoundRobin",
    "max_load",
    "max_load_table",
]


class Balancer(Protocol):
    """What every request-level policy offers."""

    def pick(self) -> str:
        """Return the backend for the next request."""
        ...

    def done(self, backend: str) -> None:
        """Report that a request sent to ``backend`` has finished."""
        ...


def _check_backends(backends: object) -> tuple[str, ...]:
    if isinstance(backends, str | bytes) or not isinstance(backends, Sequence):
        raise TypeError(
            f"backends must be a list of names, got {type(backends).__name__}: {backends!r}"
        )
    if not backends:
        raise ValueError(f"backends must not be empty, got {backends!r}")
    names = tuple(check_str(b, "backend name", nonempty=True) for b in backends)
    duplicates = sorted({b for b in names if names.count(b) > 1})
    if duplicates:
        raise ValueError(f"backend names must be distinct, got duplicates {duplicates!r}")
    return names


class InFlight:
    """The base of every policy: requests in flight per backend, and ``done`` to finish one.

    ``done`` on an unknown backend raises ``KeyError``; on a backend with nothing in
    flight, ``ValueError``.
    """

    def __init__(self, backends: tuple[str, ...]) -> None:
        self.backends = backends
        self.active = dict.fromkeys(backends, 0)

    def done(self, backend: str) -> None:
        """Report that a request sent to ``backend`` has finished."""
        if backend not in self.active:
            raise KeyError(f"unknown backend {backend!r}")
        if self.active[backend] == 0:
            raise ValueError(f"no request in flight on {backend!r}")
        self.active[backend] -= 1


class RoundRobin(InFlight):
    """Send request i to backend ``i mod N``: even counts, blind to load.

    Raises:
        ValueError: empty or duplicate ``backends``.
        TypeError: ``backends`` is a ``str`` or holds a non-``str``.

    Complexity: O(1) per pick.

    >>> rr = RoundRobin(["a", "b", "c"])
    >>> [rr.pick() for _ in range(5)]
    ['a', 'b', 'c', 'a', 'b']
    >>> RoundRobin(["a", "a"])
    Traceback (most recent call last):
        ...
    ValueError: backend names must be distinct, got duplicates ['a']
    """

    def __init__(self, backends: Sequence[str]) -> None:
        super().__init__(_check_backends(backends))
        self._next = 0

    def pick(self) -> str:
        """Return the next backend in turn."""
        backend = self.backends[self._next]
        self._next = (self._next + 1) % len(self.backends)
        self.active[backend] += 1
        return backend


class SmoothWeightedRoundRobin(InFlight):
    """nginx's smooth weighted round robin (``ngx_http_upstream_get_peer``).

    On each pick every backend's ``current`` grows by its weight, the largest
    ``current`` wins (the first in order on a tie) and the winner gives back the
    total weight. Over any ``sum(weights)`` consecutive picks each backend is
    chosen exactly ``weight`` times, and the picks of a heavy backend are spread
    out instead of sent in one burst.

    Args:
        weights: backend -> positive integer weight (nginx's ``weight=``).

    Raises:
        ValueError: no backends, or a weight < 1.
        TypeError: a weight that is not an ``int`` (``bool`` included).

    Complexity: O(N) per pick.

    >>> wrr = SmoothWeightedRoundRobin({"a": 5, "b": 1, "c": 1})
    >>> "".join(wrr.pick() for _ in range(7))
    'aabacaa'
    >>> SmoothWeightedRoundRobin({"a": 0})
    Traceback (most recent call last):
        ...
    ValueError: weight of 'a' must be >= 1, got 0
    """

    def __init__(self, weights: Mapping[str, int]) -> None:
        if not isinstance(weights, Mapping):
            raise TypeError(
                f"weights must be a mapping of backend -> weight, "
                f"got {type(weights).__name__}: {weights!r}"
            )
        super().__init__(_check_backends(list(weights)))
        self.weights = {b: check_int(w, f"weight of {b!r}", minimum=1) for b, w in weights.items()}
        self.current = dict.fromkeys(self.backends, 0)
        self._total = sum(self.weights.values())

    def pick(self) -> str:
        """Return the backend with the largest current weight, then charge it the total."""
        best = self.backends[0]
        for b in self.backends:
            self.current[b] += self.weights[b]
            if self.current[b] > self.current[best]:
                best = b
        self.current[best] -= self._total
        self.active[best] += 1
        return best


class LeastConnections(InFlight):
    """Send each request to the backend with the fewest requests in flight (first on a tie).

    Complexity: O(N) per pick (a heap would make it O(log N)).

    >>> lc = LeastConnections(["a", "b"])
    >>> lc.pick(), lc.pick(), lc.pick()
    ('a', 'b', 'a')
    >>> lc.done("a"); lc.done("a"); lc.pick()
    'a'
    >>> lc.done("zzz")
    Traceback (most recent call last):
        ...
    KeyError: "unknown backend 'zzz'"
    """

    def __init__(self, backends: Sequence[str]) -> None:
        super().__init__(_check_backends(backends))

    def pick(self) -> str:
        """Return the least-loaded backend."""
        best = min(self.backends, key=self.active.__getitem__)
        self.active[best] += 1
        return best


class RandomChoice(InFlight):
    """Send each request to a backend drawn uniformly at random.

    >>> r = RandomChoice(["a", "b", "c"], rng=random.Random(1))
    >>> [r.pick() for _ in range(6)]
    ['a', 'c', 'a', 'b', 'a', 'b']
    """

    def __init__(self, backends: Sequence[str], rng: random.Random | None = None) -> None:
        super().__init__(_check_backends(backends))
        self._rng = check_rng(rng) if rng is not None else random.Random()  # noqa: S311 - not crypto

    def pick(self) -> str:
        """Return a uniformly random backend."""
        backend = self._rng.choice(self.backends)
        self.active[backend] += 1
        return backend


class PowerOfTwoChoices(InFlight):
    """Sample two distinct backends at random and send the request to the less loaded one.

    Mitzenmacher's "power of two choices": one extra sample turns the maximum
    load of random placement, about ln n / ln ln n, into ln ln n / ln 2 + O(1)
    (Azar, Broder, Karlin, Upfal 1994). Unlike least connections it needs no
    global view, so many balancers can run it at once without herding onto the
    same idle backend. Ties go to the first sample.

    >>> p2c = PowerOfTwoChoices(["a", "b", "c", "d"], rng=random.Random(3))
    >>> [p2c.pick() for _ in range(4)], sorted(p2c.active.values())
    (['b', 'd', 'c', 'a'], [1, 1, 1, 1])
    """

    def __init__(self, backends: Sequence[str], rng: random.Random | None = None) -> None:
        super().__init__(_check_backends(backends))
        self._rng = check_rng(rng) if rng is not None else random.Random()  # noqa: S311 - not crypto

    def pick(self) -> str:
        """Return the less loaded of two random backends."""
        if len(self.backends) == 1:
            first = second = self.backends[0]
        else:
            first, second = self._rng.sample(self.backends, 2)
        best = second if self.active[second] < self.active[first] else first
        self.active[best] += 1
        return best


def max_load(n: int, choices: int, rng: random.Random) -> int:
    """Throw n balls into n bins, each into the least full of ``choices`` random bins.

    The bins are drawn independently and with replacement, as in Azar et al.;
    ties go to the first bin drawn. With ``choices=1`` this is plain random placement.

    Args:
        n: balls and bins, in [1, 10**7].
        choices: bins sampled per ball (d), in [1, 16].
        rng: the random source.

    Returns:
        The fullest bin's load.

    Raises:
        ValueError, TypeError: for ``n`` or ``choices`` out of range or not ints.

    Complexity: O(n * choices).

    >>> max_load(1000, 1, random.Random(0)), max_load(1000, 2, random.Random(0))
    (5, 3)
    >>> max_load(0, 2, random.Random(0))
    Traceback (most recent call last):
        ...
    ValueError: n must be in [1, 10000000], got 0
    """
    check_int(n, "n", minimum=1, maximum=10**7)
    check_int(choices, "choices", minimum=1, maximum=16)
    check_rng(rng)
    bins = [0] * n
    draw = rng.random
    for _ in range(n):
        best = int(draw() * n)
        for _ in range(choices - 1):
            other = int(draw() * n)
            if bins[other] < bins[best]:
                best = other
        bins[best] += 1
    return max(bins)


@dataclass(frozen=True)
class MaxLoadRow:
    """Mean maximum load over trials for one n, with the two asymptotic predictions."""

    n: int
    one_choice: float
    two_choices: float
    ln_n_over_ln_ln_n: float
    ln_ln_n_over_ln_2: float


def max_load_table(sizes: Sequence[int], trials: int = 3, seed: int = 0) -> list[MaxLoadRow]:
    """Measure the maximum load with one and with two choices for each n in ``sizes``.

    The predictions carry no constants (the theorems hold up to 1 + o(1) and
    + O(1)), so compare growth, not values: one choice keeps climbing with n,
    two choices barely moves.

    Raises:
        ValueError: empty ``sizes``, an n below 3 (ln ln n undefined), or ``trials`` < 1.

    Complexity: O(trials * sum(sizes)).

    >>> [(r.n, r.one_choice, r.two_choices) for r in max_load_table([100, 1000], trials=2)]
    [(100, 3.0, 2.5), (1000, 5.5, 3.0)]
    """
    if not sizes:
        raise ValueError(f"sizes must not be empty, got {sizes!r}")
    check_int(trials, "trials", minimum=1, maximum=1000)
    rows = []
    for n in sizes:
        check_int(n, "n", minimum=3, maximum=10**7)
        rng = random.Random(seed * 1_000_003 + n)  # noqa: S311 - reproducible, not crypto
        one = sum(max_load(n, 1, rng) for _ in range(trials)) / trials
        two = sum(max_load(n, 2, rng) for _ in range(trials)) / trials
        ln_ln = math.log(math.log(n))
        rows.append(MaxLoadRow(n, one, two, math.log(n) / ln_ln, ln_ln / math.log(2)))
    return rows
