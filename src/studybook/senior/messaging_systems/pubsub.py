"""Publish/subscribe two ways: SNS-like fan-out to durable queues, and Redis-like fire-and-forget.

:class:`Topic` copies every published message to each subscription whose
filter policy matches the message's attributes, the way Amazon SNS fans out to
SQS queues: subscribe a queue's ``send`` and each consumer service gets its
own durable copy to process at its own pace.

:class:`PubSubChannel` delivers only to the subscribers connected at the
moment of publishing, as Redis ``PUBLISH`` does: nothing is stored, a
subscriber that was away never sees what it missed, and ``publish`` returns
how many subscribers received the message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from studybook._validate import check_callable, check_str

__all__ = ["PubSubChannel", "Subscription", "Topic"]


class Topic:
    """An SNS-like topic: fan-out to subscribers, each with an optional filter policy.

    A filter policy maps attribute names to allowed values. A message matches
    when every name in the policy is among its attributes with one of the
    allowed values (AND across names, OR within a name's list), the rule SNS
    applies to attribute-based string filters.

    Complexity: publish O(subscriptions * policy size).

    >>> billing, audit = [], []
    >>> topic = Topic()
    >>> topic.subscribe(billing.append, filter_policy={"type": ["order"]})
    1
    >>> topic.subscribe(audit.append)
    2
    >>> topic.publish("o-1", {"type": "order"}), topic.publish("r-1", {"type": "refund"})
    (2, 1)
    >>> billing, audit
    (['o-1'], ['o-1', 'r-1'])
    """

    def __init__(self) -> None:
        self._subscriptions: dict[int, tuple[Callable[[Any], object], dict[str, set[str]]]] = {}
        self._next = 0

    def subscribe(
        self,
        deliver: Callable[[Any], object],
        *,
        filter_policy: Mapping[str, Sequence[str]] | None = None,
    ) -> int:
        """Register ``deliver`` (e.g. a queue's ``send``); return the subscription id.

        Raises:
            TypeError: ``deliver`` not callable, or a policy that is not a mapping of
                names to lists of strings.
            ValueError: a policy name with no allowed values.

        Complexity: O(policy size).
        """
        check_callable(deliver, "deliver")
        policy: dict[str, set[str]] = {}
        if filter_policy is not None:
            if not isinstance(filter_policy, Mapping):
                raise TypeError(f"filter_policy must be a mapping, got {filter_policy!r}")
            for name, allowed in filter_policy.items():
                check_str(name, "filter policy name", nonempty=True)
                if isinstance(allowed, str) or not isinstance(allowed, Sequence):
                    raise TypeError(f"allowed values must be a list of str, got {allowed!r}")
                if not allowed:
                    raise ValueError(f"filter policy {name!r} allows no value, got {allowed!r}")
                policy[name] = {check_str(v, "allowed value") for v in allowed}
        self._next += 1
        self._subscriptions[self._next] = (deliver, policy)
        return self._next

    def unsubscribe(self, subscription_id: int) -> None:
        """Remove a subscription. Raises KeyError if unknown. Complexity: O(1)."""
        if subscription_id not in self._subscriptions:
            raise KeyError(f"no subscription {subscription_id!r}")
        del self._subscriptions[subscription_id]

    def publish(self, body: Any, attributes: Mapping[str, str] | None = None) -> int:
        """Deliver ``body`` to every matching subscription; return how many got it."""
        attrs = dict(attributes or {})
        for name, value in attrs.items():
            check_str(name, "attribute name")
            check_str(value, "attribute value")
        delivered = 0
        for deliver, policy in list(self._subscriptions.values()):
            if all(attrs.get(name) in allowed for name, allowed in policy.items()):
                deliver(body)
                delivered += 1
        return delivered


class Subscription:
    """One connected subscriber of a :class:`PubSubChannel`; ``inbox`` holds what it got."""

    def __init__(self, channel: PubSubChannel) -> None:
        self.inbox: list[Any] = []
        self._channel = channel
        self.connected = True

    def close(self) -> None:
        """Disconnect: messages published from now on are not kept for this subscriber."""
        if self.connected:
            self.connected = False
            self._channel._subscribers.remove(self)


class PubSubChannel:
    """A Redis-like Pub/Sub channel: at-most-once, to whoever is connected right now.

    >>> channel = PubSubChannel()
    >>> early = channel.subscribe(); channel.publish("hello")
    1
    >>> early.close(); late = channel.subscribe(); channel.publish("again")
    1
    >>> early.inbox, late.inbox          # early missed "again"; late missed "hello"
    (['hello'], ['again'])
    """

    def __init__(self) -> None:
        self._subscribers: list[Subscription] = []

    def subscribe(self) -> Subscription:
        """Connect a new subscriber; it sees only messages published after now."""
        subscription = Subscription(self)
        self._subscribers.append(subscription)
        return subscription

    def publish(self, message: Any) -> int:
        """Push ``message`` to the connected subscribers; return how many (as ``PUBLISH``)."""
        for subscription in self._subscribers:
            subscription.inbox.append(message)
        return len(self._subscribers)
