"""Architectural patterns: hexagonal, CQRS with event sourcing, sagas and the strangler fig.

Interviewers ask about architecture to hear trade-offs, not slogans: why a
port keeps the domain testable, what CQRS costs (eventual consistency between
the log and the read models), how a saga replaces a distributed transaction,
and how a monolith is taken apart (or kept) without a big-bang rewrite. This
package makes each idea small enough to read in one sitting and checks it:

- :mod:`~studybook.senior.architectural_patterns.domain`: the order, its
  rules and nothing else (the inside of the hexagon);
- :mod:`~studybook.senior.architectural_patterns.hexagonal`: the repository
  port, an in-memory and an SQLite adapter that pass one contract test, and the
  application service;
- :mod:`~studybook.senior.architectural_patterns.cqrs`: an event-sourced write
  side (decide/evolve over an append-only log with expected versions) and
  projections that can be rebuilt from the log;
- :mod:`~studybook.senior.architectural_patterns.saga`: an orchestrated saga
  with compensations;
- :mod:`~studybook.senior.architectural_patterns.strangler`: a strangler-fig
  facade with shadow traffic and rollback.

Invariants, each checked by a test: both adapters give the same answers to
the same calls; a projection rebuilt from the log equals the live one; a saga
ends with every step done or every completed step compensated (or reports
itself stuck); the facade sends a path to exactly one owner.

===========================  ============================  ===========================
Operation                    Cost                          Note
===========================  ============================  ===========================
repository get/save          O(1) dict, O(log n) SQLite    save is compare-and-set
command (event-sourced)      O(events in the stream)       snapshots bound the replay
projection rebuild           O(events in the log)          any time, from scratch
saga                         O(steps) calls                plus retried compensations
===========================  ============================  ===========================

>>> from studybook.senior.architectural_patterns import OrderLine, Order
>>> Order.place("o-1", "alice", [OrderLine("book", 2, 1250)]).total_cents
2500

Primary sources: Cockburn, "Hexagonal architecture" (2005); Garcia-Molina and
Salem, "Sagas", SIGMOD 1987; Fowler, "Event Sourcing" (2005), "CQRS" (2011) and
"StranglerFigApplication" (2004).
"""

from __future__ import annotations

import functools
from typing import TextIO

from studybook.senior.architectural_patterns.cqrs import (
    CancelOrder,
    CustomerRevenueProjection,
    EventLog,
    OrderCommandHandler,
    OrderSummaryProjection,
    PayOrder,
    PlaceOrder,
    ShipOrder,
    rebuild,
)
from studybook.senior.architectural_patterns.domain import (
    InvalidTransitionError,
    Order,
    OrderLine,
    OrderStatus,
)
from studybook.senior.architectural_patterns.hexagonal import (
    InMemoryOrderRepository,
    OrderRepository,
    OrderService,
    SqliteOrderRepository,
)
from studybook.senior.architectural_patterns.saga import (
    Inventory,
    Payments,
    SagaOutcome,
    SagaStep,
    Shipping,
    order_saga,
    run_saga,
)
from studybook.senior.architectural_patterns.strangler import StranglerFacade

__all__ = [
    "CancelOrder",
    "CustomerRevenueProjection",
    "EventLog",
    "InMemoryOrderRepository",
    "InvalidTransitionError",
    "Inventory",
    "Order",
    "OrderCommandHandler",
    "OrderLine",
    "OrderRepository",
    "OrderService",
    "OrderStatus",
    "OrderSummaryProjection",
    "PayOrder",
    "Payments",
    "PlaceOrder",
    "SagaOutcome",
    "SagaStep",
    "ShipOrder",
    "Shipping",
    "SqliteOrderRepository",
    "StranglerFacade",
    "demo",
    "order_saga",
    "rebuild",
    "run_saga",
]


