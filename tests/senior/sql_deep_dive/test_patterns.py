"""The interview queries against brute forces in Python, on random rows (Hypothesis)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from typing import cast

from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.sql_deep_dive import (
    DAILY_REVENUE_SERIES,
    EARN_MORE_THAN_MANAGER,
    FRAMES,
    LEFT_JOIN_FILTER_IN_ON,
    LEFT_JOIN_FILTER_IN_WHERE,
    LOGIN_STREAKS,
    NEVER_ORDERED_LEFT_JOIN,
    NEVER_ORDERED_NOT_EXISTS,
    NEVER_ORDERED_NOT_IN,
    ORG_CHART,
    RANKINGS,
    RUNNING_TOTAL,
    SECOND_HIGHEST_SALARY,
    SEED,
    SPEND_BY_STATUS,
    TOP_N_PER_GROUP,
    connect,
    rows,
    sql_not_in,
)

BASE = dt.date(2024, 1, 1)
DEPTS = [(1, "Engineering"), (2, "Sales"), (3, "Support")]


def day(offset: int) -> str:
    return (BASE + dt.timedelta(days=offset)).isoformat()


employees_st = st.lists(
    st.tuples(
        st.sampled_from(["Ann", "Bo", "Cy", "Di", "Ed"]),
        st.sampled_from([1, 2, 3, None]),
        st.integers(50, 60),
    ),
    max_size=12,
).map(lambda es: [(i + 1, n, d, None, s) for i, (n, d, s) in enumerate(es)])

orders_st = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(1, 4)),
        st.integers(0, 9),
        st.integers(1, 9),
        st.sampled_from(["paid", "open"]),
    ),
    max_size=15,
).map(lambda os: [(i + 1, c, day(d), a, s) for i, (c, d, a, s) in enumerate(os)])


@settings(max_examples=40)
@given(employees_st, st.integers(1, 4))
def test_top_n_per_group_matches_brute_force(employees: list[tuple[object, ...]], n: int) -> None:
    names = dict(DEPTS)
    by_dept: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for _id, name, dept, _m, salary in employees:
        if dept is not None:
            by_dept[dept].append((name, salary))  # type: ignore[arg-type,index]
    expected = []
    for dept, people in by_dept.items():
        cutoff = sorted({s for _, s in people}, reverse=True)[:n]
        expected += [(names[dept], name, s) for name, s in people if s in cutoff]
    got = rows(connect({"employees": employees}), TOP_N_PER_GROUP, {"n": n})
    assert got == sorted(expected, key=lambda r: (r[0], -r[2], r[1]))


@settings(max_examples=40)
@given(employees_st)
def test_rankings_match_their_definitions(employees: list[tuple[object, ...]]) -> None:
    got = rows(connect({"employees": employees}), RANKINGS)
    salaries = [r[1] for r in got]
    distinct = sorted(set(salaries), reverse=True)
    for i, (_name, salary, row_number, rank, dense) in enumerate(got):
        assert row_number == i + 1
        assert rank == 1 + sum(s > salary for s in salaries)  # type: ignore[operator]
        assert dense == distinct.index(salary) + 1
    second = rows(connect({"employees": employees}), SECOND_HIGHEST_SALARY)
    assert second == [(distinct[1] if len(distinct) > 1 else None,)]


@settings(max_examples=40)
@given(orders_st)
def test_running_total_and_frames(orders: list[tuple[object, ...]]) -> None:
    db = connect({"orders": orders})
    daily: dict[str, int] = defaultdict(int)
    for _id, _c, d, amount, _s in orders:
        daily[d] += amount  # type: ignore[index,operator]
    running = list(itertools.accumulate(daily[d] for d in sorted(daily)))
    assert rows(db, RUNNING_TOTAL) == [
        (d, daily[d], r) for d, r in zip(sorted(daily), running, strict=True)
    ]
    ordered = sorted(orders, key=lambda o: (o[2], o[0]))  # type: ignore[arg-type,return-value]
    by_rows = list(itertools.accumulate(o[3] for o in ordered))  # type: ignore[misc]
    by_range = [sum(daily[d] for d in daily if d <= o[2]) for o in ordered]  # type: ignore[operator]
    assert rows(db, FRAMES) == [
        (o[2], o[3], g, r) for o, g, r in zip(ordered, by_range, by_rows, strict=True)
    ]


@settings(max_examples=40)
@given(orders_st.filter(bool))
def test_series_fills_every_day(orders: list[tuple[object, ...]]) -> None:
    days = [o[2] for o in orders]
    first, last = dt.date.fromisoformat(min(days)), dt.date.fromisoformat(max(days))  # type: ignore[type-var,arg-type]
    expected = []
    d = first
    while d <= last:
        expected.append((d.isoformat(), sum(o[3] for o in orders if o[2] == d.isoformat())))  # type: ignore[misc]
        d += dt.timedelta(days=1)
    assert rows(connect({"orders": orders}), DAILY_REVENUE_SERIES) == expected


@settings(max_examples=40)
@given(st.lists(st.tuples(st.integers(1, 3), st.integers(0, 20)), max_size=25))
def test_login_streaks_match_a_scan(logins: list[tuple[int, int]]) -> None:
    expected = []
    for user in sorted({u for u, _ in logins}):
        days = sorted({d for u, d in logins if u == user})
        start = prev = days[0]
        for d in [*days[1:], None]:
            if d is not None and d == prev + 1:
                prev = d
                continue
            expected.append((user, day(start), day(prev), prev - start + 1))
            if d is not None:
                start = prev = d
    got = rows(connect({"logins": [(u, day(d)) for u, d in logins]}), LOGIN_STREAKS)
    assert got == expected


@settings(max_examples=40)
@given(orders_st)
def test_anti_joins_and_the_null_trap(orders: list[tuple[object, ...]]) -> None:
    db = connect({"orders": orders})
    customers = dict(SEED["customers"])  # type: ignore[arg-type]
    keys = [o[1] for o in orders]
    never = sorted(name for cid, name in customers.items() if cid not in keys)
    assert [r[0] for r in rows(db, NEVER_ORDERED_NOT_EXISTS)] == never
    assert [r[0] for r in rows(db, NEVER_ORDERED_LEFT_JOIN)] == never
    three_valued = sorted(n for cid, n in customers.items() if sql_not_in(cid, keys) is True)
    assert [r[0] for r in rows(db, NEVER_ORDERED_NOT_IN)] == three_valued
    if None in keys:
        assert three_valued == []


@settings(max_examples=40)
@given(orders_st, st.integers(0, 40))
def test_left_join_filters_and_conditional_aggregates(
    orders: list[tuple[object, ...]], minimum: int
) -> None:
    db = connect({"orders": orders})
    typed = cast("list[tuple[int, int | None, str, int, str]]", orders)
    customers = dict(cast("list[tuple[int, str]]", SEED["customers"]))
    in_on: list[tuple[str, int | None]] = []
    for cid, name in customers.items():
        mine = sorted(o[0] for o in typed if o[1] == cid and o[4] == "open")
        in_on += [(name, oid) for oid in mine] or [(name, None)]
    in_on.sort(key=lambda r: (r[0], -1 if r[1] is None else r[1]))
    assert rows(db, LEFT_JOIN_FILTER_IN_ON) == in_on
    # In WHERE the NULL-padded customers vanish: the outer join became an inner join.
    assert rows(db, LEFT_JOIN_FILTER_IN_WHERE) == [r for r in in_on if r[1] is not None]
    expected: list[tuple[str, int, int | None, int]] = []
    for cid, name in customers.items():
        amounts = [(o[3], o[4]) for o in typed if o[1] == cid]
        total = sum(a for a, _ in amounts)
        if amounts and total >= minimum:
            paid = [a for a, status in amounts if status == "paid"]
            opened = sum(status == "open" for _, status in amounts)
            expected.append((name, total, sum(paid) if paid else None, opened))
    expected.sort(key=lambda r: (-r[1], r[0]))
    assert rows(db, SPEND_BY_STATUS, {"minimum": minimum}) == expected


@settings(max_examples=40)
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=12), st.data())
def test_org_chart_depths_match_a_walk(salaries: list[int], data: st.DataObject) -> None:
    # Employee i > 0 reports to a random earlier employee, so the graph is a tree.
    employees: list[tuple[int, str, int, int | None, int]] = [(1, "e1", 1, None, salaries[0])]
    for i, s in enumerate(salaries[1:], start=2):
        employees.append((i, f"e{i}", 1, data.draw(st.integers(1, i - 1)), s))
    parent = {e[0]: e[3] for e in employees}

    def path(eid: int) -> str:
        return f"e{eid}" if parent[eid] is None else f"{path(parent[eid])} > e{eid}"  # type: ignore[arg-type]

    expected = sorted((path(e).count(">"), path(e)) for e in parent)
    db = connect({"employees": employees})
    assert sorted(rows(db, ORG_CHART)) == expected  # type: ignore[type-var]
    over = sorted(
        (e[1], e[4], f"e{e[3]}", salaries[e[3] - 1])  # type: ignore[operator]
        for e in employees
        if e[3] is not None and e[4] > salaries[e[3] - 1]  # type: ignore[operator]
    )
    assert rows(db, EARN_MORE_THAN_MANAGER) == over


def test_sql_not_in_matches_sqlite_exhaustively() -> None:
    # The space is small: every value in {NULL, 0, 1, 2} against every list of
    # up to three such values, as a literal list and as a subquery (340 cases).
    db = connect()
    domain: list[int | None] = [None, 0, 1, 2]
    for length in range(4):
        for items in itertools.product(domain, repeat=length):
            subquery = " UNION ALL ".join(["SELECT ?"] * length) or "SELECT 1 WHERE 0"
            literal = ", ".join("?" * length)
            for value in domain:
                want = sql_not_in(value, items)
                got = rows(db, f"SELECT ? NOT IN ({subquery})", [value, *items])[0][0]
                assert want == (None if got is None else bool(got)), (value, items)
                if length:
                    got = rows(db, f"SELECT ? NOT IN ({literal})", [value, *items])[0][0]
                    assert want == (None if got is None else bool(got)), (value, items)
