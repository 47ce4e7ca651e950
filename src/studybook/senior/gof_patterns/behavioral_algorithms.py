"""Behavioral patterns about algorithms and state.

Strategy, Template Method, State, Iterator, Memento, Interpreter and Visitor.

These seven decide where an algorithm's varying part lives: in an object
passed in (Strategy), in a subclass hook (Template Method), in the current
state object (State), in a traversal object (Iterator), in a snapshot the
owner alone can read (Memento), in the classes of a grammar (Interpreter), or
in a separate object per operation over a fixed class hierarchy (Visitor).

>>> tree = parse("2 * (x + 3)")
>>> tree.interpret({"x": 4}), to_infix(tree), Evaluator({"x": 4}).visit(tree)
(14, '(2 * (x + 3))', 14)

Primary source: Gamma et al., *Design Patterns*, 1994, chapter 5.
"""

from __future__ import annotations

import functools
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from studybook._validate import check_callable, check_int, check_str

__all__ = [
    "Add",
    "Connection",
    "CsvExporter",
    "Editor",
    "EditorState",
    "Evaluator",
    "Exporter",
    "Expr",
    "InorderIterator",
    "MarkdownExporter",
    "Mul",
    "Num",
    "Tree",
    "Var",
    "Visitor",
    "checkout",
    "inorder",
    "parse",
    "percent_off",
    "to_infix",
]


# --- Strategy ----------------------------------------------------------------

Pricing = Callable[[int], int]


def percent_off(percent: int) -> Pricing:
    """Make a pricing strategy that takes ``percent`` % off (integer cents, rounded down).

    Complexity: O(1).

    >>> percent_off(25)(1000)
    750
    >>> percent_off(120)
    Traceback (most recent call last):
    ValueError: percent must be in [0, 100], got 120
    """
    check_int(percent, "percent", minimum=0, maximum=100)
    return lambda cents: cents * (100 - percent) // 100


def checkout(prices: list[int], pricing: Pricing = lambda cents: cents) -> int:
    """Total ``prices`` (cents) after applying the ``pricing`` strategy to each.

    In Python a strategy is a function; a class with one method adds nothing.

    Raises:
        TypeError: a price is not an int, or ``pricing`` is not callable.
        ValueError: a price is negative.

    Complexity: O(len(prices)).

    >>> checkout([1000, 250]), checkout([1000, 250], percent_off(10))
    (1250, 1125)
    >>> checkout([-5])
    Traceback (most recent call last):
    ValueError: price must be >= 0, got -5
    """
    check_callable(pricing, "pricing")
    return sum(pricing(check_int(p, "price", minimum=0)) for p in prices)


# --- Template Method ---------------------------------------------------------


class Exporter(ABC):
    """Template Method: :meth:`export` fixes the steps; subclasses fill in the hooks.

    >>> rows = [("ada", 36), ("alan", 41)]
    >>> print(CsvExporter().export(["name", "age"], rows))
    name,age
    ada,36
    alan,41
    >>> print(MarkdownExporter().export(["name", "age"], rows))
    | name | age |
    |---|---|
    | ada | 36 |
    | alan | 41 |
    """

    def export(self, header: list[str], rows: list[tuple[object, ...]]) -> str:
        """Header, one line per row, optional footer; rows must match the header's width.

        Raises:
            ValueError: a row's width differs from the header's.

        Complexity: O(total cells).
        """
        lines = [self.format_row([check_str(h, "header") for h in header])]
        lines.extend(self.after_header(len(header)))
        for row in rows:
            if len(row) != len(header):
                raise ValueError(f"row has {len(row)} cells, header has {len(header)}: {row!r}")
            lines.append(self.format_row([str(c) for c in row]))
        return "\n".join(lines)

    @abstractmethod
    def format_row(self, cells: list[str]) -> str:
        """Required hook: one line for one row."""

    def after_header(self, width: int) -> list[str]:
        """Optional hook: extra lines after the header (none by default)."""
        return []


class CsvExporter(Exporter):
    """Comma-separated (no quoting: a teaching example, use ``csv`` for real files)."""

    def format_row(self, cells: list[str]) -> str:
        """Join with commas."""
        return ",".join(cells)


