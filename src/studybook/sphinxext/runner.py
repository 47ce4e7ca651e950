"""Run buttons on the HTML book's doctest examples, executed by Pyodide in the page.

The pinned Pyodide and the book's wheel are served with the HTML
(:mod:`studybook.sphinxext.pyodide`); nothing of them loads until a reader
presses Run (``docs/_static/studybook-runner.mjs`` starts them on the first
press).

Every doctest example of a page (``{doctest}`` blocks, bare ``>>>`` blocks
and autodoc docstring examples) is described in a JSON island
(``<script type="application/json" id="sb-examples">``): each doctest
group's ``{testsetup}`` code once, in the order Sphinx's doctest builder
runs it, and per example its groups, its source, the option flags the build
runs it with and, if it cannot run in the page, why. The page hands the
island to :mod:`studybook._browser` inside Pyodide, which runs an example as
the builder does: the group's setup, the group's earlier examples in page
order, then the example through :mod:`doctest`; it shows pass or fail.

An example that needs what a browser tab lacks gets the note "Runs only on
your machine" with the reason instead of a button, decided at build time:

* textually (:data:`_NOT_IN_BROWSER`: sockets, servers, subprocesses,
  threads, signals) on the example and its group's setup;
* the object a docstring's examples document, by the same words in its source
  (a module's docstring: what each example calls, as on a page);
* third-party imports (``redis``) and the few standard modules Pyodide
  leaves out, in the example or its group's setup;
* by the example: ``:runs-only-locally: <reason>`` on a ``{doctest}`` block
  (:class:`DoctestDirective`), or a comment ``# runs only locally: <reason>``
  on a ``>>>`` line of a docstring's example, when nothing else shows the
  need (the browser's files cannot be locked, its ``len()`` stops at 2 GiB);
* by the page's front matter, ``runs-only-locally: <reason>``
  (:data:`PAGE_MARKER`), for every example of the page;
* for test forms the page does not copy (``testcode``, ``skipif``, the ``*``
  group).

A blocked example blocks the later examples of its group, whose state it
would have built. ``python -m studybook.sphinxext.pyodide_survey`` runs every
offered example of a built book under the same Pyodide and harness, so no
button is offered that fails on the book's own text.
"""

from __future__ import annotations

import ast
import doctest
import functools
import importlib
import inspect
import json
import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import sphinx.ext.doctest as sphinx_doctest
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx

from studybook.book import CHAPTERS
from studybook.sphinxext.pyodide import _serves_python, _test_source, _wheel_name

# The flags conf.py gives Sphinx's doctest builder (doctest_default_flags).
BASE_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
# Front matter that puts a note instead of Run buttons on every example of a
# page, giving the reason (``runs-only-locally: "it measures wall-clock time"``).
PAGE_MARKER = "runs-only-locally"
# The same words as a {doctest} option mark one example (and its group's later ones).
LOCAL_OPTION = "runs-only-locally"

# What cannot work inside a browser tab, by the words that reveal it.
_NOT_IN_BROWSER: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sockets", re.compile(r"\bsocket\b|http\.server|urllib\.request")),
    # socketserver's handler classes are plain Python; its servers bind sockets.
    (
        "network servers",
        re.compile(
            r"start_server|open_connection|serve_forever|\bserve\(|socketserver\.\w*Server\b"
        ),
    ),
    ("subprocesses", re.compile(r"\bsubprocess\b|\bmultiprocessing\b|os\.fork|ProcessPool")),
    ("threads", re.compile(r"\bThread\(|ThreadPoolExecutor|threading\.Thread")),
    # Installing a handler or an alarm; the signal numbers themselves are plain ints.
    (
        "signals",
        re.compile(r"\bsignal\.(?:signal|alarm|setitimer|pause|sigwait)\b|add_signal_handler"),
    ),
    # Pyodide's hashlib is built without OpenSSL, which provides these two.
    (
        "OpenSSL's key derivation (hashlib.scrypt, hashlib.pbkdf2_hmac)",
        re.compile(r"hashlib\.(?:scrypt|pbkdf2_hmac)\b"),
    ),
    # Its self-pipe is a socket pair; Pyodide's own loop is the browser's.
    ("an asyncio event loop of its own", re.compile(r"SelectorEventLoop|new_event_loop")),
)


# The marker a docstring's example can carry, as a comment on a ``>>>`` line.
_LOCAL_COMMENT = re.compile(r"^\s*(?:>>>|\.\.\.) .*#.*\bruns only locally: *(.+?) *$", re.M)

