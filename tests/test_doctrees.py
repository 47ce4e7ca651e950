"""Pickled doctrees hold their own page only, not the build environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

CONF = """
extensions = ["myst_parser", "sphinx.ext.autodoc"]

def setup(app):
    if {fix}:
        from studybook.sphinxext.doctrees import _own_document
        app.connect("doctree-read", _own_document, priority=950)
"""

PAGE = """# API

```{eval-rst}
.. autofunction:: studybook.sphinxext.doctrees._own_document
```
"""


@pytest.mark.parametrize("fix", [False, True])
def test_a_nested_parse_does_not_pickle_the_environment(tmp_path: Path, fix: bool) -> None:
    src, out, trees = tmp_path / "src", tmp_path / "out", tmp_path / "trees"
    src.mkdir()
    (src / "conf.py").write_text(CONF.format(fix=fix))
    (src / "index.md").write_text(PAGE)
    assert build_main(["-q", "-b", "html", "-d", str(trees), str(src), str(out)]) == 0
    pickled = (trees / "index.doctree").read_bytes()
    # Without the fix the page carries the environment (the control: the test can fail).
    assert (b"BuildEnvironment" in pickled) is not fix


def test_env_updated_handlers_share_one_unpickled_copy_per_page() -> None:
    from types import SimpleNamespace
    from typing import Any, cast

    from docutils import nodes
    from docutils.utils import new_document

    from studybook.sphinxext.doctrees import forget_doctrees, page_doctree

    loads: list[str] = []

    def get_doctree(docname: str) -> nodes.document:
        loads.append(docname)
        return new_document(docname)

    app = cast(Any, SimpleNamespace(env=SimpleNamespace(get_doctree=get_doctree)))
    first = page_doctree(app, "a")
    assert page_doctree(app, "a") is first
    page_doctree(app, "b")
    assert loads == ["a", "b"]
    forget_doctrees(app, app.env)
    # Let go once the handlers are done: the next build's handlers load afresh.
    assert page_doctree(app, "a") is not first
    assert loads == ["a", "b", "a"]


@pytest.mark.parametrize(
    ("parallel", "pages", "imports"), [(2, 104, True), (1, 104, False), (2, 3, False)]
)
def test_modules_are_preloaded_only_before_a_large_parallel_read(
    monkeypatch: pytest.MonkeyPatch, parallel: int, pages: int, imports: bool
) -> None:
    from types import SimpleNamespace
    from typing import Any, cast

    from studybook.sphinxext import doctrees

    seen: list[str] = []
    monkeypatch.setattr(doctrees, "_import", seen.append)
    app = cast(Any, SimpleNamespace(parallel=parallel))
    doctrees.preload_modules(app, None, [f"page{i}" for i in range(pages)])
    assert bool(seen) is imports
    if imports:
        assert "studybook.dsa.lsm_tree" in seen
        # Never the command line (importing it runs it), never the build's own extension.
        assert not [m for m in seen if m.endswith("__main__") or ".sphinxext" in m]


DOCTEST_CONF = """
from pathlib import Path
extensions = ["myst_parser", "sphinx.ext.doctest"]

def _note(app, env, docnames):
    with Path({log!r}).open("a") as log:
        log.write(" ".join(docnames) + " ")

def setup(app):
    app.connect("env-before-read-docs", _note)
"""


def _read_pages(src: Path, builder: str, trees: Path, out: Path) -> list[str]:
    """Build *src* with *builder* and return the pages Sphinx read (parsed again)."""
    log = out.with_suffix(".read")
    log.write_text("")
    (src / "conf.py").write_text(DOCTEST_CONF.format(log=str(log)))
    assert build_main(["-q", "-b", builder, "-d", str(trees), str(src), str(out)]) == 0
    return log.read_text().split()


def test_the_doctest_builder_starts_from_the_html_builders_pages(tmp_path: Path) -> None:
    from studybook.sphinxext.doctrees import main, seed_doctrees

    src = tmp_path / "src"
    src.mkdir()
    (src / "index.md").write_text(
        "# One\n\n```{doctest}\n>>> 1 + 1\n2\n```\n\n```{toctree}\ntwo\n```\n"
    )
    (src / "two.md").write_text("# Two\n\n```{doctest}\n>>> 'two'\n'two'\n```\n")
    html_trees, doctest_trees = tmp_path / "trees-html", tmp_path / "trees-doctest"
    assert sorted(_read_pages(src, "html", html_trees, tmp_path / "html")) == ["index", "two"]
    assert seed_doctrees(html_trees, doctest_trees)
    assert (
        _read_pages(src, "doctest", doctest_trees, tmp_path / "doctest") == []
    )  # nothing read again
    assert "2 tests" in (tmp_path / "doctest" / "output.txt").read_text()
    # The HTML builder's own cache is left alone; a page changed since is read again.
    assert (html_trees / "environment.pickle").is_file()
    (src / "two.md").write_text("# Two\n\n```{doctest}\n>>> 'three'\n'three'\n```\n")
    assert main([str(html_trees), str(doctest_trees)]) == 0
    assert _read_pages(src, "doctest", doctest_trees, tmp_path / "doctest2") == ["two"]


def test_seeding_from_no_build_copies_nothing_and_onto_itself_is_refused(tmp_path: Path) -> None:
    from studybook.sphinxext.doctrees import seed_doctrees

    (tmp_path / "target").mkdir()
    (tmp_path / "target" / "environment.pickle").write_bytes(b"kept")
    assert not seed_doctrees(tmp_path / "none", tmp_path / "target")
    assert (tmp_path / "target" / "environment.pickle").read_bytes() == b"kept"
    with pytest.raises(ValueError, match="onto itself"):
        seed_doctrees(tmp_path / "target", tmp_path / "target")


VARIANT_CONF = """
from pathlib import Path
extensions = ["myst_parser"]

