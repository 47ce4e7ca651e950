"""Cluster scheduling: bin packing heuristics, vector packing and Dominant Resource Fairness.

Two questions decide where a cluster's tasks run. *Packing*: given machines
of fixed size, how few can hold the tasks (:mod:`~.binpacking`: next, first,
best and worst fit and first fit decreasing, measured against the volume
lower bound and an exact optimum; :mod:`~.vector`: the same with CPU *and*
memory)? *Fairness*: given one shared cluster and several users who need
resources in different proportions, how many tasks does each get
(:mod:`~.fairness`: Dominant Resource Fairness)? Interviewers ask both because
they are the core of Borg, Mesos, Kubernetes and Netflix's Titus, and because
the heuristics are short enough to code at a whiteboard.

Invariants: every packing holds each item exactly once and no bin over
capacity in any resource; no heuristic beats the optimum and the optimum
never beats the lower bound; a DRF allocation fits the cluster and, when it
ends, no user's next task fits.

============================  ===========================  ==================
function                      answers                      cost
============================  ===========================  ==================
pack / first_fit / ...        a packing, bins in order     O(n·b)
optimal_packing               a packing with fewest bins   exponential, n<=12
vector_first_fit              CPU + memory packing         O(n·b·d)
drf                           tasks per user               O(T log n)
============================  ===========================  ==================

>>> drf((9, 18), {"A": (1, 4), "B": (3, 1)})
{'A': 3, 'B': 2}

Primary sources: A. Ghodsi et al., "Dominant Resource Fairness: Fair
Allocation of Multiple Resource Types", NSDI 2011; D. S. Johnson et al.,
"Worst-case performance bounds for simple one-dimensional packing
algorithms", SIAM J. Comput. 3(4), 1974; G. Dósa, "The tight bound of first
fit decreasing bin-packing algorithm is FFD(I) <= 11/9 OPT(I) + 6/9", ESCAPE
2007; G. Dósa and J. Sgall, "First Fit bin packing: a tight analysis", STACS
2013, and "Optimal analysis of Best Fit bin packing", ICALP 2014.
"""

from __future__ import annotations

from typing import TextIO

from studybook.infra.cluster_scheduling.binpacking import (
    HEURISTICS,
    MAX_EXACT_ITEMS,
    PackingReport,
    RatioRow,
    best_fit,
    compare_heuristics,
    first_fit,
    first_fit_decreasing,
    format_reports,
    lower_bound,
    max_bins,
    next_fit,
    optimal_bins,
    optimal_packing,
    pack,
    ratio_study,
    worst_fit,
)
from studybook.infra.cluster_scheduling.fairness import (
    MAX_TASKS,
    DrfStep,
    dominant_share,
    drf,
    drf_trace,
)
from studybook.infra.cluster_scheduling.vector import (
    free_shares,
    vector_first_fit,
    vector_lower_bound,
    vector_optimal_bins,
)

__all__ = [
    "FFD_TIGHT",
    "HEURISTICS",
    "MAX_EXACT_ITEMS",
    "MAX_TASKS",
    "DrfStep",
    "PackingReport",
    "RatioRow",
    "best_fit",
    "compare_heuristics",
    "demo",
    "dominant_share",
    "drf",
    "drf_trace",
    "first_fit",
    "first_fit_decreasing",
    "format_ratio_study",
    "format_reports",
    "free_shares",
    "lower_bound",
    "max_bins",
    "next_fit",
    "optimal_bins",
    "optimal_packing",
    "pack",
    "ratio_study",
    "vector_first_fit",
    "vector_lower_bound",
    "vector_optimal_bins",
    "worst_fit",
]

#: Johnson's classic instance for FFD, scaled to capacity 60 with e = 1/60
#: (6 x (1/2 + e), 6 x (1/4 + 2e), 6 x (1/4 + e) and 12 x (1/4 - 2e)). FFD needs
#: 11 bins; the volume bound 540 / 60 = 9 is met by {31, 16, 13} six times and
#: {17, 17, 13, 13} three times, so the optimum is 9.
FFD_TIGHT: tuple[int, ...] = (31,) * 6 + (17,) * 6 + (16,) * 6 + (13,) * 12


def format_ratio_study(rows: list[RatioRow]) -> str:
    """Render ratio-study rows as a table, with each heuristic's proven worst case.

    The rows come from
    :func:`~studybook.infra.cluster_scheduling.binpacking.ratio_study`; the
    last column is
    :func:`~studybook.infra.cluster_scheduling.binpacking.max_bins` at the
    OPT of the worst instance seen, which the measured worst must never exceed.

    >>> print(format_ratio_study(ratio_study(20, 8, low=20, high=60, capacity=100, seed=3)))
    heuristic                   worst seen   mean  optimal  proven worst
    next_fit                    4/3 = 1.33  1.134      45%  5 bins
    first_fit                   4/3 = 1.33  1.052      80%  5 bins
    best_fit                    4/3 = 1.33  1.029      90%  5 bins
    worst_fit                   4/3 = 1.33  1.064      75%  5 bins
    first_fit_decreasing        5/5 = 1.00  1.000     100%  6 bins
    """
    lines = [f"{'heuristic':<20}  {'worst seen':>16}  {'mean':>5}  {'optimal':>7}  proven worst"]
    for r in rows:
        worst = f"{r.worst_bins}/{r.worst_optimum} = {float(r.worst):.2f}"
        cap = max_bins(r.heuristic, r.worst_optimum)
        lines.append(
            f"{r.heuristic:<20}  {worst:>16}  {r.mean:>5.3f}  {r.optimal_share:>7.0%}  {cap} bins"
        )
    return "\n".join(lines)


def demo(out: TextIO) -> None:
    """Run the chapter's experiments and narrate the results to ``out``.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    DRF, the paper's example: 9 CPUs and 18 GB; A needs <1 CPU, 4 GB>, B <3 CPUs, 1 GB>
    launch  user  tasks  dominant share  CPUs used  GB used
         1     A      1             2/9          1        4
         2     B      1             1/3          4        5
         3     A      2             4/9          5        9
         4     B      2             2/3          8       10
         5     A      3             2/3          9       14
    result: {'A': 3, 'B': 2}
    <BLANKLINE>
    Whole tasks can break sharing incentive: 10 CPUs, A needs 3, B needs 1
    drf gives {'A': 2, 'B': 4}; half the cluster alone would give B 5
    <BLANKLINE>
    Packing [5, 7, 5, 2, 4, 2, 5, 1, 6] into bins of 10
    heuristic             bins  lower bound  optimum  utilisation
    next_fit                 6            4        4        61.7%
    first_fit                5            4        4        74.0%
    best_fit                 5            4        4        74.0%
    worst_fit                5            4        4        74.0%
    first_fit_decreasing     4            4        4        92.5%
    <BLANKLINE>
    FFD's worst case (30 items, capacity 60): FFD 11 bins,
    optimum = lower bound = 9; 11/9 x 9 + 6/9 = 11.67
    <BLANKLINE>
    Against the exact optimum: 200 random instances,
    10 sizes each drawn from [10, 60], capacity 100
    heuristic                   worst seen   mean  optimal  proven worst
    next_fit                    6/4 = 1.50  1.138      48%  7 bins
    first_fit                   4/3 = 1.33  1.064      76%  5 bins
    best_fit                    4/3 = 1.33  1.065      76%  5 bins
    worst_fit                   6/4 = 1.50  1.084      68%  7 bins
    first_fit_decreasing        4/3 = 1.33  1.020      94%  4 bins
    <BLANKLINE>
    Two resources: [(8, 1), (8, 1), (1, 8), (1, 8)] on machines of (10 CPUs, 10 GB)
    first fit pairs CPU-heavy with memory-heavy: [[(8, 1), (1, 8)], [(8, 1), (1, 8)]]
    (8, 1) twice, summed into one number (9 of 20): 1 machine; as vectors: 2 machines
    CPU-heavy tasks [(8, 1), (8, 1), (6, 2)] need 3 machines and leave free
    27% of their CPU but 87% of their memory: stranded
    """
    w = out.write
    paper = {"A": (1, 4), "B": (3, 1)}
    w("DRF, the paper's example: 9 CPUs and 18 GB; A needs <1 CPU, 4 GB>, B <3 CPUs, 1 GB>\n")
    w("launch  user  tasks  dominant share  CPUs used  GB used\n")
    for n, s in enumerate(drf_trace((9, 18), paper), 1):
        cpu, gb = (str(x) for x in s.consumed)
        share = str(s.dominant_share)
        w(f"{n:>6}  {s.user:>4}  {s.tasks:>5}  {share:>14}  {cpu:>9}  {gb:>7}\n")
    w(f"result: {drf((9, 18), paper)}\n\n")

    w("Whole tasks can break sharing incentive: 10 CPUs, A needs 3, B needs 1\n")
    w(f"drf gives {drf((10,), {'A': (3,), 'B': (1,)})}; half the cluster alone would give B 5\n\n")

    sizes = [5, 7, 5, 2, 4, 2, 5, 1, 6]
    w(f"Packing {sizes} into bins of 10\n")
    w(format_reports(compare_heuristics(sizes, 10)) + "\n\n")

    ffd = len(first_fit_decreasing(list(FFD_TIGHT), 60))
    opt = lower_bound(list(FFD_TIGHT), 60)
    w(f"FFD's worst case (30 items, capacity 60): FFD {ffd} bins,\n")
    w(f"optimum = lower bound = {opt}; 11/9 x {opt} + 6/9 = {(11 * opt + 6) / 9:.2f}\n\n")

    w("Against the exact optimum: 200 random instances,\n")
    w("10 sizes each drawn from [10, 60], capacity 100\n")
    w(format_ratio_study(ratio_study(200, 10, low=10, high=60, capacity=100, seed=7)) + "\n\n")

    items = [(8, 1), (8, 1), (1, 8), (1, 8)]
    w(f"Two resources: {items} on machines of (10 CPUs, 10 GB)\n")
    w(f"first fit pairs CPU-heavy with memory-heavy: {vector_first_fit(items, (10, 10))}\n")
    w(f"(8, 1) twice, summed into one number (9 of 20): {optimal_bins([9, 9], 20)} machine; ")
    w(f"as vectors: {vector_optimal_bins([(8, 1), (8, 1)], (10, 10))} machines\n")
    heavy = [(8, 1), (8, 1), (6, 2)]
    free_cpu, free_mem = free_shares(vector_first_fit(heavy, (10, 10)), (10, 10))
    w(f"CPU-heavy tasks {heavy} need 3 machines and leave free\n")
    w(f"{float(free_cpu):.0%} of their CPU but {float(free_mem):.0%} of their memory: stranded\n")
