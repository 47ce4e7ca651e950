"""Structural patterns: Adapter, Bridge, Composite, Decorator, Facade, Flyweight, Proxy.

Structural patterns compose objects into larger structures while keeping one
interface for the client: wrap an object to change its interface (Adapter),
keep its interface and add behaviour (Decorator), control access to it
(Proxy), hide a subsystem behind one door (Facade), split an abstraction from
its implementation (Bridge), treat a tree like a leaf (Composite), and share
what is identical (Flyweight).

>>> root = Directory("src", [File("a.py", 120), Directory("pkg", [File("b.py", 80)])])
>>> root.size(), [n for n, _ in root.walk()]
(200, ['src', 'src/a.py', 'src/pkg', 'src/pkg/b.py'])

Primary source: Gamma et al., *Design Patterns*, 1994, chapter 4.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from studybook._validate import check_callable, check_int, check_real, check_str

__all__ = [
    "CelsiusSensor",
    "Circle",
    "CountingStore",
    "Directory",
    "FahrenheitAdapter",
    "FahrenheitSensor",
    "File",
    "Glyph",
    "GlyphFactory",
    "KeyValueStore",
    "LazyStore",
    "LoggingStore",
    "MemoryStore",
    "Node",
    "OrderFacade",
    "Renderer",
    "Shape",
    "Square",
    "SvgRenderer",
    "TextRenderer",
]


# --- Adapter -----------------------------------------------------------------


class CelsiusSensor(Protocol):
    """The interface the client expects."""

    def celsius(self) -> float:
        """Return the temperature in degrees Celsius."""
        ...


class FahrenheitSensor:
    """An existing class with the wrong interface (a vendor's sensor)."""

    def __init__(self, fahrenheit: float) -> None:
        self._f = check_real(fahrenheit, "fahrenheit", low=-459.67)

    def read_f(self) -> float:
        """Return the reading in degrees Fahrenheit."""
        return self._f


class FahrenheitAdapter:
    """Adapter: make a :class:`FahrenheitSensor` look like a Celsius sensor.

    The target interface is
    :class:`~studybook.senior.gof_patterns.structural.CelsiusSensor`.

    >>> round(FahrenheitAdapter(FahrenheitSensor(212.0)).celsius(), 6)
    100.0
    >>> FahrenheitSensor(float("nan"))
    Traceback (most recent call last):
    ValueError: fahrenheit must be a finite number >= -459.67, got nan
    """

    def __init__(self, adaptee: FahrenheitSensor) -> None:
        if not isinstance(adaptee, FahrenheitSensor):
            raise TypeError(
                f"adaptee must be a FahrenheitSensor, got {type(adaptee).__name__}: {adaptee!r}"
            )
        self._adaptee = adaptee

    def celsius(self) -> float:
        """Convert the adaptee's reading.

        Complexity: O(1).
        """
        return (self._adaptee.read_f() - 32.0) * 5.0 / 9.0


# --- Bridge ------------------------------------------------------------------


class Renderer(ABC):
    """The implementation side of the bridge: how to draw primitives."""

    @abstractmethod
    def circle(self, r: float) -> str:
        """Draw a circle of radius ``r``."""

    @abstractmethod
    def square(self, side: float) -> str:
        """Draw a square with side ``side``."""


class SvgRenderer(Renderer):
    """Draw as SVG elements."""

    def circle(self, r: float) -> str:
        """An SVG circle."""
        return f'<circle r="{r:g}"/>'

    def square(self, side: float) -> str:
        """An SVG rect."""
        return f'<rect width="{side:g}" height="{side:g}"/>'


class TextRenderer(Renderer):
    """Draw as plain text."""

    def circle(self, r: float) -> str:
        """A textual circle."""
        return f"circle(r={r:g})"

    def square(self, side: float) -> str:
        """A textual square."""
        return f"square({side:g})"


class Shape(ABC):
    """The abstraction side of the bridge: holds a :class:`Renderer`.

    Shapes and renderers vary independently: m shapes and n renderers need
    m + n classes, not m * n.

    >>> [s.draw() for s in (Circle(TextRenderer(), 2), Square(SvgRenderer(), 3))]
    ['circle(r=2)', '<rect width="3" height="3"/>']
    >>> Circle(TextRenderer(), 2).scale(1.5).draw()
    'circle(r=3)'
    """

    def __init__(self, renderer: Renderer, size: float) -> None:
        if not isinstance(renderer, Renderer):
            raise TypeError(
                f"renderer must be a Renderer, got {type(renderer).__name__}: {renderer!r}"
            )
        self.renderer = renderer
        self.size = check_real(size, "size", positive=True)

    @abstractmethod
    def draw(self) -> str:
        """Draw through the renderer."""

    def scale(self, factor: float) -> Shape:
        """Return a copy scaled by ``factor`` (positive, finite), same renderer.

        Complexity: O(1).
        """
        return type(self)(self.renderer, self.size * check_real(factor, "factor", positive=True))


class Circle(Shape):
    """A circle; ``size`` is the radius."""

    def draw(self) -> str:
        """Draw through the renderer."""
        return self.renderer.circle(self.size)


class Square(Shape):
    """A square; ``size`` is the side."""

    def draw(self) -> str:
        """Draw through the renderer."""
        return self.renderer.square(self.size)


# --- Composite ---------------------------------------------------------------


class Node(ABC):
    """Composite: leaves and containers share one interface."""

    def __init__(self, name: str) -> None:
        self.name = check_str(name, "name", nonempty=True)

    @abstractmethod
    def size(self) -> int:
        """Total size in bytes."""

    def walk(self, prefix: str = "") -> Iterator[tuple[str, Node]]:
        """Yield ``(path, node)`` for this node and, for a directory, everything below it.

        Complexity: O(nodes) in total.
        """
        yield prefix + self.name, self


class File(Node):
    """A leaf."""

    def __init__(self, name: str, nbytes: int) -> None:
        super().__init__(name)
        self.nbytes = check_int(nbytes, "nbytes", minimum=0)

    def size(self) -> int:
        """Its own size."""
        return self.nbytes


class Directory(Node):
    """A composite: its size is the sum of its children's.

    >>> Directory("empty").size()
    0
    >>> Directory("d", [File("x", -1)])
    Traceback (most recent call last):
    ValueError: nbytes must be >= 0, got -1
    """

    def __init__(self, name: str, children: list[Node] | None = None) -> None:
        super().__init__(name)
        self.children: list[Node] = []
        for child in children or []:
            self.add(child)

    def add(self, child: Node) -> None:
        """Add a child; refuses non-nodes and cycles.

        Complexity: O(nodes below ``child``) for the cycle check.
        """
        if not isinstance(child, Node):
            raise TypeError(f"child must be a Node, got {type(child).__name__}: {child!r}")
        if any(node is self for _, node in child.walk()):
            raise ValueError(f"adding {child.name!r} to {self.name!r} would make a cycle")
        self.children.append(child)

    def size(self) -> int:
        """Sum over the children, recursively.

        Complexity: O(nodes below).
        """
        return sum(c.size() for c in self.children)

    def walk(self, prefix: str = "") -> Iterator[tuple[str, Node]]:
        """Pre-order walk: the directory, then each child's subtree."""
        yield prefix + self.name, self
        for child in self.children:
            yield from child.walk(prefix + self.name + "/")


# --- Decorator and Proxy (one interface, three wrappers) ---------------------


class KeyValueStore(Protocol):
    """The component interface the decorators and the proxy all implement."""

    def get(self, key: str) -> str | None:
        """Return the value, or None when absent."""
        ...

    def put(self, key: str, value: str) -> None:
        """Store a value."""
        ...


class MemoryStore:
    """The concrete component: a dict behind the store interface."""

    def __init__(self) -> None:
        self._data: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        """Return the value, or None when absent."""
        return self._data.get(check_str(key, "key"))

    def put(self, key: str, value: str) -> None:
        """Store a value."""
        self._data[check_str(key, "key")] = check_str(value, "value")


def _check_store(inner: object) -> None:
    if not (callable(getattr(inner, "get", None)) and callable(getattr(inner, "put", None))):
        raise TypeError(
            f"inner must have get and put methods, got {type(inner).__name__}: {inner!r}"
        )


class LoggingStore:
    """Decorator: same interface, adds a log line per call; stacks with others.

    >>> log: list[str] = []
    >>> s = LoggingStore(CountingStore(MemoryStore()), log.append)
    >>> s.put("k", "v"); s.get("k"), s.get("nope"), log
    ('v', None, ['put k', 'get k', 'get nope'])
    """

    def __init__(self, inner: KeyValueStore, sink: Callable[[str], object]) -> None:
        _check_store(inner)
        check_callable(sink, "sink")
        self._inner = inner
        self._sink = sink

    def get(self, key: str) -> str | None:
        """Log, then delegate."""
        self._sink(f"get {key}")
        return self._inner.get(key)

    def put(self, key: str, value: str) -> None:
        """Log, then delegate."""
        self._sink(f"put {key}")
        self._inner.put(key, value)


class CountingStore:
    """Decorator: counts hits and misses of the wrapped store.

    >>> s = CountingStore(MemoryStore()); s.put("a", "1")
    >>> s.get("a"), s.get("b"), (s.hits, s.misses)
    ('1', None, (1, 1))
    """

    def __init__(self, inner: KeyValueStore) -> None:
        _check_store(inner)
        self._inner = inner
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> str | None:
        """Delegate and count."""
        value = self._inner.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, value: str) -> None:
        """Delegate."""
        self._inner.put(key, value)


