"""Virtual address translation: a page table, a TLB in front of it, and the x86-64 split.

Every load and store a process issues names a *virtual* address. The MMU
splits it into a virtual page number (VPN) and an offset, looks the VPN up in
the TLB (a small cache of recent translations) and, on a miss, in the page
table; the physical address is the frame number joined to the unchanged
offset. A VPN with no valid mapping raises a page fault, which the kernel
either repairs (allocate or read the page, then retry the instruction) or
turns into ``SIGSEGV``. Interviewers ask because it explains why locality
matters twice (data caches *and* the TLB), what a page fault costs, and why
huge pages help.

Invariant: the TLB holds at most ``tlb_entries`` translations, each equal to
the page table's entry for its VPN; the offset bits pass through unchanged.

=====================  ======================================
operation              cost
=====================  ======================================
TLB hit                O(1), no memory access for the walk
TLB miss, page walk    one memory access per table level
page fault             a trap into the kernel, maybe disk I/O
=====================  ======================================

>>> mmu = MMU({0: 5}, page_size=4096)
>>> hex(mmu.translate(0x123))
'0x5123'

Primary sources: OSTEP (v1.10) ch. 18-20 (paging, TLBs, multi-level tables);
Intel 64 and IA-32 Architectures Software Developer's Manual, vol. 3A,
ch. 4 "Paging" (4-level and 5-level paging).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import NamedTuple

from studybook.fundamentals.operating_systems._check import check_count

__all__ = ["MMU", "PageFault", "PageTableSize", "page_table_size", "x86_64_indices"]


class PageFault(LookupError):
    """Raised by :meth:`MMU.translate` when the page is not mapped.

    Attributes:
        address: the faulting virtual address.
        vpn: its virtual page number.
    """

    def __init__(self, address: int, vpn: int) -> None:
        super().__init__(f"page fault at {address:#x}: virtual page {vpn} is not mapped")
        self.address = address
        self.vpn = vpn


class MMU:
    """A one-level page table with a fully associative LRU TLB in front of it.

    Args:
        page_table: virtual page number -> physical frame number; a VPN that
            is absent is not mapped. The MMU keeps its own copy.
        page_size: bytes per page, a power of two (4096 on x86-64 by default).
        tlb_entries: how many translations the TLB caches, at least 1.

    Raises:
        TypeError: a size, count or table entry that is not an int (``bool``
            included), or ``page_table`` not a mapping.
        ValueError: ``page_size`` not a power of two, ``tlb_entries < 1``, a
            negative page or frame number.

    Complexity: ``translate`` is O(1); memory O(len(page_table) + tlb_entries).

    >>> mmu = MMU({6: 1, 7: 2, 8: 3}, page_size=16, tlb_entries=4)
    >>> [mmu.translate(a) for a in (100, 112)]
    [20, 32]
    >>> MMU({}, page_size=1000)
    Traceback (most recent call last):
    ValueError: page_size must be a power of two, got 1000
    """

    def __init__(
        self, page_table: Mapping[int, int], *, page_size: int = 4096, tlb_entries: int = 64
    ) -> None:
        check_count(page_size, "page_size", minimum=1)
        if page_size & (page_size - 1):
            raise ValueError(f"page_size must be a power of two, got {page_size!r}")
        check_count(tlb_entries, "tlb_entries", minimum=1)
        if not isinstance(page_table, Mapping):
            raise TypeError(f"page_table must be a mapping of VPN to frame, got {page_table!r}")
        for vpn, frame in page_table.items():
            check_count(vpn, "virtual page number", minimum=0)
            check_count(frame, "frame number", minimum=0)
        self._table = dict(page_table)
        self._offset_bits = page_size.bit_length() - 1
        self._tlb: OrderedDict[int, int] = OrderedDict()  # VPN -> frame, LRU first
        self._tlb_entries = tlb_entries
        self.tlb_hits = 0
        self.tlb_misses = 0

    def translate(self, address: int) -> int:
        """Return the physical address for virtual ``address``.

        Raises:
            PageFault: the page holding ``address`` is not mapped (counted as
                a TLB miss: the walk happened and found nothing).
            TypeError, ValueError: ``address`` not a non-negative int.

        Complexity: O(1).

        >>> mmu = MMU({1: 9}, page_size=4096)
        >>> hex(mmu.translate(0x1abc)), (mmu.tlb_hits, mmu.tlb_misses)
        ('0x9abc', (0, 1))
        >>> try:
        ...     mmu.translate(0x2000)
        ... except PageFault as fault:
        ...     print(fault, "| vpn", fault.vpn)
        page fault at 0x2000: virtual page 2 is not mapped | vpn 2
        """
        check_count(address, "address", minimum=0)
        vpn = address >> self._offset_bits
        offset = address & ((1 << self._offset_bits) - 1)
        frame = self._tlb.get(vpn)
        if frame is not None:
            self.tlb_hits += 1
            self._tlb.move_to_end(vpn)
        else:
            self.tlb_misses += 1
            if vpn not in self._table:
                raise PageFault(address, vpn)
            frame = self._table[vpn]
            self._tlb[vpn] = frame
            if len(self._tlb) > self._tlb_entries:
                self._tlb.popitem(last=False)  # evict the least recently used translation
        return (frame << self._offset_bits) | offset

    @property
    def tlb_hit_rate(self) -> float:
        """Hits over lookups so far (0.0 before the first lookup)."""
        lookups = self.tlb_hits + self.tlb_misses
        return self.tlb_hits / lookups if lookups else 0.0

    def _check_invariants(self) -> None:
        if len(self._tlb) > self._tlb_entries:
            raise AssertionError(f"TLB holds {len(self._tlb)} > {self._tlb_entries} entries")
        for vpn, frame in self._tlb.items():
            if self._table.get(vpn) != frame:
                raise AssertionError(f"stale TLB entry {vpn} -> {frame}")


def x86_64_indices(address: int) -> tuple[int, int, int, int, int]:
    """Split a 48-bit x86-64 virtual address for a 4-level page walk with 4 KiB pages.

    The 48 bits are 9 + 9 + 9 + 9 + 12: an index into each of the four
    tables (PML4, page-directory-pointer table, page directory, page table;
    512 eight-byte entries each, one 4 KiB page per table) and the byte offset.

    Args:
        address: a lower-half canonical address, ``0 <= address < 2**47``
            (user space on Linux); higher-half addresses are sign-extended
            and belong to the kernel.

    Returns:
        ``(pml4, pdpt, pd, pt, offset)``.

    Raises:
        TypeError: ``address`` not an int (``bool`` included).
        ValueError: ``address`` negative or not below ``2**47``.

    Complexity: O(1).

    >>> x86_64_indices(0x7FFF_FFFF_F123)
    (255, 511, 511, 511, 291)
    >>> x86_64_indices(2**47)
    Traceback (most recent call last):
    ValueError: address must be below 2**47 (lower-half canonical), got 0x800000000000
    """
    check_count(address, "address", minimum=0)
    if address >= 1 << 47:
        raise ValueError(f"address must be below 2**47 (lower-half canonical), got {address:#x}")
    offset = address & 0xFFF
    pt, pd, pdpt, pml4 = ((address >> shift) & 0x1FF for shift in (12, 21, 30, 39))
    return pml4, pdpt, pd, pt, offset


class PageTableSize(NamedTuple):
    """What a page table costs for one address space; see :func:`page_table_size`."""

    linear_bytes: int
    """A flat table with one entry for every virtual page."""
    levels: int
    """How many levels a radix tree of one-page tables needs."""
    one_page_bytes: int
    """Bytes of the smallest tree that maps a single page (one table per level)."""


def _log2_of_power_of_two(value: object, what: str) -> int:
    number = check_count(value, what, minimum=1)
    if number & (number - 1):
        raise ValueError(f"{what} must be a power of two, got {number!r}")
    return number.bit_length() - 1


def page_table_size(address_bits: int, page_bytes: int, pte_bytes: int) -> PageTableSize:
    """Size a linear page table and a multi-level one for the same address space.

    A virtual address is ``vpn_bits`` of virtual page number followed by
    ``log2(page_bytes)`` offset bits. A linear table has ``2**vpn_bits``
    entries whether or not the pages are used. A multi-level table packs each
    table into one page, so each level resolves ``log2(page_bytes //
    pte_bytes)`` bits of the VPN and the top table holds whatever is left;
    tables exist only where something is mapped.

    Args:
        address_bits: width of a virtual address, 1 to 64.
        page_bytes: page size in bytes, a power of two.
        pte_bytes: bytes per page-table entry, a power of two smaller than
            ``page_bytes``.

    Returns:
        The linear size, the number of levels, and the bytes of the smallest
        tree that maps one page.

    Raises:
        TypeError: an argument that is not an int (``bool`` included).
        ValueError: a size that is not a power of two, ``pte_bytes >=
            page_bytes``, or ``address_bits`` outside 1..64 or not wider
            than the page offset.

    Complexity: O(1).

    OSTEP ch. 20: a 32-bit space with 4 KiB pages and 4-byte entries needs a
    4 MiB linear table per process but two levels of 1024 entries each; x86-64
    uses 8-byte entries, so 48-bit addresses need four levels and 57-bit
    addresses five.

    >>> page_table_size(32, 4096, 4)
    PageTableSize(linear_bytes=4194304, levels=2, one_page_bytes=8192)
    >>> page_table_size(48, 4096, 8)
    PageTableSize(linear_bytes=549755813888, levels=4, one_page_bytes=16384)
    >>> page_table_size(57, 4096, 8)
    PageTableSize(linear_bytes=281474976710656, levels=5, one_page_bytes=20480)
    >>> page_table_size(32, 4096, 4096)
    Traceback (most recent call last):
    ValueError: pte_bytes must be smaller than page_bytes, got 4096 >= 4096
    """
    bits = check_count(address_bits, "address_bits", minimum=1)
    if bits > 64:
        raise ValueError(f"address_bits must be at most 64, got {bits!r}")
    offset_bits = _log2_of_power_of_two(page_bytes, "page_bytes")
    pte_bits = _log2_of_power_of_two(pte_bytes, "pte_bytes")
    if pte_bits >= offset_bits:
        raise ValueError(
            f"pte_bytes must be smaller than page_bytes, got {pte_bytes} >= {page_bytes}"
        )
    vpn_bits = bits - offset_bits
    if vpn_bits < 1:
        raise ValueError(
            f"address_bits must exceed the {offset_bits} offset bits of a {page_bytes}-byte page,"
            f" got {bits!r}"
        )
    bits_per_level = offset_bits - pte_bits
    levels = -(-vpn_bits // bits_per_level)
    top_bits = vpn_bits - (levels - 1) * bits_per_level
    one_page = (levels - 1) * (1 << offset_bits) + (1 << (top_bits + pte_bits))
    return PageTableSize((1 << vpn_bits) << pte_bits, levels, one_page)
