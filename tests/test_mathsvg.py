"""Formulas as inline SVG: each one named by its TeX for assistive technology."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from docutils import nodes

from studybook.sphinxext import mathsvg

# What tex2svg.cjs returns for "n < m", trimmed: MathJax's role="img" SVG
# whose glyphs are references into the page's shared definitions.
_FORMULA = (
    '<svg style="vertical-align: -0.05ex;" width="5ex" role="img" focusable="false">'
    '<use xlink:href="#MJX-TEX-I-1D45B"></use></svg>'
)


def _translator(svg: str, display: bool) -> SimpleNamespace:
    env = SimpleNamespace(
        studybook_math_svg={("n < m", display): svg},
        studybook_math_glyphs={"MJX-TEX-I-1D45B": '<path id="MJX-TEX-I-1D45B" d="M0"></path>'},
    )
    return SimpleNamespace(builder=SimpleNamespace(env=env), body=[])


def test_inline_formula_svg_is_an_image_named_by_its_tex():
    translator = _translator(_FORMULA, display=False)
    with pytest.raises(nodes.SkipNode):
        mathsvg._visit_math(translator, nodes.math("n < m", "n < m"))
    html = "".join(translator.body)
    assert html.startswith('<span class="math sb-math"><svg class="sb-glyphs" aria-hidden="true">')
    named = '<svg style="vertical-align: -0.05ex;" width="5ex" role="img" aria-label="n &lt; m"'
    assert named in html
    # Neither the span nor anything else carries a second, role-less label.
    assert html.count("aria-label") == 1


def test_display_formula_is_named_on_its_svg_not_on_the_div():
    translator = _translator(_FORMULA, display=True)
    with pytest.raises(nodes.SkipNode):
        mathsvg._visit_math_block(translator, nodes.math_block("n < m", "n < m"))
    html = "".join(translator.body)
    assert html.startswith('<div class="math sb-math-block" tabindex="0"><div class="sb-equation">')
    assert '<div class="sb-equation"><svg class="sb-glyphs"' in html
    assert html.count('role="img" aria-label="n &lt; m"') == 1
    assert html.count("aria-label") == 1


def test_a_formula_mathjax_could_not_render_stays_readable_code():
    error = '<code class="sb-math-error">\\nope</code>'
    assert mathsvg._named(error, "\\nope") == error


def test_an_svg_that_is_not_an_image_is_refused_naming_the_formula():
    with pytest.raises(ValueError, match=r"MathJax's SVG for 'n < m' is not role=img"):
        mathsvg._named('<svg width="5ex"><use/></svg>', "n < m")


def test_pages_are_scanned_for_formulas_once_and_again_after_a_latex_read() -> None:
    from docutils.utils import new_document

    from studybook.sphinxext.doctrees import forget_doctrees

    loads: list[str] = []

    def get_doctree(docname: str) -> nodes.document:
        loads.append(docname)
        return new_document(docname)  # no formula: no renderer is started

    env = SimpleNamespace(found_docs={"a", "b"}, get_doctree=get_doctree)

    def build(builder: str, read: set[str]) -> list[str]:
        app = SimpleNamespace(
            builder=SimpleNamespace(name=builder, format=builder),
            env=env,
            _studybook_read_docs=read,
        )
        before = len(loads)
        mathsvg._render_math(app, env)
        forget_doctrees(app, env)
        return sorted(loads[before:])

    assert build("html", {"b"}) == ["a", "b"]  # a fresh cache: every page
    assert build("html", set()) == []  # nothing read, nothing scanned
    assert build("html", {"b"}) == ["b"]  # the page read again
    # LaTeX renders no formula: the page it read is scanned by the next HTML build,
    # as when that build starts from LaTeX's doctrees (doctrees.seed_doctrees).
    assert build("latex", {"a"}) == []
    assert build("html", set()) == ["a"]
