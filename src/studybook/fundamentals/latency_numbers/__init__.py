"""Latency numbers and back-of-the-envelope estimation, with sources and this machine's figures.

Interviewers ask for "the latency numbers every programmer should know" and
for a quick estimate (QPS, storage, bandwidth, availability) before any
design. This package keeps each published number with its source and year
(:mod:`~.reference`), measures what a Python process can measure on the
machine it runs on (:mod:`~.measure`), turns traffic assumptions into rates
and sizes with explicit units (:mod:`~.estimate`, :mod:`~.units`) and turns
nines into downtime (:mod:`~.availability`).

Invariant: every published number names its source; every measured number
is produced by code and printed with how it was measured; every estimate
states its peak factor, unit system and period lengths.

=======================  ===================================  ======
function                 answers                              cost
=======================  ===================================  ======
reference_table          published latencies, with sources    O(n)
measure_machine          this machine's latencies             ~1 s
estimate                 QPS, storage, bandwidth              O(1)
downtime                 allowed downtime per period          O(1)
powers_of_two            2^k, IEC name, error against 10^3k   O(k)
=======================  ===================================  ======

>>> format_duration(downtime(nines(3)).per_month)
'43 min 50 s'

Primary sources: J. Dean, LADIS 2009 keynote; P. Norvig, "Teach Yourself
Programming in Ten Years"; J. Bentley, "The Back of the Envelope", CACM 1984;
each submodule names the sources it follows.
"""

from __future__ import annotations

import os
from typing import TextIO

from studybook.fundamentals.latency_numbers.availability import (
    SECONDS_PER_MONTH,
    SECONDS_PER_WEEK,
    SECONDS_PER_YEAR,
    Downtime,
    availability_in_parallel,
    availability_in_series,
    downtime,
    nines,
)
from studybook.fundamentals.latency_numbers.estimate import (
    DEFAULT_PEAK_FACTOR,
    Estimate,
    estimate,
)
from studybook.fundamentals.latency_numbers.measure import (
    Measurement,
    filesystem_type,
    machine_summary,
    measure_machine,
    time_per_op,
)
from studybook.fundamentals.latency_numbers.reference import (
    CHANGES,
    REFERENCE,
    SOURCES,
    Change,
    Latency,
    Source,
    ladder_mermaid,
    reference_table,
)
from studybook.fundamentals.latency_numbers.units import (
    SECONDS_PER_DAY,
    PowerOfTwo,
    check_number,
    format_bytes,
    format_duration,
    powers_of_two,
)

__all__ = [
    "CHANGES",
    "DEFAULT_PEAK_FACTOR",
    "REFERENCE",
    "SECONDS_PER_DAY",
    "SECONDS_PER_MONTH",
    "SECONDS_PER_WEEK",
    "SECONDS_PER_YEAR",
    "SOURCES",
    "Change",
    "Downtime",
    "Estimate",
    "Latency",
    "Measurement",
    "PowerOfTwo",
    "Source",
    "availability_in_parallel",
    "availability_in_series",
    "chat_service",
    "check_number",
    "demo",
    "downtime",
    "estimate",
    "filesystem_type",
    "format_bytes",
    "format_duration",
    "ladder_mermaid",
    "machine_summary",
    "measure_machine",
    "nines",
    "powers_of_two",
    "reference_table",
    "time_per_op",
    "url_shortener",
]


