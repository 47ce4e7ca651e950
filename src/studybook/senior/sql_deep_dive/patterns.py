"""The interview SQL patterns, as named queries over :mod:`~.schema`'s tables.

Each constant is one query the chapter runs in a doctest; the tests run the
same text on random data and compare with a brute force written in Python.
Named parameters (``:n``) are bound by the caller, never pasted into the text.

>>> from studybook.senior.sql_deep_dive.schema import connect, rows
>>> rows(connect(), SECOND_HIGHEST_SALARY)
[(150,)]
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "DAILY_CHANGE",
    "DAILY_REVENUE_SERIES",
    "EARN_MORE_THAN_MANAGER",
    "FRAMES",
    "LEFT_JOIN_FILTER_IN_ON",
    "LEFT_JOIN_FILTER_IN_WHERE",
    "LOGIN_STREAKS",
    "NEVER_ORDERED_LEFT_JOIN",
    "NEVER_ORDERED_NOT_EXISTS",
    "NEVER_ORDERED_NOT_IN",
    "ORG_CHART",
    "RANKINGS",
    "RUNNING_TOTAL",
    "SECOND_HIGHEST_SALARY",
    "SPEND_BY_STATUS",
    "TOP_N_PER_GROUP",
    "sql_not_in",
]

RANKINGS = """\
SELECT name, salary,
       ROW_NUMBER() OVER (ORDER BY salary DESC, name) AS row_number,
       RANK()       OVER (ORDER BY salary DESC)       AS rank,
       DENSE_RANK() OVER (ORDER BY salary DESC)       AS dense_rank
FROM employees
ORDER BY salary DESC, name"""
"""ROW_NUMBER, RANK and DENSE_RANK side by side (LeetCode 178 "Rank Scores" is the last)."""

SECOND_HIGHEST_SALARY = """\
SELECT (SELECT DISTINCT salary FROM employees
        ORDER BY salary DESC LIMIT 1 OFFSET 1) AS second_highest"""
"""LeetCode 176, the scalar subquery turns "no such row" into ``NULL``."""

TOP_N_PER_GROUP = """\
WITH ranked AS (
    SELECT d.name AS dept, e.name, e.salary,
           DENSE_RANK() OVER (PARTITION BY e.dept_id ORDER BY e.salary DESC) AS rnk
    FROM employees AS e
    JOIN departments AS d ON d.id = e.dept_id
)
SELECT dept, name, salary
FROM ranked
WHERE rnk <= :n
ORDER BY dept, salary DESC, name"""
"""LeetCode 185, everyone earning one of their department's ``n`` highest distinct salaries."""

RUNNING_TOTAL = """\
SELECT day, SUM(amount) AS revenue,
       SUM(SUM(amount)) OVER (ORDER BY day
                              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
FROM orders
GROUP BY day
ORDER BY day"""
"""Revenue per day and its running total, a window over an aggregate."""

FRAMES = """\
SELECT day, amount,
       SUM(amount) OVER (ORDER BY day) AS range_frame,
       SUM(amount) OVER (ORDER BY day, id
                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rows_frame
FROM orders
ORDER BY day, id"""
"""The default frame (RANGE, peers included) next to an explicit ROWS frame."""

DAILY_CHANGE = """\
WITH daily AS (SELECT day, SUM(amount) AS revenue FROM orders GROUP BY day)
SELECT day, revenue,
       LAG(revenue) OVER w            AS previous,
       revenue - LAG(revenue) OVER w  AS change,
       LEAD(day) OVER w               AS next_day
FROM daily
WINDOW w AS (ORDER BY day)
ORDER BY day"""
"""LAG and LEAD over one named window, day-over-day change (LeetCode 197's shape)."""

DAILY_REVENUE_SERIES = """\
WITH RECURSIVE days(day) AS (
    SELECT MIN(day) FROM orders
    UNION ALL
    SELECT date(day, '+1 day') FROM days
    WHERE day < (SELECT MAX(day) FROM orders)
)
SELECT days.day, COALESCE(SUM(o.amount), 0) AS revenue
FROM days
LEFT JOIN orders AS o ON o.day = days.day
GROUP BY days.day
ORDER BY days.day"""
"""A recursive CTE generates every calendar day, so days without orders show 0."""

ORG_CHART = """\
WITH RECURSIVE chart(id, name, depth, path) AS (
    SELECT id, name, 0, name FROM employees WHERE manager_id IS NULL
    UNION ALL
    SELECT e.id, e.name, c.depth + 1, c.path || ' > ' || e.name
    FROM employees AS e
    JOIN chart AS c ON e.manager_id = c.id
)
SELECT depth, path FROM chart ORDER BY path"""
"""A recursive CTE walks the manager hierarchy from the root down."""

