"""Exercise checks: every check set passes its own solution and fails wrong answers.

The checks live in the chapters' MyST source (``{checks}`` inside an
``{exercise}``); :mod:`studybook.checks` reads them without a build, and a
small Sphinx build of the same pages shows that the book collects exactly what
the command line reads.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import textwrap
import warnings
from pathlib import Path

import pytest
from docutils.nodes import make_id
from sphinx.util.docutils import docutils_namespace

from studybook.book import CHAPTERS
from studybook.checks import (
    AnswerSyntaxError,
    Exercise,
    chapter_exercises,
    check_json,
    find_exercise,
    page_exercises,
    run_checks,
)
from studybook.sphinxext.checks import _add_checks_island

ROOT = Path(__file__).resolve().parents[1]


def _all_exercises() -> list[tuple[str, Exercise]]:
    found = []
    for ch in CHAPTERS:
        if (ROOT / "docs" / ch.part / f"{ch.id}.md").is_file():
            found += [(ch.id, e) for e in chapter_exercises(ch.id, ROOT)]
    return found


EXERCISES = _all_exercises()
CHECKED = [(chapter, e) for chapter, e in EXERCISES if e.checks]
IDS = [f"{chapter}#{e.key}" for chapter, e in CHECKED]


def test_the_book_has_checks_on_25_exercises_and_every_part_i_chapter():
    assert len(CHECKED) >= 25
    part_i = {ch.id for ch in CHAPTERS if ch.part == "dsa"}
    assert part_i <= {chapter for chapter, _ in CHECKED}


@pytest.mark.parametrize(("chapter", "exercise"), CHECKED, ids=IDS)
def test_the_solution_passes_every_check(chapter, exercise):
    assert exercise.solution, "the solution shows no code to check"
    report = run_checks(
        exercise.solution, exercise.checks, exercise.setup, cleanup=exercise.cleanup
    )
    failed = [r for r in report.results if not r.passed]
    assert report.passed, (report.error, failed)
    assert 3 <= len(report.checks) <= 8, report.summary()


def _name(exercise: Exercise) -> str:
    match = re.match(r"[A-Za-z_]\w*", exercise.signature)
    assert match, f"{exercise.key}: the signature names nothing: {exercise.signature!r}"
    return match[0]


@pytest.mark.parametrize(("chapter", "exercise"), CHECKED, ids=IDS)
def test_wrong_answers_fail_some_check(chapter, exercise):
    name = _name(exercise)
    assert name in exercise.solution, "the signature's name is not the solution's"
    wrong = {
        "nothing": "",
        "a stub returning None": f"def {name}(*args, **kwargs):\n    return None\n",
        "a stub returning 0": f"def {name}(*args, **kwargs):\n    return 0\n",
    }
    for what, code in wrong.items():
        report = run_checks(code, exercise.checks, exercise.setup, cleanup=exercise.cleanup)
        assert not report.passed, f"{what} passes every check"


# Off-by-one and similar slips, made by editing each solution: each must fail.
MUTANTS = [
    ("big-o", "x-classify-a-triple-loop", "combinations(items, 3)", "combinations(items, 2)"),
    ("data-structures", "x-min-stack", "min(x, self._mins[-1])", "x"),
    ("data-structures", "x-queue-from-two-stacks", "self._inbox.pop()", "self._inbox.pop(0)"),
    (
        "data-structures",
        "x-validate-a-binary-search-tree",
        "low < node.key < high",
        "low <= node.key <= high",
    ),
    ("dynamic-programming", "x-house-robber", "skip + x", "take + x"),
    (
        "dynamic-programming",
        "x-unbounded-knapsack-in-one-row",
        "range(w, capacity + 1)",
        "range(capacity, w - 1, -1)",
    ),
    (
        "dynamic-programming",
        "x-reconstruct-coin-change",
        "fewest[a - coin] + 1 < fewest[a]",
        "fewest[a - coin] + 1 > fewest[a]",
    ),
    ("graph-algorithms", "x-redundant-connection", "return (a, b)", "return (b, a)"),
    ("leetcode-patterns", "x-two-sum-on-sorted-input-in-o-1-space", "[lo + 1, hi + 1]", "[lo, hi]"),
    ("leetcode-patterns", "x-next-greater-element-in-a-circular-array", "range(2 * n)", "range(n)"),
    ("leetcode-patterns", "x-subarray-sum-equals-k", "Counter({0: 1})", "Counter()"),
    ("lsm-tree", "x-a-prefix-scan", 'rstrip(b"\\xff")', "rstrip(b'')"),
    ("number-systems", "x-sign-extend-a-12-bit-field", "0x800) - 0x800", "0x000) - 0x000"),
    ("sorting-searching", "x-first-bad-version", "n + 1, is_bad", "n, is_bad"),
    ("sorting-searching", "x-merge-k-sorted-lists", "if lst]", "if lst[1:]]"),
]


@pytest.mark.parametrize(("chapter", "key", "right", "slip"), MUTANTS, ids=[m[1] for m in MUTANTS])
def test_a_solution_with_a_slip_fails(chapter, key, right, slip):
    exercise = find_exercise(chapter_exercises(chapter, ROOT), key)
    assert right in exercise.solution
    code = slip.join(exercise.solution.rsplit(right, 1))  # the last: the ```python block
    assert not run_checks(code, exercise.checks, exercise.setup, cleanup=exercise.cleanup).passed


def test_keys_match_docutils_for_every_exercise_in_the_book():
    for _, exercise in EXERCISES:
        base = f"x-{make_id(exercise.title)}"
        assert exercise.key == base or re.fullmatch(rf"{re.escape(base)}-\d+", exercise.key)


# The runner itself.


def test_every_check_runs_even_after_a_failure_and_reports_what_it_got():
    checks = ">>> f(1)\n2\n>>> f(2)\n4\n>>> f(3)\n6\n"
    report = run_checks("def f(x):\n    return x * 2 if x != 2 else 5\n", checks)
    assert [r.passed for r in report.results] == [True, False, True]
    assert (report.results[1].want, report.results[1].got) == ("4\n", "5\n")
    assert report.summary() == "2 of 3 checks pass"


def test_the_answer_runs_in_a_fresh_namespace_after_the_setup():
    checks = ">>> 'leak' in globals(), helper()\n(False, 42)\n"
    assert run_checks("def helper():\n    return ANSWER\n", checks, "ANSWER = 42\n").passed
    run_checks("leak = 1\n", ">>> leak\n1\n")
    assert run_checks("def helper():\n    return 42\n", checks).passed


def test_doctest_flags_ellipsis_and_whitespace_apply():
    checks = ">>> list(range(30))\n[0, 1, ..., 29]\n>>> print('a   b')\na b\n"
    assert run_checks("", checks).passed


def test_an_exception_in_a_check_is_shown_like_doctest():
    report = run_checks("def f():\n    raise KeyError('k')\n", ">>> f()\n1\n")
    assert report.results[0].got.splitlines()[-1] == "KeyError: 'k'"
    expected = ">>> f()\nTraceback (most recent call last):\n    ...\nKeyError: 'k'\n"
    assert run_checks("def f():\n    raise KeyError('k')\n", expected).passed


def test_an_answer_that_raises_while_loading_fails_every_check():
    report = run_checks("print('hi')\n1 / 0\n", ">>> 1\n1\n>>> 2\n2\n")
    assert report.error == "ZeroDivisionError: division by zero"
    assert report.output == "hi\n"
    assert [r.passed for r in report.results] == [False, False]
    assert (
        report.summary()
        == "0 of 2 checks pass (the answer raised ZeroDivisionError: division by zero)"
    )


def test_an_exit_in_the_answer_is_reported_not_raised():
    report = run_checks("import sys\nsys.exit(3)\n", ">>> 1\n1\n")
    assert report.error == "SystemExit: 3"
    assert not report.passed


@pytest.mark.parametrize(
    ("code", "checks"),
    [("x = 1\n", ">>> x\n2\n"), ("workdir = 'elsewhere'\n1 / 0\n", ">>> 1\n1\n")],
    ids=["a check fails", "the answer raises and rebinds the setup's name"],
)
def test_the_page_cleanup_runs_after_every_run(tmp_path, code, checks):
    workdir = tmp_path / "work"
    setup = f"import os\nworkdir = {str(workdir)!r}\nos.mkdir(workdir)\n"
    report = run_checks(code, checks, setup, cleanup="os.rmdir(workdir)\n")
    assert not report.passed
    assert not workdir.exists()


def test_cleanup_must_be_a_str():
    with pytest.raises(TypeError, match=re.escape("cleanup must be a str, got 0")):
        run_checks("x = 1", ">>> 1\n1\n", cleanup=0)


def test_steps_count_only_when_they_fail():
    checks = ">>> def twice(x):\n...     return 2 * x\n>>> twice(f(1))\n4\n>>> assert f(0) == 0\n"
    report = run_checks("def f(x):\n    return 2 * x\n", checks)
    assert report.summary() == "2 of 2 checks pass"
    broken = run_checks("def f(x):\n    return 2 * x\n", ">>> import nosuchmodule\n>>> f(1)\n2\n")
    assert broken.summary() == "1 of 2 checks pass"


@pytest.mark.parametrize(
    ("code", "checks", "setup", "error", "message"),
    [
        (None, ">>> 1\n1\n", "", TypeError, "code must be a str, got None"),
        (b"x = 1", ">>> 1\n1\n", "", TypeError, "code must be a str, got b'x = 1'"),
        ("x = 1", 1.5, "", TypeError, "checks must be a str, got 1.5"),
        ("x = 1", ">>> 1\n1\n", ["import os"], TypeError, "setup must be a str, got ['import os']"),
        ("x = 1", "", "", ValueError, "checks must hold at least one '>>>' example, got ''"),
        ("x = 1", "just prose\n", "", ValueError, "got 'just prose\\n'"),
        ("def f(:\n", ">>> 1\n1\n", "", AnswerSyntaxError, "the answer does not compile: line 1"),
    ],
)
def test_bad_input_is_rejected_with_the_value(code, checks, setup, error, message):
    with pytest.raises(error, match=re.escape(message)):
        run_checks(code, checks, setup)


def test_check_json_reports_a_compile_error_and_results():
    assert json.loads(check_json("def f(:\n", ">>> 1\n1\n"))["error"].startswith(
        "the answer does not compile: line 1"
    )
    reply = json.loads(check_json("def f():\n    return 1\n", ">>> g = f\n>>> g()\n2\n"))
    assert reply["passed"] is False
    assert [(r["step"], r["passed"], r["got"]) for r in reply["results"]] == [
        (True, True, ""),
        (False, False, "1\n"),
    ]


def test_find_exercise_by_number_key_and_errors():
    exercises = chapter_exercises("big-o", ROOT)
    assert find_exercise(exercises, "1").key == "x-classify-a-triple-loop"
    assert find_exercise(exercises, "x-classify-a-triple-loop").number == 1
    for wanted, message in [
        ("0", "no exercise number '0'"),
        ("99", "no exercise number '99'"),
        ("x-nope", "no exercise 'x-nope'"),
        ("\u0661", "no exercise '\u0661'"),
    ]:
        with pytest.raises(KeyError, match=re.escape(message)):
            find_exercise(exercises, wanted)


def test_page_parser_keys_repeated_titles_and_ignores_exercises_without_checks():
    text = textwrap.dedent(
        """\
        ::::{exercise} Same
        :class: hard
        :::{solution}
        Prose only.
        :::
        ::::

        ::::{exercise} Same
        :::{checks}
        >>> 1
        1
        :::
        ::::
        """
    )
    first, second = page_exercises(text)
    assert (first.key, first.checks, first.solution) == ("x-same", "", "")
    assert (second.key, second.number, second.checks) == ("x-same-2", 2, ">>> 1\n1\n")


# What the build collects equals what the command line reads.

_CONF = """
extensions = ["myst_parser", "sphinx.ext.doctest"]
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "attrs_inline"]
suppress_warnings = ["myst", "ref", "toc"]


