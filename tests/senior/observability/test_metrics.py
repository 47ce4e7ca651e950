"""The registry's exposition read back by prometheus_client's parser (the oracle), and bad input."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client.parser import text_string_to_metric_families

from studybook.senior.observability import Registry

label_values = st.text(
    alphabet=st.one_of(st.sampled_from('\\"\n{}=, é€😀'), st.characters(codec="utf-8")),
    max_size=8,
)
finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


def parse(text: str) -> dict[str, dict[tuple[str, tuple[tuple[str, str], ...]], float]]:
    """Family name -> {(sample name, sorted labels): value}, with the family's type checked."""
    out: dict[str, dict[tuple[str, tuple[tuple[str, str], ...]], float]] = {}
    for family in text_string_to_metric_families(text):
        samples = out.setdefault(f"{family.type}:{family.name}", {})
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


@settings(max_examples=60)
@given(
    st.lists(st.tuples(label_values, label_values, st.integers(0, 1000)), min_size=1, max_size=10),
    st.lists(st.tuples(label_values, finite), min_size=1, max_size=10),
)
def test_counters_and_gauges_read_back_with_the_same_values(
    incs: list[tuple[str, str, int]], sets: list[tuple[str, float]]
) -> None:
    reg = Registry()
    counter = reg.counter("http_requests", 'Requests "served"\\ by\nhandler.', ("path", "code"))
    gauge = reg.gauge("queue_depth", "Depth.", ("queue",))
    expected_c: dict[tuple[str, str], float] = {}
    expected_g: dict[str, float] = {}
    for path, code, n in incs:
        counter.inc(n, path=path, code=code)
        expected_c[(path, code)] = expected_c.get((path, code), 0) + n
    for queue, value in sets:
        gauge.set(value, queue=queue)
        expected_g[queue] = value
    parsed = parse(reg.exposition())
    assert set(parsed) == {"counter:http_requests", "gauge:queue_depth"}
    assert parsed["counter:http_requests"] == {
        ("http_requests_total", (("code", c), ("path", p))): v for (p, c), v in expected_c.items()
    }
    assert parsed["gauge:queue_depth"] == {
        ("queue_depth", (("queue", q),)): v for q, v in expected_g.items()
    }
    families = {f.name: f for f in text_string_to_metric_families(reg.exposition())}
    assert families["http_requests"].documentation == 'Requests "served"\\ by\nhandler.'


@settings(max_examples=60)
@given(
    st.lists(finite, min_size=1, max_size=6, unique=True).map(sorted),
    st.lists(st.tuples(label_values, finite), max_size=30),
)
def test_histograms_are_cumulative_with_inf_sum_and_count(
    buckets: list[float], observations: list[tuple[str, float]]
) -> None:
    reg = Registry()
    hist = reg.histogram("latency_seconds", "Latency.", buckets, ("route",))
    for route, value in observations:
        hist.observe(value, route=route)
    parsed = parse(reg.exposition())
    samples = parsed.get("histogram:latency_seconds", {})
    routes = {r for r, _ in observations}
    assert len(samples) == len(routes) * (len(buckets) + 3)
    for route in routes:
        values = [v for r, v in observations if r == route]
        for bound in [*buckets, math.inf]:
            le = "+Inf" if bound == math.inf else repr(float(bound))
            key = ("latency_seconds_bucket", (("le", le), ("route", route)))
            assert samples[key] == sum(v <= bound for v in values)
        assert samples[("latency_seconds_count", (("route", route),))] == len(values)
        assert samples[("latency_seconds_sum", (("route", route),))] == pytest.approx(
            math.fsum(values), rel=1e-9, abs=1e-6
        )


def test_unlabelled_series_start_at_zero_and_counter_is_exposed_as_total() -> None:
    reg = Registry()
    reg.counter("jobs", "Jobs.")
    reg.histogram("size_bytes", "Size.", [1, 10])
    text = reg.exposition()
    assert "jobs_total 0.0\n" in text
    assert 'size_bytes_bucket{le="+Inf"} 0.0\n' in text
    assert parse(text)["counter:jobs"] == {("jobs_total", ()): 0.0}


