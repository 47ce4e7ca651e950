"""The EPUB edition as EPUBCheck 4.2 accepts it: XHTML, SVG 1.1 and a complete manifest.

An e-reader parses each page as XML and checks SVG against SVG 1.1, where a
browser forgives both. What the HTML book does not need, and what is changed
here for the EPUB builder only (the HTML and PDF are untouched):

* Mermaid's SVG (:func:`clean_diagram_svg`, applied by ``diagrams.py`` when a
  diagram is drawn for the EPUB): the empty label backgrounds it leaves without
  a size, its bookkeeping ``name`` attributes, SVG 2's ``transform-origin``
  attribute, sizes on shapes that have none, empty presentation attributes,
  ARIA roles outside EPUB's list, and ids that are not XML names.
* Inline SVG in the pages (:func:`xhtml_svg`): the HTML parser puts a bare
  ``<svg>`` in the SVG namespace by itself, XML needs ``xmlns``; and EPUBCheck
  4.2 lets ``<use>`` point only at a ``<symbol>`` (its RSC-014), so each of the
  formulas' shared glyph outlines is wrapped in one, drawn exactly as before.
* The manifest (:func:`manifest_properties`): a page that holds inline SVG or
  a script must say so (OPF-014); Sphinx's template writes no properties.
* ES modules (``.mjs``) of the HTML book stay out: an EPUB runs no scripts of
  ours, and Sphinx knows no media type for them. So do images left in the
  output folder by an earlier build that no page shows any more.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.dom import minidom
from xml.parsers.expat import ExpatError

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder

__all__ = [
    "StudybookEpubBuilder",
    "clean_diagram_svg",
    "manifest_properties",
    "setup",
    "xhtml_svg",
]

# Bumped whenever clean_diagram_svg changes what it writes: the diagram cache
# is keyed by it, and it is this extension's env_version, so a warm build
# reads every page again instead of keeping images cleaned the old way.
SVG_CLEANUP_VERSION = 1

# The roles EPUBCheck 4.2.6's SVG schema allows on an element.
_SVG_ROLES = frozenset({"application", "document", "img"})
# SVG 1.1 elements that take width and height.
_SIZED = frozenset({"svg", "rect", "image", "use", "foreignObject", "pattern", "mask", "filter"})
# Presentation attributes that mermaid sometimes writes empty (invalid, and ignored).
_PRESENTATION = frozenset(
    {"fill", "stroke", "stroke-width", "opacity", "font-family", "font-size", "font-style",
     "font-weight"}
)  # fmt: skip
_XML_NAME = re.compile(r"[A-Za-z_][\w.-]*\Z")


def clean_diagram_svg(svg: str) -> str:
    """Mermaid's SVG made valid SVG 1.1 for an EPUB, drawn exactly as before.

    Args:
        svg: one ``<svg>`` document as ``mermaid.render`` returns it.

    Returns:
        The same drawing with what SVG 1.1 forbids removed or moved (see the
        module's docstring).

    Raises:
        TypeError: *svg* is not a string.
        ValueError: *svg* is not well-formed XML or not an ``<svg>`` element.

    Complexity: O(n) in the size of the SVG.

    >>> clean_diagram_svg('<svg xmlns="http://www.w3.org/2000/svg" role="graphics-document">'
    ...                   '<rect/><rect width="2" height="1" name="A"/></svg>')
    '<svg xmlns="http://www.w3.org/2000/svg" role="img"><rect width="2" height="1"/></svg>'
    >>> clean_diagram_svg("<p/>")
    Traceback (most recent call last):
    ...
    ValueError: not an <svg> document: '<p/>'
    """
    if not isinstance(svg, str):
        raise TypeError(f"svg must be a str, got {svg!r}")
    try:
        # Mermaid's output, drawn by this build: no untrusted XML is parsed.
        root = minidom.parseString(svg).documentElement  # noqa: S318
    except ExpatError as exc:
        raise ValueError(f"not well-formed XML ({exc}): {svg[:60]!r}") from exc
    if root is None or root.tagName != "svg":
        raise ValueError(f"not an <svg> document: {svg[:60]!r}")
    renamed: dict[str, str] = {}
    taken = {el.getAttribute("id") for el in _elements(root)}
    for el in [root, *_elements(root)]:
        if el.hasAttribute("role") and el.getAttribute("role") not in _SVG_ROLES:
            # Mermaid's "graphics-document document": the book shows it as an image.
            el.setAttribute("role", "img")
        if el.tagName == "rect" and not (el.hasAttribute("width") and el.hasAttribute("height")):
            # A label background mermaid never sized: it draws nothing.
            parent = el.parentNode
            if isinstance(parent, minidom.Element):
                parent.removeChild(el)
            continue
        if el.hasAttribute("name"):
            el.removeAttribute("name")  # mermaid's lookup key, not SVG
        if el.hasAttribute("transform-origin"):
            origin = el.getAttribute("transform-origin")
            el.removeAttribute("transform-origin")
            style = el.getAttribute("style").rstrip().rstrip(";")
            el.setAttribute("style", f"{style}; transform-origin: {origin}".lstrip("; "))
        if el.tagName not in _SIZED and not el.tagName.startswith("fe"):
            for attribute in ("width", "height"):
                if el.hasAttribute(attribute):
                    el.removeAttribute(attribute)
        for attribute in _PRESENTATION:
            if el.hasAttribute(attribute) and not el.getAttribute(attribute).strip():
                el.removeAttribute(attribute)
        old = el.getAttribute("id")
        if old and not _XML_NAME.match(old):
            new = _xml_name(old, taken)
            taken.add(new)
            renamed[old] = new
            el.setAttribute("id", new)
    if renamed:
        _rename_references(root, renamed)
    return str(root.toxml())


def _elements(root: minidom.Element) -> list[minidom.Element]:
    # A list, not a live view: elements are removed while it is walked.
    return list(root.getElementsByTagName("*"))


def _xml_name(old: str, taken: set[str]) -> str:
    base = re.sub(r"[^\w.-]", "_", old)
    if not re.match(r"[A-Za-z_]", base):
        base = f"_{base}"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    return name


def _rename_references(root: minidom.Element, renamed: dict[str, str]) -> None:
    for el in [root, *_elements(root)]:
        for attribute, value in list(el.attributes.items()):
            new = value
            for old, name in renamed.items():
                new = new.replace(f"url(#{old})", f"url(#{name})")
                if new == f"#{old}":
                    new = f"#{name}"
            if new != value:
                el.setAttribute(attribute, new)


_SVG_START = re.compile(r"<svg(?![^>]*\sxmlns=)")
_GLYPHS = re.compile(r'<svg([^>]*\sclass="sb-glyphs"[^>]*)><defs>(.*?)</defs></svg>', re.S)
_GLYPH = re.compile(r'<path id="([^"]+)"([^>]*?)\s*(?:/>|></path>)')


def xhtml_svg(body: str) -> str:
    """A page body's inline SVG made valid XHTML for the EPUB.

    Every ``<svg>`` without a namespace gets the SVG one (the formulas'
    shared glyphs, sphinx-design's octicons on the hub). ``mathsvg.py`` writes
    each page's glyph outlines once, in a hidden ``<svg class="sb-glyphs">``,
    and every formula draws them with ``<use>``: each outline becomes a
    ``<symbol>`` that does not clip (``overflow="visible"``), so it draws as
    the bare ``<path>`` did.

    Args:
        body: a page's rendered body (``context["body"]``).

    Returns:
        The body with those changes; the rest is unchanged.

    Raises:
        TypeError: *body* is not a string.

    Complexity: O(n) in the length of the body.

    >>> xhtml_svg('<svg class="sb-glyphs"><defs><path id="MJX-1" d="M0 0Z"></path></defs></svg>')
    '<svg xmlns="http://www.w3.org/2000/svg" class="sb-glyphs"><defs><symbol id="MJX-1" overflow="visible"><path d="M0 0Z"/></symbol></defs></svg>'
    >>> xhtml_svg('<p><svg xmlns="http://www.w3.org/2000/svg"/></p>')
    '<p><svg xmlns="http://www.w3.org/2000/svg"/></p>'
    """  # noqa: E501 - a doctest shows the whole result
    if not isinstance(body, str):
        raise TypeError(f"body must be a str, got {body!r}")

    def glyphs(match: re.Match[str]) -> str:
        symbols = _GLYPH.sub(r'<symbol id="\1" overflow="visible"><path\2/></symbol>', match[2])
        return f"<svg{match[1]}><defs>{symbols}</defs></svg>"

    body = _GLYPHS.sub(glyphs, body)
    return _SVG_START.sub('<svg xmlns="http://www.w3.org/2000/svg"', body)


def manifest_properties(xhtml: str) -> list[str]:
    """The EPUB 3 manifest properties an XHTML page needs, in sorted order.

    ``svg`` when it holds inline SVG, ``mathml`` for MathML, ``scripted`` for
    a script. Markup in the text is escaped, so a ``<`` in the file starts a tag.

    Args:
        xhtml: the page as written.

    Raises:
        TypeError: *xhtml* is not a string.

    Complexity: O(n) in the length of the page.

    >>> manifest_properties('<p>x &lt;svg</p><svg xmlns="http://www.w3.org/2000/svg"/>')
    ['svg']
    >>> manifest_properties("<p>prose</p>")
    []
    """
    if not isinstance(xhtml, str):
        raise TypeError(f"xhtml must be a str, got {xhtml!r}")
    found = {
        "mathml": re.search(r"<(?:\w+:)?math[\s>]", xhtml),
        "scripted": re.search(r"<script[\s>]", xhtml),
        "svg": re.search(r"<(?:\w+:)?svg[\s>/]", xhtml),
    }
    return sorted(name for name, hit in found.items() if hit)


_ITEM = re.compile(r'<item id="[^"]*" href="([^"]+)" media-type="application/xhtml\+xml" />')


class StudybookEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder: manifest properties, no ES modules, no stale images."""

    name = "epub"

    def build_content(self) -> None:
        """Write ``content.opf``, then declare each page's properties in it.

        Sphinx puts every file of the output folder in the book. Left out: the
        HTML book's ES modules, and images an earlier build copied that no page
        of this one shows (a diagram drawn again is a new file, and the old one
        stays in ``_images``).
        """
        outdir = Path(self.outdir)
        modules = [p.relative_to(outdir).as_posix() for p in outdir.rglob("*.mjs")]
        # Every page's images, not only this build's (self.images): a warm
        # build writes some pages, and the book holds them all.
        shown = {name for _docnames, name in self.env.images.values()}
        stale = [
            f"{self.imagedir}/{p.name}"
            for p in (outdir / self.imagedir).glob("*")
            if p.is_file() and p.name not in shown
        ]
        # Sphinx's backup of an outdated .buildinfo (it ignores only the original).
        backup = [".buildinfo.bak"] if (outdir / ".buildinfo.bak").is_file() else []
        self.config.epub_exclude_files = [
            *self.config.epub_exclude_files,
            *sorted(modules),
            *sorted(stale),
            *backup,
        ]
        super().build_content()
        opf = outdir / "content.opf"

        def declare(match: re.Match[str]) -> str:
            page = (outdir / unquote(match[1])).read_text(encoding="utf-8")
            properties = manifest_properties(page)
            if not properties:
                return match[0]
            return match[0].replace(" />", f' properties="{" ".join(properties)}" />')

        opf.write_text(_ITEM.sub(declare, opf.read_text(encoding="utf-8")), encoding="utf-8")


def _page_to_xhtml(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """``html-page-context`` handler: the EPUB's page bodies as XHTML."""
    if app.builder.name == "epub" and isinstance(context.get("body"), str):
        context["body"] = xhtml_svg(context["body"])


def setup(app: Sphinx) -> dict[str, Any]:
    """Use :class:`StudybookEpubBuilder` for ``-b epub`` and fix the pages it writes."""
    app.add_builder(StudybookEpubBuilder, override=True)
    app.connect("html-page-context", _page_to_xhtml)
    return {
        "version": "1",
        "env_version": SVG_CLEANUP_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
