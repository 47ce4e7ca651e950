"""The book's Python in the browser: the pinned Pyodide and the book's own wheel.

Two pieces, both offline, shared by everything that runs Python in a page
(the exercise checks, checks.py):

* The pinned Pyodide release (:data:`~studybook.sphinxext.assets.PYODIDE`) is
  fetched once from the npm registry, checked against its integrity hash and
  served from ``_static/pyodide/``. Nothing of it loads until a reader asks
  for Python: ``docs/_static/studybook-pyodide.mjs`` imports it on the first
  call of ``startPython``.
* The book's own wheel, written from ``src/`` at the end of every HTML build,
  is served as ``_static/studybook-<version>-py3-none-any.whl`` and unpacked
  into Pyodide's ``site-packages`` (no micropip, no network), so
  ``from studybook... import ...`` works in the page.
"""

from __future__ import annotations

import base64
import hashlib
import tomllib
import zipfile
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from studybook.sphinxext.assets import PYODIDE, _fetch


def _is_html(app: Sphinx) -> bool:
    """Whether *app* writes the HTML book (not the EPUB or the single page)."""
    return app.builder.format == "html" and app.builder.name not in {"epub", "singlehtml"}


def _serves_python(app: Sphinx) -> bool:
    """Whether this build serves Python to its pages: HTML from a Python project.

    The wheel is the project's own, described by ``pyproject.toml`` beside
    ``conf.py``; a project without one (a small book using the extension)
    gets neither the wheel nor Pyodide.
    """
    return _is_html(app) and (Path(app.confdir) / "pyproject.toml").is_file()


def _vendor_pyodide(app: Sphinx) -> None:
    """Fetch the pinned Pyodide once and serve it from ``_static/pyodide/``."""
    if not _serves_python(app):
        return
    folder = PYODIDE.folder(app.confdir)
    if not (folder / PYODIDE.name / "pyodide.mjs").is_file():
        _fetch(PYODIDE, folder / PYODIDE.name)
    app.config.html_static_path.append(str(folder))


def _test_source(node: nodes.Element) -> str:
    """The code of a doctest node as the doctest builder runs it."""
    return str(node["test"]) if "test" in node else node.astext()


def _project(confdir: str | Path) -> dict[str, Any]:
    with (Path(confdir) / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def _wheel_name(confdir: str | Path) -> str:
    """The wheel's file name, from pyproject.toml's name and version."""
    project = _project(confdir)["project"]
    return f"{project['name']}-{project['version']}-py3-none-any.whl"


def build_wheel(confdir: str | Path, target_dir: Path) -> Path:
    """Write the book's pure-Python wheel into *target_dir*, byte-for-byte reproducible.

    The files are those setuptools packs (every module under ``src/`` plus the
    package data pyproject.toml lists), with the metadata a wheel needs to be
    unpacked into ``site-packages``; no build backend runs, so the docs build
    needs nothing new.
    """
    pyproject = _project(confdir)
    project = pyproject["project"]
    name, version = project["name"], project["version"]
    src = Path(confdir) / "src"
    data = pyproject.get("tool", {}).get("setuptools", {}).get("package-data", {})
    files = sorted(
        path
        for path in (src / name).rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and (path.suffix == ".py" or path.relative_to(src / name).as_posix() in data.get(name, []))
    )
    info = f"{name}-{version}.dist-info"
    metadata = (
        f"Metadata-Version: 2.4\nName: {name}\nVersion: {version}\n"
        f"Summary: {project.get('description', '')}\n"
        f"Requires-Python: {project.get('requires-python', '')}\n"
    )
    wheel = "Wheel-Version: 1.0\nGenerator: studybook.sphinxext.pyodide\nRoot-Is-Purelib: true\n"
    wheel += "Tag: py3-none-any\n"
    entries = [(p.relative_to(src).as_posix(), p.read_bytes()) for p in files]
    entries += [(f"{info}/METADATA", metadata.encode()), (f"{info}/WHEEL", wheel.encode())]
    record = [f"{arc},sha256={_digest(body)},{len(body)}" for arc, body in entries]
    record.append(f"{info}/RECORD,,")
    entries.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / _wheel_name(confdir)
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for arc, body in entries:
            entry = zipfile.ZipInfo(arc, date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, body, compress_type=zipfile.ZIP_DEFLATED)
    partial.replace(target)
    return target


def _digest(body: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=").decode()


def _write_wheel(app: Sphinx, exception: Exception | None) -> None:
    """Write the wheel beside the HTML once the build succeeded (``build-finished``)."""
    if exception is None and _serves_python(app):
        build_wheel(app.confdir, Path(app.outdir) / "_static")
