"""Keep tox.ini's ``requires`` equal to the ``tox`` group of uv.lock.

tox must be installed before any tox environment exists, so it cannot come
from ``uv sync`` like everything else; tox.ini's ``requires`` pins it instead.
This script derives those pins from the lock, so there is one source of truth:

    python .ci/pins.py write          rewrite the block in tox.ini (tox -e upgrade runs it)
    python .ci/pins.py check          exit 1 if tox.ini and uv.lock disagree
    python .ci/pins.py requirements   print the pins, one per line, for `pip install -r`
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN = "    # BEGIN requires (generated from uv.lock by .ci/pins.py)"
END = "    # END requires"


def lock_pins(lock_path: Path = ROOT / "uv.lock", group: str = "tox") -> list[str]:
    """The closure of dependency *group* in the lock, as ``name==version[; marker]``."""
    lock = tomllib.loads(lock_path.read_text(encoding="utf-8"))
    by_name: dict[str, list[dict[str, object]]] = {}
    for package in lock["package"]:
        by_name.setdefault(package["name"], []).append(package)
    (project,) = (p for p in lock["package"] if p.get("source", {}).get("editable") == ".")
    roots = project["dev-dependencies"][group]
    markers: dict[tuple[str, str], set[str | None]] = {}
    stack: list[tuple[dict[str, object], str | None]] = [(dep, None) for dep in roots]
    while stack:
        edge, inherited = stack.pop()
        package = _resolve(by_name, edge)
        marker = _and(inherited, edge.get("marker"))  # type: ignore[arg-type]
        key = (str(package["name"]), str(package["version"]))
        seen = markers.setdefault(key, set())
        if marker in seen or None in seen:
            continue
        seen.add(marker)
        stack.extend((dep, marker) for dep in package.get("dependencies", []))  # type: ignore[attr-defined]
    pins = []
    for (name, version), conditions in sorted(markers.items()):
        if None in conditions:
            pins.append(f"{name}=={version}")
        else:
            either = " or ".join(f"({c})" for c in sorted(c for c in conditions if c))
            pins.append(f"{name}=={version}; {either}")
    return pins


def _resolve(
    by_name: dict[str, list[dict[str, object]]], edge: dict[str, object]
) -> dict[str, object]:
    candidates = by_name[str(edge["name"])]
    if "version" in edge:
        candidates = [p for p in candidates if p["version"] == edge["version"]]
    if len(candidates) != 1:
        raise SystemExit(
            f"uv.lock: cannot pick one version of {edge['name']!r} from {candidates!r}"
        )
    return candidates[0]


def _and(first: str | None, second: str | None) -> str | None:
    if first is None or second is None:
        return first or second
    return f"({first}) and ({second})"


def toxini_pins(tox_ini: Path = ROOT / "tox.ini") -> list[str]:
    """The pins between the BEGIN and END lines of tox.ini's ``requires``."""
    lines = tox_ini.read_text(encoding="utf-8").splitlines()
    start, stop = lines.index(BEGIN), lines.index(END)
    return [line.strip() for line in lines[start + 1 : stop]]


def write(tox_ini: Path = ROOT / "tox.ini") -> None:
    """Replace the pins in tox.ini with the lock's."""
    lines = tox_ini.read_text(encoding="utf-8").splitlines()
    start, stop = lines.index(BEGIN), lines.index(END)
    lines[start + 1 : stop] = [f"    {pin}" for pin in lock_pins()]
    tox_ini.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    """Run one of the commands in the module docstring."""
    command = argv[0] if argv else ""
    if command == "write":
        write()
    elif command == "check":
        if toxini_pins() != lock_pins():
            sys.stderr.write(
                "tox.ini's requires differ from uv.lock: run `python .ci/pins.py write`\n"
            )
            return 1
    elif command == "requirements":
        sys.stdout.write("".join(f"{pin}\n" for pin in toxini_pins()))
    else:
        sys.stderr.write(__doc__ or "")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
