"""Stack against a list used as a stack."""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from studybook.dsa.data_structures import Stack


class StackMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.stack: Stack[int] = Stack()
        self.model: list[int] = []

    @rule(value=st.integers())
    def push(self, value: int) -> None:
        self.stack.push(value)
        self.model.append(value)

    @precondition(lambda self: self.model)
    @rule()
    def pop(self) -> None:
        assert self.stack.pop() == self.model.pop()

    @precondition(lambda self: self.model)
    @rule()
    def peek(self) -> None:
        assert self.stack.peek() == self.model[-1]

    @precondition(lambda self: not self.model)
    @rule()
    def empty_errors(self) -> None:
        with pytest.raises(IndexError, match=r"^pop from empty stack$"):
            self.stack.pop()
        with pytest.raises(IndexError, match=r"^peek at empty stack$"):
            self.stack.peek()

    @invariant()
    def agrees(self) -> None:
        self.stack._check_invariants()
        assert len(self.stack) == len(self.model)
        assert bool(self.stack) == bool(self.model)
        assert list(self.stack) == self.model[::-1]


TestStackMachine = StackMachine.TestCase
TestStackMachine.settings = settings(max_examples=50, stateful_step_count=50, deadline=None)


def _balanced(text: str) -> bool:
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: Stack[str] = Stack()
    for ch in text:
        if ch in "([{":
            stack.push(ch)
        elif ch in pairs and (not stack or stack.pop() != pairs[ch]):
            return False
    return not stack


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", True), ("([]{})", True), ("(]", False), ("((", False), ("())", False), ("{[()]}", True)],
)
def test_bracket_matching(text: str, expected: bool):
    assert _balanced(text) is expected


def test_errors_on_new_stack():
    s: Stack[int] = Stack()
    with pytest.raises(IndexError, match=r"^peek at empty stack$"):
        s.peek()
    s.push(1)
    s.pop()
    with pytest.raises(IndexError, match=r"^pop from empty stack$"):
        s.pop()
