"""Scenario tests: the textbook situations, each with the safety checker running."""

from __future__ import annotations

import re

import pytest

from studybook.distributed.consensus_raft import (
    AppendEntries,
    Config,
    Entry,
    RaftCluster,
    RaftLog,
    RaftNode,
    SafetyViolation,
    election_times,
)
from studybook.distributed.simulator import Simulator


def test_initial_election() -> None:
    for seed in range(20):
        cluster = RaftCluster(5, seed)
        leader = cluster.run_until_leader(1000)
        assert leader is not None
        terms = cluster.safety.leaders
        # The checker saw exactly one leader per term, and the last term's is the one running.
        assert terms
        assert terms[max(terms)] == leader
        assert cluster.node(leader).current_term == max(terms)
        assert [cluster.node(n).role for n in cluster.ids].count("leader") == 1


def test_reelection_after_leader_loss_keeps_committed_entries() -> None:
    cluster = RaftCluster(3, seed=2)
    old = cluster.run_until_leader()
    assert old is not None
    index = cluster.submit("x=1")
    assert index is not None
    assert cluster.run_until_committed(index)
    old_term = cluster.node(old).current_term
    cluster.sim.crash(old)
    new = cluster.run_until_leader()
    assert new is not None
    assert new != old
    assert cluster.node(new).current_term > old_term
    assert cluster.safety.leaders[cluster.node(new).current_term] == new
    assert "x=1" in [e.command for e in cluster.node(new).log]


def test_agreement_with_a_follower_down_and_its_catch_up() -> None:
    cluster = RaftCluster(3, seed=5)
    leader = cluster.run_until_leader()
    assert leader is not None
    follower = next(n for n in cluster.ids if n != leader)
    cluster.sim.crash(follower)
    indexes = [cluster.submit(f"c{i}") for i in range(5)]
    last = indexes[-1]
    assert last is not None
    assert cluster.run_until_committed(last)
    cluster.sim.restart(follower)
    assert cluster.run_until(lambda: cluster.node(follower).last_applied >= last)
    assert cluster.applied(follower) == cluster.applied(leader)[: len(cluster.applied(follower))]


def test_minority_partition_cannot_elect_or_commit() -> None:
    cluster = RaftCluster(5, seed=8)
    leader = cluster.run_until_leader()
    assert leader is not None
    minority = {n for n in cluster.ids if n != leader}
    minority = set(sorted(minority)[:2])
    cluster.sim.partition(minority)
    cluster.run(cluster.sim.now + 2000)
    assert all(cluster.node(n).role != "leader" for n in minority)
    index = cluster.submit("still works")
    assert index is not None
    assert cluster.run_until_committed(index)


def test_isolated_leader_writes_never_commit_and_are_replaced() -> None:
    cluster = RaftCluster(5, seed=11)
    old = cluster.run_until_leader()
    assert old is not None
    cluster.run(cluster.sim.now + 200)
    cluster.sim.partition({old})
    stale = cluster.node(old).propose(cluster.sim, "lost write")
    assert stale is not None
    new = cluster.run_until(
        lambda: any(cluster.node(n).role == "leader" for n in cluster.ids if n != old)
    )
    assert new
    majority_leader = next(n for n in cluster.ids if n != old and cluster.node(n).role == "leader")
    index = cluster.submit("kept write", to=majority_leader)
    assert index is not None
    assert cluster.run_until_committed(index)
    assert cluster.node(old).commit_index < stale  # the old leader could not commit it
    cluster.sim.heal()
    assert cluster.run_until(
        lambda: cluster.node(old).role == "follower" and cluster.node(old).last_applied >= index
    )
    commands = [e.command for e in cluster.node(old).log]
    assert "lost write" not in commands
    assert "kept write" in commands


def test_membership_add_then_remove() -> None:
    cluster = RaftCluster(3, seed=3)
    leader = cluster.run_until_leader()
    assert leader is not None
    node = cluster.node(leader)
    assert cluster.run_until(lambda: node.commit_index >= 1)
    cluster.add_server("n3")
    added = node.change_membership(cluster.sim, ("n0", "n1", "n2", "n3"))
    assert added is not None
    assert node.change_membership(cluster.sim, ("n0", "n1", "n2")) is None  # one at a time
    assert cluster.run_until(lambda: cluster.node("n3").commit_index >= added)
    assert cluster.node("n3").servers == ("n0", "n1", "n2", "n3")
    gone = next(n for n in ("n0", "n1", "n2") if n != leader)
    index = node.change_membership(cluster.sim, tuple(s for s in node.servers if s != gone))
    assert index is not None
    assert cluster.run_until(lambda: node.commit_index >= index)
    cluster.sim.crash(gone)
    later = cluster.submit("after")
    assert later is not None
    assert cluster.run_until_committed(later)
    with pytest.raises(ValueError, match="exactly one server"):
        node.change_membership(cluster.sim, ("n0",))


