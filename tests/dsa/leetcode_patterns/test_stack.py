"""Stack solutions against quadratic scans, rewriting and expression trees; classes vs models."""

from __future__ import annotations

import ast
import re
from collections import deque
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from studybook.dsa.leetcode_patterns.stack import (
    MinStack,
    MyQueue,
    basic_calculator,
    daily_temperatures,
    evaluate_reverse_polish_notation,
    largest_rectangle_in_histogram,
    valid_parentheses,
)

FAST = settings(max_examples=60, deadline=None, derandomize=True)


@FAST
@given(st.text(alphabet="()[]{}", max_size=12))
def test_valid_parentheses_matches_pair_removal(s: str) -> None:
    reduced = s
    while True:  # deleting an adjacent matched pair never changes validity
        shorter = reduced.replace("()", "").replace("[]", "").replace("{}", "")
        if shorter == reduced:
            break
        reduced = shorter
    assert valid_parentheses(s) == (reduced == "")


def test_valid_parentheses_rejects_other_characters() -> None:
    with pytest.raises(ValueError, match="got 'x'"):
        valid_parentheses("(x)")


# Expression trees: an int, or (op, left, right) for RPN, or ("neg", e) / ("+", a, b) for infix.
rpn_trees = st.recursive(
    st.integers(-9, 9),
    lambda sub: st.tuples(st.sampled_from("+-*/"), sub, sub),
    max_leaves=8,
)


def rpn_eval(tree: Any) -> int:
    if isinstance(tree, int):
        return tree
    op, left, right = tree
    a, b = rpn_eval(left), rpn_eval(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        raise ZeroDivisionError
    return int(a / b)  # truncation toward zero; exact for these small magnitudes


def rpn_tokens(tree: Any) -> list[str]:
    if isinstance(tree, int):
        return [str(tree)]
    op, left, right = tree
    return [*rpn_tokens(left), *rpn_tokens(right), op]


@FAST
@given(rpn_trees)
def test_rpn_matches_expression_tree(tree: Any) -> None:
    try:
        expected = rpn_eval(tree)
    except ZeroDivisionError:
        with pytest.raises(ZeroDivisionError):
            evaluate_reverse_polish_notation(rpn_tokens(tree))
        return
    assert evaluate_reverse_polish_notation(rpn_tokens(tree)) == expected


def test_rpn_rejects_malformed_input() -> None:
    with pytest.raises(ValueError, match="bad token 'x' at index 1"):
        evaluate_reverse_polish_notation(["1", "x"])
    with pytest.raises(ValueError, match="2 values left"):
        evaluate_reverse_polish_notation(["1", "2"])


@FAST
@given(st.lists(st.integers(30, 40), max_size=15))
def test_daily_temperatures_matches_quadratic_scan(temps: list[int]) -> None:
    brute = [
        next((j - i for j in range(i + 1, len(temps)) if temps[j] > temps[i]), 0)
        for i in range(len(temps))
    ]
    assert daily_temperatures(temps) == brute


@FAST
@given(st.lists(st.integers(0, 6), max_size=12))
def test_largest_rectangle_matches_all_ranges(heights: list[int]) -> None:
    brute = max(
        (
            min(heights[i : j + 1]) * (j - i + 1)
            for i in range(len(heights))
            for j in range(i, len(heights))
        ),
        default=0,
    )
    assert largest_rectangle_in_histogram(heights) == brute


infix_trees = st.recursive(
    st.integers(0, 30),
    lambda sub: st.one_of(
        st.tuples(st.sampled_from("+-"), sub, sub),
        st.tuples(st.just("neg"), sub),
    ),
    max_leaves=8,
)


def infix(tree: Any, spaces: bool) -> tuple[str, int]:
    """Render a tree fully parenthesised; return (text, value)."""
    gap = " " if spaces else ""
    if isinstance(tree, int):
        return str(tree), tree
    if tree[0] == "neg":
        text, value = infix(tree[1], spaces)
        # LeetCode never puts two operators side by side, so a negation gets its own parentheses.
        return f"(-{gap}({text}))", -value
    op, left, right = tree
    lt, lv = infix(left, spaces)
    rt, rv = infix(right, spaces)
    return f"({lt}{gap}{op}{gap}{rt})", lv + rv if op == "+" else lv - rv


@FAST
@given(infix_trees, st.booleans())
def test_basic_calculator_matches_expression_tree(tree: Any, spaces: bool) -> None:
    text, value = infix(tree, spaces)
    assert basic_calculator(text) == value


def _python_value(text: str) -> int | None:
    """An independent evaluator: Python's own parser, walked by hand (no eval)."""
    text = re.sub(r"(?<![0-9])0+(?=[0-9])", "", text)  # Python refuses "01"; LeetCode allows it
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None

    def walk(node: ast.expr) -> int:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            left, right = walk(node.left), walk(node.right)
            return left + right if isinstance(node.op, ast.Add) else left - right
        raise ValueError(node)

    try:
        return walk(tree)
    except ValueError:
        return None


@FAST
@given(st.text(alphabet="0123 +-()", max_size=14))
def test_basic_calculator_accepts_only_what_python_reads_the_same(text: str) -> None:
    """Random strings: whatever the calculator accepts, Python parses to the same value."""
    try:
        got = basic_calculator(text)
    except ValueError:
        return
    assert _python_value(text) == got, text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 )", "unmatched '\\)' at index 2"),
        ("(1", "1 unclosed"),
        ("2(3)", "missing operator before '\\(' at index 1"),
        ("1 2", "missing operator before '2' at index 2"),
        ("(1)2", "missing operator before '2' at index 3"),
        ("()", "missing operand before '\\)' at index 1"),
        ("1+", "ends without an operand"),
        ("", "is empty"),
        ("   ", "is empty"),
        ("+1", "missing operand before '\\+' at index 0"),
        ("1--2", "missing operand before '-' at index 2"),
        ("1 + (- - 2)", "missing operand before '-' at index 7"),
        ("\u0661\u0662", "unexpected character"),
        ("2*3", "unexpected character '\\*' at index 1"),
    ],
)
def test_basic_calculator_rejects_malformed_expressions(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        basic_calculator(text)


@pytest.mark.parametrize("bad", [None, 12, b"1+2", ["1"]])
def test_basic_calculator_needs_a_str(bad: object) -> None:
    with pytest.raises(TypeError, match=re.escape(repr(bad))):
        basic_calculator(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "error", "bad"),
    [
        (lambda: MinStack().push(True), TypeError, True),
        (lambda: MinStack().push(1.5), TypeError, 1.5),
        (lambda: MinStack().push(None), TypeError, None),
        (lambda: MyQueue().push(True), TypeError, True),
        (lambda: MyQueue().push("1"), TypeError, "1"),
    ],
)
def test_design_classes_reject_bad_values(make: Any, error: type, bad: object) -> None:
    with pytest.raises(error, match=re.escape(repr(bad))):
        make()


