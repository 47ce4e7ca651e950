"""The Sphinx extension: hub generation, doctest grouping, stdlib links."""

from __future__ import annotations

import doctest

import pytest

from studybook.book import CHAPTERS, PARTS
from studybook.sphinxext import doctests, hub, references


@pytest.mark.parametrize(
    ("target", "url"),
    [
        ("bytes", "stdtypes.html#bytes"),
        ("ValueError", "exceptions.html#ValueError"),
        ("len", "functions.html#len"),
        ("collections.abc.Iterator", "collections.abc.html#collections.abc.Iterator"),
        ("typing.TextIO", "typing.html#typing.TextIO"),
        ("os.PathLike", "os.html#os.PathLike"),
    ],
)
def test_stdlib_names_link_to_the_python_docs(target, url):
    assert references._stdlib_url(target) == "https://docs.python.org/3/library/" + url


@pytest.mark.parametrize("target", ["LSMTree", "studybook.book.Part", "os.NoSuchThing", "numpy.x"])
def test_non_stdlib_names_stay_unresolved(target):
    # Unresolved means Sphinx's nitpicky mode still reports a typo.
    assert references._stdlib_url(target) is None


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
