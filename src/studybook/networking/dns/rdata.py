"""Record data: each type's bytes on the wire and its text form (RFC 1035 §3.3, RFC 3596).

The text forms are the zone-file ones, without trailing dots on names:

======  ====  ==========================================  =====================
type    code  wire                                        text (``data``)
======  ====  ==========================================  =====================
A       1     4-octet IPv4 address                        ``192.0.2.1``
NS      2     a name                                      ``ns1.example.com``
CNAME   5     a name                                      ``web.example.com``
SOA     6     2 names, 5 unsigned 32-bit integers         ``mname rname serial
                                                          refresh retry expire
                                                          minimum``
MX      15    16-bit preference, a name                   ``10 mail.example.com``
TXT     16    one or more <length><bytes> strings         ``"v=spf1 -all"``
AAAA    28    16-octet IPv6 address                       ``2001:db8::1``
OPT     41    EDNS(0) options (RFC 6891)                  generic
======  ====  ==========================================  =====================

Any other type is read and written in RFC 3597's generic form,
``\\# <length> <hex>``. Names inside NS, CNAME, SOA and MX may be compressed;
RFC 3597 §4 forbids compressing names in types defined later, so AAAA and
newer types never carry pointers.

>>> out = bytearray()
>>> write_rdata(out, "MX", "10 mail.example.com", None)
>>> read_rdata(bytes(out), 0, len(out), TYPES["MX"])
'10 mail.example.com'
>>> write_rdata(out, "A", "192.0.2.300", None)
Traceback (most recent call last):
    ...
ValueError: A record data must be an IPv4 address, got '192.0.2.300'
"""

from __future__ import annotations

import ipaddress

from studybook.networking.dns.names import parse_name, read_name, write_name

__all__ = ["TYPES", "TYPE_NAMES", "read_rdata", "type_code", "type_name", "write_rdata"]

TYPES: dict[str, int] = {
    "A": 1,
    "NS": 2,
    "CNAME": 5,
    "SOA": 6,
    "MX": 15,
    "TXT": 16,
    "AAAA": 28,
    "OPT": 41,
}
"""Record types this codec knows by name, with their IANA codes."""

TYPE_NAMES: dict[int, str] = {code: name for name, code in TYPES.items()}

_NAME_TYPES = {"NS", "CNAME"}


def type_name(code: int) -> str:
    """The mnemonic of a type code: ``"A"`` for 1, ``"TYPE99"`` (RFC 3597) if unknown."""
    return TYPE_NAMES.get(code, f"TYPE{code}")


def type_code(name: str) -> int:
    """The code of a type mnemonic, ``TYPEnnn`` included; ValueError if unknown.

    >>> type_code("MX"), type_code("TYPE65")
    (15, 65)
    >>> type_code("SPF1")
    Traceback (most recent call last):
        ...
    ValueError: unknown record type, got 'SPF1'
    """
    if name in TYPES:
        return TYPES[name]
    if name.startswith("TYPE") and name[4:].isdigit() and name[4:].isascii():
        code = int(name[4:])
        if 0 <= code <= 0xFFFF:
            return code
    raise ValueError(f"unknown record type, got {name!r}")


def write_rdata(
    out: bytearray, rtype: str, data: str, table: dict[tuple[bytes, ...], int] | None
) -> None:
    """Append the wire form of ``data`` (the text form of an ``rtype`` record) to ``out``.

    ``table`` is the message's compression table (``None``: no compression).

    Raises:
        ValueError: ``data`` is not a valid text form for ``rtype``.

    Complexity: O(len(data)).
    """
    if data.startswith("\\# "):
        raw = _generic(data)
        if rtype in TYPES and rtype != "OPT":
            # RFC 3597 §5: the generic form of a known type must hold valid,
            # uncompressed data of that type; read_rdata refuses anything else.
            read_rdata(raw, 0, len(raw), TYPES[rtype])
        out += raw
    elif rtype == "A" or rtype == "AAAA":
        version = 4 if rtype == "A" else 6
        try:
            address = ipaddress.ip_address(data)
        except ValueError:
            address = None
        if address is None or address.version != version:
            raise ValueError(f"{rtype} record data must be an IPv{version} address, got {data!r}")
        out += address.packed
    elif rtype in _NAME_TYPES:
        write_name(out, parse_name(data), table)
    elif rtype == "MX":
        preference, exchange = _fields(data, 2, rtype)
        out += _number(preference, 0xFFFF, data).to_bytes(2, "big")
        write_name(out, parse_name(exchange), table)
    elif rtype == "SOA":
        fields = _fields(data, 7, rtype)
        write_name(out, parse_name(fields[0]), table)
        write_name(out, parse_name(fields[1]), table)
        for field in fields[2:]:
            out += _number(field, 0xFFFFFFFF, data).to_bytes(4, "big")
    elif rtype == "TXT":
        for chunk in _txt_strings(data):
            out.append(len(chunk))
            out += chunk
    else:
        raise ValueError(
            f"{rtype} record data must use the generic form '\\# len hex', got {data!r}"
        )


