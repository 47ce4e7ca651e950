"""Browser assets the HTML book serves itself, fetched once from the npm registry.

Every npm package the build uses is pinned here, by version and by the
integrity hash the registry publishes: this module is the npm lock.
Upgrading one is a deliberate commit that changes both.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx


@dataclass(frozen=True)
class _Asset:
    """A pinned npm package whose browser build the HTML book serves itself."""

    name: str
    version: str
    integrity: str  # what the npm registry publishes for the tarball
    keep: tuple[str, ...]  # paths (files or folders) inside the tarball's package/

    def folder(self, confdir: str | Path) -> Path:
        return Path(confdir) / "build" / "vendor" / f"{self.name}-{self.version}"

    def tarball_url(self, registry: str) -> str:
        """Where the registry serves this version's tarball (unscoped packages)."""
        return f"{registry}/{self.name}/-/{self.name}-{self.version}.tgz"


# mermaid: the release sphinxcontrib-mermaid 2.1.1 targets; its ES-module entry
# point loads one chunk per diagram type on demand.
MERMAID = _Asset(
    "mermaid",
    "11.12.1",
    "sha512-UlIZrRariB11TY1RtTgUWp65tphtBv4CSq7vyS2ZZ2Tgo"
    "Mjs2nloq+wFqxiwcxlhHUvs7DPGgMjs2aeQxz5h9g==",
    ("LICENSE", "dist/mermaid.esm.min.mjs", "dist/chunks/mermaid.esm.min/"),
)
# MathJax's engine, run by Node at build time (tex2svg.cjs): the page gets SVG,
# not the 1.1 MB script that sphinx.ext.mathjax would load from a CDN.
MATHJAX_FULL = _Asset(
    "mathjax-full",
    "3.2.2",
    "sha512-+LfG9Fik+OuI8SLwsiR02IVdjcnRCy5MufYLi0C3TdMT56L/"
    "pjB0alMVGgoWJF8pN9Rc7FESycZB9BMNWIid5w==",
    ("LICENSE", "js/"),
)
# Pyodide: CPython 3.14 compiled to WebAssembly with its standard library, for
# Python in the page (sphinxext/pyodide.py: the exercise checks). Only the
# runtime is kept; the tarball ships no LICENSE file, so package.json (license
# MPL-2.0) and README.md go with it.
PYODIDE = _Asset(
    "pyodide",
    "314.0.8",
    "sha512-74Wq1kXOC+CCEzAfxuRAO701nAcCMLjf8NrwvWpu8S41dVMX"
    "wXmLQ05dYB+F4e46AdnGo0oq7YHSVUpHsoarLQ==",
    (
        "package.json",
        "README.md",
        "pyodide.mjs",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide-lock.json",
    ),
)


def _vendor_assets(app: Sphinx) -> None:
    # Every builder that draws diagrams needs mermaid: the HTML book serves
    # it, the PDF and EPUB use it to draw their images at build time.
    if app.builder.format not in {"html", "latex"}:
        return
    for asset in (MERMAID, MATHJAX_FULL):
        folder = asset.folder(app.confdir)
        if not (folder / asset.name / "LICENSE").is_file():
            _fetch(asset, folder / asset.name)
    if app.builder.format == "html" and app.builder.name != "epub":
        app.config.html_static_path.append(str(MERMAID.folder(app.confdir)))
    # Mermaid is loaded by our own script (docs/_static/studybook-mermaid.mjs),
    # only on pages with a diagram; the plugin's loader is detached because it
    # raced with itself and drew later diagrams into earlier diagrams' boxes.
    plugin_loaders = [
        listener
        for listener in app.events.listeners["html-page-context"]
        if getattr(listener.handler, "__module__", "") == "sphinxcontrib.mermaid"
    ]
    if len(plugin_loaders) != 1:
        raise RuntimeError("sphinxcontrib-mermaid's page hook changed; revisit _vendor_assets")
    app.disconnect(plugin_loaders[0].id)


def _add_mermaid_loader(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    if doctree is not None and any(
        type(node).__name__ == "mermaid" for node in doctree.findall(nodes.Element)
    ):
        app.add_js_file("studybook-mermaid.mjs", type="module")


def _fetch(asset: _Asset, target: Path) -> None:
    """Download *asset* from the npm registry, check it, unpack what it keeps into *target*.

    Plain HTTPS from Python: a reader needs neither Node.js nor npm to build
    the book. The tarball is trusted only if its SHA-512 matches the
    integrity hash the registry published for the pinned version.
    """
    tarball = _download(asset.tarball_url(_registry()))
    digest = base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if f"sha512-{digest}" != asset.integrity:
        raise RuntimeError(
            f"{asset.name}@{asset.version}: the tarball's hash is sha512-{digest}, "
            f"the pinned integrity is {asset.integrity}"
        )
    wanted = tuple(f"package/{path}" for path in asset.keep)
    folders = tuple(w for w in wanted if w.endswith("/"))
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp) / "unpacked"
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            members = [
                m for m in archive.getmembers() if m.name in wanted or m.name.startswith(folders)
            ]
            archive.extractall(staging, members=members, filter="data")
        # Several builds may fetch at once (`tox p` runs environments in
        # parallel): the copy is made beside the target and renamed into
        # place, so no build ever reads a half-copied package.
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.parent / f".{target.name}.{os.getpid()}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(staging / "package", partial)
        try:
            partial.rename(target)
        except OSError:
            # Another build got there first (keep its copy), or a stale,
            # incomplete folder is in the way (replace it).
            if _names(target) == _names(partial):
                shutil.rmtree(partial)
            else:
                shutil.rmtree(target)
                partial.rename(target)


def _names(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")}


def _registry() -> str:
    # A mirror of the npm registry can stand in; the integrity check still applies.
    return os.environ.get("STUDYBOOK_NPM_REGISTRY", "https://registry.npmjs.org").rstrip("/")


def _download(url: str, attempts: int = 3) -> bytes:
    """GET *url* over HTTPS, retrying transient failures with a short backoff."""
    if not url.startswith("https://"):
        raise ValueError(f"refusing to download over anything but HTTPS: {url!r}")
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - https only
                body: bytes = response.read()
                return body
        except (urllib.error.URLError, TimeoutError) as error:
            if attempt == attempts:
                raise RuntimeError(f"cannot download {url}: {error}") from error
            time.sleep(2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover
