"""The Sphinx extension: hub generation, doctest grouping, stdlib links."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from studybook.book import CHAPTERS, PARTS
from studybook.sphinxext import doctests, hub, references

_PYTHON_DOCS = "https://docs.python.org/3/"


@pytest.fixture(scope="module")
def python_inventory():
    """The standard library's objects as conf.py's intersphinx setting finds them."""
    from sphinx.util.inventory import InventoryFile

    base, inventory = _conf()["intersphinx_mapping"]["python"]
    assert base == _PYTHON_DOCS  # links go to the web, not to the local file
    with open(inventory, "rb") as stream:
        return InventoryFile.load(stream, base, lambda a, b: a + b)


def _conf():
    import runpy
    from pathlib import Path

    return runpy.run_path(str(Path(__file__).resolve().parent.parent / "conf.py"))


@pytest.mark.parametrize(
    ("role", "target", "page"),
    [
        ("py:class", "bytes", "stdtypes.html#bytes"),
        ("py:class", "int", "functions.html#int"),
        ("py:exception", "ValueError", "exceptions.html#ValueError"),
        ("py:function", "len", "functions.html#len"),
        ("py:class", "collections.abc.Iterator", "collections.abc.html#collections.abc.Iterator"),
        ("py:class", "typing.TextIO", "typing.html#typing.TextIO"),
        ("py:class", "os.PathLike", "os.html#os.PathLike"),
    ],
)
def test_stdlib_names_link_to_the_python_docs(python_inventory, role, target, page):
    assert python_inventory[role][target].uri == _PYTHON_DOCS + "library/" + page


def test_a_missing_inventory_stops_the_build_naming_file_and_package(monkeypatch):
    from pathlib import Path

    from sphinx.errors import ConfigError

    is_file = Path.is_file
    monkeypatch.setattr(Path, "is_file", lambda p: p.name != "objects.inv" and is_file(p))
    with pytest.raises(ConfigError, match=r"/usr/share/doc/python3/html/objects\.inv.*python3-doc"):
        _conf()


_REFERENCES_CONF = """
extensions = ["sphinx.ext.intersphinx"]
intersphinx_mapping = {"python": ("https://docs.python.org/3/", %r)}
nitpicky = True

def setup(app):
    from studybook.sphinxext import references
    app.connect("missing-reference", references._resolve_python_reference)
