"""TCP: the state machine, the retransmission timer, congestion control, and live sockets.

TCP turns an unreliable, reordering packet network into a reliable, ordered
byte stream, and shares the network fairly while doing it. Interviewers ask
about it because every distributed system rides on it: connection setup
costs a round trip, TIME-WAIT exhausts ports on busy proxies, Nagle's
algorithm and delayed ACKs add 40 ms to chatty protocols, and one lost
packet stalls every request multiplexed on a connection (which QUIC fixes).
One layer per submodule:

==================  ===========================================  =======================
module              what                                         source
==================  ===========================================  =======================
``state_machine``   11 states, every transition, as a table      RFC 9293 section 3.3.2
``rto``             SRTT, RTTVAR, RTO and exponential backoff    RFC 6298
``congestion``      Reno and CUBIC senders, a path simulator     RFC 5681, RFC 9438
``loopback``        real sockets, watched in /proc/net/tcp       Linux, iproute2
==================  ===========================================  =======================

Invariants: a connection is always in exactly one of the 11 states and moves
only along a listed transition; the RTO stays within [1 s, cap] and doubles on
each timeout; a Reno window grows by at most one segment per round trip in
congestion avoidance, and a CUBIC window follows W(t) = C(t - K)^3 + W_max.

>>> RtoEstimator().update(0.2)
1.0
>>> round(cubic_window(1.0, 100.0), 3)
86.681

Primary sources: RFC 9293 (TCP), RFC 6298 (RTO), RFC 5681 (congestion
control), RFC 9438 (CUBIC), N. Cardwell et al., "BBR: Congestion-Based
Congestion Control", ACM Queue 14(5), 2016, and RFC 9000 (QUIC).
"""

from __future__ import annotations

import socket
from typing import TextIO

from studybook.design.tcp_protocol.congestion import (
    CUBIC_BETA,
    CUBIC_C,
    CongestionControl,
    CubicSender,
    RenoSender,
    Sample,
    cubic_k,
    cubic_window,
    cwnd_chart,
    simulate,
)
from studybook.design.tcp_protocol.loopback import (
    KERNEL_STATES,
    NagleResult,
    Snapshot,
    TcpInfo,
    kernel_state_name,
    kernel_states,
    measure_nagle,
    observe_lifecycle,
    ss_states,
    tcp_info,
)
from studybook.design.tcp_protocol.rto import RtoEstimator
from studybook.design.tcp_protocol.state_machine import (
    FIGURE_5,
    TRANSITIONS,
    Event,
    InvalidTransition,
    State,
    TcpConnection,
    Transition,
    state_diagram,
)

__all__ = [
    "CUBIC_BETA",
    "CUBIC_C",
    "FIGURE_5",
    "KERNEL_STATES",
    "TRANSITIONS",
    "CongestionControl",
    "CubicSender",
    "Event",
    "InvalidTransition",
    "NagleResult",
    "RenoSender",
    "RtoEstimator",
    "Sample",
    "Snapshot",
    "State",
    "TcpConnection",
    "TcpInfo",
    "Transition",
    "cubic_k",
    "cubic_window",
    "cwnd_chart",
    "demo",
    "demo_chart",
    "demo_runs",
    "kernel_state_name",
    "kernel_states",
    "measure_nagle",
    "observe_lifecycle",
    "simulate",
    "ss_states",
    "state_diagram",
    "tcp_info",
]

#: The path of the chapter's cwnd chart: 100 round trips of 100 ms over a path
#: that holds 100 segments, with a retransmission timeout in round 70.
CHART_ROUNDS, CHART_CAPACITY, CHART_RTT, CHART_TIMEOUTS = 100, 100, 0.1, (70,)

_CLIENT = (Event.ACTIVE_OPEN, Event.RCV_SYN_ACK, Event.CLOSE, Event.RCV_ACK_OF_FIN)
_CLIENT_END = (Event.RCV_FIN, Event.TIMEOUT_2MSL)
_SERVER = (Event.PASSIVE_OPEN, Event.RCV_SYN, Event.RCV_ACK_OF_SYN, Event.RCV_FIN)
_SERVER_END = (Event.CLOSE, Event.RCV_ACK_OF_FIN)


def demo_runs() -> list[tuple[str, list[Sample]]]:
    """Reno and CUBIC on the chart's path: the data of the chapter's cwnd figure."""
    return [
        (sender.name, simulate(sender, CHART_ROUNDS, CHART_CAPACITY, CHART_RTT, CHART_TIMEOUTS))
        for sender in (RenoSender(), CubicSender())
    ]


def demo_chart() -> str:
    """The mermaid chart printed in the chapter, drawn from :func:`demo_runs`."""
    return cwnd_chart(demo_runs(), "cwnd per round trip: Reno, then CUBIC (timeout in round 70)")


