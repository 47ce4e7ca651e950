"""The package exports exactly the catalog's names, and its demo narrates a seeded run."""

from __future__ import annotations

import io

import studybook.dsa.advanced_structures as pkg
from studybook.__main__ import main


def test_exports_exactly_the_catalog_names() -> None:
    assert sorted(pkg.__all__) == sorted(
        [
            "BloomFilter",
            "ConsistentHashRing",
            "CountMinSketch",
            "HyperLogLog",
            "MerkleTree",
            "SkipList",
            "demo",
        ]
    )
    assert all(hasattr(pkg, name) for name in pkg.__all__)


def test_demo_narrates_each_structure() -> None:
    out = io.StringIO()
    pkg.demo(out)
    lines = out.getvalue().splitlines()
    assert len(lines) >= 5
    for word in ("Bloom", "Count-Min", "HyperLogLog", "Ring", "Merkle", "Skip list"):
        assert any(word in line for line in lines), word
    assert "verifies: True" in out.getvalue()


def test_cli_runs_the_demo() -> None:
    out = io.StringIO()
    assert main(["demo", "advanced-structures"], out=out) == 0
    assert out.getvalue().startswith("Bloom filter for 10,000 keys")
