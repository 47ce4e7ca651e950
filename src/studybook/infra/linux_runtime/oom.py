"""The OOM killer's badness score and a memory cgroup's limits, modelled on the kernel's code.

When memory runs out (for the machine, or for a cgroup at ``memory.max``) and
reclaim cannot free enough, the kernel kills the task with the highest
*badness*: its resident pages, swapped-out pages and page tables, plus
``oom_score_adj`` thousandths of the memory it could have used. Interviewers
ask because "why did the kernel kill *that* process?" and "why was my
container OOM-killed below its limit?" are daily questions for a platform team.

Invariant: a task with ``oom_score_adj == -1000`` is never chosen; otherwise
the chosen task has the highest badness (ties go to the one listed last, as the
kernel's ``>=`` comparison over its task list does).

==================  =========================================  ========
function            answers                                    cost
==================  =========================================  ========
oom_badness         ``oom_badness()`` in mm/oom_kill.c         O(1)
oom_score           ``/proc/<pid>/oom_score`` (0..2000)        O(1)
select_victim       the task the OOM killer picks              O(n)
MemoryCgroup        memory.high / memory.max / memory.events   O(n) per charge
==================  =========================================  ========

>>> oom_badness(Process(1, "db", rss_pages=3000), totalpages=10_000)
3000

Primary sources: Linux ``mm/oom_kill.c`` (``oom_badness``,
``oom_evaluate_task``) and ``fs/proc/base.c`` (``proc_oom_score``) from 5.9 on;
``include/uapi/linux/oom.h`` (``OOM_SCORE_ADJ_MIN``/``MAX``);
``Documentation/admin-guide/cgroup-v2.rst`` (memory controller).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from studybook._validate import check_int, check_str

__all__ = [
    "OOM_SCORE_ADJ_MAX",
    "OOM_SCORE_ADJ_MIN",
    "PAGE_SIZE",
    "Charge",
    "MemoryCgroup",
    "Process",
    "oom_badness",
    "oom_score",
    "select_victim",
]

#: The lowest adjustment, -1000, which disables OOM killing for the task
#: (include/uapi/linux/oom.h).
OOM_SCORE_ADJ_MIN = -1000
#: The highest adjustment, +1000, which makes the task the first choice
#: (include/uapi/linux/oom.h).
OOM_SCORE_ADJ_MAX = 1000
#: Bytes per page on x86-64 with 4 KiB pages, the unit of the page-table term.
PAGE_SIZE = 4096


@dataclass(frozen=True)
class Process:
    """The memory figures ``oom_badness`` reads for one task, in pages (bytes for page tables).

    ``killable=False`` stands for what ``oom_unkillable_task`` refuses (init,
    kernel threads) and for tasks the kernel skips (an mm already being reaped,
    a task in ``vfork``).

    Raises:
        TypeError, ValueError: a pid below 1, an empty name, negative sizes,
            ``oom_score_adj`` outside -1000..1000, or ``bool`` for a number.

    >>> Process(7, "web", rss_pages=10, oom_score_adj=1001)
    Traceback (most recent call last):
    ValueError: oom_score_adj must be in [-1000, 1000], got 1001
    """

    pid: int
    name: str
    rss_pages: int
    swap_pages: int = 0
    pgtables_bytes: int = 0
    oom_score_adj: int = 0
    killable: bool = True

    def __post_init__(self) -> None:
        check_int(self.pid, "pid", minimum=1)
        check_str(self.name, "name", nonempty=True)
        check_int(self.rss_pages, "rss_pages", minimum=0)
        check_int(self.swap_pages, "swap_pages", minimum=0)
        check_int(self.pgtables_bytes, "pgtables_bytes", minimum=0)
        check_int(
            self.oom_score_adj,
            "oom_score_adj",
            minimum=OOM_SCORE_ADJ_MIN,
            maximum=OOM_SCORE_ADJ_MAX,
        )
        if not isinstance(self.killable, bool):
            raise TypeError(f"killable must be a bool, got {self.killable!r}")


def oom_badness(proc: Process, totalpages: int) -> int | None:
    """Return the kernel's badness of ``proc``, or ``None`` if it may not be killed.

    ``points = rss + swap + page_table_bytes // PAGE_SIZE``, then
    ``points += oom_score_adj * (totalpages // 1000)``: the adjustment is a
    quantity of memory, a thousandth of what the task could use per point.
    ``totalpages`` is RAM plus swap for a system OOM, the limit for a cgroup
    OOM. ``None`` stands for the kernel's ``LONG_MIN`` (unkillable, or
    ``oom_score_adj == -1000``). Older kernels gave root tasks a 3% bonus;
    current ones, modelled here, do not.

    Args:
        proc: the task's memory figures.
        totalpages: the pages the task could have used, at least 1.

    Returns:
        The badness (may be negative), or ``None``.

    Raises:
        TypeError: ``proc`` is not a :class:`Process`; ``totalpages`` not an int.
        ValueError: ``totalpages`` below 1.

    Complexity: O(1).

    >>> box = 1_000_000
    >>> oom_badness(Process(1, "a", 200_000, oom_score_adj=-500), box)
    -300000
    >>> oom_badness(Process(2, "b", 1, oom_score_adj=-1000), box) is None
    True
    >>> oom_badness(Process(3, "c", 1), 0)
    Traceback (most recent call last):
    ValueError: totalpages must be >= 1, got 0
    """
    if not isinstance(proc, Process):
        raise TypeError(f"proc must be a Process, got {proc!r}")
    check_int(totalpages, "totalpages", minimum=1)
    if not proc.killable or proc.oom_score_adj == OOM_SCORE_ADJ_MIN:
        return None
    points = proc.rss_pages + proc.swap_pages + proc.pgtables_bytes // PAGE_SIZE
    return points + proc.oom_score_adj * (totalpages // 1000)


def oom_score(proc: Process, totalpages: int) -> int:
    """Return ``/proc/<pid>/oom_score``: badness scaled into 0..2000 (0 if unkillable).

    ``fs/proc/base.c`` prints ``(1000 + badness * 1000 / totalpages) * 2 / 3``
    with C's truncating long division, so a task using all memory with
    ``oom_score_adj`` 0 shows 1333, an idle task with ``oom_score_adj = -999``
    still shows 1, and the full range is 0..2000.

    Raises:
        As :func:`oom_badness`.

    Complexity: O(1).

    >>> [oom_score(Process(1, "a", n), 1000) for n in (0, 500, 1000)]
    [666, 1000, 1333]
    >>> oom_score(Process(1, "a", 1000, oom_score_adj=1000), 1000)
    2000
    """
    badness = oom_badness(proc, totalpages)
    if badness is None:
        return 0
    # badness >= -totalpages, so the sum is never negative; a task cannot use more
    # than totalpages, so it never passes 2000.
    return _c_div((1000 + _c_div(badness * 1000, totalpages)) * 2, 3)


def _c_div(a: int, b: int) -> int:
    """Integer division truncating toward zero, as C's ``/`` on signed longs does."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def select_victim(procs: Sequence[Process], totalpages: int) -> Process | None:
    """Return the task the OOM killer would pick, or ``None`` if none is eligible.

    ``oom_evaluate_task`` keeps the candidate unless the next task's badness is
    *smaller*, so on a tie the later task in the list wins.

    Args:
        procs: the tasks in the OOM domain (the machine, or the cgroup).
        totalpages: as :func:`oom_badness`.

    Raises:
        TypeError, ValueError: a non-:class:`Process` entry, or bad ``totalpages``.

    Complexity: O(n).

    >>> ps = [Process(1, "big", 900), Process(2, "small", 100, oom_score_adj=900)]
    >>> select_victim(ps, 1000).name
    'small'
    >>> select_victim([Process(1, "init", 5, killable=False)], 1000) is None
    True
    """
    if isinstance(procs, str | bytes) or not isinstance(procs, Sequence):  # type: ignore[unreachable]
        raise TypeError(f"procs must be a sequence of Process, got {procs!r}")
    chosen: Process | None = None
    best = 0
    for proc in procs:
        points = oom_badness(proc, totalpages)
        if points is None or (chosen is not None and points < best):
            continue
        chosen, best = proc, points
    return chosen


