"""RESP2 and RESP3: the Redis serialisation protocol, parsed incrementally and encoded.

A request is an array of bulk strings (``*2\\r\\n$3\\r\\nGET\\r\\n$1\\r\\nk\\r\\n``) or an
*inline command*: one line of space-separated words (``PING\\r\\n``), which
``redis-cli`` and ``redis-benchmark`` send at times and which a human types into
``telnet``. A reply is one of five types, each introduced by one byte: ``+`` simple
string, ``-`` error, ``:`` integer, ``$`` bulk string (``$-1`` is nil) and ``*``
array (``*-1`` is the nil array).

RESP3 (Redis 6 and later; a connection switches with ``HELLO 3``) keeps those
five and adds types so a client no longer has to know each command to decode
its reply: ``_`` null, ``,`` double, ``#`` boolean, ``%`` map, ``~`` set,
``=`` verbatim string and ``>`` push (out-of-band data such as pub/sub
messages). The ``encode_*`` functions that take a ``proto`` argument send the
RESP3 type on a RESP3 connection and its RESP2 fallback otherwise, as Redis'
``addReply*`` functions do.

The parser never trusts a declared length: it refuses a bulk longer than
:data:`MAX_BULK_LEN` (Redis' ``proto-max-bulk-len`` default, 512 MiB), an array
of more than :data:`MAX_MULTIBULK_LEN` elements, an inline line or a length line
longer than :data:`MAX_INLINE_LEN` (Redis' ``PROTO_INLINE_MAX_SIZE``, 64 KiB) and
more than :data:`MAX_QUERY_BUFFER` unparsed bytes from one client (lower than
Redis' 1 GiB ``client-query-buffer-limit``, so one client cannot make a small
server allocate much). It allocates nothing up front, so a huge declared length
costs nothing until the bytes really arrive.
"""

from __future__ import annotations

from collections import deque

from studybook.senior.build_redis._validate import check_int

__all__ = [
    "MAX_BULK_LEN",
    "MAX_INLINE_LEN",
    "MAX_MULTIBULK_LEN",
    "MAX_QUERY_BUFFER",
    "NIL",
    "NIL_ARRAY",
    "OK",
    "ProtocolError",
    "RespParser",
    "encode_array",
    "encode_boolean",
    "encode_bulk",
    "encode_command",
    "encode_double",
    "encode_error",
    "encode_integer",
    "encode_map",
    "encode_null",
    "encode_null_array",
    "encode_push",
    "encode_set",
    "encode_simple",
    "encode_verbatim",
    "format_double",
    "split_inline",
]

MAX_BULK_LEN = 512 * 1024 * 1024
"""Largest bulk string accepted, Redis' ``proto-max-bulk-len`` default (512 MiB)."""
MAX_MULTIBULK_LEN = 1024 * 1024
"""Most elements in one request array (Redis allows up to ``INT_MAX``)."""
MAX_INLINE_LEN = 64 * 1024
"""Longest inline command or length line, as Redis' ``PROTO_INLINE_MAX_SIZE``."""
MAX_QUERY_BUFFER = 64 * 1024 * 1024
"""Most unparsed bytes buffered for one client (Redis' ``client-query-buffer-limit`` is 1 GiB)."""

_BATCH_BYTES = 64 * 1024  # larger buffers (a big value arriving) take the general path
_FAST_BULK = 4096
_COUNTS = {b"*%d" % n: n for n in range(1, 1025)}  # the canonical array headers
_SIZES = {b"$%d" % n: n for n in range(_FAST_BULK)}  # the canonical bulk headers

OK = b"+OK\r\n"
NIL = b"$-1\r\n"
NIL_ARRAY = b"*-1\r\n"
NULL3 = b"_\r\n"


class ProtocolError(ValueError):
    """A request that breaks RESP; the server replies ``-ERR Protocol error: ...`` and closes.

    >>> parser = RespParser()
    >>> parser.feed(b"*1\\r\\n$04\\r\\nPING\\r\\n")  # leading zeros are not RESP
    >>> try:
    ...     parser.next_command()
    ... except ProtocolError as exc:
    ...     print(f"-ERR Protocol error: {exc}")
    -ERR Protocol error: invalid bulk length
    """


def encode_simple(text: str) -> bytes:
    """Encode a simple string reply (``+OK``); it must not contain CR or LF.

    Complexity: O(len(text)).

    >>> encode_simple("PONG")
    b'+PONG\\r\\n'
    >>> encode_simple("a\\nb")
    Traceback (most recent call last):
        ...
    ValueError: simple strings cannot contain CR or LF, got 'a\\nb'
    """
    if "\r" in text or "\n" in text:
        raise ValueError(f"simple strings cannot contain CR or LF, got {text!r}")
    return b"+" + text.encode() + b"\r\n"


