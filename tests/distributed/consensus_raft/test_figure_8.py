"""Figure 8 of the Raft paper, scripted: why a leader never commits old terms by counting.

Servers ``n0``...``n4`` play the paper's S1...S5. Elections are forced
through the harness rather than left to random timeouts, so the run is the
paper's sequence and nothing else:

* every server's election timeout is 1000-2000 ms and each phase below lasts
  far less, so no server ever times out on its own;
* an election is started by firing the candidate's election timer now
  (``sim.set_timer(candidate, "election", 0)``), again if it loses to a
  stale vote, until it leads;
* its voters are crashed and restarted just before (their term, vote and log
  are durable; what a reboot loses is the memory of a recent leader, which
  would otherwise make them ignore the candidate: thesis section 4.2.3);
* partitions decide who may vote and who receives the entries;
* ``noop=False``: the paper's figure has no no-op entries.
"""

from __future__ import annotations

import pytest

from studybook.distributed.consensus_raft import Entry, RaftCluster, RaftNode, SafetyViolation

TERM_2 = Entry(2, "term-2 entry")
TERM_3 = Entry(3, "term-3 entry")


def _scripted(node_id: str, servers: tuple[str, ...]) -> RaftNode:
    return RaftNode(node_id, servers, election_timeout=(1000, 2000), heartbeat=50, noop=False)


class CountsOldTerms(RaftNode):
    """Commits any entry stored on a majority, whatever its term: the rule Figure 8 forbids."""

    def __init__(self, node_id: str, servers: tuple[str, ...]) -> None:
        super().__init__(node_id, servers, election_timeout=(1000, 2000), heartbeat=50, noop=False)

    def _commit_by_counting(self, index: int) -> bool:
        return True


def _elect(cluster: RaftCluster, candidate: str, voters: tuple[str, ...], term: int) -> None:
    for voter in voters:
        cluster.sim.crash(voter)
        cluster.sim.restart(voter)
    node = cluster.node(candidate)
    for _ in range(3):
        cluster.sim.set_timer(candidate, "election", 0)
        if cluster.run_until(lambda: node.role == "leader", 50):
            break
    assert node.role == "leader"
    assert node.current_term == term


def _terms(cluster: RaftCluster, node_id: str) -> list[int]:
    return [e.term for e in cluster.node(node_id).log]


def _up(cluster: RaftCluster) -> list[str]:
    return [n for n in cluster.ids if cluster.sim.is_up(n)]


def _figure_8(cluster: RaftCluster, *, counts_old_terms: bool = False) -> None:
    """Run panels (a)-(d) of Figure 8; stop with S1 (n0) down and S5 (n4) leading term 5."""
    sim, s1, s5 = cluster.sim, cluster.node("n0"), cluster.node("n4")
    cluster.run(0)  # start every server
    # Term 1: S1 leads and index 1 reaches everyone.
    _elect(cluster, "n0", (), term=1)
    cluster.submit("x", to="n0")
    assert cluster.run_until(lambda: all(cluster.node(n).commit_index == 1 for n in cluster.ids))
    # (a) S1 leads term 2 and replicates index 2 to S2 only.
    sim.crash("n0")
    sim.restart("n0")
    _elect(cluster, "n0", ("n1", "n2", "n3", "n4"), term=2)
    sim.partition({"n0", "n1"})
    assert cluster.submit(TERM_2.command, to="n0") == 2
    assert cluster.run_until(lambda: cluster.node("n1").log.last_index == 2, 100)
    assert [_terms(cluster, n) for n in cluster.ids] == [[1, 2], [1, 2], [1], [1], [1]]
    # (b) S1 crashes; S5 is elected in term 3 by S3, S4 and itself, appends at index 2, crashes.
    sim.crash("n0")
    _elect(cluster, "n4", ("n2", "n3"), term=3)
    sim.partition({"n4"})
    assert cluster.submit(TERM_3.command, to="n4") == 2
    cluster.run(sim.now + 20)
    sim.crash("n4")
    assert s5.log.last_index == 0  # a crash empties memory...
    assert sim.disk("n4")["log"] == (Entry(1, "x"), TERM_3)  # ...not the disk
    # (c) S1 restarts, wins term 4 (term 3 is lost to S3's vote for S5), and
    # replicates its term-2 entry to S3: now on a majority (S1, S2, S3).
    sim.restart("n0")
    sim.partition({"n0", "n1", "n2"})
    _elect(cluster, "n0", ("n1", "n2"), term=4)
    assert cluster.run_until(lambda: _terms(cluster, "n2") == [1, 2], 100)
    cluster.run(sim.now + 200)  # four more heartbeats: time enough to commit, if it would
    if counts_old_terms:
        assert s1.commit_index == 2  # committed by counting: S1 applies the term-2 entry
        assert s1.applied[-1] == TERM_2
    else:
        # The real rule: no entry of term 4 exists, so nothing is committed by counting
        # (S1's commit index is volatile and restarted at 0); index 2 stays uncommitted.
        assert s1.commit_index == 0
        assert all(cluster.node(n).commit_index < 2 for n in _up(cluster))
    # (d) S1 crashes before committing a term-4 entry; S5 is elected with
    # S2, S3 and S4 (its last term, 3, beats their 2) and overwrites index 2.
    sim.crash("n0")
    sim.heal()
    sim.restart("n4")
    _elect(cluster, "n4", ("n1", "n2", "n3"), term=5)


def test_figure_8_entry_from_an_old_term_is_not_committed_by_counting() -> None:
    cluster = RaftCluster(5, seed=0, node_factory=_scripted)
    _figure_8(cluster)
    index = cluster.submit("y", to="n4")
    assert index == 3
    assert cluster.run_until_committed(index)
    assert cluster.run_until(lambda: all(cluster.node(n).commit_index == 3 for n in _up(cluster)))
    # The term-2 entry, once on a majority, is gone everywhere; no server applied it.
    for node_id in _up(cluster):
        assert cluster.node(node_id).log[2] == TERM_3
        assert TERM_2 not in cluster.node(node_id).applied
    assert cluster.safety.committed[2][0] == TERM_3
    assert set(cluster.safety.leaders.items()) == {
        (1, "n0"),
        (2, "n0"),
        (3, "n4"),
        (4, "n0"),
        (5, "n4"),
    }


def test_figure_8_counting_old_terms_breaks_state_machine_safety() -> None:
    cluster = RaftCluster(5, seed=0, node_factory=CountsOldTerms)
    # Panel (c) commits the term-2 entry; in panel (d) S5, elected without it, leads term 5.
    with pytest.raises(SafetyViolation, match="leader completeness") as caught:
        _figure_8(cluster, counts_old_terms=True)
    assert "lacks Entry(term=2, command='term-2 entry') at index 2" in str(caught.value)
    assert cluster.safety.committed[2][0] == TERM_2
    assert cluster.node("n4").role == "leader"
    assert cluster.node("n4").current_term == 5


def test_figure_8_counting_old_terms_then_overwrites_applied_entries() -> None:
    """Without the leader-completeness check, the overwrite reaches the state machines."""
    cluster = RaftCluster(5, seed=0, node_factory=CountsOldTerms)
    cluster.safety._check_leader_completeness = lambda node, indexes: None  # type: ignore[method-assign]
    _figure_8(cluster, counts_old_terms=True)
    with pytest.raises(SafetyViolation, match="state machine safety"):
        cluster.run(cluster.sim.now + 500)  # S5 replicates and commits its term-3 entry at index 2
