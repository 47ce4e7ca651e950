"""Random fault schedules: Figure 3's five properties after every event, then liveness."""

from __future__ import annotations

import os

import pytest

from studybook.distributed.consensus_raft import RaftNode, RequestVote, random_schedule, run_paxos
from studybook.distributed.consensus_raft.paxos import Proposer
from studybook.distributed.simulator import run_schedules

#: Schedules per CI run; raise it for a longer hunt: RAFT_SCHEDULES=20000 pytest ...
SCHEDULES = int(os.environ.get("RAFT_SCHEDULES", "1000"))


def test_schedules_keep_figure_3_and_recover() -> None:
    assert SCHEDULES >= 1
    assert run_schedules(SCHEDULES, random_schedule) == SCHEDULES


def test_schedules_really_inject_faults() -> None:
    results = [random_schedule(seed) for seed in range(40)]
    assert sum(r.faults for r in results) >= 80
    assert sum(1 for r in results if r.terms >= 2) >= 10  # leaders were replaced
    assert all(r.committed >= 1 for r in results)


class NoElectionRestriction(RaftNode):
    """Votes for any candidate, however stale its log."""

    def _candidate_log_ok(self, msg: RequestVote) -> bool:
        return True


def test_breaking_the_election_restriction_is_caught() -> None:
    with pytest.raises(AssertionError, match=r"seed \d+ failed: SafetyViolation"):
        run_schedules(200, lambda seed: random_schedule(seed, node_factory=NoElectionRestriction))


class GreedyProposer(Proposer):
    """Ignores the values in the promises: the one rule that makes Paxos safe."""

    def _choose_value(self) -> object:
        return self.value


def test_paxos_chooses_at_most_one_value() -> None:
    assert run_schedules(300, run_paxos) == 300
    decided = [run_paxos(seed) for seed in range(30)]
    assert all(len(r.chosen) == 1 for r in decided)


def test_breaking_paxos_is_caught() -> None:
    with pytest.raises(AssertionError, match="two values chosen"):
        run_schedules(50, lambda seed: run_paxos(seed, proposer_class=GreedyProposer))
