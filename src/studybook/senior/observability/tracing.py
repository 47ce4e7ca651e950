"""W3C Trace Context: the ``traceparent`` header, and spans propagated across a call chain.

A *trace* is the tree of *spans* one request causes; a span is one unit of
work (a handler, a database call) with a start, an end and a parent. For the
tree to be assembled across processes, every outgoing call carries the
caller's trace id and its own span id. The W3C Trace Context recommendation
fixes the header for it::

    traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
                 ^^ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ ^^^^^^^^^^^^^^^^ ^^
            version     trace-id (16 bytes hex)     parent-id (8 bytes) trace-flags

All hex is lowercase; an all-zero trace-id or parent-id is invalid; version
``ff`` is forbidden; the only flag defined in version ``00`` is *sampled*
(bit 0). A receiver that cannot parse the header ignores it and *restarts*
the trace: a new trace-id, no parent.

Invariant: every span of a trace shares its root's trace-id, and every
non-root span's parent is a span of the same trace.

>>> ctx = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
>>> ctx.trace_id, ctx.parent_id, ctx.sampled
('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', True)

Primary source: W3C Recommendation "Trace Context" (Level 1, 2021), section 3
("Trace Context HTTP Headers Format").
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from studybook._validate import check_callable, check_real, check_rng, check_str

__all__ = [
    "ManualClock",
    "Service",
    "Span",
    "TraceContext",
    "Tracer",
    "extract",
    "parse_traceparent",
    "render_trace",
]

SAMPLED = 0x01
_HEX = re.compile(r"[0-9a-f]*")


@dataclass(frozen=True)
class TraceContext:
    """What crosses a process boundary: the trace-id, the caller's span id and the flags."""

    trace_id: str
    parent_id: str
    flags: int = SAMPLED

    @property
    def sampled(self) -> bool:
        """Whether the caller may have recorded this request (the flags' lowest bit)."""
        return bool(self.flags & SAMPLED)

    def to_traceparent(self) -> str:
        """Return the version-00 ``traceparent`` value.

        Flags other than *sampled* are written as zero, as Level 1 requires of
        vendors for the flags it does not define.

        >>> ctx = TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 0x09)
        >>> ctx.to_traceparent()
        '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
        """
        return f"00-{self.trace_id}-{self.parent_id}-{self.flags & SAMPLED:02x}"


def parse_traceparent(header: str) -> TraceContext:
    """Parse a ``traceparent`` value by the W3C rules, or raise ``ValueError`` saying why.

    Version ``00`` must be exactly 55 characters. A higher version is parsed
    as the spec's forward-compatibility rules say: at least 55 characters,
    the three known fields where version 00 has them, and after the flags
    either the end or a ``-`` (the fields after it are ignored).

    Args:
        header: the header value.

    Raises:
        TypeError: not a str.
        ValueError: anything the spec says to ignore (the message names it).

    Complexity: O(len(header)).

    >>> parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").sampled
    False
    >>> parse_traceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01")
    Traceback (most recent call last):
        ...
    ValueError: trace-id must not be all zeros, got '00000000000000000000000000000000'
    """
    check_str(header, "traceparent")
    version = header[:2]
    if len(header) < 3 or not _is_hex(version, 2) or header[2] != "-":
        raise ValueError(
            f"traceparent must start with 2 lowercase hex digits and '-', got {header!r}"
        )
    if version == "ff":
        raise ValueError(f"traceparent version ff is forbidden, got {header!r}")
    if version == "00" and len(header) != 55:
        raise ValueError(
            f"a version-00 traceparent is 55 characters, got {len(header)}: {header!r}"
        )
    if len(header) < 55:
        raise ValueError(f"traceparent is shorter than 55 characters, got {header!r}")
    trace_id, parent_id, flags = header[3:35], header[36:52], header[53:55]
    if header[35] != "-" or header[52] != "-" or header[55:56] not in ("", "-"):
        raise ValueError(f"traceparent fields must be separated by '-', got {header!r}")
    for field, value, width in (
        ("trace-id", trace_id, 32),
        ("parent-id", parent_id, 16),
        ("trace-flags", flags, 2),
    ):
        if not _is_hex(value, width):
            raise ValueError(f"{field} must be {width} lowercase hex digits, got {value!r}")
    for field, value in (("trace-id", trace_id), ("parent-id", parent_id)):
        if set(value) == {"0"}:
            raise ValueError(f"{field} must not be all zeros, got {value!r}")
    return TraceContext(trace_id, parent_id, int(flags, 16))


def _is_hex(text: str, width: int) -> bool:
    return len(text) == width and _HEX.fullmatch(text) is not None


def extract(headers: Mapping[str, str]) -> TraceContext | None:
    """Return the context in ``headers`` (names matched case-insensitively), or ``None``.

    ``None`` means "start a new trace": the header is absent, repeated with
    different values, or invalid. (``None`` is not a legal context, so it
    cannot be confused with one.)

    Complexity: O(total header length).

    >>> header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    >>> extract({"TraceParent": header}).parent_id
    '00f067aa0ba902b7'
    >>> extract({"traceparent": "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"}) is None
    True
    """
    if not isinstance(headers, Mapping):
        raise TypeError(f"headers must be a mapping, got {type(headers).__name__}: {headers!r}")
    values = {v for k, v in headers.items() if isinstance(k, str) and k.lower() == "traceparent"}
    if len(values) != 1:
        return None
    try:
        return parse_traceparent(values.pop())
    except (ValueError, TypeError):
        return None


