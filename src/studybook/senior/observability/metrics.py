"""A metrics registry with counters, gauges and histograms, exposed in the Prometheus text format.

A *metric family* has a name, a help string, a type and a fixed tuple of
label names; each distinct tuple of label values is one *series* (one time
series once Prometheus scrapes it). The registry renders every family in the
text exposition format (version 0.0.4) that Prometheus scrapes from
``/metrics``:

- a counter named ``x`` is exposed as ``x_total`` and only goes up (a
  negative increment raises ``ValueError``);
- a gauge is a value that can go up and down;
- a histogram counts observations into *cumulative* buckets
  ``x_bucket{le="..."}`` ending with ``le="+Inf"``, plus ``x_sum`` and
  ``x_count`` (which equals the ``+Inf`` bucket).

Label values are escaped (backslash, double quote and line feed) and help
text is escaped (backslash and line feed), as the format requires.

Invariant: for every histogram series, bucket counts are non-decreasing in
``le`` and the ``+Inf`` bucket equals ``_count``.

>>> reg = Registry()
>>> hits = reg.counter("hits", "Requests served.", labelnames=("code",))
>>> hits.inc(code="200"); hits.inc(2, code="500")
>>> print(reg.exposition(), end="")
# HELP hits_total Requests served.
# TYPE hits_total counter
hits_total{code="200"} 1.0
hits_total{code="500"} 2.0

Primary source: Prometheus documentation, "Exposition formats" (text format
0.0.4) and the OpenMetrics 1.0 specification.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import threading
from collections.abc import Sequence
from typing import TypeVar

from studybook._validate import check_real, check_str

__all__ = ["Counter", "Gauge", "Histogram", "Metric", "Registry"]

_M = TypeVar("_M", bound="Metric")

_METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


class Registry:
    """A set of metric families, rendered together by :meth:`exposition`.

    Families are exposed in the order they were registered, and the series of
    a family in the order their label values were first used, so the output
    is deterministic.

    >>> reg = Registry()
    >>> reg.gauge("temperature_celsius", "Room temperature.").set(21.5)
    >>> print(reg.exposition(), end="")
    # HELP temperature_celsius Room temperature.
    # TYPE temperature_celsius gauge
    temperature_celsius 21.5
    >>> reg.counter("temperature_celsius", "again")
    Traceback (most recent call last):
        ...
    ValueError: metric 'temperature_celsius' is already registered
    >>> _ = reg.counter("requests", "Requests.")
    >>> reg.gauge("requests_total", "A gauge whose series would collide.")
    Traceback (most recent call last):
        ...
    ValueError: metric 'requests_total' would expose ['requests_total'] twice
    """

    def __init__(self) -> None:
        self._metrics: dict[str, Metric] = {}
        self._lock = threading.Lock()

    def counter(self, name: str, help: str, labelnames: Sequence[str] = ()) -> Counter:
        """Register and return a counter exposed as ``<name>_total``.

        Args:
            name: the family name, without the ``_total`` suffix.
            help: one line describing it, shown as ``# HELP``.
            labelnames: the label names every increment must give.

        Raises:
            ValueError: an invalid or duplicate name, a name ending in
                ``_total``, or invalid or repeated label names.
            TypeError: a name, help or label name that is not a str.

        Complexity: O(len(labelnames)).

        >>> Registry().counter("jobs_total", "Jobs.")
        Traceback (most recent call last):
            ...
        ValueError: counter name must not end in '_total' (added on output), got 'jobs_total'
        """
        check_str(name, "name")
        if name.endswith("_total"):
            raise ValueError(
                f"counter name must not end in '_total' (added on output), got {name!r}"
            )
        return self._register(Counter(name, help, labelnames))

    def gauge(self, name: str, help: str, labelnames: Sequence[str] = ()) -> Gauge:
        """Register and return a gauge.

        Args and raises as for :meth:`counter` (no ``_total`` rule).

        Complexity: O(len(labelnames)).

        >>> g = Registry().gauge("queue_depth", "Jobs waiting.", labelnames=("queue",))
        >>> g.set(3, queue="mail"); g.inc(-1, queue="mail"); g.value(queue="mail")
        2.0
        """
        return self._register(Gauge(name, help, labelnames))

    def histogram(
        self,
        name: str,
        help: str,
        buckets: Sequence[float],
        labelnames: Sequence[str] = (),
    ) -> Histogram:
        """Register and return a histogram with the given bucket upper bounds.

        Args:
            name: the family name; the series are ``<name>_bucket``, ``_sum``, ``_count``.
            help: one line describing it.
            buckets: strictly increasing finite upper bounds (``+Inf`` is
                added; a trailing ``inf`` given here is accepted and dropped).
            labelnames: the label names; ``le`` is reserved.

        Raises:
            ValueError: empty, unsorted, duplicate or NaN buckets, an ``le`` label,
                or the errors of :meth:`counter`.
            TypeError: a bucket that is not a number.

        Complexity: O(len(buckets) + len(labelnames)).

        >>> Registry().histogram("latency_seconds", "Latency.", buckets=[0.5, 0.1])
        Traceback (most recent call last):
            ...
        ValueError: buckets must be strictly increasing, got [0.5, 0.1]
        """
        return self._register(Histogram(name, help, buckets, labelnames))

    def exposition(self) -> str:
        """Return every family in the Prometheus text format, ending with a line feed.

        A family with labels shows only the series that have been used; one
        without labels always shows its single series (starting at zero).

        Complexity: O(total series * buckets).

        >>> Registry().exposition()
        ''
        """
        with self._lock:
            metrics = list(self._metrics.values())
        return "".join(m.render() for m in metrics)

    def _register(self, metric: _M) -> _M:
        # A counter "x" writes x_total and a histogram "h" writes h_bucket, h_sum and
        # h_count: two families must not write the same sample name, or a scrape holds
        # one series twice (prometheus_client refuses the same with DuplicateTimeseries).
        with self._lock:
            if metric.name in self._metrics:
                raise ValueError(f"metric {metric.name!r} is already registered")
            taken = set().union(*(m.exposed_names() for m in self._metrics.values()))
            clash = metric.exposed_names() & taken
            if clash:
                raise ValueError(f"metric {metric.name!r} would expose {sorted(clash)} twice")
            self._metrics[metric.name] = metric
        return metric


class Metric:
    """The base of the three metric types: name and label checks, the series map, rendering."""

    kind = "untyped"

    def __init__(self, name: str, help: str, labelnames: Sequence[str]) -> None:
        check_str(name, "name")
        _check_utf8(check_str(help, "help"), "help")
        if not _METRIC_NAME.fullmatch(name):
            raise ValueError(f"metric name must match [a-zA-Z_:][a-zA-Z0-9_:]*, got {name!r}")
        if isinstance(labelnames, str) or not isinstance(labelnames, Sequence):
            raise TypeError(
                f"labelnames must be a sequence of str, got {type(labelnames).__name__}: "
                f"{labelnames!r}"
            )
        for label in labelnames:
            check_str(label, "label name")
            if not _LABEL_NAME.fullmatch(label) or label.startswith("__"):
                raise ValueError(
                    f"label name must match [a-zA-Z_][a-zA-Z0-9_]* and not start with '__', "
                    f"got {label!r}"
                )
        if len(set(labelnames)) != len(labelnames):
            raise ValueError(f"label names must be distinct, got {tuple(labelnames)!r}")
        self.name = name
        self.help = help
        self.labelnames: tuple[str, ...] = tuple(labelnames)
        self._lock = threading.Lock()

    def _key(self, labels: dict[str, str]) -> tuple[str, ...]:
        """Return the label values in ``labelnames`` order, checking names and types."""
        if set(labels) != set(self.labelnames):
            raise ValueError(
                f"{self.name} takes labels {sorted(self.labelnames)}, got {sorted(labels)}"
            )
        for label, value in labels.items():
            _check_utf8(check_str(value, f"label {label!r}"), f"label {label!r}")
        return tuple(labels[n] for n in self.labelnames)

    def _label_text(self, key: tuple[str, ...], extra: str = "") -> str:
        pairs = [f'{n}="{_escape_label(v)}"' for n, v in zip(self.labelnames, key, strict=True)]
        if extra:
            pairs.append(extra)
        return "{" + ",".join(pairs) + "}" if pairs else ""

    def _header(self, exposed: str) -> str:
        return f"# HELP {exposed} {_escape_help(self.help)}\n# TYPE {exposed} {self.kind}\n"

    def exposed_names(self) -> set[str]:
        """Return the family name and every sample name this family writes."""
        return {self.name}

    def render(self) -> str:
        """Return this family's lines in the text format."""
        raise NotImplementedError


