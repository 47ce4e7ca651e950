"""Stacks and monotonic stacks: keep the unresolved items, resolve them last-in first-out.

Invariant: the stack holds exactly the items still waiting for their match (an
open bracket, an operand, a day without a warmer day yet). In a monotonic stack
the items are also sorted, so a new item pops every item it resolves, and each
item is pushed and popped once: O(n) overall.

>>> daily_temperatures([73, 74, 75, 71, 69, 72, 76, 73])
[1, 1, 4, 2, 1, 1, 0, 0]
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ._validate import require_int, require_int_list, require_str, require_str_list

__all__ = [
    "PROBLEMS",
    "MinStack",
    "MyQueue",
    "basic_calculator",
    "daily_temperatures",
    "evaluate_reverse_polish_notation",
    "largest_rectangle_in_histogram",
    "valid_parentheses",
]

_PAIRS = {")": "(", "]": "[", "}": "{"}
_INTEGER = re.compile(r"-?[0-9]+")


def valid_parentheses(s: str) -> bool:
    """Return whether every bracket in ``s`` is closed by the matching type, in the right order.

    Args:
        s: a string of the characters ``()[]{}``.

    Returns:
        ``True`` if the brackets are balanced and properly nested.

    Raises:
        TypeError: ``s`` is not a str.
        ValueError: ``s`` contains another character.

    Complexity: O(n) time, O(n) space.

    >>> valid_parentheses("()[]{}")
    True
    >>> valid_parentheses("([)]")
    False
    >>> valid_parentheses("(a)")
    Traceback (most recent call last):
        ...
    ValueError: expected only brackets, got 'a'
    """
    require_str("s", s)
    stack: list[str] = []
    for ch in s:
        if ch in "([{":
            stack.append(ch)
        elif ch in _PAIRS:
            if not stack or stack.pop() != _PAIRS[ch]:
                return False
        else:
            raise ValueError(f"expected only brackets, got {ch!r}")
    return not stack  # an unclosed opener is as wrong as an unmatched closer


class MinStack:
    """A stack that also reports its minimum in O(1).

    A second stack records, for each depth, the minimum of everything at or
    below it; popping both together keeps the answer for the remaining stack.

    >>> s = MinStack()
    >>> for x in (-2, 0, -3):
    ...     s.push(x)
    >>> s.get_min()
    -3
    >>> s.pop()
    -3
    >>> s.top(), s.get_min()
    (0, -2)
    """

    def __init__(self) -> None:
        self._items: list[int] = []
        self._mins: list[int] = []

    def push(self, val: int) -> None:
        """Push ``val``. Complexity: O(1) amortised.

        Args:
            val: the value.

        >>> stack = MinStack()
        >>> stack.push(3); stack.push(1); stack.push(2)
        >>> stack.top(), stack.get_min()
        (2, 1)
        >>> stack.push(True)
        Traceback (most recent call last):
            ...
        TypeError: val must be an int, got True
        """
        require_int("val", val)
        self._items.append(val)
        self._mins.append(min(val, self._mins[-1]) if self._mins else val)

    def pop(self) -> int:
        """Remove and return the top value. Complexity: O(1) amortised.

        Returns:
            The value removed.

        Raises:
            IndexError: the stack is empty (like ``list.pop``).

        >>> MinStack().pop()
        Traceback (most recent call last):
            ...
        IndexError: pop from an empty MinStack
        """
        if not self._items:
            raise IndexError("pop from an empty MinStack")
        self._mins.pop()
        return self._items.pop()

    def top(self) -> int:
        """Return the top value. Complexity: O(1).

        Returns:
            The most recently pushed value still on the stack.

        Raises:
            IndexError: the stack is empty.

        >>> MinStack().top()
        Traceback (most recent call last):
            ...
        IndexError: top of an empty MinStack
        """
        if not self._items:
            raise IndexError("top of an empty MinStack")
        return self._items[-1]

    def get_min(self) -> int:
        """Return the smallest value on the stack (LeetCode's ``getMin``). Complexity: O(1).

        Returns:
            The minimum.

        Raises:
            IndexError: the stack is empty.

        >>> MinStack().get_min()
        Traceback (most recent call last):
            ...
        IndexError: get_min of an empty MinStack
        """
        if not self._mins:
            raise IndexError("get_min of an empty MinStack")
        return self._mins[-1]

    def __len__(self) -> int:
        return len(self._items)

    def _check_invariants(self) -> None:
        if len(self._mins) != len(self._items):
            raise AssertionError("the minimum stack and the value stack differ in length")
        for depth in range(len(self._items)):
            if self._mins[depth] != min(self._items[: depth + 1]):
                raise AssertionError(f"wrong minimum recorded at depth {depth}")


def evaluate_reverse_polish_notation(tokens: list[str]) -> int:
    """Evaluate an integer expression in reverse Polish (postfix) notation.

    Division truncates toward zero, as in C and Java (Python's ``//`` floors instead).

    Args:
        tokens: integers and the operators ``+ - * /``.

    Returns:
        The value.

    Raises:
        TypeError: ``tokens`` is not a list of str.
        ValueError: the tokens do not form one well-formed expression.
        ZeroDivisionError: a division by zero.

    Complexity: O(n) time, O(n) space.

    >>> evaluate_reverse_polish_notation(["2", "1", "+", "3", "*"])
    9
    >>> evaluate_reverse_polish_notation(["6", "-4", "/"])
    -1
    >>> evaluate_reverse_polish_notation(["1", "+"])
    Traceback (most recent call last):
        ...
    ValueError: operator '+' at index 1 needs two operands
    """
    require_str_list("tokens", tokens)
    stack: list[int] = []
    for i, item in enumerate(tokens):
        if item in ("+", "-", "*", "/"):
            if len(stack) < 2:
                raise ValueError(f"operator {item!r} at index {i} needs two operands")
            b, a = stack.pop(), stack.pop()  # the right operand is on top
            if item == "+":
                stack.append(a + b)
            elif item == "-":
                stack.append(a - b)
            elif item == "*":
                stack.append(a * b)
            else:
                quotient = abs(a) // abs(b)
                stack.append(quotient if (a >= 0) == (b > 0) else -quotient)
        else:
            # int() alone would also take " 7", "1_000" and non-ASCII digits such as "٣".
            if not _INTEGER.fullmatch(item):
                raise ValueError(f"bad token {item!r} at index {i}")
            stack.append(int(item))
    if len(stack) != 1:
        raise ValueError(f"expected one expression, got {len(stack)} values left")
    return stack[0]


def daily_temperatures(temperatures: list[int]) -> list[int]:
    """For each day, return how many days until a warmer one (0 if never).

    Args:
        temperatures: the daily temperatures.

    Returns:
        The waits, one per day.

    Raises:
        TypeError: ``temperatures`` is not a list of int.

    Complexity: O(n) time, O(n) space.

    >>> daily_temperatures([30, 60, 90])
    [1, 1, 0]
    >>> daily_temperatures([])
    []
    """
    answer = [0] * len(require_int_list("temperatures", temperatures))
    waiting: list[int] = []  # indices still waiting; their temperatures never increase upward
    for day, temp in enumerate(temperatures):
        while waiting and temperatures[waiting[-1]] < temp:
            earlier = waiting.pop()
            answer[earlier] = day - earlier
        waiting.append(day)
    return answer


def largest_rectangle_in_histogram(heights: list[int]) -> int:
    """Return the area of the largest rectangle inside a histogram of unit-width bars.

    Args:
        heights: non-negative bar heights.

    Returns:
        The largest area.

    Raises:
        TypeError: ``heights`` is not a list of int.
        ValueError: a height is negative.

    Complexity: O(n) time, O(n) space.

    >>> largest_rectangle_in_histogram([2, 1, 5, 6, 2, 3])
    10
    >>> largest_rectangle_in_histogram([-1])
    Traceback (most recent call last):
        ...
    ValueError: heights[0] must be >= 0, got -1
    """
    require_int_list("heights", heights, minimum=0)
    best = 0
    rising: list[int] = []  # indices of bars with increasing heights
    for i, h in enumerate([*heights, 0]):  # the 0 sentinel flushes the stack at the end
        while rising and heights[rising[-1]] >= h:
            top = heights[rising.pop()]
            # The popped bar extends right up to i - 1 and left to just after the new top.
            left = rising[-1] + 1 if rising else 0
            best = max(best, top * (i - left))
        rising.append(i)
    return best


class MyQueue:
    """A FIFO queue built from two LIFO stacks (LeetCode's "Implement Queue using Stacks").

    Pushes go on ``inbox``; pops come from ``outbox``, which is refilled by
    reversing ``inbox`` only when it runs empty. Each element moves at most
    twice, so every operation is O(1) amortised.

    >>> q = MyQueue()
    >>> q.push(1); q.push(2)
    >>> q.peek(), q.pop(), q.empty()
    (1, 1, False)
    """

    def __init__(self) -> None:
        self._inbox: list[int] = []
        self._outbox: list[int] = []
        self._size = 0

    def push(self, x: int) -> None:
        """Add ``x`` at the back. Complexity: O(1).

        Args:
            x: the value.

        >>> queue = MyQueue()
        >>> queue.push(5); queue.push(7)
        >>> queue.peek(), queue.pop(), queue.pop(), queue.empty()
        (5, 5, 7, True)
        >>> queue.push(None)
        Traceback (most recent call last):
            ...
        TypeError: x must be an int, got None
        """
        require_int("x", x)
        self._inbox.append(x)
        self._size += 1

    def pop(self) -> int:
        """Remove and return the front value. Complexity: O(1) amortised.

        Returns:
            The oldest value.

        Raises:
            IndexError: the queue is empty.

        >>> MyQueue().pop()
        Traceback (most recent call last):
            ...
        IndexError: pop from an empty MyQueue
        """
        if self.empty():
            raise IndexError("pop from an empty MyQueue")
        self._shift()
        self._size -= 1
        return self._outbox.pop()

    def peek(self) -> int:
        """Return the front value. Complexity: O(1) amortised.

        Returns:
            The oldest value.

        Raises:
            IndexError: the queue is empty.

        >>> MyQueue().peek()
        Traceback (most recent call last):
            ...
        IndexError: peek at an empty MyQueue
        """
        if self.empty():
            raise IndexError("peek at an empty MyQueue")
        self._shift()
        return self._outbox[-1]

    def _shift(self) -> None:
        if not self._outbox:
            while self._inbox:
                self._outbox.append(self._inbox.pop())

    def empty(self) -> bool:
        """Return whether the queue is empty. Complexity: O(1).

        Returns:
            ``True`` if there is nothing to pop.

        >>> MyQueue().empty()
        True
        """
        return not self._inbox and not self._outbox

    def _check_invariants(self) -> None:
        # Any split of the elements between the stacks is valid (that is why the lazy
        # transfer is correct); what must hold is that no element is lost or duplicated.
        if len(self._inbox) + len(self._outbox) != self._size:
            raise AssertionError(f"stacks hold {len(self._inbox) + len(self._outbox)} values")


def basic_calculator(s: str) -> int:
    """Evaluate an expression of integers, ``+``, ``-``, parentheses and spaces.

    The grammar is LeetCode 224's: ``-`` may be unary at the start or right
    after ``(``; ``+`` is never unary; two numbers need an operator between
    them (``"1 2"``), and so does a number and a parenthesis (``"2(3)"``).
    Digits are ASCII ``0``-``9`` only.

    Args:
        s: the expression.

    Returns:
        Its value.

    Raises:
        TypeError: ``s`` is not a str.
        ValueError: a malformed expression: an unexpected character, a missing
            operand or operator, or unbalanced parentheses.

    Complexity: O(n) time, O(n) space for nested parentheses.

    >>> basic_calculator("(1+(4+5+2)-3)+(6+8)"), basic_calculator("- (2 + 3)")
    (23, -5)
    >>> basic_calculator("2(3)")
    Traceback (most recent call last):
        ...
    ValueError: missing operator before '(' at index 1 of '2(3)'
    """
    require_str("s", s)
    total, sign, number = 0, 1, 0
    saved: list[tuple[int, int]] = []  # (total so far, sign before the parenthesis)
    expect_operand = True  # at the start, after an operator, after "("
    unary_ok = True  # "-" may be unary at the start and right after "("
    in_number = False  # the previous character was a digit
    for i, ch in enumerate(s):
        if "0" <= ch <= "9":
            if not (expect_operand or in_number):
                raise ValueError(f"missing operator before {ch!r} at index {i} of {s!r}")
            number = number * 10 + (ord(ch) - ord("0"))
            in_number, expect_operand, unary_ok = True, False, False
            continue
        in_number = False
        if ch == " ":
            continue
        if ch in "+-":
            if expect_operand and not (ch == "-" and unary_ok):
                raise ValueError(f"missing operand before {ch!r} at index {i} of {s!r}")
            total += sign * number
            number, sign = 0, (1 if ch == "+" else -1)
            expect_operand, unary_ok = True, False
        elif ch == "(":
            if not expect_operand:
                raise ValueError(f"missing operator before '(' at index {i} of {s!r}")
            saved.append((total, sign))
            total, sign, unary_ok = 0, 1, True
        elif ch == ")":
            if expect_operand:
                raise ValueError(f"missing operand before ')' at index {i} of {s!r}")
            if not saved:
                raise ValueError(f"unmatched ')' at index {i} of {s!r}")
            total += sign * number
            outer_total, outer_sign = saved.pop()
            total, number, sign = outer_total + outer_sign * total, 0, 1
        else:
            raise ValueError(f"unexpected character {ch!r} at index {i} of {s!r}")
    if expect_operand:
        raise ValueError(f"expression {s!r} is empty or ends without an operand")
    if saved:
        raise ValueError(f"{len(saved)} unclosed '(' in {s!r}")
    return total + sign * number


PROBLEMS: dict[str, Callable[..., object]] = {
    "Basic Calculator": basic_calculator,
    "Daily Temperatures": daily_temperatures,
    "Evaluate Reverse Polish Notation": evaluate_reverse_polish_notation,
    "Implement Queue using Stacks": MyQueue,
    "Largest Rectangle in Histogram": largest_rectangle_in_histogram,
    "Min Stack": MinStack,
    "Valid Parentheses": valid_parentheses,
}
