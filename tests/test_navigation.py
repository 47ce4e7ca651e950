"""The shared navigation tree is the one Sphinx computes for each page, byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.cmd.build import build_main

CONF = """
extensions = ["myst_parser"]
html_theme = "furo"

def setup(app):
    from studybook.sphinxext.navigation import _share_navigation
    app.connect("html-page-context", _share_navigation, priority=400)
"""

PAGES = {
    "index.md": "# Book\n\n```{toctree}\n:caption: Part one\n\none/a\none/b\n```\n\n"
    "```{toctree}\n:caption: Part two\n:hidden:\n\ntwo/c\nhttps://example.org/\n```\n",
    "one/a.md": "# A\n\n## A section\n\n```{toctree}\na-sub/x\na-sub/y\n```\n",
    "one/a-sub/x.md": "# X\n\n## X section\n\nText.\n",
    "one/a-sub/y.md": "# Y\n\nText.\n",
    "one/b.md": "# B\n\n## B one\n\n### B deeper\n",
    "two/c.md": "# C\n\nSee {doc}`../one/a`.\n",
    "orphan.md": "---\norphan: true\n---\n# Orphan\n\nNot in any toctree.\n",
    # Unlisted pages deeper down share their folder's tree (as viewcode's do).
    "one/a-sub/lost.md": "---\norphan: true\n---\n# Lost\n",
    "one/a-sub/also-lost.md": "---\norphan: true\n---\n# Also lost\n",
}


def _book(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    for name, text in {"conf.py": CONF, **PAGES}.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text)
    return src


def test_every_page_gets_the_tree_sphinx_would_draw(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDYBOOK_CHECK_NAVIGATION", "1")
    src = _book(tmp_path)
    assert build_main(["-q", "-E", "-b", "html", str(src), str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "one" / "a-sub" / "x.html").read_text()
    assert 'class="current reference internal" href="#"' in page
    assert 'href="../b.html"' in page
    # Each part's caption is a heading with the level ARIA requires of one.
    # (Furo re-serialises the tree, sorting attributes.)
    headings = re.findall(r"<p [^>]*role=\"heading\"[^>]*>", page)
    assert headings == ['<p aria-level="2" class="caption" role="heading">'] * 2


def test_the_check_fails_the_build_on_a_difference(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("STUDYBOOK_CHECK_NAVIGATION", "1")
    from studybook.sphinxext import navigation

    real = navigation.tree_for
    monkeypatch.setattr(navigation, "tree_for", lambda b, p: real(b, p).replace("B", "b", 1))
    src = _book(tmp_path)
    assert build_main(["-q", "-E", "-b", "html", str(src), str(tmp_path / "out")]) == 2
    assert "the shared navigation tree differs from Sphinx's on 'index'" in capsys.readouterr().err


def test_the_tree_is_rendered_once_per_listed_page_and_once_per_folder_of_the_rest(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("STUDYBOOK_CHECK_NAVIGATION", "1")  # and still Sphinx's, byte for byte
    from studybook.sphinxext import navigation

    rendered: list[str] = []
    real = navigation._render
    monkeypatch.setattr(
        navigation, "_render", lambda b, root, here: rendered.append(here) or real(b, root, here)
    )
    src = _book(tmp_path)
    assert build_main(["-q", "-E", "-b", "html", str(src), str(tmp_path / "out")]) == 0
    listed = ["one/a.html", "one/a-sub/x.html", "one/a-sub/y.html", "one/b.html", "two/c.html"]
    # The rest: the root folder (index, genindex, search, orphan: the hub is not
    # in its own tree) and one/a-sub (lost, also-lost), whichever is written first.
    assert sorted(rendered) == sorted([*listed, "index.html", "one/a-sub/also-lost.html"])
