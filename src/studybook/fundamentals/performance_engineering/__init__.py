"""Performance engineering and queueing: measure, model, and load-test honestly.

Five small, exact tools for the questions every performance interview and
every capacity review asks, one concern per submodule:
:mod:`~.percentiles` (sample percentiles with the definition named, and
fan-out tail amplification), :mod:`~.laws` (Amdahl, Gustafson, Little and
the Universal Scalability Law), :mod:`~.queueing` (the M/M/1 queue in closed
form and as a discrete-event simulation), :mod:`~.loadgen` (coordinated
omission on a real loopback server) and :mod:`~.profiling` (cProfile, timeit
and tracemalloc on the book's own code).

Invariants: a percentile lies between the sample's minimum and maximum and
grows with p; Amdahl ≤ Gustafson ≤ N; the simulator's time-average number in
system equals throughput · mean response time on every run (Little's law);
the corrected latency of a request is never below its uncorrected latency.

======================  ==============================  ==================
function                answers                         cost
======================  ==============================  ==================
percentile              p-th percentile, named method   O(n log n)
amdahl_speedup          fixed-size speed-up on N        O(1)
littles_law             the third of L, λ, W            O(1)
mm1                     M/M/1 steady state              O(1)
simulate_mm1            the same, measured              O(c log c)
run_load_test           latencies with and without CO   ~ requests / rate
profile_calls           calls and time per function     cost of the call
======================  ==============================  ==================

>>> round(mm1(arrival_rate=0.9, service_rate=1.0).mean_response_time, 6)
10.0

Primary sources: each submodule names the papers it follows (Hyndman and Fan
1996, Amdahl 1967, Gustafson 1988, Little 1961, Kleinrock 1975, Tene's
coordinated omission and HdrHistogram).
"""

from __future__ import annotations

import random
import statistics
from typing import TextIO

from studybook.fundamentals.performance_engineering.laws import (
    amdahl_limit,
    amdahl_speedup,
    gustafson_speedup,
    littles_law,
    usl_speedup,
)
from studybook.fundamentals.performance_engineering.loadgen import (
    MAX_BACKFILL,
    MAX_REQUESTS,
    MAX_TIMEOUT,
    LoadTestResult,
    hdr_corrected,
    run_load_test,
)
from studybook.fundamentals.performance_engineering.percentiles import (
    PERCENTILE_METHODS,
    LatencySummary,
    fanout_slow_probability,
    latency_summary,
    percentile,
)
from studybook.fundamentals.performance_engineering.profiling import (
    MemoryUse,
    ProfileRow,
    memory_use,
    profile_calls,
    time_per_call,
)
from studybook.fundamentals.performance_engineering.queueing import (
    MAX_CUSTOMERS,
    MM1,
    CurvePoint,
    MM1Run,
    latency_curve,
    latency_curve_mermaid,
    mm1,
    simulate_mm1,
)

__all__ = [
    "CURVE_LEVELS",
    "MAX_BACKFILL",
    "MAX_CUSTOMERS",
    "MAX_REQUESTS",
    "MAX_TIMEOUT",
    "MM1",
    "PERCENTILE_METHODS",
    "CurvePoint",
    "LatencySummary",
    "LoadTestResult",
    "MM1Run",
    "MemoryUse",
    "ProfileRow",
    "amdahl_limit",
    "amdahl_speedup",
    "demo",
    "fanout_slow_probability",
    "gustafson_speedup",
    "hdr_corrected",
    "latency_curve",
    "latency_curve_mermaid",
    "latency_summary",
    "littles_law",
    "memory_use",
    "mm1",
    "percentile",
    "profile_calls",
    "run_load_test",
    "simulate_mm1",
    "time_per_call",
    "usl_speedup",
]

