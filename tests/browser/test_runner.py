"""The Run buttons of the built HTML book: Pyodide in headless Chromium, offline.

Served and driven by conftest.py's fixtures (``visit``, ``base_url``,
``book_dir``). A first Run starts Pyodide (about 14 MB, served by the book
itself), so each test that presses Run starts it once and takes several
seconds; the others never fetch it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator

# conftest.Visit; under --import-mode=importlib a test module cannot import conftest.
Visit = Any

FIRST_RUN_SECONDS = 90  # Pyodide's start on a slow shared machine, with margin


def _open(visit: Callable[..., Visit], path: str, **options: Any) -> Visit:
    tab = visit(path, **options)
    if tab.page.locator("#sb-examples").count():
        tab.page.wait_for_selector(".sb-run-bar", state="attached")
    return tab


def _island(tab: Visit) -> dict[str, Any]:
    island: dict[str, Any] = json.loads(tab.page.locator("#sb-examples").text_content() or "{}")
    return island


def _example(tab: Visit, text: str) -> Locator:
    """The one visible example of the page whose source contains *text*."""
    examples = _island(tab)["examples"]
    hits = [i for i, ex in enumerate(examples) if text in ex["source"] and not ex.get("hidden")]
    assert len(hits) == 1, f"{len(hits)} examples contain {text!r}"
    return tab.page.locator(f".sb-ex-{hits[0]}")


def _bar(example: Locator) -> Locator:
    return example.locator("xpath=following-sibling::div[contains(@class,'sb-run-bar')][1]")


def _run(tab: Visit, example: Locator) -> Locator:
    """Press the example's Run button; its output once a verdict is in."""
    bar = _bar(example)
    bar.locator("button.sb-run").click()
    output = bar.locator("xpath=following-sibling::div[contains(@class,'sb-output')][1]")
    tab.page.wait_for_function(
        "el => ['pass', 'fail', 'error'].includes(el.dataset.status)",
        arg=output.element_handle(),
        timeout=FIRST_RUN_SECONDS * 1000,
    )
    return output


def _python_urls(tab: Visit) -> list[str]:
    """Requests for Pyodide, the book's wheel or the module that starts them."""
    return [
        url
        for url in tab.urls()
        if "/_static/pyodide/" in url or url.endswith(".whl") or "studybook-pyodide.mjs" in url
    ]


@pytest.mark.parametrize("path", ["index.html", "dsa/lsm-tree.html"])
def test_a_page_without_a_press_loads_no_pyodide_byte(
    visit: Callable[..., Visit], path: str
) -> None:
    tab = _open(visit, path)
    assert _python_urls(tab) == []
    runner = [url for url in tab.urls() if "/studybook-runner.mjs" in url]
    buttons = tab.page.locator("button.sb-run")
    assert bool(runner) == (buttons.count() > 0) == (path != "index.html")
    runner_bytes = sum(
        r.sizes()["responseBodySize"] for r in tab.requests if "/studybook-runner.mjs" in r.url
    )
    print(
        f"\n{path}: {len(tab.requests)} requests, {tab.bytes_received()} bytes "
        f"(runner script {runner_bytes} bytes)"
    )
    assert tab.foreign_hosts() == set()
    assert tab.errors == []


def test_buttons_are_named_outputs_are_live_and_focus_shows_in_both_themes(
    visit: Callable[..., Visit],
) -> None:
    backgrounds = {}
    for scheme in ("light", "dark"):
        tab = _open(visit, "dsa/lsm-tree.html", color_scheme=scheme)
        run = tab.page.locator("button.sb-run").first
        assert run.get_attribute("aria-label", timeout=1000).startswith("Run example ")
        assert tab.page.get_by_role("button", name="Edit example 1", exact=True).count() == 1
        output = tab.page.locator(".sb-output").first
        assert output.get_attribute("role") == "status"
        assert output.get_attribute("aria-live") == "polite"
        run.focus()
        outline = run.evaluate("el => getComputedStyle(el).outlineStyle")
        assert outline != "none"
        backgrounds[scheme] = run.evaluate("el => getComputedStyle(el).backgroundColor")
        assert _python_urls(tab) == []
        assert tab.errors == []
    assert backgrounds["light"] != backgrounds["dark"]  # Furo's variables, not fixed colours