"""


def test_what_intersphinx_misses_is_resolved_and_typos_still_warn(tmp_path):
    from sphinx.cmd.build import build_main

    inventory = _conf()["intersphinx_mapping"]["python"][1]
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "conf.py").write_text(_REFERENCES_CONF % inventory)
    (src / "index.rst").write_text(
        "Page\n====\n\n"
        ":py:class:`_asyncio.Future` :py:class:`asyncio.unix_events._UnixSelectorEventLoop`"
        " :py:class:`studybook.dsa.lsm_tree.merge.V`\n"
    )
    assert build_main(["-q", "-W", "-b", "html", str(src), str(out)]) == 0
    html = (out / "index.html").read_text()
    for page in [
        "asyncio-future.html#asyncio.Future",
        "asyncio-eventloop.html#asyncio.SelectorEventLoop",
    ]:
        assert f'href="{_PYTHON_DOCS}library/{page}"' in html
    # The type variable: no warning (-W above) and no link.
    assert "merge.V</span></code>" in html
    assert "merge.V</span></code></a>" not in html
    (src / "index.rst").write_text("Page\n====\n\n:py:class:`asyncio.NoSuchThing`\n")
    assert build_main(["-q", "-W", "-b", "html", str(src), str(out / "typo")]) != 0


def test_docstring_examples_get_their_module_namespace_and_group():
    lines = ["Summary.", "", ">>> chapter('lsm-tree').id", "'lsm-tree'", "", "Tail."]
    doctests._group_docstring_examples(
        None, "function", "studybook.book.chapter", hub._front_matter, None, lines
    )
    text = "\n".join(lines)
    assert ".. testsetup:: studybook-book-chapter" in text
    assert "import_module('studybook.sphinxext.hub')" in text  # the object's own module
    assert (
        ".. doctest:: studybook-book-chapter\n\n   >>> chapter('lsm-tree').id\n   'lsm-tree'"
        in text
    )
    assert text.endswith("Tail.")


def test_docstrings_without_examples_are_left_alone():
    lines = ["Summary.", "", "No examples here."]
    doctests._group_docstring_examples(None, "module", "studybook.book", None, None, lines)
    assert lines == ["Summary.", "", "No examples here."]


def test_hub_has_a_card_and_a_toctree_entry_per_chapter():
    pages = {
        ch: {"summary": "A  summary.", "icon": "book", "badges": ["Code Examples"]}
        for ch in CHAPTERS
    }
    text = hub._hub_markdown(pages)
    for ch in CHAPTERS:
        assert f"{ch.title}\n:link: {ch.docname}\n" in text
        assert f"\n{ch.docname}\n" in text
    assert "A summary." in text  # whitespace folded
    assert "{bdg-info}`Code Examples`" in text
    # A part appears (heading and sidebar caption) exactly when it has chapters.
    for part in PARTS:
        has_chapters = any(c.part == part.id for c in CHAPTERS)
        assert (f"## {part.title}\n" in text) == has_chapters
        assert (f":caption: {part.title}\n" in text) == has_chapters


def test_front_matter_errors_name_the_page(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("# No front matter\n")
    with pytest.raises(ValueError, match=r"p\.md: a chapter page needs YAML front matter"):
        hub._front_matter(page)
    page.write_text("---\nsummary: S.\nicon: book\n---\n# T\n")
    with pytest.raises(ValueError, match=r"front matter lacks \['badges'\]"):
        hub._front_matter(page)
    page.write_text("---\nsummary: S.\nicon: book\nbadges: [Shiny]\n---\n# T\n")
    with pytest.raises(ValueError, match=r"unknown badges \['Shiny'\]"):
        hub._front_matter(page)


def test_doctest_flags_are_the_same_in_sphinx_pytest_and_the_cli():
    import runpy
    import tomllib
    from pathlib import Path

    from studybook.__main__ import _FLAGS

    root = Path(__file__).resolve().parent.parent
    conf = runpy.run_path(str(root / "conf.py"))
    pytest_flags = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["pytest"][
        "ini_options"
    ]["doctest_optionflags"]
    from_pytest = 0
    for name in pytest_flags:
        from_pytest |= getattr(doctest, name)
    assert conf["doctest_default_flags"] == _FLAGS == from_pytest
    assert not _FLAGS & doctest.IGNORE_EXCEPTION_DETAIL  # error messages must match


def test_only_real_type_variables_are_shown_unlinked():
    assert references._is_type_variable("studybook.dsa.lsm_tree.merge.V")
    assert not references._is_type_variable("studybook.book.Chapter")
    assert not references._is_type_variable("studybook.no_such_module.T")
    assert not references._is_type_variable("typing.TypeVar")


def test_property_and_constant_examples_run_in_their_defining_module():
    from studybook.dsa.lsm_tree.sstable import TableWriter

    prop = TableWriter.__dict__["estimated_bytes"]
    assert doctests._defining_module("x.TableWriter.estimated_bytes", prop) == (
        "studybook.dsa.lsm_tree.sstable"
    )
    assert doctests._defining_module("studybook.book.PARTS", ()) == "studybook.book"
    assert doctests._defining_module("nowhere.at.all", 3) is None


_LATEX_CONF = """
project = "tiny"
extensions = ["sphinx.ext.intersphinx"]
intersphinx_mapping = {"python": ("https://docs.python.org/3/", %r)}
latex_show_urls = "footnote"
nitpicky = True

def setup(app):
    from studybook.sphinxext.latex import InventoryReferencesAsText
    app.add_post_transform(InventoryReferencesAsText)
