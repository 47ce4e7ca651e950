"""An orchestrated saga: local steps in order, compensations in reverse when one fails.

A saga (Garcia-Molina and Salem, SIGMOD 1987) replaces one long transaction
with a sequence of local transactions T1..Tn, each with a compensating
transaction Ci that semantically undoes it. Either all Ti complete, or the
completed ones are compensated in reverse order: T1, T2, (T3 fails), C2, C1.
Between the steps other transactions see the intermediate state: a saga is
atomic in outcome but not isolated.

Here an orchestrator (:func:`run_saga`) drives the steps and writes a journal;
in production the journal is persisted so that a restarted orchestrator can
finish what it began, and compensations are retried, so they must be
idempotent. The example participants (inventory, payments, shipping) are
in-memory services whose compensations are idempotent.

>>> from studybook.senior.architectural_patterns.domain import OrderLine
>>> inventory, payments = Inventory({"book": 1}), Payments({"alice": 500})
>>> order = Order.place("o-1", "alice", [OrderLine("book", 1, 1500)])
>>> outcome = run_saga(order_saga(order, inventory, payments, Shipping()))
>>> outcome.status, outcome.failed_step, outcome.compensated
('compensated', 'charge payment', ('reserve stock',))
>>> inventory.available("book"), payments.balance("alice")
(1, 500)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from studybook._validate import check_callable, check_int, check_str
from studybook.senior.architectural_patterns.domain import Order

__all__ = [
    "Inventory",
    "Payments",
    "SagaOutcome",
    "SagaStep",
    "Shipping",
    "order_saga",
    "run_saga",
]


@dataclass(frozen=True)
class SagaStep:
    """One local transaction and the compensation that undoes it.

    Raises:
        TypeError: ``action`` or ``compensation`` is not callable.
        ValueError: an empty name.
    """

    name: str
    action: Callable[[], object]
    compensation: Callable[[], object]

    def __post_init__(self) -> None:
        check_str(self.name, "name", nonempty=True)
        check_callable(self.action, "action")
        check_callable(self.compensation, "compensation")


@dataclass(frozen=True)
class SagaOutcome:
    """How a saga ended.

    ``status`` is ``"completed"`` (every step ran), ``"compensated"`` (a step
    failed and every completed step was undone) or ``"stuck"`` (a compensation
    kept failing: a human or a retry job must finish it). ``journal`` is the
    orchestrator's log, one line per attempt, in order.
    """

    status: Literal["completed", "compensated", "stuck"]
    completed: tuple[str, ...]
    compensated: tuple[str, ...]
    failed_step: str | None
    error: str | None
    journal: tuple[str, ...]


def run_saga(steps: Sequence[SagaStep], *, compensation_attempts: int = 3) -> SagaOutcome:
    """Run the steps in order; on the first failure, compensate the completed ones in reverse.

    The failed step itself is not compensated: its local transaction did not
    commit. Each compensation is tried up to ``compensation_attempts`` times;
    one that never succeeds leaves the saga ``"stuck"`` (the others are still
    compensated, so as little as possible is left half-done).

    Args:
        steps: the saga's steps, in order.
        compensation_attempts: tries per compensation, at least 1.

    Returns:
        A :class:`SagaOutcome`.

    Raises:
        TypeError: ``steps`` holds something that is not a :class:`SagaStep`.
        ValueError: ``compensation_attempts`` below 1, or two steps share a name.

    Complexity: O(steps * compensation_attempts) calls.

    >>> run_saga([SagaStep("a", lambda: None, lambda: None)]).status
    'completed'
    >>> run_saga([], compensation_attempts=0)
    Traceback (most recent call last):
        ...
    ValueError: compensation_attempts must be >= 1, got 0
    """
    check_int(compensation_attempts, "compensation_attempts", minimum=1)
    items = list(steps)
    for step in items:
        if not isinstance(step, SagaStep):
            raise TypeError(f"each step must be a SagaStep, got {step!r}")
    names = [step.name for step in items]
    if len(set(names)) != len(names):
        raise ValueError(f"step names must be unique, got {names!r}")
    journal: list[str] = []
    done: list[SagaStep] = []
    for step in items:
        try:
            step.action()
        except Exception as exc:  # any failure of a participant triggers compensation
            journal.append(f"{step.name}: failed ({exc})")
            return _compensate(done, step.name, str(exc), journal, compensation_attempts)
        journal.append(f"{step.name}: done")
        done.append(step)
    return SagaOutcome("completed", tuple(names), (), None, None, tuple(journal))


def _compensate(
    done: list[SagaStep], failed: str, error: str, journal: list[str], attempts: int
) -> SagaOutcome:
    undone: list[str] = []
    stuck = False
    for step in reversed(done):
        for attempt in range(1, attempts + 1):
            try:
                step.compensation()
            except Exception as exc:  # retried: compensations must be idempotent
                journal.append(f"{step.name}: compensation attempt {attempt} failed ({exc})")
                continue
            journal.append(f"{step.name}: compensated")
            undone.append(step.name)
            break
        else:
            stuck = True
    status: Literal["compensated", "stuck"] = "stuck" if stuck else "compensated"
    completed = tuple(step.name for step in done)
    return SagaOutcome(status, completed, tuple(undone), failed, error, tuple(journal))


class Inventory:
    """Stock per SKU with reservations per order; ``release`` is idempotent.

    >>> Inventory({"pen": -1})
    Traceback (most recent call last):
        ...
    ValueError: stock of 'pen' must be >= 0, got -1
    """

    def __init__(self, stock: dict[str, int]) -> None:
        if not isinstance(stock, dict):
            raise TypeError(f"stock must be a dict, got {type(stock).__name__}: {stock!r}")
        self._stock = {
            check_str(sku, "sku", nonempty=True): check_int(n, f"stock of {sku!r}", minimum=0)
            for sku, n in stock.items()
        }
        self._held: dict[str, dict[str, int]] = {}

    def available(self, sku: str) -> int:
        """Units of ``sku`` not reserved."""
        return self._stock.get(sku, 0)

    def reserve(self, order: Order) -> None:
        """Reserve every line of the order, all or nothing."""
        if order.order_id in self._held:
            raise ValueError(f"order {order.order_id!r} already holds a reservation")
        needed: dict[str, int] = {}
        for line in order.lines:
            needed[line.sku] = needed.get(line.sku, 0) + line.quantity
        for sku, quantity in needed.items():
            if self.available(sku) < quantity:
                raise ValueError(f"out of stock: {sku!r}")
        for sku, quantity in needed.items():
            self._stock[sku] -= quantity
        self._held[order.order_id] = needed

    def release(self, order_id: str) -> None:
        """Return the order's reserved units; a second call does nothing."""
        for sku, quantity in self._held.pop(order_id, {}).items():
            self._stock[sku] += quantity