#: The utilisation levels of the chapter's latency-vs-utilisation curve.
CURVE_LEVELS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def demo(out: TextIO) -> None:
    """Run every tool once and narrate the results to ``out``.

    The first three sections are exact (seeded); the load test and the
    profiling section measure this machine, so their figures vary (``...``).

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    Percentiles of 1, 2, ..., 10 under three definitions
    method           p25    p50    p90    p99
    nearest-rank    3.00   5.00   9.00  10.00
    linear          3.25   5.50   9.10   9.91
    weibull         2.75   5.50   9.90  10.00
    statistics.quantiles: inclusive p90 9.10, exclusive p90 9.90
    one leaf in 100 slow, fan-out 100: 63.4% of requests slow
    <BLANKLINE>
    Speed-up with parallel fraction 0.95 (USL: sigma 0.05, kappa 0.002)
    workers   amdahl  gustafson      usl
          1     1.00       1.00     1.00
          4     3.48       3.85     3.41
         16     9.14      15.25     7.17
         64    15.42      60.85     5.24
       1024    19.64     972.85     0.48
    Little's law: 1000 req/s for 0.2 s each = 200 in flight
    <BLANKLINE>
    M/M/1 with mean service time 1, 20,000 customers per level (seed 0)
    utilisation  mean: formula  simulated  p99: formula  simulated
            0.5           2.00       2.00          9.21       9.43
            0.8           5.00       4.84         23.03      22.72
            0.9          10.00       9.35         46.05      57.35
    <BLANKLINE>
    Coordinated omission: 500 requests at 2000/s to 127.0.0.1, 100 ms stall at request 150
    latency in ms                  p50    p90    p99  p99.9    max
    from actual send (naive)     ...
    from intended send (wrk2)    ...
    naive + HdrHistogram fill    ...
    corrected p99 above half the stall: True; naive p99 below it: True
    <BLANKLINE>
    Profiling the book's own code
    cProfile, simulate_mm1(0.5, 1.0, 1000): heappop 2000, heappush 1999, expovariate 2000 calls
    timeit, 10,000 floats: merge_sort ... ms, sorted ... ms
    tracemalloc peak, 10,000 floats: merge_sort ... KiB, sorted ... KiB
    """
    data = list(range(1, 11))
    out.write("Percentiles of 1, 2, ..., 10 under three definitions\n")
    out.write(f"{'method':<12}" + "".join(f"{f'p{p}':>7}" for p in (25, 50, 90, 99)) + "\n")
    for method in PERCENTILE_METHODS:
        row = "".join(f"{percentile(data, p, method=method):>7.2f}" for p in (25, 50, 90, 99))
        out.write(f"{method:<12}{row}\n")
    inclusive = statistics.quantiles(data, n=10, method="inclusive")[8]
    exclusive = statistics.quantiles(data, n=10, method="exclusive")[8]
    out.write(
        f"statistics.quantiles: inclusive p90 {inclusive:.2f}, exclusive p90 {exclusive:.2f}\n"
    )
    out.write(
        f"one leaf in 100 slow, fan-out 100: {fanout_slow_probability(0.01, 100):.1%} "
        "of requests slow\n\n"
    )

    out.write("Speed-up with parallel fraction 0.95 (USL: sigma 0.05, kappa 0.002)\n")
    out.write(f"{'workers':>7}{'amdahl':>9}{'gustafson':>11}{'usl':>9}\n")
    for n in (1, 4, 16, 64, 1024):
        out.write(
            f"{n:>7}{amdahl_speedup(0.95, n):>9.2f}{gustafson_speedup(0.95, n):>11.2f}"
            f"{usl_speedup(n, 0.05, 0.002):>9.2f}\n"
        )
    in_flight = littles_law(arrival_rate=1000, time_in_system=0.2)
    out.write(f"Little's law: 1000 req/s for 0.2 s each = {in_flight:.0f} in flight\n\n")

    out.write("M/M/1 with mean service time 1, 20,000 customers per level (seed 0)\n")
    out.write("utilisation  mean: formula  simulated  p99: formula  simulated\n")
    for point in latency_curve((0.5, 0.8, 0.9)):
        out.write(
            f"{point.utilization:>11}{point.mean:>15.2f}{point.simulated_mean:>11.2f}"
            f"{point.p99:>14.2f}{point.simulated_p99:>11.2f}\n"
        )

    run = run_load_test(rate=2000, requests=500, stall=0.1, stall_at=150)
    out.write(
        f"\nCoordinated omission: {len(run.done)} requests at {run.rate:g}/s to 127.0.0.1, "
        f"{run.stall * 1000:.0f} ms stall at request {run.stall_at}\n"
    )
    out.write(
        f"{'latency in ms':<27}"
        + "".join(f"{name:>7}" for name in ("p50", "p90", "p99", "p99.9", "max"))
        + "\n"
    )
    naive, fixed = run.summary(corrected=False), run.summary(corrected=True)
    filled = latency_summary(hdr_corrected(run.uncorrected, 1 / run.rate))
    for label, s in (
        ("from actual send (naive)", naive),
        ("from intended send (wrk2)", fixed),
        ("naive + HdrHistogram fill", filled),
    ):
        figures = (s.p50, s.p90, s.p99, s.p999, s.max)
        out.write(f"{label:<27}" + "".join(f"{v * 1000:>7.1f}" for v in figures) + "\n")
    half = run.stall / 2
    out.write(
        f"corrected p99 above half the stall: {fixed.p99 > half}; "
        f"naive p99 below it: {naive.p99 < half}\n"
    )

    out.write("\nProfiling the book's own code\n")
    # Imported here: the sorting chapter is only needed for this section.
    from studybook.dsa.sorting_searching import merge_sort

    rows = {r.function: r.calls for r in profile_calls(lambda: simulate_mm1(0.5, 1.0, 1000))}
    out.write(
        "cProfile, simulate_mm1(0.5, 1.0, 1000): "
        f"heappop {rows['<built-in method _heapq.heappop>']}, "
        f"heappush {rows['<built-in method _heapq.heappush>']}, "
        f"expovariate {rows['random.py:expovariate']} calls\n"
    )
    rng = random.Random(0)  # noqa: S311 - test data, not cryptography
    floats = [rng.random() for _ in range(10_000)]
    mine = time_per_call(lambda: merge_sort(floats), repeat=3, number=1)
    builtin = time_per_call(lambda: sorted(floats), repeat=3, number=10)
    out.write(
        f"timeit, 10,000 floats: merge_sort {mine * 1000:.1f} ms, sorted {builtin * 1000:.2f} ms\n"
    )
    peak_mine = memory_use(lambda: merge_sort(floats)).peak
    peak_builtin = memory_use(lambda: sorted(floats)).peak
    out.write(
        f"tracemalloc peak, 10,000 floats: merge_sort {peak_mine / 1024:.0f} KiB, "
        f"sorted {peak_builtin / 1024:.0f} KiB\n"
    )
