"""W3C traceparent: the spec's examples, its invalid forms, and propagation through a chain."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.senior.observability import (
    ManualClock,
    Service,
    TraceContext,
    Tracer,
    extract,
    parse_traceparent,
)

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"


@pytest.mark.parametrize(
    ("header", "sampled"),
    [
        # The two examples of the spec's section "Examples of HTTP traceparent Headers".
        (f"00-{TRACE}-{PARENT}-01", True),
        (f"00-{TRACE}-{PARENT}-00", False),
        # The example of section "Relationship Between the Headers".
        ("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", True),
        (f"00-{TRACE}-{PARENT}-09", True),  # flags are a bit field: mask, do not compare
    ],
)
def test_the_spec_examples_parse(header: str, sampled: bool) -> None:
    ctx = parse_traceparent(header)
    assert ctx.sampled is sampled
    assert f"00-{ctx.trace_id}-{ctx.parent_id}-" == header[:53]


@pytest.mark.parametrize(
    ("header", "why"),
    [
        (f"00-{'0' * 32}-{PARENT}-01", "trace-id must not be all zeros"),
        (f"00-{TRACE}-{'0' * 16}-01", "parent-id must not be all zeros"),
        (f"00-{TRACE.upper()}-{PARENT}-01", "trace-id must be 32 lowercase hex"),
        (f"00-{TRACE}-{PARENT.upper()}-01", "parent-id must be 16 lowercase hex"),
        (f"00-{TRACE}-{PARENT}-0g", "trace-flags must be 2 lowercase hex"),
        (f"ff-{TRACE}-{PARENT}-01", "version ff is forbidden"),
        (f"0-{TRACE}-{PARENT}-01", "must start with 2 lowercase hex"),
        (f"AA-{TRACE}-{PARENT}-01", "must start with 2 lowercase hex"),
        (f"00-{TRACE}-{PARENT}-01-extra", "55 characters"),  # version 00 has no extra fields
        (f"00-{TRACE}-{PARENT}-1", "55 characters"),
        (f"00_{TRACE}-{PARENT}-01", "must start with"),
        (f"00-{TRACE}_{PARENT}-01", "separated by '-'"),
        (f"01-{TRACE}-{PARENT}-01x", "separated by '-'"),
        (f"01-{TRACE}-{PARENT}", "shorter than 55"),
        ("", "must start with"),
        (f" 00-{TRACE}-{PARENT}-01"[:55], "must start with"),
    ],
)
def test_invalid_headers_are_rejected_with_the_reason(header: str, why: str) -> None:
    with pytest.raises(ValueError, match=re.escape(why)):
        parse_traceparent(header)
    assert extract({"traceparent": header}) is None


def test_a_higher_version_is_parsed_by_the_forward_compatibility_rules() -> None:
    ctx = parse_traceparent(f"cc-{TRACE}-{PARENT}-01-what-the-future-will-be-like")
    assert (ctx.trace_id, ctx.parent_id, ctx.sampled) == (TRACE, PARENT, True)
    assert parse_traceparent(f"cc-{TRACE}-{PARENT}-01").to_traceparent().startswith("00-")


@pytest.mark.parametrize("bad", [None, 55, b"00-x", ["00"]])
def test_non_string_headers_raise_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="got"):
        parse_traceparent(bad)  # type: ignore[arg-type]


@given(st.text(max_size=70))
def test_arbitrary_text_never_crashes_and_valid_output_round_trips(text: str) -> None:
    try:
        ctx = parse_traceparent(text)
    except ValueError:
        return
    assert parse_traceparent(ctx.to_traceparent()) == TraceContext(
        ctx.trace_id, ctx.parent_id, ctx.flags & 1
    )


def test_extract_matches_names_case_insensitively_and_rejects_conflicts() -> None:
    good = f"00-{TRACE}-{PARENT}-01"
    assert extract({"TRACEPARENT": good}) == parse_traceparent(good)
    assert extract({"traceparent": good, "Traceparent": f"00-{TRACE}-{PARENT}-00"}) is None
    assert extract({}) is None
    with pytest.raises(TypeError, match="mapping"):
        extract([("traceparent", good)])  # type: ignore[arg-type]


def chain(seed: int) -> tuple[Tracer, Service]:
    clock = ManualClock()
    tracer = Tracer(random.Random(seed), clock)
    db = Service("db", tracer, clock, work=0.002)
    cache = Service("cache", tracer, clock, work=0.001)
    orders = Service("orders", tracer, clock, [cache, db], work=0.004)
    return tracer, Service("gateway", tracer, clock, [orders], work=0.002)


@pytest.mark.parametrize("seed", range(20))
def test_one_trace_id_flows_through_the_chain_and_parents_link_up(seed: int) -> None:
    tracer, gateway = chain(seed)
    root = gateway.handle({})
    spans = {s.service: s for s in tracer.spans}
    assert {s.trace_id for s in tracer.spans} == {root.trace_id}
    assert root.parent_id is None
    assert spans["orders"].parent_id == spans["gateway"].span_id
    assert spans["cache"].parent_id == spans["orders"].span_id
    assert spans["db"].parent_id == spans["orders"].span_id
    assert len({s.span_id for s in tracer.spans}) == 4
    for span in tracer.spans:  # a child runs inside its parent
        assert span.end is not None
        if span.parent_id is not None:
            parent = next(p for p in tracer.spans if p.span_id == span.parent_id)
            assert parent.end is not None
            assert parent.start <= span.start <= span.end <= parent.end


def test_an_incoming_context_is_continued_and_sampling_is_kept() -> None:
    tracer, gateway = chain(1)
    root = gateway.handle({"traceparent": f"00-{TRACE}-{PARENT}-00"})
    assert root.trace_id == TRACE
    assert root.parent_id == PARENT
    assert all(not s.sampled for s in tracer.spans)
    assert all(s.trace_id == TRACE for s in tracer.spans)


def test_an_invalid_incoming_context_restarts_the_trace() -> None:
    tracer, gateway = chain(1)
    root = gateway.handle({"traceparent": f"00-{'0' * 32}-{PARENT}-01"})
    assert root.parent_id is None
    assert root.trace_id != "0" * 32
    assert {s.trace_id for s in tracer.spans} == {root.trace_id}


def test_generated_ids_are_never_all_zero() -> None:
    class ZeroFirst(random.Random):
        def __init__(self) -> None:
            super().__init__(3)
            self.calls = 0

        def getrandbits(self, k: int) -> int:
            self.calls += 1
            return 0 if self.calls == 1 else super().getrandbits(k)

    span = Tracer(ZeroFirst(), ManualClock()).start("svc", "op", None)
    assert set(span.trace_id) != {"0"}
    assert len(span.trace_id) == 32


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: Tracer("seed", ManualClock()), TypeError),  # type: ignore[arg-type]
        (lambda: Tracer(random.Random(1), 3), TypeError),  # type: ignore[arg-type]
        (lambda: Tracer(random.Random(1), ManualClock()).start("", "op", None), ValueError),
        (lambda: Tracer(random.Random(1), ManualClock()).start("s", "op", "00-x"), TypeError),  # type: ignore[arg-type]
        (lambda: ManualClock().advance(-1), ValueError),
        (lambda: ManualClock(float("nan")), ValueError),
    ],
)
def test_tracer_bad_input(call, error) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match="got"):
        call()
