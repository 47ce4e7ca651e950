"""The book's table of contents: its parts and the chapters written so far.

This registry is the one place that says which chapters exist and in what
order. The Sphinx extension builds the sidebar and the hub page's cards from
it, the CLI lists and runs chapters from it, and a test checks that every
registered chapter has its page, module and tests (and that no page is left
out). Adding a chapter means adding its page, its module and one line here.

>>> chapter("lsm-tree").module
'studybook.dsa.lsm_tree'
>>> [p.id for p in PARTS][:3]
['dsa', 'fundamentals', 'distributed']
>>> chapter("lsm_tree")
Traceback (most recent call last):
    ...
KeyError: "no chapter 'lsm_tree'; did you mean 'lsm-tree'?"
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

__all__ = ["CHAPTERS", "PARTS", "Chapter", "Part", "chapter", "chapters_in"]


@dataclass(frozen=True)
class Part:
    """One part of the book: a folder in ``docs/`` and a subpackage of ``studybook``."""

    id: str
    title: str
    blurb: str


@dataclass(frozen=True)
class Chapter:
    """One chapter: a page ``docs/<part>/<id>.md`` and, if it has code, a module.

    The module is ``studybook.<part>.<id with - replaced by _>``: a plain
    module or a subpackage split by layer.
    """

    id: str
    part: str
    title: str
    has_code: bool = True

    @property
    def module(self) -> str | None:
        """Dotted name of the chapter's module, or ``None`` for a prose-only chapter."""
        if not self.has_code:
            return None
        return f"studybook.{self.part}.{self.id.replace('-', '_')}"

    @property
    def docname(self) -> str:
        """Sphinx document name of the chapter's page (``part/id``)."""
        return f"{self.part}/{self.id}"


PARTS: tuple[Part, ...] = (
    Part("dsa", "Data Structures & Algorithms", "Core CS fundamentals with Python implementations"),
    Part(
        "fundamentals",
        "Performance & Fundamentals",
        "Core computer science concepts every engineer should know",
    ),
    Part(
        "distributed",
        "Distributed Systems",
        "Consensus, consistency, and distributed computing concepts",
    ),
    Part("design", "System Design", "Design patterns, heuristics, and interview strategies"),
    Part(
        "infra",
        "Infrastructure & Orchestration",
        "Container orchestration and cloud-native architectures",
    ),
    Part(
        "networking",
        "Networking Fundamentals",
        "CCNA-level concepts, routing protocols, and how the internet works",
    ),
    Part(
        "senior",
        "Senior/Distinguished Engineer Preparation",
        "Advanced patterns, architectures, and system design for senior-level interviews",
    ),
    Part("plans", "Study Plans", "Targeted programs, quick-start paths and study tips"),
)

