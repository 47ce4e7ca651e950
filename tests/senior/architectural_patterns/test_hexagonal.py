"""The repository contract, run against both adapters, and the service on top of them."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from studybook.senior.architectural_patterns.domain import (
    InvalidTransitionError,
    Order,
    OrderLine,
    OrderStatus,
)
from studybook.senior.architectural_patterns.hexagonal import (
    DuplicateOrderError,
    InMemoryOrderRepository,
    OrderRepository,
    OrderService,
    SqliteOrderRepository,
    StaleOrderError,
)


def _make(kind: str) -> OrderRepository:
    return InMemoryOrderRepository() if kind == "in-memory" else SqliteOrderRepository()


@pytest.fixture(params=["in-memory", "sqlite"])
def repository(request: pytest.FixtureRequest) -> Iterator[OrderRepository]:
    repo = _make(request.param)
    yield repo
    if isinstance(repo, SqliteOrderRepository):
        repo.close()


def _order(order_id: str = "o-1", customer: str = "alice") -> Order:
    return Order.place(order_id, customer, [OrderLine("book", 2, 1250), OrderLine("pen", 1, 99)])


class TestRepositoryContract:
    """The one contract every OrderRepository adapter must pass (parametrised over both)."""

    def test_satisfies_the_port(self, repository: OrderRepository) -> None:
        assert isinstance(repository, OrderRepository)

    def test_add_then_get_round_trips_every_field(self, repository: OrderRepository) -> None:
        order = _order()
        repository.add(order)
        got = repository.get("o-1")
        assert got == order
        assert got.lines == order.lines  # line order is kept
        assert got.status is OrderStatus.PLACED
        assert got.version == 1

    def test_get_missing_raises_key_error(self, repository: OrderRepository) -> None:
        with pytest.raises(KeyError, match="no order 'nope'"):
            repository.get("nope")

    def test_add_refuses_a_duplicate_id(self, repository: OrderRepository) -> None:
        repository.add(_order())
        with pytest.raises(DuplicateOrderError, match="'o-1' already exists"):
            repository.add(_order(customer="bob"))
        assert repository.get("o-1").customer == "alice"

    def test_save_accepts_only_the_next_version(self, repository: OrderRepository) -> None:
        order = _order()
        repository.add(order)
        paid = order.pay()
        repository.save(paid)
        assert repository.get("o-1") == paid
        # A second writer that loaded version 1 tries to cancel: a lost update, refused.
        with pytest.raises(StaleOrderError, match="stored at version 2; cannot save version 2"):
            repository.save(order.cancel())
        assert repository.get("o-1").status is OrderStatus.PAID

    def test_save_missing_raises_key_error(self, repository: OrderRepository) -> None:
        with pytest.raises(KeyError):
            repository.save(_order().pay())

    def test_save_cannot_change_lines_or_customer(self, repository: OrderRepository) -> None:
        repository.add(_order())
        forged = Order("o-1", "mallory", _order().lines, OrderStatus.PAID, 2)
        with pytest.raises(ValueError, match="only the status"):
            repository.save(forged)
        assert repository.get("o-1").customer == "alice"

    def test_by_customer_is_sorted_and_filtered(self, repository: OrderRepository) -> None:
        for order_id, customer in [("o-3", "alice"), ("o-1", "alice"), ("o-2", "bob")]:
            repository.add(_order(order_id, customer))
        assert [o.order_id for o in repository.by_customer("alice")] == ["o-1", "o-3"]
        assert repository.by_customer("carol") == []

    def test_unicode_and_sql_metacharacters_are_data(self, repository: OrderRepository) -> None:
        order = Order.place("o-'; DROP TABLE arch_orders; --", "zoë 🚀", [OrderLine("ß", 1, 0)])
        repository.add(order)
        assert repository.get(order.order_id) == order
        assert repository.by_customer("zoë 🚀") == [order]

    @pytest.mark.parametrize(
        ("call", "arg", "error"),
        [
            ("add", None, TypeError),
            ("add", "o-1", TypeError),
            ("save", 3, TypeError),
            ("get", 1, TypeError),
            ("get", b"o-1", TypeError),
            ("by_customer", math.nan, TypeError),
        ],
    )
    def test_bad_input(
        self, repository: OrderRepository, call: str, arg: object, error: type[Exception]
    ) -> None:
        with pytest.raises(error, match="got"):
            getattr(repository, call)(arg)


def test_sqlite_adapter_is_durable_and_detects_a_concurrent_writer(tmp_path: Path) -> None:
    path = tmp_path / "orders.db"
    first, second = SqliteOrderRepository(path), SqliteOrderRepository(path)
    order = _order()
    first.add(order)
    loaded_by_second = second.get("o-1")
    first.save(order.pay())
    with pytest.raises(StaleOrderError):
        second.save(loaded_by_second.cancel())
    first.close()
    second.close()
    reopened = SqliteOrderRepository(path)
    assert reopened.get("o-1").status is OrderStatus.PAID
    reopened.close()


def test_sqlite_adapter_leaves_other_tables_alone(tmp_path: Path) -> None:
    path = tmp_path / "theirs.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
        db.execute("INSERT INTO notes VALUES ('keep me')")
    db.close()
    SqliteOrderRepository(path).close()
    db = sqlite3.connect(path)
    assert db.execute("SELECT body FROM notes").fetchall() == [("keep me",)]
    db.close()


def test_sqlite_adapter_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database, " * 100)
    with pytest.raises(ValueError, match="not a usable SQLite database"):
        SqliteOrderRepository(path)
    assert path.read_text() == "not a database, " * 100
    with pytest.raises(TypeError, match="got int: 3"):
        SqliteOrderRepository(3)  # type: ignore[arg-type]


def test_service_runs_the_use_cases_and_refuses_illegal_ones(repository: OrderRepository) -> None:
    ids = iter(["o-1", "o-2"])
    service = OrderService(repository, new_id=lambda: next(ids))
    order = service.place("alice", [OrderLine("book", 1, 500)])
    with pytest.raises(InvalidTransitionError, match="cannot ship order 'o-1' in status 'placed'"):
        service.ship(order.order_id)
    assert service.pay("o-1").status is OrderStatus.PAID
    assert service.ship("o-1").status is OrderStatus.SHIPPED
    assert service.get("o-1").version == 3
    with pytest.raises(ValueError, match="at least one line"):
        service.place("alice", [])
    assert [o.order_id for o in service.orders_of("alice")] == ["o-1"]


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((object(),), TypeError, "must implement OrderRepository"),
        ((InMemoryOrderRepository(), 42), TypeError, "new_id must be callable, got int: 42"),
    ],
)
def test_service_bad_input(args: tuple[object, ...], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        OrderService(*args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        (("", 1, 1), ValueError, "sku must be a non-empty str"),
        (("a", True, 1), TypeError, "quantity must be an int, got bool: True"),
        (("a", 1.5, 1), TypeError, "got float: 1.5"),
        (("a", 1, -1), ValueError, "unit_price_cents must be in"),
        (("a", 1, math.inf), TypeError, "got float: inf"),
        (("a", 10**7, 1), ValueError, "quantity must be in"),
    ],
)
def test_order_line_bad_input(
    fields: tuple[object, object, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        OrderLine(*fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (("", "c", [OrderLine("a", 1, 1)]), ValueError, "order_id must be a non-empty str"),
        (("o", None, [OrderLine("a", 1, 1)]), TypeError, "customer must be a str"),
        (("o", "c", "abc"), TypeError, "lines must be a list or tuple"),
        (("o", "c", [("a", 1, 1)]), TypeError, "each line must be an OrderLine"),
    ],
)
def test_order_place_bad_input(
    args: tuple[object, object, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        Order.place(*args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        (("o-9", 5, (OrderLine("a", 1, 1),)), TypeError, "customer must be a str, got int: 5"),
        (("o-9", "c", ()), ValueError, "lines must be a non-empty tuple"),
        (("o-9", "c", [OrderLine("a", 1, 1)]), ValueError, "lines must be a non-empty tuple"),
        (("o-9", "c", (OrderLine("a", 1, 1),), "paid"), TypeError, "status must be an OrderStatus"),
        (
            ("o-9", "c", (OrderLine("a", 1, 1),), OrderStatus.PAID, 0),
            ValueError,
            "version must be >= 1, got 0",
        ),
    ],
)
def test_an_order_built_directly_is_validated_too(
    fields: tuple[object, ...], error: type[Exception], message: str
) -> None:
    """Otherwise the adapters disagree: SQLite would store customer 5 as the text '5'."""
    with pytest.raises(error, match=message):
        Order(*fields)  # type: ignore[arg-type]


class AdaptersAgree(RuleBasedStateMachine):
    """Random use cases on both adapters and a dict model: every answer must match."""

    def __init__(self) -> None:
        super().__init__()
        self.sqlite = SqliteOrderRepository()
        self.services = [
            OrderService(InMemoryOrderRepository(), new_id=self._ids()),
            OrderService(self.sqlite, new_id=self._ids()),
        ]
        self.model: dict[str, tuple[str, str]] = {}  # id -> (customer, status)

    @staticmethod
    def _ids() -> Callable[[], str]:
        counter = iter(range(1, 10**6))
        return lambda: f"o-{next(counter)}"

    def teardown(self) -> None:
        self.sqlite.close()

    @rule(
        customer=st.sampled_from(["alice", "bob", "zoë"]),
        quantities=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    )
    def place(self, customer: str, quantities: list[int]) -> None:
        lines = [OrderLine(f"sku-{i}", q, 100 * q) for i, q in enumerate(quantities)]
        placed = [s.place(customer, lines) for s in self.services]
        assert placed[0] == placed[1]
        self.model[placed[0].order_id] = (customer, "placed")

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data(), action=st.sampled_from(["pay", "ship", "cancel"]))
    def change(self, data: st.DataObject, action: str) -> None:
        order_id = data.draw(st.sampled_from(sorted(self.model)))
        customer, status = self.model[order_id]
        legal = {
            ("placed", "pay"): "paid",
            ("paid", "ship"): "shipped",
            ("placed", "cancel"): "cancelled",
            ("paid", "cancel"): "cancelled",
        }
        outcomes = []
        for service in self.services:
            try:
                outcomes.append(getattr(service, action)(order_id).status.value)
            except InvalidTransitionError:
                outcomes.append("refused")
        expected = legal.get((status, action), "refused")
        assert outcomes == [expected, expected]
        if expected != "refused":
            self.model[order_id] = (customer, expected)

    @invariant()
    def same_answers(self) -> None:
        for customer in ["alice", "bob", "zoë"]:
            views = [
                [(o.order_id, o.status.value) for o in s.orders_of(customer)] for s in self.services
            ]
            model = sorted((k, v[1]) for k, v in self.model.items() if v[0] == customer)
            assert views[0] == views[1] == model


AdaptersAgree.TestCase.settings = settings(max_examples=25, stateful_step_count=20, deadline=None)
TestAdaptersAgree = AdaptersAgree.TestCase


def test_default_ids_are_random_and_distinct() -> None:
    service = OrderService(InMemoryOrderRepository())
    ids = {service.place("alice", [OrderLine("a", 1, 1)]).order_id for _ in range(50)}
    assert len(ids) == 50
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
