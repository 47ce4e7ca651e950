"""MiniRedis and a message queue: a RESP2 server that real Redis clients and tools use.

Interviewers ask candidates to "build Redis" or "design a message queue" because
the answer touches everything at once: a wire protocol, an event loop serving
many clients, data-structure choices, expiry, eviction, atomicity without
locks, durability (what is on disk when the server dies) and delivery
guarantees. This package is a working answer, checked reply for reply against
a real ``redis-server``:

- :mod:`~studybook.senior.build_redis.protocol`: RESP2 parsing (incremental,
  with limits) and encoding;
- :mod:`~studybook.senior.build_redis.store`: the keyspace, TTLs (lazy plus
  sampled active expiry), LRU eviction;
- :mod:`~studybook.senior.build_redis.commands`: the command table, Redis'
  reply types and error strings;
- :mod:`~studybook.senior.build_redis.server`: asyncio, pipelining, pub/sub,
  ``MULTI``/``EXEC``/``WATCH``, back-pressure;
- :mod:`~studybook.senior.build_redis.persistence`: the append-only file;
- :mod:`~studybook.senior.build_redis.queue`: topics, consumer groups, acks,
  retries with exponential backoff, a dead-letter queue.

Invariant: commands run one at a time on one thread, so every command and every
``EXEC`` block is atomic; a write is in the AOF before its reply is sent.

=========================  ========================  ===============================================
Operation                  Cost                      Why
=========================  ========================  ===============================================
GET / SET / INCR / DEL     O(1) average              dict lookup; LRU is an ``OrderedDict`` move
LPUSH / RPUSH / LPOP       O(1) per element          ``collections.deque``
ZADD / ZREM                O(n), O(log n) search     sorted list insert; Redis' skip list: O(log n)
ZRANGE / ZRANGEBYSCORE     O(log n + k)              bisect, then slice
KEYS pattern               O(n)                      scans every key: never in production
Active expiry round        O(20)                     random sample of keys with a TTL
=========================  ========================  ===============================================

>>> from studybook.senior.build_redis.commands import Context, run
>>> ctx = Context()
>>> run(ctx, "SET", "visits", 41), run(ctx, "INCR", "visits")
(b'+OK\\r\\n', b':42\\r\\n')
>>> run(ctx, "LPUSH", "visits", "x")
b'-WRONGTYPE Operation against a key holding the wrong kind of value\\r\\n'

Run it: ``python -m studybook.senior.build_redis --port 6380`` then
``redis-cli -p 6380``. Primary source: the Redis serialization protocol
specification (RESP2), redis.io/docs/reference/protocol-spec.
"""

from __future__ import annotations

import socket
from typing import TextIO

__all__ = ["demo"]


def demo(out: TextIO) -> None:
    """Start MiniRedis on a free port, talk RESP to it over a raw socket, narrate, stop.

    >>> import io
    >>> buf = io.StringIO(); demo(buf)
    >>> buf.getvalue().splitlines()[1]
    "-> PING  (inline)   <- b'+PONG\\\\r\\\\n'"
    """
    from studybook.senior.build_redis.protocol import encode_command
    from studybook.senior.build_redis.queue import MessageQueue
    from studybook.senior.build_redis.server import ServerThread

    with ServerThread() as srv, socket.create_connection(("127.0.0.1", srv.port)) as sock:
        out.write("MiniRedis is listening on a free loopback port\n")

        def send(label: str, wire: bytes) -> None:
            sock.sendall(wire)
            reply = _read_reply(sock)
            out.write(f"-> {label:<16} <- {reply!r}\n")

        send("PING  (inline)", b"PING\r\n")
        send("SET greeting hi", encode_command("SET", "greeting", "hi", "EX", 60))
        send("TTL greeting", encode_command("TTL", "greeting"))
        send("INCR greeting", encode_command("INCR", "greeting"))
        send("MULTI", encode_command("MULTI"))
        send("INCR n", encode_command("INCR", "n"))
        send("EXEC", encode_command("EXEC"))
        with socket.create_connection(("127.0.0.1", srv.port)) as bad:
            bad.sendall(b"*1\r\n$-7\r\n")
            out.write(f"a bad client gets {bad.recv(100)!r} and is closed\n")
        send("PING again", encode_command("PING"))

    now = [0.0]
    q = MessageQueue(clock=lambda: now[0], visibility_timeout=5, max_retries=1)
    q.subscribe("orders", "billing")
    q.publish("orders", "order-1")
    first = q.poll("orders", "billing", "worker-a")
    if first is None:
        raise RuntimeError("the queue lost a message")
    out.write(f"queue: worker-a takes {first.payload!r} (attempt {first.attempt}) and crashes\n")
    now[0] = 6.0
    second = q.poll("orders", "billing", "worker-b")
    if second is None:
        raise RuntimeError("the message was not redelivered after its timeout")
    out.write(f"queue: after the timeout worker-b gets it (attempt {second.attempt}) and acks\n")
    q.ack(second)
    out.write(f"queue: pending now {q.pending('orders', 'billing')}\n")


def _read_reply(sock: socket.socket) -> bytes:
    """Read one small reply (the demo's replies fit in one read)."""
    return sock.recv(4096)