def test_leader_that_removes_itself_steps_down() -> None:
    cluster = RaftCluster(3, seed=6)
    leader = cluster.run_until_leader()
    assert leader is not None
    node = cluster.node(leader)
    assert cluster.run_until(lambda: node.commit_index >= 1)
    index = node.change_membership(cluster.sim, tuple(s for s in cluster.ids if s != leader))
    assert index is not None
    assert cluster.run_until(lambda: node.role == "follower")
    new = cluster.run_until(
        lambda: any(cluster.node(n).role == "leader" for n in cluster.ids if n != leader)
    )
    assert new


def test_restart_reloads_term_vote_and_log() -> None:
    cluster = RaftCluster(3, seed=1)
    leader = cluster.run_until_leader()
    assert leader is not None
    index = cluster.submit("x")
    assert index is not None
    assert cluster.run_until_committed(index)
    node = cluster.node(leader)
    term, log = node.current_term, list(node.log)
    cluster.sim.crash(leader)
    assert node.current_term == 0
    assert len(node.log) == 0
    cluster.sim.restart(leader)
    assert node.current_term >= term
    assert list(node.log)[: len(log)] == log


def test_checker_catches_two_leaders_in_one_term() -> None:
    cluster = RaftCluster(3, seed=0)
    leader = cluster.run_until_leader()
    assert leader is not None
    other = cluster.node(next(n for n in cluster.ids if n != leader))
    other.current_term = cluster.node(leader).current_term
    other.role = "leader"
    other.version += 1
    with pytest.raises(SafetyViolation, match="election safety"):
        cluster.safety.check(cluster.sim)


