"""The chapter's durable workflow: fulfil an order in four activities, crash anywhere, resume.

Each activity's side effect goes to a SQLite *ledger* (standing in for the
payment provider, the warehouse, the mail server) under the idempotency key
the engine gives it. The ledger keeps two tables: ``attempts`` logs every
execution (at least once), ``effects`` holds one row per key, written with
``INSERT OR IGNORE`` in the same transaction as the attempt (exactly once in
effect). A re-run after a crash finds its row and returns the same result.

The worker process that runs it, and that the crash test kills, is
:mod:`~studybook.senior.state_machines_actors.worker`.

>>> import tempfile
>>> d = tempfile.mkdtemp()
>>> fulfil(d, "A7")
{'charge': 'ch-order-A7/2', 'order': 'A7', 'tracking': 'trk-order-A7/3'}
>>> for key, step in Ledger(d).effects():
...     print(key, step)
order-A7/1 reserve_inventory
order-A7/2 charge_card
order-A7/3 ship
order-A7/4 send_receipt
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from typing import Any

from studybook._validate import check_str
from studybook.senior.state_machines_actors.workflow import (
    ActivityInfo,
    RetryPolicy,
    WorkflowContext,
    run_workflow,
)

__all__ = ["Ledger", "fulfil", "make_activities", "order_workflow"]

HISTORY_FILE = "history.jsonl"
LEDGER_FILE = "ledger.sqlite3"


class Ledger:
    """Side effects with idempotency keys, in ``<directory>/ledger.sqlite3``."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        directory = os.fspath(directory)
        if not os.path.isdir(directory):
            raise ValueError(f"directory must exist, got {directory!r}")
        self.path = os.path.join(directory, LEDGER_FILE)
        with closing(self._connect()) as db:
            db.execute("CREATE TABLE IF NOT EXISTS attempts (key TEXT, step TEXT, attempt INTEGER)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS effects (key TEXT PRIMARY KEY, step TEXT, result TEXT)"
            )

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None)
        db.execute("PRAGMA synchronous=FULL")  # a committed effect survives power loss too
        return db

    def apply(self, info: ActivityInfo, step: str, result: str) -> str:
        """Log the attempt, apply the effect once per key, and return the stored result."""
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO attempts VALUES (?, ?, ?)", (info.idempotency_key, step, info.attempt)
            )
            db.execute(
                "INSERT OR IGNORE INTO effects VALUES (?, ?, ?)",
                (info.idempotency_key, step, result),
            )
            (stored,) = db.execute(
                "SELECT result FROM effects WHERE key = ?", (info.idempotency_key,)
            ).fetchone()
            db.execute("COMMIT")
        return str(stored)

    def effects(self) -> list[tuple[str, str]]:
        """Every effect applied, as (idempotency key, step), in key order."""
        with closing(self._connect()) as db:
            return [(k, s) for k, s in db.execute("SELECT key, step FROM effects ORDER BY key")]

    def attempts(self) -> list[tuple[str, str]]:
        """Every activity execution, as (idempotency key, step), in execution order."""
        with closing(self._connect()) as db:
            return [(k, s) for k, s in db.execute("SELECT key, step FROM attempts ORDER BY rowid")]


def order_workflow(ctx: WorkflowContext, order_id: str) -> dict[str, Any]:
    """Reserve stock, charge the card, ship, send a receipt: four activities in order."""
    reservation = ctx.execute_activity("reserve_inventory", order_id, 2)
    charge = ctx.execute_activity("charge_card", order_id, 4200)
    tracking = ctx.execute_activity("ship", order_id, reservation)
    ctx.execute_activity("send_receipt", order_id, charge, tracking)
    return {"order": order_id, "charge": charge, "tracking": tracking}


def make_activities(
    ledger: Ledger, after_effect: Callable[[ActivityInfo], None] | None = None
) -> dict[str, Callable[..., Any]]:
    """The four activities over ``ledger``; ``after_effect`` runs once each effect committed."""

    def step(info: ActivityInfo, name: str, result: str) -> str:
        stored = ledger.apply(info, name, result)
        if after_effect is not None:
            after_effect(info)
        return stored

    def reserve_inventory(info: ActivityInfo, order_id: str, quantity: int) -> str:
        return step(info, "reserve_inventory", f"res-{info.idempotency_key}-x{quantity}")

    def charge_card(info: ActivityInfo, order_id: str, cents: int) -> str:
        return step(info, "charge_card", f"ch-{info.idempotency_key}")

    def ship(info: ActivityInfo, order_id: str, reservation: str) -> str:
        return step(info, "ship", f"trk-{info.idempotency_key}")

    def send_receipt(info: ActivityInfo, order_id: str, charge: str, tracking: str) -> str:
        return step(info, "send_receipt", f"mail-{info.idempotency_key}")

    return {
        "reserve_inventory": reserve_inventory,
        "charge_card": charge_card,
        "ship": ship,
        "send_receipt": send_receipt,
    }


def fulfil(
    directory: str | os.PathLike[str],
    order_id: str,
    *,
    after_effect: Callable[[ActivityInfo], None] | None = None,
    on_event: Callable[[dict[str, Any]], None] | None = None,
) -> Any:
    """Run (or resume) the order workflow with its history and ledger in ``directory``."""
    check_str(order_id, "order_id", nonempty=True)
    ledger = Ledger(directory)
    return run_workflow(
        order_workflow,
        order_id,
        workflow_id=f"order-{order_id}",
        history_path=os.path.join(os.fspath(directory), HISTORY_FILE),
        activities=make_activities(ledger, after_effect),
        retry=RetryPolicy(initial_interval=0.01, maximum_attempts=3),
        on_event=on_event,
    )
