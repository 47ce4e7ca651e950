"""System design building blocks in Python, part 1: location, routing, tours and caching.

The algorithms that sit under a ride-hailing or maps back end, each small
enough to write in an interview and each checked against an oracle:
:mod:`~.geohash` (encode and decode, matching the published examples),
:mod:`~.quadtree` (range and k-nearest queries, checked against brute force),
:mod:`~.routing` (Dijkstra and A*, counting expanded nodes),
:mod:`~.tsp` (nearest neighbour and 2-opt against the brute-force optimum)
and :mod:`~.lru` (an O(1) LRU cache, checked against ``functools.lru_cache``).
Consistent hashing is not written again: the demo shards the LRU cache with
Part I's :class:`~studybook.dsa.advanced_structures.consistent_hash.ConsistentHashRing`.

Invariants: a geohash round-trips through its cell's centre; a quadtree
query returns exactly the brute-force answer; A* with an admissible
heuristic returns a shortest path; a 2-opt tour is never longer than the
tour it started from; the cache never holds more than its capacity.

==========================  ===========================  =====================
name                        answers                      cost
==========================  ===========================  =====================
geohash_encode / _decode    point <-> cell code          O(precision)
QuadTree.query_range        points in a rectangle        O(depth + visited)
QuadTree.nearest            k closest points             O((depth + k) log n)
a_star / route              cheapest path, expansions    O((V + E) log V)
two_opt / optimal_tour      a short tour / the best      O(n²) per pass / O(n!)
LRUCache.get / put          cached value                 O(1)
==========================  ===========================  =====================

>>> geohash_decode(geohash_encode(57.64911, 10.40744, 11))
(57.64911063015461, 10.407439693808556)

Primary sources: each submodule names its own (Niemeyer 2008; Finkel and
Bentley 1974; Dijkstra 1959; Hart, Nilsson and Raphael 1968; Croes 1958).
"""

from __future__ import annotations

import functools
import math
import random
from typing import TextIO

from studybook._validate import check_int, check_real
from studybook.design.design_solutions_1.geohash import (
    BASE32,
    EARTH_RADIUS_KM,
    MAX_PRECISION,
    Cell,
    geohash_bounds,
    geohash_decode,
    geohash_encode,
    geohash_neighbors,
    haversine_km,
)
from studybook.design.design_solutions_1.lru import LRUCache
from studybook.design.design_solutions_1.quadtree import QuadTree
from studybook.design.design_solutions_1.routing import (
    Route,
    a_star,
    dijkstra_route,
    euclidean,
    grid_graph,
    manhattan,
    road_graph,
    route,
)
from studybook.design.design_solutions_1.tsp import (
    MAX_BRUTE_FORCE,
    GapStats,
    Tour,
    nearest_neighbour_tour,
    optimal_tour,
    tour_length,
    tsp_gaps,
    two_opt,
)
from studybook.dsa.advanced_structures import ConsistentHashRing
from studybook.dsa.advanced_structures.consistent_hash import key_position

__all__ = [
    "BASE32",
    "EARTH_RADIUS_KM",
    "MAX_BRUTE_FORCE",
    "MAX_PRECISION",
    "Cell",
    "GapStats",
    "LRUCache",
    "QuadTree",
    "Route",
    "Tour",
    "a_star",
    "demo",
    "dijkstra_route",
    "euclidean",
    "geohash_bounds",
    "geohash_decode",
    "geohash_encode",
    "geohash_neighbors",
    "grid_graph",
    "haversine_km",
    "manhattan",
    "nearest_neighbour_tour",
    "optimal_tour",
    "random_grid",
    "road_graph",
    "route",
    "tour_length",
    "tsp_gaps",
    "two_opt",
]


def random_grid(size: int, wall_fraction: float, seed: int) -> list[str]:
    """A ``size`` x ``size`` grid of ``.`` and ``#`` with open corners, from a seeded generator.

    Each cell is a wall with probability ``wall_fraction``; the top-left and
    bottom-right cells are always open (the goal may still be walled off).

    Raises:
        ValueError: ``size`` < 1, ``wall_fraction`` outside [0, 1].
        TypeError: ``size`` or ``seed`` not an int.

    Complexity: O(size²).

    >>> random_grid(4, 0.3, seed=2)
    ['..##', '....', '...#', '....']
    """
    check_int(size, "size", minimum=1, maximum=10_000)
    fraction = check_real(wall_fraction, "wall_fraction", low=0, high=1)
    rng = random.Random(check_int(seed, "seed"))  # noqa: S311 - a seeded simulation, not crypto
    rows = [
        "".join("#" if rng.random() < fraction else "." for _ in range(size)) for _ in range(size)
    ]
    rows[0] = "." + rows[0][1:]
    rows[-1] = rows[-1][:-1] + "."
    return rows


