"""The web gate's fixtures: the browser tests' server, Chromium and ``visit``, and the pinned tools.

The fixtures are the ones ``tests/browser/conftest.py`` defines, loaded from
that file (the test folders are not packages), so both suites serve and drive
the book the same way. Lighthouse and axe-core come from ``tools/web``,
installed by ``npm ci`` from its lock.
"""

from __future__ import annotations

import fcntl
import importlib.util
import json
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools" / "web" / "node_modules"
FIGURES = ROOT / "build" / "web"  # weights.json, lighthouse.json


def _browser_fixtures() -> object:
    spec = importlib.util.spec_from_file_location(
        "studybook_browser_conftest", ROOT / "tests" / "browser" / "conftest.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_shared = _browser_fixtures()
book_dir = _shared.book_dir  # type: ignore[attr-defined]
base_url = _shared.base_url  # type: ignore[attr-defined]
browser = _shared.browser  # type: ignore[attr-defined]
visit = _shared.visit  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's browser build, at the version tools/web/package-lock.json pins."""
    script = TOOLS / "axe-core" / "axe.min.js"
    if not script.is_file():
        pytest.fail(f"no {script}; run `npm ci --prefix tools/web` first")
    return script.read_text(encoding="utf-8")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Start the figures afresh: in the one process, or in xdist's controller before its workers."""
    if not hasattr(session.config, "workerinput"):
        for name in ("weights.json", "lighthouse.json"):
            (FIGURES / name).unlink(missing_ok=True)


def _record(name: str, key: str, value: object) -> None:
    # `tox -e web` runs two workers (pytest -n 2): each adds its pages under a lock.
    FIGURES.mkdir(parents=True, exist_ok=True)
    with (FIGURES / f".{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        path = FIGURES / name
        figures = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        figures[key] = value
        path.write_text(json.dumps(dict(sorted(figures.items())), indent=1), encoding="utf-8")


@pytest.fixture(scope="session")
def record_figure() -> Callable[[str, str, object], None]:
    """``record_figure("weights.json", page, figures)``: add a page's figures to build/web."""
    return _record