class Payments:
    """Customer balances in cents; ``refund`` is idempotent."""

    def __init__(self, balances: dict[str, int]) -> None:
        if not isinstance(balances, dict):
            raise TypeError(f"balances must be a dict, got {type(balances).__name__}: {balances!r}")
        self._balances = {
            check_str(c, "customer", nonempty=True): check_int(b, f"balance of {c!r}", minimum=0)
            for c, b in balances.items()
        }
        self._charges: dict[str, tuple[str, int]] = {}

    def balance(self, customer: str) -> int:
        """The customer's balance in cents."""
        return self._balances.get(customer, 0)

    def charge(self, order: Order) -> None:
        """Charge the order's total to its customer."""
        if self.balance(order.customer) < order.total_cents:
            raise ValueError(f"insufficient funds for {order.customer!r}")
        self._balances[order.customer] -= order.total_cents
        self._charges[order.order_id] = (order.customer, order.total_cents)

    def refund(self, order_id: str) -> None:
        """Give the charge back; a second call does nothing."""
        charge = self._charges.pop(order_id, None)
        if charge is not None:
            self._balances[charge[0]] += charge[1]


class Shipping:
    """Shipment bookings; ``fail_with`` makes ``schedule`` fail (for tests and the demo)."""

    def __init__(self, fail_with: str | None = None) -> None:
        self.fail_with = fail_with
        self.scheduled: set[str] = set()

    def schedule(self, order: Order) -> None:
        """Book a shipment for the order."""
        if self.fail_with is not None:
            raise RuntimeError(self.fail_with)
        self.scheduled.add(order.order_id)

    def cancel(self, order_id: str) -> None:
        """Cancel the booking; a second call does nothing."""
        self.scheduled.discard(order_id)


def order_saga(
    order: Order, inventory: Inventory, payments: Payments, shipping: Shipping
) -> list[SagaStep]:
    """The three steps of placing an order across three services.

    The order matters: the step most likely to fail cheaply (stock) goes first,
    and the one hardest to undo (a shipment) goes last.
    """
    if not isinstance(order, Order):
        raise TypeError(f"order must be an Order, got {type(order).__name__}: {order!r}")
    oid = order.order_id
    return [
        SagaStep("reserve stock", lambda: inventory.reserve(order), lambda: inventory.release(oid)),
        SagaStep("charge payment", lambda: payments.charge(order), lambda: payments.refund(oid)),
        SagaStep(
            "schedule shipping", lambda: shipping.schedule(order), lambda: shipping.cancel(oid)
        ),
    ]
