"""SQL deep dive: window functions, CTEs, anti-joins, NULLs and index plans, all run on SQLite.

Interviewers test SQL twice: as a coding question (top earners per
department, consecutive logins, customers who never ordered) and as a design
question (why is this query slow, which index helps, what does the plan
say). Every query of the chapter is a constant in this package and runs in a
doctest against a small seeded in-memory SQLite database; the few that need
PostgreSQL are in :mod:`~.postgres` and run in the tests against a real server.
One submodule per concern:

- :mod:`~.schema`: the seeded schema, and helpers to run a query, print its
  result as a table and draw its ``EXPLAIN QUERY PLAN``;
- :mod:`~.patterns`: the interview patterns (rankings, top-N per group,
  running totals, LAG/LEAD, recursive CTEs, gaps and islands, anti-joins,
  self-joins, LEFT JOIN filters in ON vs WHERE, GROUP BY/HAVING/FILTER) and three-valued ``NOT IN``;
- :mod:`~.postgres`: ``DISTINCT ON``, ``LATERAL``, ``EXPLAIN ANALYZE`` and
  ``FOR UPDATE SKIP LOCKED``.

Invariant: a query's result depends only on its text, its parameters and the
rows; every chapter query orders its output completely, so the doctests are
stable.

=======================  ==========================  ==========================
operation                cost without an index       with the right index
=======================  ==========================  ==========================
point lookup             O(n) scan                   O(log n) B-tree search
window over a partition  O(n log n) sort             O(n) if an index sorts it
NOT EXISTS anti-join     O(n * m) nested scans       O(n log m) index probes
recursive CTE            O(rows produced)            O(rows produced)
=======================  ==========================  ==========================

>>> db = connect()
>>> rows(db, TOP_N_PER_GROUP, {"n": 1})
[('Engineering', 'Ada', 200), ('Sales', 'Edsger', 140)]

Primary sources: the SQLite documentation (``lang_select``,
``windowfunctions``, ``lang_with``, ``eqp``, ``partialindex``) for SQLite
3.40, and the PostgreSQL 15 manual (SELECT with its locking clause,
EXPLAIN).
"""

from __future__ import annotations

from typing import TextIO

from studybook.senior.sql_deep_dive.patterns import (
    DAILY_CHANGE,
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
    SPEND_BY_STATUS,
    TOP_N_PER_GROUP,
    sql_not_in,
)
from studybook.senior.sql_deep_dive.postgres import (
    ALIAS_IN_WHERE,
    CLAIM_JOB,
    EXPLAIN_ANALYZE,
    LATEST_ORDER_DISTINCT_ON,
    TOP_TWO_ORDERS_LATERAL,
    postgres_script,
)
from studybook.senior.sql_deep_dive.schema import SCHEMA, SEED, connect, explain, rows, table

__all__ = [
    "ALIAS_IN_WHERE",
    "CLAIM_JOB",
    "DAILY_CHANGE",
    "DAILY_REVENUE_SERIES",
    "EARN_MORE_THAN_MANAGER",
    "EXPLAIN_ANALYZE",
    "FRAMES",
    "LATEST_ORDER_DISTINCT_ON",
    "LEFT_JOIN_FILTER_IN_ON",
    "LEFT_JOIN_FILTER_IN_WHERE",
    "LOGIN_STREAKS",
    "NEVER_ORDERED_LEFT_JOIN",
    "NEVER_ORDERED_NOT_EXISTS",
    "NEVER_ORDERED_NOT_IN",
    "ORG_CHART",
    "RANKINGS",
    "RUNNING_TOTAL",
    "SCHEMA",
    "SECOND_HIGHEST_SALARY",
    "SEED",
    "SPEND_BY_STATUS",
    "TOP_N_PER_GROUP",
    "TOP_TWO_ORDERS_LATERAL",
    "connect",
    "demo",
    "explain",
    "postgres_script",
    "rows",
    "sql_not_in",
    "table",
]


def demo(out: TextIO) -> None:
    """Write the chapter's tour to ``out``: three interview answers and one plan change.

    Runs on a fresh seeded database: top two salaries per department, login
    streaks, the ``NOT IN`` trap next to ``NOT EXISTS``, and the plan of one
    lookup before and after an index.

    Args:
        out: a text stream (``sys.stdout`` from the command line).

    Raises:
        TypeError: ``out`` has no ``write`` method.

    Complexity: O(seeded rows); it runs in milliseconds.
    """
    if not callable(getattr(out, "write", None)):
        raise TypeError(f"out must be a text stream, got {out!r}")
    db = connect()
    out.write("Top two salaries per department (DENSE_RANK <= 2):\n")
    out.write(table(db, TOP_N_PER_GROUP, {"n": 2}) + "\n\n")
    out.write("Login streaks (gaps and islands):\n")
    out.write(table(db, LOGIN_STREAKS) + "\n\n")
    not_in = [r[0] for r in rows(db, NEVER_ORDERED_NOT_IN)]
    not_exists = [r[0] for r in rows(db, NEVER_ORDERED_NOT_EXISTS)]
    out.write(f"Customers who never ordered: NOT IN -> {not_in}, NOT EXISTS -> {not_exists}\n\n")
    lookup = "SELECT day, amount FROM orders WHERE customer_id = 1 ORDER BY day"
    out.write(explain(db, lookup) + "\n")
    db.execute("CREATE INDEX orders_by_customer ON orders (customer_id, day, amount)")
    out.write(explain(db, lookup) + "\n")
    db.close()
