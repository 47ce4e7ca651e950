"""The question and exercise keys that reading progress and exercise checks name blocks by."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.cmd.build import build_main

CONF = """
extensions = ["myst_parser"]
myst_enable_extensions = ["colon_fence"]

def setup(app):
    from studybook.sphinxext import questions as q
    app.add_node(q.question, html=(q._visit_question_html, q._depart_details_html))
    app.add_node(q.exercise, html=(q._visit_exercise_html, q._depart_div_html))
    app.add_node(q.solution, html=(q._visit_solution_html, q._depart_details_html))
    app.add_directive("question", q.QuestionDirective)
    app.add_directive("exercise", q.ExerciseDirective)
    app.add_directive("solution", q.SolutionDirective)
"""

PAGE = """# Page {n}

```{{question}} Why are SSTables immutable?
Because.
```

```{{question}} Why are SSTables immutable?
Asked twice on one page.
```

```{{exercise}} Two *sum*
Write it.
```

```{{question}} ???
No letters in the title.
```
"""


def _keys(html: str) -> list[str]:
    return re.findall(r'data-sb-key="([^"]*)"', html)


def test_keys_are_slugs_of_titles_numbered_per_page(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "conf.py").write_text(CONF)
    (src / "index.md").write_text("# Book\n\n```{toctree}\na\nb\n```\n")
    for n in "ab":
        (src / f"{n}.md").write_text(PAGE.format(n=n))
    assert build_main(["-q", "-W", "-b", "html", str(src), str(out)]) == 0
    expected = [
        "q-why-are-sstables-immutable",
        "q-why-are-sstables-immutable-2",
        "x-two-sum",
        "q-untitled",
    ]
    # The count restarts on every page, so each page's keys are the same.
    for n in "ab":
        assert _keys((out / f"{n}.html").read_text()) == expected
