"""Effectively-once on a real PostgreSQL: the dedup row and the effect in one transaction, or not.

The in-memory consumer of ``semantics.py`` updates its dedup table and its
total in one step, the assumption effectively-once rests on. Here the consumer
keeps both in PostgreSQL and crashes (its connection closes, uncommitted work
rolls back) between the dedup mark and the effect. One transaction gives each
message applied once; two transactions lose the message (mark first) or apply
it twice (effect first), as the chapter's first exercise says.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Literal

import psycopg
import pytest

from studybook.senior.messaging_systems import ManualClock, VisibilityQueue

Order = Literal["one-transaction", "mark-then-apply", "apply-then-mark"]


@pytest.fixture
def tables(postgres_dsn: str) -> Iterator[tuple[str, str, str]]:
    suffix = uuid.uuid4().hex[:12]
    seen, total = f"ms_seen_{suffix}", f"ms_total_{suffix}"
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute(f"CREATE TABLE {seen} (message_id text PRIMARY KEY)")
        admin.execute(f"CREATE TABLE {total} (id int PRIMARY KEY, amount int NOT NULL)")
        admin.execute(f"INSERT INTO {total} VALUES (1, 0)")  # noqa: S608 - our table name
    yield postgres_dsn, seen, total
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute(f"DROP TABLE {seen}, {total}")


def _consume(dsn: str, seen: str, total: str, order: Order, crash_at: set[int]) -> int:
    """Drain 5 messages (amounts 1..5) through a consumer that crashes at ``crash_at``."""
    clock = ManualClock()
    queue = VisibilityQueue(clock=clock, visibility_timeout=30)
    for i in range(5):
        queue.send(i + 1, message_id=f"m{i}")
    mark = f"INSERT INTO {seen} VALUES (%s) ON CONFLICT DO NOTHING"  # noqa: S608
    apply = f"UPDATE {total} SET amount = amount + %s WHERE id = 1"  # noqa: S608
    deliveries = 0
    while len(queue):
        batch = queue.receive()
        if not batch:
            clock.advance(30)
            continue
        d = batch[0]
        crash = deliveries in crash_at
        deliveries += 1
        conn = psycopg.connect(dsn, connect_timeout=10)  # a fresh consumer process
        try:
            if order == "apply-then-mark":
                conn.execute(apply, (d.body,))
                conn.commit()
                if crash:
                    continue  # crash: the effect is committed, the mark is not
                conn.execute(mark, (d.message_id,))
                conn.commit()
            else:
                fresh = conn.execute(mark, (d.message_id,)).rowcount == 1
                if order == "mark-then-apply":
                    conn.commit()
                if crash:
                    continue  # crash: one transaction rolls back; two keep the mark
                if fresh:
                    conn.execute(apply, (d.body,))
                conn.commit()
        finally:
            conn.close()  # without commit, PostgreSQL rolls the transaction back
        queue.delete(d.receipt_handle)
    with psycopg.connect(dsn) as conn:
        row = conn.execute(f"SELECT amount FROM {total} WHERE id = 1").fetchone()  # noqa: S608
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("one-transaction", 15),  # 1+2+3+4+5: every message applied once
        ("mark-then-apply", 15 - 2 - 4),  # m1 and m3 marked but never applied: lost
        ("apply-then-mark", 15 + 2 + 4),  # m1 and m3 applied, redelivered, applied again
    ],
)
def test_dedup_mark_and_effect_must_commit_together(
    tables: tuple[str, str, str], order: Order, expected: int
) -> None:
    dsn, seen, total = tables
    assert _consume(dsn, seen, total, order, crash_at={1, 3}) == expected
