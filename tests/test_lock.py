"""Every Python package comes from uv.lock, tox included.

tox.ini's ``requires`` must list the lock's ``tox`` group, its whole closure,
at the locked versions: `.ci/pins.py` derives the one from the other.
"""

from __future__ import annotations

import runpy
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PINS = runpy.run_path(str(ROOT / ".ci" / "pins.py"))


def test_tox_requires_are_the_locked_closure_of_the_tox_group() -> None:
    assert PINS["toxini_pins"]() == PINS["lock_pins"]()


def test_the_pins_name_tox_its_plugin_and_uv() -> None:
    names = {pin.split("==")[0] for pin in PINS["toxini_pins"]()}
    assert {"tox", "tox-uv", "uv", "virtualenv"} <= names


def test_every_environment_installs_from_the_lock() -> None:
    ini = (ROOT / "tox.ini").read_text(encoding="utf-8")
    assert "runner = uv-venv-lock-runner" in ini.split("[testenv]", 1)[1].split("\n[", 1)[0]
    assert "\ndeps =" not in ini  # a `deps` line would install outside the lock


def test_the_library_itself_has_no_runtime_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["dependencies"] == []