@pytest.mark.parametrize(
    ("path", "marker", "expected"),
    [
        ("dsa/lsm-tree.html", 'db.put(b"user:1", b"Ada")', "(b'Grace', None)"),
        ("distributed/consensus-raft.html", "old, cluster.node(old).current_term", "('n2', 1, 2)"),
    ],
    ids=["lsm-tree", "consensus-raft"],
)
def test_run_shows_the_books_output_and_passes_offline(
    visit: Callable[..., Visit], path: str, marker: str, expected: str
) -> None:
    tab = _open(visit, path)
    before = tab.bytes_received()
    started = time.monotonic()
    output = _run(tab, _example(tab, marker))
    seconds = time.monotonic() - started
    assert output.get_attribute("data-status") == "pass", output.inner_text()
    assert "Passed:" in output.inner_text()
    assert expected in output.inner_text()
    assert tab.foreign_hosts() == set()
    assert [url for url in _python_urls(tab) if url.endswith(".whl")], "no wheel was loaded"
    print(
        f"\nfirst Run on {path}: {tab.bytes_received() - before} bytes fetched in "
        f"{len(_python_urls(tab))} requests, {seconds:.1f} s to the verdict"
    )
    assert tab.errors == []


def test_an_edited_example_runs_a_wrong_expectation_fails_and_reset_restores(
    visit: Callable[..., Visit],
) -> None:
    tab = _open(visit, "dsa/lsm-tree.html")
    example = _example(tab, "encode_record")
    edit = _bar(example).locator("button.sb-edit")
    edit.click()
    editor = tab.page.locator("textarea.sb-editor")
    assert "encode_record" in editor.input_value()
    assert example.is_hidden()
    editor.fill('>>> from studybook.dsa.lsm_tree import LSMTree\n>>> LSMTree.__name__\n"LSMTree"\n')
    output = _run(tab, example)
    assert output.get_attribute("data-status") == "fail"  # repr shows single quotes
    assert "'LSMTree'" in output.inner_text()
    assert "the book expects" in output.inner_text()
    editor.fill(">>> from studybook.dsa.lsm_tree import LSMTree\n>>> LSMTree.__name__\n'LSMTree'\n")
    editor.press("Control+Enter")  # runs from the keyboard too
    tab.page.wait_for_function(
        "el => el.dataset.status === 'pass'", arg=output.element_handle(), timeout=30_000
    )
    edit.click()  # now "Reset": the book's text again, the edit gone
    assert tab.page.locator("textarea.sb-editor").count() == 0
    assert example.is_visible()
    assert _run(tab, example).get_attribute("data-status") == "pass"
    assert tab.foreign_hosts() == set()
    assert tab.errors == []


def test_a_blocked_example_says_why_instead_of_offering_a_button(
    visit: Callable[..., Visit], book_dir: Path
) -> None:
    tab = _open(visit, "fundamentals/concurrency.html")
    examples = _island(tab)["examples"]
    blocked = [ex for ex in examples if not ex.get("hidden") and ex.get("blocked")]
    notes = tab.page.locator(".sb-run-note")
    assert notes.count() == len(blocked) > 0
    assert "Runs only on your machine" in notes.first.inner_text()
    assert "python -m studybook doctest concurrency" in notes.first.inner_text()
    assert tab.page.locator("button.sb-run").count() == len(
        [ex for ex in examples if not ex.get("hidden") and not ex.get("blocked")]
    )
    assert _python_urls(tab) == []
    assert tab.errors == []
