"""The selectors echo: real loopback sockets, every selector the platform has, bounded in time."""

from __future__ import annotations

import io
import os
import re
import selectors

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.__main__ import main
from studybook.fundamentals.operating_systems import MAX_CLIENTS, selectors_echo

AVAILABLE = [
    getattr(selectors, name)
    for name in ("SelectSelector", "PollSelector", "EpollSelector", "KqueueSelector")
    if hasattr(selectors, name)
]


@pytest.mark.parametrize("factory", AVAILABLE, ids=lambda f: f.__name__)
def test_every_selector_echoes_every_byte(factory):
    messages = [b"hello", b"", bytes(range(256)) * 1000, b"\x00\xff" * 3]
    result = selectors_echo(messages, selector_factory=factory, timeout=5)
    assert list(result.replies) == messages
    assert result.selector == factory.__name__
    assert result.wakeups >= len(messages)  # each wakeup accepts at most one connection


@settings(max_examples=10, deadline=None)
@given(st.lists(st.binary(max_size=3000), max_size=8))
def test_random_payloads_come_back_unchanged(messages):
    assert list(selectors_echo(messages, timeout=5).replies) == messages


def test_many_clients_at_once():
    messages = [str(i).encode() * (i + 1) for i in range(MAX_CLIENTS)]
    assert list(selectors_echo(messages, timeout=10).replies) == messages


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_deadline_raises_timeout_and_closes_every_socket():
    before = open_fds()
    ticks = iter([0.0, 0.0, 99.0])  # start, first check, then the clock jumps past the deadline

    def clock():
        return next(ticks, 99.0)

    with pytest.raises(TimeoutError, match=r"^echo did not finish within 1 s$"):
        selectors_echo([b"x" * 10, b"y"], timeout=1, clock=clock)
    assert open_fds() == before
    selectors_echo([b"z"])
    assert open_fds() == before


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"messages": "hi"}, TypeError, "messages must be a sequence of bytes, got 'hi'"),
        ({"messages": b"hi"}, TypeError, "messages must be a sequence of bytes, got b'hi'"),
        ({"messages": ["hi"]}, TypeError, "messages must be bytes, got str: 'hi'"),
        (
            {"messages": [bytearray(b"x")]},
            TypeError,
            "messages must be bytes, got bytearray: bytearray(b'x')",
        ),
        (
            {"messages": [b""] * (MAX_CLIENTS + 1)},
            ValueError,
            f"at most {MAX_CLIENTS} messages, got {MAX_CLIENTS + 1}",
        ),
        ({"messages": [], "timeout": 0}, ValueError, "timeout must be positive and finite, got 0"),
        (
            {"messages": [], "timeout": float("nan")},
            ValueError,
            "timeout must be positive and finite, got nan",
        ),
        (
            {"messages": [], "timeout": float("inf")},
            ValueError,
            "timeout must be positive and finite, got inf",
        ),
        ({"messages": [], "timeout": True}, TypeError, "timeout must be a number, got bool: True"),
    ],
)
def test_bad_input_is_rejected_with_the_value(kwargs, error, message):
    messages = kwargs.pop("messages")
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        selectors_echo(messages, **kwargs)


def test_no_messages_is_an_empty_exchange():
    assert selectors_echo([]).replies == ()


def test_cli_demo_runs():
    out = io.StringIO()
    assert main(["demo", "operating-systems"], out=out) == 0
    text = out.getvalue()
    assert "FIFO and CLOCK fault more with 4 frames than with 3: Belady's anomaly." in text
    assert text.rstrip().endswith("3 clients, every reply matches")
