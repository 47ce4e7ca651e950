"""``python -m studybook.senior.build_redis``: serve RESP2 and RESP3 until SIGINT or SIGTERM.

Exit status 0 after a clean stop, 1 if the server cannot start (a damaged AOF,
a port in use), 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence

from studybook.senior.build_redis.persistence import FSYNC_POLICIES, AofCorruptError
from studybook.senior.build_redis.server import MiniRedisServer

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, serve until a signal arrives, return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m studybook.senior.build_redis")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind")
    parser.add_argument("--port", type=int, default=6380, help="TCP port (0: any free port)")
    parser.add_argument("--appendonly", metavar="FILE", help="append-only file for durability")
    parser.add_argument("--appendfsync", choices=FSYNC_POLICIES, default="everysec")
    parser.add_argument("--maxkeys", type=int, help="evict least recently used keys beyond this")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="miniredis: %(message)s", stream=sys.stderr)
    server = MiniRedisServer(
        args.host,
        args.port,
        appendonly=args.appendonly,
        appendfsync=args.appendfsync,
        maxkeys=args.maxkeys,
    )
    log = logging.getLogger("studybook.senior.build_redis")
    try:
        asyncio.run(_serve(server))
    except AofCorruptError as exc:  # Redis also refuses to start, with a message, not a crash
        log.error("cannot start: %s (repair or move the file away)", exc)
        return 1
    except OSError as exc:
        log.error("cannot start: %s", exc)
        return 1
    return 0


async def _serve(server: MiniRedisServer) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await server.start()
    logging.getLogger("studybook.senior.build_redis").info(
        "listening on %s:%d", server.host, server.port
    )
    await stop.wait()
    await server.stop()
    logging.getLogger("studybook.senior.build_redis").info("stopped cleanly")


if __name__ == "__main__":
    sys.exit(main())
