"""The markup fixes applied to each rendered page body (sphinxext/accessibility.py)."""

from __future__ import annotations

from html.parser import HTMLParser
from types import SimpleNamespace

from pygments.styles import get_style_by_name

from studybook.sphinxext import accessibility

_CODE = '<div class="highlight"><pre><span></span><span class="n">x</span>\n</pre></div>'


def _link(anchor: str) -> str:
    return f'<a class="viewcode-back" href="../../dsa/lsm-tree/api.html#{anchor}">[docs]</a>'


def test_code_blocks_and_tables_become_focusable_and_nothing_else():
    table = '<div class="table-wrapper colwidths-auto docutils container"><table></table></div>'
    body = f'{_CODE}<pre>plain</pre>{table}<div class="admonition">{_CODE}</div>'
    fixed = accessibility.focusable_scrollers(body)
    assert fixed.count('<pre tabindex="0">') == 2
    assert '<div tabindex="0" class="table-wrapper colwidths-auto docutils container">' in fixed
    assert "<pre>plain</pre>" in fixed
    assert '<div class="admonition">' in fixed
    assert fixed.count("tabindex") == 3


def test_viewcode_backlinks_point_at_the_entry_that_exists():
    objects = {
        "studybook.dsa.lsm_tree.Compaction",  # re-exported: documented on the package
        "studybook.dsa.lsm_tree.compaction.key_range",  # documented on its module
    }
    body = "\n".join(
        [
            _link("studybook.dsa.lsm_tree.Compaction"),
            _link("studybook.dsa.lsm_tree.key_range"),
            _link("studybook.dsa.lsm_tree.undocumented"),
            _link("elsewhere.key_range"),
        ]
    )
    fixed = accessibility.fix_viewcode_backlinks(
        body, "studybook.dsa.lsm_tree.compaction", "studybook.dsa.lsm_tree", objects
    )
    assert fixed.splitlines() == [
        _link("studybook.dsa.lsm_tree.Compaction"),
        _link("studybook.dsa.lsm_tree.compaction.key_range"),
        _link("studybook.dsa.lsm_tree.undocumented"),  # nothing better to point at
        _link("elsewhere.key_range"),
    ]


def _app(modules: dict[str, object], builder: str = "html") -> SimpleNamespace:
    domains = SimpleNamespace(
        python_domain=SimpleNamespace(objects={"pkg.mod.f": None, "pkg.g": None})
    )
    # Sphinx's PygmentsBridge, as far as the hook looks: the light style.
    highlighter = SimpleNamespace(formatter_args={"style": get_style_by_name("a11y-light")})
    return SimpleNamespace(
        env=SimpleNamespace(_viewcode_modules=modules, domains=domains),
        builder=SimpleNamespace(name=builder, highlighter=highlighter),
        config=SimpleNamespace(pygments_dark_style="native"),
    )


def test_the_page_hook_fixes_source_pages_and_content_pages():
    app = _app({"pkg.mod": ("code", {}, {}, "pkg")})
    context = {"body": _CODE + _link("pkg.f") + '<p class="caption" role="heading">Part</p>'}
    accessibility._fix_page(app, "_modules/pkg/mod", "page.html", context, None)
    assert context["body"] == (
        '<div class="highlight"><pre tabindex="0"><span></span>x\n'  # a name: plain text
        "</pre></div>"
        + _link("pkg.mod.f")
        + '<p class="caption" role="heading" aria-level="2">Part</p>'
    )
    # On a chapter page the back-links are not viewcode's: left alone.
    context = {"body": _link("pkg.f")}
    accessibility._fix_page(app, "dsa/lsm-tree", "page.html", context, None)
    assert context["body"] == _link("pkg.f")
    # viewcode's index: modules it wrote no page for are not listed.
    app = _app({"builtins": False, "pkg.mod": ("code", {}, {}, "pkg")})
    context = {
        "body": '<ul><li><a href="builtins.html">builtins</a></li>\n'
        '<li><a href="pkg/mod.html">pkg.mod</a></li>\n</ul>'
    }
    accessibility._fix_page(app, "_modules/index", "page.html", context, None)
    assert context["body"] == '<ul><li><a href="pkg/mod.html">pkg.mod</a></li>\n</ul>'
    # A page without a body (Sphinx's search page) is left alone.
    context = {"title": "Search"}
    accessibility._fix_page(app, "search", "search.html", context, None)
    assert context == {"title": "Search"}