"""


def test_stdlib_references_print_as_code_while_written_links_keep_footnotes(tmp_path):
    from sphinx.cmd.build import build_main

    inventory = _conf()["intersphinx_mapping"]["python"][1]
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "conf.py").write_text(_LATEX_CONF % inventory)
    (src / "index.rst").write_text(
        "Page\n====\n\n"
        "A :py:class:`dict` maps keys; :py:func:`len` counts them.\n\n"
        ".. py:data:: TABLE\n   :type: dict[str, int]\n\n"
        "See `the len docs <https://docs.python.org/3/library/functions.html#len>`_"
        " and `RFC 9110 <https://www.rfc-editor.org/rfc/rfc9110>`_.\n"
    )
    assert build_main(["-q", "-W", "-b", "latex", str(src), str(out)]) == 0
    tex = (out / "tiny.tex").read_text()
    # Code style as in the HTML, but no link and no footnote.
    assert r"A \sphinxcode{\sphinxupquote{dict}} maps keys;" in tex
    assert r" \sphinxcode{\sphinxupquote{len()}} counts them." in tex
    assert r"\DUrole{w}{ }dict\DUrole{p}{{[}}str\DUrole{p}{,}\DUrole{w}{ }int" in tex  # a signature
    assert "stdtypes.html" not in tex
    assert tex.count(r"\sphinxhref{") == 2  # the two written links below
    # Written links, even to an address in the inventory, keep link and footnote.
    for url in [
        r"https://docs.python.org/3/library/functions.html\#len",
        "https://www.rfc-editor.org/rfc/rfc9110",
    ]:
        assert rf"\sphinxhref{{{url}}}" in tex
        assert rf"\sphinxnolinkurl{{{url}}}" in tex
    assert tex.count(r"\begin{footnote}") == 2


def test_pdf_front_opens_each_part_and_ends_with_the_api_appendix():
    pages = {ch: {} for ch in CHAPTERS}
    source = "# studybook\n\n## How to use this book\n\n```{studybook-hub}\n```\n"
    text = hub._latex_front(source, pages, ["dsa/lsm-tree/api"])
    opened = [line for line in text.splitlines() if line.startswith("\\sb")]
    assert opened == [
        *(
            "\\sbpart{" + p.title.replace("&", r"\&") + "}{" + p.blurb + "}"
            for p in PARTS
            if any(c.part == p.id for c in CHAPTERS)
        ),
        "\\sbappendix{API Reference}{Each chapter's module, generated from its docstrings:"
        " every public name, its signature, arguments, errors and cost}",
    ]
    # Each part's chapters follow its part page; the API pages follow the appendix's.
    assert text.endswith("\\sbappendix" + text.split("\\sbappendix")[-1])
    assert text.split("\\sbappendix")[-1].count("dsa/lsm-tree/api") == 1
    assert "dsa/lsm-tree/api" not in text.split("\\sbappendix")[0]
    assert "\\chapter*{How to use this book}" in text
    assert hub._latex_front(source, pages, []).count("\\sbappendix") == 0


def test_api_pages_are_found_next_to_their_chapter(tmp_path):
    (tmp_path / "dsa" / "lsm-tree").mkdir(parents=True)
    (tmp_path / "dsa" / "lsm-tree" / "api.md").write_text("# API\n")
    (tmp_path / "dsa" / "big-o").mkdir()  # a folder without an API page
    assert hub.api_pages(tmp_path) == ["dsa/lsm-tree/api"]


_FUZZY_CONF = """
extensions = ["sphinx.ext.intersphinx"]
intersphinx_mapping = {"python": ("https://docs.python.org/3/", %r)}
nitpicky = True

def setup(app):
    if %r:
        from studybook.sphinxext.references import SkipHopelessFuzzySearch
        app.add_post_transform(SkipHopelessFuzzySearch)
"""

_FUZZY_PAGE = """Page
====

.. py:module:: pkg.shapes

.. py:class:: Node

.. py:function:: walk(start: Node, depth: int) -> list[Node]

.. py:module:: pkg.other

.. py:function:: grow(node: Node, times: int) -> dict[str, Node]
"""


def test_references_no_object_could_match_skip_the_fuzzy_search_and_link_the_same(
    tmp_path, monkeypatch
):
    from sphinx.cmd.build import build_main
    from sphinx.domains.python import PythonDomain

    inventory = _conf()["intersphinx_mapping"]["python"][1]
    searched: list[tuple[str, int]] = []
    find_obj = PythonDomain.find_obj

    def spy(self, env, modname, classname, name, type, searchmode=0):
        searched.append((name, searchmode))
        return find_obj(self, env, modname, classname, name, type, searchmode)

    monkeypatch.setattr(PythonDomain, "find_obj", spy)
    pages = {}
    for fix in (False, True):
        src, out = tmp_path / f"src{fix}", tmp_path / f"out{fix}"
        src.mkdir()
        (src / "conf.py").write_text(_FUZZY_CONF % (inventory, fix))
        (src / "index.rst").write_text(_FUZZY_PAGE)
        searched.clear()
        assert build_main(["-q", "-W", "-b", "html", str(src), str(out)]) == 0
        pages[fix] = (out / "index.html").read_text()
        fuzzy = {name for name, mode in searched if mode == 1}
        # Node, from pkg.other, is found only by the fuzzy search: it keeps it either way.
        assert "Node" in fuzzy
        assert ({"int", "str", "list", "dict"} & fuzzy == set()) is fix
    assert pages[False] == pages[True]
    assert 'href="#pkg.shapes.Node"' in pages[True]
    assert f'href="{_PYTHON_DOCS}library/functions.html#int"' in pages[True]


def test_the_hub_is_read_again_only_when_what_it_shows_changes(tmp_path):
    import shutil
    from types import SimpleNamespace

    docs = Path(__file__).resolve().parents[1] / "docs"
    root = tmp_path / "docs"
    shutil.copytree(docs, root, ignore=shutil.ignore_patterns("_static", "*.py"))
    env = SimpleNamespace(doc2path=lambda doc: root / f"{doc}.md")
    app = SimpleNamespace(srcdir=str(root), config=SimpleNamespace(root_doc="index"))

    def outdated() -> list[str]:
        return hub._hub_outdated(app, env, set(), set(), set())

    assert outdated() == ["index"]  # never read: read it
    assert outdated() == []
    chapter = root / "dsa" / "lsm-tree.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + "\nOne more paragraph of prose.\n", encoding="utf-8")
    assert outdated() == []  # the chapter changed, nothing the hub shows did
    chapter.write_text(text + "\n```python\n>>> 1 + 1\n2\n```\n", encoding="utf-8")
    assert outdated() == ["index"]  # one example more in the book's count
    icon = re.search(r"^icon: .*$", text, re.M)
    assert icon is not None
    chapter.write_text(text.replace(icon[0], "icon: book"), encoding="utf-8")
    assert outdated() == ["index"]  # its card's icon
    assert outdated() == []
    (root / "index.md").write_text("# A book without the hub\n", encoding="utf-8")
    assert outdated() == []


_KEPT_CONF = """
project = "tiny"
latex_elements = {"papersize": "%s"}

