"""Address translation against a dict model, functools.lru_cache, and OSTEP's TLB example."""

from __future__ import annotations

import functools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.fundamentals.operating_systems import MMU, PageFault, x86_64_indices


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
