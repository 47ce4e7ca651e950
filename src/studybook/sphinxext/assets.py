"""Browser assets the HTML book serves itself, fetched once from the npm registry."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
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
    """Download *asset* from the npm registry, check it, unpack what it keeps into *target*."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"npm is needed once to fetch {asset.name}; install Node.js")
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(  # noqa: S603 - fixed arguments, pinned version
            [npm, "pack", f"{asset.name}@{asset.version}", "--json", "--pack-destination", tmp],
            check=True,
            capture_output=True,
            text=True,
        )
        tarball = Path(tmp) / json.loads(out.stdout)[0]["filename"]
        digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if f"sha512-{digest}" != asset.integrity:
            raise RuntimeError(f"{asset.name}@{asset.version} tarball has hash sha512-{digest}")
        staging = Path(tmp) / "unpacked"
        wanted = tuple(f"package/{path}" for path in asset.keep)
        with tarfile.open(tarball) as archive:
            members = [
                m
                for m in archive.getmembers()
                if m.name in wanted
                or m.name.startswith(tuple(w for w in wanted if w.endswith("/")))
            ]
            archive.extractall(staging, members=members, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staging / "package", target)
