"""CAP, PACELC and consistency models: check histories, and run quorum registers that pass or fail.

A consistency model is a set of allowed histories; this package decides
membership for a single read/write register (initially ``None``), then uses
the decision on real runs of two quorum registers in the Part III simulator.
Interviewers ask about it because "strong consistency" is the most abused
phrase in system design: a candidate who can say which model a system gives,
show a history that breaks the next stronger one, and explain why a quorum
with ``R + W > N`` is still not linearizable stands out.

Layers, one per submodule: :mod:`~.history` (operations with invocation and
response times, validated), :mod:`~.checker` (:func:`~.checker.is_linearizable`:
Wing & Gong's search with Lowe's memoisation, checked against a brute force),
:mod:`~.models` (sequential, causal and PRAM consistency by exhaustive search,
and histories separating them) and :mod:`~.registers` (ABD with read
write-back, linearizable under loss, duplication, crashes and partitions; the
same register without write-back, which is not).

Invariant: linearizable ⊂ sequential ⊂ causal ⊂ PRAM, as sets of histories;
every ABD history in the simulator is linearizable.

===========================  ======================================
function                     cost
===========================  ======================================
is_linearizable              O(2^n · v · n) worst case, memoised
is_sequentially_consistent   O(2^n · v · n)
is_causal, is_pram           O(p · 2^n · v · n) for p processes
run_register                 O(events · log events)
===========================  ======================================

>>> is_linearizable([("write", 1, 0, 1), ("read", 1, 2, 3)])
True

Primary sources: M. Herlihy, J. Wing, "Linearizability: A Correctness
Condition for Concurrent Objects", TOPLAS 12(3), 1990; S. Gilbert, N. Lynch,
"Brewer's Conjecture and the Feasibility of Consistent, Available,
Partition-Tolerant Web Services", SIGACT News 33(2), 2002; H. Attiya,
A. Bar-Noy, D. Dolev, "Sharing Memory Robustly in Message-Passing Systems",
JACM 42(1), 1995.
"""

from __future__ import annotations

from typing import TextIO

from studybook.distributed.cap_consistency.checker import (
    BRUTE_FORCE_LIMIT,
    brute_force_linearizable,
    is_linearizable,
    linearization,
    shrink,
)
from studybook.distributed.cap_consistency.history import KINDS, Op, format_history, to_ops
from studybook.distributed.cap_consistency.models import (
    SEPARATING,
    Example,
    is_causal,
    is_pram,
    is_sequentially_consistent,
)
from studybook.distributed.cap_consistency.registers import (
    Client,
    Replica,
    Timestamp,
    find_counterexample,
    run_register,
)

__all__ = [
    "BRUTE_FORCE_LIMIT",
    "KINDS",
    "SEPARATING",
    "Client",
    "Example",
    "Op",
    "Replica",
    "Timestamp",
    "brute_force_linearizable",
    "demo",
    "find_counterexample",
    "format_history",
    "is_causal",
    "is_linearizable",
    "is_pram",
    "is_sequentially_consistent",
    "linearization",
    "run_register",
    "shrink",
    "to_ops",
]

#: Seeded register runs the demo makes (and the tests repeat): enough to find
#: the first counterexample without write-back, fast enough for a doctest.
DEMO_RUNS = 200


def demo(out: TextIO) -> None:
    """Check the separating histories, then run ABD and the register without write-back.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    Which models allow each history (single register, initially None)
    history                                  sequential  causal  PRAM
    stale read after a write returned               yes     yes   yes
    two writers, crossed reads                       no     yes   yes
    causally related writes seen reversed            no      no   yes
    own write not seen                               no      no    no
    reads go back in time                            no      no    no
    With times, write 1 [0, 1] then read None [2, 3]: linearizable? False
    <BLANKLINE>
    3 replicas, 3 clients x 3 operations, majority quorums (R = W = 2, N = 3);
    5% loss, 5% duplication, one crash and one partition per run
    ABD (read write-back): 200 of 200 seeded runs linearizable
    no write-back: first non-linearizable run is seed 189, shrunk to
    write 11      [2.277, 32.832]
    read  -> 11   [12.661, 21.684]
    read  -> None [22.295, 26.750]
    """
    out.write("Which models allow each history (single register, initially None)\n")
    out.write(f"{'history':<40}{'sequential':>12}{'causal':>8}{'PRAM':>6}\n")
    for example in SEPARATING:
        verdicts = [
            check(example.processes) for check in (is_sequentially_consistent, is_causal, is_pram)
        ]
        cells = [("yes" if v else "no").rjust(w) for v, w in zip(verdicts, (12, 8, 6), strict=True)]
        out.write(f"{example.name:<40}{''.join(cells)}\n")
    stale = [("write", 1, 0, 1), ("read", None, 2, 3)]
    out.write(
        f"With times, write 1 [0, 1] then read None [2, 3]: linearizable? "
        f"{is_linearizable(stale)}\n\n"
    )

    out.write("3 replicas, 3 clients x 3 operations, majority quorums (R = W = 2, N = 3);\n")
    out.write("5% loss, 5% duplication, one crash and one partition per run\n")
    good = sum(is_linearizable(run_register(s, write_back=True)) for s in range(DEMO_RUNS))
    out.write(f"ABD (read write-back): {good} of {DEMO_RUNS} seeded runs linearizable\n")
    found = find_counterexample(range(DEMO_RUNS))
    if found is None:
        out.write(f"no write-back: all {DEMO_RUNS} runs linearizable\n")
    else:
        seed, history = found
        out.write(f"no write-back: first non-linearizable run is seed {seed}, shrunk to\n")
        out.write(format_history(shrink(history)) + "\n")