class MarkdownExporter(Exporter):
    """A Markdown table."""

    def format_row(self, cells: list[str]) -> str:
        """Pipe-delimited."""
        return "| " + " | ".join(cells) + " |"

    def after_header(self, width: int) -> list[str]:
        """The separator line."""
        return ["|" + "---|" * width]


# --- State -------------------------------------------------------------------


class _State(ABC):
    name: ClassVar[str]

    def open(self, conn: Connection) -> None:
        raise RuntimeError(f"cannot open a connection that is {self.name}")

    def close(self, conn: Connection) -> None:
        raise RuntimeError(f"cannot close a connection that is {self.name}")

    def send(self, conn: Connection, data: bytes) -> None:
        raise RuntimeError(f"cannot send on a connection that is {self.name}")


class _Closed(_State):
    name = "closed"

    def open(self, conn: Connection) -> None:
        conn._state = _ESTABLISHED


class _Established(_State):
    name = "established"

    def close(self, conn: Connection) -> None:
        conn._state = _CLOSED

    def send(self, conn: Connection, data: bytes) -> None:
        conn.sent.append(data)


_CLOSED = _Closed()
_ESTABLISHED = _Established()


class Connection:
    """State: the connection delegates every call to its current state object.

    GoF's own example is a ``TCPConnection``; this one has two states. Each
    state object answers only the calls legal in it, so an illegal call fails
    with the state's name instead of silently doing nothing.

    >>> c = Connection(); c.state
    'closed'
    >>> c.open(); c.send(b"hi"); c.close(); c.state, c.sent
    ('closed', [b'hi'])
    >>> c.send(b"late")
    Traceback (most recent call last):
    RuntimeError: cannot send on a connection that is closed
    """

    def __init__(self) -> None:
        self._state: _State = _CLOSED
        self.sent: list[bytes] = []

    @property
    def state(self) -> str:
        """The name of the current state."""
        return self._state.name

    def open(self) -> None:
        """Open (legal when closed)."""
        self._state.open(self)

    def close(self) -> None:
        """Close (legal when established)."""
        self._state.close(self)

    def send(self, data: bytes) -> None:
        """Send bytes (legal when established)."""
        if not isinstance(data, bytes):
            raise TypeError(f"data must be bytes, got {type(data).__name__}: {data!r}")
        self._state.send(self, data)


# --- Iterator ----------------------------------------------------------------


@dataclass
class Tree:
    """A binary tree node, to be traversed in order."""

    value: int
    left: Tree | None = None
    right: Tree | None = None


class InorderIterator:
    """Iterator, the GoF way: an object with an explicit stack and ``__next__``.

    >>> t = Tree(2, Tree(1), Tree(4, Tree(3)))
    >>> list(InorderIterator(t)), list(inorder(t)), list(InorderIterator(None))
    ([1, 2, 3, 4], [1, 2, 3, 4], [])
    """

    def __init__(self, root: Tree | None) -> None:
        if root is not None and not isinstance(root, Tree):
            raise TypeError(f"root must be a Tree or None, got {type(root).__name__}: {root!r}")
        self._stack: list[Tree] = []
        self._push_left(root)

    def _push_left(self, node: Tree | None) -> None:
        while node is not None:
            self._stack.append(node)
            node = node.left

    def __iter__(self) -> InorderIterator:
        return self

    def __next__(self) -> int:
        if not self._stack:
            raise StopIteration
        node = self._stack.pop()
        self._push_left(node.right)
        return node.value


def inorder(node: Tree | None) -> Iterator[int]:
    """Iterator, the Python way: a generator; the interpreter keeps the stack.

    Complexity: O(n) for the whole traversal, O(height) memory.
    """
    if node is not None:
        yield from inorder(node.left)
        yield node.value
        yield from inorder(node.right)


# --- Memento -----------------------------------------------------------------


@dataclass(frozen=True)
class EditorState:
    """The memento: an immutable snapshot only :class:`Editor` interprets."""

    _text: str
    _cursor: int