class MinStackMachine(RuleBasedStateMachine):
    """Model: a list; the minimum is min(list)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack = MinStack()
        self.model: list[int] = []

    @rule(x=st.integers(-5, 5))
    def push(self, x: int) -> None:
        self.stack.push(x)
        self.model.append(x)

    @precondition(lambda self: self.model)
    @rule()
    def pop(self) -> None:
        assert self.stack.pop() == self.model.pop()

    @precondition(lambda self: self.model)
    @rule()
    def top_and_min(self) -> None:
        assert self.stack.top() == self.model[-1]
        assert self.stack.get_min() == min(self.model)

    @precondition(lambda self: not self.model)
    @rule()
    def empty_operations_fail(self) -> None:
        for op in (self.stack.pop, self.stack.top, self.stack.get_min):
            with pytest.raises(IndexError, match="empty MinStack"):
                op()

    @invariant()
    def invariants_hold(self) -> None:
        self.stack._check_invariants()
        assert len(self.stack) == len(self.model)


class MyQueueMachine(RuleBasedStateMachine):
    """Model: collections.deque."""

    def __init__(self) -> None:
        super().__init__()
        self.queue = MyQueue()
        self.model: deque[int] = deque()

    @rule(x=st.integers(0, 9))
    def push(self, x: int) -> None:
        self.queue.push(x)
        self.model.append(x)

    @rule()
    def pop(self) -> None:
        if self.model:
            assert self.queue.pop() == self.model.popleft()
        else:
            with pytest.raises(IndexError, match="pop from an empty MyQueue"):
                self.queue.pop()

    @rule()
    def peek(self) -> None:
        if self.model:
            assert self.queue.peek() == self.model[0]
        else:
            with pytest.raises(IndexError, match="peek at an empty MyQueue"):
                self.queue.peek()

    @invariant()
    def invariants_hold(self) -> None:
        self.queue._check_invariants()
        assert self.queue.empty() == (not self.model)


STATEFUL = settings(max_examples=25, stateful_step_count=30, deadline=None, derandomize=True)
TestMinStack = MinStackMachine.TestCase
TestMinStack.settings = STATEFUL
TestMyQueue = MyQueueMachine.TestCase
TestMyQueue.settings = STATEFUL


def test_invariant_checks_catch_corruption() -> None:
    stack = MinStack()
    stack.push(3)
    stack.push(1)
    stack._mins[-1] = 3  # wrong minimum recorded for the top level
    with pytest.raises(AssertionError, match="wrong minimum recorded at depth 1"):
        stack._check_invariants()
    queue = MyQueue()
    queue.push(1)
    queue._inbox.append(2)  # an element that was never pushed
    with pytest.raises(AssertionError, match="stacks hold 2 values"):
        queue._check_invariants()
