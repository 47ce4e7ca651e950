"""Database design: normal forms, N+1 queries, indexes, a connection pool, isolation levels.

Interviewers ask about database design because most production incidents in
a web service end at the database: a page that runs 101 queries, a lookup
without an index, a pool that leaks connections until every request waits,
and two transactions that each followed the rules and together broke an
invariant. One submodule per concern:

- :mod:`~.normal_forms`: functional dependencies, candidate keys, and the
  highest normal form a table meets (1NF to BCNF);
- :mod:`~.queries`: the N+1 problem against a JOIN and a batched query on
  SQLite, with statements counted, and ``EXPLAIN QUERY PLAN``;
- :mod:`~.pool`: a bounded, thread-safe connection pool with an acquire
  timeout, a health check on checkout and no leak on exceptions;
- :mod:`~.isolation`: the isolation anomalies as two-session scripts that the
  tests run on a real PostgreSQL 15.

Invariant: the pool never has more than ``max_size`` connections open and
every borrowed connection comes back.

==============================  ==============================
operation                       cost
==============================  ==============================
N+1 listing                     1 + N queries
JOIN listing                    1 query
batched listing                 1 + ceil(N / batch) queries
lookup by author, no index      O(rows) (SCAN)
lookup by author, B-tree index  O(log rows + matches) (SEARCH)
pool acquire / release          O(1) plus health check / reset
candidate_keys                  O(2^columns) closures
==============================  ==============================

>>> normal_form({"isbn", "title"}, parse_fds("isbn -> title"))
('BCNF', '')

Primary sources: PostgreSQL 15 documentation, section 13.2 "Transaction
Isolation"; H. Berenson et al., "A Critique of ANSI SQL Isolation Levels",
SIGMOD 1995; D. R. K. Ports and K. Grittner, "Serializable Snapshot
Isolation in PostgreSQL", PVLDB 5(12), 2012.
"""

from __future__ import annotations

import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TextIO

from studybook._validate import check_int
from studybook.senior.database_design.isolation import (
    SCENARIOS,
    Connection,
    Scenario,
    Step,
    StepResult,
    format_scenario,
    run_scenario,
)
from studybook.senior.database_design.normal_forms import (
    FD,
    candidate_keys,
    closure,
    normal_form,
    parse_fds,
)
from studybook.senior.database_design.pool import (
    ConnectionPool,
    PoolClosedError,
    PoolStats,
    PoolTimeoutError,
)
from studybook.senior.database_design.queries import (
    BOOKS_BY_AUTHOR,
    QueryLog,
    books_by_author_batched,
    books_by_author_join,
    books_by_author_n_plus_one,
    explain,
    make_bookshop,
)

__all__ = [
    "BOOKS_BY_AUTHOR",
    "FD",
    "SCENARIOS",
    "WORKED_SCHEMA",
    "Connection",
    "ConnectionPool",
    "PoolClosedError",
    "PoolStats",
    "PoolTimeoutError",
    "QueryLog",
    "Scenario",
    "Step",
    "StepResult",
    "books_by_author_batched",
    "books_by_author_join",
    "books_by_author_n_plus_one",
    "candidate_keys",
    "closure",
    "demo",
    "explain",
    "format_scenario",
    "make_bookshop",
    "normal_form",
    "parse_fds",
    "run_scenario",
]

WORKED_SCHEMA: dict[str, tuple[set[str], str]] = {
    "order_lines (flat)": (
        {"order_id", "isbn", "qty", "customer_id", "email", "title", "author_id", "author_name"},
        "order_id -> customer_id; customer_id -> email; order_id, isbn -> qty; "
        "isbn -> title, author_id; author_id -> author_name",
    ),
    "orders": (
        {"order_id", "customer_id", "email"},
        "order_id -> customer_id; customer_id -> email",
    ),
    "books": (
        {"isbn", "title", "author_id", "author_name"},
        "isbn -> title, author_id; author_id -> author_name",
    ),
    "advisors": ({"customer", "genre", "advisor"}, "customer, genre -> advisor; advisor -> genre"),
    "customers": ({"customer_id", "email"}, "customer_id -> email"),
}
"""The chapter's worked schema: table -> (columns, FDs)."""


def demo(out: TextIO, *, authors: int = 200, books_per_author: int = 5) -> None:
    """Narrate the chapter: normal forms, N+1 vs JOIN (counted and timed), an index, a pool.

    The isolation scripts need a PostgreSQL server, so the demo prints one of
    them; the tests run them all.

    Args:
        out: where to write.
        authors: authors in the bookshop (>= 1).
        books_per_author: books each (>= 1).

    Raises:
        TypeError: a count is not an int.
        ValueError: a count < 1.

    Complexity: O(authors * books_per_author) plus 16 threads x 25 pool checkouts.
    """
    check_int(authors, "authors", minimum=1)
    check_int(books_per_author, "books_per_author", minimum=1)
    out.write("Normal forms of the worked schema (highest met, and why not higher):\n")
    for table, (columns, fds) in WORKED_SCHEMA.items():
        form, why = normal_form(columns, parse_fds(fds))
        out.write(f"  {table:<20} {form:<5} {why}".rstrip() + "\n")
    out.write(
        f"\nN+1 against JOIN, {authors} authors x {books_per_author} books (SQLite in memory):\n"
    )
    for indexed in (False, True):
        conn = make_bookshop(authors=authors, books_per_author=books_per_author, index=indexed)
        label = "with index on books(author_id)" if indexed else "no index"
        out.write(f"  {label}:\n")
        for name, fetch in (
            ("N+1 loop", books_by_author_n_plus_one),
            ("JOIN", books_by_author_join),
            ("batched IN", books_by_author_batched),
        ):
            with QueryLog(conn) as log:
                started = time.perf_counter()
                fetch(conn)
                elapsed = time.perf_counter() - started
            out.write(f"    {name:<11} {len(log.statements):>4} queries {elapsed * 1e3:8.2f} ms\n")
        out.write(f"    plan of the per-author query: {explain(conn, BOOKS_BY_AUTHOR, (1,))}\n")
        conn.close()
    out.write("\nConnection pool: 16 threads x 25 checkouts, max_size=4, sqlite3 connections:\n")
    pool: ConnectionPool[sqlite3.Connection] = ConnectionPool(
        lambda: sqlite3.connect(":memory:", check_same_thread=False),
        max_size=4,
        check=lambda c: c.execute("SELECT 1").fetchone() == (1,),
    )

    def worker() -> None:
        for _ in range(25):
            with pool.connection() as conn:
                conn.execute("SELECT 1")

    with ThreadPoolExecutor(max_workers=16) as workers:
        for future in [workers.submit(worker) for _ in range(16)]:
            future.result()  # re-raise a worker's exception here
    stats = pool.stats()
    pool.close()
    out.write(
        f"  peak open {stats.peak_open}, never above max_size: {stats.peak_open <= 4}; "
        f"lent out after the run: {stats.in_use}; all closed: {pool.stats().open == 0}\n"
    )
    out.write("\nOne isolation script (run on PostgreSQL 15 by the tests):\n")
    out.write(format_scenario(SCENARIOS["write_skew_serializable"], "doctors") + "\n")
