"""Creational patterns: Abstract Factory, Builder, Factory Method, Prototype, Singleton.

Creational patterns decide *who* chooses the concrete class of a new object and
*when* it is built, so the code that uses an object does not name its class.
Each class below is the smallest honest version of the pattern, on one running
example (documents rendered as HTML or Markdown), next to the Pythonic
alternative the chapter recommends.

>>> render_document(HtmlFactory(), "Title", ["a", "b"])
'<h1>Title</h1><ul><li>a</li><li>b</li></ul>'
>>> render_document(MarkdownFactory(), "Title", ["a", "b"])
'# Title\\n- a\\n- b'

Primary source: E. Gamma, R. Helm, R. Johnson, J. Vlissides, *Design Patterns*,
Addison-Wesley, 1994, chapter 3.
"""

from __future__ import annotations

import copy
import html
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from studybook._validate import check_int, check_str

__all__ = [
    "Borg",
    "Dialog",
    "DocumentFactory",
    "Heading",
    "HtmlDialog",
    "HtmlFactory",
    "ListBlock",
    "MarkdownDialog",
    "MarkdownFactory",
    "Prototype",
    "PrototypeRegistry",
    "Query",
    "QueryBuilder",
    "SingletonMeta",
    "render_document",
]


# --- Abstract Factory -------------------------------------------------------


class Heading(ABC):
    """A product of the family: a heading in some markup."""

    def __init__(self, text: str) -> None:
        self.text = check_str(text, "text")

    @abstractmethod
    def render(self) -> str:
        """Return the heading in its markup."""


class ListBlock(ABC):
    """A product of the family: a bulleted list in some markup."""

    def __init__(self, items: list[str]) -> None:
        if not isinstance(items, list):
            raise TypeError(f"items must be a list of str, got {type(items).__name__}: {items!r}")
        self.items = [check_str(i, "item") for i in items]

    @abstractmethod
    def render(self) -> str:
        """Return the list in its markup."""


class DocumentFactory(ABC):
    """Abstract Factory: one object that makes every product of one family.

    Client code receives a factory and never names ``HtmlHeading`` or
    ``MarkdownList``, so it cannot mix an HTML heading with a Markdown list.
    How the family joins two blocks (``separator``) belongs to the family
    too, so the client never asks which concrete factory it holds.
    """

    separator: ClassVar[str] = "\n"

    @abstractmethod
    def heading(self, text: str) -> Heading:
        """Make a heading of this family."""

    @abstractmethod
    def bullet_list(self, items: list[str]) -> ListBlock:
        """Make a list of this family."""


class _HtmlHeading(Heading):
    def render(self) -> str:
        return f"<h1>{html.escape(self.text)}</h1>"


class _HtmlList(ListBlock):
    def render(self) -> str:
        return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in self.items) + "</ul>"


class _MarkdownHeading(Heading):
    def render(self) -> str:
        return f"# {self.text}"


class _MarkdownList(ListBlock):
    def render(self) -> str:
        return "\n".join(f"- {i}" for i in self.items)


class HtmlFactory(DocumentFactory):
    """The HTML family (text is escaped, so ``<`` and ``&`` stay text)."""

    separator: ClassVar[str] = ""

    def heading(self, text: str) -> Heading:
        """Make an HTML heading."""
        return _HtmlHeading(text)

    def bullet_list(self, items: list[str]) -> ListBlock:
        """Make an HTML list."""
        return _HtmlList(items)


class MarkdownFactory(DocumentFactory):
    """The Markdown family."""

    def heading(self, text: str) -> Heading:
        """Make a Markdown heading."""
        return _MarkdownHeading(text)

    def bullet_list(self, items: list[str]) -> ListBlock:
        """Make a Markdown list."""
        return _MarkdownList(items)


