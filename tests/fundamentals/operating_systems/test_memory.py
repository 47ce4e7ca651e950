"""Address translation against a dict model, functools.lru_cache, and OSTEP's TLB example."""

from __future__ import annotations

import functools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.fundamentals.operating_systems import (
    MMU,
    PageFault,
    page_table_size,
    x86_64_indices,
)


def test_ostep_tlb_array_example_hit_rate_seventy_percent():
    # OSTEP ch. 19, "Example: Accessing An Array": ten 4-byte ints from virtual
    # address 100 with 16-byte pages: miss, hit, hit, miss, hit x3, miss, hit, hit.
    mmu = MMU({6: 1, 7: 2, 8: 3}, page_size=16, tlb_entries=16)
    hits = []
    for i in range(10):
        before = mmu.tlb_hits
        mmu.translate(100 + 4 * i)
        hits.append(mmu.tlb_hits > before)
    assert hits == [False, True, True, False, True, True, True, False, True, True]
    assert mmu.tlb_hit_rate == pytest.approx(0.7)
    mmu._check_invariants()


def test_offset_passes_through_and_frame_replaces_page():
    mmu = MMU({0x12345: 0x00ABC})
    assert mmu.translate(0x12345_678) == 0x00ABC_678


@st.composite
def tables_and_addresses(draw):
    page_bits = draw(st.integers(0, 12))
    table = draw(st.dictionaries(st.integers(0, 15), st.integers(0, 1000), max_size=12))
    addresses = draw(st.lists(st.integers(0, (16 << page_bits) - 1), max_size=40))
    return 1 << page_bits, table, addresses


@settings(max_examples=50)
@given(tables_and_addresses(), st.integers(1, 6))
def test_translation_matches_the_page_table_and_tlb_matches_lru_cache(case, entries):
    page_size, table, addresses = case
    mmu = MMU(table, page_size=page_size, tlb_entries=entries)

    @functools.lru_cache(maxsize=entries)
    def tlb(vpn):  # the model TLB: an LRU cache of successful walks
        return table[vpn]

    for address in addresses:
        vpn, offset = divmod(address, page_size)
        if vpn in table:
            assert mmu.translate(address) == table[vpn] * page_size + offset
            tlb(vpn)
        else:
            with pytest.raises(PageFault) as fault:
                mmu.translate(address)
            assert (fault.value.address, fault.value.vpn) == (address, vpn)
        mmu._check_invariants()
    faults = sum(a // page_size not in table for a in addresses)
    assert mmu.tlb_hits == tlb.cache_info().hits
    assert mmu.tlb_misses == tlb.cache_info().misses + faults
    assert mmu.tlb_hits + mmu.tlb_misses == len(addresses)


def test_page_table_is_copied():
    table = {0: 1}
    mmu = MMU(table, page_size=16)
    table[0] = 99
    assert mmu.translate(5) == 21


@given(st.integers(0, (1 << 47) - 1))
def test_x86_64_indices_reassemble_the_address(address):
    pml4, pdpt, pd, pt, offset = x86_64_indices(address)
    assert all(0 <= i < 512 for i in (pml4, pdpt, pd, pt))
    assert 0 <= offset < 4096
    assert (pml4 << 39) | (pdpt << 30) | (pd << 21) | (pt << 12) | offset == address


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: MMU({}, page_size=0), ValueError, "page_size must be at least 1, got 0"),
        (lambda: MMU({}, page_size=48), ValueError, "page_size must be a power of two, got 48"),
        (
            lambda: MMU({}, page_size=4096.0),
            TypeError,
            "page_size must be an int, got float: 4096.0",
        ),
        (lambda: MMU({}, tlb_entries=0), ValueError, "tlb_entries must be at least 1, got 0"),
        (
            lambda: MMU({}, tlb_entries=True),
            TypeError,
            "tlb_entries must be an int, got bool: True",
        ),
        (lambda: MMU({-1: 0}), ValueError, "virtual page number must be at least 0, got -1"),
        (lambda: MMU({0: float("nan")}), TypeError, "frame number must be an int, got float: nan"),
        (
            lambda: MMU([(0, 1)]),
            TypeError,
            "page_table must be a mapping of VPN to frame, got [(0, 1)]",
        ),
        (lambda: MMU({0: 1}).translate(-1), ValueError, "address must be at least 0, got -1"),
        (lambda: MMU({0: 1}).translate(1.5), TypeError, "address must be an int, got float: 1.5"),
        (lambda: x86_64_indices(True), TypeError, "address must be an int, got bool: True"),
        (lambda: x86_64_indices(-1), ValueError, "address must be at least 0, got -1"),
        (
            lambda: x86_64_indices(1 << 47),
            ValueError,
            "address must be below 2**47 (lower-half canonical), got 0x800000000000",
        ),
    ],
)
def test_bad_input_is_rejected_with_the_value(call, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        call()


def test_huge_addresses_work():
    mmu = MMU({2**60: 7}, page_size=4096)
    assert mmu.translate((2**60 << 12) + 5) == (7 << 12) + 5


# --- page_table_size -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("address_bits", "page_bytes", "pte_bytes", "expected"),
    [
        # OSTEP ch. 20: 32-bit, 4 KiB pages, 4-byte PTEs: a 4 MiB linear table, two levels.
        (32, 4096, 4, (4 << 20, 2, 2 * 4096)),
        # x86-64 4-level paging (Intel SDM vol. 3A ch. 4): 48 bits, 512 entries per table.
        (48, 4096, 8, (512 << 30, 4, 4 * 4096)),
        # 5-level paging: 57 bits.
        (57, 4096, 8, (256 << 40, 5, 5 * 4096)),
        # OSTEP ch. 20: 16 KiB space, 64-byte pages, 4-byte PTEs: 256 entries, 16-entry directory.
        (14, 64, 4, (1024, 2, 2 * 64)),
    ],
)
def test_page_table_size_textbook_examples(address_bits, page_bytes, pte_bytes, expected):
    assert tuple(page_table_size(address_bits, page_bytes, pte_bytes)) == expected


