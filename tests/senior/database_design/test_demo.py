"""The chapter's demo: its measured lines are produced, and bad sizes are refused."""

from __future__ import annotations

import io

import pytest

from studybook.senior.database_design import demo


def test_demo_counts_queries_and_shows_plans() -> None:
    out = io.StringIO()
    demo(out, authors=20, books_per_author=2)
    text = out.getvalue()
    assert text.count("N+1 loop      21 queries") == 2
    assert text.count("JOIN           1 queries") == 2
    assert text.count("batched IN     2 queries") == 2
    assert "plan of the per-author query: ['SCAN books']" in text
    assert "['SEARCH books USING INDEX books_author_id (author_id=?)']" in text
    assert "never above max_size: True; lent out after the run: 0; all closed: True" in text
    assert "ERROR 40001" in text


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"authors": 0}, ValueError),
        ({"books_per_author": -1}, ValueError),
        ({"authors": True}, TypeError),
        ({"authors": 2.5}, TypeError),
    ],
)
def test_demo_bad_sizes(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        demo(io.StringIO(), **kwargs)  # type: ignore[arg-type]
