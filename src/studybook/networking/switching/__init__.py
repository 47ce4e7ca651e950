"""Switching, ARP and VLANs: how frames find their way inside one LAN.

Five small, exact models of layer 2, one concern per submodule:
:mod:`~.frames` (MAC addresses, Ethernet II and the 802.1Q tag, byte-exact),
:mod:`~.learning_switch` (a VLAN-aware learning switch with ageing on an
injected clock), :mod:`~.stp` (802.1D spanning tree: root election and port
roles), :mod:`~.arp` (RFC 826 packets, a cache, gratuitous ARP and dynamic
ARP inspection) and :mod:`~.domains` (collision versus broadcast domains).
Interviewers ask about them because every packet a server sends crosses them
first, and because "why did the network melt down?" is so often a layer-2 loop
or a wrong VLAN.

Invariants: a switch never sends a frame back out of its ingress port nor
into another VLAN; a MAC table entry is younger than the ageing time; the
ports spanning tree leaves forwarding form a tree (connected, loop-free); an
encoded frame or ARP packet decodes to itself.

============================  ==============================  ==================
function                      answers                         cost
============================  ==============================  ==================
LearningSwitch.receive        forward, flood, filter or drop  O(1), flood O(p)
spanning_tree                 root, root ports, port roles    O((b + l) log b)
encode_frame, decode_frame    wire bytes and back             O(n)
encode_arp, decode_arp        the 28-byte ARP packet          O(1)
count_domains                 collision, broadcast domains    O(l log l)
============================  ==============================  ==================

>>> VlanTag(100, pcp=5).tci
41060

Primary sources: IEEE 802.1D-2004 (bridges, spanning tree, RSTP), IEEE
802.1Q-2018 (VLANs), RFC 826 (ARP), RFC 5227 (ARP probes and announcements).
"""

from __future__ import annotations

from typing import TextIO

from studybook.networking.switching.arp import (
    ARP_ETHERTYPE,
    REPLY,
    REQUEST,
    ArpCache,
    ArpInspector,
    ArpPacket,
    arp_reply,
    arp_request,
    decode_arp,
    encode_arp,
    gratuitous_arp,
)
from studybook.networking.switching.domains import DEVICE_KINDS, Domains, Seg, count_domains
from studybook.networking.switching.frames import (
    BROADCAST,
    TPID_8021Q,
    EthernetFrame,
    VlanTag,
    check_vid,
    decode_frame,
    encode_frame,
    format_mac,
    is_group_address,
    parse_mac,
)
from studybook.networking.switching.learning_switch import (
    DEFAULT_AGING_TIME,
    AccessPort,
    Decision,
    LearningSwitch,
    TrunkPort,
)
from studybook.networking.switching.stp import (
    DEFAULT_BRIDGE_PRIORITY,
    SHORT_PATH_COST,
    BridgeId,
    Link,
    SpanningTree,
    bridge_id,
    port_id,
    spanning_tree,
)

__all__ = [
    "ARP_ETHERTYPE",
    "BROADCAST",
    "DEFAULT_AGING_TIME",
    "DEFAULT_BRIDGE_PRIORITY",
    "DEVICE_KINDS",
    "DONOHUE_BRIDGES",
    "DONOHUE_LINKS",
    "REPLY",
    "REQUEST",
    "SHORT_PATH_COST",
    "TPID_8021Q",
    "AccessPort",
    "ArpCache",
    "ArpInspector",
    "ArpPacket",
    "BridgeId",
    "Decision",
    "Domains",
    "EthernetFrame",
    "LearningSwitch",
    "Link",
    "Seg",
    "SpanningTree",
    "TrunkPort",
    "VlanTag",
    "arp_reply",
    "arp_request",
    "bridge_id",
    "check_vid",
    "count_domains",
    "decode_arp",
    "decode_frame",
    "demo",
    "encode_arp",
    "encode_frame",
    "format_mac",
    "gratuitous_arp",
    "is_group_address",
    "parse_mac",
    "port_id",
    "spanning_tree",
]

#: The five switches of D. Donohue, *CCNP SWITCH 642-813 Quick Reference*
#: (Cisco Press, 2010), figure 3-1 and p. 32, with the book's MAC addresses,
#: all at the default priority; A has the lowest bridge ID.
DONOHUE_BRIDGES = {
    "A": bridge_id("000c.1111.0011"),
    "B": bridge_id("000c.2678.1010"),
    "C": bridge_id("000c.321a.bcde"),
    "D": bridge_id("000c.8181.1122"),
    "E": bridge_id("000c.2679.2222"),
}
#: The figure's links, at 100 Mb/s (cost 19) except A-C and B-D at 10 Mb/s (cost 100), and
#: two parallel links D-E, cabled so that E's port 2 meets D's lower port (3).
DONOHUE_LINKS = (
    Link("A", 1, "B", 1, SHORT_PATH_COST[100]),
    Link("A", 2, "C", 1, SHORT_PATH_COST[10]),
    Link("B", 2, "C", 2, SHORT_PATH_COST[100]),
    Link("B", 3, "D", 1, SHORT_PATH_COST[10]),
    Link("C", 3, "D", 2, SHORT_PATH_COST[100]),
    Link("D", 3, "E", 2, SHORT_PATH_COST[100]),
    Link("D", 4, "E", 1, SHORT_PATH_COST[100]),
)