def render_document(factory: DocumentFactory, title: str, items: list[str]) -> str:
    """Render a titled list with whatever family ``factory`` makes.

    Args:
        factory: the family to build with.
        title: the heading text.
        items: the list entries.

    Returns:
        The heading and the list, joined as that markup joins blocks.

    Raises:
        TypeError: ``factory`` is not a :class:`DocumentFactory`, or a text is not a str.

    Complexity: O(total length of the text).

    >>> render_document(MarkdownFactory(), "Empty", [])
    '# Empty\\n'
    >>> render_document(HtmlFactory(), "<b>", ["a & b"])
    '<h1>&lt;b&gt;</h1><ul><li>a &amp; b</li></ul>'
    >>> render_document("html", "T", [])
    Traceback (most recent call last):
    TypeError: factory must be a DocumentFactory, got str: 'html'
    """
    if not isinstance(factory, DocumentFactory):
        raise TypeError(
            f"factory must be a DocumentFactory, got {type(factory).__name__}: {factory!r}"
        )
    return factory.heading(title).render() + factory.separator + factory.bullet_list(items).render()


# --- Builder -----------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """The product the builder assembles: an immutable, parameterised SQL query."""

    sql: str
    params: tuple[object, ...]


_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _ident(name: object, what: str) -> str:
    text = check_str(name, what, nonempty=True)
    if not set(text) <= _IDENT_CHARS or text[0].isdigit():
        raise ValueError(f"{what} must be a plain SQL identifier, got {text!r}")
    return text


@dataclass
class QueryBuilder:
    """Builder: assemble a :class:`Query` step by step, validate once in :meth:`build`.

    Values never enter the SQL text: they become ``?`` placeholders, so the
    builder cannot produce an injection.

    >>> q = QueryBuilder("book").where("author", "Knuth").order_by("year").limit(2).build()
    >>> q.sql, q.params
    ('SELECT * FROM book WHERE author = ? ORDER BY year LIMIT 2', ('Knuth',))
    >>> QueryBuilder("book; DROP TABLE book")
    Traceback (most recent call last):
    ValueError: table must be a plain SQL identifier, got 'book; DROP TABLE book'
    """

    table: str
    _columns: list[str] = field(default_factory=list)
    _where: list[tuple[str, object]] = field(default_factory=list)
    _order: list[str] = field(default_factory=list)
    _limit: int | None = None

    def __post_init__(self) -> None:
        self.table = _ident(self.table, "table")

    def select(self, *columns: str) -> QueryBuilder:
        """Choose the columns (default ``*``); returns the builder for chaining.

        Complexity: O(number of columns).
        """
        self._columns.extend(_ident(c, "column") for c in columns)
        return self

    def where(self, column: str, value: object) -> QueryBuilder:
        """Add an equality condition, ANDed with the others.

        Complexity: O(1).
        """
        self._where.append((_ident(column, "column"), value))
        return self

    def order_by(self, column: str) -> QueryBuilder:
        """Add a sort key.

        Complexity: O(1).
        """
        self._order.append(_ident(column, "column"))
        return self

    def limit(self, n: int) -> QueryBuilder:
        """Cap the number of rows (at least 1).

        Complexity: O(1).
        """
        self._limit = check_int(n, "limit", minimum=1)
        return self

    def build(self) -> Query:
        """Return the finished, immutable query.

        Complexity: O(number of parts).
        """
        # Every identifier passed _ident (letters, digits, underscore) and every
        # value is a ? placeholder, so this string holds no user-supplied text.
        sql = f"SELECT {', '.join(self._columns) or '*'} FROM {self.table}"  # noqa: S608
        if self._where:
            sql += " WHERE " + " AND ".join(f"{c} = ?" for c, _ in self._where)
        if self._order:
            sql += " ORDER BY " + ", ".join(self._order)
        if self._limit is not None:
            sql += f" LIMIT {self._limit}"
        return Query(sql, tuple(v for _, v in self._where))


# --- Factory Method ----------------------------------------------------------


class Dialog(ABC):
    """Factory Method: :meth:`render` is fixed; subclasses override :meth:`make_button`.

    >>> HtmlDialog().render("OK")
    '<dialog><button>OK</button></dialog>'
    >>> MarkdownDialog().render("OK")
    '> [OK]'
    """

    @abstractmethod
    def make_button(self, label: str) -> str:
        """The factory method: create the product this dialog uses."""

    @abstractmethod
    def wrap(self, inner: str) -> str:
        """Wrap the rendered button in the dialog's frame."""

    def render(self, label: str) -> str:
        """Render a dialog with one button; the subclass decides what a button is.

        Raises:
            TypeError: ``label`` is not a str.

        Complexity: O(len(label)).
        """
        return self.wrap(self.make_button(check_str(label, "label", nonempty=True)))


