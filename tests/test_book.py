"""The registry, the pages, the modules and the tests agree with each other."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import yaml

from studybook.book import CHAPTERS, PARTS, chapter, chapters_in
from studybook.sphinxext.hub import BADGES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda c: c.id)
def test_registered_chapter_has_page_with_matching_title_and_front_matter(ch):
    page = DOCS / f"{ch.docname}.md"
    text = page.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert set(front) >= {"summary", "icon", "badges"}
    assert set(front["badges"]) <= set(BADGES)
    assert 1 <= len(re.findall(r"[.!?](\s|$)", front["summary"])) <= 3, "1-3 sentences"
    heading = re.search(r"^# (.+)$", text, re.M)
    assert heading is not None
    assert heading[1] == ch.title


@pytest.mark.parametrize("ch", [c for c in CHAPTERS if c.has_code], ids=lambda c: c.id)
def test_registered_chapter_has_module_with_demo_and_tests(ch):
    module = importlib.import_module(str(ch.module))
    assert callable(module.demo)
    assert module.__doc__ is not None
    assert len(module.__doc__.splitlines()) > 5, "the module docstring is the chapter's abstract"
    name = ch.id.replace("-", "_")
    tests = ROOT / "tests" / ch.part
    assert (tests / f"test_{name}.py").is_file() or any((tests / name).glob("test_*.py"))


def test_every_page_is_registered():
    registered = {f"{c.docname}.md" for c in CHAPTERS}
    pages = {
        str(p.relative_to(DOCS))
        for part in PARTS
        if (DOCS / part.id).is_dir()
        for p in (DOCS / part.id).glob("*.md")
    }
    assert pages == registered


def test_chapters_are_grouped_by_part_in_part_order():
    order = [p.id for p in PARTS]
    positions = [order.index(c.part) for c in CHAPTERS]
    assert positions == sorted(positions)
    assert len({c.id for c in CHAPTERS}) == len(CHAPTERS)


def test_lookup_errors_name_the_value_and_suggest():
    with pytest.raises(KeyError, match="no chapter 'lsm'; did you mean 'lsm-tree'"):
        chapter("lsm")
    with pytest.raises(KeyError, match=r"^\"no chapter 'zzzzzz'\"$"):
        chapter("zzzzzz")
    with pytest.raises(KeyError, match="no part 'x'"):
        chapters_in("x")
