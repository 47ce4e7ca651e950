"""Start MiniRedis and a real ``redis-server`` as subprocesses on free loopback ports.

Used by the tests (differential testing, crash tests) and by
:mod:`studybook.senior.build_redis.bench`.
Each helper is a context manager that always stops its process, so a failing
test never leaves a server behind.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = ["free_port", "miniredis_process", "redis_server_process", "wait_for_port"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Wait until something answers ``PING`` on ``port``; raise if ``proc`` dies first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with status {proc.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing answered PING on port {port} within {timeout} s")


@contextlib.contextmanager
def redis_server_process(port: int | None = None) -> Iterator[int]:
    """Run ``redis-server`` (no persistence) on a free port; yield the port.

    Raises:
        FileNotFoundError: ``redis-server`` is not installed.
    """
    exe = shutil.which("redis-server")
    if exe is None:
        raise FileNotFoundError("redis-server not found on PATH (Debian package redis-server)")
    port = free_port() if port is None else port
    args = [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    with _running(args, port):
        yield port


@contextlib.contextmanager
def miniredis_process(
    port: int | None = None,
    extra: Sequence[str] = (),
    cwd: Path | None = None,
    profile_to: Path | None = None,
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """Run ``python -m studybook.senior.build_redis`` on a free port; yield (port, process).

    With ``profile_to``, the server runs under ``cProfile`` and writes its stats there
    when it is stopped (SIGTERM shuts it down cleanly, so the stats are saved).
    """
    port = free_port() if port is None else port
    profile = ["-m", "cProfile", "-o", str(profile_to)] if profile_to is not None else []
    args = [sys.executable, *profile, "-m", "studybook.senior.build_redis", "--port", str(port)]
    args += extra
    with _running(args, port, cwd) as proc:
        yield port, proc


@contextlib.contextmanager
def _running(
    args: list[str], port: int, cwd: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    # The arguments are built above from an absolute executable path and numbers.
    proc = subprocess.Popen(  # noqa: S603
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd
    )
    try:
        wait_for_port(port, proc)
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