def demo(out: TextIO) -> None:
    """Run every building block once and narrate the results to ``out``.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    Geohash of (57.64911, 10.40744): each character narrows the cell
    chars  code          cell height km  cell width km
        1  u                    5003.78        1872.76
        2  u4                   625.472        642.354
        3  u4p                  156.368        85.2699
        4  u4pr                  19.546        20.9648
        5  u4pru                 4.8865        2.61585
        6  u4pruy              0.610813       0.653715
        7  u4pruyd             0.152703      0.0817129
        8  u4pruydq           0.0190879       0.020428
        9  u4pruydqq         0.00477198      0.0025535
       10  u4pruydqqv       0.000596497    0.000638374
       11  u4pruydqqvj      0.000149124    7.97968e-05
       12  u4pruydqqvj8     1.86405e-05    1.99492e-05
    neighbours of u4pruy: u4pruz u4prvp u4prvn u4prvj u4pruv u4prut u4pruw u4prux
    <BLANKLINE>
    QuadTree: 2000 points, capacity 8 -> 580 leaves, height 8
    range [25, 35] x [25, 35]: 926 points (brute force 926, same set: True)
    5 nearest to (80, 80): [400, 736, 1572, 1704, 988] (brute force [400, 736, 1572, 1704, 988])
    <BLANKLINE>
    Dijkstra vs A*: nodes expanded to reach the goal (same cost both ways)
    graph                               nodes  Dijkstra     A*     cost
    grid 20x20, 0% walls, Manhattan       400       400     39       38
    grid 40x40, 20% walls, Manhattan     1258      1252    144       78
    grid 60x60, 25% walls, Manhattan     2696      2670    484      118
    road graph 200, h = 1 x straight      200       200     98    171.2
    road graph 200, h = 1.3 x straight    200       200     16    171.2
    road graph 1000, h = 1 x straight    1000      1000    698    189.2
    road graph 1000, h = 1.3 x straight   1000      1000    101    189.2
    <BLANKLINE>
    TSP on uniform random points: % above the brute-force optimum
      n  trials  NN mean  NN max  2-opt mean  2-opt max  2-opt optimal
      5      15      6.2    17.2         0.1        2.1          14/15
      7      15      7.1    19.3         0.0        0.0          15/15
      9      15      9.6    21.1         0.4        5.5          14/15
    <BLANKLINE>
    LRUCache vs functools.lru_cache on 10,000 Zipf-like requests over 1,000 keys
    capacity    hits  misses  hit ratio  lru_cache agrees
          10    2008    7992      20.1%              True
         100    5693    4307      56.9%              True
         500    8410    1590      84.1%              True
    <BLANKLINE>
    Sharding 10,000 keys over 4 cache nodes, then adding a 5th:
    consistent hashing (Part I's ring, 100 vnodes) moves 19.1%; hash mod N moves 79.8%
    """
    _demo_geohash(out)
    _demo_quadtree(out)
    _demo_routing(out)
    _demo_tsp(out)
    _demo_lru(out)


def _demo_geohash(out: TextIO) -> None:
    lat, lon = 57.64911, 10.40744
    out.write(f"Geohash of ({lat}, {lon}): each character narrows the cell\n")
    out.write(f"{'chars':>5}  {'code':<12}{'cell height km':>16}{'cell width km':>15}\n")
    for p in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12):
        code = geohash_encode(lat, lon, p)
        c = geohash_bounds(code)
        mid_lat = (c.south + c.north) / 2
        height = haversine_km(c.south, c.west, c.north, c.west)
        width = haversine_km(mid_lat, c.west, mid_lat, c.east)
        out.write(f"{p:>5}  {code:<12}{height:>16.6g}{width:>15.6g}\n")
    out.write(f"neighbours of u4pruy: {' '.join(geohash_neighbors('u4pruy'))}\n\n")


def _demo_quadtree(out: TextIO) -> None:
    rng = random.Random(7)  # noqa: S311 - a seeded simulation, not crypto
    tree: QuadTree[int] = QuadTree((0, 0, 100, 100), capacity=8)
    points = []
    for i in range(2000):
        if i % 4:  # three points in four fall in a dense "downtown"
            x, y = min(100.0, abs(rng.gauss(30, 4))), min(100.0, abs(rng.gauss(30, 4)))
        else:
            x, y = rng.uniform(0, 100), rng.uniform(0, 100)
        points.append((x, y))
        tree.insert(x, y, i)
    box = tree.query_range(25, 25, 35, 35)
    brute = [i for i, (x, y) in enumerate(points) if 25 <= x <= 35 and 25 <= y <= 35]
    near = tree.nearest(80, 80, k=5)
    brute_near = sorted(range(len(points)), key=lambda i: (math.dist(points[i], (80, 80)), i))[:5]
    out.write(
        f"QuadTree: {len(tree)} points, capacity 8 -> {len(tree.leaves())} leaves, "
        f"height {tree.height()}\n"
        f"range [25, 35] x [25, 35]: {len(box)} points "
        f"(brute force {len(brute)}, same set: {sorted(k for *_, k in box) == brute})\n"
        f"5 nearest to (80, 80): {[k for *_, k in near]} (brute force {brute_near})\n\n"
    )


