"""Page replacement against textbook strings, functools.lru_cache and exhaustive search."""

from __future__ import annotations

import functools
import re
from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.fundamentals.operating_systems import (
    REPLACEMENT_POLICIES,
    page_faults,
    paging_trace,
)

BELADY = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]
OSC = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1]
OSTEP = [0, 1, 2, 0, 1, 3, 0, 3, 1, 2, 1]


def test_beladys_anomaly_fifo_nine_faults_with_three_frames_ten_with_four():
    # Belady, Nelson, Shedler (CACM 1969); OSC 10th ed., section 10.4.2.
    assert page_faults(BELADY, 3, "fifo") == 9
    assert page_faults(BELADY, 4, "fifo") == 10


@pytest.mark.parametrize(("policy", "faults"), [("fifo", 15), ("opt", 9), ("lru", 12)])
def test_silberschatz_reference_string_with_three_frames(policy, faults):
    # OSC 10th ed., section 10.4: FIFO 15, optimal 9 and LRU 12 faults.
    assert page_faults(OSC, 3, policy) == faults


@pytest.mark.parametrize(("policy", "hits"), [("opt", 6), ("fifo", 4), ("lru", 6)])
def test_ostep_chapter_22_stream_with_a_three_page_cache(policy, hits):
    # OSTEP ch. 22: optimal and LRU 6 hits (54.5 %), FIFO 4 hits (36.4 %).
    assert len(OSTEP) - page_faults(OSTEP, 3, policy) == hits


def test_fifo_trace_matches_the_textbook_table():
    frames = [a.frames for a in paging_trace(OSC, 3, "fifo") if a.fault]
    assert frames[:6] == [
        (7, None, None),
        (7, 0, None),
        (7, 0, 1),
        (2, 0, 1),
        (2, 3, 1),
        (2, 3, 0),
    ]


def test_clock_gives_a_second_chance_to_referenced_pages():
    # Frames 1 2 3 (all bits set); 1 is hit; 4 sweeps every bit clear and evicts 1 (FIFO order),
    # then 5 finds 2 with a clear bit.
    trace = paging_trace([1, 2, 3, 1, 4, 5], 3, "clock")
    assert [a.evicted for a in trace[4:]] == [1, 2]
    # Re-referencing 2 after 4 arrives saves it: 3 is evicted instead.
    trace = paging_trace([1, 2, 3, 4, 2, 5], 3, "clock")
    assert [a.evicted for a in trace if a.fault][-2:] == [1, 3]


# ---------------------------------------------------------------- independent models

references = st.lists(st.integers(0, 6), max_size=40)
frame_counts = st.integers(1, 6)


def lru_cache_faults(refs, frames):
    """LRU by the standard library: a miss of lru_cache(maxsize=frames) is a fault."""

    @functools.lru_cache(maxsize=frames)
    def load(page):
        return page

    for page in refs:
        load(page)
    return load.cache_info().misses


def fifo_faults(refs, frames):
    resident: deque[int] = deque()
    faults = 0
    for page in refs:
        if page not in resident:
            faults += 1
            if len(resident) == frames:
                resident.popleft()
            resident.append(page)
    return faults


def second_chance_faults(refs, frames):
    """CLOCK as Tanenbaum's second-chance FIFO: a referenced head goes to the tail."""
    queue: deque[list[int]] = deque()  # [page, referenced bit], oldest first
    faults = 0
    for page in refs:
        entry = next((e for e in queue if e[0] == page), None)
        if entry is not None:
            entry[1] = 1
            continue
        faults += 1
        if len(queue) == frames:
            while queue[0][1]:
                head = queue.popleft()
                head[1] = 0
                queue.append(head)
            queue.popleft()
        queue.append([page, 1])
    return faults


def minimum_faults(refs, frames):
    """The fewest faults any eviction choices can achieve, by exhaustive search."""

    @functools.cache
    def best(i, resident):
        if i == len(refs):
            return 0
        page = refs[i]
        if page in resident:
            return best(i + 1, resident)
        if len(resident) < frames:
            return 1 + best(i + 1, resident | {page})
        return 1 + min(best(i + 1, (resident - {v}) | {page}) for v in resident)

    return best(0, frozenset())


