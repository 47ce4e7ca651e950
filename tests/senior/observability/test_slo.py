"""Burn-rate alerts on synthetic error streams: fire, stay quiet, detection and reset times."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.observability import (
    AlertRule,
    burn_rate,
    burn_rate_threshold,
    detection_minutes,
    error_budget,
    evaluate,
    first_firing,
    incident,
    reset_minutes,
    workbook_rules,
)

PAGE_1H, PAGE_6H, TICKET_3D = workbook_rules()
DAY = 24 * 60


def test_the_workbook_table_is_computed_not_typed() -> None:
    # SRE Workbook table 5-8: 2 % in 1 h -> 14.4, 5 % in 6 h -> 6, 10 % in 3 d -> 1.
    assert [(r.severity, r.long_window, r.short_window, r.burn_rate) for r in workbook_rules()] == [
        ("page", 60, 5, 14.4),
        ("page", 360, 30, 6.0),
        ("ticket", 3 * DAY, 6 * 60, 1.0),
    ]
    assert burn_rate_threshold(1.0, 30 * DAY) == 1.0  # the whole budget over the period
    assert workbook_rules(period_days=28)[0].burn_rate == pytest.approx(0.02 * 28 * 24)


def test_budget_and_burn_rate() -> None:
    assert error_budget(0.999) == pytest.approx(0.001)
    assert burn_rate(0.001, 0.999) == pytest.approx(1.0)
    assert burn_rate(0.0, 0.99) == 0.0
    # 30 days at burn rate b spend the budget in 30/b days: 14.4 -> about 50 hours.
    assert 30 * 24 / burn_rate(0.0144, 0.999) == pytest.approx(50.0)


@settings(max_examples=40)
@given(
    st.sampled_from(workbook_rules()[:2]),
    st.integers(min_value=2, max_value=1000),
    st.sampled_from([0.99, 0.995, 0.999]),
)
def test_detection_time_matches_the_closed_form(
    rule: AlertRule, per_mille: int, slo: float
) -> None:
    ratio = per_mille / 1000
    lead = rule.long_window
    stream = incident(lead, rule.long_window * 2, ratio, 0, rate=1000)
    first = first_firing(evaluate(stream, slo, rule), lead)
    expected = detection_minutes(ratio, slo, rule)
    if expected is None:
        assert first is None
    else:
        assert first is not None
        assert first - lead + 1 == expected


@pytest.mark.parametrize(
    ("ratio", "fires"),
    [(0.0145, True), (0.0143, False), (0.5, True), (0.001, False)],
)
def test_page_fires_only_above_14_4_times_the_budget(ratio: float, fires: bool) -> None:
    stream = incident(DAY, 3 * 60, ratio, 60, rate=10_000)
    assert any(evaluate(stream, 0.999, PAGE_1H)) is fires


def test_a_short_blip_does_not_page_but_a_full_minute_outage_does() -> None:
    # One minute at 50 % errors spends 0.5/43.2 = 1.2 % of a 30-day 99.9 % budget (< 2 %).
    assert not any(evaluate(incident(DAY, 1, 0.5, 60), 0.999, PAGE_1H))
    # One minute at 100 % spends 2.3 %: the 1-hour page fires, as designed.
    assert any(evaluate(incident(DAY, 1, 1.0, 60), 0.999, PAGE_1H))


@pytest.mark.parametrize("rule", workbook_rules(), ids=lambda r: f"{r.long_window}m")
def test_the_short_window_makes_the_alert_reset_quickly(rule: AlertRule) -> None:
    stream = incident(3 * DAY, 30, 1.0, 3 * DAY)
    end = 3 * DAY + 30
    with_short = evaluate(stream, 0.999, rule)
    long_only = evaluate(
        stream, 0.999, AlertRule("x", rule.long_window, rule.long_window, rule.burn_rate, 0)
    )
    reset = reset_minutes(with_short, end)
    reset_long = reset_minutes(long_only, end)
    assert reset is not None
    assert reset_long is not None
    assert reset < rule.short_window < reset_long <= rule.long_window


def test_a_steady_error_rate_at_the_budget_never_alerts() -> None:
    stream = [(1000, 1)] * (4 * DAY)  # exactly 0.1 % errors: burn rate 1, not above it
    for rule in workbook_rules():
        assert not any(evaluate(stream, 0.999, rule))


def test_a_quiet_window_has_no_burn() -> None:
    assert not any(evaluate([(0, 0)] * 100, 0.999, PAGE_1H))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: error_budget(0), ValueError, "got 0"),
        (lambda: error_budget(float("nan")), ValueError, "got nan"),
        (lambda: error_budget(True), TypeError, "got bool"),
        (lambda: burn_rate(-0.1, 0.999), ValueError, "got -0.1"),
        (lambda: burn_rate_threshold(0, 60), ValueError, "got 0"),
        (lambda: burn_rate_threshold(0.02, 0), ValueError, "got 0"),
        (lambda: burn_rate_threshold(0.02, 60.0), TypeError, "got float"),  # type: ignore[arg-type]
        (lambda: evaluate([(10, 11)], 0.999, PAGE_1H), ValueError, "got 11"),
        (lambda: evaluate([(-1, 0)], 0.999, PAGE_1H), ValueError, "got -1"),
        (lambda: evaluate([(1.5, 0)], 0.999, PAGE_1H), TypeError, "got float"),  # type: ignore[list-item]
        (lambda: evaluate([[10, 1]], 0.999, PAGE_1H), TypeError, "got [10, 1]"),  # type: ignore[list-item]
        (lambda: evaluate([], 0.999, "page"), TypeError, "got 'page'"),  # type: ignore[arg-type]
        (lambda: detection_minutes(2, 0.999, PAGE_1H), ValueError, "got 2"),
        (lambda: first_firing([True], -1), ValueError, "got -1"),
        (lambda: incident(-1, 1, 0.5, 1), ValueError, "got -1"),
        (lambda: incident(1, 1, float("inf"), 1), ValueError, "got inf"),
        (lambda: AlertRule("page", -5, -5, 1.0, 0.1), ValueError, "got -5"),
        (lambda: AlertRule("page", 5, 60, 14.4, 0.02), ValueError, "got 60"),
        (lambda: AlertRule("page", 60, 5, float("nan"), 0.02), ValueError, "got nan"),
        (lambda: AlertRule("page", 60, 5, 0, 0.02), ValueError, "got 0"),
        (lambda: AlertRule("page", 60.0, 5, 14.4, 0.02), TypeError, "got float"),  # type: ignore[arg-type]
        (lambda: AlertRule("page", 60, 5, 14.4, 1.5), ValueError, "got 1.5"),
        (lambda: detection_minutes(0.5, 0.999, "page"), TypeError, "got 'page'"),  # type: ignore[arg-type]
    ],
)
def test_slo_bad_input(call, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
