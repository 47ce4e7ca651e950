"""The isolation scripts, run on a real PostgreSQL 15 with two interleaved psycopg connections."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest
from psycopg import errors

from studybook.senior.database_design import SCENARIOS, format_scenario, run_scenario

Conn = psycopg.Connection[tuple[object, ...]]
Accounts = tuple[str, Conn, Conn]


def _table() -> str:
    return f"dd_{uuid.uuid4().hex[:12]}"


def _connector(dsn: str) -> Callable[[], Conn]:
    return lambda: psycopg.connect(dsn, autocommit=True, connect_timeout=10)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_step_shows_what_the_page_says(postgres_dsn: str, name: str) -> None:
    scenario = SCENARIOS[name]
    results, final = run_scenario(scenario, _connector(postgres_dsn), _table())
    assert [(r.step.session, r.step.sql, r.shown) for r in results] == [
        (s.session, s.sql, s.expect) for s in scenario.steps
    ]
    assert final == scenario.final_expect


def test_server_is_postgresql_15(postgres_dsn: str) -> None:
    with psycopg.connect(postgres_dsn) as conn:
        row = conn.execute("SHOW server_version_num").fetchone()
    assert row is not None
    assert 150000 <= int(row[0]) < 160000


@pytest.fixture
def accounts(postgres_dsn: str) -> Iterator[Accounts]:
    table = _table()
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute(f"CREATE TABLE {table} (id int PRIMARY KEY, balance int NOT NULL)")
        admin.execute(f"INSERT INTO {table} VALUES (1, 100)")  # noqa: S608 - our table name
    a = psycopg.connect(postgres_dsn, autocommit=True)
    b = psycopg.connect(postgres_dsn, autocommit=True)
    yield table, a, b
    a.close()
    b.close()
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute(f"DROP TABLE {table}")


def _balance(conn: Conn, table: str) -> object:
    row = conn.execute(f"SELECT balance FROM {table} WHERE id = 1").fetchone()  # noqa: S608
    assert row is not None
    return row[0]


def test_no_dirty_read_under_read_uncommitted(accounts: Accounts) -> None:
    table, a, b = accounts
    a.execute("BEGIN ISOLATION LEVEL READ UNCOMMITTED")
    b.execute("BEGIN ISOLATION LEVEL READ UNCOMMITTED")
    b.execute(f"UPDATE {table} SET balance = 999 WHERE id = 1")  # noqa: S608
    assert _balance(b, table) == 999  # B sees its own write
    assert _balance(a, table) == 100  # A never sees it
    b.execute("ROLLBACK")
    a.execute("COMMIT")


def test_lost_update_refused_under_repeatable_read(accounts: Accounts) -> None:
    table, a, b = accounts
    for conn in (a, b):
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        assert _balance(conn, table) == 100
    a.execute(f"UPDATE {table} SET balance = 110 WHERE id = 1")  # noqa: S608
    a.execute("COMMIT")
    with pytest.raises(errors.SerializationFailure) as caught:
        b.execute(f"UPDATE {table} SET balance = 120 WHERE id = 1")  # noqa: S608
    assert caught.value.sqlstate == "40001"
    assert str(caught.value).startswith("could not serialize access due to concurrent update")
    b.execute("ROLLBACK")
    assert _balance(a, table) == 110


def test_write_skew_refused_under_serializable(postgres_dsn: str) -> None:
    table = _table()
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute(f"CREATE TABLE {table} (name text PRIMARY KEY, on_call boolean NOT NULL)")
        admin.execute(f"INSERT INTO {table} VALUES ('alice', true), ('bob', true)")  # noqa: S608
    a = psycopg.connect(postgres_dsn, autocommit=True)
    b = psycopg.connect(postgres_dsn, autocommit=True)
    try:
        count = f"SELECT count(*) FROM {table} WHERE on_call"  # noqa: S608
        for conn in (a, b):
            conn.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
            assert conn.execute(count).fetchone() == (2,)
        a.execute(f"UPDATE {table} SET on_call = false WHERE name = 'alice'")  # noqa: S608
        b.execute(f"UPDATE {table} SET on_call = false WHERE name = 'bob'")  # noqa: S608
        a.execute("COMMIT")
        with pytest.raises(errors.SerializationFailure) as caught:
            b.execute("COMMIT")
        assert caught.value.sqlstate == "40001"
        assert a.execute(count).fetchone() == (1,)  # the invariant "someone on call" held
    finally:
        a.close()
        b.close()
        with psycopg.connect(postgres_dsn, autocommit=True) as admin:
            admin.execute(f"DROP TABLE {table}")


def test_atomic_increment_loses_nothing_under_read_committed(accounts: Accounts) -> None:
    """The fix for the lost update: let the database do the read-modify-write.

    B's UPDATE blocks on A's row lock; when A commits, READ COMMITTED
    re-reads the new row version and adds to it (PostgreSQL 15 docs, 13.2.1).
    """
    table, a, b = accounts
    a.execute("BEGIN")
    a.execute(f"UPDATE {table} SET balance = balance + 10 WHERE id = 1")  # noqa: S608
    blocked = threading.Thread(
        target=lambda: b.execute(f"UPDATE {table} SET balance = balance + 20 WHERE id = 1")  # noqa: S608
    )
    blocked.start()
    blocked.join(timeout=0.2)
    assert blocked.is_alive()  # waiting for A's row lock
    a.execute("COMMIT")
    blocked.join(timeout=10)
    assert not blocked.is_alive()
    assert _balance(a, table) == 130


def test_format_scenario_shows_each_step_in_its_session_column() -> None:
    text = format_scenario(SCENARIOS["lost_update_repeatable_read"], "accounts")
    lines = text.splitlines()
    assert [cell.strip() for cell in lines[0].split(" | ")] == [
        "#",
        "session A",
        "session B",
        "shows",
    ]
    assert lines[3].startswith("2 |")
    assert lines[3].rstrip(" |").endswith("BEGIN ISOLATION LEVEL REPEATABLE READ")
    assert "could not serialize access due to concurrent update" in lines[-4]
    assert lines[-2] == "after both: SELECT balance FROM accounts WHERE id = 1 -> [(110,)]"
    assert len(lines) == 2 + len(SCENARIOS["lost_update_repeatable_read"].steps) + 2


@pytest.mark.parametrize(
    ("connect", "table", "error"),
    [
        (None, "t", TypeError),
        (lambda: None, 42, TypeError),
        (lambda: None, "", ValueError),
        (lambda: None, "t; DROP TABLE x", ValueError),
        (lambda: None, "Upper", ValueError),
    ],
)
def test_run_scenario_rejects_bad_arguments(
    connect: object, table: object, error: type[Exception]
) -> None:
    with pytest.raises(error):
        run_scenario(SCENARIOS["dirty_read"], connect, table)  # type: ignore[arg-type]
