"""Isolation anomalies as data: two sessions' SQL, interleaved step by step.

Each :class:`Scenario` is a script of :class:`Step` objects for two sessions,
``A`` and ``B``, run one statement at a time in the order written, with the
outcome a reader should see next to each statement. The chapter prints the
scripts as tables (:func:`format_scenario`); the tests run every script on a
real PostgreSQL 15 with :func:`run_scenario` and assert that each outcome is
exactly the one written here, so the page cannot drift from the server.

No script blocks: where a second writer would wait for a row lock, the first
writer commits before the second one writes (that is also the order in which
the anomalies happen in production). The library imports no driver: the
caller passes a ``connect`` function returning autocommit DB-API connections
(``psycopg.connect(dsn, autocommit=True)``), so ``BEGIN ISOLATION LEVEL``
in the script starts each transaction.

>>> scenario = SCENARIOS["lost_update_repeatable_read"]
>>> scenario.level, scenario.steps[-2].expect
('REPEATABLE READ', 'ERROR 40001: could not serialize access due to concurrent update')

Source: PostgreSQL 15 documentation, section 13.2 "Transaction Isolation".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from studybook._validate import check_callable, check_str

__all__ = [
    "SCENARIOS",
    "Connection",
    "Scenario",
    "Step",
    "StepResult",
    "format_scenario",
    "run_scenario",
]


class Connection(Protocol):
    """The part of a DB-API connection the runner uses (``cursor`` and ``close``)."""

    def cursor(self) -> Any:
        """Return a new cursor."""

    def close(self) -> None:
        """Close the connection."""


@dataclass(frozen=True)
class Step:
    """One statement of one session, and what it must show.

    Attributes:
        session: ``"A"`` or ``"B"``.
        sql: the statement; ``{t}`` stands for the scenario's table.
        expect: the rows a query returns (``"[(100,)]"``), ``"ERROR <sqlstate>:
            <first line of the message>"``, or ``""`` when nothing is checked.
    """

    session: str
    sql: str
    expect: str = ""


@dataclass(frozen=True)
class Scenario:
    """A two-session interleaving that shows (or prevents) one anomaly.

    Attributes:
        title: what the script shows.
        level: the isolation level both sessions ask for.
        setup: statements run before the sessions start (create and fill ``{t}``).
        steps: the interleaving, in the order it runs.
        final: a query run after both sessions end.
        final_expect: the rows ``final`` returns.
        lesson: one sentence a reader should take away.
    """

    title: str
    level: str
    setup: tuple[str, ...]
    steps: tuple[Step, ...]
    final: str
    final_expect: str
    lesson: str


@dataclass(frozen=True)
class StepResult:
    """What one step showed when run: the same form as :attr:`Step.expect`."""

    step: Step
    shown: str


def run_scenario(
    scenario: Scenario, connect: Callable[[], Connection], table: str
) -> tuple[list[StepResult], str]:
    """Run ``scenario`` on two fresh connections; return each step's outcome and the final rows.

    A session whose statement fails is rolled back, and its later steps show
    ``"skipped"``. The table is dropped at the end whatever happens.

    Args:
        scenario: the script.
        connect: returns a new autocommit connection each call.
        table: a fresh table name (letters, digits, underscores), so that
            runs sharing one server do not collide.

    Returns:
        The result of every step, in order, and what ``scenario.final`` showed.

    Raises:
        TypeError: ``connect`` is not callable or ``table`` is not a str.
        ValueError: ``table`` is not a plain identifier.

    Complexity: one round trip per step.
    """
    check_callable(connect, "connect")
    check_str(table, "table", nonempty=True)
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", table):
        raise ValueError(f"table must be a lowercase SQL identifier, got {table!r}")
    admin = connect()
    sessions = {"A": connect(), "B": connect()}
    failed: set[str] = set()
    results: list[StepResult] = []
    try:
        for sql in scenario.setup:
            _execute(admin, sql.format(t=table))
        for step in scenario.steps:
            if step.session in failed:
                results.append(StepResult(step, "skipped"))
                continue
            conn = sessions[step.session]
            try:
                shown = _execute(conn, step.sql.format(t=table))
            except Exception as exc:
                sqlstate = getattr(exc, "sqlstate", None) or "?"
                shown = f"ERROR {sqlstate}: {str(exc).splitlines()[0]}"
                failed.add(step.session)
                _execute(conn, "ROLLBACK")
            results.append(StepResult(step, shown))
        final = _execute(admin, scenario.final.format(t=table))
    finally:
        for conn in sessions.values():
            conn.close()
        _execute(admin, f"DROP TABLE IF EXISTS {table}")
        admin.close()
    return results, final


def _execute(conn: Connection, sql: str) -> str:
    cursor = conn.cursor()
    try:
        # The SQL is the chapter's own script; the table name was checked above.
        cursor.execute(sql)
        return repr([tuple(row) for row in cursor.fetchall()]) if cursor.description else ""
    finally:
        cursor.close()


def format_scenario(scenario: Scenario, table: str = "t") -> str:
    """Render ``scenario`` as a text table: one row per step, one column per session.

    Args:
        scenario: the script.
        table: the name shown for ``{t}``.

    Returns:
        The table, then the final query and its rows, then the lesson.

    Complexity: O(steps).

    >>> print(format_scenario(SCENARIOS["dirty_read"], "t"))
    # | session A                              | session B                               | shows
    --+----------------------------------------+-----------------------------------------+------
    1 | BEGIN ISOLATION LEVEL READ UNCOMMITTED |                                         |
    2 |                                        | BEGIN ISOLATION LEVEL READ UNCOMMITTED  |
    3 |                                        | UPDATE t SET balance = 999 WHERE id = 1 |
    4 | SELECT balance FROM t WHERE id = 1     |                                         | [(100,)]
    5 |                                        | ROLLBACK                                |
    6 | COMMIT                                 |                                         |
    after both: SELECT balance FROM t WHERE id = 1 -> [(100,)]
    PostgreSQL runs READ UNCOMMITTED as READ COMMITTED: B's uncommitted 999 is never seen.
    """
    rows = [("#", "session A", "session B", "shows")]
    for number, step in enumerate(scenario.steps, 1):
        sql = step.sql.format(t=table)
        a, b = (sql, "") if step.session == "A" else ("", sql)
        rows.append((str(number), a, b, step.expect))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for i, row in enumerate(rows):
        cells = [row[c].ljust(widths[c]) for c in range(3)]
        lines.append(" | ".join(cells) + (" | " + row[3] if row[3] else " |"))
        if i == 0:
            lines.append("-+-".join("-" * w for w in widths) + "-+------")
    lines.append(f"after both: {scenario.final.format(t=table)} -> {scenario.final_expect}")
    lines.append(scenario.lesson)
    return "\n".join(line.rstrip() for line in lines)


_ACCOUNTS = (
    "CREATE TABLE {t} (id int PRIMARY KEY, balance int NOT NULL)",
    "INSERT INTO {t} VALUES (1, 100)",
)


_TWO_ACCOUNTS = (
    "CREATE TABLE {t} (id int PRIMARY KEY, balance int NOT NULL)",
    "INSERT INTO {t} VALUES (1, 50), (2, 50)",
)


_DOCTORS = (
    "CREATE TABLE {t} (name text PRIMARY KEY, on_call boolean NOT NULL)",
    "INSERT INTO {t} VALUES ('alice', true), ('bob', true)",
)
_READ = "SELECT balance FROM {t} WHERE id = 1"
_ON_CALL = "SELECT count(*) FROM {t} WHERE on_call"


def _begin(level: str) -> str:
    return f"BEGIN ISOLATION LEVEL {level}"


def _lost_update(level: str, refused: bool) -> tuple[Step, ...]:
    second_write = Step(
        "B",
        "UPDATE {t} SET balance = 120 WHERE id = 1",
        "ERROR 40001: could not serialize access due to concurrent update" if refused else "",
    )
    return (
        Step("A", _begin(level)),
        Step("B", _begin(level)),
        Step("A", _READ, "[(100,)]"),
        Step("B", _READ, "[(100,)]"),
        Step("A", "UPDATE {t} SET balance = 110 WHERE id = 1"),
        Step("A", "COMMIT"),
        second_write,
        Step("B", "COMMIT", "skipped" if refused else ""),
    )


def _write_skew(level: str, refused: bool) -> tuple[Step, ...]:
    return (
        Step("A", _begin(level)),
        Step("B", _begin(level)),
        Step("A", _ON_CALL, "[(2,)]"),
        Step("B", _ON_CALL, "[(2,)]"),
        Step("A", "UPDATE {t} SET on_call = false WHERE name = 'alice'"),
        Step("B", "UPDATE {t} SET on_call = false WHERE name = 'bob'"),
        Step("A", "COMMIT"),
        Step(
            "B",
            "COMMIT",
            "ERROR 40001: could not serialize access due to read/write dependencies "
            "among transactions"
            if refused
            else "",
        ),
    )


def _non_repeatable(level: str, second: str) -> tuple[Step, ...]:
    return (
        Step("A", _begin(level)),
        Step("A", _READ, "[(100,)]"),
        Step("B", "UPDATE {t} SET balance = 200 WHERE id = 1"),
        Step("A", _READ, second),
        Step("A", "COMMIT"),
    )


def _read_skew(level: str, second: str) -> tuple[Step, ...]:
    return (
        Step("A", _begin(level)),
        Step("B", _begin(level)),
        Step("A", "SELECT balance FROM {t} WHERE id = 1", "[(50,)]"),
        Step("B", "UPDATE {t} SET balance = 10 WHERE id = 1"),
        Step("B", "UPDATE {t} SET balance = 90 WHERE id = 2"),
        Step("B", "COMMIT"),
        Step("A", "SELECT balance FROM {t} WHERE id = 2", second),
        Step("A", "COMMIT"),
    )


SCENARIOS: dict[str, Scenario] = {
    "dirty_read": Scenario(
        title="No dirty read, even when READ UNCOMMITTED is asked for",
        level="READ UNCOMMITTED",
        setup=_ACCOUNTS,
        steps=(
            Step("A", _begin("READ UNCOMMITTED")),
            Step("B", _begin("READ UNCOMMITTED")),
            Step("B", "UPDATE {t} SET balance = 999 WHERE id = 1"),
            Step("A", _READ, "[(100,)]"),
            Step("B", "ROLLBACK"),
            Step("A", "COMMIT"),
        ),
        final=_READ,
        final_expect="[(100,)]",
        lesson=(
            "PostgreSQL runs READ UNCOMMITTED as READ COMMITTED: B's uncommitted 999 is never seen."
        ),
    ),
    "non_repeatable_read": Scenario(
        title="Non-repeatable read under READ COMMITTED",
        level="READ COMMITTED",
        setup=_ACCOUNTS,
        steps=_non_repeatable("READ COMMITTED", "[(200,)]"),
        final=_READ,
        final_expect="[(200,)]",
        lesson=(
            "Each statement takes a new snapshot: the same SELECT in one "
            "transaction sees B's commit."
        ),
    ),
    "repeatable_read": Scenario(
        title="The same reads under REPEATABLE READ",
        level="REPEATABLE READ",
        setup=_ACCOUNTS,
        steps=_non_repeatable("REPEATABLE READ", "[(100,)]"),
        final=_READ,
        final_expect="[(200,)]",
        lesson="One snapshot per transaction: A keeps seeing 100 after B committed 200.",
    ),
    "read_skew_read_committed": Scenario(
        title="Read skew under READ COMMITTED (Berenson et al.'s A5A)",
        level="READ COMMITTED",
        setup=_TWO_ACCOUNTS,
        steps=_read_skew("READ COMMITTED", "[(90,)]"),
        final="SELECT sum(balance) FROM {t}",
        final_expect="[(100,)]",
        lesson=(
            "B moved 40 from account 1 to 2 between A's two reads: A saw 50 + 90 = 140, "
            "a total that never existed."
        ),
    ),
    "read_skew_repeatable_read": Scenario(
        title="The same transfer under REPEATABLE READ",
        level="REPEATABLE READ",
        setup=_TWO_ACCOUNTS,
        steps=_read_skew("REPEATABLE READ", "[(50,)]"),
        final="SELECT sum(balance) FROM {t}",
        final_expect="[(100,)]",
        lesson="A reads both accounts from one snapshot: 50 + 50 = 100, the total before B.",
    ),
    "lost_update_read_committed": Scenario(
        title="Lost update under READ COMMITTED (read-modify-write in the application)",
        level="READ COMMITTED",
        setup=_ACCOUNTS,
        steps=_lost_update("READ COMMITTED", refused=False),
        final=_READ,
        final_expect="[(120,)]",
        lesson=(
            "Both added to 100; A's +10 is silently overwritten by B's "
            "120 (the right answer is 130)."
        ),
    ),
    "lost_update_repeatable_read": Scenario(
        title="REPEATABLE READ refuses the lost update",
        level="REPEATABLE READ",
        setup=_ACCOUNTS,
        steps=_lost_update("REPEATABLE READ", refused=True),
        final=_READ,
        final_expect="[(110,)]",
        lesson=(
            "B tried to update a row changed since its snapshot: 40001, "
            "retry the whole transaction."
        ),
    ),
    "lost_update_serializable": Scenario(
        title="SERIALIZABLE refuses the lost update the same way",
        level="SERIALIZABLE",
        setup=_ACCOUNTS,
        steps=_lost_update("SERIALIZABLE", refused=True),
        final=_READ,
        final_expect="[(110,)]",
        lesson="SERIALIZABLE is REPEATABLE READ plus SSI: the first updater still wins.",
    ),
    "write_skew_read_committed": Scenario(
        title="Write skew under READ COMMITTED",
        level="READ COMMITTED",
        setup=_DOCTORS,
        steps=_write_skew("READ COMMITTED", refused=False),
        final=_ON_CALL,
        final_expect="[(0,)]",
        lesson="Nothing at READ COMMITTED connects A's count to B's update: nobody is on call.",
    ),
    "write_skew_repeatable_read": Scenario(
        title="Write skew under REPEATABLE READ (snapshot isolation)",
        level="REPEATABLE READ",
        setup=_DOCTORS,
        steps=_write_skew("REPEATABLE READ", refused=False),
        final=_ON_CALL,
        final_expect="[(0,)]",
        lesson="Each saw two doctors on call and removed a different one: nobody is on call.",
    ),
    "write_skew_serializable": Scenario(
        title="SERIALIZABLE (SSI) refuses the write skew",
        level="SERIALIZABLE",
        setup=_DOCTORS,
        steps=_write_skew("SERIALIZABLE", refused=True),
        final=_ON_CALL,
        final_expect="[(1,)]",
        lesson=(
            "SSI saw the read/write dependencies between A and B and aborted B at commit: "
            "one doctor stays."
        ),
    ),
}
"""Every script the chapter shows, by name; each one is a PostgreSQL test."""