# In the catalog's order within each part.
CHAPTERS: tuple[Chapter, ...] = (
    Chapter("lsm-tree", "dsa", "LSM Tree"),
    Chapter("big-o", "dsa", "Big O Time Complexity"),
    Chapter("graph-algorithms", "dsa", "Graph Algorithms"),
    Chapter("data-structures", "dsa", "Data Structures Deep Dive"),
    Chapter("advanced-structures", "dsa", "Advanced & Probabilistic Data Structures"),
    Chapter("number-systems", "dsa", "Number Systems: Binary, Hex & ASCII"),
    Chapter("leetcode-patterns", "dsa", "LeetCode Patterns & Solutions"),
    Chapter("sorting-searching", "dsa", "Sorting & Searching"),
    Chapter("dynamic-programming", "dsa", "Recursion, Backtracking & Dynamic Programming"),
    Chapter("latency-numbers", "fundamentals", "Latency Numbers & Back-of-the-Envelope Estimation"),
    Chapter("memory-hierarchy", "fundamentals", "Memory Hierarchy & Caches"),
    Chapter("concurrency", "fundamentals", "Concurrency & Parallelism"),
    Chapter("operating-systems", "fundamentals", "Operating Systems Essentials"),
    Chapter("performance-engineering", "fundamentals", "Performance Engineering & Queueing"),
    Chapter("cap-consistency", "distributed", "CAP, PACELC & Consistency Models"),
    Chapter("consensus-raft", "distributed", "Consensus: Raft & Paxos"),
    Chapter("replication-partitioning", "distributed", "Replication & Partitioning"),
    Chapter("failure-detection-gossip", "distributed", "Failure Detection, Gossip & Membership"),
    Chapter("coordination-locking", "distributed", "Coordination, Leases & Distributed Locks"),
    Chapter("when-to-use-what", "design", "When to Use What - Decision Guide", has_code=False),
    Chapter("heuristics", "design", "System Design Heuristics", has_code=False),
    Chapter("system-design-interviews", "design", "System Design Interviews", has_code=False),
    Chapter("design-solutions-1", "design", "System Design - Python Solutions Part 1"),
    Chapter("design-solutions-2", "design", "System Design - Python Solutions Part 2"),
    Chapter("tcp-protocol", "design", "TCP Protocol"),
    Chapter("containers", "infra", "Containers: Namespaces, cgroups & Images"),
    Chapter("kubernetes", "infra", "Kubernetes Architecture"),
    Chapter("cluster-scheduling", "infra", "Cluster Scheduling & Bin Packing"),
    Chapter("load-balancing", "infra", "Load Balancing & Service Mesh"),
    Chapter("linux-runtime", "infra", "Linux Runtime: Scheduling, Memory & Isolation"),
    Chapter("network-models", "networking", "OSI & TCP/IP Models"),
    Chapter("ip-subnetting", "networking", "IP Addressing & Subnetting"),
    Chapter("switching", "networking", "Switching, ARP & VLANs"),
    Chapter("routing", "networking", "Routing Protocols"),
    Chapter("dns", "networking", "DNS"),
    Chapter("http-tls", "networking", "HTTP & TLS"),
    Chapter("gof-patterns", "senior", "Gang of Four Design Patterns"),
    Chapter("architectural-patterns", "senior", "Architectural Patterns"),
    Chapter(
        "distributed-systems-comparison", "senior", "Distributed Systems Comparison", has_code=False
    ),
    Chapter("classic-problems", "senior", "Classic Distributed Systems Problems"),
    Chapter("rate-limiting", "senior", "Rate Limiting Strategies"),
    Chapter("database-design", "senior", "Database Design & Optimization"),
    Chapter("datastore-comparison", "senior", "Datastore Comparison: Redis, RocksDB & More"),
    Chapter("sql-deep-dive", "senior", "SQL Deep Dive"),
    Chapter("api-design", "senior", "API Design Patterns"),
    Chapter("security-auth", "senior", "Security & Authentication"),
    Chapter("caching", "senior", "Caching Strategies"),
    Chapter("observability", "senior", "Monitoring & Observability"),
    Chapter("state-machines-actors", "senior", "State Machines & Actors"),
    Chapter("messaging-systems", "senior", "Messaging Systems & Event Streaming"),
    Chapter("streaming-systems", "senior", "Streaming Systems Deep Dive"),
    Chapter("aws-architecture", "senior", "AWS Architecture Guide"),
    Chapter("database-internals", "senior", "Database Internals Deep Dive"),
    Chapter("cicd-deployment", "senior", "CI/CD & Deployment Strategies"),
    Chapter("build-redis", "senior", "Build Redis & a Message Queue"),
    Chapter("advanced-distributed", "senior", "Advanced Distributed Systems"),
    Chapter(
        "netflix-compute-runtime",
        "plans",
        "Netflix Compute Runtime - Targeted Study Plan",
        has_code=False,
    ),
    Chapter("quick-start", "plans", "Quick Start Guide", has_code=False),
    Chapter("study-tips", "plans", "Study Tips", has_code=False),
)


def chapter(chapter_id: str) -> Chapter:
    """Return the registered chapter with this id.

    Args:
        chapter_id: the chapter's id, as in its page's file name (``lsm-tree``).

    Returns:
        The chapter.

    Raises:
        KeyError: no such chapter; the message suggests the closest ids.

    Complexity: O(c) for c chapters.
    """
    for ch in CHAPTERS:
        if ch.id == chapter_id:
            return ch
    close = difflib.get_close_matches(chapter_id, [c.id for c in CHAPTERS], n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise KeyError(f"no chapter {chapter_id!r}{hint}")


def chapters_in(part_id: str) -> list[Chapter]:
    """Return the chapters of one part, in book order (empty for an unwritten part).

    >>> [c.id for c in chapters_in("dsa")][:1]
    ['lsm-tree']
    >>> chapters_in("nope")
    Traceback (most recent call last):
        ...
    KeyError: "no part 'nope'"

    Complexity: O(c) for c chapters.
    """
    if part_id not in {p.id for p in PARTS}:
        raise KeyError(f"no part {part_id!r}")
    return [c for c in CHAPTERS if c.part == part_id]
