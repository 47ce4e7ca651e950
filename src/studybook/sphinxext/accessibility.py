"""Markup fixes that make every page pass axe's WCAG 2.2 A/AA rules.

Each fix is applied to the page body Sphinx has rendered, in the
``html-page-context`` event (the body is a string by then), because the
markup comes from code the book does not own (Pygments, ``sphinx.ext.viewcode``):

* A toctree's caption is ``<p class="caption" role="heading">``, a heading
  without the ``aria-level`` ARIA requires (axe's ``aria-required-attr``);
  the sidebar's get theirs in navigation.py, those in a page's body here.
* A code block or a table wider than the column scrolls sideways (tables
  in Furo's ``table-wrapper``, on a phone most of them), and a keyboard user
  can only scroll what can take focus (WCAG 2.1.1; axe's
  ``scrollable-region-focusable``). Every highlighted ``<pre>`` and every
  table wrapper gets ``tabindex="0"`` (display math: mathsvg.py).
* ``sphinx.ext.viewcode`` (Sphinx 9.0) links each highlighted definition back
  to its documentation as ``#<refname>.<name>``, with *refname* the first
  module that documented anything from that source file. When a package
  documents an object re-exported from a submodule first, the submodule's
  other objects get back-links to anchors that do not exist. Each such link
  is pointed at the object's own entry. Its index of modules also lists
  modules it found no source for (``builtins``, through an object re-exported
  from there) and so wrote no page for: those entries are dropped. And it
  nests a package's submodules as a ``<ul>`` directly inside the ``<ul>``,
  after the package's ``<li>``, which HTML forbids (axe's ``list``): the
  nested list is moved into the package's item. Last, viewcode records a
  module none of whose objects the book documents (``typing``, reached while
  looking for a documented name) and writes a page of its whole highlighted
  source, until any page is read again, when its purge drops such records:
  a cold build wrote ``_modules/typing.html`` (446 KB) and an incremental one
  did not. They are dropped before every build writes
  (:func:`drop_unused_viewcode_modules`).

One more rewrite shares the hook, for page weight rather than axe: Sphinx
wraps every word of inline code in ``<span class="pre">``. Its rule for that
class (no wrapping, no hyphenation) is in ``basic.css``, which Furo does not
load, so the span styles nothing. When it is the only child of a ``<code>``
or ``<span>``, the parent takes the class and the span goes
(:func:`fold_pre_spans`): the same text wraps at the same places (checked
on the largest chapter at desktop and phone widths: every inline literal
keeps its line boxes), with one element fewer. On that chapter that is 3,048
of the 23,833 tags in its HTML, and every element costs layout, style and
axe's checks. Likewise a highlighted token of a type that both Pygments styles in
use (the light one and Furo's dark one) draw exactly as plain text (names
and punctuation, with the book's styles) loses its ``<span>``: its text is
drawn by the code block's own style, the same in both themes
(:func:`unwrap_plain_tokens`); another 2,807 tags there. In the
browser the page went from 24,814 elements to 19,226.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from pygments.token import STANDARD_TYPES, Text  # type: ignore[import-untyped]  # no stubs
from sphinx.application import Sphinx
from sphinx.highlighting import PygmentsBridge

from studybook.sphinxext.navigation import with_caption_levels

__all__ = [
    "drop_modules_without_source",
    "drop_unused_viewcode_modules",
    "fix_viewcode_backlinks",
    "focusable_scrollers",
    "fold_pre_spans",
    "nest_submodule_lists",
    "plain_token_classes",
    "unwrap_plain_tokens",
]

_SCROLLERS = {
    '<div class="highlight"><pre>': '<div class="highlight"><pre tabindex="0">',
    '<div class="table-wrapper ': '<div tabindex="0" class="table-wrapper ',
}


def focusable_scrollers(body: str) -> str:
    """*body* with each code block and table, which may scroll, reachable by the keyboard.

    >>> focusable_scrollers('<div class="highlight"><pre><span></span>x = 1\\n</pre></div>')
    '<div class="highlight"><pre tabindex="0"><span></span>x = 1\\n</pre></div>'
    >>> focusable_scrollers('<div class="table-wrapper docutils container"><table>')
    '<div tabindex="0" class="table-wrapper docutils container"><table>'
    """
    for before, after in _SCROLLERS.items():
        body = body.replace(before, after)
    return body


# A parent with only a class attribute whose only child is one no-wrap word.
_LONE_PRE = re.compile(r'<(code|span) class="([^"]*)"><span class="pre">([^<]*)</span></\1>')


def fold_pre_spans(body: str) -> str:
    """*body* with each lone ``<span class="pre">`` folded into its parent.

    The parent keeps its classes and gains ``pre``, so a selector for the
    class still finds the word. A parent with other content, or other
    attributes, is left as it is.

    >>> fold_pre_spans('<code class="docutils literal"><span class="pre">get()</span></code>')
    '<code class="docutils literal pre">get()</code>'
    >>> fold_pre_spans('<em><span class="n"><span class="pre">key</span></span></em>')
    '<em><span class="n pre">key</span></em>'
    >>> two_words = '<code class="x"><span class="pre">a</span> <span class="pre">b</span></code>'
    >>> fold_pre_spans(two_words) == two_words
    True
    """
    return _LONE_PRE.sub(r'<\1 class="\2 pre">\3</\1>', body)


def plain_token_classes(*styles: Any) -> frozenset[str]:
    """The CSS classes of the token types each of the Pygments *styles* draws as plain text.

    Pygments gives plain text no ``<span>`` and draws it in the code block's
    own style; a token whose style is the same in every one of *styles*
    would look the same without its span, in every theme.

    >>> from pygments.styles import get_style_by_name
    >>> book = [get_style_by_name(name) for name in ("a11y-light", "native")]
    >>> sorted(plain_token_classes(*book))  # names and punctuation; keywords are coloured
    ['n', 'nx', 'p', 'pm']
    """
    return frozenset(
        name
        for ttype, name in STANDARD_TYPES.items()
        if name
        and all(style.style_for_token(ttype) == style.style_for_token(Text) for style in styles)
    )


_HIGHLIGHTED = re.compile(r'<div class="highlight"><pre[^>]*>.*?</pre>', re.S)
_TOKEN = re.compile(r'<span class="([a-z]+)">([^<]*)</span>')


def unwrap_plain_tokens(body: str, plain: frozenset[str]) -> str:
    """*body* with the highlighted tokens whose class is in *plain* as bare text.

    Only inside code blocks (``<div class="highlight"><pre>``): elsewhere a
    ``span.n`` is Sphinx's markup of a signature, not a Pygments token.

    >>> code = ('<div class="highlight"><pre><span class="k">def</span> <span class="n">f</span>'
    ...         '<span class="p">():</span></pre></div>')
    >>> unwrap_plain_tokens(code, frozenset({"n", "p"}))
    '<div class="highlight"><pre><span class="k">def</span> f():</pre></div>'
    >>> unwrap_plain_tokens('<p><span class="n">x</span></p>', frozenset({"n"}))  # not code
    '<p><span class="n">x</span></p>'
    """

    def unwrap(block: re.Match[str]) -> str:
        return _TOKEN.sub(lambda t: t[2] if t[1] in plain else t[0], block[0])

    return _HIGHLIGHTED.sub(unwrap, body)


def _plain_classes(app: Sphinx) -> frozenset[str]:
    """The book's plain token classes, for its light style and Furo's dark one (once a build)."""
    plain: frozenset[str] | None = getattr(app, "_studybook_plain_tokens", None)
    if plain is None:
        styles = [app.builder.highlighter.formatter_args["style"]]  # type: ignore[attr-defined]
        dark = getattr(app.config, "pygments_dark_style", None)
        if dark:
            styles.append(PygmentsBridge("html", dark).formatter_args["style"])
        plain = plain_token_classes(*styles)
        app._studybook_plain_tokens = plain  # type: ignore[attr-defined]
    return plain


_BACKLINK = re.compile(r'(<a class="viewcode-back" href="[^"#]*#)([^"]+)(")')


def fix_viewcode_backlinks(body: str, module: str, refname: str, objects: set[str]) -> str:
    """*body* (the highlighted source of *module*) with back-links to documented objects.

    *refname* is the prefix viewcode put on every back-link of the page,
    *objects* the fully qualified names the Python domain documents. A link
    whose anchor names no documented object is pointed at *module*'s own
    entry for the object, when there is one; any other link is left as it is.

    >>> fix_viewcode_backlinks(
    ...     '<a class="viewcode-back" href="api.html#pkg.key_range">',
    ...     "pkg.compaction", "pkg", {"pkg.compaction.key_range"})
    '<a class="viewcode-back" href="api.html#pkg.compaction.key_range">'
    """

    def repoint(link: re.Match[str]) -> str:
        anchor = link[2]
        if anchor in objects or not anchor.startswith(f"{refname}."):
            return link[0]
        own = f"{module}.{anchor.removeprefix(f'{refname}.')}"
        return f"{link[1]}{own}{link[3]}" if own in objects else link[0]

    return _BACKLINK.sub(repoint, body)


def drop_unused_viewcode_modules(app: Sphinx, env: Any) -> None:
    """``env-updated``: forget viewcode's records of modules no documented object is from.

    A record is ``(code, tags, used, refname)``, *used* mapping each documented
    object found in the module to its page; ``False`` is a module without
    source, which the index fix above handles.
    """
    modules: dict[str, Any] = getattr(env, "_viewcode_modules", {})
    for name in [name for name, entry in modules.items() if entry and not entry[2]]:
        del modules[name]


_MODULE_ENTRY = re.compile(r'<li><a href="[^"]*">([\w.]+)</a></li>\n?')


def drop_modules_without_source(body: str, modules: dict[str, object]) -> str:
    """viewcode's module index *body* without the modules it wrote no page for.

    *modules* is viewcode's record: a module whose source it could not read
    maps to ``False``.

    >>> drop_modules_without_source(
    ...     '<ul><li><a href="builtins.html">builtins</a></li>\\n'
    ...     '<li><a href="pkg/mod.html">pkg.mod</a></li>\\n</ul>',
    ...     {"builtins": False, "pkg.mod": ("code", {}, {}, "pkg")})
    '<ul><li><a href="pkg/mod.html">pkg.mod</a></li>\\n</ul>'
    """
    return _MODULE_ENTRY.sub(lambda m: "" if modules.get(m[1]) is False else m[0], body)


def nest_submodule_lists(body: str) -> str:
    """viewcode's module index *body* with each submodule list inside its package's item.

    viewcode (Sphinx 9.0) closes a package's ``<li>`` and then opens the
    submodules' ``<ul>``; here the ``<li>`` stays open around that list and
    is closed after it. Every ``</ul>`` but the outermost one ends such a list.

    >>> nest_submodule_lists(
    ...     '<ul><li><a href="a.html">a</a></li>\\n<ul><li><a href="a/b.html">a.b</a></li>\\n'
    ...     "</ul></ul>")
    '<ul><li><a href="a.html">a</a>\\n<ul><li><a href="a/b.html">a.b</a></li>\\n</ul></li></ul>'
    """
    start, end = body.find("<ul>"), body.rfind("</ul>")
    if start == -1 or end == -1:
        return body
    inner = body[start + len("<ul>") : end]
    inner = inner.replace("</li>\n<ul>", "\n<ul>").replace("</ul>", "</ul></li>")
    return f"{body[:start]}<ul>{inner}</ul>{body[end + len('</ul>') :]}"


def _fix_page(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """``html-page-context`` handler: apply the fixes to the page's body."""
    body = context.get("body")
    if not isinstance(body, str):
        return
    body = with_caption_levels(focusable_scrollers(body))
    if app.builder.name == "html":  # the EPUB keeps Sphinx's markup (its own stylesheet)
        body = fold_pre_spans(unwrap_plain_tokens(body, _plain_classes(app)))
    modules: dict[str, Any] = getattr(app.env, "_viewcode_modules", {})
    if pagename == "_modules/index":
        body = nest_submodule_lists(drop_modules_without_source(body, modules))
    elif pagename.startswith("_modules/"):
        module = pagename.removeprefix("_modules/").replace("/", ".")
        entry = modules.get(module)
        if entry:
            refname = entry[3]  # viewcode's (code, tags, used, refname)
            objects = set(app.env.domains.python_domain.objects)
            body = fix_viewcode_backlinks(body, module, refname, objects)
    context["body"] = body
