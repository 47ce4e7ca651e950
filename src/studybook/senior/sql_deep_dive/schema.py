"""The chapter's seeded schema on SQLite, and three helpers to run and show queries.

Every query in the chapter runs against :func:`connect`'s in-memory database:
five small tables (departments, employees, customers, orders, logins) whose
rows were chosen to contain the cases interviews probe: salary ties, a
department with nobody in it, an employee with no department, an order with a
``NULL`` customer, a day with no orders, and login streaks with gaps.

>>> db = connect()
>>> print(table(db, "SELECT id, name, salary FROM employees WHERE salary >= 150"))
id | name  | salary
---+-------+-------
1  | Ada   | 200
2  | Grace | 150
3  | Linus | 150
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence

from studybook._validate import check_str

__all__ = ["SCHEMA", "SEED", "connect", "explain", "rows", "table"]

SCHEMA = """\
CREATE TABLE departments (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE employees (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    dept_id    INTEGER REFERENCES departments (id),
    manager_id INTEGER REFERENCES employees (id),
    salary     INTEGER NOT NULL
);
CREATE TABLE customers (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER REFERENCES customers (id),
    day         TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    status      TEXT NOT NULL
);
CREATE TABLE logins (
    user_id INTEGER NOT NULL,
    day     TEXT NOT NULL
);
"""
"""The DDL, portable between SQLite and PostgreSQL (days are ISO-8601 text)."""

SEED: dict[str, list[tuple[object, ...]]] = {
    "departments": [(1, "Engineering"), (2, "Sales"), (3, "Support")],
    "employees": [
        (1, "Ada", 1, None, 200),
        (2, "Grace", 1, 1, 150),
        (3, "Linus", 1, 2, 150),
        (4, "Barbara", 1, 2, 120),
        (5, "Ken", 2, 1, 130),
        (6, "Dennis", 2, 5, 90),
        (7, "Edsger", 2, 5, 140),
        (8, "Margaret", None, 1, 110),
    ],
    "customers": [(1, "Alice"), (2, "Bob"), (3, "Carol"), (4, "Dave")],
    "orders": [
        (1, 1, "2024-01-01", 30, "paid"),
        (2, 1, "2024-01-02", 20, "paid"),
        (3, 2, "2024-01-02", 50, "open"),
        (4, 1, "2024-01-04", 10, "open"),
        (5, 2, "2024-01-05", 40, "paid"),
        (6, None, "2024-01-05", 15, "paid"),
    ],
    "logins": [
        (1, "2024-01-01"),
        (1, "2024-01-02"),
        (1, "2024-01-03"),
        (1, "2024-01-05"),
        (1, "2024-01-06"),
        (2, "2024-01-02"),
        (2, "2024-01-04"),
    ],
}
"""The seeded rows, table by table, in column order."""

_COLUMNS = {
    "departments": 2,
    "employees": 5,
    "customers": 2,
    "orders": 5,
    "logins": 2,
}


def connect(data: Mapping[str, Sequence[Sequence[object]]] | None = None) -> sqlite3.Connection:
    """Open an in-memory SQLite database with :data:`SCHEMA` and the seeded rows.

    Args:
        data: rows to load instead of :data:`SEED`'s for the tables it names
            (the tests load random rows this way); other tables keep the seed.

    Returns:
        A new connection; closing it discards the database.

    Raises:
        TypeError: ``data`` is not a mapping.
        ValueError: an unknown table, or a row with the wrong number of columns.

    Complexity: O(rows loaded).

    >>> connect().execute("SELECT count(*) FROM orders").fetchone()
    (6,)
    >>> connect({"orders": []}).execute("SELECT count(*) FROM orders").fetchone()
    (0,)
    >>> connect({"users": []})
    Traceback (most recent call last):
        ...
    ValueError: unknown table 'users'; tables are ['customers', 'departments', ...]
    """
    if data is not None and not isinstance(data, Mapping):
        raise TypeError(f"data must be a mapping of table name to rows, got {data!r}")
    tables = dict(SEED)
    for name, table_rows in (data or {}).items():
        if name not in _COLUMNS:
            raise ValueError(f"unknown table {name!r}; tables are {sorted(_COLUMNS)}")
        for row in table_rows:
            if isinstance(row, (str, bytes)) or len(row) != _COLUMNS[name]:
                raise ValueError(f"a {name} row has {_COLUMNS[name]} columns, got {row!r}")
        tables[name] = [tuple(row) for row in table_rows]
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    for name, table_rows in tables.items():
        marks = ", ".join("?" * _COLUMNS[name])
        # The table name comes from _COLUMNS, never from the caller.
        conn.executemany(f"INSERT INTO {name} VALUES ({marks})", table_rows)  # noqa: S608
    conn.commit()
    return conn


def rows(
    conn: sqlite3.Connection, sql: str, params: Sequence[object] | Mapping[str, object] = ()
) -> list[tuple[object, ...]]:
    """Run one query with bound parameters and return every row as a tuple.

    Args:
        conn: an open SQLite connection.
        sql: one SQL statement; values go in ``params``, never into the text.
        params: positional (``?``) or named (``:name``) parameters.

    Returns:
        The result rows, in the order the query produces them.

    Raises:
        TypeError: ``conn`` is not a SQLite connection, or ``sql`` is not a str.
        ValueError: ``sql`` is empty.
        sqlite3.Error: SQLite rejected the statement.

    Complexity: that of the query plan (see :func:`explain`).

    >>> rows(connect(), "SELECT name FROM customers WHERE id > ?", (2,))
    [('Carol',), ('Dave',)]
    >>> rows(connect(), "  ")
    Traceback (most recent call last):
        ...
    ValueError: sql must be a non-empty str, got '  '
    """
    return _execute(conn, sql, params).fetchall()


def _execute(
    conn: sqlite3.Connection, sql: str, params: Sequence[object] | Mapping[str, object]
) -> sqlite3.Cursor:
    if not isinstance(conn, sqlite3.Connection):
        raise TypeError(f"conn must be a sqlite3.Connection, got {conn!r}")
    _check_sql(sql)
    if isinstance(params, (str, bytes)):
        raise TypeError(f"params must be a sequence or a mapping, got {params!r}")
    return conn.execute(sql, params)


def _check_sql(sql: object) -> None:
    check_str(sql, "sql")
    if not str(sql).strip():
        raise ValueError(f"sql must be a non-empty str, got {sql!r}")


def table(
    conn: sqlite3.Connection, sql: str, params: Sequence[object] | Mapping[str, object] = ()
) -> str:
    """Run a query and lay its result out as a text table, ``NULL`` shown as ``NULL``.

    Args:
        conn: an open SQLite connection.
        sql: one SQL query.
        params: its bound parameters.

    Returns:
        A header line, a rule and one line per row, columns padded to width
        (no trailing spaces); a query with no rows returns the header and rule.

    Raises:
        TypeError: ``conn`` is not a SQLite connection, or ``sql`` is not a str.
        ValueError: ``sql`` is empty.
        sqlite3.Error: SQLite rejected the statement.

    Complexity: that of the query, plus O(cells) to format.

    >>> print(table(connect(), "SELECT 1 AS one, NULL AS missing, 'x' AS letter"))
    one | missing | letter
    ----+---------+-------
    1   | NULL    | x
    >>> print(table(connect(), "SELECT name FROM customers WHERE 0"))
    name
    ----
    """
    cursor = _execute(conn, sql, params)
    header = [str(d[0]) for d in cursor.description or ()]
    body = [["NULL" if v is None else str(v) for v in row] for row in cursor.fetchall()]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]

    def fmt(cells: list[str]) -> str:
        return " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *(fmt(line) for line in body)])


def explain(
    conn: sqlite3.Connection, sql: str, params: Sequence[object] | Mapping[str, object] = ()
) -> str:
    """Return SQLite's ``EXPLAIN QUERY PLAN`` for a query, drawn as a tree.

    The drawing is the one the ``sqlite3`` shell prints (``|--`` and ``\\`--``);
    the node ids SQLite reports are left out because they change between
    versions and queries. The wording of each node is SQLite's own (3.40 here).

    Args:
        conn: an open SQLite connection.
        sql: the query to plan (it is not run).
        params: its bound parameters.

    Returns:
        ``QUERY PLAN`` and one line per plan node.

    Raises:
        TypeError: ``conn`` is not a SQLite connection, or ``sql`` is not a str.
        ValueError: ``sql`` is empty.
        sqlite3.Error: SQLite rejected the statement.

    Complexity: O(plan nodes); planning a query does not read its tables.

    >>> print(explain(connect(), "SELECT * FROM orders WHERE customer_id = ?", (1,)))
    QUERY PLAN
    `--SCAN orders
    """
    _check_sql(sql)
    nodes = _execute(conn, "EXPLAIN QUERY PLAN " + sql, params).fetchall()
    children: dict[int, list[tuple[int, str]]] = {}
    for node_id, parent, _unused, detail in nodes:
        children.setdefault(parent, []).append((node_id, detail))
    lines = ["QUERY PLAN"]

    def draw(parent: int, indent: str) -> None:
        kids = children.get(parent, [])
        for i, (node_id, detail) in enumerate(kids):
            last = i == len(kids) - 1
            lines.append(f"{indent}{'`--' if last else '|--'}{detail}")
            draw(node_id, indent + ("   " if last else "|  "))

    draw(0, "")
    return "\n".join(lines)
