"""Advanced and probabilistic data structures: trade exactness or order for space and speed.

Six structures that show up in system-design interviews because real systems
run on them: a Bloom filter (set membership with false positives, no false
negatives), a Count-Min Sketch (frequencies that never underestimate), a
HyperLogLog (distinct counts to ~1% in kilobytes), a consistent-hash ring
(moving ~1/N of keys when a node joins or leaves), an RFC 6962 Merkle tree
(proving one leaf belongs to a root with log n hashes) and a skip list (a
sorted set with expected logarithmic operations and simple code).

Interviewers ask about them because each answers a design question in one
line ("check the Bloom filter before touching disk", "PFCOUNT for unique
visitors") and each has a bound the candidate should be able to state and
derive.

Invariants: a Bloom filter never forgets an added item; a Count-Min counter
never falls below the true count; a HyperLogLog register only grows; each
ring node owns exactly ``vnodes`` points; every Merkle node hashes its two
children; each skip-list level is sorted and a sub-list of the level below.

==================  ==================  ==========================  =======================
Structure           Update              Query                       Space
==================  ==================  ==========================  =======================
BloomFilter         O(k)                O(k); FP rate about p       1.44 n log2(1/p) bits
CountMinSketch      O(d)                O(d); +eps N w.p. 1-delta   (e/eps) ln(1/delta) ints
HyperLogLog         O(1)                O(m); error 1.04/sqrt(m)    m small registers
ConsistentHashRing  O(Nv log(Nv))       O(log(Nv))                  N v ring points
MerkleTree          O(n) build          proof, verify O(log n)      O(n) hashes
SkipList            O(log n) expected   O(log n) expected           O(n) expected
==================  ==================  ==========================  =======================

>>> from studybook.dsa.advanced_structures import BloomFilter, SkipList
>>> bf = BloomFilter(capacity=100, error_rate=0.01)
>>> bf.add("k1"); "k1" in bf, "k2" in bf
(True, False)
>>> import random
>>> list(SkipList([3, 1, 2], rng=random.Random(0)))
[1, 2, 3]

Primary sources: Bloom (1970); Kirsch & Mitzenmacher (2006); Cormode &
Muthukrishnan (2005); Flajolet, Fusy, Gandouet & Meunier (2007); Karger et al.
(1997); RFC 6962 and RFC 9162; Pugh (1990).
"""

from __future__ import annotations

import math
import random
from typing import TextIO

from studybook.dsa.advanced_structures.bloom import BloomFilter
from studybook.dsa.advanced_structures.consistent_hash import ConsistentHashRing
from studybook.dsa.advanced_structures.count_min import CountMinSketch
from studybook.dsa.advanced_structures.hyperloglog import HyperLogLog
from studybook.dsa.advanced_structures.merkle import MerkleTree
from studybook.dsa.advanced_structures.skip_list import SkipList

__all__ = [
    "BloomFilter",
    "ConsistentHashRing",
    "CountMinSketch",
    "HyperLogLog",
    "MerkleTree",
    "SkipList",
    "demo",
]


