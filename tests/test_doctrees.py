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
