"""The queries that need PostgreSQL, and the script that loads the chapter's schema there.

SQLite has no ``DISTINCT ON``, no ``LATERAL``, no ``EXPLAIN ANALYZE`` and no
row locks (it locks the whole database file), so these queries run only in
the tests, against a real PostgreSQL 15 server, on the same rows as
:data:`~studybook.senior.sql_deep_dive.schema.SEED`. This module only holds
text: it imports no driver.

>>> print(postgres_script("sql_demo").splitlines()[0])
CREATE SCHEMA sql_demo;
"""

from __future__ import annotations

import re

from studybook._validate import check_str
from studybook.senior.sql_deep_dive.schema import SCHEMA, SEED

__all__ = [
    "ALIAS_IN_WHERE",
    "CLAIM_JOB",
    "EXPLAIN_ANALYZE",
    "LATEST_ORDER_DISTINCT_ON",
    "TOP_TWO_ORDERS_LATERAL",
    "postgres_script",
]

LATEST_ORDER_DISTINCT_ON = """\
SELECT DISTINCT ON (customer_id) customer_id, day, amount
FROM orders
WHERE customer_id IS NOT NULL
ORDER BY customer_id, day DESC, id DESC"""
"""PostgreSQL only. Each customer's latest order; ``DISTINCT ON`` keeps the first row per key."""

TOP_TWO_ORDERS_LATERAL = """\
SELECT c.name, top.day, top.amount
FROM customers AS c
CROSS JOIN LATERAL (
    SELECT o.day, o.amount FROM orders AS o
    WHERE o.customer_id = c.id
    ORDER BY o.amount DESC, o.id
    LIMIT 2
) AS top
ORDER BY c.name, top.amount DESC"""
"""PostgreSQL only. A subquery run per outer row, which may refer to it (top-N per group)."""

EXPLAIN_ANALYZE = """\
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT customer_id, SUM(amount) FROM orders GROUP BY customer_id"""
"""PostgreSQL only. Run the query and report actual rows per plan node."""

CLAIM_JOB = """\
SELECT id FROM orders
WHERE status = 'open'
ORDER BY id
LIMIT 1
FOR UPDATE SKIP LOCKED"""
"""PostgreSQL only. A work queue; each worker locks a different open row."""

ALIAS_IN_WHERE = "SELECT amount * 2 AS doubled FROM orders WHERE doubled > 50 ORDER BY id"
"""Accepted by SQLite (an extension), rejected by PostgreSQL, because WHERE runs before SELECT."""

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def postgres_script(schema: str) -> str:
    """Return SQL that creates the chapter's tables and seeded rows in a new schema.

    The test that uses it creates a uniquely named schema, sets
    ``search_path`` to it so the chapter's queries run unchanged, and drops it
    afterwards (other chapters share the server).

    Args:
        schema: a lowercase SQL identifier (it becomes part of the text, so
            it is checked strictly: letters, digits and ``_``, at most 63).

    Returns:
        ``CREATE SCHEMA``, ``SET search_path``, the DDL and one ``INSERT`` per table.

    Raises:
        TypeError: ``schema`` is not a str.
        ValueError: ``schema`` is not a plain lowercase identifier.

    Complexity: O(seeded rows).

    >>> script = postgres_script("s1")
    >>> script.splitlines()[1], script.count("INSERT INTO")
    ('SET search_path TO s1;', 5)
    >>> postgres_script("x; DROP TABLE t")
    Traceback (most recent call last):
        ...
    ValueError: schema must be a lowercase identifier, got 'x; DROP TABLE t'
    """
    check_str(schema, "schema")
    if not _IDENTIFIER.fullmatch(schema):
        raise ValueError(f"schema must be a lowercase identifier, got {schema!r}")
    parts = [f"CREATE SCHEMA {schema};", f"SET search_path TO {schema};", SCHEMA]
    for name, table_rows in SEED.items():
        values = ",\n    ".join(
            "(" + ", ".join(_literal(v) for v in row) + ")" for row in table_rows
        )
        parts.append(f"INSERT INTO {name} VALUES\n    {values};")
    return "\n".join(parts) + "\n"


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"cannot write {value!r} as a SQL literal")  # pragma: no cover
