"""Sphinx extension that turns the docs/ folder into the studybook.

It is imported only by ``conf.py`` (the library itself never needs Sphinx).
What it adds:

* ``{question}``, ``{exercise}`` and ``{solution}`` directives. A question's
  title is the question and its body the answer, hidden until the reader opens
  it; an exercise's ``{solution}`` is hidden the same way. One directive per
  item keeps them machine-readable (a flashcard export can walk the doctree).
* The hub page: ``{studybook-hub}`` in ``index.md`` is replaced, at read time,
  by one section per part with a card per chapter (from the registry in
  :mod:`studybook.book` and each page's front matter) plus the sidebar's
  toctrees. ``{{ topics }}``-style figures are computed from the sources.
* Docstring examples run by Sphinx's doctest builder in the namespace of their
  own module, exactly as ``pytest --doctest-modules`` runs them.
* Mermaid's JavaScript is served from the book itself, and formulas are
  rendered to SVG at build time by MathJax running under Node: each pinned
  release is fetched once from the npm registry and checked against its
  integrity hash, so the HTML makes no request to another host and pages with
  math load no math script.
* Cross-references to the standard library resolve to docs.python.org without
  downloading an inventory (the build machine is offline); anything else that
  does not resolve stays a nitpicky warning.
"""

from __future__ import annotations

import base64
import builtins
import hashlib
import html
import importlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, ParamSpec, TypeVar

import yaml
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.math import get_node_equation_number

from studybook.book import CHAPTERS, PARTS, Chapter

__all__ = ["setup"]

logger = logging.getLogger(__name__)

# Badges a chapter may carry, and the sphinx-design colour each one gets.
BADGES = {
    "Comprehensive Guide": "primary",
    "Interactive Guide": "success",
    "Code Examples": "info",
    "Deep Dive": "secondary",
    "Study Plan": "warning",
}


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives, nodes and event handlers."""
    app.add_node(
        question,
        html=(_visit_question_html, _depart_details_html),
        latex=(_visit_question_latex, _depart_question_latex),
        text=(_visit_question_text, _depart_noop),
    )
    app.add_node(
        solution,
        html=(_visit_solution_html, _depart_details_html),
        latex=(_visit_solution_latex, _depart_noop),
        text=(_visit_solution_text, _depart_noop),
    )
    app.add_node(
        exercise,
        html=(_visit_exercise_html, _depart_div_html),
        latex=(_visit_exercise_latex, _depart_noop),
        text=(_visit_exercise_text, _depart_noop),
    )
    app.add_directive("question", QuestionDirective)
    app.add_directive("exercise", ExerciseDirective)
    app.add_directive("solution", SolutionDirective)
    app.connect("builder-inited", _vendor_assets)
    app.add_html_math_renderer("studybook_svg", (_visit_math, None), (_visit_math_block, None))
    app.connect("env-updated", _render_math)
    app.connect("html-page-context", _add_mermaid_loader)
    app.connect("source-read", _expand_hub)
    app.connect("autodoc-process-docstring", _group_docstring_examples, priority=600)
    app.connect("missing-reference", _resolve_stdlib_reference)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


# ---------------------------------------------------------------- assets


@dataclass(frozen=True)
class _Asset:
    """A pinned npm package whose browser build the HTML book serves itself."""

    name: str
    version: str
    integrity: str  # what the npm registry publishes for the tarball
    keep: tuple[str, ...]  # paths (files or folders) inside the tarball's package/

    def folder(self, confdir: str | Path) -> Path:
        return Path(confdir) / "build" / "vendor" / f"{self.name}-{self.version}"


# mermaid: the release sphinxcontrib-mermaid 2.1.1 targets; its ES-module entry
# point loads one chunk per diagram type on demand.
MERMAID = _Asset(
    "mermaid",
    "11.12.1",
    "sha512-UlIZrRariB11TY1RtTgUWp65tphtBv4CSq7vyS2ZZ2Tgo"
    "Mjs2nloq+wFqxiwcxlhHUvs7DPGgMjs2aeQxz5h9g==",
    ("LICENSE", "dist/mermaid.esm.min.mjs", "dist/chunks/mermaid.esm.min/"),
)
# MathJax's engine, run by Node at build time (tex2svg.cjs): the page gets SVG,
# not the 1.1 MB script that sphinx.ext.mathjax would load from a CDN.
MATHJAX_FULL = _Asset(
    "mathjax-full",
    "3.2.2",
    "sha512-+LfG9Fik+OuI8SLwsiR02IVdjcnRCy5MufYLi0C3TdMT56L/"
    "pjB0alMVGgoWJF8pN9Rc7FESycZB9BMNWIid5w==",
    ("LICENSE", "js/"),
)


def _vendor_assets(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    for asset in (MERMAID, MATHJAX_FULL):
        folder = asset.folder(app.confdir)
        if not (folder / asset.name / "LICENSE").is_file():
            _fetch(asset, folder / asset.name)
    app.config.html_static_path.append(str(MERMAID.folder(app.confdir)))
    # Mermaid is loaded by our own script (docs/_static/studybook-mermaid.mjs),
    # only on pages with a diagram; the plugin's loader is detached because it
    # raced with itself and drew later diagrams into earlier diagrams' boxes.
    plugin_loaders = [
        listener
        for listener in app.events.listeners["html-page-context"]
        if getattr(listener.handler, "__module__", "") == "sphinxcontrib.mermaid"
    ]
    if len(plugin_loaders) != 1:
        raise RuntimeError("sphinxcontrib-mermaid's page hook changed; revisit _vendor_assets")
    app.disconnect(plugin_loaders[0].id)


def _add_mermaid_loader(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    if doctree is not None and any(
        type(node).__name__ == "mermaid" for node in doctree.findall(nodes.Element)
    ):
        app.add_js_file("studybook-mermaid.mjs", type="module")


def _fetch(asset: _Asset, target: Path) -> None:
    """Download *asset* from the npm registry, check it, unpack what it keeps into *target*."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"npm is needed once to fetch {asset.name}; install Node.js")
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(  # noqa: S603 - fixed arguments, pinned version
            [npm, "pack", f"{asset.name}@{asset.version}", "--json", "--pack-destination", tmp],
            check=True,
            capture_output=True,
            text=True,
        )
        tarball = Path(tmp) / json.loads(out.stdout)[0]["filename"]
        digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if f"sha512-{digest}" != asset.integrity:
            raise RuntimeError(f"{asset.name}@{asset.version} tarball has hash sha512-{digest}")
        staging = Path(tmp) / "unpacked"
        wanted = tuple(f"package/{path}" for path in asset.keep)
        with tarfile.open(tarball) as archive:
            members = [
                m
                for m in archive.getmembers()
                if m.name in wanted
                or m.name.startswith(tuple(w for w in wanted if w.endswith("/")))
            ]
            archive.extractall(staging, members=members, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staging / "package", target)


