"""SkipList: a RuleBasedStateMachine against a sorted-list model; level shape; search cost."""

from __future__ import annotations

import bisect
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from studybook.dsa.advanced_structures import SkipList


class SkipListMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.model: list[int] = []
        self.skip: SkipList[int] = SkipList()

    @initialize(seed=st.integers(0, 2**32), p=st.sampled_from([0.5, 0.25]))
    def make(self, seed: int, p: float) -> None:
        self.skip = SkipList(p=p, max_level=8, rng=random.Random(seed))

    @rule(x=st.integers(-30, 30))
    def insert(self, x: int) -> None:
        i = bisect.bisect_left(self.model, x)
        new = i == len(self.model) or self.model[i] != x
        if new:
            self.model.insert(i, x)
        assert self.skip.insert(x) is new

    @rule(x=st.integers(-30, 30))
    def remove(self, x: int) -> None:
        if x in self.model:
            self.model.remove(x)
            self.skip.remove(x)
        else:
            with pytest.raises(KeyError, match=f"^{x}$"):
                self.skip.remove(x)

    @rule(x=st.integers(-30, 30))
    def contains(self, x: int) -> None:
        assert (x in self.skip) == (x in self.model)

    @invariant()
    def matches_model(self) -> None:
        self.skip._check_invariants()
        assert list(self.skip) == self.model
        assert len(self.skip) == len(self.model)


TestSkipListMachine = SkipListMachine.TestCase
TestSkipListMachine.settings = settings(max_examples=100, stateful_step_count=40, deadline=None)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=3)), st.integers(0, 1000))
def test_sorted_iteration_of_any_comparable(values: list[str], seed: int) -> None:
    s = SkipList(values, rng=random.Random(seed))
    s._check_invariants()
    assert list(s) == sorted(set(values))
    assert repr(s) == f"SkipList({sorted(set(values))!r})"


@pytest.mark.parametrize("p", [0.5, 0.25])
def test_level_sizes_are_geometric(p: float) -> None:
    n = 20_000
    s = SkipList(range(n), p=p, rng=random.Random(11))
    sizes = [len(level) for level in s.levels()]
    assert sizes[0] == n
    for i in (1, 2, 3):
        expected = n * p**i
        assert abs(sizes[i] - expected) < 4 * math.sqrt(expected), (i, sizes[i], expected)


@pytest.mark.parametrize("p", [0.5, 0.25])
def test_search_cost_is_logarithmic(p: float) -> None:
    """Pugh (1990): expected search cost <= L(n)/p + 1/(1-p), L(n) = log_{1/p} n."""
    means = {}
    for n in (1_000, 16_000):
        s = SkipList(range(0, 2 * n, 2), p=p, rng=random.Random(5))
        s.search_steps = 0
        probes = random.Random(6).sample(range(2 * n), 2000)
        for x in probes:
            _ = x in s
        means[n] = s.search_steps / len(probes)
        bound = math.log(n, 1 / p) / p + 1 / (1 - p)
        assert means[n] <= 1.1 * bound, (n, means[n], bound)
    # 16x more elements costs about log_{1/p}(16)/p more steps, not 16x.
    growth = means[16_000] - means[1_000]
    assert 0 < growth < 2 * math.log(16, 1 / p) / p, means


def test_seeded_runs_are_reproducible() -> None:
    a = SkipList(range(200), rng=random.Random(99))
    b = SkipList(range(200), rng=random.Random(99))
    assert a.levels() == b.levels()


def test_errors() -> None:
    s = SkipList([1, 2, 3], rng=random.Random(0))
    with pytest.raises(KeyError, match="^4$"):
        s.remove(4)
    with pytest.raises(ValueError, match=r"^p must be in \(0, 1\), got 0$"):
        SkipList(p=0)
    with pytest.raises(ValueError, match=r"^max_level must be in \[1, 64\], got 0$"):
        SkipList(max_level=0)
    assert list(s) == [1, 2, 3]


def test_removing_everything_shrinks_the_levels() -> None:
    s = SkipList(range(500), rng=random.Random(3))
    assert len(s.levels()) > 5
    for x in range(500):
        s.remove(x)
        s._check_invariants()
    assert s.levels() == [[]]
    assert len(s) == 0
