"""The 2015 single-server membership-change bug, scripted (Ongaro, raft-dev).

Counter-example 1 of Ongaro's post "bug in single-server membership changes"
(groups.google.com/g/raft-dev/c/t4xj6dJTP6E): servers ``n0``...``n4`` play
S1...S5, and the cluster starts as C = {S1, S2, S3, S4}.

1. S1 leads term 1, adds S5 (D = {S1..S5}), sends D to S5 only, goes offline.
2. S2 is elected in term 2 by S2, S3, S4 (configuration C) and removes S1
   (E = {S2, S3, S4}); E reaches S3, a majority of E, and commits.
3. S1 comes back and wins term 3 with S1, S4, S5: a majority of D, which
   does not overlap E's majority {S2, S3}. S1 lacks the committed E.

D and E each overlap C, but not each other. The fix (a leader appends a
configuration only after committing an entry of its own term) stops step 2:
S2 must first commit a term-2 entry on a majority of C, and that majority
then refuses to vote for S1. Elections are forced as in ``test_figure_8``;
``noop=False`` as in the post, where no leader appends a no-op.
"""

from __future__ import annotations

import pytest

from studybook.distributed.consensus_raft import (
    Config,
    Entry,
    RaftCluster,
    RaftNode,
    SafetyViolation,
)

from .test_figure_8 import _elect

C = ("n0", "n1", "n2", "n3")
D = ("n0", "n1", "n2", "n3", "n4")
E = ("n1", "n2", "n3")


def _scripted(node_id: str, servers: tuple[str, ...]) -> RaftNode:
    return RaftNode(node_id, servers, election_timeout=(1000, 2000), heartbeat=50, noop=False)


class SkipsTheFix(RaftNode):
    """The thesis's algorithm before the 2015 fix: changes without a commit of its own term."""

    def __init__(self, node_id: str, servers: tuple[str, ...]) -> None:
        super().__init__(node_id, servers, election_timeout=(1000, 2000), heartbeat=50, noop=False)

    def _committed_own_term(self) -> bool:
        return True


def _membership_bug(cluster: RaftCluster) -> int | None:
    """Play steps 1 and 2; return the index of E, or ``None`` if S2 refused to append it."""
    sim = cluster.sim
    cluster.run(0)
    # Step 1: S1 leads term 1, commits "x" on C, then adds S5 and sends D to S5 only.
    _elect(cluster, "n0", (), term=1)
    cluster.submit("x", to="n0")
    assert cluster.run_until(lambda: all(cluster.node(n).commit_index == 1 for n in C))
    cluster.add_server("n4")
    sim.partition({"n0", "n4"})
    assert cluster.node("n0").change_membership(sim, D) == 2
    assert cluster.run_until(lambda: cluster.node("n4").log.last_index == 2, 100)
    sim.crash("n0")
    # Step 2: S2 is elected in term 2 by S3 and S4 (C, majority 3) and tries to remove S1.
    sim.partition({"n1", "n2", "n3"})
    _elect(cluster, "n1", ("n2", "n3"), term=2)
    s2 = cluster.node("n1")
    index = s2.change_membership(sim, E)
    if index is None:
        # The fix: commit a term-2 entry on a majority of C first (S2, S3, S4).
        cluster.submit("y", to="n1")
        assert cluster.run_until(lambda: s2.commit_index == 2, 100)
        index = s2.change_membership(sim, E)
        assert index == 3
        return None
    sim.partition({"n1", "n2"})  # E reaches S3 only: S2 and S3 are a majority of E
    assert cluster.run_until(lambda: s2.commit_index == index, 100)
    return index


def _s1_comes_back(cluster: RaftCluster) -> bool:
    """Step 3: S1 restarts beside S4 and S5 and campaigns (three tries); does it lead?"""
    sim, s1 = cluster.sim, cluster.node("n0")
    sim.restart("n0")
    sim.partition({"n0", "n3", "n4"})
    for voter in ("n3", "n4"):
        sim.crash(voter)
        sim.restart(voter)
    for _ in range(3):
        sim.set_timer("n0", "election", 0)
        if cluster.run_until(lambda: s1.role == "leader", 50):
            break
    return s1.role == "leader"


def test_with_the_fix_s1_cannot_win_against_the_committed_change() -> None:
    cluster = RaftCluster(4, seed=0, node_factory=_scripted)
    assert _membership_bug(cluster) is None  # S2 refused E until "y" (term 2) committed
    committed_on = [n for n in C if cluster.node(n).log.last_index >= 2]
    assert len(committed_on) >= 3  # a majority of C holds a term-2 entry...
    assert cluster.node("n1").log[3] == Entry(2, Config(E))
    assert not _s1_comes_back(cluster)  # ...so S1 (last term 1) gets S5's vote at most
    assert cluster.node("n3").voted_for != "n0"
    assert cluster.safety.committed[2][0] == Entry(2, "y")


def test_without_the_fix_s1_leads_without_a_committed_entry() -> None:
    cluster = RaftCluster(4, seed=0, node_factory=SkipsTheFix)
    assert _membership_bug(cluster) == 2
    assert cluster.safety.committed[2][0] == Entry(2, Config(E))
    assert cluster.sim.disk("n0")["log"] == (Entry(1, "x"), Entry(1, Config(D)))  # S1 is down
    with pytest.raises(SafetyViolation, match="leader completeness") as caught:
        _s1_comes_back(cluster)
    assert str(caught.value) == (
        "leader completeness violated: leader n0 of term 3 lacks "
        "Entry(term=2, command=Config(servers=('n1', 'n2', 'n3'))) at index 2, committed by term 2"
    )
    assert cluster.node("n0").role == "leader"
    assert cluster.safety.leaders[2] == "n1"


def test_without_the_fix_the_committed_change_is_overwritten() -> None:
    """Without the leader-completeness check, S1 commits D over E at index 2."""
    cluster = RaftCluster(4, seed=0, node_factory=SkipsTheFix)
    cluster.safety._check_leader_completeness = lambda node, indexes: None  # type: ignore[method-assign]
    assert _membership_bug(cluster) == 2
    assert _s1_comes_back(cluster)
    cluster.sim.heal()
    cluster.submit("z", to="n0")
    with pytest.raises(SafetyViolation, match="state machine safety") as caught:
        cluster.run(cluster.sim.now + 500)
    assert "committed Entry(term=1, command=Config(servers=('n0', 'n1', 'n2', 'n3', 'n4'))) " in (
        str(caught.value)
    )
    assert cluster.safety.committed[2][0] == Entry(2, Config(E))  # the first commit stands
