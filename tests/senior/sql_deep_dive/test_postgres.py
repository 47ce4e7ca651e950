"""The PostgreSQL-only queries, run against a real PostgreSQL server (fixture ``postgres_dsn``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from studybook.senior.sql_deep_dive import (
    ALIAS_IN_WHERE,
    CLAIM_JOB,
    EXPLAIN_ANALYZE,
    LATEST_ORDER_DISTINCT_ON,
    SPEND_BY_STATUS,
    TOP_N_PER_GROUP,
    TOP_TWO_ORDERS_LATERAL,
    connect,
    postgres_script,
    rows,
)

psycopg = pytest.importorskip("psycopg")


@pytest.fixture(scope="module")
def schema(postgres_dsn: str) -> Iterator[str]:
    """One schema for the module: every test only reads, or locks and rolls back."""
    name = f"sql_deep_dive_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(postgres_script(name))
    yield name
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


def pg_rows(dsn: str, schema: str, sql: str, params: object = None) -> list[tuple[object, ...]]:
    with psycopg.connect(dsn, options=f"-c search_path={schema}") as conn:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]


def test_distinct_on_equals_row_number_on_sqlite(postgres_dsn: str, schema: str) -> None:
    window = (
        "SELECT customer_id, day, amount FROM (SELECT *, ROW_NUMBER() OVER "
        "(PARTITION BY customer_id ORDER BY day DESC, id DESC) AS rn FROM orders "
        "WHERE customer_id IS NOT NULL) WHERE rn = 1 ORDER BY customer_id"
    )
    got = pg_rows(postgres_dsn, schema, LATEST_ORDER_DISTINCT_ON)
    assert got == rows(connect(), window) == [(1, "2024-01-04", 10), (2, "2024-01-05", 40)]


def test_lateral_top_two_per_customer(postgres_dsn: str, schema: str) -> None:
    assert pg_rows(postgres_dsn, schema, TOP_TWO_ORDERS_LATERAL) == [
        ("Alice", "2024-01-01", 30),
        ("Alice", "2024-01-02", 20),
        ("Bob", "2024-01-02", 50),
        ("Bob", "2024-01-05", 40),
    ]


def test_portable_queries_agree_with_sqlite(postgres_dsn: str, schema: str) -> None:
    for sql, params in [(TOP_N_PER_GROUP, {"n": 2}), (SPEND_BY_STATUS, {"minimum": 50})]:
        pg_sql = sql.replace(":n", "%(n)s").replace(":minimum", "%(minimum)s")
        pg = pg_rows(postgres_dsn, schema, pg_sql, params)
        assert [
            tuple(int(v) if hasattr(v, "as_integer_ratio") else v for v in r) for r in pg
        ] == rows(connect(), sql, params)


def test_explain_analyze_reports_actual_rows(postgres_dsn: str, schema: str) -> None:
    plan = "\n".join(str(r[0]) for r in pg_rows(postgres_dsn, schema, EXPLAIN_ANALYZE))
    assert "HashAggregate (actual rows=3 loops=1)" in plan
    assert "Seq Scan on orders (actual rows=6 loops=1)" in plan


def test_postgres_rejects_an_alias_in_where(postgres_dsn: str, schema: str) -> None:
    with pytest.raises(psycopg.errors.UndefinedColumn, match='column "doubled" does not exist'):
        pg_rows(postgres_dsn, schema, ALIAS_IN_WHERE)


def test_skip_locked_gives_each_worker_its_own_job(postgres_dsn: str, schema: str) -> None:
    opts = f"-c search_path={schema}"
    with (
        psycopg.connect(postgres_dsn, options=opts) as a,
        psycopg.connect(postgres_dsn, options=opts) as b,
    ):
        first = a.execute(CLAIM_JOB).fetchone()
        second = b.execute(CLAIM_JOB).fetchone()
        third = b.execute(CLAIM_JOB).fetchone()
        assert (first, second, third) == ((3,), (4,), (4,))
        a.rollback()
        b.rollback()
        a.execute("SET lock_timeout = '50ms'")
        b.execute(CLAIM_JOB.replace(" SKIP LOCKED", ""))
        with pytest.raises(psycopg.errors.LockNotAvailable):
            a.execute(CLAIM_JOB.replace(" SKIP LOCKED", ""))
