"""Run a page's doctest examples the way Sphinx's doctest builder does, one press at a time.

The HTML book's Run buttons import this module inside Pyodide (the wheel the
docs build serves carries it), and so does the survey that runs every example
of the book under Pyodide (``python -m studybook.sphinxext.pyodide_survey``):
one harness, so the survey's verdicts are the page's.

A page describes its examples in a JSON island that
:mod:`studybook.sphinxext.runner` writes at build time::

    {"wheel": "...",
     "setups": {"<group>": "<that group's {testsetup} code, in the builder's order>"},
     "examples": [{"source": "...", "groups": [...], "flags": 12,
                   "hidden": true, "blocked": "<why not in a browser>"}, ...]}

An example leaves out what is usual: ``groups`` is ``["default"]``,
``flags`` conf.py's ``ELLIPSIS | NORMALIZE_WHITESPACE``, and it is shown and
runnable.

Pressing Run on example *k* of group *g* means what the doctest builder
means: a namespace that ran *g*'s setup, then every earlier example of *g* in
page order, then *k*. A group's namespace is kept between presses and reused
when it is exactly a prefix of that history (pressing the examples in page
order costs one example each); otherwise it is rebuilt from the setup, so a
second press of the same example gives the same verdict as the first.

>>> page = json.dumps({
...     "setups": {"default": "base = 40"},
...     "examples": [
...         {"source": ">>> n = base + 1\\n"},
...         {"source": ">>> n + 1\\n42\\n"},
...     ],
... })
>>> reply = json.loads(run(page, 1, json.dumps([">>> n = base + 1\\n", ">>> n + 1\\n42\\n"])))
>>> reply["status"], reply["items"][0]["got"]
('pass', '42\\n')
>>> reply = json.loads(run(page, 1, json.dumps([">>> n = base\\n", ">>> n + 1\\n42\\n"])))
>>> reply["status"], reply["items"][0]["got"], reply["items"][0]["want"]
('fail', '41\\n', '42\\n')
"""

from __future__ import annotations

import doctest
import json
import traceback
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

__all__ = ["run"]


def run(page_json: str, index: int, sources_json: str) -> str:
    """Run example *index* of the page described by *page_json*; the verdict as JSON.

    Args:
        page_json: the page's JSON island (see the module docstring).
        index: which example was pressed (0-based, page order).
        sources_json: a JSON list with every example's current source, so a
            reader's edits take effect in the examples that follow.

    Returns:
        ``{"status": "pass" | "fail" | "error", "items": [...],
        "earlier_failures": [...], "error": str | None}``; each item has the
        example's ``source``, ``want``, ``got`` and ``ok``.

    Raises:
        ValueError: *index* is not an example of the page, or the page
            blocks it (it needs what a browser lacks).

    Complexity:
        O(examples of the group before *index*) on a rebuild, O(1) examples
        when the group's namespace can be reused.
    """
    global _SESSION
    if _SESSION is None or _SESSION.page_json != page_json:
        _SESSION = _Session(page_json, json.loads(page_json))
    sources = json.loads(sources_json)
    return json.dumps(_SESSION.run(index, sources))


# One page per interpreter in the browser; the survey moves from page to page.
_SESSION: _Session | None = None


@dataclass
class _Group:
    """A doctest group's namespace and the examples (index, source) it has run."""

    globs: dict[str, Any]
    ran: list[tuple[int, str]] = field(default_factory=list)


