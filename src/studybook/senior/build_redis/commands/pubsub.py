"""Pub/sub commands (Redis' ``pubsub.c``): SUBSCRIBE, UNSUBSCRIBE, PUBLISH.

A message goes to every client subscribed to its channel at that moment and
is never stored: a subscriber that is disconnected misses it (Streams, or the
message queue of this chapter, keep messages). Subscribe confirmations and
messages are RESP3 *push* frames (``>3``), which a RESP3 client tells apart
from replies, so it can keep running commands while subscribed; a RESP2
client sees plain arrays and may only (un)subscribe, ``PING``, ``QUIT`` or ``RESET``.
"""

from __future__ import annotations

from studybook.senior.build_redis.commands.core import Context
from studybook.senior.build_redis.protocol import (
    encode_bulk,
    encode_integer,
    encode_null,
    encode_push,
)

__all__ = ["leave_all", "publish", "publish_message", "subscribe", "unsubscribe"]


def subscribe(ctx: Context, args: list[bytes]) -> bytes:
    """SUBSCRIBE channel [channel ...]: one confirmation per channel, with the new count."""
    out = []
    for channel in args[1:]:
        if channel not in ctx.subscriptions:
            ctx.subscriptions[channel] = None
            ctx.channels.setdefault(channel, {})[ctx] = None
        out.append(_confirmation(ctx, b"subscribe", channel))
    return b"".join(out)


def unsubscribe(ctx: Context, args: list[bytes]) -> bytes:
    """UNSUBSCRIBE [channel ...]: all channels if none is named; one confirmation each."""
    channels = args[1:] or list(ctx.subscriptions)
    if not channels:  # nothing to leave: still one confirmation, with a null channel
        return _confirmation(ctx, b"unsubscribe", None)
    out = []
    for channel in channels:
        if channel in ctx.subscriptions:
            del ctx.subscriptions[channel]
            _leave(ctx, channel)
        out.append(_confirmation(ctx, b"unsubscribe", channel))
    return b"".join(out)


def _confirmation(ctx: Context, kind: bytes, channel: bytes | None) -> bytes:
    name = encode_null(ctx.proto) if channel is None else encode_bulk(channel)
    count = encode_integer(len(ctx.subscriptions))
    return encode_push([encode_bulk(kind), name, count], ctx.proto)


def leave_all(ctx: Context) -> None:
    """Drop every subscription of ``ctx`` without replying (disconnect, RESET). O(channels)."""
    for channel in ctx.subscriptions:
        _leave(ctx, channel)
    ctx.subscriptions.clear()


def _leave(ctx: Context, channel: bytes) -> None:
    members = ctx.channels.get(channel)
    if members is not None:
        members.pop(ctx, None)
        if not members:
            del ctx.channels[channel]


def publish(ctx: Context, args: list[bytes]) -> bytes:
    """PUBLISH channel message: how many subscribers it was sent to."""
    return encode_integer(publish_message(ctx, args[1], args[2]))


def publish_message(ctx: Context, channel: bytes, message: bytes) -> int:
    """Send ``message`` to every subscriber of ``channel`` in its own protocol; return how many.

    Other clients get the frame on their sockets at once. The publisher itself,
    if subscribed (possible in RESP3, or inside ``MULTI``), gets it queued in
    ``own_pushes``, to go out just before the reply of the running command: a
    direct write would overtake the replies of the same batch not yet sent.

    Complexity: O(subscribers of the channel); each frame is encoded once per protocol.

    >>> sent = []
    >>> writer = Context()
    >>> reader = writer.for_client(7, deliver=lambda frame: sent.append(frame) is None)
    >>> _ = subscribe(reader, [b"SUBSCRIBE", b"news"])
    >>> publish_message(writer, b"news", b"hi"), sent
    (1, [b'*3\\r\\n$7\\r\\nmessage\\r\\n$4\\r\\nnews\\r\\n$2\\r\\nhi\\r\\n'])
    >>> reader.proto = 3
    >>> publish_message(reader, b"news", b"me"), len(sent), reader.own_pushes
    (1, 1, [b'>3\\r\\n$7\\r\\nmessage\\r\\n$4\\r\\nnews\\r\\n$2\\r\\nme\\r\\n'])
    """
    subscribers = ctx.channels.get(channel)
    if not subscribers:
        return 0
    frames: dict[int, bytes] = {}
    parts = [encode_bulk(b"message"), encode_bulk(channel), encode_bulk(message)]
    for subscriber in list(subscribers):
        frame = frames.get(subscriber.proto)
        if frame is None:
            frame = frames[subscriber.proto] = encode_push(parts, subscriber.proto)
        if subscriber is ctx:
            ctx.own_pushes.append(frame)
        elif subscriber.deliver is not None:
            subscriber.deliver(frame)
    return len(subscribers)
