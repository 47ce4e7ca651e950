"""CQRS with an event-sourced write side: commands in, events stored, projections out.

The write side never stores current state. A command is checked against the
state obtained by replaying the order's events (``evolve``), turned into new
events (``decide``), and appended to the :class:`EventLog` with an expected
version, so two writers racing on one order cannot both succeed. The log is the
source of truth. The read side is a set of projections, each a fold over the
log into a shape built for one query; they are disposable: :func:`rebuild`
replays the log into a fresh projection, and a test checks that the rebuilt
projection equals the live one after any sequence of commands.

>>> log = EventLog()
>>> summaries = OrderSummaryProjection()
>>> log.subscribe(summaries.apply)
>>> handler = OrderCommandHandler(log)
>>> _ = handler.handle(PlaceOrder("o-1", "alice", (OrderLine("book", 2, 1250),)))
>>> _ = handler.handle(PayOrder("o-1"))
>>> summaries.view()
{'o-1': OrderSummary(customer='alice', status='paid', total_cents=2500)}
>>> rebuild(OrderSummaryProjection, log).view() == summaries.view()
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from studybook._validate import check_callable, check_int, check_str
from studybook.senior.architectural_patterns.domain import Order, OrderLine, OrderStatus

__all__ = [
    "CancelOrder",
    "Command",
    "CustomerRevenueProjection",
    "Event",
    "EventLog",
    "OrderCancelled",
    "OrderCommandHandler",
    "OrderPaid",
    "OrderPlaced",
    "OrderShipped",
    "OrderSummary",
    "OrderSummaryProjection",
    "PayOrder",
    "PlaceOrder",
    "Projection",
    "ProjectionGapError",
    "Recorded",
    "ShipOrder",
    "WrongExpectedVersionError",
    "decide",
    "evolve",
    "rebuild",
]


# Commands: requests that may be refused.
@dataclass(frozen=True)
class PlaceOrder:
    """Ask to place an order."""

    order_id: str
    customer: str
    lines: tuple[OrderLine, ...]


@dataclass(frozen=True)
class PayOrder:
    """Ask to pay for an order."""

    order_id: str


@dataclass(frozen=True)
class ShipOrder:
    """Ask to ship an order."""

    order_id: str


@dataclass(frozen=True)
class CancelOrder:
    """Ask to cancel an order."""

    order_id: str


Command = PlaceOrder | PayOrder | ShipOrder | CancelOrder


# Events: facts in the past tense, never refused, never changed.
@dataclass(frozen=True)
class OrderPlaced:
    """An order was placed."""

    order_id: str
    customer: str
    lines: tuple[OrderLine, ...]


@dataclass(frozen=True)
class OrderPaid:
    """An order was paid; ``amount_cents`` is what was charged."""

    order_id: str
    amount_cents: int


@dataclass(frozen=True)
class OrderShipped:
    """An order was shipped."""

    order_id: str


@dataclass(frozen=True)
class OrderCancelled:
    """An order was cancelled; ``refund_cents`` is 0 unless it had been paid."""

    order_id: str
    refund_cents: int


Event = OrderPlaced | OrderPaid | OrderShipped | OrderCancelled


def decide(state: Order | None, command: Command) -> tuple[Event, ...]:
    """Turn a command into the events it causes, or refuse it.

    The domain's :class:`~studybook.senior.architectural_patterns.domain.Order`
    makes the decision, so the hexagonal service and this write side share one
    set of rules.

    Args:
        state: the order replayed from its events, or ``None`` if it has none.
        command: one of the four commands.

    Returns:
        The new events (one per accepted command).

    Raises:
        TypeError: ``command`` is not a command.
        KeyError: the order does not exist (for every command but ``PlaceOrder``).
        ValueError: the order already exists, or the transition is illegal.

    Complexity: O(lines).

    >>> decide(None, PayOrder("o-1"))
    Traceback (most recent call last):
        ...
    KeyError: "no order 'o-1'"
    """
    if isinstance(command, PlaceOrder):
        if state is not None:
            raise ValueError(f"order {command.order_id!r} already exists")
        order = Order.place(command.order_id, command.customer, command.lines)
        return (OrderPlaced(order.order_id, order.customer, order.lines),)
    if not isinstance(command, PayOrder | ShipOrder | CancelOrder):
        raise TypeError(f"command must be a Command, got {type(command).__name__}: {command!r}")
    if state is None:
        raise KeyError(f"no order {command.order_id!r}")
    if isinstance(command, PayOrder):
        state.pay()  # raises if illegal; the event records the outcome
        return (OrderPaid(state.order_id, state.total_cents),)
    if isinstance(command, ShipOrder):
        state.ship()
        return (OrderShipped(state.order_id),)
    state.cancel()
    refund = state.total_cents if state.status is OrderStatus.PAID else 0
    return (OrderCancelled(state.order_id, refund),)


def evolve(state: Order | None, event: Event) -> Order:
    """Apply one event to the state; events are facts, so this never refuses a legal log.

    Complexity: O(lines) (the new ``Order`` validates its lines).
    """
    if isinstance(event, OrderPlaced):
        return Order.place(event.order_id, event.customer, event.lines)
    if state is None:
        raise ValueError(f"event before OrderPlaced: {event!r}")
    if isinstance(event, OrderPaid):
        return state.pay()
    if isinstance(event, OrderShipped):
        return state.ship()
    return state.cancel()


@dataclass(frozen=True)
class Recorded:
    """An event as stored: its global ``position`` (1, 2, ...) and its ``version`` in its stream."""

    position: int
    stream_id: str
    version: int
    event: Event


class WrongExpectedVersionError(ValueError):
    """An append found the stream at another version than the writer expected."""


class EventLog:
    """An append-only, in-memory event log with per-stream optimistic concurrency.

    Subscribers are called synchronously, in order, after each append: the
    simplest event bus. A production log (EventStoreDB, a Kafka topic, a table
    with an outbox) delivers asynchronously and at least once, which is why
    the projections here ignore positions they have already applied.

    Complexity: ``append`` O(events + subscribers), ``read_stream`` O(stream length),
    ``read_all`` O(events after the position).
    """

    def __init__(self) -> None:
        self._events: list[Recorded] = []
        self._streams: dict[str, list[Recorded]] = {}
        self._subscribers: list[Callable[[Recorded], None]] = []

    def __len__(self) -> int:
        return len(self._events)

    def append(
        self, stream_id: str, events: Sequence[Event], expected_version: int
    ) -> tuple[Recorded, ...]:
        """Append events to a stream if it is at ``expected_version`` (0 for a new stream).

        Raises:
            TypeError: a wrong type.
            ValueError: a negative ``expected_version``.
            WrongExpectedVersionError: another writer appended first.

        >>> log = EventLog()
        >>> log.append("o-1", [OrderShipped("o-1")], expected_version=3)
        Traceback (most recent call last):
            ...
        studybook.senior.architectural_patterns.cqrs.WrongExpectedVersionError:
        stream 'o-1' is at version 0, expected 3
        """
        check_str(stream_id, "stream_id", nonempty=True)
        check_int(expected_version, "expected_version", minimum=0)
        stream = self._streams.get(stream_id, [])
        if len(stream) != expected_version:
            raise WrongExpectedVersionError(
                f"stream {stream_id!r} is at version {len(stream)}, expected {expected_version}"
            )
        new: list[Recorded] = []
        for event in events:
            if not isinstance(event, OrderPlaced | OrderPaid | OrderShipped | OrderCancelled):
                raise TypeError(f"not an event: {event!r}")
            new.append(
                Recorded(
                    len(self._events) + len(new) + 1, stream_id, len(stream) + len(new) + 1, event
                )
            )
        self._events.extend(new)
        self._streams.setdefault(stream_id, []).extend(new)
        for recorded in new:
            for subscriber in self._subscribers:
                subscriber(recorded)
        return tuple(new)

    def read_stream(self, stream_id: str) -> tuple[Recorded, ...]:
        """Every event of one stream, oldest first (empty if there are none)."""
        check_str(stream_id, "stream_id")
        return tuple(self._streams.get(stream_id, ()))

    def read_all(self, after: int = 0) -> tuple[Recorded, ...]:
        """Every event with a position greater than ``after``, in order."""
        check_int(after, "after", minimum=0)
        return tuple(self._events[after:])

    def subscribe(self, handler: Callable[[Recorded], None]) -> None:
        """Call ``handler`` with every event appended from now on."""
        check_callable(handler, "handler")
        self._subscribers.append(handler)


class OrderCommandHandler:
    """The write side: load by replay, decide, append with the expected version.

    Complexity: O(events in the order's stream) per command; long-lived streams
    add snapshots to bound this (not needed here).
    """

    def __init__(self, log: EventLog) -> None:
        if not isinstance(log, EventLog):
            raise TypeError(f"log must be an EventLog, got {type(log).__name__}: {log!r}")
        self._log = log

    def load(self, order_id: str) -> tuple[Order | None, int]:
        """Replay the order's stream: ``(state or None, version)``."""
        state: Order | None = None
        stream = self._log.read_stream(order_id)
        for recorded in stream:
            state = evolve(state, recorded.event)
        return state, len(stream)

    def handle(self, command: Command) -> tuple[Recorded, ...]:
        """Run one command; return the events it appended.

        Raises:
            TypeError: not a command, or an order id that is not a str.
            KeyError: the order does not exist (for every command but ``PlaceOrder``).
            ValueError: an empty order id, a duplicate order or an illegal transition.
            WrongExpectedVersionError: another writer appended in between.
        """
        if not isinstance(command, PlaceOrder | PayOrder | ShipOrder | CancelOrder):
            raise TypeError(f"command must be a Command, got {type(command).__name__}: {command!r}")
        check_str(command.order_id, "order_id", nonempty=True)
        state, version = self.load(command.order_id)
        return self._log.append(command.order_id, decide(state, command), expected_version=version)


class Projection(Protocol):
    """A read model: a fold over the log into the shape one query needs."""

    @property
    def position(self) -> int:
        """The global position of the last event applied (0 before any)."""
        ...

    def apply(self, recorded: Recorded) -> None:
        """Fold the next event in; ignore one already applied, refuse a gap."""
        ...

    def view(self) -> dict[str, object]:
        """The read model as plain data, for queries and comparison."""
        ...


@dataclass(frozen=True)
class OrderSummary:
    """One row of the order list screen."""

    customer: str
    status: str
    total_cents: int


class ProjectionGapError(ValueError):
    """A projection was handed an event past the next position: one is missing or late."""


def _is_next(position: int, recorded: Recorded) -> bool:
    """True for the next event, False for a redelivery; raise on a gap.

    Skipping ahead would silently drop the missing event forever (a late
    ``OrderPaid`` delivered after ``OrderCancelled`` would turn a refund into a
    loss), so a gap is an error and the consumer re-reads from the log.
    """
    if not isinstance(recorded, Recorded):
        raise TypeError(f"expected a Recorded event, got {type(recorded).__name__}: {recorded!r}")
    if recorded.position <= position:
        return False
    if recorded.position != position + 1:
        raise ProjectionGapError(
            f"projection is at position {position}, got {recorded.position}: "
            f"catch up with read_all(after={position})"
        )
    return True


class OrderSummaryProjection:
    """Order id -> customer, status and total: what an "my orders" page shows."""

    def __init__(self) -> None:
        self._rows: dict[str, OrderSummary] = {}
        self._position = 0

    @property
    def position(self) -> int:
        """The global position of the last event applied (0 before any)."""
        return self._position

    def apply(self, recorded: Recorded) -> None:
        """Fold the next event in; a redelivered one is ignored, a gap is refused.

        Raises:
            ProjectionGapError: ``recorded`` is not the next position, so an
                earlier event was lost or is late; nothing is changed, and the
                caller catches up with ``log.read_all(after=projection.position)``.
        """
        if not _is_next(self._position, recorded):
            return
        self._position = recorded.position
        event = recorded.event
        if isinstance(event, OrderPlaced):
            total = sum(line.subtotal_cents for line in event.lines)
            self._rows[event.order_id] = OrderSummary(event.customer, "placed", total)
            return
        status = {OrderPaid: "paid", OrderShipped: "shipped", OrderCancelled: "cancelled"}
        row = self._rows[event.order_id]
        self._rows[event.order_id] = OrderSummary(
            row.customer, status[type(event)], row.total_cents
        )

    def view(self) -> dict[str, object]:
        """Map order id to :class:`~studybook.senior.architectural_patterns.cqrs.OrderSummary`."""
        return dict(sorted(self._rows.items()))


class CustomerRevenueProjection:
    """Customer -> net cents collected (payments minus refunds): a finance report."""

    def __init__(self) -> None:
        self._revenue: dict[str, int] = {}
        self._customer_of: dict[str, str] = {}
        self._position = 0

    @property
    def position(self) -> int:
        """The global position of the last event applied (0 before any)."""
        return self._position

    def apply(self, recorded: Recorded) -> None:
        """Fold the next event in; a redelivered one is ignored, a gap is refused."""
        if not _is_next(self._position, recorded):
            return
        self._position = recorded.position
        event = recorded.event
        if isinstance(event, OrderPlaced):
            self._customer_of[event.order_id] = event.customer
            self._revenue.setdefault(event.customer, 0)
        elif isinstance(event, OrderPaid):
            self._revenue[self._customer_of[event.order_id]] += event.amount_cents
        elif isinstance(event, OrderCancelled):
            self._revenue[self._customer_of[event.order_id]] -= event.refund_cents

    def view(self) -> dict[str, object]:
        """Customer -> net cents, sorted by customer."""
        return dict(sorted(self._revenue.items()))


P = TypeVar("P", bound=Projection)


def rebuild(factory: Callable[[], P], log: EventLog | Iterable[Recorded]) -> P:
    """Build a fresh projection by replaying the whole log from position 1.

    This is how a read model is added, fixed or moved to a new store: the log
    keeps every fact, so any projection can be recomputed from it.

    Complexity: O(events).

    >>> rebuild(CustomerRevenueProjection, EventLog()).view()
    {}
    """
    check_callable(factory, "factory")
    projection = factory()
    for recorded in log.read_all() if isinstance(log, EventLog) else log:
        projection.apply(recorded)
    return projection
