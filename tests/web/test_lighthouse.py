"""Lighthouse (pinned in tools/web) on the hub and the three heaviest chapters.

Each page must score at least 95 for performance and 100 for accessibility
with Lighthouse's desktop preset (the settings issue 21's baseline figures,
96 to 100, were taken with), and load nothing from another host. The mobile
preset (4x CPU slowdown, slow 4G) scored big-o 0.39 to 0.43 for performance:
its 14,700 elements, chart and diagrams cost seconds of main thread there. The heaviest
chapters are found, not listed: the three whose HTML is largest compressed.
The scores are written to ``build/web/lighthouse.json``; performance is
measured and gated only with ``STUDYBOOK_GATE_PERFORMANCE=1`` (see GATED), on
the median of five runs (see RUNS). ``tox -e perf`` sets it, and under
``tox p`` runs after every other environment, on an otherwise idle machine.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from studybook.book import CHAPTERS

ROOT = Path(__file__).resolve().parents[2]
BOOK = Path(os.environ.get("STUDYBOOK_HTML", ROOT / "build" / "html"))
LIGHTHOUSE = ROOT / "tools" / "web" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("STUDYBOOK_CHROMIUM", "/usr/bin/chromium")
MINIMUM = {"performance": 0.95, "accessibility": 1.0}
# Accessibility is a property of the markup and is gated on every run. The
# performance score comes from main-thread time measured on this machine, so it
# is gated only where the machine is otherwise idle: STUDYBOOK_GATE_PERFORMANCE=1,
# which `tox -e perf` sets; `tox p` (CI) runs perf after every other
# environment. While they ran on the 2 cores, the same page scored 0.67 to
# 0.87. Without it, Lighthouse measures accessibility only (and the requests,
# for other hosts). The scores are written to build/web/lighthouse.json.
GATED = (
    tuple(MINIMUM) if os.environ.get("STUDYBOOK_GATE_PERFORMANCE") == "1" else ("accessibility",)
)
# One performance score is a noisy sample: on an idle machine build-redis
# scored 0.88 to 0.99 in seven runs of the same build, as its main-thread
# time varied. Lighthouse's own guidance (docs/variability.md) is to run it
# several times and take the median, which for 5 runs it finds about twice
# as stable as one run; the gate does that. It stops as soon as the median
# is known: three runs at or above the minimum pass, three below fail
# (runs_for_median). Accessibility is checked on every run.
RUNS = 5 if "performance" in GATED else 1


def runs_for_median(measure: Callable[[], float], minimum: float, runs: int) -> list[float]:
    """Scores from *measure*, taken until the median of *runs* of them is known against *minimum*.

    The median of five scores is at least the minimum exactly when three of
    them are, so the verdict of five runs is often known after three.

    >>> scores = iter([0.99, 0.88, 0.97, 0.98, 0.91])
    >>> runs_for_median(lambda: next(scores), 0.95, 5)
    [0.99, 0.88, 0.97, 0.98]
    >>> runs_for_median(lambda: float("nan"), 0.95, 3)
    [nan, nan]
    >>> runs_for_median(lambda: 0.5, 0.95, 4)
    Traceback (most recent call last):
    ...
    ValueError: need an odd number of runs, got 4
    """
    if isinstance(runs, bool) or runs < 1 or runs % 2 == 0:
        raise ValueError(f"need an odd number of runs, got {runs!r}")
    if not 0 <= minimum <= 1:  # NaN too: no score would ever meet or miss it
        raise ValueError(f"a minimum score is in [0, 1], got {minimum!r}")
    decided = runs // 2 + 1
    scores: list[float] = []
    while decided not in (passed := sum(s >= minimum for s in scores), len(scores) - passed):
        scores.append(measure())  # a NaN score counts as a miss
    return scores


def median_run(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The report whose performance score is the median of *reports* (the lower one of two).

    >>> runs = [{"categories": {"performance": {"score": s}}} for s in (0.99, 0.88, 0.97)]
    >>> median_run(runs)["categories"]["performance"]["score"]
    0.97
    >>> median_run(runs[:2])["categories"]["performance"]["score"]
    0.88
    >>> median_run([])
    Traceback (most recent call last):
    ...
    ValueError: no Lighthouse report
    """
    if not reports:
        raise ValueError("no Lighthouse report")
    ranked = sorted(reports, key=lambda report: report["categories"]["performance"]["score"])
    return ranked[(len(ranked) - 1) // 2]


def heaviest_chapters(book: Path, count: int = 3) -> list[str]:
    """The *count* chapter pages of *book* whose HTML is largest once gzip-compressed."""
    if count < 1:
        raise ValueError(f"count must be positive, got {count!r}")
    sizes = {
        f"{ch.docname}.html": len(gzip.compress((book / f"{ch.docname}.html").read_bytes()))
        for ch in CHAPTERS
    }
    return sorted(sizes, key=lambda page: (-sizes[page], page))[:count]


PAGES = ["index.html"] + (heaviest_chapters(BOOK) if (BOOK / "index.html").is_file() else [])


def _lighthouse(url: str) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not LIGHTHOUSE.is_file():
        pytest.fail(f"need Node.js 20 and {LIGHTHOUSE}; run `npm ci --prefix tools/web`")
    run = subprocess.run(
        [
            node,
            str(LIGHTHOUSE),
            url,
            "--quiet",
            f"--only-categories={','.join(GATED)}",
            "--only-audits=network-requests",  # added to the categories' audits
            "--preset=desktop",
            "--output=json",
            "--output-path=stdout",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report: dict[str, Any] = json.loads(run.stdout)
    return report


def test_the_heaviest_chapters_are_found() -> None:
    assert len(PAGES) == 4, f"no built book in {BOOK}"
    with pytest.raises(ValueError, match="count must be positive, got 0"):
        heaviest_chapters(BOOK, 0)


@pytest.mark.parametrize("path", PAGES)
def test_lighthouse_scores(
    base_url: str, path: str, record_figure: Callable[[str, str, object], None]
) -> None:
    reports: list[dict[str, Any]] = []

    def measure() -> float:
        reports.append(_lighthouse(f"{base_url}{path}"))
        return float(reports[-1]["categories"]["performance"]["score"])

    if RUNS > 1:
        runs_for_median(measure, MINIMUM["performance"], RUNS)
        report = median_run(reports)
    else:
        report = _lighthouse(f"{base_url}{path}")
        reports.append(report)
    for run in reports:  # markup does not vary: every run must find it accessible
        assert run["categories"]["accessibility"]["score"] >= MINIMUM["accessibility"], path
    # The whole report, to read when a score drops (CI keeps build/).
    out = ROOT / "build" / "web" / f"lighthouse-{path.replace('/', '-')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report), encoding="utf-8")
    scores: dict[str, object] = {name: report["categories"][name]["score"] for name in GATED}
    if RUNS > 1:
        # "performance" is the lower median of the runs taken (three to five):
        # it decides as the median of five would, but is not that median.
        scores["performance runs"] = [run["categories"]["performance"]["score"] for run in reports]
    record_figure("lighthouse.json", path, scores)
    failing = {
        audit["id"]: report["audits"][audit["id"]].get("displayValue", "")
        for audit in report["categories"]["accessibility"]["auditRefs"]
        if report["audits"][audit["id"]]["score"] == 0
    }
    # The median report meets the minimum exactly when three of five runs would.
    passed = all(report["categories"][name]["score"] >= MINIMUM[name] for name in GATED)
    assert passed, f"{path}: {scores} {failing}"
    requested = [item["url"] for item in report["audits"]["network-requests"]["details"]["items"]]
    # data: URLs are inline (Furo's icons), not requests to a host.
    assert [url for url in requested if not url.startswith((base_url, "data:"))] == []
