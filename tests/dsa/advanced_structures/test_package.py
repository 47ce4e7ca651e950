"""The package exports exactly the catalog's names, and its demo narrates a seeded run."""

from __future__ import annotations

import doctest
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


def test_cli_runs_the_demo() -> None:
    out = io.StringIO()
    assert main(["demo", "advanced-structures"], out=out) == 0
    # The whole narration, not its first line: exactly what the demo's doctest shows.
    shown = doctest.DocTestParser().get_examples(pkg.demo.__doc__ or "")[-1].want
    assert out.getvalue() == shown
    assert len(shown.splitlines()) == 13
