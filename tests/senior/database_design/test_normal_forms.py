"""Closure, candidate keys and normal forms, against brute force and the worked schema."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.database_design import (
    FD,
    WORKED_SCHEMA,
    candidate_keys,
    closure,
    normal_form,
    parse_fds,
)

COLUMNS = ["a", "b", "c", "d", "e"]
# Wrongly typed arguments for the bad-input tests, typed Any so mypy lets them through.
ANY_INT: Any = 3
ANY_LIST: Any = ["a"]
ANY_INT_SET: Any = {1}


def _brute_keys(schema: frozenset[str], fds: list[FD]) -> list[tuple[str, ...]]:
    """Every subset whose closure is everything and that has no proper subset with that property."""
    supers = [
        frozenset(c)
        for n in range(1, len(schema) + 1)
        for c in combinations(sorted(schema), n)
        if _brute_closure(frozenset(c), fds) >= schema
    ]
    keys = [k for k in supers if not any(other < k for other in supers)]
    return sorted((tuple(sorted(k)) for k in keys), key=lambda k: (len(k), k))


def _brute_closure(attrs: frozenset[str], fds: list[FD]) -> frozenset[str]:
    """Apply the FDs in every order until a fixpoint: slow and obviously right."""
    known = set(attrs)
    for _ in range(len(fds) + 1):
        for left, right in fds:
            if left <= known:
                known |= right
    return frozenset(known)


fd_strategy = st.tuples(
    st.frozensets(st.sampled_from(COLUMNS), min_size=1, max_size=2),
    st.frozensets(st.sampled_from(COLUMNS), min_size=1, max_size=2),
)


@settings(max_examples=80, deadline=None)
@given(fds=st.lists(fd_strategy, max_size=6), start=st.frozensets(st.sampled_from(COLUMNS)))
def test_closure_and_keys_match_brute_force(fds: list[FD], start: frozenset[str]) -> None:
    schema = frozenset(COLUMNS)
    assert closure(start, fds) == _brute_closure(start, fds)
    assert closure(closure(start, fds), fds) == closure(start, fds)
    assert candidate_keys(schema, fds) == _brute_keys(schema, fds)


@settings(max_examples=80, deadline=None)
@given(fds=st.lists(fd_strategy, max_size=6))
def test_normal_form_definitions(fds: list[FD]) -> None:
    schema = frozenset(COLUMNS)
    form, why = normal_form(schema, fds)
    keys = [frozenset(k) for k in candidate_keys(schema, fds)]
    prime = frozenset().union(*keys)
    non_trivial = [(lhs, c) for lhs, rhs in fds for c in rhs - lhs]
    bcnf = all(closure(lhs, fds) >= schema for lhs, _ in non_trivial)
    third = all(closure(lhs, fds) >= schema or c in prime for lhs, c in non_trivial)
    # 2NF from the definition: no non-prime column in the closure of a proper part of a key.
    parts = [frozenset(p) for k in keys for n in range(1, len(k)) for p in combinations(k, n)]
    second = all(_brute_closure(part, fds) <= part | prime for part in parts)
    expected = "BCNF" if bcnf else "3NF" if third else "2NF" if second else "1NF"
    assert form == expected
    assert (why == "") == bcnf


def test_a_partial_dependency_that_is_only_implied_breaks_2nf() -> None:
    """Key (a, b); a -> c, c -> a, a, c -> d imply a -> d: part of a key determines non-prime d."""
    schema = {"a", "b", "c", "d"}
    fds = parse_fds("a -> c; c -> a; a, c -> d")
    assert candidate_keys(schema, fds) == [("a", "b"), ("b", "c")]
    assert normal_form(schema, fds) == ("1NF", "a -> d")


def test_worked_schema() -> None:
    found = {t: normal_form(cols, parse_fds(fds)) for t, (cols, fds) in WORKED_SCHEMA.items()}
    assert found == {
        "order_lines (flat)": ("1NF", "isbn -> author_id"),
        "orders": ("2NF", "customer_id -> email"),
        "books": ("2NF", "author_id -> author_name"),
        "advisors": ("3NF", "advisor -> genre"),
        "customers": ("BCNF", ""),
    }


def test_decomposition_reaches_bcnf() -> None:
    """The chapter's decomposition of the flat order lines: every table in BCNF."""
    tables = {
        "customers": ("customer_id, email", "customer_id -> email"),
        "orders": ("order_id, customer_id", "order_id -> customer_id"),
        "authors": ("author_id, author_name", "author_id -> author_name"),
        "books": ("isbn, title, author_id", "isbn -> title, author_id"),
        "order_lines": ("order_id, isbn, qty", "order_id, isbn -> qty"),
    }
    for columns, fds in tables.values():
        schema = {c.strip() for c in columns.split(",")}
        assert normal_form(schema, parse_fds(fds)) == ("BCNF", "")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: parse_fds("a -> "), ValueError, "an FD needs one '->'"),
        (lambda: parse_fds("a -> b -> c"), ValueError, "got 'a -> b -> c'"),
        (lambda: parse_fds(ANY_INT), TypeError, "text must be a str"),
        (lambda: candidate_keys(set(), []), ValueError, "schema must not be empty"),
        (lambda: candidate_keys(ANY_LIST, []), TypeError, "schema must be a set"),
        (lambda: candidate_keys(ANY_INT_SET, []), TypeError, "schema must be a set"),
        (lambda: normal_form({"a"}, parse_fds("a -> z")), ValueError, r"got \['z'\]"),
    ],
)
def test_bad_arguments(call: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]
