"""The domain core: an order and its legal life, with no I/O and no framework.

This is the inside of the hexagon. It knows nothing about databases, HTTP or
message brokers, so every adapter, the hexagonal service and the event-sourced
write side reuse it unchanged. Money is kept in integer cents: binary floats
cannot represent 0.10 exactly, and a sum of prices must be exact.

An order moves ``placed -> paid -> shipped``; it may be cancelled while
``placed`` or ``paid`` (a paid order is refunded), never once shipped.

>>> order = Order.place("o-1", "alice", [OrderLine("book", 2, 1250)])
>>> order.total_cents, order.status.value
(2500, 'placed')
>>> order.pay().ship().cancel()
Traceback (most recent call last):
    ...
studybook.senior.architectural_patterns.domain.InvalidTransitionError:
cannot cancel order 'o-1' in status 'shipped'
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace

from studybook._validate import check_int, check_str

__all__ = ["InvalidTransitionError", "Order", "OrderLine", "OrderStatus"]


class OrderStatus(enum.Enum):
    """Where an order is in its life."""

    PLACED = "placed"
    PAID = "paid"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class InvalidTransitionError(ValueError):
    """The command is not allowed in the order's current status."""


# The whole life cycle as data: (status, action) -> new status.
_TRANSITIONS: dict[tuple[OrderStatus, str], OrderStatus] = {
    (OrderStatus.PLACED, "pay"): OrderStatus.PAID,
    (OrderStatus.PAID, "ship"): OrderStatus.SHIPPED,
    (OrderStatus.PLACED, "cancel"): OrderStatus.CANCELLED,
    (OrderStatus.PAID, "cancel"): OrderStatus.CANCELLED,
}

# Largest quantity and unit price accepted, to keep totals well inside SQLite's int64.
MAX_QUANTITY = 1_000_000
MAX_PRICE = 10**10


@dataclass(frozen=True)
class OrderLine:
    """One product in an order: a SKU, how many, and the unit price in cents.

    Raises:
        TypeError: a field of the wrong type (``bool`` is not an ``int``).
        ValueError: an empty SKU, a quantity below 1 or a negative price.

    >>> OrderLine("pen", 3, 199).subtotal_cents
    597
    >>> OrderLine("pen", 0, 199)
    Traceback (most recent call last):
        ...
    ValueError: quantity must be in [1, 1000000], got 0
    """

    sku: str
    quantity: int
    unit_price_cents: int

    def __post_init__(self) -> None:
        check_str(self.sku, "sku", nonempty=True)
        check_int(self.quantity, "quantity", minimum=1, maximum=MAX_QUANTITY)
        check_int(self.unit_price_cents, "unit_price_cents", minimum=0, maximum=MAX_PRICE)

    @property
    def subtotal_cents(self) -> int:
        """Quantity times unit price, in cents."""
        return self.quantity * self.unit_price_cents


@dataclass(frozen=True)
class Order:
    """An immutable order; each transition returns a new ``Order`` with ``version + 1``.

    ``version`` counts the changes since the order was placed (1 when placed).
    Repositories use it for optimistic concurrency: a save succeeds only if the
    stored version is the one the change was made from.
    """

    order_id: str
    customer: str
    lines: tuple[OrderLine, ...]
    status: OrderStatus = OrderStatus.PLACED
    version: int = 1

    def __post_init__(self) -> None:
        # Checked here, not only in place(): an Order built directly must not
        # smuggle a value that one adapter stores as given and another coerces
        # (SQLite turns a customer 5 into the text '5').
        check_str(self.order_id, "order_id", nonempty=True)
        check_str(self.customer, "customer", nonempty=True)
        if not isinstance(self.lines, tuple) or not self.lines:
            raise ValueError(f"lines must be a non-empty tuple of OrderLine, got {self.lines!r}")
        for line in self.lines:
            if not isinstance(line, OrderLine):
                raise TypeError(f"each line must be an OrderLine, got {line!r}")
        if not isinstance(self.status, OrderStatus):
            raise TypeError(f"status must be an OrderStatus, got {self.status!r}")
        check_int(self.version, "version", minimum=1)

    @classmethod
    def place(cls, order_id: str, customer: str, lines: Sequence[OrderLine]) -> Order:
        """Create a new order in status ``placed``.

        Args:
            order_id: a non-empty identifier, unique per repository.
            customer: a non-empty customer identifier.
            lines: at least one :class:`OrderLine`; the same SKU may appear twice.

        Returns:
            The order, version 1.

        Raises:
            TypeError: a wrong type, or a line that is not an ``OrderLine``.
            ValueError: an empty identifier or no lines.

        Complexity: O(number of lines).

        >>> Order.place("o-2", "bob", []).status
        Traceback (most recent call last):
            ...
        ValueError: an order needs at least one line, got []
        """
        check_str(order_id, "order_id", nonempty=True)
        check_str(customer, "customer", nonempty=True)
        if not isinstance(lines, list | tuple):
            raise TypeError(f"lines must be a list or tuple of OrderLine, got {lines!r}")
        items = tuple(lines)
        for line in items:
            if not isinstance(line, OrderLine):
                raise TypeError(f"each line must be an OrderLine, got {line!r}")
        if not items:
            raise ValueError(f"an order needs at least one line, got {list(items)!r}")
        return cls(order_id, customer, items)

    @property
    def total_cents(self) -> int:
        """The sum of the lines' subtotals, in cents."""
        return sum(line.subtotal_cents for line in self.lines)

    def pay(self) -> Order:
        """Mark a placed order as paid. Complexity: O(lines) (the new order is validated)."""
        return self._move("pay")

    def ship(self) -> Order:
        """Mark a paid order as shipped. Complexity: O(lines)."""
        return self._move("ship")

    def cancel(self) -> Order:
        """Cancel a placed or paid order (a paid one is refunded). Complexity: O(lines)."""
        return self._move("cancel")

    def can(self, action: str) -> bool:
        """Whether ``action`` (``"pay"``, ``"ship"``, ``"cancel"``) is legal now.

        >>> Order.place("o-3", "bob", [OrderLine("pen", 1, 100)]).can("ship")
        False
        """
        return (self.status, action) in _TRANSITIONS

    def _move(self, action: str) -> Order:
        new_status = _TRANSITIONS.get((self.status, action))
        if new_status is None:
            raise InvalidTransitionError(
                f"cannot {action} order {self.order_id!r} in status {self.status.value!r}"
            )
        return replace(self, status=new_status, version=self.version + 1)
