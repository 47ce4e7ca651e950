"""``python -m studybook check``: list a chapter's exercises, check an answer file."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from studybook.__main__ import main
from studybook.checks import chapter_exercises, find_exercise

ROOT = Path(__file__).resolve().parents[1]


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["check", *argv], out=out), out.getvalue()


@pytest.fixture
def rob_solution(tmp_path: Path) -> Path:
    exercise = find_exercise(chapter_exercises("dynamic-programming", ROOT), "x-house-robber")
    answer = tmp_path / "rob.py"
    answer.write_text(exercise.solution, encoding="utf-8")
    return answer


def test_without_an_exercise_it_lists_them_and_which_have_checks():
    code, text = _run("dynamic-programming")
    assert code == 0
    lines = text.splitlines()
    assert lines[0] == " 1. x-house-robber: House robber [checks, define rob(amounts)]"
    assert len(lines) == len(chapter_exercises("dynamic-programming", ROOT))
    _, text = _run("big-o")
    assert " 2. x-shrink-without-thrashing: Shrink without thrashing [no checks]" in text


@pytest.mark.parametrize("wanted", ["x-house-robber", "1"])
def test_the_solution_passes_by_key_or_number(rob_solution, wanted):
    code, text = _run("dynamic-programming", wanted, str(rob_solution))
    assert code == 0, text
    lines = text.splitlines()
    assert lines[0] == "dynamic-programming x-house-robber: House robber"
    assert lines[1] == "[pass] check 1: rob([]), rob([4]), rob([0, 0, 0])"
    assert lines[-1] == "5 of 5 checks pass"
    assert "FAIL" not in text


def test_a_wrong_answer_fails_with_expected_and_got(tmp_path):
    answer = tmp_path / "rob.py"
    answer.write_text("print('loaded')\n\n\ndef rob(amounts):\n    return sum(amounts)\n")
    code, text = _run("dynamic-programming", "x-house-robber", str(answer))
    assert code == 1
    assert text.splitlines()[1:3] == ["Your code printed:", "loaded"]
    assert "[FAIL] check 2: rob([2, 1, 1, 2])\n  expected: 4\n  got:      6\n" in text
    assert text.splitlines()[-1] == "1 of 5 checks pass"


def test_an_answer_that_raises_on_load_fails_every_check(tmp_path):
    answer = tmp_path / "rob.py"
    answer.write_text("import nosuchmodule_here\n")
    code, text = _run("dynamic-programming", "1", str(answer))
    assert code == 1
    assert text.splitlines()[-1] == (
        "0 of 5 checks pass (the answer raised "
        "ModuleNotFoundError: No module named 'nosuchmodule_here')"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["dynamic-programing", "1", "a.py"], "no chapter 'dynamic-programing'; did you mean"),
        (["dynamic-programming", "x-nope", "a.py"], "no exercise 'x-nope'; the keys are"),
        (["dynamic-programming", "0", "a.py"], "no exercise number '0': the page has 5"),
        (["dynamic-programming", "6", "a.py"], "no exercise number '6'"),
        (["big-o", "2", "a.py"], "exercise 'x-shrink-without-thrashing' of 'big-o' has no checks"),
        (["dynamic-programming", "1"], "give the file with your answer to 'x-house-robber'"),
    ],
)
def test_bad_usage_exits_2_naming_the_value(argv, message):
    code, text = _run(*argv)
    assert code == 2
    assert text.startswith("studybook: ")
    assert message in text


def test_a_missing_file_a_folder_and_a_file_that_does_not_compile_exit_2(tmp_path):
    code, text = _run("dynamic-programming", "1", str(tmp_path / "missing.py"))
    assert code == 2
    assert "missing.py" in text
    code, text = _run("dynamic-programming", "1", str(tmp_path))
    assert code == 2
    assert str(tmp_path) in text
    broken = tmp_path / "broken.py"
    broken.write_text("def rob(amounts)\n    return 0\n")
    code, text = _run("dynamic-programming", "1", str(broken))
    assert code == 2
    assert text == f"studybook: {broken}: the answer does not compile: line 1: expected ':'\n"
    binary = tmp_path / "binary.py"
    binary.write_bytes(b"\xff\xfe\x00")
    code, text = _run("dynamic-programming", "1", str(binary))
    assert code == 2
    assert "utf-8" in text


def test_the_module_runs_from_a_checkout_as_a_process(rob_solution):
    done = subprocess.run(
        [sys.executable, "-m", "studybook", "check", "dynamic-programming", "1", str(rob_solution)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert (done.returncode, done.stdout.splitlines()[-1]) == (0, "5 of 5 checks pass")