@given(references, frame_counts)
def test_lru_matches_functools_lru_cache(refs, frames):
    assert page_faults(refs, frames, "lru") == lru_cache_faults(refs, frames)


@given(references, frame_counts)
def test_fifo_matches_a_deque_model(refs, frames):
    assert page_faults(refs, frames, "fifo") == fifo_faults(refs, frames)


@given(references, frame_counts)
def test_clock_matches_second_chance_fifo(refs, frames):
    assert page_faults(refs, frames, "clock") == second_chance_faults(refs, frames)


@settings(max_examples=60)
@given(st.lists(st.integers(0, 4), max_size=14), st.integers(1, 3))
def test_opt_achieves_the_exhaustive_minimum(refs, frames):
    assert page_faults(refs, frames, "opt") == minimum_faults(refs, frames)


@settings(max_examples=50)
@given(references, frame_counts)
def test_opt_never_loses_and_every_policy_pays_compulsory_misses(refs, frames):
    counts = {p: page_faults(refs, frames, p) for p in REPLACEMENT_POLICIES}
    distinct = len(set(refs))
    for policy, faults in counts.items():
        assert counts["opt"] <= faults, policy
        assert distinct <= faults <= len(refs)
        if frames >= distinct:
            assert faults == distinct, policy


@settings(max_examples=50)
@given(references)
def test_stack_algorithms_never_fault_more_with_more_frames(refs):
    for policy in ("lru", "opt"):
        faults = [page_faults(refs, f, policy) for f in range(1, 8)]
        assert faults == sorted(faults, reverse=True), policy


@given(references, frame_counts, st.sampled_from(REPLACEMENT_POLICIES))
def test_trace_invariants(refs, frames, policy):
    resident: set[int] = set()
    for ref, access in zip(refs, paging_trace(refs, frames, policy), strict=True):
        assert access.page == ref
        assert access.fault == (ref not in resident)
        if not access.fault:
            assert access.evicted is None
        if access.evicted is not None:
            assert access.evicted in resident
            assert len(resident) == frames  # evict only when every frame is full
            resident.discard(access.evicted)
        resident.add(ref)
        assert set(access.frames) - {None} == resident
        assert len(access.frames) == min(frames, max(1, len(set(refs))))


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (([1, 2], 0, "fifo"), ValueError, "frames must be at least 1, got 0"),
        (([1, 2], -3, "lru"), ValueError, "frames must be at least 1, got -3"),
        (([1, 2], True, "lru"), TypeError, "frames must be an int, got bool: True"),
        (([1, 2], 3.0, "lru"), TypeError, "frames must be an int, got float: 3.0"),
        (([1, 2], float("nan"), "lru"), TypeError, "frames must be an int, got float: nan"),
        (
            ([1, 2], 3, "LRU"),
            ValueError,
            "unknown policy 'LRU'; expected one of 'fifo', 'lru', 'opt', 'clock'",
        ),
        (
            ([1, 2], 3, "mru"),
            ValueError,
            "unknown policy 'mru'; expected one of 'fifo', 'lru', 'opt', 'clock'",
        ),
        (
            ([1, 2], 3, 0),
            ValueError,
            "unknown policy 0; expected one of 'fifo', 'lru', 'opt', 'clock'",
        ),
        (([1, -2], 3, "opt"), ValueError, "page numbers must not be negative, got -2"),
        (([1, float("nan")], 3, "opt"), TypeError, "page numbers must be ints, got float: nan"),
        (([False], 3, "opt"), TypeError, "page numbers must be ints, got bool: False"),
        (("123", 3, "opt"), TypeError, "references must be an iterable of page numbers, got '123'"),
        ((5, 3, "opt"), TypeError, "references must be an iterable of page numbers, got 5"),
    ],
)
def test_bad_input_is_rejected_with_the_value(args, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        page_faults(*args)


def test_huge_inputs_work():
    refs = [i % 1000 for i in range(20_000)]
    assert page_faults(refs, 999, "lru") == 20_000  # a loop one page too big: LRU's worst case
    assert page_faults(refs, 10**9, "opt") == 1000
    assert page_faults(iter(refs), 1000, "clock") == 1000