def setup(app):
    from studybook.sphinxext.checks import ChecksDirective, _skip_checks, checks
    from studybook.sphinxext.questions import (
        ExerciseDirective, QuestionDirective, SolutionDirective, exercise, question, solution,
    )
    for node in (question, exercise, solution):
        app.add_node(node)
    app.add_node(checks, text=(_skip_checks, None))
    app.add_directive("question", QuestionDirective)
    app.add_directive("exercise", ExerciseDirective)
    app.add_directive("solution", SolutionDirective)
    app.add_directive("checks", ChecksDirective)
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, object]]]:
    from sphinx.application import Sphinx

    from studybook.sphinxext.checks import collect_checks

    src = tmp_path_factory.mktemp("src")
    pages = sorted({e.page for _, e in CHECKED})
    for page in pages:
        target = src / f"{page}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "docs" / f"{page}.md", target)
    (src / "index.md").write_text("# Index\n", encoding="utf-8")
    (src / "conf.py").write_text(_CONF, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    # Deprecations inside Sphinx and MyST are not ours; docutils_namespace undoes the
    # registrations this Sphinx object makes, as build_main does.
    with warnings.catch_warnings(), docutils_namespace():
        warnings.simplefilter("ignore")
        app = Sphinx(src, src, out / "html", out / "doctrees", "dummy", status=None, warning=None)
        app.build()
    return {page: collect_checks(app.env.get_doctree(page)) for page in pages}


def test_the_build_collects_what_the_command_line_reads(built):
    for page, collected in built.items():
        read = [e for _, e in CHECKED if e.page == page]
        assert [
            (c["key"], c["number"], c["checks"], c["signature"], c["setup"], c["cleanup"])
            for c in collected
        ] == [(e.key, e.number, e.checks, e.signature, e.setup, e.cleanup) for e in read], page


_HIDDEN_CONF = """
extensions = ["myst_parser"]
myst_enable_extensions = ["colon_fence"]


def setup(app):
    from studybook.sphinxext import questions as q
    from studybook.sphinxext.checks import ChecksDirective, _skip_checks, checks

    app.add_node(
        q.exercise,
        html=(q._visit_exercise_html, q._depart_div_html),
        latex=(q._visit_exercise_latex, q._depart_noop),
        text=(q._visit_exercise_text, q._depart_noop),
    )
    app.add_node(
        q.solution,
        html=(q._visit_solution_html, q._depart_details_html),
        latex=(q._visit_solution_latex, q._depart_noop),
        text=(q._visit_solution_text, q._depart_noop),
    )
    hidden = (_skip_checks, None)
    app.add_node(checks, html=hidden, latex=hidden, text=hidden)
    app.add_directive("exercise", q.ExerciseDirective)
    app.add_directive("solution", q.SolutionDirective)
    app.add_directive("checks", ChecksDirective)
"""

_HIDDEN_PAGE = """# Page

::::{exercise} Square it
Write `square(x)`.

:::{checks} square(x)
>>> square(12345)
152399025
:::

:::{solution}
Multiply: SOLUTIONTEXT.
:::
::::
"""


@pytest.mark.parametrize(
    ("builder", "output"),
    [("text", "index.txt"), ("latex", "book.tex"), ("html", "index.html"), ("epub", "index.xhtml")],
)
def test_checks_are_hidden_in_every_output(tmp_path, builder, output):
    from sphinx.application import Sphinx

    (tmp_path / "conf.py").write_text(
        _HIDDEN_CONF + 'latex_documents = [("index", "book.tex", "B", "A", "manual")]\n',
        encoding="utf-8",
    )
    (tmp_path / "index.md").write_text(_HIDDEN_PAGE, encoding="utf-8")
    with warnings.catch_warnings(), docutils_namespace():
        warnings.simplefilter("ignore")
        app = Sphinx(
            tmp_path,
            tmp_path,
            tmp_path / "out",
            tmp_path / "dt",
            builder,
            status=None,
            warning=None,
        )
        app.build()
    text = next((tmp_path / "out").rglob(output)).read_text(encoding="utf-8")
    assert "SOLUTIONTEXT" in text
    assert "12345" not in text
    assert "152399025" not in text


def test_the_island_round_trips_any_text_and_holds_no_angle_bracket(tmp_path):
    from sphinx.application import Sphinx

    (tmp_path / "conf.py").write_text(_HIDDEN_CONF, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "b"\nversion = "1"\n')
    tricky = ">>> '</script><!--<script>'\n'</script><!--<script>'\n"
    page = f"# Page\n\n::::{{exercise}} E\n:::{{checks}}\n{tricky}:::\n::::\n"
    (tmp_path / "index.md").write_text(page, encoding="utf-8")
    with warnings.catch_warnings(), docutils_namespace():
        warnings.simplefilter("ignore")
        app = Sphinx(
            tmp_path, tmp_path, tmp_path / "out", tmp_path / "dt", "html", status=None, warning=None
        )
        app.connect("doctree-resolved", _add_checks_island)
        app.build()
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    [payload] = re.findall(r'<script type="application/json" id="sb-checks">(.*?)</script>', html)
    assert "<" not in payload
    assert json.loads(payload)["exercises"][0]["checks"] == tricky


def test_checks_outside_an_exercise_and_without_examples_are_reported(tmp_path):
    from sphinx.application import Sphinx

    (tmp_path / "conf.py").write_text(_HIDDEN_CONF, encoding="utf-8")
    page = ":::{checks}\n>>> 1\n1\n:::\n\n::::{exercise} E\n:::{checks}\nno example\n:::\n::::\n"
    (tmp_path / "index.md").write_text("# Page\n\n" + page, encoding="utf-8")
    warning = io.StringIO()
    with warnings.catch_warnings(), docutils_namespace():
        warnings.simplefilter("ignore")
        app = Sphinx(
            tmp_path,
            tmp_path,
            tmp_path / "out",
            tmp_path / "dt",
            "text",
            status=None,
            warning=warning,
        )
        app.connect("doctree-resolved", _add_checks_island)
        app.build()
    assert "{checks} must be directly inside an {exercise}" in warning.getvalue()
    assert "{checks} needs at least one '>>>' example, got 'no example\\n'" in warning.getvalue()