class LazyStore:
    """Virtual proxy: builds the real store on first use, and refuses writes if read-only.

    A proxy has the same interface as its subject and *controls access* to it
    (when it exists, who may call); a decorator adds behaviour. The code looks
    alike; the intent differs.

    >>> made: list[str] = []
    >>> def make() -> MemoryStore:
    ...     made.append("built"); return MemoryStore()
    >>> p = LazyStore(make)
    >>> len(made), p.get("x"), len(made)
    (0, None, 1)
    >>> LazyStore(make, read_only=True).put("k", "v")
    Traceback (most recent call last):
    PermissionError: store is read-only, refused put 'k'
    """

    def __init__(self, factory: Callable[[], KeyValueStore], *, read_only: bool = False) -> None:
        check_callable(factory, "factory")
        self._factory = factory
        self._subject: KeyValueStore | None = None
        self._read_only = read_only

    def _real(self) -> KeyValueStore:
        if self._subject is None:
            self._subject = self._factory()
        return self._subject

    def get(self, key: str) -> str | None:
        """Delegate to the real store, building it first if needed."""
        return self._real().get(key)

    def put(self, key: str, value: str) -> None:
        """Delegate, unless read-only."""
        if self._read_only:
            raise PermissionError(f"store is read-only, refused put {key!r}")
        self._real().put(key, value)


