"""The 23 patterns as data, each tied to a real use that a test resolves by import.

:data:`~studybook.senior.gof_patterns.in_the_wild.CATALOG` lists every pattern
with its category, its intent in one line,
an object in the Python standard library that has the pattern's shape (a
dotted name that :func:`resolve` imports, so a rename in a future Python fails
the tests instead of leaving the book wrong), a use in another well-known
codebase, the Pythonic alternative, and this package's implementation.

>>> len(CATALOG), [sum(p.category == c for p in CATALOG) for c in CATEGORIES]
(23, [5, 7, 11])
>>> pattern("visitor").stdlib
'ast.NodeVisitor'
>>> resolve("random.Random.getstate").__qualname__
'Random.getstate'
>>> pattern("Monostate")
Traceback (most recent call last):
KeyError: "no GoF pattern named 'Monostate'"

The shapes themselves, shown on the standard library:

>>> import copy, io, random, types, sys, logging, xml.etree.ElementTree as ET
>>> tb = ET.TreeBuilder(); _ = tb.start("p", {}); tb.data("hi"); _ = tb.end("p")
>>> ET.tostring(tb.close())  # Builder: start/data/end, then the product
b'<p>hi</p>'
>>> r = random.Random(7); saved = r.getstate(); first = r.random()
>>> r.setstate(saved); r.random() == first  # Memento
True
>>> type(random.random.__self__).__name__  # module-level instance, not a Singleton class
'Random'
>>> ro = types.MappingProxyType({"a": 1}); ro["a"]  # protection proxy
1
>>> ro["a"] = 2
Traceback (most recent call last):
TypeError: 'mappingproxy' object does not support item assignment
>>> io.TextIOWrapper(io.BytesIO("é\\n".encode()), encoding="utf-8").readline()  # Adapter
'é\\n'
>>> sys.intern("fly" + "weight".lower()) is sys.intern("flyweight")  # Flyweight
True
>>> manager = logging.Manager(logging.RootLogger(logging.WARNING))  # a fresh logger tree
>>> child = manager.getLogger("shop.orders"); child.parent is manager.root
True
>>> parent = manager.getLogger("shop"); child.parent is parent  # re-linked by the Manager
True
"""

from __future__ import annotations

import importlib
from typing import Literal, NamedTuple

from studybook._validate import check_str

__all__ = ["CATALOG", "CATEGORIES", "Category", "PatternInfo", "pattern", "resolve"]

Category = Literal["creational", "structural", "behavioral"]
CATEGORIES: tuple[Category, ...] = ("creational", "structural", "behavioral")


class PatternInfo(NamedTuple):
    """One row of the catalog."""

    name: str
    category: Category
    intent: str
    stdlib: str
    elsewhere: str
    pythonic: str
    implementation: str


_GOF = "studybook.senior.gof_patterns."