def _fields(data: str, count: int, rtype: str) -> list[str]:
    fields = data.split()
    if len(fields) != count:
        raise ValueError(f"{rtype} record data must have {count} fields, got {data!r}")
    return fields


def _number(text: str, maximum: int, data: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) > maximum:
        raise ValueError(f"field must be an integer in [0, {maximum}], got {text!r} in {data!r}")
    return int(text)


def _generic(data: str) -> bytes:
    parts = data.split()
    try:
        length = int(parts[1])
        raw = bytes.fromhex("".join(parts[2:]))
    except (IndexError, ValueError):
        raise ValueError(f"generic record data must be '\\# len hex', got {data!r}") from None
    if len(raw) != length:
        raise ValueError(f"generic record data declares {length} bytes, has {len(raw)}: {data!r}")
    return raw


def _txt_strings(data: str) -> list[bytes]:
    """Parse ``"one" "two"`` (with ``\\"``, ``\\\\`` and ``\\DDD`` escapes) into strings."""
    strings: list[bytes] = []
    i = 0
    while i < len(data):
        if data[i] == " ":
            i += 1
            continue
        if data[i] != '"':
            raise ValueError(f'TXT record data must be quoted strings like "text", got {data!r}')
        chunk = bytearray()
        i += 1
        while True:
            if i >= len(data):
                raise ValueError(f"unterminated string in TXT record data, got {data!r}")
            char = data[i]
            if char == '"':
                i += 1
                break
            if char == "\\" and data[i + 1 : i + 4].isdigit() and len(data[i + 1 : i + 4]) == 3:
                chunk.append(_number(data[i + 1 : i + 4], 255, data))
                i += 4
            else:
                if char == "\\" and i + 1 < len(data):
                    i += 1
                    char = data[i]
                if not (" " <= char <= "~"):
                    raise ValueError(
                        f"TXT characters must be printable ASCII or \\DDD, got {char!r}"
                    )
                chunk += char.encode("ascii")
                i += 1
        if len(chunk) > 255:
            raise ValueError(f"a TXT string must be at most 255 octets, got {len(chunk)}")
        strings.append(bytes(chunk))
    if not strings:
        raise ValueError(f"TXT record data must hold at least one string, got {data!r}")
    return strings


def read_rdata(data: bytes, offset: int, length: int, code: int) -> str:
    """The text form of the ``length`` bytes of record data at ``offset`` in a message.

    ``data`` is the whole message, so that compressed names can be followed.

    Raises:
        ValueError: the record data is malformed for its type or a name in
            it does not end exactly at the end of the record data.

    Complexity: O(length), names bounded as in :func:`~.names.read_name`.
    """
    end = offset + length
    raw = data[offset:end]
    rtype = type_name(code)
    if rtype == "A" or rtype == "AAAA":
        size = 4 if rtype == "A" else 16
        if length != size:
            raise ValueError(f"{rtype} record data must be {size} bytes, got {length}")
        return str(ipaddress.ip_address(raw))
    if rtype in _NAME_TYPES:
        name, after = read_name(data, offset)
        _check_end(rtype, after, end)
        return name
    if rtype == "MX":
        if length < 3:
            raise ValueError(f"MX record data too short: {length} bytes")
        name, after = read_name(data, offset + 2)
        _check_end(rtype, after, end)
        return f"{int.from_bytes(raw[:2], 'big')} {name}"
    if rtype == "SOA":
        mname, after = read_name(data, offset)
        rname, after = read_name(data, after)
        _check_end(rtype, after + 20, end)
        numbers = [int.from_bytes(data[after + 4 * i : after + 4 * i + 4], "big") for i in range(5)]
        return " ".join([mname, rname, *map(str, numbers)])
    if rtype == "TXT":
        strings, i = [], 0
        while i < length:
            size = raw[i]
            if i + 1 + size > length:
                raise ValueError(f"TXT string of {size} bytes overruns record data of {length}")
            strings.append(_quote(raw[i + 1 : i + 1 + size]))
            i += 1 + size
        if not strings:
            raise ValueError("TXT record data must hold at least one string, got 0 bytes")
        return " ".join(strings)
    return f"\\# {length} {raw.hex()}" if length else "\\# 0"


def _check_end(rtype: str, after: int, end: int) -> None:
    if after != end:
        raise ValueError(f"{rtype} record data length mismatch: fields end at {after}, not {end}")


def _quote(chunk: bytes) -> str:
    parts = ['"']
    for byte in chunk:
        if byte in b'"\\':
            parts.append("\\" + chr(byte))
        elif 0x20 <= byte <= 0x7E:
            parts.append(chr(byte))
        else:
            parts.append(f"\\{byte:03d}")
    parts.append('"')
    return "".join(parts)
