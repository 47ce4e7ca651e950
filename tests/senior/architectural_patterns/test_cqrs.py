"""CQRS: the log is the truth, projections rebuilt from it equal the live ones."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.architectural_patterns.cqrs import (
    CancelOrder,
    Command,
    CustomerRevenueProjection,
    EventLog,
    OrderCancelled,
    OrderCommandHandler,
    OrderPaid,
    OrderPlaced,
    OrderShipped,
    OrderSummaryProjection,
    PayOrder,
    PlaceOrder,
    ProjectionGapError,
    Recorded,
    ShipOrder,
    WrongExpectedVersionError,
    decide,
    evolve,
    rebuild,
)
from studybook.senior.architectural_patterns.domain import OrderLine, OrderStatus
from studybook.senior.architectural_patterns.hexagonal import (
    InMemoryOrderRepository,
    OrderService,
)

ORDER_IDS = [f"o-{i}" for i in range(1, 6)]

commands = st.one_of(
    st.builds(
        PlaceOrder,
        st.sampled_from(ORDER_IDS),
        st.sampled_from(["alice", "bob", "carol"]),
        st.lists(
            st.builds(
                OrderLine, st.sampled_from(["a", "b"]), st.integers(1, 4), st.integers(0, 999)
            ),
            min_size=1,
            max_size=3,
        ).map(tuple),
    ),
    st.builds(PayOrder, st.sampled_from(ORDER_IDS)),
    st.builds(ShipOrder, st.sampled_from(ORDER_IDS)),
    st.builds(CancelOrder, st.sampled_from(ORDER_IDS)),
)


def _run(
    command_list: list[Command],
) -> tuple[EventLog, OrderSummaryProjection, CustomerRevenueProjection, list[str]]:
    log = EventLog()
    summaries, revenue = OrderSummaryProjection(), CustomerRevenueProjection()
    log.subscribe(summaries.apply)
    log.subscribe(revenue.apply)
    handler = OrderCommandHandler(log)
    results = []
    for command in command_list:
        before = len(log)
        try:
            handler.handle(command)
            results.append("ok")
        except (KeyError, ValueError):
            assert len(log) == before  # a refused command appends nothing
            results.append("refused")
    return log, summaries, revenue, results


@settings(max_examples=60, deadline=None)
@given(st.lists(commands, max_size=40))
def test_projections_rebuilt_from_the_log_equal_the_live_ones(command_list: list[Command]) -> None:
    log, summaries, revenue, _ = _run(command_list)
    assert rebuild(OrderSummaryProjection, log).view() == summaries.view()
    assert rebuild(CustomerRevenueProjection, log).view() == revenue.view()
    # Rebuilding from a copy of the events (as after moving the log) gives the same.
    assert rebuild(OrderSummaryProjection, list(log.read_all())).view() == summaries.view()


@settings(max_examples=60, deadline=None)
@given(st.lists(commands, max_size=40))
def test_event_sourced_side_agrees_with_the_state_based_service(
    command_list: list[Command],
) -> None:
    """Same commands, two architectures: statuses and refusals must match."""
    _, summaries, revenue, results = _run(command_list)
    service = OrderService(InMemoryOrderRepository(), new_id=lambda: pending[0])
    pending = [""]
    expected_results = []
    for command in command_list:
        try:
            if isinstance(command, PlaceOrder):
                pending[0] = command.order_id
                service.place(command.customer, command.lines)
            else:
                action = {PayOrder: "pay", ShipOrder: "ship", CancelOrder: "cancel"}[type(command)]
                getattr(service, action)(command.order_id)
            expected_results.append("ok")
        except (KeyError, ValueError):
            expected_results.append("refused")
    assert results == expected_results
    for order_id, row in summaries.view().items():
        stored = service.get(order_id)
        assert (row.status, row.total_cents) == (stored.status.value, stored.total_cents)  # type: ignore[attr-defined]
    # Revenue, computed independently from the service's final states.
    net: dict[str, int] = {}
    for order_id in ORDER_IDS:
        try:
            order = service.get(order_id)
        except KeyError:
            continue
        kept = order.status in (OrderStatus.PAID, OrderStatus.SHIPPED)
        net[order.customer] = net.get(order.customer, 0) + (order.total_cents if kept else 0)
    assert revenue.view() == dict(sorted(net.items()))


@settings(max_examples=60, deadline=None)
@given(st.lists(commands, max_size=30), st.data())
def test_duplicate_and_out_of_order_delivery_converges_to_the_rebuild(
    command_list: list[Command], data: st.DataObject
) -> None:
    """A broker that redelivers and reorders: the consumer ignores duplicates,
    refuses gaps, catches up from the log, and ends equal to a rebuild; at every
    moment it equals a rebuild of the log prefix it has reached."""
    log, *_ = _run(command_list)
    events = log.read_all()
    deliveries = data.draw(
        st.lists(st.sampled_from(events), max_size=3 * len(events)) if events else st.just([])
    )
    for factory in (OrderSummaryProjection, CustomerRevenueProjection):
        consumer = factory()
        gaps = 0
        for recorded in deliveries:
            try:
                consumer.apply(recorded)
            except ProjectionGapError:
                gaps += 1
                assert recorded.position > consumer.position + 1
                for missed in log.read_all(after=consumer.position):
                    consumer.apply(missed)
            prefix = rebuild(factory, events[: consumer.position])
            assert consumer.view() == prefix.view()
        for missed in log.read_all(after=consumer.position):  # final catch-up
            consumer.apply(missed)
        assert consumer.position == len(log)
        assert consumer.view() == rebuild(factory, log).view()


def test_a_gap_is_refused_and_changes_nothing() -> None:
    log, summaries, revenue, _ = _run(
        [
            PlaceOrder("o-1", "bob", (OrderLine("a", 1, 500),)),
            PayOrder("o-1"),
            CancelOrder("o-1"),
        ]
    )
    first, paid, cancelled = log.read_all()
    late = CustomerRevenueProjection()
    late.apply(first)
    # The cancel (refund 500) arrives before the payment: skipping ahead would
    # leave bob at -500 for ever.
    with pytest.raises(
        ProjectionGapError, match=r"at position 1, got 3: catch up with read_all\(after=1\)"
    ):
        late.apply(cancelled)
    assert (late.position, late.view()) == (1, {"bob": 0})
    late.apply(paid)
    late.apply(cancelled)
    assert late.view() == revenue.view() == {"bob": 0}
    with pytest.raises(TypeError, match="expected a Recorded event, got str"):
        summaries.apply("event")  # type: ignore[arg-type]
    assert isinstance(first, Recorded)


def test_replaying_a_stream_gives_the_aggregate_state() -> None:
    log, *_ = _run([PlaceOrder("o-1", "alice", (OrderLine("a", 2, 300),)), PayOrder("o-1")])
    state, version = OrderCommandHandler(log).load("o-1")
    assert state is not None
    assert state.status is OrderStatus.PAID
    assert version == 2
    assert [r.event for r in log.read_stream("o-1")] == [
        OrderPlaced("o-1", "alice", (OrderLine("a", 2, 300),)),
        OrderPaid("o-1", 600),
    ]
    assert [r.position for r in log.read_all(after=1)] == [2]


def test_cancel_refunds_only_a_paid_order() -> None:
    log, _, revenue, _ = _run(
        [
            PlaceOrder("o-1", "alice", (OrderLine("a", 1, 500),)),
            CancelOrder("o-1"),
            PlaceOrder("o-2", "alice", (OrderLine("a", 1, 700),)),
            PayOrder("o-2"),
            CancelOrder("o-2"),
        ]
    )
    cancels = [r.event for r in log.read_all() if isinstance(r.event, OrderCancelled)]
    assert cancels == [OrderCancelled("o-1", 0), OrderCancelled("o-2", 700)]
    assert revenue.view() == {"alice": 0}


def test_expected_version_stops_a_racing_writer() -> None:
    log, *_ = _run([PlaceOrder("o-1", "alice", (OrderLine("a", 1, 500),))])
    handler = OrderCommandHandler(log)
    state, version = handler.load("o-1")
    log.append("o-1", decide(state, PayOrder("o-1")), expected_version=version)  # writer A
    with pytest.raises(WrongExpectedVersionError, match="at version 2, expected 1"):
        log.append("o-1", decide(state, CancelOrder("o-1")), expected_version=version)  # B
    assert len(log.read_stream("o-1")) == 2


def test_projections_ignore_redelivered_events() -> None:
    log, summaries, revenue, _ = _run(
        [PlaceOrder("o-1", "bob", (OrderLine("a", 1, 500),)), PayOrder("o-1")]
    )
    before = (summaries.view(), revenue.view())
    for recorded in log.read_all():  # at-least-once delivery: everything again
        summaries.apply(recorded)
        revenue.apply(recorded)
    assert (
        (summaries.view(), revenue.view())
        == before
        == (
            summaries.view(),
            {"bob": 500},
        )
    )


def test_evolve_refuses_an_event_before_placement() -> None:
    with pytest.raises(ValueError, match="event before OrderPlaced"):
        evolve(None, OrderShipped("o-1"))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda log: log.append("", [], 0), ValueError, "stream_id must be a non-empty str"),
        (lambda log: log.append("s", [], -1), ValueError, "expected_version must be >= 0"),
        (lambda log: log.append("s", [], True), TypeError, "got bool: True"),
        (lambda log: log.append("s", ["x"], 0), TypeError, "not an event: 'x'"),
        (lambda log: log.read_all(after=1.5), TypeError, "got float: 1.5"),
        (lambda log: log.read_stream(None), TypeError, "stream_id must be a str"),
        (lambda log: log.subscribe(3), TypeError, "handler must be callable"),
        (lambda log: OrderCommandHandler(log).handle("pay"), TypeError, "got str: 'pay'"),
        (lambda log: OrderCommandHandler(log).handle(PayOrder("")), ValueError, "non-empty"),
        (lambda log: OrderCommandHandler(log).handle(PayOrder("o-9")), KeyError, "no order"),
        (lambda log: OrderCommandHandler([]), TypeError, "log must be an EventLog"),
        (lambda log: rebuild(5, log), TypeError, "factory must be callable"),
        (lambda log: decide(None, "pay"), TypeError, "must be a Command"),
        (
            lambda log: OrderCommandHandler(log).handle(PlaceOrder("o", "c", ())),
            ValueError,
            "at least one line",
        ),
    ],
)
def test_bad_input(call: object, error: type[Exception], message: str) -> None:
    log = EventLog()
    with pytest.raises(error, match=message):
        call(log)  # type: ignore[operator]
    assert len(log) == 0
