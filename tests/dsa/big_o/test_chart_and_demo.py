"""Tests for studybook.dsa.big_o.chart and the package demo."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from studybook.dsa.big_o import (
    demo,
    growth_chart_svg,
)

SVG_PATH = Path(__file__).resolve().parents[3] / "docs" / "dsa" / "big-o-growth.svg"

# ---------------------------------------------------------------- chart and demo


def test_committed_svg_matches_the_generator() -> None:
    assert SVG_PATH.read_text(encoding="utf-8") == growth_chart_svg()


def test_svg_is_well_formed_with_one_curve_per_class() -> None:
    root = ET.fromstring(growth_chart_svg(max_n=12, y_max=50))
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert len(root.findall(f"{ns}polyline")) == 7
    labels = {t.text for t in root.findall(f"{ns}text")}
    assert {"O(1)", "O(log n)", "O(n)", "O(n log n)", "O(n^2)", "O(2^n)", "O(n!)"} <= labels
    with pytest.raises(ValueError, match="y_max must be > 1, got 1"):
        growth_chart_svg(y_max=1)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"max_n": 1}, ValueError, "max_n must be >= 2, got 1"),
        ({"max_n": 2.5}, TypeError, "max_n must be an int, got 2.5"),
        ({"max_n": True}, TypeError, "max_n must be an int, got True"),
        ({"y_max": math.nan}, ValueError, "y_max must be finite, got nan"),
        ({"y_max": math.inf}, ValueError, "y_max must be finite, got inf"),
        ({"width": 10}, ValueError, "width must be >= 200, got 10"),
    ],
)
def test_chart_rejects_bad_arguments(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        growth_chart_svg(**kwargs)


def test_demo_narrates_the_chapter() -> None:
    import io

    out = io.StringIO()
    demo(out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[1].endswith("class O(n)")
    assert lines[2].endswith("class O(n log n)")
    assert lines[3].endswith("class O(n^2)")
    assert "case 2, Θ(n log n)" in lines[6]
    assert "case 2, Θ(n log^2 n)" in lines[8]
    assert lines[9] == "Feasible n at 1e8 steps: n^2 -> 10000, 2^n -> 26, n! -> 11"
