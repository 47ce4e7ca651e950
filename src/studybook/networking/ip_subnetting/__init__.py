"""IP addressing and subnetting with integers and bit masks: VLSM, summarisation, IPv6, PAT.

An IP address is an integer (32 bits for IPv4, 128 for IPv6) and a prefix is
an integer whose low ``bits - length`` bits are zero. Every question in this
chapter (which subnet is this host in, how do I carve a /24 for these LANs,
which routes can I merge, what link-local address will this NIC pick) is a
few shifts and masks on those integers. Interviewers ask because a network
engineer must do it on paper and a software engineer must not get it wrong
in a firewall rule or a VPC plan.

The package is split by concern: :mod:`~.addresses` (parse, format, mask),
:mod:`~.by_hand` (the magic-number method), :mod:`~.vlsm` (the planner),
:mod:`~.summarization` (route summarisation), :mod:`~.classify` (classes, special
ranges, IPv6 types, EUI-64) and :mod:`~.services` (PAT and DHCP timers).
None of it imports ``ipaddress``, so the tests use that module as an
independent oracle.

Invariants: a prefix never has host bits set; a VLSM plan's subnets are
aligned, pairwise disjoint and inside the parent; ``summarize`` covers exactly
the input addresses with the fewest prefixes.

=====================  ==========================================  ===============
function               answers                                     cost
=====================  ==========================================  ===============
parse_prefix           CIDR text to (version, network, length)     O(len)
magic_number           network/broadcast by hand, with steps       O(1)
plan_vlsm              one aligned subnet per requirement          O(n log n)
summarize              fewest prefixes, same addresses             O(n log n + n·w)
slaac_address          /64 prefix + MAC -> EUI-64 address          O(1)
PatTable.outbound      inside ip:port -> public ip:port            O(1) typical
=====================  ==========================================  ===============

>>> summarize(["10.0.0.0/25", "10.0.0.128/25", "10.0.1.0/24"])
['10.0.0.0/23']

Primary sources: RFC 791 (classes), RFC 950 (subnetting), RFC 4632 (CIDR),
RFC 1918, RFC 6598, RFC 3927, RFC 3021, RFC 4291 and RFC 5952 (IPv6), RFC 4862
(SLAAC), RFC 3022 and RFC 4787 (NAT), RFC 2131 (DHCP).
"""

from __future__ import annotations

from typing import TextIO

from studybook.networking.ip_subnetting.addresses import (
    Prefix,
    compress_ipv6,
    expand_ipv6,
    format_address,
    netmask,
    parse_address,
    parse_interface,
    parse_prefix,
)
from studybook.networking.ip_subnetting.by_hand import HandSubnet, magic_number
from studybook.networking.ip_subnetting.classify import (
    eui64_interface_id,
    ipv4_class,
    ipv4_scope,
    ipv6_type,
    link_local_address,
    slaac_address,
)
from studybook.networking.ip_subnetting.services import (
    PatTable,
    PortsExhausted,
    Translation,
    dhcp_timers,
)
from studybook.networking.ip_subnetting.summarization import covering_prefix, summarize
from studybook.networking.ip_subnetting.vlsm import (
    DoesNotFit,
    Subnet,
    describe,
    plan_vlsm,
    prefix_for_hosts,
)

__all__ = [
    "DoesNotFit",
    "HandSubnet",
    "PatTable",
    "PortsExhausted",
    "Prefix",
    "Subnet",
    "Translation",
    "compress_ipv6",
    "covering_prefix",
    "demo",
    "describe",
    "dhcp_timers",
    "eui64_interface_id",
    "expand_ipv6",
    "format_address",
    "ipv4_class",
    "ipv4_scope",
    "ipv6_type",
    "link_local_address",
    "magic_number",
    "netmask",
    "parse_address",
    "parse_interface",
    "parse_prefix",
    "plan_vlsm",
    "prefix_for_hosts",
    "slaac_address",
    "summarize",
]

#: The demo's office: four LANs and two point-to-point WAN links.
OFFICE = (("Sales", 60), ("HQ", 120), ("Lab", 25), ("Guest", 12), ("WAN1", 2), ("WAN2", 2))


