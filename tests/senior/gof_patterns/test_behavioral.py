"""Behavioral patterns, each checked against the simplest model of what it promises."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.gof_patterns import (
    Approver,
    ChatRoom,
    Connection,
    CsvExporter,
    DeleteText,
    Editor,
    Evaluator,
    History,
    InorderIterator,
    InsertText,
    MarkdownExporter,
    Member,
    Subject,
    TextBuffer,
    Tree,
    approve_expense,
    checkout,
    default_chain,
    first_that_handles,
    inorder,
    parse,
    percent_off,
    to_infix,
)


@given(st.integers(0, 200_000))
def test_chain_approves_at_the_first_link_whose_limit_covers_the_amount(amount: int) -> None:
    limits = [("lead", 1_000), ("manager", 10_000), ("director", 100_000)]
    want = next((f"{n} approved {amount}" for n, lim in limits if amount <= lim), None)
    assert default_chain().handle(amount) == want
    handlers = [
        (lambda a, n=n, lim=lim: f"{n} approved {a}" if a <= lim else None) for n, lim in limits
    ]
    assert first_that_handles(handlers, amount) == want


commands = st.lists(
    st.tuples(st.booleans(), st.integers(0, 30), st.text("abc", max_size=4)), max_size=25
)


@settings(max_examples=80, deadline=None)
@given(commands)
def test_undo_everything_restores_every_earlier_text(ops: list[tuple[bool, int, str]]) -> None:
    h = History(TextBuffer("start"))
    snapshots = [h.buffer.text]
    for is_insert, pos, text in ops:
        n = len(h.buffer.text)
        cmd = (
            InsertText(min(pos, n), text)
            if is_insert
            else DeleteText(min(pos, n), min(len(text), n - min(pos, n)))
        )
        h.run(cmd)
        snapshots.append(h.buffer.text)
    for want in reversed(snapshots[:-1]):
        h.undo()
        assert h.buffer.text == want
    for want in snapshots[1:]:
        h.redo()
        assert h.buffer.text == want
    with pytest.raises(IndexError, match="nothing to redo"):
        h.redo()


def test_a_new_command_clears_redo_and_a_failed_one_is_not_recorded() -> None:
    h = History(TextBuffer("ab"))
    h.run(InsertText(2, "c"))
    h.undo()
    h.run(InsertText(0, "x"))
    with pytest.raises(IndexError):
        h.redo()
    with pytest.raises(ValueError, match="outside a buffer of 3"):
        h.run(DeleteText(2, 5))
    h.undo()
    assert h.buffer.text == "ab"


def test_one_command_object_run_twice_undoes_both_runs_correctly() -> None:
    h = History(TextBuffer("abc"))
    delete_first = DeleteText(0, 1)
    h.run(delete_first)
    h.run(delete_first)
    assert h.buffer.text == "c"
    h.undo()
    assert h.buffer.text == "bc"
    h.undo()
    assert h.buffer.text == "abc"
    h.redo()
    h.redo()
    assert h.buffer.text == "c"


def test_mediator_routes_broadcasts_privates_and_mutes() -> None:
    room = ChatRoom()
    a, b, c = (room.join(Member(n)) for n in "abc")
    a.say("1")
    c.say("2", to="a")
    room.mute("c")
    c.say("3")
    assert a.inbox == ["c (private): 2"]
    assert b.inbox == ["a: 1"]
    assert c.inbox == ["a: 1"]
    with pytest.raises(ValueError, match="already"):
        room.join(Member("a"))
    with pytest.raises(RuntimeError, match="'z' has not joined"):
        Member("z").say("hi")


def test_observer_may_unsubscribe_itself_during_notification() -> None:
    s: Subject[str] = Subject()
    got: list[str] = []
    stops: list[object] = []

    def once(e: str) -> None:
        got.append("once " + e)
        stops[0]()  # type: ignore[operator]

    stops.append(s.subscribe(once))
    s.subscribe(lambda e: got.append("always " + e))
    assert s.notify("x") == 2
    assert s.notify("y") == 1
    assert got == ["once x", "always x", "always y"]
    stops[0]()  # type: ignore[operator]  # idempotent
    assert s.notify("z") == 1


def test_each_unsubscribe_removes_only_its_own_subscription() -> None:
    s: Subject[int] = Subject()
    got: list[int] = []
    first = s.subscribe(got.append)
    s.subscribe(got.append)  # the same function, subscribed twice
    assert s.notify(1) == 2
    first()
    first()  # a second call must not remove the other subscription
    assert s.notify(2) == 1
    assert got == [1, 1, 2]


def test_state_allows_only_legal_calls() -> None:
    c = Connection()
    for bad in (c.close, lambda: c.send(b"x")):
        with pytest.raises(RuntimeError, match="closed"):
            bad()
    c.open()
    with pytest.raises(RuntimeError, match="cannot open a connection that is established"):
        c.open()
    c.send(b"a")
    c.close()
    assert c.state == "closed"
    assert c.sent == [b"a"]


def test_template_method_fixes_the_steps_and_checks_width() -> None:
    assert CsvExporter().export(["a"], []) == "a"
    assert MarkdownExporter().export(["a"], [(1,)]) == "| a |\n|---|\n| 1 |"
    with pytest.raises(ValueError, match=r"row has 2 cells, header has 1: \(1, 2\)"):
        CsvExporter().export(["a"], [(1, 2)])


@given(st.lists(st.integers(0, 10_000), max_size=50), st.integers(0, 100))
def test_strategies_are_interchangeable(prices: list[int], pct: int) -> None:
    assert checkout(prices) == sum(prices)
    assert checkout(prices, percent_off(pct)) == sum(p * (100 - pct) // 100 for p in prices)
    assert checkout(prices, percent_off(0)) == checkout(prices)


def _insert(root: Tree | None, v: int) -> Tree:
    if root is None:
        return Tree(v)
    if v < root.value:
        root.left = _insert(root.left, v)
    else:
        root.right = _insert(root.right, v)
    return root


@given(st.lists(st.integers(-100, 100), max_size=60))
def test_both_iterators_yield_a_bst_in_sorted_order(values: list[int]) -> None:
    root = None
    for v in values:
        root = _insert(root, v)
    assert list(InorderIterator(root)) == list(inorder(root)) == sorted(values)


def test_memento_restores_text_and_cursor_and_is_immutable() -> None:
    ed = Editor()
    ed.type("ab")
    m = ed.save()
    ed.type("cd")
    ed.restore(m)
    assert (ed.text, ed.cursor) == ("ab", 2)
    with pytest.raises(AttributeError):
        m._text = "hacked"  # type: ignore[misc]


def _expr(depth: int) -> st.SearchStrategy[str]:
    leaf = st.integers(0, 99).map(str) | st.sampled_from(["x", "y"])
    if depth == 0:
        return leaf
    sub = _expr(depth - 1)
    return (
        leaf
        | st.tuples(sub, st.sampled_from(["+", "*"]), sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
        | st.tuples(sub, st.sampled_from([" + ", "*"]), sub).map("".join)
    )


@settings(max_examples=150, deadline=None)
@given(_expr(4), st.integers(-50, 50), st.integers(-50, 50))
def test_interpreter_and_visitor_agree_with_python(src: str, x: int, y: int) -> None:
    env = {"x": x, "y": y}
    want = eval(compile(ast.parse(src, mode="eval"), "<expr>", "eval"), {}, dict(env))  # noqa: S307 - only digits, x, y, +, *, parentheses
    tree = parse(src)
    assert tree.interpret(env) == want
    assert Evaluator(env).visit(tree) == want
    assert parse(to_infix(tree)) == tree


def test_the_tallest_accepted_tree_evaluates_without_hitting_the_recursion_limit() -> None:
    flat = parse("+".join(["1"] * 200))
    assert flat.interpret({}) == 200
    assert Evaluator({}).visit(flat) == 200
    assert to_infix(flat).count("+") == 199
    nested = parse("(" * 199 + "x" + "+1)" * 199)
    assert nested.interpret({"x": 1}) == 200


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("", "non-empty"),
        ("1 +", "at position 3, got end of input"),
        ("(1 + 2", "expected ')' at position 6"),
        ("1 2", "unexpected '2' at position 2"),
        ("1 - 2", "unexpected '-' at position 2"),
        ("(" * 300 + "1" + ")" * 300, "nested deeper than 200"),
        ("1+" * 6000 + "1", "at most 10000 characters"),
        ("+".join(["1"] * 201), "201 levels deep, at most 200"),
        ("(" * 150 + "1" + "*2)" * 150 + "+1" * 60, "levels deep"),
    ],
)
def test_parser_rejects_bad_source_with_the_position(src: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(src)


@pytest.mark.parametrize(
    ("call", "exc", "text"),
    [
        (lambda: approve_expense(default_chain(), -1), ValueError, "-1"),
        (lambda: approve_expense(default_chain(), 1.5), TypeError, "1.5"),  # type: ignore[arg-type]
        (lambda: approve_expense(default_chain(), True), TypeError, "bool"),
        (lambda: Approver("x", 1, successor="y"), TypeError, "got str: 'y'"),  # type: ignore[arg-type]
        (lambda: InsertText(-1, "a"), ValueError, "-1"),
        (lambda: DeleteText(0, float("inf")), TypeError, "inf"),  # type: ignore[arg-type]
        (lambda: History(TextBuffer()).run("cmd"), TypeError, "got str"),  # type: ignore[arg-type]
        (lambda: History(TextBuffer()).run(InsertText(5, "a")), ValueError, "got 5"),
        (lambda: ChatRoom().join("bob"), TypeError, "got str"),  # type: ignore[arg-type]
        (lambda: ChatRoom().mute("bob"), KeyError, "'bob'"),
        (lambda: Subject().subscribe(None), TypeError, "got NoneType"),  # type: ignore[arg-type]
        (lambda: Connection().send("text"), TypeError, "got str: 'text'"),  # type: ignore[arg-type]
        (lambda: checkout([1], pricing=3), TypeError, "pricing must be callable"),  # type: ignore[arg-type]
        (lambda: checkout([float("nan")]), TypeError, "nan"),  # type: ignore[list-item]
        (lambda: percent_off(-1), ValueError, "-1"),
        (lambda: parse(b"1+1"), TypeError, "bytes"),  # type: ignore[arg-type]
        (lambda: parse("z").interpret({}), KeyError, "'z'"),
        (lambda: Editor().type(None), TypeError, "None"),  # type: ignore[arg-type]
        (lambda: to_infix("1"), TypeError, "str"),
        (lambda: default_chain().handle(float("nan")), TypeError, "nan"),  # type: ignore[arg-type]
        (lambda: InorderIterator([1, 2]), TypeError, "got list"),  # type: ignore[arg-type]
        (lambda: Evaluator(None), TypeError, "env must be a dict"),  # type: ignore[arg-type]
    ],
)
def test_bad_input_is_refused_with_the_value(call: object, exc: type, text: str) -> None:
    with pytest.raises(exc, match=text):
        call()  # type: ignore[operator]
