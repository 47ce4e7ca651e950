"""The EPUB's XHTML and SVG fixes (studybook.sphinxext.epub), checked without a browser.

EPUBCheck itself runs on the whole book in ``tox -e epub``; these tests pin
each rule on small inputs, and build a two-page EPUB to see the builder
declare inline SVG in the manifest.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from studybook.sphinxext.epub import clean_diagram_svg, manifest_properties, xhtml_svg

SVG = "http://www.w3.org/2000/svg"


def svg(inner: str, **attributes: str) -> str:
    attrs = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attributes.items())
    return f'<svg xmlns="{SVG}"{attrs}>{inner}</svg>'


def parse(text: str) -> ElementTree.Element:
    return ElementTree.fromstring(text)


# ---------------------------------------------------------------- diagrams


def test_unsized_rects_go_and_sized_ones_stay():
    out = parse(clean_diagram_svg(svg('<rect/><rect class="background"/><rect width="3"/>'
                                      '<rect width="4" height="5"/>')))  # fmt: skip
    rects = out.findall(f"{{{SVG}}}rect")
    assert [(r.get("width"), r.get("height")) for r in rects] == [("4", "5")]


def test_attributes_outside_svg_1_1_are_removed_or_moved():
    out = clean_diagram_svg(
        svg(
            '<rect width="1" height="1" name="A" transform-origin="5px 6px"/>'
            '<rect width="1" height="1" style="fill: red;" transform-origin="1px 2px"/>'
            '<circle r="7" width="14" height="14"/>'
            '<text font-weight="" font-style="normal">t</text>',
            role="graphics-document document",
            aria_roledescription="flowchart",
        )
    )
    assert out == svg(
        '<rect width="1" height="1" style="transform-origin: 5px 6px"/>'
        '<rect width="1" height="1" style="fill: red; transform-origin: 1px 2px"/>'
        '<circle r="7"/>'
        '<text font-style="normal">t</text>',
        role="img",
        aria_roledescription="flowchart",
    )


@pytest.mark.parametrize("role", ["img", "document", "application"])
def test_allowed_roles_are_kept(role):
    assert parse(clean_diagram_svg(svg("<g/>", role=role))).get("role") == role


def test_ids_that_are_not_xml_names_are_renamed_with_their_references():
    # Mermaid names a state's node after the state: "state-;-3" is what a
    # stray ";" in a transition label gives (it ends a mermaid statement).
    out = clean_diagram_svg(
        svg(
            '<g id="state-;-3"/><g id="state-_-3"/><g id="2nd"/>'
            '<use href="#state-;-3"/><path fill="url(#2nd)" d="M0 0"/>'
        )
    )
    assert re.findall(r'id="([^"]*)"', out) == ["state-_-3_2", "state-_-3", "_2nd"]
    assert 'href="#state-_-3_2"' in out
    assert 'fill="url(#_2nd)"' in out


def test_cleaning_is_idempotent_and_keeps_what_is_valid():
    valid = svg('<style>#d1 .a&gt;b{fill:red;}</style><g><rect width="1" height="2"/>'
                '<text x="1">a &amp; b</text></g>', id="d1", role="img")  # fmt: skip
    once = clean_diagram_svg(valid)
    assert once == valid
    assert clean_diagram_svg(once) == once


@pytest.mark.parametrize("bad", [None, b"<svg/>", 1, ["<svg/>"]])
def test_clean_diagram_svg_rejects_non_strings(bad):
    with pytest.raises(TypeError, match=re.escape(repr(bad))):
        clean_diagram_svg(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["", "<svg>", "<svg><br></svg>", "not xml", "<html/>"])
def test_clean_diagram_svg_rejects_what_is_not_an_svg_document(bad):
    with pytest.raises(ValueError, match=re.escape(repr(bad[:60]))):
        clean_diagram_svg(bad)


# ---------------------------------------------------------------- pages

GLYPHS = (
    '<svg class="sb-glyphs" aria-hidden="true"><defs>'
    '<path id="MJX-TEX-I-1D45B" d="M21 287Z"></path><path id="MJX-TEX-N-32" d="M1 2Z"/>'
    "</defs></svg>"
)
FORMULA = (
    f'<svg xmlns="{SVG}" xmlns:xlink="http://www.w3.org/1999/xlink" role="img" viewBox="0 0 1 1">'
    '<g><use xlink:href="#MJX-TEX-I-1D45B"></use></g></svg>'
)


def test_glyph_outlines_become_unclipped_symbols_in_the_svg_namespace():
    body = f'<p>Let <span class="math">{GLYPHS}{FORMULA}</span> be.</p>'
    out = xhtml_svg(body)
    page = parse(out)
    glyphs = page.find(f".//{{{SVG}}}svg[@class='sb-glyphs']")
    assert glyphs is not None
    symbols = glyphs.findall(f"{{{SVG}}}defs/{{{SVG}}}symbol")
    assert [(s.get("id"), s.get("overflow")) for s in symbols] == [
        ("MJX-TEX-I-1D45B", "visible"),
        ("MJX-TEX-N-32", "visible"),
    ]
    assert [p.attrib for s in symbols for p in s] == [{"d": "M21 287Z"}, {"d": "M1 2Z"}]
    assert FORMULA in out  # the formulas themselves are untouched
    assert out.replace(xhtml_svg(GLYPHS), GLYPHS) == body  # and so is everything else


def test_every_bare_svg_gets_the_namespace_once():
    octicon = '<svg version="1.1" width="1.2em" class="sd-octicon"><path d="M1 1Z"></path></svg>'
    out = xhtml_svg(f"<div>{octicon}{FORMULA}</div>")
    assert out == f'<div><svg xmlns="{SVG}"{octicon[4:]}{FORMULA}</div>'
    assert xhtml_svg(out) == out
    assert parse(out).find(f"{{{SVG}}}svg") is not None


def test_text_that_mentions_svg_is_not_touched():
    body = '<p>write &lt;svg&gt; or <code>&lt;svg class="sb-glyphs"&gt;</code></p>'
    assert xhtml_svg(body) == body


@pytest.mark.parametrize("bad", [None, b"<p/>", 3.5])
def test_xhtml_svg_rejects_non_strings(bad):
    with pytest.raises(TypeError, match=re.escape(repr(bad))):
        xhtml_svg(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("<p>prose &lt;svg&gt; &lt;script&gt;</p>", []),
        (f"<p>{FORMULA}</p>", ["svg"]),
        ('<script src="a.js"></script>', ["scripted"]),
        ('<math xmlns="http://www.w3.org/1998/Math/MathML"/>', ["mathml"]),
        (f'<script>x</script>{FORMULA}<m:math xmlns:m="x"/>', ["mathml", "scripted", "svg"]),
        ("<svgfoo/><scripts/>", []),
    ],
)
def test_manifest_properties(page, expected):
    assert manifest_properties(page) == expected


@pytest.mark.parametrize("bad", [None, b"<svg/>", 0])
def test_manifest_properties_rejects_non_strings(bad):
    with pytest.raises(TypeError, match=re.escape(repr(bad))):
        manifest_properties(bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------- builder


def test_the_builder_declares_inline_svg_and_leaves_out_what_is_not_the_book(tmp_path: Path):
    src = tmp_path / "src"
    (src / "_static").mkdir(parents=True)
    (src / "_static" / "app.mjs").write_text("export {};\n", encoding="utf-8")
    (src / "conf.py").write_text(
        'project = "t"\nextensions = ["studybook.sphinxext.epub"]\n'
        'html_static_path = ["_static"]\nepub_show_urls = "no"\n',
        encoding="utf-8",
    )
    (src / "index.rst").write_text("T\n=\n\n.. toctree::\n\n   drawn\n   plain\n", encoding="utf-8")
    (src / "drawn.rst").write_text(
        "Drawn\n=====\n\n.. raw:: html\n\n"
        '   <p><svg viewBox="0 0 1 1"><path d="M0 0Z"/></svg></p>\n',
        encoding="utf-8",
    )
    (src / "plain.rst").write_text("Plain\n=====\n\nText.\n", encoding="utf-8")
    out = tmp_path / "out"
    # What an earlier build may leave behind: an image no page shows any more.
    (out / "_images").mkdir(parents=True)
    (out / "_images" / "stale.svg").write_text(f'<svg xmlns="{SVG}"/>', encoding="utf-8")
    (out / ".buildinfo.bak").write_text("# Sphinx build info\n", encoding="utf-8")
    warnings = io.StringIO()
    with docutils_namespace():  # undo the registrations, as build_main does
        app = Sphinx(src, src, out, tmp_path / "doctrees", "epub", status=None, warning=warnings)
        app.build()
    assert "unknown mimetype" not in warnings.getvalue()
    with zipfile.ZipFile(out / "t.epub") as book:
        opf = book.read("content.opf").decode()
        drawn = book.read("drawn.xhtml").decode()
        names = book.namelist()
    items = dict(re.findall(r'<item id="[^"]*" href="([^"]+)"([^>]*)/>', opf))
    assert 'properties="svg"' in items["drawn.xhtml"]
    assert "properties" not in items["plain.xhtml"]
    assert f'<svg xmlns="{SVG}" viewBox="0 0 1 1">' in drawn
    assert not [n for n in names if n.endswith((".mjs", ".bak")) or n.startswith("_images/")]
    assert "stale" not in opf