@dataclass(frozen=True)
class Charge:
    """What one :meth:`MemoryCgroup.charge` did: reclaimed cache, throttled, killed."""

    reclaimed: int
    throttled: bool
    killed: tuple[str, ...]


@dataclass
class MemoryCgroup:
    """A cgroup v2 memory controller: ``memory.high``, ``memory.max``, ``memory.events``.

    Usage is each process's anonymous pages plus the group's page cache.
    Charging above ``memory.high`` reclaims cache back toward ``high`` and
    throttles the allocating task (counted as a ``high`` event) but never
    OOM-kills. Charging above ``memory.max`` first reclaims cache (a ``max``
    event); if that is not enough it is an ``oom`` event and the OOM killer
    picks a victim inside the group by :func:`oom_badness` with ``totalpages =
    max_pages`` (``oom_kill``), or kills every process at once if
    ``oom_group`` is set (``memory.oom.group``; ``oom_group_kill``; tasks with
    ``oom_score_adj = -1000`` are spared). Anonymous memory cannot be reclaimed
    here because the model has no swap.

    ``high_pages`` above ``max_pages`` is accepted, as the kernel accepts it:
    the high boundary then never triggers. ``None`` means ``max``.

    Raises:
        TypeError, ValueError: non-int, ``bool`` or non-positive limits.

    >>> cg = MemoryCgroup(max_pages=100, high_pages=80)
    >>> cg.add(Process(1, "app", 0)); cg.charge(1, 90)
    Charge(reclaimed=0, throttled=True, killed=())
    >>> cg.charge(1, 20), cg.events["oom_kill"]
    (Charge(reclaimed=0, throttled=False, killed=('app',)), 1)
    """

    max_pages: int | None = None
    high_pages: int | None = None
    oom_group: bool = False
    procs: dict[int, Process] = field(default_factory=dict, init=False)
    cache_pages: int = field(default=0, init=False)
    events: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("low", "high", "max", "oom", "oom_kill", "oom_group_kill"), 0
        ),
        init=False,
    )

    def __post_init__(self) -> None:
        for what, value in (("max_pages", self.max_pages), ("high_pages", self.high_pages)):
            if value is not None:
                check_int(value, what, minimum=1)
        if not isinstance(self.oom_group, bool):
            raise TypeError(f"oom_group must be a bool, got {self.oom_group!r}")

    @property
    def usage(self) -> int:
        """``memory.current`` in pages: anonymous pages of live processes plus page cache."""
        return sum(p.rss_pages for p in self.procs.values()) + self.cache_pages

    def _check_invariants(self) -> None:
        """Usage within ``memory.max``, no negative counters, processes keyed by pid."""
        if self.max_pages is not None and self.usage > self.max_pages:
            raise AssertionError(f"usage {self.usage} above memory.max {self.max_pages}")
        if self.cache_pages < 0 or any(v < 0 for v in self.events.values()):
            raise AssertionError(f"negative counter: {self.cache_pages}, {self.events}")
        if any(pid != p.pid for pid, p in self.procs.items()):
            raise AssertionError("procs must be keyed by their pid")

    def add(self, proc: Process) -> None:
        """Put ``proc`` in the group; the model counts its ``rss_pages`` here.

        (In cgroup v2 a migrated task's existing charges stay with its old
        cgroup; only new allocations are charged here. The model starts each
        process in its group, which is what a container's processes do.)

        Raises:
            TypeError: not a :class:`Process`. ValueError: its pid is already
                here, or its pages would take the group above ``memory.max``.
        """
        if not isinstance(proc, Process):
            raise TypeError(f"proc must be a Process, got {proc!r}")
        if proc.pid in self.procs:
            raise ValueError(f"pid {proc.pid} is already in the cgroup")
        if self.max_pages is not None and self.usage + proc.rss_pages > self.max_pages:
            raise ValueError(
                f"adding pid {proc.pid} ({proc.rss_pages} pages) would exceed "
                f"memory.max ({self.max_pages}); usage is {self.usage}"
            )
        self.procs[proc.pid] = proc

    def charge(self, pid: int, pages: int, *, cache: bool = False) -> Charge:
        """Charge ``pages`` allocated by ``pid`` (anonymous, or page cache if ``cache``).

        Returns:
            A :class:`Charge`: cache pages reclaimed, whether ``memory.high``
            throttled the task, and the names of processes OOM-killed. If the
            allocating task is killed its allocation is dropped.

        Raises:
            TypeError, ValueError: an unknown or non-int pid, or pages < 1.
            MemoryError: over ``memory.max`` with nothing left to reclaim or kill.

        Complexity: O(n) per OOM kill for n processes.
        """
        check_int(pid, "pid", minimum=1)
        check_int(pages, "pages", minimum=1)
        if pid not in self.procs:
            raise ValueError(f"pid {pid} is not in the cgroup")
        reclaimed, killed = 0, []
        limit = self.max_pages
        if limit is not None and self.usage + pages > limit:
            self.events["max"] += 1
            reclaimed += self._reclaim(self.usage + pages - limit)
            while self.usage + pages > limit:
                self.events["oom"] += 1
                victims = self._oom_victims()
                if not victims:
                    raise MemoryError(f"cgroup over memory.max ({limit}) with no killable task")
                for victim in victims:
                    del self.procs[victim.pid]
                    killed.append(victim.name)
                self.events["oom_kill"] += len(victims)
                if self.oom_group:
                    self.events["oom_group_kill"] += 1
                if pid not in self.procs:
                    return Charge(reclaimed, False, tuple(killed))
        if cache:
            self.cache_pages += pages
        else:
            p = self.procs[pid]
            self.procs[pid] = Process(
                p.pid, p.name, p.rss_pages + pages, p.swap_pages, p.pgtables_bytes,
                p.oom_score_adj, p.killable,
            )  # fmt: skip
        throttled = self.high_pages is not None and self.usage > self.high_pages
        if throttled and self.high_pages is not None:
            self.events["high"] += 1
            reclaimed += self._reclaim(self.usage - self.high_pages)
        return Charge(reclaimed, throttled, tuple(killed))

    def _reclaim(self, wanted: int) -> int:
        freed = min(wanted, self.cache_pages)
        self.cache_pages -= freed
        return freed

    def _oom_victims(self) -> list[Process]:
        procs = list(self.procs.values())
        if self.oom_group:
            return [p for p in procs if oom_badness(p, self.max_pages or 1) is not None]
        victim = select_victim(procs, self.max_pages or 1)
        return [] if victim is None else [victim]