# Standard modules Pyodide leaves out (it has no terminal and no rlimits).
_NOT_IN_PYODIDE = frozenset({"curses", "readline", "resource"})
_IMPORT = re.compile(
    r"^\s*(?:from\s+([A-Za-z_]\w*)[\w.]*\s+import\b|import\s+([A-Za-z_]\w*))", re.M
)


def _blocker(code: str) -> str | None:
    """What in *code* cannot run in a browser, or ``None``."""
    for reason, pattern in _NOT_IN_BROWSER:
        if pattern.search(code):
            return reason
    lines = code.splitlines()
    if any(line.lstrip().startswith(">>>") for line in lines):  # a doctest: its code only
        prompts = (line.lstrip() for line in lines)
        code = "\n".join(line[4:] for line in prompts if line.startswith((">>>", "...")))
    for match in _IMPORT.finditer(code):
        module = match.group(1) or match.group(2)
        if _missing(module):
            return f"it imports {module}, which the page's Python does not have"
    return None


def _missing(module: str) -> bool:
    """Whether the page's Python lacks the top-level *module*."""
    return module in _NOT_IN_PYODIDE or not (
        module in sys.stdlib_module_names or module in {"studybook", "__future__"}
    )


def _imports(source: str) -> tuple[str | None, list[Any]]:
    """What *source* imports: a module the page's Python lacks, and the book's objects.

    The first is ``None`` if every module is there; the second lists the
    book's functions and classes imported by name (a lazy import inside a
    function, say), to be judged in turn. Parsed, not matched: a docstring's
    prose line starting "import" is no import.
    """
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError:
        return None, []
    return _imports_in(tree)


def _imports_in(tree: ast.AST) -> tuple[str | None, list[Any]]:
    """:func:`_imports` of code already parsed."""
    book: list[Any] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
            if node.module.startswith("studybook"):
                try:
                    home = importlib.import_module(node.module)
                except ImportError:
                    continue
                book += [getattr(home, alias.name, None) for alias in node.names]
        else:
            continue
        for module in modules:
            if _missing(module.split(".")[0]):
                return module.split(".")[0], []
    return None, [obj for obj in book if inspect.isfunction(obj) or inspect.isclass(obj)]


_IMPORTED_MODULE = re.compile(r"import_module\((['\"])(studybook[\w.]*)\1\)")


def _setup_blocker(group: str, setup: str) -> str | None:
    """What in a group's setup cannot run in a browser, including the code it documents.

    A docstring's examples form a group named after the documented object
    (``studybook-dsa-lsm_tree-LSMTree``; doctests.py), whose setup loads the
    defining module's namespace. Whatever the examples' words, they run that
    object's code: if its source opens sockets or starts threads, so do they.
    A module's own docstring documents no one object: its examples are judged
    one by one by what they call (:func:`_called_blocker`), as a page's are,
    so a pure function's example keeps its button beside a socket demo.
    """
    if _IMPORTED_MODULE.search(setup):
        dotted = group.replace("-", ".")
        reason = None if _is_module(dotted) else _source_blocker(dotted)
        if reason:
            return reason
        for _, module in _IMPORTED_MODULE.findall(setup):
            missing = _module_imports_missing(module)
            if missing:
                return f"its module imports {missing}, which the page's Python does not have"
    return _blocker(setup)


def _is_module(dotted: str) -> bool:
    """Whether *dotted* names a module (a module docstring's group), not an object in one."""
    try:
        importlib.import_module(dotted)
    except ImportError:
        return False
    return True


@functools.cache
def _module_imports_missing(dotted: str) -> str | None:
    """A module the book's module *dotted* imports when it loads that the page's Python lacks."""
    try:
        filename = inspect.getsourcefile(importlib.import_module(dotted))
    except (ImportError, TypeError):
        return None
    tree = _parsed(filename) if filename else None
    if tree is None:
        return None
    top = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    return _imports("\n".join(ast.unparse(node) for node in top))[0]


@functools.cache
def _source_blocker(dotted: str) -> str | None:
    """What the code of the object named *dotted* uses that a browser lacks.

    The object's own source is read, then that of the book's functions and
    classes it names (a demo that calls a function opening sockets opens
    them too), a few calls deep.
    """
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attribute in parts[cut:]:
                obj = getattr(obj, attribute)
        except AttributeError:
            return None
        found = _code_blocker(getattr(obj, "fget", obj), depth=3, seen=set())
        return f"{parts[-1]} uses {found}" if found else None
    return None


class _DropStrings(ast.NodeTransformer):
    """Replace each bare string statement (a docstring, an attribute's) by ``pass``."""

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return ast.Pass()
        return node


