"""Exercise checks: run a reader's answer against an exercise's hidden doctests.

An ``{exercise}`` in a chapter may carry a ``{checks}`` block of doctest
examples (``>>>`` lines, asserts welcome) that the book hides from the reader.
This module is the one checker behind both ways of running them:

* in the HTML book, ``docs/_static/studybook-checks.mjs`` calls
  :func:`check_json` inside Pyodide (this module ships in the book's wheel and
  uses only the standard library);
* on the command line, ``python -m studybook check <chapter> <exercise> FILE``
  reads the checks from the chapter's MyST source (:func:`chapter_exercises`)
  and calls :func:`run_checks`.

A run happens in a fresh namespace: the page's ``{testsetup}`` code first (so
the names the page's examples use are there, as in every example of the page),
then the reader's code, then each check example in turn with the book's doctest
flags (``ELLIPSIS | NORMALIZE_WHITESPACE``), and last the page's
``{testcleanup}`` (so a run leaves no folder behind). Every check runs, even
after one fails, so the reader sees all that pass and all that fail.

>>> answer = "def double(x):\\n    return 2 * x\\n"
>>> report = run_checks(answer, ">>> double(2)\\n4\\n>>> double('ab')\\n'abab'\\n")
>>> report.passed, report.summary()
(True, '2 of 2 checks pass')
>>> report = run_checks("def double(x):\\n    return x + 1\\n", ">>> double(2)\\n4\\n")
>>> report.summary(), report.results[0].got
('0 of 1 checks pass', '3\\n')
>>> run_checks("def double(x)\\n", ">>> double(2)\\n4\\n")
Traceback (most recent call last):
    ...
studybook.checks.AnswerSyntaxError: the answer does not compile: line 1: expected ':'
"""

from __future__ import annotations

import builtins
import contextlib
import doctest
import io
import json
import re
import traceback
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from types import CodeType, TracebackType
from typing import Any, TextIO

__all__ = [
    "FLAGS",
    "AnswerSyntaxError",
    "CheckReport",
    "CheckResult",
    "Exercise",
    "chapter_exercises",
    "check_json",
    "find_exercise",
    "page_exercises",
    "run_checks",
]

# The flags the book's doctests run with (conf.py, pyproject.toml, the CLI).
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


class AnswerSyntaxError(ValueError):
    """The reader's code does not compile (a :class:`ValueError`)."""


@dataclass(frozen=True)
class CheckResult:
    """One example: its source, the output it expects, what it got, and the verdict.

    A *step* prepares later checks (it expects no output and asserts nothing,
    such as a helper's ``def``); it is counted as a check only if it fails.
    """

    source: str
    want: str
    got: str
    passed: bool

    @property
    def step(self) -> bool:
        """True for an example that prepares later checks rather than checking."""
        return not self.want and not re.search(r"\bassert\b", self.source)


@dataclass(frozen=True)
class CheckReport:
    """Every check's result, plus what the answer printed or raised while loading."""

    results: tuple[CheckResult, ...]
    output: str = ""
    error: str | None = None

    @property
    def passed(self) -> bool:
        """True when the answer loaded and every check passed."""
        return self.error is None and all(r.passed for r in self.results)

    @property
    def checks(self) -> tuple[CheckResult, ...]:
        """The results that count: every check, and any step that failed."""
        return tuple(r for r in self.results if not r.step or not r.passed)

    def summary(self) -> str:
        """``"k of n checks pass"``, with the loading error if there was one."""
        counted = self.checks
        text = f"{sum(r.passed for r in counted)} of {len(counted)} checks pass"
        return text if self.error is None else f"{text} (the answer raised {self.error})"