LOGIN_STREAKS = """\
WITH days AS (SELECT DISTINCT user_id, day FROM logins),
grouped AS (
    SELECT user_id, day,
           julianday(day) - ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY day) AS island
    FROM days
)
SELECT user_id, MIN(day) AS first, MAX(day) AS last, COUNT(*) AS days
FROM grouped
GROUP BY user_id, island
ORDER BY user_id, first"""
"""Gaps and islands (consecutive days share ``day - row_number``, so it names the streak)."""

NEVER_ORDERED_NOT_EXISTS = """\
SELECT c.name FROM customers AS c
WHERE NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.customer_id = c.id)
ORDER BY c.name"""
"""LeetCode 183, the safe anti-join (``NOT EXISTS`` ignores ``NULL`` keys)."""

NEVER_ORDERED_NOT_IN = """\
SELECT c.name FROM customers AS c
WHERE c.id NOT IN (SELECT o.customer_id FROM orders AS o)
ORDER BY c.name"""
"""The NULL trap (one ``NULL`` in the subquery makes ``NOT IN`` never true)."""

NEVER_ORDERED_LEFT_JOIN = """\
SELECT c.name FROM customers AS c
LEFT JOIN orders AS o ON o.customer_id = c.id
WHERE o.id IS NULL
ORDER BY c.name"""
"""The anti-join as an outer join that keeps the rows the join found no partner for."""

EARN_MORE_THAN_MANAGER = """\
SELECT e.name AS employee, e.salary, m.name AS manager, m.salary AS manager_salary
FROM employees AS e
JOIN employees AS m ON m.id = e.manager_id
WHERE e.salary > m.salary
ORDER BY e.name"""
"""LeetCode 181, a self-join (the table twice, under two aliases)."""

SPEND_BY_STATUS = """\
SELECT c.name,
       SUM(o.amount)                                  AS total,
       SUM(o.amount) FILTER (WHERE o.status = 'paid') AS paid,
       COUNT(*) FILTER (WHERE o.status = 'open')      AS open_orders
FROM customers AS c
JOIN orders AS o ON o.customer_id = c.id
GROUP BY c.id, c.name
HAVING SUM(o.amount) >= :minimum
ORDER BY total DESC, c.name"""
"""GROUP BY with HAVING, and FILTER for conditional aggregates (SQLite 3.30+, PostgreSQL 9.4+)."""

LEFT_JOIN_FILTER_IN_ON = """\
SELECT c.name, o.id AS open_order
FROM customers AS c
LEFT JOIN orders AS o ON o.customer_id = c.id AND o.status = 'open'
ORDER BY c.name, o.id"""
"""Every customer with their open orders; the filter on the right table sits in ``ON``."""

LEFT_JOIN_FILTER_IN_WHERE = """\
SELECT c.name, o.id AS open_order
FROM customers AS c
LEFT JOIN orders AS o ON o.customer_id = c.id
WHERE o.status = 'open'
ORDER BY c.name, o.id"""
"""The same filter in ``WHERE`` drops the ``NULL``-padded rows, an inner join in disguise."""


def sql_not_in(value: object, items: Iterable[object]) -> bool | None:
    """Evaluate SQL's ``value NOT IN (items)`` under three-valued logic.

    ``None`` plays SQL's ``NULL``, which means *unknown*: ``x NOT IN (a, b)``
    is ``x <> a AND x <> b``, and ``x <> NULL`` is unknown, so once the list
    holds a ``NULL`` the answer can be false or unknown but never true. A
    ``WHERE`` clause keeps a row only when its condition is true.

    Args:
        value: the left operand (``None`` for ``NULL``).
        items: the list or subquery result (``None`` for ``NULL``).

    Returns:
        ``True``, ``False``, or ``None`` for unknown.

    Raises:
        TypeError: ``items`` is a str or bytes (a common slip for a list).

    Complexity: O(len(items)).

    >>> sql_not_in(3, [1, 2]), sql_not_in(1, [1, None]), sql_not_in(3, [1, None])
    (True, False, None)
    >>> sql_not_in(None, []), sql_not_in(None, [1])
    (True, None)
    """
    if isinstance(items, (str, bytes)):
        raise TypeError(f"items must be a collection of values, got {items!r}")
    result: bool | None = True
    for item in items:
        if value is None or item is None:
            result = None
        elif value == item:
            return False
    return result
