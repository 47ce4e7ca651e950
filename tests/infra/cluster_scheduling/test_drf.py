"""DRF against the paper's worked example, a brute-force re-run of the rule, and bad input."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.infra.cluster_scheduling import MAX_TASKS, dominant_share, drf, drf_trace


def test_the_papers_worked_example() -> None:
    # Ghodsi et al., NSDI 2011, section 4: 9 CPUs and 18 GB; A <1 CPU, 4 GB>, B <3 CPUs, 1 GB>.
    # A gets 3 tasks <3 CPUs, 12 GB>, B gets 2 tasks <6 CPUs, 2 GB>; both dominant shares 2/3.
    assert drf((9, 18), {"A": (1, 4), "B": (3, 1)}) == {"A": 3, "B": 2}
    trace = drf_trace((9, 18), {"A": (1, 4), "B": (3, 1)})
    assert [s.user for s in trace] == ["A", "B", "A", "B", "A"]
    assert trace[-1].consumed == (Fraction(9), Fraction(14))
    assert (
        dominant_share((1, 4), (9, 18), 3) == dominant_share((3, 1), (9, 18), 2) == Fraction(2, 3)
    )


def test_ties_go_to_the_user_listed_first() -> None:
    assert drf((1,), {"x": (1,), "y": (1,)}) == {"x": 1, "y": 0}
    assert drf((1,), {"y": (1,), "x": (1,)}) == {"y": 1, "x": 0}
    assert list(drf((3,), {"b": (1,), "a": (1,)})) == ["b", "a"]


def test_a_user_whose_task_no_longer_fits_is_skipped_not_the_end() -> None:
    # A has the lowest share but its 2nd task (5 CPUs) no longer fits; B still gets more.
    assert drf((6, 6), {"A": (5, 1), "B": (1, 1)}) == {"A": 1, "B": 1}
    assert drf((9, 9), {"A": (5, 1), "B": (1, 1)}) == {"A": 1, "B": 4}


def test_whole_tasks_can_break_sharing_incentive() -> None:
    # Half of 10 CPUs would give B five 1-CPU tasks; DRF with whole tasks gives it four.
    assert drf((10,), {"A": (3,), "B": (1,)}) == {"A": 2, "B": 4}


def test_a_lone_user_fills_the_cluster_to_its_tightest_resource() -> None:
    assert drf((10, 7), {"solo": (3, 2)}) == {"solo": 3}
    assert drf((10, 7), {"solo": (0, 2)}) == {"solo": 3}
    assert drf((1.0, 1.0), {"a": (0.1, 0.3)}) == {"a": 3}
    assert drf((10**400, 1), {"a": (10**399, 0)}) == {"a": 10}  # beyond float range, exact


def _progressive_filling_model(
    capacity: Sequence[int], demands: Mapping[str, Sequence[int]]
) -> dict[str, int]:
    """Re-run the rule from scratch at every step, with nothing carried between steps."""
    users = list(demands)
    counts = dict.fromkeys(users, 0)
    cap = [Fraction(c) for c in capacity]
    while True:
        used = [sum(Fraction(demands[u][j]) * counts[u] for u in users) for j in range(len(cap))]
        ranked = sorted(
            range(len(users)),
            key=lambda i: (
                counts[users[i]]
                * max(Fraction(x) / c for x, c in zip(demands[users[i]], cap, strict=True)),
                i,
            ),
        )
        for i in ranked:
            d = demands[users[i]]
            if all(used[j] + d[j] <= cap[j] for j in range(len(cap))):
                counts[users[i]] += 1
                break
        else:
            return counts


drf_cases = st.integers(1, 3).flatmap(
    lambda m: st.tuples(
        st.tuples(*[st.integers(1, 30)] * m),
        st.dictionaries(
            st.sampled_from("ABCDE"),
            st.tuples(*[st.integers(0, 10)] * m).filter(any),
            min_size=1,
            max_size=5,
        ),
    )
)


@settings(max_examples=60, deadline=None)
@given(drf_cases)
def test_every_launch_follows_the_rule_and_the_result_is_maximal_and_matches_a_rerun(
    case: tuple[tuple[int, ...], dict[str, tuple[int, ...]]],
) -> None:
    capacity, demands = case
    counts = dict.fromkeys(demands, 0)
    consumed = (0,) * len(capacity)
    for step in drf_trace(capacity, demands):
        fitting = [
            u
            for u, d in demands.items()
            if all(c + x <= t for c, x, t in zip(consumed, d, capacity, strict=True))
        ]
        shares = [dominant_share(demands[u], capacity, counts[u]) for u in fitting]
        # The lowest share among the users whose next task fits; ties to the one listed first.
        assert step.user == fitting[shares.index(min(shares))]
        counts[step.user] += 1
        assert step.tasks == counts[step.user]
        assert step.dominant_share == dominant_share(demands[step.user], capacity, step.tasks)
        consumed = tuple(c + x for c, x in zip(consumed, demands[step.user], strict=True))
        assert step.consumed == consumed
    tasks = drf(capacity, demands)
    assert tasks == counts
    assert list(tasks) == list(demands)
    assert all(c <= t for c, t in zip(consumed, capacity, strict=True))
    for u, d in demands.items():  # nobody's next task fits
        assert any(consumed[j] + d[j] > capacity[j] for j in range(len(capacity))), u
    assert tasks == _progressive_filling_model(capacity, demands)


@pytest.mark.parametrize(
    ("capacity", "demands", "error", "message"),
    [
        ((0, 18), {"A": (1, 4)}, ValueError, "capacity[0] must be a finite number > 0, got 0"),
        ((9, -1), {"A": (1, 4)}, ValueError, "capacity[1] must be a finite number > 0, got -1"),
        ((), {"A": (1, 4)}, ValueError, "capacity must be non-empty, got ()"),
        (
            (9, float("nan")),
            {"A": (1, 4)},
            ValueError,
            "capacity[1] must be a finite number > 0, got nan",
        ),
        ((9, True), {"A": (1, 4)}, TypeError, "capacity[1] must be a number, got bool: True"),
        (
            (9, 18),
            {"A": (1, 4, 2)},
            ValueError,
            "demands['A'] must have 2 amounts (one per resource), got 3",
        ),
        (
            (9, 18),
            {"A": (1,)},
            ValueError,
            "demands['A'] must have 2 amounts (one per resource), got 1",
        ),
        (
            (9, 18),
            {"A": (0, 0)},
            ValueError,
            "demands['A'] must ask for some resource, got all zeros",
        ),
        (
            (9, 18),
            {"A": (1, -4)},
            ValueError,
            "demands['A'][1] must be a finite number >= 0, got -4",
        ),
        (
            (9, 18),
            {"A": (1, float("inf"))},
            ValueError,
            "demands['A'][1] must be a finite number >= 0, got inf",
        ),
        (
            (9, 18),
            {"A": (False, 4)},
            TypeError,
            "demands['A'][0] must be a number, got bool: False",
        ),
        ((9, 18), {"A": "14"}, TypeError, "demands['A'] must be a list or tuple, got str: '14'"),
        ((9, 18), {}, ValueError, "demands must name at least one user, got {}"),
        ((9, 18), [("A", (1, 4))], TypeError, "demands must be a mapping user -> demand, got list"),
        ((9, 18), {7: (1, 4)}, TypeError, "user must be a str, got int: 7"),
        ((9, 18), {"": (1, 4)}, ValueError, "user must be a non-empty str, got ''"),
        ((10**9,), {"A": (1,)}, ValueError, f"more than MAX_TASKS = {MAX_TASKS}"),
        ("9", {"A": (1,)}, TypeError, "capacity must be a list or tuple, got str: '9'"),
    ],
)
def test_bad_input_names_the_value(
    capacity: object, demands: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as exc:
        drf(capacity, demands)  # type: ignore[arg-type]
    assert message in str(exc.value)
    with pytest.raises(error):
        drf_trace(capacity, demands)  # type: ignore[arg-type]


def test_dominant_share_rejects_bad_task_counts() -> None:
    assert dominant_share((1, 4), (9, 18), 0) == 0
    with pytest.raises(ValueError, match="tasks must be >= 0, got -1"):
        dominant_share((1, 4), (9, 18), -1)
    with pytest.raises(TypeError, match="tasks must be an int, got bool: True"):
        dominant_share((1, 4), (9, 18), True)
    with pytest.raises(TypeError, match="tasks must be an int, got float: 2.0"):
        dominant_share((1, 4), (9, 18), 2.0)  # type: ignore[arg-type]
