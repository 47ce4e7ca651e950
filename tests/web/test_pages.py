"""Every page of the built book in Chromium: no axe violation, no other host, within its weight.

Each page is also checked as a reader's browser shows it: every diagram
drawn (none failed), no request to another host, no error in the console.

axe-core (pinned in tools/web) checks each page against the WCAG 2.2 A and
AA rules, at a desktop width and at a phone's. Chapter pages must also stay
under the weight budget: what a first visit transfers (the page, its
stylesheets, scripts and fonts, compressed as any static host serves them),
not counting diagrams (mermaid loads only once a diagram nears the screen) or Pyodide
(loaded on the first press of a Run button). The figures are written to
``build/web/weights.json``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from studybook.book import CHAPTERS

# The same book conftest.py serves (the pages are parametrised before it runs).
ROOT = Path(__file__).resolve().parents[2]
BOOK = Path(os.environ.get("STUDYBOOK_HTML", ROOT / "build" / "html"))
Visit = Any  # tests/browser/conftest.py's Visit, which is not importable by name

BUDGET = 400 * 1024
WEIGHED = {"document", "stylesheet", "script", "font"}
NOT_WEIGHED = ("/_static/mermaid/", "/_static/pyodide/")
# The standard axe-core checks against; its "best-practice" rules are advice.
AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    rule: v.id, impact: v.impact, nodes: v.nodes.length,
    first: v.nodes[0].html.slice(0, 300), why: v.nodes[0].failureSummary,
  }));
}"""
WIDTHS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}


def _pages() -> list[str]:
    """Every page a reader can open: all HTML but viewcode's highlighted sources."""
    if not BOOK.is_dir():
        return []
    skip = ("_modules/", "_static/", "_sources/")
    return sorted(
        path.relative_to(BOOK).as_posix()
        for path in BOOK.rglob("*.html")
        if not path.relative_to(BOOK).as_posix().startswith(skip)
    )


PAGES = _pages()
CHAPTER_PAGES = {f"{ch.docname}.html" for ch in CHAPTERS}
# viewcode's 356 highlighted-source pages share one template and Pygments'
# colours: the module index and the three largest sources stand for them, as
# axe on all of them would add minutes to CI.
MODULE_PAGES = ["_modules/index.html"] + (
    sorted(
        (p.relative_to(BOOK).as_posix() for p in (BOOK / "_modules").rglob("*.html")),
        key=lambda p: (BOOK / p).stat().st_size,
    )[-3:]
    if (BOOK / "_modules").is_dir()
    else []
)


def test_the_gate_sees_the_whole_book() -> None:
    assert (BOOK / "index.html").is_file(), f"no built book in {BOOK}; run `tox -e docs` first"
    assert set(PAGES) >= CHAPTER_PAGES
    assert len(MODULE_PAGES) == 4
    # One chapter per part at a phone's width, plus the hub and search.
    assert len(PHONE_PAGES) == len({ch.docname.split("/", 1)[0] for ch in CHAPTERS}) + 2


def _audit(visit: Callable[..., Visit], axe_source: str, path: str, width: str) -> Visit:
    tab = visit(path, wait_until="load", **WIDTHS[width])
    tab.wait_for_diagrams()
    # Every diagram drawn, none failed (mermaid's data-rendered="error"): the
    # one place every page's diagrams are checked in the browser.
    diagrams = tab.page.locator("pre.mermaid").count()
    drawn = tab.page.locator("pre.mermaid[data-rendered=true] > svg").count()
    assert drawn == diagrams, (
        f"{path} at {width} width: {diagrams - drawn} of {diagrams} diagrams failed"
    )
    tab.page.add_script_tag(content=axe_source)
    violations = tab.page.evaluate(AXE_RUN)
    assert violations == [], f"{path} at {width} width:\n" + "\n".join(
        f"{v['rule']} ({v['impact']}, {v['nodes']} nodes): {v['first']}\n  {v['why']}"
        for v in violations
    )
    assert tab.foreign_hosts() == set(), f"{path} asked other hosts"
    assert tab.errors == []
    return tab


@pytest.mark.parametrize("path", PAGES + MODULE_PAGES)
def test_page_at_desktop_width(
    visit: Callable[..., Visit],
    axe_source: str,
    path: str,
    record_figure: Callable[[str, str, object], None],
) -> None:
    tab = _audit(visit, axe_source, path, "desktop")
    if path in CHAPTER_PAGES:
        weight = weigh(tab)
        record_figure("weights.json", path, weight)
        assert sum(weight.values()) <= BUDGET, f"{path} weighs {weight}, over {BUDGET} bytes"


def _largest_chapter_per_part() -> set[str]:
    """Each part's chapter page with the most HTML: its longest tables and code."""
    if not BOOK.is_dir():
        return set()
    largest: dict[str, str] = {}
    for ch in CHAPTERS:
        page = f"{ch.docname}.html"
        part = ch.docname.split("/", 1)[0]
        size = (BOOK / page).stat().st_size
        if part not in largest or size > (BOOK / largest[part]).stat().st_size:
            largest[part] = page
    return set(largest.values())


# At a phone's width every page is the same template in a narrower column:
# what changes is what scrolls sideways (tables, code, equations), which the
# longest chapter of each part has the most of. Those, the hub and search are
# checked there; every page is checked at desktop width. (All 59 chapters at
# both widths took CI 4 more minutes.)
PHONE_PAGES = sorted(_largest_chapter_per_part() | {"index.html", "search.html"})


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_page_at_phone_width(visit: Callable[..., Visit], axe_source: str, path: str) -> None:
    _audit(visit, axe_source, path, "phone")


def weigh(tab: Visit) -> dict[str, int]:
    """Bytes the page's first visit received, by kind of resource, diagrams and Pyodide aside."""
    weight = dict.fromkeys(sorted(WEIGHED), 0)
    for request in tab.requests:
        if request.resource_type in WEIGHED and not any(s in request.url for s in NOT_WEIGHED):
            weight[request.resource_type] += request.sizes()["responseBodySize"]
    return weight


def test_weight_counts_what_the_page_loads_but_not_diagrams_or_pyodide(
    visit: Callable[..., Visit], book_dir: Path
) -> None:
    tab = visit("dsa/lsm-tree.html", wait_until="load")
    tab.wait_for_diagrams()
    weight = weigh(tab)
    assert set(weight) == WEIGHED
    assert 0 < weight["document"] < (book_dir / "dsa" / "lsm-tree.html").stat().st_size  # gzip
    assert weight["stylesheet"] > 0
    assert weight["script"] > 0
    mermaid = [r for r in tab.requests if "/_static/mermaid/" in r.url]
    assert mermaid, "the page has diagrams: mermaid must have loaded, and not been weighed"
