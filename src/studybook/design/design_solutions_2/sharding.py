"""Hash, range and geo sharding, and the load skew each one shows under a Zipfian workload.

A shard key decides where a row lives and so where its traffic goes:

- **hash**: ``hash(key) mod N`` (or a consistent-hash ring, reused from
  :mod:`studybook.dsa.advanced_structures`) spreads keys evenly, but one hot
  key still lands on one shard, and range scans touch every shard.
- **range**: contiguous key ranges keep scans local, but if popularity
  correlates with the key (early user ids, recent timestamps) one range is hot.
- **geo**: a region per shard keeps data near its users, but people live in
  cities, so the shard holding the biggest cities carries most of the load.

:func:`measure_sharding` replays one seeded Zipfian workload against all of
them and reports ``max / mean`` load per shard (1.0 is perfect balance).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from studybook._validate import check_int, check_real, check_str
from studybook.dsa.advanced_structures import ConsistentHashRing

__all__ = [
    "ShardLoad",
    "geo_shard",
    "hash_shard",
    "measure_sharding",
    "range_shard",
    "zipf_ranks",
]


def hash_shard(key: str, shards: int) -> int:
    """Return ``BLAKE2b(key) mod shards``: a stable hash, unlike the salted built-in ``hash``.

    Raises:
        ValueError: ``shards < 1``.  TypeError: wrong types.

    Complexity: O(len(key)).

    >>> [hash_shard(f"user:{i}", 4) for i in range(6)]
    [1, 2, 2, 1, 3, 2]
    """
    check_str(key, "key")
    check_int(shards, "shards", minimum=1)
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def range_shard(key: int, boundaries: list[int]) -> int:
    """Return the shard of ``key`` given sorted split points: shard i holds ``[b[i-1], b[i])``.

    Raises:
        ValueError: boundaries not strictly increasing.
        TypeError: wrong types (``boundaries`` must be a list or tuple of ints).

    Complexity: O(log shards).

    >>> [range_shard(k, [100, 200]) for k in (0, 99, 100, 250)]
    [0, 0, 1, 2]
    """
    check_int(key, "key")
    if not isinstance(boundaries, list | tuple):
        raise TypeError(f"boundaries must be a list of ints, got {boundaries!r}")
    for b in boundaries:
        check_int(b, "boundary")
    if any(a >= b for a, b in itertools.pairwise(boundaries)):
        raise ValueError(f"boundaries must be strictly increasing, got {boundaries!r}")
    return bisect.bisect_right(boundaries, key)


def geo_shard(lat: float, lon: float, shards: int) -> int:
    """Return the shard of a point when the world is cut into ``shards`` equal longitude bands.

    Raises:
        ValueError: latitude outside [-90, 90], longitude outside [-180, 180],
            NaN or infinite, ``shards < 1``.
        TypeError: wrong types.

    Complexity: O(1).

    >>> geo_shard(51.5, -0.1, 8), geo_shard(35.7, 139.7, 8), geo_shard(0, 180, 8)
    (3, 7, 7)
    """
    check_real(lat, "lat", low=-90, high=90)
    x = check_real(lon, "lon", low=-180, high=180)
    check_int(shards, "shards", minimum=1)
    return min(math.floor((x + 180) / 360 * shards), shards - 1)


def zipf_ranks(n_keys: int, n_requests: int, *, exponent: float = 1.0, seed: int = 0) -> list[int]:
    """Draw ``n_requests`` key ranks in ``0..n_keys - 1`` with P(r) proportional to 1/(r+1)**s.

    Raises:
        ValueError: sizes below 1 or above 10**7, exponent outside [0, 10].
        TypeError: wrong types.

    Complexity: O(n_keys + n_requests log n_keys).

    >>> ranks = zipf_ranks(1000, 10_000, seed=1)
    >>> ranks.count(0), ranks.count(1), ranks.count(999)
    (1352, 711, 1)
    """
    check_int(n_keys, "n_keys", minimum=1, maximum=10**7)
    check_int(n_requests, "n_requests", minimum=1, maximum=10**7)
    s = check_real(exponent, "exponent", low=0, high=10)
    check_int(seed, "seed")
    cumulative = list(itertools.accumulate(1 / (r + 1) ** s for r in range(n_keys)))
    rng = random.Random(seed)  # noqa: S311 - a seeded workload, not crypto
    return rng.choices(range(n_keys), cum_weights=cumulative, k=n_requests)


CITIES = 50
"""Cities in :func:`measure_sharding`'s synthetic world."""


@dataclass(frozen=True)
class ShardLoad:
    """Requests per shard for one scheme, and its skew (max / mean; 1.0 is balanced)."""

    scheme: str
    loads: tuple[int, ...]

    @property
    def skew(self) -> float:
        """Hottest shard's load over the mean load."""
        return max(self.loads) / (sum(self.loads) / len(self.loads))

    @property
    def hottest_share(self) -> float:
        """Fraction of all requests served by the hottest shard."""
        return max(self.loads) / sum(self.loads)


def measure_sharding(
    *,
    n_keys: int = 10_000,
    n_requests: int = 50_000,
    shards: int = 8,
    exponent: float = 1.0,
    seed: int = 0,
) -> list[ShardLoad]:
    """Replay one Zipfian workload on hash, consistent-hash, range and geo sharding.

    Key rank r is user id r (the most popular users signed up first). Each
    user lives in one of ``CITIES`` cities at seeded random coordinates, drawn
    with Zipf(1) weights, so city sizes follow a power law too.

    Raises:
        ValueError, TypeError: bad sizes (see :func:`zipf_ranks`), ``shards`` outside
            1..4096 or above ``n_keys``.

    Complexity: O(n_requests log shards + n_keys).

    >>> [(s.scheme, round(s.skew, 2)) for s in measure_sharding(n_requests=5_000, shards=4)]
    [('hash', 1.41), ('consistent hash', 1.17), ('range', 3.41), ('geo', 1.46)]
    """
    check_int(shards, "shards", minimum=1, maximum=4096)
    if isinstance(n_keys, int) and n_keys < shards:
        raise ValueError(f"n_keys must be at least shards = {shards}, got {n_keys!r}")
    ranks = zipf_ranks(n_keys, n_requests, exponent=exponent, seed=seed)
    rng = random.Random(seed + 1)  # noqa: S311 - seeded workload
    cities = [(rng.uniform(-60, 70), rng.uniform(-180, 180)) for _ in range(CITIES)]
    home = zipf_ranks(CITIES, n_keys, exponent=1.0, seed=seed + 2)  # user -> city
    boundaries = [n_keys * i // shards for i in range(1, shards)]
    ring = ConsistentHashRing([f"shard-{i}" for i in range(shards)], vnodes=100)
    hash_of_rank = [hash_shard(f"user:{r}", shards) for r in range(n_keys)]
    schemes: dict[str, Callable[[int], int]] = {
        "hash": lambda r: hash_of_rank[r],
        "consistent hash": lambda r: int(ring.node_for(f"user:{r}").removeprefix("shard-")),
        "range": lambda r: range_shard(r, boundaries),
        "geo": lambda r: geo_shard(*cities[home[r]], shards),
    }
    reports = []
    for name, shard_of in schemes.items():
        per_key = [shard_of(r) for r in range(n_keys)]
        loads = [0] * shards
        for r in ranks:
            loads[per_key[r]] += 1
        reports.append(ShardLoad(name, tuple(loads)))
    return reports
