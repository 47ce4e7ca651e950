"""Split brain: acknowledged writes lost without fencing, none lost with quorum and fencing."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.classic_problems import MODES, Cluster, run_split_brain

NAMES = "abcde"


def test_scripted_partition_in_each_mode():
    naive, quorum, fenced = (run_split_brain(mode) for mode in MODES)
    assert [w.value for w in naive.lost] == ["book", "lamp"]
    assert [w.value for w in quorum.lost] == ["lamp"]  # two majorities (cde, abd) both committed
    assert fenced.lost == ()
    assert fenced.cart == ("milk", "pen")
    assert (naive.backup_owner, quorum.backup_owner, fenced.backup_owner) == ("a", "a", "c")
    assert any("REFUSED by d (promised epoch 2); a steps down" in line for line in fenced.story)


def test_quorum_refuses_the_minority_side():
    c = Cluster(NAMES, mode="quorum")
    c.elect("a")
    c.partition("ab", "cde")
    assert c.add("a", "k", "x", time=1) is False
    assert c.elect("a") is None
    assert c.elect("c") == 2
    assert c.add("c", "k", "y", time=2) is True


def test_new_leader_adopts_writes_it_did_not_see():
    c = Cluster(NAMES, mode="quorum+fencing")
    c.elect("a")
    c.partition("abd", "ce")
    assert c.add("a", "cart", "milk", time=1)  # on a, b, d only
    c.partition("ab", "cde")
    c.elect("c")  # d voted and carries milk to c
    assert c.add("c", "cart", "pen", time=2)
    c.heal()
    assert c.value("cart") == ("milk", "pen")
    assert c.lost_writes() == []


# A random schedule of partitions, elections and additions, then a heal. Partitions
# always leave one majority side, and every "add" goes to a node that believes it
# leads: uniform draws over any split and any writer almost never produced the
# stale-leader pattern (measured: with the earlier generator and 150 examples the
# property held for the unfenced "quorum" mode in 6 runs of 6, so it could not fail).
MAJORITIES = ["".join(group) for group in itertools.combinations(NAMES, 3)]
STEP = st.one_of(
    st.tuples(st.just("partition"), st.sampled_from(MAJORITIES)),
    st.tuples(st.just("elect"), st.sampled_from(NAMES)),
    st.tuples(st.just("add"), st.integers(0, 4), st.sampled_from(["k1", "k1", "k2"])),
)


def _play(mode, steps):
    cluster = Cluster(NAMES, mode=mode)
    for number, step in enumerate(steps):
        if step[0] == "partition":
            cluster.partition(step[1], [n for n in NAMES if n not in step[1]])
        elif step[0] == "elect":
            cluster.elect(step[1])
        elif cluster.leader_epoch:
            leaders = sorted(cluster.leader_epoch)
            leader = leaders[step[1] % len(leaders)]
            cluster.add(leader, step[2], f"item{number}", time=float(number))
    cluster.heal()
    return cluster


# 500 examples (about 1 s): the same search falsifies the property for the "quorum"
# mode in 10 runs of 10, and for fencing without adoption in Cluster.elect in 7 of 10;
# the directed tests above are the deterministic controls for both
@settings(max_examples=500, deadline=None)
@given(st.lists(STEP, max_size=25))
def test_quorum_with_fencing_never_loses_an_acknowledged_write(steps):
    cluster = _play("quorum+fencing", steps)
    assert cluster.lost_writes() == []
    # at most one leader per epoch ever acknowledged a write
    leaders: dict[int, set[str]] = {}
    for w in cluster.acked:
        leaders.setdefault(w.epoch, set()).add(w.leader)
    assert all(len(names) == 1 for names in leaders.values())


def test_the_same_random_schedules_lose_writes_without_fencing():
    # the shifting-partition schedule, expressed as steps: the property above must not
    # hold for the weaker modes, or that test could not fail
    steps = [
        ("elect", "a"),
        ("partition", "cde"),
        ("elect", "c"),
        ("add", 1, "k1"),  # leaders a, c: index 1 is c
        ("partition", "abd"),
        ("add", 0, "k1"),  # the stale leader a
    ]
    assert _play("naive", steps).lost_writes()
    assert _play("quorum", steps).lost_writes()
    assert not _play("quorum+fencing", steps).lost_writes()


def test_quorum_mode_the_stale_write_also_erases_the_new_leaders_majority():
    c = Cluster(NAMES, mode="quorum")
    c.elect("a")
    c.partition("ab", "cde")
    c.elect("c")
    assert c.add("c", "cart", "pen", time=1)
    c.partition("abd", "ce")
    assert c.add("a", "cart", "lamp", time=2)  # no epoch check: d serves the stale leader
    holders = {name for name, r in c.replicas.items() if "pen" in r.data["cart"][0]}
    assert holders == {"c", "e"}  # pen lost its majority before any heal
    assert c.replicas["d"].epoch == 2  # d had promised epoch 2: it knew, it did not check


def test_lost_writes_counts_duplicates():
    c = Cluster(NAMES, mode="naive")
    c.elect("a")
    c.partition("ab", "cde")
    c.elect("c")
    assert c.add("c", "cart", "x", time=1)
    assert c.add("a", "cart", "x", time=2)  # the same item, acknowledged on the other side
    c.heal()
    assert c.value("cart") == ("x",)
    assert [(w.leader, w.value) for w in c.lost_writes()] == [("a", "x")]


def test_manifest_is_fenced_while_the_stale_leader_still_believes_it_leads():
    story = run_split_brain("quorum+fencing").story
    refused = story.index("t=4 a writes the backup manifest with token 1: REFUSED (token 1 < 2)")
    steps_down = next(i for i, line in enumerate(story) if "a steps down" in line)
    assert refused < steps_down


def test_bad_input():
    with pytest.raises(ValueError, match="mode must be one of"):
        Cluster(NAMES, mode="raft")
    with pytest.raises(ValueError, match=r"names must be distinct non-empty strs, got \[\]"):
        Cluster([], mode="naive")
    with pytest.raises(ValueError, match=r"got \['a', ''\]"):
        Cluster(["a", ""], mode="naive")
    c = Cluster(NAMES, mode="quorum+fencing")
    with pytest.raises(KeyError, match="no replica 'z'"):
        c.elect("z")
    with pytest.raises(TypeError, match=r"replica name must be a str, got list: \['a'\]"):
        c.elect(["a"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'a' is not a leader, got a write to 'k'"):
        c.add("a", "k", "x", time=0)
    c.elect("a")
    with pytest.raises(ValueError, match="key must be a non-empty str, got ''"):
        c.add("a", "", "x", time=0)
    with pytest.raises(TypeError, match="item must be a str, got int: 3"):
        c.add("a", "k", 3, time=0)  # type: ignore[arg-type]
    c.add("a", "k", "x", time=5)
    with pytest.raises(ValueError, match="time must be a finite number >= 5, got 4"):
        c.add("a", "k", "y", time=4)
    with pytest.raises(ValueError, match="time must be a finite number >= 5, got nan"):
        c.add("a", "k", "y", time=float("nan"))
    with pytest.raises(
        ValueError, match=r"groups must name distinct known replicas, got \['a', 'a'\]"
    ):
        c.partition("a", "a")
    with pytest.raises(ValueError, match="partition needs at least one group"):
        c.partition()
    with pytest.raises(TypeError, match="each group must be an iterable of names, got 1"):
        c.partition(1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="names must be an iterable of strs, got 5"):
        Cluster(5, mode="naive")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="mode must be one of"):
        run_split_brain("chaos")
