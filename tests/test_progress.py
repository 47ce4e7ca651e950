"""The build's side of reading progress: the index of pages and keys, and the plan slots."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from sphinx.cmd.build import build_main

from studybook.book import CHAPTERS, PARTS
from studybook.sphinxext.hub import _hub_markdown
from studybook.sphinxext.progress import (
    INDEX_FILE,
    INDEX_FORMAT,
    build_index,
    linked_pages,
    page_keys,
)
from studybook.sphinxext.questions import exercise, question

ROOT = Path(__file__).resolve().parents[1]

# myst-parser 4 resolves Markdown links through an attribute Sphinx 9 deprecates;
# the message is for its authors (conf.py silences a similar one).
pytestmark = pytest.mark.filterwarnings("ignore:.*MystReferenceResolver.app")

CONF = """
extensions = ["myst_parser"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

def setup(app):
    from studybook.sphinxext import questions as q, progress as p
    app.add_node(q.question, html=(q._visit_question_html, q._depart_details_html))
    app.add_node(q.exercise, html=(q._visit_exercise_html, q._depart_div_html))
    app.add_node(q.solution, html=(q._visit_solution_html, q._depart_details_html))
    app.add_directive("question", q.QuestionDirective)
    app.add_directive("exercise", q.ExerciseDirective)
    app.add_directive("solution", q.SolutionDirective)
    app.connect("builder-inited", p._add_progress_assets)
    app.connect("env-before-read-docs", p._note_read_docs)
    app.connect("env-updated", p._collect_keys)
    app.connect("doctree-resolved", p._mark_plan_sections)
    app.connect("html-page-context", p._add_page_name)
    app.connect("build-finished", p._write_index)
"""

CHAPTER = """# LSM Tree

```{question} Why are SSTables immutable?
Because.
```

```{question} Why are SSTables immutable?
Asked twice.
```

::::{exercise} Two *sum*
Write it.

:::{solution}
Done.
:::
::::

```{toctree}
lsm-tree/api
```
"""

SUBPAGE = """# API

## Reading a key

```{question} What does get return?
The value.
```
"""

PLAN = """# Quick Start

## Path 1: coding

1. {doc}`/dsa/lsm-tree` first, then [reading](/dsa/lsm-tree/api.md#reading-a-key).
2. {doc}`/dsa/lsm-tree` again, and [the other path](#path-2-design).

### Reading list

{doc}`/design/heuristics`

## Path 2: design

Nothing linked.

## Further reading

{doc}`/dsa/lsm-tree`
"""

PAGES = {
    "index.md": "# Book\n\n```{toctree}\ndsa/lsm-tree\ndesign/heuristics\nplans/quick-start\n"
    "notes\n```\n",
    "notes.md": "# Notes\n\n```{question} Outside any part?\nYes.\n```\n",
    "dsa/lsm-tree.md": CHAPTER,
    "dsa/lsm-tree/api.md": SUBPAGE,
    "design/heuristics.md": "# Heuristics\n\nNo blocks.\n",
    "plans/quick-start.md": PLAN,
}


def _build(src: Path, out: Path) -> None:
    args = ["-q", "-W", "-b", "html", "-d", str(out / ".doctrees"), str(src), str(out)]
    assert build_main(args) == 0


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("book")
    (src / "conf.py").write_text(CONF)
    for name, text in PAGES.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text)
    _build(src, src / "_out")
    return src


def _keys(html: str) -> list[str]:
    return re.findall(r'data-sb-key="([^"]*)"', html)


def _index(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / INDEX_FILE).read_text())
    return data


def test_index_lists_each_page_of_a_part_with_its_part_and_keys(book: Path) -> None:
    index = _index(book / "_out")
    assert index["format"] == INDEX_FORMAT
    assert index["version"] == 1
    assert index["pages"] == {
        "design/heuristics": {"part": "design", "chapter": True, "keys": []},
        "dsa/lsm-tree": {
            "part": "dsa",
            "chapter": True,
            "keys": ["q-why-are-sstables-immutable", "q-why-are-sstables-immutable-2", "x-two-sum"],
        },
        "dsa/lsm-tree/api": {"part": "dsa", "chapter": False, "keys": ["q-what-does-get-return"]},
        "plans/quick-start": {"part": "plans", "chapter": True, "keys": []},
    }
    parts = {part["id"]: part for part in index["parts"]}
    assert [part["id"] for part in index["parts"]] == [part.id for part in PARTS]
    assert parts["dsa"]["chapters"] == ["dsa/lsm-tree"]
    assert parts["design"]["chapters"] == ["design/heuristics"]
    assert parts["infra"]["chapters"] == []


def test_index_keys_are_the_htmls_keys_exactly_once(book: Path) -> None:
    out = book / "_out"
    pages = _index(out)["pages"]
    for docname, entry in pages.items():
        assert entry["keys"] == _keys((out / f"{docname}.html").read_text()), docname
    # The page outside every part has blocks, but no entry: nothing counts it.
    assert _keys((out / "notes.html").read_text()) == ["q-outside-any-part"]


def test_every_page_loads_the_script_and_names_itself(book: Path) -> None:
    out = book / "_out"
    chapter = (out / "dsa/lsm-tree.html").read_text()
    assert 'type="module" src="../_static/studybook-progress.mjs' in chapter
    assert 'href="../_static/studybook-progress.css' in chapter
    assert (
        '<meta name="studybook-page" content="dsa/lsm-tree" data-part="dsa" data-chapter="true">'
        in chapter
    )
    sub = (out / "dsa/lsm-tree/api.html").read_text()
    assert 'content="dsa/lsm-tree/api" data-part="dsa" data-chapter="false">' in sub
    # The hub and pages outside the parts get no page switch.
    assert '<meta name="studybook-page" content="index">' in (out / "index.html").read_text()
    assert '<meta name="studybook-page" content="notes">' in (out / "notes.html").read_text()


def _slots(html: str) -> list[tuple[str, str]]:
    """(section id, data-sb-docs) for each plan slot, the section being the nearest before."""
    found = []
    for match in re.finditer(
        r'<p class="sb-plan-progress" data-sb-docs="([^"]*)" hidden="hidden">', html
    ):
        section = re.findall(r'<section id="([^"]+)">', html[: match.start()])[-1]
        found.append((section, match[1]))
    return found


def test_plan_paths_get_a_slot_listing_the_pages_they_link_once(book: Path) -> None:
    html = (book / "_out" / "plans" / "quick-start.html").read_text()
    # Path 1 links its own subsection's page too; Path 2 links only itself (no
    # slot); "Further reading" is neither a week nor a path.
    assert _slots(html) == [("path-1-coding", "dsa/lsm-tree dsa/lsm-tree/api design/heuristics")]


def test_a_rebuild_updates_only_the_pages_it_reads(book: Path, tmp_path: Path) -> None:
    src = tmp_path / "book"
    src.mkdir()
    for path in book.rglob("*"):
        if path.is_file() and "_out" not in path.parts:
            target = src / path.relative_to(book)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    _build(src, src / "_out")
    page = src / "dsa" / "lsm-tree" / "api.md"
    page.write_text(SUBPAGE + "\n```{exercise} New one\nDo it.\n```\n")
    _build(src, src / "_out")
    pages = _index(src / "_out")["pages"]
    assert pages["dsa/lsm-tree/api"]["keys"] == ["q-what-does-get-return", "x-new-one"]
    # A page not read again keeps its keys from the cache.
    assert pages["dsa/lsm-tree"]["keys"][2] == "x-two-sum"


def test_the_hub_has_one_hidden_progress_slot_per_part() -> None:
    pages = {ch: {"summary": "s", "icon": "book", "badges": []} for ch in CHAPTERS}
    text = _hub_markdown(pages)
    slots = re.findall(
        r'<p class="sb-part-progress" data-sb-part="([^"]+)" hidden="hidden"></p>', text
    )
    assert slots == [part.id for part in PARTS if any(ch.part == part.id for ch in CHAPTERS)]


def test_build_index_counts_only_registered_chapters_as_chapters() -> None:
    first = CHAPTERS[0]
    index = build_index({first.docname: [], f"{first.docname}/sub": ["q-a"], "nowhere/x": []})
    assert index["pages"] == {
        first.docname: {"part": first.part, "chapter": True, "keys": []},
        f"{first.docname}/sub": {"part": first.part, "chapter": False, "keys": ["q-a"]},
    }
    owner = next(part for part in index["parts"] if part["id"] == first.part)
    assert owner["chapters"] == [first.docname]


@pytest.mark.parametrize(
    ("pages", "error", "message"),
    [
        (["dsa/a"], TypeError, "mapping of docname to keys, got ['dsa/a']"),
        ({"dsa/a": "q-a"}, TypeError, "got 'dsa/a'"),
        ({3: []}, TypeError, "got 3"),
        ({"dsa/a": [], 3: []}, TypeError, "got 3: []"),
        ({"dsa/a": 5}, TypeError, "got 'dsa/a': 5"),
        ({"dsa/a": ["q-a", "q-a"]}, ValueError, "lists key 'q-a' twice"),
        ({"dsa/a": [""]}, ValueError, "bad key ''"),
        ({"dsa/a": [None]}, ValueError, "bad key None"),
    ],
)
def test_build_index_rejects_bad_input(pages: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        build_index(pages)


def test_page_keys_reads_questions_and_exercises_in_order() -> None:
    doc = nodes.section()
    doc += question(sb_key="q-b")
    inner = exercise(sb_key="x-a")
    doc += inner
    doc += question()  # no key: not countable, left out
    assert page_keys(doc) == ["q-b", "x-a"]
    with pytest.raises(TypeError, match=re.escape("got None")):
        page_keys(None)  # type: ignore[arg-type]


def test_linked_pages_resolves_relative_links_and_skips_the_rest() -> None:
    sec = nodes.section()
    for uri, internal in [
        ("../dsa/big-o.html#x", True),
        ("../../dsa/graphs.html", True),  # resolves above the root: not a page of ours
        ("quick-start.html#path", True),  # the page itself
        ("https://example.org/dsa/big-o.html", False),
        ("../genindex.html", True),
        ("../design/heuristics.html", True),
        ("../dsa/big-o.html", True),
    ]:
        sec += nodes.reference(internal=internal, refuri=uri)
    known = {"dsa/big-o", "dsa/graphs", "design/heuristics", "plans/quick-start"}
    assert linked_pages(sec, "plans/quick-start", known) == ["dsa/big-o", "design/heuristics"]
    with pytest.raises(TypeError, match=re.escape("got 'x'")):
        linked_pages("x", "plans/a", known)  # type: ignore[arg-type]