def test_submodule_lists_nest_inside_their_package_item_at_every_depth():
    # What viewcode writes for modules a, a.b, a.b.c, a.d, e.
    body = (
        "<h1>All modules</h1>\n"
        '<ul><li><a href="a.html">a</a></li>\n'
        '<ul><li><a href="a/b.html">a.b</a></li>\n'
        '<ul><li><a href="a/b/c.html">a.b.c</a></li>\n'
        '</ul><li><a href="a/d.html">a.d</a></li>\n'
        '</ul><li><a href="e.html">e</a></li>\n'
        "</ul>"
    )
    assert accessibility.nest_submodule_lists(body) == (
        "<h1>All modules</h1>\n"
        '<ul><li><a href="a.html">a</a>\n'
        '<ul><li><a href="a/b.html">a.b</a>\n'
        '<ul><li><a href="a/b/c.html">a.b.c</a></li>\n'
        '</ul></li><li><a href="a/d.html">a.d</a></li>\n'
        '</ul></li><li><a href="e.html">e</a></li>\n'
        "</ul>"
    )
    assert accessibility.nest_submodule_lists("<p>no modules</p>") == "<p>no modules</p>"


# What Sphinx 9 writes for inline code and a signature (html5 writer).
_INLINE = (
    '<p>Call <code class="docutils literal notranslate"><span class="pre">get()</span></code>'
    ' or <code class="docutils literal notranslate"><span class="pre">SET</span>'
    ' <span class="pre">key</span> <span class="pre">value</span></code>.</p>'
    '<dt class="sig sig-object py"><span class="sig-name descname"><span class="pre">put</span>'
    '</span><span class="sig-paren">(</span><em class="sig-param"><span class="n">'
    '<span class="pre">key</span></span></em><span class="sig-paren">)</span></dt>'
)


def _runs(body: str) -> list[tuple[str, bool]]:
    """Each run of the page's text, with whether it is inside an element of class ``pre``."""

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open: list[bool] = []
            self.runs: list[tuple[str, bool]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            classes = (dict(attrs).get("class") or "").split()
            self.open.append("pre" in classes and tag in {"span", "code"})

        def handle_endtag(self, tag: str) -> None:
            self.open.pop()

        def handle_data(self, data: str) -> None:
            self.runs.append((data, any(self.open)))

    reader = Reader()
    reader.feed(body)
    return reader.runs


def test_lone_pre_spans_fold_into_their_parent_and_every_word_stays_marked_pre():
    folded = accessibility.fold_pre_spans(_INLINE)
    assert _runs(folded) == _runs(_INLINE)
    assert folded.count("<") == _INLINE.count("<") - 2 * 3  # three spans, open and close
    # The multi-word literal keeps its spans: it may break between the words.
    assert '<span class="pre">SET</span> <span class="pre">key</span>' in folded
    assert '<code class="docutils literal notranslate pre">get()</code>' in folded


def test_only_the_html_book_folds_pre_spans():
    for builder, folded in (("html", True), ("epub", False)):
        context = {"body": _INLINE}
        accessibility._fix_page(_app({}, builder), "dsa/lsm-tree", "page.html", context, None)
        assert (context["body"] != _INLINE) is folded, builder


def test_viewcode_records_of_modules_without_documented_objects_are_dropped():
    used = ("code", {"f": None}, {"pkg.f": "dsa/page"}, "pkg")
    unused = ("code", {"Any": None}, {}, "pkg")
    env = SimpleNamespace(_viewcode_modules={"pkg": used, "typing": unused, "builtins": False})
    accessibility.drop_unused_viewcode_modules(None, env)
    assert env._viewcode_modules == {"pkg": used, "builtins": False}
    accessibility.drop_unused_viewcode_modules(None, SimpleNamespace())  # viewcode not run


SAMPLE = """\
@dataclass(frozen=True)
class Entry:
    key: bytes  # sorted by key, then by sequence number
    seq: int = 0

    def newer(self, other: "Entry") -> bool:
        return (self.key, -self.seq) < (other.key, -other.seq) and not other.deleted
"""


def _styled_text(body: str, style: type) -> list[tuple[str, dict[str, object]]]:
    """Each character of the code block with the style it is drawn in (Pygments' own)."""
    from pygments.token import STANDARD_TYPES, Text

    by_class = {name: ttype for ttype, name in STANDARD_TYPES.items()}

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open: list[str] = []
            self.chars: list[tuple[str, dict[str, object]]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.open.append(dict(attrs).get("class") or "")

        def handle_endtag(self, tag: str) -> None:
            self.open.pop()

        def handle_data(self, data: str) -> None:
            token = next((by_class[c] for c in reversed(self.open) if c in by_class), Text)
            self.chars += [(char, style.style_for_token(token)) for char in data]

    reader = Reader()
    reader.feed(body)
    return reader.chars


def test_unwrapped_tokens_are_drawn_as_before_in_both_themes():
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    light, dark = get_style_by_name("a11y-light"), get_style_by_name("native")
    plain = accessibility.plain_token_classes(light, dark)
    assert {"n", "p"} <= plain
    assert not plain & {"k", "s2", "c1", "o", "w"}  # coloured in one style or the other
    body = highlight(SAMPLE, PythonLexer(), HtmlFormatter())
    unwrapped = accessibility.unwrap_plain_tokens(body, plain)
    assert unwrapped.count("<span") < body.count("<span") * 0.7
    for style in (light, dark):
        assert _styled_text(unwrapped, style) == _styled_text(body, style)
