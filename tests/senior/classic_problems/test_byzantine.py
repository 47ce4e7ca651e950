"""OM(m): IC1 and IC2 hold whenever n >= 3m + 1 and at most m traitors; n = 3, m = 1 fails."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.classic_problems import (
    ATTACK,
    RETREAT,
    check_om,
    liar,
    majority,
    message_count,
    oral_messages,
    random_strategy,
    silent,
    two_faced,
)

CHOICES = (ATTACK, RETREAT, None)


def _traitor_messages(n, m, traitors):
    """The (path, receiver) of every message the traitors send, in order."""
    seen = []

    def record(path, receiver, value):
        seen.append((path, receiver))
        return value

    oral_messages(n, m, traitors=traitors, strategy=record)
    return seen


def _every_behaviour(n, m, traitors):
    """Every assignment of attack/retreat/nothing to every message the traitors send."""
    slots = _traitor_messages(n, m, traitors)
    for choice in itertools.product(CHOICES, repeat=len(slots)):
        table = dict(zip(slots, choice, strict=True))
        yield lambda path, receiver, value, table=table: table[(path, receiver)]


@pytest.mark.parametrize(("n", "m"), [(4, 1), (5, 1)])
def test_exhaustive_every_traitor_behaviour_meets_ic1_and_ic2(n, m):
    runs = 0
    for traitor in range(n):
        for order in (ATTACK, RETREAT):
            for strategy in _every_behaviour(n, m, [traitor]):
                run = oral_messages(n, m, order=order, traitors=[traitor], strategy=strategy)
                assert run.ic1, run
                assert run.ic2, run
                runs += 1
    # the commander sends n - 1 messages, a lieutenant n - 2: 3 choices each
    assert runs == 2 * (3 ** (n - 1) + (n - 1) * 3 ** (n - 2))


def test_exhaustive_n3_m1_finds_the_failure_and_it_is_ic2():
    failures = [
        (traitor, order)
        for traitor in range(3)
        for order in (ATTACK, RETREAT)
        for strategy in _every_behaviour(3, 1, [traitor])
        if not (run := oral_messages(3, 1, order=order, traitors=[traitor], strategy=strategy)).ic1
        or not run.ic2
    ]
    assert failures
    # with a traitor commander the two lieutenants still agree (ties default to retreat);
    # every failure is a loyal commander disobeyed
    assert all(traitor != 0 for traitor, _ in failures)


def test_three_generals_one_traitor_counterexample():
    run = oral_messages(3, 1, order=ATTACK, traitors=[2], strategy=liar)
    assert run.decisions == {1: RETREAT, 2: ATTACK}
    assert run.ic1  # trivially: only one loyal lieutenant
    assert not run.ic2  # the loyal lieutenant 1 disobeys the loyal commander
    fixed = oral_messages(4, 1, order=ATTACK, traitors=[3], strategy=liar)
    assert fixed.loyal_decisions == {1: ATTACK, 2: ATTACK}


@st.composite
def bounded_runs(draw):
    n = draw(st.integers(4, 7))
    m = draw(st.integers(1, (n - 1) // 3))
    traitors = draw(st.sets(st.integers(0, n - 1), max_size=m))
    return n, m, sorted(traitors), draw(st.sampled_from([ATTACK, RETREAT]))


@settings(max_examples=60, deadline=None)
@given(bounded_runs(), st.data())
def test_hypothesis_adversary_cannot_break_om_within_the_bound(case, data):
    n, m, traitors, order = case
    choices: dict[tuple[tuple[int, ...], int], str | None] = {}

    def adversary(path, receiver, value):
        if (path, receiver) not in choices:
            choices[(path, receiver)] = data.draw(st.sampled_from(CHOICES))
        return choices[(path, receiver)]

    run = oral_messages(n, m, order=order, traitors=traitors, strategy=adversary)
    assert run.ic1
    assert run.ic2


def test_more_traitors_than_m_can_break_it():
    assert check_om(4, 1, 2, seeds=2)[1] > 0
    assert check_om(6, 2, 2, seeds=2)[1] > 0  # m = 2 needs 7 generals
    assert check_om(7, 2, 2, seeds=2)[1] == 0


@given(st.integers(2, 7), st.data())
@settings(max_examples=30, deadline=None)
def test_message_count_matches_the_run(n, data):
    m = data.draw(st.integers(0, min(n - 2, 2)))
    assert oral_messages(n, m).messages == message_count(n, m)


@given(st.lists(st.sampled_from(CHOICES), max_size=9))
def test_majority_against_counter(values):
    counts = Counter(RETREAT if v is None else v for v in values)
    top, count = counts.most_common(1)[0] if counts else (RETREAT, 0)
    assert majority(values) == (top if 2 * count > len(values) else RETREAT)


def test_strategies_are_deterministic():
    assert [two_faced((0,), r, RETREAT) for r in (1, 2)] == [RETREAT, ATTACK]
    assert silent((0, 1), 2, ATTACK) is None
    a, b = random_strategy(3), random_strategy(3)
    assert [a((0,), r, ATTACK) for r in range(10)] == [b((0,), r, ATTACK) for r in range(10)]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 1}, ValueError, "n must be in [2, 12], got 1"),
        ({"n": 13}, ValueError, "n must be in [2, 12], got 13"),
        ({"n": 4.0}, TypeError, "n must be an int, got float: 4.0"),
        ({"m": -1}, ValueError, "m must be in [0, 2], got -1"),
        ({"m": True}, TypeError, "m must be an int, got bool: True"),
        ({"order": "charge"}, ValueError, "order must be 'attack' or 'retreat', got 'charge'"),
        ({"traitors": [4]}, ValueError, "traitors must be distinct ints in [0, 4), got [4]"),
        ({"traitors": [1, 1]}, ValueError, "got [1, 1]"),
        ({"traitors": [True]}, ValueError, "got [True]"),
        ({"traitors": "12"}, TypeError, "traitors must be an iterable of ints, got '12'"),
        ({"strategy": 3}, TypeError, "strategy must be callable, got int: 3"),
        (
            {"traitors": [0], "strategy": lambda p, r, v: "charge"},
            ValueError,
            "strategy must return 'attack', 'retreat' or None, got 'charge'",
        ),
    ],
)
def test_oral_messages_rejects_bad_input(kwargs, error, message):
    params = {"n": 4, "m": 1, **kwargs}
    n, m = params.pop("n"), params.pop("m")
    with pytest.raises(error) as info:
        oral_messages(n, m, **params)
    assert message in str(info.value)


def test_bad_input_at_the_helpers():
    with pytest.raises(ValueError, match=r"m must be in \[0, 1\], got 2"):
        message_count(3, 2)
    with pytest.raises(TypeError, match="seed must be an int, got str: 'x'"):
        random_strategy("x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"traitor_count must be in \[0, 4\], got 5"):
        check_om(4, 1, 5)