def demo(out: TextIO) -> None:
    """Narrate one short, seeded run of each structure to ``out``.

    Args:
        out: a text stream.

    >>> import sys
    >>> demo(sys.stdout)
    Bloom filter for 10,000 keys at 1%: m=95,851 bits (11.7 KB), k=7 hashes
      10,000 absent keys probed: 126 false positives (1.26%)
      bits per key: 9.59 at 1%, 14.38 at 0.1%: 1.50x the memory for a tenth of the rate
    Count-Min 2719x5 over 20,000 hits: page-0 true 6,680, estimate 6,680
      worst overestimate 13 (bound eps*N = 20, w.p. 99%)
    HyperLogLog p=14 (16,384 registers): 50,000 distinct -> 50,079
      error +0.16%; standard error 0.81%
    Ring of 4 nodes x 100 vnodes, add a 5th: 16.6% of keys moved, all to node-4
      node-4 owns 16.9% of the circle (ideal 1/5 = 20%)
    Merkle tree of 1,000 entries: root d03d63b772af9901...
      proof for #617 has 10 hashes, verifies: True
    Skip list of 10,000 even numbers: 500 hits in 1,000 lookups
      23.6 nodes examined per lookup, 14 levels
    """
    bf = BloomFilter(10_000, 0.01)
    out.write(
        f"Bloom filter for 10,000 keys at 1%: m={bf.m:,} bits ({bf.m / 8 / 1024:.1f} KB),"
        f" k={bf.k} hashes\n"
    )
    for i in range(10_000):
        bf.add(f"key-{i}")
    false_hits = sum(f"other-{i}" in bf for i in range(10_000))
    out.write(
        f"  10,000 absent keys probed: {false_hits} false positives ({false_hits / 100:.2f}%)\n"
    )
    # Bits per key from the sizing formula, without ceil: -ln p / (ln 2)^2.
    per_key = {p: -math.log(p) / math.log(2) ** 2 for p in (0.01, 0.001)}
    out.write(
        f"  bits per key: {per_key[0.01]:.2f} at 1%, {per_key[0.001]:.2f} at 0.1%:"
        f" {per_key[0.001] / per_key[0.01]:.2f}x the memory for a tenth of the rate\n"
    )

    cms = CountMinSketch.from_error(0.001, 0.01)
    truth: dict[str, int] = {}
    for i in range(1, 20_001):
        page = f"page-{i % 997 if i % 3 else 0}"  # page-0 takes a third of the hits
        truth[page] = truth.get(page, 0) + 1
        cms.add(page)
    worst = max(cms.estimate(page) - count for page, count in truth.items())
    out.write(
        f"Count-Min {cms.width}x{cms.depth} over {cms.total:,} hits: page-0 true"
        f" {truth['page-0']:,}, estimate {cms.estimate('page-0'):,}\n"
        f"  worst overestimate {worst} (bound eps*N = {cms.epsilon * cms.total:.0f}, w.p. 99%)\n"
    )

    hll = HyperLogLog(14)
    for i in range(50_000):
        hll.add(f"visitor-{i}")
    error = hll.count() / 50_000 - 1
    out.write(
        f"HyperLogLog p=14 (16,384 registers): 50,000 distinct -> {hll.count():,}\n"
        f"  error {error:+.2%}; standard error {hll.standard_error:.2%}\n"
    )

    ring = ConsistentHashRing([f"node-{i}" for i in range(4)], vnodes=100)
    keys = [f"object-{i}" for i in range(10_000)]
    before = {k: ring.node_for(k) for k in keys}
    ring.add_node("node-4")
    moved = [k for k in keys if before[k] != ring.node_for(k)]
    targets = ", ".join(sorted({ring.node_for(k) for k in moved}))
    share = ring.ownership()["node-4"]
    out.write(
        f"Ring of 4 nodes x 100 vnodes, add a 5th: {len(moved) / len(keys):.1%} of keys moved,"
        f" all to {targets}\n"
        f"  node-4 owns {share:.1%} of the circle (ideal 1/5 = 20%)\n"
    )

    tree = MerkleTree([f"entry-{i}".encode() for i in range(1000)])
    path = tree.proof(617)
    ok = MerkleTree.verify_proof(b"entry-617", 617, path, tree.root, len(tree))
    out.write(
        f"Merkle tree of 1,000 entries: root {tree.root.hex()[:16]}...\n"
        f"  proof for #617 has {len(path)} hashes, verifies: {ok}\n"
    )

    skip = SkipList(range(0, 20_000, 2), rng=random.Random(42))  # noqa: S311
    skip.search_steps = 0
    hits = sum(x in skip for x in range(1000, 2000))
    out.write(
        f"Skip list of {len(skip):,} even numbers: {hits} hits in 1,000 lookups\n"
        f"  {skip.search_steps / 1000:.1f} nodes examined per lookup, {len(skip.levels())} levels\n"
    )