def run_checks(
    code: str, checks: str, setup: str = "", *, cleanup: str = "", filename: str = "<answer>"
) -> CheckReport:
    """Run *checks* (doctest examples) against the reader's *code*.

    Args:
        code: the reader's answer, Python source.
        checks: doctest text with at least one ``>>>`` example.
        setup: code run first (the page's ``{testsetup}``); the answer and the
            checks run in a copy of the namespace it fills.
        cleanup: code run last, even if a check or the answer fails (the page's
            ``{testcleanup}``), in the setup's own namespace, so the answer
            cannot rebind the names it needs.
        filename: the name tracebacks give the answer.

    Returns:
        A :class:`CheckReport` with one :class:`CheckResult` per example. If the
        answer raises while loading, nothing runs: each check (not the steps)
        is reported failed and :attr:`CheckReport.error` names the exception.

    Raises:
        TypeError: if *code*, *checks*, *setup* or *cleanup* is not a str.
        ValueError: if *checks* holds no example.
        AnswerSyntaxError: if *code* does not compile.
        Exception: whatever *setup* or *cleanup* raises (the book's bug, not the answer's).

    Complexity: the cost of the answer and the checks themselves.
    """
    for name, value in (("code", code), ("checks", checks), ("setup", setup), ("cleanup", cleanup)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {value!r}")
    examples = doctest.DocTestParser().get_examples(checks)
    if not examples:
        raise ValueError(f"checks must hold at least one '>>>' example, got {checks!r}")
    try:
        compiled = compile(code, filename, "exec")
    except SyntaxError as exc:
        raise AnswerSyntaxError(
            f"the answer does not compile: line {exc.lineno}: {exc.msg}"
        ) from None
    page: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    exec(compile(setup, "<setup>", "exec"), page)  # noqa: S102 - the page's own setup
    try:
        return _run(compiled, examples, checks, dict(page), filename)
    finally:
        exec(compile(cleanup, "<cleanup>", "exec"), page)  # noqa: S102 - the page's own cleanup


def _run(
    compiled: CodeType,
    examples: list[doctest.Example],
    checks: str,
    namespace: dict[str, Any],
    filename: str,
) -> CheckReport:
    """Run the answer in *namespace* (a copy of the page's), then every check."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compiled, namespace)  # noqa: S102 - running the reader's answer is the point
    except (Exception, SystemExit) as exc:  # reported, not raised: even an exit()
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        skipped = f"(not run: the answer raised {error})\n"
        results = tuple(CheckResult(e.source, e.want, skipped, False) for e in examples)
        results = tuple(r for r in results if r.want or re.search(r"\bassert\b", r.source))
        return CheckReport(results, printed.getvalue(), error)
    test = doctest.DocTest(examples, namespace, "checks", filename, 0, checks)
    recorder = _Recorder()
    recorder.run(test, out=lambda _text: None, clear_globs=False)
    return CheckReport(tuple(recorder.results), printed.getvalue())


class _Recorder(doctest.DocTestRunner):
    """A doctest runner that keeps every example's verdict instead of printing it."""

    def __init__(self) -> None:
        super().__init__(verbose=False, optionflags=FLAGS)
        self.results: list[CheckResult] = []

    def report_start(self, out: Any, test: doctest.DocTest, example: doctest.Example) -> None:
        pass

    def report_success(
        self, out: Any, test: doctest.DocTest, example: doctest.Example, got: str
    ) -> None:
        self.results.append(CheckResult(example.source, example.want, got, True))

    def report_failure(
        self, out: Any, test: doctest.DocTest, example: doctest.Example, got: str
    ) -> None:
        self.results.append(CheckResult(example.source, example.want, got, False))

    def report_unexpected_exception(
        self,
        out: Any,
        test: doctest.DocTest,
        example: doctest.Example,
        exc_info: tuple[type[BaseException], BaseException, TracebackType],
    ) -> None:
        last = "".join(traceback.format_exception_only(exc_info[0], exc_info[1]))
        got = f"Traceback (most recent call last):\n  ...\n{last}"
        self.results.append(CheckResult(example.source, example.want, got, False))


def check_json(code: str, checks: str, setup: str = "", cleanup: str = "") -> str:
    """:func:`run_checks` for the page: the report as JSON, a compile error included.

    >>> reply = json.loads(check_json("x = 1\\n", ">>> x\\n1\\n"))
    >>> reply["passed"], reply["summary"], reply["results"][0]["got"]
    (True, '1 of 1 checks pass', '1\\n')
    >>> json.loads(check_json("x =\\n", ">>> x\\n1\\n"))["error"]
    'the answer does not compile: line 1: invalid syntax'
    """
    try:
        report = run_checks(code, checks, setup, cleanup=cleanup, filename="<your answer>")
    except AnswerSyntaxError as exc:
        return json.dumps({"passed": False, "summary": str(exc), "error": str(exc), "results": []})
    return json.dumps(
        {
            "passed": report.passed,
            "summary": report.summary(),
            "error": report.error,
            "output": report.output,
            "results": [{**asdict(r), "step": r.step} for r in report.results],
        }
    )


# Reading exercises from a chapter's MyST source (the command line needs no build).


@dataclass(frozen=True)
class Exercise:
    """An ``{exercise}`` as the MyST source writes it.

    ``key`` is the build's ``x-<slug>`` key, ``number`` its 1-based position
    among the exercises of its page, ``checks`` the ``{checks}`` text (empty
    if none), ``signature`` the ``{checks}`` argument (what the checks call),
    ``setup`` and ``cleanup`` the page's ``{testsetup}`` and ``{testcleanup}``
    code, and ``solution`` the code of its ``{solution}`` (doctest sources and
    ``python`` blocks, in order).
    """

    page: str
    key: str
    number: int
    title: str
    checks: str
    signature: str
    setup: str
    cleanup: str
    solution: str


_OPEN = re.compile(r"^(?P<fence>:{3,}|`{3,})\{(?P<kind>[\w-]+)\}[ \t]*(?P<arg>.*?)\s*$")
_OPTION = re.compile(r"^:[\w-]+:")


def _blocks(lines: list[str]) -> list[tuple[str, str, list[str]]]:
    """The top-level directive blocks of *lines*: (kind, argument, body lines)."""
    found: list[tuple[str, str, list[str]]] = []
    i = 0
    while i < len(lines):
        match = _OPEN.match(lines[i])
        if match is None:
            i += 1
            continue
        fence = match["fence"]
        # A fence closes on a line of at least as many of its characters (CommonMark).
        close = re.compile(rf"^{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = i + 1
        while end < len(lines) and not close.match(lines[end]):
            end += 1
        body = lines[i + 1 : end]
        while body and _OPTION.match(body[0]):
            body = body[1:]
        found.append((match["kind"], match["arg"], body))
        i = end + 1
    return found


def _slug(text: str) -> str:
    """The identifier docutils' ``make_id`` makes of a title (ASCII titles)."""
    ascii_text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", " ".join(ascii_text.split()))
    return re.sub(r"^[-0-9]+|-+$", "", slug)


def _solution_code(body: list[str]) -> str:
    parts: list[str] = []
    for kind, arg, inner in _blocks(body):
        text = "\n".join(inner) + "\n"
        if kind == "doctest":
            examples = doctest.DocTestParser().get_examples(text)
            parts.append("".join(e.source for e in examples))
        elif kind == "code-block" and arg == "python":
            parts.append(text)
    return "\n".join(parts)


def _python_fences(body: list[str]) -> list[str]:
    """Plain ```` ```python ```` fences (no braces), which :func:`_blocks` does not see."""
    found: list[str] = []
    i = 0
    while i < len(body):
        match = re.match(r"^(`{3,})python\s*$", body[i])
        if match is None:
            i += 1
            continue
        end = i + 1
        while end < len(body) and body[end].strip() != match[1]:
            end += 1
        found.append("\n".join(body[i + 1 : end]) + "\n")
        i = end + 1
    return found


def page_exercises(text: str, page: str = "") -> list[Exercise]:
    """Every ``{exercise}`` of a MyST page's *text*, in page order.

    >>> source = '''
    ... ```{testsetup}
    ... import math
    ... ```
    ... ::::{exercise} Square it
    ... Write `square(x)`.
    ... :::{checks} square(x)
    ... >>> square(3)
    ... 9
    ... :::
    ... :::{solution}
    ... ```python
    ... def square(x):
    ...     return x * x
    ... ```
    ... :::
    ... ::::
    ... '''
    >>> [exercise] = page_exercises(source)
    >>> exercise.key, exercise.number, exercise.signature, exercise.checks, exercise.setup
    ('x-square-it', 1, 'square(x)', '>>> square(3)\\n9\\n', 'import math\\n')
    >>> run_checks(exercise.solution, exercise.checks, exercise.setup).summary()
    '1 of 1 checks pass'
    """
    lines = text.splitlines()
    blocks = _blocks(lines)
    setup, cleanup = (
        "".join(
            "\n".join(body) + "\n"
            for kind, arg, body in blocks
            if kind == wanted and arg in {"", "*"}
        )
        for wanted in ("testsetup", "testcleanup")
    )
    seen: dict[str, int] = {}
    found: list[Exercise] = []
    for kind, title, body in blocks:
        if kind != "exercise":
            continue
        base = f"x-{_slug(title) or 'untitled'}"
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}-{seen[base]}"
        checks = signature = solution = ""
        for inner_kind, arg, inner in _blocks(body):
            if inner_kind == "checks":
                checks, signature = "\n".join(inner) + "\n", arg
            elif inner_kind == "solution":
                code = [_solution_code(inner), *_python_fences(inner)]
                solution = "\n".join(part for part in code if part)
        found.append(
            Exercise(page, key, len(found) + 1, title, checks, signature, setup, cleanup, solution)
        )
    return found


def _chapter_pages(part: str, chapter_id: str, root: Path | None) -> list[Path]:
    roots = [root] if root is not None else list(Path(__file__).resolve().parents)
    for parent in roots:
        page = parent / "docs" / part / f"{chapter_id}.md"
        if page.is_file():
            return [page, *sorted((page.parent / chapter_id).glob("*.md"))]
    return []


def chapter_exercises(chapter_id: str, root: Path | None = None) -> list[Exercise]:
    """The exercises of a chapter's page and its subpages, read from the MyST source.

    Args:
        chapter_id: a chapter id of :mod:`studybook.book` (``"big-o"``).
        root: the checkout holding ``docs/``; by default, the one this module is in.

    Raises:
        KeyError: for an unknown chapter (with the closest id).
        FileNotFoundError: if the chapter's page is not checked out.
    """
    from studybook.book import chapter  # not needed in Pyodide

    ch = chapter(chapter_id)
    pages = _chapter_pages(ch.part, ch.id, root)
    if not pages:
        raise FileNotFoundError(f"the page of chapter {ch.id!r} is not checked out")
    found: list[Exercise] = []
    for page in pages:
        name = page.relative_to(page.parents[1]).with_suffix("").as_posix()
        found += page_exercises(page.read_text(encoding="utf-8"), name)
    return found


def find_exercise(exercises: list[Exercise], wanted: str) -> Exercise:
    """The exercise named by its key (``x-...``) or its 1-based number on the page.

    Raises:
        KeyError: if no exercise matches, with the choices in the message.
    """
    if wanted.isdigit() and wanted.isascii():
        main_page = [e for e in exercises if e.page == exercises[0].page] if exercises else []
        if 1 <= int(wanted) <= len(main_page):
            return main_page[int(wanted) - 1]
        raise KeyError(f"no exercise number {wanted!r}: the page has {len(main_page)}")
    matches = [e for e in exercises if e.key == wanted or f"{e.page}#{e.key}" == wanted]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(f"{e.page}#{e.key}" for e in matches)
        raise KeyError(f"exercise {wanted!r} is on several pages: name one of {names}")
    raise KeyError(f"no exercise {wanted!r}; the keys are {', '.join(e.key for e in exercises)}")


def cli_check(chapter_id: str, wanted: str | None, answer: Path | None, out: TextIO) -> int:
    """``python -m studybook check``: 0 all pass, 1 a check fails, 2 bad usage."""
    try:
        exercises = chapter_exercises(chapter_id)
        if wanted is None:
            _list_exercises(chapter_id, exercises, out)
            return 0
        exercise = find_exercise(exercises, wanted)
        if not exercise.checks:
            raise KeyError(f"exercise {exercise.key!r} of {chapter_id!r} has no checks")
        if answer is None:
            raise KeyError(f"give the file with your answer to {exercise.key!r}")
        code = answer.read_text(encoding="utf-8")
        report = run_checks(
            code, exercise.checks, exercise.setup, cleanup=exercise.cleanup, filename=str(answer)
        )
    except (KeyError, OSError, UnicodeDecodeError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) else str(exc)
        out.write(f"studybook: {message}\n")
        return 2
    except AnswerSyntaxError as exc:
        out.write(f"studybook: {answer}: {exc}\n")
        return 2
    out.write(f"{chapter_id} {exercise.key}: {exercise.title}\n")
    if report.output:
        out.write(f"Your code printed:\n{report.output}")
    for number, result in enumerate(report.checks, 1):
        verdict = "pass" if result.passed else "FAIL"
        out.write(f"[{verdict}] check {number}: {result.source}")
        if not result.passed:
            out.write(f"  expected: {_indent(result.want)}\n  got:      {_indent(result.got)}\n")
    out.write(f"{report.summary()}\n")
    return 0 if report.passed else 1


def _indent(text: str) -> str:
    return text.rstrip("\n").replace("\n", "\n" + " " * 12) if text.strip() else "(nothing)"


def _list_exercises(chapter_id: str, exercises: list[Exercise], out: TextIO) -> None:
    if not exercises:
        out.write(f"{chapter_id}: no exercises\n")
    for e in exercises:
        where = "" if e.page == exercises[0].page else f" ({e.page})"
        checked = f"checks, define {e.signature}" if e.signature else "checks"
        out.write(
            f"{e.number:>2}. {e.key}{where}: {e.title} [{checked if e.checks else 'no checks'}]\n"
        )
