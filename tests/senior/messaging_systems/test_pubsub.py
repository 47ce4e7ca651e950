"""SNS-like fan-out with filter policies and Redis-like fire-and-forget Pub/Sub."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.messaging_systems import ManualClock, PubSubChannel, Topic, VisibilityQueue


def test_fan_out_to_queues_gives_each_consumer_its_own_copy():
    clock = ManualClock()
    queues = [VisibilityQueue(clock=clock) for _ in range(3)]
    topic = Topic()
    for q in queues:
        topic.subscribe(q.send)
    assert [topic.publish(f"e{i}") for i in range(4)] == [3, 3, 3, 3]
    r = queues[0].receive(10)
    assert [m.body for m in r] == ["e0", "e1", "e2", "e3"]
    for m in r:
        queues[0].delete(m.receipt_handle)
    assert [len(q) for q in queues] == [0, 4, 4]


policies = st.dictionaries(
    st.sampled_from("abc"), st.lists(st.sampled_from("xyz"), min_size=1, max_size=3), max_size=3
)
attributes = st.dictionaries(st.sampled_from("abcd"), st.sampled_from("xyzw"), max_size=4)


@settings(max_examples=100, deadline=None)
@given(policy=policies, attrs=attributes)
def test_filter_policy_against_a_literal_reading_of_the_rule(policy, attrs):
    got: list[str] = []
    topic = Topic()
    topic.subscribe(got.append, filter_policy=policy)
    topic.publish("m", attrs)
    expected = True
    for name, allowed in policy.items():
        if name not in attrs or attrs[name] not in allowed:
            expected = False
    assert got == (["m"] if expected else [])


def test_unsubscribe():
    got: list[str] = []
    topic = Topic()
    sub = topic.subscribe(got.append)
    topic.unsubscribe(sub)
    assert topic.publish("m") == 0
    assert got == []
    with pytest.raises(KeyError, match="1"):
        topic.unsubscribe(sub)


def test_pubsub_is_at_most_once_for_the_absent():
    channel = PubSubChannel()
    assert channel.publish("into the void") == 0
    a, b = channel.subscribe(), channel.subscribe()
    assert channel.publish(1) == 2
    b.close()
    b.close()  # closing twice is harmless
    assert channel.publish(2) == 1
    assert (a.inbox, b.inbox, b.connected) == ([1, 2], [1], False)


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda t: t.subscribe("not callable"), TypeError, "not callable"),
        (lambda t: t.subscribe(print, filter_policy=[("a", ["x"])]), TypeError, "a"),
        (lambda t: t.subscribe(print, filter_policy={"a": "x"}), TypeError, "'x'"),
        (lambda t: t.subscribe(print, filter_policy={"a": []}), ValueError, r"\[\]"),
        (lambda t: t.subscribe(print, filter_policy={"a": [1]}), TypeError, "1"),
        (lambda t: t.subscribe(print, filter_policy={"": ["x"]}), ValueError, "''"),
        (lambda t: t.publish("m", {"a": 1}), TypeError, "1"),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call(Topic())
