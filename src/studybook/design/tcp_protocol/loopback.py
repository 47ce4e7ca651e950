"""Real TCP over the loopback interface, watched from the Linux kernel.

The other modules of this chapter model TCP; this one runs it. Python
sockets open real connections on 127.0.0.1, and the kernel's own tables say
what state each end is in: ``/proc/net/tcp`` (documented in the kernel's
``Documentation/networking/proc_net_tcp.rst``) and ``ss -tan`` from
iproute2, which reads the same sockets over netlink. Two experiments:

* :func:`observe_lifecycle` opens a connection, closes it from the client
  first, and records both ends' states after each step: LISTEN, ESTABLISHED,
  FIN-WAIT-2 against CLOSE-WAIT, and finally TIME-WAIT on the side that
  closed first while the other side's socket is gone.
* :func:`measure_nagle` sends requests as two small writes and waits for a
  reply (write-write-read), with ``TCP_NODELAY`` off and on. With Nagle's
  algorithm on, the second write waits for the ACK of the first, which the
  server delays because it has nothing to send yet: each request stalls for
  the delayed-ACK timer.

Everything here needs Linux (``/proc/net/tcp``, ``TCP_INFO``); the functions
raise :class:`OSError` elsewhere. Timings vary by machine, so tests check the
mechanism (states, socket options) and only the demo prints the numbers.

>>> kernel_state_name(6)
'TIME-WAIT'
"""

from __future__ import annotations

import shutil
import socket
import statistics
import struct
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from studybook._validate import check_int, check_real

__all__ = [
    "KERNEL_STATES",
    "NagleResult",
    "Snapshot",
    "TcpInfo",
    "kernel_state_name",
    "kernel_states",
    "measure_nagle",
    "observe_lifecycle",
    "ss_states",
    "tcp_info",
]

#: The numbers Linux uses for TCP states (include/net/tcp_states.h), by RFC 9293 name.
KERNEL_STATES: dict[int, str] = {
    1: "ESTABLISHED",
    2: "SYN-SENT",
    3: "SYN-RECEIVED",
    4: "FIN-WAIT-1",
    5: "FIN-WAIT-2",
    6: "TIME-WAIT",
    7: "CLOSED",
    8: "CLOSE-WAIT",
    9: "LAST-ACK",
    10: "LISTEN",
    11: "CLOSING",
    12: "NEW-SYN-RECV",
}

_PROC_NET_TCP = Path("/proc/net/tcp")
_LOOPBACK = "127.0.0.1"


def kernel_state_name(number: int) -> str:
    """The RFC 9293 name of a Linux TCP state number (the ``st`` column of /proc/net/tcp).

    Raises:
        TypeError: not an int.
        ValueError: not a Linux TCP state number.

    Complexity: O(1).

    >>> kernel_state_name(1), kernel_state_name(10)
    ('ESTABLISHED', 'LISTEN')
    >>> kernel_state_name(0)
    Traceback (most recent call last):
        ...
    ValueError: no Linux TCP state numbered 0
    """
    check_int(number, "number")
    if number not in KERNEL_STATES:
        raise ValueError(f"no Linux TCP state numbered {number!r}")
    return KERNEL_STATES[number]


def kernel_states(port: int, proc_net_tcp: Path = _PROC_NET_TCP) -> list[tuple[int, int, str]]:
    """The IPv4 sockets on 127.0.0.1 whose local or remote port is ``port``, from the kernel.

    Each row is ``(local port, remote port, state)``, sorted. A listening
    socket has remote port 0.

    Raises:
        TypeError, ValueError: ``port`` is not in 1..65535.
        OSError: ``proc_net_tcp`` cannot be read (not Linux).

    Complexity: O(sockets on the machine).
    """
    check_int(port, "port", minimum=1, maximum=65535)
    rows = []
    for line in proc_net_tcp.read_text(encoding="ascii").splitlines()[1:]:
        fields = line.split()
        local, remote, state = fields[1], fields[2], int(fields[3], 16)
        local_ip, local_port = local.split(":")
        remote_port = int(remote.split(":")[1], 16)
        if local_ip != "0100007F":  # 127.0.0.1, little-endian hex
            continue
        if port in (int(local_port, 16), remote_port):
            rows.append((int(local_port, 16), remote_port, kernel_state_name(state)))
    return sorted(rows)