# ---------------------------------------------------------------- math

_TEX2SVG = Path(__file__).with_name("tex2svg.cjs")


def _render_math(app: Sphinx, env: BuildEnvironment) -> None:
    """Render every formula of the book to SVG in one Node run (cached in the env)."""
    if app.builder.format != "html":
        return
    cache: dict[tuple[str, bool], str] = getattr(env, "studybook_math", {})
    wanted: dict[tuple[str, bool], str] = {}
    for docname in sorted(env.found_docs):
        for node in env.get_doctree(docname).findall(nodes.math):
            wanted.setdefault((node.astext(), False), docname)
        for block in env.get_doctree(docname).findall(nodes.math_block):
            for part in _equations(block):
                wanted.setdefault((part, True), docname)
    missing = [key for key in wanted if key not in cache]
    if missing:
        node_exe = shutil.which("node")
        if node_exe is None:
            raise RuntimeError("Node.js is needed to render the book's math")
        engine = MATHJAX_FULL.folder(app.confdir) / MATHJAX_FULL.name
        out = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [node_exe, str(_TEX2SVG), str(engine)],
            input=json.dumps(missing),
            check=True,
            capture_output=True,
            text=True,
        )
        for key, svg in zip(missing, json.loads(out.stdout), strict=True):
            if isinstance(svg, dict):
                logger.warning(
                    "cannot render math %r: %s", key[0], svg["error"], location=wanted[key]
                )
                svg = f'<code class="sb-math-error">{html.escape(key[0])}</code>'
            cache[key] = svg
    env.studybook_math = cache  # type: ignore[attr-defined]


def _equations(block: nodes.math_block) -> list[str]:
    # Sphinx's convention: a math block holds one equation per paragraph.
    if block.get("nowrap"):
        return [block.astext()]
    return [part.strip() for part in block.astext().split("\n\n") if part.strip()]


def _visit_math(self: Any, node: nodes.math) -> None:
    svg = self.builder.env.studybook_math[(node.astext(), False)]
    label = html.escape(node.astext(), quote=True)
    self.body.append(f'<span class="math sb-math" aria-label="{label}">{svg}</span>')
    raise nodes.SkipNode


def _visit_math_block(self: Any, node: nodes.math_block) -> None:
    self.body.append('<div class="math sb-math-block">')
    if node.get("number"):
        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})</span>')
    for part in _equations(node):
        svg = self.builder.env.studybook_math[(part, True)]
        label = html.escape(part, quote=True)
        self.body.append(f'<div class="sb-equation" aria-label="{label}">{svg}</div>')
    self.body.append("</div>\n")
    raise nodes.SkipNode