class Counter(Metric):
    """A count that only goes up, exposed as ``<name>_total``; made by :meth:`Registry.counter`."""

    kind = "counter"

    def __init__(self, name: str, help: str, labelnames: Sequence[str]) -> None:
        super().__init__(name, help, labelnames)
        self._values: dict[tuple[str, ...], float] = {} if labelnames else {(): 0.0}

    def inc(self, amount: float = 1, **labels: str) -> None:
        """Add ``amount`` (finite, >= 0) to the series with these label values.

        Raises:
            ValueError: a negative, NaN or infinite amount, or the wrong label names.
            TypeError: an amount that is not a number, or a label value that is not a str.

        Complexity: O(number of labels).

        >>> c = Registry().counter("errors", "Errors.")
        >>> c.inc(); c.inc(0.5); c.value()
        1.5
        >>> c.inc(-1)
        Traceback (most recent call last):
            ...
        ValueError: counter increment must be a finite number >= 0, got -1
        """
        number = check_real(amount, "counter increment", low=0)
        key = self._key(labels)
        with self._lock:
            self._values[key] = _finite_sum(self._values.get(key, 0.0), number, self.name)

    def value(self, **labels: str) -> float:
        """Return the current count of one series (0.0 if never incremented)."""
        key = self._key(labels)
        with self._lock:
            return self._values.get(key, 0.0)

    def exposed_names(self) -> set[str]:
        """Return the family name and ``<name>_total``."""
        return {self.name, self.name + "_total"}

    def render(self) -> str:
        """Return this family's lines in the text format."""
        exposed = self.name + "_total"
        with self._lock:
            items = list(self._values.items())
        lines = [f"{exposed}{self._label_text(k)} {_number(v)}\n" for k, v in items]
        return self._header(exposed) + "".join(lines)


