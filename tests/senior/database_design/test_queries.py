"""N+1 vs JOIN vs batched, counted with SQLite's trace callback; EXPLAIN QUERY PLAN."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.database_design import (
    BOOKS_BY_AUTHOR,
    QueryLog,
    books_by_author_batched,
    books_by_author_join,
    books_by_author_n_plus_one,
    explain,
    make_bookshop,
)


def _model(authors: int, books_per_author: int, conn: sqlite3.Connection) -> dict[str, list[str]]:
    """What each author's list must be: every title once, in insertion (id) order."""
    rows = conn.execute("SELECT author_id, title FROM books ORDER BY id").fetchall()
    model: dict[str, list[str]] = {f"author {a}": [] for a in range(1, authors + 1)}
    for author_id, title in rows:
        model[f"author {author_id}"].append(title)
    assert sum(map(len, model.values())) == authors * books_per_author
    return model


@settings(max_examples=25, deadline=None)
@given(
    authors=st.integers(0, 30),
    books_per_author=st.integers(0, 4),
    batch=st.integers(1, 40),
    seed=st.integers(0, 99),
    index=st.booleans(),
)
def test_three_ways_agree_and_count_their_queries(
    authors: int, books_per_author: int, batch: int, seed: int, index: bool
) -> None:
    conn = make_bookshop(authors=authors, books_per_author=books_per_author, seed=seed, index=index)
    model = _model(authors, books_per_author, conn)
    counts = []
    for fetch in (
        books_by_author_n_plus_one,
        books_by_author_join,
        lambda c: books_by_author_batched(c, batch=batch),
    ):
        with QueryLog(conn) as log:
            assert fetch(conn) == model
        counts.append(len(log.statements))
    assert counts == [1 + authors, 1, 1 + -(-authors // batch)]
    conn.close()


def test_query_log_records_the_sql_text_and_stops_on_exit() -> None:
    conn = make_bookshop(authors=2, books_per_author=1)
    with QueryLog(conn) as log:
        books_by_author_n_plus_one(conn)
    conn.execute("SELECT 1")
    assert log.statements == [
        "SELECT id, name FROM authors ORDER BY id",
        BOOKS_BY_AUTHOR.replace("?", "1"),
        BOOKS_BY_AUTHOR.replace("?", "2"),
    ]


def test_explain_before_and_after_indexes() -> None:
    conn = make_bookshop(authors=5, books_per_author=3)
    assert explain(conn, BOOKS_BY_AUTHOR, (1,)) == ["SCAN books"]
    conn.execute("CREATE INDEX books_author_id ON books(author_id)")
    assert explain(conn, BOOKS_BY_AUTHOR, (1,)) == [
        "SEARCH books USING INDEX books_author_id (author_id=?)"
    ]
    covering = "SELECT author_id, count(*) FROM books GROUP BY author_id"
    assert explain(conn, covering) == ["SCAN books USING COVERING INDEX books_author_id"]
    join = "SELECT a.name, b.title FROM authors a JOIN books b ON b.author_id = a.id"
    # SQLite 3.40 drives the join from books and probes authors by primary key.
    assert explain(conn, join) == ["SCAN b", "SEARCH a USING INTEGER PRIMARY KEY (rowid=?)"]


def test_explain_indents_nested_plans() -> None:
    conn = make_bookshop(authors=1, books_per_author=1)
    lines = explain(conn, "SELECT * FROM authors WHERE id IN (SELECT author_id FROM books)")
    assert lines[0] == "SEARCH authors USING INTEGER PRIMARY KEY (rowid=?)"
    assert lines[1] == "LIST SUBQUERY 1"
    assert lines[2] == "  SCAN books"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"authors": -1}, ValueError, "authors must be >= 0, got -1"),
        ({"books_per_author": -2}, ValueError, "books_per_author must be >= 0, got -2"),
        ({"authors": True}, TypeError, "authors must be an int, got bool"),
        ({"authors": 1.0}, TypeError, "authors must be an int, got float"),
        ({"seed": "x"}, TypeError, "seed must be an int"),
        ({"authors": 10**6, "books_per_author": 10**6}, ValueError, "at most 10 million books"),
    ],
)
def test_make_bookshop_bad_arguments(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        make_bookshop(**kwargs)  # type: ignore[arg-type]


def test_other_bad_arguments() -> None:
    conn = make_bookshop(authors=1, books_per_author=1)
    with pytest.raises(ValueError, match="batch must be in \\[1, 32766\\], got 0"):
        books_by_author_batched(conn, batch=0)
    with pytest.raises(TypeError, match="batch must be an int, got bool"):
        books_by_author_batched(conn, batch=True)
    with pytest.raises(ValueError, match="sql must be a non-empty str, got ''"):
        explain(conn, "")
    with pytest.raises(TypeError, match="sql must be a str"):
        explain(conn, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="conn must be a sqlite3.Connection, got 'db'"):
        QueryLog("db")  # type: ignore[arg-type]