def url_shortener() -> Estimate:
    """The chapter's first worked estimate: a URL shortener.

    Assumptions: 100 million daily active users; each creates 0.1 short link
    a day (10 million a day) and follows 10 (reads:writes = 100:1); a stored
    mapping (short key, long URL, owner, timestamps) is 500 bytes and a
    redirect response about as large; links are kept 5 x 365 days; one
    replica counted (multiply for replication); peak = 2 x average.

    >>> e = url_shortener()
    >>> print(e.report("URL shortener"), end="")
    URL shortener: peak factor 2, sizes in SI units (1 kB = 1000 bytes)
      writes  116/s average, 231/s peak
      reads   11,574/s average, 23,148/s peak
      storage 9.12 TB after 1825 days (5 GB/day, 1 replica)
      ingress 57.9 kB/s average, 116 kB/s peak = 926 kbit/s peak
      egress  5.79 MB/s average, 11.6 MB/s peak = 92.6 Mbit/s peak
    """
    return estimate(
        daily_active_users=100_000_000,
        writes_per_user_per_day=0.1,
        reads_per_user_per_day=10,
        bytes_per_write=500,
        bytes_per_read=500,
        retention_days=5 * 365,
        peak_factor=2,
    )


def chat_service() -> Estimate:
    """The chapter's second worked estimate: a one-to-one chat service.

    Assumptions: 50 million daily active users each send 40 messages a day;
    every message is delivered once (one-to-one chat), so reads equal writes;
    200 bytes per stored message (100 bytes of text plus ids, timestamps and
    status); kept for 365 days in 3 replicas; evening peaks at 3 x average.

    >>> e = chat_service()
    >>> print(e.report("Chat service", system="iec"), end="")
    Chat service: peak factor 3, sizes in IEC units (1 KiB = 1024 bytes)
      writes  23,148/s average, 69,444/s peak
      reads   23,148/s average, 69,444/s peak
      storage 398 TiB after 365 days (1.09 TiB/day, 3 replicas)
      ingress 4.42 MiB/s average, 13.2 MiB/s peak = 111 Mbit/s peak
      egress  4.42 MiB/s average, 13.2 MiB/s peak = 111 Mbit/s peak
    """
    return estimate(
        daily_active_users=50_000_000,
        writes_per_user_per_day=40,
        reads_per_user_per_day=40,
        bytes_per_write=200,
        retention_days=365,
        replicas=3,
        peak_factor=3,
    )


