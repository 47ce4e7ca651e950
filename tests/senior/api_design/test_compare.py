"""The three styles on the same operations: same answers; request and byte counts as designed."""

from __future__ import annotations

import pytest

from studybook.senior.api_design.compare import compare


def test_three_styles_agree_and_graphql_needs_one_round_trip():
    rows = compare(page=8, authors=3, repeats=1)
    by = {(r.style, r.operation): r for r in rows}
    assert len(by) == 6
    for op in ("get", "page"):
        results = {by[(s, op)].result for s in ("REST", "GraphQL", "gRPC")}
        assert len(results) == 1
    assert by[("REST", "page")].result[0] == ("Book 1", "Author 1")
    assert len(by[("REST", "page")].result) == 8
    assert by[("REST", "get")].requests == 2  # the book, then its author link
    assert by[("REST", "page")].requests == 1 + 3  # the page, then each distinct author once
    assert by[("GraphQL", "page")].requests == by[("gRPC", "page")].requests == 1
    # protobuf's binary encoding is smaller than either JSON body (no field names on the wire)
    assert by[("gRPC", "page")].response_bytes < by[("GraphQL", "page")].response_bytes
    assert by[("GraphQL", "page")].response_bytes < by[("REST", "page")].response_bytes
    assert all(r.median_us > 0 for r in rows)


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"page": 0}, ValueError, "page must be in [1, 100], got 0"),
        ({"page": True}, TypeError, "page must be an int, got bool"),
        ({"repeats": 1.5}, TypeError, "repeats must be an int"),
        ({"authors": 0}, ValueError, "authors must be in"),
    ],
)
def test_bad_input(kwargs, error, fragment):
    with pytest.raises(error) as info:
        compare(**kwargs)
    assert fragment in str(info.value)