class HtmlDialog(Dialog):
    """A dialog whose buttons are HTML elements."""

    def make_button(self, label: str) -> str:
        """Create an HTML button."""
        return f"<button>{label}</button>"

    def wrap(self, inner: str) -> str:
        """Wrap in a ``<dialog>`` element."""
        return f"<dialog>{inner}</dialog>"


class MarkdownDialog(Dialog):
    """A dialog whose buttons are bracketed text in a quote."""

    def make_button(self, label: str) -> str:
        """Create a bracketed label."""
        return f"[{label}]"

    def wrap(self, inner: str) -> str:
        """Quote the line."""
        return f"> {inner}"


# --- Prototype ---------------------------------------------------------------

P = TypeVar("P", bound="Prototype")


@dataclass
class Prototype:
    """Prototype: a configured object that new objects are deep-copied from.

    >>> base = Prototype("report", {"font": "serif"}, ["header"])
    >>> clone = base.clone(name="q3")
    >>> clone.sections.append("chart")
    >>> base.sections, clone.sections, clone.style
    (['header'], ['header', 'chart'], {'font': 'serif'})
    """

    name: str
    style: dict[str, str] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)

    def clone(self: P, **changes: Any) -> P:
        """Return a deep copy, with the given attributes replaced.

        A deep copy, because a shallow one shares ``sections`` with the original
        and the first ``append`` on the clone changes both.

        Raises:
            AttributeError: a change names a field that does not exist.

        Complexity: O(size of the object graph).
        """
        new = copy.deepcopy(self)
        for key, value in changes.items():
            if key not in self.__dataclass_fields__:
                raise AttributeError(f"{type(self).__name__} has no field {key!r}")
            setattr(new, key, value)
        return new


class PrototypeRegistry:
    """A registry of named prototypes, cloned on request (GoF's prototype manager).

    >>> reg = PrototypeRegistry()
    >>> reg.register("memo", Prototype("memo", {"font": "mono"}))
    >>> reg.create("memo").style
    {'font': 'mono'}
    >>> reg.create("letter")
    Traceback (most recent call last):
    KeyError: "no prototype named 'letter'"
    """

    def __init__(self) -> None:
        self._protos: dict[str, Prototype] = {}

    def register(self, name: str, proto: Prototype) -> None:
        """Store ``proto`` under ``name`` (replacing any earlier one).

        Complexity: O(1).
        """
        if not isinstance(proto, Prototype):
            raise TypeError(f"proto must be a Prototype, got {type(proto).__name__}: {proto!r}")
        self._protos[check_str(name, "name", nonempty=True)] = proto

    def create(self, name: str) -> Prototype:
        """Return a fresh clone of the prototype named ``name``.

        Complexity: O(size of the prototype).
        """
        try:
            return self._protos[name].clone()
        except KeyError:
            raise KeyError(f"no prototype named {name!r}") from None


# --- Singleton ---------------------------------------------------------------


class SingletonMeta(type):
    """Singleton as a metaclass: the first call builds the instance, later calls return it.

    Shown because interviewers ask for it; the Pythonic alternative is a
    module-level instance (a module is imported once and cached in
    ``sys.modules``). Thread-safe: without the lock, threads racing through
    the first call each build an instance (the tests start eight at once).
    Double-checked: the lock is taken only while no instance exists yet; it
    is re-entrant, so one singleton's ``__init__`` may create another.

    >>> class Config(metaclass=SingletonMeta):
    ...     def __init__(self) -> None:
    ...         self.values: dict[str, str] = {}
    >>> Config() is Config()
    True
    """

    _instances: ClassVar[dict[type, object]] = {}
    _lock: ClassVar[threading.RLock] = threading.RLock()

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls not in SingletonMeta._instances:
            with SingletonMeta._lock:
                if cls not in SingletonMeta._instances:
                    SingletonMeta._instances[cls] = super().__call__(*args, **kwargs)
        return SingletonMeta._instances[cls]


class Borg:
    """Borg (Alex Martelli's "monostate"): many instances, one shared state.

    >>> a, b = Borg(), Borg()
    >>> a.mode = "debug"
    >>> a is b, b.mode
    (False, 'debug')
    """

    _shared: ClassVar[dict[str, Any]] = {}

    def __init__(self) -> None:
        self.__dict__ = Borg._shared