def test_bound_equal_to_an_observation_counts_in_that_bucket() -> None:
    hist = Registry().histogram("h", "H.", [1, 2])
    hist.observe(1)
    hist.observe(2)
    assert 'h_bucket{le="1.0"} 1.0' in hist.render()
    assert 'h_bucket{le="2.0"} 2.0' in hist.render()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda r: r.counter("x", "h").inc(-1), ValueError, "got -1"),
        (lambda r: r.counter("x", "h").inc(float("nan")), ValueError, "got nan"),
        (lambda r: r.counter("x", "h").inc(float("inf")), ValueError, "got inf"),
        (lambda r: r.counter("x", "h").inc(True), TypeError, "got bool"),
        (lambda r: r.counter("x", "h").inc("1"), TypeError, "got str"),
        (lambda r: r.counter("x_total", "h"), ValueError, "'x_total'"),
        (lambda r: r.counter("1x", "h"), ValueError, "'1x'"),
        (lambda r: r.counter("", "h"), ValueError, "''"),
        (lambda r: r.counter(5, "h"), TypeError, "got int"),
        (lambda r: r.counter("x", None), TypeError, "got NoneType"),
        (lambda r: r.counter("x", "h", "code"), TypeError, "'code'"),
        (lambda r: r.counter("x", "h", ("a", "a")), ValueError, "('a', 'a')"),
        (lambda r: r.counter("x", "h", ("__a",)), ValueError, "'__a'"),
        (lambda r: r.counter("x", "h", ("a-b",)), ValueError, "'a-b'"),
        (lambda r: r.counter("x", "h", ("a",)).inc(), ValueError, "takes labels ['a']"),
        (lambda r: r.counter("x", "h", ("a",)).inc(b="1"), ValueError, "got ['b']"),
        (lambda r: r.counter("x", "h", ("a",)).inc(a=1), TypeError, "got int"),
        (lambda r: r.gauge("g", "h").set(float("-inf")), ValueError, "got -inf"),
        (lambda r: r.gauge("g", "h").set(None), TypeError, "got NoneType"),
        (lambda r: r.gauge("g", "h").inc(float("nan")), ValueError, "got nan"),
        (lambda r: r.histogram("h", "h", []), ValueError, "got []"),
        (lambda r: r.histogram("h", "h", [float("inf")]), ValueError, "got [inf]"),
        (lambda r: r.histogram("h", "h", [1, 1]), ValueError, "got [1, 1]"),
        (lambda r: r.histogram("h", "h", [float("nan")]), ValueError, "got nan"),
        (lambda r: r.histogram("h", "h", [True]), TypeError, "got bool"),
        (lambda r: r.histogram("h", "h", "1"), TypeError, "got str"),
        (lambda r: r.histogram("h", "h", [1], ("le",)), ValueError, "'le'"),
        (lambda r: r.histogram("h", "h", [1]).observe(float("nan")), ValueError, "got nan"),
        (lambda r: r.histogram("h", "h", [1]).observe("2"), TypeError, "got str"),
    ],
)
def test_bad_input_is_refused_with_the_value(call, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as info:
        call(Registry())
    assert message in str(info.value)


def test_duplicate_registration_is_refused_and_nothing_changes() -> None:
    reg = Registry()
    reg.counter("x", "first")
    with pytest.raises(ValueError, match="already registered"):
        reg.gauge("x", "second")
    assert "# HELP x_total first" in reg.exposition()


def test_a_failed_increment_changes_nothing() -> None:
    c = Registry().counter("x", "h")
    c.inc(2)
    with pytest.raises(ValueError, match="got -1"):
        c.inc(-1)
    assert c.value() == 2.0


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        (lambda r: r.counter("x", "h"), lambda r: r.gauge("x_total", "h"), "['x_total']"),
        (lambda r: r.gauge("x_total", "h"), lambda r: r.counter("x", "h"), "['x_total']"),
        (lambda r: r.histogram("h", "h", [1]), lambda r: r.gauge("h_count", "h"), "['h_count']"),
        (lambda r: r.gauge("h_sum", "h"), lambda r: r.histogram("h", "h", [1]), "['h_sum']"),
        (lambda r: r.counter("h", "h"), lambda r: r.histogram("h_total", "h", [1]), "['h_total']"),
    ],
)
def test_two_families_never_expose_the_same_sample_name(first, second, clash) -> None:  # type: ignore[no-untyped-def]
    # prometheus_client's own registry refuses these with DuplicateTimeseries; the parser
    # would silently merge them into one family, so the check must be ours.
    reg = Registry()
    first(reg)
    before = reg.exposition()
    with pytest.raises(ValueError, match=re.escape(clash)):
        second(reg)
    assert reg.exposition() == before
    series = [
        (s.name, tuple(sorted(s.labels.items())))
        for f in text_string_to_metric_families(before)
        for s in f.samples
    ]
    assert len(series) == len(set(series))


@pytest.mark.parametrize(
    ("make", "add"),
    [
        (lambda r: r.counter("c", "h"), lambda m: m.inc(1e308)),
        (lambda r: r.gauge("g", "h"), lambda m: m.inc(1e308)),
        (lambda r: r.histogram("hist", "h", [1]), lambda m: m.observe(1e308)),
    ],
)
def test_a_sum_that_would_overflow_is_refused_and_nothing_changes(make, add) -> None:  # type: ignore[no-untyped-def]
    reg = Registry()
    metric = make(reg)
    add(metric)
    before = reg.exposition()
    with pytest.raises(ValueError, match="would overflow to inf"):
        add(metric)
    assert reg.exposition() == before
    assert "Inf" not in before.replace('le="+Inf"', "")


def test_text_the_utf8_exposition_cannot_carry_is_refused() -> None:
    reg = Registry()
    gauge = reg.gauge("g", "h", ("path",))
    with pytest.raises(ValueError, match="UTF-8"):
        gauge.set(1, path="\ud800")
    with pytest.raises(ValueError, match="UTF-8"):
        reg.counter("c", "lone \udfff surrogate")
    reg.exposition().encode("utf-8")