# --- Facade ------------------------------------------------------------------


class _Inventory:
    def __init__(self, stock: dict[str, int]) -> None:
        self.stock = dict(stock)

    def reserve(self, sku: str, qty: int) -> None:
        if self.stock.get(sku, 0) < qty:
            raise ValueError(
                f"not enough {sku!r} in stock: want {qty}, have {self.stock.get(sku, 0)}"
            )
        self.stock[sku] -= qty

    def release(self, sku: str, qty: int) -> None:
        self.stock[sku] += qty


class _Payments:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.charged: list[int] = []

    def charge(self, cents: int) -> None:
        if cents > self.limit:
            raise ValueError(f"card declined for {cents} cents (limit {self.limit})")
        self.charged.append(cents)


class OrderFacade:
    """Facade: one call, ``place_order``, over inventory, payments and shipping.

    The facade also owns the order of the steps and the compensation when one
    fails (release the stock if the card is declined), which every caller would
    otherwise have to get right.

    >>> shop = OrderFacade({"book": 2}, prices={"book": 1500}, card_limit=2000)
    >>> shop.place_order("book", 1)
    'shipped 1 x book for 1500 cents'
    >>> shop.place_order("book", 2)
    Traceback (most recent call last):
    ValueError: not enough 'book' in stock: want 2, have 1
    >>> shop.place_order("book", 1), shop.stock("book")
    ('shipped 1 x book for 1500 cents', 0)
    """

    def __init__(self, stock: dict[str, int], *, prices: dict[str, int], card_limit: int) -> None:
        for sku, qty in stock.items():
            check_int(qty, f"stock of {sku!r}", minimum=0)
        for sku, cents in prices.items():
            check_int(cents, f"price of {sku!r}", minimum=0)
        self._inventory = _Inventory(stock)
        self._payments = _Payments(check_int(card_limit, "card_limit", minimum=0))
        self._prices = dict(prices)
        self.shipments: list[tuple[str, int]] = []

    def stock(self, sku: str) -> int:
        """Units of ``sku`` left."""
        return self._inventory.stock.get(sku, 0)

    def place_order(self, sku: str, qty: int) -> str:
        """Reserve, charge (releasing the stock if that fails), ship.

        Raises:
            KeyError: unknown ``sku``.
            ValueError: ``qty`` < 1, not enough stock, or the card is declined.

        Complexity: O(1).
        """
        check_int(qty, "qty", minimum=1)
        if sku not in self._prices:
            raise KeyError(f"unknown sku {sku!r}")
        cents = self._prices[sku] * qty
        self._inventory.reserve(sku, qty)
        try:
            self._payments.charge(cents)
        except ValueError:
            self._inventory.release(sku, qty)
            raise
        self.shipments.append((sku, qty))
        return f"shipped {qty} x {sku} for {cents} cents"


# --- Flyweight ---------------------------------------------------------------


@dataclass(frozen=True)
class Glyph:
    """The flyweight: intrinsic, immutable, shared state of a character."""

    char: str
    font: str


class GlyphFactory:
    """Flyweight factory: one shared glyph per (char, font), however many uses.

    Each is a :class:`~studybook.senior.gof_patterns.structural.Glyph`.

    The extrinsic state (the position) stays with the caller.

    >>> f = GlyphFactory()
    >>> text = [(f.glyph(c, "serif"), x) for x, c in enumerate("banana")]
    >>> len(text), f.created, text[1][0] is text[3][0]
    (6, 3, True)
    >>> f.glyph("ab", "serif")
    Traceback (most recent call last):
    ValueError: char must be one character, got 'ab'
    """

    def __init__(self) -> None:
        self._pool: dict[tuple[str, str], Glyph] = {}

    @property
    def created(self) -> int:
        """Number of distinct glyph objects made so far."""
        return len(self._pool)

    def glyph(self, char: str, font: str) -> Glyph:
        """Return the shared glyph for ``(char, font)``.

        Complexity: O(1) expected.
        """
        if len(check_str(char, "char")) != 1:
            raise ValueError(f"char must be one character, got {char!r}")
        key = (char, check_str(font, "font", nonempty=True))
        if key not in self._pool:
            self._pool[key] = Glyph(char, font)
        return self._pool[key]