def _demo_routing(out: TextIO) -> None:
    out.write("Dijkstra vs A*: nodes expanded to reach the goal (same cost both ways)\n")
    out.write(f"{'graph':<34}{'nodes':>7}{'Dijkstra':>10}{'A*':>7}{'cost':>9}\n")
    for size, walls in ((20, 0.0), (40, 0.2), (60, 0.25)):
        grid = grid_graph(random_grid(size, walls, seed=size))
        start, goal = (0, 0), (size - 1, size - 1)
        d = dijkstra_route(grid, start, goal)
        a = route(grid, start, goal, manhattan)
        label = f"grid {size}x{size}, {walls:.0%} walls, Manhattan"
        out.write(f"{label:<34}{len(grid):>7}{d.expanded:>10}{a.expanded:>7}{a.cost:>9g}\n")
    _demo_roads(out)
    out.write("\n")


def _demo_roads(out: TextIO) -> None:
    for n in (200, 1000):
        graph, pos = road_graph(n, seed=n, detour=1.3)
        src, dst = min(pos, key=lambda i: sum(pos[i])), max(pos, key=lambda i: sum(pos[i]))
        d = dijkstra_route(graph, src, dst)
        for scale in (1.0, 1.3):
            a = route(graph, src, dst, euclidean(pos, scale))
            label = f"road graph {n}, h = {scale:g} x straight"
            out.write(f"{label:<34}{n:>7}{d.expanded:>10}{a.expanded:>7}{a.cost:>9.1f}\n")


def _demo_tsp(out: TextIO) -> None:
    out.write("TSP on uniform random points: % above the brute-force optimum\n")
    out.write(
        f"{'n':>3}{'trials':>8}{'NN mean':>9}{'NN max':>8}{'2-opt mean':>12}"
        f"{'2-opt max':>11}{'2-opt optimal':>15}\n"
    )
    for n in (5, 7, 9):
        s = tsp_gaps(n, 15, seed=n)
        out.write(
            f"{n:>3}{s.trials:>8}{s.nn_mean:>9.1f}{s.nn_max:>8.1f}{s.two_opt_mean:>12.1f}"
            f"{s.two_opt_max:>11.1f}{s.two_opt_optimal:>12}/{s.trials}\n"
        )
    out.write("\n")


def _demo_lru(out: TextIO) -> None:
    rng = random.Random(146)  # noqa: S311 - a seeded simulation, not crypto
    # A skewed key stream: key k drawn with weight 1/(k+1) (Zipf-like, s = 1).
    keys = rng.choices(range(1000), weights=[1 / (k + 1) for k in range(1000)], k=10_000)
    out.write("LRUCache vs functools.lru_cache on 10,000 Zipf-like requests over 1,000 keys\n")
    out.write(f"{'capacity':>8}{'hits':>8}{'misses':>8}{'hit ratio':>11}{'lru_cache agrees':>18}\n")
    for capacity in (10, 100, 500):
        cache: LRUCache[int, int] = LRUCache(capacity)
        for k in keys:
            if cache.get(k) is None:
                cache.put(k, k * k)
        reference = functools.lru_cache(maxsize=capacity)(lambda k: k * k)
        for k in keys:
            reference(k)
        info = reference.cache_info()
        same = (info.hits, info.misses) == (cache.hits, cache.misses)
        out.write(
            f"{capacity:>8}{cache.hits:>8}{cache.misses:>8}"
            f"{cache.hits / len(keys):>11.1%}{same!s:>18}\n"
        )
    # Shard the cache over Part I's ring; adding a node moves about 1/(N+1) of the keys.
    ring = ConsistentHashRing([f"cache-{i}" for i in range(4)], vnodes=100)
    names = [f"user:{i}" for i in range(10_000)]
    before = {k: ring.node_for(k) for k in names}
    ring.add_node("cache-4")
    moved_ring = sum(before[k] != ring.node_for(k) for k in names)
    moved_mod = sum(key_position(k) % 4 != key_position(k) % 5 for k in names)
    out.write(
        f"\nSharding 10,000 keys over 4 cache nodes, then adding a 5th:\n"
        f"consistent hashing (Part I's ring, 100 vnodes) moves {moved_ring / len(names):.1%};"
        f" hash mod N moves {moved_mod / len(names):.1%}\n"
    )
