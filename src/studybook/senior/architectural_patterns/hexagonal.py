"""Ports and adapters: an order service, one repository port, two adapters.

The application service (:class:`OrderService`) talks to storage only through
the :class:`OrderRepository` port, a ``typing.Protocol``. Two adapters implement
it: :class:`InMemoryOrderRepository` (a dict, for tests and prototypes) and
:class:`SqliteOrderRepository` (the standard library's ``sqlite3``). One
contract test runs against both, which is what makes them interchangeable;
without it "swappable adapters" is a hope, not a property.

>>> ids = iter(["o-1", "o-2"])
>>> service = OrderService(InMemoryOrderRepository(), new_id=lambda: next(ids))
>>> order = service.place("alice", [OrderLine("book", 1, 1500)])
>>> service.pay(order.order_id).status.value
'paid'
>>> service.ship("o-9")
Traceback (most recent call last):
    ...
KeyError: "no order 'o-9'"
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from studybook._validate import check_callable, check_str
from studybook.senior.architectural_patterns.domain import Order, OrderLine, OrderStatus

__all__ = [
    "DuplicateOrderError",
    "InMemoryOrderRepository",
    "OrderRepository",
    "OrderService",
    "SqliteOrderRepository",
    "StaleOrderError",
]


class DuplicateOrderError(ValueError):
    """``add`` was given an order whose id is already stored."""


class StaleOrderError(ValueError):
    """``save`` was given an order not derived from the stored version (a lost update)."""


@runtime_checkable
class OrderRepository(Protocol):
    """The driven port: everything the application needs from storage, and nothing more.

    Contract (checked for every adapter by one shared test):

    - ``add`` stores a new order and refuses an id already present;
    - ``get`` returns an equal order, or raises ``KeyError``;
    - ``save`` accepts only the next version of the stored order (version + 1,
      same customer and lines) and raises ``StaleOrderError`` otherwise;
    - ``by_customer`` returns that customer's orders sorted by id.
    """

    def add(self, order: Order) -> None:
        """Store a new order."""
        ...

    def get(self, order_id: str) -> Order:
        """Return the stored order with this id."""
        ...

    def save(self, order: Order) -> None:
        """Replace the stored order with its next version."""
        ...

    def by_customer(self, customer: str) -> list[Order]:
        """Return the customer's orders, sorted by id."""
        ...


class InMemoryOrderRepository:
    """The port over a dict: fast, no I/O, lost when the process ends.

    Complexity: ``add``, ``get``, ``save`` O(1) average; ``by_customer`` O(n log n).
    """

    def __init__(self) -> None:
        self._orders: dict[str, Order] = {}

    def add(self, order: Order) -> None:
        """Store a new order; ``DuplicateOrderError`` if its id exists."""
        _check_order(order)
        if order.order_id in self._orders:
            raise DuplicateOrderError(f"order {order.order_id!r} already exists")
        self._orders[order.order_id] = order

    def get(self, order_id: str) -> Order:
        """Return the order; ``KeyError`` if absent."""
        check_str(order_id, "order_id")
        try:
            return self._orders[order_id]
        except KeyError:
            raise KeyError(f"no order {order_id!r}") from None

    def save(self, order: Order) -> None:
        """Replace the stored order with ``order``, its next version."""
        _check_order(order)
        _check_next_version(self.get(order.order_id), order)
        self._orders[order.order_id] = order

    def by_customer(self, customer: str) -> list[Order]:
        """Return the customer's orders sorted by id."""
        check_str(customer, "customer")
        return sorted(
            (o for o in self._orders.values() if o.customer == customer),
            key=lambda o: o.order_id,
        )


def _check_order(order: object) -> None:
    if not isinstance(order, Order):
        raise TypeError(f"order must be an Order, got {type(order).__name__}: {order!r}")


def _check_next_version(stored: Order, order: Order) -> None:
    if order.version != stored.version + 1:
        raise StaleOrderError(
            f"order {order.order_id!r} is stored at version {stored.version}; "
            f"cannot save version {order.version}"
        )
    if order.customer != stored.customer or order.lines != stored.lines:
        raise ValueError(f"save may change only the status of order {order.order_id!r}")


_SCHEMA = """
CREATE TABLE IF NOT EXISTS arch_orders (
    order_id TEXT PRIMARY KEY,
    customer TEXT NOT NULL,
    status   TEXT NOT NULL,
    version  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS arch_order_lines (
    order_id         TEXT NOT NULL REFERENCES arch_orders(order_id),
    position         INTEGER NOT NULL,
    sku              TEXT NOT NULL,
    quantity         INTEGER NOT NULL,
    unit_price_cents INTEGER NOT NULL,
    PRIMARY KEY (order_id, position)
);
CREATE INDEX IF NOT EXISTS arch_orders_by_customer ON arch_orders(customer, order_id);
"""