def demo(out: TextIO, *, directory: str | os.PathLike[str] | None = None) -> None:
    """Print the published table, what moved, this machine's measurements and two estimates.

    Measuring takes about a second; the whole demo stays under a few seconds.

    Args:
        out: the stream to write to.
        directory: where the file measurements create their temporary
            directory (default: the system's temporary directory).

    The measured times (``...`` below) and the machine differ from run to
    run; everything else is fixed.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    Latency numbers as published, fastest first
        0.50 ns  L1 cache reference                       Dean 2009
        1.00 ns  Execute typical instruction              Norvig 2001
        5.00 ns  Branch mispredict                        Dean 2009
        7.00 ns  L2 cache reference                       Dean 2009
        25.0 ns  Mutex lock/unlock                        Dean 2009
         100 ns  Main memory reference                    Dean 2009
        3.00 µs  Compress 1K bytes with Zippy             Dean 2009
        20.0 µs  Send 2K bytes over 1 Gbps network        Dean 2009
         150 µs  Read 4K randomly from SSD                gist 2012
         250 µs  Read 1 MB sequentially from memory       Dean 2009
         500 µs  Round trip within same datacenter        Dean 2009
        1.00 ms  Read 1 MB sequentially from SSD          gist 2012
        8.00 ms  Fetch from new disk location (seek)      Norvig 2001
        10.0 ms  Disk seek                                Dean 2009
        20.0 ms  Read 1 MB sequentially from disk         Dean 2009
         150 ms  Send packet CA->Netherlands->CA          Dean 2009
    <BLANKLINE>
    What has moved since (then -> later figure, speed-up)
      Main memory reference                  100 ns ->   100 ns  x1     Scott model 2020
          unchanged: DRAM latency has stayed near 100 ns for two decades
      Disk seek                             10.0 ms ->  4.17 ms  x2.4   Seagate Exos X18 (HDD)
          barely moved: half a turn at 7200 rpm alone is 4.17 ms, before any seek
      Read 1 MB sequentially from disk      20.0 ms ->  3.70 ms  x5.4   Seagate Exos X18 (HDD)
          faster: denser platters stream 270 MB/s at the outer edge (about half inside)
      Read 4K randomly from SSD              150 µs ->  92.0 µs  x1.6   Micron 9200 (NVMe)
          somewhat faster: NAND read time, not the interface, dominates
      Read 1 MB sequentially from SSD       1.00 ms ->   286 µs  x3.5   Micron 9200 (NVMe)
          faster: NVMe over PCIe replaced SATA's 600 MB/s ceiling
      Send packet CA->Netherlands->CA        150 ms ->   150 ms  x1     Scott model 2020
          unchanged: bounded by the speed of light in fibre
    <BLANKLINE>
    Measured on this machine: ...
            ...  timeit loop, empty statement ("pass")
                 how: timeit, 200,000 loops x 5 batches, min
                 published: no counterpart
                 note: the loop's own cost, included in the next two rows
            ...  Python function call f()
                 how: timeit, 200,000 loops x 5 batches, min
                 published: 1.00 ns (Execute typical instruction, Norvig 2001)
                 note: a def with no arguments that returns None
            ...  dict lookup d[k] (1,000 str keys)
                 how: timeit, 200,000 loops x 5 batches, min
                 published: 100 ns (Main memory reference, Dean 2009)
                 note: the table is in cache: this is interpreter cost, not DRAM
            ...  sha256 of 1 MiB
                 how: perf_counter_ns, 1 per batch x 20 batches, min
                 published: no counterpart
                 note: hashlib (OpenSSL); uses SHA extensions where the CPU has them
            ...  copy 1 MiB into a preallocated buffer
                 how: perf_counter_ns, 20 per batch x 20 batches, min
                 published: 250 µs (Read 1 MB sequentially from memory, Dean 2009)
                 note: memoryview slice assignment: one memcpy; 1 MiB fits in cache, so not DRAM
            ...  bytes(buffer): allocate and copy 1 MiB
                 how: perf_counter_ns, 20 per batch x 20 batches, min
                 published: 250 µs (Read 1 MB sequentially from memory, Dean 2009)
                 note: adds allocating and freeing the result (malloc may reuse the freed block)
            ...  copy 64 MiB, time per MiB
                 how: perf_counter_ns, 1 copy per batch x 5 batches, min, ÷ 64
                 published: 250 µs (Read 1 MB sequentially from memory, Dean 2009)
                 note: larger than most last-level caches (not in quick runs): DRAM read + write
            ...  fsync after a 512-byte write
                 how: perf_counter_ns around each fsync, 10 fsyncs, median
                 published: 10.0 ms (Disk seek, Dean 2009)
                 note: on ...; waits for the device's cache flush (a virtual disk may fake it)...
            ...  sequential 4 KiB pread
                 how: perf_counter_ns, 2,048 preads per batch x 5 batches, min
                 published: no counterpart
                 note: 8 MiB file just written, so in the page cache: syscall + memory copy
            ...  random 4 KiB pread
                 how: perf_counter_ns, 2,048 preads per batch x 5 batches, min
                 published: 150 µs (Read 4K randomly from SSD, gist 2012)
                 note: 8 MiB file just written, so in the page cache: syscall + memory copy
            ...  loopback TCP round trip, 1 byte
                 how: perf_counter_ns around each trip, 300 trips, median
                 published: 500 µs (Round trip within same datacenter, Dean 2009)
                 note: no NIC, no wire: kernel TCP stack twice, plus two Python threads
    <BLANKLINE>
    Back of the envelope
    URL shortener: peak factor 2, sizes in SI units (1 kB = 1000 bytes)
      writes  116/s average, 231/s peak
      reads   11,574/s average, 23,148/s peak
      storage 9.12 TB after 1825 days (5 GB/day, 1 replica)
      ingress 57.9 kB/s average, 116 kB/s peak = 926 kbit/s peak
      egress  5.79 MB/s average, 11.6 MB/s peak = 92.6 Mbit/s peak
    Chat service: peak factor 3, sizes in IEC units (1 KiB = 1024 bytes)
      writes  23,148/s average, 69,444/s peak
      reads   23,148/s average, 69,444/s peak
      storage 398 TiB after 365 days (1.09 TiB/day, 3 replicas)
      ingress 4.42 MiB/s average, 13.2 MiB/s peak = 111 Mbit/s peak
      egress  4.42 MiB/s average, 13.2 MiB/s peak = 111 Mbit/s peak
    <BLANKLINE>
    Availability: downtime allowed (year 365.25 d, month = year/12, week 7 d)
      availability            per year         per month          per week
      99 %            87 h 39 min 36 s   7 h 18 min 18 s   1 h 40 min 48 s
      99.9 %           8 h 45 min 58 s       43 min 50 s        10 min 5 s
      99.99 %              52 min 36 s        4 min 23 s         1 min 0 s
      99.999 %              5 min 16 s              26 s               6 s
    <BLANKLINE>
    Powers of two
      2^8  =                   256     256 B
      2^10 =                 1,024     1 KiB  ~ 1 thousand (+2.4%)
      2^16 =                65,536    64 KiB
      2^20 =             1,048,576     1 MiB  ~ 1 million (+4.9%)
      2^30 =         1,073,741,824     1 GiB  ~ 1 billion (+7.4%)
      2^32 =         4,294,967,296     4 GiB
      2^40 =     1,099,511,627,776     1 TiB  ~ 1 trillion (+10.0%)
      2^50 = 1,125,899,906,842,624     1 PiB  ~ 1 quadrillion (+12.6%)
    """
    out.write("Latency numbers as published, fastest first\n")
    published = [x for x in reference_table() if x.source in ("dean2009", "norvig2001", "gist2012")]
    for x in published:
        out.write(
            f"  {format_duration(x.seconds):>9}  {x.operation:<40} {SOURCES[x.source].short}\n"
        )

    out.write("\nWhat has moved since (then -> later figure, speed-up)\n")
    for c in CHANGES:
        out.write(
            f"  {c.then.operation:<36} {format_duration(c.then.seconds):>8} -> "
            f"{format_duration(c.now.seconds):>8}  x{c.speedup:<5.2g} "
            f"{SOURCES[c.now.source].short}\n"
            f"      {c.verdict}\n"
        )

    out.write(f"\nMeasured on this machine: {machine_summary()}\n")
    lookup = {(x.operation, x.source): x for x in REFERENCE}
    for m in measure_machine(directory):
        ref = lookup[m.compare] if m.compare else None
        published_as = "published: no counterpart"
        if ref:
            source = SOURCES[ref.source].short
            published_as = f"published: {format_duration(ref.seconds)} ({ref.operation}, {source})"
        out.write(f"  {format_duration(m.seconds):>9}  {m.name}\n")
        out.write(f"             how: {m.method}\n")
        out.write(f"             {published_as}\n")
        if m.note:
            out.write(f"             note: {m.note}\n")

    out.write("\nBack of the envelope\n")
    out.write(url_shortener().report("URL shortener"))
    out.write(chat_service().report("Chat service", system="iec"))

    out.write("\nAvailability: downtime allowed (year 365.25 d, month = year/12, week 7 d)\n")
    out.write(f"  {'availability':<14}{'per year':>18}{'per month':>18}{'per week':>18}\n")
    for n in (2, 3, 4, 5):
        d = downtime(nines(n))
        percent = f"{d.availability * 100:.{n - 2}f} %"
        out.write(
            f"  {percent:<14}{format_duration(d.per_year):>18}"
            f"{format_duration(d.per_month):>18}{format_duration(d.per_week):>18}\n"
        )

    out.write("\nPowers of two\n")
    for p in powers_of_two():
        approx = f"~ 1 {p.si_name} (+{p.si_excess:.1%})" if p.si_name else ""
        out.write(f"  2^{p.exponent:<3}= {p.value:>21,}  {p.iec:>8}  {approx}".rstrip() + "\n")
