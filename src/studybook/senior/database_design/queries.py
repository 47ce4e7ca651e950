"""The N+1 query problem and the effect of an index, measured on SQLite.

The worked schema is a bookshop: ``authors(id, name)`` and
``books(id, author_id, title, price)``. Listing every author's books with an
ORM-style loop issues one query for the authors and one more per author
(**N+1**); a ``JOIN`` does it in one, and a batched ``IN (...)`` query (what
a GraphQL dataloader does) in two. :class:`QueryLog` counts the statements
SQLite really ran, through ``sqlite3.Connection.set_trace_callback``.

>>> conn = make_bookshop(authors=3, books_per_author=2)
>>> with QueryLog(conn) as log:
...     by_loop = books_by_author_n_plus_one(conn)
>>> with QueryLog(conn) as joined:
...     by_join = books_by_author_join(conn)
>>> by_loop == by_join, len(log.statements), len(joined.statements)
(True, 4, 1)

``EXPLAIN QUERY PLAN`` shows the lookup by author turning from a full scan
into an index search once the index exists (:func:`explain`).

Source: SQLite documentation, "EXPLAIN QUERY PLAN" and "The SQLite Query
Optimizer Overview" (SQLite 3.40).
"""

from __future__ import annotations

import random
import sqlite3
from types import TracebackType

from studybook._validate import check_int, check_str

__all__ = [
    "BOOKS_BY_AUTHOR",
    "QueryLog",
    "books_by_author_batched",
    "books_by_author_join",
    "books_by_author_n_plus_one",
    "explain",
    "make_bookshop",
]

BOOKS_BY_AUTHOR = "SELECT title FROM books WHERE author_id = ? ORDER BY id"
"""The per-author query the N+1 loop runs and the index section explains."""


def make_bookshop(
    *, authors: int = 100, books_per_author: int = 10, seed: int = 0, index: bool = False
) -> sqlite3.Connection:
    """Create an in-memory bookshop with ``authors * books_per_author`` books.

    Books are inserted in shuffled order (seeded), so one author's books are
    scattered through the table, as in a real shop.

    Args:
        authors: how many authors (>= 0).
        books_per_author: books each (>= 0).
        seed: for the shuffle.
        index: also create ``books_author_id`` on ``books(author_id)``.

    Returns:
        An open connection; the caller closes it.

    Raises:
        TypeError: a count or the seed is not an int (bool refused).
        ValueError: a negative count, or more than 10 million books.

    Complexity: O(authors * books_per_author).

    >>> conn = make_bookshop(authors=2, books_per_author=1)
    >>> conn.execute("SELECT count(*) FROM books").fetchone()
    (2,)
    >>> make_bookshop(authors=-1)
    Traceback (most recent call last):
        ...
    ValueError: authors must be >= 0, got -1
    """
    check_int(authors, "authors", minimum=0)
    check_int(books_per_author, "books_per_author", minimum=0)
    check_int(seed, "seed")
    if authors * books_per_author > 10_000_000:
        raise ValueError(f"at most 10 million books, got {authors} * {books_per_author}")
    conn = sqlite3.connect(":memory:")
    conn.executescript(
        """
        CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE books (
            id INTEGER PRIMARY KEY,
            author_id INTEGER NOT NULL REFERENCES authors(id),
            title TEXT NOT NULL,
            price_cents INTEGER NOT NULL
        );
        """
    )
    conn.executemany(
        "INSERT INTO authors VALUES (?, ?)", [(a, f"author {a}") for a in range(1, authors + 1)]
    )
    rows = [(a, b) for a in range(1, authors + 1) for b in range(1, books_per_author + 1)]
    rng = random.Random(seed)  # noqa: S311 - a reproducible shuffle, not a secret
    rng.shuffle(rows)
    conn.executemany(
        "INSERT INTO books (author_id, title, price_cents) VALUES (?, ?, ?)",
        [(a, f"book {a}.{b}", 500 + 100 * b) for a, b in rows],
    )
    if index:
        conn.execute("CREATE INDEX books_author_id ON books(author_id)")
    conn.commit()
    return conn