class SqliteOrderRepository:
    """The port over SQLite: durable, transactional, queryable with SQL.

    Each method is one transaction. ``save`` is a compare-and-set on the
    version column (``UPDATE ... WHERE version = ?``), the optimistic-locking
    idiom that prevents lost updates when two writers load the same version.
    The adapter creates only its own ``arch_*`` tables (``IF NOT EXISTS``) and
    never drops or rewrites anything else in the database file.

    Args:
        path: a database file, or ``":memory:"`` (the default) for a private
            in-memory database.

    Raises:
        TypeError: ``path`` is not a str or path-like.
        ValueError: the file exists but is not an SQLite database.

    Complexity: ``get`` O(log n + lines) through the primary keys;
    ``by_customer`` O(log n + k) through the ``(customer, order_id)`` index.
    """

    def __init__(self, path: str | os.PathLike[str] = ":memory:") -> None:
        if not isinstance(path, str | os.PathLike):
            raise TypeError(f"path must be a str or path-like, got {type(path).__name__}: {path!r}")
        self._db = sqlite3.connect(path)
        try:
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise ValueError(f"not a usable SQLite database: {path!r} ({exc})") from None

    def close(self) -> None:
        """Close the connection; the object must not be used afterwards."""
        self._db.close()

    def add(self, order: Order) -> None:
        """Store a new order and its lines in one transaction."""
        _check_order(order)
        try:
            with self._db:
                self._db.execute(
                    "INSERT INTO arch_orders VALUES (?, ?, ?, ?)",
                    (order.order_id, order.customer, order.status.value, order.version),
                )
                self._db.executemany(
                    "INSERT INTO arch_order_lines VALUES (?, ?, ?, ?, ?)",
                    [
                        (order.order_id, i, ln.sku, ln.quantity, ln.unit_price_cents)
                        for i, ln in enumerate(order.lines)
                    ],
                )
        except sqlite3.IntegrityError:
            raise DuplicateOrderError(f"order {order.order_id!r} already exists") from None

    def get(self, order_id: str) -> Order:
        """Load the order and its lines; ``KeyError`` if absent."""
        check_str(order_id, "order_id")
        row = self._db.execute(
            "SELECT customer, status, version FROM arch_orders WHERE order_id = ?", (order_id,)
        ).fetchone()
        if row is None:
            raise KeyError(f"no order {order_id!r}")
        lines = self._db.execute(
            "SELECT sku, quantity, unit_price_cents FROM arch_order_lines "
            "WHERE order_id = ? ORDER BY position",
            (order_id,),
        ).fetchall()
        return Order(
            order_id, row[0], tuple(OrderLine(*ln) for ln in lines), OrderStatus(row[1]), row[2]
        )

    def save(self, order: Order) -> None:
        """Compare-and-set the status and version; ``StaleOrderError`` on a lost race."""
        _check_order(order)
        _check_next_version(self.get(order.order_id), order)
        with self._db:
            cursor = self._db.execute(
                "UPDATE arch_orders SET status = ?, version = ? WHERE order_id = ? AND version = ?",
                (order.status.value, order.version, order.order_id, order.version - 1),
            )
        if cursor.rowcount != 1:  # another connection saved first
            raise StaleOrderError(f"order {order.order_id!r} changed since it was loaded")

    def by_customer(self, customer: str) -> list[Order]:
        """Return the customer's orders sorted by id."""
        check_str(customer, "customer")
        ids = self._db.execute(
            "SELECT order_id FROM arch_orders WHERE customer = ? ORDER BY order_id", (customer,)
        ).fetchall()
        return [self.get(order_id) for (order_id,) in ids]


class OrderService:
    """The application service: use cases, written against the port only.

    It loads an order, asks the domain to change it, and saves the result. It
    does not know which adapter it has, so the same code runs on a dict in a
    test and on SQLite in production.

    Args:
        repository: any object that satisfies :class:`OrderRepository`.
        new_id: makes order ids; by default random UUID4 hex strings (inject a
            counter in tests and doctests).

    Raises:
        TypeError: ``repository`` lacks the port's methods, or ``new_id`` is not callable.
    """

    def __init__(
        self, repository: OrderRepository, new_id: Callable[[], str] | None = None
    ) -> None:
        if not isinstance(repository, OrderRepository):
            raise TypeError(f"repository must implement OrderRepository, got {repository!r}")
        if new_id is None:
            new_id = _random_id
        check_callable(new_id, "new_id")
        self._repo = repository
        self._new_id = new_id

    def place(self, customer: str, lines: Sequence[OrderLine]) -> Order:
        """Place a new order and store it. Complexity: O(lines) plus one ``add``."""
        order = Order.place(self._new_id(), customer, lines)
        self._repo.add(order)
        return order

    def pay(self, order_id: str) -> Order:
        """Pay for a placed order."""
        return self._change(order_id, Order.pay)

    def ship(self, order_id: str) -> Order:
        """Ship a paid order."""
        return self._change(order_id, Order.ship)

    def cancel(self, order_id: str) -> Order:
        """Cancel a placed or paid order."""
        return self._change(order_id, Order.cancel)

    def get(self, order_id: str) -> Order:
        """Return the stored order."""
        return self._repo.get(order_id)

    def orders_of(self, customer: str) -> list[Order]:
        """Return the customer's orders sorted by id."""
        return self._repo.by_customer(customer)

    def _change(self, order_id: str, transition: Callable[[Order], Order]) -> Order:
        changed = transition(self._repo.get(order_id))
        self._repo.save(changed)
        return changed


def _random_id() -> str:
    return uuid.uuid4().hex