#: The 23 patterns, creational first, then structural, then behavioral.
CATALOG: tuple[PatternInfo, ...] = (
    PatternInfo(
        "Abstract Factory",
        "creational",
        "create families of related objects without naming their concrete classes",
        "xml.dom.minidom.Document.createElement",
        "the W3C DOM's Document and DOMImplementation; "
        "JDK javax.xml.parsers.DocumentBuilderFactory",
        "pass a module or a dict of constructors",
        _GOF + "creational.DocumentFactory",
    ),
    PatternInfo(
        "Builder",
        "creational",
        "separate the step-by-step construction of a complex object from its representation",
        "xml.etree.ElementTree.TreeBuilder",
        "SQLAlchemy select().where().order_by(); JDK java.net.http.HttpRequest.Builder",
        "keyword arguments with defaults, dataclasses.replace",
        _GOF + "creational.QueryBuilder",
    ),
    PatternInfo(
        "Factory Method",
        "creational",
        "let subclasses decide which class a base-class algorithm instantiates",
        "http.client.HTTPConnection.response_class",
        "Django FormMixin.get_form_class and get_form",
        "pass the class (or any callable) as an argument; alternative constructors as classmethods",
        _GOF + "creational.Dialog",
    ),
    PatternInfo(
        "Prototype",
        "creational",
        "create objects by copying a configured instance",
        "copy.deepcopy",
        "JavaScript's prototype chain; JDK Object.clone",
        "copy.copy / copy.deepcopy, dataclasses.replace",
        _GOF + "creational.Prototype",
    ),
    PatternInfo(
        "Singleton",
        "creational",
        "ensure a class has one instance and a global point of access to it",
        "random.random",
        "None, NotImplemented and Ellipsis; logging's root logger",
        "a module-level instance; Borg (shared state) if you must",
        _GOF + "creational.SingletonMeta",
    ),
    PatternInfo(
        "Adapter",
        "structural",
        "convert an interface into the one a client expects",
        "io.TextIOWrapper",
        "JDK java.io.InputStreamReader (bytes to chars); JDK java.util.Arrays.asList",
        "a small wrapper function or a class with __getattr__",
        _GOF + "structural.FahrenheitAdapter",
    ),
    PatternInfo(
        "Bridge",
        "structural",
        "decouple an abstraction from its implementation so both can vary",
        "logging.Handler.setFormatter",
        "SQLAlchemy Engine over a Dialect; JDBC's DriverManager over drivers",
        "composition with a Protocol-typed attribute",
        _GOF + "structural.Shape",
    ),
    PatternInfo(
        "Composite",
        "structural",
        "treat single objects and trees of objects uniformly",
        "xml.etree.ElementTree.Element.iter",
        "Django's Q objects combined with & and |; Java AWT Container",
        "recursive data with one shared method, or a generator walk",
        _GOF + "structural.Directory",
    ),
    PatternInfo(
        "Decorator",
        "structural",
        "attach responsibilities to an object dynamically, keeping its interface",
        "io.BufferedReader",
        "JDK java.io.BufferedInputStream; WSGI middleware",
        "a wrapper class; for functions, the @decorator syntax with functools.wraps",
        _GOF + "structural.LoggingStore",
    ),
    PatternInfo(
        "Facade",
        "structural",
        "give a subsystem one simple entry point",
        "subprocess.run",
        "requests.get over urllib3; Django's django.shortcuts.render",
        "a module of plain functions",
        _GOF + "structural.OrderFacade",
    ),
    PatternInfo(
        "Flyweight",
        "structural",
        "share fine-grained immutable objects instead of duplicating them",
        "sys.intern",
        "JDK Integer.valueOf's cache of -128 to 127",
        "functools.lru_cache on a constructor; __slots__ for the unshared part",
        _GOF + "structural.GlyphFactory",
    ),
    PatternInfo(
        "Proxy",
        "structural",
        "stand in for another object to control access to it",
        "types.MappingProxyType",
        "Django SimpleLazyObject (request.user); weakref.proxy; SQLAlchemy lazy loading",
        "__getattr__ delegation; functools.cached_property for laziness",
        _GOF + "structural.LazyStore",
    ),
    PatternInfo(
        "Chain of Responsibility",
        "behavioral",
        "pass a request along a chain until one handler deals with it",
        "logging.Logger.callHandlers",
        "Django's authenticate() over AUTHENTICATION_BACKENDS; Java servlet FilterChain",
        "a list of functions, first non-None answer wins",
        _GOF + "behavioral_requests.Approver",
    ),
    PatternInfo(
        "Command",
        "behavioral",
        "encapsulate a request as an object, to queue, log or undo it",
        "concurrent.futures.Executor.submit",
        "IDLE's idlelib.undo (InsertCommand, DeleteCommand); JDK Runnable",
        "a function, a closure or functools.partial",
        _GOF + "behavioral_requests.History",
    ),
    PatternInfo(
        "Interpreter",
        "behavioral",
        "represent a grammar as classes and evaluate sentences by walking them",
        "ast.literal_eval",
        "OpenJDK java.util.regex.Pattern: a tree of internal Node subclasses, each with match()",
        "parse to tuples and evaluate with match statements",
        _GOF + "behavioral_algorithms.Expr",
    ),
    PatternInfo(
        "Iterator",
        "behavioral",
        "traverse a collection without exposing its representation",
        "collections.abc.Iterator",
        "JDK java.util.Iterator",
        "generators and the iterator protocol",
        _GOF + "behavioral_algorithms.InorderIterator",
    ),
    PatternInfo(
        "Mediator",
        "behavioral",
        "centralise how a set of objects interact so they do not refer to each other",
        "logging.Manager.getLogger",
        "Java Swing's javax.swing.ButtonGroup; GoF's own DialogDirector",
        "an event bus or a queue between the parties",
        _GOF + "behavioral_requests.ChatRoom",
    ),
    PatternInfo(
        "Memento",
        "behavioral",
        "capture an object's state so it can be restored, without exposing it",
        "random.Random.getstate",
        "pickle's __getstate__ / __setstate__; editors' undo snapshots",
        "an immutable snapshot (frozen dataclass) or copy.deepcopy",
        _GOF + "behavioral_algorithms.Editor",
    ),
    PatternInfo(
        "Observer",
        "behavioral",
        "notify dependents automatically when an object changes",
        "concurrent.futures.Future.add_done_callback",
        "Django signals (post_save); JDK java.beans.PropertyChangeSupport",
        "a list of callbacks; weakref.WeakMethod to avoid leaks",
        _GOF + "behavioral_requests.Subject",
    ),
    PatternInfo(
        "State",
        "behavioral",
        "let an object change its behaviour when its internal state changes",
        "http.client.HTTPConnection.putrequest",
        "GoF's own TCPConnection; the TCP state machine of RFC 9293",
        "a transition table (dict) or an Enum with a match statement",
        _GOF + "behavioral_algorithms.Connection",
    ),
    PatternInfo(
        "Strategy",
        "behavioral",
        "make a family of algorithms interchangeable behind one interface",
        "builtins.sorted",
        "JDK java.util.Comparator; Django's PASSWORD_HASHERS",
        "pass a function (key=, default=)",
        _GOF + "behavioral_algorithms.checkout",
    ),
    PatternInfo(
        "Template Method",
        "behavioral",
        "fix an algorithm's skeleton in a base class, let subclasses fill in steps",
        "socketserver.BaseRequestHandler",
        "unittest.TestCase.run (setUp, test, tearDown); "
        "Django BaseCommand.execute calling handle(); JDK AbstractList",
        "a higher-order function taking the steps as arguments",
        _GOF + "behavioral_algorithms.Exporter",
    ),
    PatternInfo(
        "Visitor",
        "behavioral",
        "add operations to a class hierarchy without changing its classes",
        "ast.NodeVisitor",
        "SQLAlchemy's SQL compiler (visit_<name> methods); javax.lang.model ElementVisitor",
        "functools.singledispatch, or match on the node type",
        _GOF + "behavioral_algorithms.to_infix",
    ),
)


def pattern(name: str) -> PatternInfo:
    """Look a pattern up by name, ignoring case.

    Raises:
        KeyError: not one of the 23.

    Complexity: O(23).

    >>> pattern("chain of responsibility").category
    'behavioral'
    """
    check_str(name, "name")
    for info in CATALOG:
        if info.name.lower() == name.lower():
            return info
    raise KeyError(f"no GoF pattern named {name!r}")


def resolve(dotted: str) -> object:
    """Import the longest importable module prefix of ``dotted`` and fetch the rest as attributes.

    Raises:
        ValueError: empty, or no prefix is an importable module.
        AttributeError: the module exists but the attribute path does not.

    Complexity: one import plus O(parts).

    >>> resolve("xml.etree.ElementTree.TreeBuilder").__name__
    'TreeBuilder'
    >>> resolve("xml.etree.ElementTree.NoSuchThing")
    Traceback (most recent call last):
    AttributeError: module 'xml.etree.ElementTree' has no attribute 'NoSuchThing'
    """
    parts = check_str(dotted, "dotted", nonempty=True).split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ValueError(f"no importable module in {dotted!r}")
