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