def demo(out: TextIO) -> None:
    """Plan an office, summarise its routes, derive an IPv6 address, run a PAT table.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    VLSM plan for 192.168.10.0/24, largest first
    name  hosts prefix            mask            first usable    last usable     broadcast
    HQ      120 192.168.10.0/25   255.255.255.128 192.168.10.1    192.168.10.126  192.168.10.127
    Sales    60 192.168.10.128/26 255.255.255.192 192.168.10.129  192.168.10.190  192.168.10.191
    Lab      25 192.168.10.192/27 255.255.255.224 192.168.10.193  192.168.10.222  192.168.10.223
    Guest    12 192.168.10.224/28 255.255.255.240 192.168.10.225  192.168.10.238  192.168.10.239
    WAN1      2 192.168.10.240/30 255.255.255.252 192.168.10.241  192.168.10.242  192.168.10.243
    WAN2      2 192.168.10.244/30 255.255.255.252 192.168.10.245  192.168.10.246  192.168.10.247
    used 248 of 256 addresses; free: 192.168.10.248/29
    with RFC 3021 /31 links: WAN1 192.168.10.240/31, WAN2 192.168.10.242/31
    summarize(plan): 192.168.10.0/25 192.168.10.128/26 192.168.10.192/27
                     192.168.10.224/28 192.168.10.240/29
    covering_prefix(plan): 192.168.10.0/24
    <BLANKLINE>
    MAC 00:1a:2b:3c:4d:5e -> EUI-64 interface id 021a:2bff:fe3c:4d5e
    link-local fe80::21a:2bff:fe3c:4d5e, global 2001:db8:10:0:21a:2bff:fe3c:4d5e
    <BLANKLINE>
    PAT on 203.0.113.5, idle timeout 300 s
    t=0    out 10.0.0.2:40000 -> 198.51.100.7:443 as 203.0.113.5:40000
    t=0    out 10.0.0.3:40000 -> 198.51.100.7:443 as 203.0.113.5:1024
    t=10   in  198.51.100.7:443 -> :1024 to 10.0.0.3:40000
    t=10   in  192.0.2.66:443 -> :1024 dropped:
           192.0.2.66:443 was never contacted via public port 1024 (filtered)
    t=400  in  198.51.100.7:443 -> :1024 dropped:
           no tcp mapping for public port 1024 (dropped)
    <BLANKLINE>
    DHCP lease 86400 s: renew (T1) at 43200 s, rebind (T2) at 75600 s
    """
    parent = "192.168.10.0/24"
    plan = plan_vlsm(parent, list(OFFICE))
    out.write(f"VLSM plan for {parent}, largest first\n")
    out.write(
        f"{'name':<6}{'hosts':>5} {'prefix':<18}{'mask':<16}{'first usable':<16}"
        f"{'last usable':<16}broadcast\n"
    )
    for s in plan:
        out.write(f"{s}\n")
    used = sum(2 ** (32 - s.length) for s in plan)
    end = parse_prefix(plan[-1].prefix).last
    free = summarize([f"{format_address(a, 4)}/32" for a in range(end + 1, end + 1 + 256 - used)])
    out.write(f"used {used} of 256 addresses; free: {', '.join(free)}\n")
    p2p = [s for s in plan_vlsm(parent, list(OFFICE), rfc3021=True) if s.name.startswith("WAN")]
    out.write("with RFC 3021 /31 links: " + ", ".join(f"{s.name} {s.prefix}" for s in p2p) + "\n")
    prefixes = [s.prefix for s in plan]
    merged = summarize(prefixes)
    out.write(f"summarize(plan): {' '.join(merged[:3])}\n")
    out.write(f"{'':17}{' '.join(merged[3:])}\n")
    out.write(f"covering_prefix(plan): {covering_prefix(prefixes)}\n\n")

    mac = "00:1a:2b:3c:4d:5e"
    iid = f"{eui64_interface_id(mac):016x}"
    out.write(
        f"MAC {mac} -> EUI-64 interface id {':'.join(iid[i : i + 4] for i in range(0, 16, 4))}\n"
    )
    out.write(
        f"link-local {link_local_address(mac)}, global {slaac_address('2001:db8:10::/64', mac)}\n\n"
    )

    now = [0.0]
    nat = PatTable("203.0.113.5", timeout=300.0, clock=lambda: now[0])
    out.write(f"PAT on {nat.public_address}, idle timeout {nat.timeout:.0f} s\n")
    server = ("198.51.100.7", 443)
    for host in ("10.0.0.2", "10.0.0.3"):
        ip, port = nat.outbound("tcp", (host, 40000), server)
        out.write(f"t=0    out {host}:40000 -> {server[0]}:{server[1]} as {ip}:{port}\n")
    for t, sender in ((10.0, server), (10.0, ("192.0.2.66", 443)), (400.0, server)):
        now[0] = t
        out.write(f"t={t:<5.0f}in  {sender[0]}:{sender[1]} -> :1024 ")
        try:
            ip, port = nat.inbound("tcp", 1024, sender)
            out.write(f"to {ip}:{port}\n")
        except KeyError as exc:
            out.write(f"dropped:\n{'':7}{exc.args[0]}\n")

    t1, t2 = dhcp_timers(86_400)
    out.write(f"\nDHCP lease 86400 s: renew (T1) at {t1:.0f} s, rebind (T2) at {t2:.0f} s\n")