def encode_error(message: str) -> bytes:
    """Encode an error reply; the first word is its code (``ERR``, ``WRONGTYPE``).

    Complexity: O(len(message)).

    >>> encode_error("ERR syntax error")
    b'-ERR syntax error\\r\\n'
    """
    return b"-" + message.replace("\r", " ").replace("\n", " ").encode() + b"\r\n"


def encode_integer(value: int) -> bytes:
    """Encode a signed 64-bit integer reply.

    Complexity: O(1).

    >>> encode_integer(-3)
    b':-3\\r\\n'
    """
    return b":%d\r\n" % value


def encode_bulk(value: bytes | None) -> bytes:
    """Encode a binary-safe bulk string; ``None`` is the nil bulk ``$-1``.

    Complexity: O(len(value)).

    >>> encode_bulk(b"hi")
    b'$2\\r\\nhi\\r\\n'
    >>> encode_bulk(None)
    b'$-1\\r\\n'
    """
    if value is None:
        return NIL
    return b"$%d\r\n%b\r\n" % (len(value), value)


def encode_array(items: list[bytes] | None) -> bytes:
    """Encode an array whose elements are already-encoded replies; ``None`` is ``*-1``.

    Because RESP is self-delimiting, an array is its length line followed by its
    elements' encodings: replies nest by concatenation.

    Complexity: O(total size).

    >>> encode_array([encode_bulk(b"a"), encode_integer(1)])
    b'*2\\r\\n$1\\r\\na\\r\\n:1\\r\\n'
    >>> encode_array(None)
    b'*-1\\r\\n'
    """
    if items is None:
        return NIL_ARRAY
    return b"*%d\r\n" % len(items) + b"".join(items)


def encode_null(proto: int) -> bytes:
    """The null reply: ``_`` in RESP3, the nil bulk ``$-1`` in RESP2.

    Complexity: O(1).

    >>> encode_null(3), encode_null(2)
    (b'_\\r\\n', b'$-1\\r\\n')
    """
    return NULL3 if proto == 3 else NIL


def encode_null_array(proto: int) -> bytes:
    """The null array (``EXEC`` after a failed ``WATCH``): ``_`` in RESP3, ``*-1`` in RESP2.

    Complexity: O(1).

    >>> encode_null_array(3), encode_null_array(2)
    (b'_\\r\\n', b'*-1\\r\\n')
    """
    return NULL3 if proto == 3 else NIL_ARRAY


def format_double(value: float) -> bytes:
    """Format a double the way Redis 7.0 does (``%.17g``; Redis 7.2 prints the shortest form).

    Complexity: O(1).

    >>> format_double(2.5), format_double(1.0), format_double(0.1), format_double(float("-inf"))
    (b'2.5', b'1', b'0.10000000000000001', b'-inf')
    """
    return b"%.17g" % value


def encode_double(value: float, proto: int) -> bytes:
    """A double: ``,2.5`` in RESP3, the bulk string ``$3 2.5`` in RESP2 (Redis' ``addReplyDouble``).

    Complexity: O(1).

    >>> encode_double(2.5, 3), encode_double(float("inf"), 3), encode_double(0.5, 2)
    (b',2.5\\r\\n', b',inf\\r\\n', b'$3\\r\\n0.5\\r\\n')
    """
    text = format_double(value)
    if proto == 3:
        return b",%b\r\n" % text
    return b"$%d\r\n%b\r\n" % (len(text), text)


def encode_boolean(value: bool, proto: int) -> bytes:
    """A boolean: ``#t``/``#f`` in RESP3, the integer 1 or 0 in RESP2.

    Complexity: O(1).

    >>> encode_boolean(True, 3), encode_boolean(False, 2)
    (b'#t\\r\\n', b':0\\r\\n')
    """
    if proto == 3:
        return b"#t\r\n" if value else b"#f\r\n"
    return b":1\r\n" if value else b":0\r\n"


