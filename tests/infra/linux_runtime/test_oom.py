"""oom_badness, /proc/<pid>/oom_score, the victim and the memory cgroup, against references."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.infra.linux_runtime import (
    OOM_SCORE_ADJ_MIN,
    PAGE_SIZE,
    MemoryCgroup,
    Process,
    oom_badness,
    oom_score,
    select_victim,
)

procs_strategy = st.lists(
    st.builds(
        Process,
        pid=st.integers(1, 10**6),
        name=st.sampled_from(["a", "b", "c", "d"]),
        rss_pages=st.integers(0, 10**6),
        swap_pages=st.integers(0, 10**5),
        pgtables_bytes=st.integers(0, 10**8),
        oom_score_adj=st.integers(-1000, 1000),
        killable=st.booleans(),
    ),
    max_size=8,
)


def test_badness_is_rss_plus_swap_plus_page_tables_plus_the_adjustment_in_memory_units() -> None:
    p = Process(1, "app", rss_pages=1000, swap_pages=200, pgtables_bytes=3 * PAGE_SIZE + 5)
    assert oom_badness(p, 2_000_000) == 1203
    # +1 oom_score_adj point is a thousandth of totalpages, rounded down per thousand.
    assert oom_badness(Process(1, "a", 0, oom_score_adj=1), 2_000_999) == 2000
    assert oom_badness(Process(1, "a", 0, oom_score_adj=1000), 3_000_000) == 3_000_000
    assert oom_badness(Process(1, "a", 0, oom_score_adj=-999), 999) == 0  # totalpages//1000 == 0
    assert oom_badness(Process(1, "a", 5, killable=False), 1000) is None
    assert oom_badness(Process(1, "a", 5, oom_score_adj=OOM_SCORE_ADJ_MIN), 1000) is None


@settings(max_examples=30, deadline=None)
@given(procs=procs_strategy, totalpages=st.integers(1, 10**7))
def test_victim_is_the_last_listed_of_the_highest_badness(
    procs: list[Process], totalpages: int
) -> None:
    def reference(p: Process) -> int | None:  # written from the kernel's C, independently
        if not p.killable or p.oom_score_adj == -1000:
            return None
        pages = p.rss_pages + p.swap_pages + p.pgtables_bytes // 4096
        return pages + p.oom_score_adj * (totalpages // 1000)

    scored = [(reference(p), i) for i, p in enumerate(procs)]
    eligible = [(s, i) for s, i in scored if s is not None]
    victim = select_victim(procs, totalpages)
    if not eligible:
        assert victim is None
    else:
        assert victim is procs[max(eligible)[1]]
    for p in procs:
        assert oom_badness(p, totalpages) == reference(p)


@settings(max_examples=30, deadline=None)
@given(procs=procs_strategy, totalpages=st.integers(1, 10**7))
def test_oom_score_is_in_0_to_2000_and_orders_like_badness(
    procs: list[Process], totalpages: int
) -> None:
    for p in procs:
        if p.rss_pages + p.swap_pages + p.pgtables_bytes // PAGE_SIZE <= totalpages:
            assert 0 <= oom_score(p, totalpages) <= 2000  # a task cannot use more than all
    ranked = [p for p in procs if oom_badness(p, totalpages) is not None]
    ranked.sort(key=lambda p: oom_badness(p, totalpages) or 0)
    scores = [oom_score(p, totalpages) for p in ranked]
    assert scores == sorted(scores)


def test_oom_score_matches_the_kernel_examples() -> None:
    total = 1_048_576
    assert oom_score(Process(1, "a", total), total) == 1333  # all memory, adj 0
    assert oom_score(Process(1, "a", 0, oom_score_adj=-999), total) == 1  # truncation leaves 1
    assert oom_score(Process(1, "a", total, oom_score_adj=-1000), total) == 0
    # 1048576 is not a multiple of 1000: the adjustment adds 1048000, not 1048576 pages.
    assert oom_score(Process(1, "a", total, oom_score_adj=1000), total) == 1999
    assert oom_score(Process(1, "a", 1000, oom_score_adj=1000), 1000) == 2000


def test_memory_high_throttles_and_reclaims_cache_without_killing() -> None:
    cg = MemoryCgroup(max_pages=1000, high_pages=600)
    cg.add(Process(1, "app", 0))
    assert cg.charge(1, 300, cache=True).throttled is False
    charge = cg.charge(1, 400)
    assert (charge.throttled, charge.reclaimed, charge.killed) == (True, 100, ())
    assert (cg.usage, cg.events["high"], cg.events["oom"]) == (600, 1, 0)


def test_memory_max_reclaims_cache_first_then_kills_the_worst_in_the_group() -> None:
    cg = MemoryCgroup(max_pages=1000)
    for pid, name, adj in [(1, "web", 0), (2, "sidecar", 0), (3, "agent", -1000)]:
        cg.add(Process(pid, name, 0, oom_score_adj=adj))
    cg.charge(1, 500)
    cg.charge(2, 200)
    cg.charge(3, 100)
    cg.charge(2, 150, cache=True)
    first = cg.charge(2, 100)  # 1050 > 1000: 50 pages of cache suffice
    assert (first.reclaimed, first.killed, cg.events["max"], cg.events["oom"]) == (50, (), 1, 0)
    second = cg.charge(2, 250)  # cache 100 reclaimed, still over: kill web (500 pages)
    assert second.killed == ("web",)
    assert cg.events == {
        "low": 0,
        "high": 0,
        "max": 2,
        "oom": 1,
        "oom_kill": 1,
        "oom_group_kill": 0,
    }
    assert cg.usage <= 1000


def test_oom_group_kills_every_process_but_the_protected_ones() -> None:
    cg = MemoryCgroup(max_pages=100, oom_group=True)
    for pid, adj in [(1, 0), (2, 0), (3, -1000)]:
        cg.add(Process(pid, f"p{pid}", 10, oom_score_adj=adj))
    result = cg.charge(1, 80)
    assert result.killed == ("p1", "p2")
    assert list(cg.procs) == [3]
    assert (cg.events["oom_kill"], cg.events["oom_group_kill"]) == (2, 1)


def test_charge_over_max_with_nothing_killable_raises() -> None:
    cg = MemoryCgroup(max_pages=10)
    cg.add(Process(1, "init", 5, killable=False))
    with pytest.raises(MemoryError, match=r"memory.max \(10\)"):
        cg.charge(1, 6)


@settings(max_examples=40, deadline=None)
@given(
    ops=st.lists(st.tuples(st.integers(1, 3), st.integers(1, 60), st.booleans()), max_size=30),
    high=st.integers(20, 150),
    group=st.booleans(),
)
def test_usage_never_exceeds_memory_max(
    ops: list[tuple[int, int, bool]], high: int, group: bool
) -> None:
    cg = MemoryCgroup(max_pages=150, high_pages=high, oom_group=group)
    for pid in (1, 2, 3):
        cg.add(Process(pid, f"p{pid}", 0))
    kills = 0
    for pid, pages, cache in ops:
        if pid not in cg.procs or pages > 150:
            continue
        kills += len(cg.charge(pid, pages, cache=cache).killed)
        cg._check_invariants()
        assert cg.usage <= 150
    assert cg.events["oom_kill"] == kills


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"pid": 0, "name": "a", "rss_pages": 1}, ValueError, "pid must be >= 1, got 0"),
        ({"pid": True, "name": "a", "rss_pages": 1}, TypeError, "pid must be an int, got bool"),
        ({"pid": 1, "name": "", "rss_pages": 1}, ValueError, "name must be a non-empty str"),
        ({"pid": 1, "name": "a", "rss_pages": -1}, ValueError, "rss_pages must be >= 0, got -1"),
        ({"pid": 1, "name": "a", "rss_pages": 1.5}, TypeError, "got float: 1.5"),
        ({"pid": 1, "name": "a", "rss_pages": 1, "oom_score_adj": -1001}, ValueError, "got -1001"),
        (
            {"pid": 1, "name": "a", "rss_pages": 1, "killable": 1},
            TypeError,
            "killable must be a bool",
        ),
    ],
)
def test_process_refuses_bad_fields(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        Process(**kwargs)
    assert message in str(info.value)


def test_entry_points_refuse_bad_input() -> None:
    p = Process(1, "a", 1)
    with pytest.raises(TypeError, match="proc must be a Process"):
        oom_badness("a", 10)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="totalpages must be >= 1, got -5"):
        oom_score(p, -5)
    with pytest.raises(TypeError, match="totalpages must be an int, got float: nan"):
        select_victim([p], float("nan"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="procs must be a sequence"):
        select_victim("abc", 10)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_pages must be >= 1, got 0"):
        MemoryCgroup(max_pages=0)
    with pytest.raises(TypeError, match="oom_group must be a bool"):
        MemoryCgroup(oom_group="yes")  # type: ignore[arg-type]
    cg = MemoryCgroup(max_pages=10)
    cg.add(p)
    with pytest.raises(ValueError, match="pid 1 is already in the cgroup"):
        cg.add(p)
    with pytest.raises(ValueError, match="pid 9 is not in the cgroup"):
        cg.charge(9, 1)
    with pytest.raises(ValueError, match="pages must be >= 1, got 0"):
        cg.charge(1, 0)
    with pytest.raises(TypeError, match="proc must be a Process"):
        cg.add("p")  # type: ignore[arg-type]
    with pytest.raises(
        ValueError, match=r"adding pid 2 \(10 pages\) would exceed memory.max \(10\)"
    ):
        cg.add(Process(2, "b", 10))
    assert list(cg.procs) == [1]
    with pytest.raises(TypeError, match="unexpected keyword argument 'cache_pages'"):
        MemoryCgroup(cache_pages=-5)  # type: ignore[call-arg]
    # memory.high above memory.max is legal, as in the kernel: it never triggers.
    assert MemoryCgroup(max_pages=10, high_pages=20).high_pages == 20