def demo(out: TextIO) -> None:
    """Run each model once and narrate the results to ``out``.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    Learning switch, ports 1-3 access VLAN 10, port 4 trunk (native 1)
      t=0    port 1  aa -> bb   flood to (2, 3, 4)
      t=1    port 2  bb -> aa   forward to (1,)
      t=2    port 3  cc -> aa   forward to (1,)
      t=302  port 2  bb -> aa   flood to (1, 3, 4)
    frame out of trunk port 4: 00 00 5e 00 53 bb 00 00 5e 00 53 aa 81 00 00 0a 08 00
    <BLANKLINE>
    Spanning tree of Donohue's figure 3-1 (root A)
    bridge  cost  root port  port roles
    A          0  -          1 designated, 2 designated
    B         19  1          1 root, 2 designated, 3 designated
    C         38  2          1 alternate, 2 root, 3 designated
    D         57  2          1 alternate, 2 root, 3 designated, 4 designated
    E         76  2          1 alternate, 2 root
    <BLANKLINE>
    ARP: 192.0.2.1 asks for 192.0.2.2
      request 00 01 08 00 06 04 00 01 00 00 5e 00 53 01 c0 00 02 01 00 00 00 00 00 00 c0 00 02 02
      reply   00 01 08 00 06 04 00 02 00 00 5e 00 53 02 c0 00 02 02 00 00 5e 00 53 01 c0 00 02 01
    <BLANKLINE>
    Domains: router, switch (VLANs 10 and 20), hub with 2 hosts: Domains(collision=4, broadcast=2)
    """
    clock = [0.0]
    sw = LearningSwitch(
        {1: AccessPort(10), 2: AccessPort(10), 3: AccessPort(10), 4: TrunkPort()},
        clock=lambda: clock[0],
    )
    out.write("Learning switch, ports 1-3 access VLAN 10, port 4 trunk (native 1)\n")
    mac = {name: f"00:00:5e:00:53:{name}" for name in ("aa", "bb", "cc")}
    trunk_frame = b""
    for t, port, src, dst in (
        (0, 1, "aa", "bb"),
        (1, 2, "bb", "aa"),
        (2, 3, "cc", "aa"),
        (302, 2, "bb", "aa"),
    ):
        clock[0] = float(t)
        d = sw.receive(port, EthernetFrame(mac[dst], mac[src], 0x0800))
        out.write(f"  t={t:<4} port {port}  {src} -> {dst}   {d.action} to {d.ports}\n")
        if 4 in d.frames and not trunk_frame:
            trunk_frame = encode_frame(d.frames[4])
    out.write(f"frame out of trunk port 4: {trunk_frame.hex(' ')}\n\n")

    tree = spanning_tree(DONOHUE_BRIDGES, DONOHUE_LINKS)
    out.write(f"Spanning tree of Donohue's figure 3-1 (root {tree.root})\n")
    out.write("bridge  cost  root port  port roles\n")
    for name, cost in tree.root_path_cost.items():
        roles = ", ".join(f"{p} {r}" for (b, p), r in sorted(tree.roles.items()) if b == name)
        rp = str(tree.root_port.get(name, "-"))
        out.write(f"{name:<6}{cost:>6}  {rp:<9}  {roles}\n")

    q = arp_request("00:00:5e:00:53:01", "192.0.2.1", "192.0.2.2")
    r = arp_reply(q, "00:00:5e:00:53:02")
    out.write("\nARP: 192.0.2.1 asks for 192.0.2.2\n")
    out.write(f"  request {encode_arp(q).hex(' ')}\n  reply   {encode_arp(r).hex(' ')}\n\n")

    kinds: dict[str, str] = {"R": "router", "S": "switch", "H": "hub"}
    segs = [Seg("R", "S", 10), Seg("R", "S", 20), Seg("S", "h1", 10), Seg("S", "H", 20)]
    segs += [Seg("H", "h2", 20), Seg("H", "h3", 20)]
    found = count_domains(kinds, segs)
    out.write(f"Domains: router, switch (VLANs 10 and 20), hub with 2 hosts: {found}\n")
