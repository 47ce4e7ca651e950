"""The ``studybook`` command: listing, demos, doctests and its exit codes."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest

from studybook.__main__ import main
from studybook.book import CHAPTERS, chapter


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def test_list_shows_every_chapter_with_its_module():
    code, text = run("list")
    assert code == 0
    for ch in CHAPTERS:
        assert ch.id in text
        assert (ch.module or "(prose only)") in text


@pytest.mark.parametrize("ch", [c for c in CHAPTERS if c.has_code], ids=lambda c: c.id)
def test_demo_narrates_to_the_given_stream(ch):
    code, text = run("demo", ch.id)
    assert code == 0
    assert len(text.splitlines()) >= 5


@pytest.mark.parametrize("ch", [c for c in CHAPTERS if c.has_code], ids=lambda c: c.id)
def test_doctest_runs_module_and_page_examples(ch):
    code, text = run("doctest", ch.id)
    assert code == 0, text
    last = text.splitlines()[-1]
    passed = int(last.split(": ")[1].split()[0])
    assert passed >= 15
    assert ", 0 failed (module and " in last


def test_doctest_includes_a_chapters_subpages():
    code, text = run("doctest", "leetcode-patterns")
    assert code == 0
    assert text.splitlines()[-1].endswith("0 failed (module and 18 pages)")


# One prose chapter is enough to test the command: every prose page's examples
# also run in its own page test (tests/design) and in the Sphinx doctest build.
@pytest.mark.parametrize("ch", [chapter("when-to-use-what")], ids=lambda c: c.id)
def test_a_prose_chapter_runs_its_page_examples_and_has_no_demo(ch):
    code, text = run("doctest", ch.id)
    assert code == 0, text
    assert re.search(r", 0 failed \((page|\d+ pages)\)$", text.splitlines()[-1]), text
    assert run("demo", ch.id) == (2, f"studybook: chapter {ch.id!r} has no code to run\n")


def test_a_prose_chapter_without_its_page_is_a_usage_error(monkeypatch):
    import studybook.__main__ as cli

    prose = next(c for c in CHAPTERS if not c.has_code)
    monkeypatch.setattr(cli, "_page_paths", lambda ch: [])
    code, text = run("doctest", prose.id)
    assert code == 2
    assert "has no code, and its page is not checked out" in text


def test_unknown_chapter_is_a_usage_error_with_a_suggestion():
    code, text = run("doctest", "lsmtree")
    assert code == 2
    assert text == "studybook: no chapter 'lsmtree'; did you mean 'lsm-tree'?\n"


def test_failing_page_example_gives_exit_code_1(tmp_path, monkeypatch):
    import studybook.__main__ as cli

    page = tmp_path / "page.md"
    page.write_text("```{testsetup}\nx = 1\n```\n\n```{doctest}\n>>> x + 1\n3\n```\n")
    out = io.StringIO()
    result = cli._run_page_doctests(page, out, verbose=False)
    assert (result.failed, result.attempted) == (1, 1)
    assert "Expected:\n    3\nGot:\n    2" in out.getvalue()


def test_module_entry_point_exit_codes():
    ok = subprocess.run(
        [sys.executable, "-m", "studybook", "list"], capture_output=True, check=False
    )
    assert ok.returncode == 0
    bad = subprocess.run(
        [sys.executable, "-m", "studybook", "demo", "nope"], capture_output=True, check=False
    )
    assert bad.returncode == 2
    usage = subprocess.run([sys.executable, "-m", "studybook"], capture_output=True, check=False)
    assert usage.returncode == 2


def test_serve_refuses_a_directory_without_a_built_book(tmp_path):
    code, text = run("serve", str(tmp_path))
    assert code == 2
    assert text == f"studybook: no built book in {str(tmp_path)!r}; run `tox -e docs` first\n"


def test_serve_serves_the_book_on_loopback(tmp_path):
    import socket
    import time
    import urllib.request

    (tmp_path / "index.html").write_text("<h1>book</h1>")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "studybook", "serve", str(tmp_path), "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith(f"Serving {tmp_path} at http://127.0.0.1:{port}/")
        for _ in range(50):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
                    body = response.read()
                break
            except OSError:
                time.sleep(0.1)
        assert body == b"<h1>book</h1>"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()