# ---------------------------------------------------------------- questions


class question(nodes.General, nodes.Element):
    """An interview question; ``children[0]`` is the question, the rest the answer."""


class exercise(nodes.General, nodes.Element):
    """An exercise; its solution is a :class:`solution` child."""


class solution(nodes.General, nodes.Element):
    """An exercise's solution, hidden until asked for."""


class _TitledDirective(SphinxDirective):
    has_content = True
    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {"class": directives.class_option}
    node_class: ClassVar[type[nodes.Element]]

    def run(self) -> list[nodes.Node]:
        node = self.node_class(classes=self.options.get("class", []))
        self.set_source_info(node)
        title_nodes, messages = self.state.inline_text(self.arguments[0], self.lineno)
        node += nodes.paragraph("", "", *title_nodes, classes=["sb-title"])
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node, *messages]


class QuestionDirective(_TitledDirective):
    """``{question} Why are SSTables immutable?`` with the answer as its body."""

    node_class = question


class ExerciseDirective(_TitledDirective):
    """``{exercise} Title`` with the statement, then a ``{solution}``, as its body."""

    node_class = exercise


class SolutionDirective(SphinxDirective):
    """The hidden solution of the enclosing exercise."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        node = solution()
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


# Visitors are plain functions taking the translator; Sphinx binds them.
def _visit_question_html(self: Any, node: question) -> None:
    self.body.append('<details class="sb-question"><summary>')
    title = node.children[0]
    for child in title.children:
        child.walkabout(self)
    self.body.append('</summary><div class="sb-answer">')
    for child in node.children[1:]:
        child.walkabout(self)
    self.body.append("</div>")
    raise nodes.SkipChildren


def _depart_details_html(self: Any, node: nodes.Element) -> None:
    self.body.append("</details>\n")


def _visit_solution_html(self: Any, node: solution) -> None:
    self.body.append('<details class="sb-solution"><summary>Solution</summary>')


def _visit_exercise_html(self: Any, node: exercise) -> None:
    self.body.append('<div class="sb-exercise">')


def _depart_div_html(self: Any, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def _depart_noop(self: Any, node: nodes.Element) -> None:
    pass


# On paper nothing can be clicked open, so the answer follows its question.
def _visit_question_latex(self: Any, node: question) -> None:
    self.body.append("\n\n\\par\\medskip\\noindent\\textbf{Q.}~")


def _depart_question_latex(self: Any, node: question) -> None:
    self.body.append("\n\n")


def _visit_solution_latex(self: Any, node: solution) -> None:
    self.body.append("\n\n\\par\\noindent\\textit{Solution.}~")


def _visit_exercise_latex(self: Any, node: exercise) -> None:
    self.body.append("\n\n\\par\\medskip\\noindent\\textbf{Exercise.}~")


def _visit_question_text(self: Any, node: question) -> None:
    self.add_text("Q. ")


def _visit_solution_text(self: Any, node: solution) -> None:
    self.add_text("Solution: ")


def _visit_exercise_text(self: Any, node: exercise) -> None:
    self.add_text("Exercise: ")


# ---------------------------------------------------------------- the hub

_HUB_MARKER = re.compile(r"^```\{studybook-hub\}\n```$", re.M)


def _expand_hub(app: Sphinx, docname: str, source: list[str]) -> None:
    if docname != app.config.root_doc or not _HUB_MARKER.search(source[0]):
        return
    root = Path(app.srcdir)
    env = app.env
    pages = {ch: _front_matter(root / f"{ch.docname}.md") for ch in CHAPTERS}
    for ch in CHAPTERS:
        env.note_dependency(str(root / f"{ch.docname}.md"))
    figures = _figures(root, pages)
    text = _HUB_MARKER.sub(lambda _: _hub_markdown(pages), source[0])
    for key, value in figures.items():
        text = text.replace("{{ " + key + " }}", str(value))
    source[0] = text


def _front_matter(page: Path) -> dict[str, Any]:
    text = page.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if match is None:
        raise ValueError(f"{page}: a chapter page needs YAML front matter (summary, icon, badges)")
    data = yaml.safe_load(match[1])
    missing = {"summary", "icon", "badges"} - set(data)
    if missing:
        raise ValueError(f"{page}: front matter lacks {sorted(missing)}")
    unknown = set(data["badges"]) - set(BADGES)
    if unknown:
        raise ValueError(f"{page}: unknown badges {sorted(unknown)}; use {sorted(BADGES)}")
    return dict(data)


def _figures(root: Path, pages: dict[Chapter, dict[str, Any]]) -> dict[str, int]:
    """Count what the book holds, from its sources, at build time."""
    sources = [*root.rglob("*.md"), *(root.parent / "src" / "studybook").rglob("*.py")]
    examples = sum(
        1
        for path in sources
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith(">>> ")
    )
    interactive = sum(1 for meta in pages.values() if "Interactive Guide" in meta["badges"])
    return {"topics": len(pages), "examples": examples, "interactive": interactive}


def _hub_markdown(pages: dict[Chapter, dict[str, Any]]) -> str:
    out: list[str] = []
    toctrees: list[str] = []
    for part in PARTS:
        members = [ch for ch in CHAPTERS if ch.part == part.id]
        if not members:
            continue
        out += [
            f"## {part.title}",
            "",
            part.blurb + ".",
            "",
            "::::{grid} 1 2 2 3",
            ":gutter: 3",
            "",
        ]
        for ch in members:
            meta = pages[ch]
            icon = f"{{octicon}}`{meta['icon']};1.2em;sd-text-primary`"
            badges = " ".join(f"{{bdg-{BADGES[b]}}}`{b}`" for b in meta["badges"])
            out += [
                f":::{{grid-item-card}} {icon} {ch.title}",
                f":link: {ch.docname}",
                ":link-type: doc",
                "",
                " ".join(str(meta["summary"]).split()),
                "",
                "```{card-footer}",
                badges,
                "```",
                ":::",
                "",
            ]
        out += ["::::", ""]
        entries = "\n".join(ch.docname for ch in members)
        toctrees.append(f"```{{toctree}}\n:caption: {part.title}\n:hidden:\n\n{entries}\n```\n")
    return "\n".join(out + toctrees)


# ---------------------------------------------------------------- doctests


def _group_docstring_examples(
    app: Sphinx, what: str, name: str, obj: object, options: Any, lines: list[str]
) -> None:
    """Wrap each ``>>>`` block of a docstring in a doctest group of its own.

    The group's setup loads the defining module's globals, so the example sees
    exactly the names it sees under ``pytest --doctest-modules``.
    """
    module = getattr(obj, "__module__", None) if what != "module" else name
    if not isinstance(module, str) or not any(ln.lstrip().startswith(">>>") for ln in lines):
        return
    group = name.replace(".", "-")
    result = [
        f".. testsetup:: {group}",
        "",
        "   import importlib",
        f"   globals().update(vars(importlib.import_module({module!r})))",
        "",
    ]
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            block: list[str] = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(indent) :])
                i += 1
            result += [f"{indent}.. doctest:: {group}", ""]
            result += [f"{indent}   {b}" for b in block]
            result.append("")
            continue
        result.append(line)
        i += 1
    lines[:] = result


# ---------------------------------------------------------------- references

_PY_DOCS = "https://docs.python.org/3/library/"
# Built-in types documented on the "Built-in Types" page rather than "Built-in Functions".
_STDTYPES = frozenset(
    [
        "int",
        "float",
        "complex",
        "bool",
        "str",
        "bytes",
        "bytearray",
        "list",
        "tuple",
        "range",
        "dict",
        "set",
        "frozenset",
        "memoryview",
    ]
)


def _resolve_stdlib_reference(
    app: Sphinx, env: BuildEnvironment, node: nodes.Element, contnode: nodes.TextElement
) -> nodes.Element | None:
    if node.get("refdomain") != "py":
        return None
    target = str(node.get("reftarget", ""))
    if _is_type_variable(target):
        # A TypeVar in a signature has no page of its own: show it unlinked.
        return contnode
    url = _stdlib_url(target)
    if url is None:
        return None
    ref = nodes.reference("", "", internal=False, refuri=url, reftitle=target)
    ref += contnode
    return ref


def _is_type_variable(target: str) -> bool:
    """Whether *target* names a ``TypeVar`` (or ParamSpec) defined in studybook."""
    module_name, _, name = target.rpartition(".")
    if not module_name.startswith("studybook"):
        return False
    try:
        obj = getattr(importlib.import_module(module_name), name, None)
    except ImportError:
        return False
    return isinstance(obj, TypeVar | ParamSpec)


def _stdlib_url(target: str) -> str | None:
    """Return the docs.python.org URL of a standard-library name, if it is one."""
    if "." not in target:
        obj = getattr(builtins, target, None)
        if obj is None:
            return None
        if isinstance(obj, type) and issubclass(obj, BaseException):
            return f"{_PY_DOCS}exceptions.html#{target}"
        if target in _STDTYPES:
            return f"{_PY_DOCS}stdtypes.html#{target}"
        return f"{_PY_DOCS}functions.html#{target}"
    head = target.split(".")[0]
    if head not in sys.stdlib_module_names or head == "studybook":
        return None
    parts = target.split(".")
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            found: object = importlib.import_module(module_name)
        except ImportError:
            continue
        for attr in parts[cut:]:
            if not hasattr(found, attr):
                return None
            found = getattr(found, attr)
        return f"{_PY_DOCS}{module_name}.html#{target}"
    return None
