"""The web gate's fixtures: the browser tests' server, Chromium and ``visit``, and the pinned tools.

The fixtures are the ones ``tests/browser/conftest.py`` defines, loaded from
that file (the test folders are not packages), so both suites serve and drive
the book the same way. Lighthouse and axe-core come from ``tools/web``,
installed by ``npm ci`` from its lock.
"""

from __future__ import annotations

import fcntl
import functools
import importlib.util
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def pytest_configure(config: pytest.Config) -> None:
    """Name this run, in the one process or in xdist's controller (its workers get the name)."""
    if not hasattr(config, "workerinput"):
        config.studybook_run = uuid.uuid4().hex  # type: ignore[attr-defined]


def pytest_configure_node(node: Any) -> None:
    """xdist's controller: each worker records its figures under the controller's run."""
    node.workerinput["studybook_run"] = node.config.studybook_run


def _record(run: str, name: str, key: str, value: object) -> None:
    """Add *key*'s figures to ``build/web/<name>``, which an earlier run's figures do not stay in.

    ``tox -e web`` runs two workers, each adding its pages under a lock; a file
    is started afresh by the first figure of a run (``.<name>.run`` names the
    run that wrote it), so ``web`` and ``perf`` each replace only their own.
    """
    FIGURES.mkdir(parents=True, exist_ok=True)
    with (FIGURES / f".{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        path, owner = FIGURES / name, FIGURES / f".{name}.run"
        same_run = owner.is_file() and owner.read_text(encoding="utf-8") == run
        figures = json.loads(path.read_text(encoding="utf-8")) if same_run else {}
        figures[key] = value
        path.write_text(json.dumps(dict(sorted(figures.items())), indent=1), encoding="utf-8")
        owner.write_text(run, encoding="utf-8")


@pytest.fixture(scope="session")
def record_figure(pytestconfig: pytest.Config) -> Callable[[str, str, object], None]:
    """``record_figure("weights.json", page, figures)``: add a page's figures to build/web."""
    worker = getattr(pytestconfig, "workerinput", None)
    run: str = worker["studybook_run"] if worker else pytestconfig.studybook_run  # type: ignore[attr-defined]
    return functools.partial(_record, run)
