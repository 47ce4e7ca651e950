"""tools/web/install.py: ``npm ci`` only when node_modules is not what the lock pins."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _install() -> ModuleType:
    spec = importlib.util.spec_from_file_location("web_install", ROOT / "tools/web/install.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


install = _install()
AXE = {
    "version": "4.14.1",
    "resolved": "https://registry.npmjs.org/axe-core/-/axe-core-4.14.1.tgz",
    "integrity": "sha512-abc",
}


def _lock(folder: Path, packages: dict[str, object], hidden: dict[str, object] | None) -> None:
    root = {"": {"name": "studybook-web-gate", "dependencies": {"axe-core": "4.14.1"}}}
    (folder / "package-lock.json").write_text(
        json.dumps({"lockfileVersion": 3, "packages": root | packages}), encoding="utf-8"
    )
    if hidden is not None:
        (folder / "node_modules").mkdir()
        (folder / "node_modules" / ".package-lock.json").write_text(
            json.dumps({"lockfileVersion": 3, "packages": hidden}), encoding="utf-8"
        )


def test_a_tree_npm_installed_from_this_lock_is_up_to_date(tmp_path: Path) -> None:
    _lock(tmp_path, {"node_modules/axe-core": AXE}, {"node_modules/axe-core": AXE})
    assert install.up_to_date(tmp_path)


@pytest.mark.parametrize(
    "hidden",
    [
        None,  # never installed
        {},  # installed from an empty lock
        {"node_modules/axe-core": AXE | {"version": "4.14.0"}},  # the lock moved on
        {"node_modules/axe-core": AXE | {"integrity": "sha512-xyz"}},  # another tarball
        {"node_modules/axe-core": AXE, "node_modules/left-over": AXE},  # a package too many
    ],
)
def test_any_other_tree_is_installed_again(
    tmp_path: Path, hidden: dict[str, object] | None
) -> None:
    _lock(tmp_path, {"node_modules/axe-core": AXE}, hidden)
    assert not install.up_to_date(tmp_path)


def test_a_half_written_record_of_the_tree_is_installed_again(tmp_path: Path) -> None:
    _lock(tmp_path, {"node_modules/axe-core": AXE}, {"node_modules/axe-core": AXE})
    (tmp_path / "node_modules" / ".package-lock.json").write_text('{"packages": {', "utf-8")
    assert not install.up_to_date(tmp_path)


def test_a_missing_lock_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"package-lock\.json is missing"):
        install.up_to_date(tmp_path)


def test_the_committed_lock_pins_lighthouse_and_axe() -> None:
    lock = install._packages(ROOT / "tools/web/package-lock.json")
    assert lock is not None
    assert lock["node_modules/lighthouse"]["version"] == "12.8.2"
    assert lock["node_modules/axe-core"]["version"] == "4.14.1"


@pytest.mark.parametrize("installed", [True, False])
def test_npm_ci_runs_only_when_the_tree_is_not_the_locks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: bool
) -> None:
    _lock(
        tmp_path,
        {"node_modules/axe-core": AXE},
        {"node_modules/axe-core": AXE} if installed else None,
    )
    calls: list[list[str]] = []

    def run(args: list[str], check: bool) -> object:
        calls.append(args)
        return type("Done", (), {"returncode": 0})()

    monkeypatch.setattr(install.shutil, "which", lambda _: "/usr/bin/npm")
    monkeypatch.setattr(install.subprocess, "run", run)
    assert install.main(tmp_path) == 0
    expected = [] if installed else [["/usr/bin/npm", *install.NPM_CI, "--prefix", str(tmp_path)]]
    assert calls == expected
