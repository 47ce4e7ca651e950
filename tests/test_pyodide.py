"""The book's wheel that the page's Pyodide installs: reproducible, complete, with a true RECORD."""

from __future__ import annotations

import hashlib
import io
import zipfile
from base64 import urlsafe_b64encode
from pathlib import Path

from studybook.sphinxext.pyodide import _wheel_name, build_wheel

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_is_reproducible_and_installable(tmp_path: Path) -> None:
    first = build_wheel(ROOT, tmp_path / "a")
    second = build_wheel(ROOT, tmp_path / "b")
    assert first.name == _wheel_name(ROOT) == "studybook-0.1.0-py3-none-any.whl"
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(io.BytesIO(first.read_bytes())) as wheel:
        names = set(wheel.namelist())
        sources = {
            p.relative_to(ROOT / "src").as_posix()
            for p in (ROOT / "src" / "studybook").rglob("*.py")
            if "__pycache__" not in p.parts
        }
        assert sources <= names
        assert "studybook/py.typed" in names
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
        record = wheel.read("studybook-0.1.0.dist-info/RECORD").decode().splitlines()
        for line in record[:-1]:
            path, digest, size = line.rsplit(",", 2)
            body = wheel.read(path)
            expected = urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=").decode()
            assert (digest, int(size)) == (f"sha256={expected}", len(body)), path
        assert record[-1] == "studybook-0.1.0.dist-info/RECORD,,"
        assert len(record) == len(names)