class Editor:
    """Memento: the originator saves and restores its own state; callers just hold snapshots.

    >>> ed = Editor(); ed.type("hello"); snap = ed.save()
    >>> ed.type(" world"); ed.text, ed.cursor
    ('hello world', 11)
    >>> ed.restore(snap); ed.text, ed.cursor
    ('hello', 5)
    >>> ed.restore("hello")
    Traceback (most recent call last):
    TypeError: memento must be an EditorState, got str: 'hello'
    """

    def __init__(self) -> None:
        self.text = ""
        self.cursor = 0

    def type(self, s: str) -> None:
        """Insert ``s`` at the cursor and move past it."""
        check_str(s, "s")
        self.text = self.text[: self.cursor] + s + self.text[self.cursor :]
        self.cursor += len(s)

    def save(self) -> EditorState:
        """Return a snapshot. Complexity: O(1) (strings are immutable, so shared)."""
        return EditorState(self.text, self.cursor)

    def restore(self, memento: EditorState) -> None:
        """Return to a snapshot taken by :meth:`save`."""
        if not isinstance(memento, EditorState):
            raise TypeError(
                f"memento must be an EditorState, got {type(memento).__name__}: {memento!r}"
            )
        self.text, self.cursor = memento._text, memento._cursor


# --- Interpreter -------------------------------------------------------------


class Expr(ABC):
    """Interpreter: one class per grammar rule, each knows how to evaluate itself."""

    @abstractmethod
    def interpret(self, env: dict[str, int]) -> int:
        """Evaluate with variables bound in ``env``."""


@dataclass(frozen=True)
class Num(Expr):
    """An integer literal."""

    value: int

    def interpret(self, env: dict[str, int]) -> int:
        """The literal itself."""
        return self.value


@dataclass(frozen=True)
class Var(Expr):
    """A variable, looked up in the environment."""

    name: str

    def interpret(self, env: dict[str, int]) -> int:
        """Look the name up; unbound names raise KeyError."""
        try:
            return env[self.name]
        except KeyError:
            raise KeyError(f"unbound variable {self.name!r}") from None


@dataclass(frozen=True)
class Add(Expr):
    """``left + right``."""

    left: Expr
    right: Expr

    def interpret(self, env: dict[str, int]) -> int:
        """Sum of both sides."""
        return self.left.interpret(env) + self.right.interpret(env)


@dataclass(frozen=True)
class Mul(Expr):
    """``left * right``."""

    left: Expr
    right: Expr

    def interpret(self, env: dict[str, int]) -> int:
        """Product of both sides."""
        return self.left.interpret(env) * self.right.interpret(env)


_TOKEN = re.compile(r"\s*(?:(\d+)|([A-Za-z_]\w*)|(.))")
MAX_SOURCE = 10_000
MAX_HEIGHT = 200


def parse(source: str) -> Expr:
    """Parse ``+``, ``*``, parentheses, integers and names into an :class:`Expr` tree.

    Grammar: ``expr := term ('+' term)*``, ``term := atom ('*' atom)*``,
    ``atom := INT | NAME | '(' expr ')'``; ``*`` binds tighter than ``+``.

    Raises:
        TypeError: ``source`` is not a str.
        ValueError: a syntax error (with the position), longer than 10,000
            characters, or a tree deeper than 200 levels (``1+1+...`` with
            more than 200 terms: each ``+`` adds a level).

    Complexity: O(len(source)).

    >>> parse("1 + 2 * 3").interpret({})
    7
    >>> parse("1 +")
    Traceback (most recent call last):
    ValueError: expected a number, a name or '(' at position 3, got end of input
    """
    check_str(source, "source", nonempty=True)
    if len(source) > MAX_SOURCE:
        raise ValueError(f"source must be at most {MAX_SOURCE} characters, got {len(source)}")
    tokens: list[tuple[str, str, int]] = []
    for m in _TOKEN.finditer(source):
        if m.group(1):
            tokens.append(("int", m.group(1), m.start(1)))
        elif m.group(2):
            tokens.append(("name", m.group(2), m.start(2)))
        elif m.group(3):
            tokens.append(("op", m.group(3), m.start(3)))
    parser = _Parser(tokens, len(source))
    tree = parser.expr()
    if parser.i != len(tokens):
        _, text, pos = tokens[parser.i]
        raise ValueError(f"unexpected {text!r} at position {pos}")
    # interpret, the Evaluator and to_infix all recurse once or twice per
    # level, and "1+1+...+1" builds a left-deep tree as tall as it is long, so
    # bound the height here rather than let evaluation hit the recursion limit.
    height = _height(tree)
    if height > MAX_HEIGHT:
        raise ValueError(f"expression tree is {height} levels deep, at most {MAX_HEIGHT} allowed")
    return tree


