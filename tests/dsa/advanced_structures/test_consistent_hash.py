"""ConsistentHashRing: brute-force ownership model, load balance vs vnodes, ~1/N key movement."""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from studybook.dsa.advanced_structures import ConsistentHashRing
from studybook.dsa.advanced_structures.consistent_hash import EmptyRingError

KEYS = [f"key-{i}" for i in range(20_000)]


def _h(data: bytes) -> int:
    """The ring's hash, recomputed independently: 64-bit BLAKE2b with an all-zero salt."""
    return int.from_bytes(hashlib.blake2b(data, digest_size=8, salt=bytes(16)).digest(), "big")


def brute_force_owner(nodes: set[str], vnodes: int, key: str) -> str:
    """The definition: the first node point at or clockwise after the key's position."""
    points = sorted((_h(f"{n}#{i}".encode()), n) for n in nodes for i in range(vnodes))
    position = _h(b"s " + key.encode())
    after = [(p, n) for p, n in points if p >= position]
    return (after or points)[0][1]


def loads(ring: ConsistentHashRing) -> list[int]:
    counts = Counter(ring.node_for(k) for k in KEYS)
    return [counts[n] for n in ring.nodes]


class RingMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.ring = ConsistentHashRing(vnodes=8)
        self.model: set[str] = set()

    @rule(node=st.sampled_from([f"n{i}" for i in range(8)]))
    def add(self, node: str) -> None:
        if node in self.model:
            with pytest.raises(ValueError, match=f"node already on the ring: '{node}'"):
                self.ring.add_node(node)
        else:
            self.ring.add_node(node)
            self.model.add(node)

    @rule(node=st.sampled_from([f"n{i}" for i in range(8)]))
    def remove(self, node: str) -> None:
        if node in self.model:
            self.ring.remove_node(node)
            self.model.remove(node)
        else:
            with pytest.raises(KeyError, match=f"node not on the ring: '{node}'"):
                self.ring.remove_node(node)

    @precondition(lambda self: bool(self.model))
    @rule(key=st.text(max_size=6))
    def lookup(self, key: str) -> None:
        assert self.ring.node_for(key) == brute_force_owner(self.model, 8, key)

    @invariant()
    def consistent(self) -> None:
        self.ring._check_invariants()
        assert self.ring.nodes == tuple(sorted(self.model))
        if self.model:
            assert sum(self.ring.ownership().values()) == pytest.approx(1.0)


TestRingMachine = RingMachine.TestCase
TestRingMachine.settings = settings(max_examples=50, stateful_step_count=20, deadline=None)


def test_load_balance_improves_with_virtual_nodes() -> None:
    ratios = {}
    for vnodes in (1, 10, 100, 500):
        ring = ConsistentHashRing([f"server-{i}" for i in range(10)], vnodes=vnodes)
        counts = loads(ring)
        ratios[vnodes] = max(counts) / statistics.mean(counts)
    assert ratios[1] > ratios[10] > ratios[100] > ratios[500], ratios
    assert ratios[1] > 1.8  # one point per node: some node owns about twice its share
    assert ratios[500] < 1.15


def test_adding_a_node_moves_about_one_over_n_keys() -> None:
    fractions = []
    for trial in range(5):
        ring = ConsistentHashRing([f"t{trial}-node-{i}" for i in range(9)], vnodes=200)
        before = {k: ring.node_for(k) for k in KEYS}
        new = f"t{trial}-node-9"
        ring.add_node(new)
        moved = [k for k in KEYS if ring.node_for(k) != before[k]]
        # Monotonicity (Karger et al.): every key that moves, moves to the new node.
        assert all(ring.node_for(k) == new for k in moved)
        fraction = len(moved) / len(KEYS)
        # The moved fraction is the new node's share of the circle (up to sampling noise).
        assert fraction == pytest.approx(ring.ownership()[new], abs=0.01)
        fractions.append(fraction)
    assert statistics.mean(fractions) == pytest.approx(1 / 10, abs=0.02), fractions


def test_removing_a_node_moves_only_its_keys() -> None:
    ring = ConsistentHashRing([f"node-{i}" for i in range(8)], vnodes=100)
    before = {k: ring.node_for(k) for k in KEYS}
    ring.remove_node("node-3")
    moved = [k for k in KEYS if ring.node_for(k) != before[k]]
    assert moved == [k for k in KEYS if before[k] == "node-3"]
    assert len(moved) / len(KEYS) == pytest.approx(1 / 8, abs=0.04)


def test_modulo_hashing_moves_almost_everything() -> None:
    """The baseline consistent hashing beats: key -> nodes[h(key) % N]."""
    moved = sum(_h(k.encode()) % 9 != _h(k.encode()) % 10 for k in KEYS) / len(KEYS)
    assert moved > 0.85


def test_errors_and_empty_ring() -> None:
    ring = ConsistentHashRing()
    assert len(ring) == 0
    assert ring.ownership() == {}
    with pytest.raises(EmptyRingError, match="^the ring has no nodes$"):
        ring.node_for("k")
    assert issubclass(EmptyRingError, LookupError)
    with pytest.raises(ValueError, match="^node already on the ring: 'a'$"):
        ConsistentHashRing(["a", "a"])
    with pytest.raises(TypeError, match="node names must be str, got 3"):
        ring.add_node(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^vnodes must be in \[1, 10000\], got -1$"):
        ConsistentHashRing(vnodes=-1)


def test_keys_past_the_last_point_wrap_to_the_first() -> None:
    # Pick node names whose first and last ring points belong to different nodes, so a
    # lookup that forgot to wrap (and used the last point) would give a different answer.
    for suffix in range(100):
        nodes = {f"a{suffix}", f"b{suffix}", f"c{suffix}"}
        points = sorted((_h(f"{n}#{i}".encode()), n) for n in nodes for i in range(5))
        if points[0][1] != points[-1][1]:
            break
    ring = ConsistentHashRing(sorted(nodes), vnodes=5)
    last, first_owner = points[-1][0], points[0][1]
    assert points[-1][1] != first_owner
    wrapping = [k for k in KEYS[:2000] if _h(b"s " + k.encode()) > last]
    assert len(wrapping) > 10  # the arc past the last point is about 1/15 of the circle
    assert all(ring.node_for(k) == first_owner for k in wrapping)
    assert all(brute_force_owner(nodes, 5, k) == first_owner for k in wrapping[:20])


def test_placement_is_deterministic() -> None:
    a = ConsistentHashRing(["x", "y", "z"])
    b = ConsistentHashRing(["z", "x", "y"])
    assert [a.node_for(k) for k in KEYS[:500]] == [b.node_for(k) for k in KEYS[:500]]
