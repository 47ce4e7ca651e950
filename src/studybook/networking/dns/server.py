"""A real authoritative DNS server over UDP, for loopback: what ``dig`` talks to.

:func:`answer_query` is the whole protocol logic, a pure function from a
request datagram to a response datagram (or ``None``: drop); :class:`DnsServer`
only moves datagrams between a socket and it, in a background thread.

The rules it follows:

- A datagram shorter than a header, or one with QR set (a response), is
  dropped: answering either could start a loop or reflect an attack.
- Anything else that does not parse is answered FORMERR (RCODE 1) with the
  request's id; other opcodes than QUERY get NOTIMP; names outside every
  zone get REFUSED (this server is authoritative only, not recursive).
- Classic UDP carries at most 512 bytes of DNS message (RFC 1035 §2.3.4). A
  larger answer is sent with the TC ("truncated") bit set and its record
  sections emptied, telling the client to retry over TCP (§4.2.1). A query
  with an EDNS(0) OPT record advertises a bigger buffer (RFC 6891 §6.2.3);
  the server then allows up to the smaller of that and its own ``max_udp``,
  and echoes an OPT record, as RFC 6891 §7 requires.

>>> from studybook.networking.dns import example_internet, encode_query, decode_message
>>> zones = example_internet()["192.0.2.53"]
>>> reply = decode_message(answer_query(zones, encode_query("nope.example.com", query_id=9)))
>>> reply.id, reply.rcode_name, reply.aa, reply.authority[0].type
(9, 'NXDOMAIN', True, 'SOA')
>>> answer_query(zones, b"garbage") is None
True
>>> decode_message(answer_query(zones, b"\\0\\1" + bytes(12))).rcode_name
'FORMERR'
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Sequence
from dataclasses import replace
from types import TracebackType

from studybook._validate import check_int, check_str
from studybook.networking.dns.names import canonical
from studybook.networking.dns.wire import (
    CLASS_IN,
    Message,
    Record,
    decode_message,
    encode_message,
)
from studybook.networking.dns.zone import Zone, is_subdomain

__all__ = ["CLASSIC_UDP_LIMIT", "DEFAULT_MAX_UDP", "DnsServer", "answer_query"]

CLASSIC_UDP_LIMIT = 512
"""Largest DNS message over UDP without EDNS(0) (RFC 1035 §2.3.4)."""

DEFAULT_MAX_UDP = 1232
"""The EDNS buffer size DNS Flag Day 2020 recommended, to avoid IP fragmentation."""


def answer_query(
    zones: Sequence[Zone], datagram: bytes, *, max_udp: int = DEFAULT_MAX_UDP
) -> bytes | None:
    """The response datagram for one request datagram, or ``None`` to drop it.

    Never raises on any ``datagram``: garbage is answered FORMERR or dropped.

    Raises:
        TypeError, ValueError: ``datagram`` is not bytes, or ``max_udp`` is
            not an int in [512, 65535] (the arguments, never the content).

    Complexity: O(len(datagram) + size of the answer).
    """
    if not isinstance(datagram, (bytes, bytearray)):
        raise TypeError(f"datagram must be bytes, got {type(datagram).__name__}: {datagram!r}")
    check_int(max_udp, "max_udp", minimum=CLASSIC_UDP_LIMIT, maximum=65535)
    if len(datagram) < 12:
        return None
    ident, flags = struct.unpack_from("!HH", datagram)
    if flags & 0x8000:
        return None
    header = Message(id=ident, qr=True, opcode=(flags >> 11) & 0xF, rd=bool(flags & 0x100))
    try:
        request = decode_message(datagram)
    except ValueError:
        return encode_message(replace(header, rcode=1))
    if request.opcode != 0:
        return encode_message(replace(header, rcode=4))
    opts = [r for r in request.additional if r.type == "OPT"]
    if len(request.questions) != 1 or len(opts) > 1:
        return encode_message(replace(header, rcode=1))
    question = request.questions[0]
    try:
        key = canonical(question.name)
    except ValueError:  # a name we could not write back (escaped bytes)
        return encode_message(replace(header, rcode=1))
    header = replace(header, questions=(question,))
    limit = CLASSIC_UDP_LIMIT
    if opts:
        limit = max(CLASSIC_UDP_LIMIT, min(opts[0].rclass, max_udp))
        header = replace(header, additional=(Record(".", "OPT", 0, "\\# 0", max_udp),))
    candidates = [z for z in zones if is_subdomain(key, z.origin)]
    if question.rclass != CLASS_IN or not candidates:
        return encode_message(replace(header, rcode=5))
    zone = max(candidates, key=lambda z: len(z.origin))
    found = zone.query(question.name, question.type)
    response = replace(
        header,
        aa=found.aa,
        rcode=found.rcode,
        answers=found.answers,
        authority=found.authority,
        additional=found.additional + header.additional,
    )
    wire = encode_message(response)
    if len(wire) > limit:
        wire = encode_message(replace(header, aa=found.aa, rcode=found.rcode, tc=True))
    return wire


class DnsServer:
    """Serve ``zones`` over UDP on ``host``:``port`` from a background thread.

    Use as a context manager (``with DnsServer(zones, port=port) as server:``)
    or call :meth:`start` and :meth:`stop`. ``port=0`` lets the kernel pick;
    ``port`` says which. ``handled`` and ``dropped`` count datagrams.
    """

    def __init__(
        self,
        zones: Sequence[Zone],
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        max_udp: int = DEFAULT_MAX_UDP,
    ) -> None:
        self._zones = list(zones)
        if not self._zones or not all(isinstance(z, Zone) for z in self._zones):
            raise ValueError(f"zones must be a non-empty sequence of Zone, got {zones!r}")
        self.host = check_str(host, "host", nonempty=True)
        self.port = check_int(port, "port", minimum=0, maximum=65535)
        self.max_udp = check_int(max_udp, "max_udp", minimum=CLASSIC_UDP_LIMIT, maximum=65535)
        self.handled = 0
        self.dropped = 0
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def start(self) -> None:
        """Bind the socket and start serving; returns once the port is bound."""
        if self._sock is not None:
            raise RuntimeError("server already started")
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((self.host, self.port))
        sock.settimeout(0.05)  # how often the loop looks at the stop flag
        self.port = sock.getsockname()[1]
        self._sock = sock
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name=f"dns-{self.port}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket; safe to call twice."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> DnsServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _serve(self) -> None:
        sock = self._sock
        assert sock is not None  # noqa: S101 - set by start() before the thread runs
        while not self._stop.is_set():
            try:
                datagram, client = sock.recvfrom(65535)
            except TimeoutError:
                continue
            except OSError:
                break
            reply = answer_query(self._zones, datagram, max_udp=self.max_udp)
            if reply is None:
                self.dropped += 1
                continue
            self.handled += 1
            try:
                sock.sendto(reply, client)
            except OSError:
                continue  # the client went away; keep serving the others
