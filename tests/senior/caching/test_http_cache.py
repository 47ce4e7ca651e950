"""RFC 9111 freshness and RFC 5861 stale-while-revalidate decisions, and bad input."""

from __future__ import annotations

import pytest

from studybook.senior.caching import cache_decision, freshness_lifetime, parse_cache_control


@pytest.mark.parametrize(
    ("header", "age", "shared", "expected"),
    [
        ("max-age=60", 0, True, "fresh"),
        ("max-age=60", 60, True, "stale"),  # fresh only while lifetime > age (RFC 9111 4.2)
        ("s-maxage=10, max-age=600", 30, True, "stale"),
        ("s-maxage=10, max-age=600", 30, False, "fresh"),  # private caches ignore s-maxage
        ("no-store, max-age=60", 0, False, "no-store"),
        ("private, max-age=60", 0, True, "no-store"),
        ("no-cache, max-age=60", 0, True, "revalidate"),
        ("max-age=60, stale-while-revalidate=30", 90, True, "stale-while-revalidate"),
        ("max-age=60, stale-while-revalidate=30", 90.5, True, "stale"),
        ("max-age=60, stale-while-revalidate=x", 61, True, "stale"),
        ("max-age=-5", 0, True, "stale"),
        ("max-age=٦٠", 0, True, "stale"),  # Arabic-Indic digits are not delta-seconds
        ("public", 0, True, "stale"),
        ("", 0, True, "stale"),
        ("MAX-AGE=60, max-age=0", 30, True, "fresh"),  # first occurrence wins
        # RFC 9111 4.2.4: these directives forbid serving stale, stale-while-revalidate or not.
        ("max-age=60, must-revalidate, stale-while-revalidate=30", 70, True, "stale"),
        ("max-age=60, must-revalidate, stale-while-revalidate=30", 70, False, "stale"),
        ("max-age=60, proxy-revalidate, stale-while-revalidate=30", 70, True, "stale"),
        (
            "max-age=60, proxy-revalidate, stale-while-revalidate=30",
            70,
            False,
            "stale-while-revalidate",
        ),
        ("s-maxage=60, stale-while-revalidate=30", 70, True, "stale"),
        ("max-age=60, must-revalidate", 59, True, "fresh"),
    ],
)
def test_decisions(header: str, age: float, shared: bool, expected: str) -> None:
    assert cache_decision(header, age=age, shared=shared) == expected


def test_expires_minus_date_is_the_last_resort() -> None:
    assert freshness_lifetime("public", expires_minus_date=120.0) == 120.0
    assert freshness_lifetime("public", expires_minus_date=-5.0) == 0.0
    assert freshness_lifetime("max-age=7", expires_minus_date=120.0) == 7.0


def test_parse_keeps_quoted_arguments() -> None:
    assert parse_cache_control(' , no-cache="a", ,') == {"no-cache": "a"}


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: cache_decision("max-age=1", age=float("nan")), ValueError, "age"),
        (lambda: cache_decision("max-age=1", age=True), TypeError, "age"),
        (lambda: cache_decision(None, age=1), TypeError, "header"),
        (lambda: freshness_lifetime("", expires_minus_date=float("inf")), ValueError, "expires"),
        (lambda: parse_cache_control(b"max-age=1"), TypeError, "header"),
        (lambda: cache_decision("max-age=1", age=0, shared="no"), TypeError, "shared"),
        (lambda: freshness_lifetime("max-age=1", shared=1), TypeError, "shared"),
    ],
)
def test_bad_input(call: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()  # type: ignore[operator]
