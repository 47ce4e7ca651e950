"""The helpers, index plans, SQLite's whole-database write lock, and bad input."""

from __future__ import annotations

import io
import math
import sqlite3
from pathlib import Path

import pytest

from studybook.senior.sql_deep_dive import (
    ALIAS_IN_WHERE,
    SEED,
    connect,
    demo,
    explain,
    postgres_script,
    rows,
    sql_not_in,
    table,
)


def test_seed_is_loaded_exactly() -> None:
    db = connect()
    for name, seeded in SEED.items():
        assert rows(db, f"SELECT * FROM {name}") == seeded  # noqa: S608


def test_index_kinds_change_the_plan() -> None:
    db = connect()
    lookup = "SELECT * FROM orders WHERE customer_id = 1"
    assert explain(db, lookup).splitlines()[1:] == ["`--SCAN orders"]
    db.execute("CREATE INDEX by_customer ON orders (customer_id)")
    assert "SEARCH orders USING INDEX by_customer (customer_id=?)" in explain(db, lookup)
    db.execute("CREATE INDEX covering ON orders (customer_id, day, amount)")
    plan = explain(db, "SELECT day, amount FROM orders WHERE customer_id = 1 ORDER BY day")
    assert "USING COVERING INDEX covering" in plan
    assert "TEMP B-TREE" not in plan
    db.execute("CREATE INDEX open_by_day ON orders (day) WHERE status = 'open'")
    partial = explain(db, "SELECT id FROM orders WHERE status = 'open' AND day > '2024-01-03'")
    assert "USING INDEX open_by_day" in partial
    # Without the status condition the partial index cannot answer: it lacks the paid rows.
    assert "open_by_day" not in explain(db, "SELECT id FROM orders WHERE day > '2024-01-03'")


def test_explain_draws_nested_nodes() -> None:
    plan = explain(
        connect(),
        "SELECT name FROM customers AS c WHERE NOT EXISTS "
        "(SELECT 1 FROM orders AS o WHERE o.customer_id = c.id)",
    )
    assert plan == ("QUERY PLAN\n|--SCAN c\n`--CORRELATED SCALAR SUBQUERY 1\n   `--SCAN o")


def test_sqlite_accepts_an_alias_in_where_and_rejects_a_window_there() -> None:
    db = connect()
    assert rows(db, ALIAS_IN_WHERE) == [(60,), (100,), (80,)]
    with pytest.raises(sqlite3.OperationalError, match="misuse of window function"):
        rows(db, "SELECT id FROM orders WHERE ROW_NUMBER() OVER (ORDER BY id) = 1")


def test_sqlite_has_one_writer_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    a = sqlite3.connect(path, timeout=0, isolation_level=None)
    b = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        a.execute("CREATE TABLE t (x INTEGER)")
        a.execute("BEGIN IMMEDIATE")
        a.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            b.execute("BEGIN IMMEDIATE")
        # A reader still sees the last committed state (rollback journal: no dirty read).
        assert b.execute("SELECT count(*) FROM t").fetchone() == (0,)
        a.execute("COMMIT")
        b.execute("BEGIN IMMEDIATE")
        b.execute("COMMIT")
        assert b.execute("SELECT count(*) FROM t").fetchone() == (1,)
    finally:
        a.close()
        b.close()


def test_table_pads_and_shows_null() -> None:
    assert table(connect(), "SELECT NULL AS a, 'wide value' AS b") == (
        "a    | b\n-----+-----------\nNULL | wide value"
    )


def test_demo_writes_its_whole_tour() -> None:
    buf = io.StringIO()
    demo(buf)
    text = buf.getvalue()
    assert "NOT IN -> [], NOT EXISTS -> ['Carol', 'Dave']" in text
    assert text.count("QUERY PLAN") == 2
    assert text.endswith("USING COVERING INDEX orders_by_customer (customer_id=?)\n")


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (lambda: connect([]), TypeError, "[]"),  # type: ignore[arg-type]
        (lambda: connect({"nope": []}), ValueError, "'nope'"),
        (lambda: connect({"logins": [(1,)]}), ValueError, "(1,)"),
        (lambda: connect({"logins": ["ab"]}), ValueError, "'ab'"),
        (lambda: rows("db", "SELECT 1"), TypeError, "'db'"),  # type: ignore[arg-type]
        (lambda: rows(connect(), 1), TypeError, "1"),  # type: ignore[arg-type]
        (lambda: rows(connect(), ""), ValueError, "''"),
        (lambda: rows(connect(), "SELECT ?", "x"), TypeError, "'x'"),
        (lambda: table(None, "SELECT 1"), TypeError, "None"),  # type: ignore[arg-type]
        (lambda: explain(connect(), b"SELECT 1"), TypeError, "b'SELECT 1'"),  # type: ignore[arg-type]
        (lambda: explain(connect(), "\n"), ValueError, "'\\n'"),
        (lambda: sql_not_in(1, "abc"), TypeError, "'abc'"),
        (lambda: postgres_script(""), ValueError, "''"),
        (lambda: postgres_script("Upper"), ValueError, "'Upper'"),
        (lambda: postgres_script("a" * 64), ValueError, "a" * 64),
        (lambda: postgres_script(math.nan), TypeError, "nan"),  # type: ignore[arg-type]
        (lambda: demo(object()), TypeError, "object"),  # type: ignore[arg-type]
    ],
)
def test_bad_input(call: object, error: type[Exception], fragment: str) -> None:
    with pytest.raises(error) as info:
        call()  # type: ignore[operator]
    assert fragment in str(info.value)


def test_huge_and_unicode_values_round_trip() -> None:
    db = connect({"customers": [(1, "Zoë " * 1000), (2**62, "名前")]})
    assert rows(db, "SELECT id, length(name) FROM customers ORDER BY id") == [(1, 4000), (2**62, 2)]