def encode_map(pairs: list[bytes], proto: int) -> bytes:
    """A map of encoded keys and values, alternating: ``%<pairs>`` in RESP3, a flat array in RESP2.

    Complexity: O(total size).

    >>> encode_map([encode_bulk(b"k"), encode_integer(1)], 3)
    b'%1\\r\\n$1\\r\\nk\\r\\n:1\\r\\n'
    >>> encode_map([encode_bulk(b"k"), encode_integer(1)], 2)
    b'*2\\r\\n$1\\r\\nk\\r\\n:1\\r\\n'
    >>> encode_map([encode_bulk(b"k")], 3)
    Traceback (most recent call last):
        ...
    ValueError: a map needs an even number of encoded items, got 1
    """
    if len(pairs) % 2:
        raise ValueError(f"a map needs an even number of encoded items, got {len(pairs)}")
    if proto == 3:
        return b"%%%d\r\n" % (len(pairs) // 2) + b"".join(pairs)
    return b"*%d\r\n" % len(pairs) + b"".join(pairs)


def encode_set(items: list[bytes], proto: int) -> bytes:
    """A set of encoded items: ``~<n>`` in RESP3, an array in RESP2.

    Complexity: O(total size).

    >>> encode_set([encode_bulk(b"a")], 3), encode_set([], 2)
    (b'~1\\r\\n$1\\r\\na\\r\\n', b'*0\\r\\n')
    """
    return (b"~%d\r\n" if proto == 3 else b"*%d\r\n") % len(items) + b"".join(items)


def encode_push(items: list[bytes], proto: int) -> bytes:
    """Out-of-band data (pub/sub): ``><n>`` in RESP3, an array in RESP2.

    Complexity: O(total size).

    >>> encode_push([encode_bulk(b"message")], 3)
    b'>1\\r\\n$7\\r\\nmessage\\r\\n'
    """
    return (b">%d\r\n" if proto == 3 else b"*%d\r\n") % len(items) + b"".join(items)


def encode_verbatim(text: bytes, proto: int) -> bytes:
    """Text meant for humans (``INFO``): ``=<len>\\r\\ntxt:...`` in RESP3, a bulk string in RESP2.

    The three-letter format (``txt``, ``mkd``) tells a client how to show it.

    Complexity: O(len(text)).

    >>> encode_verbatim(b"# Server", 3), encode_verbatim(b"# Server", 2)
    (b'=12\\r\\ntxt:# Server\\r\\n', b'$8\\r\\n# Server\\r\\n')
    """
    if proto == 3:
        return b"=%d\r\ntxt:%b\r\n" % (len(text) + 4, text)
    return encode_bulk(text)


def encode_command(*args: bytes | str | int) -> bytes:
    """Encode a request the way clients send it: an array of bulk strings.

    Complexity: O(total size).

    >>> encode_command("SET", "k", 1)
    b'*3\\r\\n$3\\r\\nSET\\r\\n$1\\r\\nk\\r\\n$1\\r\\n1\\r\\n'
    """
    parts = [a if isinstance(a, bytes) else str(a).encode() for a in args]
    return encode_array([encode_bulk(p) for p in parts])


class RespParser:
    """Incremental request parser: :meth:`feed` bytes, then take commands out.

    State survives between calls, so a request split across many TCP reads is
    parsed once, and a large bulk string is not rescanned on every read.

    Complexity: O(bytes fed) in total.

    >>> p = RespParser()
    >>> p.feed(b"*2\\r\\n$4\\r\\nECHO\\r\\n$2\\r\\nh")
    >>> p.next_command() is None
    True
    >>> p.feed(b"i\\r\\nPING\\r\\n")
    >>> p.next_command(), p.next_command(), p.next_command()
    ([b'ECHO', b'hi'], [b'PING'], None)
    >>> p.feed(b"*1\\r\\n$x\\r\\n")
    >>> p.next_command()
    Traceback (most recent call last):
        ...
    studybook.senior.build_redis.protocol.ProtocolError: invalid bulk length
    """

    def __init__(
        self,
        *,
        max_bulk_len: int = MAX_BULK_LEN,
        max_query_buffer: int = MAX_QUERY_BUFFER,
    ) -> None:
        check_int("max_bulk_len", max_bulk_len, 0)
        check_int("max_query_buffer", max_query_buffer, 1)
        self._max_bulk_len = max_bulk_len
        self._max_query_buffer = max_query_buffer
        self._buf = bytearray()
        self._pos = 0
        self._args: list[bytes] = []
        self._remaining = 0  # bulk strings still expected in the current array
        self._bulk_len = -1  # declared length of the bulk being read, -1 if none
        self._dropped = 0  # bytes compacted away from the front of _buf
        self._ready: deque[tuple[list[bytes], int]] = deque()  # parsed ahead, with end offsets
        self._returned_end = 0  # offset after the last command returned from _ready

    def feed(self, data: bytes) -> None:
        """Append bytes received from the client.

        Raises:
            ProtocolError: the client has more than ``max_query_buffer`` bytes unparsed.

        Complexity: O(len(data)) amortised (compaction moves each byte at most once more).
        """
        if self._pos > 4096 and self._pos * 2 > len(self._buf):
            del self._buf[: self._pos]  # compact: drop what has been parsed
            self._dropped += self._pos
            self._pos = 0
        self._buf += data
        if len(self._buf) - self._pos > self._max_query_buffer:
            raise ProtocolError("client query buffer limit exceeded")

    def buffered(self) -> int:
        """Bytes received but not yet returned as part of a command. Complexity: O(1)."""
        return self._dropped + len(self._buf) - self.offset

    @property
    def offset(self) -> int:
        """Bytes consumed so far; right after a command, where the next one starts."""
        return self._returned_end if self._ready else self._dropped + self._pos

    def next_command(self) -> list[bytes] | None:
        """Return the next complete command, or ``None`` if more bytes are needed.

        Empty requests (``*0``, ``*-1``, a blank inline line) are skipped, as Redis does.

        Raises:
            ProtocolError: the bytes are not RESP; the parser must not be used again.

        Complexity: O(size of the command).
        """
        if not self._ready and self._remaining == 0 and self._pos < len(self._buf):
            self._parse_batch()
        if self._ready:
            args, self._returned_end = self._ready.popleft()
            return args
        while True:
            if self._remaining == 0:
                if self._pos >= len(self._buf):
                    return None
                if self._buf[self._pos] != 0x2A:  # not '*': an inline command
                    line = self._line()
                    if line is None:
                        return None
                    words = split_inline(line)
                    if words:
                        return words
                    continue
                count = self._length_line("invalid multibulk length", signed=True)
                if count is None:
                    return None
                if count > MAX_MULTIBULK_LEN:
                    raise ProtocolError("invalid multibulk length")
                if count <= 0:
                    continue
                self._remaining = count
                self._args = []
            # The hot loop: one find() per length line, one slice per argument.
            buf = self._buf
            while self._remaining:
                if self._bulk_len < 0:
                    if self._pos >= len(buf):
                        return None
                    if buf[self._pos] != 0x24:  # '$'
                        raise ProtocolError(f"expected '$', got '{chr(buf[self._pos])}'")
                    size = self._length_line("invalid bulk length", signed=False)
                    if size is None:
                        return None
                    if size > self._max_bulk_len:
                        raise ProtocolError("invalid bulk length")
                    self._bulk_len = size
                end = self._pos + self._bulk_len
                if len(buf) < end + 2:
                    return None
                if buf[end : end + 2] != b"\r\n":
                    raise ProtocolError("bulk string not terminated by CRLF")
                self._args.append(bytes(buf[self._pos : end]))
                self._pos = end + 2
                self._bulk_len = -1
                self._remaining -= 1
            args, self._args = self._args, []
            return args

    def _parse_batch(self) -> None:
        """Fast path: split the unparsed bytes on CRLF once and take every simple array in them.

        A pipelined client sends many small ``*<n>`` arrays per read. Splitting
        the whole buffer in C and checking each length line with one dict
        lookup (a table of the valid, canonical ``$0`` ... ``$4095``) costs a
        few list operations per command instead of a ``find``, a slice and an
        ``int()`` per line. A bulk is framed correctly exactly when the line
        after its length line is that long, so the result is what the general
        loop would produce. The first thing that is not a plain array (an
        inline command, a bulk containing CRLF or of 4 KiB or more, an
        incomplete command, anything malformed) stops the batch, and the
        general loop parses it, with its error messages. Parsed commands wait
        in ``_ready`` with the offset where each ends.
        """
        buf, pos = self._buf, self._pos
        if len(buf) - pos > _BATCH_BYTES or self._max_bulk_len < _FAST_BULK:
            return
        lines = bytes(buf[pos:]).split(b"\r\n")
        last = len(lines) - 1  # lines[last] is not followed by CRLF: never complete
        offset = self._dropped + pos
        i = 0
        while i < last:
            count = _COUNTS.get(lines[i])
            if count is None or i + 2 * count >= last:
                break
            end = i + 1 + 2 * count
            frame = lines[i:end]  # *<n>, then $<len> and the bytes, n times
            args = frame[2::2]
            if list(map(_SIZES.get, frame[1::2])) != list(map(len, args)):
                break
            offset += sum(map(len, frame)) + 2 * len(frame)
            self._ready.append((args, offset))
            i = end
        self._pos = offset - self._dropped

    def _length_line(self, message: str, *, signed: bool) -> int | None:
        """Parse ``*<n>\\r\\n`` or ``$<n>\\r\\n`` at the cursor, strictly (digits only)."""
        end = self._buf.find(b"\r\n", self._pos)
        if end < 0:
            if len(self._buf) - self._pos > MAX_INLINE_LEN:
                raise ProtocolError(f"too big {'mbulk' if signed else 'bulk'} count string")
            return None
        digits = bytes(self._buf[self._pos + 1 : end])
        body = digits[1:] if signed and digits[:1] == b"-" else digits
        # isdigit() rejects the spaces, '+' and '_' that int() would accept; 18 digits
        # keep int() far from Python's 4300-digit conversion limit. Like Redis'
        # string2ll, no leading zeros (``*01``, ``$04``) and no ``-0``.
        if not body.isdigit() or len(body) > 18 or (body[:1] == b"0" and digits != b"0"):
            raise ProtocolError(message)
        self._pos = end + 2
        return int(digits)

    def _line(self) -> bytes | None:
        # Redis applies the inline limit only while no newline has arrived, after
        # each read; a longer line that arrives whole is served (tried on 7.0.15
        # with a 70,000-byte ECHO).
        end = self._buf.find(b"\n", self._pos)
        if end < 0:
            if len(self._buf) - self._pos > MAX_INLINE_LEN:
                raise ProtocolError("too big inline request")
            return None
        stop = end - 1 if end > self._pos and self._buf[end - 1] == 0x0D else end
        line = bytes(self._buf[self._pos : stop])
        self._pos = end + 1
        return line


def split_inline(line: bytes) -> list[bytes]:
    """Split an inline command into words as Redis' ``sdssplitargs`` does.

    Words are separated by spaces, tabs, CR or LF; a double or single quote
    starts a quoted part even in the middle of a word (``a"b c"`` is ``ab c``),
    and a closing quote must be followed by a space or the end of the line.
    Inside double quotes ``\\n``, ``\\r``, ``\\t``, ``\\b``, ``\\a``, ``\\\\``,
    ``\\"`` and ``\\xHH`` (two hex digits) are escapes; single quotes only
    escape ``\\'``.

    Complexity: O(len(line)).

    >>> split_inline(b'SET k "a b\\\\n"')
    [b'SET', b'k', b'a b\\n']
    >>> split_inline(b'ECHO a"b c" "\\\\x41\\\\x4g"'), split_inline(b"   ")
    ([b'ECHO', b'ab c', b'Ax4g'], [])
    >>> split_inline(b'SET "k')
    Traceback (most recent call last):
        ...
    studybook.senior.build_redis.protocol.ProtocolError: unbalanced quotes in request
    """
    if b'"' not in line and b"'" not in line and b"\v" not in line and b"\f" not in line:
        return line.split()  # the common case, in C
    words: list[bytes] = []
    i, n = 0, len(line)
    while True:
        while i < n and line[i] in _C_SPACE:
            i += 1
        if i >= n:
            return words
        word = bytearray()
        quote = 0
        while i < n:
            c = line[i]
            if quote == 0:
                if c in _WORD_END:
                    break
                if c in (0x22, 0x27):  # '"' or "'": a quoted part starts, even mid-word
                    quote = c
                else:
                    word.append(c)
                i += 1
                continue
            if c == 0x5C and quote == 0x22 and i + 1 < n:  # backslash in "..."
                i, ch = _escape(line, i + 1)
                word += ch
                continue
            if c == 0x5C and quote == 0x27 and line[i + 1 : i + 2] == b"'":
                word += b"'"
                i += 2
                continue
            if c == quote:  # the closing quote must end the word
                i += 1
                if i < n and line[i] not in _C_SPACE:
                    raise ProtocolError("unbalanced quotes in request")
                quote = 0
                break
            word.append(c)
            i += 1
        if quote:
            raise ProtocolError("unbalanced quotes in request")
        words.append(bytes(word))


_C_SPACE = frozenset(b" \t\n\v\f\r")  # C's isspace(): skipped between words
_WORD_END = frozenset(b" \t\n\r\0")  # what ends an unquoted word in sdssplitargs
_HEX_DIGITS = frozenset(b"0123456789abcdefABCDEF")
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("a"): b"\a"}


def _escape(line: bytes, i: int) -> tuple[int, bytes]:
    c = line[i]
    pair = line[i + 1 : i + 3]
    if c == ord("x") and len(pair) == 2 and pair[0] in _HEX_DIGITS and pair[1] in _HEX_DIGITS:
        return i + 3, bytes([int(pair, 16)])
    return i + 1, _ESCAPES.get(c, bytes([c]))
