"""The hub page: a card per chapter and the sidebar, from the registry and front matter."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from studybook.book import CHAPTERS, PARTS, Chapter
from studybook.sphinxext.doctrees import note_variant_page

BADGES = {
    "Comprehensive Guide": "primary",
    "Interactive Guide": "success",
    "Code Examples": "info",
    "Deep Dive": "secondary",
    "Study Plan": "warning",
}


_HUB_MARKER = re.compile(r"^```\{studybook-hub\}\n```$", re.M)


def _expand_hub(app: Sphinx, docname: str, source: list[str]) -> None:
    if docname != app.config.root_doc or not _HUB_MARKER.search(source[0]):
        return
    note_variant_page(app, docname)  # LaTeX reads it as the front matter
    root = Path(app.srcdir)
    # Read again when what it shows changes (_hub_outdated), not on every edit of a chapter.
    pages = {ch: _front_matter(root / f"{ch.docname}.md") for ch in CHAPTERS}
    figures = _figures(root, pages)
    if app.builder.format == "latex":
        source[0] = _latex_front(source[0], pages, api_pages(root))
        return
    text = _HUB_MARKER.sub(lambda _: _hub_markdown(pages), source[0])
    for key, value in figures.items():
        text = text.replace("{{ " + key + " }}", str(value))
    source[0] = text


def hub_inputs(root: Path) -> str:
    """Everything the hub shows of the book under *root*, as JSON text.

    Each chapter's front matter, the book's figures and the API pages the
    PDF's appendix lists: the hub is rebuilt when this changes.
    """
    pages = {ch: _front_matter(root / f"{ch.docname}.md") for ch in CHAPTERS}
    shown = {
        "pages": {ch.docname: meta for ch, meta in pages.items()},
        "figures": _figures(root, pages),
        "api": api_pages(root),
    }
    return json.dumps(shown, sort_keys=True, default=str)


def _hub_outdated(
    app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: the hub, if what it shows changed since it was last read.

    It shows every chapter's front matter and counts the examples in every
    page and module, so it used to depend on every chapter's file and was
    read again on every edit of any chapter. Now an edit that changes none
    of that leaves it unread, and one that does (a new example in a module,
    too) refreshes it. (Sphinx still writes it again after an edit of a
    chapter its toctree lists, as the chapter's title may have changed.)
    """
    root_doc = app.config.root_doc
    source = Path(env.doc2path(root_doc))
    if not source.is_file() or not _HUB_MARKER.search(source.read_text(encoding="utf-8")):
        return []  # a book without the hub
    inputs = hub_inputs(Path(app.srcdir))
    if getattr(env, "studybook_hub_inputs", None) == inputs:
        return []
    env.studybook_hub_inputs = inputs
    return [root_doc]


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
            # Filled in by studybook-progress.mjs from the reader's marks (progress.py).
            "```{raw} html",
            f'<p class="sb-part-progress" data-sb-part="{part.id}" hidden="hidden"></p>',
            "```",
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


_LATEX_SPECIALS = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "$": r"\$"}
_RAW_HTML = re.compile(r"^```\{raw\} html\n.*?^```\n", re.M | re.S)
_APPENDIX_BLURB = (
    "Each chapter's module, generated from its docstrings: every public name,"
    " its signature, arguments, errors and cost"
)


def api_pages(root: Path) -> list[str]:
    """Docnames of the chapters' API reference pages (``<part>/<chapter>/api``), in book order."""
    return [f"{ch.docname}/api" for ch in CHAPTERS if (root / ch.docname / "api.md").is_file()]


def _latex_front(text: str, pages: dict[Chapter, dict[str, Any]], appendix: list[str]) -> str:
    """The hub as the front of the PDF: preface, each part and its chapters, the appendix.

    On paper there are no cards to click: the preface keeps the welcome and
    "How to use this book", and each part becomes a part page (``\\sbpart``,
    latex.py) followed by its chapters (the toctree is what pulls them into the
    book). The chapters' API reference pages follow the last part as an
    appendix, so that autodoc's pages do not interrupt a chapter's prose
    (:func:`_move_api_pages_to_appendix` takes them out of the chapters).
    """
    text = _RAW_HTML.sub("", text)
    text = text.replace(
        "## How to use this book", "```{raw} latex\n\\chapter*{How to use this book}\n```"
    )
    parts: list[str] = []
    for part in PARTS:
        members = [ch for ch in CHAPTERS if ch.part == part.id and ch in pages]
        if not members:
            continue
        entries = "\n".join(ch.docname for ch in members)
        parts.append(_raw_latex("sbpart", part.title, part.blurb))
        parts.append(f"```{{toctree}}\n:hidden:\n\n{entries}\n```\n")
    if appendix:
        parts.append(_raw_latex("sbappendix", "API Reference", _APPENDIX_BLURB))
        parts.append("```{toctree}\n:hidden:\n\n" + "\n".join(appendix) + "\n```\n")
    return _HUB_MARKER.sub(lambda _: "\n".join(parts), text)


def _raw_latex(command: str, *texts: str) -> str:
    """A raw LaTeX block calling *command* on *texts*, escaped: ``\\sbpart{A \\& B}``."""
    args = "".join("{" + "".join(_LATEX_SPECIALS.get(c, c) for c in t) + "}" for t in texts)
    return f"```{{raw}} latex\n\\{command}{args}\n```\n"


def _move_api_pages_to_appendix(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read`` handler: in LaTeX, a chapter's toctree loses its API page.

    The hub's appendix toctree includes those pages instead (:func:`_latex_front`).
    LaTeX inlines a page where a toctree first names it, so without this the
    API reference would be printed in the middle of its chapter.
    """
    if app.env.docname == app.config.root_doc:
        return
    appendix = set(api_pages(Path(app.srcdir)))
    toctrees = [t for t in doctree.findall(addnodes.toctree) if appendix & set(t["includefiles"])]
    if not toctrees:
        return
    note_variant_page(app, app.env.docname)
    if app.builder.format != "latex":
        return
    for toctree in toctrees:
        toctree["entries"] = [e for e in toctree["entries"] if e[1] not in appendix]
        toctree["includefiles"] = [d for d in toctree["includefiles"] if d not in appendix]
        if not toctree["entries"]:
            wrapper = toctree.parent
            wrapper.remove(toctree)
            if isinstance(wrapper, nodes.compound) and not wrapper.children:
                wrapper.parent.remove(wrapper)