@dataclass
class Span:
    """One unit of work: its service, name, ids, parent (``None`` for a root) and times."""

    service: str
    name: str
    trace_id: str
    span_id: str
    parent_id: str | None
    start: float
    end: float | None = None
    sampled: bool = True

    @property
    def context(self) -> TraceContext:
        """The context to send downstream, in which this span becomes the callee's parent."""
        return TraceContext(self.trace_id, self.span_id, SAMPLED if self.sampled else 0)


class ManualClock:
    """A clock that moves only when told to, for deterministic span times.

    >>> clock = ManualClock(); clock.advance(0.25); clock()
    0.25
    """

    def __init__(self, start: float = 0.0) -> None:
        self.now = check_real(start, "start")

    def __call__(self) -> float:
        """Return the current time."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` (>= 0)."""
        self.now += check_real(seconds, "seconds", low=0)


class Tracer:
    """Creates spans with random ids from a seeded ``rng`` and times from ``clock``; keeps them.

    >>> tracer = Tracer(random.Random(1), ManualClock())
    >>> root = tracer.start("web", "GET /", parent=None)
    >>> child = tracer.start("db", "SELECT", parent=root.context)
    >>> child.trace_id == root.trace_id, child.parent_id == root.span_id, root.parent_id
    (True, True, None)
    """

    def __init__(self, rng: random.Random, clock: Callable[[], float]) -> None:
        self._rng = check_rng(rng)
        check_callable(clock, "clock")
        self._clock = clock
        self.spans: list[Span] = []

    def start(self, service: str, name: str, parent: TraceContext | None) -> Span:
        """Start a span: a child of ``parent``, or the root of a new trace if it is ``None``.

        Complexity: O(1).
        """
        check_str(service, "service", nonempty=True)
        check_str(name, "name", nonempty=True)
        if parent is not None and not isinstance(parent, TraceContext):
            raise TypeError(f"parent must be a TraceContext or None, got {parent!r}")
        if parent is None:
            trace_id, parent_id, sampled = self._new_id(128), None, True
        else:
            trace_id, parent_id, sampled = parent.trace_id, parent.parent_id, parent.sampled
        span = Span(
            service, name, trace_id, self._new_id(64), parent_id, self._clock(), None, sampled
        )
        self.spans.append(span)
        return span

    def finish(self, span: Span) -> None:
        """Record the span's end time."""
        span.end = self._clock()

    def _new_id(self, bits: int) -> str:
        value = 0
        while value == 0:  # all zeros is the one invalid id
            value = self._rng.getrandbits(bits)
        return f"{value:0{bits // 4}x}"


class Service:
    """An in-process service: a span per request, calls to ``downstream`` with ``traceparent``.

    Each service only sees the headers it is handed, as it would over HTTP:
    the trace survives the chain only because each hop copies the context
    into the next request.

    Args:
        name: the service name.
        tracer: where spans go (shared here; one per process in production).
        downstream: the services called, in order, for each request.
        work: seconds of simulated work before and after the calls.
        clock: a :class:`ManualClock` that ``work`` advances.
    """

    def __init__(
        self,
        name: str,
        tracer: Tracer,
        clock: ManualClock,
        downstream: Sequence[Service] = (),
        work: float = 0.0,
    ) -> None:
        self.name = check_str(name, "name", nonempty=True)
        self.tracer = tracer
        self.clock = clock
        self.downstream = tuple(downstream)
        self.work = check_real(work, "work", low=0)

    def handle(self, headers: Mapping[str, str]) -> Span:
        """Serve one request: continue or restart the trace, call downstream, return the span."""
        span = self.tracer.start(self.name, f"handle {self.name}", parent=extract(headers))
        self.clock.advance(self.work / 2)
        for service in self.downstream:
            service.handle({"traceparent": span.context.to_traceparent()})
        self.clock.advance(self.work / 2)
        self.tracer.finish(span)
        return span


def render_trace(spans: Sequence[Span]) -> str:
    """Return the spans of one trace as an indented tree with start and duration (ms).

    >>> clock = ManualClock(); tracer = Tracer(random.Random(7), clock)
    >>> db = Service("db", tracer, clock, work=0.004)
    >>> api = Service("api", tracer, clock, [db], work=0.010)
    >>> print(render_trace([api.handle({})] and tracer.spans))
    api    start    0.0 ms  took   14.0 ms
      db   start    5.0 ms  took    4.0 ms
    """
    by_parent: dict[str | None, list[Span]] = {}
    ids = {s.span_id for s in spans}
    for span in spans:
        parent = span.parent_id if span.parent_id in ids else None
        by_parent.setdefault(parent, []).append(span)
    rows: list[tuple[str, Span]] = []

    def walk(parent: str | None, depth: int) -> None:
        for span in by_parent.get(parent, []):
            rows.append(("  " * depth + span.service, span))
            walk(span.span_id, depth + 1)

    walk(None, 0)
    width = max((len(label) for label, _ in rows), default=0) + 2
    lines = []
    for label, span in rows:
        end = span.start if span.end is None else span.end
        lines.append(
            f"{label:<{width}}start {span.start * 1000:6.1f} ms  "
            f"took {(end - span.start) * 1000:6.1f} ms"
        )
    return "\n".join(lines)