def demo(out: TextIO) -> None:
    """One order story told four ways: two adapters, an event log, a saga, a strangler.

    >>> import io
    >>> buf = io.StringIO(); demo(buf)
    >>> print(buf.getvalue(), end="")
    hexagonal: the same use cases on two adapters
      InMemoryOrderRepository  o-1 shipped, o-2 cancelled; alice has 2 orders
      SqliteOrderRepository    o-1 shipped, o-2 cancelled; alice has 2 orders
    CQRS: 7 events in the log
      order summaries  {'o-1': ('shipped', 2500), 'o-2': ('cancelled', 900), 'o-3': ('placed', 300)}
      revenue (net)    {'alice': 2500, 'bob': 0}
      rebuilt from the log equals live: True
    saga: shipping is down
      reserve stock: done
      charge payment: done
      schedule shipping: failed (carrier API timeout)
      charge payment: compensated
      reserve stock: compensated
      outcome compensated; stock 3 -> 3, balance 5000 -> 5000
    strangler fig: /orders moved, /tax in shadow
      /orders/7 -> new, /tax/fr -> shadow, /users/1 -> legacy; shadow mismatches ['/tax/fr']
    """
    _demo_hexagonal(out)
    _demo_cqrs(out)
    _demo_saga(out)
    _demo_strangler(out)


def _demo_hexagonal(out: TextIO) -> None:
    out.write("hexagonal: the same use cases on two adapters\n")
    repositories: list[OrderRepository] = [InMemoryOrderRepository(), SqliteOrderRepository()]
    for repo in repositories:
        ids = iter(["o-1", "o-2"])
        service = OrderService(repo, new_id=functools.partial(next, ids))
        first = service.place("alice", [OrderLine("book", 2, 1250)])
        second = service.place("alice", [OrderLine("pen", 3, 300)])
        service.pay(first.order_id)
        service.ship(first.order_id)
        service.cancel(second.order_id)
        a, b = service.get("o-1").status.value, service.get("o-2").status.value
        count = len(service.orders_of("alice"))
        out.write(f"  {type(repo).__name__:<24} o-1 {a}, o-2 {b}; alice has {count} orders\n")
        if isinstance(repo, SqliteOrderRepository):
            repo.close()


def _demo_cqrs(out: TextIO) -> None:
    log = EventLog()
    summaries, revenue = OrderSummaryProjection(), CustomerRevenueProjection()
    log.subscribe(summaries.apply)
    log.subscribe(revenue.apply)
    handler = OrderCommandHandler(log)
    for command in (
        PlaceOrder("o-1", "alice", (OrderLine("book", 2, 1250),)),
        PayOrder("o-1"),
        ShipOrder("o-1"),
        PlaceOrder("o-2", "bob", (OrderLine("pen", 3, 300),)),
        PayOrder("o-2"),
        CancelOrder("o-2"),
        PlaceOrder("o-3", "bob", (OrderLine("ink", 1, 300),)),
    ):
        handler.handle(command)
    out.write(f"CQRS: {len(log)} events in the log\n")
    rows = {k: (v.status, v.total_cents) for k, v in summaries.view().items()}  # type: ignore[attr-defined]
    out.write(f"  order summaries  {rows}\n")
    out.write(f"  revenue (net)    {revenue.view()}\n")
    same = (
        rebuild(OrderSummaryProjection, log).view() == summaries.view()
        and rebuild(CustomerRevenueProjection, log).view() == revenue.view()
    )
    out.write(f"  rebuilt from the log equals live: {same}\n")


def _demo_saga(out: TextIO) -> None:
    out.write("saga: shipping is down\n")
    inventory, payments = Inventory({"book": 3}), Payments({"alice": 5000})
    order = Order.place("o-1", "alice", [OrderLine("book", 2, 1250)])
    outcome = run_saga(
        order_saga(order, inventory, payments, Shipping(fail_with="carrier API timeout"))
    )
    for line in outcome.journal:
        out.write(f"  {line}\n")
    out.write(
        f"  outcome {outcome.status}; stock 3 -> {inventory.available('book')}, "
        f"balance 5000 -> {payments.balance('alice')}\n"
    )


def _demo_strangler(out: TextIO) -> None:
    out.write("strangler fig: /orders moved, /tax in shadow\n")
    facade: StranglerFacade[str] = StranglerFacade(lambda path: "legacy answer")
    facade.migrate("/orders", lambda path: "new answer")
    facade.shadow("/tax", lambda path: "new tax answer")
    paths = ["/orders/7", "/tax/fr", "/users/1"]
    for path in paths:
        facade.handle(path)
    owners = ", ".join(f"{p} -> {facade.served_by(p)}" for p in paths)
    out.write(f"  {owners}; shadow mismatches {facade.mismatches}\n")