class QueryLog:
    """Record every SQL statement a connection runs inside a ``with`` block.

    Uses ``set_trace_callback``, which SQLite calls once per statement
    executed (not per row), so the count is the number of round trips a
    client-server database would make.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        if not isinstance(conn, sqlite3.Connection):
            raise TypeError(f"conn must be a sqlite3.Connection, got {conn!r}")
        self.conn = conn
        self.statements: list[str] = []

    def __enter__(self) -> QueryLog:
        self.conn.set_trace_callback(self.statements.append)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.conn.set_trace_callback(None)


Library = dict[str, list[str]]


def books_by_author_n_plus_one(conn: sqlite3.Connection) -> Library:
    """Each author's book titles, the N+1 way: one query, then one per author.

    Complexity: 1 + N queries for N authors.
    """
    result: Library = {}
    for author_id, name in conn.execute("SELECT id, name FROM authors ORDER BY id").fetchall():
        rows = conn.execute(BOOKS_BY_AUTHOR, (author_id,)).fetchall()
        result[name] = [title for (title,) in rows]
    return result


def books_by_author_join(conn: sqlite3.Connection) -> Library:
    """Each author's book titles from one ``LEFT JOIN`` (authors without books kept).

    Complexity: one query.
    """
    result: Library = {}
    rows = conn.execute(
        "SELECT a.name, b.title FROM authors a LEFT JOIN books b ON b.author_id = a.id "
        "ORDER BY a.id, b.id"
    ).fetchall()
    for name, title in rows:
        titles = result.setdefault(name, [])
        if title is not None:
            titles.append(title)
    return result


def books_by_author_batched(conn: sqlite3.Connection, batch: int = 500) -> Library:
    """Each author's book titles in 1 + ceil(N / batch) queries (the dataloader way).

    Args:
        conn: the bookshop.
        batch: author ids per ``IN (...)`` list (>= 1); SQLite allows 32,766
            bound parameters per statement since 3.32.

    Raises:
        TypeError: ``batch`` is not an int.
        ValueError: ``batch`` < 1 or > 32766.

    Complexity: 1 + ceil(N / batch) queries.
    """
    check_int(batch, "batch", minimum=1, maximum=32766)
    authors = conn.execute("SELECT id, name FROM authors ORDER BY id").fetchall()
    result: Library = {name: [] for _, name in authors}
    names = dict(authors)
    for start in range(0, len(authors), batch):
        ids = [author_id for author_id, _ in authors[start : start + batch]]
        marks = ", ".join("?" * len(ids))
        rows = conn.execute(
            f"SELECT author_id, title FROM books WHERE author_id IN ({marks}) ORDER BY id",  # noqa: S608 - only '?' marks
            ids,
        ).fetchall()
        for author_id, title in rows:
            result[names[author_id]].append(title)
    return result


def explain(conn: sqlite3.Connection, sql: str, params: tuple[object, ...] = ()) -> list[str]:
    """Return the ``detail`` lines of ``EXPLAIN QUERY PLAN sql``, indented by depth.

    Args:
        conn: a SQLite connection.
        sql: one SELECT statement.
        params: its bound parameters.

    Raises:
        TypeError: ``sql`` is not a str.
        ValueError: ``sql`` is empty.

    Complexity: planning only; the query does not run.

    >>> conn = make_bookshop(authors=2, books_per_author=2)
    >>> explain(conn, BOOKS_BY_AUTHOR, (1,))
    ['SCAN books']
    >>> _ = conn.execute("CREATE INDEX books_author_id ON books(author_id)")
    >>> explain(conn, BOOKS_BY_AUTHOR, (1,))
    ['SEARCH books USING INDEX books_author_id (author_id=?)']
    """
    check_str(sql, "sql", nonempty=True)
    rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines
