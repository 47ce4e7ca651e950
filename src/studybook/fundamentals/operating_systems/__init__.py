"""Operating systems essentials: CPU scheduling, page replacement, address translation, I/O.

Four small, exact models of what a kernel does for a process, one layer per
submodule: a single-CPU scheduler simulator (:mod:`~.scheduling`: FCFS, SJF,
SRTF and round robin; :mod:`~.kernel_schedulers`: MLFQ and a CFS-style
scheduler), page replacement
(:mod:`~.paging`: FIFO, LRU, OPT and CLOCK, with Belady's anomaly), virtual
address translation (:mod:`~.memory`: a page table behind a TLB, and the
x86-64 four-level split) and I/O multiplexing (:mod:`~.io_multiplexing`: a
real loopback echo on one thread with ``selectors``). Interviewers ask about
them because they explain where latency comes from: waiting in a run queue,
a TLB miss, a page fault, a blocked read.

Invariants: a schedule gives every job exactly its burst and never idles
while a job is ready; a page trace never holds more pages than frames; a
TLB entry always equals its page-table entry; an echo returns every byte.

==========================  ==============================  ==================
function                    answers                         cost
==========================  ==============================  ==================
average_waiting_time        mean wait under a policy        O(n log n + s·n)
mlfq / cfs                  full schedules                  O(s·n)
page_faults                 faults for a policy and size    O(r), OPT O(r·f)
MMU.translate               physical address, TLB counts    O(1)
selectors_echo              replies over loopback           O(bytes)
==========================  ==============================  ==================

>>> page_faults([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5], 4, "fifo")
10

Primary sources: A. Silberschatz, P. B. Galvin, G. Gagne, *Operating System
Concepts*, 10th ed., 2018; R. H. and A. C. Arpaci-Dusseau, *Operating
Systems: Three Easy Pieces*, v1.10; each submodule names the papers it follows.
"""

from __future__ import annotations

from typing import TextIO

from studybook.fundamentals.operating_systems.io_multiplexing import (
    MAX_CLIENTS,
    EchoResult,
    selectors_echo,
)
from studybook.fundamentals.operating_systems.kernel_schedulers import (
    NICE_0_WEIGHT,
    cfs,
    mlfq,
    nice_to_weight,
)
from studybook.fundamentals.operating_systems.memory import (
    MMU,
    PageFault,
    PageTableSize,
    page_table_size,
    x86_64_indices,
)
from studybook.fundamentals.operating_systems.paging import (
    REPLACEMENT_POLICIES,
    Access,
    page_faults,
    paging_trace,
)
from studybook.fundamentals.operating_systems.scheduling import (
    POLICIES,
    JobSpec,
    Schedule,
    Slice,
    average_waiting_time,
    schedule,
)

__all__ = [
    "MAX_CLIENTS",
    "MMU",
    "NICE_0_WEIGHT",
    "POLICIES",
    "REPLACEMENT_POLICIES",
    "Access",
    "EchoResult",
    "JobSpec",
    "PageFault",
    "PageTableSize",
    "Schedule",
    "Slice",
    "average_waiting_time",
    "cfs",
    "demo",
    "mlfq",
    "nice_to_weight",
    "page_faults",
    "page_table_size",
    "paging_trace",
    "schedule",
    "selectors_echo",
    "x86_64_indices",
]

#: Belady, Nelson and Shedler's reference string (CACM 1969).
BELADY = (1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5)
#: The reference string of Silberschatz et al., OSC 10th ed., section 10.4.
OSC_STRING = (7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1)
#: The SRTF example of OSC 10th ed., section 5.3.2, as (name, arrival, burst) in ms.
OSC_JOBS: tuple[JobSpec, ...] = (("P1", 0, 8), ("P2", 1, 4), ("P3", 2, 9), ("P4", 3, 5))