def setup(app):
    from studybook.sphinxext.latex import BookLaTeXBuilder, stamp_latex_inputs
    app.add_builder(BookLaTeXBuilder, override=True)
    app.connect("build-finished", stamp_latex_inputs)
"""


# A 1x1 PNG, for an image the LaTeX builder copies.
_PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005fe02fea7d6a1b40000000049454e44ae426082"
)


def test_the_latex_is_written_again_only_when_it_may_differ(tmp_path, capsys):
    from sphinx.cmd.build import build_main

    from studybook.sphinxext.latex import INPUTS_STAMP

    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    tex, stamp = out / "tiny.tex", out / INPUTS_STAMP

    def build(*options: str, paper: str = "a4paper") -> tuple[int, bool]:
        """The build's exit code, and whether it wrote the LaTeX."""
        (src / "conf.py").write_text(_KEPT_CONF % paper)
        capsys.readouterr()
        code = build_main(["-W", "--keep-going", *options, "-b", "latex", str(src), str(out)])
        return code, "the LaTeX is made from changed" not in capsys.readouterr().out

    (src / "pixel.png").write_bytes(_PIXEL)
    (src / "index.rst").write_text("Page\n====\n\nSome text.\n\n.. image:: pixel.png\n")
    assert build() == (0, True)
    assert stamp.is_file()
    assert (out / "pixel.png").is_file()
    assert build() == (0, False)  # nothing changed
    assert build("-E") == (0, True)  # every page read again
    assert build(paper="letterpaper") == (0, True)  # latex_elements changed
    assert "letterpaper" in tex.read_text()
    (src / "index.rst").write_text("Page\n====\n\nOther text.\n")
    assert build(paper="letterpaper") == (0, True)  # a page changed
    (src / "more.rst").write_text(":orphan:\n\nMore\n====\n\nA page in no toctree.\n")
    assert build(paper="letterpaper") == (0, True)  # a page added
    (src / "more.rst").unlink()
    assert build(paper="letterpaper") == (0, True)  # a page removed
    # A build that warns leaves no stamp: the next one writes again, and warns again.
    (src / "index.rst").write_text("Page\n====\n\nSee :ref:`nowhere`.\n\n.. image:: pixel.png\n")
    assert build(paper="letterpaper") == (1, True)
    assert not stamp.exists()
    assert build(paper="letterpaper") == (1, True)
    (src / "index.rst").write_text("Page\n====\n\nSee :ref:`genindex`.\n\n.. image:: pixel.png\n")
    assert build(paper="letterpaper") == (0, True)
    assert build(paper="letterpaper") == (0, False)
    # What it wrote, changed or gone, is written again.
    tex.write_text(tex.read_text() + "% edited\n")
    assert build(paper="letterpaper") == (0, True)
    assert "% edited" not in tex.read_text()
    (out / "pixel.png").unlink()
    assert build(paper="letterpaper") == (0, True)
    assert (out / "pixel.png").is_file()
    tex.unlink()
    assert build(paper="letterpaper") == (0, True)
    assert build(paper="letterpaper") == (0, False)