class Gauge(Metric):
    """A value that goes up and down; made by :meth:`Registry.gauge`."""

    kind = "gauge"

    def __init__(self, name: str, help: str, labelnames: Sequence[str]) -> None:
        super().__init__(name, help, labelnames)
        self._values: dict[tuple[str, ...], float] = {} if labelnames else {(): 0.0}

    def set(self, value: float, **labels: str) -> None:
        """Set the series with these label values to ``value`` (finite).

        Raises:
            ValueError: NaN or infinite, or the wrong label names.
            TypeError: not a number, or a label value that is not a str.

        Complexity: O(number of labels).

        >>> g = Registry().gauge("in_flight", "Requests in flight.")
        >>> g.set(float("nan"))
        Traceback (most recent call last):
            ...
        ValueError: gauge value must be a finite number, got nan
        """
        number = check_real(value, "gauge value")
        key = self._key(labels)
        with self._lock:
            self._values[key] = number

    def inc(self, amount: float = 1, **labels: str) -> None:
        """Add ``amount`` (finite, may be negative) to the series with these label values."""
        number = check_real(amount, "gauge increment")
        key = self._key(labels)
        with self._lock:
            self._values[key] = _finite_sum(self._values.get(key, 0.0), number, self.name)

    def value(self, **labels: str) -> float:
        """Return the current value of one series (0.0 if never set)."""
        key = self._key(labels)
        with self._lock:
            return self._values.get(key, 0.0)

    def render(self) -> str:
        """Return this family's lines in the text format."""
        with self._lock:
            items = list(self._values.items())
        lines = [f"{self.name}{self._label_text(k)} {_number(v)}\n" for k, v in items]
        return self._header(self.name) + "".join(lines)


