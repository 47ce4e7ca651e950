"""The catalog: 23 patterns, every named standard-library object really exists."""

from __future__ import annotations

import io

import pytest

from studybook.senior.gof_patterns import CATALOG, demo, pattern, resolve
from studybook.senior.gof_patterns.in_the_wild import CATEGORIES


def test_catalog_has_the_gof_counts_and_unique_names() -> None:
    assert len({p.name for p in CATALOG}) == 23
    assert [sum(p.category == c for p in CATALOG) for c in CATEGORIES] == [5, 7, 11]


@pytest.mark.parametrize("info", CATALOG, ids=lambda p: p.name)
def test_every_stdlib_example_and_implementation_resolves(info: object) -> None:
    assert resolve(info.stdlib) is not None  # type: ignore[attr-defined]
    assert resolve(info.implementation) is not None  # type: ignore[attr-defined]
    assert pattern(info.name.upper()) is info  # type: ignore[attr-defined]


def test_stdlib_shapes_hold() -> None:
    import ast
    import http.client
    import socketserver

    order: list[str] = []

    class Handler(socketserver.BaseRequestHandler):
        def setup(self) -> None:
            order.append("setup")

        def handle(self) -> None:
            order.append("handle")

        def finish(self) -> None:
            order.append("finish")

    Handler(None, None, None)  # type: ignore[arg-type]
    assert order == ["setup", "handle", "finish"]  # Template Method

    class Names(ast.NodeVisitor):
        def __init__(self) -> None:
            self.seen: list[str] = []

        def visit_Name(self, node: ast.Name) -> None:
            self.seen.append(node.id)

    v = Names()
    v.visit(ast.parse("a + f(b)"))
    assert v.seen == ["a", "f", "b"]  # Visitor

    conn = http.client.HTTPConnection("example.invalid")
    conn.putrequest("GET", "/")  # builds the request; no socket is opened yet
    with pytest.raises(http.client.CannotSendRequest):
        conn.putrequest("GET", "/")  # State: illegal in "Request-started"
    assert conn.sock is None


def test_demo_writes_one_line_per_pattern() -> None:
    buf = io.StringIO()
    demo(buf)
    lines = buf.getvalue().splitlines()
    assert [line for line in lines if not line.startswith(" ")] == list(CATEGORIES)
    assert [line.split("  ")[1].strip() for line in lines if line.startswith(" ")] == [
        p.name for p in sorted(CATALOG, key=lambda p: (CATEGORIES.index(p.category), p.name))
    ]


@pytest.mark.parametrize(
    ("call", "exc", "text"),
    [
        (lambda: pattern(""), KeyError, "''"),
        (lambda: pattern(3), TypeError, "got int: 3"),
        (lambda: resolve(""), ValueError, "non-empty"),
        (lambda: resolve("no_such_module_xyz.thing"), ValueError, "no_such_module_xyz"),
        (lambda: resolve("os.no_such_attr"), AttributeError, "no_such_attr"),
    ],
)
def test_bad_input_is_refused_with_the_value(call: object, exc: type, text: str) -> None:
    with pytest.raises(exc, match=text):
        call()  # type: ignore[operator]