def _code_text(source: str) -> str:
    """*source* as it runs: without comments and docstrings, whose prose names sockets freely."""
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError:
        return source
    return ast.unparse(_DropStrings().visit(tree))


@functools.cache
def _parsed(filename: str) -> ast.Module | None:
    """The module in the file *filename*, parsed once (``None`` if it cannot be read)."""
    try:
        return ast.parse(Path(filename).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None


@functools.cache
def _definitions(filename: str) -> dict[str, ast.AST]:
    """The functions and classes defined in the file *filename*, by qualified name.

    Each is parsed once, with its strings already dropped (:func:`_code_text`):
    ``inspect.getsource`` of a class parses the class's whole module again,
    which the thousands of examples reaching the book's classes made the
    largest serial cost of the HTML build. A name defined twice in a file
    (under an ``if``, say) is left out, so its object is read the usual way.
    """
    tree = _parsed(filename)
    if tree is None:
        return {}
    found: dict[str, ast.AST] = {}
    twice: set[str] = set()

    def walk(body: list[ast.stmt], prefix: str) -> None:
        for index, node in enumerate(body):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                if isinstance(node.value.value, str):  # as _DropStrings does
                    body[index] = ast.copy_location(ast.Pass(), node)
                continue
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = prefix + node.name
                if name in found:
                    twice.add(name)
                found[name] = node
                prefix_inside = name + ("." if isinstance(node, ast.ClassDef) else ".<locals>.")
                walk(node.body, prefix_inside)
                continue
            # A statement holding statements (if, for, try, with, match): a
            # definition there belongs to the enclosing scope.
            for field in ("body", "orelse", "finalbody"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    walk(children, prefix)
            for inner in [*getattr(node, "handlers", []), *getattr(node, "cases", [])]:
                walk(inner.body, prefix)

    walk(tree.body, "")
    return {name: node for name, node in found.items() if name not in twice}


def _own_code(obj: Any) -> tuple[str, ast.AST | None]:
    """*obj*'s code as :func:`_code_text` gives it, and its parsed definition if it was found.

    From its module's parsed file when it can be; raises ``OSError`` or
    ``TypeError`` as ``inspect.getsource`` does for an object without source.
    """
    if inspect.isclass(obj) or inspect.isfunction(obj):
        try:
            filename = inspect.getsourcefile(obj)
        except TypeError:
            filename = None
        node = _definitions(filename).get(obj.__qualname__) if filename else None
        name = getattr(node, "name", None)
        if node is not None and name == obj.__name__:
            line = getattr(obj, "__code__", None)
            decorated = getattr(node, "decorator_list", [])
            first = min([node.lineno] + [d.lineno for d in decorated])  # type: ignore[attr-defined]
            if line is None or line.co_firstlineno == first:
                return ast.unparse(node), node
    return _code_text(inspect.getsource(obj)), None


@functools.cache
def _own_blocker(obj: Any) -> tuple[bool, str | None, tuple[Any, ...]]:
    """Whether *obj* has source; what its own code needs of a real machine; what it imports.

    Cached: the same functions and classes are reached from thousands of
    examples.
    """
    try:
        source, tree = _own_code(obj)
    except (OSError, TypeError):
        return False, None, ()  # a constant, say: it runs nothing
    for reason, pattern in _NOT_IN_BROWSER:
        if pattern.search(source):
            return True, reason, ()
    module, lazily_imported = _imports(source) if tree is None else _imports_in(tree)
    if module:
        return True, f"{module}, which the page's Python does not have", ()
    return True, None, tuple(lazily_imported)


def _code_blocker(obj: Any, depth: int, seen: set[int]) -> str | None:
    home = obj.__name__ if inspect.ismodule(obj) else getattr(obj, "__module__", "")
    if id(obj) in seen or not str(home).startswith("studybook"):
        return None
    seen.add(id(obj))
    try:
        has_source, reason, lazily_imported = _own_blocker(obj)
    except TypeError:  # an object that cannot be hashed: judged afresh
        has_source, reason, lazily_imported = _own_blocker.__wrapped__(obj)
    if not has_source or reason:
        return reason
    if depth == 0 or inspect.ismodule(obj):
        return None
    for callee in lazily_imported:
        found = _code_blocker(callee, depth - 1, seen)
        if found:
            return found
    functions = (
        [obj]
        if inspect.isfunction(obj)
        else [f for f in vars(obj).values() if inspect.isfunction(f)]
        if inspect.isclass(obj)
        else []
    )
    for function in functions:
        for name in function.__code__.co_names:
            callee = function.__globals__.get(name)
            if inspect.isfunction(callee) or inspect.isclass(callee):
                found = _code_blocker(callee, depth - 1, seen)
                if found:
                    return found
    return None


_FROM_STUDYBOOK = re.compile(
    r"^\s*(?:>>>|\.\.\.)?\s*from\s+(studybook[\w.]*)\s+import\s+(\([^)]*\)|[^\n]*)", re.M
)
_NAME = re.compile(r"\b[A-Za-z_]\w*\b")


def _called_blocker(source: str, setup: str) -> str | None:
    """What the book's functions and classes that *source* names need of a real machine.

    The names are those its group's setup or the example itself imports
    from ``studybook`` (``from studybook.x import *`` included), or, for a
    docstring's example, its module's.
    """
    imported: dict[str, str] = {}
    for _, module in _IMPORTED_MODULE.findall(setup):  # a docstring's: its module's names
        imported |= {name: f"{module}.{name}" for name in vars(importlib.import_module(module))}
    for module, listing in _FROM_STUDYBOOK.findall(f"{setup}\n{source}"):
        if listing.strip() == "*":
            try:
                public = getattr(importlib.import_module(module), "__all__", [])
            except ImportError:
                continue
            imported |= {name: f"{module}.{name}" for name in public}
            continue
        for part in listing.strip("()").split(","):
            words = part.split("#")[0].split()
            if words:
                imported[words[-1]] = f"{module}.{words[0]}"  # "name" or "name as alias"
    code = "\n".join(
        line.lstrip()[4:]
        for line in source.splitlines()
        if line.lstrip().startswith((">>>", "..."))
    )
    for name in dict.fromkeys(_NAME.findall(code)):
        if name in imported and (reason := _source_blocker(imported[name])):
            return reason
    return None


class DoctestDirective(sphinx_doctest.DoctestDirective):
    """Sphinx's ``{doctest}``, plus ``:runs-only-locally: <reason>`` for the Run button.

    For an example whose need of a real machine no word of it shows (a
    function that opens sockets inside, say): the page shows the note with
    the reason instead of a button. The doctest builder ignores the option.
    """

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **sphinx_doctest.DoctestDirective.option_spec,
        LOCAL_OPTION: directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        result = super().run()
        if LOCAL_OPTION in self.options:
            for node in result:
                if isinstance(node, nodes.Element) and "testnodetype" in node:
                    node[LOCAL_OPTION] = self.options[LOCAL_OPTION].strip()
        return result


def _doctest_nodes(doctree: nodes.document) -> list[tuple[nodes.Element, str, list[str]]]:
    """The nodes Sphinx's doctest builder reads, in page order: (node, kind, groups)."""
    found: list[tuple[nodes.Element, str, list[str]]] = []
    for node in doctree.findall(nodes.Element):
        if isinstance(node, nodes.doctest_block):
            found.append((node, "doctest", ["default"]))  # doctest_test_doctest_blocks
        elif "testnodetype" in node:
            found.append((node, str(node["testnodetype"]), list(node.get("groups", ["default"]))))
    return found


def _setups(found: list[tuple[nodes.Element, str, list[str]]], global_setup: str) -> dict[str, str]:
    """Each group's setup code in the order the doctest builder runs it.

    The builder collects a group's ``{testsetup}`` blocks wherever they sit on
    the page, appends the ``*`` ones to every group, and puts conf.py's
    ``doctest_global_setup`` first.
    """
    own: dict[str, list[str]] = {}
    shared: list[str] = []
    for node, kind, groups in found:
        if "*" in groups:
            if kind == "testsetup":
                shared.append(_test_source(node))
            continue
        for group in groups:
            own.setdefault(group, [])
            if kind == "testsetup":
                own[group].append(_test_source(node))
    head = [global_setup] if global_setup else []
    return {group: "\n".join([*head, *codes, *shared]) for group, codes in own.items()}


def _examples(
    doctree: nodes.document, global_setup: str = ""
) -> tuple[dict[str, str], list[tuple[nodes.Element, dict[str, Any]]]]:
    """The page's setups by group and its doctest examples, with what the page needs to run each.

    An example is blocked (a note instead of a button) when its source, its
    group's setup or an earlier example of its group needs what a browser
    lacks, or when the doctest builder treats it in a way the page does not
    copy (``testcode``/``testoutput`` pairs, ``skipif``, the ``*`` group).
    """
    found = _doctest_nodes(doctree)
    setups = _setups(found, global_setup)
    tainted: dict[str, str] = {}  # group -> why its later examples cannot run
    examples: list[tuple[nodes.Element, dict[str, Any]]] = []
    for node, kind, groups in found:
        if kind in {"testsetup", "testcleanup", "testoutput"}:
            continue
        source = _test_source(node)
        # The builder runs a "*" doctest after every group's own tests, so it
        # changes nothing above it; a testcode block or a skipif runs in order.
        copied = kind == "doctest" and "skipif" not in node and "*" not in groups
        blocked = (
            (None if copied else "a test form the Run button does not copy")
            or node.get(LOCAL_OPTION)
            or next((m.group(1) for m in [_LOCAL_COMMENT.search(source)] if m), None)
            or next((tainted[g] for g in groups if g in tainted), None)
            or _blocker(source)
            or next((b for g in groups if (b := _setup_blocker(g, setups.get(g, "")))), None)
        )
        if blocked:
            for group in groups:
                if group != "*":
                    tainted.setdefault(group, blocked)
        else:
            # What it calls may need a real machine while leaving nothing
            # behind that later examples use: those keep their buttons (the
            # harness skips a blocked example; the survey proves the rest).
            context = "\n".join(setups.get(g, "") for g in groups)
            blocked = _called_blocker(source, context)
        flags = BASE_FLAGS
        options: dict[int, bool] = node.get("options", {})
        for flag, on in options.items():
            flags = flags | flag if on else flags & ~flag
        examples.append(
            (
                node,
                {
                    "groups": groups,
                    "source": source,
                    "flags": flags,
                    "visible": isinstance(node, (nodes.literal_block, nodes.doctest_block)),
                    "blocked": blocked,
                },
            )
        )
    used = {g for _, info in examples if not info["blocked"] for g in info["groups"]}
    return {g: code for g, code in setups.items() if g in used}, examples


def _mark_examples(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Tag each visible example and add the page's JSON island for the runner."""
    if not _serves_python(app):
        return  # not the HTML, or no wheel and no Pyodide to run examples with
    # Sphinx's doctest extension defines doctest_global_setup; a project may not load it.
    setups, found = _examples(doctree, getattr(app.config, "doctest_global_setup", "") or "")
    if not found:
        return
    page_blocker = app.env.metadata.get(docname, {}).get(PAGE_MARKER)
    for index, (node, info) in enumerate(found):
        if page_blocker and not info["blocked"]:
            info["blocked"] = str(page_blocker)
        if info["visible"]:
            node["classes"] += ["sb-example", f"sb-ex-{index}"]
    island = {
        "wheel": _wheel_name(app.confdir),
        "chapter": _chapter_id(docname),
        "setups": {} if page_blocker else setups,
        "examples": [_compact(info) for _, info in found],
    }
    doctree += nodes.raw("", _island_html(island), format="html")


def _compact(info: dict[str, Any]) -> dict[str, Any]:
    """An example as the island stores it: what is usual left out (2,279 examples add up)."""
    stored: dict[str, Any] = {"source": info["source"]}
    if info["groups"] != ["default"]:
        stored["groups"] = info["groups"]
    if info["flags"] != BASE_FLAGS:
        stored["flags"] = info["flags"]
    if not info["visible"]:
        stored["hidden"] = True
    if info["blocked"]:
        stored["blocked"] = info["blocked"]
    return stored


def _chapter_id(docname: str) -> str | None:
    """The chapter ``python -m studybook doctest`` names for *docname* (or its subpage)."""
    parts = docname.split("/")
    for chapter in CHAPTERS:
        if parts[:2] == [chapter.part, chapter.id]:
            return chapter.id
    return None


def _island_html(island: dict[str, Any]) -> str:
    """*island* as a ``<script type="application/json">`` element, safe inside HTML.

    Inside a script element the HTML parser looks only for ``</script`` and
    ``<!--``, both starting with ``<``; writing every ``<`` as the JSON escape
    ``\\u003c`` leaves it nothing to misread, and ``JSON.parse`` gives back
    the same text. (``>`` and ``&`` mean nothing there, and doctests are full
    of ``>>>``: escaping them would add a fifth to the island.)
    """
    payload = json.dumps(island, separators=(",", ":"), ensure_ascii=False)
    payload = payload.replace("<", "\\u003c")
    return f'<script type="application/json" id="sb-examples">{payload}</script>\n'


def _add_runner(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    if doctree is not None and any(
        "sb-example" in node["classes"] for node in doctree.findall(nodes.Element)
    ):
        app.add_js_file("studybook-runner.mjs", type="module")
