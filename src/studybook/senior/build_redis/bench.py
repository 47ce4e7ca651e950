"""Benchmark: ``redis-benchmark`` SET/GET against MiniRedis and redis-server, same run.

Run it (not a test; it takes about two minutes)::

    python -m studybook.senior.build_redis.bench            # 50 clients, 100000 requests
    python -m studybook.senior.build_redis.bench --profile  # also cProfile MiniRedis

Both servers run as subprocesses on free loopback ports, without persistence,
measured one after the other with identical ``redis-benchmark`` arguments, each
without pipelining and with ``-P 16`` (16 requests in flight per client).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import pstats
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from studybook.senior.build_redis.processes import miniredis_process, redis_server_process

__all__ = ["main", "parse_csv", "run_benchmark"]


PIPELINES = (1, 16)
"""Requests in flight per client, none (request, reply, request...) and ``-P 16``."""


def run_benchmark(
    port: int, *, requests: int, clients: int, tests: str = "set,get", pipeline: int = 1
) -> dict[str, float]:
    """Run ``redis-benchmark --csv`` against ``port``; return requests per second by test."""
    exe = shutil.which("redis-benchmark")
    if exe is None:
        raise FileNotFoundError("redis-benchmark not found (Debian package redis-tools)")
    args = [exe, "-p", str(port), "-t", tests, "-n", str(requests), "-c", str(clients), "--csv"]
    args += ["-P", str(pipeline)]
    result = subprocess.run(args, capture_output=True, check=True, timeout=600)  # noqa: S603
    return parse_csv(result.stdout.decode())


def parse_csv(text: str) -> dict[str, float]:
    """Requests per second by test name from ``redis-benchmark --csv`` output.

    >>> parse_csv('"test","rps","avg_latency_ms"\\n"SET","50000.00","0.9"\\n')
    {'SET': 50000.0}
    """
    return {row["test"]: float(row["rps"]) for row in csv.DictReader(io.StringIO(text))}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Benchmark both servers and write a table with the MiniRedis / redis-server ratio."""
    out = sys.stdout if out is None else out
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--requests", type=int, default=100_000)
    parser.add_argument("-c", "--clients", type=int, default=50)
    parser.add_argument(
        "-r", "--rounds", type=int, default=3, help="alternate runs; report medians"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile MiniRedis meanwhile")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, got {args.rounds}")
    # On a shared machine throughput drifts: alternate the servers and take medians.
    minis: dict[int, list[dict[str, float]]] = {p: [] for p in PIPELINES}
    reals: dict[int, list[dict[str, float]]] = {p: [] for p in PIPELINES}
    cpu_mini, cpu_real = [], []  # server CPU seconds per request: insensitive to machine load
    total = 2 * args.requests * len(PIPELINES)  # SET and GET, each pipeline depth
    for _ in range(args.rounds):
        with miniredis_process() as (port, proc):
            before = _process_cpu(proc.pid)
            for p in PIPELINES:
                minis[p].append(
                    run_benchmark(port, requests=args.requests, clients=args.clients, pipeline=p)
                )
            cpu_mini.append((_process_cpu(proc.pid) - before) / total)
        with redis_server_process() as port:
            before = _redis_cpu(port)
            for p in PIPELINES:
                reals[p].append(
                    run_benchmark(port, requests=args.requests, clients=args.clients, pipeline=p)
                )
            cpu_real.append((_redis_cpu(port) - before) / total)

    out.write(f"redis-benchmark -t set,get -n {args.requests} -c {args.clients}, ")
    out.write(f"median of {args.rounds} alternating rounds\n")
    out.write(f"{'test':<6}{'pipeline':>9}{'MiniRedis':>12}{'redis-server':>14}{'ratio':>7}\n")
    for p in PIPELINES:
        for test in ("SET", "GET"):
            mini = statistics.median(m[test] for m in minis[p])
            real = statistics.median(r[test] for r in reals[p])
            out.write(f"{test:<6}{p:>9}{mini:>12,.0f}{real:>14,.0f}{mini / real:>7.2f}\n")
    mini_us = statistics.median(cpu_mini) * 1e6
    real_us = statistics.median(cpu_real) * 1e6
    out.write(f"server CPU per request: MiniRedis {mini_us:.1f} us, redis-server {real_us:.1f} us")
    out.write(f" (ratio {real_us / mini_us:.2f})\n")
    if args.profile:  # a separate run: cProfile slows the server down several times
        out.write(_profile(args))
    return 0


def _process_cpu(pid: int) -> float:
    """User plus system CPU seconds of a process, from ``/proc/<pid>/stat`` (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _redis_cpu(port: int) -> float:
    """``used_cpu_user + used_cpu_sys`` from a Redis server's ``INFO cpu``."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"INFO cpu\r\n")
        data = b""
        while b"\r\n" not in data:
            data += sock.recv(65536)
        header, _, data = data.partition(b"\r\n")
        size = int(header[1:])  # a bulk string: $<size>
        while len(data) < size:
            data += sock.recv(65536)
    lines = data[:size].decode().splitlines()
    info = dict(line.split(":", 1) for line in lines if ":" in line)
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def _profile(args: argparse.Namespace) -> str:
    """Benchmark MiniRedis once under cProfile; return the top functions by own time."""
    stats = io.StringIO()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "miniredis.prof"
        with miniredis_process(profile_to=path) as (port, _proc):
            for p in PIPELINES:
                run_benchmark(port, requests=args.requests, clients=args.clients, pipeline=p)
        pstats.Stats(str(path), stream=stats).sort_stats("tottime").print_stats(15)
    return stats.getvalue()


if __name__ == "__main__":
    sys.exit(main())