#: ss prints abbreviated state names (iproute2 misc/ss.c, ``sstate_name``).
_SS_NAMES = {
    "ESTAB": "ESTABLISHED",
    "SYN-RECV": "SYN-RECEIVED",
    "UNCONN": "CLOSED",
    "CLOSE-WAIT": "CLOSE-WAIT",
}


def ss_states(port: int) -> list[tuple[int, int, str]]:
    """The same rows as :func:`kernel_states`, read by ``ss -tan`` from iproute2.

    Raises:
        TypeError, ValueError: ``port`` is not in 1..65535.
        FileNotFoundError: ``ss`` is not installed.
        subprocess.CalledProcessError: ``ss`` failed.

    Complexity: O(sockets on the machine).
    """
    check_int(port, "port", minimum=1, maximum=65535)
    ss = shutil.which("ss")
    if ss is None:
        raise FileNotFoundError("ss (iproute2) is not installed")
    out = subprocess.run(  # noqa: S603 - a fixed program and fixed arguments
        [ss, "-tan", "-4"], check=True, capture_output=True, text=True, timeout=10
    ).stdout
    rows = []
    for line in out.splitlines()[1:]:
        fields = line.split()
        state, local, remote = fields[0], fields[3], fields[4]
        local_ip, local_port = local.rsplit(":", 1)
        remote_port = remote.rsplit(":", 1)[1]
        if local_ip != _LOOPBACK:
            continue
        remote_number = 0 if remote_port == "*" else int(remote_port)
        if port in (int(local_port), remote_number):
            rows.append((int(local_port), remote_number, _SS_NAMES.get(state, state)))
    return sorted(rows)


@dataclass(frozen=True)
class Snapshot:
    """Both ends' kernel states after one step of :func:`observe_lifecycle`."""

    step: str
    server: str
    client: str


def observe_lifecycle(timeout: float = 2.0) -> list[Snapshot]:
    """Open a loopback connection, close it client first, and record the kernel's states.

    After each step the function polls ``/proc/net/tcp`` until the states
    settle into what RFC 9293 predicts or ``timeout`` seconds pass, and
    records what the kernel reported (``"gone"`` for a socket the kernel has
    freed). The client's TIME-WAIT entry then stays in the kernel's table for
    Linux's fixed 60 seconds (``TCP_TIMEWAIT_LEN``), harmlessly.

    Raises:
        TypeError, ValueError: ``timeout`` is not a positive number.
        OSError: no loopback networking or no /proc/net/tcp.

    Complexity: O(1) sockets; time bounded by a few ``timeout`` periods.
    """
    timeout = check_real(timeout, "timeout", positive=True)
    snapshots: list[Snapshot] = []
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((_LOOPBACK, 0))
        listener.listen(1)
        server_port = listener.getsockname()[1]
        snapshots.append(_settle("listen()", server_port, None, ("LISTEN", "gone"), timeout))
        client = socket.create_connection((_LOOPBACK, server_port), timeout=timeout)
        client_port = client.getsockname()[1]
        conn, _ = listener.accept()
        with conn:
            want = ("ESTABLISHED", "ESTABLISHED")
            snapshots.append(
                _settle("connect() + accept()", server_port, client_port, want, timeout)
            )
            client.close()
            want = ("CLOSE-WAIT", "FIN-WAIT-2")
            snapshots.append(_settle("client close()", server_port, client_port, want, timeout))
        want = ("gone", "TIME-WAIT")
        snapshots.append(_settle("server close()", server_port, client_port, want, timeout))
    return snapshots


def _settle(
    step: str, server_port: int, client_port: int | None, want: tuple[str, str], timeout: float
) -> Snapshot:
    deadline = time.monotonic() + timeout
    while True:
        rows = kernel_states(server_port)
        server = "gone"
        client = "gone"
        for local, remote, state in rows:
            listening = client_port is None and remote == 0
            if local == server_port and (listening or remote == client_port):
                server = state
            elif local == client_port:
                client = state
        if (server, client) == want or time.monotonic() > deadline:
            return Snapshot(step, server, client)
        time.sleep(0.001)


@dataclass(frozen=True)
class TcpInfo:
    """A few fields of Linux's ``struct tcp_info`` (include/uapi/linux/tcp.h)."""

    state: str
    rto_us: int
    rtt_us: int
    rttvar_us: int
    snd_cwnd: int
    congestion_control: str


