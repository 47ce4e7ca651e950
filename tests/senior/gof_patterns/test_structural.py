"""Structural patterns: wrappers keep the interface, composites sum, flyweights share."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.gof_patterns import (
    Circle,
    CountingStore,
    Directory,
    FahrenheitAdapter,
    FahrenheitSensor,
    File,
    GlyphFactory,
    LazyStore,
    LoggingStore,
    MemoryStore,
    OrderFacade,
    Square,
    SvgRenderer,
    TextRenderer,
)


@given(st.floats(-459.67, 1e6))
def test_adapter_converts_like_the_formula(f: float) -> None:
    assert math.isclose(
        FahrenheitAdapter(FahrenheitSensor(f)).celsius(), (f - 32) * 5 / 9, abs_tol=1e-9
    )


def test_bridge_every_shape_works_with_every_renderer() -> None:
    drawings = {
        (shape.__name__, type(r).__name__): shape(r, 2).draw()
        for shape in (Circle, Square)
        for r in (SvgRenderer(), TextRenderer())
    }
    assert len(set(drawings.values())) == 4
    assert drawings["Square", "SvgRenderer"] == '<rect width="2" height="2"/>'


sizes = st.recursive(
    st.integers(0, 1000),
    lambda children: st.lists(children, max_size=4),
    max_leaves=30,
)


def _build(spec: int | list[object], name: str) -> File | Directory:
    if isinstance(spec, int):
        return File(name, spec)
    return Directory(name, [_build(c, f"{name}{i}") for i, c in enumerate(spec)])  # type: ignore[arg-type]


def _flat_sum(spec: int | list[object]) -> int:
    return spec if isinstance(spec, int) else sum(_flat_sum(c) for c in spec)  # type: ignore[arg-type]


@settings(max_examples=80, deadline=None)
@given(sizes)
def test_composite_size_is_the_sum_of_leaves(spec: int | list[object]) -> None:
    node = _build(spec, "n")
    assert node.size() == _flat_sum(spec)
    paths = [p for p, _ in node.walk()]
    assert len(paths) == len(set(paths))


def test_composite_refuses_cycles() -> None:
    outer = Directory("outer")
    inner = Directory("inner")
    outer.add(inner)
    with pytest.raises(ValueError, match="cycle"):
        inner.add(outer)
    with pytest.raises(ValueError, match="cycle"):
        outer.add(outer)


def test_decorators_stack_and_keep_the_interface() -> None:
    log: list[str] = []
    counting = CountingStore(MemoryStore())
    store = LoggingStore(LoggingStore(counting, log.append), log.append)
    store.put("k", "v")
    assert store.get("k") == "v"
    assert store.get("z") is None
    assert log == ["put k", "put k", "get k", "get k", "get z", "get z"]
    assert (counting.hits, counting.misses) == (1, 1)


def test_proxy_is_lazy_and_guards_writes() -> None:
    calls: list[int] = []

    def make() -> MemoryStore:
        calls.append(1)
        return MemoryStore()

    p = LazyStore(make)
    assert calls == []
    p.put("a", "b")
    assert p.get("a") == "b"
    assert calls == [1]
    ro = LazyStore(make, read_only=True)
    with pytest.raises(PermissionError, match="'a'"):
        ro.put("a", "b")
    assert calls == [1]


def test_facade_compensates_when_payment_fails() -> None:
    shop = OrderFacade({"tv": 3}, prices={"tv": 40_000}, card_limit=50_000)
    with pytest.raises(ValueError, match="declined for 80000"):
        shop.place_order("tv", 2)
    assert shop.stock("tv") == 3
    assert shop.shipments == []
    assert shop.place_order("tv", 1) == "shipped 1 x tv for 40000 cents"
    assert shop.stock("tv") == 2


@given(st.text(min_size=0, max_size=200))
def test_flyweight_makes_one_object_per_distinct_character(text: str) -> None:
    f = GlyphFactory()
    glyphs = [f.glyph(c, "serif") for c in text]
    assert f.created == len(set(text))
    assert len({id(g) for g in glyphs}) == len(set(text))


@pytest.mark.parametrize(
    ("call", "exc", "text"),
    [
        (lambda: FahrenheitSensor(float("inf")), ValueError, "inf"),
        (lambda: FahrenheitSensor(-500), ValueError, "-500"),
        (lambda: FahrenheitSensor(True), TypeError, "bool"),
        (lambda: FahrenheitAdapter(20.0), TypeError, "got float"),  # type: ignore[arg-type]
        (lambda: Circle("svg", 1), TypeError, "got str"),  # type: ignore[arg-type]
        (lambda: Circle(SvgRenderer(), 0), ValueError, "got 0"),
        (lambda: Circle(SvgRenderer(), 1).scale(float("nan")), ValueError, "nan"),
        (lambda: File("", 1), ValueError, "''"),
        (lambda: File("f", 2**70 * -1), ValueError, "got -"),
        (lambda: Directory("d").add("f"), TypeError, "got str"),  # type: ignore[arg-type]
        (lambda: LoggingStore(MemoryStore(), "log"), TypeError, "sink must be callable"),  # type: ignore[arg-type]
        (lambda: LazyStore(None), TypeError, "factory must be callable"),  # type: ignore[arg-type]
        (lambda: MemoryStore().put("k", 1), TypeError, "value must be a str"),  # type: ignore[arg-type]
        (lambda: OrderFacade({}, prices={}, card_limit=-1), ValueError, "-1"),
        (lambda: OrderFacade({}, prices={}, card_limit=9).place_order("x", 1), KeyError, "'x'"),
        (lambda: OrderFacade({}, prices={}, card_limit=9).place_order("x", 0), ValueError, "0"),
        (lambda: GlyphFactory().glyph("", "serif"), ValueError, "''"),
        (lambda: CountingStore({}), TypeError, "get and put methods, got dict"),  # type: ignore[arg-type]
        (lambda: LoggingStore(None, print), TypeError, "got NoneType"),  # type: ignore[arg-type]
        (lambda: OrderFacade({"a": -1}, prices={}, card_limit=1), ValueError, "stock of 'a'"),
        (lambda: OrderFacade({}, prices={"a": 1.5}, card_limit=1), TypeError, "price of 'a'"),  # type: ignore[dict-item]
        (lambda: GlyphFactory().glyph("a", ""), ValueError, "''"),
    ],
)
def test_bad_input_is_refused_with_the_value(call: object, exc: type, text: str) -> None:
    with pytest.raises(exc, match=text):
        call()  # type: ignore[operator]
