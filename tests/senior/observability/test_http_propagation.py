"""traceparent carried over real HTTP on loopback: three servers, one trace."""

from __future__ import annotations

import itertools
import random
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from studybook.senior.observability import ManualClock, Span, Tracer, extract, parse_traceparent


class Hop:
    """One HTTP service: a span per request, then a GET to ``downstream`` with traceparent."""

    def __init__(self, name: str, tracer: Tracer, lock: threading.Lock) -> None:
        self.name = name
        self.downstream: str | None = None
        hop = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with lock:
                    span = tracer.start(hop.name, "GET", parent=extract(dict(self.headers)))
                if hop.downstream is not None:
                    request = urllib.request.Request(  # noqa: S310 - loopback only
                        hop.downstream,
                        headers={"traceparent": span.context.to_traceparent()},
                    )
                    with urllib.request.urlopen(request, timeout=5) as reply:  # noqa: S310
                        reply.read()
                with lock:
                    tracer.finish(span)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                """Keep test output quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def hops() -> Iterator[tuple[Tracer, list[Hop]]]:
    tracer = Tracer(random.Random(9), ManualClock())
    lock = threading.Lock()
    chain = [Hop(name, tracer, lock) for name in ("gateway", "orders", "payments")]
    for caller, callee in itertools.pairwise(chain):
        caller.downstream = callee.url
    try:
        yield tracer, chain
    finally:
        for hop in chain:
            hop.close()


def get(url: str, headers: dict[str, str]) -> None:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    with urllib.request.urlopen(request, timeout=5) as reply:  # noqa: S310
        assert reply.status == 200


def by_service(spans: list[Span]) -> dict[str, Span]:
    return {s.service: s for s in spans}


def test_one_trace_across_three_http_servers(hops: tuple[Tracer, list[Hop]]) -> None:
    tracer, chain = hops
    incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    get(chain[0].url, {"traceparent": incoming})
    spans = by_service(tracer.spans)
    assert set(spans) == {"gateway", "orders", "payments"}
    assert {s.trace_id for s in spans.values()} == {parse_traceparent(incoming).trace_id}
    assert spans["gateway"].parent_id == "00f067aa0ba902b7"
    assert spans["orders"].parent_id == spans["gateway"].span_id
    assert spans["payments"].parent_id == spans["orders"].span_id


def test_an_invalid_header_over_http_restarts_the_trace(hops: tuple[Tracer, list[Hop]]) -> None:
    tracer, chain = hops
    get(chain[0].url, {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01"})
    spans = by_service(tracer.spans)
    assert spans["gateway"].parent_id is None
    assert spans["gateway"].trace_id != "4bf92f3577b34da6a3ce929d0e0e4736"
    assert len({s.trace_id for s in spans.values()}) == 1
