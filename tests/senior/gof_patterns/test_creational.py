"""Creational patterns: each one's promise, checked; QueryBuilder against sqlite3."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.gof_patterns import (
    Borg,
    HtmlDialog,
    HtmlFactory,
    MarkdownDialog,
    MarkdownFactory,
    Prototype,
    PrototypeRegistry,
    QueryBuilder,
    SingletonMeta,
    render_document,
)
from studybook.senior.gof_patterns.creational import DocumentFactory


@pytest.mark.parametrize("factory", [HtmlFactory(), MarkdownFactory()])
def test_abstract_factory_never_mixes_families(factory: DocumentFactory) -> None:
    heading, items = factory.heading("t"), factory.bullet_list(["x"])
    family = {type(heading).__name__[:4], type(items).__name__[:4]}
    assert len(family) == 1
    assert render_document(factory, "t", ["x"]).startswith(heading.render())


def test_html_family_escapes_text_and_each_family_joins_its_own_blocks() -> None:
    assert render_document(HtmlFactory(), "a<b", ["x&y", "</ul>"]) == (
        "<h1>a&lt;b</h1><ul><li>x&amp;y</li><li>&lt;/ul&gt;</li></ul>"
    )
    assert render_document(MarkdownFactory(), "T", ["a", "b"]) == "# T\n- a\n- b"

    class CompactHtml(HtmlFactory):
        pass

    # The client asks the family, not isinstance, how blocks are joined.
    assert render_document(CompactHtml(), "T", ["a"]) == "<h1>T</h1><ul><li>a</li></ul>"


def test_factory_method_lets_the_subclass_choose_the_product() -> None:
    assert HtmlDialog().render("Go") == "<dialog><button>Go</button></dialog>"
    assert MarkdownDialog().render("Go") == "> [Go]"


BOOKS = [
    (1, "TAOCP", "Knuth", 1968),
    (2, "SICP", "Abelson", 1985),
    (3, "Concrete Mathematics", "Knuth", 1989),
    (4, "CLRS", "Cormen", 1990),
]


@settings(max_examples=60, deadline=None)
@given(
    author=st.sampled_from(["Knuth", "Cormen", "Nobody", "x' OR '1'='1"]),
    order=st.sampled_from([None, "year", "title"]),
    limit=st.none() | st.integers(1, 5),
)
def test_query_builder_matches_a_python_filter_on_sqlite(
    author: str, order: str | None, limit: int | None
) -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE book (id INTEGER, title TEXT, author TEXT, year INTEGER)")
    db.executemany("INSERT INTO book VALUES (?, ?, ?, ?)", BOOKS)
    b = QueryBuilder("book").select("id").where("author", author)
    if order:
        b.order_by(order)
    if limit:
        b.limit(limit)
    q = b.build()
    got = [r[0] for r in db.execute(q.sql, q.params)]
    rows = [r for r in BOOKS if r[2] == author]
    if order:
        rows.sort(key=lambda r: r[3] if order == "year" else r[1])
        want = [r[0] for r in rows][:limit]
        assert got == want
    else:
        assert set(got) <= {r[0] for r in rows}
        assert len(got) == min(len(rows), limit or len(rows))


def test_prototype_clone_is_deep_and_registry_hands_out_fresh_copies() -> None:
    reg = PrototypeRegistry()
    reg.register("r", Prototype("r", {"font": "serif"}, ["a"]))
    one, two = reg.create("r"), reg.create("r")
    one.sections.append("b")
    one.style["font"] = "mono"
    assert two.sections == ["a"]
    assert two.style == {"font": "serif"}
    assert reg.create("r").sections == ["a"]
    with pytest.raises(AttributeError, match="no field 'colour'"):
        one.clone(colour="red")


def test_singleton_is_built_once_when_threads_race_through_the_first_call() -> None:
    built: list[int] = []
    start = threading.Barrier(8)

    class Slow(metaclass=SingletonMeta):
        def __init__(self) -> None:
            built.append(1)
            time.sleep(0.02)  # widen the window between check and create

    got: list[object] = []

    def worker() -> None:
        start.wait()
        got.append(Slow())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert built == [1]
    assert len(got) == 8
    assert all(g is got[0] for g in got)


def test_a_singleton_may_create_another_in_its_init() -> None:
    class Inner(metaclass=SingletonMeta):
        pass

    class Outer(metaclass=SingletonMeta):
        def __init__(self) -> None:
            self.inner = Inner()  # re-enters the metaclass lock

    assert Outer().inner is Inner()


def test_singleton_and_borg() -> None:
    class Registry(metaclass=SingletonMeta):
        def __init__(self) -> None:
            self.items: list[int] = []

    Registry().items.append(1)
    assert Registry().items == [1]
    assert Registry() is Registry()
    a, b = Borg(), Borg()
    a.__dict__["x"] = 1
    assert a is not b
    assert b.__dict__["x"] == 1


@pytest.mark.parametrize(
    ("call", "exc", "text"),
    [
        (lambda: render_document(None, "t", []), TypeError, "got NoneType"),  # type: ignore[arg-type]
        (lambda: render_document(HtmlFactory(), 5, []), TypeError, "text must be a str"),  # type: ignore[arg-type]
        (lambda: render_document(HtmlFactory(), "t", "ab"), TypeError, "got str: 'ab'"),  # type: ignore[arg-type]
        (lambda: QueryBuilder(""), ValueError, "non-empty"),
        (lambda: QueryBuilder("1abc"), ValueError, "'1abc'"),
        (lambda: QueryBuilder("t").where("a b", 1), ValueError, "'a b'"),
        (lambda: QueryBuilder("t").limit(0), ValueError, "got 0"),
        (lambda: QueryBuilder("t").limit(True), TypeError, "bool"),
        (lambda: QueryBuilder("t").limit(float("nan")), TypeError, "nan"),  # type: ignore[arg-type]
        (lambda: HtmlDialog().render(""), ValueError, "''"),
        (lambda: PrototypeRegistry().register("p", "x"), TypeError, "got str"),  # type: ignore[arg-type]
        (lambda: PrototypeRegistry().create("p"), KeyError, "'p'"),
    ],
)
def test_bad_input_is_refused_with_the_value(call: object, exc: type, text: str) -> None:
    with pytest.raises(exc, match=text.replace("(", r"\(")):
        call()  # type: ignore[operator]
