"""The orchestrated saga: all steps done, or every completed step compensated in reverse."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.architectural_patterns.domain import Order, OrderLine
from studybook.senior.architectural_patterns.saga import (
    Inventory,
    Payments,
    SagaStep,
    Shipping,
    order_saga,
    run_saga,
)


def _order() -> Order:
    return Order.place("o-1", "alice", [OrderLine("book", 2, 1250), OrderLine("book", 1, 1250)])


def test_all_steps_succeed() -> None:
    inventory, payments, shipping = Inventory({"book": 5}), Payments({"alice": 10_000}), Shipping()
    outcome = run_saga(order_saga(_order(), inventory, payments, shipping))
    assert outcome.status == "completed"
    assert outcome.completed == ("reserve stock", "charge payment", "schedule shipping")
    assert (outcome.compensated, outcome.failed_step, outcome.error) == ((), None, None)
    assert (inventory.available("book"), payments.balance("alice")) == (2, 6250)
    assert shipping.scheduled == {"o-1"}


def test_a_failing_step_compensates_the_completed_ones_in_reverse() -> None:
    inventory, payments = Inventory({"book": 5}), Payments({"alice": 10_000})
    shipping = Shipping(fail_with="carrier down")
    outcome = run_saga(order_saga(_order(), inventory, payments, shipping))
    assert outcome.status == "compensated"
    assert outcome.failed_step == "schedule shipping"
    assert outcome.error == "carrier down"
    assert outcome.compensated == ("charge payment", "reserve stock")
    assert outcome.journal == (
        "reserve stock: done",
        "charge payment: done",
        "schedule shipping: failed (carrier down)",
        "charge payment: compensated",
        "reserve stock: compensated",
    )
    assert (inventory.available("book"), payments.balance("alice")) == (5, 10_000)
    assert shipping.scheduled == set()


def test_a_failing_first_step_needs_no_compensation() -> None:
    inventory, payments = Inventory({"book": 1}), Payments({"alice": 10_000})
    outcome = run_saga(order_saga(_order(), inventory, payments, Shipping()))
    assert (outcome.status, outcome.failed_step, outcome.compensated) == (
        "compensated",
        "reserve stock",
        (),
    )
    assert outcome.error == "out of stock: 'book'"
    assert (inventory.available("book"), payments.balance("alice")) == (1, 10_000)


def test_compensations_are_retried_then_reported_stuck() -> None:
    calls: list[str] = []
    flaky = iter([RuntimeError("timeout"), None])

    def flaky_undo() -> None:
        calls.append("undo a")
        error = next(flaky)
        if error is not None:
            raise error

    def broken_undo() -> None:
        calls.append("undo b")
        raise RuntimeError("gone")

    def fail() -> None:
        raise ValueError("boom")

    steps = [
        SagaStep("a", lambda: calls.append("a"), flaky_undo),
        SagaStep("b", lambda: calls.append("b"), broken_undo),
        SagaStep("c", fail, lambda: calls.append("undo c")),
    ]
    outcome = run_saga(steps, compensation_attempts=2)
    assert outcome.status == "stuck"
    assert outcome.compensated == ("a",)  # b never compensated; a still was
    assert calls == ["a", "b", "undo b", "undo b", "undo a", "undo a"]
    assert outcome.journal[-1] == "a: compensated"


@settings(max_examples=60, deadline=None)
@given(
    stock=st.integers(0, 4),
    balance=st.integers(0, 8000),
    shipping_fails=st.booleans(),
    attempts=st.integers(1, 3),
)
def test_all_or_nothing_for_any_failure_point(
    stock: int, balance: int, shipping_fails: bool, attempts: int
) -> None:
    inventory, payments = Inventory({"book": stock}), Payments({"alice": balance})
    shipping = Shipping(fail_with="down" if shipping_fails else None)
    order = _order()
    outcome = run_saga(
        order_saga(order, inventory, payments, shipping), compensation_attempts=attempts
    )
    succeeds = stock >= 3 and balance >= order.total_cents and not shipping_fails
    if succeeds:
        assert outcome.status == "completed"
        assert inventory.available("book") == stock - 3
        assert payments.balance("alice") == balance - order.total_cents
        assert shipping.scheduled == {"o-1"}
    else:
        assert outcome.status == "compensated"
        assert outcome.compensated == tuple(reversed(outcome.completed))
        assert (inventory.available("book"), payments.balance("alice")) == (stock, balance)
        assert shipping.scheduled == set()


def test_compensations_are_idempotent() -> None:
    inventory, payments = Inventory({"book": 3}), Payments({"alice": 5000})
    order = _order()
    inventory.reserve(order)
    payments.charge(order)
    for _ in range(2):
        inventory.release("o-1")
        payments.refund("o-1")
    assert (inventory.available("book"), payments.balance("alice")) == (3, 5000)
    inventory.reserve(order)
    with pytest.raises(ValueError, match="already holds a reservation"):
        inventory.reserve(order)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: run_saga([], compensation_attempts=0), ValueError, "got 0"),
        (lambda: run_saga([], compensation_attempts=1.0), TypeError, "got float: 1.0"),
        (lambda: run_saga(["step"]), TypeError, "must be a SagaStep, got 'step'"),
        (
            lambda: run_saga([SagaStep("a", int, int), SagaStep("a", int, int)]),
            ValueError,
            "unique, got \\['a', 'a'\\]",
        ),
        (lambda: SagaStep("", int, int), ValueError, "name must be a non-empty str"),
        (lambda: SagaStep("a", 1, int), TypeError, "action must be callable, got int: 1"),
        (lambda: SagaStep("a", int, None), TypeError, "compensation must be callable"),
        (lambda: Inventory([("a", 1)]), TypeError, "stock must be a dict"),
        (lambda: Inventory({"a": True}), TypeError, "got bool: True"),
        (lambda: Payments({"alice": -5}), ValueError, "got -5"),
        (lambda: Payments({"": 5}), ValueError, "customer must be a non-empty str"),
        (
            lambda: order_saga("o-1", Inventory({}), Payments({}), Shipping()),
            TypeError,
            "order must be an Order",
        ),
    ],
)
def test_bad_input(call: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]