class _Session:
    def __init__(self, page_json: str, page: dict[str, Any]) -> None:
        self.page_json = page_json
        self.setups: dict[str, str] = page.get("setups", {})
        self.examples: list[dict[str, Any]] = page["examples"]
        self.groups: dict[str, _Group] = {}

    def run(self, index: int, sources: list[str]) -> dict[str, Any]:
        if isinstance(index, bool) or not 0 <= index < len(self.examples):
            raise ValueError(f"no example {index!r} on this page")
        example = self.examples[index]
        if example.get("blocked"):
            raise ValueError(f"example {index} cannot run in a browser: {example['blocked']}")
        group_name = example.get("groups", _DEFAULT)[0]
        history = [
            (earlier, sources[earlier])
            for earlier in range(index)
            if group_name in self.examples[earlier].get("groups", _DEFAULT)
            and not self.examples[earlier].get("blocked")  # never offered, never replayed
        ]
        group = self.groups.get(group_name)
        if group is None or group.ran != history[: len(group.ran)]:
            group = _Group(globs={})
            self.groups.pop(group_name, None)
            error = _run_setup(self.setups.get(group_name, ""), group.globs)
            if error is not None:
                return {"status": "error", "items": [], "earlier_failures": [], "error": error}
            self.groups[group_name] = group
        earlier_failures: list[dict[str, Any]] = []
        for earlier, source in history[len(group.ran) :]:
            flags = self.examples[earlier].get("flags", _BASE_FLAGS)
            items = _run_doctest(source, group.globs, flags, f"example {earlier + 1}")
            earlier_failures += [dict(item, example=earlier) for item in items if not item["ok"]]
            group.ran.append((earlier, source))
        flags = example.get("flags", _BASE_FLAGS)
        items = _run_doctest(sources[index], group.globs, flags, f"example {index + 1}")
        group.ran.append((index, sources[index]))
        status = "pass" if items and all(item["ok"] for item in items) else "fail"
        return {
            "status": status,
            "items": items,
            "earlier_failures": earlier_failures,
            "error": None,
        }


# conf.py's doctest_default_flags and doctest_test_doctest_blocks: what an
# example of the island uses unless it says otherwise.
_BASE_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
_DEFAULT = ["default"]


def _run_setup(code: str, globs: dict[str, Any]) -> str | None:
    """Execute a group's setup in *globs*; the error's last line if it raised."""
    try:
        exec(compile(code, "<testsetup>", "exec"), globs)  # noqa: S102 - the book's own setup
    except Exception as error:  # any failure is shown to the reader
        return "".join(traceback.format_exception_only(error))
    return None


class _Collect(doctest.DocTestRunner):
    """A runner that keeps each example's outcome instead of printing a report."""

    def __init__(self, flags: int) -> None:
        super().__init__(verbose=False, optionflags=flags)
        self.items: list[dict[str, Any]] = []

    def report_start(self, out: Any, test: doctest.DocTest, example: doctest.Example) -> None:
        pass

    def report_success(
        self, out: Any, test: doctest.DocTest, example: doctest.Example, got: str
    ) -> None:
        # An expected exception matched: show what the book shows, not the frames.
        self._add(example, example.want if example.exc_msg is not None else got, ok=True)

    def report_failure(
        self, out: Any, test: doctest.DocTest, example: doctest.Example, got: str
    ) -> None:
        self._add(example, got, ok=False)

    def report_unexpected_exception(
        self,
        out: Any,
        test: doctest.DocTest,
        example: doctest.Example,
        exc_info: tuple[type[BaseException], BaseException, TracebackType],
    ) -> None:
        got = "".join(traceback.format_exception_only(exc_info[0], exc_info[1]))
        self._add(example, got, ok=False)

    def _add(self, example: doctest.Example, got: str, *, ok: bool) -> None:
        self.items.append({"source": example.source, "want": example.want, "got": got, "ok": ok})


def _run_doctest(source: str, globs: dict[str, Any], flags: int, name: str) -> list[dict[str, Any]]:
    """Run one example's ``>>>`` lines in *globs* (kept, as the builder keeps a group's)."""
    test = doctest.DocTestParser().get_doctest(source, globs, name, None, 0)
    test.globs = globs  # DocTest copies the namespace; the group's examples share one
    runner = _Collect(flags)
    runner.run(test, clear_globs=False)
    return runner.items