def _note(app, env, docnames):
    with Path({log!r}).open("a") as log:
        log.write(" ".join(docnames) + " ")

def _variant(app, doctree):
    # Like the book's diagrams: this page reads differently for LaTeX.
    from docutils import nodes
    from studybook.sphinxext.doctrees import note_variant_page
    if "variant" in doctree.astext():
        note_variant_page(app, app.env.docname)
        if app.builder.name == "latex":
            doctree.append(nodes.paragraph(text="Read for LaTeX."))

def setup(app):
    from studybook.sphinxext import doctrees
    app.connect("env-before-read-docs", _note)
    app.connect("doctree-read", _variant)
    app.connect("env-get-outdated", doctrees.pages_read_for_another_builder)
    app.connect("env-purge-doc", doctrees._forget_variant_page)
    app.connect("env-merge-info", doctrees._merge_variant_pages)
"""


def _read_variant_pages(src: Path, builder: str, trees: Path, out: Path) -> list[str]:
    log = out.with_suffix(".read")
    log.write_text("")
    (src / "conf.py").write_text(VARIANT_CONF.format(log=str(log)))
    # -j 2: eight pages or more are read by two processes, whose records are merged.
    args = ["-q", "-j", "2", "-b", builder, "-d", str(trees), str(src), str(out)]
    assert build_main(args) == 0
    return sorted(log.read_text().split())


def test_a_seeded_build_reads_again_only_the_pages_another_builder_read_differently(
    tmp_path: Path,
) -> None:
    from studybook.sphinxext.doctrees import seed_doctrees

    src = tmp_path / "src"
    src.mkdir()
    plain = [f"plain{i}" for i in range(8)]
    variant = ["variant1", "variant2"]
    (src / "index.md").write_text(
        "# Book\n\n```{toctree}\n" + "\n".join(plain + variant) + "\n```\n"
    )
    for name in plain:
        (src / f"{name}.md").write_text(f"# {name}\n\nThe same for every builder.\n")
    for name in variant:
        (src / f"{name}.md").write_text(f"# {name}\n\nA variant page.\n")
    trees = {b: tmp_path / f"trees-{b}" for b in ("latex", "html", "epub")}
    everything = sorted(["index", *plain, *variant])
    assert _read_variant_pages(src, "latex", trees["latex"], tmp_path / "latex") == everything
    assert "Read for LaTeX" in (tmp_path / "latex" / "projectnamenotset.tex").read_text()

    assert seed_doctrees(trees["latex"], trees["html"])
    assert _read_variant_pages(src, "html", trees["html"], tmp_path / "html") == variant
    for name in variant:
        assert "Read for LaTeX" not in (tmp_path / "html" / f"{name}.html").read_text()
    assert "The same for every builder" in (tmp_path / "html" / "plain3.html").read_text()
    # Its own pages are now the HTML builder's: a second build reads nothing.
    assert _read_variant_pages(src, "html", trees["html"], tmp_path / "html") == []
    # A builder that reads like it (doctest, here dirhtml) finds nothing to read again.
    assert seed_doctrees(trees["html"], trees["epub"])
    assert _read_variant_pages(src, "dirhtml", trees["epub"], tmp_path / "dirhtml") == []
    # And the way back: LaTeX from the HTML builder's pages reads the variants again.
    assert seed_doctrees(trees["html"], trees["latex"])
    assert _read_variant_pages(src, "latex", trees["latex"], tmp_path / "latex2") == variant
    assert "Read for LaTeX" in (tmp_path / "latex2" / "projectnamenotset.tex").read_text()


def test_seeding_keeps_a_target_newer_than_its_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    from studybook.sphinxext.doctrees import main, seed_doctrees

    source, target = tmp_path / "source", tmp_path / "target"
    for folder, content in ((source, b"older"), (target, b"newer")):
        folder.mkdir()
        (folder / "environment.pickle").write_bytes(content)
    os.utime(source / "environment.pickle", (1_000_000, 1_000_000))
    assert not seed_doctrees(source, target)
    assert (target / "environment.pickle").read_bytes() == b"newer"
    assert main([str(source), str(target)]) == 0
    assert capsys.readouterr().out == f"{target}: kept, as it is newer than {source}\n"
    assert main([str(tmp_path / "none"), str(target)]) == 0
    assert capsys.readouterr().out == f"{target}: kept, as {tmp_path / 'none'} holds no build yet\n"
    fresh = tmp_path / "fresh"
    assert main([str(tmp_path / "none"), str(fresh)]) == 0
    expected = f"{fresh}: {tmp_path / 'none'} holds no build yet; every page will be read\n"
    assert capsys.readouterr().out == expected
    os.utime(target / "environment.pickle", (500_000, 500_000))
    assert seed_doctrees(source, target)
    assert (target / "environment.pickle").read_bytes() == b"older"


def test_the_seeding_command_runs_without_a_warning(tmp_path: Path) -> None:
    import subprocess
    import sys

    command = [sys.executable, "-W", "error", "-m", "studybook.sphinxext.seed"]
    done = subprocess.run(
        [*command, str(tmp_path / "a"), str(tmp_path / "b")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert (
        done.stdout
        == f"{tmp_path / 'b'}: {tmp_path / 'a'} holds no build yet; every page will be read\n"
    )
