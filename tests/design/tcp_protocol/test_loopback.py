"""Real loopback sockets: the states the kernel reports, and the Nagle mechanism.

No test here has a wall-clock threshold: timings vary on a shared machine, so
the tests check states and socket options, and only the demo prints times.
"""

from __future__ import annotations

import re
import shutil
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from studybook.design.tcp_protocol import (
    kernel_state_name,
    kernel_states,
    measure_nagle,
    observe_lifecycle,
    ss_states,
    tcp_info,
)

linux = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not Path("/proc/net/tcp").exists(),
    reason="needs Linux /proc/net/tcp",
)


Connection = tuple[socket.socket, socket.socket, socket.socket]


@pytest.fixture
def connection() -> Iterator[Connection]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    client = socket.create_connection(listener.getsockname(), timeout=5)
    server, _ = listener.accept()
    yield listener, client, server
    for s in (client, server, listener):
        s.close()


@linux
def test_the_side_that_closes_first_ends_in_time_wait() -> None:
    steps = observe_lifecycle()
    assert [(s.step, s.server, s.client) for s in steps] == [
        ("listen()", "LISTEN", "gone"),
        ("connect() + accept()", "ESTABLISHED", "ESTABLISHED"),
        ("client close()", "CLOSE-WAIT", "FIN-WAIT-2"),
        ("server close()", "gone", "TIME-WAIT"),
    ]


@linux
def test_proc_net_tcp_and_ss_agree(connection: Connection) -> None:
    # No skip: CI installs iproute2, and a missing `ss` must fail loudly.
    assert shutil.which("ss") is not None, "needs `ss` from iproute2 (apt-get install iproute2)"
    listener, client, _ = connection
    port = listener.getsockname()[1]
    rows = kernel_states(port)
    assert rows == ss_states(port)
    client_port = client.getsockname()[1]
    assert (port, 0, "LISTEN") in rows
    assert (client_port, port, "ESTABLISHED") in rows
    assert (port, client_port, "ESTABLISHED") in rows


def test_proc_net_tcp_parsing_on_a_fixed_table(tmp_path: Path) -> None:
    table = tmp_path / "tcp"
    table.write_text(
        "  sl  local_address rem_address   st tx_queue rx_queue\n"
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000\n"
        "   1: 0100007F:D431 0100007F:1F90 06 00000000:00000000\n"
        "   2: 0100007F:1F90 0100007F:D431 08 00000000:00000000\n"
        "   3: 0200007F:1F90 00000000:0000 0A 00000000:00000000\n"
        "   4: 0100007F:0050 00000000:0000 0A 00000000:00000000\n",
        encoding="ascii",
    )
    assert kernel_states(8080, table) == [
        (8080, 0, "LISTEN"),
        (8080, 54321, "CLOSE-WAIT"),
        (54321, 8080, "TIME-WAIT"),
    ]


@linux
def test_tcp_info_reports_an_established_socket(connection: Connection) -> None:
    _, client, server = connection
    client.sendall(b"x" * 100)
    server.recv(100)
    info = tcp_info(client)
    assert info.state == "ESTABLISHED"
    assert info.rto_us >= info.rtt_us > 0
    assert info.snd_cwnd >= 1
    assert (
        info.congestion_control
        == Path("/proc/sys/net/ipv4/tcp_congestion_control").read_text(encoding="ascii").strip()
    )


@linux
@pytest.mark.parametrize("nodelay", [False, True])
def test_nagle_option_reads_back_and_every_request_is_answered(nodelay: bool) -> None:
    result = measure_nagle(nodelay, requests=3)
    assert result.nodelay is nodelay
    assert bool(result.option_readback) is nodelay
    assert len(result.latencies) == 3
    assert all(t > 0 for t in result.latencies)


@linux
def test_nagle_on_stalls_for_the_delayed_ack_timer() -> None:
    # A lower bound only, so a loaded machine cannot make it fail: Linux's
    # delayed-ACK floor is 40 ms (TCP_DELACK_MIN); the first request of a
    # connection is ACKed at once (quickack mode), the later ones are not.
    result = measure_nagle(False, requests=5)
    stalled = sorted(result.latencies)[1:]
    assert min(stalled) >= 0.030, result.latencies


def test_measure_nagle_uses_the_injected_clock() -> None:
    ticks = iter(range(100))
    result = measure_nagle(True, requests=2, clock=lambda: float(next(ticks)))
    assert result.latencies == (1.0, 1.0)
    assert result.median_ms == 1000.0


@pytest.mark.parametrize(
    ("call", "error", "shown"),
    [
        (lambda: kernel_state_name(0), ValueError, "0"),
        (lambda: kernel_state_name(True), TypeError, "True"),
        (lambda: kernel_states(0), ValueError, "port must be in [1, 65535], got 0"),
        (lambda: kernel_states(70_000), ValueError, "70000"),
        (lambda: ss_states(-1), ValueError, "-1"),
        (lambda: measure_nagle(1), TypeError, "nodelay must be a bool, got int: 1"),  # type: ignore[arg-type]
        (lambda: measure_nagle(True, requests=0), ValueError, "got 0"),
        (lambda: measure_nagle(True, part=10_000), ValueError, "10000"),
        (lambda: observe_lifecycle(timeout=float("nan")), ValueError, "nan"),
        (lambda: tcp_info("sock"), TypeError, "'sock'"),  # type: ignore[arg-type]
    ],
)
def test_bad_input_is_refused_naming_it(
    call: Callable[[], object], error: type[Exception], shown: str
) -> None:
    with pytest.raises(error, match=re.escape(shown)):
        call()