def _tree_by_construction(address_bits, page_bytes, pte_bytes):
    # Build the levels bottom-up: each full table of page_bytes // pte_bytes entries
    # covers that many times the span of one entry below; stop once the span covers
    # the whole address space, and shrink the top table to the entries it needs.
    entries_per_table = page_bytes // pte_bytes
    span, levels, sizes = page_bytes, 0, []
    while span < 1 << address_bits:
        levels += 1
        needed = min(entries_per_table, -(-(1 << address_bits) // span))
        sizes.append(needed * pte_bytes)
        span *= entries_per_table
    linear = (1 << address_bits) // page_bytes * pte_bytes
    return linear, levels, sum(sizes)


@given(
    st.integers(2, 64).flatmap(
        lambda bits: st.tuples(
            st.just(bits),
            st.integers(1, bits - 1).flatmap(
                lambda off: st.tuples(st.just(off), st.integers(0, off - 1))
            ),
        )
    )
)
@settings(max_examples=100)
def test_page_table_size_matches_construction(case):
    address_bits, (offset_bits, pte_bits) = case
    page_bytes, pte_bytes = 1 << offset_bits, 1 << pte_bits
    got = page_table_size(address_bits, page_bytes, pte_bytes)
    assert tuple(got) == _tree_by_construction(address_bits, page_bytes, pte_bytes)
    assert got.one_page_bytes <= max(got.linear_bytes, got.levels * page_bytes)


@pytest.mark.parametrize(
    ("args", "error", "fragment"),
    [
        ((32.0, 4096, 4), TypeError, "address_bits must be an int, got float: 32.0"),
        ((True, 4096, 4), TypeError, "address_bits must be an int, got bool: True"),
        ((32, float("nan"), 4), TypeError, "page_bytes must be an int, got float: nan"),
        ((32, 4096, float("inf")), TypeError, "pte_bytes must be an int, got float: inf"),
        ((32, "4096", 4), TypeError, "page_bytes must be an int, got str: '4096'"),
        ((0, 4096, 4), ValueError, "address_bits must be at least 1, got 0"),
        ((-5, 4096, 4), ValueError, "address_bits must be at least 1, got -5"),
        ((65, 4096, 8), ValueError, "address_bits must be at most 64, got 65"),
        ((10**100, 4096, 8), ValueError, "address_bits must be at most 64"),
        ((32, 4000, 4), ValueError, "page_bytes must be a power of two, got 4000"),
        ((32, 4096, 6), ValueError, "pte_bytes must be a power of two, got 6"),
        ((32, 4096, 0), ValueError, "pte_bytes must be at least 1, got 0"),
        (
            (32, 4096, 8192),
            ValueError,
            "pte_bytes must be smaller than page_bytes, got 8192 >= 4096",
        ),
        ((12, 4096, 8), ValueError, "address_bits must exceed the 12 offset bits"),
    ],
)
def test_page_table_size_rejects_bad_input(args, error, fragment):
    with pytest.raises(error, match=re.escape(fragment)):
        page_table_size(*args)