def _height(root: Expr) -> int:
    # Iterative, so measuring a tall tree cannot itself overflow the stack.
    best, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        best = max(best, depth)
        if isinstance(node, Add | Mul):
            stack.extend(((node.left, depth + 1), (node.right, depth + 1)))
    return best


class _Parser:
    # Recursive descent with an explicit loop per precedence level; nesting
    # depth is bounded by MAX_SOURCE / 2 parentheses, so the recursion limit is
    # checked below rather than hit.
    def __init__(self, tokens: list[tuple[str, str, int]], end: int) -> None:
        self.tokens, self.i, self.end, self.depth = tokens, 0, end, 0

    def _peek(self) -> str | None:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else None

    def expr(self) -> Expr:
        node = self.term()
        while self._peek() == "+":
            self.i += 1
            node = Add(node, self.term())
        return node

    def term(self) -> Expr:
        node = self.atom()
        while self._peek() == "*":
            self.i += 1
            node = Mul(node, self.atom())
        return node

    def atom(self) -> Expr:
        if self.i >= len(self.tokens):
            raise ValueError(
                f"expected a number, a name or '(' at position {self.end}, got end of input"
            )
        kind, text, pos = self.tokens[self.i]
        self.i += 1
        if kind == "int":
            return Num(int(text))
        if kind == "name":
            return Var(text)
        if text == "(":
            self.depth += 1
            if self.depth > 200:
                raise ValueError(f"parentheses nested deeper than 200 at position {pos}")
            node = self.expr()
            if self._peek() != ")":
                where = self.tokens[self.i][2] if self.i < len(self.tokens) else self.end
                raise ValueError(f"expected ')' at position {where}")
            self.i += 1
            self.depth -= 1
            return node
        raise ValueError(f"expected a number, a name or '(' at position {pos}, got {text!r}")


# --- Visitor -----------------------------------------------------------------


class Visitor:
    """Visitor with reflective dispatch: ``visit`` calls ``visit_<ClassName>``.

    This is how the standard library's ``ast.NodeVisitor`` dispatches, and it
    replaces GoF's ``accept`` methods (double dispatch) that a language without
    reflection needs.
    """

    def visit(self, node: Expr) -> Any:
        """Dispatch on the node's class name.

        Raises:
            TypeError: no ``visit_<ClassName>`` method for this node.
        """
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise TypeError(f"{type(self).__name__} cannot visit {type(node).__name__}: {node!r}")
        return method(node)


class Evaluator(Visitor):
    """An operation kept outside the node classes: evaluation.

    >>> Evaluator({}).visit(parse("(1 + 2) * 4"))
    12
    >>> Evaluator({}).visit("1 + 2")
    Traceback (most recent call last):
    TypeError: Evaluator cannot visit str: '1 + 2'
    """

    def __init__(self, env: dict[str, int]) -> None:
        if not isinstance(env, dict):
            raise TypeError(f"env must be a dict, got {type(env).__name__}: {env!r}")
        self.env = env

    def visit_Num(self, node: Num) -> int:
        """A literal."""
        return node.value

    def visit_Var(self, node: Var) -> int:
        """A variable."""
        return node.interpret(self.env)

    def visit_Add(self, node: Add) -> int:
        """A sum."""
        return int(self.visit(node.left)) + int(self.visit(node.right))

    def visit_Mul(self, node: Mul) -> int:
        """A product."""
        return int(self.visit(node.left)) * int(self.visit(node.right))


@functools.singledispatch
def to_infix(node: Expr) -> str:
    """The Pythonic visitor: ``functools.singledispatch`` picks by the argument's type.

    Complexity: O(nodes).

    >>> to_infix(parse("a * b + 1"))
    '((a * b) + 1)'
    >>> to_infix(3)
    Traceback (most recent call last):
    TypeError: to_infix cannot handle int: 3
    """
    raise TypeError(f"to_infix cannot handle {type(node).__name__}: {node!r}")


@to_infix.register
def _(node: Num) -> str:
    return str(node.value)


@to_infix.register
def _(node: Var) -> str:
    return node.name


@to_infix.register
def _(node: Add) -> str:
    return f"({to_infix(node.left)} + {to_infix(node.right)})"


@to_infix.register
def _(node: Mul) -> str:
    return f"({to_infix(node.left)} * {to_infix(node.right)})"
