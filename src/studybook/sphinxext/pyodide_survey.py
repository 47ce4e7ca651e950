"""Run every Run-button example of a built HTML book under its own Pyodide, and count.

    python -m studybook.sphinxext.pyodide_survey build/html [PAGE ...] [--timeout S]

The survey reads each page's JSON island (written by
:mod:`studybook.sphinxext.runner`), and ``pyodide_survey.mjs`` beside this
module presses every offered example in page order under Node, through the
page's own harness (:mod:`studybook._browser`, imported from the book's wheel
inside the vendored Pyodide). It prints one line per example that does not
pass, then the totals; the exit status is 1 if any offered example failed, so
a build can refuse buttons that fail on the book's own text.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

__all__ = ["islands", "main"]

_ISLAND = re.compile(r'<script type="application/json" id="sb-examples">(.*?)</script>', re.S)
_SCRIPT = Path(__file__).with_name("pyodide_survey.mjs")


def islands(html_dir: Path, pages: Sequence[str] = ()) -> dict[str, str]:
    """Each page's JSON island by docname, for *pages* (every page if empty).

    Raises:
        ValueError: *html_dir* holds no built page, or a named page has no island.
    """
    found: dict[str, str] = {}
    for path in sorted(html_dir.rglob("*.html")):
        docname = path.relative_to(html_dir).with_suffix("").as_posix()
        if docname.startswith("_") or (pages and docname not in pages):
            continue
        match = _ISLAND.search(path.read_text(encoding="utf-8"))
        if match:
            found[docname] = match.group(1)
    if not (html_dir / "index.html").is_file():
        raise ValueError(f"no built book in {str(html_dir)!r}")
    missing = sorted(set(pages) - set(found))
    if missing:
        raise ValueError(f"no examples on {missing!r} in {str(html_dir)!r}")
    return found


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    """Survey the book; 0 if every offered example passed, 1 if not, 2 on bad usage."""
    parser = argparse.ArgumentParser(prog="python -m studybook.sphinxext.pyodide_survey")
    parser.add_argument("html_dir", type=Path)
    parser.add_argument("pages", nargs="*", help="docnames (default: every page)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per example")
    args = parser.parse_args(argv)
    node = shutil.which("node")
    if node is None:
        print("the survey needs Node.js (node) on PATH", file=out)
        return 2
    try:
        found = islands(args.html_dir, args.pages)
    except ValueError as error:
        print(error, file=out)
        return 2
    wheel = json.loads(next(iter(found.values())))["wheel"] if found else ""
    started = time.monotonic()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tasks = Path(tmp) / "tasks.json"
        tasks.write_text(json.dumps([{"page": p, "island": i} for p, i in found.items()]))
        static = args.html_dir.resolve() / "_static"
        command = [node, str(_SCRIPT), str(static), wheel, str(tasks), str(args.timeout)]
        # Our own script, run by the node found on PATH.
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as survey:  # noqa: S603
            for line in survey.stdout or ():
                result = json.loads(line)
                results.append(result)
                if result["status"] != "pass":
                    print(_describe(result, found[result["page"]]), file=out, flush=True)
        if survey.returncode:
            print(f"the Node survey stopped with status {survey.returncode}", file=out)
            return 2
    seconds = time.monotonic() - started
    examples = sum(len(json.loads(i)["examples"]) for i in found.values())
    passed = sum(r["status"] == "pass" for r in results)
    print(
        f"{len(found)} pages, {examples} examples: {passed} passed, "
        f"{len(results) - passed} failed, {examples - len(results)} marked to run "
        f"only locally; {seconds:.0f} s",
        file=out,
    )
    return 0 if passed == len(results) else 1


def _describe(result: dict[str, Any], island: str) -> str:
    """One failing example: where it is, its first line, and what differed."""
    source = json.loads(island)["examples"][result["index"]]["source"]
    head = f"{result['page']} #{result['index']} [{result['status']}] {source.splitlines()[0]}"
    details: list[str] = []
    if result.get("error"):
        details.append(str(result["error"]).strip())
    for item in [*result.get("earlier_failures", []), *result.get("items", [])]:
        if not item["ok"]:
            details.append(
                f">>> {item['source'].strip()}\n  want: {item['want'].strip()!r}\n"
                f"  got:  {item['got'].strip()[:600]!r}"
            )
    return "\n".join([head, *("    " + d.replace("\n", "\n    ") for d in details)])


if __name__ == "__main__":
    raise SystemExit(main())