def demo(out: TextIO) -> None:
    """Run every model once and narrate the results to ``out``.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    Page faults for Belady's string 1 2 3 4 1 2 5 1 2 3 4 5
    frames  fifo   lru   opt  clock
         1    12    12    12     12
         2    12    12     9     12
         3     9    10     7      9
         4    10     8     6     10
         5     5     5     5      5
    FIFO and CLOCK fault more with 4 frames than with 3: Belady's anomaly.
    OSC string, 3 frames: fifo 15, lru 12, opt 9, clock 14 faults
    <BLANKLINE>
    Jobs P1(0, 8) P2(1, 4) P3(2, 9) P4(3, 5), times in ms
    policy           avg wait  avg turnaround  avg response  dispatches
    fcfs                 8.75           15.25          8.75           4
    sjf                  7.75           14.25          7.75           4
    srtf                 6.50           13.00          4.25           5
    rr q=4              11.75           18.25          4.50           8
    mlfq 4,8,16         11.75           18.25          4.50           7
    cfs nice 0          12.25           18.75          5.25          12
    <BLANKLINE>
    TLB: ten 4-byte reads from address 100, 16-byte pages: 3 misses, 7 hits (70%)
    selectors echo over loopback with ...Selector: 3 clients, every reply matches
    """
    out.write(f"Page faults for Belady's string {' '.join(map(str, BELADY))}\n")
    out.write("frames" + "".join(f"{p:>6}" for p in REPLACEMENT_POLICIES[:3]) + "  clock\n")
    for frames in range(1, 6):
        counts = [page_faults(BELADY, frames, p) for p in REPLACEMENT_POLICIES]
        out.write(f"{frames:>6}" + "".join(f"{c:>6}" for c in counts[:3]) + f"{counts[3]:>7}\n")
    anomalous = [
        p.upper()
        for p in REPLACEMENT_POLICIES
        if page_faults(BELADY, 4, p) > page_faults(BELADY, 3, p)
    ]
    out.write(
        f"{' and '.join(anomalous)} fault more with 4 frames than with 3: Belady's anomaly.\n"
    )
    osc = ", ".join(f"{p} {page_faults(OSC_STRING, 3, p)}" for p in REPLACEMENT_POLICIES)
    out.write(f"OSC string, 3 frames: {osc} faults\n\n")

    jobs = list(OSC_JOBS)
    out.write(f"Jobs {' '.join(f'{n}({a}, {b})' for n, a, b in jobs)}, times in ms\n")
    out.write(
        f"{'policy':<14}{'avg wait':>11}{'avg turnaround':>16}{'avg response':>14}"
        f"{'dispatches':>12}\n"
    )
    runs = [
        ("fcfs", schedule(jobs, "fcfs")),
        ("sjf", schedule(jobs, "sjf")),
        ("srtf", schedule(jobs, "srtf")),
        ("rr q=4", schedule(jobs, "rr", 4)),
        ("mlfq 4,8,16", mlfq(jobs, (4, 8, 16))),
        ("cfs nice 0", cfs(jobs)),
    ]
    for label, s in runs:
        out.write(
            f"{label:<14}{s.average_waiting:>11.2f}{s.average_turnaround:>16.2f}"
            f"{s.average_response:>14.2f}{s.dispatches:>12}\n"
        )

    # OSTEP ch. 19's example: int a[10] at virtual address 100, 16-byte pages.
    mmu = MMU({6: 1, 7: 2, 8: 3}, page_size=16, tlb_entries=16)
    for i in range(10):
        mmu.translate(100 + 4 * i)
    out.write(
        f"\nTLB: ten 4-byte reads from address 100, 16-byte pages: {mmu.tlb_misses} misses, "
        f"{mmu.tlb_hits} hits ({mmu.tlb_hit_rate:.0%})\n"
    )

    messages = [b"hello", b"", b"x" * 70_000]
    echo = selectors_echo(messages)
    verdict = "every reply matches" if list(echo.replies) == messages else "MISMATCH"
    out.write(
        f"selectors echo over loopback with {echo.selector}: {len(messages)} clients, {verdict}\n"
    )