def demo(out: TextIO) -> None:
    """Walk both ends of a connection, run the RTO and the congestion simulators, then real sockets.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    RFC 9293 state machine: 11 states, 49 transitions (21 in Figure 5 and its notes)
    client: CLOSED > SYN-SENT > ESTABLISHED > FIN-WAIT-1 > FIN-WAIT-2 > TIME-WAIT > CLOSED
    server: CLOSED > LISTEN > SYN-RECEIVED > ESTABLISHED > CLOSE-WAIT > LAST-ACK > CLOSED
    simultaneous open:  CLOSED > SYN-SENT > SYN-RECEIVED > ESTABLISHED
    simultaneous close: ESTABLISHED > FIN-WAIT-1 > CLOSING > TIME-WAIT > CLOSED
    rcv FIN in LISTEN: no transition from LISTEN on 'rcv FIN'
    <BLANKLINE>
    RFC 6298 RTO, G = 1 ms, floor 1 s, cap 60 s
    sample (s)   SRTT  RTTVAR    RTO
    (none)          -       -  1.000
    0.100       0.100   0.050  1.000
    0.100       0.100   0.038  1.000
    0.900       0.200   0.228  1.113
    0.120       0.190   0.191  1.000
    timeouts: 2.000 4.000 8.000 16.000 32.000 60.000 60.000
    <BLANKLINE>
    Congestion window, 100 round trips of 100 ms, path holds 100 segments, timeout in round 70
    sender   fast retransmits  timeouts  peak cwnd  mean cwnd
    Reno                    2         1      160.0       68.7
    CUBIC                   3         1      160.0       80.6
    <BLANKLINE>
    Loopback connection, states read from /proc/net/tcp
    listen()                server LISTEN       client gone
    connect() + accept()    server ESTABLISHED  client ESTABLISHED
    client close()          server CLOSE-WAIT   client FIN-WAIT-2
    server close()          server gone         client TIME-WAIT
    kernel tcp_info: congestion control ..., cwnd ... segments, SRTT ... us, RTO ... ms
    Nagle and delayed ACK, 8 requests, each two 10-byte writes then a 2-byte reply
    TCP_NODELAY=0 (Nagle on):  median ... ms per request
    TCP_NODELAY=1 (Nagle off): median ... ms per request
    """
    out.write(
        f"RFC 9293 state machine: {len(State)} states, {len(TRANSITIONS)} transitions "
        f"({len(FIGURE_5)} in Figure 5 and its notes)\n"
    )
    walks = [
        ("client: ", State.CLOSED, _CLIENT + _CLIENT_END),
        ("server: ", State.CLOSED, _SERVER + _SERVER_END),
        (
            "simultaneous open:  ",
            State.CLOSED,
            (Event.ACTIVE_OPEN, Event.RCV_SYN, Event.RCV_ACK_OF_SYN),
        ),
        (
            "simultaneous close: ",
            State.ESTABLISHED,
            (Event.CLOSE, Event.RCV_FIN, Event.RCV_ACK_OF_FIN, Event.TIMEOUT_2MSL),
        ),
    ]
    for label, start, events in walks:
        states = [start, *TcpConnection(start).run(events)]
        out.write(label + " > ".join(s.label for s in states) + "\n")
    try:
        TcpConnection(State.LISTEN).handle(Event.RCV_FIN)
    except InvalidTransition as exc:
        out.write(f"rcv FIN in LISTEN: {exc}\n")

    est = RtoEstimator()
    out.write("\nRFC 6298 RTO, G = 1 ms, floor 1 s, cap 60 s\n")
    out.write(f"{'sample (s)':<10}{'SRTT':>7}{'RTTVAR':>8}{'RTO':>7}\n")
    out.write(f"{'(none)':<10}{'-':>7}{'-':>8}{est.rto:>7.3f}\n")
    for sample in (0.1, 0.1, 0.9, 0.12):
        rto = est.update(sample)
        out.write(f"{sample:<10.3f}{est.srtt:>7.3f}{est.rttvar:>8.3f}{rto:>7.3f}\n")
    backoff = [est.on_timeout() for _ in range(7)]
    out.write("timeouts: " + " ".join(f"{r:.3f}" for r in backoff) + "\n")

    out.write(
        f"\nCongestion window, {CHART_ROUNDS} round trips of {CHART_RTT * 1000:.0f} ms, path holds "
        f"{CHART_CAPACITY} segments, timeout in round {CHART_TIMEOUTS[0]}\n"
    )
    out.write(
        f"{'sender':<8}{'fast retransmits':>17}{'timeouts':>10}{'peak cwnd':>11}{'mean cwnd':>11}\n"
    )
    for name, samples in demo_runs():
        fast = sum(s.event == "3 dup ACKs" for s in samples)
        rto_events = sum(s.event == "timeout" for s in samples)
        peak = max(s.cwnd for s in samples)
        mean = sum(s.cwnd for s in samples) / len(samples)
        out.write(f"{name:<8}{fast:>17}{rto_events:>10}{peak:>11.1f}{mean:>11.1f}\n")

    out.write("\nLoopback connection, states read from /proc/net/tcp\n")
    for snap in observe_lifecycle():
        out.write(f"{snap.step:<24}server {snap.server:<13}client {snap.client}\n")
    out.write(_kernel_info_line())
    runs = [measure_nagle(nodelay) for nodelay in (False, True)]
    out.write("Nagle and delayed ACK, 8 requests, each two 10-byte writes then a 2-byte reply\n")
    for run in runs:
        label = f"TCP_NODELAY={run.option_readback} (Nagle {'off' if run.nodelay else 'on'}):"
        out.write(f"{label:<27}median {run.median_ms:.3f} ms per request\n")


def _kernel_info_line() -> str:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        with socket.create_connection(listener.getsockname(), timeout=5) as client:
            conn, _ = listener.accept()
            with conn:
                client.sendall(b"x" * 1000)
                conn.recv(1000)
                info = tcp_info(client)
    return (
        f"kernel tcp_info: congestion control {info.congestion_control}, cwnd {info.snd_cwnd} "
        f"segments, SRTT {info.rtt_us} us, RTO {info.rto_us / 1000:.0f} ms\n"
    )
