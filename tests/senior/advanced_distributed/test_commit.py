"""Two-phase commit: every crash point, blocking, termination, recovery; and a saga reused."""

from __future__ import annotations

import pytest

from studybook.senior.advanced_distributed import (
    CRASH_POINTS,
    Coordinator,
    Participant,
)
from studybook.senior.architectural_patterns.saga import SagaStep, run_saga


def cluster(*votes: bool) -> list[Participant]:
    members = [Participant(f"p{i}", vote_yes=v) for i, v in enumerate(votes)]
    for p in members:
        p.write(f"k{p.name}", p.name.upper())
    return members


def test_all_yes_commits_and_releases_every_lock() -> None:
    members = cluster(True, True, True)
    outcome = Coordinator(members).run()
    assert outcome.decision == "commit"
    assert not outcome.crashed
    assert set(outcome.states.values()) == {"committed"}
    assert outcome.in_doubt == ()
    assert outcome.locks == {}
    assert members[1].data == {"kp1": "P1"}
    assert len(outcome.messages) == 4 * len(members)
    assert [p.log for p in members] == [["prepared", "committed"]] * 3


def test_one_no_vote_aborts_everyone_and_skips_later_prepares() -> None:
    members = cluster(True, False, True)
    outcome = Coordinator(members).run()
    assert outcome.decision == "abort"
    assert set(outcome.states.values()) == {"aborted"}
    assert "coordinator -> p2: PREPARE" not in outcome.messages
    assert all(p.data == {} for p in members)
    assert outcome.locks == {}


def test_crash_between_phases_blocks_participants_with_locks_held() -> None:
    members = cluster(True, True, True)
    coordinator = Coordinator(members)
    outcome = coordinator.run(crash="after_votes")
    assert outcome.crashed
    assert outcome.decision is None
    assert outcome.in_doubt == ("p0", "p1", "p2")
    assert outcome.locks == {"p0": ("kp0",), "p1": ("kp1",), "p2": ("kp2",)}
    # asking each other does not help: every peer is in doubt too
    for _ in range(3):
        assert [p.terminate(members) for p in members] == ["prepared"] * 3
    with pytest.raises(ValueError, match="cannot write in state 'prepared'"):
        members[0].write("other", 1)  # the locked key stays unavailable to new work
    # only the coordinator's recovery ends the block; with no decision logged it aborts
    done = coordinator.recover()
    assert done.decision == "abort"
    assert set(done.states.values()) == {"aborted"}
    assert done.locks == {}
    assert done.in_doubt == ()


def test_crash_after_logging_commit_recovers_to_commit() -> None:
    members = cluster(True, True)
    coordinator = Coordinator(members)
    outcome = coordinator.run(crash="after_decision")
    assert outcome.decision == "commit"
    assert outcome.in_doubt == ("p0", "p1")
    assert [p.terminate(members) for p in members] == ["prepared", "prepared"]
    done = coordinator.recover()
    assert set(done.states.values()) == {"committed"}
    assert [p.data for p in members] == [{"kp0": "P0"}, {"kp1": "P1"}]


def test_a_peer_that_knows_the_outcome_unblocks_the_others() -> None:
    members = cluster(True, True, True)
    outcome = Coordinator(members).run(crash="after_first_commit")
    assert outcome.states["p0"] == "committed"
    assert outcome.in_doubt == ("p1", "p2")
    assert [p.terminate(members) for p in members[1:]] == ["committed", "committed"]


def test_a_peer_that_knows_but_is_unreachable_does_not_help() -> None:
    members = cluster(True, True, True)
    coordinator = Coordinator(members)
    # p0 committed; then p0 and the coordinator are both gone
    coordinator.run(crash="after_first_commit")
    reachable = members[1:]
    assert [p.terminate(reachable) for p in reachable] == ["prepared", "prepared"]
    assert [p.locks for p in reachable] == [("kp1",), ("kp2",)]
    done = coordinator.recover()
    assert set(done.states.values()) == {"committed"}  # commit was logged, so commit


def test_recover_before_run_is_refused() -> None:
    with pytest.raises(ValueError, match="never ran"):
        Coordinator(cluster(True)).recover()


def test_a_peer_that_never_voted_lets_the_in_doubt_ones_abort() -> None:
    members = cluster(True, True)
    members[0].prepare()  # the coordinator died after one PREPARE
    assert members[0].terminate(members) == "aborted"
    assert members[1].state == "aborted"  # it had not voted, so it may and does abort


@pytest.mark.parametrize("crash", CRASH_POINTS)
def test_every_crash_recovers_to_one_atomic_outcome(crash: str) -> None:
    members = cluster(True, True, True)
    coordinator = Coordinator(members)
    coordinator.run(crash=crash)  # type: ignore[arg-type]
    for p in members:  # some may decide through their peers first
        p.terminate(members)
    done = coordinator.recover()
    assert len(set(done.states.values())) == 1
    assert done.locks == {}
    recovered_again = coordinator.recover()  # idempotent
    assert recovered_again.states == done.states


def test_participant_transitions_are_guarded() -> None:
    p = Participant("db")
    with pytest.raises(ValueError, match="cannot commit in state 'working'"):
        p.commit()
    p.prepare()
    assert p.prepare() is True  # a repeated PREPARE gets the same vote
    p.commit()
    p.commit()  # idempotent
    with pytest.raises(ValueError, match="already committed"):
        p.abort()


def test_saga_compensates_in_reverse_with_the_architectural_patterns_orchestrator() -> None:
    calls: list[str] = []

    def step(name: str, fail: bool = False) -> SagaStep:
        def action() -> None:
            if fail:
                raise RuntimeError(f"{name} unavailable")
            calls.append(f"do {name}")

        return SagaStep(name, action, lambda: calls.append(f"undo {name}"))

    outcome = run_saga([step("flight"), step("hotel"), step("car"), step("pay", fail=True)])
    assert outcome.status == "compensated"
    assert calls == ["do flight", "do hotel", "do car", "undo car", "undo hotel", "undo flight"]
    assert outcome.compensated == ("car", "hotel", "flight")


@pytest.mark.parametrize(
    ("call", "error", "text"),
    [
        (lambda: Participant(""), ValueError, "got ''"),
        (lambda: Participant("p", vote_yes=1), TypeError, "got int: 1"),  # type: ignore[arg-type]
        (lambda: Participant("p").write(3, 1), TypeError, "got int: 3"),  # type: ignore[arg-type]
        (lambda: Participant("p").terminate([1]), TypeError, "got int: 1"),  # type: ignore[list-item]
        (lambda: Coordinator([]), ValueError, r"got \[\]"),
        (lambda: Coordinator([Participant("p"), Participant("p")]), ValueError, "'p', 'p'"),
        (lambda: Coordinator(["p"]), TypeError, "got str: 'p'"),  # type: ignore[list-item]
        (lambda: Coordinator([Participant("p")]).run(crash="never"), ValueError, "'never'"),  # type: ignore[arg-type]
    ],
)
def test_bad_input(call: object, error: type[Exception], text: str) -> None:
    with pytest.raises(error, match=text):
        call()  # type: ignore[operator]


def test_a_coordinator_runs_once() -> None:
    coordinator = Coordinator(cluster(True))
    coordinator.run()
    with pytest.raises(ValueError, match="already ran"):
        coordinator.run()
