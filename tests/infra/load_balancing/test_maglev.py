"""Maglev hashing against the paper's Table 1, its balance claim, and measured disruption."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.infra.load_balancing import (
    MaglevBalancer,
    is_prime,
    maglev_populate,
    mod_n_backend,
    removal_disruption,
    slot_changes,
)

PAPER = {  # Eisenbud et al., NSDI 2016, Table 1: M = 7, (offset, skip) = (3,4), (0,2), (3,1)
    "B0": [3, 0, 4, 1, 5, 2, 6],
    "B1": [0, 2, 4, 6, 1, 3, 5],
    "B2": [3, 4, 5, 6, 0, 1, 2],
}
PRIMES = [m for m in range(2, 400) if all(m % d for d in range(2, m))]


def test_paper_table_1_before_and_after_removing_b1() -> None:
    before = maglev_populate(PAPER)
    after = maglev_populate({"B0": PAPER["B0"], "B2": PAPER["B2"]})
    assert before == ["B1", "B0", "B1", "B0", "B2", "B2", "B0"]
    assert after == ["B0", "B0", "B0", "B0", "B2", "B2", "B2"]
    # "After B1 is removed, aside from updating all of the entries that contained B1, only
    # one other entry (row 6) needs to be changed" (rows numbered from 0, like the slots)
    changed = [i for i, (x, y) in enumerate(zip(before, after, strict=True)) if x != y]
    assert [i for i in changed if before[i] != "B1"] == [6]


def test_the_paper_offset_skip_formula_gives_the_table_1_permutations() -> None:
    for (offset, skip), name in zip([(3, 4), (0, 2), (3, 1)], PAPER, strict=True):
        assert [(offset + j * skip) % 7 for j in range(7)] == PAPER[name]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 30), m=st.sampled_from(PRIMES))
def test_every_backend_owns_floor_or_ceil_of_m_over_n_slots(n: int, m: int) -> None:
    if m < n:
        return
    lb = MaglevBalancer([f"b{i}" for i in range(n)], table_size=m)
    lb._check_invariants()
    counts = list(lb.counts().values())
    # The paper: "Each backend will take either floor(M/N) or ceil(M/N) entries"; the turns
    # run in order, so exactly the first M % N backends get the extra slot.
    assert counts == [m // n + (i < m % n) for i in range(n)]


@settings(max_examples=30, deadline=None)
@given(m=st.sampled_from(PRIMES), name=st.text(min_size=1, max_size=8))
def test_each_permutation_visits_every_slot_once(m: int, name: str) -> None:
    perm = MaglevBalancer(["x"], table_size=m).permutation(name)
    assert sorted(perm) == list(range(m))
    assert list(perm[0:2]) == [perm[0], perm[1]]


def test_disruption_on_removal_is_near_ideal_and_far_below_mod_n() -> None:
    d = removal_disruption(10, table_size=4099, keys=4000)
    assert d.ideal == pytest.approx(0.1)
    assert d.ideal * 0.8 <= d.maglev <= d.ideal * 1.5
    assert d.mod_n > 0.8  # about (N-1)/N move under hash mod N
    assert d.ring < 0.2


def test_removal_only_moves_the_removed_backends_slots_plus_a_few() -> None:
    names = [f"b{i}" for i in range(20)]
    before = MaglevBalancer(names, table_size=2003)
    after = MaglevBalancer(names[:7] + names[8:], table_size=2003)
    removed_share = before.counts()["b7"] / 2003
    extra = slot_changes(before.table, after.table) - removed_share
    assert 0 <= extra < removed_share  # the paper's "minimal disruption", measured


def test_lookup_is_deterministic_and_uses_the_table() -> None:
    lb = MaglevBalancer(["a", "b", "c"], table_size=101)
    assert lb.backend_for("\ud800") in {"a", "b", "c"}  # a lone surrogate still hashes
    assert {lb.backend_for(f"k{i}") for i in range(200)} == {"a", "b", "c"}
    assert lb.backend_for("k1") == MaglevBalancer(["a", "b", "c"], table_size=101).backend_for("k1")


def test_is_prime_agrees_with_trial_division() -> None:
    assert [n for n in range(400) if is_prime(n)] == PRIMES
    assert is_prime(65537)
    assert is_prime(5_000_011)
    assert not is_prime(65535)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"backends": []}, ValueError, "backends must not be empty, got []"),
        ({"backends": ["a", "a"]}, ValueError, "duplicates ['a']"),
        ({"backends": "ab"}, TypeError, "got str: 'ab'"),
        ({"backends": ["a", 3]}, TypeError, "backend name must be a str, got int: 3"),
        ({"backends": [""]}, ValueError, "non-empty str, got ''"),
        ({"backends": ["a"], "table_size": 12}, ValueError, "prime number, got 12"),
        (
            {"backends": ["a", "b", "c"], "table_size": 2},
            ValueError,
            "must be in [3, 5000011], got 2",
        ),
        ({"backends": ["a"], "table_size": True}, TypeError, "got bool: True"),
        ({"backends": ["a"], "table_size": 7.0}, TypeError, "got float: 7.0"),
        ({"backends": ["a"], "table_size": 5_000_017}, ValueError, "got 5000017"),
    ],
)
def test_maglev_balancer_bad_input(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as exc:
        MaglevBalancer(**kwargs)
    assert message in str(exc.value)


@pytest.mark.parametrize(
    ("prefs", "error", "message"),
    [
        ({}, ValueError, "at least one backend"),
        ([("a", [0])], TypeError, "must be a mapping"),
        ({"a": [0, 1], "b": [0]}, ValueError, "same length"),
        ({"a": [0], "b": [0]}, ValueError, ">= the number of backends 2, got 1"),
        ({"a": [0, 2]}, ValueError, "permutation of range(2), got [0, 2]"),
        ({"a": [0, True]}, TypeError, "got bool: True"),
        ({"a": [0.0, 1]}, TypeError, "got float: 0.0"),
        ({7: [0]}, TypeError, "got int: 7"),
        ({"a": None}, TypeError, "sequence of slots, got NoneType: None"),
        ({"a": "01"}, TypeError, "sequence of slots, got str: '01'"),
    ],
)
def test_maglev_populate_bad_input(prefs: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as exc:
        maglev_populate(prefs)
    assert message in str(exc.value)


def test_backend_for_and_slot_changes_bad_input() -> None:
    lb = MaglevBalancer(["a"], table_size=3)
    with pytest.raises(TypeError, match="key must be a str, got bytes"):
        lb.backend_for(b"k")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="equal length, got 1 and 2"):
        slot_changes(["a"], ["a", "b"])


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: removal_disruption(1), ValueError, "backends must be in [2, 10000], got 1"),
        (lambda: removal_disruption(True), TypeError, "got bool: True"),
        (lambda: removal_disruption(5, keys=0), ValueError, "got 0"),
        (lambda: removal_disruption(5, table_size=1000), ValueError, "prime number, got 1000"),
        (lambda: mod_n_backend("k", []), ValueError, "must not be empty"),
        (lambda: mod_n_backend(3, ["a"]), TypeError, "key must be a str, got int: 3"),  # type: ignore[arg-type]
    ],
)
def test_disruption_bad_input(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as exc:
        call()
    assert message in str(exc.value)