# struct tcp_info begins with eight u8 fields, then u32 fields; rto is the
# first u32, rtt/rttvar are the 16th and 17th and snd_cwnd the 19th.
_TCP_INFO = struct.Struct("=8B19I")


def tcp_info(sock: socket.socket) -> TcpInfo:
    """Read the kernel's view of a connected socket: state, RTO, smoothed RTT, cwnd.

    Linux keeps RFC 6298's SRTT and RTTVAR per socket and reports them here.
    Its 200 ms floor (``TCP_RTO_MIN``) applies to the variance term, so the
    RTO is at least SRTT + 200 ms (``tcp_rtt_estimator`` in
    ``net/ipv4/tcp_input.c``).

    Raises:
        TypeError: ``sock`` is not a socket.
        OSError: not Linux, or not a TCP socket.

    Complexity: O(1).
    """
    if not isinstance(sock, socket.socket):
        raise TypeError(f"sock must be a socket, got {type(sock).__name__}: {sock!r}")
    raw = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, _TCP_INFO.size)
    fields = _TCP_INFO.unpack(raw.ljust(_TCP_INFO.size, b"\0"))
    algorithm = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16)
    return TcpInfo(
        state=kernel_state_name(fields[0]),
        rto_us=fields[8],
        rtt_us=fields[8 + 15],
        rttvar_us=fields[8 + 16],
        snd_cwnd=fields[8 + 18],
        congestion_control=algorithm.split(b"\0", 1)[0].decode("ascii"),
    )


@dataclass(frozen=True)
class NagleResult:
    """Per-request latencies of one :func:`measure_nagle` run."""

    nodelay: bool
    option_readback: int
    latencies: tuple[float, ...]

    @property
    def median_ms(self) -> float:
        """Median latency per request, in milliseconds."""
        return statistics.median(self.latencies) * 1000


def measure_nagle(
    nodelay: bool,
    requests: int = 8,
    part: int = 10,
    clock: Callable[[], float] = time.perf_counter,
) -> NagleResult:
    """Time ``requests`` write-write-read round trips on loopback, ``TCP_NODELAY`` off or on.

    Each request is two ``send`` calls of ``part`` bytes (a header, then a
    body), after which the client waits for a 2-byte reply; the server
    replies only once it has read the whole request.

    Args:
        nodelay: set ``TCP_NODELAY`` on the client (disables Nagle's algorithm).
        requests: how many requests to time, 1 to 1000.
        part: bytes per write, 1 to 1000 (small, so Nagle holds the second write).
        clock: the timer, injectable.

    Raises:
        TypeError, ValueError: bad arguments.
        OSError: no loopback networking.

    Complexity: O(requests); with Nagle on, each request can wait for the
    peer's delayed-ACK timer (tens of milliseconds on Linux).
    """
    if not isinstance(nodelay, bool):
        raise TypeError(f"nodelay must be a bool, got {type(nodelay).__name__}: {nodelay!r}")
    check_int(requests, "requests", minimum=1, maximum=1000)
    check_int(part, "part", minimum=1, maximum=1000)
    latencies = []
    with (
        _echo_server(2 * part, requests) as port,
        socket.create_connection((_LOOPBACK, port), timeout=10) as client,
    ):
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, int(nodelay))
        readback = client.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        for i in range(requests):
            start = clock()
            client.sendall(b"H" * part)
            client.sendall(bytes([65 + i % 26]) * part)
            reply = _recv_exactly(client, 2)
            latencies.append(clock() - start)
            if reply != b"ok":
                raise OSError(f"unexpected reply {reply!r}")
    return NagleResult(nodelay, readback, tuple(latencies))


@contextmanager
def _echo_server(request_size: int, requests: int) -> Iterator[int]:
    """Serve one connection on a thread: read each request whole, answer ``ok``."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((_LOOPBACK, 0))
    listener.listen(1)
    listener.settimeout(10)
    errors: list[BaseException] = []

    def serve() -> None:
        try:
            conn, _ = listener.accept()
            with conn:
                conn.settimeout(10)
                for _ in range(requests):
                    _recv_exactly(conn, request_size)
                    conn.sendall(b"ok")
        except OSError as exc:  # reported to the caller below
            errors.append(exc)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        thread.join(timeout=10)
        listener.close()
    if errors:
        raise errors[0]


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = sock.recv(size)
        if not chunk:
            raise OSError("connection closed early")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
