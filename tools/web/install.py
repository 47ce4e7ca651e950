"""Install the web gate's npm packages as package-lock.json pins them, unless they already are.

``npm ci`` deletes ``node_modules`` and installs all 201 packages again on
every run: three minutes of CI, beside the other builds, when nothing had
changed. npm records the tree it installed in ``node_modules/.package-lock.json``
(its "hidden lockfile"): when that lists exactly the packages the lock does,
at the same versions, from the same tarballs with the same integrity hashes,
the tree is the one ``npm ci`` would build, and nothing is done. Otherwise
(no tree yet, a lock that changed, a tree left half-written) it runs
``npm ci``, which checks every tarball against its hash and runs no install
script.

    python tools/web/install.py    # from the project root, as tox's web environment does
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NPM_CI = ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]


def _packages(lockfile: Path) -> dict[str, Any] | None:
    """*lockfile*'s ``packages`` table, less the project's own entry; ``None`` if unreadable."""
    try:
        packages = json.loads(lockfile.read_text(encoding="utf-8"))["packages"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(packages, dict):
        return None
    packages.pop("", None)
    return packages


def up_to_date(folder: Path) -> bool:
    """Whether *folder*'s ``node_modules`` holds exactly what its ``package-lock.json`` pins."""
    wanted = _packages(folder / "package-lock.json")
    if wanted is None:
        raise ValueError(f"{folder / 'package-lock.json'} is missing or is not an npm lockfile")
    return wanted == _packages(folder / "node_modules" / ".package-lock.json")


def main(folder: Path = HERE) -> int:
    if up_to_date(folder):
        sys.stdout.write(f"{folder / 'node_modules'}: as package-lock.json pins it\n")
        return 0
    npm = shutil.which("npm")
    if npm is None:
        sys.stderr.write("npm not found: install Node.js 20 and npm (Debian: nodejs, npm)\n")
        return 1
    # S603: npm found on PATH, with fixed arguments and this project's folder.
    return subprocess.run([npm, *NPM_CI, "--prefix", str(folder)], check=False).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())