def test_log_merge_truncates_only_on_conflict() -> None:
    log = RaftLog([Entry(1, "a"), Entry(1, "b"), Entry(1, "c")])
    assert log.merge(0, [Entry(1, "a")]) == 1  # a stale, shorter request
    assert log.last_index == 3
    assert log.merge(1, [Entry(2, "x")]) == 2
    assert [e.command for e in log] == ["a", "x"]


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (
            lambda: RaftNode("a", ("b",)),
            ValueError,
            "node 'a' is not in its own configuration ('b',)",
        ),
        (
            lambda: RaftNode("a", ("a",), election_timeout=(float("nan"), 2)),
            ValueError,
            "election_timeout must be positive and finite, got nan",
        ),
        (
            lambda: RaftNode("a", ("a",), election_timeout=(300, 150)),
            ValueError,
            "election_timeout must have low <= high, got (300, 150)",
        ),
        (
            lambda: RaftNode("a", ("a",), heartbeat=True),
            TypeError,
            "heartbeat must be a number, got bool: True",
        ),
        (
            lambda: RaftNode("a", ("a",), heartbeat=float("inf")),
            ValueError,
            "heartbeat must be positive and finite, got inf",
        ),
        (
            lambda: RaftNode("a", ("a",), max_batch=0),
            ValueError,
            "max_batch must be an int >= 1, got 0",
        ),
        (
            lambda: RaftNode("a", ("a",), election_timeout=[1, 2]),  # type: ignore[arg-type]
            TypeError,
            "election_timeout must be a (low, high) tuple, got [1, 2]",
        ),
        # tuple("abc") would silently make three one-letter servers.
        (
            lambda: RaftNode("a", "abc"),  # type: ignore[arg-type]
            TypeError,
            "servers must be a tuple or list of str, got 'abc'",
        ),
        (lambda: Config(()), ValueError, "a configuration needs at least one server, got ()"),
        (
            lambda: Config("ab"),  # type: ignore[arg-type]
            TypeError,
            "servers must be a collection of str, got 'ab'",
        ),
        (
            lambda: RaftLog([Entry(0, "a")]),
            ValueError,
            "an entry's term must be an int >= 1, got 0",
        ),
        (lambda: RaftLog(["a"]), TypeError, "expected an Entry, got 'a'"),  # type: ignore[list-item]
        (lambda: RaftCluster(True), ValueError, "n must be an int >= 1, got True"),
        (
            lambda: RaftCluster(3, seed=1.5),  # type: ignore[arg-type]
            TypeError,
            "seed must be an int, got float: 1.5",
        ),
        (
            lambda: election_times((150, 300), 1, cap=float("nan")),
            ValueError,
            "cap must be positive and finite, got nan",
        ),
        (
            lambda: election_times((1, 2), 1),
            ValueError,
            "no stable leader in trial 0 with election_timeout (1, 2) and delay (2.0, 8.0):"
            " the timeouts must be well above the round trip",
        ),
    ],
)
def test_bad_input(make: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        make()  # type: ignore[operator]


def test_a_one_server_cluster_commits_on_its_own() -> None:
    # With no followers there is no AppendReply to trigger the commit rule; the
    # leader must count itself when it appends, or no command ever commits.
    cluster = RaftCluster(1, seed=0)
    assert cluster.run_until_leader() == "n0"
    assert cluster.submit("x=1") == 2
    assert cluster.run_until_committed(2, timeout=1)
    assert cluster.applied("n0") == [None, "x=1"]


def test_shrinking_to_one_server_commits_without_the_removed_one() -> None:
    cluster = RaftCluster(2, seed=0)
    leader = cluster.run_until_leader()
    assert leader is not None
    cluster.run(cluster.sim.now + 100)  # the no-op commits on both
    other = next(n for n in cluster.ids if n != leader)
    index = cluster.node(leader).change_membership(cluster.sim, (leader,))
    assert index == 2
    cluster.sim.crash(other)  # the removal needs only the leader now
    assert cluster.submit("y") == 3
    assert cluster.run_until_committed(3, timeout=1)
    assert cluster.applied(leader) == [None, Config((leader,)), "y"]
    with pytest.raises(TypeError, match=r"^servers must be a tuple or list of str, got 'n0'$"):
        cluster.node(leader).change_membership(cluster.sim, "n0")  # type: ignore[arg-type]


def test_propose_rejects_a_config_and_followers_refuse() -> None:
    cluster = RaftCluster(3, seed=0)
    leader = cluster.run_until_leader()
    assert leader is not None
    follower = next(n for n in cluster.ids if n != leader)
    assert cluster.node(follower).propose(cluster.sim, "x") is None
    with pytest.raises(TypeError, match="change_membership"):
        cluster.node(leader).propose(cluster.sim, Config(("n0",)))


def test_follower_commits_only_up_to_the_last_entry_the_request_vouched_for() -> None:
    # Figure 2, AppendEntries rule 5: commitIndex = min(leaderCommit, index of last new entry).
    # The follower holds (4, "stale") at index 3 from a term-4 leader that failed; the
    # term-5 leader has (5, "c") committed there and, with nextIndex 2, sends only index 2.
    sim = Simulator(seed=0)
    for name in ("n0", "n1", "n2"):
        sim.add(RaftNode(name, ("n0", "n1", "n2")))
    node = sim.node("n0")
    assert isinstance(node, RaftNode)
    node.current_term = 5
    node.log = RaftLog([Entry(1, "a"), Entry(3, "b"), Entry(4, "stale")])
    request = AppendEntries(5, "n1", 1, 1, (Entry(3, "b"),), leader_commit=3)
    node.on_message(sim, "n1", request)
    assert node.commit_index == 2
    assert [e.command for e in node.applied] == ["a", "b"]
    assert list(node.log)[2] == Entry(4, "stale")  # nothing conflicted: nothing truncated


def test_new_leader_changes_membership_only_after_committing_its_own_term() -> None:
    # The 2015 fix (raft-dev): no configuration entry before an entry of the current term
    # commits. Without the no-op, the new leader has to wait for a client command.
    cluster = RaftCluster(3, seed=3, node_factory=lambda i, s: RaftNode(i, s, noop=False))
    first = cluster.run_until_leader()
    assert first is not None
    index = cluster.submit("x")
    assert index is not None
    assert cluster.run_until(
        lambda: all(cluster.node(n).commit_index >= index for n in cluster.ids)
    )
    cluster.sim.crash(first)
    assert cluster.run_until(lambda: cluster.leader() not in (None, first))
    leader = cluster.leader()
    assert leader is not None
    node = cluster.node(leader)
    assert node.commit_index >= 1
    assert node.log.term_at(node.commit_index) < node.current_term
    others = tuple(n for n in cluster.ids if n != first)
    assert node.change_membership(cluster.sim, others) is None
    own = cluster.submit("y")
    assert own is not None
    assert cluster.run_until(lambda: node.commit_index >= own)
    assert node.change_membership(cluster.sim, others) is not None


@pytest.mark.parametrize(
    ("entries", "error"),
    [
        ([Entry(2, "x"), Entry(1, "z")], ValueError),  # terms would decrease
        ([Entry(2, "x"), Entry(0, "z")], ValueError),
        ([Entry(2, "x"), "junk"], TypeError),
    ],
)
def test_a_rejected_merge_changes_nothing(entries: list[object], error: type[Exception]) -> None:
    log = RaftLog([Entry(2, "x"), Entry(2, "y")])
    with pytest.raises(error):
        log.merge(0, entries)  # type: ignore[arg-type]
    assert list(log) == [Entry(2, "x"), Entry(2, "y")]