class Histogram(Metric):
    """Observations counted into cumulative buckets; made by :meth:`Registry.histogram`.

    Each series stores one count per bucket (non-cumulative, so an
    observation is O(log buckets)); :meth:`render` accumulates them.

    >>> h = Registry().histogram("req_seconds", "Latency.", buckets=[0.1, 1])
    >>> for v in (0.05, 0.5, 0.5, 3): h.observe(v)
    >>> print(h.render(), end="")
    # HELP req_seconds Latency.
    # TYPE req_seconds histogram
    req_seconds_bucket{le="0.1"} 1.0
    req_seconds_bucket{le="1.0"} 3.0
    req_seconds_bucket{le="+Inf"} 4.0
    req_seconds_sum 4.05
    req_seconds_count 4.0
    """

    kind = "histogram"

    def __init__(
        self,
        name: str,
        help: str,
        buckets: Sequence[float],
        labelnames: Sequence[str],
    ) -> None:
        super().__init__(name, help, labelnames)
        if "le" in self.labelnames:
            raise ValueError("label name 'le' is reserved for histogram buckets")
        if not isinstance(buckets, list | tuple | range):
            raise TypeError(
                f"buckets must be a list or tuple of numbers, "
                f"got {type(buckets).__name__}: {buckets!r}"
            )
        bounds = list(buckets)
        if bounds and isinstance(bounds[-1], float) and bounds[-1] == math.inf:
            bounds.pop()
        if not bounds:
            raise ValueError(f"buckets must hold at least one finite bound, got {buckets!r}")
        floats = [check_real(b, "bucket bound") for b in bounds]
        if any(a >= b for a, b in itertools.pairwise(floats)):
            raise ValueError(f"buckets must be strictly increasing, got {list(buckets)!r}")
        self.buckets: tuple[float, ...] = tuple(floats)
        self._series: dict[tuple[str, ...], _HistogramSeries] = (
            {} if labelnames else {(): _HistogramSeries(len(floats))}
        )

    def observe(self, value: float, **labels: str) -> None:
        """Count ``value`` (finite) in the first bucket whose bound is >= it.

        Raises:
            ValueError: NaN or infinite, or the wrong label names.
            TypeError: not a number, or a label value that is not a str.

        Complexity: O(log buckets).

        >>> Registry().histogram("size_bytes", "Size.", [10]).observe(float("inf"))
        Traceback (most recent call last):
            ...
        ValueError: observation must be a finite number, got inf
        """
        number = check_real(value, "observation")
        key = self._key(labels)
        with self._lock:
            series = self._series.get(key)
            if series is None:
                series = self._series[key] = _HistogramSeries(len(self.buckets))
            total = _finite_sum(series.total, number, self.name)
            # bisect_left: a value equal to a bound belongs to that bucket (le = "less or equal").
            series.counts[bisect.bisect_left(self.buckets, number)] += 1
            series.total = total

    def exposed_names(self) -> set[str]:
        """Return the family name and its ``_bucket``, ``_sum`` and ``_count`` samples."""
        return {self.name} | {self.name + suffix for suffix in ("_bucket", "_sum", "_count")}

    def render(self) -> str:
        """Return this family's lines in the text format, buckets cumulative."""
        out = [self._header(self.name)]
        with self._lock:
            items = [(k, list(s.counts), s.total) for k, s in self._series.items()]
        for key, counts, total in items:
            running = 0
            bounds = [*map(_number, self.buckets), "+Inf"]
            for bound, count in zip(bounds, counts, strict=True):
                running += count
                le = f'le="{bound}"'
                out.append(f"{self.name}_bucket{self._label_text(key, le)} {_number(running)}\n")
            out.append(f"{self.name}_sum{self._label_text(key)} {_number(total)}\n")
            out.append(f"{self.name}_count{self._label_text(key)} {_number(running)}\n")
        return "".join(out)


class _HistogramSeries:
    """Per-bucket counts (the last is the +Inf overflow bucket) and the sum of one series."""

    def __init__(self, n_bounds: int) -> None:
        self.counts = [0] * (n_bounds + 1)
        self.total = 0.0


def _check_utf8(text: str, what: str) -> str:
    """Refuse text the UTF-8 exposition cannot carry (a lone surrogate such as '\\ud800')."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what} must be encodable as UTF-8, got {text!r}") from None
    return text


def _finite_sum(current: float, amount: float, name: str) -> float:
    """Return ``current + amount``, refusing a sum that overflows to infinity."""
    total = current + amount
    if not math.isfinite(total):
        raise ValueError(f"{name} would overflow to {total}, adding {amount!r} to {current!r}")
    return total


def _escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _number(value: float) -> str:
    """Render a sample value the way Go's Prometheus clients do: ``+Inf``, ``-Inf``, ``NaN``."""
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "+Inf" if number > 0 else "-Inf"
    return repr(number)
